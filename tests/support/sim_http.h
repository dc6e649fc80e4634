// A simulated HTTP edge for the real sync worker on a FakeClock: every request is answered at
// once by `answer`; when nothing is pending, a wait moves the clock on by its timeout (the
// worker's time passes only while it waits, as in life). Used by tests/sync/test_worker.cpp and
// bench/attempts_bench.cpp; the real edge is sync/curl_http.cpp.
#pragma once
#include <poll.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "fake_clock.h"
#include "http.h"

namespace lapor::test {

class SimHttp final : public sync::HttpClient {
public:
    explicit SimHttp(FakeClock& clock) : clock_(clock) {}
    std::function<sync::HttpAnswer(const sync::HttpRequest&)> answer;
    std::function<void()> on_wait;  // the caller's hook, called at every wait
    std::vector<std::pair<std::int64_t, std::string>> uploads;  // (mono ms, uuid) per POST
    std::vector<std::pair<std::int64_t, std::string>> others;   // (mono ms, path) of the rest
    std::size_t waits = 0;                                      // the worker's waits

    void start(std::uint64_t tag, sync::HttpRequest r) override {
        if (r.path == "/v1/reports") {
            for (const auto& h : r.headers)
                if (h.rfind("Idempotency-Key: ", 0) == 0)
                    uploads.emplace_back(clock_.mono_ms(), h.substr(17));
        } else {
            others.emplace_back(clock_.mono_ms(), r.path);
        }
        ready_.emplace_back(tag, answer(r));
    }
    std::size_t in_flight() const override { return ready_.size(); }

protected:
    std::vector<sync::Completion> poll(int timeout_ms, int wake_fd, bool* woken) override {
        if (woken) *woken = false;
        ++waits;
        if (on_wait) on_wait();
        // A signal (the caller's stop) wakes the worker as the real edge does; time still passes.
        pollfd p{wake_fd, POLLIN, 0};
        if (woken && wake_fd >= 0 && ::poll(&p, 1, 0) == 1) *woken = true;
        if (ready_.empty()) clock_.advance_ms(std::max(timeout_ms, 1));
        std::vector<sync::Completion> out;
        out.swap(ready_);
        return out;
    }

private:
    FakeClock& clock_;
    std::vector<sync::Completion> ready_;
};

}  // namespace lapor::test
