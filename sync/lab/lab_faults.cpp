#include "lab_faults.h"

#include <vector>

namespace lapor::lab {

std::string_view to_string(Fault f) {
    switch (f) {
        case Fault::refuse: return "refuse";
        case Fault::wrong_host_cert: return "wrong_host_cert";
        case Fault::reset_before_body: return "reset_before_body";
        case Fault::reset_after_commit: return "reset_after_commit";
        case Fault::http_500: return "http_500";
        case Fault::http_503: return "http_503";
        case Fault::http_429: return "http_429";
        case Fault::slow: return "slow";
        case Fault::malformed_json: return "malformed_json";
        case Fault::html_200: return "html_200";
        case Fault::proxy_html_400: return "proxy_html_400";
        case Fault::enroll_lost_reply: return "enroll_lost_reply";
        case Fault::waf_html_403: return "waf_html_403";
    }
    return "?";
}

std::optional<Fault> fault_from(std::string_view s) {
    for (Fault f : all_faults)
        if (to_string(f) == s) return f;
    return std::nullopt;
}

bool is_connection_fault(Fault f) { return f == Fault::refuse || f == Fault::wrong_host_cert; }

FaultTarget target_of(Fault f, bool tls) {
    // Over plain HTTP there is no handshake: refuse fires per report request instead.
    if (is_connection_fault(f)) return tls ? FaultTarget::connection : FaultTarget::report;
    if (f == Fault::enroll_lost_reply) return FaultTarget::enroll;
    if (f == Fault::waf_html_403) return FaultTarget::periodic;
    return FaultTarget::report;
}

void FaultPlan::arm(Fault f, int count) {
    std::lock_guard lock(mu_);
    counts_[f].armed += count;
}

std::optional<Fault> FaultPlan::take(FaultTarget where) {
    std::lock_guard lock(mu_);
    std::vector<std::pair<Fault, int>> live;
    int total = 0;
    for (const auto& [f, c] : counts_) {
        if (f == Fault::wrong_host_cert && !tls_) continue;
        if (target_of(f, tls_) != where) continue;
        if (c.fired < c.armed) live.emplace_back(f, c.armed - c.fired), total += c.armed - c.fired;
    }
    if (total == 0) return std::nullopt;
    auto pick = std::uniform_int_distribution<int>(0, total - 1)(rng_);
    for (const auto& [f, left] : live) {
        if (pick < left) {
            ++counts_[f].fired;
            return f;
        }
        pick -= left;
    }
    return std::nullopt;
}

std::optional<Fault> FaultPlan::take_request_fault() { return take(FaultTarget::report); }
std::optional<Fault> FaultPlan::take_connection_fault() { return take(FaultTarget::connection); }
std::optional<Fault> FaultPlan::take_enroll_fault() { return take(FaultTarget::enroll); }
std::optional<Fault> FaultPlan::take_periodic_fault() { return take(FaultTarget::periodic); }

void FaultPlan::count_forced(Fault f) {
    std::lock_guard lock(mu_);
    ++counts_[f].fired;
}

std::map<Fault, FaultPlan::Count> FaultPlan::counts() {
    std::lock_guard lock(mu_);
    return counts_;
}

}  // namespace lapor::lab
