#include "bundle.h"

#include <sodium.h>

#include <sstream>

#include "config.h"
#include "crypto.h"

namespace lapor {
namespace {

constexpr const char* manifest_magic = "lapor-kiosk-bundle 1";

std::optional<std::string> key_line(const std::string& text, const std::string& kind,
                                    std::size_t size) {
    std::istringstream in(text);
    std::optional<std::string> found;
    for (std::string line; std::getline(in, line);) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        if (found || !line.starts_with(kind + " ")) return std::nullopt;
        auto raw = base64_decode(line.substr(kind.size() + 1));
        if (!raw || raw->size() != size) return std::nullopt;
        found = std::move(*raw);
    }
    return found;
}

}  // namespace

const std::map<std::string, std::size_t>& bundle_file_limits() {
    static const std::map<std::string, std::size_t> limits{{"kiosk.toml", 65536},
                                                           {"ca.pem", 65536},
                                                           {"enroll_code", 1024},
                                                           {"authorized_keys", 65536},
                                                           {new_authority_name, 1024}};
    return limits;
}

std::string sha256_hex(const std::string& bytes) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    return hex_encode(std::string(reinterpret_cast<const char*>(h), sizeof h));
}

std::string key_fingerprint(const std::string& public_key) {
    const std::string h = sha256_hex(public_key);
    return h.substr(0, 4) + ":" + h.substr(4, 4) + ":" + h.substr(8, 4) + ":" + h.substr(12, 4);
}

std::string make_manifest(const std::map<std::string, std::string>& files,
                          const std::string& signer) {
    std::string m = std::string(manifest_magic) + "\n";
    m += signer.empty() ? "signer none\n" : "signer ed25519 " + base64_encode(signer) + "\n";
    for (const auto& [name, content] : files)
        m += "file " + sha256_hex(content) + " " + std::to_string(content.size()) + " " + name +
             "\n";
    return m;
}

std::optional<Manifest> parse_manifest(const std::string& text, std::string& why) {
    std::istringstream in(text);
    std::string line;
    if (!std::getline(in, line) || line != manifest_magic) {
        why = "the manifest does not start with \"" + std::string(manifest_magic) + "\"";
        return std::nullopt;
    }
    Manifest m;
    bool signer_seen = false;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string kind;
        words >> kind;
        if (kind == "signer" && !signer_seen) {
            std::string algo, key;
            words >> algo >> key;
            signer_seen = true;
            if (algo == "none" && key.empty()) continue;
            const auto raw = base64_decode(key);
            if (algo != "ed25519" || !raw || raw->size() != ed25519_public_size) {
                why = "the manifest's signer line is damaged";
                return std::nullopt;
            }
            m.signer = *raw;
        } else if (kind == "file" && signer_seen) {
            std::string hash, size, name, extra;
            words >> hash >> size >> name >> extra;
            const auto& limits = bundle_file_limits();
            if (hash.size() != 64 || hash.find_first_not_of("0123456789abcdef") != hash.npos ||
                size.empty() || size.size() > 9 ||
                size.find_first_not_of("0123456789") != size.npos || !extra.empty()) {
                why = "the manifest has a damaged line: " + line.substr(0, 100);
                return std::nullopt;
            }
            if (!limits.count(name) || m.sha256.count(name)) {
                why = "the manifest lists \"" + name.substr(0, 60) +
                      "\", which is not a bundle file (or is listed twice)";
                return std::nullopt;
            }
            m.sha256[name] = hash;
            m.size[name] = std::stoul(size);
            if (m.size[name] > limits.at(name)) {
                why = "the manifest gives " + name + " more than " +
                      std::to_string(limits.at(name)) + " bytes";
                return std::nullopt;
            }
        } else {
            why = "the manifest has an unexpected line: " + line.substr(0, 100);
            return std::nullopt;
        }
    }
    if (!signer_seen) {
        why = "the manifest names no signer";
        return std::nullopt;
    }
    return m;
}

std::string authority_public_text(const std::string& public_key) {
    return "# LAPOR! Kiosk provisioning authority, public key " + key_fingerprint(public_key) +
           " (kioskctl authority-keygen)\ned25519 " + base64_encode(public_key) + "\n";
}

std::string authority_secret_text(const std::string& secret_key) {
    return "# LAPOR! Kiosk provisioning authority, PRIVATE key " +
           key_fingerprint(secret_key.substr(32)) +
           ": keep it offline, never on a kiosk (docs/technician.md)\ned25519-secret " +
           base64_encode(secret_key) + "\n";
}

std::optional<std::string> parse_authority_public(const std::string& text) {
    return key_line(text, "ed25519", ed25519_public_size);
}

std::optional<std::string> parse_authority_secret(const std::string& text) {
    return key_line(text, "ed25519-secret", ed25519_secret_size);
}

std::string pinned_authority_path(const Config& c) {
    return c.kiosk.data_dir + "/config/authority.pub";
}
std::string pinned_origin_path(const Config& c) {
    return c.kiosk.data_dir + "/config/authority.origin";
}
std::string refused_stick_path(const Config& c) {
    return c.kiosk.data_dir + "/config/stick-refused.txt";
}

}  // namespace lapor
