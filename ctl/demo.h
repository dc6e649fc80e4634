// `kioskctl demo` internals shared by demo.cpp (the demo folder and samples) and
// demo_services.cpp (the lab, virtual printer, sync worker and UI it starts).
#pragma once
#include <string>
#include <vector>

#include "print_service.h"

namespace lapor {
struct Config;
}

namespace lapor::ctl {

struct DemoOptions {
    bool services = true;  // --no-services: only the folder and the sample reports
    bool ui = true;        // --headless: no lapor-kiosk even when there is a display
    // Ports written into a new demo config (--lab-port, --printer-port); an existing config's
    // endpoint and printer transport say where the services listen.
    int lab_port = 18443;
    int printer_port = 19100;
    // The sample reports' receipts, printed on the virtual printer when there is no UI.
    std::vector<printer::ReceiptJob> receipts;
};

// Starts what is built of lapor-lab, lapor-vprinter, lapor-sync and lapor-kiosk for the demo
// kiosk, runs the UI (or, headless, waits for the samples to upload), then stops them all.
// Returns an exit code; prints what is not built.
int run_demo_services(const Config& c, const std::string& config_path, const std::string& dir,
                      const DemoOptions& opt);

// The demo folder's config (with its national key pair), created when absent as `kioskctl demo`
// makes it; returns the config's path. Used by receipt-preview when there is no config.
std::string ensure_demo_config(const std::string& dir);

}  // namespace lapor::ctl
