// Languages are files: every <code>.po in the message catalog folder is a language the kiosk can
// offer. Its header names the language in itself (X-Language-Name) and may mark the translation
// as a draft awaiting review (X-Review-Status: draft ...). kiosk.toml's [ui] languages picks
// which installed languages are offered and in what order (docs/ui.md, adding a language).
#pragma once
#include <string>
#include <vector>

namespace lapor {

struct LanguageFile {
    std::string code;  // the file name without .po, and its header's Language field
    std::string name;  // in the language itself: "Bahasa Indonesia", "Basa Jawa"
    std::string path;
    bool draft = false;  // X-Review-Status starts with "draft"
    std::string review;  // the X-Review-Status text, for staff and technicians
};

// True for the codes a file may be named by: 2 or 3 lowercase ASCII letters (ISO 639).
bool valid_language_code(std::string_view code);

// The <code>.po files in `dir`, sorted by code. Throws PoError naming the file when a header
// lacks its Language or X-Language-Name field or names another language than the file name.
// Files named otherwise (backups, templates) are not languages and are left alone.
std::vector<LanguageFile> installed_languages(const std::string& dir);

// The languages to offer, in the order `wanted` lists them (the config's [ui] languages).
// Throws ConfigError naming `config_source`, the key and the installed codes when one is missing.
std::vector<LanguageFile> offered_languages(const std::vector<LanguageFile>& installed,
                                            const std::vector<std::string>& wanted,
                                            const std::string& config_source,
                                            const std::string& dir);

}  // namespace lapor
