// A focused field alone above the on-screen keyboard (citizen fields and the agency search).
#include <algorithm>

#include "common.h"
#include "i18n_marker.h"
#include "labels.h"

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
    p.text(v.tr(label_of(focus)), p.pal.text, v.fonts.body, l.content_w);
    const std::string& value = v.focused_text();  // no copy: short text would sit in SSO
    const float fh = kb_top - ImGui::GetCursorScreenPos().y - 60 * s;
    const char* id = focus == Input::search ? "field:search" : "field:edit";
    p.field(id, value, v.ui.cursor, true, focus == Input::body,
            ImVec2(l.content_w, std::max(fh, 60 * s)));
    if (auto f = field_of(focus)) problem_for(p, v, *f, l.content_w);
    keyboard(p, v, kb_top, out);
    return out;
}

}  // namespace lapor::ui::screens
