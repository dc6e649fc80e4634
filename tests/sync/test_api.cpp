// The client's reading of answers (sync/api.cpp), the retry policy, the golden answers of
// docs/api.md through the client's parsers, the lab's request parser on its own, and the store
// calls the worker added (record_outcomes, release_all_leases).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>

#include "api.h"
#include "backoff.h"
#include "crypto.h"
#include "fake_clock.h"
#include "files.h"
#include "fixtures.h"
#include "golden.h"
#include "lab_request.h"
#include "retry_policy.h"
#include "store.h"

using namespace lapor;
using namespace lapor::sync;

namespace {
HttpAnswer answer(int status, std::string body, std::string retry_after = "") {
    HttpAnswer a;
    a.status = status;
    a.body = std::move(body);
    a.retry_after = std::move(retry_after);
    return a;
}
}  // namespace

TEST_CASE("Retry-After: seconds or an HTTP date, never negative, at most a day") {
    const std::int64_t now = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
    CHECK(parse_retry_after("120", now) == doctest::Approx(120));
    CHECK(parse_retry_after(" 0 ", now) == doctest::Approx(0));
    CHECK(parse_retry_after("99999999999999999999", now) == doctest::Approx(86400));
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:50:37 GMT", now) == doctest::Approx(60));
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:40:37 GMT", now) == doctest::Approx(0));
    CHECK(!parse_retry_after("", now));
    CHECK(!parse_retry_after("-5", now));
    CHECK(!parse_retry_after("1.5", now));
    CHECK(!parse_retry_after("Sun, 06 Nov 1994 08:50:37", now));
}

TEST_CASE("status answer: the agency's public reply, cleaned for the kiosk") {
    const auto st = parse_status(
        R"({"reports":[{"id":"L-1","status":"done","agency":"dinas_pu","updated_at":5,)"
        R"("public_reply":"Sudah diperbaiki.\r\nTerima kasih 🙏\u0007!"},)"
        R"({"id":"L-2","status":"verified","agency":"","updated_at":6},)"
        R"({"id":"L-3","status":"verified","agency":"","updated_at":6,"public_reply":7}]})");
    REQUIRE(st);
    REQUIRE(st->size() == 3);
    CHECK((*st)[0].public_reply == "Sudah diperbaiki.\nTerima kasih 🙏 !");
    CHECK((*st)[1].public_reply.empty());  // absent
    CHECK((*st)[2].public_reply.empty());  // not a string
    CHECK(public_reply_text("a\xff"
                            "b") ==
          "a\xEF\xBF\xBD"
          "b");                                          // a bad byte: U+FFFD
    CHECK(public_reply_text("\xC2\x85x\x7f") == " x ");  // C1 and DEL: spaces
    std::string long_text;
    for (int i = 0; i < 3000; ++i) long_text += "é";
    CHECK(public_reply_text(long_text).size() == 2 * max_public_reply);
}

TEST_CASE("status query: each national id is percent-encoded, ids joined by commas") {
    CHECK(status_path({"N-1", "LAPOR.2025_7~x"}) == "/v1/reports/status?ids=N-1,LAPOR.2025_7~x");
    // An id holding , & # ? % = + or a slash cannot add ids, parameters or a fragment.
    CHECK(status_path({"A,B", "x&y=1#?", "50%+/"}) ==
          "/v1/reports/status?ids=A%2CB,x%26y%3D1%23%3F,50%25%2B%2F");
    CHECK(status_path({}) == "/v1/reports/status?ids=");
}

TEST_CASE("error bodies in words") {
    CHECK(
        describe_error(
            422,
            R"({"error":{"code":"invalid_field","message":"privacy must be x","field":"privacy"}})") ==
        "422 invalid_field (privacy): privacy must be x");
    CHECK(describe_error(500, "") == "500 with an empty body");
    CHECK(describe_error(502,
                         "<html>\x01"
                         "bad\ngateway</html>") == "502: <html>?bad gateway</html>");
    CHECK(printable(std::string(500, 'a'), 10) == "aaaaaaaaaa...");
}

TEST_CASE("capped exponential backoff with full jitter") {
    CHECK(backoff_bound_s(0, 30, 1800) == doctest::Approx(30));
    CHECK(backoff_bound_s(3, 30, 1800) == doctest::Approx(240));
    CHECK(backoff_bound_s(10, 30, 1800) == doctest::Approx(1800));
    CHECK(backoff_bound_s(1000, 30, 1800) == doctest::Approx(1800));
    CHECK(backoff_ms(2, 30, 1800, 0.0) == 0);
    CHECK(backoff_ms(2, 30, 1800, 0.5) == 60'000);
    // Full jitter: draws spread over the whole [0, bound] range.
    double lo = 1e18, hi = 0, sum = 0;
    for (int i = 0; i < 2000; ++i) {
        const auto d = static_cast<double>(backoff_ms(4, 1, 1800));
        lo = std::min(lo, d), hi = std::max(hi, d), sum += d;
    }
    CHECK(lo < 1000);
    CHECK(hi > 15000);
    CHECK(hi <= 16000);
    CHECK(sum / 2000 == doctest::Approx(8000).epsilon(0.1));
}

TEST_CASE("the client reads every golden answer of docs/api.md") {
    const auto doc = read_text_file(std::string(LAPOR_SOURCE_DIR) + "/docs/api.md");
    REQUIRE(doc);
    int checked = 0;
    for (const auto& e : test::golden_examples(*doc)) {
        std::map<std::string, std::string> sample = {
            {"token", "tok_abcdefghijklmnopqrstuvwxyz"},
            {"lost_token", "tok_abcdefghijklmnopqrstuvwxyz"},
            {"id", "LAB-0000001"},
            {"tracking_url", "https://lab/r/X"},
            {"_", "1"}};
        const std::string body = test::fill(e.response.body, sample);
        const int status = std::stoi(e.response.first_line);
        const std::string path = e.request.first_line;
        INFO(path << " -> " << status);
        if (path == "POST /v1/enroll" && status == 201) {
            CHECK(parse_token(body) == "tok_abcdefghijklmnopqrstuvwxyz");
            ++checked;
        } else if (path == "POST /v1/reports") {
            auto a = answer(status, body);
            a.content_type = "application/json";
            const auto o = decide(RequestKind::upload, a, 0, {}, 0.5, 0);
            if (status == 200 || status == 201) {
                CHECK(o.outcome == Outcome::done);
                CHECK(o.accepted->id == "LAB-0000001");
            } else if (status == 409) {
                CHECK(o.outcome == Outcome::conflict);
            } else if (status == 401) {
                CHECK(o.outcome == Outcome::reenroll);
            } else {
                CHECK(o.outcome == Outcome::held);
                CHECK(o.words.find(std::to_string(status) + " ") != std::string::npos);
            }
            ++checked;
        } else if (path.rfind("GET /v1/reports/status", 0) == 0) {
            const auto st = parse_status(test::fill(body, {{"_", "1795000000"}}));
            REQUIRE(st);
            REQUIRE(st->size() == 1);
            CHECK((*st)[0].status == "received");
            ++checked;
        }
    }
    CHECK(checked == 9);
}

TEST_CASE("the lab's request parser: refusals name the field") {
    using namespace lapor::lab;
    auto err = [](const auto& v) { return std::get<ApiError>(v); };
    CHECK(err(parse_report("{}", "nope")).code == "missing_idempotency_key");
    const std::string key = "6d25efa2-2f46-4fa7-9560-68506138844f";
    CHECK(err(parse_report("[1]", key)).code == "malformed_json");
    CHECK(err(parse_report(R"({"v":2})", key)).field == "v");
    CHECK(err(parse_report(R"({"v":1,"report_uuid":"x"})", key)).field == "kiosk_id");
    CHECK(err(parse_enroll(R"({"kiosk_id":"K","enroll_code":"ab-cd","device_public_key":"AA=="})"))
              .field == "device_public_key");
    CHECK(normalise_code("ab12-cd34 ef56") == "AB12CD34EF56");
    CHECK(std::get<std::vector<std::string>>(parse_status_ids("LAB-1,LAB-2")).size() == 2);
    CHECK(err(parse_status_ids("LAB-1,,LAB-2")).code == "bad_ids");
    CHECK(err(parse_status_ids("")).code == "bad_ids");
    CHECK(bearer_token("Bearer abc_DEF-1") == "abc_DEF-1");
    CHECK(!bearer_token("Basic abc"));
}

TEST_CASE("store: outcomes in one transaction; every lease released at start-up") {
    crypto_init();
    test::TempDir tmp;
    test::FakeClock clock;
    auto store = open_store(tmp / "k.db", clock);
    PreparedReport base;
    base.kiosk_id = "K";
    base.incident_date = Date{2026, 11, 29};
    base.key_id = "k1";
    for (int i = 0; i < 5; ++i) {
        PreparedReport r = base;
        r.uuid = uuid_v4();
        r.tracking = "TK01-AAAA-AAA" + std::to_string(i) + "-A";
        r.created_unix = 1000 + i;
        r.upload_body = "{\"n\":" + std::to_string(i) + "}";
        store->insert_report(r);
    }
    auto leased = store->lease_next(5, 60'000);
    REQUIRE(leased.size() == 5);
    using O = Store::Outcome;
    std::vector<O> outs(4);
    outs[0] = {O::accepted, leased[0].id, 201, "LAB-1", "https://x/r/1", "", 0};
    outs[1] = {O::rejected, leased[1].id, 422, "", "", "bad privacy", 0};
    outs[2] = {O::conflict, leased[2].id, 409, "", "", "other body", 0};
    outs[3] = {O::failed, leased[3].id, std::nullopt, "", "", "reset", clock.now_ms() + 5};
    auto kept = store->record_outcomes(outs);
    CHECK(kept == std::vector<bool>{true, true, true, true});
    CHECK(store->record_outcomes({outs[0]}) == std::vector<bool>{false});  // lease gone
    const auto q = store->counts();
    CHECK(q.by_state.at(OutboxState::accepted) == 1);
    CHECK(q.by_state.at(OutboxState::rejected) == 1);
    CHECK(q.by_state.at(OutboxState::conflict) == 1);
    CHECK(q.by_state.at(OutboxState::queued) == 1);
    CHECK(q.by_state.at(OutboxState::sending) == 1);
    // The fifth is still leased for a minute; a restarted worker takes it back at once.
    CHECK(store->reclaim_stale_leases() == 0);
    CHECK(store->release_all_leases() == 1);
    CHECK(store->counts().by_state.count(OutboxState::sending) == 0);
}

TEST_CASE("batch body: each stored body travels as a JSON string, byte for byte") {
    const std::string a = R"({"v":1,"body":"line\nbreak \"quoted\" \\ tab\t"})";
    const std::string b = std::string("{\"raw\":\"ctl \x01 and \xF0\x9F\x98\x80\"}");
    const auto body = batch_body({{"k-1", a}, {"k-2", b}});
    const auto j = nlohmann::json::parse(body);
    REQUIRE(j.at("reports").size() == 2);
    CHECK(j["reports"][0]["idempotency_key"] == "k-1");
    CHECK(j["reports"][0]["body"].get<std::string>() == a);
    CHECK(j["reports"][1]["body"].get<std::string>() == b);
    // Answers come back in the keys' order, as single-upload answers.
    const auto answers = parse_batch_answers(
        R"({"results":[{"idempotency_key":"k-2","status":409,"answer":{"error":{"code":"idempotency_conflict","message":"m"}}},)"
        R"({"idempotency_key":"k-1","status":200,"answer":{"id":"N-7","tracking_url":"https://x/r/T"}}]})",
        {"k-1", "k-2"});
    REQUIRE(answers);
    CHECK(*(*answers)[0].status == 200);
    CHECK(parse_accepted((*answers)[0].body)->id == "N-7");
    CHECK(*(*answers)[1].status == 409);
    CHECK((*answers)[1].content_type == "application/json");
    CHECK_FALSE(parse_batch_answers(R"({"results":[]})", {"k-1"}));
    CHECK_FALSE(parse_batch_answers("<html>", {"k-1"}));
    CHECK_FALSE(parse_batch_answers(
        R"({"results":[{"idempotency_key":"k-9","status":201,"answer":{"id":"N"}}]})", {"k-1"}));
}
