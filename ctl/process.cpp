#include "process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace lapor::ctl {

namespace fs = std::filesystem;

namespace {

bool executable(const fs::path& p) {
    return ::access(p.c_str(), X_OK) == 0 && fs::is_regular_file(p);
}

void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace

std::optional<std::string> find_program(const std::string& name) {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        // Build tree: build/<preset>/ctl/kioskctl; programs live in ui/, sync/, sync/lab/,
        // printer/ of the same build folder.
        const fs::path root = self.parent_path().parent_path();
        for (const char* sub : {"ui", "sync", "sync/lab", "printer", "ctl"}) {
            if (executable(root / sub / name)) return (root / sub / name).string();
        }
        if (executable(self.parent_path() / name)) return (self.parent_path() / name).string();
    }
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    for (std::size_t start = 0; start <= dirs.size();) {
        const std::size_t end = std::min(dirs.find(':', start), dirs.size());
        const fs::path p = fs::path(dirs.substr(start, end - start)) / name;
        if (end > start && executable(p)) return p.string();
        start = end + 1;
    }
    return std::nullopt;
}

Child::Child(Child&& o) noexcept : name_(std::move(o.name_)), pid_(o.pid_), exit_(o.exit_) {
    o.pid_ = -1;
}

Child& Child::operator=(Child&& o) noexcept {
    if (this != &o) {
        if (pid_ > 0 && !exit_) stop();
        name_ = std::move(o.name_);
        pid_ = o.pid_;
        exit_ = o.exit_;
        o.pid_ = -1;
    }
    return *this;
}

Child::~Child() {
    if (pid_ > 0 && !exit_) stop();
}

Child Child::start(const std::string& name, std::vector<std::string> argv, const std::string& log,
                   const std::vector<std::string>& env) {
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("cannot start " + name + ": " + std::strerror(errno));
    if (pid == 0) {
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) ::dup2(fd, 1), ::dup2(fd, 2);
        const int null = ::open("/dev/null", O_RDONLY);
        if (null >= 0) ::dup2(null, 0);
        for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    Child c;
    c.name_ = name;
    c.pid_ = pid;
    return c;
}

std::optional<int> Child::wait(int timeout_ms) {
    if (exit_ || pid_ <= 0) return exit_;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        int status = 0;
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            exit_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            return exit_;
        }
        if (r < 0 && errno != EINTR) {
            exit_ = -1;
            return exit_;
        }
        if (std::chrono::steady_clock::now() >= until) return std::nullopt;
        sleep_ms(20);
    }
}

bool Child::running() { return pid_ > 0 && !wait(0); }

int Child::stop(int grace_ms) {
    if (pid_ <= 0) return -1;
    if (!exit_) {
        ::kill(pid_, SIGTERM);
        if (!wait(grace_ms)) {
            ::kill(pid_, SIGKILL);
            wait(5000);
        }
    }
    return exit_.value_or(-1);
}

bool wait_for_port(int port, int timeout_ms) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    do {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) return false;
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        ::close(fd);
        if (ok) return true;
        sleep_ms(50);
    } while (std::chrono::steady_clock::now() < until);
    return false;
}

}  // namespace lapor::ctl
