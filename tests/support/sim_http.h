// A simulated HTTP edge for the real sync worker on a FakeClock: every request is answered at
// once by `answer`; when nothing is pending, a wait moves the clock on by its timeout (the
// worker's time passes only while it waits, as in life). Used by tests/sync/test_worker.cpp and
// bench/attempts_bench.cpp; the real edge is sync/curl_http.cpp.
#pragma once
#include <poll.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
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
    std::vector<std::pair<std::int64_t, std::string>> uploads;  // (mono ms, uuid) per report sent
    std::vector<std::pair<std::int64_t, std::string>> others;   // (mono ms, path) of the rest
    std::size_t waits = 0;                                      // the worker's waits

    // POST /v1/reports/batch is answered as the national side does (docs/api.md): each report
    // by `answer` as if it had come alone, in one 200 results list; a report's answer that is no
    // answer, a 401, 429 or 5xx answers for the whole batch instead. With batches = false the
    // batch path gets the envelope 404 of a server without it.
    bool batches = true;
    // When set and it answers, its answer is the batch's (a garbled one, say).
    std::function<std::optional<sync::HttpAnswer>(const sync::HttpRequest&)> batch_override;
    std::vector<std::size_t> batch_sizes;  // reports in each batch request answered per report
    std::size_t batch_requests = 0;        // every POST /v1/reports/batch

    void start(std::uint64_t tag, sync::HttpRequest r) override {
        if (r.path == "/v1/reports/batch") {
            ++batch_requests;
            ready_.emplace_back(tag, batch(r));
            return;
        }
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
    sync::HttpAnswer batch(const sync::HttpRequest& r) {
        sync::HttpAnswer refused;
        refused.status = 404;
        refused.content_type = "application/json";
        refused.body = R"({"error":{"code":"not_found","message":"no such endpoint"}})";
        if (!batches) return refused;
        const auto j = nlohmann::json::parse(r.body);  // the worker's own batch_body
        for (const auto& item : j.at("reports"))
            uploads.emplace_back(clock_.mono_ms(), item.at("idempotency_key").get<std::string>());
        if (batch_override)
            if (auto a = batch_override(r)) return *a;
        nlohmann::json results = nlohmann::json::array();
        batch_sizes.push_back(j.at("reports").size());
        for (const auto& item : j.at("reports")) {
            sync::HttpRequest one;
            one.method = "POST";
            one.path = "/v1/reports";
            one.headers = r.headers;
            const auto key = item.at("idempotency_key").get<std::string>();
            one.headers.push_back("Idempotency-Key: " + key);
            one.body = item.at("body").get<std::string>();
            auto a = answer(one);
            if (!a.status || *a.status == 401 || *a.status == 429 || *a.status >= 500) return a;
            results.push_back({{"idempotency_key", key},
                               {"status", *a.status},
                               {"answer", nlohmann::json::parse(a.body)}});
        }
        sync::HttpAnswer out;
        out.status = 200;
        out.content_type = "application/json";
        out.body = nlohmann::json{{"results", results}}.dump();
        return out;
    }

    FakeClock& clock_;
    std::vector<sync::Completion> ready_;
};

}  // namespace lapor::test
