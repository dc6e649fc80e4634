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

#include "keyring.h"
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

// The verdicts, in the order they are checked (docs/receipt.md, "Verification rules").
enum class VerifyResult {
    genuine,
    malformed,       // not a receipt link
    wrong_site,      // not https, or not under a known verify base
    bad_check,       // the tracking code's check character
    unknown_kiosk,   // no key of that kiosk in the keyring
    kiosk_mismatch,  // the code's prefix is not the kiosk's
    key_not_valid,   // signed by the kiosk's key, but dated outside that key's validity
    bad_signature
};
std::string_view to_string(VerifyResult r);

// Receipt links longer than this are refused (a scanner's link with extra parameters fits).
constexpr std::size_t max_receipt_link = 4096;

struct VerifyOptions {
    // The verifier's own verify bases (the config's receipt.verify_base), besides those the
    // keyring's entries carry. A link under none of them is `wrong_site`.
    std::vector<std::string> verify_bases;
    // The keyring is one kiosk's key(s): a receipt naming any other kiosk is a mismatch rather
    // than an unknown kiosk.
    bool single_key = false;
};

struct Verification {
    VerifyResult result = VerifyResult::malformed;
    std::optional<ReceiptFields> fields;  // when the URL could be read
    std::string verify_base;              // the known base the link is under, when it is
    const KeyringEntry* key = nullptr;    // the entry whose key signed it (genuine, key_not_valid)
    std::string detail;                   // one sentence for a person
};

// Never throws, whatever the input. Tolerates whitespace around the link and a #fragment (both
// come from scanners).
Verification verify_receipt_url(std::string_view url, const Keyring& keyring,
                                const VerifyOptions& options);

}  // namespace lapor
