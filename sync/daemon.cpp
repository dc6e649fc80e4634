#include "daemon.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "files.h"

namespace lapor::sync {

std::string default_pid_file() {
    const char* env = std::getenv("LAPOR_SYNC_PID_FILE");
    return env && *env ? env : "/run/lapor-kiosk/lapor-sync.pid";
}

PidFile::PidFile(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
        throw std::runtime_error("cannot write the pid file " + path_ + ": " +
                                 std::strerror(errno) +
                                 " (give --pid-file or $LAPOR_SYNC_PID_FILE elsewhere)");
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const auto other = read_text_file(path_).value_or("?");
        ::close(fd_);
        fd_ = -1;
        throw std::runtime_error("another lapor-sync is already running (pid " +
                                 other.substr(0, other.find('\n')) + ", pid file " + path_ + ")");
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) != 0 ||
        ::write(fd_, pid.data(), pid.size()) != static_cast<ssize_t>(pid.size()))
        throw std::runtime_error("cannot write the pid file " + path_);
}

PidFile::~PidFile() {
    if (fd_ >= 0) {
        ::unlink(path_.c_str());
        ::close(fd_);
    }
}

std::optional<pid_t> running_pid(const std::string& pid_file, std::string& why) {
    const int fd = ::open(pid_file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        why = "lapor-sync is not running (no pid file " + pid_file + ")";
        return std::nullopt;
    }
    // Locked means a live lapor-sync holds it; a file nobody locks is left over from a crash.
    const bool free_lock = ::flock(fd, LOCK_SH | LOCK_NB) == 0;
    char buf[32] = {};
    const auto n = ::read(fd, buf, sizeof buf - 1);
    ::close(fd);
    if (free_lock) {
        why = "lapor-sync is not running (the pid file " + pid_file + " is left from before)";
        return std::nullopt;
    }
    const long pid = n > 0 ? std::strtol(buf, nullptr, 10) : 0;
    if (pid <= 1) {
        why = "the pid file " + pid_file + " does not hold a pid";
        return std::nullopt;
    }
    return static_cast<pid_t>(pid);
}

bool notify_systemd(const std::string& state) {
    // libsystemd's sd_notify: $NOTIFY_SOCKET, abstract sockets and credentials done right.
    return sd_notify(0, state.c_str()) > 0;
}

std::optional<std::int64_t> watchdog_interval_ms() {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
    return std::max<std::int64_t>(static_cast<std::int64_t>(usec / 2000), 1);
}

std::optional<pid_t> signal_running(const std::string& pid_file, int signo, std::string& why) {
    const auto pid = running_pid(pid_file, why);
    if (!pid) return std::nullopt;
    // The pid file sits in a folder the service user can write: it names a process, it proves
    // nothing. Pin the process first (pidfd), then check that it is lapor-sync running as the
    // pid file's owner, then signal through the pidfd: a pid reused in between gets nothing.
    const int pfd = static_cast<int>(::syscall(SYS_pidfd_open, *pid, 0));
    if (pfd < 0) {
        why = "lapor-sync is not running (pid " + std::to_string(*pid) + " from " + pid_file +
              " is gone)";
        return std::nullopt;
    }
    struct stat file_st {
    }, proc_st{};
    const std::string proc = "/proc/" + std::to_string(*pid);
    char exe[4096] = {};
    const auto n = ::readlink((proc + "/exe").c_str(), exe, sizeof exe - 1);
    std::string name = n > 0 ? std::string(exe, static_cast<std::size_t>(n)) : "";
    if (const auto slash = name.rfind('/'); slash != name.npos) name = name.substr(slash + 1);
    const bool same_owner = ::stat(pid_file.c_str(), &file_st) == 0 &&
                            ::stat(proc.c_str(), &proc_st) == 0 && file_st.st_uid == proc_st.st_uid;
    if (n <= 0 || name != "lapor-sync" || !same_owner) {
        ::close(pfd);
        why = "refusing to signal pid " + std::to_string(*pid) + " from " + pid_file + ": it is " +
              (n <= 0 ? std::string("not readable") : "\"" + name + "\"") +
              (same_owner ? "" : ", not run by the pid file's owner") +
              ", not lapor-sync (a stale or planted pid file)";
        return std::nullopt;
    }
    const bool sent = ::syscall(SYS_pidfd_send_signal, pfd, signo, nullptr, 0) == 0;
    const int err = errno;
    ::close(pfd);
    if (!sent) {
        why = "cannot signal lapor-sync (pid " + std::to_string(*pid) + "): " + std::strerror(err) +
              (err == EPERM ? " (run as the lapor user or root)" : "");
        return std::nullopt;
    }
    return pid;
}

std::int64_t restart_delay_ms(const std::string& state, std::int64_t boot_ms) {
    long long count = 0, last = 0;
    if (const auto text = read_text_file(state))
        if (std::sscanf(text->c_str(), "%lld %lld", &count, &last) != 2) count = last = 0;
    const bool quick = last > 0 && boot_ms >= last && boot_ms - last < restart_window_ms;
    count = quick ? std::min(count + 1, 30LL) : 0;
    const std::string tmp = state + ".tmp";
    if (FILE* f = std::fopen(tmp.c_str(), "w")) {
        std::fprintf(f, "%lld %lld\n", count, static_cast<long long>(boot_ms));
        std::fclose(f);
        std::rename(tmp.c_str(), state.c_str());
    }
    if (count == 0) return 0;
    return std::min<std::int64_t>(restart_max_delay_ms, 5000LL << std::min(count - 1, 10LL));
}

}  // namespace lapor::sync
