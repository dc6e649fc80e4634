// `kioskctl provision --install-from DIR`: first boot (and every boot) installs a provisioning
// bundle, as root, into the data partition.
//
// Sections: [1] trust: the manifest, its signature and the listed files  [2] what the bundle
// changes (endpoint, CA, national key, kiosk id -> new enrollment)  [3] install  [4] the command.
//
// Root-safe: every folder below the data folder is opened by descriptor without following links,
// files are written with O_EXCL|O_NOFOLLOW and fchown'd on the descriptor (safe_files.h); the
// database is read as the kiosk user (run_as.h). Nothing on the stick is read beyond `manifest`,
// `manifest.sig` and, once the signature verified, the files the manifest lists.
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <iostream>

#include "bundle.h"
#include "bundle_checks.h"
#include "commands.h"
#include "config.h"
#include "crypto.h"
#include "doctor.h"
#include "files.h"
#include "identity.h"
#include "receipt.h"
#include "run_as.h"
#include "safe_files.h"
#include "store.h"

namespace lapor::ctl {
namespace {

using nlohmann::json;

// The stick is not trusted: unsigned, signed by another key, or changed after signing.
struct Untrusted : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Options {
    std::string from, data_dir, trust_dir = default_trust_dir, ssh_dir;
};

// ---------------------------------------------------------------- [1] trust

struct Trust {
    std::string signer;      // raw key; empty for an accepted unsigned (lab) bundle
    std::string pin;         // the key in force before this bundle (empty: none yet)
    std::string pin_origin;  // image | first-use | rotated | "" (none)
    std::string new_pin;     // what to record after installing
    std::string new_origin;
    bool lab = false;  // the image accepts unsigned bundles
};

std::optional<std::string> read_key(const std::optional<std::string>& text) {
    return text ? parse_authority_public(*text) : std::nullopt;
}

// Reads a file of the root-owned config folder (never through a link); nullopt when absent.
std::optional<std::string> read_config_file(const std::string& data_dir, const std::string& name) {
    try {
        return SafeDir::open(data_dir).sub("config", false, 0, {}).read(name, 65536);
    } catch (const SafeFileError&) {
        return std::nullopt;
    }
}

Bundle verify_bundle(const SafeDir& stick, const Options& o, const std::string& data_dir,
                     Trust& t) {
    const auto manifest_text = stick.read(manifest_name, 65536);
    if (!manifest_text)
        throw Untrusted(
            "it has no manifest, so it is not a bundle written by kioskctl provision "
            "(unsigned or foreign)");
    std::string why;
    const auto m = parse_manifest(*manifest_text, why);
    if (!m) throw Untrusted(why);

    const auto image = read_key(read_text_file(o.trust_dir + "/" + image_authority_name));
    const bool lab = ::access((o.trust_dir + "/" + accept_unsigned_name).c_str(), F_OK) == 0;
    t.lab = lab;
    const auto recorded = read_key(read_config_file(data_dir, "authority.pub"));
    std::string origin = read_config_file(data_dir, "authority.origin").value_or("");
    origin = origin.substr(0, origin.find('\n'));
    if (recorded && origin == "rotated") {
        t.pin = *recorded;
        t.pin_origin = "rotated";
    } else if (image) {
        t.pin = *image;
        t.pin_origin = "image";
    } else if (recorded) {
        t.pin = *recorded;
        t.pin_origin = "first-use";
    }

    if (m->signer.empty()) {
        if (!lab)
            throw Untrusted(
                "it is unsigned (written with --unsigned, which only lab images "
                "accept)");
    } else {
        const auto sig_text = stick.read(manifest_sig_name, 1024);
        if (!sig_text) throw Untrusted("its manifest names a signer but manifest.sig is missing");
        const auto sig = base64_decode(sig_text->substr(0, sig_text->find_first_of("\r\n")));
        if (!sig || sig->size() != ed25519_signature_size)
            throw Untrusted("its manifest.sig is not a base64 Ed25519 signature");
        if (!t.pin.empty() && m->signer != t.pin)
            throw Untrusted("it is signed by a foreign key " + key_fingerprint(m->signer) +
                            ", not by this kiosk's authority key " + key_fingerprint(t.pin));
        if (!ed25519_verify(*manifest_text, *sig, m->signer))
            throw Untrusted(
                "its signature does not verify: the manifest was changed after it "
                "was signed");
        t.signer = m->signer;
    }
    Bundle b;
    for (const auto& [name, hash] : m->sha256) {
        const auto content = stick.read(name, bundle_file_limits().at(name));
        if (!content) {
            // The kiosk removes the one-time enrollment code from the stick once it installed it
            // (image/firstboot): the used bundle is still the signed bundle, read at every boot.
            if (name == "enroll_code") continue;
            throw Untrusted("the manifest lists " + name + " but the bundle has none");
        }
        if (content->size() != m->size.at(name) || sha256_hex(*content) != hash)
            throw Untrusted(name + " does not match the manifest: changed after signing");
        b[name] = *content;
    }
    // What to trust once installed: a rotation, the first key (no pin yet), or the pin as it is.
    if (t.signer.empty()) {
        if (b.count(new_authority_name))
            throw Untrusted("an unsigned bundle cannot carry a new authority key");
        t.new_pin = t.pin;
        t.new_origin = t.pin_origin;
    } else if (b.count(new_authority_name)) {
        const auto next = parse_authority_public(b[new_authority_name]);
        if (!next) throw Refused("the bundle's authority.pub is not an authority public key");
        t.new_pin = *next;
        t.new_origin = "rotated";
    } else if (t.pin.empty()) {
        t.new_pin = t.signer;
        t.new_origin = "first-use";
    } else {
        t.new_pin = t.pin;
        t.new_origin = t.pin_origin;
    }
    return b;
}

// ---------------------------------------------------------------- [2] what the bundle changes

// The settings whose change means "another national system" for this kiosk: the token must go
// and the kiosk must enroll again with the bundle's new code.
std::vector<std::string> identity_changes(const Config& now, const std::string& old_text,
                                          const std::string& old_ca, const std::string& new_ca,
                                          const std::string& cfg_dir, std::string& old_id) {
    std::vector<std::string> changed;
    try {
        const Config old = parse_config(old_text, cfg_dir + "/kiosk.toml", cfg_dir);
        old_id = old.kiosk.id;
        if (old.upload.endpoint != now.upload.endpoint) changed.push_back("upload.endpoint");
        if (old.upload.national_key != now.upload.national_key)
            changed.push_back("upload.national_key");
        if (old.kiosk.id != now.kiosk.id) changed.push_back("kiosk.id");
    } catch (const ConfigError&) {
        changed.push_back("the whole config (the installed one does not load)");
    }
    if (old_ca != new_ca) changed.push_back("the CA (ca.pem)");
    return changed;
}

// Reports not yet accepted (queued or sending), read as the kiosk user.
int unsent_reports(const Config& c) {
    std::string why;
    const auto n = run_as(
        Service::kiosk,
        [&]() -> std::string {
            if (::access(c.db_path().c_str(), F_OK) != 0) return "0";
            SystemClock clock;
            auto store = open_store(c.db_path(), clock, OpenMode::existing);
            const auto counts = store->counts();
            int waiting = 0;
            for (auto s : {OutboxState::queued, OutboxState::sending}) {
                if (auto it = counts.by_state.find(s); it != counts.by_state.end())
                    waiting += it->second;
            }
            return std::to_string(waiting);
        },
        why);
    if (!n) throw Refused("cannot count the reports waiting to be sent: " + why);
    return std::stoi(*n);
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
}

// Writes a note in the config folder (root-owned) for doctor and staff diagnostics.
void note(const std::string& data_dir, const std::string& name, const std::string& text) {
    try {
        if (::mkdir(data_dir.c_str(), 0770) != 0 && errno != EEXIST) return;
        const auto cfg =
            SafeDir::open(data_dir).sub("config", true, 0750, root_group_owner(), false);
        cfg.write(name, text, 0644, root_group_owner());
    } catch (const std::exception&) {
        // Best effort: the refusal is also on stderr (the journal).
    }
}

void forget(const std::string& data_dir, const std::string& name) {
    try {
        SafeDir::open(data_dir).sub("config", false, 0, {}).remove(name);
    } catch (const std::exception&) {
    }
}

// True when `name` is a regular file holding exactly `text` (a link or anything else: false).
bool holds(const SafeDir& d, const std::string& name, const std::string& text) {
    try {
        return d.read(name, text.size() + 1) == text;
    } catch (const SafeFileError&) {
        return false;
    }
}

std::string without_cr(const std::string& s) {
    std::string out;
    for (char ch : s)
        if (ch != '\r') out += ch;
    return out;
}

// ---------------------------------------------------------------- [3] install

int install(const Globals& g, const Options& o) {
    std::string where = o.data_dir.empty() ? "/var/lib/lapor-kiosk" : o.data_dir;
    Trust trust;
    Bundle b;
    try {
        b = verify_bundle(SafeDir::open(o.from), o, where, trust);
    } catch (const Untrusted& e) {
        const std::string why = "the stick in " + o.from + " was refused: " + e.what();
        std::cerr << "kioskctl provision: " << why
                  << "; the kiosk keeps its installed config and reads nothing else on it\n";
        note(where, name_of(refused_stick_path(Config{})), why + "\n");
        return check_failed;
    } catch (const std::exception& e) {
        const std::string why = "the stick in " + o.from + " cannot be read: " + e.what();
        std::cerr << "kioskctl provision: " << why << "; the kiosk keeps its installed config\n";
        note(where, name_of(refused_stick_path(Config{})), why + "\n");
        return check_failed;
    }
    forget(where, name_of(refused_stick_path(Config{})));

    std::vector<std::string> done;
    std::string text;
    Config c;
    std::vector<std::string> changed;
    try {
        if (!b.count("kiosk.toml")) throw Refused("the bundle has no kiosk.toml");
        text = b["kiosk.toml"];
        if (!o.data_dir.empty()) {
            // For tests and unusual layouts: the data folder is not the default one.
            const auto k = text.find("[kiosk]\n");
            if (k != std::string::npos)
                text.insert(k + 8, "data_dir = " + toml_quote(o.data_dir) + "\n");
        }
        c = parse_config(text, o.from + "/kiosk.toml", where + "/config");
        where = c.kiosk.data_dir;
        if (c.upload.ca_file != where + "/config/ca.pem")
            throw Refused(
                "kiosk.toml must say ca_file = \"ca.pem\" (the CA travels in the bundle)");
        if (!b.count("ca.pem")) throw Refused("the bundle has no ca.pem");
        check_ca_pem(b["ca.pem"], "the bundle's ca.pem");
        if (b.count("enroll_code")) {
            const std::string code =
                b["enroll_code"].substr(0, b["enroll_code"].find_first_of("\r\n"));
            check_enroll_code(code);
            b["enroll_code"] = code + "\n";
        }
        if (b.count("authorized_keys"))
            check_authorized_keys(b["authorized_keys"], "the bundle's authorized_keys");
    } catch (const std::exception& e) {
        // Keep the kiosk's previous config; say why in the file doctor and staff mode read.
        const std::string why = std::string("bundle in ") + o.from + " refused: " + e.what();
        std::cerr << "kioskctl provision: " << why << "; the kiosk keeps its previous config\n";
        note(where, "provision-error.txt", why + "\n");
        return check_failed;
    }

    const std::string cfg_path = c.kiosk.data_dir + "/config";
    const std::string hash = [&] {
        const std::string all = "kiosk.toml\n" + std::to_string(text.size()) + "\n" + text +
                                "ca.pem\n" + std::to_string(b["ca.pem"].size()) + "\n" +
                                b["ca.pem"];
        return sha256_hex(all);
    }();
    KeyringEntry entry;
    bool drop_token = false;
    try {
        ensure_identity_dir(c);
        const SafeDir data = SafeDir::open(c.kiosk.data_dir);
        // config/ is root:lapor 0750 and its files root:lapor 0640: the services read their
        // endpoint, CA, national key and PIN hash but cannot rewrite them.
        const SafeDir cfg = data.sub("config", true, 0750, root_group_owner(), true);
        const SafeDir identity = data.sub("identity", false, 0, {});
        const auto old_toml = cfg.read("kiosk.toml", 65536);
        const auto old_ca = cfg.read("ca.pem", 65536);
        const bool bundle_changed =
            cfg.read("bundle.sha256", 1024) != hash + "\n" || !old_toml || !old_ca;
        if (bundle_changed && old_toml) {
            std::string old_id;
            changed =
                identity_changes(c, *old_toml, old_ca.value_or(""), b["ca.pem"], cfg_path, old_id);
            if (!changed.empty()) {
                if (!old_id.empty() && old_id != c.kiosk.id) {
                    if (const int n = unsent_reports(c); n > 0)
                        throw Refused("the bundle changes kiosk.id from " + old_id + " to " +
                                      c.kiosk.id + " while " + std::to_string(n) +
                                      " report(s) are waiting to be sent: let them upload "
                                      "first (kioskctl status shows the queue), then boot with "
                                      "this stick again");
                }
                if (!b.count("enroll_code"))
                    throw Refused("the bundle changes " + joined(changed) +
                                  ", so the kiosk must enroll again, but it carries no "
                                  "enrollment code: write it again with --enroll-code and a new "
                                  "code from the national system");
                drop_token = identity.has("token");
            }
        }
        if (drop_token) {
            identity.remove("token");
            done.push_back("dropped the upload token (the bundle changes " + joined(changed) +
                           "); lapor-sync enrolls again with the bundle's code");
        }
        if (b.count("enroll_code")) {
            if (identity.has("token")) {
                done.push_back(
                    "kept the upload token (already enrolled); the bundle's code is unused");
            } else if (!holds(identity, "enroll_code", b["enroll_code"])) {
                identity.write("enroll_code", b["enroll_code"], 0600, service_owner(Service::sync));
                done.push_back("installed the enrollment code (lapor-sync enrolls with it)");
            }
        }
        if (keygen(c, entry)) done.push_back("created the device key");
        if (!bundle_changed) {
            if (old_toml != text)
                done.push_back(
                    "the bundle is unchanged since it was installed: kept the installed "
                    "kiosk.toml (changed on the kiosk since)");
        } else {
            if (old_ca != b["ca.pem"]) {
                cfg.write("ca.pem", b["ca.pem"], 0640, root_group_owner());
                done.push_back("installed ca.pem");
            }
            if (!o.ssh_dir.empty()) {
                // SSH access changes only with a verified bundle; the key lives root-owned
                // outside the data folder the services can write.
                const SafeDir ssh = SafeDir::open(parent_of(o.ssh_dir))
                                        .sub(name_of(o.ssh_dir), true, 0700, {0, 0}, true);
                if (b.count("authorized_keys")) {
                    const std::string keys = without_cr(b["authorized_keys"]);
                    if (ssh.read("authorized_keys", 65536) != keys) {
                        ssh.write("authorized_keys", keys, 0600, {0, 0});
                        done.push_back("installed the technician SSH key");
                    }
                } else if (ssh.remove("authorized_keys")) {
                    done.push_back("removed SSH maintenance access (the bundle has no key)");
                }
            }
            // kiosk.toml last: until it is in place, the next boot installs the bundle again.
            if (old_toml != text) {
                cfg.write("kiosk.toml", text, 0640, root_group_owner());
                done.push_back("installed kiosk.toml");
            }
            cfg.write("bundle.sha256", hash + "\n", 0640, root_group_owner());
        }
        // The key bundles must be signed by from now on, and how it came to be trusted (doctor
        // reads both; a lab image says so on the second line).
        const std::string origin_text = trust.new_origin + "\n" + (trust.lab ? "lab\n" : "");
        if (!trust.new_pin.empty() && (read_key(cfg.read("authority.pub", 4096)) != trust.new_pin ||
                                       cfg.read("authority.origin", 64) != origin_text)) {
            cfg.write("authority.pub", authority_public_text(trust.new_pin), 0644,
                      root_group_owner());
            cfg.write("authority.origin", origin_text, 0644, root_group_owner());
            done.push_back(
                trust.new_origin == "rotated"
                    ? "rotated the authority key to " + key_fingerprint(trust.new_pin)
                : trust.new_origin == "first-use"
                    ? "trusted the bundle's authority key " + key_fingerprint(trust.new_pin) +
                          " on first use (the image pins none)"
                    : "recorded the image's authority key " + key_fingerprint(trust.new_pin));
        }
        // Files installed by an older version were the service user's: take them back.
        for (const char* f : {"kiosk.toml", "ca.pem", "bundle.sha256"})
            cfg.set_owner(f, 0640, root_group_owner());
        cfg.remove("provision-error.txt");
    } catch (const std::exception& e) {
        const bool refused = dynamic_cast<const Refused*>(&e) != nullptr;
        std::string partial;
        for (const auto& d : done) partial += (partial.empty() ? "" : "; ") + d;
        const std::string why =
            refused ? std::string("bundle in ") + o.from + " refused: " + e.what()
                    : std::string("bundle in ") + o.from + " partially installed (" +
                          (partial.empty() ? "nothing changed" : partial) +
                          "), then failed: " + e.what();
        std::cerr << "kioskctl provision: " << why
                  << (refused ? "; the kiosk keeps its previous config\n"
                              : "; fix the cause and reboot to install it again\n");
        note(c.kiosk.data_dir, "provision-error.txt", why + "\n");
        return refused ? check_failed : environment;
    }
    const bool ssh_key = b.count("authorized_keys") > 0;
    const std::string signed_by =
        trust.signer.empty() ? "unsigned (accepted: lab image)" : key_fingerprint(trust.signer);
    if (g.json) {
        std::cout << json{{"kiosk_id", c.kiosk.id},
                          {"config", cfg_path + "/kiosk.toml"},
                          {"changes", done},
                          {"signed_by", signed_by},
                          {"trust", trust.new_origin},
                          {"ssh_key_in_bundle", ssh_key},
                          {"keyring_line", keyring_line(entry)}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << "kiosk " << c.kiosk.id << " provisioned from " << o.from << " into "
                  << cfg_path << " (signed by " << signed_by << ")"
                  << (done.empty() ? ": nothing changed" : "") << "\n";
        for (const auto& d : done) std::cout << "  " << d << "\n";
        if (ssh_key) std::cout << "  the bundle carries a technician SSH key\n";
        std::cout << "  public key (for the office keyring): " << keyring_line(entry) << "\n";
    }
    return ok;
}

}  // namespace

// ---------------------------------------------------------------- [4] the command

int cmd_install_bundle(const Globals& g, const std::vector<std::string>& args) {
    Options o;
    for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
        const std::string& a = args[i];
        std::string* target = a == "--install-from" ? &o.from
                              : a == "--data-dir"   ? &o.data_dir
                              : a == "--trust-dir"  ? &o.trust_dir
                              : a == "--ssh-dir"    ? &o.ssh_dir
                                                    : nullptr;
        if (!target) return usage_error("provision --install-from: unknown option " + a);
        *target = args[i + 1];
    }
    if (args.size() % 2 != 0 || o.from.empty())
        return usage_error(
            "usage: kioskctl provision --install-from DIR [--data-dir DIR] [--trust-dir DIR] "
            "[--ssh-dir DIR]");
    return install(g, o);
}

}  // namespace lapor::ctl
