// `kioskctl keyring export`: gathers an office keyring from kiosks' device.pub files, existing
// keyrings and provisioning records (the --json output of keygen or provision --install-from,
// which carry "keyring_line"). A re-flashed kiosk's new key is appended and closes the old one at
// its birth; nothing is ever removed (docs/receipt.md, "Keyring format").
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "files.h"
#include "keyring.h"

namespace lapor::ctl {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* keyring_usage =
    "usage: kioskctl keyring export [--into FILE] [--out FILE] SOURCE...\n"
    "  SOURCE: a kiosk's device.pub, a keyring file, a provisioning record (.json from\n"
    "          `kioskctl --json keygen` or `provision --install-from`), or a folder searched\n"
    "          for device.pub, *.pub, *.keyring and *.json files\n"
    "  --into FILE  start from this keyring (keys are only added to it)\n"
    "  --out FILE   write the keyring here (default: standard output)\n";

// The entries one file holds; throws KeyringError naming the file.
Keyring read_source(const std::string& path) {
    const auto text = read_text_file(path);
    if (!text) throw KeyringError("cannot read " + path);
    if (path.ends_with(".json")) {
        const auto j = json::parse(*text, nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("keyring_line") ||
            !j["keyring_line"].is_string())
            throw KeyringError(path +
                               ": not a provisioning record (no \"keyring_line\"; save the "
                               "output of `kioskctl --json keygen` on the kiosk)");
        try {
            return Keyring::parse(j["keyring_line"].get<std::string>());
        } catch (const KeyringError& e) {
            throw KeyringError(path + ": keyring_line " + e.what());
        }
    }
    return Keyring::load_file(path);
}

std::vector<std::string> files_of(const std::string& source) {
    std::error_code ec;
    if (!fs::is_directory(source, ec)) return {source};
    std::vector<std::string> out;
    for (auto it = fs::recursive_directory_iterator(source, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        const std::string name = it->path().filename().string();
        if (name.ends_with(".pub") || name.ends_with(".keyring") || name.ends_with(".json"))
            out.push_back(it->path().string());
    }
    std::sort(out.begin(), out.end());  // the same keyring whatever order the folder lists
    return out;
}

const char* said(Keyring::Merged m) {
    switch (m) {
        case Keyring::Merged::added: return "added";
        case Keyring::Merged::same: return "already listed";
        case Keyring::Merged::updated: return "already listed; filled in missing attributes";
        case Keyring::Merged::replaced_open:
            return "added; the kiosk's previous key now ends where this one begins (re-flash)";
    }
    return "?";
}

}  // namespace

int cmd_keyring(const Globals& g, const std::vector<std::string>& args) {
    if (args.empty() || args[0] != "export") {
        (args.empty() || args[0] == "--help" ? std::cout : std::cerr) << keyring_usage;
        return args.empty() || args[0] != "--help" ? usage : ok;
    }
    std::string into, out;
    std::vector<std::string> sources;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "--into" || args[i] == "--out") {
            if (i + 1 >= args.size()) return usage_error(args[i] + " needs a file");
            (args[i] == "--into" ? into : out) = args[i + 1];
            ++i;
        } else if (args[i].starts_with("--")) {
            return usage_error("keyring export: unknown option " + args[i] + "\n" + keyring_usage);
        } else {
            sources.push_back(args[i]);
        }
    }
    if (sources.empty() && into.empty())
        return usage_error("keyring export needs at least one SOURCE\n" +
                           std::string(keyring_usage));
    Keyring ring;
    json report = json::array();
    try {
        if (!into.empty()) ring = Keyring::load_file(into);
        for (const auto& source : sources) {
            std::error_code ec;
            if (!fs::exists(source, ec)) throw KeyringError(source + ": no such file or folder");
            const auto files = files_of(source);
            if (files.empty())
                throw KeyringError(source + ": no device.pub, *.keyring or *.json inside");
            for (const auto& f : files) {
                const Keyring found = read_source(f);
                for (const auto& e : found.entries()) {
                    const auto m = ring.merge(e);
                    report.push_back({{"file", f}, {"kiosk_id", e.kiosk_id}, {"result", said(m)}});
                    if (!g.json) std::cerr << f << ": " << e.kiosk_id << " " << said(m) << "\n";
                }
            }
        }
    } catch (const KeyringError& e) {
        std::cerr << "kioskctl keyring export: " << e.what() << "; nothing was written\n";
        return environment;
    }
    // Written back through the parser: whatever we write, the verifiers can read.
    const std::string text =
        "# LAPOR! office keyring (kioskctl keyring export); docs/receipt.md\n" + ring.text();
    (void)Keyring::parse(text);
    if (out.empty()) {
        std::cout << text;
    } else {
        std::ofstream f(out, std::ios::binary | std::ios::trunc);
        if (!(f << text) || !f.flush()) {
            std::cerr << "kioskctl keyring export: cannot write " << out << "\n";
            return environment;
        }
        if (g.json)
            std::cout
                << json{{"out", out}, {"keys", ring.entries().size()}, {"sources", report}}.dump(2)
                << "\n";
        else
            std::cerr << "wrote " << ring.entries().size() << " key(s) to " << out << "\n";
    }
    return ok;
}

}  // namespace lapor::ctl
