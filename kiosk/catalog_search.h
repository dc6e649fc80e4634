// The agency screen's search: a citizen types what the problem is ("parkir", "sampah", "KTP",
// "jalan rusak", or with a typo: "sampha") and gets the categories that fit, best first, from the
// catalog's names and everyday keywords (kiosk/catalog.h) in the screen's language. Plain
// functions, no drawing.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "catalog.h"

namespace lapor {

struct SearchHit {
    const Agency* agency = nullptr;
    const Category* category = nullptr;
    double score = 0;  // higher is better; only the order means anything
};

// Every category whose texts (its name and keywords, and its agency's) match each word of the
// query, best first (ties in catalog order), at most `max` of them. A word matches a word of
// the texts that starts with it, or one within one typo (a letter wrong, missing, extra, or two
// swapped) once it has 4 letters, two typos from 8. Case, punctuation and a few filler words
// ("di", "yang", "the") do not count. An empty query matches nothing. When nothing matches in
// `lang`, the other language's names and keywords are searched ("sampah" on the English screen).
std::vector<SearchHit> search_catalog(const Catalog& catalog, std::string_view query, Language lang,
                                      std::size_t max = 50);

// The agencies of the hits, in the order of their best hit (for the agency list).
std::vector<const Agency*> agencies_of(const std::vector<SearchHit>& hits);

// Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps), on bytes.
std::size_t typo_distance(std::string_view a, std::string_view b);

}  // namespace lapor
