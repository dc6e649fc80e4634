#include "tour.h"

#include <SDL.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "app.h"
#include "catalog.h"
#include "config.h"
#include "flow.h"
#include "identity.h"
#include "png_writer.h"
#include "sandbox.h"
#include "share.h"
#include "speaker.h"
#include "status_check.h"
#include "store.h"
#include "submit.h"
#include "tracking.h"
#include "wav.h"

namespace lapor::ui {
namespace {

class ManualClock final : public Clock {
public:
    std::int64_t now_ms() const override { return now_; }
    std::int64_t mono_ms() const override { return mono_; }
    void advance(std::int64_t ms) { now_ += ms, mono_ += ms; }

private:
    std::int64_t now_ = SystemClock().now_ms();
    std::int64_t mono_ = 1'000'000;
};

struct Tour {
    App& app;
    std::string dir;
    std::string prefix;
    int n = 0;
    int written = 0;
    std::string sound_lang;  // "id" or "en": also write <lang>-<screen>.wav for citizen screens
    bool also_150 = true;    // citizen screens: the same screen at 150 % text, as NN-<name>-150

    // What the speaker button says on this screen, as <lang>-<name>.wav, and the text as .txt.
    void sound(const std::string& name) {
        speech::Speaker* sp = app.speaker();
        if (!sp) return;
        speech::Sound snd;
        std::string text;
        for (const auto& [part, code] : app.speech_text()) {
            const auto samples = sp->render(part, code, &snd.rate);
            snd.samples.insert(snd.samples.end(), samples.begin(), samples.end());
            text += (text.empty() ? "" : "\n") + part;
        }
        if (snd.samples.empty()) return;
        const std::string base = dir + "/" + sound_lang + "-" + name;
        speech::write_wav(base + ".wav", snd);
        std::ofstream(base + ".txt") << text << "\n";
        written += 2;
    }

    void shot(const std::string& name) {
        static const char* const spoken[] = {"attract",        "language",
                                             "classification", "agency-empty",
                                             "agency",         "text-problems",
                                             "text",           "date-location",
                                             "privacy",        "help",
                                             "consent",        "contact-problem",
                                             "review",         "cancel-confirm",
                                             "countdown",      "receipt",
                                             "status-found",   "status-done",
                                             "status-held",    "status-conflict",
                                             "status-waiting", "status-not-found"};
        if (!sound_lang.empty())
            for (const char* s : spoken)
                if (name == s) sound(name);
        ++n;
        write(name);
        if (!also_150) return;
        app.set_text_scale_step(2);
        app.settle();
        write(name + "-150");
        app.set_text_scale_step(0);
        app.settle();
    }
    void write(const std::string& name) {
        int w = 0, h = 0;
        const std::string px = app.capture_rgba(w, h);
        char file[512];
        std::snprintf(file, sizeof file, "%s/%s-%02d-%s.png", dir.c_str(), prefix.c_str(), n,
                      name.c_str());
        write_png(file, px, w, h);
        ++written;
    }
    // A tap as a finger would make it, on a widget of the last frame.
    void tap(const std::string& id) {
        app.settle();
        const auto it = app.widgets().find(id);
        if (it == app.widgets().end()) return;
        int w = 0, h = 0;
        SDL_GetRendererOutputSize(app.renderer(), &w, &h);
        SDL_Event e{};
        e.type = SDL_FINGERDOWN;
        e.tfinger.x = it->second.cx() / static_cast<float>(w);
        e.tfinger.y = it->second.cy() / static_cast<float>(h);
        SDL_PushEvent(&e);
        app.settle();
        e.type = SDL_FINGERUP;
        SDL_PushEvent(&e);
        app.settle();
    }
    // Holds the staff corner (top right) for 5 s of the tour's clock.
    void hold_corner(ManualClock& clock) {
        int w = 0, h = 0;
        SDL_GetRendererOutputSize(app.renderer(), &w, &h);
        SDL_Event e{};
        e.type = SDL_FINGERDOWN;
        e.tfinger.x = 1.0f - 10.0f / static_cast<float>(w);
        e.tfinger.y = 10.0f / static_cast<float>(h);
        SDL_PushEvent(&e);
        app.settle();
        for (int i = 0; i < 52; ++i) {
            clock.advance(100);
            app.settle();
        }
        e.type = SDL_FINGERUP;
        SDL_PushEvent(&e);
        app.settle();
    }
    void go(const Intent& i) {
        app.flow()->apply(i);
        app.settle();
    }
};

// Upload outcomes for the staff queue screen: the tour's own report is rejected, two more are
// stored through the real submit path, one meets a conflict and one waits after a failed try.
void add_upload_outcomes(const Sandbox& sb, const Clock& clock) {
    const Config cfg = load_config(sb.config_path());
    auto store = open_store(cfg.kiosk.data_dir + "/kiosk.db", clock, OpenMode::existing);
    const Catalog catalog = Catalog::load_file(default_catalog_path());
    Submitter sub(*store, SubmitContext::from(cfg, load_device_key(cfg.device_key_path())), clock);
    for (int i = 0; i < 2; ++i) {
        ReportDraft d;
        d.language = Language::id;
        d.classification = Classification::complaint;
        d.agency_id = "dishub";
        d.category_id = "dishub-parkir-liar";
        d.title = "Lampu lalu lintas mati di simpang Senen";
        d.body =
            "Sejak kemarin sore lampu lalu lintas di simpang Senen mati dan kendaraan saling "
            "serobot sehingga hampir terjadi tabrakan.";
        d.location = "Simpang Senen, Jakarta Pusat";
        d.incident_date = local_date(clock.now_ms() / 1000, cfg.time_zone());
        d.privacy = Privacy::anonymous;
        d.consent = false;
        if (!sub.submit(d, catalog).ok()) return;
    }
    const auto leased = store->lease_next(3, 60'000);
    if (leased.size() < 3) return;
    store->mark_rejected(leased[0].id, 422,
                         "category dishub-parkir-liar is not in the national catalog");
    store->mark_conflict(leased[1].id, "the same idempotency key was used with another body");
    store->record_attempt(leased[2].id, 503, "HTTP 503: server busy", clock.now_ms() + 60'000);
}

// Reports in each state the status check tells apart, stored through the real submit path:
// "found" (accepted, being handled, with the agency's reply), "done" (closed by the agency),
// "held" (the national system refused it for a reason the staff can fix), "conflict", and
// "waiting" (saved, not sent yet). Returns their tracking codes by those names (a state that could
// not be made is missing).
std::map<std::string, std::string> add_status_reports(const Sandbox& sb, const Clock& clock) {
    std::map<std::string, std::string> codes;
    const Config cfg = load_config(sb.config_path());
    auto store = open_store(cfg.kiosk.data_dir + "/kiosk.db", clock, OpenMode::existing);
    const Catalog catalog = Catalog::load_file(default_catalog_path());
    Submitter sub(*store, SubmitContext::from(cfg, load_device_key(cfg.device_key_path())), clock);
    // Stores one report and leases it (the tour's earlier reports are not due), or not.
    auto report = [&](const char* title, bool lease) -> std::optional<Outbound> {
        ReportDraft d;
        d.language = Language::id;
        d.classification = Classification::complaint;
        d.agency_id = "dishub";
        d.category_id = "dishub-parkir-liar";
        d.title = title;
        d.body = "Setiap pagi mobil parkir di bahu jalan depan pasar.";
        d.location = "Jl. Pasar Baru No. 1";
        d.incident_date = local_date(clock.now_ms() / 1000, cfg.time_zone());
        d.privacy = Privacy::anonymous;
        d.consent = false;
        const auto r = sub.submit(d, catalog);
        if (!r.ok()) return std::nullopt;
        if (!lease) return Outbound{0, "", "", 0, r.report->tracking};
        const auto leased = store->lease_next(1, 60'000);
        if (leased.empty() || leased[0].tracking != r.report->tracking) return std::nullopt;
        return leased[0];
    };
    const std::int64_t t = clock.now_ms() / 1000;
    if (const auto o = report("Parkir liar di depan Pasar Baru", true)) {
        store->mark_accepted(o->id, 201, "LAPOR-2026-0042", "");
        store->update_status(o->id, {"verified", "", t + 3600, ""});
        store->update_status(o->id, {"dispositioned", "Dinas Perhubungan", t + 7200, ""});
        store->update_status(o->id,
                             {"in_progress", "Dinas Perhubungan", t + 5400,
                              "Terima kasih. Petugas Dishub akan menertibkan parkir di lokasi "
                              "ini mulai Senin pagi."});
        codes["found"] = o->tracking;
    }
    if (const auto o = report("Lampu jalan mati di Jl. Gunung Sahari", true)) {
        store->mark_accepted(o->id, 201, "LAPOR-2026-0043", "");
        store->update_status(o->id, {"verified", "", t + 1800, ""});
        store->update_status(o->id, {"dispositioned", "Dinas Bina Marga", t + 3600, ""});
        store->update_status(o->id, {"in_progress", "Dinas Bina Marga", t + 5400, ""});
        store->update_status(o->id, {"closed", "Dinas Bina Marga", t + 7000,
                                     "Lampu sudah diganti pada hari Rabu. Terima kasih."});
        codes["done"] = o->tracking;
    }
    if (const auto o = report("Trotoar rusak di depan sekolah", true)) {
        store->mark_held(o->id, 422, "wrong_kiosk: kiosk JK01 is not enrolled for this office");
        codes["held"] = o->tracking;
    }
    if (const auto o = report("Sampah menumpuk di pinggir kali", true)) {
        store->mark_conflict(o->id, "the same idempotency key was used with another body");
        codes["conflict"] = o->tracking;
    }
    if (const auto o = report("Jalan berlubang di Jl. Kramat Raya", false))
        codes["waiting"] = o->tracking;
    return codes;
}

}  // namespace

int screenshot_tour(const std::string& dir, int width, int height) {
    std::filesystem::create_directories(dir);
    int written = 0;
    for (int theme = 0; theme < 2; ++theme) {
        for (Language lang : {Language::id, Language::en}) {
            const std::string prefix =
                std::string(theme ? "contrast" : "standard") + "-" + std::string(to_string(lang));
            ManualClock clock;
            SandboxOptions so;
            so.idle_timeout_s = 60;
            so.countdown_s = 20;
            Sandbox sb(so);
            AppOptions ao;
            ao.config_path = sb.config_path();
            ao.windowed = true;
            ao.width = width;
            ao.height = height;
            ao.clock = &clock;
            ao.systemd = false;
            ao.quiet = true;
            App app(ao);
            app.set_theme_high_contrast(theme == 1);
            Tour t{app, dir, prefix, 0, 0, "", true};
            if (theme == 0) t.sound_lang = std::string(to_string(lang));
            Flow& f = *app.flow();
            t.tap(lang == Language::en ? "attract:lang:en" : "attract:lang:id");
            t.shot("attract");
            t.go(intent::Start{});
            t.shot("language");
            t.go(intent::ChooseLanguage{lang});
            t.shot("classification");
            t.go(intent::ChooseClassification{Classification::complaint});
            t.shot("agency-empty");
            t.go(intent::ChooseAgency{"dishub"});
            t.go(intent::ChooseCategory{"dishub-parkir-liar"});
            t.shot("agency");
            t.tap("field:search");
            t.shot("agency-search-keyboard");
            const std::string typo = lang == Language::en ? "garbgae" : "sampha";
            for (char c : typo) t.tap(std::string("key:") + c);
            t.shot("agency-search-results");
            for (std::size_t i = 0; i < typo.size(); ++i) t.tap("key:backspace");
            t.tap("key:close");
            t.go(intent::Next{});
            t.go(intent::Next{});
            t.shot("text-problems");
            t.go(intent::Type{Field::title, "Parkir liar di depan Pasar Baru"});
            t.go(intent::Type{Field::body,
                              "Setiap pagi mobil parkir di bahu jalan depan pasar sehingga "
                              "angkot tidak bisa berhenti dan jalan macet sampai jam sembilan."});
            t.shot("text");
            t.tap("field:body");
            t.shot("text-keyboard");
            t.tap("key:page");
            t.shot("text-keyboard-symbols");
            t.tap("key:close");
            t.go(intent::Next{});
            t.go(intent::Type{Field::location, "Jl. Pasar Baru No. 1, Sawah Besar"});
            t.shot("date-location");
            t.go(intent::Next{});
            t.go(intent::ChoosePrivacy{Privacy::anonymous});
            t.shot("privacy");
            t.tap("help");  // Bantuan, over the privacy screen
            t.shot("help");
            t.tap("help:close");
            t.go(intent::Next{});
            t.go(intent::ChooseConsent{true});
            t.shot("consent");
            t.go(intent::Next{});
            t.go(intent::Type{Field::name, "Siti Rahayu"});
            t.go(intent::Type{Field::phone, "0812345"});
            t.go(intent::Next{});
            t.shot("contact-problem");
            t.go(intent::Type{Field::phone, "0812-3456-7890"});
            t.tap("field:nik");
            t.shot("contact-numeric-pad");
            t.tap("key:close");
            t.go(intent::Next{});
            t.shot("review");
            t.tap("cancel");  // Batal asks first
            t.shot("cancel-confirm");
            t.tap("cancel:keep");
            clock.advance(static_cast<std::int64_t>(so.idle_timeout_s * 1000) + 10);
            app.settle();
            clock.advance(4000);
            app.settle();
            t.shot("countdown");
            t.tap("still_here");
            t.go(intent::Submit{});
            t.shot("receipt");
            app.set_print_failure_for_tour("paper out");
            t.shot("receipt-print-failed");
            t.go(intent::Done{});
            app.set_theme_high_contrast(theme == 1);  // the wipe gave the next citizen defaults
            (void)f;
            // Staff mode, in the tour's language (its screens have no text-size button)
            t.also_150 = false;
            add_upload_outcomes(sb, clock);
            t.hold_corner(clock);
            t.tap(lang == Language::en ? "lang:en" : "lang:id");
            t.shot("staff-pin");
            for (const char* c = Sandbox::staff_pin; *c; ++c) t.tap(std::string("key:") + *c);
            t.tap("key:close");
            t.shot("staff-verify");
            t.tap("staff:queue");
            t.shot("staff-queue");
            t.tap("staff:printer");
            t.shot("staff-printer");
            t.tap("staff:diagnostics");
            t.shot("staff-diagnostics");
            t.tap("staff:exit");
            app.set_theme_high_contrast(theme == 1);  // leaving staff mode wiped it too
            t.also_150 = true;
            // The status check: empty, typing, the answer, a typo, another kiosk's code, then a
            // report in each other state it tells apart, and a code of this kiosk it lacks.
            const auto codes = add_status_reports(sb, clock);
            clock.advance(2 * 3600 * 1000);  // lapor-sync asked two hours ago
            t.tap(lang == Language::en ? "attract:lang:en" : "attract:lang:id");
            t.tap("status:open");
            t.shot("status");
            auto type_code = [&](const std::string& c) {
                for (char ch : c) t.tap(std::string("key:") + ch);
            };
            auto clear_code = [&] {
                for (int i = 0; i < 13; ++i) t.tap("key:backspace");
            };
            const auto found = codes.find("found");
            const std::string raw = found == codes.end() ? "" : code_characters(found->second);
            if (raw.size() == 13) {
                type_code(raw.substr(0, 6));
                t.shot("status-typing");
                type_code(raw.substr(6));
                t.tap("status:check");
                t.shot("status-found");
                t.tap("key:backspace");
                type_code(raw[12] == 'A' ? "B" : "A");
                t.tap("status:check");
                t.shot("status-mistyped");
                clear_code();
            }
            std::string other = "BD027K3M9QX2";
            other += tracking_check_char(other);
            type_code(other);
            t.tap("status:check");
            t.shot("status-other-kiosk");
            clear_code();
            for (const char* state : {"done", "held", "conflict", "waiting"}) {
                const auto it = codes.find(state);
                if (it == codes.end()) continue;
                type_code(code_characters(it->second));
                t.tap("status:check");
                t.shot(std::string("status-") + state);
                clear_code();
            }
            if (raw.size() == 13) {  // this kiosk's prefix, a code its store never had
                std::string missing = raw.substr(0, 4) + "ZZZZZZZZ";
                missing += tracking_check_char(missing);
                type_code(missing);
                t.tap("status:check");
                t.shot("status-not-found");
                clear_code();
            }
            t.tap("back");
            written += t.written;
        }
        // Out of service (its text is in both languages at once).
        ManualClock clock;
        AppOptions ao;
        ao.config_path = "/nonexistent/lapor-kiosk/kiosk.toml";
        ao.windowed = true;
        ao.width = width;
        ao.height = height;
        ao.clock = &clock;
        ao.systemd = false;
        ao.quiet = true;
        App app(ao);
        app.set_theme_high_contrast(theme == 1);
        Tour t{app, dir, std::string(theme ? "contrast" : "standard") + "-both", 0, 0, "", false};
        t.shot("out-of-service");
        written += t.written;
    }
    return written;
}

}  // namespace lapor::ui
