#include "keyring.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "crypto.h"
#include "files.h"
#include "receipt.h"
#include "report.h"
#include "tracking.h"

namespace lapor {

namespace {

bool digits(std::string_view s, std::size_t from, std::size_t n, int& out) {
    if (from + n > s.size()) return false;
    out = 0;
    for (std::size_t i = from; i < from + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm).
std::int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

// A line split into words; a word may hold a "quoted value" with \" and \\ inside. '#' outside
// quotes ends the line. Returns false (with why) on an unclosed quote.
bool split_words(std::string_view line, std::vector<std::string>& words, std::string& why) {
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
        if (i >= line.size() || line[i] == '#') break;
        std::string w;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
            if (line[i] == '#') break;
            if (line[i] != '"') {
                w += line[i++];
                continue;
            }
            for (++i;; ++i) {
                if (i >= line.size()) {
                    why = "a quoted value is not closed (end it with \")";
                    return false;
                }
                if (line[i] == '"') break;
                if (line[i] == '\\' && i + 1 < line.size()) ++i;
                w += line[i];
            }
            ++i;
        }
        words.push_back(std::move(w));
        if (i < line.size() && line[i] == '#') break;
    }
    return true;
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"' || ch == '\\') out += '\\';
        out += ch;
    }
    return out + "\"";
}

bool has_control(std::string_view s) {
    return std::any_of(s.begin(), s.end(),
                       [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; });
}

}  // namespace

std::optional<std::int64_t> parse_utc_time(std::string_view s) {
    int y, mo, d, h = 0, mi = 0, se = 0;
    if (s.size() != 10 && s.size() != 20) return std::nullopt;
    if (!digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
        !digits(s, 8, 2, d))
        return std::nullopt;
    if (s.size() == 20 &&
        (s[10] != 'T' || !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) ||
         s[16] != ':' || !digits(s, 17, 2, se) || s[19] != 'Z'))
        return std::nullopt;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        se > 59)
        return std::nullopt;
    return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

std::string format_utc_time(std::int64_t t) {
    // civil_from_days, the inverse of days_from_civil.
    const std::int64_t z = (t >= 0 ? t : t - 86399) / 86400 + 719468;
    const std::int64_t secs = t - (z - 719468) * 86400;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = yoe + era * 400 + (m <= 2);
    char buf[96];
    if (secs == 0) {
        std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(y),
                      static_cast<long long>(m), static_cast<long long>(d));
    } else {
        std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
                      static_cast<long long>(y), static_cast<long long>(m),
                      static_cast<long long>(d), static_cast<long long>(secs / 3600),
                      static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
    }
    return buf;
}

std::optional<std::string> normalize_verify_base(std::string_view base, std::string* why) {
    auto fail = [&](const char* text) -> std::optional<std::string> {
        if (why) *why = text;
        return std::nullopt;
    };
    std::string b(base);
    while (!b.empty() && b.back() == '/') b.pop_back();
    const std::string scheme = "https://";
    if (b.size() <= scheme.size()) return fail("must be https://HOST[/PATH]");
    for (std::size_t i = 0; i < scheme.size(); ++i)
        b[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(b[i])));
    if (!b.starts_with(scheme)) return fail("must start with https://");
    std::size_t i = scheme.size();
    const std::size_t host_start = i;
    for (; i < b.size() && b[i] != '/' && b[i] != ':'; ++i) {
        const char c = b[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '.';
        if (!ok)
            return fail(
                "must have a host of letters, digits, '-' and '.' only (no user@, no query)");
        b[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (i == host_start) return fail("must have a host name");
    if (i < b.size() && b[i] == ':') {
        const std::size_t port_start = ++i;
        for (; i < b.size() && b[i] != '/'; ++i)
            if (b[i] < '0' || b[i] > '9') return fail("must have a port of digits");
        if (i == port_start || i - port_start > 5) return fail("must have a port of 1-5 digits");
    }
    for (; i < b.size(); ++i) {
        const char c = b[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
                        c == '/';
        if (!ok) return fail("must have a path of letters, digits and -._~/ only (no ? or #)");
    }
    if (b.find("//", scheme.size()) != std::string::npos)
        return fail("must not have an empty path part (//)");
    return b;
}

std::string keyring_line(const KeyringEntry& e) {
    std::string line = e.kiosk_id + " " + e.code_prefix + " " + base64_encode(e.public_key);
    if (e.valid_from) line += " from=" + format_utc_time(*e.valid_from);
    if (e.valid_until) line += " until=" + format_utc_time(*e.valid_until);
    if (!e.verify_base.empty()) line += " base=" + e.verify_base;
    if (!e.time_zone.empty()) line += " tz=" + e.time_zone;
    if (!e.office.empty()) line += " office=" + quoted(e.office);
    return line;
}

std::string Keyring::text() const {
    std::string out;
    for (const auto& e : entries_) out += keyring_line(e) + "\n";
    return out;
}

Keyring Keyring::parse(std::string_view text) {
    Keyring k;
    std::size_t lineno = 0, pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == text.npos) end = text.size();
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineno;
        auto bad = [&](const std::string& why) {
            return KeyringError("line " + std::to_string(lineno) + ": " + why +
                                " (expected: KIOSK_ID CODE_PREFIX BASE64_PUBLIC_KEY [from=DATE] "
                                "[until=DATE] [base=https://…] [tz=Asia/Jakarta] "
                                "[office=\"NAME\"])");
        };
        std::vector<std::string> parts;
        std::string why;
        if (!split_words(line, parts, why)) throw bad(why);
        if (parts.empty()) continue;
        if (parts.size() < 3) throw bad("expected 3 fields, found " + std::to_string(parts.size()));
        KeyringEntry e;
        if (!valid_kiosk_id(parts[0])) throw bad("bad kiosk id \"" + parts[0] + "\"");
        if (!valid_code_prefix(parts[1])) throw bad("bad code prefix \"" + parts[1] + "\"");
        auto pk = base64_decode(parts[2]);
        if (!pk || pk->size() != ed25519_public_size)
            throw bad("the public key is not 32 bytes of base64");
        e.kiosk_id = parts[0];
        e.code_prefix = parts[1];
        e.public_key = *pk;
        std::vector<std::string> seen;
        for (std::size_t i = 3; i < parts.size(); ++i) {
            const auto eq = parts[i].find('=');
            const std::string name = parts[i].substr(0, eq);
            if (eq == std::string::npos || eq == 0)
                throw bad("\"" + parts[i] + "\" is not NAME=VALUE");
            if (std::find(seen.begin(), seen.end(), name) != seen.end())
                throw bad(name + "= appears twice");
            seen.push_back(name);
            const std::string value = parts[i].substr(eq + 1);
            if (name == "from" || name == "until") {
                const auto t = parse_utc_time(value);
                if (!t)
                    throw bad(name + "=" + value +
                              " is not a date: write 2026-06-01 or 2026-06-01T08:30:00Z (UTC)");
                (name == "from" ? e.valid_from : e.valid_until) = *t;
            } else if (name == "base") {
                const auto b = normalize_verify_base(value, &why);
                if (!b) throw bad("base=" + value + " " + why);
                e.verify_base = *b;
            } else if (name == "tz") {
                if (!time_zone_from(value))
                    throw bad("tz=" + value +
                              " must be Asia/Jakarta (WIB), Asia/Makassar (WITA) or "
                              "Asia/Jayapura (WIT)");
                e.time_zone = value;
            } else if (name == "office") {
                if (value.empty() || value.size() > 200 || has_control(value))
                    throw bad("office= must be 1-200 characters without control characters");
                e.office = value;
            } else {
                throw bad("unknown attribute " + name + "=");
            }
        }
        if (e.valid_from && e.valid_until && *e.valid_until <= *e.valid_from)
            throw bad("until= must be later than from=");
        for (const auto* other : k.entries_for(e.kiosk_id))
            if (other->public_key == e.public_key)
                throw bad("kiosk \"" + e.kiosk_id + "\" is listed twice with the same key");
        k.add(std::move(e));
    }
    return k;
}

Keyring Keyring::load_file(const std::string& path) {
    const auto text = read_text_file(path);
    if (!text) throw KeyringError("cannot read " + path);
    try {
        return parse(*text);
    } catch (const KeyringError& e) {
        throw KeyringError(path + ": " + e.what());
    }
}

const KeyringEntry* Keyring::find(std::string_view kiosk_id) const {
    for (const auto& e : entries_) {
        if (e.kiosk_id == kiosk_id) return &e;
    }
    return nullptr;
}

std::vector<const KeyringEntry*> Keyring::entries_for(std::string_view kiosk_id) const {
    std::vector<const KeyringEntry*> out;
    for (const auto& e : entries_)
        if (e.kiosk_id == kiosk_id) out.push_back(&e);
    return out;
}

Keyring::Merged Keyring::merge(const KeyringEntry& e) {
    for (auto& have : entries_) {
        if (have.kiosk_id != e.kiosk_id || have.public_key != e.public_key) continue;
        bool changed = false;
        auto fill = [&](auto& field, const auto& value, bool missing) {
            if (missing) {
                field = value;
                changed = true;
            }
        };
        fill(have.verify_base, e.verify_base, have.verify_base.empty() && !e.verify_base.empty());
        fill(have.time_zone, e.time_zone, have.time_zone.empty() && !e.time_zone.empty());
        fill(have.office, e.office, have.office.empty() && !e.office.empty());
        fill(have.valid_from, e.valid_from, !have.valid_from && e.valid_from.has_value());
        return changed ? Merged::updated : Merged::same;
    }
    bool closed = false;
    if (e.valid_from) {
        for (auto& have : entries_) {
            if (have.kiosk_id != e.kiosk_id || have.valid_until) continue;
            // Never close a key before it began: a from= later than the new key's is left alone.
            if (have.valid_from && *have.valid_from >= *e.valid_from) continue;
            have.valid_until = e.valid_from;
            closed = true;
        }
    }
    KeyringEntry added = e;
    // Added out of order (an older device.pub after a newer one): the older key ends where the
    // next one of that kiosk begins.
    if (added.valid_from && !added.valid_until) {
        for (const auto& have : entries_)
            if (have.kiosk_id == e.kiosk_id && have.valid_from &&
                *have.valid_from > *added.valid_from &&
                (!added.valid_until || *have.valid_from < *added.valid_until))
                added.valid_until = have.valid_from;
    }
    entries_.push_back(std::move(added));
    return closed ? Merged::replaced_open : Merged::added;
}

}  // namespace lapor
