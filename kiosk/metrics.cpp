#include "metrics.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "files.h"
#include "update_state.h"
#include "version.h"

namespace lapor {
namespace {

// A label value with the text format's escapes (\\, \", \n).
std::string label(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"')
            out += '\\', out += c;
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

class Writer {
public:
    void family(const char* name, const char* type, const char* help) {
        o_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
    }
    template <typename V>
    void sample(const std::string& name, V value, const std::string& labels = "") {
        o_ << name;
        if (!labels.empty()) o_ << '{' << labels << '}';
        o_ << ' ' << value << '\n';
    }
    std::string str() const { return o_.str(); }

private:
    std::ostringstream o_;
};

// The enrollment health words (sync/enroll.h) reduced to a few stable label values.
std::string enrollment_word(const std::string& s) {
    if (s == "enrolled") return "enrolled";
    if (s.rfind("needs re-enrollment", 0) == 0) return "needs_reenrollment";
    if (s.rfind("not enrolled", 0) == 0) return "not_enrolled";
    return "unknown";
}

std::string seconds(std::int64_t ms) {
    std::ostringstream o;
    o << ms / 1000 << '.' << (ms % 1000 < 100 ? (ms % 1000 < 10 ? "00" : "0") : "") << ms % 1000;
    return o.str();
}

}  // namespace

std::string boot_slot(const std::string& cmdline) {
    std::istringstream in(cmdline);
    for (std::string w; in >> w;)
        if (w.rfind("rauc.slot=", 0) == 0 && w.size() > 10) return w.substr(10);
    return "none";
}

MetricsInput gather_metrics(const Config& c, Store& store, const Clock& clock) {
    MetricsInput in;
    in.counts = store.counts();
    in.attempts = store.attempts_by_outcome();
    in.counters = store.metrics();
    const auto health = store.health();
    if (auto it = health.find(HealthKey::enrollment_state); it != health.end())
        in.enrollment_state = it->second.value;
    if (auto it = health.find(HealthKey::printer_state); it != health.end())
        in.printer_state = it->second.value;
    struct statvfs vfs {};
    if (::statvfs(c.kiosk.data_dir.c_str(), &vfs) == 0) {
        in.disk_free_bytes = static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
        in.disk_size_bytes = static_cast<std::uint64_t>(vfs.f_blocks) * vfs.f_frsize;
    }
    std::uint64_t db = 0;
    bool any = false;
    for (const auto& f : {c.db_path(), c.db_path() + "-wal"}) {
        struct stat st {};
        if (::stat(f.c_str(), &st) == 0) db += static_cast<std::uint64_t>(st.st_size), any = true;
    }
    if (any) in.database_bytes = db;
    in.now_ms = clock.now_ms();
    in.version = version();
    in.slot = boot_slot(read_text_file("/proc/cmdline").value_or(""));
    // Counted by `kioskctl update --booted` when the kiosk came back up on the previous slot.
    // The file is root's and readable by all; missing or damaged (doctor says so) counts 0.
    if (const auto text = read_text_file(update_state_path(c.update.state_dir)))
        if (const auto s = parse_update_state(*text)) in.rollbacks = s->rollbacks;
    return in;
}

std::string prometheus_text(const MetricsInput& in) {
    Writer w;
    w.family("lapor_reports", "gauge", "Reports in the kiosk's outbox, by state.");
    for (auto s : {OutboxState::queued, OutboxState::sending, OutboxState::accepted,
                   OutboxState::rejected, OutboxState::conflict, OutboxState::held}) {
        const auto it = in.counts.by_state.find(s);
        w.sample("lapor_reports", it == in.counts.by_state.end() ? 0 : it->second,
                 "state=\"" + std::string(to_string(s)) + "\"");
    }
    w.family("lapor_oldest_unsent_age_seconds", "gauge",
             "Age of the oldest report not yet uploaded (0 when none is waiting).");
    const std::int64_t now_s = in.now_ms / 1000;
    w.sample("lapor_oldest_unsent_age_seconds",
             in.counts.oldest_unsent_unix
                 ? std::max<std::int64_t>(now_s - *in.counts.oldest_unsent_unix, 0)
                 : 0);
    w.family("lapor_last_upload_success_timestamp_seconds", "gauge",
             "Unix time of the last accepted upload (0 when none yet).");
    w.sample("lapor_last_upload_success_timestamp_seconds",
             in.counts.last_success_ms ? seconds(*in.counts.last_success_ms) : "0");
    w.family("lapor_upload_attempts_total", "counter", "Upload attempts, by outcome.");
    for (const char* o : {"accepted", "rejected", "conflict", "held", "failed"}) {
        const auto it = in.attempts.find(o);
        w.sample("lapor_upload_attempts_total", it == in.attempts.end() ? 0 : it->second,
                 std::string("outcome=\"") + o + "\"");
    }
    w.family("lapor_enrollment_state", "gauge",
             "1 for the kiosk's enrollment state with the national endpoint.");
    const std::string enrolled = enrollment_word(in.enrollment_state);
    for (const char* s : {"enrolled", "not_enrolled", "needs_reenrollment", "unknown"})
        w.sample("lapor_enrollment_state", enrolled == s ? 1 : 0,
                 std::string("state=\"") + s + "\"");
    w.family("lapor_printer_state", "gauge", "1 for the receipt printer's last known state.");
    const std::string printer = in.printer_state.empty() ? "unknown" : in.printer_state;
    bool known = false;
    for (const char* s :
         {"ok", "paper_near_end", "paper_out", "cover_open", "offline", "unknown"}) {
        known = known || printer == s;
        w.sample("lapor_printer_state", printer == s ? 1 : 0, std::string("state=\"") + s + "\"");
    }
    if (!known) w.sample("lapor_printer_state", 1, "state=\"" + label(printer) + "\"");
    w.family("lapor_printer_paper_near_end", "gauge", "1 when the paper roll is nearly used up.");
    w.sample("lapor_printer_paper_near_end", printer == "paper_near_end" ? 1 : 0);
    if (in.disk_free_bytes && in.disk_size_bytes) {
        w.family("lapor_disk_free_bytes", "gauge", "Free space for the kiosk's data (data_dir).");
        w.sample("lapor_disk_free_bytes", *in.disk_free_bytes);
        w.family("lapor_disk_size_bytes", "gauge", "Size of the file system holding data_dir.");
        w.sample("lapor_disk_size_bytes", *in.disk_size_bytes);
    }
    if (in.database_bytes) {
        w.family("lapor_database_size_bytes", "gauge", "Size of kiosk.db and its -wal file.");
        w.sample("lapor_database_size_bytes", *in.database_bytes);
    }
    w.family("lapor_citizen_sessions_total", "counter",
             "Citizen sessions: started, completed (submitted), abandoned (left unsubmitted).");
    for (const char* o : {"started", "completed", "abandoned"}) {
        const auto it = in.counters.find(std::string("citizen_sessions_") + o);
        w.sample("lapor_citizen_sessions_total", it == in.counters.end() ? 0 : it->second,
                 std::string("outcome=\"") + o + "\"");
    }
    if (auto it = in.counters.find("ui_first_frame_ms"); it != in.counters.end()) {
        w.family("lapor_ui_first_frame_seconds", "gauge",
                 "Time from the UI's start to its first frame, at its last start.");
        w.sample("lapor_ui_first_frame_seconds", seconds(it->second));
    }
    w.family("lapor_rollbacks_total", "counter", "Updates rolled back to the previous root slot.");
    w.sample("lapor_rollbacks_total", in.rollbacks);
    w.family("lapor_build_info", "gauge", "The running version and the root slot booted.");
    w.sample("lapor_build_info", 1,
             "version=\"" + label(in.version) + "\",slot=\"" + label(in.slot) + "\"");
    w.family("lapor_metrics_timestamp_seconds", "gauge", "When these metrics were made.");
    w.sample("lapor_metrics_timestamp_seconds", seconds(in.now_ms));
    return w.str();
}

void write_textfile(const std::string& dir, const std::string& text) {
    const std::string tmp = dir + "/.lapor.prom.new", path = dir + "/lapor.prom";
    ::unlink(tmp.c_str());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        throw std::runtime_error("cannot write metrics to " + dir + ": " + std::strerror(errno) +
                                 " (check [metrics] textfile_dir)");
    bool ok = ::fchmod(fd, 0644) == 0;  // the unit's UMask would make it 0600
    std::size_t off = 0;
    while (ok && off < text.size()) {
        const auto n = ::write(fd, text.data() + off, text.size() - off);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) off += static_cast<std::size_t>(n);
    }
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot write " + path + ": " + why);
    }
}

}  // namespace lapor
