// Sections: [start] leases, token, enrollment; [uploads] lease, send, outcomes; [periodic]
// status, catalog, heartbeat, purge; [loop] waiting, signals, watchdog.
#include "worker.h"

#include <sys/signalfd.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "backoff.h"
#include "config.h"
#include "crypto.h"
#include "daemon.h"
#include "enroll.h"
#include "log.h"
#include "retry_policy.h"
#include "store.h"

namespace lapor::sync {
namespace {

// An upload in flight longer than this is taken as stalled when deciding whether to lease more.
constexpr std::int64_t stalled_after_ms = 1000;

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
    if (store_.rebase_after_boot(clock_.mono_ms()))
        log("a new boot: every queued report is due now (retry times are per boot)");
    // A warning left by the previous run stays until a genuine API answer clears it.
    const auto h = store_.health();
    const auto w = h.find(HealthKey::endpoint_warning);
    endpoint_warning_ = w != h.end() && !w->second.value.empty();
    if (endpoint_warning_) last_unexpected_ = w->second.value;
    // A catch-up cut short by a restart or a reboot goes on at its pace, not all at once.
    if (const auto c = h.find(HealthKey::catch_up); c != h.end()) {
        const auto& v = c->second.value;
        const auto gap = v.starts_with("gap_ms=") ? std::strtoll(v.c_str() + 7, nullptr, 10) : 0;
        // (Unless the operator has turned the pace off meanwhile: catch_up_factor = 0.)
        if (gap > 0 && c_.upload.catch_up_factor > 0) {
            catching_up_ = true;
            catch_up_gap_ms_ = gap;
            next_paced_ = clock_.mono_ms();  // the wait before the restart was long enough
            log("still catching up after an outage: one request every " + seconds_text(gap) +
                " s until the queue is sent");
        } else if (!v.empty()) {
            store_.set_health(HealthKey::catch_up, "");
        }
    }
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
    const auto out = enroll(c_, http_, *code, enroll_failures_);
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
    ++enroll_failures_;
    const auto delay = out.delay_ms;
    next_enroll_ = now + std::max<std::int64_t>(delay, 1);
    if (out.unexpected) unexpected_answer(out.words);
    health_state((auth_stopped_ ? "needs re-enrollment: " : "not enrolled: ") + out.words);
    error(out.words + " (next try in " + seconds_text(delay) + " s)", Priority::warning);
}

// ---- [uploads] ----

std::vector<std::string> Worker::auth_headers() const {
    return {"Authorization: Bearer " + token_.value_or("")};
}

void Worker::fill_uploads() {
    // Lease in batches (one commit for several reports) once half the window is free. Transfers
    // waiting longer than a second count as free for that rule: stalled ones would otherwise hold
    // every other report back until their timeout (one free slot is never half the window).
    const auto room = o_.max_in_flight - static_cast<int>(in_flight_.size());
    if (room <= 0) return;
    const auto now = clock_.mono_ms();
    int recent = 0;
    for (const auto& [tag, r] : in_flight_) recent += now - r.front().started_ms < stalled_after_ms;
    if (o_.max_in_flight - recent < (o_.max_in_flight + 1) / 2) return;
    // The server said it is overloaded or rate-limited (429/503), or could not be reached: lease
    // nothing until the pause ends, rather than sending the next reports into the same refusal.
    if (clock_.mono_ms() < upload_pause_until_) return;
    // Unreachable until now: one report finds out whether the endpoint is back.
    if (unreachable_ > 0) {
        if (in_flight_.empty()) send_uploads(store_.lease_next(1, lease_ms_), now, false);
        return;
    }
    // Several due reports go in one request (docs/api.md, "Batch upload"), unless batches are
    // off or the server refused one lately.
    const int per_request = now >= batch_off_until_ ? std::max(1, c_.upload.batch_max) : 1;
    // Catching up after a long outage: one request at a time, at the kiosk's paced rate.
    if (catching_up_) {
        if (!in_flight_.empty() || now < next_paced_) return;
        auto leased = store_.lease_next(per_request, lease_ms_, batch_max_bytes);
        if (leased.empty()) return end_catch_up();
        next_paced_ = now + catch_up_gap_ms_;
        return send_uploads(std::move(leased), now, true);
    }
    if (per_request == 1) return send_uploads(store_.lease_next(room, lease_ms_), now, false);
    for (int r = 0; r < room; ++r) {
        auto leased = store_.lease_next(per_request, lease_ms_, batch_max_bytes);
        if (leased.empty()) return;
        const bool last = static_cast<int>(leased.size()) < per_request;
        send_uploads(std::move(leased), now, true);
        if (last) return;  // nothing more is due
    }
}

// The leased reports as one batch request (`batch` and more than one), or each alone
// (POST /v1/reports).
void Worker::send_uploads(std::vector<Outbound> leased, std::int64_t now, bool batch) {
    if (!batch || leased.size() < 2) {
        for (auto& o : leased) {
            HttpRequest r;
            r.method = "POST";
            r.path = "/v1/reports";
            r.headers = auth_headers();
            r.headers.push_back("Idempotency-Key: " + o.uuid);
            const auto tag = next_tag_++;
            in_flight_[tag] = {InFlight{o.id, o.attempts, o.tracking, now, o.uuid}};
            r.body = std::move(o.body);  // the stored bytes, exactly
            http_.start(tag, std::move(r));
        }
        return;
    }
    HttpRequest r;
    r.method = "POST";
    r.path = "/v1/reports/batch";
    r.headers = auth_headers();
    std::vector<BatchItem> items;
    std::vector<InFlight> reports;
    for (const auto& o : leased) {
        items.push_back({o.uuid, o.body});  // the stored bytes, exactly (as a JSON string)
        reports.push_back(InFlight{o.id, o.attempts, o.tracking, now, o.uuid});
    }
    r.body = batch_body(items);
    const auto tag = next_tag_++;
    in_flight_[tag] = std::move(reports);
    http_.start(tag, std::move(r));
}

// A request's answer as one answer per report (docs/api.md, "Batch upload"; sync::read_batch).
void Worker::read_answer(std::vector<InFlight> request, HttpAnswer a,
                         std::vector<std::pair<InFlight, HttpAnswer>>& done) {
    if (request.size() == 1) {
        done.emplace_back(std::move(request.front()), std::move(a));
        return;
    }
    std::vector<std::string> keys;
    for (const auto& f : request) keys.push_back(f.uuid);
    std::vector<HttpAnswer> each;
    const auto reading = read_batch(a, keys, &each);
    if (reading == BatchReading::refused) {
        const auto now = clock_.mono_ms();
        if (now >= batch_off_until_)
            log("the server did not take a batch of " + std::to_string(request.size()) +
                    " reports (" + describe_error(a.status.value_or(0), a.body) +
                    "): reports go one by one for the next hour",
                Priority::warning);
        batch_off_until_ = now + batch_off_ms;
    }
    for (std::size_t i = 0; i < request.size(); ++i) {
        auto& f = request[i];
        if (reading == BatchReading::per_report) {
            done.emplace_back(std::move(f), std::move(each[i]));
            continue;
        }
        f.whole_batch = reading == BatchReading::whole;
        f.follows = i > 0;
        f.batch_refused = reading == BatchReading::refused;
        done.emplace_back(std::move(f), a);
    }
}

void Worker::finish_uploads(const std::vector<std::pair<InFlight, HttpAnswer>>& done) {
    const auto now_unix = clock_.now_ms() / 1000;  // for Retry-After dates only
    const auto now_mono = clock_.mono_ms();        // retry times are monotonic
    std::vector<Decision> judged;
    std::vector<Store::Outcome> outcomes;
    for (const auto& [f, a] : done) {
        // While the endpoint cannot be reached the pause grows with the run of failed probes,
        // whichever report probed.
        const int failures = std::max(f.attempts, unreachable_);
        auto d = f.batch_refused ? decide_batch_not_taken(a)
                 : f.whole_batch
                     ? decide_whole_batch(a, failures, retry_settings(), random_unit(), now_unix)
                     : decide(RequestKind::upload, a, failures, retry_settings(), random_unit(),
                              now_unix);
        if (f.follows || f.batch_refused) {
            // The same request's answer as the report before it: counted once.
        } else if (a.status) {
            // The endpoint answers again: after a long outage, the queue built up meanwhile
            // goes at a bounded pace (a national outage ends with every kiosk coming back).
            if (unreachable_ > 0 && now_mono - unreachable_since_ >= catch_up_after_ms)
                begin_catch_up(now_mono - unreachable_since_);
            unreachable_ = 0;
        } else if (d.outcome == Outcome::pause_all) {
            if (unreachable_++ == 0) unreachable_since_ = now_mono;
        }
        Store::Outcome so;
        so.id = f.id;
        so.http_status = a.status;
        so.error = d.words;
        switch (d.outcome) {
            case Outcome::done:
                so.kind = Store::Outcome::accepted;
                so.national_id = d.accepted->id;
                so.tracking_url = d.accepted->tracking_url;
                so.error.clear();
                break;
            case Outcome::held: so.kind = Store::Outcome::held; break;
            case Outcome::conflict: so.kind = Store::Outcome::conflict; break;
            case Outcome::reenroll:
            case Outcome::code_refused:
                so.kind = Store::Outcome::failed;
                so.next_attempt_ms = now_mono;
                break;
            case Outcome::pause_all: {
                // A 429/503 pauses every new upload, not only this report's.
                const auto until = clock_.mono_ms() + d.delay_ms;
                if (until > upload_pause_until_) {
                    if (clock_.mono_ms() >= upload_pause_until_)
                        log((a.status ? "the server answered " + std::to_string(*a.status)
                                      : std::string("the server cannot be reached")) +
                                ": no new uploads for " + seconds_text(d.delay_ms) + " s" +
                                (a.status ? "" : ", then one report tries first"),
                            Priority::warning);
                    upload_pause_until_ = until;
                }
                [[fallthrough]];
            }
            case Outcome::retry:
            case Outcome::unexpected:
                so.kind = Store::Outcome::failed;
                so.next_attempt_ms = now_mono + d.delay_ms;
                d.words += " (next try in " + seconds_text(d.delay_ms) + " s)";
                so.error = d.words;
                break;
        }
        judged.push_back(std::move(d));
        outcomes.push_back(std::move(so));
    }
    // One commit for every answer that arrived together.
    const auto kept = store_.record_outcomes(outcomes);
    for (std::size_t i = 0; i < done.size(); ++i) {
        const auto& [f, a] = done[i];
        const auto& d = judged[i];
        const std::string who = f.tracking.empty() ? "report #" + std::to_string(f.id) : f.tracking;
        if (!kept[i]) {
            log(who + ": its lease was lost before the answer came; nothing recorded",
                Priority::warning, f.tracking);
            continue;
        }
        // A refused batch was logged once when it came (read_answer); a batch's failure is
        // said once, for its first report (the attempts table has each).
        if (f.batch_refused || f.follows) continue;
        if (d.outcome != Outcome::unexpected && a.status) api_answered();
        switch (d.outcome) {
            case Outcome::done:
                log("uploaded " + who + " as " + d.accepted->id + " (" + d.words + ")",
                    Priority::info, f.tracking);
                contact("upload accepted");
                break;
            case Outcome::held:
            case Outcome::conflict:
                error(who + ": " + d.words, Priority::err, f.tracking);
                contact(std::string("upload ") + std::string(to_string(d.outcome)));
                break;
            case Outcome::reenroll:
            case Outcome::code_refused: stop_for_auth(d.words); break;
            case Outcome::unexpected: unexpected_answer(who + ": " + d.words, f.tracking); break;
            case Outcome::pause_all:
            case Outcome::retry:
                // Retried later by itself: a warning, not yet an error.
                error(who + ": " + d.words, Priority::warning, f.tracking);
                if (a.status) contact("answer " + std::to_string(*a.status));
                break;
        }
    }
    // The last queued report has gone: the periodic requests resume at once.
    if (catching_up_ && in_flight_.empty()) {
        const auto q = store_.counts();
        if (count_of(q, OutboxState::queued) + count_of(q, OutboxState::sending) == 0)
            end_catch_up();
    }
}

void Worker::begin_catch_up(std::int64_t away_ms) {
    UsualTraffic t;
    t.reports_per_day = store_.created_since(clock_.now_ms() / 1000 - 86'400);
    t.status_requests = status_requests_;
    t.heartbeat_s = c_.upload.heartbeat_s;
    t.status_refresh_s = c_.upload.status_refresh_s;
    t.catalog_refresh_s = c_.upload.catalog_refresh_s;
    catch_up_gap_ms_ = catch_up_gap_ms(t, c_.upload.catch_up_factor);
    if (catch_up_gap_ms_ <= 0) return;  // catch_up_factor = 0: no pacing
    const bool already = catching_up_;
    catching_up_ = true;
    next_paced_ = clock_.mono_ms() + catch_up_gap_ms_;  // the probe was the first upload
    store_.set_health(HealthKey::catch_up, "gap_ms=" + std::to_string(catch_up_gap_ms_) +
                                               ": one request every " +
                                               seconds_text(catch_up_gap_ms_) +
                                               " s until the queue built up in an outage is sent");
    if (already) return;
    const auto q = store_.counts();
    char rate[96];
    std::snprintf(rate, sizeof rate, "%.3gx this kiosk's usual %.2g", c_.upload.catch_up_factor,
                  60.0 * usual_requests_per_s(t));
    log("the endpoint answers again after " + std::to_string(away_ms / 60'000) + " min: the " +
        std::to_string(count_of(q, OutboxState::queued) + count_of(q, OutboxState::sending)) +
        " report(s) queued go one request every " + seconds_text(catch_up_gap_ms_) + " s (" +
        (c_.upload.batch_max > 1
             ? "up to " + std::to_string(c_.upload.batch_max) + " reports each, "
             : std::string()) +
        rate +
        " requests a minute, the heartbeat included); status and catalog wait until they are "
        "sent");
}

void Worker::end_catch_up() {
    catching_up_ = false;
    store_.set_health(HealthKey::catch_up, "");
    log("caught up: every report queued during the outage is sent; status and catalog resume "
        "at their usual times");
    // Rounds missed meanwhile are skipped, not made up: each request resumes at its own phase.
    // Sent at once, the status rounds (up to 20 requests each) of every kiosk that came back
    // with this one would land in the same minutes (herd_bench: x3.9 instead of x3).
    const auto now = clock_.mono_ms();
    auto resume = [now](std::int64_t& next, double period_s) {
        const auto p = std::max<std::int64_t>(1, ms(period_s));
        if (next < now) next += (now - next + p - 1) / p * p;
    };
    resume(next_status_, c_.upload.status_refresh_s);
    resume(next_catalog_, c_.upload.catalog_refresh_s);
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
    if (now >= next_alive_) {
        // Staff diagnostics warn when this stops for 5 minutes (kiosk/doctor.cpp).
        next_alive_ = now + alive_every_ms;
        store_.rebase_after_boot(now);  // records the monotonic high-water mark
        const auto q = store_.counts();
        store_.set_health(HealthKey::sync_alive,
                          "pid " + std::to_string(::getpid()) + ", " +
                              std::to_string(count_of(q, OutboxState::queued) +
                                             count_of(q, OutboxState::sending)) +
                              " report(s) to send");
    }
    if (now >= next_purge_) {
        next_purge_ = now + 3'600'000;
        const int n = store_.purge_sealed(c_.upload.retention_days);
        if (n > 0)
            log("deleted the sealed citizen data of " + std::to_string(n) +
                " report(s) accepted more than " + std::to_string(c_.upload.retention_days) +
                " days ago");
    }
    if (!uploading()) return;
    // Catching up after an outage: status and catalog wait until the queue is sent (the uploads
    // have their share of the budget); the heartbeat keeps its pace, so the office's monitoring
    // sees the kiosk during a catch-up of hours or days (the pace leaves room for it).
    if (!catching_up_ && now >= next_catalog_) {
        next_catalog_ = now + ms(c_.upload.catalog_refresh_s);
        refresh_catalog();
    }
    if (!catching_up_ && uploading() && now >= next_status_) {
        next_status_ = now + ms(c_.upload.status_refresh_s);
        refresh_status();
    }
    if (uploading() && now >= next_heartbeat_) {
        next_heartbeat_ = now + ms(c_.upload.heartbeat_s);
        heartbeat();
    }
}

// Only a round that went through says how many requests the kiosk usually sends (a failed one
// stops at its first request: an outage would make the usual traffic look smaller than it is).
void Worker::refresh_status() {
    if (const auto n = status_round(); n >= 0) status_requests_ = n;
}

// Up to 20 requests of 100 ids; returns how many were sent, or -1 when one failed.
int Worker::status_round() {
    constexpr int batch_size = 100;
    int round = 0;
    for (; round < 20; ++round) {
        const auto batch = store_.status_refresh_batch(batch_size);
        if (batch.empty()) return round;
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
        if (!periodic_answer(RequestKind::status, a, next_status_)) return -1;
        const auto list = parse_status(a.body);  // the policy found it parses
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
        if (static_cast<int>(batch.size()) < batch_size) return round + 1;
    }
    return round;
}

void Worker::refresh_catalog() {
    HttpRequest r;
    r.path = "/v1/catalog";
    r.headers = auth_headers();
    const auto current = store_.current_catalog();
    if (current && !current->etag.empty()) r.headers.push_back("If-None-Match: " + current->etag);
    const auto a = http_.perform(std::move(r));
    if (!periodic_answer(RequestKind::catalog, a, next_catalog_)) return;
    if (*a.status == 304) return contact("catalog unchanged");
    const auto version = catalog_version(a.body);  // the policy found one
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
                         {"held", count(OutboxState::held)},
                         {"unexpected_answers", unexpected_answers_},
                         {"unexpected_answer", nullptr},
                         {"sent_at", iso_utc(clock_.now_ms())}};
    if (q.oldest_unsent_unix)
        hb["oldest_unsent_age_s"] =
            std::max<std::int64_t>(0, clock_.now_ms() / 1000 - *q.oldest_unsent_unix);
    if (q.last_success_ms) hb["last_success"] = iso_utc(*q.last_success_ms);
    // The national side hears it in words, not only as a count: "the endpoint answers with
    // something that is not the national API (proxy, captive portal?)", when and what came.
    if (!last_unexpected_.empty()) hb["unexpected_answer"] = last_unexpected_;
    HttpRequest r;
    r.method = "POST";
    r.path = "/v1/heartbeat";
    r.headers = auth_headers();
    r.body = hb.dump();
    const auto a = http_.perform(std::move(r));
    if (!periodic_answer(RequestKind::heartbeat, a, next_heartbeat_)) return;
    contact("heartbeat");
}

// Applies the retry policy to a status, catalog or heartbeat answer; true when it succeeded.
// A failure is said in the kind's own words and, when the policy asks for a longer wait than
// the usual period, `next` (mono ms) moves out to it.
bool Worker::periodic_answer(RequestKind kind, const HttpAnswer& a, std::int64_t& next) {
    int& failures = periodic_failures_[static_cast<int>(kind)];
    const auto d =
        decide(kind, a, failures, retry_settings(), random_unit(), clock_.now_ms() / 1000);
    if (d.outcome == Outcome::done) {
        failures = 0;
        if (a.status) api_answered();
        return true;
    }
    ++failures;
    next = std::max(next, clock_.mono_ms() + d.delay_ms);
    switch (d.outcome) {
        case Outcome::reenroll: stop_for_auth(d.words); break;
        case Outcome::unexpected: unexpected_answer(d.words); break;
        default:
            if (a.status) api_answered();
            error(d.words, Priority::warning);
    }
    return false;
}

// The endpoint answered with something that is not the national API: reported in device health
// (doctor and staff diagnostics show it; the heartbeat carries it once the API answers again).
void Worker::unexpected_answer(const std::string& words, std::string_view tracking) {
    ++unexpected_answers_;
    error(words, Priority::warning, tracking);
    const auto text = iso_utc(clock_.now_ms()) + " " + not_the_api_words + ": " + words;
    last_unexpected_ = text;
    if (clock_.mono_ms() - endpoint_warning_ms_ >= 1000 || !endpoint_warning_) {
        store_.set_health(HealthKey::endpoint_warning, text);
        endpoint_warning_ms_ = clock_.mono_ms();
    }
    endpoint_warning_ = true;
}

// A genuine API answer (success or the API's own refusal): the endpoint warning is over.
void Worker::api_answered() {
    if (!endpoint_warning_) return;
    endpoint_warning_ = false;
    store_.set_health(HealthKey::endpoint_warning, "");
    log("the endpoint answers as the national API again", Priority::notice);
}

RetrySettings Worker::retry_settings() const {
    return {c_.upload.backoff_base_s, c_.upload.backoff_cap_s};
}

double Worker::random_unit() {
    return static_cast<double>(random_below(1u << 30)) / static_cast<double>(1u << 30);
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

// How long an idle worker waits: the usual poll (a report the UI just queued goes within it),
// but while uploads are held back anyway (the pause after no connection or a 429/503, or the
// catch-up pace), until the first thing it has to do: the end of that wait, a periodic request,
// the minute's sync_alive. Signals wake it at once. A month offline is then a wake-up per probe
// and per minute instead of one a second (attempts_bench steps through it on a simulated clock).
std::int64_t Worker::idle_wait_ms() const {
    const auto now = clock_.mono_ms();
    if (!uploading() || !pending_contact_.empty() || !pending_error_.empty()) return idle_poll_ms_;
    std::int64_t held = 0;
    if (upload_pause_until_ > now)
        held = upload_pause_until_;
    else if (catching_up_ && unreachable_ == 0 && next_paced_ > now)
        held = next_paced_;
    if (held == 0) return idle_poll_ms_;
    auto until = std::min({held, next_alive_, next_purge_, next_heartbeat_});
    if (!catching_up_) until = std::min({until, next_status_, next_catalog_});
    return std::clamp<std::int64_t>(until - now, idle_poll_ms_, alive_every_ms);
}

// One turn of the loop; false when it is time to stop.
bool Worker::step(int signal_fd) {
    const auto now = clock_.mono_ms();
    if (stopping_ && (in_flight_.empty() || now >= stop_deadline_)) return false;
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
        if (count_of(q, OutboxState::queued) + count_of(q, OutboxState::sending) == 0) return false;
    }
    ping_watchdog();
    int timeout = in_flight_.empty() ? static_cast<int>(idle_wait_ms()) : 1000;
    if (watchdog_ms_) timeout = std::min<int>(timeout, static_cast<int>(*watchdog_ms_));
    bool woken = false;
    std::vector<std::pair<InFlight, HttpAnswer>> done;
    auto collect = [&](std::vector<Completion> got) {
        for (auto& [tag, answer] : got) {
            const auto it = in_flight_.find(tag);
            if (it == in_flight_.end()) continue;
            auto request = std::move(it->second);
            in_flight_.erase(it);
            read_answer(std::move(request), std::move(answer), done);
        }
    };
    collect(http_.wait(timeout, signal_fd, &woken));
    // Every answer a 2xx while the queue flows freely: lease and send the next reports before
    // the outcomes' commit (its fsync), so the server works on them meanwhile, and take the
    // answers that came in the while into the same commit. Otherwise the answers are applied
    // first (a 429, a 503 or a lost connection must pause the uploads before more are sent; the
    // probe's answer may start the catch-up pace).
    const bool all_2xx = !done.empty() && std::all_of(done.begin(), done.end(), [](auto& d) {
        return d.second.status && *d.second.status >= 200 && *d.second.status < 300;
    });
    if (all_2xx && uploading() && unreachable_ == 0 && !catching_up_) {
        fill_uploads();
        collect(http_.wait(0, -1, nullptr));
    }
    if (!done.empty()) finish_uploads(done);
    flush_health(false);
    if (woken) on_signal(signal_fd);
    return true;
}

void Worker::on_signal(int signal_fd) {
    const int s = handle_signals(signal_fd);
    if (s == 2 && !stopping_) {
        stopping_ = true;
        stop_deadline_ = clock_.mono_ms() + 5000;
        log("stopping (" + std::to_string(in_flight_.size()) +
            " upload request(s) still in flight are finished or taken back at the next start)");
        notify_systemd("STOPPING=1");
    } else if (s == 1) {
        log("woken (sync-now): uploading what is due and refreshing now");
        next_enroll_ = next_status_ = next_catalog_ = next_heartbeat_ = 0;
        check_token_file();
    }
}

// The database failed (full disk, I/O error, locked for minutes, ...): say so, wait with a
// growing delay while still answering signals and the watchdog, then carry on. Answers that
// arrive meanwhile are dropped; their reports stay leased until the lease ends and are sent
// again then (safely: the server answers a repeat with its first answer).
void Worker::store_failed(const std::exception& e, int signal_fd) {
    const auto delay = std::max<std::int64_t>(
        100, backoff_ms(store_failures_, 0.5, 60.0, 0.5 + 0.5 * random_unit()));
    ++store_failures_;
    log(std::string("the database failed (") + e.what() +
            "); nothing saved is lost, lapor-sync carries on and tries again in " +
            seconds_text(delay) + " s",
        Priority::err);
    try {
        store_.set_health(HealthKey::last_error,
                          iso_utc(clock_.now_ms()) + " the database failed: " + e.what());
    } catch (const std::exception&) {
        // the same failure, most likely: the log line above says it
    }
    const auto until = clock_.mono_ms() + delay;
    while (clock_.mono_ms() < until) {
        ping_watchdog();
        bool woken = false;
        const auto left = static_cast<int>(std::min<std::int64_t>(until - clock_.mono_ms(), 1000));
        for (auto& [tag, answer] : http_.wait(std::max(left, 1), signal_fd, &woken)) {
            (void)answer;
            in_flight_.erase(tag);
        }
        if (woken) on_signal(signal_fd);
        if (stopping_) return;
    }
}

int Worker::run(int signal_fd) {
    // A long request (up to total_timeout_s) must not starve the systemd watchdog.
    http_.while_waiting = [this] { ping_watchdog(); };
    bool started = false, ready = false;
    for (;;) {
        try {
            if (!started) {
                start_up();
                started = true;
            }
            if (!ready) {
                notify_systemd("READY=1\nSTATUS=uploading");
                ready = true;
            }
            if (!step(signal_fd)) break;
            store_failures_ = 0;
        } catch (const std::exception& e) {
            // Ready anyway: systemd must not kill a worker that is waiting for its database.
            if (!ready) notify_systemd("READY=1\nSTATUS=waiting for the database");
            ready = true;
            store_failed(e, signal_fd);
            if (stopping_ && in_flight_.empty()) break;
        }
    }
    try {
        flush_health(true);
    } catch (const std::exception& e) {
        log(std::string("could not record the last contact and error: ") + e.what(),
            Priority::warning);
    }
    log("stopped; " + std::to_string(in_flight_.size()) +
        " upload(s) left in flight will be sent again at the next start");
    return 0;
}

}  // namespace lapor::sync
