// Both services are undumpable while they run (issue #10: PR_SET_DUMPABLE 0), seen from outside
// as another process of the same user would see them: the kernel gives an undumpable process's
// /proc/<pid> files to root, so that user can neither read its memory nor ptrace it. The programs
// run as `nobody` when the test is root, as the test's own user otherwise.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "files.h"
#include "fixtures.h"

namespace {

// The first field of a "Uid:" or "Name:" line of /proc/<pid>/status.
std::string status_field(pid_t pid, const std::string& key) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(key + ":", 0) == 0) {
            std::istringstream fields(line.substr(key.size() + 1));
            std::string first;
            fields >> first;
            return first;
        }
    return "";
}

uid_t proc_owner(pid_t pid) {
    struct stat st {};
    if (::stat(("/proc/" + std::to_string(pid) + "/status").c_str(), &st) != 0)
        return static_cast<uid_t>(-1);
    return st.st_uid;
}

// Starts argv as `nobody` when root, else as this user; stderr and stdout to `log`.
pid_t start(std::vector<std::string> argv, const std::vector<std::string>& env,
            const std::string& log) {
    if (::geteuid() == 0)
        argv.insert(argv.begin(),
                    {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"});
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

struct Running {
    pid_t pid;
    std::string name;  // the program's name once it has been exec'd
    ~Running() {
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
    }
    // Running, not exited and waiting to be reaped (a zombie has no memory to protect).
    bool alive() const {
        const auto state = status_field(pid, "State");
        return !state.empty() && state != "Z" && state != "X";
    }
    // Waits until the program runs (exec done) and then until `ok` or the deadline.
    template <class F>
    bool wait_until(F ok, int timeout_ms = 20'000) const {
        for (int waited = 0; waited < timeout_ms; waited += 20) {
            if (status_field(pid, "Name") == name.substr(0, 15) && alive() && ok()) return true;
            ::usleep(20'000);
        }
        return false;
    }
};

}  // namespace

TEST_CASE("lapor-kiosk and lapor-sync run undumpable; an ordinary process of that user does not") {
    lapor::test::TempDir dir;
    ::chmod(dir.path().c_str(), 0777);  // the programs' user writes here
    const std::string data = dir / "data";
    ::mkdir(data.c_str(), 0777);
    ::chmod(data.c_str(), 0777);
    std::ofstream(dir / "kiosk.toml")
        << "[kiosk]\nid = \"HARD-01\"\ncode_prefix = \"HD01\"\noffice = \"O\"\ndata_dir = \""
        << data << "\"\n[upload]\nendpoint = \"https://127.0.0.1:1\"\n"
        << "national_key = \"A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\"\n"
        << "national_key_id = \"k\"\n[metrics]\ntextfile_dir = \"" << data << "\"\n";
    ::chmod((dir / "kiosk.toml").c_str(), 0644);
    const std::vector<std::string> env = {"SDL_VIDEODRIVER=dummy", "HOME=" + dir.path()};

    // The control: the same user's plain process keeps its /proc files (the check can fail).
    const Running control{start({"sleep", "60"}, env, dir / "sleep.log"), "sleep"};
    CHECK(control.wait_until([&] { return proc_owner(control.pid) != static_cast<uid_t>(-1); }));
    const uid_t user = proc_owner(control.pid);
    CHECK(user != 0);
    CHECK(status_field(control.pid, "Uid") == std::to_string(user));

    for (const auto& [prog, name] : {std::pair{std::string(LAPOR_KIOSK), "lapor-kiosk"},
                                     std::pair{std::string(LAPOR_SYNC), "lapor-sync"}}) {
        CAPTURE(name);
        const std::string log = dir / (std::string(name) + ".log");
        std::vector<std::string> argv = {prog, "--config", dir / "kiosk.toml"};
        if (std::string(name) == "lapor-sync")
            argv.insert(argv.end(), {"--pid-file", dir / "lapor-sync.pid"});
        const Running r{start(argv, env, log), std::string(name)};
        const bool undumpable = r.wait_until([&] { return proc_owner(r.pid) == 0; });
        INFO(lapor::read_text_file(log).value_or(""));
        CHECK(undumpable);
        CHECK(status_field(r.pid, "Uid") == std::to_string(user));  // running as that user
        CHECK(r.alive());                                           // and still running
    }
}
