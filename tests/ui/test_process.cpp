// The lapor-kiosk program as systemd runs it: READY=1 after the first frame, WATCHDOG=1 from the
// loop, a "first frame" log line, a clean exit on SIGTERM; a bad config still comes up (out of
// service) and waits for SIGTERM instead of exiting into a restart loop.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sandbox.h"

extern char** environ;

namespace {

struct Run {
    pid_t pid = -1;
    int sock = -1;
    std::string log_path;
    std::string messages;  // everything received on NOTIFY_SOCKET

    Run(const std::string& config, const std::string& dir, bool watchdog) {
        const std::string sock_path = dir + "/notify.sock";
        sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        std::snprintf(a.sun_path, sizeof a.sun_path, "%s", sock_path.c_str());
        REQUIRE(bind(sock, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        log_path = dir + "/stderr.log";
        std::vector<std::string> env{"SDL_VIDEODRIVER=dummy", "NOTIFY_SOCKET=" + sock_path,
                                     "HOME=" + dir, "PATH=/usr/bin:/bin"};
        if (const char* tmp = getenv("TMPDIR")) env.push_back(std::string("TMPDIR=") + tmp);
        if (watchdog) env.push_back("WATCHDOG_USEC=400000");
        std::vector<char*> envp;
        for (auto& e : env) envp.push_back(e.data());
        envp.push_back(nullptr);
        std::string prog = LAPOR_KIOSK, a1 = "--config", a2 = config, a3 = "--windowed";
        char* argv[] = {prog.data(), a1.data(), a2.data(), a3.data(), nullptr};
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 2, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
        REQUIRE(posix_spawn(&pid, prog.c_str(), &fa, nullptr, argv, envp.data()) == 0);
        posix_spawn_file_actions_destroy(&fa);
    }
    ~Run() {
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
        close(sock);
    }
    // Collects notifications until `want` appears (or the time runs out).
    bool wait_message(const std::string& want, int ms) {
        const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (std::chrono::steady_clock::now() < end) {
            if (messages.find(want) != std::string::npos) return true;
            pollfd p{sock, POLLIN, 0};
            if (poll(&p, 1, 50) > 0) {
                char buf[512];
                const ssize_t n = recv(sock, buf, sizeof buf, 0);
                if (n > 0) messages.append(buf, static_cast<std::size_t>(n)).append("\n");
            }
        }
        return messages.find(want) != std::string::npos;
    }
    // Sends SIGTERM; returns the exit status, or -1 if it did not exit in time.
    int terminate(int ms) {
        kill(pid, SIGTERM);
        for (int t = 0; t < ms; t += 20) {
            int st = 0;
            if (waitpid(pid, &st, WNOHANG) == pid) {
                pid = -1;
                return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return -1;
    }
    bool alive() { return waitpid(pid, nullptr, WNOHANG) == 0; }
    std::string log() {
        std::ifstream f(log_path);
        std::stringstream ss;
        ss << f.rdbuf();
        return ss.str();
    }
};

}  // namespace

TEST_CASE("lapor-kiosk: READY after the first frame, watchdog pings, clean stop on SIGTERM") {
    lapor::ui::Sandbox sb;
    Run r(sb.config_path(), sb.dir(), true);
    REQUIRE(r.wait_message("READY=1", 20000));
    CHECK(r.log().find("first frame after") != std::string::npos);
    CHECK(r.wait_message("WATCHDOG=1", 3000));
    CHECK(r.terminate(5000) == 0);
}

TEST_CASE("lapor-kiosk with a bad config shows out of service and waits for SIGTERM") {
    lapor::ui::SandboxOptions so;
    so.extra_toml = "\n[session]\nidle_timeout_s = \"soon\"\n";
    lapor::ui::Sandbox sb(so);
    Run r(sb.config_path(), sb.dir(), false);
    REQUIRE(r.wait_message("READY=1", 20000));
    CHECK(r.log().find("out of service") != std::string::npos);
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    CHECK(r.alive());
    CHECK(r.terminate(5000) == 0);
}
