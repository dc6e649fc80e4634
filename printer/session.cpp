#include "session.h"

#include <algorithm>
#include <chrono>

#include "status.h"

namespace lapor::printer {
namespace {

using Steady = std::chrono::steady_clock;

int ms_left(Steady::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

struct Query {
    StatusReplies replies;
    IoStatus io = IoStatus::ok;
};

Query ask_status(Transport& t, int timeout_ms) {
    Query q;
    t.drain();
    std::size_t written = 0;
    q.io = t.write_all(status_query(), timeout_ms, written);
    if (q.io != IoStatus::ok) return q;
    std::string got;
    const auto deadline = Steady::now() + std::chrono::milliseconds(timeout_ms);
    while (!(q.replies = parse_status_replies(got)).complete()) {
        const int left = ms_left(deadline);
        if (left == 0) break;
        const IoStatus s = t.read_some(got, left);
        if (s == IoStatus::closed || s == IoStatus::error) {
            q.io = s;
            break;
        }
    }
    return q;
}

JobResult result_for(PrinterState s) {
    switch (s) {
        case PrinterState::paper_out: return JobResult::paper_out;
        case PrinterState::cover_open: return JobResult::cover_open;
        case PrinterState::offline: return JobResult::offline;
        default: return JobResult::unknown;
    }
}

bool blocks_printing(PrinterState s) {
    return s == PrinterState::paper_out || s == PrinterState::cover_open ||
           s == PrinterState::offline;
}

}  // namespace

PrinterSession::PrinterSession(TransportSpec spec, Profile profile, SessionOptions o)
    : spec_(std::move(spec)), profile_(std::move(profile)), o_(o) {}

std::size_t PrinterSession::flush_size() const {
    const auto raster = static_cast<std::size_t>(profile_.dots / 8 * profile_.raster_max_rows);
    const auto native = static_cast<std::size_t>(profile_.native_qr_max_bytes);
    return std::max(raster, native) + 16;
}

int PrinterSession::write_timeout_ms(std::size_t bytes) const {
    // Serial lines are slow: 10 bits a byte at the configured baud, with half again to spare.
    std::size_t ms = 5000 + bytes / 4;
    if (spec_.kind == TransportKind::serial && spec_.baud > 0)
        ms = std::max(ms, bytes * 10 * 1500 / static_cast<std::size_t>(spec_.baud) + 2000);
    return static_cast<int>(std::min<std::size_t>(ms, 120000));
}

std::pair<PrinterState, std::string> PrinterSession::check_status() {
    // Checked before opening: opening a cups: transport runs lp, a file: one creates the file.
    if (!can_read(spec_) || !profile_.status)
        return {PrinterState::unknown, "this transport or profile cannot report status"};
    OpenError err;
    auto t = open_transport(spec_, profile_, o_.open, err);
    if (!t) {
        return {err.kind == OpenError::busy ? PrinterState::unknown : PrinterState::offline,
                err.message};
    }
    std::string finish_error;
    const Query q = ask_status(*t, o_.status_timeout_ms);
    t->finish(o_.status_timeout_ms, finish_error);
    if (q.io == IoStatus::closed || q.io == IoStatus::error)
        return {PrinterState::offline, "the printer connection dropped while asking its status"};
    if (!q.replies.complete())
        return {PrinterState::unknown,
                describe(q.replies) + " within " + std::to_string(o_.status_timeout_ms) + " ms"};
    return {state_of(q.replies), describe(q.replies)};
}

JobOutcome PrinterSession::print(const std::string& bytes) {
    OpenError err;
    auto t = open_transport(spec_, profile_, o_.open, err);
    if (!t) {
        if (err.kind == OpenError::busy)
            return {JobResult::unknown, PrinterState::unknown, err.message};
        return {JobResult::offline, PrinterState::offline, err.message};
    }
    std::string finish_error;
    const bool readable = can_read(spec_) && profile_.status;
    std::string note;

    // 1. Status before the job.
    if (readable) {
        const Query q = ask_status(*t, o_.status_timeout_ms);
        if (q.io == IoStatus::closed || q.io == IoStatus::error) {
            t->finish(o_.status_timeout_ms, finish_error);
            return {JobResult::offline, PrinterState::offline,
                    "the printer connection dropped before the job: " + t->last_error()};
        }
        const PrinterState before = state_of(q.replies);
        if (blocks_printing(before)) {
            t->finish(o_.status_timeout_ms, finish_error);
            return {result_for(before), before, "not printed: " + describe(q.replies)};
        }
        if (before == PrinterState::unknown)
            note = "no status reply within " + std::to_string(o_.status_timeout_ms) +
                   " ms before the job; ";
    }

    // 2. Recovery after a job that broke off, then the job itself.
    std::string stream;
    if (dirty_) stream.assign(flush_size(), '\0');
    stream += bytes;
    std::size_t written = 0;
    const IoStatus w = t->write_all(stream, write_timeout_ms(stream.size()), written);
    if (w != IoStatus::ok) {
        dirty_ = true;
        const std::string why = t->last_error();
        t->finish(o_.status_timeout_ms, finish_error);
        return {JobResult::offline, PrinterState::offline,
                "the printer stopped after " + std::to_string(written) + " of " +
                    std::to_string(stream.size()) + " bytes (" + why +
                    "); the receipt is incomplete: reprint it once the printer is back"};
    }
    dirty_ = false;

    if (!readable) {
        if (!t->finish(o_.confirm_extra_ms, finish_error))
            return {spec_.kind == TransportKind::png ? JobResult::unknown : JobResult::offline,
                    PrinterState::unknown, finish_error};
        return {JobResult::printed_unconfirmed, PrinterState::unknown,
                spec_.kind == TransportKind::cups
                    ? "sent to CUPS queue " + spec_.queue + "; a raw queue cannot report status"
                : !profile_.status
                    ? "sent; profile " + profile_.name + " cannot report status"
                    : "written to " + to_string(spec_) + "; a file cannot report status"};
    }

    // 3. Confirmation: GS r 1 is answered once everything before it has been processed.
    std::optional<std::uint8_t> confirm;
    {
        t->drain();
        std::size_t n = 0;
        IoStatus s = t->write_all(confirm_query(), o_.status_timeout_ms, n);
        std::string got;
        const auto deadline =
            Steady::now() + std::chrono::milliseconds(o_.status_timeout_ms + o_.confirm_extra_ms);
        while (s == IoStatus::ok && !(confirm = parse_confirm_reply(got))) {
            const int left = ms_left(deadline);
            if (left == 0) break;
            s = t->read_some(got, left);
            if (s == IoStatus::timeout) break;
        }
        if (s == IoStatus::closed || s == IoStatus::error) {
            dirty_ = true;
            const std::string why = t->last_error();
            t->finish(o_.status_timeout_ms, finish_error);
            return {JobResult::offline, PrinterState::offline,
                    "the printer connection dropped before the printer confirmed the job (" + why +
                        "); the receipt may be incomplete: reprint it once the printer is back"};
        }
    }
    // 4. Status after the job.
    const Query after = ask_status(*t, o_.status_timeout_ms);
    // A serial line may still be sending the tail of a job nobody confirmed: give it the time.
    t->finish(confirm ? o_.status_timeout_ms : write_timeout_ms(stream.size()), finish_error);
    const PrinterState state =
        after.io == IoStatus::ok ? state_of(after.replies) : PrinterState::unknown;

    if (confirm) {
        if (*confirm & 0x0C) {
            return {JobResult::paper_out, PrinterState::paper_out,
                    "the paper ran out during the job: load a new roll, then reprint"};
        }
        return {JobResult::printed,
                state == PrinterState::unknown && (*confirm & 0x03) ? PrinterState::paper_near_end
                                                                    : state,
                note + (state == PrinterState::ok || state == PrinterState::unknown
                            ? "printed and confirmed"
                            : "printed and confirmed; " + describe(after.replies))};
    }
    if (blocks_printing(state)) {
        return {result_for(state), state,
                "the job was sent but not confirmed, and now: " + describe(after.replies) +
                    "; reprint once fixed"};
    }
    return {JobResult::printed_unconfirmed, state,
            note + "the printer did not confirm the job within " +
                std::to_string(o_.status_timeout_ms + o_.confirm_extra_ms) +
                " ms: check that the receipt came out"};
}

}  // namespace lapor::printer
