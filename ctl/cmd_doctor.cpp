// `kioskctl doctor`: the kiosk's health checks (kiosk/doctor.h) plus the ones only a CLI on the
// kiosk can make: endpoint reachability, printer, display and the touch screen program.
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "commands.h"
#include "config.h"
#include "crypto.h"
#include "doctor.h"
#include "endpoint_url.h"
#include "files.h"
#include "identity.h"
#include "print_service.h"
#include "process.h"
#include "profile.h"
#include "receipt.h"
#include "store.h"
#include "transport.h"

namespace lapor::ctl {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

bool exists(const std::string& p) { return ::access(p.c_str(), F_OK) == 0; }

// TCP connect to the endpoint's host and port within the config's connect timeout.
Check check_endpoint(const Config& c) {
    // Parsed as curl will parse it when lapor-sync connects (userinfo, loopback-only http).
    std::string problem;
    const auto url = sync::parse_endpoint(c.upload.endpoint, problem);
    if (!url)
        return {"endpoint", false, problem,
                "correct upload.endpoint in " + c.source +
                    " (docs/config.md), or provision the "
                    "kiosk again"};
    const std::string host = url->host, port = url->port;
    const std::string target = host + ":" + port;
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0)
        return {"endpoint", false, "cannot resolve " + host + ": " + ::gai_strerror(rc),
                "check the network and DNS (resolvectl status), and upload.endpoint"};
    const int timeout_ms = static_cast<int>(c.upload.connect_timeout_s * 1000);
    std::string error = "no address";
    bool connected = false;
    for (addrinfo* a = res; a && !connected; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) continue;
        if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0 || errno == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            if (::poll(&p, 1, timeout_ms) == 1) {
                int err = 0;
                socklen_t len = sizeof err;
                ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
                connected = err == 0;
                if (!connected) error = std::strerror(err);
            } else {
                error = "no answer within " + std::to_string(timeout_ms) + " ms";
            }
        } else {
            error = std::strerror(errno);
        }
        ::close(fd);
    }
    ::freeaddrinfo(res);
    if (!connected)
        return {"endpoint", false, "cannot connect to " + target + ": " + error,
                "check the network cable or Wi-Fi, a firewall or proxy (upload.proxy), and "
                "upload.endpoint"};
    return {"endpoint", true,
            "TCP connection to " + target +
                " works (TLS and the certificate are checked by lapor-sync; see enrollment)",
            ""};
}

Check check_printer(const Config& c, const Clock& clock) {
    const std::string where = c.printer.transport + " (" + c.printer.profile + ")";
    // The profile and transport first, each with its own message: a typo there is not a printer
    // fault, and the print service would only say "unknown".
    printer::Profile profile;
    try {
        profile = printer::load_profile(c.printer.profile);
    } catch (const std::exception& e) {
        return {"printer", false,
                "printer.profile \"" + c.printer.profile + "\" cannot be used: " + e.what(),
                "set printer.profile in kiosk.toml to a profile of " +
                    printer::default_profiles_path() + " and restart lapor-kiosk"};
    }
    printer::TransportSpec spec;
    try {
        spec = printer::parse_transport(c.printer.transport);
    } catch (const printer::TransportSpecError& e) {
        return {"printer", false,
                "printer.transport \"" + c.printer.transport + "\" cannot be used: " + e.what(),
                "set printer.transport in kiosk.toml (e.g. usb:/dev/usb/lp0, tcp:HOST:9100) "
                "and restart lapor-kiosk"};
    }
    // A CUPS queue, a file or a PNG preview never answers a status query: its state is unknown by
    // design, which is not a fault of the kiosk (docs/printing.md). Say so instead of failing.
    if (!printer::can_read(spec))
        return {"printer", true,
                c.printer.transport +
                    " is write-only: its paper and cover state cannot be "
                    "read (state unknown); print a test page to check it",
                ""};
    // Likewise a model whose profile says it does not answer status queries.
    if (!profile.status)
        return {"printer", true,
                "the " + c.printer.profile +
                    " profile says this printer model cannot report "
                    "its paper and cover state (state unknown) on " +
                    c.printer.transport + "; print a test page to check it",
                ""};
    auto service = printer::start_print_service(c, clock);
    service->request_status();
    // Wait for a reply a little longer than the printer is given, after the print service's
    // busy retry: the UI may hold the printer for a moment (PrintServiceOptions::busy_retry_ms).
    const int wait_ms =
        printer::PrintServiceOptions{}.busy_retry_ms + c.printer.status_timeout_ms + 700;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
    auto state = service->state();
    while (state == printer::PrinterState::unknown && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        state = service->state();
    }
    switch (state) {
        case printer::PrinterState::ok: return {"printer", true, "ready on " + where, ""};
        case printer::PrinterState::paper_near_end:
            return {"printer", true, "paper is running low on " + where, "load a new roll soon"};
        case printer::PrinterState::paper_out:
            return {"printer", false, "out of paper on " + where, "load a roll of paper"};
        case printer::PrinterState::cover_open:
            return {"printer", false, "the cover is open on " + where, "close the printer cover"};
        case printer::PrinterState::offline:
            return {"printer", false, "the printer is offline on " + where,
                    "check its power and cable, then run kioskctl print-test"};
        case printer::PrinterState::unknown: break;
    }
    return {"printer", false,
            "no status reply from " + where + " within " + std::to_string(wait_ms) + " ms",
            "check power, cable and printer.transport, then run kioskctl print-test"};
}

Check check_display() {
    for (const char* card : {"/dev/dri/card0", "/dev/dri/card1"}) {
        if (exists(card))
            return {"display", true,
                    std::string(card) + " is present (the UI draws through KMSDRM)", ""};
    }
    return {"display", false, "no DRM display device (/dev/dri/card0)",
            "check the screen cable and that the graphics driver loaded (dmesg | grep drm)"};
}

// Is the touch screen program running, and how much memory does it hold? (A process of the same
// user is visible even with the units' ProtectProc=invisible.)
Check check_kiosk_ui() {
    for (const auto& e :
         fs::directory_iterator("/proc", fs::directory_options::skip_permission_denied)) {
        const std::string pid = e.path().filename().string();
        if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
        const auto comm = read_text_file("/proc/" + pid + "/comm");
        if (!comm || *comm != "lapor-kiosk\n") continue;
        std::string rss = "?";
        std::istringstream status(read_text_file("/proc/" + pid + "/status").value_or(""));
        for (std::string line; std::getline(status, line);) {
            if (line.starts_with("VmRSS:")) {
                std::istringstream v(line.substr(6));
                long kib = 0;
                v >> kib;
                rss = std::to_string(kib / 1024);
            }
        }
        return {"kiosk_ui", true, "lapor-kiosk is running (pid " + pid + ", RSS " + rss + " MB)",
                ""};
    }
    return {"kiosk_ui", false, "lapor-kiosk is not running",
            "see systemctl status lapor-kiosk and journalctl -u lapor-kiosk"};
}

int cmd_doctor_impl(const Globals& g, const std::vector<std::string>& args) {
    if (!args.empty()) {
        std::cerr << "kioskctl doctor takes no arguments (use --config FILE, --json)\n";
        return usage;
    }
    const std::string path = g.config_path.empty() ? default_config_path() : g.config_path;
    std::vector<Check> checks;
    checks.push_back(check_config_file(path));
    SystemClock clock;
    if (checks.front().ok) {
        const Config c = load_config(path);
        checks.front() = check_config(c);
        std::unique_ptr<Store> store;
        std::string store_error;
        try {
            store = open_store(c.db_path(), clock, OpenMode::existing);
        } catch (const std::exception& e) {
            store_error = e.what();
        }
        if (store) {
            auto core = run_core_checks(c, *store, clock);
            checks.insert(checks.end(), core.begin() + 1, core.end());
        } else {
            for (auto& ch :
                 {check_provisioning(c), check_device_key(c), check_enrollment(c, nullptr),
                  check_clock(clock, nullptr), check_disk_space(c)})
                checks.push_back(ch);
            checks.push_back({"database", false, store_error,
                              "start the kiosk once (lapor-kiosk creates the database), or see "
                              "docs/technician.md"});
        }
        checks.push_back(check_printer(c, clock));
        checks.push_back(check_display());
        checks.push_back(check_kiosk_ui());
        checks.push_back(check_endpoint(c));
    } else {
        checks.push_back(check_clock(clock, nullptr));
        checks.push_back(check_display());
    }
    bool all_ok = true;
    for (const auto& ch : checks) all_ok = all_ok && ch.ok;
    if (g.json) {
        json list = json::array();
        for (const auto& ch : checks)
            list.push_back(
                {{"name", ch.name}, {"ok", ch.ok}, {"detail", ch.detail}, {"fix", ch.fix}});
        std::cout << json{{"ok", all_ok}, {"checks", list}}.dump(2) << "\n";
    } else {
        for (const auto& ch : checks) {
            std::cout << (ch.ok ? "ok    " : "FAIL  ") << ch.name << ": " << ch.detail;
            if (!ch.fix.empty()) std::cout << " -> " << ch.fix;
            std::cout << "\n";
        }
        std::cout << (all_ok ? "all checks passed\n"
                             : "some checks FAILED (see -> for what to do)\n");
    }
    return all_ok ? ok : check_failed;
}

}  // namespace

int cmd_doctor(const Globals& g, const std::vector<std::string>& args) {
    return cmd_doctor_impl(g, args);
}

}  // namespace lapor::ctl
