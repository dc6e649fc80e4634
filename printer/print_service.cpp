// PLACEHOLDER until the receipt-printing issue (#3) lands: every job ends `unknown` with a
// detail saying printing is not built. The printer issue replaces this file.
#include "print_service.h"

#include <map>
#include <mutex>

namespace lapor::printer {

std::string_view to_string(PrinterState s) {
    switch (s) {
        case PrinterState::ok: return "ok";
        case PrinterState::paper_near_end: return "paper_near_end";
        case PrinterState::paper_out: return "paper_out";
        case PrinterState::cover_open: return "cover_open";
        case PrinterState::offline: return "offline";
        case PrinterState::unknown: return "unknown";
    }
    return "unknown";
}

std::string_view to_string(JobResult r) {
    switch (r) {
        case JobResult::printed: return "printed";
        case JobResult::printed_unconfirmed: return "printed_unconfirmed";
        case JobResult::paper_out: return "paper_out";
        case JobResult::cover_open: return "cover_open";
        case JobResult::offline: return "offline";
        case JobResult::unknown: return "unknown";
    }
    return "unknown";
}

namespace {

class NotBuiltPrinter final : public PrintService {
public:
    JobId submit_receipt(const ReceiptJob&) override { return ++next_; }
    JobId submit_test_page() override { return ++next_; }
    std::optional<JobOutcome> poll(JobId) override {
        return JobOutcome{JobResult::unknown, PrinterState::unknown,
                          "printing is not built yet (issue #3)"};
    }
    PrinterState state() const override { return PrinterState::unknown; }
    void request_status() override {}

private:
    JobId next_ = 0;
};

}  // namespace

std::unique_ptr<PrintService> start_print_service(const Config&, const Clock&) {
    return std::make_unique<NotBuiltPrinter>();
}

}  // namespace lapor::printer
