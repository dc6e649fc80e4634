// What the sync suites share: a PKI made with openssl at run time, a lapor-lab process on an
// ephemeral 127.0.0.1 port, a kiosk (config, device key, store, queued reports), lapor-sync runs,
// and a small HTTPS client for the lab's /lab/ control endpoints.
#pragma once
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "catalog.h"
#include "config.h"
#include "crypto.h"
#include "files.h"
#include "fixtures.h"
#include "identity.h"
#include "store.h"
#include "submit.h"

namespace lapor::test {

inline void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// Runs argv (no shell) with output appended to `log`; returns the pid.
inline pid_t spawn(const std::vector<std::string>& argv, const std::string& log,
                   const std::map<std::string, std::string>& env = {}) {
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) ::dup2(fd, 1), ::dup2(fd, 2);
        for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

inline int wait_exit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline bool run_ok(const std::vector<std::string>& argv, const std::string& log) {
    return wait_exit(spawn(argv, log)) == 0;
}

// CA, a server certificate for 127.0.0.1, one for another host, an expired one, another CA.
struct Pki {
    std::string dir;
    explicit Pki(const std::string& d) : dir(d) {
        const std::string log = dir + "/openssl.log";
        const std::string o = "/usr/bin/openssl";
        auto key_and_csr = [&](const std::string& name, const std::string& cn) {
            return run_ok({o, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                           "-nodes", "-keyout", dir + "/" + name + ".key", "-out",
                           dir + "/" + name + ".csr", "-subj", "/CN=" + cn},
                          log);
        };
        auto sign = [&](const std::string& name, const std::string& ca, const std::string& san,
                        const std::string& days) {
            std::ofstream(dir + "/" + name + ".ext") << "subjectAltName=" << san << "\n";
            return run_ok({o, "x509", "-req", "-in", dir + "/" + name + ".csr", "-CA",
                           dir + "/" + ca + ".pem", "-CAkey", dir + "/" + ca + ".key",
                           "-CAcreateserial", "-days", days, "-extfile", dir + "/" + name + ".ext",
                           "-out", dir + "/" + name + ".pem"},
                          log);
        };
        auto make_ca = [&](const std::string& name) {
            return run_ok(
                {o, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                 "-nodes", "-days", "30", "-keyout", dir + "/" + name + ".key", "-out",
                 dir + "/" + name + ".pem", "-subj", "/CN=lapor test " + name},
                log);
        };
        const bool ok =
            make_ca("ca") && make_ca("other_ca") && key_and_csr("server", "127.0.0.1") &&
            sign("server", "ca", "IP:127.0.0.1", "30") && key_and_csr("wrong", "wrong.example") &&
            sign("wrong", "ca", "DNS:wrong.example", "30") && key_and_csr("expired", "127.0.0.1") &&
            sign("expired", "ca", "IP:127.0.0.1", "-1");
        if (!ok) throw std::runtime_error("openssl failed, see " + log);
    }
    std::string operator/(const std::string& f) const { return dir + "/" + f; }
    // base64 SHA-256 of a certificate's public key (upload.pin_sha256).
    std::string pin_of(const std::string& cert) const {
        const std::string out = dir + "/" + cert + ".pin";
        run_ok({"/bin/sh", "-c",
                "openssl x509 -in '" + dir + "/" + cert +
                    ".pem' -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst "
                    "-sha256 -binary | base64 > '" +
                    out + "'"},
               dir + "/openssl.log");
        auto t = read_text_file(out).value_or("");
        return t.substr(0, t.find('\n'));
    }
};

struct LabControl {
    std::unique_ptr<httplib::SSLClient> client;
    std::string admin_token;  // DIR/lab-admin.token: /lab/* needs it
    LabControl(int port, const std::string& ca, const std::string& dir) {
        client = std::make_unique<httplib::SSLClient>("127.0.0.1", port);
        // The control channel is the test's own; it must also reach a lab serving an expired
        // or wrong-host certificate, so it does not verify.
        (void)ca;
        client->enable_server_certificate_verification(false);
        client->set_read_timeout(30, 0);
        const auto t = read_text_file(dir + "/lab-admin.token").value_or("");
        admin_token = t.substr(0, t.find('\n'));
        client->set_bearer_token_auth(admin_token.c_str());
    }
    std::optional<std::string> get(const std::string& path) {
        if (auto r = client->Get(path.c_str()); r && r->status == 200) return r->body;
        return std::nullopt;
    }
    nlohmann::json stats() {
        for (int i = 0; i < 20; ++i) {
            if (auto r = client->Get("/lab/stats"); r && r->status == 200)
                return nlohmann::json::parse(r->body);
            sleep_ms(50);
        }
        throw std::runtime_error("the lab does not answer /lab/stats");
    }
    int post(const std::string& path, const std::string& body = "{}") {
        for (int i = 0; i < 20; ++i) {
            if (auto r = client->Post(path.c_str(), body, "application/json")) return r->status;
            sleep_ms(50);
        }
        return -1;
    }
};

// A lapor-lab process on 127.0.0.1, an ephemeral port, HTTPS.
struct Lab {
    std::string dir;
    const Pki& pki;
    KeyPair national;
    pid_t pid = -1;
    int port = 0;
    std::unique_ptr<LabControl> ctl;

    Lab(const std::string& d, const Pki& p, std::vector<std::string> extra = {},
        const std::string& cert = "server", std::optional<KeyPair> key = std::nullopt)
        : dir(d), pki(p), national(key ? *key : x25519_generate()) {
        write_private_file(dir + "/national.key", base64_encode(national.secret_key) + "\n", 0600);
        start(std::move(extra), cert);
    }
    void start(std::vector<std::string> extra, const std::string& cert) {
        const std::string port_file = dir + "/port";
        ::unlink(port_file.c_str());
        std::vector<std::string> argv = {LAPOR_LAB,        "serve",
                                         "--dir",          dir,
                                         "--listen",       "127.0.0.1:0",
                                         "--port-file",    port_file,
                                         "--cert",         pki / (cert + ".pem"),
                                         "--key",          pki / (cert + ".key"),
                                         "--wrong-cert",   pki / "wrong.pem",
                                         "--wrong-key",    pki / "wrong.key",
                                         "--national-key", dir + "/national.key",
                                         "--key-id",       "test-1",
                                         "--quiet"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        pid = spawn(argv, dir + "/lab.log");
        for (int i = 0; i < 400 && port == 0; ++i) {
            if (auto t = read_text_file(port_file); t && !t->empty())
                port = std::stoi(*t);
            else
                sleep_ms(10);
        }
        if (port == 0) throw std::runtime_error("lapor-lab did not start; see " + dir + "/lab.log");
        ctl = std::make_unique<LabControl>(port, pki / "ca.pem", dir);
    }
    ~Lab() { stop(); }
    int exit_code = -1;  // after stop(): 0 is a clean exit (and no sanitizer report)
    void stop() {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            exit_code = wait_exit(pid);
            pid = -1;
        }
    }
    std::string issue_code(const std::string& kiosk) {
        const std::string out = dir + "/code.txt";
        ::unlink(out.c_str());
        const pid_t p = spawn({LAPOR_LAB, "issue-code", "--dir", dir, "--kiosk", kiosk}, out);
        if (wait_exit(p) != 0) throw std::runtime_error("issue-code failed");
        auto t = *read_text_file(out);
        return t.substr(0, t.find('\n'));
    }
};

struct KioskSettings {
    double backoff_base_s = 0.005;
    double backoff_cap_s = 0.05;
    double connect_timeout_s = 2;
    double total_timeout_s = 2;
    double status_refresh_s = 600;
    double heartbeat_s = 600;
    double catalog_refresh_s = 600;
    std::string ca = "ca.pem";
    std::string prefix = "TK01";
    std::string pin_sha256;
    double retention_days = 30;
    std::string proxy;
    std::string key_id = "test-1";  // the national key id the kiosk seals to
    int batch_max = 50;             // reports per POST /v1/reports/batch (1: none)
};

// A kiosk: config, device key, store with queued reports.
struct Kiosk {
    TempDir tmp;
    std::string config_path;
    Config config;
    SystemClock clock;
    std::unique_ptr<Store> store;
    std::unique_ptr<Submitter> submitter;
    std::map<std::string, std::string> personal;  // uuid -> sealed plaintext
    std::vector<PreparedReport> prepared;         // in the order made

    Kiosk(const Lab& lab, const KioskSettings& s = {}, const std::string& id = "TEST-KIOSK-01") {
        config_path = tmp / "kiosk.toml";
        write_config(lab, s, id);
        config = load_config(config_path);
        ::mkdir(config.identity_dir().c_str(), 0700);
        create_device_key(config.device_key_path());
        store = open_store(config.db_path(), clock);
        submitter = std::make_unique<Submitter>(
            *store, SubmitContext::from(config, load_device_key(config.device_key_path())), clock);
    }
    void write_config(const Lab& lab, const KioskSettings& s,
                      const std::string& id = "TEST-KIOSK-01") {
        std::ofstream(config_path)
            << "[kiosk]\nid = \"" << id << "\"\ncode_prefix = \"" << s.prefix
            << "\"\noffice = \"Test office\"\ndata_dir = \"" << tmp.path()
            << "\"\n[upload]\nendpoint = \"https://127.0.0.1:" << lab.port << "\"\nca_file = \""
            << lab.pki / s.ca << "\"\nnational_key = \"" << base64_encode(lab.national.public_key)
            << "\"\nnational_key_id = \"" << s.key_id << "\"\nbackoff_base_s = " << s.backoff_base_s
            << "\nbackoff_cap_s = " << s.backoff_cap_s
            << "\nconnect_timeout_s = " << s.connect_timeout_s
            << "\ntotal_timeout_s = " << s.total_timeout_s
            << "\nstatus_refresh_s = " << s.status_refresh_s << "\nheartbeat_s = " << s.heartbeat_s
            << "\ncatalog_refresh_s = " << s.catalog_refresh_s << "\npin_sha256 = \""
            << s.pin_sha256 << "\"\nretention_days = " << s.retention_days << "\nproxy = \""
            << s.proxy << "\"\nbatch_max = " << s.batch_max << "\n[metrics]\ntextfile_dir = \""
            << tmp.path() << "\"\ninterval_s = 1\n";
        config = load_config(config_path);
    }
    // kioskctl enroll with a fresh code from the lab; returns kioskctl's exit code.
    int enroll_with_kioskctl(Lab& lab) {
        return wait_exit(spawn({KIOSKCTL, "--config", config_path, "enroll", "--code",
                                lab.issue_code(config.kiosk.id), "--pid-file", pid_file()},
                               tmp / "kioskctl.log"));
    }
    void set_code(const std::string& code) {
        write_private_file(config.enroll_code_path(), code + "\n", 0600);
    }
    void add_reports(int n) {
        for (int i = 0; i < n; ++i) {
            ReportDraft d = valid_draft();
            d.title = "Laporan nomor " + std::to_string(personal.size() + 1);
            d.body = "Isi laporan " + uuid_v4() + "\nbaris kedua 🙏";
            PreparedReport r = submitter->prepare(d);
            store->insert_report(r);
            personal[r.uuid] = personal_json(d);
            prepared.push_back(std::move(r));
        }
    }
    int count(OutboxState s) {
        const auto q = store->counts();
        const auto it = q.by_state.find(s);
        return it == q.by_state.end() ? 0 : it->second;
    }
    // Queued plus sending, from one snapshot (two count() calls could see a lease in between).
    int unsent() {
        const auto q = store->counts();
        int n = 0;
        for (auto st : {OutboxState::queued, OutboxState::sending})
            if (const auto it = q.by_state.find(st); it != q.by_state.end()) n += it->second;
        return n;
    }
    std::string health(HealthKey k) {
        const auto h = store->health();
        const auto it = h.find(k);
        return it == h.end() ? "" : it->second.value;
    }
    std::string pid_file() const { return tmp / "lapor-sync.pid"; }
    pid_t start_sync(bool exit_when_idle = false, int max_in_flight = 4) {
        std::vector<std::string> argv = {LAPOR_SYNC,
                                         "--config",
                                         config_path,
                                         "--pid-file",
                                         pid_file(),
                                         "--max-in-flight",
                                         std::to_string(max_in_flight)};
        if (exit_when_idle) argv.push_back("--exit-when-idle");
        return spawn(argv, tmp / "sync.log");
    }
    // Waits until `done` or the deadline; true when done.
    template <class F>
    bool wait_for(F done, int timeout_ms) {
        for (int waited = 0; waited < timeout_ms; waited += 20) {
            if (done()) return true;
            sleep_ms(20);
        }
        return done();
    }
    std::string sync_log() { return read_text_file(tmp / "sync.log").value_or(""); }
};

}  // namespace lapor::test
