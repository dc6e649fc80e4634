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

class Messages {
public:
    Messages() = default;
    // Loads <dir>/id.po and <dir>/en.po; throws PoError naming the file.
    static Messages load_dir(const std::string& dir);
    void set(Language l, std::map<std::string, std::string> table);

    // The translation, or the msgid itself when there is none (tests keep that from happening).
    const std::string& tr(Language l, const std::string& msgid) const;
    bool has(Language l, const std::string& msgid) const;

private:
    std::map<std::string, std::string> tables_[2];
};

// Replaces {name} placeholders: format("max {n}", {{"n", "150"}}) -> "max 150".
std::string format(std::string_view pattern,
                   const std::vector<std::pair<std::string, std::string>>& args);

}  // namespace lapor
