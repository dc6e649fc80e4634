// The upload endpoint URL parsed with libcurl's URL API (the parser that will later connect), so
// the rules hold for what curl will actually do: no user name or password in the URL (a
// "http://127.0.0.1:80@10.255.255.1/" is host 10.255.255.1, not loopback), https, and plain http
// only to a loopback host. The core's config check has no curl (DESIGN.md); this runs where curl
// is already linked: lapor-sync at start, kioskctl provision, enroll and doctor.
#pragma once
#include <optional>
#include <string>

namespace lapor::sync {

struct EndpointUrl {
    std::string scheme;  // "https" or "http" (loopback only)
    std::string host;    // as curl resolves it; IPv6 without brackets
    std::string port;    // explicit or the scheme's default
};

// The parts, or nullopt with `problem`: a sentence naming what is wrong and what to write
// instead, starting with "upload.endpoint \"URL\" ..." (the config key, as config errors do).
std::optional<EndpointUrl> parse_endpoint(const std::string& url, std::string& problem);

// True for localhost, 127.0.0.0/8 and ::1.
bool is_loopback_host(const std::string& host);

}  // namespace lapor::sync
