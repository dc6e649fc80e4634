// Where lapor-kiosk's start-up time goes: named marks on CLOCK_MONOTONIC from main() to the first
// presented frame. The first-frame log line lists them (for journald and the fleet), and
// bench/ui_bench reads them to print a breakdown beside its exec-to-READY figure. Process-wide,
// UI thread only (the marks end before any other thread could add one).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace lapor::ui {

struct StartupMark {
    const char* name;
    std::int64_t mono_ns;  // CLOCK_MONOTONIC, comparable between processes on this machine
};

class StartupTrace {
public:
    void mark(const char* name);  // ignored once the first frame was presented
    void close() { closed_ = true; }
    const std::vector<StartupMark>& marks() const { return marks_; }
    // "main@<ns> messages=1.2 config=0.3 ... present=2.0": the first mark's absolute time, then
    // each phase as ms since the mark before it.
    std::string summary() const;

private:
    std::vector<StartupMark> marks_;
    bool closed_ = false;
};

StartupTrace& startup_trace();

}  // namespace lapor::ui
