// `kioskctl print-test` and `kioskctl receipt-preview` (receipt printing, issue #3).
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <charconv>
#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "catalog.h"
#include "clock.h"
#include "commands.h"
#include "config.h"
#include "demo.h"
#include "escpos.h"
#include "i18n.h"
#include "identity.h"
#include "print_service.h"
#include "profile.h"
#include "receipt.h"
#include "receipt_layout.h"
#include "render.h"
#include "share.h"
#include "tracking.h"

namespace lapor::ctl {
namespace {

using nlohmann::json;

// A whole decimal number of seconds, 1 or more ("5s", "", "0" are not).
std::optional<int> seconds_from(const std::string& s) {
    int v = 0;
    const char* end = s.data() + s.size();
    const auto [p, ec] = std::from_chars(s.data(), end, v);
    if (s.empty() || ec != std::errc() || p != end || v < 1) return std::nullopt;
    return v;
}

bool exists(const std::string& p) { return ::access(p.c_str(), F_OK) == 0; }

}  // namespace

int cmd_receipt_preview(const Globals& g, const std::vector<std::string>& args) {
    std::string profile_name, out_png, out_bin, lang_text = "id";
    bool copy = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](std::string& into) {
            if (i + 1 >= args.size()) return false;
            into = args[++i];
            return true;
        };
        if (a == "--profile") {
            if (!value(profile_name)) return usage_error("--profile needs a profile name");
        } else if (a == "--out") {
            if (!value(out_png)) return usage_error("--out needs a PNG file name");
        } else if (a == "--escpos") {
            if (!value(out_bin)) return usage_error("--escpos needs a file name");
        } else if (a == "--lang") {
            if (!value(lang_text)) return usage_error("--lang needs id or en");
        } else if (a == "--copy") {
            copy = true;
        } else {
            return usage_error("receipt-preview: unknown argument " + a +
                               " (usage: receipt-preview [--profile NAME] --out FILE.png "
                               "[--escpos FILE.bin] [--lang id|en] [--copy])");
        }
    }
    if (out_png.empty()) return usage_error("receipt-preview needs --out FILE.png");
    const auto lang = language_from(lang_text);
    if (!lang) return usage_error("--lang must be id or en");

    std::string config_path = g.config_path.empty() ? default_config_path() : g.config_path;
    const bool demo = g.config_path.empty() && !exists(config_path);
    if (demo) {
        config_path = ensure_demo_config("var/demo");
        std::cerr << "no kiosk config at " << default_config_path()
                  << ": using the demo kiosk in var/demo\n";
    }
    const Config c = load_config(config_path);
    if (demo) {
        KeyringEntry entry;
        keygen(c, entry);
    } else if (!exists(c.device_key_path())) {
        std::cerr << "kioskctl receipt-preview: there is no device key at " << c.device_key_path()
                  << ": run `kioskctl keygen` first\n";
        return environment;
    }
    KeyPair device = load_device_key(c.device_key_path());

    const printer::Profile profile =
        printer::load_profile(profile_name.empty() ? c.printer.profile : profile_name);
    const Catalog catalog = Catalog::load_file(default_catalog_path());
    const Agency& agency = catalog.agencies().front();

    SystemClock clock;
    printer::ReceiptJob job;
    PreparedReport& r = job.report;
    r.tracking = new_tracking_code(c.kiosk.code_prefix);
    r.kiosk_id = c.kiosk.id;
    r.created_unix = clock.now_ms() / 1000;
    r.classification = Classification::complaint;
    r.agency_id = agency.id;
    r.category_id = agency.categories.front().id;
    r.privacy = Privacy::anonymous;
    r.language = *lang;
    const ReceiptFields fields{r.tracking, r.kiosk_id, r.created_unix, r.classification};
    r.signature = sign_receipt(fields, device.secret_key);
    secure_clear(device.secret_key);
    r.qr_url = receipt_url(c.receipt.verify_base, fields, r.signature);
    job.agency_name = agency.name.in(*lang);
    job.category_name = agency.categories.front().name.in(*lang);
    job.copy = copy;

    const Messages messages = Messages::load_dir(po_dir());
    const printer::ReceiptContext ctx{c.kiosk.office, c.time_zone(), &messages};
    const std::string bytes = printer::encode(printer::receipt_document(job, ctx), profile);
    const printer::Bitmap image = printer::render_escpos(bytes, profile);
    printer::write_png(image, out_png);
    if (!out_bin.empty()) {
        std::ofstream f(out_bin, std::ios::binary | std::ios::trunc);
        f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!f.flush()) {
            std::cerr << "kioskctl receipt-preview: cannot write " << out_bin << "\n";
            return environment;
        }
    }
    if (g.json) {
        std::cout << json{{"png", out_png},
                          {"escpos", out_bin.empty() ? json(nullptr) : json(out_bin)},
                          {"profile", profile.name},
                          {"bytes", bytes.size()},
                          {"width", image.width},
                          {"height", image.height},
                          {"tracking", r.tracking},
                          {"url", r.qr_url},
                          {"config", config_path}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << "sample receipt for profile " << profile.name << " (" << profile.dots
                  << " dots, " << profile.columns << " columns)\n  preview  " << out_png << " ("
                  << image.width << " x " << image.height << " dots)\n";
        if (!out_bin.empty())
            std::cout << "  ESC/POS  " << out_bin << " (" << bytes.size() << " bytes)\n";
        std::cout << "  QR link  " << r.qr_url << "\ncheck it: kioskctl verify '" << r.qr_url
                  << "' --pubkey " << c.device_pub_path() << "\n";
    }
    return ok;
}

int cmd_print_test(const Globals& g, const std::vector<std::string>& args) {
    int wait_s = 30;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--wait") {
            const auto s = i + 1 < args.size() ? seconds_from(args[++i]) : std::nullopt;
            if (!s) return usage_error("--wait needs a whole number of seconds (1 or more)");
            wait_s = *s;
        } else {
            return usage_error("print-test: unknown argument " + args[i] +
                               " (usage: print-test [--wait SECONDS])");
        }
    }
    const Config c = config_of(g);
    SystemClock clock;
    auto service = printer::start_print_service(c, clock);
    const printer::JobId id = service->submit_test_page();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_s);
    std::optional<printer::JobOutcome> outcome;
    while (!(outcome = service->poll(id))) {
        if (std::chrono::steady_clock::now() > deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!outcome) {
        outcome = printer::JobOutcome{
            printer::JobResult::unknown, printer::PrinterState::unknown,
            "the test page did not finish within " + std::to_string(wait_s) + " s"};
    }
    const bool printed = outcome->result == printer::JobResult::printed ||
                         outcome->result == printer::JobResult::printed_unconfirmed;
    if (g.json) {
        std::cout << json{{"result", printer::to_string(outcome->result)},
                          {"state", printer::to_string(outcome->state)},
                          {"detail", outcome->detail},
                          {"profile", c.printer.profile},
                          {"transport", c.printer.transport}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << "printer " << c.printer.transport << " (profile " << c.printer.profile
                  << ")\n  test page: " << printer::to_string(outcome->result)
                  << "\n  printer state: " << printer::to_string(outcome->state) << "\n";
        if (!outcome->detail.empty()) std::cout << "  " << outcome->detail << "\n";
    }
    if (printed) return ok;  // printed, or unconfirmed: the detail says what to check
    return outcome->result == printer::JobResult::unknown ||
                   outcome->result == printer::JobResult::offline
               ? environment
               : check_failed;
}

}  // namespace lapor::ctl
