// libFuzzer target: the .po parser (with Plural-Forms) either returns a catalog whose plural
// lookups stay in range, or throws PoError; the header reader returns or throws PoError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "i18n.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const auto c = lapor::parse_po_catalog(text);
        for (const auto& [id, forms] : c.plurals) {
            for (unsigned long n : {0UL, 1UL, 2UL, 5UL, 11UL, 21UL, 101UL, 4294967295UL}) {
                const auto i = static_cast<std::size_t>(c.rule.index(n));
                if (i >= forms.size()) __builtin_trap();
            }
        }
    } catch (const lapor::PoError&) {
    }
    // The header reader (languages are files, languages.h) reads the same files.
    try {
        (void)lapor::po_header(text);
    } catch (const lapor::PoError&) {
    }
    return 0;
}
