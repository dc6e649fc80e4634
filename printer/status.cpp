#include "status.h"

namespace lapor::printer {

std::string status_query() { return std::string("\x10\x04\x01\x10\x04\x02\x10\x04\x04", 9); }
std::string confirm_query() { return std::string("\x1D\x72\x01", 3); }

StatusReplies parse_status_replies(std::string_view bytes) {
    StatusReplies r;
    int taken = 0;
    for (std::size_t i = 0; i < bytes.size() && taken < 3; ++i) {
        const auto b = static_cast<std::uint8_t>(bytes[i]);
        if ((b & 0x93) == 0x10) {  // an ASB block: skip it whole
            i += 3;
            continue;
        }
        if ((b & 0x93) != 0x12) continue;  // not a status reply (e.g. a GS r answer)
        if (taken == 0)
            r.printer = b;
        else if (taken == 1)
            r.offline_cause = b;
        else
            r.paper = b;
        ++taken;
    }
    return r;
}

PrinterState state_of(const StatusReplies& r) {
    if (!r.complete()) return PrinterState::unknown;
    const std::uint8_t p = *r.printer, c = *r.offline_cause, s = *r.paper;
    if ((s & 0x60) || (c & 0x20)) return PrinterState::paper_out;
    if (c & 0x04) return PrinterState::cover_open;
    if ((p & 0x08) || (c & 0x40)) return PrinterState::offline;
    if (s & 0x0C) return PrinterState::paper_near_end;
    return PrinterState::ok;
}

std::string describe(const StatusReplies& r) {
    if (!r.printer) return "the printer did not answer the status request";
    if (!r.offline_cause) return "the printer answered only part of the status request";
    if (!r.paper) return "the printer did not report its paper sensor";
    switch (state_of(r)) {
        case PrinterState::paper_out: return "out of paper: load a new roll and close the cover";
        case PrinterState::cover_open: return "the cover is open: close it";
        case PrinterState::offline:
            return "the printer is offline (an error or the feed button): switch it off and on";
        case PrinterState::paper_near_end:
            return "the paper roll is nearly empty: have a new roll ready";
        case PrinterState::ok: return "ready";
        case PrinterState::unknown: break;
    }
    return "unknown";
}

std::optional<std::uint8_t> parse_confirm_reply(std::string_view bytes) {
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto b = static_cast<std::uint8_t>(bytes[i]);
        if ((b & 0x93) == 0x10) {
            i += 3;
            continue;
        }
        if ((b & 0x90) == 0) return b;
    }
    return std::nullopt;
}

}  // namespace lapor::printer
