// The citizen's report as typed (ReportDraft) and the small value types it is made of.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lapor {

enum class Language { id, en };
enum class Classification { complaint, aspiration, information };
enum class Privacy { public_report, anonymous, confidential };

// Wire names (API, database) and the receipt's one-letter `c=` value.
std::string_view to_string(Language l);
std::string_view to_string(Classification c);
std::string_view to_string(Privacy p);
char receipt_letter(Classification c);
std::optional<Language> language_from(std::string_view s);
std::optional<Classification> classification_from(std::string_view s);
std::optional<Classification> classification_from_letter(char c);
std::optional<Privacy> privacy_from(std::string_view s);

struct Date {
    int year = 0, month = 0, day = 0;
    auto operator<=>(const Date&) const = default;
};
bool is_valid(Date d);
int days_in_month(int year, int month);  // 28-31; month 1-12
// The calendar date `n` days after `d` (before it when n < 0), across months and years.
Date add_days(Date d, int n);
std::string to_iso(Date d);  // 2026-11-29

// The three Indonesian time zones (no daylight saving), by IANA name.
struct TimeZone {
    std::string_view iana;  // Asia/Jakarta
    std::string_view abbr;  // WIB
    int utc_offset_s = 0;
};
std::optional<TimeZone> time_zone_from(std::string_view iana);
Date local_date(std::int64_t unix_s, const TimeZone& tz);

struct ReportDraft {
    std::optional<Language> language;
    std::optional<Classification> classification;
    std::string agency_id;
    std::string category_id;
    std::string title;
    std::string body;
    std::optional<Date> incident_date;
    std::string location;
    std::optional<Privacy> privacy;
    std::optional<bool> consent;  // to the use of personal data (UU PDP)
    std::string name;
    std::string phone;
    std::string email;
    std::string nik;

    // Overwrites every text buffer with zeros, then resets the draft.
    void wipe();
    void wipe_contact();
};

}  // namespace lapor
