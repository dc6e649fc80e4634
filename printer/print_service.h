// The asynchronous print service the UI, staff mode and kioskctl use. A worker thread owns the
// transport; callers submit a job and poll for its outcome once a frame: nothing here blocks the
// caller, and every wait inside the worker has a timeout. The worker records the printer state and
// the last job result in the store's device-health table (through its own store connection).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "store.h"

namespace lapor {
struct Config;
class Clock;
}  // namespace lapor

namespace lapor::printer {

// What the printer said before or after a job. No reply is `unknown`, never `ok`.
enum class PrinterState { ok, paper_near_end, paper_out, cover_open, offline, unknown };
std::string_view to_string(PrinterState s);

// How a job ended; docs/printing.md maps each to what the citizen and staff see.
enum class JobResult { printed, printed_unconfirmed, paper_out, cover_open, offline, unknown };
std::string_view to_string(JobResult r);

// A receipt for a stored report. Names are resolved by the caller from the catalog, in the
// report's language; nothing the citizen typed is printed.
struct ReceiptJob {
    PreparedReport report;
    std::string agency_name;
    std::string category_name;
    bool copy = false;  // a reprint: "SALINAN / COPY"
};

using JobId = std::uint64_t;

struct JobOutcome {
    JobResult result = JobResult::unknown;
    PrinterState state = PrinterState::unknown;
    std::string detail;  // for staff and logs, e.g. "no status reply within 800 ms"
};

class PrintService {
public:
    virtual ~PrintService() = default;
    virtual JobId submit_receipt(const ReceiptJob& job) = 0;
    virtual JobId submit_test_page() = 0;
    // The outcome once the job has finished; nullopt while it is queued or printing.
    virtual std::optional<JobOutcome> poll(JobId id) = 0;
    // The last known printer state (from the last status check or job).
    virtual PrinterState state() const = 0;
    // Asks the worker to check the printer's status soon (the attract screen's warning).
    virtual void request_status() = 0;
};

// Starts the worker for the configured printer profile and transport. Never throws: a bad
// profile or transport makes every job end `unknown` with a detail saying what to fix. `clock`
// must outlive the service. Destroying the service waits for the job in progress (bounded by
// its timeouts) and drops queued ones.
std::unique_ptr<PrintService> start_print_service(const Config& c, const Clock& clock);

// For tests and tools: the same with explicit knobs.
struct PrintServiceOptions {
    int confirm_extra_ms = 4000;  // how long a printer may take to print before confirming
    int connect_timeout_ms = 2000;
    int busy_retry_ms = 2000;
    bool record_health = true;  // write printer_state / last_print_result to the store
    std::string db_path;        // empty: Config::db_path()
    // A file that exists while the printer may sit inside a broken command (after a job broke
    // off), so the next job recovers even in another process. Empty: <data_dir>/printer.recover.
    std::string recovery_flag_path;
};
std::unique_ptr<PrintService> start_print_service(const Config& c, const Clock& clock,
                                                  const PrintServiceOptions& o);

}  // namespace lapor::printer
