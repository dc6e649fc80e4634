#include "catalog_search.h"

#include <algorithm>
#include <array>

namespace lapor {

std::size_t typo_distance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
        }
        prev2.swap(prev);
        prev.swap(cur);
    }
    return prev[m];
}

namespace {

// Lower-case ASCII words; any other ASCII character separates; UTF-8 bytes stay in the word.
std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::string w;
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
            w += ch;
        } else if (c >= 'A' && c <= 'Z') {
            w += static_cast<char>(c - 'A' + 'a');
        } else if (!w.empty()) {
            out.push_back(std::move(w));
            w.clear();
        }
    }
    if (!w.empty()) out.push_back(std::move(w));
    return out;
}

bool filler(std::string_view w) {
    static constexpr std::array<std::string_view, 14> list = {
        "di", "ke", "dan", "atau", "yang", "ada", "the", "of", "or", "and", "a", "an", "in", "at"};
    return std::find(list.begin(), list.end(), w) != list.end();
}

// How well one query word matches one word of the texts (0: not at all).
double strength(std::string_view q, std::string_view t) {
    if (t == q) return 4;
    if (t.starts_with(q)) return 3;
    if (q.size() < 4) return 0;
    const std::size_t allowed = q.size() >= 8 ? 2 : 1;
    if (typo_distance(q, t) <= allowed) return 2;
    // Still typing, with a typo: the query against the start of the word.
    if (t.size() > q.size() && typo_distance(q, t.substr(0, q.size())) <= allowed) return 1.5;
    return 0;
}

double best(std::string_view q, const std::vector<std::string>& ws) {
    double b = 0;
    for (const auto& w : ws) b = std::max(b, strength(q, w));
    return b;
}

// The query is one of the keywords ("jalan rusak"): 3, or word for word within the typos a
// word is allowed ("jalan rsak"): 2.5.
double phrase_bonus(const std::vector<std::string>& q, const std::vector<std::string>& kw) {
    if (q.size() != kw.size()) return 0;
    double bonus = 3;
    for (std::size_t i = 0; i < q.size(); ++i) {
        if (q[i] == kw[i]) continue;
        const std::size_t allowed = q[i].size() >= 8 ? 2 : q[i].size() >= 4 ? 1 : 0;
        if (typo_distance(q[i], kw[i]) > allowed) return 0;
        bonus = 2.5;
    }
    return bonus;
}

void add(std::vector<std::string>& to, const std::vector<std::string>& ws) {
    to.insert(to.end(), ws.begin(), ws.end());
}

}  // namespace

namespace {

std::vector<SearchHit> search_in(const Catalog& catalog, std::string_view query, Language lang,
                                 std::size_t max) {
    std::vector<std::string> q = words(query);
    std::vector<std::string> kept;
    for (const auto& w : q)
        if (!filler(w)) kept.push_back(w);
    if (!kept.empty()) q = kept;
    std::vector<SearchHit> hits;
    if (q.empty()) return hits;
    for (const auto& a : catalog.agencies()) {
        std::vector<std::string> agency_words = words(a.name.in(lang));
        std::vector<std::vector<std::string>> agency_phrases;
        for (const auto& k : a.keywords.in(lang)) {
            add(agency_words, words(k));
            agency_phrases.push_back(words(k));
        }
        for (const auto& c : a.categories) {
            std::vector<std::string> own = words(c.name.in(lang));
            double phrase = 0;
            for (const auto& k : c.keywords.in(lang)) {
                const auto kw = words(k);
                add(own, kw);
                phrase = std::max(phrase, phrase_bonus(q, kw));
            }
            for (const auto& p : agency_phrases) phrase = std::max(phrase, phrase_bonus(q, p) / 2);
            double score = phrase;
            bool all = true;
            for (const auto& w : q) {
                const double s = std::max(best(w, own), 0.6 * best(w, agency_words));
                if (s == 0) {
                    all = false;
                    break;
                }
                score += s;
            }
            if (all) hits.push_back({&a, &c, score});
        }
    }
    std::stable_sort(hits.begin(), hits.end(),
                     [](const SearchHit& x, const SearchHit& y) { return x.score > y.score; });
    if (hits.size() > max) hits.resize(max);
    return hits;
}

}  // namespace

std::vector<SearchHit> search_catalog(const Catalog& catalog, std::string_view query, Language lang,
                                      std::size_t max) {
    auto hits = search_in(catalog, query, lang, max);
    // An Indonesian word on the English screen (or the other way round) still finds its category.
    if (hits.empty())
        hits = search_in(catalog, query, lang == Language::en ? Language::id : Language::en, max);
    return hits;
}

std::vector<const Agency*> agencies_of(const std::vector<SearchHit>& hits) {
    std::vector<const Agency*> out;
    for (const auto& h : hits)
        if (std::find(out.begin(), out.end(), h.agency) == out.end()) out.push_back(h.agency);
    return out;
}

}  // namespace lapor
