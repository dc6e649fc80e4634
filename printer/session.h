// One printer, used job by job: opens the transport, asks the status (DLE EOT 1/2/4), sends the
// job, confirms it (GS r 1), asks the status again, closes. Every step has a timeout; no reply is
// "unknown", never "ok". After a job broke off mid-stream the printer may sit inside a
// half-received command, so the next job first sends enough NUL bytes to complete the longest
// command this profile can send (NUL is ignored as text) before its own ESC @.
// Not thread-safe: the print service's worker owns it.
#pragma once
#include <string>
#include <utility>

#include "print_service.h"
#include "profile.h"
#include "transport.h"

namespace lapor::printer {

struct SessionOptions {
    int status_timeout_ms = 800;
    int confirm_extra_ms = 4000;  // time the printer may take to print before answering GS r 1
    OpenOptions open;
};

class PrinterSession {
public:
    PrinterSession(TransportSpec spec, Profile profile, SessionOptions o);

    JobOutcome print(const std::string& bytes);
    // Opens, asks, closes: the state and a sentence.
    std::pair<PrinterState, std::string> check_status();

    bool needs_recovery() const { return dirty_; }
    // For a flag kept outside the process (the print service keeps a file), so a restart or
    // another process does not forget that the printer may sit inside a broken command.
    void set_needs_recovery(bool v) { dirty_ = v; }
    const Profile& profile() const { return profile_; }
    const TransportSpec& spec() const { return spec_; }
    // NUL bytes sent before the next job after a broken one.
    std::size_t flush_size() const;

private:
    int write_timeout_ms(std::size_t bytes) const;

    TransportSpec spec_;
    Profile profile_;
    SessionOptions o_;
    bool dirty_ = false;
};

}  // namespace lapor::printer
