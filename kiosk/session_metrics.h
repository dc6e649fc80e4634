// What the UI tells the store when the citizen's screen changes: the session counters for
// monitoring (kiosk/metrics.cpp: lapor_citizen_sessions_total{outcome}) and the `screen` health
// fact fleet updates wait on (attract for 2 minutes before a reboot). Counts only, never what a
// citizen typed.
//
// A session is a report journey: it starts when the screen leaves attract for anything but the
// status check, completes when the receipt shows (the report is stored), and is abandoned when
// it returns to attract without a receipt (idle timeout, Batal, Kembali from the first screen).
// The status check is not a report session; it still marks the kiosk as in use.
#pragma once
#include "flow.h"
#include "store.h"

namespace lapor {

// Records the change from `before` to `after` (call it once per change). Throws StoreError.
void record_screen_change(Store& store, Screen before, Screen after);

// Staff mode opened or closed over the citizen's `screen`: staff at the kiosk count as in use
// (a fleet update never reboots under a technician), and the 2 idle minutes restart when they
// leave. Throws StoreError.
void record_staff_mode(Store& store, bool staff_active, Screen citizen_screen);

// At the UI's start: the kiosk shows attract, and how long the first frame took.
void record_ui_start(Store& store, std::int64_t first_frame_ms);

}  // namespace lapor
