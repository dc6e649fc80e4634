// SQLite implementation of Store.
// [1] connection and statement helpers  [2] migrations  [3] Store methods  [4] open_store
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <thread>
#include <unordered_map>

#include "catalog.h"
#include "identity.h"
#include "store.h"

namespace lapor {

// ---------------------------------------------------------------- [1] helpers
namespace {

class Db {
public:
    explicit Db(sqlite3* db) : db_(db) {}
    ~Db() {
        for (auto& [sql, s] : cache_) sqlite3_finalize(s);
        sqlite3_close_v2(db_);
    }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    sqlite3* get() const { return db_; }

    [[noreturn]] void fail(const std::string& what) const {
        throw StoreError("database: " + what + ": " + sqlite3_errmsg(db_));
    }

    // Prepared statements are kept for reuse, by their SQL text: preparing the same few
    // statements again for every report was a tenth of a drain's CPU. A statement in use is out
    // of the cache (the same SQL twice at once gets a second one); a cached one is reset, holds
    // no bindings and no read transaction. SQLite prepares it again itself after a schema change.
    sqlite3_stmt* take(const char* sql) const {
        const auto it = cache_.find(sql);
        if (it == cache_.end()) return nullptr;
        sqlite3_stmt* s = it->second;
        cache_.erase(it);
        return s;
    }
    void give(sqlite3_stmt* s) const {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        if (cache_.size() >= 64 || !cache_.emplace(sqlite3_sql(s), s).second) sqlite3_finalize(s);
    }

private:
    sqlite3* db_;
    mutable std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

class Stmt {
public:
    Stmt(const Db& db, const char* sql) : db_(db), s_(db.take(sql)) {
        if (s_) return;
        if (sqlite3_prepare_v2(db.get(), sql, -1, &s_, nullptr) != SQLITE_OK) {
            sqlite3_finalize(s_);
            db.fail(std::string("cannot prepare `") + sql + "`");
        }
        // Only a statement that is the whole text can be found again by it.
        cacheable_ = s_ && std::strcmp(sqlite3_sql(s_), sql) == 0;
    }
    ~Stmt() {
        if (cacheable_)
            db_.give(s_);
        else
            sqlite3_finalize(s_);
    }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(s_, i, v)); }
    Stmt& bind(int i, int v) { return check(sqlite3_bind_int64(s_, i, v)); }
    Stmt& bind(int i, std::string_view v) {
        return check(
            sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    }
    Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
    Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
    Stmt& bind_blob(int i, std::string_view v) {
        return check(
            sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    }
    Stmt& bind_null(int i) { return check(sqlite3_bind_null(s_, i)); }
    Stmt& bind(int i, std::optional<int> v) { return v ? bind(i, *v) : bind_null(i); }

    // True while there is a row. Busy is handled by the caller's transaction retry.
    bool step() {
        const int rc = sqlite3_step(s_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        if (rc == SQLITE_CONSTRAINT &&
            std::strstr(sqlite3_errmsg(db_.get()), "reports.tracking") != nullptr)
            throw DuplicateTrackingError("tracking code already used");
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) throw Busy{};
        db_.fail("statement failed");
    }
    void run() {
        while (step()) {
        }
    }
    void reset() { sqlite3_reset(s_); }

    bool is_null(int i) const { return sqlite3_column_type(s_, i) == SQLITE_NULL; }
    std::int64_t i64(int i) const { return sqlite3_column_int64(s_, i); }
    int i32(int i) const { return sqlite3_column_int(s_, i); }
    std::string text(int i) const {
        const auto* p = sqlite3_column_blob(s_, i);
        const int n = sqlite3_column_bytes(s_, i);
        return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n))
                 : std::string();
    }
    std::optional<std::int64_t> opt_i64(int i) const {
        return is_null(i) ? std::nullopt : std::optional<std::int64_t>(i64(i));
    }

    struct Busy {};

private:
    Stmt& check(int rc) {
        if (rc != SQLITE_OK) db_.fail("cannot bind a value");
        return *this;
    }
    const Db& db_;
    sqlite3_stmt* s_ = nullptr;
    bool cacheable_ = true;
};

void exec(const Db& db, const char* sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db.get(), sql, nullptr, nullptr, &err);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        sqlite3_free(err);
        throw Stmt::Busy{};
    }
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : "?";
        sqlite3_free(err);
        throw StoreError(std::string("database: `") + sql + "` failed: " + msg);
    }
}

// Runs `f` inside BEGIN IMMEDIATE ... COMMIT. A busy database (another process writing) is waited
// for by SQLite's busy timeout and then retried here, for up to two minutes in all, so a
// concurrent writer never surfaces as an error.
constexpr int max_busy_tries = 240;  // x busy_timeout (500 ms) = 2 minutes

void commit(const Db& db) {
    for (int c = 0;; ++c) {
        try {
            exec(db, "COMMIT");
            return;
        } catch (const Stmt::Busy&) {
            if (c >= max_busy_tries) throw;
        }
    }
}

template <typename F>
auto write_txn(const Db& db, F&& f) {
    for (int attempt = 0;; ++attempt) {
        try {
            exec(db, "BEGIN IMMEDIATE");
            if constexpr (std::is_void_v<decltype(f())>) {
                f();
                commit(db);
                return;
            } else {
                auto result = f();
                commit(db);
                return result;
            }
        } catch (const Stmt::Busy&) {
            sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);  // no-op if not begun
            if (attempt >= max_busy_tries)
                throw StoreError(
                    "database: another program has kept the database busy for two minutes; "
                    "nothing was changed");
        } catch (...) {
            sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    }
}

// For a commit that promises nothing durable (a lease): no fsync of its own (WAL with
// synchronous=NORMAL), FULL again afterwards. Lost in a power cut, such a commit is lost with
// everything after it (the WAL is replayed in order), and the next FULL commit syncs it too.
class NoSyncCommit {
public:
    explicit NoSyncCommit(const Db& db) : db_(db) { exec(db_, "PRAGMA synchronous = NORMAL"); }
    ~NoSyncCommit() {
        sqlite3_exec(db_.get(), "PRAGMA synchronous = FULL", nullptr, nullptr, nullptr);
    }
    NoSyncCommit(const NoSyncCommit&) = delete;
    NoSyncCommit& operator=(const NoSyncCommit&) = delete;

private:
    const Db& db_;
};

// Reads outside a transaction can meet a busy database only while another connection changes
// the journal mode or the schema; retry them the same way.
template <typename F>
auto read_retry(F&& f) {
    for (int attempt = 0;; ++attempt) {
        try {
            return f();
        } catch (const Stmt::Busy&) {
            if (attempt >= max_busy_tries)
                throw StoreError("database: another program has kept it busy for two minutes");
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
}

// ---------------------------------------------------------------- [2] migrations
// Migration N takes the schema from user_version N-1 to N. Never edit one that has shipped.
constexpr const char* migrations[] = {
    // 1: the first schema
    R"sql(
CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    tracking        TEXT NOT NULL UNIQUE,
    kiosk_id        TEXT NOT NULL,
    created_unix    INTEGER NOT NULL,
    classification  TEXT NOT NULL,
    agency_id       TEXT NOT NULL,
    category_id     TEXT NOT NULL,
    privacy         TEXT NOT NULL,
    language        TEXT NOT NULL,
    consent         INTEGER NOT NULL,
    incident_date   TEXT NOT NULL,
    key_id          TEXT NOT NULL,
    signature       TEXT NOT NULL,
    qr_url          TEXT NOT NULL,
    upload_body     BLOB,             -- NULL once purged after retention
    state           TEXT NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued','sending','accepted','rejected','conflict')),
    lease_until_ms  INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    national_id     TEXT,
    tracking_url    TEXT,
    accepted_ms     INTEGER,
    national_status TEXT,
    status_checked_ms INTEGER,
    purged_ms       INTEGER
);
CREATE INDEX reports_outbox ON reports(state, next_attempt_ms);
CREATE TABLE attempts (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports(id),
    at_ms       INTEGER NOT NULL,
    http_status INTEGER,
    outcome     TEXT NOT NULL,
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attempts_report ON attempts(report_id);
CREATE TABLE status_history (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES reports(id),
    status       TEXT NOT NULL,
    agency       TEXT NOT NULL DEFAULT '',
    updated_unix INTEGER NOT NULL,
    recorded_ms  INTEGER NOT NULL
);
CREATE INDEX status_history_report ON status_history(report_id);
CREATE TABLE device_health (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_ms INTEGER NOT NULL
);
CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    at_ms  INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE TABLE catalogs (
    id           INTEGER PRIMARY KEY,
    version      TEXT NOT NULL,
    etag         TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    installed_ms INTEGER NOT NULL
);
)sql",
    // 2 (sync issue #4): the outbox in submit order, so leasing the oldest due reports reads a
    // few index entries instead of sorting every queued report.
    R"sql(
CREATE INDEX reports_queue ON reports(state, created_unix, id);
)sql",
    // 3 (sync issue #11): the agency's public reply to the citizen, from the status answer.
    R"sql(
ALTER TABLE status_history ADD COLUMN public_reply TEXT NOT NULL DEFAULT '';
)sql",
    // 4 (sync issue #11): the `held` state (a refusal of one report; the CHECK constraint needs
    // the table rebuilt: open_store runs migrations with foreign keys off), retry times and
    // leases on the monotonic clock (old wall-clock times become "due now"), the boot they
    // belong to, and attempts bounded to each report's first and latest.
    R"sql(
CREATE TABLE reports_new (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    tracking        TEXT NOT NULL UNIQUE,
    kiosk_id        TEXT NOT NULL,
    created_unix    INTEGER NOT NULL,
    classification  TEXT NOT NULL,
    agency_id       TEXT NOT NULL,
    category_id     TEXT NOT NULL,
    privacy         TEXT NOT NULL,
    language        TEXT NOT NULL,
    consent         INTEGER NOT NULL,
    incident_date   TEXT NOT NULL,
    key_id          TEXT NOT NULL,
    signature       TEXT NOT NULL,
    qr_url          TEXT NOT NULL,
    upload_body     BLOB,
    state           TEXT NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued','sending','accepted','rejected','conflict','held')),
    lease_until_ms  INTEGER,          -- monotonic ms
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL DEFAULT 0,  -- monotonic ms
    last_error      TEXT NOT NULL DEFAULT '',
    national_id     TEXT,
    tracking_url    TEXT,
    accepted_ms     INTEGER,
    national_status TEXT,
    status_checked_ms INTEGER,
    purged_ms       INTEGER
);
INSERT INTO reports_new SELECT * FROM reports;
DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;
CREATE INDEX reports_outbox ON reports(state, next_attempt_ms);
CREATE INDEX reports_queue ON reports(state, created_unix, id);
UPDATE reports SET state = 'queued', lease_until_ms = NULL WHERE state = 'sending';
UPDATE reports SET next_attempt_ms = 0 WHERE state = 'queued';
CREATE TABLE sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
DELETE FROM attempts WHERE id NOT IN (SELECT MIN(id) FROM attempts GROUP BY report_id
                                      UNION SELECT MAX(id) FROM attempts GROUP BY report_id);
)sql",
    // 5 (ops issue #13): named counters and values for the metrics (citizen sessions, UI
    // first-frame time); counts only.
    R"sql(
CREATE TABLE metrics (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
)sql",
    // 6 (sync issue #11): the last acceptance (counts(), read every minute by lapor-sync and at
    // each heartbeat) and the retention purge without reading every report row, bodies included.
    R"sql(
CREATE INDEX reports_accepted ON reports(accepted_ms);
)sql",
};
static_assert(std::size(migrations) == store_schema_version);

int user_version(const Db& db) {
    return read_retry([&] {
        Stmt s(db, "PRAGMA user_version");
        s.step();
        return s.i32(0);
    });
}

void refuse_if_newer(const Db& db, const std::string& path) {
    const int v = user_version(db);
    if (v > store_schema_version)
        throw StoreTooNewError("database " + path + " has schema version " + std::to_string(v) +
                               ", newer than this program's " +
                               std::to_string(store_schema_version) +
                               "; it was left untouched: install the newer lapor-kiosk version");
}

void migrate(const Db& db, const std::string& path) {
    write_txn(db, [&] {
        const int v = user_version(db);  // re-read inside the lock: another process may have won
        if (v > store_schema_version) refuse_if_newer(db, path);
        for (int i = v; i < store_schema_version; ++i) {
            exec(db, migrations[i]);
            exec(db, ("PRAGMA user_version = " + std::to_string(i + 1)).c_str());
        }
    });
}

// ---------------------------------------------------------------- [3] Store
constexpr const char* report_columns =
    "id, uuid, tracking, kiosk_id, created_unix, classification, agency_id, category_id, "
    "privacy, language, consent, incident_date, key_id, signature, qr_url, upload_body, state, "
    "attempts, next_attempt_ms, last_error, national_id, tracking_url, accepted_ms, purged_ms, "
    "status_checked_ms";

std::optional<OutboxState> state_from(std::string_view s) {
    for (auto st : {OutboxState::queued, OutboxState::sending, OutboxState::accepted,
                    OutboxState::rejected, OutboxState::conflict, OutboxState::held}) {
        if (to_string(st) == s) return st;
    }
    return std::nullopt;
}

Date date_from(const std::string& iso) {
    Date d;
    if (iso.size() == 10) {
        d.year = std::atoi(iso.substr(0, 4).c_str());
        d.month = std::atoi(iso.substr(5, 2).c_str());
        d.day = std::atoi(iso.substr(8, 2).c_str());
    }
    return d;
}

class SqliteStore final : public Store {
public:
    SqliteStore(std::unique_ptr<Db> db, const Clock& clock) : db_(std::move(db)), clock_(clock) {}

    void insert_report(const PreparedReport& r) override {
        write_txn(*db_, [&] {
            Stmt s(*db_,
                   "INSERT INTO reports (uuid, tracking, kiosk_id, created_unix, classification, "
                   "agency_id, category_id, privacy, language, consent, incident_date, key_id, "
                   "signature, qr_url, upload_body, next_attempt_ms) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
            s.bind(1, r.uuid).bind(2, r.tracking).bind(3, r.kiosk_id).bind(4, r.created_unix);
            s.bind(5, to_string(r.classification)).bind(6, r.agency_id).bind(7, r.category_id);
            s.bind(8, to_string(r.privacy)).bind(9, to_string(r.language));
            s.bind(10, r.consent ? 1 : 0).bind(11, to_iso(r.incident_date)).bind(12, r.key_id);
            s.bind(13, r.signature).bind(14, r.qr_url).bind_blob(15, r.upload_body);
            s.bind(16, std::int64_t{0});  // due at once
            s.run();
        });
    }

    std::vector<Outbound> lease_next(int max, std::int64_t lease_ms,
                                     std::size_t max_bytes) override {
        // A lease needs no fsync: lost in a power cut, its reports are queued again, which is
        // what the next start does with every lease anyway (release_all_leases). An outcome is
        // always a durable (synchronous=FULL) commit, and it syncs the lease before it as well.
        const NoSyncCommit relaxed(*db_);
        return write_txn(*db_, [&] {
            const auto now = clock_.mono_ms();
            // Two ordered reads merged (one with OR would sort every queued report): due queued
            // reports in submit order (index reports_queue; `+` keeps the planner on it), and
            // sending ones whose lease expired (few).
            std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, Outbound>> found;
            for (const char* sql :
                 {"SELECT id, uuid, upload_body, attempts, created_unix, tracking FROM reports "
                  "WHERE state = 'queued' AND +next_attempt_ms <= ?1 "
                  "ORDER BY created_unix, id LIMIT ?2",
                  "SELECT id, uuid, upload_body, attempts, created_unix, tracking FROM reports "
                  "WHERE state = 'sending' AND lease_until_ms <= ?1 "
                  "ORDER BY created_unix, id LIMIT ?2"}) {
                Stmt s(*db_, sql);
                s.bind(1, now).bind(2, max);
                while (s.step())
                    found.push_back({{s.i64(4), s.i64(0)},
                                     {s.i64(0), s.text(1), s.text(2), s.i32(3), s.text(5)}});
            }
            std::sort(found.begin(), found.end(),
                      [](const auto& a, const auto& b) { return a.first < b.first; });
            std::vector<Outbound> out;
            std::size_t bytes = 0;
            for (auto& f : found) {
                if (static_cast<int>(out.size()) >= max) break;
                bytes += f.second.body.size();
                if (!out.empty() && bytes > max_bytes) break;
                out.push_back(std::move(f.second));
            }
            Stmt u(*db_, "UPDATE reports SET state = 'sending', lease_until_ms = ? WHERE id = ?");
            for (const auto& o : out) {
                u.bind(1, now + lease_ms).bind(2, o.id);
                u.run();
                u.reset();
            }
            return out;
        });
    }

    int reclaim_stale_leases() override {
        return write_txn(*db_, [&] {
            Stmt s(*db_,
                   "UPDATE reports SET state = 'queued', lease_until_ms = NULL "
                   "WHERE state = 'sending' AND lease_until_ms <= ?");
            s.bind(1, clock_.mono_ms());
            s.run();
            return sqlite3_changes(db_->get());
        });
    }

    int release_all_leases() override {
        return write_txn(*db_, [&] {
            exec(*db_,
                 "UPDATE reports SET state = 'queued', lease_until_ms = NULL "
                 "WHERE state = 'sending'");
            return sqlite3_changes(db_->get());
        });
    }

    bool record_attempt(std::int64_t id, std::optional<int> http_status, const std::string& error,
                        std::int64_t next_attempt_ms) override {
        return finish(id, "failed", http_status, error, [&] {
            Stmt s(*db_,
                   "UPDATE reports SET state = 'queued', lease_until_ms = NULL, "
                   "attempts = attempts + 1, next_attempt_ms = ?, last_error = ? "
                   "WHERE id = ? AND state = 'sending'");
            s.bind(1, next_attempt_ms).bind(2, error).bind(3, id);
            s.run();
        });
    }

    bool mark_accepted(std::int64_t id, int http_status, const std::string& national_id,
                       const std::string& tracking_url) override {
        return finish(id, "accepted", http_status, "", [&] {
            const auto now = clock_.now_ms();
            Stmt s(*db_,
                   "UPDATE reports SET state = 'accepted', lease_until_ms = NULL, "
                   "attempts = attempts + 1, last_error = '', national_id = ?, tracking_url = ?, "
                   "accepted_ms = ?, national_status = 'received' "
                   "WHERE id = ? AND state = 'sending'");
            s.bind(1, national_id).bind(2, tracking_url).bind(3, now).bind(4, id);
            s.run();
            if (sqlite3_changes(db_->get()) == 1) {
                Stmt h(*db_,
                       "INSERT INTO status_history (report_id, status, updated_unix, recorded_ms) "
                       "VALUES (?, 'received', ?, ?)");
                h.bind(1, id).bind(2, now / 1000).bind(3, now);
                h.run();
            }
        });
    }

    bool mark_rejected(std::int64_t id, int http_status, const std::string& reason) override {
        return finish(id, "rejected", http_status, reason, [&] {
            Stmt s(*db_,
                   "UPDATE reports SET state = 'rejected', lease_until_ms = NULL, "
                   "attempts = attempts + 1, last_error = ? WHERE id = ? AND state = 'sending'");
            s.bind(1, reason).bind(2, id);
            s.run();
        });
    }

    bool mark_conflict(std::int64_t id, const std::string& reason) override {
        return finish(id, "conflict", 409, reason, [&] {
            Stmt s(*db_,
                   "UPDATE reports SET state = 'conflict', lease_until_ms = NULL, "
                   "attempts = attempts + 1, last_error = ? WHERE id = ? AND state = 'sending'");
            s.bind(1, reason).bind(2, id);
            s.run();
        });
    }

    bool mark_held(std::int64_t id, int http_status, const std::string& reason) override {
        return finish(id, "held", http_status, reason, [&] {
            Stmt s(*db_,
                   "UPDATE reports SET state = 'held', lease_until_ms = NULL, "
                   "attempts = attempts + 1, last_error = ? WHERE id = ? AND state = 'sending'");
            s.bind(1, reason).bind(2, id);
            s.run();
        });
    }

    std::optional<OutboxState> requeue_one(std::string_view tracking) override {
        return write_txn(*db_, [&]() -> std::optional<OutboxState> {
            Stmt q(*db_, "SELECT state FROM reports WHERE tracking = ?");
            q.bind(1, tracking);
            if (!q.step()) return std::nullopt;
            const auto was = state_from(q.text(0));
            Stmt u(*db_,
                   "UPDATE reports SET state = 'queued', next_attempt_ms = 0, "
                   "lease_until_ms = NULL WHERE tracking = ? AND state IN ('held','rejected')");
            u.bind(1, tracking);
            u.run();
            return was;
        });
    }

    int requeue_all(OutboxState from) override {
        if (from != OutboxState::held && from != OutboxState::rejected)
            throw StoreError("only held or rejected reports can be put back in the queue");
        return write_txn(*db_, [&] {
            Stmt u(*db_,
                   "UPDATE reports SET state = 'queued', next_attempt_ms = 0, "
                   "lease_until_ms = NULL WHERE state = ?");
            u.bind(1, to_string(from));
            u.run();
            return sqlite3_changes(db_->get());
        });
    }

    bool rebase_after_boot(std::int64_t mono_now) override {
        return write_txn(*db_, [&] {
            Stmt q(*db_, "SELECT value FROM sync_meta WHERE key = 'mono_high'");
            const bool rebooted = q.step() && std::atoll(q.text(0).c_str()) > mono_now;
            if (rebooted) {
                exec(*db_,
                     "UPDATE reports SET next_attempt_ms = 0, lease_until_ms = NULL WHERE state = "
                     "'queued'");
                exec(*db_,
                     "UPDATE reports SET state = 'queued', next_attempt_ms = 0, lease_until_ms = "
                     "NULL WHERE state = 'sending'");
            }
            Stmt u(*db_,
                   "INSERT INTO sync_meta (key, value) VALUES ('mono_high', ?) "
                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
            u.bind(1, std::to_string(mono_now));
            u.run();
            return rebooted;
        });
    }

    std::vector<bool> record_outcomes(const std::vector<Outcome>& v) override {
        return write_txn(*db_, [&] {
            struct Guard {
                bool& flag;
                ~Guard() { flag = false; }
            } guard{in_batch_};
            in_batch_ = true;
            std::vector<bool> out;
            for (const auto& o : v) out.push_back(apply_outcome(o));
            return out;
        });
    }

    std::vector<std::pair<std::int64_t, std::string>> status_refresh_batch(int max) override {
        return read_retry([&] {
            Stmt s(*db_,
                   "SELECT id, national_id FROM reports WHERE state = 'accepted' AND "
                   "national_status NOT IN ('done','closed','archived') "
                   "ORDER BY COALESCE(status_checked_ms, 0), id LIMIT ?");
            s.bind(1, max);
            std::vector<std::pair<std::int64_t, std::string>> out;
            while (s.step()) out.emplace_back(s.i64(0), s.text(1));
            return out;
        });
    }

    void update_status(std::int64_t id, const StatusEntry& e) override {
        update_statuses({{id, e}}, {id});
    }

    void update_statuses(const std::vector<std::pair<std::int64_t, StatusEntry>>& answered,
                         const std::vector<std::int64_t>& asked) override {
        for (const auto& a : answered)
            if (!is_known_status(a.second.status))
                throw StoreError("unknown national status \"" + a.second.status + "\"");
        write_txn(*db_, [&] {
            const auto now = clock_.now_ms();
            Stmt checked(*db_,
                         "UPDATE reports SET status_checked_ms = ? WHERE id = ? AND "
                         "state = 'accepted'");
            for (const auto id : asked) {
                checked.bind(1, now).bind(2, id);
                checked.run();
                checked.reset();
            }
            Stmt q(*db_,
                   "SELECT status, agency, public_reply FROM status_history WHERE report_id = ? "
                   "ORDER BY id DESC LIMIT 1");
            Stmt u(*db_,
                   "UPDATE reports SET national_status = ?, status_checked_ms = ? "
                   "WHERE id = ? AND state = 'accepted'");
            Stmt h(*db_,
                   "INSERT INTO status_history (report_id, status, agency, updated_unix, "
                   "recorded_ms, public_reply) VALUES (?,?,?,?,?,?)");
            for (const auto& [id, e] : answered) {
                std::optional<StatusEntry> last;
                q.bind(1, id);
                if (q.step()) last = StatusEntry{q.text(0), q.text(1), 0, q.text(2)};
                q.reset();
                u.bind(1, e.status).bind(2, now).bind(3, id);
                u.run();
                u.reset();
                if (sqlite3_changes(db_->get()) != 1)
                    throw StoreError("report " + std::to_string(id) + " is not accepted");
                if (!last || last->status != e.status || last->agency != e.agency ||
                    last->public_reply != e.public_reply) {
                    h.bind(1, id).bind(2, e.status).bind(3, e.agency).bind(4, e.updated_unix);
                    h.bind(5, now).bind(6, e.public_reply);
                    h.run();
                    h.reset();
                }
            }
        });
    }

    std::optional<ReportView> find_by_tracking(std::string_view tracking) override {
        return find("tracking", tracking);
    }
    std::optional<ReportView> find_by_uuid(std::string_view uuid) override {
        return find("uuid", uuid);
    }

    std::vector<ReportView> list_by_state(OutboxState st, int max) override {
        return read_retry([&] {
            std::vector<ReportView> out;
            const std::string sql = std::string("SELECT ") + report_columns +
                                    " FROM reports WHERE state = ? "
                                    "ORDER BY created_unix DESC, id DESC LIMIT ?";
            Stmt s(*db_, sql.c_str());
            s.bind(1, to_string(st)).bind(2, static_cast<std::int64_t>(std::max(max, 0)));
            while (s.step()) out.push_back(view_of(s));
            return out;
        });
    }

    QueueCounts counts() override {
        return read_retry([&] {
            QueueCounts c;
            Stmt s(*db_, "SELECT state, COUNT(*) FROM reports GROUP BY state");
            while (s.step()) {
                if (auto st = state_from(s.text(0))) c.by_state[*st] = s.i32(1);
            }
            Stmt o(*db_,
                   "SELECT MIN(created_unix) FROM reports WHERE state IN ('queued','sending')");
            if (o.step()) c.oldest_unsent_unix = o.opt_i64(0);
            Stmt a(*db_, "SELECT MAX(accepted_ms) FROM reports");
            if (a.step()) c.last_success_ms = a.opt_i64(0);
            return c;
        });
    }

    int created_since(std::int64_t unix_s) override {
        return read_retry([&] {
            Stmt s(*db_, "SELECT COUNT(*) FROM reports WHERE created_unix >= ?");
            s.bind(1, unix_s);
            return s.step() ? s.i32(0) : 0;
        });
    }

    void set_health(HealthKey k, const std::string& value) override {
        write_txn(*db_, [&] {
            Stmt s(*db_,
                   "INSERT INTO device_health (key, value, updated_ms) VALUES (?,?,?) "
                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                   "updated_ms = excluded.updated_ms");
            s.bind(1, to_string(k)).bind(2, value).bind(3, clock_.now_ms());
            s.run();
        });
    }

    std::map<HealthKey, HealthValue> health() override {
        return read_retry([&] {
            std::map<HealthKey, HealthValue> out;
            Stmt s(*db_, "SELECT key, value, updated_ms FROM device_health");
            while (s.step()) {
                const auto key = s.text(0);
                for (auto k : all_health_keys) {
                    if (to_string(k) == key) out[k] = HealthValue{s.text(1), s.i64(2)};
                }
            }
            return out;
        });
    }

    void audit(const std::string& actor, const std::string& action,
               const std::string& detail) override {
        write_txn(*db_, [&] {
            Stmt s(*db_, "INSERT INTO audit (at_ms, actor, action, detail) VALUES (?,?,?,?)");
            s.bind(1, clock_.now_ms()).bind(2, actor).bind(3, action).bind(4, detail);
            s.run();
        });
    }

    std::vector<AuditEntry> recent_audit(int max) override {
        return read_retry([&] {
            std::vector<AuditEntry> out;
            Stmt s(*db_, "SELECT at_ms, actor, action, detail FROM audit ORDER BY id DESC LIMIT ?");
            s.bind(1, max);
            while (s.step()) out.push_back({s.i64(0), s.text(1), s.text(2), s.text(3)});
            return out;
        });
    }

    void add_metric(std::string_view name, std::int64_t delta) override {
        write_txn(*db_, [&] {
            Stmt s(*db_,
                   "INSERT INTO metrics (name, value) VALUES (?,?) "
                   "ON CONFLICT(name) DO UPDATE SET value = value + excluded.value");
            s.bind(1, name).bind(2, delta);
            s.run();
        });
    }

    void set_metric(std::string_view name, std::int64_t value) override {
        write_txn(*db_, [&] {
            Stmt s(*db_,
                   "INSERT INTO metrics (name, value) VALUES (?,?) "
                   "ON CONFLICT(name) DO UPDATE SET value = excluded.value");
            s.bind(1, name).bind(2, value);
            s.run();
        });
    }

    std::map<std::string, std::int64_t> metrics() override {
        return read_retry([&] {
            std::map<std::string, std::int64_t> out;
            Stmt s(*db_, "SELECT name, value FROM metrics");
            while (s.step()) out[s.text(0)] = s.i64(1);
            return out;
        });
    }

    std::map<std::string, std::int64_t> attempts_by_outcome() override {
        return read_retry([&] {
            std::map<std::string, std::int64_t> out;
            Stmt c(*db_,
                   "SELECT substr(name, 17), value FROM metrics "
                   "WHERE name LIKE 'upload!_attempts!_%' ESCAPE '!'");
            while (c.step()) out[c.text(0)] = c.i64(1);
            // An outcome not counted yet (a database from before the counter): its logged rows.
            Stmt s(*db_, "SELECT outcome, COUNT(*) FROM attempts GROUP BY outcome");
            while (s.step()) out.emplace(s.text(0), s.i64(1));
            return out;
        });
    }

    void install_catalog(const std::string& version, const std::string& etag,
                         const std::string& json) override {
        try {
            const auto parsed = Catalog::parse(json);
            if (parsed.version() != version)
                throw StoreError("catalog version \"" + version +
                                 "\" does not match the "
                                 "document's \"" +
                                 parsed.version() + "\"");
        } catch (const CatalogError& e) {
            throw StoreError(std::string("refusing a bad catalog: ") + e.what());
        }
        write_txn(*db_, [&] {
            Stmt s(*db_,
                   "INSERT INTO catalogs (version, etag, body, installed_ms) VALUES (?,?,?,?)");
            s.bind(1, version).bind(2, etag).bind(3, json).bind(4, clock_.now_ms());
            s.run();
            // Keep the current and the previous version only.
            exec(*db_,
                 "DELETE FROM catalogs WHERE id NOT IN "
                 "(SELECT id FROM catalogs ORDER BY id DESC LIMIT 2)");
        });
    }

    std::optional<StoredCatalog> current_catalog() override {
        return read_retry([&]() -> std::optional<StoredCatalog> {
            Stmt s(*db_,
                   "SELECT version, etag, body, installed_ms FROM catalogs "
                   "ORDER BY id DESC LIMIT 1");
            if (!s.step()) return std::nullopt;
            return StoredCatalog{s.text(0), s.text(1), s.text(2), s.i64(3)};
        });
    }

    int purge_sealed(double retention_days) override {
        return write_txn(*db_, [&] {
            const auto now = clock_.now_ms();
            const auto cutoff = now - static_cast<std::int64_t>(retention_days * 86400000.0);
            Stmt s(*db_,
                   "UPDATE reports SET upload_body = NULL, purged_ms = ? "
                   "WHERE state = 'accepted' AND upload_body IS NOT NULL AND accepted_ms <= ?");
            s.bind(1, now).bind(2, cutoff);
            s.run();
            return sqlite3_changes(db_->get());
        });
    }

    std::string integrity_check() override {
        return read_retry([&] {
            Stmt s(*db_, "PRAGMA integrity_check");
            std::string out;
            while (s.step()) out += (out.empty() ? "" : "\n") + s.text(0);
            return out;
        });
    }

    Settings settings() override {
        return read_retry([&] {
            Settings out;
            Stmt j(*db_, "PRAGMA journal_mode");
            if (j.step()) out.journal_mode = j.text(0);
            Stmt s(*db_, "PRAGMA synchronous");
            if (s.step()) out.synchronous = s.i32(0);
            Stmt f(*db_, "PRAGMA foreign_keys");
            if (f.step()) out.foreign_keys = f.i32(0) != 0;
            return out;
        });
    }

private:
    // Runs `update` and logs the attempt in one transaction; false if the lease was lost.
    template <typename F>
    bool finish(std::int64_t id, const char* outcome, std::optional<int> http_status,
                const std::string& error, F&& update) {
        auto body = [&] {
            update();
            if (sqlite3_changes(db_->get()) != 1) return false;
            Stmt a(*db_,
                   "INSERT INTO attempts (report_id, at_ms, http_status, outcome, error) "
                   "VALUES (?,?,?,?,?)");
            a.bind(1, id).bind(2, clock_.now_ms()).bind(3, http_status).bind(4, outcome);
            a.bind(5, error);
            a.run();
            // The Prometheus counter of attempts by outcome: the rows below are pruned, so it is
            // kept apart (a counter must never go down). Its first row per outcome starts from
            // the attempts already logged (databases from before this counter); only then are
            // they counted (a scan of the whole table per attempt was most of a drain's CPU).
            Stmt n(*db_,
                   "UPDATE metrics SET value = value + 1 WHERE name = 'upload_attempts_' || ?");
            n.bind(1, outcome);
            n.run();
            if (sqlite3_changes(db_->get()) == 0) {
                Stmt first(*db_,
                           "INSERT INTO metrics (name, value) VALUES ('upload_attempts_' || ?1, "
                           "(SELECT COUNT(*) FROM attempts WHERE outcome = ?1))");
                first.bind(1, outcome);
                first.run();
            }
            // Bounded history: the first attempt and this one stay, those between go (a month
            // offline would otherwise fill the data partition); reports.attempts counts all.
            Stmt prune(*db_,
                       "DELETE FROM attempts WHERE report_id = ?1 AND id < ?2 AND id > "
                       "(SELECT MIN(id) FROM attempts WHERE report_id = ?1)");
            prune.bind(1, id).bind(
                2, static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_->get())));
            prune.run();
            return true;
        };
        if (in_batch_) return body();  // inside record_outcomes' transaction
        return write_txn(*db_, body);
    }

    std::optional<ReportView> find(const char* column, std::string_view key) {
        return read_retry([&]() -> std::optional<ReportView> {
            const std::string sql =
                std::string("SELECT ") + report_columns + " FROM reports WHERE " + column + " = ?";
            Stmt s(*db_, sql.c_str());
            s.bind(1, key);
            if (!s.step()) return std::nullopt;
            return view_of(s);
        });
    }

    // The row `s` is on (report_columns), with its status history and last HTTP status.
    ReportView view_of(Stmt& s) {
        {
            ReportView v;
            auto& r = v.report;
            const auto id = s.i64(0);
            r.uuid = s.text(1), r.tracking = s.text(2), r.kiosk_id = s.text(3);
            r.created_unix = s.i64(4);
            r.classification = classification_from(s.text(5)).value_or(Classification::complaint);
            r.agency_id = s.text(6), r.category_id = s.text(7);
            r.privacy = privacy_from(s.text(8)).value_or(Privacy::confidential);
            r.language = language_from(s.text(9)).value_or(Language::id);
            r.consent = s.i32(10) != 0;
            r.incident_date = date_from(s.text(11));
            r.key_id = s.text(12), r.signature = s.text(13), r.qr_url = s.text(14);
            r.upload_body = s.text(15);
            v.state = state_from(s.text(16)).value_or(OutboxState::queued);
            v.attempts = s.i32(17);
            v.next_attempt_ms = s.opt_i64(18);
            v.last_error = s.text(19);
            v.national_id = s.text(20), v.tracking_url = s.text(21);
            v.accepted_ms = s.opt_i64(22);
            v.purged = !s.is_null(23);
            v.status_checked_ms = s.opt_i64(24);
            Stmt h(*db_,
                   "SELECT status, agency, updated_unix, public_reply FROM status_history "
                   "WHERE report_id = ? ORDER BY id");
            h.bind(1, id);
            while (h.step()) v.history.push_back({h.text(0), h.text(1), h.i64(2), h.text(3)});
            Stmt a(*db_,
                   "SELECT http_status FROM attempts WHERE report_id = ? ORDER BY id DESC LIMIT 1");
            a.bind(1, id);
            if (a.step() && !a.is_null(0)) v.last_http_status = a.i32(0);
            return v;
        }
    }

    std::unique_ptr<Db> db_;
    const Clock& clock_;
    bool in_batch_ = false;  // record_outcomes holds the transaction
};

}  // namespace

// ---------------------------------------------------------------- [4] open_store
namespace {

// Refuses a database newer than this program, read without modifying it. The one exception is a
// hot rollback journal: a power cut or kill during the very first start (while SQLite switches
// the new file to WAL) leaves one, and a read-only connection cannot roll it back ("attempt to
// write a readonly database"), so every later start of either service would fail. Rolling it
// back is what any SQLite version does before reading, so a read-write connection does that
// here, and only then reads the version.
void probe_version(const std::string& path) {
    for (const int flags : {SQLITE_OPEN_READONLY, SQLITE_OPEN_READWRITE}) {
        sqlite3* raw = nullptr;
        const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
        Db probe(raw);
        if (rc != SQLITE_OK) probe.fail("cannot open " + path);
        sqlite3_extended_result_codes(raw, 1);
        sqlite3_busy_timeout(raw, 500);
        try {
            refuse_if_newer(probe, path);
            return;
        } catch (const StoreTooNewError&) {
            throw;
        } catch (const StoreError&) {
            if (flags != SQLITE_OPEN_READONLY ||
                sqlite3_extended_errcode(raw) != SQLITE_READONLY_ROLLBACK)
                throw;
        }
    }
}

}  // namespace

std::unique_ptr<Store> open_store(const std::string& path, const Clock& clock, OpenMode mode) {
    const bool exists = ::access(path.c_str(), F_OK) == 0;
    if (!exists && mode == OpenMode::existing)
        throw StoreError("no database at " + path +
                         ": nothing was ever submitted on this kiosk, or kiosk.data_dir is wrong");
    // Look at the version first, read-only, so a newer database is never modified (not even
    // switched to WAL).
    if (exists) probe_version(path);
    // SQLite creates files 0644 whatever the umask; the two service users (group lapor) both
    // write this database, so it is made group-writable first (its -wal and -shm copy its mode).
    if (!exists) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
        if (fd >= 0) ::close(fd);
    }
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    auto db = std::make_unique<Db>(raw);
    if (rc != SQLITE_OK) db->fail("cannot open " + path);
    sqlite3_busy_timeout(raw, 500);
    read_retry([&] {
        exec(*db, "PRAGMA journal_mode = WAL");
        return 0;
    });
    exec(*db, "PRAGMA synchronous = FULL");
    // Off while migrating: migration 4 rebuilds `reports`, which other tables reference (the
    // pragma cannot change inside the migration's transaction).
    exec(*db, "PRAGMA foreign_keys = OFF");
    {
        Stmt s(*db, "PRAGMA journal_mode");
        s.step();
        if (s.text(0) != "wal")
            throw StoreError("database " + path +
                             ": cannot switch to WAL mode (is the folder "
                             "on a filesystem that supports shared memory?)");
    }
    migrate(*db, path);
    exec(*db, "PRAGMA foreign_keys = ON");
    for (const char* suffix : {"", "-wal", "-shm"}) {
        const std::string f = path + suffix;
        struct stat st {};
        if (::stat(f.c_str(), &st) != 0) continue;
        // A file made 0644 by an older version: its owner lets the group write it again.
        if ((st.st_mode & 0060) != 0060 && (st.st_uid == ::geteuid() || ::geteuid() == 0))
            ::chmod(f.c_str(), (st.st_mode & 07777) | 0060);
        give_to_service_user(f);
    }
    return std::make_unique<SqliteStore>(std::move(db), clock);
}

std::string_view to_string(OutboxState s) {
    switch (s) {
        case OutboxState::queued: return "queued";
        case OutboxState::sending: return "sending";
        case OutboxState::accepted: return "accepted";
        case OutboxState::rejected: return "rejected";
        case OutboxState::conflict: return "conflict";
        case OutboxState::held: return "held";
    }
    return "?";
}

bool is_known_status(std::string_view s) {
    return std::find(std::begin(national_statuses), std::end(national_statuses), s) !=
           std::end(national_statuses);
}

bool is_final_status(std::string_view s) { return s == "done" || s == "closed" || s == "archived"; }

int QueueCounts::total() const {
    int n = 0;
    for (const auto& [k, v] : by_state) n += v;
    return n;
}

std::string_view to_string(HealthKey k) {
    switch (k) {
        case HealthKey::printer_state: return "printer_state";
        case HealthKey::last_print_result: return "last_print_result";
        case HealthKey::enrollment_state: return "enrollment_state";
        case HealthKey::last_contact: return "last_contact";
        case HealthKey::last_error: return "last_error";
        case HealthKey::staff_pin_failures: return "staff_pin_failures";
        case HealthKey::staff_locked_until: return "staff_locked_until";
        case HealthKey::endpoint_warning: return "endpoint_warning";
        case HealthKey::sync_alive: return "sync_alive";
        case HealthKey::screen: return "screen";
        case HealthKey::catch_up: return "catch_up";
    }
    return "?";
}

}  // namespace lapor
