// lapor-kiosk --screenshot-tour DIR: a PNG of every screen, in both languages and both themes,
// drawn headless in a throwaway sandbox kiosk. Returns the number of files written.
#pragma once
#include <string>

namespace lapor::ui {
int screenshot_tour(const std::string& dir, int width, int height);
}
