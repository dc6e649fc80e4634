// lapor-vprinter: the virtual receipt printer for the demo and for trying transports by hand.
//   lapor-vprinter --listen 127.0.0.1:19100 [--mode MODE] [--record DIR] [--profile NAME]
//   lapor-vprinter --pty [--mode MODE]
// --record is TCP only: a pty has no connections to split the bytes into jobs, so
// `--pty --record` is refused (exit 2).
// Reads "mode MODE" lines on stdin to change what it answers while running; stops on SIGTERM,
// SIGINT or "quit".
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "profile.h"
#include "version.h"
#include "virtual_printer.h"

namespace {

constexpr const char* usage_text =
    "usage: lapor-vprinter --listen HOST:PORT [--mode MODE] [--record DIR] [--profile NAME]\n"
    "       lapor-vprinter --pty [--mode MODE]\n"
    "  MODE: ok, paper_near_end, paper_out, cover_open, offline, silent, disconnect\n"
    "  --record DIR   keep each connection's bytes as DIR/job-NNNN.bin and its rendering as\n"
    "                 DIR/job-NNNN.png (--profile NAME, default generic-80mm), numbered after\n"
    "                 the highest job-NNNN already in DIR; TCP only, not with --pty\n"
    "  stdin: \"mode MODE\" changes the mode, \"stats\" prints counters, \"quit\" stops\n";

// A TCP port: the whole text, 0-65535.
std::optional<int> parse_port(const std::string& s) {
    int v = -1;
    const char* end = s.data() + s.size();
    const auto [p, ec] = std::from_chars(s.data(), end, v);
    if (s.empty() || ec != std::errc() || p != end || v < 0 || v > 65535) return std::nullopt;
    return v;
}

volatile sig_atomic_t stop_flag = 0;
void on_signal(int) { stop_flag = 1; }

}  // namespace

int main(int argc, char** argv) {
    using namespace lapor::printer;
    if (lapor::print_version_if_asked(argc, argv, "lapor-vprinter")) return 0;
    std::string listen, record, profile = "generic-80mm";
    bool pty = false;
    VirtualMode mode = VirtualMode::ok;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--listen")
            listen = next();
        else if (a == "--pty")
            pty = true;
        else if (a == "--record")
            record = next();
        else if (a == "--profile")
            profile = next();
        else if (a == "--mode") {
            const auto m = virtual_mode_from(next());
            if (!m) {
                std::cerr << "lapor-vprinter: unknown mode\n" << usage_text;
                return 2;
            }
            mode = *m;
        } else if (a == "-h" || a == "--help") {
            std::cout << usage_text;
            return 0;
        } else {
            std::cerr << "lapor-vprinter: unknown argument " << a << "\n" << usage_text;
            return 2;
        }
    }
    if (pty == !listen.empty()) {
        std::cerr << usage_text;
        return 2;
    }
    if (pty && !record.empty()) {
        std::cerr << "lapor-vprinter: --record works only with --listen: a pty has no connections "
                     "to split its bytes into jobs. Record over TCP instead.\n";
        return 2;
    }
    std::optional<int> port;
    if (!pty) {
        const auto colon = listen.rfind(':');
        if (colon != std::string::npos) port = parse_port(listen.substr(colon + 1));
        if (!port) {
            std::cerr << "lapor-vprinter: --listen needs HOST:PORT with a port from 0 to 65535, "
                         "e.g. 127.0.0.1:19100\n";
            return 2;
        }
    }
    if (!record.empty() && !profile.empty()) {
        try {
            (void)load_profile(profile);
        } catch (const std::exception& e) {
            std::cerr << "lapor-vprinter: " << e.what() << "\n";
            return 2;
        }
    }
    if (!record.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(record, ec);
        if (ec) {
            std::cerr << "lapor-vprinter: cannot create " << record << ": " << ec.message() << "\n";
            return 3;
        }
    }
    VirtualPrinter::Options o;
    o.mode = mode;
    o.record_dir = record;
    o.profile = profile;
    std::unique_ptr<VirtualPrinter> vp;
    try {
        if (pty) {
            vp = VirtualPrinter::open_pty(o);
        } else {
            vp = VirtualPrinter::listen_tcp(listen.substr(0, listen.rfind(':')), *port, o);
        }
    } catch (const std::exception& e) {
        std::cerr << "lapor-vprinter: " << e.what() << "\n";
        return 3;
    }
    ::signal(SIGTERM, on_signal);
    ::signal(SIGINT, on_signal);
    std::cout << "lapor-vprinter: " << vp->transport() << " mode " << to_string(vp->mode())
              << (record.empty() ? "" : ", recording to " + record) << std::endl;
    // Started in the background of a terminal, reading stdin would stop us (SIGTTIN).
    bool stdin_open = !(::isatty(0) && ::tcgetpgrp(0) != ::getpgrp());
    std::string line;
    while (!stop_flag) {
        pollfd p{0, POLLIN, 0};
        if (!stdin_open || ::poll(&p, 1, 200) <= 0) {
            if (!stdin_open) ::usleep(200 * 1000);
            continue;
        }
        if (!std::getline(std::cin, line)) {
            stdin_open = false;  // started in the background: keep running until a signal
            continue;
        }
        if (line == "quit") break;
        if (line == "stats") {
            std::cout << "connections " << vp->connections() << ", printed " << vp->printed()
                      << ", bytes " << vp->received().size() << ", mode " << to_string(vp->mode())
                      << std::endl;
        } else if (line.rfind("mode ", 0) == 0) {
            if (const auto m = virtual_mode_from(line.substr(5))) {
                vp->set_mode(*m);
                std::cout << "mode " << to_string(*m) << std::endl;
            } else {
                std::cout << "unknown mode " << line.substr(5) << std::endl;
            }
        } else if (!line.empty()) {
            std::cout << "commands: mode MODE, stats, quit" << std::endl;
        }
    }
    return 0;
}
