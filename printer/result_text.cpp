#include "result_text.h"

#include "i18n_marker.h"

namespace lapor::printer {

const char* citizen_message(JobResult r) {
    switch (r) {
        case JobResult::printed: return N_("printer.citizen.printed");
        case JobResult::printed_unconfirmed: return N_("printer.citizen.unconfirmed");
        default: return N_("printer.citizen.failed");
    }
}

const char* staff_message(JobResult r) {
    switch (r) {
        case JobResult::printed: return N_("printer.staff.printed");
        case JobResult::printed_unconfirmed: return N_("printer.staff.printed_unconfirmed");
        case JobResult::paper_out: return N_("printer.staff.paper_out");
        case JobResult::cover_open: return N_("printer.staff.cover_open");
        case JobResult::offline: return N_("printer.staff.offline");
        case JobResult::unknown: return N_("printer.staff.unknown");
    }
    return N_("printer.staff.unknown");
}

const char* attract_warning(PrinterState s) {
    switch (s) {
        case PrinterState::paper_out:
        case PrinterState::cover_open:
        case PrinterState::offline: return N_("printer.attract.warning");
        default: return nullptr;  // unknown is not known to be bad (write-only transports)
    }
}

}  // namespace lapor::printer
