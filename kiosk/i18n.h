// Message catalogs: standard gettext .po files (po/id.po, po/en.po) read at run time, so
// validation messages, receipt text and UI text share one mechanism. Message ids are stable keys
// ("title.too_long") marked in the sources with N_() and extracted by xgettext in the tests.
#pragma once
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "report.h"

namespace lapor {

struct PoError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Parses .po text into msgid -> msgstr. Untranslated (empty msgstr) and fuzzy entries are left
// out, as gettext does. Throws PoError with the line number on malformed input.
std::map<std::string, std::string> parse_po(std::string_view text);

// The header entry (msgid "") of a .po file as field -> value ("Language" -> "jv"); empty when
// the file has none. Throws PoError like parse_po.
std::map<std::string, std::string> po_header(std::string_view text);

// The translations of every installed language, by language code ("id", "en", "jv").
class Messages {
public:
    Messages() = default;
    // Loads every <dir>/<code>.po (languages.h says which files count); id.po and en.po must be
    // among them. Throws PoError naming the file.
    static Messages load_dir(const std::string& dir);
    void set(std::string code, std::map<std::string, std::string> table);
    void set(Language l, std::map<std::string, std::string> table);

    // The translation; a language that lacks one (a draft) falls back to Indonesian, the kiosk's
    // base language; the msgid itself when even that is missing (tests keep that from happening).
    const std::string& tr(std::string_view code, const std::string& msgid) const;
    const std::string& tr(Language l, const std::string& msgid) const;
    bool has(std::string_view code, const std::string& msgid) const;
    bool has(Language l, const std::string& msgid) const;
    std::vector<std::string> codes() const;

private:
    std::map<std::string, std::map<std::string, std::string>, std::less<>> tables_;
};

// Replaces {name} placeholders: format("max {n}", {{"n", "150"}}) -> "max 150".
std::string format(std::string_view pattern,
                   const std::vector<std::pair<std::string, std::string>>& args);

}  // namespace lapor
