// The lab's own SQLite store: enrollment codes, enrolled kiosks and their tokens, received
// reports with the answer first given (replayed on a retry), national status, heartbeats.
// One connection guarded by a mutex (the server's threads share it); CLI commands open the same
// file from another process (WAL, busy timeout).
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "lab_request.h"
#include "receipt.h"

struct sqlite3;

namespace lapor::lab {

struct LabReport {
    std::int64_t number = 0;
    std::string id;  // LAB-0000001
    std::string uuid;
    std::string kiosk_id;
    std::string tracking;
    std::string status;
    std::string agency;        // empty until dispositioned
    std::string public_reply;  // the agency's reply to the citizen (lapor-lab advance --reply)
    std::int64_t updated_unix = 0;
    std::int64_t received_ms = 0;
    std::string body;  // as received, byte for byte
};

struct IntakeResult {
    int status = 201;  // 201 created, 200 replay, 409 conflict
    std::string answer;
};

class LabDb {
public:
    explicit LabDb(const std::string& path);
    ~LabDb();
    LabDb(const LabDb&) = delete;
    LabDb& operator=(const LabDb&) = delete;

    // A new one-time code for the kiosk, valid for ttl_s; formatted XXXX-XXXX-XXXX.
    std::string issue_code(const std::string& kiosk_id, double ttl_s, std::int64_t now_ms);
    // The token (returned once; the database keeps only its hash) or why not. Idempotent for the
    // device key that first used the code, within the code's life (docs/api.md).
    std::variant<std::string, ApiError> enroll(const EnrollRequest& r, std::int64_t now_ms);
    std::optional<std::string> kiosk_for_token(const std::string& token);
    // The device public keys enrolled for a kiosk (newest first; a re-flashed kiosk has several):
    // receipt signatures are checked against these, never against a key in the request.
    std::vector<std::string> enrolled_keys(const std::string& kiosk_id);
    bool revoke(const std::string& kiosk_id);  // the kiosk's token stops working

    // A report received (first time 201 with a new id; the same uuid and bytes again 200 with
    // the first answer; the same uuid with other bytes 409).
    IntakeResult intake(const ReportRequest& r, const std::string& body,
                        const std::string& public_url, std::int64_t now_ms);
    // Several reports with intake's rules, each in turn, in one transaction (one commit for a
    // batch upload); the results in the items' order.
    struct IntakeItem {
        const ReportRequest* request;
        const std::string* body;  // as received, byte for byte
    };
    std::vector<IntakeResult> intake_many(const std::vector<IntakeItem>& items,
                                          const std::string& public_url, std::int64_t now_ms);
    std::vector<LabReport> find_many(const std::vector<std::string>& ids,
                                     const std::string& kiosk_id);
    std::optional<LabReport> find(const std::string& id_or_tracking);
    // Moves one report (or, with an empty id, every non-final one) a stage on, and sets the
    // public reply when `reply` is given (also on a final report); returns how many changed.
    int advance(const std::string& id, std::int64_t now_ms,
                const std::optional<std::string>& reply = std::nullopt);
    // Moves on every non-final report whose status is older than every_ms.
    int advance_due(std::int64_t every_ms, std::int64_t now_ms);
    void heartbeat(const std::string& kiosk_id, const std::string& json, std::int64_t now_ms);
    std::optional<std::string> last_heartbeat(const std::string& kiosk_id);

    Keyring keyring();
    std::int64_t report_count();
    std::vector<LabReport> all_reports();

private:
    template <class F>
    auto txn(F&& f);
    sqlite3* db_ = nullptr;
    std::mutex mu_;
};

// The stage after `status` (received -> verified -> dispositioned -> in_progress -> done), or
// empty when it is final.
std::string next_status(const std::string& status);

// Lower-case hex SHA-256 of `s` (token hashes, body digests; the lab server uses it too).
std::string sha256_hex(const std::string& s);

}  // namespace lapor::lab
