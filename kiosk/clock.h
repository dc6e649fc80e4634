// Time as an injectable edge: wall time for records, monotonic time for timeouts.
// Tests use a fake that they advance by hand, so no test waits in real time.
#pragma once
#include <cstdint>

namespace lapor {

class Clock {
public:
    virtual ~Clock() = default;
    virtual std::int64_t now_ms() const = 0;   // Unix time in milliseconds
    virtual std::int64_t mono_ms() const = 0;  // monotonic milliseconds, arbitrary origin
};

class SystemClock final : public Clock {
public:
    std::int64_t now_ms() const override;
    std::int64_t mono_ms() const override;
};

}  // namespace lapor
