// What a receipt says, as a document for the encoder. Texts come from the core's message
// catalogs in the report's language; times are in the office's time zone. Nothing the citizen
// typed is printed: only the classification, agency, category, privacy choice, tracking code and
// the signed QR link.
#pragma once
#include <cstdint>
#include <string>

#include "escpos.h"
#include "i18n.h"
#include "print_service.h"
#include "report.h"

namespace lapor::printer {

struct ReceiptContext {
    std::string office;  // [kiosk] office
    TimeZone time_zone;  // Config::time_zone()
    const Messages* messages = nullptr;
};

// "29/11/2026 14.05 WIB" (id) or "29/11/2026 14:05 WIB" (en).
std::string format_local_time(std::int64_t unix_s, const TimeZone& tz, Language lang);

Document receipt_document(const ReceiptJob& job, const ReceiptContext& ctx);

// The staff test page: profile, transport, the character set with transliterations, a ruler,
// a test QR code. `status` is the printer state read before printing, as words.
Document test_page_document(const Profile& profile, const std::string& transport,
                            const ReceiptContext& ctx, std::int64_t now_unix,
                            const std::string& status);

}  // namespace lapor::printer
