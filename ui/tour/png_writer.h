// Writes RGBA pixels as a PNG file (libpng), for --screenshot-tour.
#pragma once
#include <string>

namespace lapor::ui {
// Throws std::runtime_error naming the file when it cannot be written.
void write_png(const std::string& path, const std::string& rgba, int w, int h);
}  // namespace lapor::ui
