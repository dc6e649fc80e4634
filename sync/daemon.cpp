#include "daemon.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
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
    const char* path = std::getenv("NOTIFY_SOCKET");
    if (!path || (path[0] != '/' && path[0] != '@')) return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::size_t len = std::strlen(path);
    if (len >= sizeof addr.sun_path) return false;
    std::memcpy(addr.sun_path, path, len);
    if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';  // abstract socket
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const auto addr_len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + len);
    const bool ok = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                             reinterpret_cast<const sockaddr*>(&addr), addr_len) >= 0;
    ::close(fd);
    return ok;
}

std::optional<std::int64_t> watchdog_interval_ms() {
    const char* usec = std::getenv("WATCHDOG_USEC");
    if (!usec) return std::nullopt;
    const char* pid = std::getenv("WATCHDOG_PID");
    if (pid && std::strtol(pid, nullptr, 10) != ::getpid()) return std::nullopt;
    const long long us = std::strtoll(usec, nullptr, 10);
    if (us <= 0) return std::nullopt;
    return std::max<std::int64_t>(us / 2000, 1);
}

}  // namespace lapor::sync
