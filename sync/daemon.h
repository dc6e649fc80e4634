// Process plumbing for lapor-sync and `kioskctl sync-now`: the pid file (with a lock, so a stale
// file never gets a stranger signalled), systemd's notify protocol (libsystemd's sd_notify).
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace lapor::sync {

// $LAPOR_SYNC_PID_FILE, else /run/lapor-kiosk/lapor-sync.pid (DESIGN.md paths).
std::string default_pid_file();

// Holds the pid file locked (flock) while lapor-sync runs; removes it on destruction.
class PidFile {
public:
    // Throws std::runtime_error with words when another lapor-sync holds it or it cannot be
    // written.
    explicit PidFile(std::string path);
    ~PidFile();
    PidFile(const PidFile&) = delete;
    PidFile& operator=(const PidFile&) = delete;

private:
    std::string path_;
    int fd_ = -1;
};

// The pid of the running lapor-sync (its pid file is locked), or nullopt with `why`.
std::optional<pid_t> running_pid(const std::string& pid_file, std::string& why);

// Signals the lapor-sync the pid file names, after checking through a pidfd that the process is
// a lapor-sync run by the pid file's owner (root never signals a stranger from a planted file).
// Returns its pid, or nullopt with `why`.
std::optional<pid_t> signal_running(const std::string& pid_file, int signo, std::string& why);

// sd_notify(3): sends `state` to $NOTIFY_SOCKET; false when not under systemd.
bool notify_systemd(const std::string& state);
// Half of $WATCHDOG_USEC in ms (the ping interval), or nullopt when no watchdog is set.
std::optional<std::int64_t> watchdog_interval_ms();

// Restart back-off: systemd 252 has no RestartSteps=, so the unit restarts every 5 s for ever
// (no start limit) and lapor-sync itself waits longer at each quick restart: 0 at a first start
// or one more than 10 minutes after the previous, then 5, 10, 20, 40 ... up to 300 s. `state`
// records the count and the last start (in the runtime folder, so a reboot forgets it);
// `boot_ms` is CLOCK_BOOTTIME in ms. Never throws (an unwritable file means no delay).
inline constexpr std::int64_t restart_window_ms = 600'000;
inline constexpr std::int64_t restart_max_delay_ms = 300'000;
std::int64_t restart_delay_ms(const std::string& state, std::int64_t boot_ms);

}  // namespace lapor::sync
