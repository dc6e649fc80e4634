// The citizen's journey as a plain state machine. The UI draws the current screen from this
// read-only state and feeds back intents; timers run on the injected Clock through tick().
//
// attract -> (language -> classification | a report type's button) -> agency -> ...; attract ->
// status (the status check) -> attract. In full:
// attract -> language -> classification -> agency -> text -> date_location -> privacy ->
// consent -> contact (skipped when consent is declined) -> review -> receipt -> attract.
// Back is always possible; Cancel, the idle timeout (after a countdown) and the end of the receipt
// screen wipe the form and return to attract.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "clock.h"
#include "report.h"
#include "store.h"
#include "submit.h"
#include "validation.h"

namespace lapor {

class Catalog;

enum class Screen {
    attract,
    language,
    classification,
    agency,
    text,
    date_location,
    privacy,
    consent,
    contact,
    review,
    receipt,
    status  // "Cek status laporan" from the attract screen (kiosk/status_check.h)
};
std::string_view to_string(Screen s);

// clang-format off: one line per intent reads as a table
namespace intent {
struct Start {};
struct StartAs {
    Classification classification;
};                     // a report type's button on attract: straight to the agency screen
struct OpenStatus {};  // "Cek status laporan" on attract
struct ChooseLanguage {
    Language language;
};  // on any screen; advances from `language`
struct ChooseClassification {
    Classification classification;
};  // advances
struct ChooseAgency {
    std::string agency_id;
};
struct ChooseCategory {
    std::string category_id;
};
struct Type {
    Field field;
    std::string text;
};  // the field's whole new text
struct SetDate {
    Date date;
};
struct ChoosePrivacy {
    Privacy privacy;
};
struct ChooseConsent {
    bool consent;
};
struct Next {};
struct Back {};
struct Edit {
    Section section;
};  // from review
struct Submit {};
struct Done {};       // leave the receipt screen
struct Cancel {};     // wipe and return to attract
struct StillHere {};  // answer to the idle countdown (any touch counts the same)
}  // namespace intent
// clang-format on

using Intent =
    std::variant<intent::Start, intent::StartAs, intent::OpenStatus, intent::ChooseLanguage,
                 intent::ChooseClassification, intent::ChooseAgency, intent::ChooseCategory,
                 intent::Type, intent::SetDate, intent::ChoosePrivacy, intent::ChooseConsent,
                 intent::Next, intent::Back, intent::Edit, intent::Submit, intent::Done,
                 intent::Cancel, intent::StillHere>;

struct FlowSettings {
    std::int64_t idle_timeout_ms = 90'000;
    std::int64_t countdown_ms = 20'000;
    std::int64_t receipt_screen_ms = 60'000;
    TimeZone time_zone{"Asia/Jakarta", "WIB", 7 * 3600};
    Language default_language = Language::id;
};

using SubmitFn = std::function<SubmitResult(const ReportDraft&)>;

class Flow {
public:
    Flow(FlowSettings settings, const Clock& clock, const Catalog& catalog, SubmitFn submit);

    void apply(const Intent& i);
    // Call from the loop; returns true when the state changed (a timer fired).
    bool tick();

    Screen screen() const { return screen_; }
    Language language() const { return draft_.language.value_or(settings_.default_language); }
    const ReportDraft& draft() const { return draft_; }
    const std::vector<Problem>& problems() const { return problems_; }
    // Message id of a failure that is not about a field (e.g. the store could not save).
    const char* error() const { return error_; }
    // Seconds left in the "are you still there?" countdown, when it shows.
    std::optional<double> countdown_left_s() const;
    // Seconds until the receipt screen returns to attract, on the receipt screen.
    std::optional<double> receipt_left_s() const;
    // "Step n of step_count": classification 1 ... review 7 (contact counts with consent);
    // nothing on attract, language and receipt.
    std::optional<int> step() const;
    static constexpr int step_count = 7;
    // The stored report on the receipt screen.
    const std::optional<PreparedReport>& receipt() const { return receipt_; }
    bool editing_from_review() const { return return_to_review_; }
    // Milliseconds until the next timer can fire (for the loop's wait), or nullopt if none.
    std::optional<std::int64_t> next_timer_ms() const;
    Date today() const;

    // Only between citizens: takes effect on the attract screen.
    void set_catalog(const Catalog& c);

private:
    void go(Screen s);
    void next();
    void back();
    void submit();
    void wipe_to_attract();
    bool gate(Section s);
    void clear_problems(Field f);

    FlowSettings settings_;
    const Clock& clock_;
    const Catalog* catalog_;
    SubmitFn submit_;
    Screen screen_ = Screen::attract;
    ReportDraft draft_;
    std::vector<Problem> problems_;
    const char* error_ = nullptr;
    std::optional<PreparedReport> receipt_;
    bool return_to_review_ = false;
    std::int64_t last_activity_ms_ = 0;
    std::optional<std::int64_t> countdown_since_ms_;
    std::int64_t receipt_since_ms_ = 0;
};

}  // namespace lapor
