#include "endpoint_url.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <memory>

namespace lapor::sync {
namespace {

struct UrlDeleter {
    void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

std::optional<std::string> part(CURLU* u, CURLUPart which, unsigned flags = 0) {
    char* out = nullptr;
    if (curl_url_get(u, which, &out, flags) != CURLUE_OK || !out) return std::nullopt;
    std::string s(out);
    curl_free(out);
    return s;
}

}  // namespace

bool is_loopback_host(const std::string& host) {
    std::string h = host;
    if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    if (h == "localhost") return true;
    in_addr v4{};
    if (::inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (::inet_pton(AF_INET6, h.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
    return false;
}

std::optional<EndpointUrl> parse_endpoint(const std::string& url, std::string& problem) {
    const std::string key = "upload.endpoint \"" + url + "\" ";
    const std::string instead = "; write e.g. endpoint = \"https://api.lapor.go.id/kiosk\"";
    std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
    if (!u) {
        problem = key + "cannot be checked (out of memory)";
        return std::nullopt;
    }
    if (curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
        problem = key + "is not a URL libcurl can parse" + instead;
        return std::nullopt;
    }
    if (part(u.get(), CURLUPART_USER) || part(u.get(), CURLUPART_PASSWORD) ||
        part(u.get(), CURLUPART_OPTIONS)) {
        problem = key +
                  "carries a user name or password (the part before @): refused, it hides the "
                  "real host" +
                  instead;
        return std::nullopt;
    }
    EndpointUrl e;
    e.scheme = part(u.get(), CURLUPART_SCHEME).value_or("");
    e.host = part(u.get(), CURLUPART_HOST).value_or("");
    e.port = part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or("");
    if (e.host.empty()) {
        problem = key + "names no host" + instead;
        return std::nullopt;
    }
    if (e.scheme == "http" && !is_loopback_host(e.host)) {
        problem = key + "uses plain http to " + e.host +
                  ", which is not a loopback host: only https, or http to 127.0.0.1, localhost "
                  "or [::1] for development" +
                  instead;
        return std::nullopt;
    }
    if (e.scheme != "https" && e.scheme != "http") {
        problem = key + "must use https, not " + e.scheme + instead;
        return std::nullopt;
    }
    if (e.host.size() > 2 && e.host.front() == '[') e.host = e.host.substr(1, e.host.size() - 2);
    return e;
}

}  // namespace lapor::sync
