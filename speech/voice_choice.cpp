#include "voice_choice.h"

namespace lapor::speech {

VoiceChoice choose_voice(std::string_view code,
                         const std::function<bool(std::string_view)>& engine_has_voice) {
    if (!code.empty() && engine_has_voice(code)) return {std::string(code), false};
    return {"id", code != "id"};
}

}  // namespace lapor::speech
