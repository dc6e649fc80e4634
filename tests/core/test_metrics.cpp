#include <doctest/doctest.h>

#include <string>

#include "fake_clock.h"
#include "fixtures.h"
#include "metrics.h"
#include "session_metrics.h"
#include "store.h"

using namespace lapor;

namespace {

bool has_line(const std::string& text, const std::string& line) {
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("metrics text: values from the input, states as labels, no citizen data") {
    MetricsInput in;
    in.counts.by_state = {
        {OutboxState::queued, 4}, {OutboxState::accepted, 10}, {OutboxState::held, 2}};
    in.counts.oldest_unsent_unix = 1'790'000'000;
    in.counts.last_success_ms = 1'790'000'500'250;
    in.now_ms = 1'790'003'600'000;  // an hour after the oldest unsent report
    in.attempts = {{"accepted", 10}, {"failed", 7}, {"held", 2}};
    in.counters = {{"citizen_sessions_started", 20},
                   {"citizen_sessions_completed", 14},
                   {"citizen_sessions_abandoned", 5},
                   {"ui_first_frame_ms", 1234}};
    in.enrollment_state = "needs re-enrollment: the server refused the kiosk's token";
    in.printer_state = "paper_near_end";
    in.disk_free_bytes = 50, in.disk_size_bytes = 1000, in.database_bytes = 81920;
    in.version = "1.2.3";
    in.slot = "B";
    in.rollbacks = 2;
    const auto t = prometheus_text(in);
    CHECK(has_line(t, "lapor_reports{state=\"queued\"} 4"));
    CHECK(has_line(t, "lapor_reports{state=\"sending\"} 0"));
    CHECK(has_line(t, "lapor_reports{state=\"accepted\"} 10"));
    CHECK(has_line(t, "lapor_reports{state=\"held\"} 2"));
    CHECK(has_line(t, "lapor_upload_attempts_total{outcome=\"held\"} 2"));
    CHECK(has_line(t, "lapor_oldest_unsent_age_seconds 3600"));
    CHECK(has_line(t, "lapor_last_upload_success_timestamp_seconds 1790000500.250"));
    CHECK(has_line(t, "lapor_upload_attempts_total{outcome=\"failed\"} 7"));
    CHECK(has_line(t, "lapor_upload_attempts_total{outcome=\"rejected\"} 0"));
    CHECK(has_line(t, "lapor_enrollment_state{state=\"needs_reenrollment\"} 1"));
    CHECK(has_line(t, "lapor_enrollment_state{state=\"enrolled\"} 0"));
    CHECK(has_line(t, "lapor_printer_state{state=\"paper_near_end\"} 1"));
    CHECK(has_line(t, "lapor_printer_paper_near_end 1"));
    CHECK(has_line(t, "lapor_disk_free_bytes 50"));
    CHECK(has_line(t, "lapor_database_size_bytes 81920"));
    CHECK(has_line(t, "lapor_citizen_sessions_total{outcome=\"abandoned\"} 5"));
    CHECK(has_line(t, "lapor_ui_first_frame_seconds 1.234"));
    CHECK(has_line(t, "lapor_build_info{version=\"1.2.3\",slot=\"B\"} 1"));
    CHECK(has_line(t, "lapor_rollbacks_total 2"));
    CHECK(has_line(t, "lapor_metrics_timestamp_seconds 1790003600.000"));
    // Every sample's family has HELP and TYPE before it.
    CHECK(t.find("# TYPE lapor_citizen_sessions_total counter\n") != std::string::npos);

    // Nothing waiting: age 0; never uploaded: 0; no first frame yet: no such sample.
    MetricsInput empty;
    empty.now_ms = 5000;
    const auto e = prometheus_text(empty);
    CHECK(has_line(e, "lapor_oldest_unsent_age_seconds 0"));
    CHECK(has_line(e, "lapor_rollbacks_total 0"));
    CHECK(has_line(e, "lapor_last_upload_success_timestamp_seconds 0"));
    CHECK(has_line(e, "lapor_printer_state{state=\"unknown\"} 1"));
    CHECK(has_line(e, "lapor_enrollment_state{state=\"unknown\"} 1"));
    CHECK(e.find("lapor_ui_first_frame_seconds") == std::string::npos);
    CHECK(e.find("lapor_disk_free_bytes") == std::string::npos);
}

TEST_CASE("metrics: the booted slot from the kernel command line; label values escaped") {
    CHECK(boot_slot("root=LABEL=LAPORROOT ro rauc.slot=A quiet\n") == "A");
    CHECK(boot_slot("root=/dev/sda2 ro quiet") == "none");
    CHECK(boot_slot("") == "none");
    MetricsInput in;
    in.version = "1.0\"x\\y";
    CHECK(prometheus_text(in).find("version=\"1.0\\\"x\\\\y\"") != std::string::npos);
}

TEST_CASE("session counters and the screen fact as the citizen's screen changes") {
    lapor::test::TempDir dir;
    lapor::test::FakeClock clock;
    auto store = lapor::open_store(dir / "kiosk.db", clock);
    using lapor::Screen;
    auto count = [&](const char* name) {
        const auto m = store->metrics();
        const auto it = m.find(name);
        return it == m.end() ? 0 : it->second;
    };
    auto screen = [&] { return store->health().at(lapor::HealthKey::screen).value; };
    lapor::record_ui_start(*store, 42);
    CHECK(count("ui_first_frame_ms") == 42);
    CHECK(screen() == "attract");
    // A report submitted: started at the first screen, completed at the receipt.
    lapor::record_screen_change(*store, Screen::attract, Screen::agency);
    CHECK(screen() == "in_use");
    lapor::record_screen_change(*store, Screen::agency, Screen::text);
    lapor::record_screen_change(*store, Screen::review, Screen::receipt);
    lapor::record_screen_change(*store, Screen::receipt, Screen::attract);
    CHECK(screen() == "attract");
    CHECK(count("citizen_sessions_started") == 1);
    CHECK(count("citizen_sessions_completed") == 1);
    CHECK(count("citizen_sessions_abandoned") == 0);
    // One left (idle wipe or Batal): abandoned.
    lapor::record_screen_change(*store, Screen::attract, Screen::language);
    lapor::record_screen_change(*store, Screen::language, Screen::classification);
    lapor::record_screen_change(*store, Screen::classification, Screen::attract);
    // The status check: in use, but not a report session.
    lapor::record_screen_change(*store, Screen::attract, Screen::status);
    CHECK(screen() == "in_use");
    lapor::record_screen_change(*store, Screen::status, Screen::attract);
    CHECK(count("citizen_sessions_started") == 2);
    CHECK(count("citizen_sessions_completed") == 1);
    CHECK(count("citizen_sessions_abandoned") == 1);
    CHECK(screen() == "attract");
    // Staff mode over the attract screen: in use until the staff leave, then attract again.
    lapor::record_staff_mode(*store, true, Screen::attract);
    CHECK(screen() == "in_use");
    lapor::record_staff_mode(*store, false, Screen::attract);
    CHECK(screen() == "attract");
    lapor::record_staff_mode(*store, false, Screen::text);  // left over a citizen's journey
    CHECK(screen() == "in_use");
    lapor::record_ui_start(*store, 17);  // the last start's figure, not a sum
    CHECK(count("ui_first_frame_ms") == 17);
}
