# Warnings and sanitizers as INTERFACE targets, linked PRIVATE by every project target.
add_library(lapor_warnings INTERFACE)
target_compile_options(lapor_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough)
option(LAPOR_WERROR "treat warnings as errors" OFF)
if(LAPOR_WERROR)
  target_compile_options(lapor_warnings INTERFACE -Werror)
endif()

add_library(lapor_sanitizers INTERFACE)
option(LAPOR_SANITIZE "build with ASan + UBSan" OFF)
if(LAPOR_SANITIZE)
  target_compile_options(lapor_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(lapor_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

add_library(lapor_options INTERFACE)
target_link_libraries(lapor_options INTERFACE lapor_warnings lapor_sanitizers)
