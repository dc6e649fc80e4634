#include "i18n.h"
#include "files.h"
#include "languages.h"

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

PoCatalog parse_po_catalog(std::string_view text) {
    PoCatalog out;
    std::string msgid, msgid_plural, msgstr, header;
    std::vector<std::string> forms;
    std::string* current = nullptr;
    bool fuzzy = false, have_id = false, have_str = false, have_plural = false;
    std::size_t entry_line = 0;
    auto at = [](std::size_t line, const std::string& why) {
        return PoError("line " + std::to_string(line) + ": " + why);
    };
    auto flush = [&] {
        if (have_id && msgid.empty() && have_str) header = msgstr;
        if (have_plural && have_id) {
            if (forms.empty()) throw at(entry_line, "msgid_plural without msgstr[0]");
            if (forms.size() != static_cast<std::size_t>(out.rule.nplurals()))
                throw at(entry_line, "\"" + msgid + "\" has " + std::to_string(forms.size()) +
                                         " plural forms, the header's Plural-Forms says " +
                                         std::to_string(out.rule.nplurals()));
            bool complete = true;
            for (const auto& f : forms) complete = complete && !f.empty();
            if (!fuzzy && complete && !msgid.empty()) out.plurals[msgid] = forms;
        } else if (have_id && have_str && !fuzzy && !msgid.empty() && !msgstr.empty()) {
            out.messages[msgid] = msgstr;
        }
        msgid.clear(), msgid_plural.clear(), msgstr.clear(), forms.clear();
        current = nullptr;
        fuzzy = have_id = have_str = have_plural = false;
    };
    // The header entry (msgid "") comes first; its Plural-Forms applies to every entry after it.
    auto take_header = [&](std::size_t line) {
        if (header.empty()) return;
        const auto p = header.find("Plural-Forms:");
        if (p == header.npos) return;
        const auto eol = header.find('\n', p);
        try {
            out.rule = PluralRule::parse(std::string_view(header).substr(p + 13, eol - p - 13));
        } catch (const PluralError& e) {
            throw at(line, e.what());
        }
        header.clear();
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
        const bool starts_entry = line[0] == '#' || line.starts_with("msgid ") || line == "msgid";
        if (starts_entry && (have_str || !forms.empty())) {
            flush();
            take_header(lineno - 1);
        }
        if (line.starts_with("#,")) {
            if (line.find("fuzzy") != line.npos) fuzzy = true;
        } else if (line[0] == '#') {
        } else if (line.starts_with("msgctxt")) {
            throw at(lineno, "msgctxt is not used here");
        } else if (line.starts_with("msgid_plural")) {
            if (!have_id || have_plural || have_str) throw at(lineno, "msgid_plural without msgid");
            msgid_plural = unquote(line.substr(12), lineno);
            current = &msgid_plural;
            have_plural = true;
        } else if (line.starts_with("msgstr[")) {
            if (!have_plural) throw at(lineno, "msgstr[N] without msgid_plural");
            const auto close = line.find(']');
            const std::string index(line.substr(7, close == line.npos ? 0 : close - 7));
            if (close == line.npos || index != std::to_string(forms.size()))
                throw at(lineno, "expected msgstr[" + std::to_string(forms.size()) + "]");
            forms.push_back(unquote(line.substr(close + 1), lineno));
            current = &forms.back();
        } else if (line.starts_with("msgid")) {
            if (have_id) throw at(lineno, "msgid without msgstr");
            msgid = unquote(line.substr(5), lineno);
            current = &msgid;
            have_id = true;
            entry_line = lineno;
        } else if (line.starts_with("msgstr")) {
            if (!have_id || have_str) throw at(lineno, "msgstr without msgid");
            if (have_plural) throw at(lineno, "a plural entry needs msgstr[0], msgstr[1], ...");
            msgstr = unquote(line.substr(6), lineno);
            current = &msgstr;
            have_str = true;
        } else if (line[0] == '"') {
            if (!current) throw at(lineno, "string outside an entry");
            *current += unquote(line, lineno);
        } else {
            throw at(lineno, "unrecognised line");
        }
    }
    if (have_id && !have_str && forms.empty()) throw PoError("end of file: msgid without msgstr");
    flush();
    take_header(lineno);
    return out;
}

std::map<std::string, std::string> parse_po(std::string_view text) {
    return parse_po_catalog(text).messages;
}

Messages Messages::load_dir(const std::string& dir) {
    Messages m;
    for (const auto& f : installed_languages(dir)) {
        const auto text = read_text_file(f.path);
        if (!text) throw PoError("cannot read message catalog " + f.path);
        try {
            m.set(f.code, parse_po_catalog(*text));
        } catch (const PoError& e) {
            throw PoError(f.path + ": " + e.what());
        }
    }
    for (const char* base : {"id", "en"}) {
        if (!m.tables_.count(base))
            throw PoError("cannot read message catalog " + dir + "/" + base + ".po");
    }
    return m;
}

void Messages::set(std::string code, PoCatalog catalog) {
    tables_[std::move(code)] = std::move(catalog);
}

void Messages::set(Language l, std::map<std::string, std::string> table) {
    set(std::string(to_string(l)), PoCatalog{std::move(table), {}, {}});
}

void Messages::set(Language l, PoCatalog catalog) {
    set(std::string(to_string(l)), std::move(catalog));
}

const PoCatalog* Messages::holder(std::string_view code, const std::string& msgid) const {
    for (std::string_view c : {code, std::string_view("id")}) {
        auto t = tables_.find(c);
        if (t != tables_.end() &&
            (t->second.messages.count(msgid) || t->second.plurals.count(msgid)))
            return &t->second;
    }
    return nullptr;
}

const std::string& Messages::tr(std::string_view code, const std::string& msgid) const {
    const PoCatalog* t = holder(code, msgid);
    if (!t) return msgid;
    if (auto it = t->messages.find(msgid); it != t->messages.end()) return it->second;
    return t->plurals.at(msgid)[static_cast<std::size_t>(t->rule.index(2))];
}

const std::string& Messages::tr(Language l, const std::string& msgid) const {
    return tr(to_string(l), msgid);
}

const std::string& Messages::trn(std::string_view code, const std::string& msgid,
                                 unsigned long n) const {
    const PoCatalog* t = holder(code, msgid);
    if (!t) return msgid;
    if (auto it = t->plurals.find(msgid); it != t->plurals.end())
        return it->second[static_cast<std::size_t>(t->rule.index(n))];
    return t->messages.at(msgid);
}

const std::string& Messages::trn(Language l, const std::string& msgid, unsigned long n) const {
    return trn(to_string(l), msgid, n);
}

bool Messages::has(std::string_view code, const std::string& msgid) const {
    auto t = tables_.find(code);
    return t != tables_.end() &&
           (t->second.messages.count(msgid) != 0 || t->second.plurals.count(msgid) != 0);
}

bool Messages::has(Language l, const std::string& msgid) const { return has(to_string(l), msgid); }

std::vector<std::string> Messages::codes() const {
    std::vector<std::string> out;
    for (const auto& [code, table] : tables_) out.push_back(code);
    return out;
}

std::map<std::string, std::string> po_header(std::string_view text) {
    // The header is the first entry; its msgid is empty, so read it with the same line rules.
    std::map<std::string, std::string> out;
    std::string value;
    bool in_header = false, seen_entry = false;
    std::size_t lineno = 0, pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == text.npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineno;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
        if (line.empty() || line[0] == '#') {
            if (in_header) break;
            continue;
        }
        if (!seen_entry) {
            if (!line.starts_with("msgid") || unquote(line.substr(5), lineno) != "") break;
            seen_entry = true;
        } else if (line.starts_with("msgstr") && !in_header) {
            value = unquote(line.substr(6), lineno);
            in_header = true;
        } else if (in_header && line[0] == '"') {
            value += unquote(line, lineno);
        } else {
            break;
        }
    }
    std::size_t start = 0;
    while (start < value.size()) {
        auto nl = value.find('\n', start);
        if (nl == value.npos) nl = value.size();
        const std::string_view field(value.data() + start, nl - start);
        const auto colon = field.find(':');
        if (colon != field.npos) {
            auto v = field.substr(colon + 1);
            while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
            out[std::string(field.substr(0, colon))] = std::string(v);
        }
        start = nl + 1;
    }
    return out;
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
