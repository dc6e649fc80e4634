// libFuzzer target: the sync client's reading of server answers (sync/api.h). The first two
// bytes pick the HTTP status, the text up to the first newline is the Retry-After header, the
// rest is the body. Every function must return, never crash or throw.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api.h"
#include "retry_policy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lapor::sync;
    if (size < 2) return 0;
    const int status = 100 + (data[0] << 8 | data[1]) % 500;
    const std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);
    const auto nl = rest.find('\n');
    HttpAnswer a;
    a.status = status;
    a.retry_after = std::string(rest.substr(0, nl));
    a.body = nl == std::string_view::npos ? std::string() : std::string(rest.substr(nl + 1));
    // Every request kind, with and without a JSON content type (the envelope needs one).
    for (const char* type : {"application/json", "text/html"}) {
        a.content_type = type;
        for (auto k : {RequestKind::enroll, RequestKind::upload, RequestKind::status,
                       RequestKind::catalog, RequestKind::heartbeat})
            (void)decide(k, a, static_cast<int>(size % 70), {30, 1800}, 0.5, 1'795'000'000);
    }
    (void)parse_retry_after(a.retry_after, 1'795'000'000);
    (void)describe_error(status, a.body);
    (void)parse_accepted(a.body);
    (void)parse_token(a.body);
    (void)parse_status(a.body);
    (void)catalog_version(a.body);
    // A batch's answer, read for two keys (as a 200 and as the status given), then each
    // report's answer decided as if alone, and the whole-batch decision.
    const std::vector<std::string> keys = {"k-1", "k-2"};
    std::vector<HttpAnswer> each;
    (void)read_batch(a, keys, &each);
    for (const auto& one : each)
        (void)decide(RequestKind::upload, one, 1, {30, 1800}, 0.5, 1'795'000'000);
    HttpAnswer ok = a;
    ok.status = 200;
    if (auto answers = parse_batch_answers(ok.body, keys))
        for (const auto& one : *answers)
            (void)decide(RequestKind::upload, one, 1, {30, 1800}, 0.5, 1'795'000'000);
    (void)decide_whole_batch(a, 2, {30, 1800}, 0.5, 1'795'000'000);
    (void)printable(rest, 64);
    return 0;
}
