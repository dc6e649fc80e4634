// Receipt: the tracking code large, the QR code, the printer's progress and result.
#include <algorithm>
#include <cmath>

#include "common.h"
#include "i18n_marker.h"
#include "labels.h"
#include "result_text.h"

namespace lapor::ui::screens {

Actions receipt(Painter& p, const View& v) {
    Actions out;
    // No Batal here: the report is saved; "Selesai" and the visible count-down end the screen.
    const Layout l = layout(p, v, top_bar(p, v, v.tr(labels::title(Screen::receipt)), out, false));
    const float s = l.s;
    const ImVec2 d = v.display;
    const auto& r = v.flow->receipt();
    if (!r) return out;
    ImGui::SetCursorScreenPos(ImVec2(l.margin, l.top));
    const float qr_side = std::min(d.y - l.top - 60 * s, 420 * v.layout_scale);
    const float left_w = l.content_w - qr_side - 40 * s;
    p.text(v.tr(N_("ui.receipt.saved")), p.pal.text, v.fonts.body, left_w);
    p.gap(10 * s);
    p.text(v.tr(labels::receipt_tracking), p.pal.muted, v.fonts.small, left_w);
    p.text(r->tracking, p.pal.text, v.fonts.huge);
    p.record.insert_or_assign("tracking:" + r->tracking, Rect{});
    p.gap(10 * s);
    const PrintView& print = v.ui.print;
    if (print.phase != PrintView::Phase::done) {
        p.text(v.tr(N_("ui.receipt.printing")), p.pal.text, v.fonts.body, left_w);
        p.record.insert_or_assign("print:printing", Rect{});
    } else {
        const auto res = print.outcome ? print.outcome->result : printer::JobResult::unknown;
        // The print library's sentence: printed_unconfirmed is not "printed" (a write-only
        // printer cannot say whether paper came out).
        const std::string msg = v.tr(printer::citizen_message(res));
        if (res == printer::JobResult::printed) {
            p.text(msg, p.pal.text, v.fonts.body, left_w);
            p.record.insert_or_assign("print:printed", Rect{});
        } else if (res == printer::JobResult::printed_unconfirmed) {
            p.text(msg, p.pal.text, v.fonts.body, left_w);
            p.record.insert_or_assign("print:unconfirmed", Rect{});
        } else {
            p.banner(msg, left_w);
            p.record.insert_or_assign("print:failed", Rect{});
        }
    }
    p.text(v.tr(labels::receipt_follow_up), p.pal.muted, v.fonts.small, left_w);
    if (v.qr) {
        const ImVec2 qp{d.x - l.margin - qr_side, l.top};
        ImGui::GetWindowDrawList()->AddImage(v.qr, qp, ImVec2(qp.x + qr_side, qp.y + qr_side));
        p.note("qr", qp, ImVec2(qr_side, qr_side));
    }
    const float bh = std::max(v.target_px, 76 * s);
    ImGui::SetCursorScreenPos(ImVec2(l.margin, d.y - bh - 18 * s));
    if (p.button("done", v.tr(N_("ui.done")), ImVec2(300 * s, bh), ButtonKind::primary))
        out.push_back(intent::Done{});
    if (const auto left = v.flow->receipt_left_s()) {
        const int n = static_cast<int>(std::ceil(*left));
        const std::string t = format(v.tr(N_("ui.receipt.leaving")), {{"n", std::to_string(n)}});
        const float x = l.margin + 300 * s + 30 * s;
        ImGui::SetCursorScreenPos(ImVec2(
            x, d.y - 18 * s - bh / 2 - text_size(v.fonts.body, t, d.x - x - l.margin).y / 2));
        p.text(t, p.pal.text, v.fonts.body, d.x - x - l.margin);
        p.record.insert_or_assign("receipt_left:" + std::to_string(n), Rect{});
    }
    return out;
}

}  // namespace lapor::ui::screens
