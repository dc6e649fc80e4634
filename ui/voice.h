// Speech in the UI: the speaker button (every citizen screen says its title, what to do, the
// choices and any error: kiosk/spoken.h), and the audio guide for blind citizens, started from
// the attract screen by its button or any key of a USB numeric keypad. In the guide, arrows or
// 2/4/6/8 move between the touch targets of the frame (ui/guide_nav.h), 5 or Enter activates the
// focused one (as a tap at its centre), 0 repeats the screen; each focus is spoken with its state,
// typing echoes each letter and reads the word back, and a ring shows staff where the focus is.
// The methods live in ui/app_voice.cpp.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "screens/screens.h"
#include "speaker.h"

namespace lapor::ui {

struct Guide {
    bool on = false;
    std::string focus;      // widget id of the focus
    bool announce = false;  // say the screen and the focus after the next frame
    char swallow_text = 0;  // the digit a numeric keypad also sends as text
    // The overlay panel (screens::Overlay: countdown, "Hapus laporan ini?", Bantuan) shown in
    // the last frame, and the focus it took over from: while one shows, the focus moves only
    // among its own targets; when it goes, the focus returns there.
    screens::Overlay overlay = screens::Overlay::none;
    std::string focus_before_overlay;
};

struct SpokenPart {
    std::string text;
    std::string language;  // the code whose voice says it
};

struct Voice {
    std::unique_ptr<speech::Speaker> speaker;  // null when [ui] speech = false
    Guide guide;
    std::vector<std::string> said;  // what was given to the speaker, latest last (tests)
    bool ready_logged = false;      // "speech ready after N ms" was written to the log
};

}  // namespace lapor::ui
