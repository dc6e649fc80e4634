#include "zeroing_alloc.h"

#include <imgui.h>
#include <malloc.h>
#include <string.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace lapor::ui {
namespace {

std::atomic<std::size_t> zeroed{0};

void wipe_block(void* p) {
    if (!p) return;
    const std::size_t n = malloc_usable_size(p);
    explicit_bzero(p, n);
    zeroed.fetch_add(n, std::memory_order_relaxed);
}

// ImGui frees without a size, and malloc_usable_size covers the whole block.
void* imgui_alloc(std::size_t size, void*) { return std::malloc(size); }
void imgui_free(void* p, void*) {
    wipe_block(p);
    std::free(p);
}

}  // namespace

void install_imgui_zeroing_allocator() { ImGui::SetAllocatorFunctions(imgui_alloc, imgui_free); }

std::size_t zeroed_bytes() { return zeroed.load(std::memory_order_relaxed); }

}  // namespace lapor::ui

// The replaceable global allocation functions (plain and sized forms; the aligned forms keep the
// library's versions, which nothing here uses for text).
void* operator new(std::size_t n) {
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return std::malloc(n ? n : 1); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
    return std::malloc(n ? n : 1);
}
void operator delete(void* p) noexcept {
    lapor::ui::wipe_block(p);
    std::free(p);
}
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { operator delete(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { operator delete(p); }
