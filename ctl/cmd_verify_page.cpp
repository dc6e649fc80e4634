// `kioskctl verify-page`: the staff desk's offline verify page. One HTML file with the office
// keyring, the page's script (ctl/desk/verify_page.js) and a Content-Security-Policy that allows
// that script alone and no network at all.
#include <sodium.h>

#include <nlohmann/json.hpp>

#include <ctime>
#include <fstream>
#include <iostream>
#include <set>

#include "commands.h"
#include "crypto.h"
#include "desk.h"
#include "receipt.h"

namespace lapor::ctl {

extern const char* const verify_page_html;
extern const char* const verify_page_js;

namespace {

using nlohmann::json;

constexpr const char* page_usage =
    "usage: kioskctl verify-page --keyring FILE [--office NAME] [--time-zone ZONE]\n"
    "                            [--verify-base URL]... [--lang id|en] --out verify.html\n";

std::string csp_hash(std::string_view text) {
    std::string digest(crypto_hash_sha256_BYTES, '\0');
    crypto_hash_sha256(reinterpret_cast<unsigned char*>(digest.data()),
                       reinterpret_cast<const unsigned char*>(text.data()), text.size());
    return "'sha256-" + base64_encode(digest) + "'";
}

std::string between(const std::string& s, const std::string& open, const std::string& close) {
    const auto a = s.find(open);
    const auto b = s.find(close, a);
    return s.substr(a + open.size(), b - a - open.size());
}

// Replaces the first `marker` at or after `from`; returns the position after the insertion, so
// text inserted earlier (an office name, say) is never searched for later markers.
std::size_t put(std::string& s, std::size_t from, const std::string& marker,
                const std::string& value) {
    const auto at = s.find(marker, from);
    s.replace(at, marker.size(), value);
    return at + value.size();
}

json zone_json(const TimeZone& tz) {
    return {{"name", tz.iana}, {"abbr", tz.abbr}, {"offset", tz.utc_offset_s}};
}

}  // namespace

int cmd_verify_page(const Globals& g, const std::vector<std::string>& args) {
    std::string keyring_path, office, zone = "Asia/Jakarta", lang = "id", out;
    std::vector<std::string> bases;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            std::cout << page_usage;
            return ok;
        }
        if (i + 1 >= args.size()) return usage_error(a + " needs a value\n" + page_usage);
        const std::string& v = args[++i];
        if (a == "--keyring") {
            keyring_path = v;
        } else if (a == "--office") {
            office = v;
        } else if (a == "--time-zone") {
            zone = v;
        } else if (a == "--lang") {
            lang = v;
        } else if (a == "--out") {
            out = v;
        } else if (a == "--verify-base") {
            std::string why;
            const auto b = normalize_verify_base(v, &why);
            if (!b) return usage_error("--verify-base " + v + " " + why);
            bases.push_back(*b);
        } else {
            return usage_error("verify-page: unknown option " + a + "\n" + page_usage);
        }
    }
    if (keyring_path.empty() || out.empty())
        return usage_error("verify-page needs --keyring FILE and --out FILE\n" +
                           std::string(page_usage));
    const auto tz = time_zone_from(zone);
    if (!tz)
        return usage_error(
            "--time-zone must be Asia/Jakarta (WIB), Asia/Makassar (WITA) or "
            "Asia/Jayapura (WIT)");
    if (lang != "id" && lang != "en") return usage_error("--lang must be id or en");
    Keyring ring;
    try {
        ring = Keyring::load_file(keyring_path);
    } catch (const KeyringError& e) {
        std::cerr << "kioskctl verify-page: " << e.what() << "\n";
        return environment;
    }
    if (ring.entries().empty()) {
        std::cerr << "kioskctl verify-page: " << keyring_path
                  << " lists no kiosk key; gather one with `kioskctl keyring export`\n";
        return environment;
    }
    std::set<std::string> sites(bases.begin(), bases.end());
    json keys = json::array();
    for (const auto& e : ring.entries()) {
        if (!e.verify_base.empty()) sites.insert(e.verify_base);
        const auto ez = e.time_zone.empty() ? std::nullopt : time_zone_from(e.time_zone);
        keys.push_back({{"kiosk", e.kiosk_id},
                        {"prefix", e.code_prefix},
                        {"key", base64_encode(e.public_key)},
                        {"from", e.valid_from ? json(*e.valid_from) : json(nullptr)},
                        {"until", e.valid_until ? json(*e.valid_until) : json(nullptr)},
                        {"base", e.verify_base},
                        {"tz", ez ? zone_json(*ez) : json(nullptr)},
                        {"office", e.office}});
    }
    if (sites.empty()) {
        std::cerr << "kioskctl verify-page: the keyring carries no verify base (base=https://…) "
                     "and no --verify-base was given, so every link would be \"wrong site\"; "
                     "add --verify-base https://lapor.go.id/kiosk (your receipts' site)\n";
        return usage;
    }
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char made[32];
    std::strftime(made, sizeof made, "%Y-%m-%d %H:%M UTC", &tm);
    const json data{{"office", office}, {"lang", lang}, {"tz", zone_json(*tz)},
                    {"bases", bases},   {"keys", keys}, {"generated", made}};
    // Inside <script type="application/json">, "<" could close the element: escape it.
    std::string data_text;
    for (const char ch : data.dump())
        data_text += ch == '<' ? std::string("\\u003c") : std::string(1, ch);

    std::string page = verify_page_html;
    const std::string script = verify_page_js;
    const std::string csp = "default-src 'none'; script-src " + csp_hash(script) + "; style-src " +
                            csp_hash(between(page, "<style>", "</style>")) +
                            "; img-src data:; media-src mediastream: blob:; connect-src 'none'; "
                            "form-action 'none'; base-uri 'none'";
    std::size_t at = put(page, 0, "@CSP@", csp);
    at = put(page, at, "@DATA@", data_text);
    put(page, at, "@SCRIPT@", script);

    std::ofstream f(out, std::ios::binary | std::ios::trunc);
    if (!(f << page) || !f.flush()) {
        std::cerr << "kioskctl verify-page: cannot write " << out << "\n";
        return environment;
    }
    std::set<std::string> kiosks;
    for (const auto& e : ring.entries()) kiosks.insert(e.kiosk_id);
    if (g.json) {
        std::cout << json{{"out", out},
                          {"kiosks", kiosks.size()},
                          {"keys", ring.entries().size()},
                          {"sites", sites},
                          {"bytes", page.size()}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << "wrote " << out << " (" << page.size() / 1024 << " KB): " << kiosks.size()
                  << " kiosk(s), " << ring.entries().size() << " key(s); receipts of ";
        std::string list;
        for (const auto& s : sites) list += (list.empty() ? "" : ", ") + s;
        std::cout << list
                  << "\nopen it in Chrome/Chromium 137+ or Firefox 129+; it works offline\n";
    }
    return ok;
}

}  // namespace lapor::ctl
