// libFuzzer target: the catalog loader either returns a catalog or throws CatalogError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const auto c = lapor::Catalog::parse(text);
        for (const auto& a : c.agencies()) (void)c.find_category(a.id, a.categories.front().id);
    } catch (const lapor::CatalogError&) {
    }
    return 0;
}
