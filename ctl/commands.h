// kioskctl's commands. Each takes its parsed arguments and returns the process exit code:
// 0 ok, 1 check failed or not genuine, 2 usage error, 3 environment error.
#pragma once
#include <string>
#include <vector>

namespace lapor {
struct Config;
struct KeyringEntry;
}  // namespace lapor

namespace lapor::ctl {

enum Exit { ok = 0, check_failed = 1, usage = 2, environment = 3 };

struct Globals {
    std::string config_path;  // empty: the default path
    bool json = false;
};

// The config named by --config, or the default one. Throws like load_config.
Config config_of(const Globals& g);
// Prints "kioskctl: MSG" on stderr and returns the usage exit code.
int usage_error(const std::string& msg);

// Shared by keygen and demo: the data and identity folders, the device key and device.pub.
void ensure_identity_dir(const Config& c);
bool keygen(const Config& c, KeyringEntry& entry);  // true when the key was created now
// This kiosk's keyring line: its key, born when device.key was written, with the config's verify
// base, time zone and office (cmd_verify.cpp).
KeyringEntry own_keyring_entry(const Config& c, const std::string& public_key);

int cmd_keygen(const Globals& g, const std::vector<std::string>& args);
int cmd_verify(const Globals& g, const std::vector<std::string>& args);
int cmd_status(const Globals& g, const std::vector<std::string>& args);
int cmd_set_pin(const Globals& g, const std::vector<std::string>& args);
int cmd_demo(const Globals& g, const std::vector<std::string>& args);

// The staff desk (issue #16): cmd_verify.cpp, cmd_verify_page.cpp, cmd_keyring.cpp.
int cmd_verify_page(const Globals& g, const std::vector<std::string>& args);
int cmd_keyring(const Globals& g, const std::vector<std::string>& args);

// cmd_printer.cpp (receipt printing, issue #3)
int cmd_print_test(const Globals& g, const std::vector<std::string>& args);
int cmd_receipt_preview(const Globals& g, const std::vector<std::string>& args);
// cmd_sync.cpp (sync, issue #4)
int cmd_enroll(const Globals& g, const std::vector<std::string>& args);
int cmd_sync_now(const Globals& g, const std::vector<std::string>& args);
// cmd_requeue.cpp (held and rejected reports back to the queue, issue #11)
int cmd_requeue(const Globals& g, const std::vector<std::string>& args);
// cmd_provision.cpp and cmd_doctor.cpp (image, provisioning and health, issue #6)
int cmd_provision(const Globals& g, const std::vector<std::string>& args);
int cmd_authority_keygen(const Globals& g, const std::vector<std::string>& args);
// cmd_install.cpp: provision --install-from (first boot), with its arguments
int cmd_install_bundle(const Globals& g, const std::vector<std::string>& args);
int cmd_doctor(const Globals& g, const std::vector<std::string>& args);
// cmd_update.cpp and cmd_health.cpp (fleet updates, issue #12)
int cmd_update(const Globals& g, const std::vector<std::string>& args);
int cmd_health(const Globals& g, const std::vector<std::string>& args);
int cmd_hostname(const Globals& g, const std::vector<std::string>& args);
// cmd_metrics.cpp (operations, issue #13)
int cmd_metrics(const Globals& g, const std::vector<std::string>& args);

}  // namespace lapor::ctl
