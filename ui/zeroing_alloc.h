// Memory that is zeroed when it is given back, so a citizen's words do not linger in freed heap
// blocks after the wipe (DESIGN.md, data at rest and privacy):
// - ImGui's allocator (install before creating any context), for its text and undo buffers;
// - the program's global operator new/delete (defined in zeroing_alloc.cpp, linked into every
//   program that links lapor_ui), for the std::string copies of typed text.
#pragma once
#include <cstddef>

namespace lapor::ui {

void install_imgui_zeroing_allocator();

// Bytes zeroed by operator delete since start (tests check that the replacement is linked in).
std::size_t zeroed_bytes();

}  // namespace lapor::ui
