// lapor-lab against the contract: every golden example of docs/api.md sent to a real lab over
// HTTPS; enrollment codes (once, expiry, other kiosk); status through the LAPOR! stages by
// `lapor-lab advance` and by schedule; `lapor-lab show` unseals; the receipt page; batch upload
// (POST /v1/reports/batch): each item answered as it would be alone, whole-batch answers, faults.
#include <doctest/doctest.h>

#include "golden.h"
#include "lab_request.h"
#include "sync_checks.h"

using namespace lapor;
using namespace lapor::test;

namespace {

std::string replace_once(std::string s, const std::string& from, const std::string& to) {
    const auto at = s.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, from);
    return s.replace(at, from.size(), to);
}

std::string receipt_path(const PreparedReport& r) { return r.qr_url.substr(r.qr_url.find("/r/")); }

std::string run_lab(const Lab& lab, std::vector<std::string> args, int& rc) {
    const std::string out = lab.dir + "/cli.out";
    ::unlink(out.c_str());
    args.insert(args.begin(), {LAPOR_LAB});
    rc = wait_exit(spawn(args, out));
    return read_text_file(out).value_or("");
}

// An HTTPS client of the lab speaking as an enrolled kiosk.
struct Uploader {
    httplib::SSLClient client;
    httplib::Headers auth;
    Uploader(const Lab& lab, const Kiosk& k) : client("127.0.0.1", lab.port) {
        client.set_ca_cert_path((lab.pki / "ca.pem").c_str());
        client.enable_server_certificate_verification(true);
        client.set_read_timeout(30, 0);
        auto token = read_text_file(k.config.token_path()).value_or("");
        token = token.substr(0, token.find('\n'));
        auth = {{"Authorization", "Bearer " + token}};
    }
    httplib::Result batch(const std::string& body, httplib::Headers extra = {}) {
        extra.insert(auth.begin(), auth.end());
        return client.Post("/v1/reports/batch", extra, body, "application/json");
    }
    httplib::Result single(const std::string& key, const std::string& body) {
        httplib::Headers h = auth;
        h.emplace("Idempotency-Key", key);
        return client.Post("/v1/reports", h, body, "application/json");
    }
};

// {"reports":[{"idempotency_key":K,"body":B}, ...]}
std::string batch_body(const std::vector<std::pair<std::string, std::string>>& items) {
    nlohmann::json reports = nlohmann::json::array();
    for (const auto& [key, body] : items)
        reports.push_back({{"idempotency_key", key}, {"body", body}});
    return nlohmann::json{{"reports", reports}}.dump();
}

std::pair<std::string, std::string> item(const PreparedReport& r) {
    return {r.uuid, r.upload_body};
}

// The results of a 200 batch answer (REQUIREs the shape: one result per item, keys in order).
nlohmann::json results_of(const httplib::Result& res,
                          const std::vector<std::pair<std::string, std::string>>& items) {
    REQUIRE(res);
    INFO("answer " << res->body);
    REQUIRE(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == "application/json");
    const auto j = nlohmann::json::parse(res->body);
    REQUIRE(j.size() == 1);
    const auto& results = j.at("results");
    REQUIRE(results.size() == items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        CHECK(results[i].size() == 3);
        CHECK(results[i]["idempotency_key"] == items[i].first);
    }
    return results;
}

std::int64_t stored(Lab& lab) { return lab.ctl->stats()["reports"].get<std::int64_t>(); }

}  // namespace

TEST_CASE("every golden example in docs/api.md against lapor-lab") {
    const auto doc = read_text_file(std::string(LAPOR_SOURCE_DIR) + "/docs/api.md");
    REQUIRE(doc);
    const auto examples = golden_examples(*doc);
    REQUIRE(examples.size() >= 15);

    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki);
    KioskSettings s;
    s.prefix = "DC01";
    Kiosk k(lab, s, "DOC-KIOSK-01");
    k.add_reports(2);
    const auto& r1 = k.prepared[0];
    const auto& r2 = k.prepared[1];
    std::map<std::string, std::string> vars = {
        {"code", lab.issue_code("DOC-KIOSK-01")},
        {"device_public_key",
         base64_encode(load_device_key(k.config.device_key_path()).public_key)},
        {"other_device_public_key", base64_encode(ed25519_generate().public_key)},
        {"uuid", r1.uuid},
        {"report_body", r1.upload_body},
        {"report_body_string", nlohmann::json(r1.upload_body).dump()},
        {"changed_body",
         replace_once(r1.upload_body, "\"language\":\"id\"", "\"language\":\"en\"")},
        {"uuid2", r2.uuid},
        {"report2_body", r2.upload_body},
        {"report2_body_string", nlohmann::json(r2.upload_body).dump()},
        {"bad_privacy_body",
         replace_once(r2.upload_body, "\"privacy\":\"anonim\"", "\"privacy\":\"terbuka\"")},
        {"receipt_path", receipt_path(r1)}};

    httplib::SSLClient client("127.0.0.1", lab.port);
    client.set_ca_cert_path((pki / "ca.pem").c_str());
    client.enable_server_certificate_verification(true);
    int n = 0;
    for (const auto& e : examples) {
        ++n;
        httplib::Request req;
        const auto first = fill(e.request.first_line, vars);
        req.method = first.substr(0, first.find(' '));
        req.path = first.substr(first.find(' ') + 1);
        for (const auto& [h, v] : e.request.headers) req.headers.emplace(h, fill(v, vars));
        req.body = fill(e.request.body, vars);
        INFO("example " << n << ": " << first);
        auto res = client.send(req);
        REQUIRE(res);
        CHECK(res->status == std::stoi(e.response.first_line));
        std::string why;
        for (const auto& [h, v] : e.response.headers) {
            INFO("header " << h);
            CHECK(json_matches(nlohmann::json(v), nlohmann::json(res->get_header_value(h.c_str())),
                               vars, why));
        }
        const auto expected = nlohmann::json::parse(e.response.body, nullptr, false);
        if (!e.response.body.empty() && !expected.is_discarded() && expected.is_object()) {
            const auto actual = nlohmann::json::parse(res->body, nullptr, false);
            INFO("answer " << res->body);
            const bool match = json_matches(expected, actual, vars, why);
            INFO(why);
            CHECK(match);
        } else if (!e.response.body.empty()) {
            const std::string want =
                expected.is_string() ? expected.get<std::string>() : e.response.body;
            INFO("answer " << res->body.substr(0, 300));
            CHECK(res->body.find(want) != std::string::npos);
        } else {
            CHECK(res->body.empty());
        }
    }
    CHECK(vars.count("token") == 1);
    CHECK(vars["lost_token"] != vars["token"]);
    CHECK(vars["id2"] != vars["id"]);  // the batch's new report
    CHECK(vars["tracking_url"] ==
          "https://127.0.0.1:" + std::to_string(lab.port) + "/r/" + r1.tracking);
}

TEST_CASE("enrollment codes: once, expiring, for one kiosk; status stages; show; receipt page") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki, {"--advance-every", "0.3"});
    Kiosk k(lab);
    int rc = 0;
    // A code that expired, and one for another kiosk, are refused with words.
    const auto expired = run_lab(
        lab, {"issue-code", "--dir", lab.dir, "--kiosk", "TEST-KIOSK-01", "--ttl-s", "0.001"}, rc);
    REQUIRE(rc == 0);
    sleep_ms(20);
    k.set_code(expired.substr(0, expired.find('\n')));
    CHECK(wait_exit(spawn(
              {KIOSKCTL, "--config", k.config_path, "enroll", "--code", expired.substr(0, 14)},
              k.tmp / "ctl.log")) == 1);
    CHECK(read_text_file(k.tmp / "ctl.log")->find("expired") != std::string::npos);
    CHECK(wait_exit(spawn({KIOSKCTL, "--config", k.config_path, "enroll", "--code",
                           lab.issue_code("OTHER-KIOSK")},
                          k.tmp / "ctl.log")) == 1);
    CHECK(read_text_file(k.tmp / "ctl.log")->find("issued for kiosk OTHER-KIOSK") !=
          std::string::npos);
    REQUIRE(k.enroll_with_kioskctl(lab) == 0);

    k.add_reports(3);
    CHECK(wait_exit(k.start_sync(true)) == 0);
    REQUIRE(k.count(OutboxState::accepted) == 3);
    const auto v = k.store->find_by_uuid(k.prepared[0].uuid);
    REQUIRE(v);

    // `lapor-lab show` opens the citizen's words with the national key.
    const auto shown = run_lab(
        lab,
        {"show", "--dir", lab.dir, "--national-key", lab.dir + "/national.key", v->national_id},
        rc);
    CHECK(rc == 0);
    CHECK(shown.find(k.personal[k.prepared[0].uuid]) != std::string::npos);
    CHECK(shown.find("Siti Rahayu") != std::string::npos);
    CHECK(shown.find(k.prepared[0].tracking) != std::string::npos);

    // The agency's reply, published by the lab (and moving the report one stage on), reaches
    // the kiosk's store with every status after it.
    const std::string reply = "Terima kasih, laporan Anda kami tindak lanjuti.\nDinas Perhubungan";
    const auto advanced =
        run_lab(lab,
                {"advance", "--dir", lab.dir,
                 k.store->find_by_uuid(k.prepared[2].uuid)->national_id, "--reply", reply},
                rc);
    CHECK(rc == 0);
    CHECK(advanced.find("1 report(s) changed") != std::string::npos);

    // The schedule moves every report on; the kiosk's status refresh follows it to "done".
    // ... with sealed data kept 0 days after acceptance, and a catalog looked at often.
    CHECK(!k.store->find_by_uuid(k.prepared[0].uuid)->purged);
    KioskSettings fast;
    fast.status_refresh_s = 0.1;
    fast.catalog_refresh_s = 0.1;
    fast.retention_days = 0;
    k.write_config(lab, fast);
    const pid_t sync = k.start_sync();
    // A new catalog version at the lab reaches the kiosk's store (unchanged ones are 304s).
    auto catalog = nlohmann::json::parse(*read_text_file(default_catalog_path()));
    catalog["version"] = "2099.01-test";
    REQUIRE(lab.ctl->post("/lab/catalog", catalog.dump()) == 204);
    CHECK(k.wait_for(
        [&] {
            const auto c = k.store->current_catalog();
            return c && c->version == "2099.01-test";
        },
        10'000));
    CHECK(k.wait_for(
        [&] {
            for (const auto& p : k.prepared) {
                const auto r = k.store->find_by_uuid(p.uuid);
                if (!r || r->history.empty() || r->history.back().status != "done") return false;
            }
            return true;
        },
        20'000));
    ::kill(sync, SIGTERM);
    CHECK(wait_exit(sync) == 0);
    CHECK(k.store->find_by_uuid(k.prepared[0].uuid)->purged);  // retention applied
    const auto log = k.sync_log();
    std::size_t installs = 0;
    for (std::size_t at = 0; (at = log.find("installed catalog", at)) != std::string::npos; ++at)
        ++installs;
    CHECK(installs == 2);  // the first catalog and the new version, nothing in between
    const auto done = k.store->find_by_uuid(k.prepared[2].uuid);
    REQUIRE(done);
    std::vector<std::string> seen;
    for (const auto& h : done->history) seen.push_back(h.status);
    CHECK(seen.front() == "received");
    CHECK(seen.back() == "done");
    CHECK(done->history.back().agency == "dishub");
    CHECK(done->history.back().public_reply == reply);
    CHECK(k.store->find_by_uuid(k.prepared[1].uuid)->history.back().public_reply.empty());
    // Nothing moves a final report on.
    CHECK(run_lab(lab, {"advance", "--dir", lab.dir, done->national_id}, rc).find("0 report") !=
          std::string::npos);
    CHECK(rc == 1);

    // The receipt page: genuine with the enrolled kiosk's key, not with a changed signature.
    httplib::SSLClient client("127.0.0.1", lab.port);
    client.enable_server_certificate_verification(false);
    const std::string path = receipt_path(k.prepared[0]);
    auto page = client.Get(path.c_str());
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->body.find("genuine receipt") != std::string::npos);
    CHECK(page->body.find("done") != std::string::npos);
    const auto replied = client.Get(receipt_path(k.prepared[2]).c_str());
    REQUIRE(replied);
    CHECK(replied->body.find("Dinas Perhubungan") != std::string::npos);  // the agency's reply
    std::string forged = path;
    forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
    page = client.Get(forged.c_str());
    REQUIRE(page);
    CHECK(page->status == 400);
    CHECK(page->body.find("NOT genuine") != std::string::npos);
    CHECK(page->body.find("done") == std::string::npos);  // no status for a forged receipt
    CHECK(page->body.find("Status is shown only for a genuine receipt") != std::string::npos);

    // A fault forced on one request by its header, counted like the others.
    auto token = *read_text_file(k.config.token_path());
    token.pop_back();
    httplib::Headers forced = {{"X-Lab-Fault", "http_503"}, {"Authorization", "Bearer " + token}};
    auto faulted = client.Post("/v1/reports", forced, "{}", "application/json");
    REQUIRE(faulted);
    CHECK(faulted->status == 503);
    CHECK(faulted->get_header_value("Retry-After") == "1");
    CHECK(lab.ctl->stats()["faults"]["http_503"]["fired"] == 1);

    // The heartbeat reached the lab with the queue and the printer state.
    CHECK(client.Get("/lab/heartbeat?kiosk=TEST-KIOSK-01")->status == 403);  // no admin token
    const auto hb = lab.ctl->get("/lab/heartbeat?kiosk=TEST-KIOSK-01");
    REQUIRE(hb);
    const auto j = nlohmann::json::parse(*hb);
    CHECK(j["queue_depth"] == 0);
    CHECK(j["printer"] == "unknown");
}

TEST_CASE("parse_batch: the batch's shape; the items are read as single reports later") {
    using namespace lapor::lab;
    auto err = [](std::string_view body) {
        const auto v = parse_batch(body);
        REQUIRE(std::holds_alternative<ApiError>(v));
        const auto e = std::get<ApiError>(v);
        CHECK(e.status == 400);
        CHECK(e.code == "malformed_batch");
        return e;
    };
    const auto ok = parse_batch(R"({"reports":[{"idempotency_key":"a","body":"{\"v\":1}"},)"
                                R"({"idempotency_key":"b","body":"","extra":1}],"x":2})");
    REQUIRE(std::holds_alternative<std::vector<BatchItem>>(ok));
    const auto& items = std::get<std::vector<BatchItem>>(ok);
    REQUIRE(items.size() == 2);
    CHECK(items[0].idempotency_key == "a");
    CHECK(items[0].body == R"({"v":1})");  // the string's bytes, unescaped
    CHECK(items[1].body.empty());          // refused later, as POST /v1/reports would
    CHECK(err("").field.empty());
    CHECK(err("[]").field.empty());
    CHECK(err(R"({"reports":{}})").field == "reports");
    CHECK(err(R"({"reports":[]})").field == "reports");
    CHECK(err(R"({"reports":[1]})").field == "reports[0]");
    CHECK(err(R"({"reports":[{"body":"x"}]})").field == "reports[0].idempotency_key");
    CHECK(err(R"({"reports":[{"idempotency_key":"a","body":{}}]})").field == "reports[0].body");
    const auto repeat = err(R"({"reports":[{"idempotency_key":"a","body":"1"},)"
                            R"({"idempotency_key":"b","body":"2"},)"
                            R"({"idempotency_key":"a","body":"3"}]})");
    CHECK(repeat.field == "reports[2].idempotency_key");
    CHECK(repeat.message.find("reports[0]") != std::string::npos);
    std::vector<std::pair<std::string, std::string>> many;
    for (int i = 0; i < 101; ++i) many.emplace_back("k" + std::to_string(i), "{}");
    CHECK(err(batch_body(many)).message.find("not 101") != std::string::npos);
    many.pop_back();
    CHECK(std::get<std::vector<BatchItem>>(parse_batch(batch_body(many))).size() == 100);
}

TEST_CASE("batch upload: each item answered as POST /v1/reports would answer it alone") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki);
    Kiosk k(lab);
    REQUIRE(k.enroll_with_kioskctl(lab) == 0);
    k.add_reports(8);
    const auto& p = k.prepared;
    Uploader up(lab, k);

    // Three new reports: three 201 with distinct ids; the same batch again: three 200, the same
    // answers.
    const std::vector three = {item(p[0]), item(p[1]), item(p[2])};
    const auto first = results_of(up.batch(batch_body(three)), three);
    std::set<std::string> ids;
    for (const auto& r : first) {
        CHECK(r["status"] == 201);
        ids.insert(r["answer"]["id"].get<std::string>());
        CHECK(r["answer"]["tracking_url"].get<std::string>().find("/r/") != std::string::npos);
    }
    CHECK(ids.size() == 3);
    CHECK(stored(lab) == 3);
    const auto again = results_of(up.batch(batch_body(three)), three);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(again[i]["status"] == 200);
        CHECK(again[i]["answer"] == first[i]["answer"]);
    }
    CHECK(stored(lab) == 3);

    // Alone first, then in a batch: 200 with the first answer (and the batch's new one 201);
    // in a batch first, then alone: the same.
    const auto alone = up.single(p[3].uuid, p[3].upload_body);
    REQUIRE(alone);
    REQUIRE(alone->status == 201);
    const std::vector pair = {item(p[3]), item(p[4])};
    const auto mixed = results_of(up.batch(batch_body(pair)), pair);
    CHECK(mixed[0]["status"] == 200);
    CHECK(mixed[0]["answer"] == nlohmann::json::parse(alone->body));
    CHECK(mixed[1]["status"] == 201);
    const auto later = up.single(p[4].uuid, p[4].upload_body);
    REQUIRE(later);
    CHECK(later->status == 200);
    CHECK(nlohmann::json::parse(later->body) == mixed[1]["answer"]);
    // Alone after a batch, the answer is byte for byte the batch's item answer.
    CHECK(later->body == mixed[1]["answer"].dump());

    // The same key with other bytes: 409 for that item only.
    const std::vector conflict = {
        item(p[5]),
        std::pair{p[0].uuid,
                  replace_once(p[0].upload_body, "\"language\":\"id\"", "\"language\":\"en\"")},
        item(p[1])};
    const auto c = results_of(up.batch(batch_body(conflict)), conflict);
    CHECK(c[0]["status"] == 201);
    CHECK(c[1]["status"] == 409);
    CHECK(c[1]["answer"]["error"]["code"] == "idempotency_conflict");
    CHECK(c[2]["status"] == 200);
    CHECK(c[2]["answer"] == first[1]["answer"]);
    CHECK(stored(lab) == 6);

    // Counted per item, like single uploads: 3 + 1 + 1 + 1 created (two of them alone or in
    // the pair), replays 3 + 1 + 1 + 1, one conflict.
    const auto st = lab.ctl->stats();
    CHECK(st["created"] == 6);
    CHECK(st["replayed"] == 6);
    CHECK(st["conflicts"] == 1);
    CHECK(st["answers"]["201"] == 6);
    // The lab keeps the bytes the item's string carried, as it keeps a single upload's body.
    lab::LabDb db(lab.dir + "/lab.db");
    CHECK(db.find(p[0].uuid)->body == p[0].upload_body);
    CHECK(db.find(p[3].uuid)->body == p[3].upload_body);
}

TEST_CASE("batch upload: a bad item never affects the others") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki);
    Kiosk k(lab);
    REQUIRE(k.enroll_with_kioskctl(lab) == 0);
    k.add_reports(3);
    Kiosk other(lab, {}, "OTHER-KIOSK-01");  // its reports are well formed and signed
    other.add_reports(1);
    Uploader up(lab, k);
    const auto& p = k.prepared;
    const std::vector items = {
        std::pair{p[1].uuid, replace_once(p[1].upload_body, "\"privacy\":\"anonim\"",
                                          "\"privacy\":\"terbuka\"")},
        item(p[0]), item(other.prepared[0]), std::pair{std::string("not-a-uuid"), p[2].upload_body},
        std::pair{p[2].uuid, std::string("{\"v\":1,\"report_uuid\":")}};
    const auto r = results_of(up.batch(batch_body(items)), items);
    CHECK(r[0]["status"] == 422);
    CHECK(r[0]["answer"] ==
          nlohmann::json::parse(R"({"error":{"code":"invalid_field","message":"privacy must be )"
                                R"(publik, anonim or rahasia","field":"privacy"}})"));
    CHECK(r[1]["status"] == 201);
    CHECK(r[2]["status"] == 403);
    CHECK(r[2]["answer"]["error"]["code"] == "wrong_kiosk");
    CHECK(r[3]["status"] == 400);
    CHECK(r[3]["answer"]["error"]["code"] == "missing_idempotency_key");
    CHECK(r[4]["status"] == 400);
    CHECK(r[4]["answer"]["error"]["code"] == "malformed_json");
    // Only the good one is stored; each item's answer is the one POST /v1/reports gives alone.
    CHECK(stored(lab) == 1);
    const auto got = lab.ctl->stats()["answers"];
    CHECK(got["201"] == 1);
    CHECK(got["400"] == 2);
    CHECK(got["403"] == 1);
    CHECK(got["422"] == 1);
    const auto alone = up.single(other.prepared[0].uuid, other.prepared[0].upload_body);
    REQUIRE(alone);
    CHECK(alone->status == 403);
    CHECK(nlohmann::json::parse(alone->body) == r[2]["answer"]);
    CHECK(alone->body == r[2]["answer"].dump());
}

TEST_CASE("batch upload: whole-batch answers and faults") {
    // reset_after_commit cuts the connection under the client, whose next write to it (the TLS
    // close) would raise SIGPIPE.
    ::signal(SIGPIPE, SIG_IGN);
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki);
    Kiosk k(lab);
    REQUIRE(k.enroll_with_kioskctl(lab) == 0);
    k.add_reports(3);
    Uploader up(lab, k);
    const auto& p = k.prepared;
    const std::vector good = {item(p[0]), item(p[1]), item(p[2])};

    auto refused = [&](const std::string& body, const std::string& field) {
        INFO(body.substr(0, 200));
        const auto res = up.batch(body);
        REQUIRE(res);
        CHECK(res->status == 400);
        const auto j = nlohmann::json::parse(res->body, nullptr, false);
        CHECK(j["error"]["code"] == "malformed_batch");
        CHECK(j["error"].value("field", "") == field);
    };
    refused("{\"reports\":[", "");
    refused("{}", "reports");
    refused("{\"reports\":[]}", "reports");
    std::vector<std::pair<std::string, std::string>> many;
    for (int i = 0; i < 101; ++i) many.emplace_back(uuid_v4(), p[0].upload_body);
    refused(batch_body(many), "reports");
    refused(R"({"reports":[{"idempotency_key":")" + p[0].uuid + R"(","body":)" + p[0].upload_body +
                "}]}",
            "reports[0].body");  // the body as an object, not a string
    refused(batch_body({item(p[0]), item(p[1]), item(p[0])}), "reports[2].idempotency_key");
    CHECK(stored(lab) == 0);

    // No token: 401 before the items are looked at.
    httplib::Headers none;
    auto res = up.client.Post("/v1/reports/batch", none, batch_body(good), "application/json");
    REQUIRE(res);
    CHECK(res->status == 401);
    CHECK(nlohmann::json::parse(res->body)["error"]["code"] == "invalid_token");
    // Over the 1 MiB limit: 413, before the body is read.
    res = up.batch(std::string(1024 * 1024 + 10, ' '));
    REQUIRE(res);
    CHECK(res->status == 413);

    // A fault meets the batch as a whole: 503 with Retry-After, nothing stored.
    res = up.batch(batch_body(good), {{"X-Lab-Fault", "http_503"}});
    REQUIRE(res);
    CHECK(res->status == 503);
    CHECK(res->get_header_value("Retry-After") == "1");
    CHECK(nlohmann::json::parse(res->body)["error"]["code"] == "unavailable");
    CHECK(stored(lab) == 0);

    // Cut-off JSON after the commit: stored all the same.
    res = up.batch(batch_body({item(p[0])}), {{"X-Lab-Fault", "malformed_json"}});
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(nlohmann::json::parse(res->body, nullptr, false).is_discarded());
    CHECK(stored(lab) == 1);

    // Reset after the commit: no answer, yet every item is stored; a repeat answers 200 each.
    res = up.batch(batch_body(good), {{"X-Lab-Fault", "reset_after_commit"}});
    CHECK(!res);
    CHECK(stored(lab) == 3);
    const auto again = results_of(up.batch(batch_body(good)), good);
    for (const auto& r : again) CHECK(r["status"] == 200);
    const auto st = lab.ctl->stats();
    CHECK(st["faults"]["reset_after_commit"]["fired"] == 1);
    CHECK(st["faults"]["http_503"]["fired"] == 1);
    CHECK(st["created"] == 3);
}
