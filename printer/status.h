// Printer status replies. Before a job the session sends DLE EOT 1, 2 and 4 (real-time status:
// printer, offline cause, paper sensor) and reads the replies; after it, GS r 1 (answered only
// once the printer has processed everything before it) confirms the job. A valid DLE EOT reply
// has (b & 0x93) == 0x12; bytes of an automatic status block (ASB, first byte (b & 0x93) ==
// 0x10, four bytes) and other stray bytes are skipped. Missing replies make the state unknown,
// never ok.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "print_service.h"

namespace lapor::printer {

struct StatusReplies {
    std::optional<std::uint8_t> printer;        // DLE EOT 1
    std::optional<std::uint8_t> offline_cause;  // DLE EOT 2
    std::optional<std::uint8_t> paper;          // DLE EOT 4
    bool complete() const { return printer && offline_cause && paper; }
};

// The query the session sends before a job.
std::string status_query();  // 10 04 01 10 04 02 10 04 04
// Takes valid reply bytes in order (printer, offline cause, paper) from what arrived.
StatusReplies parse_status_replies(std::string_view bytes);
PrinterState state_of(const StatusReplies& r);
// A sentence for staff: what the replies say, or which reply is missing.
std::string describe(const StatusReplies& r);

// GS r 1 after the job; its reply has (b & 0x90) == 0: bits 0x0C paper end, 0x03 near end.
std::string confirm_query();  // 1D 72 01
std::optional<std::uint8_t> parse_confirm_reply(std::string_view bytes);

}  // namespace lapor::printer
