// Sections: [start] leases, token, enrollment; [uploads] lease, send, outcomes; [periodic]
// status, catalog, heartbeat, purge; [loop] waiting, signals, watchdog.
#include "worker.h"

#include <sys/signalfd.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <ctime>

#include "backoff.h"
#include "config.h"
#include "daemon.h"
#include "enroll.h"
#include "log.h"
#include "store.h"

namespace lapor::sync {
namespace {

// Every line with its syslog priority; a line about one report carries its tracking code as the
// journal field LAPOR_TRACKING (kiosk/log.h).
void log(const std::string& line, Priority p = Priority::info, std::string_view tracking = {}) {
    log_line(p, line, tracking);
}

std::string iso_utc(std::int64_t unix_ms) {
    const std::time_t t = unix_ms / 1000;
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string seconds_text(std::int64_t delay_ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", static_cast<double>(delay_ms) / 1000.0);
    return buf;
}

int count_of(const QueueCounts& q, OutboxState s) {
    const auto it = q.by_state.find(s);
    return it == q.by_state.end() ? 0 : it->second;
}

std::int64_t ms(double s) { return static_cast<std::int64_t>(s * 1000.0); }

}  // namespace

Worker::Worker(const Config& c, Store& store, HttpClient& http, const Clock& clock, WorkerOptions o)
    : c_(c), store_(store), http_(http), clock_(clock), o_(o) {
    // A lease outlives any upload that can still be in flight; stale ones are taken back at
    // start-up (this process holds the pid-file lock, so every lease it finds is a dead one's).
    lease_ms_ = ms(c.upload.connect_timeout_s + c.upload.total_timeout_s) * 2 + 60'000;
    idle_poll_ms_ = std::clamp<std::int64_t>(ms(c.upload.backoff_base_s) / 2, 5, 1000);
    watchdog_ms_ = watchdog_interval_ms();
}

// ---- [start] ----

void Worker::start_up() {
    const int released = store_.release_all_leases();
    if (released > 0)
        log("took back " + std::to_string(released) +
            " report(s) whose upload was cut off; they will be sent again (safely)");
    check_token_file();
    if (token_) {
        health_state(state_enrolled);
    } else if (!read_enroll_code(c_)) {
        health_state(state_waiting);
        log("not enrolled and no enrollment code: reports stay queued until "
            "`kioskctl enroll --code CODE`",
            Priority::warning);
    }
    const auto q = store_.counts();
    log("started: endpoint " + c_.upload.endpoint + ", " + std::to_string(q.total()) +
        " report(s) in the store, up to " + std::to_string(o_.max_in_flight) + " in flight");
}

void Worker::check_token_file() {
    const auto t = read_token(c_);
    if (!t || t == token_) return;
    token_ = t;
    if (auth_stopped_ && *t != refused_token_) {
        auth_stopped_ = false;
        log("found a new token: uploads resume");
    }
    if (!auth_stopped_) health_state(state_enrolled);
}

void Worker::try_enroll() {
    const auto now = clock_.mono_ms();
    const auto code = read_enroll_code(c_);
    if (!code) {
        next_enroll_ = now + 1000;  // look for the file again in a second
        return;
    }
    if (*code == refused_code_) {
        next_enroll_ = now + 1000;  // the same refused code: wait for a new one
        return;
    }
    const auto out = enroll(c_, http_, *code);
    if (out.code_refused) {
        // Sending the same code again cannot work; wait until identity/enroll_code changes.
        refused_code_ = *code;
        enroll_failures_ = 0;
        next_enroll_ = now + 1000;
        health_state((auth_stopped_ ? "needs re-enrollment: " : "not enrolled: ") + out.words);
        error(out.words + " (it is not sent again)");
        return;
    }
    if (out.kind == EnrollOutcome::enrolled) {
        enroll_failures_ = 0;
        auth_stopped_ = false;
        token_.reset();
        check_token_file();
        health_state(state_enrolled);
        contact("enrolled");
        log(out.words + "; uploads start");
        next_status_ = next_catalog_ = next_heartbeat_ = now;
        return;
    }
    const auto delay =
        backoff_ms(enroll_failures_++, c_.upload.backoff_base_s, c_.upload.backoff_cap_s);
    next_enroll_ = now + std::max<std::int64_t>(delay, 1);
    health_state((auth_stopped_ ? "needs re-enrollment: " : "not enrolled: ") + out.words);
    error(out.words + " (next try in " + seconds_text(delay) + " s)", Priority::warning);
}

// ---- [uploads] ----

std::vector<std::string> Worker::auth_headers() const {
    return {"Authorization: Bearer " + token_.value_or("")};
}

void Worker::fill_uploads() {
    // Lease in batches (one commit for several reports) once half the window is free.
    const auto room = o_.max_in_flight - static_cast<int>(in_flight_.size());
    if (room <= 0 || (room < (o_.max_in_flight + 1) / 2 && !in_flight_.empty())) return;
    // The server said it is overloaded or rate-limited (429/503): lease nothing until the pause
    // ends, rather than sending the next reports into the same refusal.
    if (clock_.mono_ms() < upload_pause_until_) return;
    for (auto& o : store_.lease_next(room, lease_ms_)) {
        HttpRequest r;
        r.method = "POST";
        r.path = "/v1/reports";
        r.headers = auth_headers();
        r.headers.push_back("Idempotency-Key: " + o.uuid);
        const auto tag = next_tag_++;
        in_flight_[tag] = InFlight{o.id, o.attempts, o.tracking};
        r.body = std::move(o.body);  // the stored bytes, exactly
        http_.start(tag, std::move(r));
    }
}

void Worker::finish_uploads(const std::vector<std::pair<InFlight, HttpAnswer>>& done) {
    const auto now_ms = clock_.now_ms();
    std::vector<UploadOutcome> judged;
    std::vector<Store::Outcome> outcomes;
    for (const auto& [f, a] : done) {
        auto o = judge_upload(a, now_ms / 1000);
        Store::Outcome so;
        so.id = f.id;
        so.http_status = a.status;
        so.error = o.words;
        switch (o.verdict) {
            case Verdict::accepted:
                so.kind = Store::Outcome::accepted;
                so.national_id = o.national_id;
                so.tracking_url = o.tracking_url;
                so.error.clear();
                break;
            case Verdict::rejected: so.kind = Store::Outcome::rejected; break;
            case Verdict::conflict: so.kind = Store::Outcome::conflict; break;
            case Verdict::auth:
                so.kind = Store::Outcome::failed;
                so.next_attempt_ms = now_ms;
                break;
            case Verdict::retry:
            case Verdict::retry_slow: {
                const int n = f.attempts + (o.verdict == Verdict::retry_slow ? 4 : 0);
                auto delay = backoff_ms(n, c_.upload.backoff_base_s, c_.upload.backoff_cap_s);
                // Retry-After only ever lengthens the wait: "0" or a past date must not make
                // the worker retry at once, in a loop.
                if (o.retry_after_s)
                    delay = std::max({ms(*o.retry_after_s), delay, ms(c_.upload.backoff_base_s)});
                so.kind = Store::Outcome::failed;
                so.next_attempt_ms = now_ms + delay;
                if (a.status && (*a.status == 429 || *a.status == 503)) {
                    const auto until = clock_.mono_ms() + delay;
                    if (until > upload_pause_until_) {
                        if (clock_.mono_ms() >= upload_pause_until_)
                            log("the server answered " + std::to_string(*a.status) +
                                    ": no new uploads for " + seconds_text(delay) + " s",
                                Priority::warning);
                        upload_pause_until_ = until;
                    }
                }
                o.words += " (next try in " + seconds_text(delay) + " s)";
                so.error = o.words;
                break;
            }
        }
        judged.push_back(std::move(o));
        outcomes.push_back(std::move(so));
    }
    // One commit for every answer that arrived together.
    const auto kept = store_.record_outcomes(outcomes);
    for (std::size_t i = 0; i < done.size(); ++i) {
        const auto& [f, a] = done[i];
        const auto& o = judged[i];
        const std::string who = f.tracking.empty() ? "report #" + std::to_string(f.id) : f.tracking;
        if (!kept[i]) {
            log(who + ": its lease was lost before the answer came; nothing recorded",
                Priority::warning, f.tracking);
            continue;
        }
        switch (o.verdict) {
            case Verdict::accepted:
                log("uploaded " + who + " as " + o.national_id + " (" + o.words + ")",
                    Priority::info, f.tracking);
                contact("upload accepted");
                break;
            case Verdict::rejected:
            case Verdict::conflict:
                error(who + ": " + o.words, Priority::err, f.tracking);
                contact(std::string("upload ") + std::string(to_string(o.verdict)));
                break;
            case Verdict::auth: stop_for_auth(o.words); break;
            case Verdict::retry:
            case Verdict::retry_slow:
                // Retried later by itself: a warning, not yet an error.
                error(who + ": " + o.words, Priority::warning, f.tracking);
                if (a.status) contact("answer " + std::to_string(*a.status));
                break;
        }
    }
}

void Worker::stop_for_auth(const std::string& words) {
    if (!auth_stopped_) log(words, Priority::err);
    auth_stopped_ = true;
    refused_token_ = token_.value_or("");
    health_state(state_needs_reenrollment);
    error(words);
}

// ---- [periodic] ----

void Worker::periodic() {
    const auto now = clock_.mono_ms();
    if (now >= next_purge_) {
        next_purge_ = now + 3'600'000;
        const int n = store_.purge_sealed(c_.upload.retention_days);
        if (n > 0)
            log("deleted the sealed citizen data of " + std::to_string(n) +
                " report(s) accepted more than " + std::to_string(c_.upload.retention_days) +
                " days ago");
    }
    if (!uploading()) return;
    if (now >= next_catalog_) {
        next_catalog_ = now + ms(c_.upload.catalog_refresh_s);
        refresh_catalog();
    }
    if (uploading() && now >= next_status_) {
        next_status_ = now + ms(c_.upload.status_refresh_s);
        refresh_status();
    }
    if (uploading() && now >= next_heartbeat_) {
        next_heartbeat_ = now + ms(c_.upload.heartbeat_s);
        heartbeat();
    }
}

void Worker::refresh_status() {
    constexpr int batch_size = 100;
    for (int round = 0; round < 20; ++round) {
        const auto batch = store_.status_refresh_batch(batch_size);
        if (batch.empty()) return;
        std::vector<std::string> nids;
        std::vector<std::int64_t> asked;
        for (const auto& [id, nid] : batch) {
            nids.push_back(nid);
            asked.push_back(id);
        }
        HttpRequest r;
        r.path = status_path(nids);
        r.headers = auth_headers();
        const auto a = http_.perform(std::move(r));
        if (!a.status) return error("status refresh: " + a.transport_error, Priority::warning);
        if (*a.status == 401 || *a.status == 403)
            return stop_for_auth("status refresh: " + describe_error(*a.status, a.body));
        const auto list = *a.status == 200 ? parse_status(a.body) : std::nullopt;
        if (!list)
            return error("status refresh: unexpected answer " + describe_error(*a.status, a.body));
        contact("status refresh");
        std::map<std::string, RemoteStatus> by_id;
        for (const auto& s : *list) by_id[s.id] = s;
        // One transaction for the batch; ids the server left out count as checked too, so they
        // go to the back of the next batch instead of holding its front for ever.
        std::vector<std::pair<std::int64_t, StatusEntry>> answered;
        for (const auto& [id, nid] : batch) {
            const auto it = by_id.find(nid);
            if (it == by_id.end()) continue;
            answered.emplace_back(
                id, StatusEntry{it->second.status, it->second.agency, it->second.updated_unix,
                                it->second.public_reply});
        }
        store_.update_statuses(answered, asked);
        if (static_cast<int>(batch.size()) < batch_size) return;
    }
}

void Worker::refresh_catalog() {
    HttpRequest r;
    r.path = "/v1/catalog";
    r.headers = auth_headers();
    const auto current = store_.current_catalog();
    if (current && !current->etag.empty()) r.headers.push_back("If-None-Match: " + current->etag);
    const auto a = http_.perform(std::move(r));
    if (!a.status) return error("catalog refresh: " + a.transport_error, Priority::warning);
    if (*a.status == 304) return contact("catalog unchanged");
    if (*a.status == 401 || *a.status == 403)
        return stop_for_auth("catalog refresh: " + describe_error(*a.status, a.body));
    const auto version = *a.status == 200 ? catalog_version(a.body) : std::nullopt;
    if (!version)
        return error("catalog refresh: unexpected answer " + describe_error(*a.status, a.body));
    contact("catalog refresh");
    if (current && current->version == *version && current->etag == a.etag) return;
    try {
        store_.install_catalog(*version, a.etag, a.body);
        log("installed catalog " + printable(*version, 64) +
            " (the kiosk shows it from the next citizen on)");
    } catch (const std::exception& e) {
        error(std::string("catalog refresh: the new catalog was not installed: ") + e.what());
    }
}

void Worker::heartbeat() {
    const auto q = store_.counts();
    const auto health = store_.health();
    const auto printer = health.find(HealthKey::printer_state);
    auto count = [&](OutboxState s) { return count_of(q, s); };
    nlohmann::json hb = {{"kiosk_id", c_.kiosk.id},
                         {"version", LAPOR_VERSION},
                         {"queue_depth", count(OutboxState::queued) + count(OutboxState::sending)},
                         {"rejected", count(OutboxState::rejected)},
                         {"conflict", count(OutboxState::conflict)},
                         {"oldest_unsent_age_s", nullptr},
                         {"last_success", nullptr},
                         {"printer", printer == health.end() ? "unknown" : printer->second.value},
                         {"sent_at", iso_utc(clock_.now_ms())}};
    if (q.oldest_unsent_unix)
        hb["oldest_unsent_age_s"] =
            std::max<std::int64_t>(0, clock_.now_ms() / 1000 - *q.oldest_unsent_unix);
    if (q.last_success_ms) hb["last_success"] = iso_utc(*q.last_success_ms);
    HttpRequest r;
    r.method = "POST";
    r.path = "/v1/heartbeat";
    r.headers = auth_headers();
    r.body = hb.dump();
    const auto a = http_.perform(std::move(r));
    if (!a.status) return error("heartbeat: " + a.transport_error, Priority::warning);
    if (*a.status == 401 || *a.status == 403)
        return stop_for_auth("heartbeat: " + describe_error(*a.status, a.body));
    if (*a.status != 200 && *a.status != 204)
        return error("heartbeat: unexpected answer " + describe_error(*a.status, a.body));
    contact("heartbeat");
}

// ---- health ----

void Worker::health_state(const std::string& state) {
    if (state == health_state_) return;
    health_state_ = state;
    store_.set_health(HealthKey::enrollment_state, state);
}

void Worker::contact(const std::string& what) {
    pending_contact_ = iso_utc(clock_.now_ms()) + " " + what;
    flush_health(false);
}

void Worker::error(const std::string& words, Priority p, std::string_view tracking) {
    const auto now = clock_.now_ms();
    // One log line per event; the same words again within a minute are not repeated.
    if (words != last_error_ || now - last_error_ms_ >= 60'000) {
        log(words, p, tracking);
        last_error_ = words;
        last_error_ms_ = now;
    }
    pending_error_ = iso_utc(now) + " " + words;
    flush_health(false);
}

// Device health gets the latest contact and error at most once a second (a busy drain would
// otherwise double its commits), and always at exit.
void Worker::flush_health(bool force) {
    const auto now = clock_.now_ms();
    if (!force && now - last_health_write_ms_ < 1000) return;
    if (pending_contact_.empty() && pending_error_.empty()) return;
    if (!pending_contact_.empty()) store_.set_health(HealthKey::last_contact, pending_contact_);
    if (!pending_error_.empty()) store_.set_health(HealthKey::last_error, pending_error_);
    pending_contact_.clear();
    pending_error_.clear();
    last_health_write_ms_ = now;
}

// ---- [loop] ----

void Worker::ping_watchdog() {
    const auto now = clock_.mono_ms();
    if (!watchdog_ms_ || now < next_watchdog_) return;
    notify_systemd("WATCHDOG=1");
    next_watchdog_ = now + *watchdog_ms_;
}

int Worker::handle_signals(int fd) {
    int what = 0;
    signalfd_siginfo si{};
    while (::read(fd, &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
        if (si.ssi_signo == SIGUSR1 || si.ssi_signo == SIGHUP) {
            what = std::max(what, 1);
        } else {
            what = 2;
        }
    }
    return what;
}

int Worker::run(int signal_fd) {
    // A long request (up to total_timeout_s) must not starve the systemd watchdog.
    http_.while_waiting = [this] { ping_watchdog(); };
    start_up();
    notify_systemd("READY=1\nSTATUS=uploading");
    for (;;) {
        const auto now = clock_.mono_ms();
        if (stopping_ && (in_flight_.empty() || now >= stop_deadline_)) break;
        if (!stopping_ && (!token_ || auth_stopped_)) {
            check_token_file();
            if ((!token_ || auth_stopped_) && now >= next_enroll_) try_enroll();
        }
        std::size_t before = in_flight_.size();
        if (uploading()) fill_uploads();
        const bool leased_none = in_flight_.size() == before;
        if (!stopping_) periodic();
        // Idle: nothing in flight or queued, and no enrollment code still to use.
        if (o_.exit_when_idle && in_flight_.empty() && leased_none &&
            (token_ || !read_enroll_code(c_))) {
            const auto q = store_.counts();
            if (count_of(q, OutboxState::queued) + count_of(q, OutboxState::sending) == 0) break;
        }
        ping_watchdog();
        int timeout = in_flight_.empty() ? static_cast<int>(idle_poll_ms_) : 1000;
        if (watchdog_ms_) timeout = std::min<int>(timeout, static_cast<int>(*watchdog_ms_));
        bool woken = false;
        std::vector<std::pair<InFlight, HttpAnswer>> done;
        for (auto& [tag, answer] : http_.wait(timeout, signal_fd, &woken)) {
            const auto it = in_flight_.find(tag);
            if (it == in_flight_.end()) continue;
            done.emplace_back(it->second, std::move(answer));
            in_flight_.erase(it);
        }
        if (!done.empty()) finish_uploads(done);
        flush_health(false);
        if (woken) {
            const int s = handle_signals(signal_fd);
            if (s == 2 && !stopping_) {
                stopping_ = true;
                stop_deadline_ = clock_.mono_ms() + 5000;
                log("stopping (" + std::to_string(in_flight_.size()) +
                    " upload(s) still in flight are finished or taken back at the next start)");
                notify_systemd("STOPPING=1");
            } else if (s == 1) {
                log("woken (sync-now): uploading what is due and refreshing now");
                next_enroll_ = next_status_ = next_catalog_ = next_heartbeat_ = 0;
                check_token_file();
            }
        }
    }
    flush_health(true);
    log("stopped; " + std::to_string(in_flight_.size()) +
        " upload(s) left in flight will be sent again at the next start");
    return 0;
}

}  // namespace lapor::sync
