// Sections: [helpers] sockets and keys, [stats], [routes] API v1, receipt page, /lab/ control,
// [serve] TLS set-up, signals, the status schedule.
#include "lab_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <thread>

#include "catalog.h"
#include "crypto.h"
#include "files.h"
#include "identity.h"
#include "lab_db.h"
#include "lab_request.h"
#include "receipt.h"
#include "share.h"

namespace lapor::lab {
namespace {

using nlohmann::json;

// ---- [helpers] ----

thread_local std::optional<Fault> tl_fault;  // the request fault drawn for this request
thread_local bool tl_wrong_cert = false;     // this thread's connection got the wrong cert

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The server socket of the connection from addr:port (httplib does not hand it to handlers).
int find_socket(const std::string& addr, int port) {
    for (int fd = 3; fd < 65536; ++fd) {
        sockaddr_storage ss{};
        socklen_t len = sizeof ss;
        if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
            if (errno == EBADF && fd > 1024) break;
            continue;
        }
        char buf[INET6_ADDRSTRLEN] = {};
        int p = -1;
        if (ss.ss_family == AF_INET) {
            const auto* in = reinterpret_cast<const sockaddr_in*>(&ss);
            p = ntohs(in->sin_port);
            ::inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf);
        } else if (ss.ss_family == AF_INET6) {
            const auto* in = reinterpret_cast<const sockaddr_in6*>(&ss);
            p = ntohs(in->sin6_port);
            ::inet_ntop(AF_INET6, &in->sin6_addr, buf, sizeof buf);
        }
        if (p == port && addr == buf) return fd;
    }
    return -1;
}

// Cuts the connection: no answer; the close that follows sends a TCP reset.
void reset_socket(int fd) {
    if (fd < 0) return;
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::shutdown(fd, SHUT_RDWR);
}

void reset_connection(const httplib::Request& req) {
    reset_socket(find_socket(req.remote_addr, req.remote_port));
}

std::string html_escape(std::string_view s) {
    std::string o;
    for (char c : s) {
        switch (c) {
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '&': o += "&amp;"; break;
            case '"': o += "&quot;"; break;
            default: o += c;
        }
    }
    return o;
}

// Limits the reference server keeps before it reads a body or looks at a token: header count
// and size (httplib itself caps each line at 8 KiB), and no chunked bodies (the API needs
// Content-Length, so the 1 MiB body limit applies before anything is read).
constexpr std::size_t max_header_count = 64;
constexpr std::size_t max_header_bytes = 16 * 1024;

std::optional<ApiError> request_limits(const httplib::Request& req) {
    std::size_t bytes = 0;
    for (const auto& [k, v] : req.headers) bytes += k.size() + v.size() + 4;
    if (req.headers.size() > max_header_count || bytes > max_header_bytes)
        return ApiError{431, "headers_too_large",
                        "at most " + std::to_string(max_header_count) + " headers and " +
                            std::to_string(max_header_bytes) + " bytes of them",
                        ""};
    std::string te = req.get_header_value("Transfer-Encoding");
    for (auto& c : te) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!te.empty() && te != "identity")
        return ApiError{411, "length_required",
                        "send the body with Content-Length (chunked bodies are not accepted)", ""};
    return std::nullopt;
}

bool equal_tokens(const std::string& a, const std::string& b) {
    return !b.empty() && a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// ---- [stats] ----

struct Stats {
    std::mutex mu;
    // Report answers actually decided, by status: one per POST /v1/reports, one per item of a
    // batch (or one 401 for a batch without a valid token).
    std::map<int, int> answers;
    int created = 0;
    int replayed = 0;
    int conflicts = 0;
    int wrong_cert_requests = 0;  // requests read over a wrong-host connection (must stay 0)
};

struct Lab {
    LabOptions opt;
    LabDb db;
    FaultPlan faults;
    Stats stats;
    std::mutex catalog_mu;
    std::string catalog;
    std::string etag;
    std::optional<KeyPair> national;         // the key in use (--national-key)
    std::map<std::string, KeyPair> retired;  // key id -> a retired key still held
    std::string public_url;
    std::string admin_token;  // for /lab/*

    // The key a report's sealed.key_id names, or nullopt when the lab does not hold it.
    std::optional<KeyPair> key_for(const std::string& key_id) const {
        if (opt.key_id.empty() || key_id == opt.key_id) return national;
        if (const auto it = retired.find(key_id); it != retired.end()) return it->second;
        return std::nullopt;
    }

    explicit Lab(const LabOptions& o) : opt(o), db(o.dir + "/lab.db") {}

    void set_catalog(std::string body) {
        const auto c = Catalog::parse(body);  // throws CatalogError on a bad one
        std::lock_guard lock(catalog_mu);
        etag = "\"" + c.version() + "-" + sha256_hex(body).substr(0, 16) + "\"";
        catalog = std::move(body);
    }
};

void send_error(httplib::Response& res, const ApiError& e) {
    res.status = e.status;
    res.set_content(error_json(e), "application/json");
}

// The kiosk behind the bearer token, or an answer already written.
std::optional<std::string> authorise(Lab& lab, const httplib::Request& req,
                                     httplib::Response& res) {
    const auto token = bearer_token(req.get_header_value("Authorization"));
    const auto kiosk = token ? lab.db.kiosk_for_token(*token) : std::nullopt;
    if (!kiosk) {
        send_error(res, {401, "invalid_token",
                         "the token is missing, unknown or revoked; enroll the kiosk again", ""});
        return std::nullopt;
    }
    return kiosk;
}

// The /lab/ control endpoints need the lab admin token (DIR/lab-admin.token) as a bearer token.
bool lab_admin(Lab& lab, const httplib::Request& req, httplib::Response& res) {
    const auto token = bearer_token(req.get_header_value("Authorization"));
    if (token && equal_tokens(*token, lab.admin_token)) return true;
    send_error(res, {403, "lab_admin_only",
                     "the /lab/ endpoints need the lab admin token (Authorization: Bearer, from "
                     "DIR/lab-admin.token)",
                     ""});
    return false;
}

// ---- [routes] ----

void count_answer(Lab& lab, int status) {
    std::lock_guard lock(lab.stats.mu);
    ++lab.stats.answers[status];
    if (status == 201) ++lab.stats.created;
    if (status == 200) ++lab.stats.replayed;
    if (status == 409) ++lab.stats.conflicts;
}

// The request faults that answer in the lab's place before any report is read (nothing is
// stored); true when one did.
bool fault_answer(Lab& lab, std::optional<Fault> fault, httplib::Response& res) {
    if (fault == Fault::http_500) {
        send_error(res, {500, "internal", "the lab was told to fail (fault http_500)", ""});
        return true;
    }
    if (fault == Fault::http_503 || fault == Fault::http_429) {
        const int status = fault == Fault::http_503 ? 503 : 429;
        res.set_header("Retry-After", std::to_string(lab.opt.retry_after_s));
        send_error(res, {status, status == 503 ? "unavailable" : "too_many_requests",
                         "the lab was told to ask for a pause (fault)", ""});
        return true;
    }
    if (fault == Fault::proxy_html_400) {
        res.status = 400;
        res.set_content(
            "<html><head><title>400 Bad Request</title></head><body><center><h1>400 Bad "
            "Request</h1></center><hr><center>proxy</center></body></html>",
            "text/html");
        return true;
    }
    if (fault == Fault::html_200) {
        res.status = 200;
        res.set_content(
            "<!doctype html><html><body><h1>Wi-Fi login</h1><form>Accept the terms "
            "to continue</form></body></html>",
            "text/html");
        return true;
    }
    return false;
}

// Why a well-formed report of `kiosk` is refused before intake, or nullopt: another kiosk's
// report, a receipt not signed by a device key the kiosk enrolled (`enrolled`), a national key
// the lab does not hold, a sealed payload that key cannot open.
std::optional<ApiError> refusal(Lab& lab, const std::string& kiosk,
                                const std::vector<std::string>& enrolled, const ReportRequest& r) {
    if (r.kiosk_id != kiosk)
        return ApiError{403, "wrong_kiosk",
                        "this token belongs to kiosk " + kiosk + ", not " + r.kiosk_id, "kiosk_id"};
    // The receipt must be signed by a device key this kiosk enrolled, not just by the key the
    // request names. parse_report has verified the signature with that key already: when it is
    // an enrolled one, that verification stands.
    bool signed_by_enrolled = false;
    const auto sig = base64url_decode(r.signature);
    const ReceiptFields fields{r.tracking, r.kiosk_id, r.signed_at,
                               *classification_from(r.classification)};
    for (const auto& key : enrolled)
        signed_by_enrolled = signed_by_enrolled || key == r.device_public_key ||
                             (sig && ed25519_verify(canonical_receipt_string(fields), *sig, key));
    if (!signed_by_enrolled)
        return ApiError{422, "bad_receipt_signature",
                        "the receipt signature does not verify with the device key kiosk " + kiosk +
                            " enrolled",
                        "receipt.signature"};
    const auto key = lab.key_for(r.key_id);
    if (!key && !lab.opt.key_id.empty())
        return ApiError{422, "unknown_key_id",
                        "sealed.key_id " + r.key_id +
                            " is not a national key the lab holds (in use: " + lab.opt.key_id + ")",
                        "sealed.key_id"};
    if (key && !unseal(r.sealed, *key))
        return ApiError{422, "sealed_unreadable",
                        "sealed.payload does not open with the national key " + r.key_id,
                        "sealed.payload"};
    return std::nullopt;
}

struct ReportAnswer {
    int status = 0;
    std::string body;    // JSON: {id, tracking_url} or the envelope
    bool taken = false;  // reached intake (201, 200 or 409)
};

// What POST /v1/reports answers, from the kiosk behind the token, for each (Idempotency-Key,
// body) in turn: the single endpoint's one report and each item of a batch go through here. The
// request is read (parse_report) and checked (refusal) report by report; every report that
// passes is taken in, all in one transaction. Each answer is counted in the stats.
std::vector<ReportAnswer> answer_reports(Lab& lab, const std::string& kiosk,
                                         const std::vector<BatchItem>& items) {
    std::vector<ReportAnswer> out(items.size());
    std::vector<ReportRequest> passed;
    std::vector<std::size_t> passed_at;  // passed[i] answers items[passed_at[i]]
    passed.reserve(items.size());
    const auto enrolled = lab.db.enrolled_keys(kiosk);
    for (std::size_t i = 0; i < items.size(); ++i) {
        auto parsed = parse_report(items[i].body, items[i].idempotency_key);
        std::optional<ApiError> refused;
        if (auto* e = std::get_if<ApiError>(&parsed))
            refused = std::move(*e);
        else
            refused = refusal(lab, kiosk, enrolled, std::get<ReportRequest>(parsed));
        if (refused) {
            out[i] = {refused->status, error_json(*refused), false};
            continue;
        }
        passed.push_back(std::move(std::get<ReportRequest>(parsed)));
        passed_at.push_back(i);
    }
    if (!passed.empty()) {
        std::vector<LabDb::IntakeItem> intake;
        intake.reserve(passed.size());
        for (std::size_t i = 0; i < passed.size(); ++i)
            intake.push_back({&passed[i], &items[passed_at[i]].body});
        auto results = lab.db.intake_many(intake, lab.public_url, now_ms());
        for (std::size_t i = 0; i < passed.size(); ++i)
            out[passed_at[i]] = {results[i].status, std::move(results[i].answer), true};
    }
    for (const auto& a : out) count_answer(lab, a.status);
    return out;
}

// The answer once the reports are committed, through the faults that strike after the commit.
void send_committed(Lab& lab, const httplib::Request& req, httplib::Response& res,
                    std::optional<Fault> fault, int status, const std::string& body) {
    if (fault == Fault::reset_after_commit) return reset_connection(req);
    if (fault == Fault::slow)
        std::this_thread::sleep_for(std::chrono::milliseconds(lab.opt.slow_ms));
    res.status = status;
    if (fault == Fault::malformed_json)
        res.set_content(body.substr(0, body.size() / 2), "application/json");
    else
        res.set_content(body, "application/json");
}

void post_report(Lab& lab, const httplib::Request& req, httplib::Response& res) {
    const auto fault = std::exchange(tl_fault, std::nullopt);
    const auto kiosk = authorise(lab, req, res);
    if (!kiosk) return count_answer(lab, 401);
    if (fault_answer(lab, fault, res)) return;
    const auto answer =
        answer_reports(lab, *kiosk, {{req.get_header_value("Idempotency-Key"), req.body}}).front();
    if (!answer.taken) {
        res.status = answer.status;
        res.set_content(answer.body, "application/json");
        return;
    }
    send_committed(lab, req, res, fault, answer.status, answer.body);
}

// Several reports in one request (docs/api.md, "Batch upload"): each item is answered as
// POST /v1/reports would answer it alone; the token, the faults and the batch's shape are
// whole-batch answers.
void post_batch(Lab& lab, const httplib::Request& req, httplib::Response& res) {
    const auto fault = std::exchange(tl_fault, std::nullopt);
    const auto kiosk = authorise(lab, req, res);
    if (!kiosk) return count_answer(lab, 401);
    if (fault_answer(lab, fault, res)) return;
    const auto batch = parse_batch(req.body);
    if (const auto* e = std::get_if<ApiError>(&batch)) return send_error(res, *e);
    const auto& items = std::get<std::vector<BatchItem>>(batch);
    const auto answers = answer_reports(lab, *kiosk, items);
    // Each answer is already JSON; only the keys need encoding (valid UTF-8: parse_batch read
    // them from JSON).
    std::string body = "{\"results\":[";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) body += ',';
        body += "{\"idempotency_key\":" + json(items[i].idempotency_key).dump() +
                ",\"status\":" + std::to_string(answers[i].status) +
                ",\"answer\":" + answers[i].body + "}";
    }
    body += "]}";
    send_committed(lab, req, res, fault, 200, body);
}

// A firewall's HTML page in front of the API (fault waf_html_403); true when it answered.
bool waf_fault(Lab& lab, httplib::Response& res) {
    if (lab.faults.take_periodic_fault() != Fault::waf_html_403) return false;
    res.status = 403;
    res.set_content(
        "<html><body><h1>Access denied</h1><p>Request blocked by the web application "
        "firewall.</p></body></html>",
        "text/html");
    return true;
}

void get_status(Lab& lab, const httplib::Request& req, httplib::Response& res) {
    if (waf_fault(lab, res)) return;
    const auto kiosk = authorise(lab, req, res);
    if (!kiosk) return;
    const auto ids = parse_status_ids(req.get_param_value("ids"));
    if (const auto* e = std::get_if<ApiError>(&ids)) return send_error(res, *e);
    json out = json::array();
    for (const auto& r : lab.db.find_many(std::get<std::vector<std::string>>(ids), *kiosk))
        out.push_back({{"id", r.id},
                       {"status", r.status},
                       {"agency", r.agency},
                       {"updated_at", r.updated_unix},
                       {"public_reply", r.public_reply}});
    res.set_content(json{{"reports", out}}.dump(), "application/json");
}

void receipt_page(Lab& lab, const httplib::Request& req, httplib::Response& res) {
    const std::string tracking = req.matches[1];
    std::string url = lab.public_url + "/r/" + tracking + "?";
    for (const char* k : {"k", "t", "c", "s"})
        if (req.has_param(k)) url += std::string(k) + "=" + req.get_param_value(k) + "&";
    url.pop_back();
    // Every key a kiosk enrolled with stays in the keyring (a re-flash adds one); the verifier
    // tries each of the kiosk's keys.
    const Keyring keyring = lab.db.keyring();
    const auto v = verify_receipt_url(url, keyring, VerifyOptions{{lab.public_url}, false});
    const auto report = lab.db.find(tracking);
    std::string body =
        "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
        "content=\"width=device-width\"><title>LAPOR! " +
        html_escape(tracking) + "</title></head><body><h1>LAPOR! &middot; " +
        html_escape(tracking) + "</h1>";
    if (v.result == VerifyResult::genuine)
        body += "<p class=\"genuine\">Tanda terima asli / genuine receipt (kiosk " +
                html_escape(v.fields->kiosk_id) + ").</p>";
    else
        body += "<p class=\"not-genuine\">Tanda terima TIDAK dapat diverifikasi / NOT genuine: " +
                html_escape(v.detail) + " (" + std::string(to_string(v.result)) + ")</p>";
    // The status (and the agency's reply) only for a genuine receipt: a guessed tracking code
    // learns nothing.
    if (v.result != VerifyResult::genuine)
        body += "<p>Status is shown only for a genuine receipt.</p>";
    else if (report)
        body += "<p>Status: <b class=\"status\">" + html_escape(report->status) + "</b>" +
                (report->agency.empty() ? "" : " &middot; " + html_escape(report->agency)) +
                " &middot; " + html_escape(report->id) + "</p>" +
                (report->public_reply.empty()
                     ? ""
                     : "<p class=\"reply\">" + html_escape(report->public_reply) + "</p>");
    else
        body +=
            "<p>Status: <b class=\"status\">belum diterima / not received yet</b> (the kiosk "
            "uploads it when it is online)</p>";
    res.status = v.result == VerifyResult::genuine ? 200 : 400;
    res.set_content(body + "</body></html>", "text/html; charset=utf-8");
}

json stats_json(Lab& lab) {
    json faults = json::object();
    for (const auto& [f, c] : lab.faults.counts())
        faults[std::string(to_string(f))] = {{"armed", c.armed}, {"fired", c.fired}};
    std::lock_guard lock(lab.stats.mu);
    json answers = json::object();
    for (const auto& [s, n] : lab.stats.answers) answers[std::to_string(s)] = n;
    return {{"faults", faults},
            {"answers", answers},
            {"created", lab.stats.created},
            {"replayed", lab.stats.replayed},
            {"conflicts", lab.stats.conflicts},
            {"wrong_cert_requests", lab.stats.wrong_cert_requests},
            {"reports", lab.db.report_count()}};
}

void routes(httplib::Server& srv, Lab& lab) {
    srv.set_pre_routing_handler([&lab](const httplib::Request& req, httplib::Response& res) {
        if (tl_wrong_cert) {
            std::lock_guard lock(lab.stats.mu);
            ++lab.stats.wrong_cert_requests;
        }
        // Runs before any body is read (httplib reads it after this handler).
        using HR = httplib::Server::HandlerResponse;
        if (const auto refused = request_limits(req)) {
            send_error(res, *refused);
            res.set_header("Connection", "close");
            return HR::Handled;
        }
        if (req.method == "POST" &&
            (req.path == "/v1/reports" || req.path == "/v1/reports/batch")) {
            tl_fault = lab.faults.take_request_fault();
            // Per request: `X-Lab-Fault: MODE` forces that fault on this request (counted).
            if (const auto forced = fault_from(req.get_header_value("X-Lab-Fault"));
                forced && target_of(*forced, true) == FaultTarget::report) {
                lab.faults.arm(*forced, 1);
                lab.faults.count_forced(*forced);
                tl_fault = forced;
            }
            if (tl_fault == Fault::reset_before_body || tl_fault == Fault::refuse) {
                reset_connection(req);
                return HR::Handled;
            }
        }
        return HR::Unhandled;
    });
    srv.Post("/v1/enroll", [&lab](const httplib::Request& req, httplib::Response& res) {
        const auto parsed = parse_enroll(req.body);
        if (const auto* e = std::get_if<ApiError>(&parsed)) return send_error(res, *e);
        const auto r = lab.db.enroll(std::get<EnrollRequest>(parsed), now_ms());
        if (const auto* e = std::get_if<ApiError>(&r)) return send_error(res, *e);
        // Enrolled and committed, but the kiosk never hears it.
        if (lab.faults.take_enroll_fault() == Fault::enroll_lost_reply)
            return reset_connection(req);
        res.status = 201;
        res.set_content(json{{"token", std::get<std::string>(r)}}.dump(), "application/json");
    });
    srv.Post("/v1/reports", [&lab](const httplib::Request& req, httplib::Response& res) {
        post_report(lab, req, res);
    });
    srv.Post("/v1/reports/batch", [&lab](const httplib::Request& req, httplib::Response& res) {
        post_batch(lab, req, res);
    });
    srv.Get("/v1/reports/status", [&lab](const httplib::Request& req, httplib::Response& res) {
        get_status(lab, req, res);
    });
    srv.Get("/v1/catalog", [&lab](const httplib::Request& req, httplib::Response& res) {
        if (waf_fault(lab, res)) return;
        if (!authorise(lab, req, res)) return;
        std::lock_guard lock(lab.catalog_mu);
        res.set_header("ETag", lab.etag);
        if (req.get_header_value("If-None-Match") == lab.etag) {
            res.status = 304;
            return;
        }
        res.set_content(lab.catalog, "application/json");
    });
    srv.Post("/v1/heartbeat", [&lab](const httplib::Request& req, httplib::Response& res) {
        if (waf_fault(lab, res)) return;
        const auto kiosk = authorise(lab, req, res);
        if (!kiosk) return;
        const auto hb = parse_heartbeat(req.body);
        if (const auto* e = std::get_if<ApiError>(&hb)) return send_error(res, *e);
        const auto& h = std::get<Heartbeat>(hb);
        if (h.kiosk_id != *kiosk)
            return send_error(
                res, {403, "wrong_kiosk", "this token belongs to kiosk " + *kiosk, "kiosk_id"});
        lab.db.heartbeat(h.kiosk_id, h.json, now_ms());
        res.status = 204;
    });
    srv.Get(R"(/r/([0-9A-Za-z-]{1,32}))",
            [&lab](const httplib::Request& req, httplib::Response& res) {
                receipt_page(lab, req, res);
            });
    // Control endpoints for tests and technicians (the lab listens on loopback).
    srv.Get("/lab/stats", [&lab](const httplib::Request& req, httplib::Response& res) {
        if (!lab_admin(lab, req, res)) return;
        res.set_content(stats_json(lab).dump(), "application/json");
    });
    srv.Post("/lab/faults", [&lab](const httplib::Request& req, httplib::Response& res) {
        if (!lab_admin(lab, req, res)) return;
        const auto j = json::parse(req.body, nullptr, false);
        if (!j.is_object()) return send_error(res, {400, "malformed_json", "send {mode: n}", ""});
        for (const auto& [k, v] : j.items()) {
            const auto f = fault_from(k);
            if (!f || !v.is_number_integer())
                return send_error(res, {422, "unknown_fault", "no fault called " + k, k});
            lab.faults.arm(*f, v.get<int>());
        }
        res.set_content(stats_json(lab).dump(), "application/json");
    });
    srv.Post("/lab/revoke", [&lab](const httplib::Request& req, httplib::Response& res) {
        if (!lab_admin(lab, req, res)) return;
        if (!lab.db.revoke(req.get_param_value("kiosk")))
            return send_error(res, {404, "unknown_kiosk", "no such kiosk", "kiosk"});
        res.status = 204;
    });
    srv.Post("/lab/advance", [&lab](const httplib::Request& req, httplib::Response& res) {
        if (!lab_admin(lab, req, res)) return;
        std::optional<std::string> reply;
        if (req.has_param("reply")) reply = req.get_param_value("reply");
        const int n = lab.db.advance(req.get_param_value("id"), now_ms(), reply);
        res.set_content(json{{"advanced", n}}.dump(), "application/json");
    });
    srv.Post("/lab/catalog", [&lab](const httplib::Request& req, httplib::Response& res) {
        if (!lab_admin(lab, req, res)) return;
        try {
            lab.set_catalog(req.body);
        } catch (const std::exception& e) {
            return send_error(res, {422, "bad_catalog", e.what(), ""});
        }
        res.status = 204;
    });
    srv.Get("/lab/heartbeat", [&lab](const httplib::Request& req, httplib::Response& res) {
        if (!lab_admin(lab, req, res)) return;
        const auto hb = lab.db.last_heartbeat(req.get_param_value("kiosk"));
        if (!hb) return send_error(res, {404, "no_heartbeat", "no heartbeat yet", "kiosk"});
        res.set_content(*hb, "application/json");
    });
    srv.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
            std::string what = "unknown error";
            try {
                std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                what = e.what();
            } catch (...) {
            }
            send_error(res, {500, "internal", "the lab failed: " + what, ""});
        });
    if (!lab.opt.quiet) {
        srv.set_logger([](const httplib::Request& req, const httplib::Response& res) {
            std::fprintf(stderr, "lapor-lab: %s %s -> %d\n", req.method.c_str(), req.path.c_str(),
                         res.status);
        });
    }
}

// ---- [serve] ----

int client_hello(SSL* ssl, int*, void* arg) {
    auto* lab = static_cast<Lab*>(arg);
    tl_wrong_cert = false;
    const auto f = lab->faults.take_connection_fault();
    if (f == Fault::refuse) {
        reset_socket(SSL_get_fd(ssl));
        return SSL_CLIENT_HELLO_ERROR;
    }
    if (f == Fault::wrong_host_cert) {
        tl_wrong_cert = true;
        if (SSL_use_certificate_chain_file(ssl, lab->opt.wrong_cert.c_str()) != 1 ||
            SSL_use_PrivateKey_file(ssl, lab->opt.wrong_key.c_str(), SSL_FILETYPE_PEM) != 1)
            return SSL_CLIENT_HELLO_ERROR;
    }
    return SSL_CLIENT_HELLO_SUCCESS;
}

}  // namespace

std::string lab_admin_token_path(const std::string& dir) { return dir + "/lab-admin.token"; }

KeyPair load_national_key(const std::string& path) {
    const auto text = read_text_file(path);
    if (!text) throw std::runtime_error("cannot read the national key " + path);
    std::string t = *text;
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
    const auto sk = base64_decode(t);
    if (!sk || sk->size() != crypto_box_SECRETKEYBYTES)
        throw std::runtime_error(path + " is not a base64 X25519 private key (32 bytes)");
    std::string pk(crypto_box_PUBLICKEYBYTES, '\0');
    crypto_scalarmult_base(reinterpret_cast<unsigned char*>(pk.data()),
                           reinterpret_cast<const unsigned char*>(sk->data()));
    return KeyPair{pk, *sk};
}

int serve(const LabOptions& o) {
    crypto_init();
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    Lab lab(o);
    const bool tls = !o.cert.empty();
    lab.faults.set_tls(tls);
    for (const auto& [f, n] : o.faults) lab.faults.arm(f, n);
    try {
        const std::string path = o.catalog_file.empty() ? default_catalog_path() : o.catalog_file;
        const auto text = read_text_file(path);
        if (!text) throw std::runtime_error("cannot read " + path);
        lab.set_catalog(*text);
        if (!o.national_key_file.empty()) lab.national = load_national_key(o.national_key_file);
        for (const auto& [id, file] : o.retired_keys) lab.retired[id] = load_national_key(file);
        const auto token_file = lab_admin_token_path(o.dir);
        if (const auto t = read_text_file(token_file); t && t->size() > 16) {
            lab.admin_token = t->substr(0, t->find('\n'));
        } else {
            lab.admin_token = base64url_encode(random_bytes(24));
            write_private_file(token_file, lab.admin_token + "\n", 0600);
        }
    } catch (const std::exception& e) {
        std::cerr << "lapor-lab: " << e.what() << "\n";
        return 3;
    }
    if (tls && (o.wrong_cert.empty() != o.wrong_key.empty())) {
        std::cerr << "lapor-lab: give both --wrong-cert and --wrong-key\n";
        return 2;
    }

    std::unique_ptr<httplib::Server> srv;
    if (tls) {
        srv = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
            if (SSL_CTX_use_certificate_chain_file(&ctx, o.cert.c_str()) != 1 ||
                SSL_CTX_use_PrivateKey_file(&ctx, o.key.c_str(), SSL_FILETYPE_PEM) != 1)
                return false;
            SSL_CTX_set_client_hello_cb(&ctx, client_hello, &lab);
            return true;
        });
    } else {
        srv = std::make_unique<httplib::Server>();
    }
    if (!srv->is_valid()) {
        std::cerr << "lapor-lab: the certificate " << o.cert << " or key " << o.key
                  << " cannot be used; check both files (PEM) and that they belong together\n";
        return 3;
    }
    // httplib gives each connection a thread, held while a client is silent for up to the read
    // timeout (also the TLS handshake's): room for many kiosks beside 64 silent clients, and
    // short idle limits so silence costs a thread for seconds, not minutes.
    srv->new_task_queue = [] { return new httplib::ThreadPool(192); };
    srv->set_read_timeout(5, 0);
    srv->set_write_timeout(5, 0);
    srv->set_tcp_nodelay(true);  // else Nagle + delayed ACK hold each answer ~40 ms
    srv->set_keep_alive_max_count(100000);
    srv->set_keep_alive_timeout(5);
    srv->set_payload_max_length(1 << 20);
    routes(*srv, lab);

    int port = o.port;
    if (port == 0) {
        port = srv->bind_to_any_port(o.host);
    } else if (!srv->bind_to_port(o.host, port)) {
        port = -1;
    }
    if (port <= 0) {
        std::cerr << "lapor-lab: cannot listen on " << o.host << ":" << o.port
                  << " (in use, or not an address of this machine)\n";
        return 3;
    }
    lab.public_url = o.public_url.empty() ? std::string(tls ? "https://" : "http://") + o.host +
                                                ":" + std::to_string(port)
                                          : o.public_url;
    if (!o.port_file.empty()) {
        const std::string tmp = o.port_file + ".tmp";
        std::ofstream(tmp) << port << "\n";
        std::rename(tmp.c_str(), o.port_file.c_str());
    }
    std::cerr << "lapor-lab: listening on " << lab.public_url << " (database " << o.dir
              << "/lab.db)\n";

    std::atomic<bool> stopping{false};
    std::mutex mu;
    std::condition_variable cv;
    std::thread advancer([&] {
        if (o.advance_every_s <= 0) return;
        const auto every = static_cast<std::int64_t>(o.advance_every_s * 1000);
        std::unique_lock lock(mu);
        while (!stopping) {
            cv.wait_for(lock, std::chrono::milliseconds(std::max<std::int64_t>(every / 4, 10)));
            if (stopping) break;
            lock.unlock();
            try {
                lab.db.advance_due(every, now_ms());
            } catch (const std::exception& e) {
                std::cerr << "lapor-lab: status schedule: " << e.what() << "\n";
            }
            lock.lock();
        }
    });
    std::thread waiter([&] {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        stopping = true;
        cv.notify_all();
        srv->stop();
    });
    srv->listen_after_bind();
    if (!stopping) {
        stopping = true;
        cv.notify_all();
        ::kill(::getpid(), SIGTERM);  // release the waiter
    }
    waiter.join();
    advancer.join();
    std::cerr << "lapor-lab: stopped\n";
    return 0;
}

}  // namespace lapor::lab
