#include "startup_trace.h"

#include <cstdio>
#include <ctime>

namespace lapor::ui {

void StartupTrace::mark(const char* name) {
    if (closed_) return;
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    marks_.push_back({name, static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec});
}

std::string StartupTrace::summary() const {
    std::string s;
    char buf[96];
    for (std::size_t i = 0; i < marks_.size(); ++i) {
        if (i == 0) {
            std::snprintf(buf, sizeof buf, "%s@%lld", marks_[i].name,
                          static_cast<long long>(marks_[i].mono_ns));
        } else {
            std::snprintf(buf, sizeof buf, " %s=%.1f", marks_[i].name,
                          static_cast<double>(marks_[i].mono_ns - marks_[i - 1].mono_ns) / 1e6);
        }
        s += buf;
    }
    return s;
}

StartupTrace& startup_trace() {
    static StartupTrace t;
    return t;
}

}  // namespace lapor::ui
