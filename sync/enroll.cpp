#include "enroll.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "config.h"
#include "crypto.h"
#include "files.h"
#include "identity.h"
#include "receipt.h"

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

EnrollOutcome enroll(const Config& c, HttpClient& http, const std::string& code) {
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
    if (!a.status) return {EnrollOutcome::unreachable, "enrollment failed: " + a.transport_error};
    if (*a.status == 200 || *a.status == 201) {
        const auto token = parse_token(a.body);
        if (!token)
            return {EnrollOutcome::unreachable,
                    "enrollment failed: the server's answer carries no token (" +
                        printable(a.body, 80) + ")"};
        try {
            write_private_file(c.token_path(), *token + "\n", 0600, Service::sync);
        } catch (const std::exception& e) {
            return {EnrollOutcome::unreachable,
                    std::string("enrolled, but the token could not be saved: ") + e.what()};
        }
        ::unlink(c.enroll_code_path().c_str());
        return {EnrollOutcome::enrolled, "enrolled as kiosk " + c.kiosk.id};
    }
    const std::string why = describe_error(*a.status, a.body);
    if (*a.status >= 400 && *a.status < 500 && *a.status != 429)
        return {EnrollOutcome::refused,
                "the enrollment code was refused (" + why +
                    "): ask for a new one and run kioskctl enroll --code CODE",
                true};
    return {EnrollOutcome::unreachable, "enrollment failed: " + why};
}

}  // namespace lapor::sync
