// A clock the test moves by hand.
#pragma once
#include "clock.h"

namespace lapor::test {

class FakeClock final : public Clock {
public:
    explicit FakeClock(std::int64_t now_ms = 1'764'400'000'000) : now_(now_ms) {}
    std::int64_t now_ms() const override { return now_; }
    std::int64_t mono_ms() const override { return mono_; }
    void advance_ms(std::int64_t ms) { now_ += ms, mono_ += ms; }
    void set_now_ms(std::int64_t ms) { now_ = ms; }

private:
    std::int64_t now_;
    std::int64_t mono_ = 1'000'000;
};

}  // namespace lapor::test
