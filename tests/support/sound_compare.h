// Comparing two renderings of speech. espeak-ng's output for the same text varies by a few
// samples from one utterance to the next (its wave generator keeps state between utterances), so
// tests compare the loudness envelope (10 ms frames) and the length, not the samples.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <doctest/doctest.h>

namespace lapor::test {

inline std::vector<double> envelope(const std::vector<std::int16_t>& s, std::size_t frame = 220) {
    std::vector<double> out;
    for (std::size_t i = 0; i + frame <= s.size(); i += frame) {
        double sum = 0;
        for (std::size_t j = i; j < i + frame; ++j) sum += double(s[j]) * s[j];
        out.push_back(std::sqrt(sum / double(frame)));
    }
    return out;
}

// Without the silence before and after (the espeak-ng program pads the end of its files).
inline std::vector<std::int16_t> trimmed(const std::vector<std::int16_t>& s, int quiet = 300) {
    auto loud = [&](std::int16_t x) { return std::abs(int(x)) > quiet; };
    const auto first = std::find_if(s.begin(), s.end(), loud);
    const auto last = std::find_if(s.rbegin(), s.rend(), loud).base();
    return first < last ? std::vector<std::int16_t>(first, last) : std::vector<std::int16_t>{};
}

// Pearson correlation of the two envelopes, the second stretched to the first's length (the
// same words said twice differ in pace by up to a percent or two).
inline double envelope_correlation(const std::vector<std::int16_t>& a,
                                   const std::vector<std::int16_t>& b) {
    const auto ea = envelope(a), raw = envelope(b);
    const std::size_t n = ea.size();
    if (n < 2 || raw.size() < 2) return 0;
    std::vector<double> eb(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double x = double(i) * double(raw.size() - 1) / double(n - 1);
        const auto k = std::min(std::size_t(x), raw.size() - 2);
        eb[i] = raw[k] + (raw[k + 1] - raw[k]) * (x - double(k));
    }
    double ma = 0, mb = 0;
    for (std::size_t i = 0; i < n; ++i) ma += ea[i], mb += eb[i];
    ma /= double(n), mb /= double(n);
    double num = 0, da = 0, db = 0;
    for (std::size_t i = 0; i < n; ++i) {
        num += (ea[i] - ma) * (eb[i] - mb);
        da += (ea[i] - ma) * (ea[i] - ma);
        db += (eb[i] - mb) * (eb[i] - mb);
    }
    return da > 0 && db > 0 ? num / std::sqrt(da * db) : 0;
}

// Same words, same voice: lengths within 3 % and envelopes that move together.
inline bool sounds_alike(const std::vector<std::int16_t>& a_all,
                         const std::vector<std::int16_t>& b_all) {
    const auto a = trimmed(a_all), b = trimmed(b_all);
    if (a.empty() || b.empty()) return false;
    const double ratio = double(a.size()) / double(b.size());
    MESSAGE("length ratio " << ratio << ", envelope correlation " << envelope_correlation(a, b));
    return ratio > 0.97 && ratio < 1.03 && envelope_correlation(a, b) > 0.95;
}

}  // namespace lapor::test
