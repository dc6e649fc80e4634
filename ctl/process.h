// Child processes for `kioskctl demo`: find a sibling program of this build (or on PATH), start it
// with its output in a log file, wait for it to listen, stop it (SIGTERM, then SIGKILL).
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace lapor::ctl {

// `name` next to kioskctl in this build tree (build/<preset>/<folder>/<name>), next to kioskctl
// itself (installed), or on PATH; nullopt when there is none.
std::optional<std::string> find_program(const std::string& name);

class Child {
public:
    Child() = default;
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    Child(Child&& o) noexcept;
    Child& operator=(Child&& o) noexcept;
    ~Child();  // stops it

    // Starts argv[0] with stdout and stderr appended to `log`; throws on fork failure.
    static Child start(const std::string& name, std::vector<std::string> argv,
                       const std::string& log, const std::vector<std::string>& env = {});
    bool running();
    // Waits up to timeout_ms for the child to exit; its exit code, or nullopt if still running.
    std::optional<int> wait(int timeout_ms);
    // SIGTERM, up to grace_ms to exit, then SIGKILL. Returns the exit code (128+signal if killed).
    int stop(int grace_ms = 3000);
    const std::string& name() const { return name_; }
    pid_t pid() const { return pid_; }

private:
    std::string name_;
    pid_t pid_ = -1;
    std::optional<int> exit_;
};

// True once something accepts TCP connections on 127.0.0.1:port, within timeout_ms.
bool wait_for_port(int port, int timeout_ms);

}  // namespace lapor::ctl
