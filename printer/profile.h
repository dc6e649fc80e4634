// Printer profiles: what a model can do, as data (kiosk/data/printer_profiles.json, found through
// share_dir()). The config's [printer] profile names one. Format: docs/printing.md.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lapor::printer {

struct ProfileError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class CutKind { none, partial, full };
enum class QrMode { raster, native };  // native = GS ( k, only when the symbol fits

struct CodePageEntry {
    std::string page;  // "cp437", "cp850", "cp858", "cp1252"
    int esc_t = 0;     // the model's number for it in ESC t n
};

struct Profile {
    std::string name;
    std::string description;
    int dots = 576;                         // printable width in dots (203 dpi)
    int columns = 48;                       // font A characters per line
    std::vector<CodePageEntry> code_pages;  // the first is used for text
    CutKind cut = CutKind::partial;
    int feed_before_cut = 4;  // lines fed before cutting, so the text clears the cutter
    QrMode qr = QrMode::raster;
    int native_qr_max_bytes = 0;  // largest GS ( k store payload the model takes (0: none)
    bool status = true;           // answers DLE EOT 1/2/4 and GS r 1
    int raster_max_rows = 255;    // rows per GS v 0 strip
};

// Parses the profile file (JSON). Throws ProfileError naming the profile and field.
std::vector<Profile> parse_profiles(std::string_view json_text);
// share_dir() + "/data/printer_profiles.json"
std::string default_profiles_path();
std::vector<Profile> load_profiles(const std::string& path);
// The named profile from the default file; throws ProfileError listing the known names.
Profile find_profile(const std::vector<Profile>& all, std::string_view name);
Profile load_profile(std::string_view name);

}  // namespace lapor::printer
