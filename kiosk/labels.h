// Message ids for the words the UI and the receipt show for the domain's values. Translations are
// in po/*.po; look them up with Messages::tr.
#pragma once
#include "flow.h"
#include "report.h"

namespace lapor::labels {

const char* name(Classification c);         // "Pengaduan" / "Complaint"
const char* explanation(Classification c);  // one plain line for the tile
const char* receipt_title(Classification c);
const char* name(Privacy p);
const char* explanation(Privacy p);
const char* name(Language l);  // in its own language: "Bahasa Indonesia", "English"
const char* title(Screen s);

// The UU PDP notice on the consent screen: what, why, who reads it, how long.
inline constexpr const char* consent_what = "consent.what";
inline constexpr const char* consent_why = "consent.why";
inline constexpr const char* consent_who = "consent.who";
inline constexpr const char* consent_how_long = "consent.how_long";

// Receipt text.
inline constexpr const char* receipt_tracking = "receipt.tracking_code";
inline constexpr const char* receipt_copy = "receipt.copy";
inline constexpr const char* receipt_follow_up = "receipt.follow_up";
inline constexpr const char* receipt_kiosk = "receipt.kiosk";

}  // namespace lapor::labels
