// "Cek status laporan": on the left the tracking code as typed on a pad of the code's own
// characters (the check character is judged as soon as all 13 are in) or a scanned receipt link;
// on the right what the kiosk's store knows (kiosk/status_check.h): the stages, the national
// tracking id, the agency, the last update, the agency's public reply, and how fresh it is.
// Another kiosk's code gets the national site and a QR code to its verify link.
#include <algorithm>
#include <cstdio>

#include "common.h"
#include "i18n_marker.h"
#include "labels.h"

namespace lapor::ui::screens {

namespace {

// The code's own characters (Crockford base32), ten to a row, then Hapus and Periksa.
void code_pad(Painter& p, const View& v, ImVec2 at, ImVec2 size, Actions& out) {
    const float s = p.s;
    const float gap = 6 * s;
    constexpr int cols = 10, rows = 4;
    const float kw = (size.x - gap * (cols - 1)) / cols;
    const float kh = std::max(v.target_px, (size.y - gap * (rows - 1)) / rows);
    // At a large text size the keys' letters shrink to fit the keys (never the keys under 9 mm).
    ImFont* f = kh >= v.fonts.body->FontSize + 8 * s ? v.fonts.body : v.fonts.small;
    const std::string_view chars = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    for (std::size_t i = 0; i < chars.size(); ++i) {
        const int r = static_cast<int>(i) / cols, c = static_cast<int>(i) % cols;
        ImGui::SetCursorScreenPos(ImVec2(at.x + static_cast<float>(c) * (kw + gap),
                                         at.y + static_cast<float>(r) * (kh + gap)));
        const std::string ch(1, chars[i]);
        if (p.button("key:" + ch, ch, ImVec2(kw, kh), ButtonKind::normal, nullptr, f))
            out.push_back(act::KeyPressed{Key{"key:" + ch, ch, KeyKind::text, ch, 1}});
    }
    // The last row: two characters are in it (Y, Z), then the two wide keys.
    const float y = at.y + 3 * (kh + gap);
    const float x = at.x + 2 * (kw + gap);
    const float wide = (at.x + size.x - x - gap) / 2;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    if (p.button("key:backspace", v.tr(N_("ui.key.backspace")), ImVec2(wide, kh),
                 ButtonKind::normal, nullptr, f))
        out.push_back(act::KeyPressed{Key{"key:backspace", "", KeyKind::backspace, "", 1}});
    ImGui::SetCursorScreenPos(ImVec2(x + wide + gap, y));
    if (p.button("status:check", v.tr(N_("ui.status.check")), ImVec2(wide, kh), ButtonKind::primary,
                 nullptr, f))
        out.push_back(act::CheckStatus{});
}

std::string when(const View& v, std::int64_t unix_s) { return office_time(v, unix_s); }

// How long ago, in whole minutes, hours or days (the freshness line).
std::string ago(const View& v, std::int64_t ms) {
    const std::int64_t now = v.now_unix_ms;
    const std::int64_t m = std::max<std::int64_t>(0, (now - ms) / 60000);
    if (m < 60) return format(v.tr(N_("ui.status.minutes_ago")), {{"n", std::to_string(m)}});
    if (m < 48 * 60)
        return format(v.tr(N_("ui.status.hours_ago")), {{"n", std::to_string(m / 60)}});
    return format(v.tr(N_("ui.status.days_ago")), {{"n", std::to_string(m / 1440)}});
}

void answer(Painter& p, const View& v, const StatusAnswer& a, float w) {
    const float s = p.s;
    p.record.insert_or_assign("status:" + std::string(to_string(a.verdict)), Rect{});
    if (a.verdict != StatusVerdict::found) {
        if (!a.tracking.empty()) p.text(a.tracking, p.pal.text, v.fonts.heading, w);
        p.text(v.tr(verdict_msgid(a.verdict)), a.verify_url.empty() ? p.pal.error : p.pal.text,
               v.fonts.body, w);
        if (!a.verify_url.empty() && v.qr) {
            const float side = std::min(w, 240 * v.layout_scale);
            const ImVec2 qp = ImGui::GetCursorScreenPos();
            ImGui::GetWindowDrawList()->AddImage(v.qr, qp, ImVec2(qp.x + side, qp.y + side));
            p.note("status:qr", qp, ImVec2(side, side));
            ImGui::SetCursorScreenPos(ImVec2(qp.x, qp.y + side + 6 * s));
            p.text(a.verify_url, p.pal.muted, v.fonts.small, w);
        }
        return;
    }
    // First what a citizen came for: the code, where the report is now, and the agency's reply.
    p.text(v.tr(N_("ui.status.code")), p.pal.muted, v.fonts.small, w);
    p.text(a.tracking, p.pal.text, v.fonts.heading, w);
    p.record.insert_or_assign("status:tracking:" + a.tracking, Rect{});
    for (const auto& st : a.stages)
        if (st.current) {
            p.text(v.tr(st.msgid), p.pal.text, v.fonts.heading, w);
            p.record.insert_or_assign(std::string("status:stage:") + st.msgid, Rect{});
        }
    if (a.problem_msgid) p.text(v.tr(a.problem_msgid), p.pal.error, v.fonts.body, w);
    if (!a.public_reply.empty()) {
        p.gap(4 * s);
        p.text(v.tr(N_("ui.status.reply")), p.pal.muted, v.fonts.small, w);
        p.text(a.public_reply, p.pal.text, v.fonts.body, w);  // the agency's words, as sent
        p.record.insert_or_assign("status:reply", Rect{});
    }
    p.gap(8 * s);
    auto row = [&](const char* label, const std::string& value, const std::string& mark) {
        if (value.empty()) return;
        p.text(v.tr(label) + ": " + value, p.pal.text, v.fonts.small, w);
        p.record.insert_or_assign(mark + value, Rect{});
    };
    row(N_("ui.status.national_id"), a.national_id, "status:national_id:");
    std::string agency = a.agency;
    if (agency.empty() && v.catalog)
        if (const Agency* ag = v.catalog->find_agency(a.agency_id)) agency = ag->name.in(v.lang);
    row(N_("ui.status.agency"), agency, "status:agency:");
    if (a.updated_unix) row(N_("ui.status.updated"), when(v, *a.updated_unix), "status:updated:");
    p.gap(8 * s);
    // The way so far, oldest first: a filled dot and the time for each stage reached, an empty
    // ring for those still ahead (drawn, so no glyph is needed).
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float r = v.fonts.small->FontSize * 0.3f;
    const float indent = 4 * r;
    for (const auto& st : a.stages) {
        std::string line = v.tr(st.msgid);
        if (st.reached && st.at_unix) line += " \xE2\x80\x93 " + when(v, *st.at_unix);
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const ImVec2 c(at.x + 1.5f * r, at.y + v.fonts.small->FontSize * 0.55f);
        const ImU32 col = ImGui::GetColorU32(st.reached ? p.pal.text : p.pal.muted);
        if (st.reached)
            dl->AddCircleFilled(c, r, col, 12);
        else
            dl->AddCircle(c, r, col, 12, 1.5f * s);
        ImGui::SetCursorScreenPos(ImVec2(at.x + indent, at.y));
        p.text(line, st.reached ? p.pal.text : p.pal.muted, v.fonts.small, w - indent);
        ImGui::SetCursorScreenPos(ImVec2(at.x, ImGui::GetCursorScreenPos().y));
    }
    p.gap(6 * s);
    // Offline is normal: the answer is what lapor-sync last brought, and says when that was.
    // A held or conflicting report is not sent "when the kiosk is connected": its problem line
    // has said what happens instead.
    if (!a.checked_ms && a.problem_msgid) return;
    const std::string fresh =
        a.checked_ms ? format(v.tr(N_("ui.status.fresh")), {{"time", when(v, *a.checked_ms / 1000)},
                                                            {"ago", ago(v, *a.checked_ms)}})
                     : v.tr(a.state == OutboxState::accepted ? N_("ui.status.not_checked_yet")
                                                             : N_("ui.status.not_sent_yet"));
    p.text(fresh, p.pal.muted, v.fonts.small, w);
    p.record.insert_or_assign(a.checked_ms ? "status:fresh" : "status:not_checked", Rect{});
}

}  // namespace

Actions status(Painter& p, const View& v) {
    Actions out;
    const Layout l = layout(p, v, top_bar(p, v, v.tr(labels::title(Screen::status)), out, false));
    const float s = l.s;
    const float col_gap = 30 * v.layout_scale;
    const float left_w = (l.content_w - col_gap) * 0.5f;
    const float right_x = l.margin + left_w + col_gap;
    const float right_w = l.content_w - left_w - col_gap;
    // What to do, across both columns (one line where a column would take two).
    ImGui::SetCursorScreenPos(ImVec2(l.margin, l.top));
    p.text(v.tr(N_("ui.status.ask")), p.pal.text, v.fonts.body, l.content_w);
    const float cols_top = ImGui::GetCursorScreenPos().y;
    // The code grouped as on the receipt, or the scanned link as it came.
    const std::string& typed = v.ui.status_input;
    const bool link = typed.find(':') != std::string::npos || typed.find('/') != std::string::npos;
    const CodeProgress prog = v.status_check ? v.status_check->progress(typed) : CodeProgress{};
    const std::string shown = link ? typed : prog.grouped;
    const float fh = std::max(v.target_px, v.fonts.heading->FontSize + 20 * s);
    p.field("field:status", shown.empty() ? v.tr(N_("ui.status.placeholder")) : shown, shown.size(),
            !shown.empty(), false, ImVec2(left_w, fh));
    // The check character is judged as soon as the 13th character is in.
    const char* feedback = nullptr;
    std::string marker;
    if (!link && prog.chars > 0) {
        if (!prog.complete) {
            feedback = N_("ui.status.typing");
            marker = "code:typing";
        } else if (!prog.check_ok) {
            feedback = N_("status.verdict.bad_check");
            marker = "code:bad_check";
        } else {
            feedback = N_("ui.status.code_ok");
            marker = "code:ok";
        }
    }
    // The feedback has its line before the first character is typed, so the pad never moves
    // under a finger that is typing.
    const float feedback_top = ImGui::GetCursorScreenPos().y;
    float feedback_h = 0;
    for (const char* id :
         {N_("ui.status.typing"), N_("status.verdict.bad_check"), N_("ui.status.code_ok")})
        feedback_h = std::max(
            feedback_h,
            text_size(v.fonts.small, format(v.tr(id), {{"n", "12"}, {"total", "13"}}), left_w).y);
    if (feedback) {
        const std::string t =
            format(v.tr(feedback), {{"n", std::to_string(prog.chars)}, {"total", "13"}});
        p.text(t, marker == "code:bad_check" ? p.pal.error : p.pal.text, v.fonts.small, left_w);
        p.record.insert_or_assign(marker, Rect{});
    }
    const float pad_top = feedback_top + feedback_h + 8 * s;
    code_pad(p, v, ImVec2(l.margin, pad_top), ImVec2(left_w, l.bottom - pad_top - 10 * s), out);
    // The answer, in a panel that scrolls with a finger when the reply is long.
    ImGui::SetCursorScreenPos(ImVec2(right_x, cols_top));
    ImGui::BeginChild("status_answer", ImVec2(right_w, l.bottom - cols_top - 10 * s), false,
                      ImGuiWindowFlags_NoBackground);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(8 * s, 5 * s));  // a compact answer
    // Narrower than the panel by the scroll bar, so no line runs under it.
    const float inner = right_w - ImGui::GetStyle().ScrollbarSize - 12 * s;
    if (v.ui.status_store_error) {
        p.text(v.tr(N_("ui.status.store_error")), p.pal.error, v.fonts.body, inner);
        p.record.insert_or_assign("status:store_error", Rect{});
    } else if (v.ui.status) {
        answer(p, v, *v.ui.status, inner);
    } else {
        // A complete code of another kiosk: said before Periksa, where the answer will be.
        if (!link && prog.complete && prog.check_ok && prog.other_prefix) {
            p.text(v.tr(N_("ui.status.other_prefix")), p.pal.text, v.fonts.body, inner);
            p.record.insert_or_assign("code:other_prefix", Rect{});
        }
        p.text(v.tr(N_("ui.status.explain")), p.pal.muted, v.fonts.body, inner);
        p.text(v.tr(N_("ui.status.privacy")), p.pal.muted, v.fonts.small, inner);
    }
    drag_scroll();
    const bool more_below = ImGui::GetScrollY() + 1 < ImGui::GetScrollMaxY();
    ImGui::PopStyleVar();
    ImGui::EndChild();
    bottom_bar(p, v, true, false, out);
    // The timeline or a long reply is out of sight: say so beside Kembali, under the answer.
    if (more_below) {
        const std::string hint = v.tr(N_("ui.scroll_hint"));
        const float bb = std::max(v.target_px, v.fonts.body->FontSize + 44 * s);
        const ImVec2 ts = text_size(v.fonts.small, hint, right_w);
        ImGui::SetCursorScreenPos(ImVec2(right_x, v.display.y - 18 * s - bb / 2 - ts.y / 2));
        p.text(hint, p.pal.text, v.fonts.small, right_w);
        p.record.insert_or_assign("scroll_hint", Rect{});
    }
    return out;
}

}  // namespace lapor::ui::screens
