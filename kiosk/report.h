// The citizen's report as typed (ReportDraft) and the small value types it is made of.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lapor {

// The citizen's language: the code of an installed .po file ("id", "en", "jv"; languages.h).
// The screens, speech and receipt follow it; the national API knows only id and en
// (api_language). Indonesian is the kiosk's base language: whatever a language lacks (agency
// names, a draft's missing strings) is shown in Indonesian.
class Language {
public:
    static const Language id, en;
    Language() : code_("id") {}
    explicit Language(std::string code) : code_(std::move(code)) {}
    const std::string& code() const { return code_; }
    friend bool operator==(const Language&, const Language&) = default;
    friend auto operator<=>(const Language&, const Language&) = default;

private:
    std::string code_;
};
inline const Language Language::id{"id"};
inline const Language Language::en{"en"};

// The report's `language` for the national API: "en" for English, "id" for every other
// language (a Javanese session's report is routed as Indonesian: docs/decisions.md).
std::string api_language(const Language& l);

enum class Classification { complaint, aspiration, information };
enum class Privacy { public_report, anonymous, confidential };

// Wire names (API, database) and the receipt's one-letter `c=` value.
std::string to_string(const Language& l);  // the code
std::string_view to_string(Classification c);
std::string_view to_string(Privacy p);
char receipt_letter(Classification c);
// A language code as stored (2 or 3 lowercase letters); nullopt otherwise.
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
