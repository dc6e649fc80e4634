#include "virtual_printer.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "bitmap.h"
#include "profile.h"
#include "render.h"

namespace lapor::printer {

std::optional<VirtualMode> virtual_mode_from(std::string_view s) {
    for (auto m : {VirtualMode::ok, VirtualMode::paper_near_end, VirtualMode::paper_out,
                   VirtualMode::cover_open, VirtualMode::offline, VirtualMode::silent,
                   VirtualMode::disconnect}) {
        if (to_string(m) == s) return m;
    }
    return std::nullopt;
}

std::string_view to_string(VirtualMode m) {
    switch (m) {
        case VirtualMode::ok: return "ok";
        case VirtualMode::paper_near_end: return "paper_near_end";
        case VirtualMode::paper_out: return "paper_out";
        case VirtualMode::cover_open: return "cover_open";
        case VirtualMode::offline: return "offline";
        case VirtualMode::silent: return "silent";
        case VirtualMode::disconnect: return "disconnect";
    }
    return "ok";
}

namespace {

// The printer's command parser: consumes whole commands from the front of `buf`; stops when
// the next command is incomplete (the rest waits for more bytes, across connections too).
class CommandParser {
public:
    struct Events {
        int cuts = 0;
        int confirms = 0;  // GS r 1/2 reached in order
    };
    Events feed(std::string& buf) {
        Events ev;
        std::size_t i = 0;
        auto at = [&](std::size_t k) {
            return static_cast<unsigned>(static_cast<unsigned char>(buf[k]));
        };
        for (;;) {
            if (skip_ > 0) {  // inside a payload
                const std::size_t n = std::min(skip_, buf.size() - i);
                skip_ -= n;
                i += n;
                if (skip_ > 0) break;
            }
            if (i >= buf.size()) break;
            const unsigned b = at(i);
            std::size_t need = 1;
            if (b == 0x10)
                need = 3;
            else if (b == 0x1B) {
                if (i + 1 >= buf.size()) break;
                const unsigned c = at(i + 1);
                need = (c == '@' || c == '2') ? 2 : 3;
            } else if (b == 0x1D) {
                if (i + 1 >= buf.size()) break;
                const unsigned c = at(i + 1);
                if (c == 'v') {
                    if (i + 8 > buf.size()) break;
                    i += 8;
                    skip_ = static_cast<std::size_t>(at(i - 4) | at(i - 3) << 8) *
                            static_cast<std::size_t>(at(i - 2) | at(i - 1) << 8);
                    continue;
                }
                if (c == '(') {
                    if (i + 5 > buf.size()) break;
                    i += 5;
                    skip_ = at(i - 2) | at(i - 1) << 8;
                    continue;
                }
                if (c == 'V') {
                    if (i + 3 > buf.size()) break;
                    need = (at(i + 2) == 65 || at(i + 2) == 66) ? 4 : 3;
                    if (i + need > buf.size()) break;
                    ++ev.cuts;
                    i += need;
                    continue;
                }
                if (c == 'r') {
                    if (i + 3 > buf.size()) break;
                    ++ev.confirms;
                    i += 3;
                    continue;
                }
                need = 3;
            }
            if (i + need > buf.size()) break;
            i += need;
        }
        buf.erase(0, i);
        return ev;
    }

private:
    std::size_t skip_ = 0;
};

class Server final : public VirtualPrinter {
public:
    Server(Options o) : o_(std::move(o)) {
        if (!o_.record_dir.empty()) {
            // Resolved once: a wrong name fails here (ProfileError listing the known ones), not
            // once per recorded job.
            if (!o_.profile.empty()) profile_ = load_profile(o_.profile);
            recorded_ = highest_recorded(o_.record_dir);
        }
        if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0)
            throw std::runtime_error("virtual printer: cannot create a pipe");
    }
    ~Server() override {
        stop_ = true;
        const char c = 0;
        [[maybe_unused]] auto n = ::write(wake_[1], &c, 1);
        if (thread_.joinable()) thread_.join();
        for (int fd : {listen_fd_, client_fd_, master_fd_, slave_fd_, wake_[0], wake_[1]}) {
            if (fd >= 0) ::close(fd);
        }
    }
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    void start_tcp(const std::string& host, int port) {
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        int one = 1;
        ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        if (::inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1)
            throw std::runtime_error("virtual printer: " + host + " is not an IPv4 address");
        if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
            ::listen(listen_fd_, 4) != 0)
            throw std::runtime_error("virtual printer: cannot listen on " + host + ":" +
                                     std::to_string(port) + ": " + std::strerror(errno));
        socklen_t len = sizeof a;
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        host_ = host;
        thread_ = std::thread([this] { run(); });
    }

    void start_pty() {
        if (!o_.record_dir.empty())
            throw std::invalid_argument(
                "virtual printer: a pty has no connections to record as jobs; record over TCP "
                "(--listen) instead");
        master_fd_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
        if (master_fd_ < 0 || ::grantpt(master_fd_) != 0 || ::unlockpt(master_fd_) != 0)
            throw std::runtime_error("virtual printer: no pseudo-terminal available");
        char name[128];
        if (::ptsname_r(master_fd_, name, sizeof name) != 0)
            throw std::runtime_error("virtual printer: no pseudo-terminal name");
        pty_path_ = name;
        // Keep the slave open ourselves so the master never sees a hang-up between jobs.
        slave_fd_ = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
        termios t{};
        ::tcgetattr(slave_fd_, &t);
        ::cfmakeraw(&t);
        ::tcsetattr(slave_fd_, TCSANOW, &t);
        {
            std::lock_guard lock(mu_);
            jobs_.emplace_back();
            ++connections_;
        }
        thread_ = std::thread([this] { run(); });
    }

    std::string transport() const override {
        if (!pty_path_.empty()) return "serial:" + pty_path_ + ":115200";
        return "tcp:" + host_ + ":" + std::to_string(port_);
    }
    int port() const override { return port_; }
    std::string device_path() const override { return pty_path_; }
    void set_mode(VirtualMode m) override {
        std::lock_guard lock(mu_);
        o_.mode = m;
    }
    VirtualMode mode() const override {
        std::lock_guard lock(mu_);
        return o_.mode;
    }
    std::vector<std::string> jobs() const override {
        std::lock_guard lock(mu_);
        return jobs_;
    }
    std::string received() const override {
        std::lock_guard lock(mu_);
        std::string all;
        for (const auto& j : jobs_) all += j;
        return all;
    }
    int printed() const override {
        std::lock_guard lock(mu_);
        return printed_;
    }
    int connections() const override {
        std::lock_guard lock(mu_);
        return connections_;
    }
    bool wait_closed(int n, int timeout_ms) const override {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                            [&] { return closed_ >= n; });
    }
    void clear() override {
        std::lock_guard lock(mu_);
        jobs_.clear();
        if (!pty_path_.empty() || client_open_) jobs_.emplace_back();
        printed_ = connections_ = closed_ = 0;
    }

private:
    static bool can_print(VirtualMode m) {
        // A silent printer prints but never answers (a common clone).
        return m == VirtualMode::ok || m == VirtualMode::paper_near_end ||
               m == VirtualMode::disconnect || m == VirtualMode::silent;
    }
    static std::uint8_t status_byte(VirtualMode m, unsigned n) {
        std::uint8_t b = 0x12;
        switch (m) {
            case VirtualMode::paper_near_end:
                if (n == 4) b |= 0x0C;
                break;
            case VirtualMode::paper_out:
                if (n == 1) b |= 0x08;
                if (n == 2) b |= 0x20;
                if (n == 4) b |= 0x60;
                break;
            case VirtualMode::cover_open:
                if (n == 1) b |= 0x08;
                if (n == 2) b |= 0x04;
                break;
            case VirtualMode::offline:
                if (n == 1) b |= 0x08;
                if (n == 2) b |= 0x40;
                break;
            default: break;
        }
        return b;
    }

    int io_fd() const { return master_fd_ >= 0 ? master_fd_ : client_fd_; }

    void reply(std::uint8_t b) {
        const int fd = io_fd();
        if (fd < 0) return;
        if (master_fd_ >= 0) {
            [[maybe_unused]] auto n = ::write(fd, &b, 1);
        } else {
            [[maybe_unused]] auto n = ::send(fd, &b, 1, MSG_NOSIGNAL);
        }
    }

    void close_client() {
        if (client_fd_ < 0) return;
        ::close(client_fd_);
        client_fd_ = -1;
        std::string bytes;
        int number = 0;
        {
            std::lock_guard lock(mu_);
            client_open_ = false;
            ++closed_;
            bytes = jobs_.empty() ? std::string() : jobs_.back();
            // A connection that sent nothing (a port probe) leaves no file behind.
            if (!bytes.empty()) number = ++recorded_;
        }
        if (number > 0) record(bytes, number);
        cv_.notify_all();
    }

    // The highest NNNN of the job-NNNN.* files already in `dir` (0 if none), so a reused folder
    // keeps its older recordings.
    static int highest_recorded(const std::string& dir) {
        int top = 0;
        std::error_code ec;
        for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
             it.increment(ec)) {
            const std::string name = it->path().filename().string();
            if (name.size() < 9 || name.compare(0, 4, "job-") != 0) continue;
            int n = 0;
            std::size_t k = 4;
            for (; k < name.size() && name[k] >= '0' && name[k] <= '9' && n < 100000000; ++k)
                n = n * 10 + (name[k] - '0');
            if (k >= 8 && k < name.size() && name[k] == '.') top = std::max(top, n);
        }
        return top;
    }

    // Failures are logged on stderr: the recording is lost, the printer keeps serving.
    void record(const std::string& bytes, int number) {
        if (o_.record_dir.empty()) return;
        char name[32];
        std::snprintf(name, sizeof name, "/job-%04d", number);
        const std::string base = o_.record_dir + name;
        {
            std::ofstream f(base + ".bin", std::ios::binary);
            f << bytes;
            f.close();
            if (!f) {
                std::cerr << "virtual printer: could not write " << base
                          << ".bin: " << std::strerror(errno) << "; this job is not recorded\n";
                return;
            }
        }
        if (!profile_) return;
        try {
            write_png(render_escpos(bytes, *profile_), base + ".png");
        } catch (const std::exception& e) {
            std::ofstream f(base + ".txt");
            f << "not rendered: " << e.what() << "\n";
            f.close();
            if (!f)
                std::cerr << "virtual printer: could not write " << base
                          << ".txt (not rendered: " << e.what() << ")\n";
        }
    }

    void on_bytes(const char* data, std::size_t n) {
        VirtualMode m;
        {
            std::lock_guard lock(mu_);
            m = o_.mode;
            if (jobs_.empty()) jobs_.emplace_back();
            jobs_.back().append(data, n);
        }
        // Real-time status: scanned on arrival, whatever the parser is in the middle of.
        for (std::size_t k = 0; k < n; ++k) {
            const auto b = static_cast<unsigned char>(data[k]);
            if (rt_state_ == 2 && b >= 1 && b <= 4) {
                if (m != VirtualMode::silent) reply(status_byte(m, b));
                rt_state_ = 0;
                continue;
            }
            rt_state_ = b == 0x10 ? 1 : (rt_state_ == 1 && b == 0x04) ? 2 : 0;
        }
        pending_.append(data, n);
        const auto ev = parser_.feed(pending_);
        if (can_print(m)) {
            std::lock_guard lock(mu_);
            printed_ += ev.cuts;
        }
        if (ev.confirms > 0 && (m == VirtualMode::ok || m == VirtualMode::paper_near_end ||
                                m == VirtualMode::disconnect)) {
            for (int k = 0; k < ev.confirms; ++k)
                reply(m == VirtualMode::paper_near_end ? 0x03 : 0x00);
        }
        if (m == VirtualMode::disconnect && client_fd_ >= 0) {
            std::size_t so_far;
            {
                std::lock_guard lock(mu_);
                so_far = jobs_.back().size();
            }
            if (so_far >= o_.disconnect_after) close_client();
        }
    }

    void run() {
        char buf[8192];
        while (!stop_) {
            pollfd fds[2] = {{wake_[0], POLLIN, 0}, {-1, POLLIN, 0}};
            if (master_fd_ >= 0)
                fds[1].fd = master_fd_;
            else
                fds[1].fd = client_fd_ >= 0 ? client_fd_ : listen_fd_;
            if (::poll(fds, 2, 1000) <= 0) continue;
            if (fds[0].revents) break;
            if (!fds[1].revents) continue;
            if (master_fd_ < 0 && client_fd_ < 0) {
                client_fd_ = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
                if (client_fd_ >= 0) {
                    std::lock_guard lock(mu_);
                    client_open_ = true;
                    jobs_.emplace_back();
                    ++connections_;
                }
                continue;
            }
            const ssize_t n = ::read(fds[1].fd, buf, sizeof buf);
            if (n > 0) {
                on_bytes(buf, static_cast<std::size_t>(n));
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                if (master_fd_ >= 0) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                } else {
                    close_client();
                }
            }
        }
        if (client_fd_ >= 0) close_client();
    }

    Options o_;
    std::optional<Profile> profile_;  // for the recorded jobs' PNGs
    std::string host_, pty_path_;
    int port_ = 0;
    int listen_fd_ = -1, client_fd_ = -1, master_fd_ = -1, slave_fd_ = -1;
    int wake_[2] = {-1, -1};
    std::atomic<bool> stop_{false};
    std::thread thread_;

    // Worker-thread state.
    CommandParser parser_;
    std::string pending_;
    int rt_state_ = 0;
    int recorded_ = 0;

    mutable std::mutex mu_;
    mutable std::condition_variable cv_;
    std::vector<std::string> jobs_;
    int printed_ = 0, connections_ = 0, closed_ = 0;
    bool client_open_ = false;
};

}  // namespace

std::unique_ptr<VirtualPrinter> VirtualPrinter::listen_tcp(const std::string& host, int port,
                                                           Options o) {
    auto s = std::make_unique<Server>(std::move(o));
    s->start_tcp(host, port);
    return s;
}

std::unique_ptr<VirtualPrinter> VirtualPrinter::open_pty(Options o) {
    auto s = std::make_unique<Server>(std::move(o));
    s->start_pty();
    return s;
}

}  // namespace lapor::printer
