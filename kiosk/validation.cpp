#include "validation.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "catalog.h"
#include "i18n_marker.h"
#include "utf8.h"

namespace lapor {

std::string_view to_string(Field f) {
    static constexpr std::array<std::string_view, 14> names{
        "language", "classification", "agency",  "category", "title", "body",  "incident_date",
        "location", "privacy",        "consent", "name",     "phone", "email", "nik"};
    return names[static_cast<std::size_t>(f)];
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool all_digits(std::string_view s) { return std::all_of(s.begin(), s.end(), is_digit); }

// Common rules for a text field: valid UTF-8, no control characters (line breaks only where
// allowed), not blank when required, at most `max` code points.
std::optional<Problem> check_text(std::string_view s, Field f, std::size_t max, bool required,
                                  bool multiline, const char* msg_required,
                                  const char* msg_too_long) {
    const auto n = utf8::count(s);
    if (!n) return Problem{f, N_("text.invalid_encoding")};
    if (utf8::first_control(s, multiline ? U"\n" : U""))
        return Problem{f,
                       multiline ? N_("text.control_chars_multiline") : N_("text.control_chars")};
    if (required && utf8::trim(s).empty()) return Problem{f, msg_required};
    if (*n > max) return Problem{f, msg_too_long};
    return std::nullopt;
}

int two(std::string_view s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

}  // namespace

std::optional<Problem> check_title(std::string_view s) {
    return check_text(s, Field::title, title_max, true, false, N_("title.required"),
                      N_("title.too_long"));
}

std::optional<Problem> check_body(std::string_view s) {
    return check_text(s, Field::body, body_max, true, true, N_("body.required"),
                      N_("body.too_long"));
}

std::optional<Problem> check_location(std::string_view s) {
    return check_text(s, Field::location, location_max, true, false, N_("location.required"),
                      N_("location.too_long"));
}

std::optional<Problem> check_name(std::string_view s) {
    return check_text(s, Field::name, name_max, false, false, nullptr, N_("name.too_long"));
}

std::optional<Problem> check_incident_date(std::optional<Date> d, Date today) {
    if (!d) return Problem{Field::incident_date, N_("date.required")};
    if (!is_valid(*d)) return Problem{Field::incident_date, N_("date.invalid")};
    if (*d > today) return Problem{Field::incident_date, N_("date.future")};
    if (d->year < today.year - 10) return Problem{Field::incident_date, N_("date.too_old")};
    return std::nullopt;
}

std::optional<std::string> normalize_phone(std::string_view s) {
    std::string digits;
    bool plus = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (is_digit(c)) {
            digits += c;
        } else if (c == '+' && i == 0) {
            plus = true;
        } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
            return std::nullopt;
        }
    }
    std::string national;  // the number after the country code, without its leading 0
    if (plus || digits.starts_with("62")) {
        if (!digits.starts_with("62")) return std::nullopt;  // only Indonesian numbers
        national = digits.substr(2);
    } else if (digits.starts_with("0")) {
        national = digits.substr(1);
    } else {
        return std::nullopt;
    }
    // Mobile numbers are 8xx with 9-12 digits after the 0; landlines are area code + number.
    if (national.size() < 8 || national.size() > 12 || national[0] == '0') return std::nullopt;
    return "+62" + national;
}

std::optional<Problem> check_phone(std::string_view s) {
    if (utf8::trim(s).empty()) return std::nullopt;
    if (!normalize_phone(s)) return Problem{Field::phone, N_("phone.invalid")};
    return std::nullopt;
}

std::optional<Problem> check_email(std::string_view s) {
    if (s.empty()) return std::nullopt;
    const Problem bad{Field::email, N_("email.invalid")};
    const auto at = s.find('@');
    if (s.size() > 254 || at == std::string_view::npos || s.find('@', at + 1) != s.npos) return bad;
    const auto local = s.substr(0, at);
    const auto domain = s.substr(at + 1);
    if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
        local.find("..") != local.npos)
        return bad;
    const std::string_view local_ok = "!#$%&'*+-/=?^_`{|}~.";
    for (char c : local) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && local_ok.find(c) == local_ok.npos)
            return bad;
    }
    if (domain.find('.') == domain.npos) return bad;
    std::size_t start = 0;
    while (start <= domain.size()) {
        auto end = domain.find('.', start);
        if (end == domain.npos) end = domain.size();
        const auto label = domain.substr(start, end - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return bad;
        for (char c : label) {
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return bad;
        }
        start = end + 1;
    }
    return std::nullopt;
}

std::optional<Problem> check_nik(std::string_view s) {
    if (s.empty()) return std::nullopt;
    if (s.size() != 16 || !all_digits(s)) return Problem{Field::nik, N_("nik.length")};
    // Province codes (Kemendagri), including the Papua provinces created in 2022.
    static constexpr std::array<int, 39> provinces{
        11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61,
        62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97};
    if (std::find(provinces.begin(), provinces.end(), two(s, 0)) == provinces.end())
        return Problem{Field::nik, N_("nik.province")};
    if (two(s, 2) == 0 || two(s, 4) == 0) return Problem{Field::nik, N_("nik.region")};
    int day = two(s, 6);
    if (day > 40) day -= 40;  // women: day of birth + 40
    const int month = two(s, 8);
    const int yy = two(s, 10);
    // The century is not in the number: accept the date if it exists in either.
    if (!is_valid(Date{2000 + yy, month, day}) && !is_valid(Date{1900 + yy, month, day}))
        return Problem{Field::nik, N_("nik.birth_date")};
    if (s.substr(12) == "0000") return Problem{Field::nik, N_("nik.serial")};
    return std::nullopt;
}

std::vector<Problem> validate_section(const ReportDraft& d, Section s, const Catalog& catalog,
                                      Date today) {
    std::vector<Problem> out;
    auto add = [&](std::optional<Problem> p) {
        if (p) out.push_back(*p);
    };
    switch (s) {
        case Section::classification:
            if (!d.language) out.push_back({Field::language, N_("language.required")});
            if (!d.classification)
                out.push_back({Field::classification, N_("classification.required")});
            break;
        case Section::agency:
            if (!catalog.find_agency(d.agency_id)) {
                out.push_back({Field::agency, N_("agency.required")});
            } else if (!catalog.find_category(d.agency_id, d.category_id)) {
                out.push_back({Field::category, N_("category.required")});
            }
            break;
        case Section::text:
            add(check_title(d.title));
            add(check_body(d.body));
            break;
        case Section::date_location:
            add(check_incident_date(d.incident_date, today));
            add(check_location(d.location));
            break;
        case Section::privacy:
            if (!d.privacy) out.push_back({Field::privacy, N_("privacy.required")});
            break;
        case Section::consent:
            if (!d.consent) out.push_back({Field::consent, N_("consent.required")});
            break;
        case Section::contact:
            if (d.consent == false &&
                !(d.name.empty() && d.phone.empty() && d.email.empty() && d.nik.empty())) {
                out.push_back({Field::consent, N_("contact.without_consent")});
            }
            add(check_name(d.name));
            add(check_phone(d.phone));
            add(check_email(d.email));
            add(check_nik(d.nik));
            break;
    }
    return out;
}

std::vector<Problem> validate(const ReportDraft& d, const Catalog& catalog, Date today) {
    std::vector<Problem> out;
    for (auto s : {Section::classification, Section::agency, Section::text, Section::date_location,
                   Section::privacy, Section::consent, Section::contact}) {
        auto p = validate_section(d, s, catalog, today);
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

}  // namespace lapor
