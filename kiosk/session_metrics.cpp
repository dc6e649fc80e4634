#include "session_metrics.h"

namespace lapor {

namespace {
bool journey(Screen s) { return s != Screen::attract && s != Screen::status; }
}  // namespace

void record_screen_change(Store& store, Screen before, Screen after) {
    if (before == after) return;
    if (before == Screen::attract && journey(after))
        store.add_metric("citizen_sessions_started", 1);
    if (after == Screen::receipt) store.add_metric("citizen_sessions_completed", 1);
    if (after == Screen::attract && journey(before) && before != Screen::receipt)
        store.add_metric("citizen_sessions_abandoned", 1);
    if (before == Screen::attract || after == Screen::attract)
        store.set_health(HealthKey::screen, after == Screen::attract ? "attract" : "in_use");
}

void record_staff_mode(Store& store, bool staff_active, Screen citizen_screen) {
    store.set_health(HealthKey::screen,
                     !staff_active && citizen_screen == Screen::attract ? "attract" : "in_use");
}

void record_ui_start(Store& store, std::int64_t first_frame_ms) {
    store.set_health(HealthKey::screen, "attract");
    store.set_metric("ui_first_frame_ms", first_frame_ms);
}

}  // namespace lapor
