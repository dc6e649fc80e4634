#include "api.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <ctime>
#include <map>

#include "store.h"
#include "utf8.h"

namespace lapor::sync {
namespace {

using nlohmann::json;

std::optional<json> parse_object(std::string_view body) {
    json j = json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    return j;
}

std::optional<std::string> str(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

bool plain_id(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (c <= ' ' || c > '~') return false;
    return true;
}

constexpr double max_retry_after_s = 86400;

}  // namespace

std::string status_path(const std::vector<std::string>& national_ids) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out = "/v1/reports/status?ids=";
    for (std::size_t i = 0; i < national_ids.size(); ++i) {
        if (i > 0) out += ',';
        for (const char ch : national_ids[i]) {
            const auto c = static_cast<unsigned char>(ch);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~') {
                out += static_cast<char>(c);
            } else {
                out += '%';
                out += hex[c >> 4];
                out += hex[c & 15];
            }
        }
    }
    return out;
}

std::string printable(std::string_view s, std::size_t max) {
    std::string out;
    for (char c : s) {
        if (out.size() >= max) {
            out += "...";
            break;
        }
        out += (c >= ' ' && c <= '~') ? c : (c == '\n' || c == '\t' ? ' ' : '?');
    }
    return out;
}

std::optional<double> parse_retry_after(std::string_view v, std::int64_t now_unix) {
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    if (v.empty() || v.size() > 64) return std::nullopt;
    bool digits = true;
    for (char c : v) digits = digits && c >= '0' && c <= '9';
    if (digits) {
        double s = 0;
        for (char c : v) s = std::min(s * 10 + (c - '0'), max_retry_after_s);
        return s;
    }
    // IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
    std::tm tm{};
    const std::string text(v);
    const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!end || *end != '\0') return std::nullopt;
    const std::int64_t at = ::timegm(&tm);
    if (at == -1) return std::nullopt;
    const double d = static_cast<double>(at - now_unix);
    return std::clamp(d, 0.0, max_retry_after_s);
}

std::string describe_error(int status, std::string_view body) {
    std::string out = std::to_string(status);
    if (const auto j = parse_object(body)) {
        const auto e = j->find("error");
        if (e != j->end() && e->is_object()) {
            const auto code = str(*e, "code");
            const auto message = str(*e, "message");
            const auto field = str(*e, "field");
            if (code) out += " " + printable(*code, 64);
            if (field && !field->empty()) out += " (" + printable(*field, 64) + ")";
            if (message) out += ": " + printable(*message, 300);
            return out;
        }
    }
    if (body.empty()) return out + " with an empty body";
    return out + ": " + printable(body, 120);
}

std::optional<Accepted> parse_accepted(std::string_view body) {
    const auto j = parse_object(body);
    if (!j) return std::nullopt;
    const auto id = str(*j, "id");
    if (!id || !plain_id(*id)) return std::nullopt;
    Accepted a{*id, ""};
    if (const auto url = str(*j, "tracking_url"); url && url->size() <= 512)
        a.tracking_url = printable(*url, 512);
    return a;
}

std::string batch_body(const std::vector<BatchItem>& items) {
    static constexpr char hex[] = "0123456789abcdef";
    std::size_t size = 16;
    for (const auto& i : items) size += i.key.size() + i.body.size() + i.body.size() / 8 + 40;
    std::string out;
    out.reserve(size);
    out += "{\"reports\":[";
    for (std::size_t n = 0; n < items.size(); ++n) {
        if (n > 0) out += ',';
        out += "{\"idempotency_key\":\"";
        out += items[n].key;  // a uuid: nothing to escape
        out += "\",\"body\":\"";
        // JSON string escaping; bytes >= 0x80 pass as they are (the body is UTF-8 JSON).
        for (const char ch : items[n].body) {
            const auto c = static_cast<unsigned char>(ch);
            if (c == '"' || c == '\\') {
                out += '\\';
                out += ch;
            } else if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += ch;
            }
        }
        out += "\"}";
    }
    out += "]}";
    return out;
}

std::optional<std::vector<HttpAnswer>> parse_batch_answers(std::string_view body,
                                                           const std::vector<std::string>& keys) {
    const auto j = parse_object(body);
    if (!j) return std::nullopt;
    const auto results = j->find("results");
    if (results == j->end() || !results->is_array() || results->size() != keys.size())
        return std::nullopt;
    std::map<std::string_view, std::size_t> index;
    for (std::size_t i = 0; i < keys.size(); ++i) index.emplace(keys[i], i);
    if (index.size() != keys.size()) return std::nullopt;
    std::vector<HttpAnswer> out(keys.size());
    std::vector<bool> seen(keys.size(), false);
    for (const auto& r : *results) {
        if (!r.is_object()) return std::nullopt;
        const auto key = str(r, "idempotency_key");
        const auto status = r.find("status");
        const auto answer = r.find("answer");
        if (!key || status == r.end() || !status->is_number_integer() || answer == r.end() ||
            !answer->is_object())
            return std::nullopt;
        const auto at = index.find(*key);
        if (at == index.end() || seen[at->second]) return std::nullopt;
        const auto code = status->get<std::int64_t>();
        if (code != 200 && code != 201 && code != 400 && code != 403 && code != 409 && code != 422)
            return std::nullopt;
        seen[at->second] = true;
        auto& a = out[at->second];
        a.status = static_cast<int>(code);
        a.content_type = "application/json";
        a.body = answer->dump(-1, ' ', false, json::error_handler_t::replace);
    }
    return out;
}

std::optional<std::string> parse_token(std::string_view body) {
    const auto j = parse_object(body);
    if (!j) return std::nullopt;
    const auto t = str(*j, "token");
    if (!t || t->size() < 16 || t->size() > 200) return std::nullopt;
    for (char c : *t)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
              c == '~' || c == '+' || c == '/' || c == '='))
            return std::nullopt;
    return t;
}

std::optional<std::vector<RemoteStatus>> parse_status(std::string_view body) {
    const auto j = parse_object(body);
    if (!j) return std::nullopt;
    const auto list = j->find("reports");
    if (list == j->end() || !list->is_array()) return std::nullopt;
    std::vector<RemoteStatus> out;
    for (const auto& e : *list) {
        if (!e.is_object()) continue;
        const auto id = str(e, "id");
        const auto status = str(e, "status");
        if (!id || !plain_id(*id) || !status || !is_known_status(*status)) continue;
        RemoteStatus s{*id, *status, printable(str(e, "agency").value_or(""), 64), 0,
                       public_reply_text(str(e, "public_reply").value_or(""))};
        const auto at = e.find("updated_at");
        if (at != e.end() && at->is_number_integer()) s.updated_unix = at->get<std::int64_t>();
        out.push_back(std::move(s));
    }
    return out;
}

std::string public_reply_text(std::string_view s) {
    std::string out;
    std::size_t i = 0, n = 0;
    while (i < s.size() && n < max_public_reply) {
        auto cp = utf8::decode(s, i);
        if (!cp) {
            ++i;
            cp = U'\uFFFD';
        } else if (*cp == U'\r') {
            continue;  // CR LF and CR alike become LF below
        } else if (*cp != U'\n' && (*cp < 0x20 || (*cp >= 0x7f && *cp < 0xa0))) {
            cp = U' ';
        }
        utf8::append(out, *cp);
        ++n;
    }
    return out;
}

std::optional<std::string> catalog_version(std::string_view body) {
    const auto j = parse_object(body);
    if (!j) return std::nullopt;
    return str(*j, "version");
}

}  // namespace lapor::sync
