#include "identity.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace lapor {
namespace {

std::string errno_text() { return std::strerror(errno); }

std::string parent_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

void fsync_dir(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

void write_all(int fd, const std::string& s, const std::string& path) {
    std::size_t off = 0;
    while (off < s.size()) {
        const auto n = ::write(fd, s.data() + off, s.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw IdentityError("cannot write " + path + ": " + errno_text());
        }
        off += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) throw IdentityError("cannot sync " + path + ": " + errno_text());
}

}  // namespace

// The service account: `lapor`, or $LAPOR_KIOSK_USER (a development/test override, see
// docs/technician.md).
std::string service_user_name() {
    const char* env = std::getenv("LAPOR_KIOSK_USER");
    return env && *env ? env : "lapor";
}

void give_to_service_user(const std::string& path) {
    if (::geteuid() != 0) return;
    const std::string user = service_user_name();
    const passwd* pw = ::getpwnam(user.c_str());
    if (!pw) return;
    if (::chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0)
        throw IdentityError("cannot give " + path + " to user " + user + ": " + errno_text());
}

void give_to_service_group(const std::string& path) {
    if (::geteuid() != 0) return;
    const std::string user = service_user_name();
    const passwd* pw = ::getpwnam(user.c_str());
    if (!pw) return;
    if (::chown(path.c_str(), 0, pw->pw_gid) != 0)
        throw IdentityError("cannot give " + path + " to root and the group of user " + user +
                            ": " + errno_text());
}

bool create_device_key(const std::string& path) {
    if (::access(path.c_str(), F_OK) == 0) return false;
    // Write and sync a temporary file, then link() it into place: link fails if a key appeared
    // meanwhile (never overwritten), and a power cut leaves either no key or a whole one.
    const std::string tmp = path + ".new";
    ::unlink(tmp.c_str());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        throw IdentityError("cannot create the device key " + path + ": " + errno_text() +
                            " (is the folder there and writable?)");
    KeyPair kp = ed25519_generate();
    std::string text = base64_encode(kp.secret_key) + "\n";
    secure_clear(kp.secret_key);
    try {
        write_all(fd, text, tmp);
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        secure_clear(text);
        throw;
    }
    ::close(fd);
    secure_clear(text);
    const int rc = ::link(tmp.c_str(), path.c_str());
    const int link_errno = errno;
    ::unlink(tmp.c_str());
    if (rc != 0) {
        if (link_errno == EEXIST) return false;
        throw IdentityError("cannot create the device key " + path + ": " +
                            std::strerror(link_errno));
    }
    fsync_dir(parent_of(path));
    give_to_service_user(path);
    return true;
}

KeyPair load_device_key(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IdentityError("the device key " + path + " is missing: run `kioskctl keygen`");
    std::string text;
    std::getline(in, text);
    auto secret = base64_decode(text);
    secure_clear(text);
    if (!secret || secret->size() != ed25519_secret_size)
        throw IdentityError("the device key " + path +
                            " is damaged (not 64 bytes of base64): delete it, run `kioskctl "
                            "keygen`, and enroll the kiosk again if it was enrolled");
    KeyPair kp;
    kp.public_key = secret->substr(32);  // libsodium's secret key is seed || public key
    kp.secret_key = std::move(*secret);
    return kp;
}

namespace {

void write_atomically(const std::string& path, const std::string& content, unsigned mode) {
    const std::string tmp = path + ".tmp";
    const int fd =
        ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode));
    if (fd < 0) throw IdentityError("cannot write " + tmp + ": " + errno_text());
    try {
        write_all(fd, content, tmp);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::fchmod(fd, static_cast<mode_t>(mode));
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0)
        throw IdentityError("cannot replace " + path + ": " + errno_text());
    fsync_dir(parent_of(path));
}

}  // namespace

void write_private_file(const std::string& path, const std::string& content, unsigned mode) {
    write_atomically(path, content, mode);
    give_to_service_user(path);
}

void write_root_file(const std::string& path, const std::string& content, unsigned mode) {
    write_atomically(path, content, mode);
    give_to_service_group(path);
}

}  // namespace lapor
