// What a screen gets and what it gives back. A screen is one function in its own file under
// ui/screens/: it draws from a read-only View (the flow, staff mode, the UI's own state) with a
// Painter and returns Actions: the flow's intents, or UI actions (focus a field, a key press, the
// text size, staff mode's taps). The App applies them after the frame; no screen changes state.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "catalog.h"
#include "config.h"
#include "flow.h"
#include "fonts.h"
#include "i18n.h"
#include "keyboard.h"
#include "languages.h"
#include "print_service.h"
#include "staff_flow.h"
#include "status_check.h"
#include "theme.h"
#include "widgets.h"

namespace lapor::ui {

// Which text the keyboard edits: a flow field, the agency search, or a staff input.
enum class Input {
    none,
    title,
    body,
    location,
    name,
    phone,
    email,
    nik,
    search,
    staff,
    status  // the status check's code or scanned link
};
std::optional<Field> field_of(Input in);

struct PrintView {
    enum class Phase { idle, printing, done } phase = Phase::idle;
    printer::JobId job = 0;
    std::optional<printer::JobOutcome> outcome;
    std::string tracking;  // the receipt it is for
};

// What only the screen knows (reset for each citizen by the wipe).
struct UiState {
    ThemeKind theme = ThemeKind::standard;
    int text_step = 0;  // 0: 100 %, 1: 125 %, 2: 150 %
    Input focus = Input::none;
    std::size_t cursor = 0;
    Keyboard keyboard;
    std::string search;
    std::string staff_input;  // PIN digits, a scanned URL or a tracking code
    // Fields typed in since the flow last judged them: their old message would mislead.
    std::vector<Field> edited_since_check;
    PrintView print;
    std::optional<printer::JobId> staff_job;
    bool confirm_cancel = false;  // "Hapus laporan ini?" is showing
    bool help = false;            // the Bantuan panel is showing
    std::string date_note;        // why the date steppers changed the day (month + on the 31st)
    std::string status_input;     // the status check: a typed code or a scanned receipt link
    std::optional<StatusAnswer> status;  // its answer, once checked
    bool status_store_error = false;     // the store could not be read for it
};

namespace act {
struct Focus {
    Input input;
};
struct CycleTextSize {};
struct ToggleContrast {};
struct KeyPressed {
    Key key;
};
struct Backspace {  // the keyboard's backspace this frame (it repeats while held)
    bool held = false;
    bool pressed_now = false;
};
struct AskCancel {};  // Batal: ask before erasing
struct AnswerCancel {
    bool erase = false;
};
struct Help {
    bool open = false;
};
struct DateNote {
    std::string text;  // translated; empty clears it
};
struct CheckStatus {};       // the status check's "Periksa" (or Enter from a scanner)
struct SubmitStaffInput {};  // the PIN, the scanned URL or the reprint code as typed
struct StaffGo {
    StaffScreen screen;
};
struct StaffExit {
    const char* why;
};
struct StaffLanguage {
    Language language;
};
struct StaffRefresh {};
struct StaffTestPrint {};
struct Speak {};       // the speaker button: say this screen (ui/app_voice.cpp)
struct StartGuide {};  // the audio guide button on the attract screen
}  // namespace act

using Action = std::variant<Intent, act::Focus, act::CycleTextSize, act::ToggleContrast,
                            act::KeyPressed, act::Backspace, act::AskCancel, act::AnswerCancel,
                            act::Help, act::DateNote, act::CheckStatus, act::SubmitStaffInput,
                            act::StaffGo, act::StaffExit, act::StaffLanguage, act::StaffRefresh,
                            act::StaffTestPrint, act::Speak, act::StartGuide>;
using Actions = std::vector<Action>;

// The read-only view a screen draws from.
struct View {
    const Messages& messages;
    bool messages_loaded = false;
    Language lang = Language::id;
    const Flow* flow = nullptr;        // null when out of service
    const StaffFlow* staff = nullptr;  // null when out of service
    const Catalog* catalog = nullptr;  // null when out of service
    const Config* config = nullptr;    // null when the config is bad
    const UiState& ui;
    const Fonts& fonts;
    float target_px = 34;    // 9 mm at display.dpi
    float layout_scale = 1;  // 1.0 at 1280x800
    ImVec2 display;          // the screen's size in pixels
    printer::PrinterState printer_state = printer::PrinterState::unknown;
    bool printer_readable = true;  // false for write-only transports (cups:, file:, png:)
    ImTextureID qr = nullptr;      // the receipt's QR code (receipt screen)
    const std::string& oos_error;
    const StatusCheck* status_check = nullptr;  // the status screen's code progress
    std::int64_t now_unix_ms = 0;               // wall clock (how fresh a status is)
    // The languages offered ([ui] languages), each named in itself; empty when out of service.
    const std::vector<LanguageFile>* languages = nullptr;

    // The offered languages, or Indonesian and English when none are known (out of service).
    const std::vector<LanguageFile>& offered() const;

    std::string tr(const char* msgid) const { return messages.tr(lang, msgid); }
    std::string tr_in(Language l, const char* msgid) const { return messages.tr(l, msgid); }
    // The focused buffer itself (no copy: short text would sit in an SSO buffer on the stack).
    const std::string& focused_text() const;
    // The corner that opens staff mode when held (top right).
    float corner() const { return std::max(target_px * 2.0f, 80.0f * layout_scale); }
    // The text size as a factor (1, 1.25, 1.5).
    float text_scale() const { return 1.0f + 0.25f * static_cast<float>(ui.text_step); }
};

}  // namespace lapor::ui
