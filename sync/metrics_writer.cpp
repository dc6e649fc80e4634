#include "metrics_writer.h"

#include <sys/stat.h>

#include <chrono>

#include "log.h"
#include "metrics.h"
#include "store.h"

namespace lapor::sync {

MetricsWriter::MetricsWriter(const Config& c, const Clock& clock)
    : config_(c), clock_(clock), thread_([this] { run(); }) {}

MetricsWriter::~MetricsWriter() {
    {
        std::lock_guard lock(m_);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void MetricsWriter::run() {
    const auto every =
        std::chrono::milliseconds(static_cast<long long>(config_.metrics.interval_s * 1000));
    std::unique_lock lock(m_);
    while (!stop_) {
        lock.unlock();
        write_once();
        lock.lock();
        cv_.wait_for(lock, every, [this] { return stop_; });
    }
}

void MetricsWriter::write_once() {
    std::string problem;
    try {
        // The folder is made if missing (it sits in /run, which is new at every boot).
        // 0755 despite the unit's UMask=0077: the node exporter runs as its own user.
        if (::mkdir(config_.metrics.textfile_dir.c_str(), 0755) == 0)
            ::chmod(config_.metrics.textfile_dir.c_str(), 0755);
        auto store = open_store(config_.db_path(), clock_, OpenMode::existing);
        write_textfile(config_.metrics.textfile_dir,
                       prometheus_text(gather_metrics(config_, *store, clock_)));
    } catch (const std::exception& e) {
        problem = std::string("metrics not written: ") + e.what();
    }
    // One line when writing starts failing and one when it works again, not one a minute.
    if (problem != last_problem_) {
        if (!problem.empty())
            log_line(Priority::warning, problem);
        else
            log_line(Priority::info,
                     "metrics written to " + config_.metrics.textfile_dir + "/lapor.prom");
        last_problem_ = problem;
    }
}

}  // namespace lapor::sync
