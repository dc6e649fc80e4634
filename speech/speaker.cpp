#include "speaker.h"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <future>

#include "synth.h"

namespace lapor::speech {
namespace {

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

Speaker::Speaker(std::unique_ptr<AudioOut> out, int volume_percent, bool load_now)
    : out_(std::move(out)), volume_(std::clamp(volume_percent, 0, 100)), started_(load_now) {
    worker_ = std::thread([this] { run(); });
}

void Speaker::start() {
    {
        std::lock_guard lock(mutex_);
        if (started_) return;
        started_ = true;
    }
    changed_.notify_all();
}

std::int64_t Speaker::ready_mono_ns() const {
    std::lock_guard lock(mutex_);
    return ready_ns_;
}

Speaker::~Speaker() {
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
        ++generation_;
    }
    changed_.notify_all();
    worker_.join();
    if (out_) out_->stop();
}

void Speaker::say(std::string text, std::string language) {
    {
        std::lock_guard lock(mutex_);
        started_ = true;
        ++generation_;  // the callback of what is being synthesized now sees this and stops
        flush_ = true;
        queue_.clear();
        queue_.push_back({std::move(text), std::move(language), now_ns()});
    }
    changed_.notify_all();
}

void Speaker::add(std::string text, std::string language) {
    {
        std::lock_guard lock(mutex_);
        started_ = true;
        queue_.push_back({std::move(text), std::move(language), now_ns()});
    }
    changed_.notify_all();
}

void Speaker::stop() {
    {
        std::lock_guard lock(mutex_);
        ++generation_;
        flush_ = true;
        queue_.clear();
    }
    changed_.notify_all();
}

void Speaker::set_volume(int percent) { volume_ = std::clamp(percent, 0, 100); }

std::string Speaker::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

bool Speaker::idle() const {
    std::lock_guard lock(mutex_);
    return queue_.empty() && !speaking_ && !(audio_ && out_->busy());
}

void Speaker::wait_ready() {
    start();  // waiting for a load nobody started would never end
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return ready_; });
}

std::optional<double> Speaker::last_first_sample_ms() const {
    std::lock_guard lock(mutex_);
    return first_sample_ms_;
}

std::vector<std::int16_t> Speaker::render(const std::string& text, const std::string& language,
                                          int* rate) {
    // The engine is process-wide and locked (synth.h), so rendering here is safe beside the
    // worker; it only waits while the worker holds the engine for one utterance.
    auto samples = synthesize_all(text, language);
    const int v = volume_;
    for (auto& s : samples) s = static_cast<std::int16_t>(s * v / 100);
    if (rate) *rate = engine_rate();
    return samples;
}

void Speaker::run() {
    struct ThreadDone {  // on every way out of this thread
        AudioOut* out;
        ~ThreadDone() {
            if (out) out->thread_done();
        }
    } done{out_.get()};
    // Below the UI thread (Linux: a thread's own nice value); a failure costs nothing but that.
    pthread_setname_np(pthread_self(), worker_name);
    (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), worker_nice);
    {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return started_ || quit_; });
        if (quit_) return;
    }
    // Loading the voice data and opening the device take a few milliseconds each: here, not on
    // the UI thread.
    std::string why = engine_load();
    if (why.empty()) {
        if (!out_) {
            why = "text only: no audio output configured";
        } else if (auto err = out_->open(engine_rate()); !err.empty()) {
            why = "text only: " + err;
        }
    } else {
        why = "text only: " + why;
    }
    {
        std::lock_guard lock(mutex_);
        audio_ = why.empty();
        status_ = why.empty() ? "speech ready (espeak-ng, " + std::to_string(engine_rate()) + " Hz)"
                              : why;
        ready_ = true;
        ready_ns_ = now_ns();
    }
    changed_.notify_all();

    for (;;) {
        Item item;
        std::uint64_t generation = 0;
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [&] { return quit_ || flush_ || !queue_.empty(); });
            if (quit_) return;
            if (flush_) {
                // What the device still holds of earlier utterances must not be heard.
                flush_ = false;
                if (audio_) out_->stop();
                if (queue_.empty()) continue;
            }
            item = std::move(queue_.front());
            queue_.pop_front();
            generation = generation_;
            speaking_ = true;
        }
        if (audio_) speak(item, generation);
        speaking_ = false;
        changed_.notify_all();
    }
}

void Speaker::speak(const Item& item, std::uint64_t generation) {
    bool first = true;
    static const int lead = [] {
        const char* e = std::getenv("LAPOR_SPEECH_LEAD_MS");
        return e ? std::atoi(e) : lead_ms;
    }();
    const auto ahead_max =
        static_cast<std::size_t>(engine_rate()) * static_cast<std::size_t>(lead) / 1000;
    std::vector<std::int16_t> scaled;
    const bool done =
        synthesize(item.text, item.language, [&](const std::int16_t* s, std::size_t n) {
            if (generation_ != generation) return false;
            const int v = volume_;
            scaled.assign(s, s + n);
            for (auto& x : scaled) x = static_cast<std::int16_t>(x * v / 100);
            out_->play(scaled.data(), scaled.size());
            if (first) {
                first = false;
                std::lock_guard lock(mutex_);
                first_sample_ms_ = static_cast<double>(now_ns() - item.asked_ns) / 1e6;
            }
            // Paced: while more than lead_ms is waiting to be heard, wait (a cut-off or the end
            // wakes it at once).
            std::unique_lock lock(mutex_);
            while (lead > 0 && generation_ == generation && !quit_ && out_->queued() > ahead_max)
                changed_.wait_for(lock, std::chrono::milliseconds(20));
            return generation_ == generation;
        });
    (void)done;  // an engine failure is in status(); a cut-off is counted
    if (generation_ != generation) {
        // Cut off: what the device still holds of this utterance must not be heard either.
        out_->stop();
        ++cut_offs_;
    }
}

}  // namespace lapor::speech
