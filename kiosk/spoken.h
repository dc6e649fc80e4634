// What the speaker button says on each citizen screen: the screen's title, what to do, the
// choices and any error shown. Every word comes from the message catalogs (speech.* ids where the
// spoken form differs from the written one), so translators see it. Pure: the UI and the tour's
// .wav files use the same text, and tests compare it with the catalog.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "catalog.h"
#include "flow.h"
#include "i18n.h"
#include "status_check.h"

namespace lapor {

struct SpokenScreen {
    std::string title;
    std::string what_to_do;
    std::vector<std::string> choices;
    std::vector<std::string> errors;  // as shown on the screen, in order
    // All of it as one text for the speech engine ("Title. What to do. Choices: a, b. ...").
    std::string text(const Messages& m, std::string_view lang) const;
};

// `offered`: the names of the offered languages in themselves (the language screen's choices).
SpokenScreen spoken_screen(const Flow& flow, const Catalog& catalog, const Messages& m,
                           std::string_view lang, const std::vector<std::string>& offered);

// What the status check's answer adds on the status screen (kiosk/status_check.h): the code
// spelled out and the verdict, or the current stage, the agency (`agency_name`: the national
// system's name, else the catalog's), a problem and the agency's reply. Never the report's text.
std::string spoken_status(const StatusAnswer& a, const Messages& m, std::string_view lang,
                          const std::string& agency_name);

// A tracking code read out one character at a time, groups separated by commas
// ("JK01-7K3M" -> "J K 0 1, 7 K 3 M"), so a listener can write it down.
std::string spell_out(std::string_view code);

}  // namespace lapor
