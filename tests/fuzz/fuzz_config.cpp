// libFuzzer target: the config loader either returns a config or throws ConfigError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        (void)lapor::parse_config(text, "fuzz.toml");
    } catch (const lapor::ConfigError&) {
    }
    return 0;
}
