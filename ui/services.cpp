#include "services.h"

#include <cstdio>
#include <filesystem>

#include "crypto.h"
#include "doctor.h"
#include "identity.h"
#include "share.h"
#include "startup_trace.h"
#include "transport.h"

namespace lapor::ui {

void Services::boot(const std::string& config_path, const Clock& clock) {
    try {
        messages = Messages::load_dir(po_dir());
        messages_loaded = true;
        startup_trace().mark("messages");
    } catch (const std::exception& e) {
        oos_error = std::string("message catalogs: ") + e.what();
        return;
    }
    try {
        config = load_config(config_path.empty() ? default_config_path() : config_path);
        crypto_init();
        startup_trace().mark("config");
        const Config& c = *config;
        std::filesystem::create_directories(c.kiosk.data_dir);
        store = open_store(c.db_path(), clock);
        startup_trace().mark("store");
        const KeyPair device = load_device_key(c.device_key_path());
        keyring.add(KeyringEntry{c.kiosk.id, c.kiosk.code_prefix, device.public_key});
        startup_trace().mark("device_key");
        if (auto stored = store->current_catalog())
            catalog = std::make_unique<Catalog>(Catalog::parse(stored->json));
        else
            catalog = std::make_unique<Catalog>(Catalog::load_file(default_catalog_path()));
        startup_trace().mark("catalog");
        submitter.emplace(*store, SubmitContext::from(c, device), clock);
        FlowSettings fs;
        fs.idle_timeout_ms = static_cast<std::int64_t>(c.session.idle_timeout_s * 1000);
        fs.countdown_ms = static_cast<std::int64_t>(c.session.countdown_s * 1000);
        fs.receipt_screen_ms = static_cast<std::int64_t>(c.session.receipt_screen_s * 1000);
        fs.time_zone = c.time_zone();
        // [ui] languages against the installed .po files: a code without its file stops here,
        // with the key, the missing file and the installed codes (out of service).
        languages =
            offered_languages(installed_languages(po_dir()), c.ui.languages, c.source, po_dir());
        fs.default_language = Language(languages.front().code);
        flow = std::make_unique<Flow>(fs, clock, *catalog, [this](const ReportDraft& d) {
            return submitter->submit(d, *catalog);
        });
        StaffSettings ss;
        ss.pin_hash = c.staff.pin_hash;
        ss.lockout_after = c.staff.lockout_after;
        ss.lockout_s = c.staff.lockout_s;
        ss.timeout_s = c.staff.timeout_s;
        ss.verify_base = c.receipt.verify_base;
        staff = std::make_unique<StaffFlow>(ss, clock, store.get(), keyring, [this, &clock] {
            return run_core_checks(*config, *store, clock);
        });
        status = std::make_unique<StatusCheck>(
            StatusCheckSettings{c.kiosk.id, c.kiosk.code_prefix, c.receipt.verify_base},
            store.get(), keyring);
        startup_trace().mark("flows");
        try {
            printer_readable = printer::can_read(printer::parse_transport(c.printer.transport));
        } catch (const printer::TransportSpecError&) {
            printer_readable = true;  // a bad spec: its state (unknown) is reported as failed
        }
        printer = printer::start_print_service(c, clock);
        printer->request_status();
        startup_trace().mark("printer");
    } catch (const std::exception& e) {
        oos_error = e.what();
        flow.reset();
        staff.reset();
        status.reset();
        printer.reset();
    }
}

void Services::refresh_catalog() {
    if (!store || !flow || flow->screen() != Screen::attract) return;
    try {
        auto stored = store->current_catalog();
        if (!stored || stored->version == catalog->version()) return;
        auto fresh = std::make_unique<Catalog>(Catalog::parse(stored->json));
        flow->set_catalog(*fresh);
        catalog = std::move(fresh);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lapor-kiosk: keeping catalog %s: %s\n", catalog->version().c_str(),
                     e.what());
    }
}

printer::PrinterState Services::printer_state() const {
    return printer ? printer->state() : printer::PrinterState::unknown;
}

}  // namespace lapor::ui
