#include "sandbox.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "identity.h"

namespace lapor::ui {

Sandbox::Sandbox(const SandboxOptions& o) {
    crypto_init();
    std::string tmpl = (std::filesystem::temp_directory_path() / "lapor-ui-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a temporary folder");
    dir_ = tmpl;
    national_ = x25519_generate();
    const std::string data = dir_ + "/data";
    std::filesystem::create_directories(data + "/identity");
    create_device_key(data + "/identity/device.key");
    const std::string transport =
        o.printer_transport.empty() ? "file:" + dir_ + "/printer.out" : o.printer_transport;
    config_path_ = dir_ + "/kiosk.toml";
    std::ofstream f(config_path_);
    f << "[kiosk]\nid = \"JKT-PUSAT-01\"\ncode_prefix = \"JK01\"\n"
      << "office = \"Kantor Walikota Jakarta Pusat\"\ndata_dir = \"" << data << "\"\n\n"
      << "[display]\nfullscreen = false\n\n"
      << "[session]\nidle_timeout_s = " << o.idle_timeout_s << "\ncountdown_s = " << o.countdown_s
      << "\nreceipt_screen_s = " << o.receipt_screen_s << "\n\n"
      << "[staff]\npin_hash = \"" << argon2id_hash(staff_pin)
      << "\"\nlockout_after = " << o.lockout_after << "\nlockout_s = " << o.lockout_s
      << "\ntimeout_s = " << o.staff_timeout_s << "\n\n"
      << "[printer]\ntransport = \"" << transport << "\"\nstatus_timeout_ms = 300\n\n"
      << "[upload]\nendpoint = \"https://127.0.0.1:1/kiosk\"\nnational_key = \""
      << base64_encode(national_.public_key) << "\"\nnational_key_id = \"2026-01\"\n"
      << o.extra_toml;
}

Sandbox::~Sandbox() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

}  // namespace lapor::ui
