#include "identity.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

namespace lapor {
namespace {

std::string env_or(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

// The key file's largest sane size (64 bytes of base64 and a newline, with room to spare).
constexpr std::size_t max_key_file = 4096;

}  // namespace

std::string service_user_name(Service s) {
    return s == Service::kiosk ? env_or("LAPOR_KIOSK_USER", "lapor-kiosk")
                               : env_or("LAPOR_SYNC_USER", "lapor-sync");
}

std::string service_group_name() {
    if (const char* g = std::getenv("LAPOR_GROUP"); g && *g) return g;
    if (::getgrnam("lapor")) return "lapor";
    const passwd* pw = ::getpwnam(service_user_name(Service::kiosk).c_str());
    if (!pw) return "lapor";
    const group* gr = ::getgrgid(pw->pw_gid);
    return gr ? gr->gr_name : "lapor";
}

namespace {
std::optional<gid_t> group_id() {
    const std::string name = service_group_name();
    if (const group* gr = ::getgrnam(name.c_str())) return gr->gr_gid;
    return std::nullopt;
}
}  // namespace

FileOwner service_owner(Service s) {
    if (::geteuid() != 0) return FileOwner::unchanged();
    const passwd* pw = ::getpwnam(service_user_name(s).c_str());
    if (!pw) return FileOwner::unchanged();
    FileOwner o;
    o.uid = pw->pw_uid;
    o.gid = group_id().value_or(pw->pw_gid);
    return o;
}

FileOwner root_group_owner() {
    if (::geteuid() != 0) return FileOwner::unchanged();
    // Without the kiosk user (a build machine) nothing is chowned, as before.
    if (!::getpwnam(service_user_name(Service::kiosk).c_str())) return FileOwner::unchanged();
    const auto gid = group_id();
    if (!gid) return FileOwner::unchanged();
    FileOwner o;
    o.uid = 0;
    o.gid = *gid;
    return o;
}

void give_to_service_user(const std::string& path, Service s) {
    const FileOwner o = service_owner(s);
    if (o.uid == static_cast<uid_t>(-1)) return;
    try {
        // Without opening the file: the database's POSIX locks would go with a close().
        SafeDir::open(parent_of(path)).set_owner_only(name_of(path), o);
    } catch (const SafeFileError& e) {
        throw IdentityError(e.what());
    }
}

bool create_device_key(const std::string& path) {
    try {
        const auto dir = SafeDir::open(parent_of(path));
        if (dir.has(name_of(path))) return false;
        KeyPair kp = ed25519_generate();
        std::string text = base64_encode(kp.secret_key) + "\n";
        secure_clear(kp.secret_key);
        bool made = false;
        try {
            made = dir.create_new(name_of(path), text, 0600, service_owner(Service::kiosk));
        } catch (...) {
            secure_clear(text);
            throw;
        }
        secure_clear(text);
        return made;
    } catch (const SafeFileError& e) {
        throw IdentityError(std::string("cannot create the device key: ") + e.what());
    }
}

KeyPair load_device_key(const std::string& path) {
    std::optional<std::string> text;
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        try {
            text = SafeDir::open(parent_of(path)).read(name_of(path), max_key_file);
        } catch (const SafeFileError& e) {
            throw IdentityError(std::string("cannot read the device key: ") + e.what());
        }
    }
    if (!text) throw IdentityError("the device key " + path + " is missing: run `kioskctl keygen`");
    const auto nl = text->find('\n');
    std::string line = text->substr(0, nl);
    secure_clear(*text);
    auto secret = base64_decode(line);
    secure_clear(line);
    if (!secret || secret->size() != ed25519_secret_size)
        throw IdentityError("the device key " + path +
                            " is damaged (not 64 bytes of base64): delete it, run `kioskctl "
                            "keygen`, and enroll the kiosk again if it was enrolled");
    KeyPair kp;
    kp.public_key = secret->substr(32);  // libsodium's secret key is seed || public key
    kp.secret_key = std::move(*secret);
    return kp;
}

void write_private_file(const std::string& path, const std::string& content, unsigned mode,
                        Service owner) {
    try {
        SafeDir::open(parent_of(path))
            .write(name_of(path), content, static_cast<mode_t>(mode), service_owner(owner));
    } catch (const SafeFileError& e) {
        throw IdentityError(e.what());
    }
}

void write_root_file(const std::string& path, const std::string& content, unsigned mode) {
    try {
        SafeDir::open(parent_of(path))
            .write(name_of(path), content, static_cast<mode_t>(mode), root_group_owner());
    } catch (const SafeFileError& e) {
        throw IdentityError(e.what());
    }
}

}  // namespace lapor
