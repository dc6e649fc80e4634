#include "enroll.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include <ctime>

#include "backoff.h"
#include "config.h"
#include "crypto.h"
#include "files.h"
#include "identity.h"
#include "receipt.h"
#include "retry_policy.h"

namespace lapor::sync {
namespace {

std::optional<std::string> read_trimmed(const std::string& path) {
    auto t = read_text_file(path);
    if (!t) return std::nullopt;
    while (!t->empty() && std::isspace(static_cast<unsigned char>(t->back()))) t->pop_back();
    while (!t->empty() && std::isspace(static_cast<unsigned char>(t->front()))) t->erase(0, 1);
    if (t->empty()) return std::nullopt;
    return t;
}

}  // namespace

std::optional<std::string> read_token(const Config& c) { return read_trimmed(c.token_path()); }
std::optional<std::string> read_enroll_code(const Config& c) {
    return read_trimmed(c.enroll_code_path());
}

EnrollOutcome enroll(const Config& c, HttpClient& http, const std::string& code, int failures) {
    // The public half from device.pub: on a kiosk lapor-sync's user cannot read the private key
    // (it is the UI's, which signs receipts). Without device.pub (a development setup where one
    // user runs everything) the key file itself.
    KeyPair device;
    try {
        if (::access(c.device_pub_path().c_str(), F_OK) == 0) {
            const Keyring k = Keyring::load_file(c.device_pub_path());
            if (k.entries().empty()) throw KeyringError(c.device_pub_path() + " holds no key");
            device.public_key = k.entries().front().public_key;
        } else {
            device = load_device_key(c.device_key_path());
            secure_clear(device.secret_key);
        }
    } catch (const std::exception& e) {
        return {
            EnrollOutcome::refused,
            std::string("cannot enroll without the device key (run kioskctl keygen): ") + e.what()};
    }
    HttpRequest r;
    r.method = "POST";
    r.path = "/v1/enroll";
    r.body = nlohmann::json{{"kiosk_id", c.kiosk.id},
                            {"enroll_code", code},
                            {"device_public_key", base64_encode(device.public_key)},
                            {"code_prefix", c.kiosk.code_prefix}}
                 .dump();
    const HttpAnswer a = http.perform(std::move(r));
    const auto unit = static_cast<double>(random_below(1u << 30)) / static_cast<double>(1u << 30);
    const auto now_unix = static_cast<std::int64_t>(std::time(nullptr));
    const auto d = decide(RequestKind::enroll, a, failures,
                          {c.upload.backoff_base_s, c.upload.backoff_cap_s}, unit, now_unix);
    switch (d.outcome) {
        case Outcome::done:
            try {
                write_private_file(c.token_path(), *d.token + "\n", 0600, Service::sync);
            } catch (const std::exception& e) {
                // The code stays: a repeat with this device key gets a token again.
                return {
                    EnrollOutcome::unreachable,
                    std::string("enrolled, but the token could not be saved (") + e.what() +
                        "); the code is kept and used again (safe: the server answers a "
                        "repeat from this device)",
                    false, false,
                    backoff_ms(failures, c.upload.backoff_base_s, c.upload.backoff_cap_s, unit)};
            }
            ::unlink(c.enroll_code_path().c_str());
            return {EnrollOutcome::enrolled, "enrolled as kiosk " + c.kiosk.id};
        case Outcome::code_refused: return {EnrollOutcome::refused, d.words, true};
        case Outcome::unexpected:
            return {EnrollOutcome::unreachable, d.words, false, true, d.delay_ms};
        default: return {EnrollOutcome::unreachable, d.words, false, false, d.delay_ms};
    }
}

}  // namespace lapor::sync
