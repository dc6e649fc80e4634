// libFuzzer target: the receipt QR link verifier must return a result, never crash or throw.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crypto.h"
#include "receipt.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const lapor::Keyring ring = [] {
        lapor::crypto_init();
        // The golden example's key (docs/receipt.md), so valid-looking inputs reach the signature
        // check.
        // A second, dated key of that kiosk and a second site reach the validity and site rules.
        return lapor::Keyring::parse(
            "JKT-PUSAT-01 JK01 A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg= until=2026-06-01\n"
            "JKT-PUSAT-01 JK01 iKDD0UqyJDp6MBzMJPLIeyyxdB6c8d2wR+xgwwC/8Ck= from=2026-06-01 "
            "base=https://sulsel.lapor.go.id/kiosk\n");
    }();
    const std::string_view url(reinterpret_cast<const char*>(data), size);
    (void)lapor::verify_receipt_url(url, ring, {{"https://lapor.go.id/kiosk"}, false});
    (void)lapor::verify_receipt_url(url, ring, {{"https://lapor.go.id/kiosk"}, true});
    return 0;
}
