// Files written by root inside folders a service user can write (the data partition), without
// following a link or trusting a name the service user could have planted there.
//
// A folder is held open by descriptor and every name inside it is opened relative to that
// descriptor with O_NOFOLLOW; new files are created with O_EXCL under a temporary name and renamed
// into place (rename replaces a planted link itself, never what it points at); owner and mode are
// set with fchown/fchmod on the open descriptor, never by path. The same code runs unprivileged
// (development, tests), where owners are simply left as they are.
#pragma once
#include <sys/types.h>

#include <optional>
#include <stdexcept>
#include <string>

namespace lapor {

struct SafeFileError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Who a file should belong to; -1 leaves that id as it is (and nothing changes when not root).
struct FileOwner {
    uid_t uid = static_cast<uid_t>(-1);
    gid_t gid = static_cast<gid_t>(-1);
    static FileOwner unchanged() { return {}; }
};

// An open folder. Names given to its methods are single path components (no '/').
class SafeDir {
public:
    // Opens `path`. Links in the path above its last component are followed (that part is the
    // trusted, root-owned ancestry, like /var/lib), the last component must not be a link.
    static SafeDir open(const std::string& path);
    // Opens the folder `name` inside this one, not following a link; creates it (mode, owner set
    // on the new descriptor) when `create` and it is absent. An existing folder's owner and mode
    // are set too when `fix` is true.
    SafeDir sub(const std::string& name, bool create, mode_t mode, FileOwner owner,
                bool fix = false) const;

    SafeDir(SafeDir&& o) noexcept : fd_(o.fd_), path_(std::move(o.path_)) { o.fd_ = -1; }
    SafeDir& operator=(SafeDir&& o) noexcept;
    SafeDir(const SafeDir&) = delete;
    SafeDir& operator=(const SafeDir&) = delete;
    ~SafeDir();

    // Replaces `name` atomically: `name`.tmp is created with O_EXCL|O_NOFOLLOW (whatever was left
    // at that name, a planted link included, is removed first, not followed), written, synced,
    // fchown'd and fchmod'd, then renamed over `name`.
    void write(const std::string& name, const std::string& content, mode_t mode,
               FileOwner owner) const;
    // Creates `name` only when nothing is there (link(2) of a synced `name`.new): true when it
    // did. Never replaces an existing file (or a link planted at that name).
    bool create_new(const std::string& name, const std::string& content, mode_t mode,
                    FileOwner owner) const;
    // The regular file `name`, read without following a link; nullopt when absent. Throws when it
    // is a link or not a regular file, or larger than `max_bytes`.
    std::optional<std::string> read(const std::string& name, std::size_t max_bytes) const;
    // Sets owner and mode of the existing regular file or folder `name` (never through a link).
    // False when it is absent.
    bool set_owner(const std::string& name, mode_t mode, FileOwner owner) const;
    // Sets only the owner of `name` without opening it (fchownat, AT_SYMLINK_NOFOLLOW): for files
    // another part of this process holds open, such as the database, whose POSIX locks a close()
    // here would drop. False when absent; throws when it is a link.
    bool set_owner_only(const std::string& name, FileOwner owner) const;
    // Sets owner and mode of this folder itself.
    void set_own_owner(mode_t mode, FileOwner owner) const;
    // Removes `name` (a link is removed itself); true when something was removed.
    bool remove(const std::string& name) const;
    // True when something (anything, a link too) has that name.
    bool has(const std::string& name) const;
    const std::string& path() const { return path_; }
    int fd() const { return fd_; }

private:
    SafeDir(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
    int fd_ = -1;
    std::string path_;
};

// The folder part and the name part of a path ("a/b/c" -> "a/b", "c").
std::string parent_of(const std::string& path);
std::string name_of(const std::string& path);

}  // namespace lapor
