// The citizen's status check at the kiosk ("Cek status laporan"): a receipt's QR link (a USB
// scanner types it) or its tracking code (typed on the code pad) in, what the kiosk's store knows
// out. It reads only the store, so it works offline; it says how fresh the national status is;
// it returns only the report's metadata and the agency's public reply, never what the citizen
// typed (the store keeps that sealed). A code from another kiosk gets the link to check it at
// the national site instead. No drawing, no translation: stages and verdicts are message ids.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "receipt.h"
#include "store.h"

namespace lapor {

enum class StatusVerdict {
    found,        // a report of this kiosk: the answer below
    incomplete,   // fewer than 13 code characters
    bad_check,    // 13 characters whose check character does not match (a typo)
    malformed,    // neither a receipt link nor a tracking code
    not_genuine,  // a receipt link of this kiosk whose signature does not hold
    other_kiosk,  // another kiosk's code: check it at the national site (verify_url)
    not_found     // this kiosk's prefix, but not in its store (e.g. from before a re-flash)
};
std::string_view to_string(StatusVerdict v);
// The sentence a citizen reads for the verdict (a message id; found has none).
const char* verdict_msgid(StatusVerdict v);

// One step of the report's way, oldest first.
struct StatusStage {
    const char* msgid;                    // e.g. "status.stage.saved"
    std::optional<std::int64_t> at_unix;  // when it was reached, if known
    bool reached = false;
    bool current = false;  // the latest reached stage
};

struct StatusAnswer {
    StatusVerdict verdict = StatusVerdict::malformed;
    std::string tracking;    // formatted, when one could be read
    std::string verify_url;  // other_kiosk / not_found: where to check it (a QR on screen)
    // found:
    OutboxState state = OutboxState::queued;
    std::string national_id;   // the national tracking id, once accepted
    std::string agency;        // the agency the national system names ("" until it does)
    std::string agency_id;     // the catalog agency chosen at the kiosk
    std::string status;        // the current national status ("" before acceptance)
    std::string public_reply;  // the agency's published answer, if any
    std::optional<std::int64_t> updated_unix;  // the national system's last change
    std::optional<std::int64_t> checked_ms;    // when this kiosk last asked (unix ms)
    std::vector<StatusStage> stages;
    // Why the kiosk has not sent it yet (held, rejected, conflict): a message id, or null.
    const char* problem_msgid = nullptr;
};

// What the code pad shows while a code is typed: the code grouped as on the receipt, and whether
// its check character holds once all 13 characters are in.
struct CodeProgress {
    std::string grouped;  // "JK01-7K3M-9"
    std::size_t chars = 0;
    bool complete = false;      // 13 characters
    bool check_ok = false;      // complete and the check character matches
    bool other_prefix = false;  // the first 4 characters are not this kiosk's prefix
};

struct StatusCheckSettings {
    std::string kiosk_id;
    std::string code_prefix;
    std::string verify_base;  // the config's receipt.verify_base
};

class StatusCheck {
public:
    StatusCheck(StatusCheckSettings settings, Store* store, const Keyring& keyring);

    // A scanned link or a typed code (any case, dashes and spaces optional). Store errors throw
    // StoreError (the screen says the kiosk cannot read its records now).
    StatusAnswer check(std::string_view input) const;
    CodeProgress progress(std::string_view typed) const;

private:
    StatusCheckSettings settings_;
    Store* store_;
    const Keyring& keyring_;
};

// The characters the code pad offers (Crockford's alphabet) and the normalisation of what was
// typed: upper case, Crockford's aliases (O -> 0, I and L -> 1), separators dropped, anything
// else refused (empty result). At most 13 characters are kept.
std::string code_characters(std::string_view typed);

}  // namespace lapor
