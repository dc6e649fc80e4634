// A throwaway kiosk under a fresh temporary folder: config, device key, national key pair and a
// staff PIN. For the screenshot tour, the benchmark and the UI tests (never for a real kiosk).
#pragma once
#include <string>

#include "crypto.h"

namespace lapor::ui {

struct SandboxOptions {
    std::string printer_transport;  // empty: file:<dir>/printer.out
    double idle_timeout_s = 90;
    double countdown_s = 20;
    double receipt_screen_s = 60;
    int lockout_after = 5;
    double lockout_s = 300;
    double staff_timeout_s = 120;
    std::string extra_toml;  // appended verbatim (tests break the config with it)
};

class Sandbox {
public:
    explicit Sandbox(const SandboxOptions& o = {});
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    const std::string& dir() const { return dir_; }
    const std::string& config_path() const { return config_path_; }
    const KeyPair& national_key() const { return national_; }
    static constexpr const char* staff_pin = "246810";

private:
    std::string dir_;
    std::string config_path_;
    KeyPair national_;
};

}  // namespace lapor::ui
