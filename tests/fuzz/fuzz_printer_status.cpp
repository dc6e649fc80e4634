// libFuzzer target: status replies from a printer are untrusted bytes. Parsing never crashes,
// and a state is `unknown` whenever a reply is missing (never `ok`).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "status.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lapor::printer;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const StatusReplies r = parse_status_replies(bytes);
    const PrinterState s = state_of(r);
    if (!r.complete() && s != PrinterState::unknown) std::abort();
    if (r.complete() && s == PrinterState::unknown) std::abort();
    if (describe(r).empty()) std::abort();
    if (const auto c = parse_confirm_reply(bytes); c && (*c & 0x90) != 0) std::abort();
    return 0;
}
