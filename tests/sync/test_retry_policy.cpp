// sync/retry_policy: every row of docs/api.md's "What the kiosk does with each answer", case by
// case, per request kind: outcome, delay bounds and the words' key phrases.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "retry_policy.h"

using namespace lapor::sync;

namespace {

constexpr const char* json_type = "application/json";
constexpr const char* html_type = "text/html; charset=utf-8";

HttpAnswer reply(int status, std::string body, std::string type = json_type,
                 std::string retry_after = "") {
    HttpAnswer a;
    a.status = status;
    a.body = std::move(body);
    a.content_type = std::move(type);
    a.retry_after = std::move(retry_after);
    return a;
}

HttpAnswer no_answer(Transport t, std::string words) {
    HttpAnswer a;
    a.transport = t;
    a.transport_error = std::move(words);
    return a;
}

std::string envelope(const std::string& code, const std::string& field = "") {
    std::string e = R"({"error":{"code":")" + code + R"(","message":"words for people")";
    if (!field.empty()) e += R"(,"field":")" + field + "\"";
    return e + "}}";
}

const RetrySettings settings{2, 100};  // base 2 s, cap 100 s
constexpr std::int64_t now = 1'800'000'000;

struct Case {
    const char* name;
    RequestKind kind;
    HttpAnswer answer;
    Outcome outcome;
    const char* words;  // a phrase the words must hold
};

const std::string html_page = "<html><body><h1>400 Bad Request</h1></body></html>";
const std::string portal = "<!doctype html><title>Wi-Fi login</title>";

std::vector<Case> cases() {
    using K = RequestKind;
    using O = Outcome;
    return {
        // Uploads: success only with a parsed id.
        {"201 with an id", K::upload, reply(201, R"({"id":"N-1","tracking_url":"u"})"), O::done,
         "accepted"},
        {"200 replay", K::upload, reply(200, R"({"id":"N-1"})"), O::done, "already had it"},
        {"200 captive portal", K::upload, reply(200, portal, html_type), O::unexpected,
         "not the national API"},
        {"201 cut-off JSON", K::upload, reply(201, R"({"id":"N-)"), O::unexpected, "NOT counted"},
        // The envelope decides per report.
        {"422 envelope", K::upload, reply(422, envelope("invalid_field", "privacy")), O::held,
         "held"},
        {"400 envelope", K::upload, reply(400, envelope("malformed_json")), O::held, "held"},
        {"422 unknown_key_id", K::upload, reply(422, envelope("unknown_key_id", "sealed.key_id")),
         O::held, "unknown_key_id"},
        {"403 wrong_kiosk", K::upload, reply(403, envelope("wrong_kiosk", "kiosk_id")), O::held,
         "wrong_kiosk"},
        {"409 envelope", K::upload, reply(409, envelope("idempotency_conflict")), O::conflict,
         "staff should check"},
        {"401 invalid_token", K::upload, reply(401, envelope("invalid_token")), O::reenroll,
         "enrolled again"},
        {"401 other code", K::upload, reply(401, envelope("unauthorized")), O::retry,
         "only invalid_token"},
        // Not the envelope: never a refusal.
        {"400 proxy HTML", K::upload, reply(400, html_page, html_type), O::unexpected,
         "proxy, captive portal?"},
        {"403 WAF HTML", K::upload, reply(403, "<html>Forbidden</html>", "text/html"),
         O::unexpected, "not the national API"},
        {"422 envelope as text/plain", K::upload,
         reply(422, envelope("invalid_field"), "text/plain"), O::unexpected,
         "not the national API"},
        {"409 empty", K::upload, reply(409, ""), O::unexpected, "empty body"},
        {"401 empty", K::upload, reply(401, ""), O::unexpected, "not the national API"},
        {"422 other JSON", K::upload, reply(422, R"({"message":"nope"})"), O::unexpected,
         "not the national API"},
        {"422 envelope with more members", K::upload,
         reply(422, R"({"error":{"code":"x","message":"m"},"extra":1})"), O::unexpected,
         "not the national API"},
        {"422 envelope with a bad code", K::upload,
         reply(422, R"({"error":{"code":"Bad Code","message":"m"}})"), O::unexpected,
         "not the national API"},
        {"302 redirect", K::upload, reply(302, "", "text/html"), O::unexpected,
         "not the national API"},
        // Overload and server trouble.
        {"429 Retry-After", K::upload, reply(429, envelope("too_many_requests"), json_type, "30"),
         O::pause_all, "asked the kiosk to wait"},
        {"503 HTML with Retry-After", K::upload, reply(503, html_page, html_type, "30"),
         O::pause_all, "asked the kiosk to wait"},
        {"500", K::upload, reply(500, envelope("internal")), O::retry, "sent again safely"},
        {"502 proxy HTML", K::upload, reply(502, html_page, html_type), O::retry,
         "sent again safely"},
        {"timeout", K::upload, no_answer(Transport::timeout, "no answer in time"), O::retry,
         "sent again safely"},
        {"reset", K::upload, no_answer(Transport::cut, "the connection was cut"), O::retry,
         "sent again safely"},
        // No connection at all: every upload pauses while one report probes (the herd).
        {"connect refused", K::upload, no_answer(Transport::connect, "cannot connect"),
         O::pause_all, "sent again safely"},
        {"no address", K::upload, no_answer(Transport::resolve, "cannot find the server"),
         O::pause_all, "sent again safely"},
        {"status connect refused", K::status, no_answer(Transport::connect, "cannot connect"),
         O::retry, "asked for again"},
        // Enrollment.
        {"enroll 201", K::enroll, reply(201, R"({"token":"abcdefghijklmnopqrstuvwxyz"})"), O::done,
         "enrolled"},
        {"enroll 403 envelope", K::enroll, reply(403, envelope("enroll_code_expired")),
         O::code_refused, "ask for a new one"},
        {"enroll 403 HTML", K::enroll, reply(403, "<html>WAF</html>", "text/html"), O::unexpected,
         "not the national API"},
        {"enroll 200 portal", K::enroll, reply(200, portal, html_type), O::unexpected,
         "NOT counted"},
        {"enroll reset", K::enroll, no_answer(Transport::cut, "cut"), O::retry,
         "enrollment is tried again"},
        {"enroll 503", K::enroll, reply(503, envelope("unavailable"), json_type, "5"), O::retry,
         "enrollment is tried again"},
        // Status, catalog, heartbeat: only invalid_token stops; their own words.
        {"status 200", K::status, reply(200, R"({"reports":[]})"), O::done, ""},
        {"status 403 HTML", K::status, reply(403, "<html>WAF</html>", "text/html"), O::unexpected,
         "status refresh: the endpoint answers"},
        {"status 401 invalid_token", K::status, reply(401, envelope("invalid_token")), O::reenroll,
         "status refresh:"},
        {"status 400 envelope", K::status, reply(400, envelope("bad_ids", "ids")), O::retry,
         "next refresh"},
        {"status timeout", K::status, no_answer(Transport::timeout, "no answer in time"), O::retry,
         "next refresh"},
        {"catalog 304", K::catalog, reply(304, "", ""), O::done, ""},
        {"catalog 200", K::catalog, reply(200, R"({"version":"2026.1"})"), O::done, ""},
        {"catalog 200 portal", K::catalog, reply(200, portal, html_type), O::unexpected,
         "keeps its current catalog"},
        {"catalog 403 HTML", K::catalog, reply(403, "<html>WAF</html>", "text/html"), O::unexpected,
         "catalog refresh:"},
        {"heartbeat 204", K::heartbeat, reply(204, "", ""), O::done, ""},
        {"heartbeat 403 HTML", K::heartbeat, reply(403, "<html>WAF</html>", "text/html"),
         O::unexpected, "next heartbeat"},
        {"heartbeat 401 invalid_token", K::heartbeat, reply(401, envelope("invalid_token")),
         O::reenroll, "heartbeat:"},
        {"heartbeat 500", K::heartbeat, reply(500, ""), O::retry, "next heartbeat"},
    };
}

}  // namespace

TEST_CASE("retry policy: each answer, each request kind") {
    for (const auto& c : cases()) {
        INFO(c.name << " (" << to_string(c.kind) << ")");
        const auto d = decide(c.kind, c.answer, 0, settings, 0.5, now);
        INFO("words: " << d.words);
        CHECK(to_string(d.outcome) == to_string(c.outcome));
        CHECK(d.words.find(c.words) != std::string::npos);
        // Only uploads and enrollment promise that a repeat is safe.
        if (c.kind != RequestKind::upload)
            CHECK(d.words.find("report will be sent again") == std::string::npos);
        if (d.outcome == Outcome::done || d.outcome == Outcome::held ||
            d.outcome == Outcome::conflict || d.outcome == Outcome::reenroll ||
            d.outcome == Outcome::code_refused)
            CHECK(d.delay_ms == 0);
    }
}

TEST_CASE("retry policy: delays") {
    const auto html400 = reply(400, html_page, html_type);
    const auto e500 = reply(500, envelope("internal"));
    for (int failures : {0, 1, 3, 10, 60}) {
        INFO("failures " << failures);
        // Network trouble: full jitter in [0, min(cap, base * 2^n)].
        const double bound = std::min(100.0, 2.0 * (1 << std::min(failures, 20)));
        CHECK(decide(RequestKind::upload, e500, failures, settings, 0.0, now).delay_ms == 0);
        CHECK(decide(RequestKind::upload, e500, failures, settings, 0.999, now).delay_ms <=
              static_cast<std::int64_t>(bound * 1000));
        // An unexpected answer: at least half the bound of four more failures, never zero.
        const double long_bound = std::min(100.0, 2.0 * (1 << std::min(failures + 4, 20)));
        const auto lo = decide(RequestKind::upload, html400, failures, settings, 0.0, now);
        const auto hi = decide(RequestKind::upload, html400, failures, settings, 0.999, now);
        CHECK(lo.delay_ms == static_cast<std::int64_t>(long_bound * 500));
        CHECK(hi.delay_ms <= static_cast<std::int64_t>(long_bound * 1000));
        CHECK(hi.delay_ms > lo.delay_ms);
    }
    // Retry-After lengthens the wait, never shortens it below the backoff or the base.
    const auto ra = [&](const std::string& v, double unit) {
        return decide(RequestKind::upload, reply(429, envelope("too_many_requests"), json_type, v),
                      0, settings, unit, now)
            .delay_ms;
    };
    CHECK(ra("30", 0.0) == 30'000);
    CHECK(ra("0", 0.0) == 2'000);            // base
    CHECK(ra("", 0.9) == 2'000);             // backoff bound at 0 failures is base
    CHECK(ra("999999", 0.0) == 86'400'000);  // at most a day
    CHECK(ra("Thu, 15 Jan 2027 08:00:00 GMT", 0.0) == 2'000);  // a past date: the base
    // A certificate refusal waits long, as an unexpected answer does.
    const auto tls = decide(RequestKind::upload, no_answer(Transport::tls_verify, "cert"), 0,
                            settings, 0.0, now);
    CHECK(tls.outcome == Outcome::retry);
    CHECK(tls.delay_ms == 16'000);
}

TEST_CASE("retry policy: a probe waits at most probe_cap_s, other requests up to the cap") {
    const RetrySettings wide{30, 1800};
    const auto refused = no_answer(Transport::connect, "cannot connect");
    for (int failures : {0, 3, 6, 20}) {
        INFO("failures " << failures);
        const double bound = std::min(probe_cap_s, 30.0 * (1 << std::min(failures, 20)));
        const auto probe = decide(RequestKind::upload, refused, failures, wide, 0.999, now);
        CHECK(probe.outcome == Outcome::pause_all);
        CHECK(probe.delay_ms <= static_cast<std::int64_t>(bound * 1000));
        CHECK(probe.delay_ms >= static_cast<std::int64_t>(bound * 990));
        // A heartbeat that cannot connect backs off as before, up to backoff_cap_s.
        const double hb_bound = std::min(1800.0, 30.0 * (1 << std::min(failures, 20)));
        CHECK(decide(RequestKind::heartbeat, refused, failures, wide, 0.999, now).delay_ms >=
              static_cast<std::int64_t>(hb_bound * 990));
    }
    // A cap below probe_cap_s still bounds the probe (tests run with millisecond caps).
    CHECK(decide(RequestKind::upload, refused, 10, settings, 0.999, now).delay_ms <= 100'000);
}

TEST_CASE("the catch-up pace: a bounded multiple of the kiosk's usual requests") {
    UsualTraffic busy;  // 300 reports a day, the default periods, one status request a round
    busy.reports_per_day = 300;
    // 300/86400 + 1/300 + 1/900 + 1/86400 requests a second.
    const double usual = 300.0 / 86400 + 1.0 / 300 + 1.0 / 900 + 1.0 / 86400;
    CHECK(usual_requests_per_s(busy) == doctest::Approx(usual));
    // The heartbeat keeps its pace while catching up: the uploads get the rest of 3x.
    CHECK(catch_up_gap_ms(busy, 3) == static_cast<std::int64_t>(1000.0 / (3 * usual - 1.0 / 300)));
    // One upload every 49 s (a heartbeat every 300 s beside them): the 75 reports of a 6-hour
    // outage (and the 0.21 a minute arriving meanwhile) go in about 73 minutes.
    CHECK(catch_up_gap_ms(busy, 3) == 48'896);
    // A status round of 20 requests (2,000 open reports) is part of the usual traffic.
    UsualTraffic open = busy;
    open.status_requests = 20;
    CHECK(usual_requests_per_s(open) == doctest::Approx(usual + 19.0 / 900));
    CHECK(catch_up_gap_ms(open, 3) < catch_up_gap_ms(busy, 3) / 3);
    // A quiet kiosk: mostly heartbeats; it still catches up (3x, less the heartbeat it keeps).
    UsualTraffic quiet;
    quiet.reports_per_day = 0;
    quiet.status_requests = 0;
    CHECK(usual_requests_per_s(quiet) == doctest::Approx(1.0 / 300 + 1.0 / 86400));
    CHECK(catch_up_gap_ms(quiet, 3) == 149'222);
    // A larger factor, a shorter gap; factor 0 is no pacing; below 1 the pace scales what is
    // not the heartbeat (never a stop).
    CHECK(catch_up_gap_ms(busy, 6) == static_cast<std::int64_t>(1000.0 / (6 * usual - 1.0 / 300)));
    CHECK(catch_up_gap_ms(busy, 0) == 0);
    CHECK(catch_up_gap_ms(busy, 0.5) ==
          static_cast<std::int64_t>(1000.0 / (0.5 * (usual - 1.0 / 300))));
    // Tests' millisecond periods: never a gap of 0 (that would mean no pacing).
    UsualTraffic fast;
    fast.heartbeat_s = fast.status_refresh_s = fast.catalog_refresh_s = 0.001;
    CHECK(catch_up_gap_ms(fast, 100) == 1);
}

TEST_CASE("the envelope: only application/json on 4xx/5xx with code and message") {
    CHECK(parse_envelope(reply(422, envelope("invalid_field", "privacy")))->field == "privacy");
    CHECK(parse_envelope(reply(422, envelope("x"), "application/json; charset=utf-8")));
    CHECK(parse_envelope(reply(422, envelope("x"), "Application/JSON")));
    CHECK_FALSE(parse_envelope(reply(200, envelope("x"))));
    CHECK_FALSE(parse_envelope(reply(422, envelope("x"), "")));
    CHECK_FALSE(parse_envelope(reply(422, R"({"error":{"code":"x"}})")));
    CHECK_FALSE(parse_envelope(reply(422, R"({"error":{"code":"x","message":1}})")));
    CHECK_FALSE(parse_envelope(reply(422, R"({"error":{"code":"x","message":"m","field":2}})")));
    CHECK_FALSE(parse_envelope(reply(422, R"({"error":"invalid"})")));
    CHECK_FALSE(parse_envelope(reply(422, R"([{"error":{"code":"x","message":"m"}}])")));
    CHECK_FALSE(parse_envelope(reply(422, R"({"error":{"code":"x","message":"m"})")));
}

TEST_CASE("a batch's answer: per report, refused (back to the queue, one by one) or whole") {
    const std::vector<std::string> keys = {"k-1", "k-2"};
    const std::string results =
        R"({"results":[{"idempotency_key":"k-2","status":422,"answer":)" +
        envelope("invalid_field") +
        R"(},{"idempotency_key":"k-1","status":201,"answer":{"id":"N-1","tracking_url":"u"}}]})";
    std::vector<HttpAnswer> each;
    REQUIRE(read_batch(reply(200, results), keys, &each) == BatchReading::per_report);
    REQUIRE(each.size() == 2);  // in the order of the keys, whatever the list's order
    CHECK(decide(RequestKind::upload, each[0], 0, settings, 0.5, now).outcome == Outcome::done);
    CHECK(decide(RequestKind::upload, each[1], 0, settings, 0.5, now).outcome == Outcome::held);
    struct Row {
        const char* name;
        HttpAnswer answer;
        BatchReading reading;
        Outcome each;  // what every report gets when the reading is `whole`
    };
    const std::vector<Row> rows = {
        {"no batch endpoint (404 envelope)", reply(404, envelope("not_found")),
         BatchReading::refused, Outcome::retry},
        {"too large (413, a proxy's page)", reply(413, html_page, html_type), BatchReading::refused,
         Outcome::retry},
        {"400 malformed_batch", reply(400, envelope("malformed_batch")), BatchReading::refused,
         Outcome::retry},
        {"a WAF's 403 page", reply(403, html_page, html_type), BatchReading::refused,
         Outcome::retry},
        {"no connection", no_answer(Transport::connect, "refused"), BatchReading::whole,
         Outcome::pause_all},
        {"a stall", no_answer(Transport::timeout, "stalled"), BatchReading::whole, Outcome::retry},
        {"503", reply(503, envelope("unavailable"), json_type, "7"), BatchReading::whole,
         Outcome::pause_all},
        {"429 without envelope", reply(429, "slow down", "text/plain"), BatchReading::whole,
         Outcome::pause_all},
        {"502 page", reply(502, html_page, html_type), BatchReading::whole, Outcome::retry},
        {"401 invalid_token", reply(401, envelope("invalid_token")), BatchReading::whole,
         Outcome::reenroll},
        {"a single report's success", reply(201, R"({"id":"N-1"})"), BatchReading::whole,
         Outcome::unexpected},
        {"200 whose id would pass for one report", reply(200, R"({"id":"N-1"})"),
         BatchReading::whole, Outcome::unexpected},
        {"200 captive portal", reply(200, portal, html_type), BatchReading::whole,
         Outcome::unexpected},
        {"200 results missing a key",
         reply(200, R"({"results":[{"idempotency_key":"k-1","status":201,"answer":{"id":"N"}}]})"),
         BatchReading::whole, Outcome::unexpected},
        {"200 results with a key twice",
         reply(200, R"({"results":[{"idempotency_key":"k-1","status":201,"answer":{"id":"N"}},)"
                    R"({"idempotency_key":"k-1","status":201,"answer":{"id":"N"}}]})"),
         BatchReading::whole, Outcome::unexpected},
        {"200 results with a 500 item",
         reply(200, R"({"results":[{"idempotency_key":"k-1","status":500,"answer":{}},)"
                    R"({"idempotency_key":"k-2","status":201,"answer":{"id":"N"}}]})"),
         BatchReading::whole, Outcome::unexpected},
        {"302", reply(302, "", "text/html"), BatchReading::whole, Outcome::unexpected},
    };
    for (const auto& r : rows) {
        INFO(r.name);
        CHECK(read_batch(r.answer, keys, nullptr) == r.reading);
        if (r.reading == BatchReading::refused) {
            // Nothing judged: back to the queue at once, never held or paused.
            const auto d = decide_batch_not_taken(r.answer);
            CHECK(d.outcome == Outcome::retry);
            CHECK(d.delay_ms == 0);
            CHECK(d.words.find("goes alone next") != std::string::npos);
        }
        if (r.reading != BatchReading::whole) continue;
        const auto d = decide_whole_batch(r.answer, 0, settings, 0.5, now);
        CHECK(d.outcome == r.each);
        CHECK_FALSE(d.accepted.has_value());
    }
}
