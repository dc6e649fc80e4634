// A focused field alone above the on-screen keyboard (citizen fields and the agency search).
#include <algorithm>

#include "common.h"
#include "i18n_marker.h"
#include "labels.h"
#include "screens.h"

namespace lapor::ui::screens {

namespace {
const char* label_of(Input in) {
    switch (in) {
        case Input::title: return N_("ui.field.title");
        case Input::body: return N_("ui.field.body");
        case Input::location: return N_("ui.field.location");
        case Input::name: return N_("ui.field.name");
        case Input::phone: return N_("ui.field.phone");
        case Input::email: return N_("ui.field.email");
        case Input::nik: return N_("ui.field.nik");
        default: return N_("ui.field.search");
    }
}
}  // namespace

Actions editor(Painter& p, const View& v) {
    Actions out;
    const Layout l = layout(p, v, top_bar(p, v, v.tr(labels::title(v.flow->screen())), out));
    const float s = l.s;
    const Input focus = v.ui.focus;
    const float kb_top = v.display.y * 0.52f;
    ImGui::SetCursorScreenPos(ImVec2(l.margin, l.top));
    const std::string& value = v.focused_text();  // no copy: short text would sit in SSO
    if (focus == Input::search) {
        // One line for the words (the title says what it is for), then what they find, above
        // the keyboard while typing.
        const float fh = std::max(v.target_px, v.fonts.body->FontSize + 20 * s);
        p.field("field:search", value, v.ui.cursor, true, false, ImVec2(l.content_w, fh));
        const float y = ImGui::GetCursorScreenPos().y + 4 * s;
        search_results(p, v, ImVec2(l.margin, y), ImVec2(l.content_w, kb_top - y - 8 * s), out);
        keyboard(p, v, kb_top, out);
        return out;
    }
    p.text(v.tr(label_of(focus)), p.pal.text, v.fonts.body, l.content_w);
    // The field takes what is left above the keyboard after its problem line; at least a line.
    const float problem = field_of(focus) ? problem_height(p, v, *field_of(focus), l.content_w) : 0;
    const float one_line = v.fonts.body->FontSize * 1.15f + 28 * s;
    const float fh = kb_top - ImGui::GetCursorScreenPos().y - problem - 10 * s;
    p.field("field:edit", value, v.ui.cursor, true, focus == Input::body,
            ImVec2(l.content_w, std::max(fh, one_line)));
    if (auto f = field_of(focus)) problem_for(p, v, *f, l.content_w);
    keyboard(p, v, kb_top, out);
    return out;
}

}  // namespace lapor::ui::screens
