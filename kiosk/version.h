// The version of every program, from project(VERSION) in the top CMakeLists.txt (the one place
// it is set; the package, the man pages and build info metrics read the same value).
#pragma once

namespace lapor {

const char* version();

// When an argument is --version: prints "<program> (LAPOR! Kiosk) <version>" on stdout and returns
// true (the caller exits 0).
bool print_version_if_asked(int argc, char** argv, const char* program);

}  // namespace lapor
