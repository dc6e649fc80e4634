#include "wav.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace lapor::speech {
namespace {

void put32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
void put16(std::string& out, std::uint16_t v) {
    out += static_cast<char>(v & 0xff);
    out += static_cast<char>(v >> 8);
}
std::uint32_t get32(const std::string& s, std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 4; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
    return v;
}
std::uint16_t get16(const std::string& s, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                      (static_cast<unsigned char>(s[at + 1]) << 8));
}

}  // namespace

SoundStats stats(const Sound& s) {
    SoundStats st;
    if (s.rate > 0) st.seconds = static_cast<double>(s.samples.size()) / s.rate;
    double sum = 0;
    for (auto v : s.samples) {
        sum += static_cast<double>(v) * v;
        st.peak = std::max(st.peak, std::abs(static_cast<int>(v)));
    }
    if (!s.samples.empty())
        st.rms = std::sqrt(sum / static_cast<double>(s.samples.size())) / 32768.0;
    return st;
}

void write_wav(const std::string& path, const Sound& s) {
    const std::uint32_t data_bytes = static_cast<std::uint32_t>(s.samples.size() * 2);
    std::string out;
    out += "RIFF";
    put32(out, 36 + data_bytes);
    out += "WAVEfmt ";
    put32(out, 16);
    put16(out, 1);  // PCM
    put16(out, 1);  // mono
    put32(out, static_cast<std::uint32_t>(s.rate));
    put32(out, static_cast<std::uint32_t>(s.rate) * 2);
    put16(out, 2);
    put16(out, 16);
    out += "data";
    put32(out, data_bytes);
    for (auto v : s.samples) put16(out, static_cast<std::uint16_t>(v));
    const std::string tmp = path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f.write(out.data(), static_cast<std::streamsize>(out.size()));
        if (!f) throw std::runtime_error("cannot write " + tmp);
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
        throw std::runtime_error("cannot rename " + tmp + " to " + path + ": " +
                                 std::strerror(errno));
}

std::optional<Sound> read_wav(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return std::nullopt;
    const std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (s.size() < 44 || s.compare(0, 4, "RIFF") != 0 || s.compare(8, 8, "WAVEfmt ") != 0)
        return std::nullopt;
    if (get16(s, 20) != 1 || get16(s, 22) != 1 || get16(s, 34) != 16) return std::nullopt;
    // Chunks after fmt: skip any that are not data (the espeak-ng program writes none, others may).
    std::size_t at = 20 + get32(s, 16);
    while (at + 8 <= s.size() && s.compare(at, 4, "data") != 0) at += 8 + get32(s, at + 4);
    if (at + 8 > s.size()) return std::nullopt;
    std::size_t bytes = std::min<std::size_t>(get32(s, at + 4), s.size() - at - 8);
    Sound out;
    out.rate = static_cast<int>(get32(s, 24));
    out.samples.resize(bytes / 2);
    for (std::size_t i = 0; i < out.samples.size(); ++i)
        out.samples[i] = static_cast<std::int16_t>(get16(s, at + 8 + 2 * i));
    return out;
}

}  // namespace lapor::speech
