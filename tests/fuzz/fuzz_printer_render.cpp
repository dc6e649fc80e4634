// libFuzzer target: the preview renderer reads whatever reaches a png: transport or the virtual
// printer (which renders what any client sends). It renders, or throws RenderError / QrError.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "profile.h"
#include "qr.h"
#include "render.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lapor::printer;
    static const Profile profile = [] {
        Profile p;
        p.name = "fuzz";
        p.dots = 384;
        p.columns = 32;
        p.code_pages = {{"cp437", 0}, {"cp858", 19}};
        return p;
    }();
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        (void)render_escpos(bytes, profile);
    } catch (const RenderError&) {
    } catch (const QrError&) {
    }
    return 0;
}
