// The agency screen's search over the shipped catalog: everyday words, typos, both languages,
// and the keywords' format rules.
#include <doctest/doctest.h>

#include "catalog_search.h"
#include "fixtures.h"

using namespace lapor;

namespace {

std::string first(std::string_view query, Language l = Language::id) {
    const auto hits = search_catalog(test::shipped_catalog(), query, l);
    return hits.empty() ? "" : hits.front().category->id;
}

bool in_top(std::string_view query, const std::string& category, std::size_t n,
            Language l = Language::id) {
    const auto hits = search_catalog(test::shipped_catalog(), query, l, n);
    for (const auto& h : hits)
        if (h.category->id == category) return true;
    return false;
}

}  // namespace

TEST_CASE("catalog search: everyday words find the category that handles them") {
    CHECK(first("parkir") == "dishub-parkir-liar");
    CHECK(first("jalan rusak") == "dpupr-jalan-rusak");
    CHECK(first("KTP") == "disdukcapil-ktp-el");
    CHECK(first("ktp") == "disdukcapil-ktp-el");
    CHECK(in_top("sampah", "dlh-sampah-tidak-diangkut", 2));
    CHECK(in_top("sampah", "dlh-pembuangan-sampah-liar", 2));
    CHECK(first("lampu jalan mati") == "disperkim-penerangan-jalan-umum");
    CHECK(first("banjir") == "dpupr-drainase-banjir");
    CHECK(first("lubang di jalan") == "dpupr-jalan-rusak");  // "di" is a filler word
    CHECK(first("Dishub") == "dishub-parkir-liar");          // an agency's short name
    CHECK(search_catalog(test::shipped_catalog(), "Dishub", Language::id).size() == 8);
    CHECK(first("English", Language::en).empty());
    // The other language's words when the screen's find nothing.
    CHECK(first("sampah", Language::en) == "dlh-sampah-tidak-diangkut");
    CHECK(first("pothole", Language::id) == "dpupr-jalan-rusak");
    CHECK(first("garbage", Language::en) == "dlh-sampah-tidak-diangkut");
    CHECK(first("pothole", Language::en) == "dpupr-jalan-rusak");
    CHECK(first("id card", Language::en) == "disdukcapil-ktp-el");
    CHECK(first("parking", Language::en) == "dishub-parkir-liar");
}

TEST_CASE("catalog search: typos and words still being typed") {
    CHECK(in_top("sampha", "dlh-sampah-tidak-diangkut", 2));  // two letters swapped
    CHECK(first("parkri") == "dishub-parkir-liar");
    CHECK(first("parkit") == "dishub-parkir-liar");      // one letter wrong
    CHECK(first("jalan rsak") == "dpupr-jalan-rusak");   // one missing
    CHECK(first("banjirr") == "dpupr-drainase-banjir");  // one extra
    CHECK(first("puskesmaa") == "dinkes-pelayanan-puskesmas");
    CHECK(first("pusk") == "dinkes-pelayanan-puskesmas");  // still typing
    CHECK(first("puks") == "dinkes-pelayanan-puskesmas");  // still typing, with a swap
    CHECK(first("grabage", Language::en) == "dlh-sampah-tidak-diangkut");
    // Short words need their exact start: "kk" is the family card, "kx" nothing.
    CHECK(first("kk") == "disdukcapil-kartu-keluarga");
    CHECK(first("kx").empty());
    // Every word must match: a typo does not make everything match.
    CHECK(first("zzzz").empty());
    CHECK(first("sampah zzzz").empty());
    CHECK(search_catalog(test::shipped_catalog(), "", Language::id).empty());
    CHECK(search_catalog(test::shipped_catalog(), "  --  ", Language::id).empty());
}

TEST_CASE("catalog search: the agencies of the hits, best first; typo distance") {
    const auto hits = search_catalog(test::shipped_catalog(), "air", Language::id);
    const auto agencies = agencies_of(hits);
    REQUIRE(!agencies.empty());
    CHECK(agencies.front()->id == "pdam");
    CHECK(typo_distance("sampah", "sampah") == 0);
    CHECK(typo_distance("sampha", "sampah") == 1);  // a swap counts once
    CHECK(typo_distance("parkir", "parkit") == 1);
    CHECK(typo_distance("jalan", "jaln") == 1);
    CHECK(typo_distance("", "abc") == 3);
    CHECK(typo_distance("kitten", "sitting") == 3);
}

TEST_CASE("catalog keywords: optional, checked, named in the error") {
    const std::string head =
        R"({"format": 1, "version": "t", "agencies": [{"id": "aa", "name": {"id": "A", "en": "A"}, "categories": [{"id": "aa-b", "name": {"id": "B", "en": "B"})";
    const std::string tail = "}]}]}";
    const Catalog c =
        Catalog::parse(head + R"(, "keywords": {"id": ["sampah"], "en": ["trash"]})" + tail);
    CHECK(c.agencies()[0].categories[0].keywords.in(Language::id) ==
          std::vector<std::string>{"sampah"});
    CHECK(c.agencies()[0].categories[0].keywords.in(Language::en) ==
          std::vector<std::string>{"trash"});
    CHECK(Catalog::parse(head + tail).agencies()[0].categories[0].keywords.id.empty());
    auto error_of = [&](const std::string& kw) {
        try {
            Catalog::parse(head + ", \"keywords\": " + kw + tail);
        } catch (const CatalogError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(error_of("[\"x\"]").find("agencies[0].categories[0].keywords") != std::string::npos);
    CHECK(error_of(R"({"id": [""]})").find("keywords.id[0]") != std::string::npos);
    CHECK(error_of(R"({"id": [3]})").find("keywords.id[0]: expected a string") !=
          std::string::npos);
    CHECK(error_of(R"({"en": "trash"})").find("keywords.en") != std::string::npos);
}
