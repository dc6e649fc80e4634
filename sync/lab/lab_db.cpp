#include "lab_db.h"

#include <openssl/sha.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <stdexcept>

#include "crypto.h"

namespace lapor::lab {
namespace {

struct DbError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Stmt {
public:
    Stmt(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK)
            throw DbError(std::string("lab database: ") + sqlite3_errmsg(db));
    }
    ~Stmt() { sqlite3_finalize(s_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    Stmt& bind(int i, std::int64_t v) {
        sqlite3_bind_int64(s_, i, v);
        return *this;
    }
    Stmt& bind(int i, const std::string& v) {
        sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& bind_text(int i, const std::string& v) {
        sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    bool step() {
        const int rc = sqlite3_step(s_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw DbError(std::string("lab database: ") + sqlite3_errmsg(db_));
    }
    std::int64_t i64(int c) { return sqlite3_column_int64(s_, c); }
    std::string text(int c) {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(s_, c));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, c))) : "";
    }
    bool null(int c) { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
    void reset() {
        sqlite3_reset(s_);
        sqlite3_clear_bindings(s_);
    }

private:
    sqlite3* db_;
    sqlite3_stmt* s_ = nullptr;
};

void exec(sqlite3* db, const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string m = err ? err : "unknown error";
        sqlite3_free(err);
        throw DbError("lab database: " + m);
    }
}

std::string format_id(std::int64_t n) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "LAB-%07lld", static_cast<long long>(n));
    return buf;
}

std::optional<std::int64_t> parse_id(const std::string& id) {
    if (id.size() < 5 || id.compare(0, 4, "LAB-") != 0 || id.size() > 20) return std::nullopt;
    std::int64_t n = 0;
    for (std::size_t i = 4; i < id.size(); ++i) {
        if (id[i] < '0' || id[i] > '9') return std::nullopt;
        n = n * 10 + (id[i] - '0');
    }
    return n;
}

constexpr const char* report_cols =
    "id, uuid, kiosk_id, tracking, status, agency, updated_unix, received_ms, body, public_reply";

LabReport read_report(Stmt& s) {
    LabReport r;
    r.number = s.i64(0);
    r.id = format_id(r.number);
    r.uuid = s.text(1);
    r.kiosk_id = s.text(2);
    r.tracking = s.text(3);
    r.status = s.text(4);
    r.agency = s.text(5);
    r.updated_unix = s.i64(6);
    r.received_ms = s.i64(7);
    r.body = s.text(8);
    r.public_reply = s.text(9);
    return r;
}

}  // namespace

std::string next_status(const std::string& s) {
    if (s == "received") return "verified";
    if (s == "verified") return "dispositioned";
    if (s == "dispositioned") return "in_progress";
    if (s == "in_progress") return "done";
    return "";
}

LabDb::LabDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        const std::string m = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw std::runtime_error("cannot open the lab database " + path + ": " + m);
    }
    sqlite3_busy_timeout(db_, 5000);
    // A lab stand-in: WAL with synchronous=NORMAL (a power cut may lose the last commits; a
    // killed process loses nothing).
    exec(db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
    exec(db_,
         "CREATE TABLE IF NOT EXISTS codes (code TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, "
         "  expires_ms INTEGER NOT NULL, used_ms INTEGER);"
         "CREATE TABLE IF NOT EXISTS kiosks (kiosk_id TEXT PRIMARY KEY, token_hash TEXT, "
         "  enrolled_ms INTEGER, heartbeat TEXT, heartbeat_ms INTEGER);"
         "CREATE TABLE IF NOT EXISTS kiosk_keys (kiosk_id TEXT NOT NULL, code_prefix TEXT NOT "
         "  NULL, public_key BLOB NOT NULL, added_ms INTEGER, UNIQUE (kiosk_id, public_key));"
         "CREATE TABLE IF NOT EXISTS reports (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
         "  kiosk_id TEXT NOT NULL, tracking TEXT NOT NULL, body BLOB NOT NULL, "
         "  body_sha TEXT NOT NULL, answer TEXT NOT NULL, status TEXT NOT NULL, "
         "  agency_wanted TEXT NOT NULL, agency TEXT NOT NULL DEFAULT '', "
         "  updated_unix INTEGER NOT NULL, received_ms INTEGER NOT NULL);"
         "CREATE INDEX IF NOT EXISTS reports_tracking ON reports (tracking);");
    // Added later (#11): a lab.db made before lacks these columns.
    Stmt cols(db_, "SELECT 1 FROM pragma_table_info('reports') WHERE name = 'public_reply'");
    if (!cols.step())
        exec(db_, "ALTER TABLE reports ADD COLUMN public_reply TEXT NOT NULL DEFAULT ''");
    Stmt code_cols(db_, "SELECT 1 FROM pragma_table_info('codes') WHERE name = 'device_key'");
    if (!code_cols.step()) exec(db_, "ALTER TABLE codes ADD COLUMN device_key BLOB");
}

LabDb::~LabDb() { sqlite3_close(db_); }

template <class F>
auto LabDb::txn(F&& f) {
    std::lock_guard lock(mu_);
    exec(db_, "BEGIN IMMEDIATE");
    try {
        if constexpr (std::is_void_v<decltype(f())>) {
            f();
            exec(db_, "COMMIT");
        } else {
            auto r = f();
            exec(db_, "COMMIT");
            return r;
        }
    } catch (...) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

std::string LabDb::issue_code(const std::string& kiosk_id, double ttl_s, std::int64_t now_ms) {
    static constexpr char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    std::string code;
    for (int i = 0; i < 12; ++i) code += alphabet[random_below(32)];
    txn([&] {
        Stmt s(db_, "INSERT INTO codes (code, kiosk_id, expires_ms) VALUES (?, ?, ?)");
        s.bind_text(1, code)
            .bind_text(2, kiosk_id)
            .bind(3, now_ms + static_cast<std::int64_t>(ttl_s * 1000));
        s.step();
    });
    return code.substr(0, 4) + "-" + code.substr(4, 4) + "-" + code.substr(8, 4);
}

std::variant<std::string, ApiError> LabDb::enroll(const EnrollRequest& r, std::int64_t now_ms) {
    return txn([&]() -> std::variant<std::string, ApiError> {
        Stmt q(db_, "SELECT kiosk_id, expires_ms, used_ms, device_key FROM codes WHERE code = ?");
        q.bind_text(1, r.enroll_code);
        if (!q.step())
            return ApiError{403, "enroll_code_unknown", "this enrollment code was never issued",
                            "enroll_code"};
        if (q.i64(1) <= now_ms)
            return ApiError{403, "enroll_code_expired",
                            "this enrollment code has expired; ask for a new one", "enroll_code"};
        if (q.text(0) != r.kiosk_id)
            return ApiError{403, "enroll_code_other_kiosk",
                            "this enrollment code was issued for kiosk " + q.text(0), "kiosk_id"};
        // A code binds to the first device key that uses it. A repeat with that key (its answer
        // was lost, or the kiosk could not save the token) gets a fresh token, which replaces
        // the one it never received; another key is refused.
        const bool repeat = !q.null(2);
        if (repeat && q.text(3) != r.device_public_key)
            return ApiError{403, "enroll_code_used",
                            "this enrollment code was already used by another device; ask for a "
                            "new one",
                            "enroll_code"};
        if (!repeat) {
            Stmt used(db_, "UPDATE codes SET used_ms = ?, device_key = ? WHERE code = ?");
            used.bind(1, now_ms).bind(2, r.device_public_key).bind_text(3, r.enroll_code);
            used.step();
        }
        const std::string token = base64url_encode(random_bytes(32));
        Stmt k(db_,
               "INSERT INTO kiosks (kiosk_id, token_hash, enrolled_ms) VALUES (?1, ?2, ?3) "
               "ON CONFLICT (kiosk_id) DO UPDATE SET token_hash = ?2, enrolled_ms = ?3");
        k.bind_text(1, r.kiosk_id).bind_text(2, sha256_hex(token)).bind(3, now_ms);
        k.step();
        Stmt key(db_,
                 "INSERT OR IGNORE INTO kiosk_keys (kiosk_id, code_prefix, public_key, added_ms) "
                 "VALUES (?, ?, ?, ?)");
        key.bind_text(1, r.kiosk_id)
            .bind_text(2, r.code_prefix)
            .bind(3, r.device_public_key)
            .bind(4, now_ms);
        key.step();
        return token;
    });
}

std::vector<std::string> LabDb::enrolled_keys(const std::string& kiosk_id) {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    Stmt q(db_, "SELECT public_key FROM kiosk_keys WHERE kiosk_id = ? ORDER BY added_ms DESC");
    q.bind_text(1, kiosk_id);
    while (q.step()) out.push_back(q.text(0));
    return out;
}

std::optional<std::string> LabDb::kiosk_for_token(const std::string& token) {
    std::lock_guard lock(mu_);
    Stmt q(db_, "SELECT kiosk_id FROM kiosks WHERE token_hash = ?");
    q.bind_text(1, sha256_hex(token));
    if (!q.step()) return std::nullopt;
    return q.text(0);
}

bool LabDb::revoke(const std::string& kiosk_id) {
    return txn([&] {
        Stmt s(db_, "UPDATE kiosks SET token_hash = NULL WHERE kiosk_id = ?");
        s.bind_text(1, kiosk_id);
        s.step();
        return sqlite3_changes(db_) == 1;
    });
}

IntakeResult LabDb::intake(const ReportRequest& r, const std::string& body,
                           const std::string& public_url, std::int64_t now_ms) {
    return intake_many({{&r, &body}}, public_url, now_ms).front();
}

std::vector<IntakeResult> LabDb::intake_many(const std::vector<IntakeItem>& items,
                                             const std::string& public_url, std::int64_t now_ms) {
    std::vector<std::string> shas;
    shas.reserve(items.size());
    for (const auto& item : items) shas.push_back(sha256_hex(*item.body));  // outside the lock
    return txn([&] {
        std::vector<IntakeResult> out;
        out.reserve(items.size());
        Stmt q(db_, "SELECT body_sha, answer FROM reports WHERE uuid = ?");
        Stmt ins(db_,
                 "INSERT INTO reports (uuid, kiosk_id, tracking, body, body_sha, answer, status, "
                 "agency_wanted, updated_unix, received_ms) "
                 "VALUES (?, ?, ?, ?, ?, '', 'received', ?, ?, ?)");
        Stmt up(db_, "UPDATE reports SET answer = ? WHERE id = ?");
        for (std::size_t i = 0; i < items.size(); ++i) {
            const ReportRequest& r = *items[i].request;
            q.bind_text(1, r.uuid);
            if (q.step()) {
                if (q.text(0) == shas[i])
                    out.push_back({200, q.text(1)});
                else
                    out.push_back(
                        {409, error_json({409, "idempotency_conflict",
                                          "a different report was already received with this "
                                          "Idempotency-Key",
                                          ""})});
                q.reset();
                continue;
            }
            q.reset();
            ins.bind_text(1, r.uuid)
                .bind_text(2, r.kiosk_id)
                .bind_text(3, r.tracking)
                .bind(4, *items[i].body)
                .bind_text(5, shas[i])
                .bind_text(6, r.agency)
                .bind(7, now_ms / 1000)
                .bind(8, now_ms);
            ins.step();
            ins.reset();
            const auto n = sqlite3_last_insert_rowid(db_);
            std::string answer = nlohmann::json{{"id", format_id(n)},
                                                {"tracking_url", public_url + "/r/" + r.tracking}}
                                     .dump();
            up.bind_text(1, answer).bind(2, n);
            up.step();
            up.reset();
            out.push_back({201, std::move(answer)});
        }
        return out;
    });
}

std::vector<LabReport> LabDb::find_many(const std::vector<std::string>& ids,
                                        const std::string& kiosk_id) {
    std::lock_guard lock(mu_);
    std::vector<LabReport> out;
    Stmt q(db_, (std::string("SELECT ") + report_cols + " FROM reports WHERE id = ?").c_str());
    for (const auto& id : ids) {
        const auto n = parse_id(id);
        if (!n) continue;
        q.bind(1, *n);
        if (q.step()) {
            auto r = read_report(q);
            if (r.kiosk_id == kiosk_id) out.push_back(std::move(r));
        }
        q.reset();
    }
    return out;
}

std::optional<LabReport> LabDb::find(const std::string& key) {
    std::lock_guard lock(mu_);
    const auto n = parse_id(key);
    Stmt q(db_, (std::string("SELECT ") + report_cols +
                 " FROM reports WHERE id = ?1 OR tracking = ?2 OR uuid = ?2")
                    .c_str());
    q.bind(1, n.value_or(-1)).bind_text(2, key);
    if (!q.step()) return std::nullopt;
    return read_report(q);
}

int LabDb::advance(const std::string& id, std::int64_t now_ms,
                   const std::optional<std::string>& reply) {
    return txn([&] {
        std::vector<std::pair<std::int64_t, std::string>> todo;
        {
            Stmt q(db_, "SELECT id, status FROM reports WHERE (?1 < 0 OR id = ?1)");
            q.bind(1, id.empty() ? -1 : parse_id(id).value_or(0));
            while (q.step()) todo.emplace_back(q.i64(0), q.text(1));
        }
        int n = 0;
        for (const auto& [rid, status] : todo) {
            auto next = next_status(status);
            if (next.empty() && !reply) continue;
            if (next.empty()) next = status;  // a final report: only its reply changes
            Stmt u(db_,
                   "UPDATE reports SET status = ?1, updated_unix = ?2, agency = CASE WHEN ?1 = "
                   "'dispositioned' THEN agency_wanted ELSE agency END, "
                   "public_reply = COALESCE(?4, public_reply) WHERE id = ?3");
            u.bind_text(1, next).bind(2, now_ms / 1000).bind(3, rid);
            if (reply) u.bind_text(4, *reply);
            u.step();
            ++n;
        }
        return n;
    });
}

int LabDb::advance_due(std::int64_t every_ms, std::int64_t now_ms) {
    std::vector<std::string> due;
    {
        std::lock_guard lock(mu_);
        Stmt q(db_,
               "SELECT id FROM reports WHERE status NOT IN ('done','closed','archived') AND "
               "updated_unix * 1000 <= ?");
        q.bind(1, now_ms - every_ms);
        while (q.step()) due.push_back(format_id(q.i64(0)));
    }
    int n = 0;
    for (const auto& id : due) n += advance(id, now_ms);
    return n;
}

void LabDb::heartbeat(const std::string& kiosk_id, const std::string& json, std::int64_t now_ms) {
    txn([&] {
        Stmt s(db_, "UPDATE kiosks SET heartbeat = ?, heartbeat_ms = ? WHERE kiosk_id = ?");
        s.bind_text(1, json).bind(2, now_ms).bind_text(3, kiosk_id);
        s.step();
    });
}

std::optional<std::string> LabDb::last_heartbeat(const std::string& kiosk_id) {
    std::lock_guard lock(mu_);
    Stmt q(db_, "SELECT heartbeat FROM kiosks WHERE kiosk_id = ? AND heartbeat IS NOT NULL");
    q.bind_text(1, kiosk_id);
    if (!q.step()) return std::nullopt;
    return q.text(0);
}

Keyring LabDb::keyring() {
    std::lock_guard lock(mu_);
    Keyring k;
    Stmt q(db_, "SELECT kiosk_id, code_prefix, public_key FROM kiosk_keys ORDER BY added_ms");
    while (q.step()) k.add(KeyringEntry{q.text(0), q.text(1), q.text(2)});
    return k;
}

std::int64_t LabDb::report_count() {
    std::lock_guard lock(mu_);
    Stmt q(db_, "SELECT count(*) FROM reports");
    q.step();
    return q.i64(0);
}

std::vector<LabReport> LabDb::all_reports() {
    std::lock_guard lock(mu_);
    std::vector<LabReport> out;
    Stmt q(db_, (std::string("SELECT ") + report_cols + " FROM reports ORDER BY id").c_str());
    while (q.step()) out.push_back(read_report(q));
    return out;
}

std::string sha256_hex(const std::string& s) {
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d);
    return hex_encode(std::string(reinterpret_cast<const char*>(d), sizeof d));
}

}  // namespace lapor::lab
