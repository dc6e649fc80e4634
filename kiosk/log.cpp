#include "log.h"

#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "tracking.h"

namespace lapor {
namespace {

std::string& identifier() {
    static std::string id = "lapor-kiosk";
    return id;
}

std::string one_line(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c == '\n' || c == '\r') c = ' ';
    return out;
}

}  // namespace

void set_log_identifier(std::string_view program) { identifier() = std::string(program); }

std::vector<std::string> journal_fields(Priority p, std::string_view id, std::string_view message,
                                        std::string_view tracking) {
    std::vector<std::string> f = {"MESSAGE=" + one_line(message),
                                  "PRIORITY=" + std::to_string(static_cast<int>(p)),
                                  "SYSLOG_IDENTIFIER=" + std::string(id)};
    if (!tracking.empty()) {
        const auto t = parse_tracking(tracking);
        if (!t.error) f.push_back("LAPOR_TRACKING=" + format_tracking(t.raw));
    }
    return f;
}

std::string prefixed_line(Priority p, std::string_view id, std::string_view message) {
    return "<" + std::to_string(static_cast<int>(p)) + ">" + std::string(id) + ": " +
           one_line(message);
}

bool stderr_is_journal() {
    const char* env = std::getenv("JOURNAL_STREAM");
    if (!env) return false;
    unsigned long long dev = 0, ino = 0;
    if (std::sscanf(env, "%llu:%llu", &dev, &ino) != 2) return false;
    struct stat st {};
    return ::fstat(STDERR_FILENO, &st) == 0 && st.st_dev == dev && st.st_ino == ino;
}

void log_line(Priority p, std::string_view message, std::string_view tracking) {
    static const bool journal = stderr_is_journal();
    if (journal) {
        const auto fields = journal_fields(p, identifier(), message, tracking);
        std::vector<iovec> iov;
        for (const auto& f : fields)
            iov.push_back({const_cast<char*>(f.data()), f.size()});  // sd_journal_sendv: const-less
        if (sd_journal_sendv(iov.data(), static_cast<int>(iov.size())) == 0) return;
        // The journal socket is gone (journald restarting): stderr still reaches journald.
    }
    static const bool tty = ::isatty(STDERR_FILENO) == 1;
    const std::string line =
        tty ? identifier() + ": " + one_line(message) : prefixed_line(p, identifier(), message);
    std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace lapor
