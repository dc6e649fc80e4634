// kioskctl update: install a signed RAUC bundle into the other root slot, now (FILE or URL) or
// from the update timer (--timer: the [update] url folder, the window, an idle attract screen),
// plus the two boot steps of lapor-health.service (--booted, --health-result). Decisions are in
// kiosk/update_policy.h and kiosk/update_state.h; this file does the I/O. docs/technician.md,
// "Updates", is the user's view.
//
// Sections: [1] state file and facts  [2] install a bundle  [3] the timer  [4] boot steps
//           [5] the command
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "clock.h"
#include "commands.h"
#include "config.h"
#include "doctor.h"
#include "download.h"
#include "files.h"
#include "identity.h"
#include "run.h"
#include "store.h"
#include "update_policy.h"
#include "update_state.h"

namespace lapor::ctl {
namespace {

// ---------------------------------------------------------------- [1] state file and facts

constexpr std::uint64_t max_bundle_bytes = 1024ull * 1024 * 1024;

std::string state_path(const Config& c) { return update_state_path(c.update.state_dir); }
std::string bundle_path(const Config& c) { return c.update.state_dir + "/download.raucb"; }

std::int64_t now_unix() { return static_cast<std::int64_t>(std::time(nullptr)); }

UpdateState load_state(const Config& c) {
    const auto text = read_text_file(state_path(c));
    if (!text) return UpdateState{};
    if (auto s = parse_update_state(*text)) return *s;
    std::cerr << "kioskctl update: " << state_path(c) << " was damaged; starting afresh\n";
    return UpdateState{};
}

// Every step is one line in the journal (the unit's output) and the state file.
void save_state(const Config& c, UpdateState s, const std::string& line = "") {
    s.updated_unix = now_unix();
    if (!line.empty()) std::cout << "kioskctl update: " << line << std::endl;
    ::mkdir(c.update.state_dir.c_str(), 0755);
    write_root_file(state_path(c), update_state_json(s), 0644);
}

std::string rauc() { return tool_path("LAPOR_RAUC", "rauc"); }
std::string boot_tool() {
    return tool_path("LAPOR_BOOT_TOOL", "/usr/libexec/lapor-kiosk/lapor-boot");
}
std::string systemctl() { return tool_path("LAPOR_SYSTEMCTL", "systemctl"); }

// The image's RAUC compatible string (/etc/rauc/system.conf, [system] compatible=).
std::string system_compatible() {
    const auto text = read_text_file(tool_path("LAPOR_RAUC_SYSTEM_CONF", "/etc/rauc/system.conf"));
    if (!text) return "";
    std::istringstream in(*text);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("compatible=", 0) == 0) return line.substr(11);
    }
    return "";
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
    return s;
}

// Is the booted slot's boot entry still counting tries (installed, not yet marked good)?
bool booted_on_trial() {
    const auto cur = run_program({boot_tool(), "get-current"});
    if (cur.exit != 0) return false;
    const auto list = run_program({boot_tool(), "list"});
    std::istringstream in(list.output);
    for (std::string gen, slot, left, file; in >> gen >> slot >> left >> file;) {
        if (slot == trim(cur.output)) return left != "-";
    }
    return false;
}

int local_minute_of_day(const Config& c) {
    const std::int64_t t = now_unix() + c.time_zone().utc_offset_s;
    return static_cast<int>(((t % 86400) + 86400) % 86400 / 60);
}

// How long the attract screen has been shown, from the UI's report in the store. As root the
// store is read by a child that became the service user first, so root never opens (and never
// creates) the database files.
std::optional<double> attract_idle_s(const Config& c) {
    auto read = [&]() -> std::optional<double> {
        try {
            SystemClock clock;
            auto store = open_store(c.db_path(), clock, OpenMode::existing);
            const auto h = store->health();
            const auto it = h.find(HealthKey::screen);
            if (it == h.end() || it->second.value != "attract") return std::nullopt;
            return static_cast<double>(clock.now_ms() - it->second.updated_ms) / 1000.0;
        } catch (const std::exception&) {
            return std::nullopt;
        }
    };
    // Not root, or a development machine without the service user: read it directly.
    if (::geteuid() != 0 || !::getpwnam(service_user_name(Service::kiosk).c_str())) return read();
    int fds[2];
    if (::pipe(fds) != 0) return std::nullopt;
    const pid_t pid = ::fork();
    if (pid < 0) return std::nullopt;
    if (pid == 0) {
        ::close(fds[0]);
        const struct passwd* pw = ::getpwnam(service_user_name(Service::kiosk).c_str());
        if (!pw || ::setgroups(0, nullptr) != 0 || ::setgid(pw->pw_gid) != 0 ||
            ::setuid(pw->pw_uid) != 0)
            ::_exit(1);
        const auto v = read();
        const std::string out = v ? std::to_string(*v) : "none";
        (void)!::write(fds[1], out.data(), out.size());
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string out;
    char buf[64];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
        out.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (out.empty() || out == "none") return std::nullopt;
    return std::stod(out);
}

std::string sha256_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return "";
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    std::vector<char> buf(1 << 20);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        crypto_hash_sha256_update(&st, reinterpret_cast<unsigned char*>(buf.data()),
                                  static_cast<unsigned long long>(in.gcount()));
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, h);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char b : h) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}

// ---------------------------------------------------------------- [2] install a bundle

// Checks the bundle (signature against the image's keyring, compatible, store schema) and
// installs it into the other slot. Returns the exit code; the state says what happened.
int install_bundle(const Config& c, UpdateState& s, const std::string& file) {
    const std::string running = running_image_version();
    const auto info_run = run_program({rauc(), "info", "--output-format=json", file});
    std::string why;
    std::optional<BundleInfo> info;
    if (info_run.exit == 0) {
        const auto brace = info_run.output.find('{');
        info =
            parse_rauc_info(brace == std::string::npos ? "" : info_run.output.substr(brace), &why);
    } else {
        why = "the bundle is not signed by a key this kiosk trusts, or is damaged: " +
              trim(info_run.output);
    }
    if (!info) {
        s.phase = "refused";
        s.message = file + ": " + why;
        save_state(c, s, "REFUSED " + s.message);
        return check_failed;
    }
    const std::string compatible = system_compatible();
    if (info->compatible != compatible) {
        s.phase = "refused";
        s.message = info->version + " is for " + info->compatible + ", this kiosk is " +
                    (compatible.empty() ? "(no /etc/rauc/system.conf)" : compatible);
        save_state(c, s, "REFUSED " + s.message);
        return check_failed;
    }
    if (auto r = store_refusal(info->version, info->store_version, store_schema_version);
        !r.empty()) {
        s.phase = "refused";
        s.message = r;
        save_state(c, s, "REFUSED " + r);
        return check_failed;
    }
    if (info->version == running) {
        s.message = "already running " + running + "; nothing installed";
        save_state(c, s, s.message);
        return ok;
    }
    s.phase = "installing";
    s.target_version = info->version;
    s.previous_version = running;
    save_state(c, s,
               "installing " + info->version + " into the other slot (running " + running + ")");
    const auto inst = run_program({rauc(), "install", file});
    if (inst.exit != 0) {
        s.phase = "failed";
        s.message = "rauc install " + info->version + " failed: " + trim(inst.output);
        save_state(c, s, "FAILED " + s.message);
        return environment;
    }
    s.phase = "installed";
    s.message =
        "installed " + info->version + " (running " + running + "); it starts at the next reboot";
    save_state(c, s, s.message);
    return ok;
}

// ---------------------------------------------------------------- [3] the timer

UpdateFacts facts_of(const Config& c) {
    UpdateFacts f;
    f.url = c.update.url;
    f.window = *parse_update_window(c.update.window);
    f.check_s = c.update.check_s;
    f.now_unix = now_unix();
    f.local_minute_of_day = local_minute_of_day(c);
    return f;
}

int reboot_if_allowed(const Config& c, UpdateState& s) {
    auto f = facts_of(c);
    f.attract_idle_s = attract_idle_s(c);
    const auto d = decide_update(s, f);
    if (d.action != UpdateAction::reboot) {
        // The timer runs every minute: say why it waits once, not 60 times an hour.
        if (d.why != s.message) {
            s.message = d.why;
            save_state(c, s, d.why);
        }
        return ok;
    }
    s.phase = "rebooting";
    s.message = d.why;
    save_state(c, s, d.why);
    const auto r = run_program({systemctl(), "reboot"});
    if (r.exit != 0) std::cerr << "kioskctl update: systemctl reboot: " << trim(r.output) << "\n";
    return r.exit == 0 ? ok : environment;
}

int run_timer(const Config& c) {
    UpdateState s = load_state(c);
    const auto d = decide_update(s, facts_of(c));
    switch (d.action) {
        case UpdateAction::nothing: return ok;  // quiet: it runs every minute
        case UpdateAction::wait:
        case UpdateAction::reboot: return reboot_if_allowed(c, s);
        case UpdateAction::check: break;
    }
    s.last_check_unix = now_unix();
    std::cout << "kioskctl update: " << d.why << std::endl;
    const std::string running = running_image_version();
    UpdateManifest m;
    try {
        const auto text = fetch_text(c, c.update.url + "/manifest.json", 64 * 1024);
        ManifestError err;
        auto parsed = parse_update_manifest(text, &err);
        if (!parsed) throw DownloadError(c.update.url + "/" + err.message);
        m = *parsed;
    } catch (const DownloadError& e) {
        if (e.http_status == 404) {
            // An update folder with nothing published yet is not a failure of this kiosk.
            s.failed_checks = 0;
            s.message = "no update published (" + c.update.url + "/manifest.json: HTTP 404)";
            save_state(c, s, s.message);
            return ok;
        }
        ++s.failed_checks;
        s.message = std::string("cannot check for updates: ") + e.what() + "; next try in " +
                    std::to_string(static_cast<long long>(check_interval_s(s, c.update.check_s))) +
                    " s";
        save_state(c, s, s.message);
        return environment;
    }
    s.failed_checks = 0;
    const auto verdict = judge_manifest(m, s, running, system_compatible(), store_schema_version);
    if (!verdict.install) {
        if (verdict.refused) s.phase = "refused";
        s.message = verdict.why;
        save_state(c, s, (verdict.refused ? "REFUSED " : "") + verdict.why);
        return ok;
    }
    s.phase = "downloading";
    s.target_version = m.version;
    save_state(c, s, "downloading " + m.bundle + " (" + std::to_string(m.size / 1000000) + " MB)");
    const std::string file = bundle_path(c);
    try {
        fetch_file(c, c.update.url + "/" + m.bundle, file, std::min(m.size, max_bundle_bytes));
    } catch (const DownloadError& e) {
        s.phase = "failed";
        s.message =
            std::string("download failed: ") + e.what() + " (tried again at the next check)";
        save_state(c, s, "FAILED " + s.message);
        return environment;
    }
    if (sha256_file(file) != m.sha256) {
        ::unlink(file.c_str());
        s.phase = "failed";
        s.message = m.bundle + " does not match the sha256 in manifest.json (damaged download?)";
        save_state(c, s, "FAILED " + s.message);
        return environment;
    }
    s.phase = "downloaded";
    save_state(c, s, "downloaded " + m.version + ", sha256 ok");
    const int rc = install_bundle(c, s, file);
    ::unlink(file.c_str());
    if (rc != ok || s.phase != "installed") return rc;
    return reboot_if_allowed(c, s);
}

// ---------------------------------------------------------------- [4] boot steps

int on_booted(const Config& c) {
    UpdateState s = load_state(c);
    const BootFacts boot{running_image_version(), booted_on_trial()};
    s = state_after_boot(s, boot, now_unix());
    save_state(c, s, "boot: " + update_summary(s));
    return ok;
}

// ExecStopPost of lapor-health.service: systemd says how `kioskctl health` ended. Exit 0 is
// healthy, another exit code unhealthy; killed (a shutdown during the check) decides nothing:
// the slot keeps counting tries and the next boot checks again.
int on_health_result(const Config& c) {
    auto env = [](const char* k) {
        const char* v = std::getenv(k);
        return std::string(v ? v : "");
    };
    const std::string result = env("SERVICE_RESULT"), code = env("EXIT_CODE"),
                      status = env("EXIT_STATUS");
    const bool trial = booted_on_trial();
    if (code != "exited") {
        std::cout << "kioskctl update: the health check did not finish (" << result << ", "
                  << (code.empty() ? "no exit" : code + " " + status)
                  << "); nothing decided, the next boot checks again" << std::endl;
        return ok;
    }
    const bool healthy = result == "success" && status == "0";
    UpdateState s = load_state(c);
    const std::string reason = "lapor-health exit " + status + "; journalctl -u lapor-health";
    s = state_after_health(s, healthy, reason, trial, now_unix());
    if (!trial) {
        std::cout << "kioskctl update: health " << (healthy ? "ok" : "FAILED (" + reason + ")")
                  << "; this slot is already marked good" << std::endl;
        return ok;
    }
    save_state(c, s, s.message);
    const auto r = run_program({rauc(), "status", healthy ? "mark-good" : "mark-bad", "booted"});
    std::cout << "kioskctl update: rauc status " << (healthy ? "mark-good" : "mark-bad") << ": "
              << trim(r.output) << std::endl;
    if (healthy) return r.exit == 0 ? ok : environment;
    // The previous slot is now the first bootable one: go back to it.
    const auto rb = run_program({systemctl(), "reboot"});
    return rb.exit == 0 ? ok : environment;
}

}  // namespace

// ---------------------------------------------------------------- [5] the command

int cmd_update(const Globals& g, const std::vector<std::string>& args) {
    if (args.size() != 1 || args[0] == "--help")
        return usage_error(
            "usage: kioskctl update FILE|URL     install a signed bundle into the other slot now\n"
            "       kioskctl update --timer      what lapor-update.timer runs ([update] url)\n"
            "       kioskctl update --booted | --health-result   (lapor-health.service)");
    const Config c = config_of(g);
    const std::string& a = args[0];
    if (a == "--timer") return run_timer(c);
    if (a == "--booted") return on_booted(c);
    if (a == "--health-result") return on_health_result(c);
    if (a.starts_with("--")) return usage_error("update: unknown option " + a);
    UpdateState s = load_state(c);
    if (s.phase == "trial")
        return usage_error("update: " + s.running_version +
                           " has not passed its health check yet; wait for it (kioskctl status)");
    std::string file = a;
    if (a.starts_with("https://") || a.starts_with("http://")) {
        file = bundle_path(c);
        ::mkdir(c.update.state_dir.c_str(), 0755);
        s.phase = "downloading";
        save_state(c, s, "downloading " + a);
        try {
            fetch_file(c, a, file, max_bundle_bytes);
        } catch (const DownloadError& e) {
            s.phase = "failed";
            s.message = std::string("download failed: ") + e.what();
            save_state(c, s, "FAILED " + s.message);
            return environment;
        }
    } else if (::access(file.c_str(), R_OK) != 0) {
        std::cerr << "kioskctl update: cannot read " << file << ": " << std::strerror(errno)
                  << "\n";
        return environment;
    }
    const int rc = install_bundle(c, s, file);
    if (file != a) ::unlink(file.c_str());
    if (rc == ok && s.phase == "installed")
        std::cout << "installed " << s.target_version
                  << " into the other slot: reboot to start it (systemctl reboot), or the update "
                     "timer reboots inside "
                  << c.update.window << " when nobody is at the screen\n";
    else if (rc != ok)
        std::cerr << "kioskctl update: " << s.message << "\n";
    return rc;
}

}  // namespace lapor::ctl
