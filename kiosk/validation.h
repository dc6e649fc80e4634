// Validation of a report draft and of its single fields. Every problem names the field and a
// message id (gettext, see i18n.h); the UI shows the translated message beside the field.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report.h"

namespace lapor {

class Catalog;

enum class Field {
    language,
    classification,
    agency,
    category,
    title,
    body,
    incident_date,
    location,
    privacy,
    consent,
    name,
    phone,
    email,
    nik
};
std::string_view to_string(Field f);

struct Problem {
    Field field;
    const char* msgid;
    bool operator==(const Problem& o) const {
        return field == o.field && std::string_view(msgid) == std::string_view(o.msgid);
    }
};

inline constexpr std::size_t title_max = 150;
inline constexpr std::size_t body_max = 4000;  // Open311's description limit
inline constexpr std::size_t location_max = 200;
inline constexpr std::size_t name_max = 100;

// Each returns the first problem of the field, or nullopt when it is fine.
std::optional<Problem> check_title(std::string_view s);
std::optional<Problem> check_body(std::string_view s);
std::optional<Problem> check_location(std::string_view s);
std::optional<Problem> check_incident_date(std::optional<Date> d, Date today);
std::optional<Problem> check_name(std::string_view s);
std::optional<Problem> check_phone(std::string_view s);  // empty is fine (optional field)
std::optional<Problem> check_email(std::string_view s);  // empty is fine
std::optional<Problem> check_nik(std::string_view s);    // empty is fine

// "+62 812-3456-7890", "0812 3456 7890", "628123456789" -> "+628123456789"; nullopt if invalid.
std::optional<std::string> normalize_phone(std::string_view s);

// The fields a flow screen edits, so each screen can gate its Next button.
enum class Section { classification, agency, text, date_location, privacy, consent, contact };
std::vector<Problem> validate_section(const ReportDraft& d, Section s, const Catalog& catalog,
                                      Date today);
std::vector<Problem> validate(const ReportDraft& d, const Catalog& catalog, Date today);

}  // namespace lapor
