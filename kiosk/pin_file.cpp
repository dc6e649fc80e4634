#include "pin_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "files.h"
#include "identity.h"
#include "safe_files.h"

namespace lapor {
namespace {

std::string errno_words() { return std::strerror(errno); }

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

}  // namespace

std::optional<std::string> read_pin_file(const std::string& path) {
    // Not followed if it is a link: the PIN file is a plain file that set-pin made.
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        throw PinFileError(
            "cannot read the staff PIN file " + path + ": " + errno_words() +
            (errno == ELOOP ? " (it is a symbolic link; run kioskctl set-pin)" : ""));
    }
    Fd f(fd);
    char buf[512];
    std::string text;
    for (;;) {
        const auto n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            throw PinFileError("cannot read the staff PIN file " + path + ": " + errno_words());
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > 4096) break;
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    if (!text.starts_with("$argon2id$") || text.size() > 256 ||
        text.find_first_of("\n\r\t ") != std::string::npos)
        throw PinFileError("the staff PIN file " + path +
                           " does not hold an Argon2id hash; set the PIN again with "
                           "`kioskctl set-pin`");
    return text;
}

void write_pin_file(const std::string& path, const std::string& hash) {
    const auto slash = path.rfind('/');
    const std::string dir =
        slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const std::string tmp = "." + name + ".new";
    const Fd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (dfd.get() < 0)
        throw PinFileError("cannot open the folder " + dir +
                           " for the staff PIN file: " + errno_words());
    auto create = [&] {
        return ::openat(dfd.get(), tmp.c_str(),
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    };
    int fd = create();
    if (fd < 0 && errno == EEXIST) {
        // Left by a crash, or planted: unlinkat removes the name itself (a link is not followed).
        if (::unlinkat(dfd.get(), tmp.c_str(), 0) != 0 && errno != ENOENT)
            throw PinFileError("cannot remove the old temporary file " + dir + "/" + tmp + ": " +
                               errno_words());
        fd = create();
    }
    if (fd < 0)
        throw PinFileError("cannot create " + dir + "/" + tmp + ": " + errno_words() +
                           " (nothing was changed)");
    const Fd f(fd);
    auto fail = [&](const std::string& what) {
        const std::string words = what + ": " + errno_words() + " (nothing was changed)";
        ::unlinkat(dfd.get(), tmp.c_str(), 0);
        throw PinFileError(words);
    };
    // root:<the services' group>: the UI reads it, only root writes it (identity.h).
    const FileOwner owner = root_group_owner();
    if (owner.gid != static_cast<gid_t>(-1) && ::fchown(fd, owner.uid, owner.gid) != 0)
        fail("cannot give the PIN file to root and the services' group");
    if (::fchmod(fd, 0640) != 0) fail("cannot set the mode of the PIN file");
    const std::string line = hash + "\n";
    std::size_t off = 0;
    while (off < line.size()) {
        const auto n = ::write(fd, line.data() + off, line.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("cannot write " + dir + "/" + tmp);
        off += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) fail("cannot sync " + dir + "/" + tmp);
    if (::renameat(dfd.get(), tmp.c_str(), dfd.get(), name.c_str()) != 0)
        fail("cannot put the PIN file in place as " + path);
    ::fsync(dfd.get());
}

}  // namespace lapor
