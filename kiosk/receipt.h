// Signed receipts. The kiosk signs a canonical, versioned string of tracking code, kiosk id,
// creation time and classification with its Ed25519 device key; the QR code carries that data and
// the signature as a URL, never citizen content. Format, keyring and golden example:
// docs/receipt.md.
#pragma once
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "report.h"

namespace lapor {

struct ReceiptFields {
    std::string tracking;  // formatted, e.g. JK01-7K3M-9QX2-W
    std::string kiosk_id;
    std::int64_t created_unix = 0;
    Classification classification = Classification::complaint;
};

// Kiosk ids appear bare in the URL and the canonical string: 1-32 of A-Z a-z 0-9 '-' '_' '.'.
bool valid_kiosk_id(std::string_view id);

std::string canonical_receipt_string(const ReceiptFields& f);
// Returns the base64url (unpadded) Ed25519 signature of the canonical string.
std::string sign_receipt(const ReceiptFields& f, std::string_view device_secret_key);
// <verify_base>/r/<tracking>?k=<kiosk>&t=<unix>&c=<class>&s=<sig>
std::string receipt_url(std::string_view verify_base, const ReceiptFields& f,
                        std::string_view signature_b64url);

struct KeyringEntry {
    std::string kiosk_id;
    std::string code_prefix;
    std::string public_key;  // 32 bytes
};

struct KeyringError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Lines of `<kiosk_id> <code_prefix> <base64 Ed25519 public key>`; '#' comments, blank lines.
// A kiosk's own `identity/device.pub` is a one-line keyring.
class Keyring {
public:
    static Keyring parse(std::string_view text);  // throws KeyringError with the line number
    static Keyring load_file(const std::string& path);
    void add(KeyringEntry e) { entries_.push_back(std::move(e)); }
    const KeyringEntry* find(std::string_view kiosk_id) const;
    const std::vector<KeyringEntry>& entries() const { return entries_; }

private:
    std::vector<KeyringEntry> entries_;
};

std::string keyring_line(const KeyringEntry& e);

enum class VerifyResult {
    genuine,
    malformed,
    bad_check,
    kiosk_mismatch,
    unknown_kiosk,
    bad_signature
};
std::string_view to_string(VerifyResult r);

struct Verification {
    VerifyResult result = VerifyResult::malformed;
    std::optional<ReceiptFields> fields;  // when the URL could be read
    std::string detail;                   // one sentence for a person
};

// Never throws, whatever the input. With `single_key`, the keyring is one kiosk's public key
// and a receipt naming any other kiosk is a mismatch rather than an unknown kiosk.
Verification verify_receipt_url(std::string_view url, const Keyring& keyring,
                                bool single_key = false);

}  // namespace lapor
