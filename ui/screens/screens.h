// The screens, one file each (ui/screens/<name>.cpp). Each draws from the read-only View and
// returns what the person did as Actions (view.h); common.h has the bars and helpers they share.
#pragma once
#include "view.h"

namespace lapor::ui::screens {

// The whole frame: out of service, staff mode, or the citizen's current screen (plus the idle
// countdown over it).
Actions draw(Painter& p, const View& v);

// The panel over the citizen's screen, if any: one at a time, the most urgent wins (the idle
// countdown, then "Hapus laporan ini?", then Bantuan). draw() and the audio guide both ask this.
enum class Overlay { none, countdown, confirm_cancel, help };
Overlay overlay_of(const Flow* flow, bool in_staff, bool out_of_service, const UiState& ui);
// The Bantuan text's message id for a screen (help.cpp).
const char* help_msgid(Screen sc);

// Citizen
Actions attract(Painter& p, const View& v);
Actions language(Painter& p, const View& v);
Actions classification(Painter& p, const View& v);
Actions agency(Painter& p, const View& v);
Actions text(Painter& p, const View& v);
Actions date_location(Painter& p, const View& v);
Actions privacy(Painter& p, const View& v);
Actions consent(Painter& p, const View& v);
Actions contact(Painter& p, const View& v);
Actions review(Painter& p, const View& v);
Actions receipt(Painter& p, const View& v);
Actions status(Painter& p, const View& v);  // "Cek status laporan": the code pad and the answer
Actions editor(Painter& p, const View& v);
// The search's results between its field and the keyboard (search_results.cpp).
void search_results(Painter& p, const View& v, ImVec2 at, ImVec2 size,
                    Actions& out);                  // a focused field alone above the keyboard
Actions countdown(Painter& p, const View& v);       // "still there?" over any citizen screen
Actions confirm_cancel(Painter& p, const View& v);  // Batal: "Hapus laporan ini?"
Actions help(Painter& p, const View& v);            // Bantuan: what this screen is for
Actions out_of_service(Painter& p, const View& v);

// Staff
Actions staff_pin(Painter& p, const View& v);
Actions staff_verify(Painter& p, const View& v);
Actions staff_queue(Painter& p, const View& v);
Actions staff_printer(Painter& p, const View& v);
Actions staff_diagnostics(Painter& p, const View& v);

}  // namespace lapor::ui::screens
