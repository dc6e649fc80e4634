// lapor-sync's metrics thread: every [metrics] interval_s (and once at start) it writes the
// kiosk's metrics (kiosk/metrics.h) to <textfile_dir>/lapor.prom for the node exporter's textfile
// collector. Its own store connection and thread, so a slow upload never delays it and it never
// touches the worker's state.
#pragma once
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "clock.h"
#include "config.h"

namespace lapor::sync {

class MetricsWriter {
public:
    MetricsWriter(const Config& c, const Clock& clock);
    ~MetricsWriter();  // stops and joins the thread
    MetricsWriter(const MetricsWriter&) = delete;
    MetricsWriter& operator=(const MetricsWriter&) = delete;

private:
    void run();
    void write_once();

    Config config_;
    const Clock& clock_;
    std::mutex m_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::string last_problem_;
    std::thread thread_;
};

}  // namespace lapor::sync
