#include "i18n.h"
#include "files.h"

namespace lapor {
namespace {

// Decodes a C-style quoted string starting at the first '"' in `line`.
std::string unquote(std::string_view line, std::size_t lineno) {
    auto bad = [&](const char* why) {
        return PoError("line " + std::to_string(lineno) + ": " + why);
    };
    const auto open = line.find('"');
    const auto close = line.rfind('"');
    if (open == line.npos || close == open) throw bad("expected a quoted string");
    for (char c : line.substr(close + 1)) {
        if (c != ' ' && c != '\t' && c != '\r') throw bad("text after the closing quote");
    }
    std::string out;
    for (std::size_t i = open + 1; i < close; ++i) {
        char c = line[i];
        if (c == '"') throw bad("unescaped quote inside a string");
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i >= close) throw bad("backslash at the end of a string");
        switch (line[i]) {
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            default: throw bad("unknown escape sequence");
        }
    }
    return out;
}

}  // namespace

std::map<std::string, std::string> parse_po(std::string_view text) {
    std::map<std::string, std::string> out;
    std::string msgid, msgstr;
    std::string* current = nullptr;
    bool fuzzy = false, have_id = false, have_str = false;
    auto flush = [&] {
        if (have_id && have_str && !fuzzy && !msgid.empty() && !msgstr.empty()) out[msgid] = msgstr;
        msgid.clear(), msgstr.clear();
        current = nullptr;
        fuzzy = have_id = have_str = false;
    };
    std::size_t lineno = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto end = text.find('\n', pos);
        if (end == text.npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineno;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
        if (line.empty()) continue;
        if (line.starts_with("#,")) {
            if (have_str) flush();
            if (line.find("fuzzy") != line.npos) fuzzy = true;
        } else if (line[0] == '#') {
            if (have_str) flush();
        } else if (line.starts_with("msgctxt")) {
            throw PoError("line " + std::to_string(lineno) + ": msgctxt is not used here");
        } else if (line.starts_with("msgid_plural") || line.starts_with("msgstr[")) {
            throw PoError("line " + std::to_string(lineno) + ": plural forms are not used here");
        } else if (line.starts_with("msgid")) {
            if (have_str) flush();
            if (have_id) throw PoError("line " + std::to_string(lineno) + ": msgid without msgstr");
            msgid = unquote(line.substr(5), lineno);
            current = &msgid;
            have_id = true;
        } else if (line.starts_with("msgstr")) {
            if (!have_id || have_str)
                throw PoError("line " + std::to_string(lineno) + ": msgstr without msgid");
            msgstr = unquote(line.substr(6), lineno);
            current = &msgstr;
            have_str = true;
        } else if (line[0] == '"') {
            if (!current)
                throw PoError("line " + std::to_string(lineno) + ": string outside an entry");
            *current += unquote(line, lineno);
        } else {
            throw PoError("line " + std::to_string(lineno) + ": unrecognised line");
        }
    }
    if (have_id && !have_str) throw PoError("end of file: msgid without msgstr");
    flush();
    return out;
}

Messages Messages::load_dir(const std::string& dir) {
    Messages m;
    for (Language l : {Language::id, Language::en}) {
        const std::string path = dir + "/" + std::string(to_string(l)) + ".po";
        const auto text = read_text_file(path);
        if (!text) throw PoError("cannot read message catalog " + path);
        try {
            m.set(l, parse_po(*text));
        } catch (const PoError& e) {
            throw PoError(path + ": " + e.what());
        }
    }
    return m;
}

void Messages::set(Language l, std::map<std::string, std::string> table) {
    tables_[static_cast<int>(l)] = std::move(table);
}

const std::string& Messages::tr(Language l, const std::string& msgid) const {
    const auto& t = tables_[static_cast<int>(l)];
    auto it = t.find(msgid);
    return it == t.end() ? msgid : it->second;
}

bool Messages::has(Language l, const std::string& msgid) const {
    return tables_[static_cast<int>(l)].count(msgid) != 0;
}

std::string format(std::string_view pattern,
                   const std::vector<std::pair<std::string, std::string>>& args) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{') {
            const auto close = pattern.find('}', i);
            if (close != pattern.npos) {
                const auto key = pattern.substr(i + 1, close - i - 1);
                bool done = false;
                for (const auto& [k, v] : args) {
                    if (k == key) {
                        out += v;
                        done = true;
                        break;
                    }
                }
                if (done) {
                    i = close;
                    continue;
                }
            }
        }
        out += pattern[i];
    }
    return out;
}

}  // namespace lapor
