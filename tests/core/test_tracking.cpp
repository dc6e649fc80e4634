#include <doctest/doctest.h>

#include <set>

#include "tracking.h"

using namespace lapor;

TEST_CASE("tracking codes look like JK01-7K3M-9QX2-W and parse back") {
    for (int i = 0; i < 1000; ++i) {
        const auto code = new_tracking_code("JK01");
        REQUIRE(code.size() == 16);
        CHECK(code.substr(0, 5) == "JK01-");
        CHECK(code[9] == '-');
        CHECK(code[14] == '-');
        const auto p = parse_tracking(code);
        CHECK_FALSE(p.error);
        CHECK(format_tracking(p.raw) == code);
    }
}

TEST_CASE("people's typing is accepted: case, separators, O/I/L aliases") {
    const std::string raw = "JK017K3M9QX2";
    const std::string code = format_tracking(raw + tracking_check_char(raw));
    std::string lower;
    for (char c : code) lower += static_cast<char>(std::tolower(c));
    CHECK(parse_tracking(lower).raw == parse_tracking(code).raw);
    CHECK_FALSE(parse_tracking("jkO1 7k3m 9qx2 " + code.substr(15)).error);  // O for 0
    CHECK(parse_tracking("JK01-7K3M").error == TrackingError::malformed);
    CHECK(parse_tracking("JK01-7K3M-9QX2-U").error == TrackingError::malformed);  // no U
    CHECK(parse_tracking("").error == TrackingError::malformed);
}

TEST_CASE("every single wrong character and every neighbour swap is detected") {
    // 20,000 random codes x (13 positions x 31 substitutions + 12 swaps): ~8.3 million variants.
    long substitutions = 0, swaps = 0;
    for (int n = 0; n < 20000; ++n) {
        const std::string raw = parse_tracking(new_tracking_code("JK01")).raw;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            for (char c : crockford_alphabet) {
                if (c == raw[i]) continue;
                std::string bad = raw;
                bad[i] = c;
                REQUIRE(parse_tracking(bad).error == TrackingError::bad_check);
                ++substitutions;
            }
        }
        for (std::size_t i = 0; i + 1 < raw.size(); ++i) {
            if (raw[i] == raw[i + 1]) continue;  // swapping equal characters changes nothing
            std::string bad = raw;
            std::swap(bad[i], bad[i + 1]);
            REQUIRE(parse_tracking(bad).error == TrackingError::bad_check);
            ++swaps;
        }
    }
    MESSAGE("checked " << substitutions << " substitutions and " << swaps << " swaps");
    CHECK(substitutions == 20000L * 13 * 31);
}

TEST_CASE("exhaustive near the check character: every value pair at positions 10 and 11") {
    for (char a : crockford_alphabet) {
        for (char b : crockford_alphabet) {
            std::string raw = "JK017K3M9Q" + std::string{a, b};
            raw += tracking_check_char(raw);
            for (std::size_t i : {10u, 11u}) {  // swap 10<->11 and 11<->check
                std::string swapped = raw;
                std::swap(swapped[i], swapped[i + 1]);
                if (swapped != raw)
                    CHECK(parse_tracking(swapped).error == TrackingError::bad_check);
            }
        }
    }
}

TEST_CASE("no collisions across a simulated re-flash") {
    // A re-flashed kiosk keeps its prefix and starts again with no memory of issued codes; the
    // random part makes collisions with the earlier codes a 40-bit birthday problem.
    // With 40 bits, 10^5 codes against 10^5 earlier ones expect 10^10 / 2^40 = 0.009 collisions
    // (and 0.005 repeats inside the first set), so "none" would fail about one run in 70; more
    // than 2 happens about once in 10^7 runs, while 32 random bits would expect 2.3 and fail often.
    std::set<std::string> before;
    for (int i = 0; i < 100000; ++i) before.insert(new_tracking_code("JK01"));
    CHECK(before.size() >= 100000u - 2);
    int collisions = 0;
    for (int i = 0; i < 100000; ++i) collisions += before.count(new_tracking_code("JK01")) ? 1 : 0;
    CHECK(collisions <= 2);
}

TEST_CASE("code prefixes") {
    CHECK(valid_code_prefix("JK01"));
    CHECK_FALSE(valid_code_prefix("JKO1"));  // O is not in the alphabet
    CHECK_FALSE(valid_code_prefix("jk01"));
    CHECK_FALSE(valid_code_prefix("JK0"));
}
