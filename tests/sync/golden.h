// The golden examples of docs/api.md: request and answer blocks, `{{name}}` placeholders.
#pragma once
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace lapor::test {

struct GoldenMessage {
    std::string first_line;  // "POST /v1/enroll" or "201"
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};
struct GoldenExample {
    GoldenMessage request, response;
};

inline GoldenMessage parse_golden_message(const std::string& block) {
    GoldenMessage m;
    std::size_t pos = 0;
    auto line = [&]() {
        const auto nl = block.find('\n', pos);
        std::string l = block.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? block.size() : nl + 1;
        return l;
    };
    m.first_line = line();
    while (pos < block.size()) {
        const std::string l = line();
        if (l.empty()) break;
        const auto colon = l.find(": ");
        m.headers.emplace_back(l.substr(0, colon), l.substr(colon + 2));
    }
    m.body = block.substr(pos);
    while (!m.body.empty() && m.body.back() == '\n') m.body.pop_back();
    return m;
}

inline std::vector<GoldenExample> golden_examples(const std::string& doc) {
    std::vector<GoldenExample> out;
    const std::string req = "```http request\n", res = "```http response\n", end = "\n```";
    std::size_t pos = 0;
    while ((pos = doc.find(req, pos)) != std::string::npos) {
        const auto req_end = doc.find(end, pos + req.size());
        const auto res_at = doc.find(res, req_end);
        const auto res_end = doc.find(end, res_at + res.size());
        GoldenExample e;
        e.request = parse_golden_message(doc.substr(pos + req.size(), req_end - pos - req.size()));
        e.response =
            parse_golden_message(doc.substr(res_at + res.size(), res_end - res_at - res.size()));
        out.push_back(std::move(e));
        pos = res_end;
    }
    return out;
}

// Fills `{{name}}` from vars (unknown names stay).
inline std::string fill(std::string s, const std::map<std::string, std::string>& vars) {
    for (const auto& [k, v] : vars) {
        const std::string key = "{{" + k + "}}";
        for (std::size_t at; (at = s.find(key)) != std::string::npos;) s.replace(at, key.size(), v);
    }
    return s;
}

// Does `actual` match the pattern `expected`? Strings "{{name}}" match anything and bind name
// (a bound name must match its value again); "{{_}}" matches anything.
inline bool json_matches(const nlohmann::json& expected, const nlohmann::json& actual,
                         std::map<std::string, std::string>& vars, std::string& why,
                         const std::string& where = "$") {
    if (expected.is_string()) {
        const auto s = expected.get<std::string>();
        if (s.size() > 4 && s.rfind("{{", 0) == 0 && s.substr(s.size() - 2) == "}}") {
            const auto name = s.substr(2, s.size() - 4);
            const std::string value =
                actual.is_string() ? actual.get<std::string>() : actual.dump();
            if (name == "_") return true;
            const auto it = vars.find(name);
            if (it == vars.end()) {
                vars[name] = value;
                return true;
            }
            if (it->second == value) return true;
            why =
                where + ": " + value + " is not the " + name + " seen before (" + it->second + ")";
            return false;
        }
    }
    if (expected.is_object()) {
        if (!actual.is_object() || actual.size() != expected.size()) {
            why = where + ": expected " + expected.dump() + ", got " + actual.dump();
            return false;
        }
        for (const auto& [k, v] : expected.items()) {
            if (!actual.contains(k)) {
                why = where + "." + k + " is missing";
                return false;
            }
            if (!json_matches(v, actual[k], vars, why, where + "." + k)) return false;
        }
        return true;
    }
    if (expected.is_array()) {
        if (!actual.is_array() || actual.size() != expected.size()) {
            why = where + ": expected " + expected.dump() + ", got " + actual.dump();
            return false;
        }
        for (std::size_t i = 0; i < expected.size(); ++i)
            if (!json_matches(expected[i], actual[i], vars, why,
                              where + "[" + std::to_string(i) + "]"))
                return false;
        return true;
    }
    if (expected != actual) {
        why = where + ": expected " + expected.dump() + ", got " + actual.dump();
        return false;
    }
    return true;
}

}  // namespace lapor::test
