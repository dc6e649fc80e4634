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

#include "commands.h"
#include "config.h"
#include "crypto.h"
#include "doctor.h"
#include "files.h"
#include "identity.h"
#include "print_service.h"
#include "process.h"
#include "profile.h"
#include "receipt.h"
#include "store.h"
#include "transport.h"

namespace lapor::ctl {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// ---------------------------------------------------------------- [1] small helpers

struct Refused : std::runtime_error {
    using std::runtime_error::runtime_error;
};

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

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string toml_quote(const std::string& s) {
    std::string out = "\"";
    for (const char ch : s) {
        const auto u = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (u < 0x20 || u == 0x7f) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", u);
            out += esc;
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

// ---------------------------------------------------------------- [2] bundle checks

void check_ca_pem(const std::string& text, const std::string& what) {
    if (text.find("PRIVATE KEY") != std::string::npos)
        throw Refused(what +
                      " contains a private key: give only the CA certificate (ca.pem), "
                      "never its key");
    const auto begin = text.find("-----BEGIN CERTIFICATE-----");
    const auto end = text.find("-----END CERTIFICATE-----");
    if (begin == std::string::npos || end == std::string::npos || end < begin)
        throw Refused(what + " is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)");
    std::string body;
    for (std::size_t i = begin + 27; i < end; ++i) {
        if (!std::isspace(static_cast<unsigned char>(text[i]))) body += text[i];
    }
    if (!base64_decode(body) || body.size() < 100)
        throw Refused(what + " has a damaged certificate body (not base64)");
}

void check_enroll_code(const std::string& code) {
    if (code.size() < 4 || code.size() > 128 ||
        code.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") != code.npos)
        throw Refused(
            "--enroll-code must be 4-128 characters of A-Z a-z 0-9 - _ . (as issued by "
            "the national system)");
}

void check_authorized_keys(const std::string& text, const std::string& what) {
    if (text.find("PRIVATE KEY") != std::string::npos)
        throw Refused(what + " is a private key: give the technician's PUBLIC key (the .pub file)");
    std::istringstream in(text);
    int keys = 0;
    const auto key_type_at = [](const std::string& l) {
        for (const char* t : {"ssh-ed25519 ", "ssh-rsa ", "ecdsa-sha2-nistp256 ",
                              "ecdsa-sha2-nistp384 ", "ecdsa-sha2-nistp521 ",
                              "sk-ssh-ed25519@openssh.com ", "sk-ecdsa-sha2-nistp256@openssh.com "})
            if (l.starts_with(t)) return true;
        return false;
    };
    for (std::string line; std::getline(in, line);) {
        // Bundles edited on Windows end lines with \r\n; blank lines are allowed.
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.pop_back();
        line.erase(0, line.find_first_not_of(" \t"));
        if (line.empty() || line[0] == '#') continue;
        bool known = key_type_at(line);
        if (!known) {
            // An options field first (from="10.0.0.0/8",no-pty ssh-ed25519 ...): skip it,
            // spaces inside double quotes included.
            bool quoted = false;
            std::size_t i = 0;
            for (; i < line.size() && (quoted || (line[i] != ' ' && line[i] != '\t')); ++i) {
                if (line[i] == '\\' && i + 1 < line.size())
                    ++i;
                else if (line[i] == '"')
                    quoted = !quoted;
            }
            const auto rest = line.find_first_not_of(" \t", i);
            known = rest != std::string::npos && key_type_at(line.substr(rest));
        }
        if (!known)
            throw Refused(what +
                          " has a line that is not an OpenSSH public key (it must start "
                          "with ssh-ed25519, ssh-rsa or ecdsa-sha2-…)");
        ++keys;
    }
    if (keys == 0) throw Refused(what + " holds no public key");
}

// The bundle's files, by name, with their contents.
using Bundle = std::map<std::string, std::string>;

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

constexpr const char* bundle_header =
    "# LAPOR! Kiosk site config, written by `kioskctl provision`.";

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
    for (const auto& [name, text] : b)
        write_private_file(dir + "/" + name, text, name == "enroll_code" ? 0600 : 0644);
    if (!b.count("authorized_keys")) ::unlink((dir + "/authorized_keys").c_str());
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
        if (rc == 0 && !b.count("authorized_keys")) {
            std::string ignored;
            (void)run({"mdel", "-i", device, "::/authorized_keys"}, tmp + "/.mtools.log", ignored);
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
         --verify-base URL --enroll-code CODE [--printer TRANSPORT] [--printer-profile NAME]
         [--pin PIN] [--ssh-key FILE] [--update-url URL] [--update-window HH:MM-HH:MM]
         --out DIR|DEVICE
       kioskctl provision --install-from DIR [--data-dir DIR]     (first boot does this)

Writes a site's provisioning bundle (kiosk.toml, ca.pem, enroll_code, authorized_keys when
--ssh-key is given) into DIR (created if absent), or onto DEVICE: a FAT partition or USB stick
labelled KIOSKCFG (mkfs.vfat -n KIOSKCFG), written with mtools, no mount needed;
FILE@@OFFSET writes the partition at byte OFFSET of a disk image.
--time-zone is Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).
--printer is usb:/dev/usb/lp0 (default), tcp:HOST:9100, serial:/dev/ttyS0:19200, ...
--pin sets the staff PIN (6-12 digits; only its Argon2id hash is written); --pin - reads it
from stdin, keeping it out of `ps` and the shell history.
--update-url is the update folder ([update] url, https://); --update-window the local hours when
an installed update may reboot the kiosk (default 02:00-05:00).
)";

const std::vector<std::string> required_flags{
    "--kiosk-id",     "--code-prefix",     "--office",      "--time-zone",   "--endpoint", "--ca",
    "--national-key", "--national-key-id", "--verify-base", "--enroll-code", "--out"};
const std::vector<std::string> optional_flags{"--printer", "--printer-profile", "--pin",
                                              "--ssh-key", "--update-url",      "--update-window"};

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
    const auto ca = read_text_file(f.at("--ca"));
    if (!ca) throw Refused("--ca " + f.at("--ca") + ": cannot read the file");
    check_ca_pem(*ca, "--ca " + f.at("--ca"));
    b["ca.pem"] = *ca;
    check_enroll_code(f.at("--enroll-code"));
    b["enroll_code"] = f.at("--enroll-code") + "\n";
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
        if (i + 1 >= args.size()) {
            std::cerr << "kioskctl provision: " << a << " needs a value\n";
            return usage;
        }
        if (f.count(a)) {
            std::cerr << "kioskctl provision: " << a << " is given twice\n";
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
    Bundle b;
    try {
        b = make_bundle(f);
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

// ---------------------------------------------------------------- [5] install-from (first boot)

bool same_file(const std::string& path, const std::string& text) {
    const auto old = read_text_file(path);
    return old && *old == text;
}

// sha256 (hex) of what install-from puts in config/ from the bundle.
std::string bundle_hash(const std::string& toml, const std::string& ca) {
    const std::string all = "kiosk.toml\n" + std::to_string(toml.size()) + "\n" + toml +
                            "ca.pem\n" + std::to_string(ca.size()) + "\n" + ca;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(all.data()), all.size());
    std::string hex;
    char two[3];
    for (const unsigned char x : h) {
        std::snprintf(two, sizeof two, "%02x", x);
        hex += two;
    }
    return hex;
}

int provision_install(const Globals& g, const std::string& from, std::string data_dir) {
    std::vector<std::string> done;
    const auto toml = read_text_file(from + "/kiosk.toml");
    if (!toml) {
        std::cerr << "kioskctl provision: no kiosk.toml in " << from
                  << ": write the bundle with kioskctl provision --out\n";
        return environment;
    }
    std::string text = *toml;
    if (!data_dir.empty()) {
        // For tests and unusual layouts: the data folder is not the default /var/lib/lapor-kiosk.
        const auto k = text.find("[kiosk]\n");
        if (k != std::string::npos) text.insert(k + 8, "data_dir = " + toml_quote(data_dir) + "\n");
    }
    Config c;
    Bundle b;
    std::string where = data_dir.empty() ? "/var/lib/lapor-kiosk" : data_dir;
    try {
        c = parse_config(text, from + "/kiosk.toml", where + "/config");
        where = c.kiosk.data_dir;
        if (c.upload.ca_file != where + "/config/ca.pem")
            throw Refused(
                "kiosk.toml must say ca_file = \"ca.pem\" (the CA travels in the bundle)");
        const auto ca = read_text_file(from + "/ca.pem");
        if (!ca) throw Refused("the bundle has no ca.pem");
        check_ca_pem(*ca, "the bundle's ca.pem");
        b["ca.pem"] = *ca;
        if (const auto code = read_text_file(from + "/enroll_code")) {
            std::string trimmed = code->substr(0, code->find_first_of("\r\n"));
            check_enroll_code(trimmed);
            b["enroll_code"] = trimmed + "\n";
        }
        if (const auto keys = read_text_file(from + "/authorized_keys")) {
            check_authorized_keys(*keys, "the bundle's authorized_keys");
            b["authorized_keys"] = *keys;
        }
    } catch (const std::exception& e) {
        // Keep the kiosk's previous config; say why in the file doctor and staff mode read.
        const std::string why = std::string("bundle in ") + from + " refused: " + e.what();
        std::cerr << "kioskctl provision: " << why << "; the kiosk keeps its previous config\n";
        std::error_code ec;
        fs::create_directories(where + "/config", ec);
        if (!ec) {
            try {
                write_root_file(where + "/config/provision-error.txt", why + "\n", 0644);
            } catch (const std::exception&) {
            }
        }
        return check_failed;
    }
    const std::string cfg = c.kiosk.data_dir + "/config";
    // The config is installed only when the bundle itself changed since the last install
    // (config/bundle.sha256): a stick left in does not undo `kioskctl set-pin` or a hand fix.
    const std::string hash = bundle_hash(text, b["ca.pem"]);
    const bool bundle_changed = !same_file(cfg + "/bundle.sha256", hash + "\n") ||
                                !exists(cfg + "/kiosk.toml") || !exists(cfg + "/ca.pem");
    const bool ssh_key = b.count("authorized_keys") > 0;
    KeyringEntry entry;
    try {
        ensure_identity_dir(c);
        // config/ is root:lapor 0750 and its files root:lapor 0640: the services read their
        // endpoint, CA, national key and PIN hash but cannot rewrite them.
        if (::mkdir(cfg.c_str(), 0750) != 0 && errno != EEXIST)
            throw std::runtime_error("cannot create " + cfg + ": " + std::strerror(errno));
        give_to_service_group(cfg);
        ::chmod(cfg.c_str(), 0750);
        if (b.count("enroll_code")) {
            if (exists(c.token_path())) {
                done.push_back(
                    "kept the upload token (already enrolled); the bundle's code is unused");
            } else if (!same_file(c.enroll_code_path(), b["enroll_code"])) {
                write_private_file(c.enroll_code_path(), b["enroll_code"], 0600);
                done.push_back("installed the enrollment code (lapor-sync enrolls with it)");
            }
        }
        if (keygen(c, entry)) done.push_back("created the device key");
        if (!bundle_changed) {
            if (!same_file(cfg + "/kiosk.toml", text))
                done.push_back(
                    "the bundle is unchanged since it was installed: kept the installed "
                    "kiosk.toml (changed on the kiosk since)");
        } else {
            if (!same_file(cfg + "/ca.pem", b["ca.pem"])) {
                write_root_file(cfg + "/ca.pem", b["ca.pem"], 0640);
                done.push_back("installed ca.pem");
            }
            // kiosk.toml last: until it is in place, the next boot installs the bundle again.
            if (!same_file(cfg + "/kiosk.toml", text)) {
                write_root_file(cfg + "/kiosk.toml", text, 0640);
                done.push_back("installed kiosk.toml");
            }
            write_root_file(cfg + "/bundle.sha256", hash + "\n", 0640);
        }
        // Files installed by an older version were the service user's: take them back.
        for (const char* f : {"/kiosk.toml", "/ca.pem", "/bundle.sha256"}) {
            if (exists(cfg + f)) {
                give_to_service_group(cfg + f);
                ::chmod((cfg + f).c_str(), 0640);
            }
        }
        ::unlink((cfg + "/provision-error.txt").c_str());
    } catch (const std::exception& e) {
        std::string partial;
        for (const auto& d : done) partial += (partial.empty() ? "" : "; ") + d;
        const std::string why = std::string("bundle in ") + from + " partially installed (" +
                                (partial.empty() ? "nothing changed" : partial) +
                                "), then failed: " + e.what();
        std::cerr << "kioskctl provision: " << why
                  << "; fix the cause and reboot to install it again\n";
        try {
            write_root_file(cfg + "/provision-error.txt", why + "\n", 0644);
        } catch (const std::exception&) {
        }
        return environment;
    }
    // The SSH key is checked here but installed by the first-boot script, root-owned outside the
    // data folder the services can write (image/firstboot/lapor-firstboot).
    if (g.json) {
        std::cout << json{{"kiosk_id", c.kiosk.id},
                          {"config", cfg + "/kiosk.toml"},
                          {"changes", done},
                          {"ssh_key_in_bundle", ssh_key},
                          {"keyring_line", keyring_line(entry)}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << "kiosk " << c.kiosk.id << " provisioned from " << from << " into " << cfg
                  << (done.empty() ? ": nothing changed" : "") << "\n";
        for (const auto& d : done) std::cout << "  " << d << "\n";
        if (ssh_key)
            std::cout << "  the bundle carries a technician SSH key (first boot installs it)\n";
        std::cout << "  public key (for the office keyring): " << keyring_line(entry) << "\n";
    }
    return ok;
}

}  // namespace

int cmd_provision(const Globals& g, const std::vector<std::string>& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        (args.empty() ? std::cerr : std::cout) << provision_usage;
        return args.empty() ? usage : ok;
    }
    if (args[0] == "--install-from") {
        if (args.size() != 2 && !(args.size() == 4 && args[2] == "--data-dir")) {
            std::cerr << provision_usage;
            return usage;
        }
        return provision_install(g, args[1], args.size() == 4 ? args[3] : "");
    }
    return provision_write(g, args);
}

}  // namespace lapor::ctl
