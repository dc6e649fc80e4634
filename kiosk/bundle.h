// Signed provisioning bundles (docs/technician.md, "Authority keys").
//
// A bundle is a folder (or KIOSKCFG partition) of files plus `manifest`, which lists every file
// with its SHA-256 and size and names the key that signed it, and `manifest.sig`, the
// provisioning authority's Ed25519 signature over the manifest's bytes. A kiosk reads the
// manifest and its signature first, and the listed files only after the signature verified
// against its pinned authority key; each file must then match its hash.
#pragma once
#include <map>
#include <optional>
#include <string>

namespace lapor {

struct Config;

inline constexpr const char* manifest_name = "manifest";
inline constexpr const char* manifest_sig_name = "manifest.sig";
// A bundle may carry a new authority public key (rotation), signed by the current one.
inline constexpr const char* new_authority_name = "authority.pub";

// Files a bundle may hold, with the largest size the kiosk reads of each.
const std::map<std::string, std::size_t>& bundle_file_limits();

struct Manifest {
    std::string signer;                         // raw Ed25519 public key; empty: unsigned
    std::map<std::string, std::string> sha256;  // file name -> lowercase hex
    std::map<std::string, std::size_t> size;
};

// The manifest text for these files (name -> content); `signer` empty for an unsigned bundle.
std::string make_manifest(const std::map<std::string, std::string>& files,
                          const std::string& signer);
// Parses a manifest; nullopt with `why` for anything malformed or naming an unknown file.
std::optional<Manifest> parse_manifest(const std::string& text, std::string& why);

std::string sha256_hex(const std::string& bytes);
// A short, readable name for a key: the first 16 hex digits of its SHA-256, in groups of 4.
std::string key_fingerprint(const std::string& public_key);

// Authority key files: "ed25519 <base64>" (public) and "ed25519-secret <base64>" (private),
// each after a comment line. Parsing ignores comment and blank lines.
std::string authority_public_text(const std::string& public_key);
std::string authority_secret_text(const std::string& secret_key);
std::optional<std::string> parse_authority_public(const std::string& text);
std::optional<std::string> parse_authority_secret(const std::string& text);

// Where trust lives. The image's pinned key and the lab switch are on the read-only root
// (`make image AUTHORITY=FILE.pub`, `ACCEPT_UNSIGNED=1`); the key in use, how it came to be
// trusted, and the last refused stick are in the root-owned config folder on the data partition.
inline constexpr const char* default_trust_dir = "/etc/lapor-kiosk";
inline constexpr const char* image_authority_name = "authority.pub";
inline constexpr const char* accept_unsigned_name = "accept-unsigned-bundles";
std::string pinned_authority_path(const Config& c);  // <data>/config/authority.pub
std::string pinned_origin_path(const Config& c);     // image | first-use | rotated
std::string refused_stick_path(const Config& c);     // why the last stick was refused

}  // namespace lapor
