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

#include "plural.h"
#include "report.h"

namespace lapor {

struct PoError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One parsed .po file: plain entries, plural entries (msgid -> msgstr[0..nplurals-1]) and the
// header's Plural-Forms rule (English-like when the header has none).
struct PoCatalog {
    std::map<std::string, std::string> messages;
    std::map<std::string, std::vector<std::string>> plurals;
    PluralRule rule;
};

// Parses .po text. Untranslated (empty msgstr) and fuzzy entries are left out, as gettext does;
// a plural entry with any empty form counts as untranslated. Throws PoError with the line number
// on malformed input, and when a plural entry's forms do not match the header's nplurals.
PoCatalog parse_po_catalog(std::string_view text);
// The plain entries only (msgid -> msgstr).
std::map<std::string, std::string> parse_po(std::string_view text);

class Messages {
public:
    Messages() = default;
    // Loads <dir>/id.po and <dir>/en.po; throws PoError naming the file.
    static Messages load_dir(const std::string& dir);
    void set(Language l, std::map<std::string, std::string> table);
    void set(Language l, PoCatalog catalog);

    // The translation, or the msgid itself when there is none (tests keep that from happening).
    // For a plural entry this is the form for "many" (n = 2): call trn() where a count is known.
    const std::string& tr(Language l, const std::string& msgid) const;
    // The plural form for n chosen by the language's Plural-Forms rule; a plain entry or the
    // msgid itself when the id has no plural entry.
    const std::string& trn(Language l, const std::string& msgid, unsigned long n) const;
    bool has(Language l, const std::string& msgid) const;

private:
    PoCatalog tables_[2];
};

// Replaces {name} placeholders: format("max {n}", {{"n", "150"}}) -> "max 150".
std::string format(std::string_view pattern,
                   const std::vector<std::pair<std::string, std::string>>& args);

}  // namespace lapor
