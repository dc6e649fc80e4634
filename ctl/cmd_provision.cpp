// `kioskctl provision`: write a site bundle, and install one at first boot (--install-from).
//
// Sections: [1] small helpers  [2] bundle checks  [3] writing to a folder or a KIOSKCFG FAT
// partition (mtools, no mount)  [4] provision  [5] install-from (first boot).
//
// The bundle (docs/technician.md): kiosk.toml, ca.pem, enroll_code, optional authorized_keys.
// Nothing in it is a long-lived secret: the enrollment code works once, and the device key is
// born on the kiosk at first boot.
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "bundle.h"
#include "bundle_checks.h"
#include "commands.h"
#include "config.h"
#include "crypto.h"
#include "doctor.h"
#include "endpoint_url.h"
#include "files.h"
#include "identity.h"
#include "print_service.h"
#include "process.h"
#include "profile.h"
#include "receipt.h"
#include "safe_files.h"
#include "store.h"
#include "transport.h"

namespace lapor::ctl {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// ---------------------------------------------------------------- [1] small helpers

bool exists(const std::string& p) { return ::access(p.c_str(), F_OK) == 0; }

// Runs a program (found on PATH) without a shell through Child, its output (stdout and stderr)
// in `log` and returned in `out`; 127 when the program is not installed.
int run(std::vector<std::string> argv, const std::string& log, std::string& out) {
    const auto program = find_program(argv[0]);
    if (!program) return 127;
    ::unlink(log.c_str());
    const std::string name = argv[0];
    argv[0] = *program;
    Child child = Child::start(name, argv, log);
    auto code = child.wait(60000);
    if (!code) code = child.stop();
    out = read_text_file(log).value_or("");
    return *code;
}

// ---------------------------------------------------------------- [3] writing the bundle

// The volume label in a FAT boot sector at `offset` (FAT32 keeps it at 71, FAT12/16 at 43),
// or nullopt when it is not a FAT file system.
// Throws Refused when the device cannot be opened or read (permissions: run with sudo).
std::optional<std::string> fat_label(const std::string& path, long offset) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        throw Refused("cannot read " + path + ": " + std::strerror(e) +
                      (e == EACCES || e == EPERM ? "; run with sudo" : ""));
    }
    char sector[512];
    const ssize_t n = ::pread(fd, sector, sizeof sector, offset);
    const int e = errno;
    ::close(fd);
    if (n < 0)
        throw Refused("cannot read " + path + ": " + std::strerror(e) +
                      (e == EACCES || e == EPERM ? "; run with sudo" : ""));
    if (n != static_cast<ssize_t>(sizeof sector)) return std::nullopt;
    if (static_cast<unsigned char>(sector[510]) != 0x55 ||
        static_cast<unsigned char>(sector[511]) != 0xaa)
        return std::nullopt;
    const bool fat32 = std::string(sector + 82, 5) == "FAT32";
    const bool fat16 = std::string(sector + 54, 3) == "FAT";
    if (!fat32 && !fat16) return std::nullopt;
    std::string label(sector + (fat32 ? 71 : 43), 11);
    while (!label.empty() && label.back() == ' ') label.pop_back();
    return label;
}

// Writes the bundle into `dir`: a new folder (its parent must exist), an empty one, or one that
// already holds a bundle written by provision (recognised by kiosk.toml's first line). Any other
// folder is refused: authorized_keys is removed there and kiosk.toml/ca.pem replaced.
void write_to_folder(const std::string& dir, const Bundle& b, bool fresh_tmp = false) {
    if (!fresh_tmp) {
        std::error_code ec;
        if (!fs::exists(dir, ec)) {
            if (::mkdir(dir.c_str(), 0755) != 0)
                throw Refused("--out " + dir +
                              ": cannot create the folder: " + std::strerror(errno) +
                              " (its parent folder must exist; a USB partition is /dev/sdX1)");
        } else if (!fs::is_empty(dir, ec)) {
            const auto toml = read_text_file(dir + "/kiosk.toml");
            if (!toml || !toml->starts_with(bundle_header))
                throw Refused("--out " + dir +
                              " is a folder that is not empty and holds no bundle written by "
                              "kioskctl provision: give an empty or new folder");
        }
    }
    try {
        const SafeDir d = SafeDir::open(dir);
        for (const auto& [name, text] : b)
            d.write(name, text, name == "enroll_code" ? 0600 : 0644, FileOwner::unchanged());
        for (const char* optional : {"authorized_keys", manifest_sig_name, new_authority_name})
            if (!b.count(optional)) d.remove(optional);
    } catch (const SafeFileError& e) {
        throw Refused(std::string("--out ") + dir + ": " + e.what());
    }
}

// DEVICE is a partition (/dev/sdb1) or an image file, optionally FILE@@OFFSET (bytes) for a
// partition inside a disk image, as mtools writes it. It must already be FAT labelled KIOSKCFG.
void write_to_fat(const std::string& device, const Bundle& b) {
    const auto at = device.find("@@");
    const std::string file = device.substr(0, at);
    long offset = 0;
    if (at != std::string::npos) {
        try {
            offset = std::stol(device.substr(at + 2));
        } catch (const std::exception&) {
            throw Refused("--out " + device + ": the part after @@ must be a byte offset");
        }
    }
    if (const auto where = mounted_at(file, read_text_file("/proc/self/mounts").value_or("")))
        throw Refused("--out " + device + " is mounted on " + *where +
                      ": unmount it first (udisksctl unmount -b " + file + ")");
    const auto label = fat_label(file, offset);
    if (!label)
        throw Refused("--out " + device +
                      " is not a FAT file system: format it first with mkfs.vfat -n KIOSKCFG "
                      "(this erases it)");
    if (*label != "KIOSKCFG")
        throw Refused("--out " + device + " is labelled \"" + *label +
                      "\", not KIOSKCFG: refusing to write to what may be someone's disk "
                      "(mkfs.vfat -n KIOSKCFG makes a bundle partition)");
    char tmpl[] = "/tmp/kioskctl-bundle-XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("cannot make a temporary folder");
    const std::string tmp = tmpl;
    std::string out;
    int rc = 0;
    try {
        write_to_folder(tmp, b, true);
        std::vector<std::string> argv{"mcopy", "-o", "-i", device};
        for (const auto& [name, text] : b) argv.push_back(tmp + "/" + name);
        argv.push_back("::/");
        rc = run(argv, tmp + "/.mtools.log", out);
        for (const char* optional : {"authorized_keys", manifest_sig_name, new_authority_name}) {
            if (rc != 0 || b.count(optional)) continue;
            std::string ignored;
            (void)run({"mdel", "-i", device, std::string("::/") + optional}, tmp + "/.mtools.log",
                      ignored);
        }
    } catch (...) {
        fs::remove_all(tmp);
        throw;
    }
    fs::remove_all(tmp);
    if (rc == 127) throw std::runtime_error("mcopy is not installed (apt-get install mtools)");
    if (rc != 0) throw std::runtime_error("mcopy could not write to " + device + ": " + out);
}

// ---------------------------------------------------------------- [4] provision

constexpr const char* provision_usage =
    R"(usage: kioskctl provision --kiosk-id ID --code-prefix XXXX --office NAME --time-zone TZ
         --endpoint URL --ca FILE --national-key KEY --national-key-id ID
         --verify-base URL [--enroll-code CODE] [--printer TRANSPORT] [--printer-profile NAME]
         [--pin PIN] [--ssh-key FILE] (--sign-key FILE [--new-authority FILE.pub] | --unsigned)
         [--update-url URL] [--update-window HH:MM-HH:MM]
         --out DIR|DEVICE
       kioskctl provision --install-from DIR [--data-dir DIR] [--trust-dir DIR] [--ssh-dir DIR]
                                                                   (first boot does this)

Writes a site's provisioning bundle (kiosk.toml, ca.pem, enroll_code, authorized_keys when
--ssh-key is given, and a manifest of their SHA-256 sums signed with the provisioning
authority's key) into DIR (created if absent), or onto DEVICE: a FAT partition or USB stick
labelled KIOSKCFG (mkfs.vfat -n KIOSKCFG), written with mtools, no mount needed;
FILE@@OFFSET writes the partition at byte OFFSET of a disk image.
--time-zone is Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).
--printer is usb:/dev/usb/lp0 (default), tcp:HOST:9100, serial:/dev/ttyS0:19200, ...
--pin sets the staff PIN (6-12 digits; only its Argon2id hash is written); --pin - reads it
from stdin, keeping it out of `ps` and the shell history.
--enroll-code is needed for a new kiosk and whenever the bundle changes the endpoint, the CA,
the national key or the kiosk id (the kiosk then drops its upload token and enrolls again).
--sign-key is the authority's private key (kioskctl authority-keygen); kiosks install only
bundles signed by the key pinned in their image (or, without one, by the first bundle they
installed). --new-authority rotates kiosks to another authority key, signed by the current one.
--unsigned writes a bundle only lab images accept (make image ACCEPT_UNSIGNED=1).
--update-url is the update folder ([update] url, https://); --update-window the local hours when
an installed update may reboot the kiosk (default 02:00-05:00).
)";

const std::vector<std::string> required_flags{
    "--kiosk-id", "--code-prefix",  "--office",          "--time-zone",   "--endpoint",
    "--ca",       "--national-key", "--national-key-id", "--verify-base", "--out"};
const std::vector<std::string> optional_flags{
    "--enroll-code", "--printer",  "--printer-profile", "--pin",        "--ssh-key",
    "--sign-key",    "--unsigned", "--new-authority",   "--update-url", "--update-window"};

// Which flag a config key came from, to name it in refusals.
const std::map<std::string, std::string> flag_of_key{
    {"kiosk.id", "--kiosk-id"},
    {"kiosk.code_prefix", "--code-prefix"},
    {"kiosk.office", "--office"},
    {"kiosk.time_zone", "--time-zone"},
    {"upload.endpoint", "--endpoint"},
    {"upload.national_key_id", "--national-key-id"},
    {"upload.national_key", "--national-key"},
    {"receipt.verify_base", "--verify-base"},
    {"printer.transport", "--printer"},
    {"printer.profile", "--printer-profile"},
    {"update.url", "--update-url"},
    {"update.window", "--update-window"}};

std::string config_text(const std::map<std::string, std::string>& f, const std::string& pin_hash) {
    std::ostringstream t;
    t << bundle_header
      << " Every key: docs/config.md\n"
         "# Installed at first boot into /var/lib/lapor-kiosk/config/ (ca.pem beside it).\n"
         "[kiosk]\n"
      << "id = " << toml_quote(f.at("--kiosk-id")) << "\n"
      << "code_prefix = " << toml_quote(f.at("--code-prefix")) << "\n"
      << "office = " << toml_quote(f.at("--office")) << "\n"
      << "time_zone = " << toml_quote(f.at("--time-zone")) << "\n";
    if (!pin_hash.empty()) t << "\n[staff]\npin_hash = " << toml_quote(pin_hash) << "\n";
    if (f.count("--printer") || f.count("--printer-profile")) {
        t << "\n[printer]\n";
        if (f.count("--printer-profile"))
            t << "profile = " << toml_quote(f.at("--printer-profile")) << "\n";
        if (f.count("--printer")) t << "transport = " << toml_quote(f.at("--printer")) << "\n";
    }
    t << "\n[upload]\n"
      << "endpoint = " << toml_quote(f.at("--endpoint")) << "\n"
      << "ca_file = \"ca.pem\"\n"
      << "national_key = " << toml_quote(f.at("--national-key")) << "\n"
      << "national_key_id = " << toml_quote(f.at("--national-key-id")) << "\n"
      << "\n[receipt]\nverify_base = " << toml_quote(f.at("--verify-base")) << "\n";
    if (f.count("--update-url") || f.count("--update-window")) {
        t << "\n[update]\n";
        if (f.count("--update-url")) t << "url = " << toml_quote(f.at("--update-url")) << "\n";
        if (f.count("--update-window"))
            t << "window = " << toml_quote(f.at("--update-window")) << "\n";
    }
    return t.str();
}

// Builds and checks the bundle from the flags; throws Refused with the reason.
Bundle make_bundle(const std::map<std::string, std::string>& f) {
    Bundle b;
    if (!f.at("--endpoint").starts_with("https://"))
        throw Refused("--endpoint must start with https:// (a kiosk uploads only over HTTPS)");
    if (std::string problem; !sync::parse_endpoint(f.at("--endpoint"), problem))
        throw Refused("--endpoint refused: " + problem);
    const auto ca = read_text_file(f.at("--ca"));
    if (!ca) throw Refused("--ca " + f.at("--ca") + ": cannot read the file");
    check_ca_pem(*ca, "--ca " + f.at("--ca"));
    b["ca.pem"] = *ca;
    if (f.count("--enroll-code")) {  // without one: a bundle for an enrolled kiosk
        check_enroll_code(f.at("--enroll-code"));
        b["enroll_code"] = f.at("--enroll-code") + "\n";
    }
    std::string pin_hash;
    if (f.count("--pin")) {
        std::string pin = f.at("--pin");
        if (pin == "-") {  // from stdin, so the PIN stays out of `ps` and the shell history
            std::getline(std::cin, pin);
            while (!pin.empty() && (pin.back() == '\r' || pin.back() == ' ')) pin.pop_back();
        }
        if (pin.size() < 6 || pin.size() > 12 || pin.find_first_not_of("0123456789") != pin.npos)
            throw Refused("--pin must be 6 to 12 digits");
        pin_hash = argon2id_hash(pin);
        secure_clear(pin);
    }
    if (f.count("--ssh-key")) {
        const auto keys = read_text_file(f.at("--ssh-key"));
        if (!keys) throw Refused("--ssh-key " + f.at("--ssh-key") + ": cannot read the file");
        check_authorized_keys(*keys, "--ssh-key " + f.at("--ssh-key"));
        b["authorized_keys"] = *keys;
    }
    b["kiosk.toml"] = config_text(f, pin_hash);
    try {
        // The same parser the kiosk uses, so what we write is what it will accept.
        (void)parse_config(b["kiosk.toml"], "kiosk.toml", "/nonexistent");
    } catch (const ConfigError& e) {
        std::string msg = e.what();
        for (const auto& [key, flag] : flag_of_key) {
            if (msg.find(" " + key + " ") != std::string::npos) {
                msg = flag + " \"" + f.at(flag) + "\" refused: " + msg.substr(msg.find(key));
                break;
            }
        }
        throw Refused(msg);
    }
    return b;
}

// Adds the manifest (every file's SHA-256) and, with --sign-key, its signature.
void sign_bundle(const std::map<std::string, std::string>& f, Bundle& b) {
    if (f.count("--new-authority")) {
        const auto text = read_text_file(f.at("--new-authority"));
        if (!text || !parse_authority_public(*text))
            throw Refused("--new-authority " + f.at("--new-authority") +
                          " is not an authority public key (authority.pub from kioskctl "
                          "authority-keygen)");
        b[new_authority_name] = authority_public_text(*parse_authority_public(*text));
    }
    if (!f.count("--sign-key")) {
        b[manifest_name] = make_manifest(b, "");
        return;
    }
    auto text = read_text_file(f.at("--sign-key"));
    if (!text) throw Refused("--sign-key " + f.at("--sign-key") + ": cannot read the file");
    auto secret = parse_authority_secret(*text);
    secure_clear(*text);
    if (!secret)
        throw Refused("--sign-key " + f.at("--sign-key") +
                      " is not an authority private key (authority.key from kioskctl "
                      "authority-keygen; the .pub file cannot sign)");
    const std::string manifest = make_manifest(b, secret->substr(32));
    b[manifest_sig_name] = base64_encode(ed25519_sign(manifest, *secret)) + "\n";
    secure_clear(*secret);
    b[manifest_name] = manifest;
}

int provision_write(const Globals& g, const std::vector<std::string>& args) {
    std::map<std::string, std::string> f;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool known =
            std::find(required_flags.begin(), required_flags.end(), a) != required_flags.end() ||
            std::find(optional_flags.begin(), optional_flags.end(), a) != optional_flags.end();
        if (!known) {
            std::cerr << "kioskctl provision: unknown option " << a << "\n" << provision_usage;
            return usage;
        }
        if (f.count(a)) {
            std::cerr << "kioskctl provision: " << a << " is given twice\n";
            return usage;
        }
        if (a == "--unsigned") {  // the one flag without a value
            f[a] = "";
            continue;
        }
        if (i + 1 >= args.size()) {
            std::cerr << "kioskctl provision: " << a << " needs a value\n";
            return usage;
        }
        f[a] = args[++i];
    }
    std::string missing;
    for (const auto& r : required_flags) {
        if (!f.count(r)) missing += " " + r;
    }
    if (!missing.empty()) {
        std::cerr << "kioskctl provision: missing" << missing << "\n" << provision_usage;
        return usage;
    }
    if (f.count("--sign-key") == f.count("--unsigned")) {
        std::cerr << "kioskctl provision: give --sign-key FILE (the authority's private key), or "
                     "--unsigned for a lab image\n";
        return usage;
    }
    if (f.count("--new-authority") && !f.count("--sign-key")) {
        std::cerr << "kioskctl provision: --new-authority needs --sign-key (the current "
                     "authority signs the rotation)\n";
        return usage;
    }
    Bundle b;
    try {
        b = make_bundle(f);
        sign_bundle(f, b);
    } catch (const Refused& e) {
        std::cerr << "kioskctl provision: " << e.what() << "; nothing was written\n";
        return check_failed;
    }
    const std::string& out = f.at("--out");
    if (out.starts_with("/dev/") && !exists(out)) {
        std::cerr << "kioskctl provision: --out " << out
                  << ": no such device (is the stick plugged in? lsblk -f lists KIOSKCFG "
                     "partitions); nothing was written\n";
        return environment;
    }
    struct stat st {};
    const bool is_dir =
        ::stat(out.c_str(), &st) == 0 ? S_ISDIR(st.st_mode) : out.find("@@") == std::string::npos;
    try {
        if (is_dir)
            write_to_folder(out, b);
        else
            write_to_fat(out, b);
    } catch (const Refused& e) {
        std::cerr << "kioskctl provision: " << e.what() << "; nothing was written\n";
        return check_failed;
    }
    std::vector<std::string> names;
    for (const auto& [name, text] : b) names.push_back(name);
    if (g.json) {
        std::cout << json{{"out", out}, {"kind", is_dir ? "folder" : "fat"}, {"files", names}}.dump(
                         2)
                  << "\n";
    } else {
        std::cout << "wrote the bundle for kiosk " << f.at("--kiosk-id") << " to " << out
                  << (is_dir ? "/" : " (FAT KIOSKCFG)") << ":";
        for (const auto& n : names) std::cout << " " << n;
        std::cout << "\nput it in the kiosk (partition or USB stick labelled KIOSKCFG) and boot; "
                     "the enrollment code works once, and the device key is made on the kiosk.\n";
    }
    return ok;
}

}  // namespace

int cmd_authority_keygen(const Globals& g, const std::vector<std::string>& args) {
    if (args.size() != 2 || args[0] != "--out")
        return usage_error(
            "usage: kioskctl authority-keygen --out DIR (writes DIR/authority.key, private, "
            "and DIR/authority.pub)");
    const std::string dir = args[1];
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        std::cerr << "kioskctl authority-keygen: cannot create " << dir << ": "
                  << std::strerror(errno) << "\n";
        return environment;
    }
    KeyPair kp = ed25519_generate();
    std::string secret = authority_secret_text(kp.secret_key);
    secure_clear(kp.secret_key);
    try {
        const SafeDir d = SafeDir::open(dir);
        if (d.has("authority.key") || d.has("authority.pub")) {
            secure_clear(secret);
            std::cerr << "kioskctl authority-keygen: " << dir
                      << " already holds an authority key; it is never overwritten (losing it "
                         "means re-provisioning every kiosk by hand: docs/technician.md)\n";
            return check_failed;
        }
        const bool made = d.create_new("authority.key", secret, 0600, FileOwner::unchanged());
        secure_clear(secret);
        if (!made || !d.create_new("authority.pub", authority_public_text(kp.public_key), 0644,
                                   FileOwner::unchanged()))
            throw SafeFileError("a key appeared in " + dir + " meanwhile");
    } catch (const SafeFileError& e) {
        secure_clear(secret);
        std::cerr << "kioskctl authority-keygen: " << e.what() << "\n";
        return environment;
    }
    if (g.json) {
        std::cout << json{{"private_key", dir + "/authority.key"},
                          {"public_key", dir + "/authority.pub"},
                          {"fingerprint", key_fingerprint(kp.public_key)}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << "authority key " << key_fingerprint(kp.public_key) << "\n  private: " << dir
                  << "/authority.key (0600; keep it offline, sign bundles with provision "
                     "--sign-key)\n  public:  "
                  << dir << "/authority.pub (pin it in the image: make image AUTHORITY=" << dir
                  << "/authority.pub)\n";
    }
    return ok;
}

int cmd_provision(const Globals& g, const std::vector<std::string>& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        (args.empty() ? std::cerr : std::cout) << provision_usage;
        return args.empty() ? usage : ok;
    }
    if (args[0] == "--install-from") return cmd_install_bundle(g, args);
    return provision_write(g, args);
}

}  // namespace lapor::ctl
