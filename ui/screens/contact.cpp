// Contact (optional; skipped when consent is declined): name, phone, e-mail, NIK in two columns.
#include <algorithm>

#include "common.h"
#include "i18n_marker.h"
#include "labels.h"

namespace lapor::ui::screens {

Actions contact(Painter& p, const View& v) {
    Actions out;
    const Layout l = layout(p, v, top_bar(p, v, v.tr(labels::title(Screen::contact)), out));
    const float s = l.s;
    const ReportDraft& dr = v.flow->draft();
    ImGui::SetCursorScreenPos(ImVec2(l.margin, l.top));
    ImGui::BeginChild("form", ImVec2(l.content_w + 12 * s, l.bottom - l.top), false,
                      ImGuiWindowFlags_NoBackground);
    p.text(v.tr(N_("ui.contact.optional")), p.pal.muted, v.fonts.small, l.content_w);
    const float fw = (l.content_w - 30 * s) / 2;
    const float y0 = ImGui::GetCursorScreenPos().y;
    struct F {
        const char* id;
        const char* label;
        Input in;
        Field f;
        const std::string* value;
    };
    const F fields[] = {
        {"field:name", N_("ui.field.name"), Input::name, Field::name, &dr.name},
        {"field:phone", N_("ui.field.phone"), Input::phone, Field::phone, &dr.phone},
        {"field:email", N_("ui.field.email"), Input::email, Field::email, &dr.email},
        {"field:nik", N_("ui.field.nik"), Input::nik, Field::nik, &dr.nik},
    };
    float row_y = y0, row_end = y0;
    for (int i = 0; i < 4; ++i) {
        const float x = l.margin + static_cast<float>(i % 2) * (fw + 30 * s);
        if (i == 2) row_y = row_end + 16 * s;
        ImGui::SetCursorScreenPos(ImVec2(x, row_y));
        field_label(p, v, fields[i].id + 6, v.tr(fields[i].label), fw, fields[i].in, out);
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
        if (p.field(fields[i].id, *fields[i].value, 0, false, false, ImVec2(fw, 64 * s)))
            out.push_back(act::Focus{fields[i].in});
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
        problem_for(p, v, fields[i].f, fw);
        row_end = std::max(row_end, ImGui::GetCursorScreenPos().y);
    }
    drag_scroll();
    ImGui::EndChild();
    bottom_bar(p, v, true, true, out);
    return out;
}

}  // namespace lapor::ui::screens
