// The HTTP edge of the sync worker: requests started with a tag, answers collected as they
// complete (a small bounded number in flight), plus a blocking perform() for the occasional
// request. The real one is libcurl (curl_http.cpp); tests of the parts around may use a fake.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api.h"

namespace lapor {
struct Config;
}

namespace lapor::sync {

struct HttpRequest {
    std::string method = "GET";  // GET or POST
    std::string path;            // appended to the endpoint, e.g. /v1/reports
    std::string body;
    std::vector<std::string> headers;  // "Name: value"
};

using Completion = std::pair<std::uint64_t, HttpAnswer>;

class HttpClient {
public:
    virtual ~HttpClient() = default;
    virtual void start(std::uint64_t tag, HttpRequest r) = 0;
    virtual std::size_t in_flight() const = 0;

    // Completed requests; waits up to timeout_ms when none is ready. Returns early, with
    // *woken = true, when wake_fd (>= 0) becomes readable.
    std::vector<Completion> wait(int timeout_ms, int wake_fd, bool* woken);
    // Starts one request and waits for its answer; other answers are kept for wait().
    // `while_waiting` (if set) runs about once a second meanwhile (the systemd watchdog).
    HttpAnswer perform(HttpRequest r);
    std::function<void()> while_waiting;

protected:
    virtual std::vector<Completion> poll(int timeout_ms, int wake_fd, bool* woken) = 0;

private:
    std::deque<Completion> pending_;
    std::uint64_t private_tag_ = ~std::uint64_t{0};
};

struct HttpSettings {
    std::string endpoint;  // base URL without a trailing slash
    std::string ca_file;
    std::string pin_sha256;  // base64 SHA-256 of the server's public key, or empty
    std::string proxy;       // empty: no proxy (the environment's proxy variables are ignored)
    double connect_timeout_s = 10;
    double total_timeout_s = 60;
    double stall_timeout_s = 20;  // a transfer under 1 byte/s this long fails on its own
    int max_in_flight = 8;
    static HttpSettings from(const Config& c);
};

std::unique_ptr<HttpClient> make_curl_client(const HttpSettings& s);

}  // namespace lapor::sync
