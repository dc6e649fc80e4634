// Reading a whole small file (configs, catalogs, keyrings, message catalogs).
#pragma once
#include <optional>
#include <string>

namespace lapor {
// The file's bytes, or nullopt when it cannot be opened.
std::optional<std::string> read_text_file(const std::string& path);
}  // namespace lapor
