// HTTPS downloads for fleet updates (libcurl): the update folder's manifest and its bundle, with
// the same trust rules as the upload endpoint (the provisioned CA only, the optional key pin,
// the configured proxy, https only; plain http only to loopback for development).
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

namespace lapor {
struct Config;
}

namespace lapor::ctl {

struct DownloadError : std::runtime_error {
    explicit DownloadError(const std::string& what, long http = 0)
        : std::runtime_error(what), http_status(http) {}
    long http_status;  // the server's answer when it gave one other than 200, else 0
};

// The body of a small file (at most max_bytes); throws DownloadError with a sentence.
std::string fetch_text(const Config& c, const std::string& url, std::size_t max_bytes);

// Streams url into `path` (created 0600, replaced); refuses more than max_bytes. Throws
// DownloadError.
void fetch_file(const Config& c, const std::string& url, const std::string& path,
                std::uint64_t max_bytes);

}  // namespace lapor::ctl
