#include <doctest/doctest.h>

#include "fixtures.h"
#include "utf8.h"
#include "validation.h"

using namespace lapor;
using lapor::test::fixture_today;
using lapor::test::shipped_catalog;
using lapor::test::valid_draft;

namespace {
std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}
const char* msg(std::optional<Problem> p) { return p ? p->msgid : "ok"; }
}  // namespace

TEST_CASE("utf8: counts code points and rejects malformed sequences") {
    CHECK(utf8::count("abc") == 3u);
    CHECK(utf8::count("Séno 🙏") == 6u);
    CHECK(utf8::count("\xC3\xA9") == 1u);
    CHECK_FALSE(utf8::count("\xC3"));              // truncated
    CHECK_FALSE(utf8::count("\xC0\xAF"));          // overlong '/'
    CHECK_FALSE(utf8::count("\xED\xA0\x80"));      // surrogate
    CHECK_FALSE(utf8::count("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(utf8::count("\xFF"));
    std::string s = "a🙏";
    utf8::pop_back(s);
    CHECK(s == "a");
    std::string out;
    utf8::append(out, U'🙏');
    CHECK(out == "🙏");
}

TEST_CASE("utf8: decode moves past one code point, or leaves the index on malformed input") {
    const std::string s = "a\xC3\xA9\xC0\xAF\xF0\x9F\x99\x8F";
    std::size_t i = 0;
    CHECK(utf8::decode(s, i) == U'a');
    CHECK(i == 1u);
    CHECK(utf8::decode(s, i) == U'\u00E9');
    CHECK(i == 3u);
    CHECK_FALSE(utf8::decode(s, i));  // overlong: i stays for a lenient caller to skip
    CHECK(i == 3u);
    i = 5;
    CHECK(utf8::decode(s, i) == U'\U0001F64F');
    CHECK(i == s.size());
    CHECK_FALSE(utf8::decode(s, i));  // at the end
    CHECK(i == s.size());
}

TEST_CASE("text rules: line breaks only in the body; other control characters refused") {
    CHECK(msg(check_title("Judul")) == std::string("ok"));
    CHECK(msg(check_title("a\nb")) == std::string("text.control_chars"));
    CHECK(msg(check_body("a\nb")) == std::string("ok"));
    CHECK(msg(check_body("a\tb")) == std::string("text.control_chars_multiline"));
    CHECK(msg(check_body("a\rb")) == std::string("text.control_chars_multiline"));
    CHECK(msg(check_body("a\x7F")) == std::string("text.control_chars_multiline"));
    CHECK(msg(check_body("a\xC2\x85")) == std::string("text.control_chars_multiline"));  // NEL (C1)
    CHECK(msg(check_body(std::string("a\0b", 3))) == std::string("text.control_chars_multiline"));
    CHECK(msg(check_title("\xFF")) == std::string("text.invalid_encoding"));
    CHECK(msg(check_title("   ")) == std::string("title.required"));
    CHECK(msg(check_body("")) == std::string("body.required"));
}

TEST_CASE("lengths count code points, not bytes") {
    CHECK(msg(check_title(repeat("é", 150))) == std::string("ok"));  // 300 bytes
    CHECK(msg(check_title(repeat("é", 151))) == std::string("title.too_long"));
    CHECK(msg(check_body(repeat("🙏", 4000))) == std::string("ok"));  // 16,000 bytes
    CHECK(msg(check_body(repeat("a", 4001))) == std::string("body.too_long"));
    CHECK(msg(check_body(repeat("x", 10000))) == std::string("body.too_long"));
    CHECK(msg(check_location(repeat("a", 201))) == std::string("location.too_long"));
    CHECK(msg(check_name(repeat("a", 101))) == std::string("name.too_long"));
}

TEST_CASE("phone numbers are normalised to +62") {
    CHECK(normalize_phone("0812-3456-7890") == "+6281234567890");
    CHECK(normalize_phone("+62 812 3456 7890") == "+6281234567890");
    CHECK(normalize_phone("6281234567890") == "+6281234567890");
    CHECK(normalize_phone("(021) 3456789") == "+62213456789");
    CHECK_FALSE(normalize_phone("+1 555 123 4567"));
    CHECK_FALSE(normalize_phone("12345"));
    CHECK_FALSE(normalize_phone("0812-34a6-7890"));
    CHECK_FALSE(normalize_phone("00812345678"));
    CHECK_FALSE(normalize_phone("08123456789012345"));
    CHECK(msg(check_phone("")) == std::string("ok"));
    CHECK(msg(check_phone("abc")) == std::string("phone.invalid"));
}

TEST_CASE("e-mail addresses") {
    for (auto ok : {"a@b.co", "siti.rahayu+lapor@mail.example.id", "x_y@sub-domain.go.id"})
        CHECK_MESSAGE(msg(check_email(ok)) == std::string("ok"), ok);
    for (auto bad : {"a", "a@b", "@b.co", "a@@b.co", "a@b..co", "a@-b.co", ".a@b.co", "a b@c.co",
                     "a@b.co.", "sîti@b.co"})
        CHECK_MESSAGE(msg(check_email(bad)) == std::string("email.invalid"), bad);
}

TEST_CASE("NIK: 16 digits, province, region, birth date (+40 for women), serial") {
    CHECK(msg(check_nik("3171014507900001")) == std::string("ok"));  // woman born 05-07-90
    CHECK(msg(check_nik("3171010507900001")) == std::string("ok"));  // man born 05-07-90
    CHECK(msg(check_nik("317101450790001")) == std::string("nik.length"));
    CHECK(msg(check_nik("317101450790000a")) == std::string("nik.length"));
    CHECK(msg(check_nik("9971014507900001")) == std::string("nik.province"));
    CHECK(msg(check_nik("3100014507900001")) == std::string("nik.region"));
    CHECK(msg(check_nik("3171004507900001")) == std::string("nik.region"));
    CHECK(msg(check_nik("3171013207900001")) == std::string("nik.birth_date"));  // day 32
    CHECK(msg(check_nik("3171017207900001")) == std::string("nik.birth_date"));  // 72-40 = 32
    CHECK(msg(check_nik("3171013002900001")) == std::string("nik.birth_date"));  // 30 Feb
    CHECK(msg(check_nik("3171012902000001")) == std::string("ok"));              // 29 Feb 2000
    CHECK(msg(check_nik("3171012902010001")) == std::string("nik.birth_date"));  // 29 Feb 2001
    CHECK(msg(check_nik("3171014507900000")) == std::string("nik.serial"));
}

TEST_CASE("incident date: default required, no future, not absurdly old") {
    CHECK(msg(check_incident_date(std::nullopt, fixture_today)) == std::string("date.required"));
    CHECK(msg(check_incident_date(Date{2025, 2, 29}, fixture_today)) ==
          std::string("date.invalid"));
    CHECK(msg(check_incident_date(Date{2025, 11, 30}, fixture_today)) ==
          std::string("date.future"));
    CHECK(msg(check_incident_date(fixture_today, fixture_today)) == std::string("ok"));
    CHECK(msg(check_incident_date(Date{2014, 1, 1}, fixture_today)) == std::string("date.too_old"));
}

TEST_CASE("a whole draft: valid, and each gate names its field") {
    const auto& cat = shipped_catalog();
    CHECK(validate(valid_draft(), cat, fixture_today).empty());

    auto d = valid_draft();
    d.category_id = "dinkes-lainnya";  // exists, but not under dishub
    auto p = validate(d, cat, fixture_today);
    REQUIRE(p.size() == 1);
    CHECK(p[0] == Problem{Field::category, "category.required"});

    d = valid_draft();
    d.consent = false;  // contact left behind without consent
    p = validate(d, cat, fixture_today);
    REQUIRE(p.size() == 1);
    CHECK(p[0].field == Field::consent);

    d = ReportDraft{};
    p = validate(d, cat, fixture_today);
    CHECK(p.size() == 9);  // language, classification, agency, title, body, date, location,
                           // privacy, consent
}

TEST_CASE("add_days: across months, leap years and years, both ways") {
    CHECK(add_days(Date{2026, 3, 1}, -1) == Date{2026, 2, 28});
    CHECK(add_days(Date{2024, 3, 1}, -1) == Date{2024, 2, 29});
    CHECK(add_days(Date{2000, 2, 28}, 1) == Date{2000, 2, 29});
    CHECK(add_days(Date{1900, 2, 28}, 1) == Date{1900, 3, 1});
    CHECK(add_days(Date{2026, 12, 31}, 1) == Date{2027, 1, 1});
    CHECK(add_days(Date{2027, 1, 1}, -1) == Date{2026, 12, 31});
    CHECK(add_days(Date{2026, 11, 1}, -1) == Date{2026, 10, 31});
    CHECK(add_days(Date{2026, 11, 29}, 0) == Date{2026, 11, 29});
    CHECK(add_days(Date{2026, 11, 29}, -365) == Date{2025, 11, 29});
    CHECK(add_days(Date{2024, 2, 29}, 366) == Date{2025, 3, 1});
    CHECK(days_in_month(2024, 2) == 29);
    CHECK(days_in_month(2100, 2) == 28);
    CHECK(days_in_month(2026, 4) == 30);
    Date d{2023, 1, 1};  // every day of two years, one step at a time, stays valid
    for (int i = 0; i < 731; ++i) {
        const Date n = add_days(d, 1);
        CHECK(is_valid(n));
        CHECK(n > d);
        CHECK(add_days(n, -1) == d);
        d = n;
    }
    CHECK(d == Date{2025, 1, 1});
}
