#include "retry_policy.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "backoff.h"

namespace lapor::sync {
namespace {

using nlohmann::json;

bool is_json_type(std::string_view content_type) {
    std::string t;
    for (char c : content_type.substr(0, content_type.find(';')))
        if (c != ' ' && c != '\t')
            t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return t == "application/json";
}

bool valid_code(const std::string& c) {
    if (c.empty() || c.size() > 64 || c[0] < 'a' || c[0] > 'z') return false;
    return std::all_of(c.begin(), c.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    });
}

// What this kind of request does next after a failure, said truthfully for each kind.
std::string consequence(RequestKind k) {
    switch (k) {
        case RequestKind::upload:
            return "the report will be sent again safely (the server recognises a repeat)";
        case RequestKind::enroll:
            return "enrollment is tried again with the same code (safe: the server recognises a "
                   "repeat from this device)";
        case RequestKind::status: return "statuses are asked for again at the next refresh";
        case RequestKind::catalog:
            return "the kiosk keeps its current catalog and asks again later";
        case RequestKind::heartbeat: return "the next heartbeat goes at its usual time";
    }
    return "";
}

std::string prefix(RequestKind k) {
    switch (k) {
        case RequestKind::upload: return "";
        case RequestKind::enroll: return "enrollment: ";
        case RequestKind::status: return "status refresh: ";
        case RequestKind::catalog: return "catalog refresh: ";
        case RequestKind::heartbeat: return "heartbeat: ";
    }
    return "";
}

std::int64_t backoff(int failures, const RetrySettings& s, double unit) {
    return backoff_ms(failures, s.base_s, s.cap_s, unit);
}

std::int64_t long_backoff(int failures, const RetrySettings& s, double unit) {
    const double bound = backoff_bound_s(failures + unexpected_extra_failures, s.base_s, s.cap_s);
    return static_cast<std::int64_t>((0.5 + 0.5 * std::clamp(unit, 0.0, 1.0)) * bound * 1000.0);
}

std::string envelope_words(int status, const Envelope& e) {
    std::string out = std::to_string(status) + " " + e.code;
    if (!e.field.empty()) out += " (" + printable(e.field, 64) + ")";
    return out + ": " + printable(e.message, 300);
}

// True when the answer is the kind's success; fills the decision's payload.
bool success(RequestKind k, const HttpAnswer& a, Decision& d) {
    const int s = *a.status;
    switch (k) {
        case RequestKind::upload:
            if (s != 200 && s != 201) return false;
            d.accepted = parse_accepted(a.body);
            if (!d.accepted) return false;
            d.words = s == 201 ? "accepted" : "accepted (the server already had it)";
            return true;
        case RequestKind::enroll:
            if (s != 200 && s != 201) return false;
            d.token = parse_token(a.body);
            d.words = "enrolled";
            return d.token.has_value();
        case RequestKind::status:
            d.words = "statuses received";
            return s == 200 && parse_status(a.body).has_value();
        case RequestKind::catalog:
            d.words = s == 304 ? "catalog unchanged" : "catalog received";
            return s == 304 || (s == 200 && catalog_version(a.body).has_value());
        case RequestKind::heartbeat: d.words = "heartbeat received"; return s == 200 || s == 204;
    }
    return false;
}

// Not the national API's answer: a long backoff, and words that say so.
Decision unexpected(RequestKind kind, const HttpAnswer& a, int failures, const RetrySettings& s,
                    double unit, Decision d) {
    d.outcome = Outcome::unexpected;
    d.delay_ms = long_backoff(failures, s, unit);
    std::string what = a.status ? std::to_string(*a.status) : std::string("?");
    if (!a.content_type.empty()) what += " " + printable(a.content_type, 60);
    what += a.body.empty() ? ", empty body" : ": " + printable(a.body, 80);
    const char* counted = kind == RequestKind::upload   ? "the report is NOT counted as sent; "
                          : kind == RequestKind::enroll ? "it is NOT counted as an answer; "
                                                        : "";
    d.words = prefix(kind) + not_the_api_words + " [" + what + "]; " + counted + consequence(kind) +
              " after a long wait";
    return d;
}

}  // namespace

std::string_view to_string(RequestKind k) {
    switch (k) {
        case RequestKind::enroll: return "enroll";
        case RequestKind::upload: return "upload";
        case RequestKind::status: return "status";
        case RequestKind::catalog: return "catalog";
        case RequestKind::heartbeat: return "heartbeat";
    }
    return "?";
}

std::string_view to_string(Outcome o) {
    switch (o) {
        case Outcome::done: return "done";
        case Outcome::conflict: return "conflict";
        case Outcome::held: return "held";
        case Outcome::code_refused: return "code_refused";
        case Outcome::reenroll: return "reenroll";
        case Outcome::pause_all: return "pause_all";
        case Outcome::retry: return "retry";
        case Outcome::unexpected: return "unexpected";
    }
    return "?";
}

std::optional<Envelope> parse_envelope(const HttpAnswer& a) {
    if (!a.status || *a.status < 400 || *a.status > 599 || !is_json_type(a.content_type))
        return std::nullopt;
    const json j = json::parse(a.body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.size() != 1) return std::nullopt;
    const auto e = j.find("error");
    if (e == j.end() || !e->is_object()) return std::nullopt;
    const auto code = e->find("code");
    const auto message = e->find("message");
    const auto field = e->find("field");
    if (code == e->end() || !code->is_string() || !valid_code(code->get<std::string>()))
        return std::nullopt;
    if (message == e->end() || !message->is_string()) return std::nullopt;
    if (field != e->end() && !field->is_string()) return std::nullopt;
    return Envelope{code->get<std::string>(), message->get<std::string>(),
                    field == e->end() ? "" : field->get<std::string>()};
}

double usual_requests_per_s(const UsualTraffic& t) {
    auto per = [](double period_s) { return period_s > 0 ? 1.0 / period_s : 0.0; };
    return std::max(0.0, t.reports_per_day) / 86400.0 + per(t.heartbeat_s) +
           std::max(0, t.status_requests) * per(t.status_refresh_s) + per(t.catalog_refresh_s);
}

std::int64_t catch_up_gap_ms(const UsualTraffic& t, double factor) {
    if (factor <= 0) return 0;
    // The heartbeat keeps its own pace while catching up (the office's monitoring must see the
    // kiosk): the uploads get the rest of `factor` times the usual rate. Below 1, `factor` scales
    // the usual traffic other than the heartbeat.
    const double usual = usual_requests_per_s(t);
    const double hb = t.heartbeat_s > 0 ? 1.0 / t.heartbeat_s : 0.0;
    double rate = std::max(factor * usual - hb, factor * (usual - hb));
    if (rate <= 0) rate = factor * usual;
    if (rate <= 0) return 0;
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(1000.0 / rate));
}

Decision decide(RequestKind kind, const HttpAnswer& a, int failures, const RetrySettings& s,
                double unit, std::int64_t now_unix) {
    Decision d;
    const std::string pre = prefix(kind);
    if (!a.status) {
        // No connection at all (the address cannot be found or nobody accepts): the endpoint is
        // down for every report, so uploads pause and one report probes (a herd of kiosks each
        // retrying its whole queue would hammer the national side through an outage).
        const bool unreachable =
            a.transport == Transport::resolve || a.transport == Transport::connect;
        d.outcome =
            kind == RequestKind::upload && unreachable ? Outcome::pause_all : Outcome::retry;
        d.delay_ms = d.outcome == Outcome::pause_all
                         ? backoff_ms(failures, s.base_s,
                                      std::max(s.base_s, std::min(s.cap_s, probe_cap_s)), unit)
                         : backoff(failures, s, unit);
        // A certificate or pin refusal is a setting or an attacker, not a blip: wait long.
        if (a.transport == Transport::tls_verify) d.delay_ms = long_backoff(failures, s, unit);
        const std::string why = a.transport_error.empty() ? "no answer" : a.transport_error;
        d.words = pre + why + "; " + consequence(kind);
        return d;
    }
    const int st = *a.status;
    if (success(kind, a, d)) {
        d.outcome = Outcome::done;
        return d;
    }
    d.accepted.reset();
    d.token.reset();
    d.envelope = parse_envelope(a);
    const auto retry_after = parse_retry_after(a.retry_after, now_unix);
    if (st == 429 || st == 503) {
        // Overload: honoured with or without the envelope (load balancers send these too), and
        // never sooner than the backoff or backoff_base_s ("Retry-After: 0" must not loop).
        const auto b = backoff(failures, s, unit);
        d.delay_ms = std::max({b, static_cast<std::int64_t>(s.base_s * 1000.0),
                               static_cast<std::int64_t>(retry_after.value_or(0) * 1000.0)});
        d.outcome = kind == RequestKind::upload ? Outcome::pause_all : Outcome::retry;
        d.words = pre + "the server asked the kiosk to wait (" + describe_error(st, a.body) +
                  "); " + consequence(kind);
        return d;
    }
    if (st >= 500) {
        d.outcome = Outcome::retry;
        d.delay_ms = backoff(failures, s, unit);
        d.words =
            pre + "the server failed (" + describe_error(st, a.body) + "); " + consequence(kind);
        return d;
    }
    if (!d.envelope) return unexpected(kind, a, failures, s, unit, std::move(d));
    const Envelope& e = *d.envelope;
    const std::string ew = envelope_words(st, e);
    if (kind != RequestKind::enroll && st == 401 && e.code == "invalid_token") {
        d.outcome = Outcome::reenroll;
        d.words = pre + "the server revoked the kiosk's token (" + ew +
                  "); uploads stop until the kiosk is enrolled again (kioskctl enroll --code CODE)";
        return d;
    }
    switch (kind) {
        case RequestKind::upload:
            if (st == 409) {
                d.outcome = Outcome::conflict;
                d.words = "the server holds a different report under this report's id (" + ew +
                          "); staff should check it";
            } else if (st == 401) {
                d.outcome = Outcome::retry;
                d.delay_ms = long_backoff(failures, s, unit);
                d.words = "the server refused the request's authentication (" + ew +
                          "); tried again later (only invalid_token stops uploads)";
            } else {
                d.outcome = Outcome::held;
                d.words = "the server refused this report (" + ew +
                          "); it is held, the rest of the queue goes on; after a fix, "
                          "kioskctl requeue puts it back";
            }
            return d;
        case RequestKind::enroll:
            d.outcome = Outcome::code_refused;
            d.words = "the enrollment code was refused (" + ew +
                      "): ask for a new one and run kioskctl enroll --code CODE";
            return d;
        case RequestKind::status:
        case RequestKind::catalog:
        case RequestKind::heartbeat:
            d.outcome = Outcome::retry;
            d.delay_ms = long_backoff(failures, s, unit);
            d.words = pre + "the server refused the request (" + ew + "); " + consequence(kind);
            return d;
    }
    return d;
}

BatchReading read_batch(const HttpAnswer& a, const std::vector<std::string>& keys,
                        std::vector<HttpAnswer>* per_report) {
    if (!a.status) return BatchReading::whole;
    const int s = *a.status;
    if (s >= 400 && s < 500 && s != 401 && s != 429) return BatchReading::refused;
    if (s != 200) return BatchReading::whole;
    auto answers = parse_batch_answers(a.body, keys);
    if (!answers) return BatchReading::whole;
    if (per_report) *per_report = std::move(*answers);
    return BatchReading::per_report;
}

Decision decide_batch_not_taken(const HttpAnswer& a) {
    Decision d;
    d.outcome = Outcome::retry;
    d.envelope = parse_envelope(a);
    d.words = "the server did not take the batch it was in (" +
              describe_error(a.status.value_or(0), a.body) + "); it goes alone next";
    return d;
}

Decision decide_whole_batch(const HttpAnswer& a, int failures, const RetrySettings& s, double unit,
                            std::int64_t now_unix) {
    // A 2xx to a batch is only ever a results list (read_batch): anything else, even a body
    // that would be one report's success ({"id":...}), is taken for no report.
    if (a.status && *a.status >= 200 && *a.status < 300)
        return unexpected(RequestKind::upload, a, failures, s, unit, Decision{});
    return decide(RequestKind::upload, a, failures, s, unit, now_unix);
}

}  // namespace lapor::sync
