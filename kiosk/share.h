// Where the read-only data files live: po/ (message catalogs) and data/ (default agency catalog).
// $LAPOR_KIOSK_SHARE overrides the built-in folder (the source tree in development builds,
// /usr/share/lapor-kiosk in the package).
#pragma once
#include <string>

namespace lapor {
std::string share_dir();
inline std::string po_dir() { return share_dir() + "/po"; }
inline std::string default_catalog_path() { return share_dir() + "/data/catalog.json"; }
}  // namespace lapor
