#include "languages.h"

#include <algorithm>
#include <filesystem>

#include "config.h"
#include "files.h"
#include "i18n.h"

namespace lapor {

bool valid_language_code(std::string_view code) {
    return (code.size() == 2 || code.size() == 3) &&
           std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::vector<LanguageFile> installed_languages(const std::string& dir) {
    namespace fs = std::filesystem;
    std::vector<LanguageFile> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const auto p = e.path();
        if (p.extension() != ".po" || !valid_language_code(p.stem().string())) continue;
        LanguageFile f;
        f.code = p.stem().string();
        f.path = p.string();
        const auto text = read_text_file(f.path);
        if (!text) throw PoError("cannot read message catalog " + f.path);
        std::map<std::string, std::string> h;
        try {
            h = po_header(*text);
        } catch (const PoError& err) {
            throw PoError(f.path + ": " + err.what());
        }
        if (h["Language"] != f.code)
            throw PoError(f.path + ": its header says \"Language: " + h["Language"] +
                          "\" but the file is named " + f.code +
                          ".po: the file name is the language code, so make them the same");
        f.name = h["X-Language-Name"];
        if (f.name.empty())
            throw PoError(f.path +
                          ": its header has no X-Language-Name: add the language's name in "
                          "itself, e.g. \"X-Language-Name: Basa Jawa\\n\"");
        f.review = h["X-Review-Status"];
        f.draft = f.review.starts_with("draft");
        out.push_back(std::move(f));
    }
    if (ec) throw PoError("cannot list the message catalogs in " + dir + ": " + ec.message());
    std::sort(out.begin(), out.end(),
              [](const LanguageFile& a, const LanguageFile& b) { return a.code < b.code; });
    return out;
}

std::vector<LanguageFile> offered_languages(const std::vector<LanguageFile>& installed,
                                            const std::vector<std::string>& wanted,
                                            const std::string& config_source,
                                            const std::string& dir) {
    std::vector<LanguageFile> out;
    for (const auto& code : wanted) {
        auto it = std::find_if(installed.begin(), installed.end(),
                               [&](const LanguageFile& f) { return f.code == code; });
        if (it == installed.end()) {
            std::string have;
            for (const auto& f : installed) have += (have.empty() ? "" : ", ") + f.code;
            throw ConfigError(
                config_source + ": ui.languages lists \"" + code + "\" but there is no " + code +
                ".po in " + dir + " (installed: " + have +
                "): add the file (docs/ui.md, adding a language) or remove \"" + code + "\"");
        }
        out.push_back(*it);
    }
    return out;
}

}  // namespace lapor
