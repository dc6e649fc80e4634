#include "receipt_layout.h"

#include <cstdio>

#include "i18n_marker.h"
#include "labels.h"

namespace lapor::printer {
namespace {

constexpr const char* msg_service = N_("receipt.service");
constexpr const char* msg_date = N_("receipt.date");
constexpr const char* msg_classification = N_("receipt.classification");
constexpr const char* msg_agency = N_("receipt.agency");
constexpr const char* msg_category = N_("receipt.category");
constexpr const char* msg_privacy = N_("receipt.privacy");
constexpr const char* msg_scan = N_("receipt.scan_qr");
constexpr const char* msg_keep = N_("receipt.keep");
constexpr const char* msg_test_title = N_("printer.test.title");
constexpr const char* msg_test_ok = N_("printer.test.ok");

}  // namespace

std::string format_local_time(std::int64_t unix_s, const TimeZone& tz, Language lang) {
    const Date d = local_date(unix_s, tz);
    std::int64_t secs = (unix_s + tz.utc_offset_s) % 86400;
    if (secs < 0) secs += 86400;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%02d/%02d/%04d %02d%c%02d %s", d.day, d.month, d.year,
                  static_cast<int>(secs / 3600), lang == Language::en ? ':' : '.',
                  static_cast<int>(secs / 60 % 60), std::string(tz.abbr).c_str());
    return buf;
}

Document receipt_document(const ReceiptJob& job, const ReceiptContext& ctx) {
    const Messages& m = *ctx.messages;
    const PreparedReport& r = job.report;
    const Language lang = r.language;
    auto tr = [&](const char* id) { return m.tr(lang, id); };
    Document d;
    if (job.copy)
        d.add(Text{tr(labels::receipt_copy), Align::center, true, 1, 2}).add(Separator{'='});
    d.add(Text{ctx.office, Align::center, true});
    d.add(Text{"LAPOR! - " + tr(msg_service), Align::center});
    d.add(Separator{'-'});
    d.add(Text{tr(labels::receipt_title(r.classification)), Align::center, true});
    d.add(Feed{1});
    d.add(Text{tr(labels::receipt_tracking), Align::center});
    d.add(Text{r.tracking, Align::center, true, 2, 2});
    d.add(Separator{'-'});
    d.add(Pair{tr(msg_date), format_local_time(r.created_unix, ctx.time_zone, lang)});
    d.add(Pair{tr(msg_classification), tr(labels::name(r.classification))});
    d.add(Pair{tr(msg_agency), job.agency_name});
    d.add(Pair{tr(msg_category), job.category_name});
    d.add(Pair{tr(msg_privacy), tr(labels::name(r.privacy))});
    d.add(Pair{tr(labels::receipt_kiosk), r.kiosk_id});
    d.add(Separator{'-'});
    d.add(Text{tr(labels::receipt_follow_up), Align::left});
    d.add(Qr{r.qr_url});
    d.add(Text{tr(msg_scan), Align::center});
    d.add(Feed{1});
    d.add(Text{tr(msg_keep), Align::center, true});
    if (job.copy) d.add(Separator{'='}).add(Text{tr(labels::receipt_copy), Align::center, true});
    d.add(Cut{});
    return d;
}

Document test_page_document(const Profile& profile, const std::string& transport,
                            const ReceiptContext& ctx, std::int64_t now_unix,
                            const std::string& status) {
    const Messages& m = *ctx.messages;
    Document d;
    d.add(Text{m.tr(Language::id, msg_test_title) + " / " + m.tr(Language::en, msg_test_title),
               Align::center, true, 1, 2});
    d.add(Text{ctx.office, Align::center});
    d.add(Text{format_local_time(now_unix, ctx.time_zone, Language::en), Align::center});
    d.add(Separator{'='});
    d.add(Pair{"profile", profile.name});
    d.add(Pair{"transport", transport});
    d.add(Pair{"dots / columns",
               std::to_string(profile.dots) + " / " + std::to_string(profile.columns)});
    d.add(Pair{"code page", profile.code_pages.front().page + " (ESC t " +
                                std::to_string(profile.code_pages.front().esc_t) + ")"});
    d.add(Pair{"status before printing", status});
    d.add(Separator{'-'});
    std::string ruler;
    for (int i = 1; i <= profile.columns; ++i) ruler += static_cast<char>('0' + i % 10);
    d.add(Text{ruler});
    d.add(Text{"Séno, Nyoman Ṛddhi, Ngurah Rāi, Ñoño, “quotes” — dash, Rp 10.000"});
    d.add(Text{"bold", Align::left, true});
    d.add(Text{"2x", Align::left, false, 2, 2});
    d.add(Separator{'-'});
    d.add(Qr{"https://lapor.go.id/"});
    d.add(Text{m.tr(Language::id, msg_test_ok), Align::center});
    d.add(Text{m.tr(Language::en, msg_test_ok), Align::center});
    d.add(Cut{});
    return d;
}

}  // namespace lapor::printer
