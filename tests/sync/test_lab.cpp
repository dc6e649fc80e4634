// lapor-lab against the contract: every golden example of docs/api.md sent to a real lab over
// HTTPS; enrollment codes (once, expiry, other kiosk); status through the LAPOR! stages by
// `lapor-lab advance` and by schedule; `lapor-lab show` unseals; the receipt page.
#include <doctest/doctest.h>

#include "golden.h"
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

}  // namespace

TEST_CASE("every golden example in docs/api.md against lapor-lab") {
    const auto doc = read_text_file(std::string(LAPOR_SOURCE_DIR) + "/docs/api.md");
    REQUIRE(doc);
    const auto examples = golden_examples(*doc);
    REQUIRE(examples.size() >= 13);

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
        {"changed_body",
         replace_once(r1.upload_body, "\"language\":\"id\"", "\"language\":\"en\"")},
        {"uuid2", r2.uuid},
        {"report2_body", r2.upload_body},
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
