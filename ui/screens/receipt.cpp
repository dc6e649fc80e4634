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
    const PrintView& print = v.ui.print;
    const auto res = print.phase == PrintView::Phase::done && print.outcome
                         ? print.outcome->result
                         : printer::JobResult::unknown;
    // The print library's sentence: printed_unconfirmed is not "printed" (a write-only printer
    // cannot say whether paper came out).
    const std::string msg = print.phase != PrintView::Phase::done
                                ? v.tr(N_("ui.receipt.printing"))
                                : v.tr(printer::citizen_message(res));
    const std::string saved = v.tr(N_("ui.receipt.saved"));
    const std::string tracking_label = v.tr(labels::receipt_tracking);
    const std::string follow = v.tr(labels::receipt_follow_up);
    // The words on the left, the QR code on the right, both above "Selesai": at a large text
    // size the QR code gives way (down to a size a phone still reads), then the follow-up line
    // moves under it.
    const float bh = std::max(v.target_px, 76 * s);
    const float room = d.y - bh - 18 * s - 12 * s - l.top;
    const float sp = ImGui::GetStyle().ItemSpacing.y;
    const bool banner = print.phase == PrintView::Phase::done &&
                        res != printer::JobResult::printed &&
                        res != printer::JobResult::printed_unconfirmed;
    auto left_h = [&](float w, bool with_follow) {
        float h = text_size(v.fonts.body, saved, w).y + sp + 10 * s + sp +
                  text_size(v.fonts.small, tracking_label, w).y + sp +
                  text_size(v.fonts.huge, r->tracking, w).y + sp + 10 * s + sp +
                  text_size(v.fonts.body, msg, w - (banner ? 28 * s : 0)).y + sp +
                  (banner ? 28 * s : 0);
        if (with_follow) h += text_size(v.fonts.small, follow, w).y + sp;
        return h;
    };
    float qr_side = std::min(room, 420 * v.layout_scale);
    const float qr_min = 260 * v.layout_scale;
    auto left_w = [&] { return l.content_w - qr_side - 40 * s; };
    auto fits = [&](bool follow_left) {
        if (left_h(left_w(), follow_left) > room) return false;
        return follow_left || qr_side + 8 * s + text_size(v.fonts.small, follow, qr_side).y <= room;
    };
    bool follow_left = true;
    for (; qr_side - 10 > qr_min; qr_side -= 10) {
        if (fits(true)) break;
        if (fits(false)) {
            follow_left = false;
            break;
        }
    }
    if (qr_side - 10 <= qr_min) follow_left = fits(true);
    ImGui::SetCursorScreenPos(ImVec2(l.margin, l.top));
    p.text(saved, p.pal.text, v.fonts.body, left_w());
    p.gap(10 * s);
    p.text(tracking_label, p.pal.muted, v.fonts.small, left_w());
    p.text(r->tracking, p.pal.text, v.fonts.huge, left_w());
    p.record.insert_or_assign("tracking:" + r->tracking, Rect{});
    p.gap(10 * s);
    {
        const float lw = left_w();
        if (print.phase != PrintView::Phase::done) {
            p.text(msg, p.pal.text, v.fonts.body, lw);
            p.record.insert_or_assign("print:printing", Rect{});
        } else if (res == printer::JobResult::printed) {
            p.text(msg, p.pal.text, v.fonts.body, lw);
            p.record.insert_or_assign("print:printed", Rect{});
        } else if (res == printer::JobResult::printed_unconfirmed) {
            p.text(msg, p.pal.text, v.fonts.body, lw);
            p.record.insert_or_assign("print:unconfirmed", Rect{});
        } else {
            p.banner(msg, lw);
            p.record.insert_or_assign("print:failed", Rect{});
        }
    }
    if (follow_left) p.text(follow, p.pal.muted, v.fonts.small, left_w());
    const ImVec2 qp{d.x - l.margin - qr_side, l.top};
    if (v.qr) {
        ImGui::GetWindowDrawList()->AddImage(v.qr, qp, ImVec2(qp.x + qr_side, qp.y + qr_side));
        p.note("qr", qp, ImVec2(qr_side, qr_side));
    }
    if (!follow_left) {
        ImGui::SetCursorScreenPos(ImVec2(qp.x, qp.y + qr_side + 8 * s));
        p.text(follow, p.pal.muted, v.fonts.small, qr_side);
    }
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
