// The print worker: one thread owns the printer session and its own store connection (opened on
// that thread), takes jobs from a queue and publishes outcomes for poll().
#include "print_service.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

#include "config.h"
#include "escpos.h"
#include "i18n.h"
#include "identity.h"
#include "receipt_layout.h"
#include "session.h"
#include "share.h"
#include "store.h"

namespace lapor::printer {

std::string_view to_string(PrinterState s) {
    switch (s) {
        case PrinterState::ok: return "ok";
        case PrinterState::paper_near_end: return "paper_near_end";
        case PrinterState::paper_out: return "paper_out";
        case PrinterState::cover_open: return "cover_open";
        case PrinterState::offline: return "offline";
        case PrinterState::unknown: return "unknown";
    }
    return "unknown";
}

std::string_view to_string(JobResult r) {
    switch (r) {
        case JobResult::printed: return "printed";
        case JobResult::printed_unconfirmed: return "printed_unconfirmed";
        case JobResult::paper_out: return "paper_out";
        case JobResult::cover_open: return "cover_open";
        case JobResult::offline: return "offline";
        case JobResult::unknown: return "unknown";
    }
    return "unknown";
}

namespace {

struct QueuedJob {
    JobId id = 0;
    bool test_page = false;
    ReceiptJob receipt;
};

constexpr std::size_t max_kept_outcomes = 256;

class Worker final : public PrintService {
public:
    Worker(const Config& c, const Clock& clock, const PrintServiceOptions& o)
        : clock_(clock),
          o_(o),
          office_(c.kiosk.office),
          transport_text_(c.printer.transport),
          db_path_(o.db_path.empty() ? c.db_path() : o.db_path),
          flag_path_(o.recovery_flag_path.empty() ? c.kiosk.data_dir + "/printer.recover"
                                                  : o.recovery_flag_path) {
        try {
            tz_ = c.time_zone();
            messages_ = Messages::load_dir(po_dir());
            SessionOptions so;
            so.status_timeout_ms = c.printer.status_timeout_ms;
            so.confirm_extra_ms = o.confirm_extra_ms;
            so.open.connect_timeout_ms = o.connect_timeout_ms;
            so.open.busy_retry_ms = o.busy_retry_ms;
            session_.emplace(parse_transport(c.printer.transport), load_profile(c.printer.profile),
                             so);
        } catch (const std::exception& e) {
            setup_error_ = std::string("the printer is not set up: ") + e.what();
        }
        thread_ = std::thread([this] { run(); });
    }

    ~Worker() override {
        {
            std::lock_guard lock(mu_);
            stop_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    JobId submit_receipt(const ReceiptJob& job) override {
        return enqueue(QueuedJob{0, false, job});
    }
    JobId submit_test_page() override { return enqueue(QueuedJob{0, true, {}}); }

    std::optional<JobOutcome> poll(JobId id) override {
        std::lock_guard lock(mu_);
        const auto it = done_.find(id);
        if (it == done_.end()) return std::nullopt;
        return it->second;
    }

    PrinterState state() const override { return state_.load(); }

    void request_status() override {
        {
            std::lock_guard lock(mu_);
            status_wanted_ = true;
        }
        cv_.notify_all();
    }

private:
    JobId enqueue(QueuedJob j) {
        JobId id;
        {
            std::lock_guard lock(mu_);
            id = j.id = ++next_id_;
            queue_.push_back(std::move(j));
        }
        cv_.notify_all();
        return id;
    }

    // The worker's own store connection, opened on the worker thread when first needed (and
    // again later if the database did not exist yet: a fresh kiosk, kioskctl alone).
    Store* store() {
        if (!store_ && o_.record_health) {
            try {
                store_ = open_store(db_path_, clock_, OpenMode::existing);
            } catch (const std::exception&) {
                store_.reset();
            }
        }
        return store_.get();
    }

    void run() {
        for (;;) {
            QueuedJob job;
            bool status_only = false;
            {
                std::unique_lock lock(mu_);
                cv_.wait(lock, [&] { return stop_ || !queue_.empty() || status_wanted_; });
                if (stop_) return;
                if (!queue_.empty()) {
                    job = std::move(queue_.front());
                    queue_.pop_front();
                } else {
                    status_only = true;
                }
                status_wanted_ = false;
            }
            if (status_only) {
                check_status(store());
                continue;
            }
            const JobOutcome outcome = run_job(job);
            state_.store(outcome.state);
            record(store(), &outcome);
            std::lock_guard lock(mu_);
            done_[job.id] = outcome;
            while (done_.size() > max_kept_outcomes) done_.erase(done_.begin());
        }
    }

    JobOutcome run_job(const QueuedJob& job) {
        if (!session_) return {JobResult::unknown, PrinterState::unknown, setup_error_};
        std::string bytes;
        try {
            const ReceiptContext ctx{office_, tz_, &messages_};
            if (job.test_page) {
                const auto [st, words] = session_->check_status();
                state_.store(st);
                bytes = encode(test_page_document(session_->profile(), transport_text_, ctx,
                                                  clock_.now_ms() / 1000,
                                                  std::string(to_string(st)) + " - " + words),
                               session_->profile());
            } else {
                bytes = encode(receipt_document(job.receipt, ctx), session_->profile());
            }
        } catch (const std::exception& e) {
            return {JobResult::unknown, state_.load(),
                    std::string("the receipt could not be laid out: ") + e.what()};
        }
        session_->set_needs_recovery(session_->needs_recovery() || exists(flag_path_));
        // Raised before any job byte goes out: a crash or kill mid-job leaves it behind, so the
        // next process flushes the printer's half-read command first. Cleared (sync_flag) only
        // once the session says the job's bytes all went through.
        create_flag();
        const JobOutcome outcome = session_->print(bytes);
        sync_flag();
        return outcome;
    }

    static bool exists(const std::string& p) { return ::access(p.c_str(), F_OK) == 0; }

    // Best effort: a missing data folder or a read-only one only loses the cross-process hint.
    void create_flag() {
        if (exists(flag_path_)) return;
        // O_EXCL|O_NOFOLLOW: `kioskctl print-test` may run as root in a folder the services
        // can write; a link planted at this name is neither followed nor chowned.
        const int fd =
            ::open(flag_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd >= 0) {
            const FileOwner o = service_owner(Service::kiosk);
            if (o.uid != static_cast<uid_t>(-1) && ::fchown(fd, o.uid, o.gid) != 0) {
                // best effort, as above
            }
            ::close(fd);
        }
    }
    void sync_flag() {
        if (session_->needs_recovery())
            create_flag();
        else
            ::unlink(flag_path_.c_str());
    }

    void check_status(Store* store) {
        if (!session_) return;
        const auto [st, words] = session_->check_status();
        state_.store(st);
        record(store, nullptr);
    }

    void record(Store* store, const JobOutcome* outcome) {
        if (!store) return;
        try {
            store->set_health(HealthKey::printer_state, std::string(to_string(state_.load())));
            if (outcome) {
                std::string v(to_string(outcome->result));
                if (!outcome->detail.empty()) v += ": " + outcome->detail;
                store->set_health(HealthKey::last_print_result, v);
            }
        } catch (const std::exception&) {
            // Health is advisory; a busy or broken database must not stop printing.
        }
    }

    const Clock& clock_;
    PrintServiceOptions o_;
    std::string office_, transport_text_, db_path_, flag_path_;
    TimeZone tz_{};
    Messages messages_;
    std::optional<PrinterSession> session_;
    std::unique_ptr<Store> store_;  // worker thread only
    std::string setup_error_;

    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<QueuedJob> queue_;
    std::map<JobId, JobOutcome> done_;
    JobId next_id_ = 0;
    bool stop_ = false;
    bool status_wanted_ = false;
    std::atomic<PrinterState> state_{PrinterState::unknown};
    std::thread thread_;
};

}  // namespace

std::unique_ptr<PrintService> start_print_service(const Config& c, const Clock& clock,
                                                  const PrintServiceOptions& o) {
    return std::make_unique<Worker>(c, clock, o);
}

std::unique_ptr<PrintService> start_print_service(const Config& c, const Clock& clock) {
    return start_print_service(c, clock, PrintServiceOptions{});
}

}  // namespace lapor::printer
