// lapor-sync SIGKILLed at random moments during a 1,000-report drain (in batches of 2), restarted,
// 20 rounds: afterwards every report is at the lab exactly once and accepted on the kiosk.
#include <doctest/doctest.h>

#include <chrono>
#include <random>

#include "sync_checks.h"

using namespace lapor;
using namespace lapor::test;

TEST_CASE("SIGKILL during a 1,000-report drain, 20 rounds: exactly once, nothing lost") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki);
    // Small batches (2 reports a request, 8 requests in flight): kills land inside batches, and
    // the drain still outlasts the 20 rounds (batches of 50 would send it all in 2 rounds).
    KioskSettings ks;
    ks.batch_max = 2;
    Kiosk k(lab, ks);
    REQUIRE(k.enroll_with_kioskctl(lab) == 0);
    k.add_reports(1000);
    std::mt19937 rng(std::random_device{}());
    int mid_drain = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int round = 0; round < 20; ++round) {
        // Let the worker accept a random number of reports (1-30, so the drain outlasts the
        // 20 rounds however fast this machine is), then kill it a few milliseconds later,
        // somewhere between leases, requests, answers and commits.
        const int target =
            k.count(OutboxState::accepted) + std::uniform_int_distribution<int>(1, 30)(rng);
        const pid_t pid = k.start_sync();
        k.wait_for([&] { return k.count(OutboxState::accepted) >= target; }, 10'000);
        sleep_ms(std::uniform_int_distribution<int>(0, 10)(rng));
        ::kill(pid, SIGKILL);
        wait_exit(pid);
        ::unlink(k.pid_file().c_str());
        const int left = k.unsent();
        if (left > 0) ++mid_drain;
        MESSAGE(
            "round " << round << ": " << left << " still to send ("
                     << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()
                     << " s)");
    }
    CHECK(mid_drain >= 15);  // the kills landed during the drain, not after it
    const pid_t last = k.start_sync(true);
    CHECK(wait_exit(last) == 0);
    check_exactly_once(k, lab);
    const auto stats = lab.ctl->stats();
    MESSAGE("kill test: " << stats["created"] << " created, " << stats["replayed"]
                          << " replays answered 200 after a kill cut an upload off");
    lab.stop();
    CHECK(lab.exit_code == 0);
}
