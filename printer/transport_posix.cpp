// The file-descriptor transports: USB printer device, TCP, serial (termios), plain file, and
// CUPS through `lp` (a child process fed over a socket pair). All waits are poll() with timeouts.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "transport.h"
#include "transport_impl.h"

namespace lapor::printer {
namespace {

using Steady = std::chrono::steady_clock;

int ms_left(Steady::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

std::string errno_text(int e) { return std::strerror(e); }

class FdTransport : public Transport {
public:
    FdTransport(int fd, bool readable, bool socket)
        : fd_(fd), readable_(readable), socket_(socket) {}
    ~FdTransport() override {
        if (fd_ >= 0) ::close(fd_);
    }
    FdTransport(const FdTransport&) = delete;
    FdTransport& operator=(const FdTransport&) = delete;

    IoStatus write_all(std::string_view data, int timeout_ms, std::size_t& written) override {
        written = 0;
        const auto deadline = Steady::now() + std::chrono::milliseconds(timeout_ms);
        while (written < data.size()) {
            pollfd p{fd_, POLLOUT, 0};
            const int r = ::poll(&p, 1, ms_left(deadline));
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) return fail(errno);
            if (r == 0) {
                error_ = "the printer took only " + std::to_string(written) + " of " +
                         std::to_string(data.size()) + " bytes within " +
                         std::to_string(timeout_ms) + " ms";
                return IoStatus::timeout;
            }
            // A hung-up socket or tty (POLLERR/POLLHUP): the write below reports the exact error.
            const char* at = data.data() + written;
            const std::size_t n = data.size() - written;
            const ssize_t w = socket_ ? ::send(fd_, at, n, MSG_NOSIGNAL) : ::write(fd_, at, n);
            if (w < 0) {
                if (errno == EAGAIN || errno == EINTR) continue;
                return fail(errno);
            }
            written += static_cast<std::size_t>(w);
        }
        return IoStatus::ok;
    }

    IoStatus read_some(std::string& out, int timeout_ms) override {
        if (!readable_) return IoStatus::timeout;
        const auto deadline = Steady::now() + std::chrono::milliseconds(timeout_ms);
        for (;;) {
            pollfd p{fd_, POLLIN, 0};
            const int r = ::poll(&p, 1, ms_left(deadline));
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) return fail(errno);
            if (r == 0) return IoStatus::timeout;
            char buf[256];
            const ssize_t n = ::read(fd_, buf, sizeof buf);
            if (n > 0) {
                out.append(buf, static_cast<std::size_t>(n));
                return IoStatus::ok;
            }
            if (n == 0) {
                if (socket_) {
                    error_ = "the printer closed the connection";
                    return IoStatus::closed;
                }
                // A device with nothing to say: wait out the rest without spinning.
                if (ms_left(deadline) == 0) return IoStatus::timeout;
                std::this_thread::sleep_for(
                    std::chrono::milliseconds(std::min(10, ms_left(deadline))));
                continue;
            }
            if (errno == EAGAIN || errno == EINTR) continue;
            return fail(errno);
        }
    }

    void drain() override {
        if (!readable_) return;
        char buf[256];
        for (int i = 0; i < 64; ++i) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN)) return;
            if (::read(fd_, buf, sizeof buf) <= 0) return;
        }
    }

    bool finish(int timeout_ms, std::string& error) override {
        if (socket_) {
            // Let the printer read everything before the connection goes.
            ::shutdown(fd_, SHUT_WR);
            std::string ignored;
            const auto deadline =
                Steady::now() + std::chrono::milliseconds(std::min(timeout_ms, 200));
            while (ms_left(deadline) > 0 && read_some(ignored, ms_left(deadline)) == IoStatus::ok) {
            }
        }
        if (::isatty(fd_)) {
            // close() on a tty waits (up to 30 s) for unsent output, e.g. when flow control
            // holds it back: wait for it here within the timeout, then discard the rest.
            const auto deadline = Steady::now() + std::chrono::milliseconds(timeout_ms);
            int pending = 0;
            while (::ioctl(fd_, TIOCOUTQ, &pending) == 0 && pending > 0 && ms_left(deadline) > 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            ::tcflush(fd_, TCOFLUSH);
        }
        const int fd = fd_;
        fd_ = -1;
        if (::close(fd) != 0 && errno != EINTR) {
            error = "closing the printer failed: " + errno_text(errno);
            return false;
        }
        return true;
    }

    std::string last_error() const override { return error_; }

protected:
    IoStatus fail(int e) {
        error_ = errno_text(e);
        if (e == EPIPE || e == ECONNRESET || e == EIO || e == ENODEV || e == ENOTCONN ||
            e == ESHUTDOWN) {
            error_ = "the printer connection dropped (" + errno_text(e) + ")";
            return IoStatus::closed;
        }
        return IoStatus::error;
    }

    int fd_;
    bool readable_;
    bool socket_;
    std::string error_;
};

OpenError open_error_from(int e, const std::string& what) {
    OpenError err;
    err.kind = e == EBUSY                                 ? OpenError::busy
               : e == ENOENT || e == ENXIO || e == ENODEV ? OpenError::missing
               : e == EACCES || e == EPERM                ? OpenError::permission
                                                          : OpenError::other;
    switch (err.kind) {
        case OpenError::busy:
            err.message = what + " is busy (another program is printing); try again shortly";
            break;
        case OpenError::missing:
            err.message = what + " does not exist: is the printer plugged in and switched on?";
            break;
        case OpenError::permission:
            err.message = what +
                          ": permission denied; the service user needs the lp group "
                          "(or a udev rule for the printer)";
            break;
        default: err.message = what + ": " + errno_text(e); break;
    }
    return err;
}

speed_t speed_of(int baud) {
    switch (baud) {
        case 1200: return B1200;
        case 2400: return B2400;
        case 4800: return B4800;
        case 9600: return B9600;
        case 19200: return B19200;
        case 38400: return B38400;
        case 57600: return B57600;
        case 115200: return B115200;
        case 230400: return B230400;
        case 460800: return B460800;
        case 921600: return B921600;
        default: return B9600;
    }
}

class CupsTransport final : public FdTransport {
public:
    CupsTransport(int fd, pid_t pid, std::string queue)
        : FdTransport(fd, false, true), pid_(pid), queue_(std::move(queue)) {}
    ~CupsTransport() override {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    CupsTransport(const CupsTransport&) = delete;
    CupsTransport& operator=(const CupsTransport&) = delete;

    bool finish(int timeout_ms, std::string& error) override {
        ::close(fd_);
        fd_ = -1;
        const auto deadline = Steady::now() + std::chrono::milliseconds(timeout_ms);
        int status = 0;
        for (;;) {
            const pid_t r = ::waitpid(pid_, &status, WNOHANG);
            if (r == pid_) break;
            if (r < 0) {
                error = "lp vanished: " + errno_text(errno);
                pid_ = -1;
                return false;
            }
            if (ms_left(deadline) == 0) {
                error = "lp did not finish within " + std::to_string(timeout_ms) + " ms";
                return false;  // the destructor stops it
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        pid_ = -1;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
            error = "the lp command is missing: install cups-client, or use another transport";
            return false;
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            error = "lp refused the job for queue " + queue_ +
                    " (is the queue there and enabled? lpstat -p " + queue_ + ")";
            return false;
        }
        return true;
    }

private:
    pid_t pid_;
    std::string queue_;
};

}  // namespace

std::unique_ptr<Transport> open_device(const TransportSpec& s, const OpenOptions& o,
                                       OpenError& err) {
    const bool serial = s.kind == TransportKind::serial;
    const auto deadline = Steady::now() + std::chrono::milliseconds(o.busy_retry_ms);
    int fd = -1;
    for (;;) {
        fd = ::open(s.path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0) break;
        const int e = errno;
        if (e == EBUSY && ms_left(deadline) > 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
        }
        err = open_error_from(e, s.path);
        return nullptr;
    }
    if (serial) {
        termios t{};
        if (::tcgetattr(fd, &t) != 0) {
            err = {OpenError::other, s.path + " is not a serial port: " + errno_text(errno)};
            ::close(fd);
            return nullptr;
        }
        ::cfmakeraw(&t);
        ::cfsetispeed(&t, speed_of(s.baud));
        ::cfsetospeed(&t, speed_of(s.baud));
        t.c_cflag |= CLOCAL | CREAD;
        t.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | PARENB);
        if (s.rtscts)
            t.c_cflag |= CRTSCTS;
        else
            t.c_cflag &= ~static_cast<tcflag_t>(CRTSCTS);
        t.c_cc[VMIN] = 0;
        t.c_cc[VTIME] = 0;
        if (::tcsetattr(fd, TCSANOW, &t) != 0) {
            err = {OpenError::other, "cannot set up " + s.path + ": " + errno_text(errno)};
            ::close(fd);
            return nullptr;
        }
        ::tcflush(fd, TCIFLUSH);
    }
    return std::make_unique<FdTransport>(fd, true, false);
}

std::unique_ptr<Transport> open_tcp(const TransportSpec& s, const OpenOptions& o, OpenError& err) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* res = nullptr;
    const std::string port = std::to_string(s.port);
    if (const int rc = ::getaddrinfo(s.host.c_str(), port.c_str(), &hints, &res); rc != 0) {
        err = {OpenError::missing, "cannot find printer host " + s.host + ": " + gai_strerror(rc)};
        return nullptr;
    }
    std::string last = "no address";
    OpenError::Kind kind = OpenError::other;
    for (addrinfo* a = res; a; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) continue;
        int r = ::connect(fd, a->ai_addr, a->ai_addrlen);
        if (r != 0 && errno == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            int pr;
            do {
                pr = ::poll(&p, 1, o.connect_timeout_ms);
            } while (pr < 0 && errno == EINTR);
            if (pr == 0) {
                ::close(fd);
                last = "no answer within " + std::to_string(o.connect_timeout_ms) + " ms";
                kind = OpenError::timeout;
                continue;
            }
            int soerr = 0;
            socklen_t len = sizeof soerr;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
            r = soerr == 0 ? 0 : -1;
            errno = soerr;
        }
        if (r == 0) {
            ::freeaddrinfo(res);
            return std::make_unique<FdTransport>(fd, true, true);
        }
        last = errno_text(errno);
        kind = errno == ECONNREFUSED ? OpenError::refused : OpenError::other;
        ::close(fd);
    }
    ::freeaddrinfo(res);
    err = {kind, "cannot connect to the printer at " + s.host + ":" + port + ": " + last +
                     " (is it switched on and on the network?)"};
    return nullptr;
}

std::unique_ptr<Transport> open_file(const TransportSpec& s, OpenError& err) {
    const int fd = ::open(s.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        err = open_error_from(errno, s.path);
        return nullptr;
    }
    return std::make_unique<FdTransport>(fd, false, false);
}

std::unique_ptr<Transport> open_cups(const TransportSpec& s, OpenError& err) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        err = {OpenError::other, "cannot start lp: " + errno_text(errno)};
        return nullptr;
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        err = {OpenError::other, "cannot start lp: " + errno_text(errno)};
        ::close(sv[0]);
        ::close(sv[1]);
        return nullptr;
    }
    if (pid == 0) {
        ::dup2(sv[1], 0);
        const int devnull = ::open("/dev/null", O_WRONLY);
        if (devnull >= 0) ::dup2(devnull, 1), ::dup2(devnull, 2);
        ::shutdown(0, SHUT_WR);
        const char* argv[] = {"lp", "-d", s.queue.c_str(), "-o", "raw", "-s", nullptr};
        ::execvp("lp", const_cast<char* const*>(argv));
        ::_exit(127);
    }
    ::close(sv[1]);
    ::shutdown(sv[0], SHUT_RD);
    const int flags = ::fcntl(sv[0], F_GETFL);
    ::fcntl(sv[0], F_SETFL, flags | O_NONBLOCK);
    return std::make_unique<CupsTransport>(sv[0], pid, s.queue);
}

}  // namespace lapor::printer
