// lapor-lab: the lab national endpoint (serve) and its technician commands. Usage: below.
#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "crypto.h"
#include "lab_db.h"
#include "lab_server.h"
#include "version.h"

namespace {

constexpr const char* usage_text =
    "usage:\n"
    "  lapor-lab serve --dir DIR [--listen HOST:PORT] [--port-file FILE]\n"
    "            [--cert PEM --key PEM] [--wrong-cert PEM --wrong-key PEM]\n"
    "            [--national-key FILE] [--key-id ID] [--retired-key ID:FILE]...\n"
    "            [--catalog FILE] [--public-url URL]\n"
    "            [--advance-every SECONDS] [--slow-ms N] [--retry-after SECONDS]\n"
    "            [--fault MODE:COUNT]... [--quiet]\n"
    "  lapor-lab issue-code --dir DIR --kiosk ID [--ttl-s SECONDS]\n"
    "  lapor-lab advance --dir DIR [REPORT-ID] [--reply TEXT]\n"
    "  lapor-lab revoke --dir DIR --kiosk ID\n"
    "  lapor-lab list --dir DIR\n"
    "  lapor-lab show --dir DIR --national-key FILE REPORT-ID|TRACKING-CODE\n"
    "fault modes: refuse wrong_host_cert reset_before_body reset_after_commit http_500 "
    "http_503 http_429 slow malformed_json html_200 proxy_html_400 enroll_lost_reply "
    "waf_html_403\n";

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int bad_usage(const std::string& why) {
    std::cerr << "lapor-lab: " << why << "\n" << usage_text;
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace lapor;
    using namespace lapor::lab;
    if (print_version_if_asked(argc, argv, "lapor-lab")) return 0;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << usage_text;
        return args.empty() ? 2 : 0;
    }
    const std::string cmd = args[0];
    LabOptions o;
    std::string kiosk, positional;
    std::optional<std::string> reply;
    double ttl_s = 7 * 86400;
    try {
        for (std::size_t i = 1; i < args.size(); ++i) {
            const std::string& a = args[i];
            auto value = [&]() -> std::string {
                if (i + 1 >= args.size()) throw std::invalid_argument(a + " needs a value");
                return args[++i];
            };
            if (a == "--dir")
                o.dir = value();
            else if (a == "--listen") {
                const std::string v = value();
                const auto colon = v.rfind(':');
                if (colon == std::string::npos) throw std::invalid_argument("--listen HOST:PORT");
                o.host = v.substr(0, colon);
                o.port = std::stoi(v.substr(colon + 1));
            } else if (a == "--port-file")
                o.port_file = value();
            else if (a == "--cert")
                o.cert = value();
            else if (a == "--key")
                o.key = value();
            else if (a == "--wrong-cert")
                o.wrong_cert = value();
            else if (a == "--wrong-key")
                o.wrong_key = value();
            else if (a == "--national-key")
                o.national_key_file = value();
            else if (a == "--key-id")
                o.key_id = value();
            else if (a == "--retired-key") {
                const std::string v = value();
                const auto colon = v.find(':');
                if (colon == std::string::npos || colon == 0)
                    throw std::invalid_argument("--retired-key ID:FILE, e.g. 2025-07:old.key");
                o.retired_keys.emplace_back(v.substr(0, colon), v.substr(colon + 1));
            } else if (a == "--catalog")
                o.catalog_file = value();
            else if (a == "--public-url")
                o.public_url = value();
            else if (a == "--advance-every")
                o.advance_every_s = std::stod(value());
            else if (a == "--slow-ms")
                o.slow_ms = std::stoi(value());
            else if (a == "--retry-after")
                o.retry_after_s = std::stoi(value());
            else if (a == "--quiet")
                o.quiet = true;
            else if (a == "--kiosk")
                kiosk = value();
            else if (a == "--reply")
                reply = value();
            else if (a == "--ttl-s")
                ttl_s = std::stod(value());
            else if (a == "--fault") {
                const std::string v = value();
                const auto colon = v.find(':');
                const auto f = fault_from(v.substr(0, colon));
                if (!f || colon == std::string::npos)
                    throw std::invalid_argument("--fault MODE:COUNT, e.g. --fault http_500:5");
                o.faults.emplace_back(*f, std::stoi(v.substr(colon + 1)));
            } else if (!a.empty() && a[0] != '-' && positional.empty())
                positional = a;
            else
                throw std::invalid_argument("unknown argument " + a);
        }
    } catch (const std::exception& e) {
        return bad_usage(e.what());
    }
    if (o.dir.empty()) return bad_usage("--dir DIR is required");
    if (o.cert.empty() != o.key.empty()) return bad_usage("give both --cert and --key");
    crypto_init();
    try {
        if (cmd == "serve") return serve(o);
        LabDb db(o.dir + "/lab.db");
        if (cmd == "issue-code") {
            if (kiosk.empty()) return bad_usage("issue-code needs --kiosk ID");
            std::cout << db.issue_code(kiosk, ttl_s, now_ms()) << "\n";
            std::cerr << "lapor-lab: enrollment code for kiosk " << kiosk << ", valid once for "
                      << ttl_s << " s\n";
            return 0;
        }
        if (cmd == "advance") {
            const int n = db.advance(positional, now_ms(), reply);
            std::cout << n << " report(s) " << (reply ? "changed" : "moved on") << "\n";
            return n > 0 || positional.empty() ? 0 : 1;
        }
        if (cmd == "revoke") {
            if (!db.revoke(kiosk)) {
                std::cerr << "lapor-lab: no kiosk " << kiosk << " is enrolled\n";
                return 1;
            }
            std::cout << "the token of kiosk " << kiosk << " no longer works\n";
            return 0;
        }
        if (cmd == "list") {
            for (const auto& r : db.all_reports())
                std::cout << r.id << "  " << r.tracking << "  " << r.kiosk_id << "  " << r.status
                          << "\n";
            return 0;
        }
        if (cmd == "show") {
            if (positional.empty()) return bad_usage("show needs a report id or tracking code");
            const auto r = db.find(positional);
            if (!r) {
                std::cerr << "lapor-lab: no report " << positional << " in " << o.dir << "\n";
                return 1;
            }
            const auto body = nlohmann::json::parse(r->body);
            std::cout << "report     " << r->id << " (" << r->tracking << ", kiosk " << r->kiosk_id
                      << ")\nstatus     " << r->status
                      << (r->agency.empty() ? "" : ", " + r->agency) << "\nuuid       " << r->uuid
                      << "\nbody       " << body.dump() << "\n";
            if (o.national_key_file.empty()) {
                std::cout << "citizen data: sealed (give --national-key FILE to open it)\n";
                return 0;
            }
            const auto sealed = base64_decode(body.at("sealed").at("payload").get<std::string>());
            const auto opened =
                sealed ? unseal(*sealed, load_national_key(o.national_key_file)) : std::nullopt;
            if (!opened) {
                std::cerr << "lapor-lab: the citizen data does not open with "
                          << o.national_key_file << " (another national key?)\n";
                return 1;
            }
            std::cout << "citizen data (unsealed): " << *opened << "\n";
            return 0;
        }
    } catch (const std::exception& e) {
        std::cerr << "lapor-lab: " << e.what() << "\n";
        return 3;
    }
    return bad_usage("unknown command " + cmd);
}
