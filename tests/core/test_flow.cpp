#include <doctest/doctest.h>

#include "fake_clock.h"
#include "fixtures.h"
#include "flow.h"

using namespace lapor;
using namespace lapor::intent;
using lapor::test::FakeClock;

namespace {

struct Harness {
    FakeClock clock;
    std::vector<ReportDraft> submitted;
    bool fail_store = false;
    Flow flow{FlowSettings{90'000, 15'000, 60'000, *time_zone_from("Asia/Jakarta"), Language::id},
              clock, test::shipped_catalog(), [this](const ReportDraft& d) {
                  if (fail_store) throw StoreError("disk full");
                  submitted.push_back(d);
                  SubmitResult r;
                  r.report = PreparedReport{};
                  r.report->tracking = "JK01-7K3M-9QX2-H";
                  return r;
              }};

    // attract -> language (Indonesian) -> classification -> agency screen.
    void to_agency_screen() {
        flow.apply(Start{});
        flow.apply(ChooseLanguage{Language::id});
        flow.apply(ChooseClassification{Classification::complaint});
    }
    void pick(const std::string& agency, const std::string& category) {
        flow.apply(ChooseAgency{agency});
        flow.apply(ChooseCategory{category});
        flow.apply(Next{});
    }

    // Walks from attract to review with the fixture's draft; `consent` decides the contact step.
    void fill(bool consent = true) {
        const auto d = test::valid_draft();
        flow.apply(Start{});
        flow.apply(ChooseLanguage{Language::en});
        flow.apply(ChooseClassification{*d.classification});
        flow.apply(ChooseAgency{d.agency_id});
        flow.apply(ChooseCategory{d.category_id});
        flow.apply(Next{});
        flow.apply(Type{Field::title, d.title});
        flow.apply(Type{Field::body, d.body});
        flow.apply(Next{});
        flow.apply(SetDate{Date{2025, 11, 28}});
        flow.apply(Type{Field::location, d.location});
        flow.apply(Next{});
        flow.apply(ChoosePrivacy{*d.privacy});
        flow.apply(Next{});
        flow.apply(ChooseConsent{consent});
        flow.apply(Next{});
        if (consent) {
            flow.apply(Type{Field::name, d.name});
            flow.apply(Type{Field::phone, d.phone});
            flow.apply(Next{});
        }
    }
};

}  // namespace

TEST_CASE("the whole journey, then back to attract with nothing left") {
    Harness h;
    h.fill();
    REQUIRE(h.flow.screen() == Screen::review);
    CHECK(h.flow.language() == Language::en);
    h.flow.apply(Submit{});
    REQUIRE(h.submitted.size() == 1);
    CHECK(h.submitted[0].title == test::valid_draft().title);
    CHECK(h.submitted[0].name == "Siti Rahayu");
    CHECK(h.flow.screen() == Screen::receipt);
    CHECK(h.flow.receipt()->tracking == "JK01-7K3M-9QX2-H");
    CHECK(h.flow.draft().title.empty());       // wiped at submit
    CHECK(h.flow.language() == Language::en);  // the receipt stays in English
    h.flow.apply(Done{});
    CHECK(h.flow.screen() == Screen::attract);
    CHECK_FALSE(h.flow.receipt());
    CHECK(h.flow.language() == Language::id);
}

TEST_CASE("gates: Next stays put and names the field") {
    Harness h;
    h.to_agency_screen();
    REQUIRE(h.flow.screen() == Screen::agency);
    h.flow.apply(Next{});
    CHECK(h.flow.screen() == Screen::agency);
    REQUIRE(h.flow.problems().size() == 1);
    CHECK(h.flow.problems()[0].field == Field::agency);
    h.flow.apply(ChooseAgency{"dishub"});
    CHECK(h.flow.problems().empty());
    h.flow.apply(Next{});
    CHECK(h.flow.problems()[0].field == Field::category);
    h.flow.apply(ChooseCategory{"dishub-parkir-liar"});
    h.flow.apply(Next{});
    REQUIRE(h.flow.screen() == Screen::text);
    h.flow.apply(Type{Field::title, "a\tb"});
    h.flow.apply(Next{});
    CHECK(h.flow.screen() == Screen::text);
    CHECK(h.flow.problems().size() == 2);  // the title's tab and the missing body
    // Editing a field takes its own message away, not the other's; Next brings it back if the
    // field is still wrong.
    h.flow.apply(Type{Field::title, "a\tb"});  // the same text again: nothing was corrected
    CHECK(h.flow.problems().size() == 2);
    h.flow.apply(Type{Field::title, "a\tbc"});
    REQUIRE(h.flow.problems().size() == 1);
    CHECK(h.flow.problems()[0].field == Field::body);
    h.flow.apply(Next{});
    CHECK(h.flow.problems().size() == 2);
    // Typing into a field of another screen is ignored.
    h.flow.apply(Type{Field::nik, "3171014507900001"});
    CHECK(h.flow.draft().nik.empty());
}

TEST_CASE("the incident date defaults to today in the office's time zone") {
    Harness h;
    // 2025-11-29 20:00 UTC is already 30 November in Jakarta (UTC+7).
    h.clock.set_now_ms(1764446400000);
    h.to_agency_screen();
    h.pick("dishub", "dishub-lainnya");
    h.flow.apply(Type{Field::title, "t"});
    h.flow.apply(Type{Field::body, "b"});
    h.flow.apply(Next{});
    REQUIRE(h.flow.screen() == Screen::date_location);
    CHECK(h.flow.draft().incident_date == Date{2025, 11, 30});
    h.flow.apply(SetDate{Date{2025, 12, 1}});
    h.flow.apply(Type{Field::location, "x"});
    h.flow.apply(Next{});
    CHECK(h.flow.problems().at(0).msgid == std::string("date.future"));
}

TEST_CASE("declining consent skips contact and keeps none of it") {
    Harness h;
    h.fill(true);
    REQUIRE(h.flow.draft().name == "Siti Rahayu");
    h.flow.apply(Edit{Section::consent});
    h.flow.apply(ChooseConsent{false});
    CHECK(h.flow.draft().name.empty());
    CHECK(h.flow.draft().phone.empty());
    h.flow.apply(Next{});
    CHECK(h.flow.screen() == Screen::review);
    h.flow.apply(Edit{Section::contact});  // not offered without consent
    CHECK(h.flow.screen() == Screen::review);
    h.flow.apply(Back{});
    CHECK(h.flow.screen() == Screen::consent);
}

TEST_CASE("edit from review returns to review; consent turned on passes by contact") {
    Harness h;
    h.fill(false);
    REQUIRE(h.flow.screen() == Screen::review);
    h.flow.apply(Edit{Section::text});
    CHECK(h.flow.screen() == Screen::text);
    CHECK(h.flow.editing_from_review());  // the UI labels Next "back to review"
    h.flow.apply(Type{Field::title, "Judul baru"});
    h.flow.apply(Next{});
    CHECK(h.flow.screen() == Screen::review);
    h.flow.apply(Edit{Section::consent});
    h.flow.apply(ChooseConsent{true});
    h.flow.apply(Next{});
    CHECK(h.flow.screen() == Screen::contact);
    h.flow.apply(Type{Field::email, "siti@example.id"});
    h.flow.apply(Next{});
    CHECK(h.flow.screen() == Screen::review);
}

TEST_CASE("back walks the screens in reverse, from language back to attract") {
    Harness h;
    h.fill(true);
    const Screen expected[] = {Screen::contact,        Screen::consent,  Screen::privacy,
                               Screen::date_location,  Screen::text,     Screen::agency,
                               Screen::classification, Screen::language, Screen::attract};
    for (Screen s : expected) {
        h.flow.apply(Back{});
        CHECK(h.flow.screen() == s);
    }
    CHECK(h.flow.draft().title.empty());
}

TEST_CASE("idle: countdown after idle_timeout, wipe after countdown; a touch cancels it") {
    Harness h;
    h.fill();
    h.clock.advance_ms(89'999);
    CHECK_FALSE(h.flow.tick());
    CHECK_FALSE(h.flow.countdown_left_s());
    h.clock.advance_ms(1);
    CHECK(h.flow.tick());
    REQUIRE(h.flow.countdown_left_s());
    CHECK(*h.flow.countdown_left_s() == doctest::Approx(15.0));
    h.clock.advance_ms(10'000);
    CHECK(*h.flow.countdown_left_s() == doctest::Approx(5.0));
    CHECK(h.flow.next_timer_ms() == 5'000);
    h.flow.apply(StillHere{});
    CHECK_FALSE(h.flow.countdown_left_s());
    CHECK(h.flow.screen() == Screen::review);
    h.clock.advance_ms(90'000);
    CHECK(h.flow.tick());
    h.clock.advance_ms(15'000);
    CHECK(h.flow.tick());
    CHECK(h.flow.screen() == Screen::attract);
    CHECK(h.flow.draft().title.empty());
    CHECK(h.flow.draft().name.empty());
    CHECK_FALSE(h.flow.tick());  // attract has no timers
    CHECK_FALSE(h.flow.next_timer_ms());
}

TEST_CASE("the receipt screen returns to attract after receipt_screen_s") {
    Harness h;
    h.fill();
    h.flow.apply(Submit{});
    REQUIRE(h.flow.screen() == Screen::receipt);
    h.clock.advance_ms(59'999);
    CHECK_FALSE(h.flow.tick());
    h.clock.advance_ms(1);
    CHECK(h.flow.tick());
    CHECK(h.flow.screen() == Screen::attract);
}

TEST_CASE("cancel wipes from anywhere") {
    Harness h;
    h.fill();
    h.flow.apply(Cancel{});
    CHECK(h.flow.screen() == Screen::attract);
    CHECK(h.flow.draft().body.empty());
}

TEST_CASE("a store failure keeps the form and says so; nothing is lost") {
    Harness h;
    h.fill();
    h.fail_store = true;
    h.flow.apply(Submit{});
    CHECK(h.flow.screen() == Screen::review);
    CHECK(h.flow.error() == std::string("submit.failed"));
    CHECK(h.flow.draft().title == test::valid_draft().title);
    h.fail_store = false;
    h.flow.apply(Submit{});
    CHECK(h.flow.screen() == Screen::receipt);
}

TEST_CASE("a new catalog is taken between citizens only") {
    Harness h;
    const Catalog small = Catalog::parse(
        R"({"format":1,"version":"v2","agencies":[{"id":"xx","name":{"id":"X","en":"X"},)"
        R"("categories":[{"id":"xx-y","name":{"id":"Y","en":"Y"}}]}]})");
    h.to_agency_screen();
    h.flow.set_catalog(small);  // mid-journey: ignored
    h.pick("xx", "xx-y");
    CHECK(h.flow.screen() == Screen::agency);  // still the shipped catalog
    h.flow.apply(Cancel{});
    h.flow.set_catalog(small);  // on attract: taken
    h.to_agency_screen();
    h.pick("xx", "xx-y");
    CHECK(h.flow.screen() == Screen::text);
}

TEST_CASE("attract: a report type's button starts at the agency; the status check and back") {
    Harness h;
    h.flow.apply(ChooseLanguage{Language::en});  // the language choice on attract
    CHECK(h.flow.screen() == Screen::attract);
    CHECK(h.flow.language() == Language::en);
    h.flow.apply(StartAs{Classification::aspiration});
    CHECK(h.flow.screen() == Screen::agency);
    CHECK(h.flow.draft().classification == Classification::aspiration);
    CHECK(h.flow.draft().language == Language::en);
    h.flow.apply(StartAs{Classification::complaint});  // only from attract
    CHECK(h.flow.draft().classification == Classification::aspiration);
    h.flow.apply(OpenStatus{});  // only from attract
    CHECK(h.flow.screen() == Screen::agency);
    h.flow.apply(Back{});
    CHECK(h.flow.screen() == Screen::classification);
    h.flow.apply(Back{});
    CHECK(h.flow.screen() == Screen::language);
    h.flow.apply(Back{});
    CHECK(h.flow.screen() == Screen::attract);
    CHECK_FALSE(h.flow.draft().classification);  // back to attract wipes

    h.flow.apply(OpenStatus{});
    CHECK(h.flow.screen() == Screen::status);
    h.flow.apply(Back{});
    CHECK(h.flow.screen() == Screen::attract);
    h.flow.apply(OpenStatus{});
    h.flow.apply(Cancel{});
    CHECK(h.flow.screen() == Screen::attract);
}

TEST_CASE("attract: a language chosen by someone who walked away is not the next person's") {
    Harness h;
    CHECK_FALSE(h.flow.next_timer_ms());  // nothing chosen: no timer on attract
    h.flow.apply(ChooseLanguage{Language::en});
    REQUIRE(h.flow.next_timer_ms());
    h.clock.advance_ms(89'000);
    CHECK_FALSE(h.flow.tick());
    CHECK(h.flow.language() == Language::en);
    h.clock.advance_ms(2'000);
    CHECK(h.flow.tick());
    CHECK(h.flow.language() == Language::id);  // the kiosk's default again
    CHECK_FALSE(h.flow.next_timer_ms());
}

TEST_CASE("the status screen times out like any other citizen screen") {
    Harness h;
    h.flow.apply(OpenStatus{});
    REQUIRE(h.flow.screen() == Screen::status);
    h.clock.advance_ms(91'000);
    h.flow.tick();
    CHECK(h.flow.countdown_left_s());
    h.clock.advance_ms(16'000);
    h.flow.tick();
    CHECK(h.flow.screen() == Screen::attract);
}
