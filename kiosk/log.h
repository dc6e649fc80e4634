// Log lines with syslog priorities, for the services (lapor-sync, lapor-kiosk) and first boot.
// Under systemd, when stderr is the journal ($JOURNAL_STREAM), each line goes to the journal with
// structured fields: PRIORITY, SYSLOG_IDENTIFIER, MESSAGE and, for a line about one report,
// LAPOR_TRACKING (`journalctl LAPOR_TRACKING=JK01-7K3M-9QX2-W`). Elsewhere it goes to stderr as
// "<N>program: message" (the sd-daemon(3) prefix journald and tests read), without the prefix
// on a terminal. Only a well-formed tracking code ever becomes a field: never citizen data.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace lapor {

enum class Priority : int { err = 3, warning = 4, notice = 5, info = 6, debug = 7 };

// The name lines carry (SYSLOG_IDENTIFIER, the stderr prefix); set once at start-up.
void set_log_identifier(std::string_view program);

// Logs one line (line breaks become spaces). `tracking` is the report's tracking code, or empty;
// anything that is not a valid tracking code is left out of the fields.
void log_line(Priority p, std::string_view message, std::string_view tracking = {});

// The parts, exposed for tests: the journal fields ("KEY=value") of one line, and the stderr
// form with its "<N>" prefix.
std::vector<std::string> journal_fields(Priority p, std::string_view identifier,
                                        std::string_view message, std::string_view tracking);
std::string prefixed_line(Priority p, std::string_view identifier, std::string_view message);
// True when fd 2 is the journal stream systemd connected ($JOURNAL_STREAM is "dev:inode" of it).
bool stderr_is_journal();

}  // namespace lapor
