// Message catalogs: standard gettext .po files (po/<code>.po, languages.h) read at run time, so
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
    void set(std::string code, PoCatalog catalog);
    void set(Language l, std::map<std::string, std::string> table);
    void set(Language l, PoCatalog catalog);

    // The translation; a language that lacks one (a draft) falls back to Indonesian, the kiosk's
    // base language; the msgid itself when even that is missing (tests keep that from happening).
    // For a plural entry this is the form for "many" (n = 2): call trn() where a count is known.
    const std::string& tr(std::string_view code, const std::string& msgid) const;
    const std::string& tr(Language l, const std::string& msgid) const;
    // The plural form for n chosen by the language's Plural-Forms rule; a plain entry or the
    // msgid itself when the id has no plural entry.
    const std::string& trn(std::string_view code, const std::string& msgid, unsigned long n) const;
    const std::string& trn(Language l, const std::string& msgid, unsigned long n) const;
    bool has(std::string_view code, const std::string& msgid) const;
    bool has(Language l, const std::string& msgid) const;
    std::vector<std::string> codes() const;

private:
    // The catalog that has `msgid` for `code`, else Indonesian's, else nullptr.
    const PoCatalog* holder(std::string_view code, const std::string& msgid) const;
    std::map<std::string, PoCatalog, std::less<>> tables_;
};

// Replaces {name} placeholders: format("max {n}", {{"n", "150"}}) -> "max 150".
std::string format(std::string_view pattern,
                   const std::vector<std::pair<std::string, std::string>>& args);

}  // namespace lapor
