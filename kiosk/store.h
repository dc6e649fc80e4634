// The durable report store: one interface for the UI (submit, look-up, device health, audit),
// the sync worker (leases, attempts, outcomes, status, catalog, retention) and kioskctl.
// The SQLite implementation (open_store) keeps WAL + synchronous=FULL, so a call that returned
// has committed; it retries busy locks itself so "database is locked" never reaches a caller.
// Schema and states: docs/store.md.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "clock.h"
#include "report.h"

namespace lapor {

struct StoreError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// The database was written by a newer program; it has not been modified.
struct StoreTooNewError : StoreError {
    using StoreError::StoreError;
};
// The tracking code is already taken (the submitter draws a new one).
struct DuplicateTrackingError : StoreError {
    using StoreError::StoreError;
};

// What the store keeps of one submitted report: metadata plus the upload body built once at
// submit time (it holds the sealed citizen data; every retry sends exactly these bytes).
struct PreparedReport {
    std::string uuid;
    std::string tracking;  // formatted
    std::string kiosk_id;
    std::int64_t created_unix = 0;
    Classification classification = Classification::complaint;
    std::string agency_id;
    std::string category_id;
    Privacy privacy = Privacy::public_report;
    Language language = Language::id;
    bool consent = false;
    Date incident_date;
    std::string key_id;
    std::string signature;  // base64url
    std::string qr_url;
    std::string upload_body;
};

// held: the national API refused this one report (its envelope says why, e.g. wrong_kiosk,
// unknown_key_id, invalid_field); it waits for `kioskctl requeue` after a fix while the rest of
// the queue flows. rejected: the same from before held existed (kept for old databases).
enum class OutboxState { queued, sending, accepted, rejected, conflict, held };
std::string_view to_string(OutboxState s);

// National statuses after acceptance, in order; done, closed and archived are final.
inline constexpr const char* national_statuses[] = {
    "received", "verified", "dispositioned", "in_progress", "done", "closed", "archived"};
bool is_known_status(std::string_view s);
bool is_final_status(std::string_view s);

struct Outbound {
    std::int64_t id = 0;
    std::string uuid;
    std::string body;
    int attempts = 0;  // before this one
    std::string tracking;
};

struct StatusEntry {
    std::string status;
    std::string agency;
    std::int64_t updated_unix = 0;  // as the national system reports it
    // The agency's answer to the citizen, as published by the national system (UTF-8, may be
    // empty); the kiosk's status check shows it.
    std::string public_reply;
};

struct ReportView {
    PreparedReport report;  // upload_body is empty once purged
    OutboxState state = OutboxState::queued;
    int attempts = 0;
    std::string last_error;
    std::optional<int> last_http_status;  // of the latest attempt (409 for a conflict), if any
    std::optional<std::int64_t> next_attempt_ms;
    std::string national_id;
    std::string tracking_url;
    std::optional<std::int64_t> accepted_ms;
    bool purged = false;
    // When lapor-sync last asked the national system about it (unix ms; the kiosk's status
    // check says how fresh its answer is).
    std::optional<std::int64_t> status_checked_ms;
    std::vector<StatusEntry> history;  // oldest first; the last is the current status
};

struct QueueCounts {
    std::map<OutboxState, int> by_state;
    std::optional<std::int64_t> oldest_unsent_unix;  // created time of the oldest queued/sending
    std::optional<std::int64_t> last_success_ms;     // last acceptance
    int total() const;
};

enum class HealthKey {
    printer_state,
    last_print_result,
    enrollment_state,
    last_contact,
    last_error,
    endpoint_warning,  // sync: "" or why the endpoint is not answering as the national API
    sync_alive,        // sync: written every minute while lapor-sync runs (doctor's check)
    // Staff mode (kiosk/staff_flow.h): wrong PINs in a row, and the lockout's end (unix ms), kept
    // so a restart or a power cut does not reset them.
    staff_pin_failures,
    staff_locked_until,
    screen,  // the UI: "attract" or "in_use"; updated_ms is when it last changed (fleet updates
             // reboot only after the attract screen has been shown for 2 minutes)
    // sync: "" or, while the queue built up in an outage goes at the catch-up pace,
    // "one request every N ms ..." (kept so a restart or a reboot keeps the pace)
    catch_up
};
inline constexpr HealthKey all_health_keys[] = {HealthKey::printer_state,
                                                HealthKey::last_print_result,
                                                HealthKey::enrollment_state,
                                                HealthKey::last_contact,
                                                HealthKey::last_error,
                                                HealthKey::endpoint_warning,
                                                HealthKey::sync_alive,
                                                HealthKey::staff_pin_failures,
                                                HealthKey::staff_locked_until,
                                                HealthKey::screen,
                                                HealthKey::catch_up};
std::string_view to_string(HealthKey k);

struct HealthValue {
    std::string value;
    std::int64_t updated_ms = 0;
};

struct AuditEntry {
    std::int64_t at_ms = 0;
    std::string actor;   // "staff", "technician", "kioskctl", ...
    std::string action;  // "pin_ok", "pin_fail", "lockout", "reprint", "verify", ...
    std::string detail;
};

struct StoredCatalog {
    std::string version;
    std::string etag;
    std::string json;
    std::int64_t installed_ms = 0;
};

class Store {
public:
    virtual ~Store() = default;

    // --- submit (the UI, through Submitter) ---
    // Inserts the report as `queued`; returns only after the commit. Throws DuplicateTrackingError.
    virtual void insert_report(const PreparedReport& r) = 0;

    // --- outbox (the sync worker) ---
    // Retry times and leases are on the clock's MONOTONIC milliseconds (Clock::mono_ms), so a
    // wall clock set a day back or forward neither stalls nor bursts the queue; a new report is
    // due at once (next_attempt_ms 0), and after a reboot rebase_after_boot() makes every queued
    // report due (the old boot's monotonic times mean nothing). ReportView::next_attempt_ms is
    // monotonic too.
    // Up to `max` reports to send, oldest first, now `sending` until now + lease_ms: queued ones
    // whose next attempt is due, and sending ones whose lease expired (their worker died).
    // With max_bytes: stops before the upload bodies leased would pass it (but leases at least
    // one), so one batch request stays under the size the kiosk sends.
    virtual std::vector<Outbound> lease_next(int max, std::int64_t lease_ms,
                                             std::size_t max_bytes = SIZE_MAX) = 0;
    // Returns sending reports whose lease expired to `queued`; returns how many.
    virtual int reclaim_stale_leases() = 0;
    // Returns every `sending` report to `queued`, whatever its lease: for the sync worker at
    // start-up, which holds the single-instance lock, so every lease it finds is a dead worker's.
    virtual int release_all_leases() { return reclaim_stale_leases(); }
    // A failed attempt: back to `queued`, to be tried at next_attempt_ms (monotonic). False if
    // the lease was lost (the report is no longer `sending`). The attempts table keeps each
    // report's first and latest attempt only; `attempts` on the report counts them all.
    virtual bool record_attempt(std::int64_t id, std::optional<int> http_status,
                                const std::string& error, std::int64_t next_attempt_ms) = 0;
    virtual bool mark_accepted(std::int64_t id, int http_status, const std::string& national_id,
                               const std::string& tracking_url) = 0;
    virtual bool mark_rejected(std::int64_t id, int http_status, const std::string& reason) = 0;
    virtual bool mark_conflict(std::int64_t id, const std::string& reason) = 0;
    virtual bool mark_held(std::int64_t id, int http_status, const std::string& reason) = 0;

    // Puts a held or rejected report back in the queue, due at once (kioskctl requeue; the
    // caller writes the audit entry). Returns the state the report had (nullopt: no such
    // report); only held and rejected reports change.
    virtual std::optional<OutboxState> requeue_one(std::string_view tracking) = 0;
    // Every report in state `from` (held or rejected) back in the queue; returns how many.
    virtual int requeue_all(OutboxState from) = 0;
    // Called by the sync worker at start-up and every minute with Clock::mono_ms(): when it is
    // below the highest value recorded, the kiosk has rebooted (monotonic time restarts at each
    // boot), so every queued report becomes due; then records it. True when it rebased. (The
    // kernel's boot id is not readable under the unit's ProcSubset=pid.)
    virtual bool rebase_after_boot(std::int64_t mono_now) = 0;

    // Several outcomes in ONE transaction (the sync worker applies the answers that arrived
    // together with one commit instead of one each). Each applies exactly as the single call
    // would; the result says, per outcome, whether the lease was still held.
    struct Outcome {
        enum Kind { accepted, rejected, conflict, failed, held } kind = failed;
        std::int64_t id = 0;
        std::optional<int> http_status;
        std::string national_id;           // accepted
        std::string tracking_url;          // accepted
        std::string error;                 // rejected, conflict, failed, held
        std::int64_t next_attempt_ms = 0;  // failed
    };
    virtual std::vector<bool> record_outcomes(const std::vector<Outcome>& v) {
        std::vector<bool> out;
        for (const auto& o : v) out.push_back(apply_outcome(o));
        return out;
    }

    // --- national status ---
    // Accepted reports whose status is not final, least recently checked first.
    virtual std::vector<std::pair<std::int64_t, std::string>> status_refresh_batch(int max) = 0;
    // Records a status check; adds a history entry when status, agency or public reply changed.
    virtual void update_status(std::int64_t id, const StatusEntry& s) = 0;
    // Records one status refresh in one transaction: every `asked` id counts as checked now
    // (so ids the server left out of its answer go to the back of the next batch), and each
    // `answered` one gets update_status's treatment. Throws StoreError, writing nothing, for an
    // unknown status or an answered id that is not accepted.
    virtual void update_statuses(const std::vector<std::pair<std::int64_t, StatusEntry>>& answered,
                                 const std::vector<std::int64_t>& asked) = 0;

    // --- look-up and counts (staff mode, kioskctl, heartbeat) ---
    virtual std::optional<ReportView> find_by_tracking(std::string_view tracking) = 0;
    virtual std::optional<ReportView> find_by_uuid(std::string_view uuid) = 0;
    virtual QueueCounts counts() = 0;
    // Reports created at or after `unix_s`, whatever their state (the sync worker's usual upload
    // rate, for its catch-up pace after an outage).
    virtual int created_since(std::int64_t unix_s) = 0;
    // Up to `max` reports in state `s`, newest first (staff mode's list of rejected and
    // conflicting reports with their reasons).
    virtual std::vector<ReportView> list_by_state(OutboxState s, int max) = 0;

    // --- device health, audit ---
    virtual void set_health(HealthKey k, const std::string& value) = 0;
    virtual std::map<HealthKey, HealthValue> health() = 0;
    virtual void audit(const std::string& actor, const std::string& action,
                       const std::string& detail) = 0;
    virtual std::vector<AuditEntry> recent_audit(int max) = 0;

    // --- metrics (counts and times only, never citizen data; docs/technician.md, monitoring) ---
    // Adds `delta` to the named counter (created at 0), e.g. "citizen_sessions_started".
    virtual void add_metric(std::string_view name, std::int64_t delta) = 0;
    // Sets a named value, e.g. "ui_first_frame_ms".
    virtual void set_metric(std::string_view name, std::int64_t value) = 0;
    virtual std::map<std::string, std::int64_t> metrics() = 0;
    // Upload attempts ever made, by outcome ("accepted", "rejected", "conflict", "held",
    // "failed"): counters that keep counting after the attempt log is pruned.
    virtual std::map<std::string, std::int64_t> attempts_by_outcome() = 0;

    // --- catalog ---
    // Stores a new catalog version (checked with Catalog::parse first; throws StoreError if bad).
    virtual void install_catalog(const std::string& version, const std::string& etag,
                                 const std::string& json) = 0;
    virtual std::optional<StoredCatalog> current_catalog() = 0;

    // --- retention ---
    // Deletes the upload body (the sealed citizen data) of reports accepted at least
    // `retention_days` ago; returns how many.
    virtual int purge_sealed(double retention_days) = 0;

    virtual std::string integrity_check() = 0;  // "ok" or SQLite's report

    // This connection's durability settings, as SQLite reports them (for doctor and tests).
    struct Settings {
        std::string journal_mode;  // "wal"
        int synchronous = 0;       // 2 = FULL
        bool foreign_keys = false;
    };
    virtual Settings settings() = 0;

protected:
    bool apply_outcome(const Outcome& o) {
        switch (o.kind) {
            case Outcome::accepted:
                return mark_accepted(o.id, o.http_status.value_or(201), o.national_id,
                                     o.tracking_url);
            case Outcome::rejected:
                return mark_rejected(o.id, o.http_status.value_or(400), o.error);
            case Outcome::conflict: return mark_conflict(o.id, o.error);
            case Outcome::failed:
                return record_attempt(o.id, o.http_status, o.error, o.next_attempt_ms);
            case Outcome::held: return mark_held(o.id, o.http_status.value_or(422), o.error);
        }
        return false;
    }
};

inline constexpr int store_schema_version = 6;

enum class OpenMode { create, existing };

// Opens and migrates the database at `path`, creating it unless `mode` is `existing` (for
// commands that only look). Throws StoreTooNewError for a database from a newer program,
// StoreError otherwise. Run as root, it gives the files to the `lapor` user so the services keep
// one owner. `clock` must outlive the store.
std::unique_ptr<Store> open_store(const std::string& path, const Clock& clock,
                                  OpenMode mode = OpenMode::create);

}  // namespace lapor
