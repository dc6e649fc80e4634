// The running half of `kioskctl demo`: the lab national endpoint, the virtual printer, the sync
// worker and the touch UI, each started only if it is built, all stopped when the demo ends.
// Logs go to <demo>/logs/. With a display the demo lasts as long as the UI window; without one
// it waits for the sample reports to upload, shows their status, and says how to see the UI.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "clock.h"
#include "commands.h"
#include "config.h"
#include "demo.h"
#include "identity.h"
#include "process.h"
#include "store.h"

namespace lapor::ctl {
namespace {

namespace fs = std::filesystem;

// The port at the end of "https://127.0.0.1:18443" or "tcp:127.0.0.1:19100"; 0 if none.
int port_of(const std::string& s) {
    const auto colon = s.rfind(':');
    if (colon == std::string::npos) return 0;
    const int p = std::atoi(s.c_str() + colon + 1);
    return p > 0 && p <= 65535 ? p : 0;
}

volatile sig_atomic_t stop_requested = 0;

void request_stop(int) { stop_requested = 1; }

bool have_display() {
    const char* driver = std::getenv("SDL_VIDEODRIVER");
    if (driver && *driver) return true;  // the caller chose (dummy, offscreen, kmsdrm, ...)
    for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY"}) {
        const char* d = std::getenv(v);
        if (d && *d) return true;
    }
    return false;
}

// Runs `argv` and returns its first output line (the enrollment code lapor-lab issues).
std::optional<std::string> first_line_of(const std::vector<std::string>& argv,
                                         const std::string& log) {
    const std::string out = log + ".out";
    Child c = Child::start(argv[0], argv, out);
    const auto code = c.wait(10000);
    if (!code || *code != 0) return std::nullopt;
    std::ifstream in(out);
    std::string line;
    std::getline(in, line);
    std::ofstream(log, std::ios::app) << line << "\n";
    fs::remove(out);
    if (line.empty()) return std::nullopt;
    return line;
}

// Prints each receipt through the real print service, as the UI does after a submit.
void print_receipts(const Config& c, const std::vector<printer::ReceiptJob>& jobs) {
    SystemClock clock;
    auto service = printer::start_print_service(c, clock);
    for (const auto& job : jobs) {
        const auto id = service->submit_receipt(job);
        std::optional<printer::JobOutcome> outcome;
        for (int i = 0; i < 300 && !(outcome = service->poll(id)); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::cout << "receipt " << job.report.tracking << ": "
                  << (outcome ? std::string(printer::to_string(outcome->result)) +
                                    (outcome->detail.empty() ? "" : " (" + outcome->detail + ")")
                              : std::string("no answer within 15 s"))
                  << "\n";
    }
}

void show_reports(const Config& c, const std::vector<printer::ReceiptJob>& jobs) {
    SystemClock clock;
    auto store = open_store(c.db_path(), clock, OpenMode::existing);
    for (const auto& job : jobs) {
        const auto v = store->find_by_tracking(job.report.tracking);
        if (!v) continue;
        std::cout << "  " << job.report.tracking << "  " << to_string(v->state);
        if (!v->national_id.empty()) std::cout << " as " << v->national_id;
        if (!v->history.empty()) std::cout << ", status " << v->history.back().status;
        if (!v->last_error.empty()) std::cout << ", last error: " << v->last_error;
        std::cout << "\n";
    }
}

void wait_for_uploads(const Config& c, int timeout_s) {
    SystemClock clock;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    QueueCounts counts;
    for (;;) {
        counts = open_store(c.db_path(), clock, OpenMode::existing)->counts();
        const int unsent =
            counts.by_state[OutboxState::queued] + counts.by_state[OutboxState::sending];
        if (unsent == 0 || std::chrono::steady_clock::now() >= until) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    std::cout << "upload queue:";
    for (const auto& [state, n] : counts.by_state) std::cout << " " << to_string(state) << " " << n;
    std::cout << "\n";
}

}  // namespace

int run_demo_services(const Config& c, const std::string& config_path, const std::string& dir,
                      const DemoOptions& opt) {
    const std::string lab = dir + "/lab";
    const std::string logs = dir + "/logs";
    const int lab_port = port_of(c.upload.endpoint);
    const int printer_port = port_of(c.printer.transport);
    if (lab_port == 0 || printer_port == 0 || c.printer.transport.rfind("tcp:127.0.0.1:", 0) != 0) {
        std::cerr << "kioskctl demo: " << config_path
                  << " must keep the demo's loopback endpoint (https://127.0.0.1:PORT) and "
                     "printer (tcp:127.0.0.1:PORT); delete it to get a new one\n";
        return usage;
    }
    fs::create_directories(logs);
    fs::create_directories(dir + "/printer");
    std::vector<std::string> missing;
    std::vector<Child> services;

    // The lab national endpoint, and an enrollment code for this kiosk unless it has a token.
    if (const auto labp = find_program("lapor-lab")) {
        services.push_back(
            Child::start("lapor-lab",
                         {*labp, "serve", "--dir", lab, "--listen",
                          "127.0.0.1:" + std::to_string(lab_port), "--cert", lab + "/server.pem",
                          "--key", lab + "/server.key", "--national-key", lab + "/national.key",
                          "--key-id", c.upload.national_key_id, "--advance-every", "30", "--quiet"},
                         logs + "/lapor-lab.log"));
        if (!wait_for_port(lab_port, 10000)) {
            std::cerr << "kioskctl demo: lapor-lab did not start listening on 127.0.0.1:"
                      << lab_port << "; its words are in " << logs << "/lapor-lab.log\n";
            return environment;
        }
        if (::access(c.token_path().c_str(), F_OK) != 0 &&
            ::access(c.enroll_code_path().c_str(), F_OK) != 0) {
            const auto code =
                first_line_of({*labp, "issue-code", "--dir", lab, "--kiosk", c.kiosk.id},
                              logs + "/lapor-lab.log");
            if (!code) {
                std::cerr << "kioskctl demo: lapor-lab issue-code failed; see " << logs
                          << "/lapor-lab.log\n";
                return environment;
            }
            write_private_file(c.enroll_code_path(), *code + "\n", 0600);
        }
        std::cout << "lab national endpoint  https://127.0.0.1:" << lab_port << " (lapor-lab)\n";
    } else {
        missing.push_back("lapor-lab, the lab national endpoint (issue #4)");
    }

    if (const auto vp = find_program("lapor-vprinter")) {
        services.push_back(
            Child::start("lapor-vprinter",
                         {*vp, "--listen", "127.0.0.1:" + std::to_string(printer_port), "--mode",
                          "ok", "--record", dir + "/printer"},
                         logs + "/lapor-vprinter.log"));
        if (wait_for_port(printer_port, 5000))
            std::cout << "virtual printer        127.0.0.1:" << printer_port << ", receipts in "
                      << dir << "/printer/\n";
    } else {
        missing.push_back("lapor-vprinter, the virtual receipt printer (issue #3)");
    }

    if (const auto sp = find_program("lapor-sync")) {
        services.push_back(Child::start(
            "lapor-sync", {*sp, "--config", config_path, "--pid-file", dir + "/lapor-sync.pid"},
            logs + "/lapor-sync.log"));
        std::cout << "sync worker            lapor-sync (log " << logs << "/lapor-sync.log)\n";
    } else {
        missing.push_back("lapor-sync, the upload worker (issue #4)");
    }

    const auto ui = find_program("lapor-kiosk");
    if (!ui) missing.push_back("lapor-kiosk, the touch screen UI (issue #5)");
    if (!missing.empty()) {
        std::cout << "\nnot built yet:\n";
        for (const auto& m : missing) std::cout << "  - " << m << "\n";
    }

    int code = ok;
    if (ui && opt.ui && have_display()) {
        std::cout << "\nthe kiosk window is open; close it (or press Ctrl+C here) to end the "
                     "demo.\n";
        Child kiosk = Child::start("lapor-kiosk", {*ui, "--windowed", "--config", config_path},
                                   logs + "/lapor-kiosk.log");
        // Ctrl+C or SIGTERM ends the demo: everything it started is stopped, nothing is orphaned.
        stop_requested = 0;
        struct sigaction sa {};
        sa.sa_handler = request_stop;
        ::sigaction(SIGINT, &sa, nullptr);
        ::sigaction(SIGTERM, &sa, nullptr);
        std::optional<int> exit;
        while (!(exit = kiosk.wait(200)) && !stop_requested) {
        }
        if (!exit) {
            std::cout << "stopping the demo...\n";
            exit = kiosk.stop();
            if (*exit == 128 + SIGTERM) exit = 0;
        }
        if (exit && *exit != 0) {
            std::cerr << "kioskctl demo: lapor-kiosk ended with code " << *exit << "; see " << logs
                      << "/lapor-kiosk.log\n";
            code = environment;
        }
    } else {
        if (ui && opt.ui) {
            std::cout << "\nno display here, so the kiosk window cannot open. To see it:\n"
                         "  xvfb-run -a -s '-screen 0 1280x800x24' make run   (a virtual "
                         "screen; add a VNC viewer or use --screenshot-tour to look)\n"
                         "  or run `make run` from a desktop session.\n";
        }
        if (find_program("lapor-vprinter") && !opt.receipts.empty()) {
            std::cout << "\nprinting the samples' receipts on the virtual printer:\n";
            print_receipts(c, opt.receipts);
        }
        if (find_program("lapor-sync") && find_program("lapor-lab")) {
            std::cout << "\nwaiting up to 30 s for the sample reports to upload...\n";
            wait_for_uploads(c, 30);
            show_reports(c, opt.receipts);
        }
    }
    for (auto it = services.rbegin(); it != services.rend(); ++it) it->stop();
    std::cout << "demo stopped; everything it made is in " << dir << "/\n";
    return code;
}

}  // namespace lapor::ctl
