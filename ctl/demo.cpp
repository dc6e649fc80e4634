// `kioskctl demo` (behind `make run`): a complete demo kiosk under ./var/demo, reused when it
// exists. Until the UI, printer and sync issues land it submits sample reports through the real
// store and prints what a citizen's receipt would carry.
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "catalog.h"
#include "commands.h"
#include "config.h"
#include "demo.h"
#include "files.h"
#include "identity.h"
#include "process.h"
#include "receipt.h"
#include "run_as.h"
#include "share.h"
#include "store.h"
#include "submit.h"

namespace lapor::ctl {
namespace {

bool exists(const std::string& p) { return ::access(p.c_str(), F_OK) == 0; }

// Runs a program (no shell, so paths need no quoting); its output goes to `log`. True on exit 0.
bool run(std::vector<std::string> argv, const std::string& log) {
    const auto program = find_program(argv[0]);
    if (!program) return false;
    argv[0] = *program;
    Child c = Child::start(*program, std::move(argv), log);
    const auto code = c.wait(60000);  // openssl takes well under a second
    return code && *code == 0;
}

// The lab's TLS material: a CA and a server certificate for 127.0.0.1 / localhost, checked.
bool make_lab_certificates(const std::string& lab) {
    const std::string log = lab + "/openssl.log";
    const std::string ec = "ec_paramgen_curve:P-256";
    bool ok = true;
    if (!exists(lab + "/server.pem")) {
        std::ofstream(lab + "/san.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
        ok = run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-days",
                  "3650", "-keyout", lab + "/ca.key", "-out", lab + "/ca.pem", "-subj",
                  "/O=LAPOR Kiosk demo/CN=demo CA"},
                 log) &&
             run({"openssl", "req", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout",
                  lab + "/server.key", "-out", lab + "/server.csr", "-subj",
                  "/O=LAPOR Kiosk demo/CN=127.0.0.1"},
                 log) &&
             run({"openssl", "x509", "-req", "-in", lab + "/server.csr", "-CA", lab + "/ca.pem",
                  "-CAkey", lab + "/ca.key", "-CAcreateserial", "-days", "3650", "-extfile",
                  lab + "/san.ext", "-out", lab + "/server.pem"},
                 log);
    }
    ok = ok && run({"openssl", "verify", "-CAfile", lab + "/ca.pem", "-verify_ip", "127.0.0.1",
                    lab + "/server.pem"},
                   log);
    if (!ok) {
        std::cout << "  the lab's TLS certificate could not be made or does not verify for "
                     "127.0.0.1 (openssl's words are in "
                  << log << "; delete " << lab << "/server.pem to make a new one)\n";
    }
    return ok;
}

KeyPair national_keys(const std::string& lab) {
    const std::string path = lab + "/national.key";
    if (!exists(path)) {
        KeyPair kp = x25519_generate();
        write_private_file(path, base64_encode(kp.secret_key) + "\n", 0600);
        write_private_file(lab + "/national.pub", base64_encode(kp.public_key) + "\n", 0644);
    }
    std::ifstream sk(path), pk(lab + "/national.pub");
    std::string s, p;
    std::getline(sk, s);
    std::getline(pk, p);
    KeyPair kp{base64_decode(p).value_or(""), base64_decode(s).value_or("")};
    if (kp.public_key.size() != x25519_key_size || kp.secret_key.size() != x25519_key_size)
        throw IdentityError(lab + "/national.key or national.pub is damaged: delete " + lab +
                            " and run the demo again");
    return kp;
}

void write_demo_config(const std::string& path, const std::string& national_pub,
                       int lab_port = 18443, int printer_port = 19100) {
    const std::string lab_url = "https://127.0.0.1:" + std::to_string(lab_port);
    std::ofstream out(path);
    out << "# Demo kiosk, written by `kioskctl demo`. Every key: docs/config.md\n"
           "[kiosk]\n"
           "id = \"DEMO-KIOSK-01\"\n"
           "code_prefix = \"DM01\"\n"
           "office = \"Kantor Walikota Contoh (demo)\"\n"
           "time_zone = \"Asia/Jakarta\"\n"
           "languages = [\"id\", \"en\"]\n"
           "data_dir = \".\"\n\n"
           "[display]\nfullscreen = false\n\n"
           "[printer]\ntransport = \"tcp:127.0.0.1:"
        << printer_port
        << "\"\n\n"
           "[upload]\n"
           "endpoint = \""
        << lab_url
        << "\"\n"
           "ca_file = \"lab/ca.pem\"\n"
           "national_key = \""
        << national_pub
        << "\"\n"
           "national_key_id = \"demo-1\"\n"
           "# the demo refreshes often so a status change shows within a minute\n"
           "backoff_base_s = 1\nbackoff_cap_s = 30\nstatus_refresh_s = 10\nheartbeat_s = 30\n\n"
           "[receipt]\n"
           "verify_base = \""
        << lab_url
        << "\"\n\n"
           "# lapor-sync writes metrics/lapor.prom here (on a kiosk: /run/lapor-kiosk/metrics)\n"
           "[metrics]\ntextfile_dir = \"metrics\"\n";
}

std::vector<ReportDraft> sample_drafts(const Catalog& cat, Date today) {
    auto pick = [&](std::size_t a, std::size_t c) {
        const auto& ag = cat.agencies()[a % cat.agencies().size()];
        return std::make_pair(ag.id, ag.categories[c % ag.categories.size()].id);
    };
    std::vector<ReportDraft> out(3);
    auto [a0, c0] = pick(0, 0);
    out[0].language = Language::id;
    out[0].classification = Classification::complaint;
    out[0].agency_id = a0, out[0].category_id = c0;
    out[0].title = "Parkir liar di depan pasar";
    out[0].body = "Setiap pagi mobil parkir di bahu jalan depan Pasar Baru.\nMacet sampai 1 km.";
    out[0].location = "Jl. Pasar Baru No. 1, Sawah Besar";
    out[0].privacy = Privacy::public_report;
    out[0].consent = true;
    out[0].name = "Siti Rahayu";
    out[0].phone = "0812-3456-7890";
    out[0].nik = "3171014507900001";
    auto [a1, c1] = pick(3, 1);
    out[1].language = Language::en;
    out[1].classification = Classification::aspiration;
    out[1].agency_id = a1, out[1].category_id = c1;
    out[1].title = "Please open the counter on Saturdays";
    out[1].body = "Working people cannot come on weekdays. Séno says: 🙏";
    out[1].location = "Kantor Kecamatan Gambir";
    out[1].privacy = Privacy::anonymous;
    out[1].consent = false;
    auto [a2, c2] = pick(7, 2);
    out[2].language = Language::id;
    out[2].classification = Classification::information;
    out[2].agency_id = a2, out[2].category_id = c2;
    out[2].title = "Jadwal pemadaman air bulan ini";
    out[2].body = "Mohon informasi jadwal gangguan air di RW 05.";
    out[2].location = "RW 05 Kelurahan Kebon Kelapa";
    out[2].privacy = Privacy::confidential;
    out[2].consent = true;
    out[2].email = "warga@example.id";
    for (auto& d : out) d.incident_date = today;
    return out;
}

}  // namespace

namespace {

// The demo folder's lab folder, national key pair and config (written only when absent). Returns
// the national key pair the lab opens reports with.
KeyPair prepare_demo_files(const std::string& dir, const std::string& config_path, int lab_port,
                           int printer_port) {
    const std::string lab = dir + "/lab";
    std::filesystem::create_directories(lab);
    const KeyPair national = national_keys(lab);
    if (!exists(config_path))
        write_demo_config(config_path, base64_encode(national.public_key), lab_port, printer_port);
    return national;
}

// A whole port number 1-65535, or 0.
int parse_port(const std::string& text) {
    int port = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    return ec == std::errc() && end == text.data() + text.size() && port > 0 && port <= 65535 ? port
                                                                                              : 0;
}

}  // namespace

std::string ensure_demo_config(const std::string& dir) {
    const std::string config_path = dir + "/kiosk.toml";
    const DemoOptions defaults;
    prepare_demo_files(dir, config_path, defaults.lab_port, defaults.printer_port);
    return config_path;
}

int cmd_demo(const Globals& g, const std::vector<std::string>& args) {
    std::string dir = "var/demo";
    DemoOptions opt;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--dir" && i + 1 < args.size()) {
            dir = args[++i];
        } else if (args[i] == "--no-services") {
            opt.services = false;
        } else if (args[i] == "--headless") {
            opt.ui = false;
        } else if ((args[i] == "--lab-port" || args[i] == "--printer-port") &&
                   i + 1 < args.size()) {
            const bool lab_flag = args[i] == "--lab-port";
            const int port = parse_port(args[++i]);
            if (port == 0) {
                std::cerr << "kioskctl demo: " << args[i - 1] << " needs a port number 1-65535\n";
                return usage;
            }
            if (lab_flag) {
                opt.lab_port = port;
            } else {
                opt.printer_port = port;
            }
        } else {
            std::cerr << "kioskctl demo: unknown argument " << args[i] << "\n";
            return usage;
        }
    }
    const std::string lab = dir + "/lab";
    const std::string config_path = g.config_path.empty() ? dir + "/kiosk.toml" : g.config_path;
    // Root in a demo folder someone else can write: everything runs as the kiosk's user, so no
    // name planted there (a link at kiosk.db-wal, lab/ca.key, ...) can point root at its files.
    drop_before_store(dir + "/kiosk.db", Service::kiosk);
    std::cout << "demo kiosk in " << dir << "/\n";
    const KeyPair national = prepare_demo_files(dir, config_path, opt.lab_port, opt.printer_port);
    const bool tls_ok = make_lab_certificates(lab);
    const Config c = load_config(config_path);
    if (c.upload.national_key != national.public_key) {
        std::cerr << "kioskctl demo: " << config_path << " seals reports to another national key "
                  << "than " << lab << "/national.pub, so the lab could not read them; delete "
                  << dir << " and run the demo again\n";
        return check_failed;
    }
    KeyringEntry entry;
    std::cout << "  config       " << config_path << "\n  device key   " << c.device_key_path()
              << (keygen(c, entry) ? " (new)" : " (kept)") << "\n";

    // Root with a data folder the services can write (a demo on a kiosk's own config): the rest
    // runs as the kiosk's user, so SQLite cannot be pointed at root's files by a planted link.
    drop_before_store(c.db_path(), Service::kiosk);
    SystemClock clock;
    auto store = open_store(c.db_path(), clock);
    if (!store->current_catalog()) {
        const Catalog parsed = Catalog::load_file(default_catalog_path());
        store->install_catalog(parsed.version(), "", *read_text_file(default_catalog_path()));
    }
    const auto stored = store->current_catalog();
    const Catalog catalog = Catalog::parse(stored->json);
    std::cout << "  database     " << c.db_path() << " (catalog " << catalog.version() << ", "
              << catalog.agencies().size() << " agencies)\n\n";

    Submitter submitter(*store, SubmitContext::from(c, load_device_key(c.device_key_path())),
                        clock);
    const Keyring keyring = Keyring::load_file(c.device_pub_path());
    const Date today = local_date(clock.now_ms() / 1000, c.time_zone());
    int n = 0;
    bool all_ok = tls_ok;
    for (auto& d : sample_drafts(catalog, today)) {
        const auto r = submitter.submit(d, catalog);
        if (!r.ok()) {
            std::cerr << "sample report refused: " << to_string(r.problems.front().field) << " "
                      << r.problems.front().msgid << "\n";
            return check_failed;
        }
        const auto& rep = *r.report;
        const Agency* agency = catalog.find_agency(rep.agency_id);
        const Category* category = catalog.find_category(rep.agency_id, rep.category_id);
        opt.receipts.push_back({rep, agency ? agency->name.in(rep.language) : rep.agency_id,
                                category ? category->name.in(rep.language) : rep.category_id,
                                false});
        const auto v =
            verify_receipt_url(rep.qr_url, keyring, VerifyOptions{{c.receipt.verify_base}, true});
        std::cout << "sample " << ++n << ": " << rep.tracking << "  "
                  << to_string(rep.classification) << ", " << rep.agency_id << ", "
                  << to_string(rep.privacy) << "\n  QR  " << rep.qr_url
                  << "\n  receipt signature: " << to_string(v.result) << "\n";
        // Show that the citizen's words are sealed: only the national key opens them.
        const auto body = nlohmann::json::parse(rep.upload_body);
        const auto sealed = base64_decode(body["sealed"]["payload"].get<std::string>());
        const auto opened = sealed ? unseal(*sealed, national) : std::nullopt;
        all_ok = all_ok && opened && v.result == VerifyResult::genuine;
        std::cout << "  sealed " << (sealed ? sealed->size() : 0) << " bytes to key " << rep.key_id
                  << "; opened with the lab's national key: "
                  << (opened ? *opened : std::string("FAILED")) << "\n\n";
    }
    const auto counts = store->counts();
    std::cout << "the store now holds " << counts.total() << " report(s).\n"
              << "try:\n  build/dev/ctl/kioskctl --config " << config_path << " status\n"
              << "  build/dev/ctl/kioskctl verify '<QR link above>' --pubkey "
              << c.device_pub_path() << "\n\n";
    if (!all_ok) {
        std::cerr << "kioskctl demo: a check above FAILED\n";
        return check_failed;
    }
    store.reset();
    return opt.services ? run_demo_services(c, config_path, dir, opt) : ok;
}

}  // namespace lapor::ctl
