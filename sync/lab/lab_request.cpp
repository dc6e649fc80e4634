#include "lab_request.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <map>

#include "crypto.h"
#include "receipt.h"
#include "report.h"

namespace lapor::lab {
namespace {

using nlohmann::json;

ApiError bad(int status, std::string code, std::string message, std::string field = "") {
    return ApiError{status, std::move(code), std::move(message), std::move(field)};
}

std::optional<json> parse_object(std::string_view body) {
    json j = json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    return j;
}

// A string member, or nullopt when absent or not a string.
std::optional<std::string> str(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

bool id_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
}

bool valid_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash != (s[i] == '-')) return false;
        if (!dash && std::isxdigit(static_cast<unsigned char>(s[i])) == 0) return false;
    }
    return true;
}

bool valid_iso_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (std::isdigit(static_cast<unsigned char>(s[i])) == 0) return false;
    return true;
}

}  // namespace

std::string error_json(const ApiError& e) {
    json err = {{"code", e.code}, {"message", e.message}};
    if (!e.field.empty()) err["field"] = e.field;
    return json{{"error", err}}.dump();
}

std::string normalise_code(std::string_view code) {
    std::string out;
    for (char c : code) {
        if (c == '-' || c == ' ') continue;
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

std::optional<std::string> bearer_token(std::string_view h) {
    constexpr std::string_view p = "Bearer ";
    if (h.size() <= p.size() || h.substr(0, p.size()) != p) return std::nullopt;
    auto t = h.substr(p.size());
    if (t.size() > 200) return std::nullopt;
    for (char c : t)
        if (!id_char(c)) return std::nullopt;
    return std::string(t);
}

std::variant<EnrollRequest, ApiError> parse_enroll(std::string_view body) {
    const auto j = parse_object(body);
    if (!j) return bad(400, "malformed_json", "the request body is not a JSON object");
    EnrollRequest r;
    const auto kiosk = str(*j, "kiosk_id");
    if (!kiosk || !valid_kiosk_id(*kiosk))
        return bad(422, "invalid_field", "kiosk_id must be 1-32 of A-Z a-z 0-9 - _ .", "kiosk_id");
    r.kiosk_id = *kiosk;
    const auto code = str(*j, "enroll_code");
    if (!code || code->empty() || code->size() > 64)
        return bad(422, "invalid_field", "enroll_code is missing", "enroll_code");
    r.enroll_code = normalise_code(*code);
    const auto key = str(*j, "device_public_key");
    const auto raw = key ? base64_decode(*key) : std::nullopt;
    if (!raw || raw->size() != ed25519_public_size)
        return bad(422, "invalid_field", "device_public_key must be a base64 Ed25519 public key",
                   "device_public_key");
    r.device_public_key = *raw;
    const auto prefix = str(*j, "code_prefix");
    if (!prefix || prefix->size() != 4)
        return bad(422, "invalid_field", "code_prefix must be the kiosk's 4-character prefix",
                   "code_prefix");
    r.code_prefix = *prefix;
    return r;
}

std::variant<ReportRequest, ApiError> parse_report(std::string_view body,
                                                   std::string_view idempotency_key) {
    if (!valid_uuid(idempotency_key))
        return bad(400, "missing_idempotency_key",
                   "the Idempotency-Key header must be the report's uuid");
    const auto j = parse_object(body);
    if (!j) return bad(400, "malformed_json", "the request body is not a JSON object");
    const auto v = j->find("v");
    if (v == j->end() || !v->is_number_integer() || v->get<std::int64_t>() != 1)
        return bad(422, "unsupported_version", "only body format v=1 is understood", "v");
    ReportRequest r;
    auto need = [&](const char* key, std::string& out) -> std::optional<ApiError> {
        const auto s = str(*j, key);
        if (!s || s->empty() || s->size() > 256)
            return bad(422, "invalid_field", std::string(key) + " is missing or not text", key);
        out = *s;
        return std::nullopt;
    };
    for (auto [key, out] : {std::pair<const char*, std::string*>{"report_uuid", &r.uuid},
                            {"kiosk_id", &r.kiosk_id},
                            {"classification", &r.classification},
                            {"agency", &r.agency},
                            {"category", &r.category},
                            {"privacy", &r.privacy},
                            {"language", &r.language}}) {
        if (auto e = need(key, *out)) return *e;
    }
    if (r.uuid != idempotency_key)
        return bad(422, "invalid_field", "report_uuid differs from the Idempotency-Key header",
                   "report_uuid");
    if (!classification_from(r.classification))
        return bad(422, "invalid_field",
                   "classification must be pengaduan, aspirasi or permintaan_informasi",
                   "classification");
    if (!privacy_from(r.privacy))
        return bad(422, "invalid_field", "privacy must be publik, anonim or rahasia", "privacy");
    if (r.language != "id" && r.language != "en")
        return bad(422, "invalid_field", "language must be id or en", "language");
    const auto consent = j->find("consent");
    if (consent == j->end() || !consent->is_boolean())
        return bad(422, "invalid_field", "consent must be true or false", "consent");
    const auto created = str(*j, "created_at");
    if (!created || created->size() != 20)
        return bad(422, "invalid_field", "created_at must be UTC ISO 8601", "created_at");
    const auto incident = str(*j, "incident_date");
    if (!incident || !valid_iso_date(*incident))
        return bad(422, "invalid_field", "incident_date must be YYYY-MM-DD", "incident_date");

    const auto sealed = j->find("sealed");
    if (sealed == j->end() || !sealed->is_object())
        return bad(422, "invalid_field", "sealed must be an object", "sealed");
    const auto key_id = str(*sealed, "key_id");
    const auto payload = str(*sealed, "payload");
    const auto raw = payload ? base64_decode(*payload) : std::nullopt;
    if (!key_id || key_id->empty())
        return bad(422, "invalid_field", "sealed.key_id is missing", "sealed.key_id");
    if (!raw || raw->size() < 48)
        return bad(422, "invalid_field", "sealed.payload must be a base64 sealed box",
                   "sealed.payload");
    r.key_id = *key_id;
    r.sealed = *raw;

    const auto receipt = j->find("receipt");
    if (receipt == j->end() || !receipt->is_object())
        return bad(422, "invalid_field", "receipt must be an object", "receipt");
    const auto tracking = str(*receipt, "tracking_code");
    const auto sig = str(*receipt, "signature");
    const auto pub = str(*receipt, "device_public_key");
    const auto signed_at = receipt->find("signed_at");
    if (!tracking || tracking->size() != 16)
        return bad(422, "invalid_field", "receipt.tracking_code is missing",
                   "receipt.tracking_code");
    const auto sig_raw = sig ? base64url_decode(*sig) : std::nullopt;
    if (!sig_raw || sig_raw->size() != ed25519_signature_size)
        return bad(422, "invalid_field", "receipt.signature must be a base64url Ed25519 signature",
                   "receipt.signature");
    const auto pub_raw = pub ? base64_decode(*pub) : std::nullopt;
    if (!pub_raw || pub_raw->size() != ed25519_public_size)
        return bad(422, "invalid_field", "receipt.device_public_key must be base64",
                   "receipt.device_public_key");
    if (signed_at == receipt->end() || !signed_at->is_number_integer())
        return bad(422, "invalid_field", "receipt.signed_at must be Unix seconds",
                   "receipt.signed_at");
    r.tracking = *tracking;
    r.signature = *sig;
    r.signed_at = signed_at->get<std::int64_t>();
    r.device_public_key = *pub_raw;
    // The receipt must be the one the kiosk printed: its signature over the canonical string.
    ReceiptFields f{r.tracking, r.kiosk_id, r.signed_at, *classification_from(r.classification)};
    if (!ed25519_verify(canonical_receipt_string(f), *sig_raw, r.device_public_key))
        return bad(422, "bad_receipt_signature",
                   "the receipt signature does not verify with receipt.device_public_key",
                   "receipt.signature");
    return r;
}

std::variant<std::vector<BatchItem>, ApiError> parse_batch(std::string_view body) {
    auto refuse = [](std::string message, std::string field = "") {
        return bad(400, "malformed_batch", std::move(message), std::move(field));
    };
    const auto j = parse_object(body);
    if (!j) return refuse("the batch is not a JSON object");
    const auto reports = j->find("reports");
    if (reports == j->end() || !reports->is_array())
        return refuse("reports must be an array of 1 to " + std::to_string(max_batch_items) +
                          " {idempotency_key, body} objects",
                      "reports");
    if (reports->empty() || reports->size() > max_batch_items)
        return refuse("a batch holds 1 to " + std::to_string(max_batch_items) + " reports, not " +
                          std::to_string(reports->size()),
                      "reports");
    std::vector<BatchItem> out;
    out.reserve(reports->size());
    std::map<std::string_view, std::size_t> seen;  // key -> its first item
    for (std::size_t i = 0; i < reports->size(); ++i) {
        const auto& item = (*reports)[i];
        const std::string at = "reports[" + std::to_string(i) + "]";
        if (!item.is_object())
            return refuse(at + " must be an object with idempotency_key and body", at);
        auto key = str(item, "idempotency_key");
        if (!key) return refuse(at + ".idempotency_key must be a string", at + ".idempotency_key");
        auto text = str(item, "body");
        if (!text)
            return refuse(at + ".body must be a string holding the report's upload body",
                          at + ".body");
        out.push_back(BatchItem{std::move(*key), std::move(*text)});
    }
    // Views into `out`, which no longer grows.
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto [it, fresh] = seen.emplace(out[i].idempotency_key, i);
        if (!fresh)
            return refuse("reports[" + std::to_string(i) + "].idempotency_key repeats reports[" +
                              std::to_string(it->second) + "]'s; each report goes once in a batch",
                          "reports[" + std::to_string(i) + "].idempotency_key");
    }
    return out;
}

std::variant<std::vector<std::string>, ApiError> parse_status_ids(std::string_view ids) {
    std::vector<std::string> out;
    while (!ids.empty() || out.empty()) {
        const auto comma = ids.find(',');
        const auto one = ids.substr(0, comma);
        if (one.empty() || one.size() > 64)
            return bad(400, "bad_ids", "ids must be a comma-separated list of report ids", "ids");
        for (char c : one)
            if (!id_char(c))
                return bad(400, "bad_ids", "ids must be a comma-separated list of report ids",
                           "ids");
        out.emplace_back(one);
        if (out.size() > 100) return bad(400, "too_many_ids", "at most 100 ids at once", "ids");
        if (comma == ids.npos) break;
        ids = ids.substr(comma + 1);
        if (ids.empty())
            return bad(400, "bad_ids", "ids must be a comma-separated list of report ids", "ids");
    }
    return out;
}

std::variant<Heartbeat, ApiError> parse_heartbeat(std::string_view body) {
    const auto j = parse_object(body);
    if (!j) return bad(400, "malformed_json", "the request body is not a JSON object");
    const auto kiosk = str(*j, "kiosk_id");
    if (!kiosk || !valid_kiosk_id(*kiosk))
        return bad(422, "invalid_field", "kiosk_id is missing", "kiosk_id");
    for (const char* key : {"queue_depth"}) {
        const auto it = j->find(key);
        if (it == j->end() || !it->is_number_integer())
            return bad(422, "invalid_field", std::string(key) + " must be a whole number", key);
    }
    return Heartbeat{*kiosk, j->dump()};
}

}  // namespace lapor::lab
