// What to tell people about a job result, as message ids (translations in kiosk/po/*.po; look
// them up with Messages::tr in the citizen's or staff's language). docs/printing.md has the table.
#pragma once
#include "print_service.h"

namespace lapor::printer {

// For the citizen on the receipt screen. Anything but `printed` tells them their report is saved
// and to note the code shown on screen.
const char* citizen_message(JobResult r);
// For staff: what happened and what to do.
const char* staff_message(JobResult r);
// For the attract screen before a citizen starts: a warning when the printer is known to be out
// of paper, open or offline; nullptr otherwise (unknown is normal for write-only transports).
const char* attract_warning(PrinterState s);

}  // namespace lapor::printer
