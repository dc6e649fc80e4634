// Crash test: SIGKILL a writer at random moments, LAPOR_CRASH_ROUNDS times (default 200; `make
// torture` runs 10,000). After every round: the database passes integrity_check and every report
// the writer acknowledged is present and whole. A report is checked in full (receipt verifies,
// sealed data opens to exactly what was typed) the first time it is seen; after that its stored
// bytes must stay identical to what was checked, every round. Each database lives for `epoch`
// rounds.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "fixtures.h"
#include "identity.h"
#include "receipt.h"
#include "store.h"

using namespace lapor;

namespace {

constexpr int epoch = 500;

struct Round {
    std::vector<std::string> acked;
    bool killed_inside = false;  // "B" was the last thing said: inside a transaction
};

// Kills the writer `delay_ms` after it starts, or, with `after_first_line`, `delay_ms` after it
// first speaks (so a slow machine's start-up time does not decide where the kills land).
Round run_writer(const std::string& db, const std::string& key, const std::string& national_pub,
                 int delay_ms, bool after_first_line) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(fds[1], STDOUT_FILENO);
        ::close(fds[0]);
        ::close(fds[1]);
        ::execl(CRASH_WRITER, CRASH_WRITER, db.c_str(), key.c_str(), national_pub.c_str(),
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(fds[1]);
    std::string out;
    char buf[4096];
    auto drain = [&](int timeout_ms) {
        pollfd p{fds[0], POLLIN, 0};
        if (::poll(&p, 1, timeout_ms) <= 0) return false;
        const auto n = ::read(fds[0], buf, sizeof buf);
        if (n <= 0) return false;
        out.append(buf, static_cast<std::size_t>(n));
        return true;
    };
    // Read while the writer runs, then kill it mid-stride.
    if (after_first_line) {
        for (int waited = 0; out.find('\n') == std::string::npos && waited < 30; ++waited)
            drain(1000);
    }
    struct timespec start {};
    ::clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        struct timespec now {};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        const long elapsed =
            (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (elapsed >= delay_ms) break;
        drain(static_cast<int>(delay_ms - elapsed));
    }
    ::kill(pid, SIGKILL);
    while (drain(1000)) {
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
        FAIL("the writer ended on its own (status " << status << "): " << out);
    }
    Round r;
    std::istringstream lines(out);
    std::string last;
    for (std::string line; std::getline(lines, line);) {
        if (line != "B") r.acked.push_back(line);
        last = line;
    }
    r.killed_inside = last == "B";
    return r;
}

// uuid -> upload body, straight from the file.
std::map<std::string, std::string> stored_bodies(const std::string& db) {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(h, "SELECT uuid, upload_body FROM reports", -1, &s, nullptr);
    std::map<std::string, std::string> out;
    while (sqlite3_step(s) == SQLITE_ROW) {
        const auto* body = static_cast<const char*>(sqlite3_column_blob(s, 1));
        out[reinterpret_cast<const char*>(sqlite3_column_text(s, 0))] =
            body ? std::string(body, static_cast<std::size_t>(sqlite3_column_bytes(s, 1))) : "";
    }
    sqlite3_finalize(s);
    sqlite3_close(h);
    return out;
}

void check_whole(Store& store, const std::string& uuid, const Keyring& ring,
                 const KeyPair& national) {
    const auto v = store.find_by_uuid(uuid);
    REQUIRE_MESSAGE(v, "acknowledged report " << uuid << " is missing");
    CHECK(v->state == OutboxState::queued);
    CHECK(verify_receipt_url(v->report.qr_url, ring, VerifyOptions{{"https://lapor.go.id/kiosk"}})
              .result == VerifyResult::genuine);
    const auto body = nlohmann::json::parse(v->report.upload_body);
    CHECK(body["report_uuid"] == uuid);
    const auto sealed = base64_decode(body["sealed"]["payload"].get<std::string>());
    REQUIRE(sealed);
    const auto plain = unseal(*sealed, national);
    REQUIRE(plain);
    const auto personal = nlohmann::json::parse(*plain);
    CHECK(personal["body"] == test::valid_draft().body);
    CHECK(personal["title"].get<std::string>().starts_with("Laporan ke-"));
}

}  // namespace

TEST_CASE("SIGKILL at random moments loses no acknowledged report") {
    const char* env = std::getenv("LAPOR_CRASH_ROUNDS");
    const int rounds = env ? std::atoi(env) : 200;
    test::TempDir dir;
    const auto key = dir / "device.key";
    REQUIRE(create_device_key(key));
    const KeyPair device = load_device_key(key);
    const KeyPair national = x25519_generate();
    Keyring ring;
    ring.add({"JKT-PUSAT-01", "JK01", device.public_key});

    std::mt19937 rng(std::random_device{}());
    std::uniform_int_distribution<int> delay(0, 30);
    std::string db;
    std::set<std::string> acked;
    std::map<std::string, std::string> checked;  // uuid -> the body bytes checked in full
    std::size_t total_acked = 0;
    int inside = 0;
    for (int round = 0; round < rounds; ++round) {
        // A fresh database every `epoch` rounds keeps each round's full check bounded, so the
        // 10,000-round torture takes minutes, not hours.
        if (round % epoch == 0) {
            db = dir / ("kiosk-" + std::to_string(round / epoch) + ".db");
            acked.clear();
            checked.clear();
            SystemClock clock;
            open_store(db, clock);  // create the schema outside the rounds
        }
        // One round in five kills during start-up (opening, recovery), the rest mid-stride.
        const Round r =
            run_writer(db, key, base64_encode(national.public_key), delay(rng), round % 5 != 0);
        inside += r.killed_inside ? 1 : 0;
        acked.insert(r.acked.begin(), r.acked.end());
        total_acked += r.acked.size();

        SystemClock clock;
        auto store = open_store(db, clock);  // recovery happens here
        REQUIRE(store->integrity_check() == "ok");
        const auto now = stored_bodies(db);
        // New reports, and the one in flight if it was committed, are checked in full.
        std::size_t in_flight = 0;  // committed but killed before it could say so: at most one
        for (const auto& [u, body] : now) {
            if (checked.count(u)) continue;
            check_whole(*store, u, ring, national);
            checked[u] = body;
            if (std::find(r.acked.begin(), r.acked.end(), u) == r.acked.end()) ++in_flight;
        }
        CHECK(in_flight <= 1);
        // Every acknowledged report is still there, byte for byte as when it was checked.
        for (const auto& u : acked) {
            const auto it = now.find(u);
            REQUIRE_MESSAGE(it != now.end(), "lost acknowledged report " << u);
            REQUIRE_MESSAGE(it->second == checked.at(u), "report " << u << " changed on disk");
        }
    }
    MESSAGE(rounds << " rounds, " << total_acked << " acknowledged reports, " << inside
                   << " kills landed inside a transaction");
    std::printf("crash test: %d rounds, %zu acknowledged reports, %d kills inside a transaction\n",
                rounds, total_acked, inside);
    CHECK(inside > 0);
}
