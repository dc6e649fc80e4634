// libFuzzer target: the [printer] transport string either parses, and then prints back to a
// string that parses to the same thing, or throws TransportSpecError.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "transport.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lapor::printer;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const TransportSpec s = parse_transport(text);
        const TransportSpec again = parse_transport(to_string(s));
        if (again.kind != s.kind || again.path != s.path || again.host != s.host ||
            again.port != s.port || again.baud != s.baud || again.rtscts != s.rtscts ||
            again.queue != s.queue)
            std::abort();
    } catch (const TransportSpecError&) {
    }
    return 0;
}
