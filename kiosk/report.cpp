#include "report.h"

#include <array>
#include <cstdio>

#include "crypto.h"
#include "languages.h"

namespace lapor {

std::string to_string(const Language& l) { return l.code(); }

std::string api_language(const Language& l) { return l == Language::en ? "en" : "id"; }

std::string_view to_string(Classification c) {
    switch (c) {
        case Classification::complaint: return "pengaduan";
        case Classification::aspiration: return "aspirasi";
        case Classification::information: return "permintaan_informasi";
    }
    return "?";
}

std::string_view to_string(Privacy p) {
    switch (p) {
        case Privacy::public_report: return "publik";
        case Privacy::anonymous: return "anonim";
        case Privacy::confidential: return "rahasia";
    }
    return "?";
}

char receipt_letter(Classification c) {
    switch (c) {
        case Classification::complaint: return 'p';
        case Classification::aspiration: return 'a';
        case Classification::information: return 'i';
    }
    return '?';
}

std::optional<Language> language_from(std::string_view s) {
    if (!valid_language_code(s)) return std::nullopt;
    return Language(std::string(s));
}

std::optional<Classification> classification_from(std::string_view s) {
    for (auto c :
         {Classification::complaint, Classification::aspiration, Classification::information}) {
        if (s == to_string(c)) return c;
    }
    return std::nullopt;
}

std::optional<Classification> classification_from_letter(char l) {
    for (auto c :
         {Classification::complaint, Classification::aspiration, Classification::information}) {
        if (l == receipt_letter(c)) return c;
    }
    return std::nullopt;
}

std::optional<Privacy> privacy_from(std::string_view s) {
    for (auto p : {Privacy::public_report, Privacy::anonymous, Privacy::confidential}) {
        if (s == to_string(p)) return p;
    }
    return std::nullopt;
}

namespace {
bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
}  // namespace

int days_in_month(int year, int month) {
    static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    return days[static_cast<std::size_t>(month - 1)] + (month == 2 && leap(year));
}

bool is_valid(Date d) {
    if (d.year < 1900 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1) return false;
    return d.day <= days_in_month(d.year, d.month);
}

std::string to_iso(Date d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

std::optional<TimeZone> time_zone_from(std::string_view iana) {
    static constexpr std::array<TimeZone, 3> zones{{
        {"Asia/Jakarta", "WIB", 7 * 3600},
        {"Asia/Makassar", "WITA", 8 * 3600},
        {"Asia/Jayapura", "WIT", 9 * 3600},
    }};
    for (const auto& z : zones) {
        if (z.iana == iana) return z;
    }
    return std::nullopt;
}

Date local_date(std::int64_t unix_s, const TimeZone& tz) {
    // Days since the epoch to a civil date (Howard Hinnant's algorithm).
    std::int64_t z = (unix_s + tz.utc_offset_s) / 86400;
    if ((unix_s + tz.utc_offset_s) % 86400 < 0) --z;
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = yoe + era * 400 + (m <= 2);
    return Date{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

Date add_days(Date d, int n) {
    // Civil date to days since the epoch (Howard Hinnant's algorithm), then back through
    // local_date at UTC.
    const std::int64_t y = d.year - (d.month <= 2);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = era * 146097 + doe - 719468 + n;
    return local_date(days * 86400, TimeZone{"UTC", "UTC", 0});
}

void ReportDraft::wipe_contact() {
    for (auto* s : {&name, &phone, &email, &nik}) secure_clear(*s);
}

void ReportDraft::wipe() {
    for (auto* s : {&agency_id, &category_id, &title, &body, &location}) secure_clear(*s);
    wipe_contact();
    *this = ReportDraft{};
}

}  // namespace lapor
