// Running another program and keeping what it printed: rauc, systemctl and lapor-boot for the
// update commands. Each is named by an environment variable too, so tests can stand in for it.
#pragma once
#include <string>
#include <vector>

namespace lapor::ctl {

struct RunResult {
    int exit = -1;       // the exit code, 128+signal when killed, -1 when it could not start
    std::string output;  // stdout and stderr together
};

// Runs argv (argv[0] looked up on PATH) and waits for it.
RunResult run_program(const std::vector<std::string>& argv);

// $ENV_NAME when set and not empty, else `fallback`.
std::string tool_path(const char* env_name, const std::string& fallback);

}  // namespace lapor::ctl
