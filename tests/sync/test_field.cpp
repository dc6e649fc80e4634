// Sync in the field (issue #11), against a real lapor-lab over HTTPS: a lost enrollment answer,
// answers that are not the national API's (a proxy's HTML 400, a firewall's HTML 403 on the
// periodic requests), a national key rotation in the middle of the queue, held reports put back
// with `kioskctl requeue`, and the lab's own limits (admin token, chunked bodies, many headers,
// 64 silent TLS clients).
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "lab_db.h"
#include "sync_checks.h"

using namespace lapor;
using namespace lapor::test;

namespace {

int fired(Lab& lab, const std::string& mode) {
    return lab.ctl->stats()["faults"][mode].value("fired", 0);
}

std::string kioskctl(Kiosk& k, std::vector<std::string> args, int& rc) {
    args.insert(args.begin(), {KIOSKCTL, "--config", k.config_path});
    const std::string out = k.tmp / "kioskctl.out";
    ::unlink(out.c_str());
    rc = wait_exit(spawn(args, out));
    return read_text_file(out).value_or("");
}

}  // namespace

TEST_CASE(
    "the first enrollment answer is lost: the kiosk still ends enrolled, its queue accepted") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki, {"--fault", "enroll_lost_reply:1"});
    Kiosk k(lab);
    k.add_reports(20);
    k.set_code(lab.issue_code("TEST-KIOSK-01"));  // first boot: the provisioned code
    REQUIRE(drain(k, 60'000));
    CHECK(fired(lab, "enroll_lost_reply") == 1);  // the server enrolled, the kiosk never heard
    CHECK(read_text_file(k.config.token_path()));
    CHECK(::access(k.config.enroll_code_path().c_str(), F_OK) != 0);  // used, then deleted
    CHECK(k.health(HealthKey::enrollment_state) == "enrolled");
    CHECK(k.sync_log().find("was refused") == std::string::npos);
    check_exactly_once(k, lab);

    // The same code from another device key is still refused (the code binds to this device).
    Kiosk other(lab, {}, "TEST-KIOSK-01");
    const std::string code = lab.issue_code("TEST-KIOSK-01");
    CHECK(wait_exit(spawn({KIOSKCTL, "--config", other.config_path, "enroll", "--code", code},
                          other.tmp / "ctl.log")) == 0);
    CHECK(wait_exit(spawn({KIOSKCTL, "--config", k.config_path, "enroll", "--code", code},
                          k.tmp / "ctl.log")) == 1);
    CHECK(read_text_file(k.tmp / "ctl.log")->find("enroll_code_used") != std::string::npos);
}

TEST_CASE("a proxy's HTML 400 and a firewall's HTML 403 are not the API's word") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki);
    KioskSettings s;
    s.heartbeat_s = 0.05;  // periodic requests meet the firewall often
    s.status_refresh_s = 0.05;
    s.catalog_refresh_s = 0.05;
    Kiosk k(lab, s);
    REQUIRE(k.enroll_with_kioskctl(lab) == 0);
    REQUIRE(lab.ctl->post("/lab/faults", R"({"proxy_html_400":30,"waf_html_403":6})") == 200);
    k.add_reports(60);
    // The national side hears of it in words once a heartbeat gets through: lapor-sync runs
    // until every report is accepted and the lab holds a heartbeat saying so (heartbeats go
    // every 0.05 s; a generous deadline, not a sleep).
    auto heard = [&] {
        const auto hb = lab.ctl->get("/lab/heartbeat?kiosk=TEST-KIOSK-01");
        if (!hb) return false;
        const auto j = nlohmann::json::parse(*hb, nullptr, false);
        if (!j.is_object() || j.value("unexpected_answers", 0) < 1) return false;
        const auto words = j.find("unexpected_answer");
        return words != j.end() && words->is_string() &&
               words->get<std::string>().find("not the national API (proxy, captive portal?)") !=
                   std::string::npos;
    };
    const pid_t sync = k.start_sync();
    const bool heard_in_time =
        k.wait_for([&] { return k.count(OutboxState::accepted) == 60 && heard(); }, 120'000);
    ::kill(sync, SIGTERM);
    CHECK(wait_exit(sync) == 0);
    INFO("lapor-sync log:\n" << k.sync_log().substr(0, 6000));
    REQUIRE(heard_in_time);
    CHECK(fired(lab, "proxy_html_400") == 30);
    CHECK(fired(lab, "waf_html_403") >= 1);
    // Nothing rejected or held for a proxy page, uploads never stopped for a firewall page.
    CHECK(k.count(OutboxState::rejected) == 0);
    CHECK(k.count(OutboxState::held) == 0);
    CHECK(k.health(HealthKey::enrollment_state) == "enrolled");
    check_exactly_once(k, lab);
    const auto log = k.sync_log();
    CHECK(log.find("not the national API (proxy, captive portal?)") != std::string::npos);
    CHECK(log.find("the report is NOT counted as sent") != std::string::npos);
    CHECK(log.find("needs re-enrollment") == std::string::npos);
    // While the warning stands, doctor and staff diagnostics say so; a genuine answer clears it.
    k.store->set_health(HealthKey::endpoint_warning,
                        "2026-12-07T05:00:00Z the endpoint answers with something that is not "
                        "the national API (proxy, captive portal?): 400 text/html");
    int rc = 0;
    auto out = kioskctl(k, {"doctor"}, rc);
    CHECK(out.find("endpoint_answers") != std::string::npos);
    CHECK(out.find("not the national API (proxy, captive portal?)") != std::string::npos);
    k.add_reports(1);
    REQUIRE(drain(k, 30'000));
    CHECK(k.health(HealthKey::endpoint_warning).empty());
}

TEST_CASE(
    "the national key rotates mid-queue: every report is accepted; a key the lab dropped "
    "holds its reports until requeued") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    const KeyPair old_key = x25519_generate();
    write_private_file(labdir / "old.key", base64_encode(old_key.secret_key) + "\n", 0600);
    auto lab =
        std::make_unique<Lab>(labdir.path(), pki, std::vector<std::string>{}, "server", old_key);
    Kiosk k(*lab);
    REQUIRE(k.enroll_with_kioskctl(*lab) == 0);
    k.add_reports(10);  // sealed to the old key, test-1
    REQUIRE(drain(k, 60'000));
    CHECK(k.count(OutboxState::accepted) == 10);
    k.add_reports(10);  // still queued when the national side rotates

    // The new key without the old one: the old reports are held, one by one, not rejected.
    lab->stop();
    lab = std::make_unique<Lab>(labdir.path(), pki, std::vector<std::string>{"--key-id", "test-2"});
    KioskSettings s;
    s.key_id = "test-2";
    k.write_config(*lab, s);
    k.submitter = std::make_unique<Submitter>(
        *k.store, SubmitContext::from(k.config, load_device_key(k.config.device_key_path())),
        k.clock);
    k.add_reports(5);  // sealed to the new key
    REQUIRE(drain(k, 60'000));
    CHECK(k.count(OutboxState::held) == 10);
    CHECK(k.count(OutboxState::accepted) == 15);
    const auto held = k.store->list_by_state(OutboxState::held, 20);
    REQUIRE(held.size() == 10);
    CHECK(held[0].last_error.find("unknown_key_id") != std::string::npos);

    // The lab takes the old key back as retired; staff put the held reports back.
    lab->stop();
    const auto new_key = lab->national;
    lab = std::make_unique<Lab>(labdir.path(), pki,
                                std::vector<std::string>{"--key-id", "test-2", "--retired-key",
                                                         "test-1:" + labdir / "old.key"},
                                "server", new_key);
    k.write_config(*lab, s);
    int rc = 0;
    auto out = kioskctl(k, {"requeue", held[0].report.tracking}, rc);
    CHECK(rc == 0);
    CHECK(out.find("is back in the upload queue") != std::string::npos);
    out = kioskctl(k, {"requeue", "--held"}, rc);
    CHECK(rc == 0);
    CHECK(out.find("9 held report(s) back") != std::string::npos);
    out = kioskctl(k, {"requeue", held[0].report.tracking}, rc);
    CHECK(rc == 1);  // queued now, not held: nothing changes
    out = kioskctl(k, {"requeue"}, rc);
    CHECK(rc == 2);
    k.add_reports(5);
    REQUIRE(drain(k, 60'000));
    CHECK(k.count(OutboxState::accepted) == 30);
    CHECK(k.count(OutboxState::held) == 0);
    lab::LabDb db(lab->dir + "/lab.db");
    CHECK(db.report_count() == 30);
    int audited = 0;
    for (const auto& a : k.store->recent_audit(20)) audited += a.action == "requeue";
    CHECK(audited == 2);
}

TEST_CASE("lab limits: admin token, chunked bodies, header count, 64 silent clients") {
    // The lab answers a refused chunked upload and closes while the client may still be writing.
    ::signal(SIGPIPE, SIG_IGN);
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki);
    httplib::SSLClient client("127.0.0.1", lab.port);
    client.enable_server_certificate_verification(false);
    // /lab/* without the admin token.
    auto r = client.Post("/lab/faults", R"({"http_500":1000})", "application/json");
    REQUIRE(r);
    CHECK(r->status == 403);
    CHECK(lab.ctl->stats()["faults"].empty());
    // Too many headers: refused before anything else.
    httplib::Headers many;
    for (int i = 0; i < 100; ++i) many.emplace("X-Pad-" + std::to_string(i), "x");
    r = client.Get("/v1/catalog", many);
    REQUIRE(r);
    CHECK(r->status == 431);
    // Few headers, but too many bytes of them (20 of 1 KiB: over the lab's 16 KiB).
    httplib::Headers big;
    for (int i = 0; i < 20; ++i) big.emplace("X-Big-" + std::to_string(i), std::string(1024, 'b'));
    r = client.Get("/v1/catalog", big);
    REQUIRE(r);
    CHECK(r->status == 431);
    CHECK(r->body.find("headers_too_large") != std::string::npos);
    // A chunked body: refused before it is read or the token looked at.
    httplib::SSLClient chunky("127.0.0.1", lab.port);
    chunky.enable_server_certificate_verification(false);
    r = chunky.Post(
        "/v1/reports",
        [](size_t offset, httplib::DataSink& sink) {
            if (offset > 0) {
                sink.done();
                return true;
            }
            const std::string block = R"({"v":1})";
            sink.write(block.data(), block.size());
            return true;
        },
        "application/json");
    // 411, or the connection cut while the client was still sending (the lab answers and closes
    // without reading the body); never read and answered as a request (that would be a 401).
    CHECK((!r || r->status == 411));

    // 64 silent TLS clients (connected, never a byte) do not lock a real kiosk out.
    std::vector<int> silent;
    for (int i = 0; i < 64; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(lab.port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        silent.push_back(fd);
    }
    KioskSettings s;
    s.connect_timeout_s = 3;
    s.total_timeout_s = 3;
    Kiosk k(lab, s);
    REQUIRE(k.enroll_with_kioskctl(lab) == 0);
    k.add_reports(5);
    REQUIRE(drain(k, 30'000));
    CHECK(k.count(OutboxState::accepted) == 5);
    // Served beside them at the first try: no attempt timed out waiting behind them (the
    // kiosk's limits, 3 s, are shorter than the time they hold a connection, 5 s).
    for (const auto& p : k.prepared) CHECK(k.store->find_by_uuid(p.uuid)->attempts == 1);
    for (int fd : silent) ::close(fd);
}

namespace {

// The lab stores three requests (three reports alone, or three batches of `batch_max`) and then
// goes silent on their connections (fault slow) for longer than the kiosk's limit. The other
// reports of 40 must all be accepted while those wait, each at its first try; the stalled ones
// are then sent again and accepted once.
void three_stalled_requests(int batch_max) {
    const int stalled = 3 * batch_max;
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki, {"--slow-ms", "24000"});
    KioskSettings s;
    s.total_timeout_s = 20;  // also the stall limit (under 1 byte/s this long)
    s.batch_max = batch_max;
    Kiosk k(lab, s);
    REQUIRE(k.enroll_with_kioskctl(lab) == 0);
    k.add_reports(40);
    REQUIRE(lab.ctl->post("/lab/faults", R"({"slow":3})") == 200);
    const pid_t pid = k.start_sync(true, 4);
    const bool flowed = k.wait_for(
        [&] {
            const auto q = k.store->counts();
            const auto n = [&](OutboxState st) {
                const auto it = q.by_state.find(st);
                return it == q.by_state.end() ? 0 : it->second;
            };
            return n(OutboxState::accepted) == 40 - stalled && n(OutboxState::sending) == stalled;
        },
        18'000);  // before the stalled ones' 20 s limit ends
    {
        const auto q = k.store->counts();
        std::string seen;
        for (const auto& [st, n] : q.by_state)
            seen += std::string(to_string(st)) + "=" + std::to_string(n) + " ";
        INFO("at the deadline: " << seen);
        CHECK(flowed);
    }
    CHECK(fired(lab, "slow") == 3);
    REQUIRE(finish(k, pid, 120'000));
    check_exactly_once(k, lab);
    int retried = 0;
    for (const auto& p : k.prepared) retried += k.store->find_by_uuid(p.uuid)->attempts > 1;
    CHECK(retried == stalled);
    const auto log = k.sync_log();
    INFO(log.substr(0, 6000));
    CHECK(log.find("no answer in time") != std::string::npos);
    // No request starved waiting for a connection inside libcurl.
    CHECK(log.find("Failed to resolve") == std::string::npos);
    CHECK(log.find("after 0 ms") == std::string::npos);
}

}  // namespace

TEST_CASE("three stalled uploads do not hold up the rest of the queue") {
    three_stalled_requests(1);  // one report per request: 37 flow while 3 wait
}

TEST_CASE("three stalled batches do not hold up the rest of the queue") {
    three_stalled_requests(5);  // batches of 5: 25 flow while 15 wait
}

TEST_CASE("reports of the kiosk's old id are held as wrong_kiosk; the new id's reports flow") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki);
    Kiosk k(lab);
    REQUIRE(k.enroll_with_kioskctl(lab) == 0);
    k.add_reports(6);  // made as TEST-KIOSK-01, still queued when the id changes
    // The office renames the kiosk: a new id, a new enrollment; the device key stays.
    k.write_config(lab, {}, "TEST-KIOSK-02");
    REQUIRE(k.enroll_with_kioskctl(lab) == 0);
    k.submitter = std::make_unique<Submitter>(
        *k.store, SubmitContext::from(k.config, load_device_key(k.config.device_key_path())),
        k.clock);
    k.add_reports(4);
    REQUIRE(drain(k, 60'000));
    CHECK(k.count(OutboxState::held) == 6);
    CHECK(k.count(OutboxState::accepted) == 4);
    CHECK(k.count(OutboxState::rejected) == 0);
    CHECK(k.health(HealthKey::enrollment_state) == "enrolled");  // not taken as a revoked token
    const auto held = k.store->list_by_state(OutboxState::held, 20);
    REQUIRE(held.size() == 6);
    for (const auto& h : held) CHECK(h.last_error.find("wrong_kiosk") != std::string::npos);
    const auto log = k.sync_log();
    CHECK(log.find("needs re-enrollment") == std::string::npos);
    // The answers came from the lab itself: six 403s with the API's envelope.
    CHECK(lab.ctl->stats()["answers"].value("403", 0) == 6);
    // Held reports stay held across another run: the queue never stalls behind them.
    k.add_reports(2);
    REQUIRE(drain(k, 60'000));
    CHECK(k.count(OutboxState::accepted) == 6);
    CHECK(k.count(OutboxState::held) == 6);
    lab::LabDb db(lab.dir + "/lab.db");
    CHECK(db.report_count() == 6);
}

TEST_CASE("a full disk during kioskctl enroll does not spend the code") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki);
    Kiosk k(lab);
    k.add_reports(3);
    const std::string code = lab.issue_code("TEST-KIOSK-01");
    const std::string id = k.config.identity_dir();
    const std::string log = k.tmp / "enroll-full.log";
    // identity/ on a 64 KiB tmpfs filled to the last byte (root, in a mount namespace of its
    // own); without those rights a file size limit of 0 fails the write the same way (EFBIG
    // instead of ENOSPC).
    const std::string copy = k.tmp / "identity-copy";
    const std::string enroll = std::string(KIOSKCTL) + " --config " + k.config_path +
                               " enroll --code " + code + " --pid-file " + k.pid_file();
    const std::string full_disk = "cp -a " + id + " " + copy + " && unshare -m sh -c 'mount -t " +
                                  "tmpfs -o size=64k tmpfs " + id + " && cp -a " + copy + "/. " +
                                  id + "/ && { dd if=/dev/zero of=" + id +
                                  "/filler bs=4096 2>/dev/null; true; } && exec " + enroll + "'";
    // (Its messages go through a pipe: the limit would stop them reaching a log file too.)
    const std::string rc_file = k.tmp / "enroll.rc";
    const std::string size_limit = "{ ( trap '' XFSZ; ulimit -f 0; exec " + enroll +
                                   " ) 2>&1; echo $? > " + rc_file + "; } | cat";
    const bool can_mount =
        ::geteuid() == 0 &&
        wait_exit(spawn({"/usr/bin/unshare", "-m", "/bin/sh", "-c", "mount -t tmpfs tmpfs /mnt"},
                        k.tmp / "probe.log")) == 0;
    MESSAGE("the token write failed through "
            << std::string(can_mount ? "a full tmpfs" : "a file size limit of 0"));
    int rc = wait_exit(spawn({"/bin/sh", "-c", can_mount ? full_disk : size_limit}, log));
    if (!can_mount) rc = std::stoi(read_text_file(rc_file).value_or("-1"));
    const std::string said = read_text_file(log).value_or("");
    INFO(said);
    CHECK(rc != 0);
    CHECK(said.find("the token could not be saved") != std::string::npos);
    CHECK(said.find("the code is kept") != std::string::npos);
    CHECK_FALSE(read_text_file(k.config.token_path()));
    CHECK(k.health(HealthKey::enrollment_state) != "enrolled");
    // The server enrolled the kiosk; the same code from the same device key gets a token again.
    CHECK(wait_exit(spawn({"/bin/sh", "-c", enroll}, log)) == 0);
    CHECK(read_text_file(k.config.token_path()));
    CHECK(k.health(HealthKey::enrollment_state) == "enrolled");
    REQUIRE(drain(k, 60'000));
    check_exactly_once(k, lab);
}
