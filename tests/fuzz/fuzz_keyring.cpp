// libFuzzer target: the keyring parser (quoted office names, dates, bases) must parse or throw
// KeyringError, never crash; what it parses must read back the same from its own text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "keyring.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const auto ring = lapor::Keyring::parse(text);
        const auto again = lapor::Keyring::parse(ring.text());
        if (again.text() != ring.text()) std::abort();
    } catch (const lapor::KeyringError&) {
    }
    return 0;
}
