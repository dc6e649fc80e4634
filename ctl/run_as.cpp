#include "run_as.h"

#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "safe_files.h"

namespace lapor::ctl {
namespace {

// The user's own groups (the UI's user is in lp, video, ...), then gid, then uid (after
// setresuid there is no way back to change the others).
bool become(Service s, const FileOwner& o) {
    return ::initgroups(service_user_name(s).c_str(), o.gid) == 0 &&
           ::setresgid(o.gid, o.gid, o.gid) == 0 && ::setresuid(o.uid, o.uid, o.uid) == 0;
}

}  // namespace

bool others_can_plant_in(const std::string& folder) {
    if (::geteuid() != 0) return false;
    // A folder still to be made is as safe as the one it will be made in.
    std::string f = folder.empty() ? "." : folder;
    struct stat st {};
    while (::stat(f.c_str(), &st) != 0) {
        if (errno != ENOENT || f == "/" || f == ".") return true;
        const auto up = parent_of(f);
        f = up.empty() || up == f ? "." : up;
    }
    return st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
}

void drop_before_store(const std::string& db_path, Service s) {
    if (!others_can_plant_in(parent_of(db_path))) return;
    if (!drop_to(s))
        throw std::runtime_error("refusing to open " + db_path + " as root: its folder can be " +
                                 "written by others and there is no user " + service_user_name(s) +
                                 " to open it as; run this as that user");
}

bool drop_to(Service s) {
    const FileOwner o = service_owner(s);
    if (o.uid == static_cast<uid_t>(-1)) return false;
    if (!become(s, o))
        throw std::runtime_error("cannot switch to user " + service_user_name(s) + ": " +
                                 std::strerror(errno));
    return true;
}

std::optional<std::string> run_as(Service s, const std::function<std::string()>& fn,
                                  std::string& why) {
    const FileOwner o = service_owner(s);
    if (o.uid == static_cast<uid_t>(-1)) {
        try {
            return fn();
        } catch (const std::exception& e) {
            why = e.what();
            return std::nullopt;
        }
    }
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) {
        why = std::string("cannot make a pipe: ") + std::strerror(errno);
        return std::nullopt;
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        why = std::string("cannot fork: ") + std::strerror(errno);
        return std::nullopt;
    }
    if (pid == 0) {
        ::close(p[0]);
        std::string out;
        int code = 0;
        if (!become(s, o)) {
            out = "cannot switch to user " + service_user_name(s) + ": " + std::strerror(errno);
            code = 1;
        } else {
            try {
                out = fn();
            } catch (const std::exception& e) {
                out = e.what();
                code = 1;
            }
        }
        std::size_t off = 0;
        while (off < out.size()) {
            const auto n = ::write(p[1], out.data() + off, out.size() - off);
            if (n <= 0) break;
            off += static_cast<std::size_t>(n);
        }
        ::_exit(code);
    }
    ::close(p[1]);
    std::string out;
    char buf[4096];
    for (;;) {
        const auto n = ::read(p[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(p[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        why = out.empty() ? "the helper process failed" : out;
        return std::nullopt;
    }
    return out;
}

}  // namespace lapor::ctl
