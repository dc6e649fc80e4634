#include "safe_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace lapor {
namespace {

std::string err(int e) { return std::strerror(e); }

void check_name(const std::string& name) {
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
        throw SafeFileError("internal: \"" + name + "\" is not a single file name");
}

void write_all(int fd, const std::string& s, const std::string& path) {
    std::size_t off = 0;
    while (off < s.size()) {
        const auto n = ::write(fd, s.data() + off, s.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw SafeFileError("cannot write " + path + ": " + err(errno));
        }
        off += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) throw SafeFileError("cannot sync " + path + ": " + err(errno));
}

// Owner first (chown may clear mode bits), then mode; both on the descriptor.
void own(int fd, mode_t mode, FileOwner owner, const std::string& path) {
    if (::geteuid() == 0 &&
        (owner.uid != static_cast<uid_t>(-1) || owner.gid != static_cast<gid_t>(-1))) {
        if (::fchown(fd, owner.uid, owner.gid) != 0)
            throw SafeFileError("cannot set the owner of " + path + ": " + err(errno));
    }
    if (::fchmod(fd, mode) != 0)
        throw SafeFileError("cannot set the mode of " + path + ": " + err(errno));
}

std::string link_refusal(const std::string& path) {
    return path +
           " is a link or not what was expected: refusing to follow it (a service user may "
           "have planted it; remove it and run again)";
}

}  // namespace

std::string parent_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

std::string name_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

SafeDir SafeDir::open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        if (e == ELOOP || e == ENOTDIR) throw SafeFileError(link_refusal(path));
        throw SafeFileError("cannot open the folder " + path + ": " + err(e));
    }
    return SafeDir(fd, path);
}

SafeDir& SafeDir::operator=(SafeDir&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = o.fd_;
        path_ = std::move(o.path_);
        o.fd_ = -1;
    }
    return *this;
}

SafeDir::~SafeDir() {
    if (fd_ >= 0) ::close(fd_);
}

SafeDir SafeDir::sub(const std::string& name, bool create, mode_t mode, FileOwner owner,
                     bool fix) const {
    check_name(name);
    const std::string path = path_ + "/" + name;
    bool made = false;
    if (create) {
        if (::mkdirat(fd_, name.c_str(), 0700) == 0)
            made = true;
        else if (errno != EEXIST)
            throw SafeFileError("cannot create " + path + ": " + err(errno));
    }
    const int fd = ::openat(fd_, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        if (e == ELOOP || e == ENOTDIR) throw SafeFileError(link_refusal(path));
        throw SafeFileError("cannot open the folder " + path + ": " + err(e));
    }
    SafeDir d(fd, path);
    if (made || fix) own(fd, mode, owner, path);
    return d;
}

void SafeDir::write(const std::string& name, const std::string& content, mode_t mode,
                    FileOwner owner) const {
    check_name(name);
    const std::string tmp = name + ".tmp";
    const std::string path = path_ + "/" + name;
    int fd = -1;
    for (int attempt = 0; attempt < 3 && fd < 0; ++attempt) {
        fd = ::openat(fd_, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno == EEXIST)
            ::unlinkat(fd_, tmp.c_str(), 0);  // the link, not its target
        else if (fd < 0)
            throw SafeFileError("cannot write " + path_ + "/" + tmp + ": " + err(errno));
    }
    if (fd < 0) throw SafeFileError("cannot write " + path_ + "/" + tmp + ": it keeps reappearing");
    try {
        write_all(fd, content, path_ + "/" + tmp);
        own(fd, mode, owner, path_ + "/" + tmp);
    } catch (...) {
        ::close(fd);
        ::unlinkat(fd_, tmp.c_str(), 0);
        throw;
    }
    ::close(fd);
    if (::renameat(fd_, tmp.c_str(), fd_, name.c_str()) != 0) {
        const int e = errno;
        ::unlinkat(fd_, tmp.c_str(), 0);
        throw SafeFileError("cannot replace " + path + ": " + err(e));
    }
    ::fsync(fd_);
}

bool SafeDir::create_new(const std::string& name, const std::string& content, mode_t mode,
                         FileOwner owner) const {
    check_name(name);
    const std::string tmp = name + ".new";
    const std::string path = path_ + "/" + name;
    if (has(name)) return false;
    ::unlinkat(fd_, tmp.c_str(), 0);  // a leftover (or planted link) at the temporary name
    const int fd =
        ::openat(fd_, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        throw SafeFileError("cannot create " + path + ": " + err(errno) +
                            " (is the folder there and writable?)");
    try {
        write_all(fd, content, path_ + "/" + tmp);
        own(fd, mode, owner, path_ + "/" + tmp);
    } catch (...) {
        ::close(fd);
        ::unlinkat(fd_, tmp.c_str(), 0);
        throw;
    }
    ::close(fd);
    // link() fails when something appeared at `name` meanwhile: never overwritten, and a power
    // cut leaves either nothing or the whole file.
    const int rc = ::linkat(fd_, tmp.c_str(), fd_, name.c_str(), 0);
    const int e = errno;
    ::unlinkat(fd_, tmp.c_str(), 0);
    if (rc != 0) {
        if (e == EEXIST) return false;
        throw SafeFileError("cannot create " + path + ": " + err(e));
    }
    ::fsync(fd_);
    return true;
}

std::optional<std::string> SafeDir::read(const std::string& name, std::size_t max_bytes) const {
    check_name(name);
    const std::string path = path_ + "/" + name;
    const int fd = ::openat(fd_, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        if (errno == ELOOP) throw SafeFileError(link_refusal(path));
        throw SafeFileError("cannot read " + path + ": " + err(errno));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw SafeFileError(link_refusal(path));
    }
    if (static_cast<std::size_t>(st.st_size) > max_bytes) {
        ::close(fd);
        throw SafeFileError(path + " is larger than " + std::to_string(max_bytes) + " bytes");
    }
    std::string out;
    char buf[8192];
    for (;;) {
        const auto n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int e = errno;
            ::close(fd);
            throw SafeFileError("cannot read " + path + ": " + err(e));
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
        if (out.size() > max_bytes) {
            ::close(fd);
            throw SafeFileError(path + " is larger than " + std::to_string(max_bytes) + " bytes");
        }
    }
    ::close(fd);
    return out;
}

bool SafeDir::set_owner(const std::string& name, mode_t mode, FileOwner owner) const {
    check_name(name);
    const std::string path = path_ + "/" + name;
    const int fd = ::openat(fd_, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return false;
        if (errno == ELOOP) throw SafeFileError(link_refusal(path));
        throw SafeFileError("cannot open " + path + ": " + err(errno));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) {
        ::close(fd);
        throw SafeFileError(link_refusal(path));
    }
    try {
        own(fd, mode, owner, path);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
    return true;
}

bool SafeDir::set_owner_only(const std::string& name, FileOwner owner) const {
    check_name(name);
    const std::string path = path_ + "/" + name;
    struct stat st {};
    if (::fstatat(fd_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) return false;
        throw SafeFileError("cannot look at " + path + ": " + err(errno));
    }
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) throw SafeFileError(link_refusal(path));
    if (::geteuid() != 0 ||
        (owner.uid == static_cast<uid_t>(-1) && owner.gid == static_cast<gid_t>(-1)))
        return true;
    // Should a link replace the file meanwhile, NOFOLLOW changes the link itself, nothing else.
    if (::fchownat(fd_, name.c_str(), owner.uid, owner.gid, AT_SYMLINK_NOFOLLOW) != 0)
        throw SafeFileError("cannot set the owner of " + path + ": " + err(errno));
    return true;
}

void SafeDir::set_own_owner(mode_t mode, FileOwner owner) const { own(fd_, mode, owner, path_); }

bool SafeDir::remove(const std::string& name) const {
    check_name(name);
    if (::unlinkat(fd_, name.c_str(), 0) == 0) return true;
    if (errno == ENOENT) return false;
    throw SafeFileError("cannot remove " + path_ + "/" + name + ": " + err(errno));
}

bool SafeDir::has(const std::string& name) const {
    check_name(name);
    struct stat st {};
    return ::fstatat(fd_, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

}  // namespace lapor
