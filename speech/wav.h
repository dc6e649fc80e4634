// .wav files of speech (mono, signed 16-bit PCM) and the two figures a reviewer checks before
// listening: duration and loudness (RMS).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lapor::speech {

struct Sound {
    int rate = 0;
    std::vector<std::int16_t> samples;
};

struct SoundStats {
    double seconds = 0;
    double rms = 0;  // root mean square, as a fraction of full scale (0..1)
    int peak = 0;    // largest absolute sample
};

SoundStats stats(const Sound& s);

// Writes atomically (temporary file, then rename); throws std::runtime_error with the path.
void write_wav(const std::string& path, const Sound& s);
// Reads what write_wav writes (mono 16-bit PCM); nullopt for anything else.
std::optional<Sound> read_wav(const std::string& path);

}  // namespace lapor::speech
