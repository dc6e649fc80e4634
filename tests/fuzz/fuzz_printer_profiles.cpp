// libFuzzer target: the printer profile file either loads, and then every profile can encode a
// small document, or throws ProfileError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "escpos.h"
#include "profile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lapor::printer;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        for (const Profile& p : parse_profiles(text)) {
            Document d;
            d.add(Text{"Séno Ṛddhi", Align::center, true, 2, 2})
                .add(Pair{"Label", "value"})
                .add(Separator{'-'})
                .add(Feed{1})
                .add(Cut{});
            (void)encode(d, p);
        }
    } catch (const ProfileError&) {
    }
    return 0;
}
