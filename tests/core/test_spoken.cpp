// What the speaker button says: built from the catalogs only, per screen, with the errors shown.
#include <doctest/doctest.h>

#include "fake_clock.h"
#include "fixtures.h"
#include "flow.h"
#include "labels.h"
#include "share.h"
#include "spoken.h"

using namespace lapor;
using namespace lapor::intent;
using lapor::test::FakeClock;

namespace {

struct Harness {
    FakeClock clock;
    Messages m = Messages::load_dir(po_dir());
    Flow flow{FlowSettings{90'000, 15'000, 60'000, *time_zone_from("Asia/Jakarta"), Language::id},
              clock, test::shipped_catalog(), [](const ReportDraft&) {
                  SubmitResult r;
                  r.report = PreparedReport{};
                  r.report->tracking = "JK01-7K3M-9QX2-H";
                  return r;
              }};
    SpokenScreen now(std::string_view lang) {
        return spoken_screen(flow, test::shipped_catalog(), m, lang,
                             {"Bahasa Indonesia", "English"});
    }
};

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("every screen's spoken text is the catalog's title and instructions") {
    Harness h;
    for (const char* lang : {"id", "en", "jv"}) {
        const auto s = h.now(lang);
        CHECK(s.title == h.m.tr(lang, labels::title(Screen::attract)));
        CHECK(s.what_to_do == h.m.tr(lang, "speech.do.attract"));
        CHECK(h.m.has(lang, "speech.do.attract"));
        CHECK(s.text(h.m, lang) == s.title + ". " + s.what_to_do);
    }
    h.flow.apply(Start{});
    auto s = h.now("id");
    CHECK(s.title == "Pilih bahasa");
    CHECK(s.choices == std::vector<std::string>{"Bahasa Indonesia", "English"});
    CHECK(s.text(h.m, "id") ==
          "Pilih bahasa. Pilih bahasa yang Anda inginkan. Pilihan: Bahasa Indonesia, English.");
    h.flow.apply(ChooseLanguage{Language::en});
    s = h.now("en");
    CHECK(s.choices == std::vector<std::string>{"Complaint", "Aspiration", "Information request"});
    CHECK(contains(s.text(h.m, "en"), "Choices: Complaint, Aspiration, Information request."));
}

TEST_CASE("the agency screen lists agencies, then the chosen agency's categories") {
    Harness h;
    h.flow.apply(Start{});
    h.flow.apply(ChooseLanguage{Language::id});
    h.flow.apply(ChooseClassification{Classification::complaint});
    auto s = h.now("id");
    CHECK(s.choices.size() == test::shipped_catalog().agencies().size());
    CHECK(s.choices.front() == test::shipped_catalog().agencies().front().name.id);
    h.flow.apply(ChooseAgency{"dishub"});
    s = h.now("id");
    const auto* a = test::shipped_catalog().find_agency("dishub");
    REQUIRE(a);
    CHECK(s.choices.size() == a->categories.size());
    CHECK(s.choices.front() == a->categories.front().name.id);
    // Next without a category: the error shown is spoken too, after the rest.
    h.flow.apply(Next{});
    s = h.now("id");
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0] == h.m.tr("id", "category.required"));
    CHECK(contains(s.text(h.m, "id"), "Perhatian: Silakan pilih kategori."));
}

TEST_CASE("the receipt spells the tracking code out") {
    CHECK(spell_out("JK01-7K3M-9QX2-H") == "J K 0 1, 7 K 3 M, 9 Q X 2, H");
    Harness h;
    const auto d = test::valid_draft();
    h.flow.apply(Start{});
    h.flow.apply(ChooseLanguage{Language::id});
    h.flow.apply(ChooseClassification{*d.classification});
    h.flow.apply(ChooseAgency{d.agency_id});
    h.flow.apply(ChooseCategory{d.category_id});
    h.flow.apply(Next{});
    h.flow.apply(Type{Field::title, d.title});
    h.flow.apply(Type{Field::body, d.body});
    h.flow.apply(Next{});
    h.flow.apply(SetDate{Date{2025, 11, 28}});
    h.flow.apply(Type{Field::location, d.location});
    h.flow.apply(Next{});
    h.flow.apply(ChoosePrivacy{*d.privacy});
    h.flow.apply(Next{});
    h.flow.apply(ChooseConsent{false});
    h.flow.apply(Next{});
    REQUIRE(h.flow.screen() == Screen::review);
    h.flow.apply(Submit{});
    REQUIRE(h.flow.screen() == Screen::receipt);
    CHECK(h.now("id").what_to_do ==
          "Kode pelacakan Anda: J K 0 1, 7 K 3 M, 9 Q X 2, H. Simpan tanda terima Anda.");
    CHECK(contains(h.now("jv").what_to_do, "J K 0 1, 7 K 3 M, 9 Q X 2, H"));
}
