// Which espeak-ng voice speaks a kiosk language: the language's own voice when espeak-ng has one,
// else Indonesian (a Javanese or Sundanese speaker in Indonesia understands it; English would not
// do). Pure, so the rule is tested without the engine.
#pragma once
#include <functional>
#include <string>
#include <string_view>

namespace lapor::speech {

struct VoiceChoice {
    std::string voice;      // espeak-ng voice name to select
    bool fallback = false;  // true when the language has no voice of its own
};

VoiceChoice choose_voice(std::string_view language_code,
                         const std::function<bool(std::string_view)>& engine_has_voice);

}  // namespace lapor::speech
