// Message ids for the words the UI and the receipt show for the domain's values. Translations are
// in po/*.po; look them up with Messages::tr.
#pragma once
#include "flow.h"
#include "i18n_marker.h"
#include "report.h"

namespace lapor::labels {

const char* name(Classification c);         // "Pengaduan" / "Complaint"
const char* explanation(Classification c);  // one plain line for the tile
const char* receipt_title(Classification c);
const char* name(Privacy p);
const char* explanation(Privacy p);
const char* title(Screen s);

// The UU PDP notice on the consent screen: what, why, who reads it, how long.
inline constexpr const char* consent_what = N_("consent.what");
inline constexpr const char* consent_why = N_("consent.why");
inline constexpr const char* consent_who = N_("consent.who");
inline constexpr const char* consent_how_long = N_("consent.how_long");

// Receipt text.
inline constexpr const char* receipt_tracking = N_("receipt.tracking_code");
inline constexpr const char* receipt_copy = N_("receipt.copy");
inline constexpr const char* receipt_follow_up = N_("receipt.follow_up");
inline constexpr const char* receipt_kiosk = N_("receipt.kiosk");

}  // namespace lapor::labels
