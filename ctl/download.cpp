#include "download.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "config.h"

namespace lapor::ctl {
namespace {

bool loopback_http(const std::string& url) {
    for (const char* p : {"http://127.0.0.1", "http://localhost", "http://[::1]"}) {
        const std::string pre(p);
        if (url.rfind(pre, 0) == 0 &&
            (url.size() == pre.size() || url[pre.size()] == ':' || url[pre.size()] == '/'))
            return true;
    }
    return false;
}

struct Sink {
    std::string* text = nullptr;
    int fd = -1;
    std::uint64_t max = 0;
    std::uint64_t got = 0;
    bool too_big = false;
    bool write_failed = false;
};

std::size_t on_data(char* p, std::size_t size, std::size_t n, void* user) {
    auto* s = static_cast<Sink*>(user);
    const std::size_t len = size * n;
    s->got += len;
    if (s->got > s->max) {
        s->too_big = true;
        return 0;
    }
    if (s->text) {
        s->text->append(p, len);
    } else {
        std::size_t off = 0;
        while (off < len) {
            const ssize_t w = ::write(s->fd, p + off, len - off);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                s->write_failed = true;
                return 0;
            }
            off += static_cast<std::size_t>(w);
        }
    }
    return len;
}

void perform(const Config& c, const std::string& url, Sink& sink) {
    if (url.rfind("https://", 0) != 0 && !loopback_http(url))
        throw DownloadError(url + ": updates are fetched over https:// only");
    CURL* e = curl_easy_init();
    if (!e) throw DownloadError("libcurl could not start");
    char err[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(c.upload.connect_timeout_s * 1000));
    // A bundle takes minutes on a slow line: give up only when it stalls for a minute.
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "kioskctl-update/" LAPOR_VERSION);
    curl_easy_setopt(e, CURLOPT_PROXY, c.upload.proxy.c_str());
    if (!c.upload.ca_file.empty()) {
        curl_easy_setopt(e, CURLOPT_CAINFO, c.upload.ca_file.c_str());
        curl_easy_setopt(e, CURLOPT_CAPATH, nullptr);
    }
    std::string pin;
    if (!c.upload.pin_sha256.empty()) {
        pin = "sha256//" + c.upload.pin_sha256;
        curl_easy_setopt(e, CURLOPT_PINNEDPUBLICKEY, pin.c_str());
    }
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &sink);
    const CURLcode rc = curl_easy_perform(e);
    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(e);
    if (sink.too_big)
        throw DownloadError(url + ": larger than " + std::to_string(sink.max) + " bytes");
    if (sink.write_failed)
        throw DownloadError(url + ": cannot write the download (" + std::strerror(errno) +
                            "; is the data partition full?)");
    if (rc != CURLE_OK) throw DownloadError(url + ": " + (err[0] ? err : curl_easy_strerror(rc)));
    if (status != 200)
        throw DownloadError(url + ": the server answered HTTP " + std::to_string(status), status);
}

}  // namespace

std::string fetch_text(const Config& c, const std::string& url, std::size_t max_bytes) {
    std::string body;
    Sink s;
    s.text = &body;
    s.max = max_bytes;
    perform(c, url, s);
    return body;
}

void fetch_file(const Config& c, const std::string& url, const std::string& path,
                std::uint64_t max_bytes) {
    const std::string tmp = path + ".part";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) throw DownloadError("cannot create " + tmp + ": " + std::strerror(errno));
    Sink s;
    s.fd = fd;
    s.max = max_bytes;
    try {
        perform(c, url, s);
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced || ::rename(tmp.c_str(), path.c_str()) != 0) {
        ::unlink(tmp.c_str());
        throw DownloadError("cannot keep the download as " + path + ": " + std::strerror(errno));
    }
}

}  // namespace lapor::ctl
