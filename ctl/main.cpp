// kioskctl: the technician's and staff's command line. Parses the global options and hands the
// rest to one command.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"
#include "crypto.h"
#include "run_as.h"
#include "version.h"

namespace {

constexpr const char* usage_text = R"(usage: kioskctl [--config FILE] [--json] COMMAND [ARGS]

commands:
  keygen                 create the device key if absent (never overwrites)
  verify URL [--pubkey FILE | --keyring FILE] [--verify-base URL]
                         check a receipt QR link: genuine, or why not
  verify-page --keyring FILE [--office NAME] --out verify.html
                         write the staff desk's offline verify page (one HTML file)
  keyring export [--into FILE] [--out FILE] SOURCE...
                         gather an office keyring from device.pub files and records
  status [TRACKING]      queue counts, last upload, printer; or one report
  set-pin                read a new staff PIN (6-12 digits) from stdin, store its hash
  demo [--dir DIR] [--no-services] [--headless] [--lab-port N] [--printer-port N]
                         the demo kiosk under ./var/demo: sample reports, then the lab,
                         virtual printer, sync worker and UI that are built
  print-test [--wait S]  print a test page on the configured printer, report its status
  receipt-preview [--profile NAME] --out FILE.png [--escpos FILE.bin] [--lang id|en] [--copy]
                         render a sample receipt as the printer would print it
  enroll --code CODE     enroll this kiosk with the national endpoint
  sync-now [--pid-file FILE]
                         wake lapor-sync to upload and refresh at once
  requeue TRACKING | --held | --rejected
                         put reports the national API refused back in the upload queue
                         (after fixing the cause; audited)
  provision ...          write a site's signed provisioning bundle (kioskctl provision --help)
  authority-keygen --out DIR
                         create the provisioning authority's key pair (kept offline)
  metrics [--exporter-args]
                         the kiosk's metrics in the Prometheus text format
  doctor                 check config, keys, enrollment, clock, disk, database, printer,
                         display, UI, the endpoint and updates; exit 1 if any check fails
  update FILE|URL        install a signed update bundle into the other root slot
                         (--timer: what lapor-update.timer runs; docs/technician.md)
  health [--wait S]      the boot health check that keeps or rolls back a new version
  hostname               the hostname this kiosk takes from its kiosk id

--config FILE   the kiosk config (default: $LAPOR_KIOSK_CONFIG or /etc/lapor-kiosk/kiosk.toml)
--json          print data as JSON
--version       print the version and exit
exit codes: 0 ok, 1 check failed / not genuine, 2 usage error, 3 environment error
)";

}  // namespace

int main(int argc, char** argv) {
    using namespace lapor::ctl;
    if (lapor::print_version_if_asked(argc, argv, "kioskctl")) return ok;
    Globals g;
    std::vector<std::string> rest;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--config") {
            if (++i >= argc) {
                std::cerr << "kioskctl: --config needs a file\n" << usage_text;
                return usage;
            }
            g.config_path = argv[i];
        } else if (a == "--json") {
            g.json = true;
        } else if (rest.empty() && (a == "-h" || a == "--help" || a == "help")) {
            std::cout << usage_text;
            return ok;
        } else {
            rest.push_back(a);
        }
    }
    if (rest.empty()) {
        std::cerr << usage_text;
        return usage;
    }
    const std::string cmd = rest.front();
    rest.erase(rest.begin());
    try {
        lapor::crypto_init();
        // Run as root, commands that touch the database or the upload token do so as the service
        // user: SQLite and the token write then cannot be pointed at root's files through a
        // link a service user planted in the data folder (docs/technician.md).
        if (cmd == "status" || cmd == "doctor" || cmd == "requeue") drop_to(lapor::Service::kiosk);
        if (cmd == "enroll") drop_to(lapor::Service::sync);
        if (cmd == "keygen") return cmd_keygen(g, rest);
        if (cmd == "verify") return cmd_verify(g, rest);
        if (cmd == "verify-page") return cmd_verify_page(g, rest);
        if (cmd == "keyring") return cmd_keyring(g, rest);
        if (cmd == "status") return cmd_status(g, rest);
        if (cmd == "set-pin") return cmd_set_pin(g, rest);
        if (cmd == "demo") return cmd_demo(g, rest);
        if (cmd == "print-test") return cmd_print_test(g, rest);
        if (cmd == "receipt-preview") return cmd_receipt_preview(g, rest);
        if (cmd == "enroll") return cmd_enroll(g, rest);
        if (cmd == "sync-now") return cmd_sync_now(g, rest);
        if (cmd == "requeue") return cmd_requeue(g, rest);
        if (cmd == "provision") return cmd_provision(g, rest);
        if (cmd == "authority-keygen") return cmd_authority_keygen(g, rest);
        if (cmd == "doctor") return cmd_doctor(g, rest);
        if (cmd == "update") return cmd_update(g, rest);
        if (cmd == "health") return cmd_health(g, rest);
        if (cmd == "hostname") return cmd_hostname(g, rest);
        if (cmd == "metrics") return cmd_metrics(g, rest);
    } catch (const std::exception& e) {
        std::cerr << "kioskctl " << cmd << ": " << e.what() << "\n";
        return environment;
    }
    std::cerr << "kioskctl: unknown command \"" << cmd << "\"\n" << usage_text;
    return usage;
}
