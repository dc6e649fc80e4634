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

// Starts the worker for the configured printer profile and transport.
std::unique_ptr<PrintService> start_print_service(const Config& c, const Clock& clock);

}  // namespace lapor::printer
