#include "submit.h"

#include <nlohmann/json.hpp>

#include <ctime>

#include "config.h"
#include "receipt.h"
#include "tracking.h"

namespace lapor {

SubmitContext SubmitContext::from(const Config& c, KeyPair device) {
    return SubmitContext{c.kiosk.id,
                         c.kiosk.code_prefix,
                         c.receipt.verify_base,
                         c.upload.national_key,
                         c.upload.national_key_id,
                         std::move(device),
                         c.time_zone()};
}

namespace {

std::string iso_utc(std::int64_t unix_s) {
    const std::time_t t = static_cast<std::time_t>(unix_s);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

std::string personal_json(const ReportDraft& d) {
    nlohmann::json j;
    j["title"] = d.title;
    j["body"] = d.body;
    j["location"] = d.location;
    if (d.consent == true) {
        nlohmann::json c = nlohmann::json::object();
        if (!d.name.empty()) c["name"] = d.name;
        if (!d.phone.empty()) c["phone"] = normalize_phone(d.phone).value_or(d.phone);
        if (!d.email.empty()) c["email"] = d.email;
        if (!d.nik.empty()) c["nik"] = d.nik;
        j["contact"] = c;
    }
    return j.dump();
}

PreparedReport Submitter::prepare(const ReportDraft& d) const {
    PreparedReport r;
    r.uuid = uuid_v4();
    r.kiosk_id = ctx_.kiosk_id;
    r.created_unix = clock_.now_ms() / 1000;
    r.classification = d.classification.value_or(Classification::complaint);
    r.agency_id = d.agency_id;
    r.category_id = d.category_id;
    r.privacy = d.privacy.value_or(Privacy::confidential);
    r.language = d.language.value_or(Language::id);
    r.consent = d.consent.value_or(false);
    r.incident_date = d.incident_date.value_or(Date{});
    r.key_id = ctx_.national_key_id;
    std::string plain = personal_json(d);
    const std::string sealed = seal(plain, ctx_.national_key);
    secure_clear(plain);
    r.tracking = new_tracking_code(ctx_.code_prefix);
    sign_and_build(r, sealed);
    return r;
}

void Submitter::redraw_tracking(PreparedReport& r) const {
    // The sealed payload stays; only the receipt part of the body changes.
    auto body = nlohmann::json::parse(r.upload_body);
    const auto sealed = base64_decode(body["sealed"]["payload"].get<std::string>());
    r.tracking = new_tracking_code(ctx_.code_prefix);
    sign_and_build(r, sealed.value_or(""));
}

void Submitter::sign_and_build(PreparedReport& r, const std::string& sealed) const {
    const ReceiptFields f{r.tracking, r.kiosk_id, r.created_unix, r.classification};
    r.signature = sign_receipt(f, ctx_.device.secret_key);
    r.qr_url = receipt_url(ctx_.verify_base, f, r.signature);
    // Keys sorted (nlohmann's default object), compact: the same report always gives the same
    // bytes, and these bytes are what every retry sends.
    nlohmann::json b;
    b["v"] = 1;
    b["report_uuid"] = r.uuid;
    b["kiosk_id"] = r.kiosk_id;
    b["created_at"] = iso_utc(r.created_unix);
    b["classification"] = to_string(r.classification);
    b["agency"] = r.agency_id;
    b["category"] = r.category_id;
    b["privacy"] = to_string(r.privacy);
    b["language"] = api_language(r.language);
    b["consent"] = r.consent;
    b["incident_date"] = to_iso(r.incident_date);
    b["sealed"] = {{"key_id", r.key_id}, {"payload", base64_encode(sealed)}};
    b["receipt"] = {{"tracking_code", r.tracking},
                    {"signed_at", r.created_unix},
                    {"signature", r.signature},
                    {"device_public_key", base64_encode(ctx_.device.public_key)}};
    r.upload_body = b.dump();
}

SubmitResult Submitter::submit(const ReportDraft& draft, const Catalog& catalog) {
    SubmitResult res;
    const Date today = local_date(clock_.now_ms() / 1000, ctx_.time_zone);
    res.problems = validate(draft, catalog, today);
    if (!res.problems.empty()) return res;
    PreparedReport r = prepare(draft);
    // 40 random bits: a collision is rare but possible over a kiosk's life; draw again.
    for (int attempt = 0;; ++attempt) {
        try {
            store_.insert_report(r);
            break;
        } catch (const DuplicateTrackingError&) {
            if (attempt >= 8) throw;
            redraw_tracking(r);
        }
    }
    res.report = std::move(r);
    return res;
}

}  // namespace lapor
