// The end-to-end checks every fault suite makes after a drain.
#pragma once
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <set>

#include "lab_db.h"
#include "sync_fixture.h"

namespace lapor::test {

// Waits for a lapor-sync started with --exit-when-idle to exit (true; it must exit 0) or the
// deadline (false; it is killed). The sync log goes with every failed check.
inline bool finish(Kiosk& k, pid_t pid, int timeout_ms) {
    int rc = -1;
    const bool done = k.wait_for(
        [&] {
            int status = 0;
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
                return true;
            }
            return false;
        },
        timeout_ms);
    if (!done) {
        ::kill(pid, SIGKILL);
        wait_exit(pid);
    }
    INFO("lapor-sync log:\n" << k.sync_log().substr(0, 6000));
    CHECK(rc == 0);
    return done;
}

// Runs lapor-sync --exit-when-idle until it exits or the deadline (finish()).
inline bool drain(Kiosk& k, int timeout_ms, int max_in_flight = 4) {
    return finish(k, k.start_sync(true, max_in_flight), timeout_ms);
}

// The lab holds exactly the kiosk's reports, byte for byte, each unsealing to what was typed;
// each was created once; every kiosk report is accepted with the lab's id.
inline void check_exactly_once(Kiosk& k, Lab& lab) {
    const auto stats = lab.ctl->stats();
    lab::LabDb db(lab.dir + "/lab.db");
    const auto all = db.all_reports();
    CHECK(all.size() == k.personal.size());
    CHECK(stats["created"].get<int>() == static_cast<int>(k.personal.size()));
    CHECK(stats["reports"].get<int>() == static_cast<int>(k.personal.size()));
    CHECK(stats["wrong_cert_requests"].get<int>() == 0);
    std::set<std::string> seen;
    int mismatched = 0, wrong_state = 0;
    for (const auto& r : all) {
        CHECK(seen.insert(r.uuid).second);
        const auto it = k.personal.find(r.uuid);
        REQUIRE_MESSAGE(it != k.personal.end(), "the lab holds a report the kiosk never made");
        const auto body = nlohmann::json::parse(r.body);
        const auto sealed = base64_decode(body["sealed"]["payload"].get<std::string>());
        const auto opened = sealed ? unseal(*sealed, lab.national) : std::nullopt;
        const auto view = k.store->find_by_uuid(r.uuid);
        if (!opened || *opened != it->second || !view || view->report.upload_body != r.body)
            ++mismatched;
        if (!view || view->state != OutboxState::accepted || view->national_id != r.id)
            ++wrong_state;
    }
    CHECK(mismatched == 0);
    CHECK(wrong_state == 0);
    CHECK(k.count(OutboxState::accepted) == static_cast<int>(k.personal.size()));
}

inline void check_all_fired(Lab& lab) {
    const auto stats = lab.ctl->stats();
    for (const auto& [mode, c] : stats["faults"].items()) {
        INFO("fault " << mode);
        CHECK(c["fired"].get<int>() == c["armed"].get<int>());
    }
}

}  // namespace lapor::test
