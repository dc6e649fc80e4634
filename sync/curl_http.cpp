// libcurl behind HttpClient: one multi handle (its connection cache gives keep-alive and TLS
// session reuse; HTTP/2 multiplexing where the server offers it), easy handles reused.
#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>

#include "config.h"
#include "http.h"

namespace lapor::sync {

std::vector<Completion> HttpClient::wait(int timeout_ms, int wake_fd, bool* woken) {
    if (woken) *woken = false;
    std::vector<Completion> out(std::make_move_iterator(pending_.begin()),
                                std::make_move_iterator(pending_.end()));
    pending_.clear();
    auto more = poll(out.empty() ? timeout_ms : 0, wake_fd, woken);
    for (auto& c : more) out.push_back(std::move(c));
    return out;
}

HttpAnswer HttpClient::perform(HttpRequest r) {
    const auto tag = private_tag_--;
    start(tag, std::move(r));
    for (;;) {
        for (auto& c : poll(1000, -1, nullptr)) {
            if (c.first == tag) return std::move(c.second);
            pending_.push_back(std::move(c));
        }
        if (while_waiting) while_waiting();
    }
}

HttpSettings HttpSettings::from(const Config& c) {
    HttpSettings s;
    s.endpoint = c.upload.endpoint;
    while (!s.endpoint.empty() && s.endpoint.back() == '/') s.endpoint.pop_back();
    s.ca_file = c.upload.ca_file;
    s.pin_sha256 = c.upload.pin_sha256;
    s.proxy = c.upload.proxy;
    s.connect_timeout_s = c.upload.connect_timeout_s;
    s.total_timeout_s = c.upload.total_timeout_s;
    s.stall_timeout_s = std::min(20.0, c.upload.total_timeout_s);
    return s;
}

namespace {

struct Transfer {
    std::uint64_t tag = 0;
    HttpRequest req;
    HttpAnswer answer;
    curl_slist* headers = nullptr;
    char error[CURL_ERROR_SIZE] = {};
};

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::size_t on_body(char* p, std::size_t size, std::size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    if (t->answer.body.size() + size * n > (1u << 22)) return 0;  // 4 MiB is not an answer
    t->answer.body.append(p, size * n);
    return size * n;
}

std::size_t on_header(char* p, std::size_t size, std::size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::string line(p, size * n);
    if (line.rfind("HTTP/", 0) == 0) {  // a new response (after 1xx): forget the last one's
        t->answer.retry_after.clear();
        t->answer.etag.clear();
        return size * n;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) return size * n;
    const auto name = lower(line.substr(0, colon));
    auto value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
        value.pop_back();
    if (name == "retry-after") t->answer.retry_after = value;
    if (name == "etag") t->answer.etag = value;
    if (name == "content-type") t->answer.content_type = value;
    return size * n;
}

// What kind of failure, for the retry policy.
Transport transport_kind(CURLcode rc) {
    switch (rc) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY: return Transport::resolve;
        case CURLE_COULDNT_CONNECT: return Transport::connect;
        case CURLE_OPERATION_TIMEDOUT: return Transport::timeout;
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_CACERT_BADFILE: return Transport::tls_verify;
        case CURLE_SSL_CONNECT_ERROR: return Transport::tls;
        case CURLE_GOT_NOTHING:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_PARTIAL_FILE: return Transport::cut;
        default: return Transport::other;
    }
}

// What went wrong, in words a technician can act on. What happens next depends on the request
// kind and is said by the retry policy, not here.
std::string transport_words(CURLcode rc, const char* detail, const HttpSettings& s) {
    const std::string d = detail && *detail ? std::string(detail) : curl_easy_strerror(rc);
    switch (rc) {
        case CURLE_COULDNT_RESOLVE_HOST:
            return "cannot find the server's address (" + d +
                   "): check the network, DNS and upload.endpoint";
        case CURLE_COULDNT_RESOLVE_PROXY:
            return "cannot find the proxy's address (" + d + "): check upload.proxy";
        case CURLE_COULDNT_CONNECT:
            return "cannot connect to the server (" + d +
                   "): the network is down, the server is off, or a firewall refuses it";
        case CURLE_OPERATION_TIMEDOUT:
            return "no answer in time (" + d + "; limits: connect " +
                   std::to_string(s.connect_timeout_s) + " s, total " +
                   std::to_string(s.total_timeout_s) + " s, stalled " +
                   std::to_string(s.stall_timeout_s) + " s): the network or the server is slow";
        case CURLE_PEER_FAILED_VERIFICATION:
            return "the server's certificate was NOT accepted, nothing was sent (" + d +
                   "): check upload.ca_file, the host name in upload.endpoint and the kiosk's "
                   "clock";
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return "the server's public key does not match upload.pin_sha256, nothing was sent (" +
                   d + "): the server was replaced or someone is in between";
        case CURLE_SSL_CACERT_BADFILE: return "cannot read the CA file upload.ca_file (" + d + ")";
        case CURLE_SSL_CONNECT_ERROR:
            return "the secure connection could not be set up, nothing was sent (" + d + ")";
        case CURLE_GOT_NOTHING:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_PARTIAL_FILE:
            return "the connection was cut before the server answered (" + d + ")";
        default: return "the request failed (" + d + ")";
    }
}

class CurlHttp final : public HttpClient {
public:
    explicit CurlHttp(const HttpSettings& s) : s_(s) {
        static std::once_flag once;
        std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
        multi_ = curl_multi_init();
        if (!multi_) throw std::runtime_error("libcurl could not start");
        curl_multi_setopt(multi_, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
        // Room beyond the uploads for the one status, catalog, heartbeat or enrollment request
        // at a time: a request waiting inside libcurl for a free connection has its timeout
        // running ("Failed to resolve host ... with timeout after 0 ms" when none came free).
        curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS,
                          static_cast<long>(s.max_in_flight + 2));
        curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(s.max_in_flight + 4));
    }
    ~CurlHttp() override {
        for (auto& [easy, t] : active_) {
            curl_multi_remove_handle(multi_, easy);
            curl_slist_free_all(t->headers);
            curl_easy_cleanup(easy);
        }
        for (CURL* e : idle_) curl_easy_cleanup(e);
        curl_multi_cleanup(multi_);
    }
    CurlHttp(const CurlHttp&) = delete;
    CurlHttp& operator=(const CurlHttp&) = delete;

    void start(std::uint64_t tag, HttpRequest r) override {
        CURL* e = nullptr;
        if (!idle_.empty()) {
            e = idle_.back();
            idle_.pop_back();
            curl_easy_reset(e);
        } else {
            e = curl_easy_init();
            if (!e) throw std::runtime_error("libcurl could not make a request handle");
        }
        auto t = std::make_unique<Transfer>();
        t->tag = tag;
        t->req = std::move(r);
        const std::string url = s_.endpoint + t->req.path;
        curl_easy_setopt(e, CURLOPT_URL, url.c_str());
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, to_ms(s_.connect_timeout_s));
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, to_ms(s_.total_timeout_s));
        // Each transfer gives up on its own when it stalls (under 1 byte/s for stall_timeout_s),
        // so one dead connection never holds the others' answers.
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
                         std::max(1L, static_cast<long>(s_.stall_timeout_s + 0.5)));
        curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
        curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
        curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(e, CURLOPT_USERAGENT, "lapor-sync/" LAPOR_VERSION);
        curl_easy_setopt(e, CURLOPT_PROXY, s_.proxy.c_str());  // "" = none, not the environment
        if (!s_.ca_file.empty()) {
            curl_easy_setopt(e, CURLOPT_CAINFO, s_.ca_file.c_str());
            curl_easy_setopt(e, CURLOPT_CAPATH, nullptr);  // only the provisioned CA
        }
        if (!s_.pin_sha256.empty()) {
            const std::string pin = "sha256//" + s_.pin_sha256;
            curl_easy_setopt(e, CURLOPT_PINNEDPUBLICKEY, pin.c_str());
        }
        t->headers = curl_slist_append(t->headers, "Expect:");
        for (const auto& h : t->req.headers) t->headers = curl_slist_append(t->headers, h.c_str());
        if (t->req.method == "POST") {
            t->headers = curl_slist_append(t->headers, "Content-Type: application/json");
            curl_easy_setopt(e, CURLOPT_POST, 1L);
            curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->req.body.data());
            curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(t->req.body.size()));
        } else {
            curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
        }
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
        curl_multi_add_handle(multi_, e);
        active_[e] = std::move(t);
    }

    std::size_t in_flight() const override { return active_.size(); }

protected:
    std::vector<Completion> poll(int timeout_ms, int wake_fd, bool* woken) override {
        int running = 0;
        curl_multi_perform(multi_, &running);
        auto done = collect();
        if (!done.empty()) return done;
        curl_waitfd extra{};
        extra.fd = wake_fd;
        extra.events = CURL_WAIT_POLLIN;
        int n = 0;
        curl_multi_poll(multi_, wake_fd >= 0 ? &extra : nullptr, wake_fd >= 0 ? 1u : 0u,
                        std::max(timeout_ms, 0), &n);
        if (wake_fd >= 0 && woken && (extra.revents & CURL_WAIT_POLLIN) != 0) *woken = true;
        curl_multi_perform(multi_, &running);
        return collect();
    }

private:
    static long to_ms(double s) { return std::max(1L, static_cast<long>(s * 1000)); }

    std::vector<Completion> collect() {
        std::vector<Completion> out;
        int left = 0;
        while (CURLMsg* m = curl_multi_info_read(multi_, &left)) {
            if (m->msg != CURLMSG_DONE) continue;
            CURL* e = m->easy_handle;
            const CURLcode rc = m->data.result;
            auto it = active_.find(e);
            if (it == active_.end()) continue;
            auto t = std::move(it->second);
            active_.erase(it);
            curl_multi_remove_handle(multi_, e);
            if (rc == CURLE_OK) {
                long code = 0;
                curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
                t->answer.status = static_cast<int>(code);
            } else {
                t->answer.status.reset();
                t->answer.transport = transport_kind(rc);
                t->answer.transport_error = transport_words(rc, t->error, s_);
            }
            curl_slist_free_all(t->headers);
            t->headers = nullptr;
            idle_.push_back(e);
            out.emplace_back(t->tag, std::move(t->answer));
        }
        return out;
    }

    HttpSettings s_;
    CURLM* multi_ = nullptr;
    std::map<CURL*, std::unique_ptr<Transfer>> active_;
    std::vector<CURL*> idle_;
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_client(const HttpSettings& s) {
    return std::make_unique<CurlHttp>(s);
}

}  // namespace lapor::sync
