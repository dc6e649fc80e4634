#include "receipt.h"

#include <cctype>

#include "crypto.h"
#include "files.h"
#include "tracking.h"

namespace lapor {

bool valid_kiosk_id(std::string_view id) {
    if (id.empty() || id.size() > 32) return false;
    for (char c : id) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!ok) return false;
    }
    return true;
}

std::string canonical_receipt_string(const ReceiptFields& f) {
    return "lapor-kiosk-receipt/1\n" + f.tracking + "\n" + f.kiosk_id + "\n" +
           std::to_string(f.created_unix) + "\n" + receipt_letter(f.classification);
}

std::string sign_receipt(const ReceiptFields& f, std::string_view device_secret_key) {
    return base64url_encode(ed25519_sign(canonical_receipt_string(f), device_secret_key));
}

std::string receipt_url(std::string_view verify_base, const ReceiptFields& f,
                        std::string_view signature_b64url) {
    std::string base(verify_base);
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/r/" + f.tracking + "?k=" + f.kiosk_id + "&t=" + std::to_string(f.created_unix) +
           "&c=" + receipt_letter(f.classification) + "&s=" + std::string(signature_b64url);
}

std::string_view to_string(VerifyResult r) {
    switch (r) {
        case VerifyResult::genuine: return "genuine";
        case VerifyResult::malformed: return "malformed";
        case VerifyResult::bad_check: return "bad_check";
        case VerifyResult::kiosk_mismatch: return "kiosk_mismatch";
        case VerifyResult::unknown_kiosk: return "unknown_kiosk";
        case VerifyResult::bad_signature: return "bad_signature";
        case VerifyResult::wrong_site: return "wrong_site";
        case VerifyResult::key_not_valid: return "key_not_valid";
    }
    return "?";
}

namespace {

Verification result(VerifyResult r, std::string detail) {
    Verification v;
    v.result = r;
    v.detail = std::move(detail);
    return v;
}

bool parse_unix(std::string_view s, std::int64_t& out) {
    if (s.empty() || s.size() > 12 || (s.size() > 1 && s[0] == '0')) return false;
    out = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return true;
}

}  // namespace

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The link with surrounding whitespace and any #fragment removed (scanners add both).
std::string_view trimmed_link(std::string_view url) {
    while (!url.empty() && is_space(url.front())) url.remove_prefix(1);
    if (const auto hash = url.find('#'); hash != url.npos) url = url.substr(0, hash);
    while (!url.empty() && is_space(url.back())) url.remove_suffix(1);
    return url;
}

bool iequal_ascii(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
        if (std::tolower(x) != std::tolower(y)) return false;
    }
    return true;
}

// The length of `base` + "/r/" when `url` starts with them: scheme and host compared without
// regard to case (a QR code may carry them in capitals), the path exactly.
std::size_t under_base(std::string_view url, std::string_view base) {
    const auto path = base.find('/', 8);  // after "https://"
    const auto origin = base.substr(0, path);
    const auto rest = path == base.npos ? std::string_view{} : base.substr(path);
    if (url.size() < base.size() + 3 || !iequal_ascii(url.substr(0, origin.size()), origin))
        return 0;
    const auto after = url.substr(origin.size());
    if (!after.starts_with(rest) || !after.substr(rest.size()).starts_with("/r/")) return 0;
    return base.size() + 3;
}

}  // namespace

Verification verify_receipt_url(std::string_view raw, const Keyring& keyring,
                                const VerifyOptions& options) {
    const std::string_view url = trimmed_link(raw);
    if (url.size() > max_receipt_link)
        return result(VerifyResult::malformed, "not a receipt link (longer than 4 KB)");
    const auto q = url.find('?');
    if (q == url.npos) return result(VerifyResult::malformed, "not a receipt link (no query part)");
    if (url.substr(0, q).find("/r/") == url.npos)
        return result(VerifyResult::malformed, "not a receipt link (no /r/)");

    // The site first: a link that sends people elsewhere is not a receipt, whatever it carries.
    std::vector<std::string> bases;
    for (const auto& b : options.verify_bases)
        if (auto n = normalize_verify_base(b)) bases.push_back(*n);
    for (const auto& e : keyring.entries())
        if (!e.verify_base.empty()) bases.push_back(e.verify_base);
    std::size_t code_at = 0;
    std::string base;
    for (const auto& b : bases) {
        if (const auto n = under_base(url.substr(0, q), b)) {
            code_at = n;
            base = b;
            break;
        }
    }
    if (!code_at) {
        std::string known;
        for (const auto& b : bases)
            if (known.find(b) == known.npos) known += (known.empty() ? "" : ", ") + b;
        return result(VerifyResult::wrong_site,
                      "the link does not point to a known LAPOR! verify site (" +
                          (known.empty() ? std::string("none is configured") : "known: " + known) +
                          ")");
    }
    const auto code_text = url.substr(code_at, q - code_at);

    std::optional<std::string_view> k, t, c, s;
    auto query = url.substr(q + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        query = amp == query.npos ? std::string_view{} : query.substr(amp + 1);
        const auto eq = pair.find('=');
        if (eq == pair.npos) continue;
        const auto key = pair.substr(0, eq);
        std::optional<std::string_view>* slot = key == "k"   ? &k
                                                : key == "t" ? &t
                                                : key == "c" ? &c
                                                : key == "s" ? &s
                                                             : nullptr;
        if (!slot) continue;  // other parameters (e.g. added by a sharing app) are ignored
        if (*slot) return result(VerifyResult::malformed, "a parameter appears twice");
        *slot = pair.substr(eq + 1);
    }
    if (!k || !t || !c || !s)
        return result(VerifyResult::malformed, "a parameter (k, t, c or s) is missing");

    ReceiptFields f;
    if (!valid_kiosk_id(*k)) return result(VerifyResult::malformed, "the kiosk id is not valid");
    f.kiosk_id = std::string(*k);
    if (!parse_unix(*t, f.created_unix))
        return result(VerifyResult::malformed, "the time is not a number of seconds");
    auto cls = c->size() == 1 ? classification_from_letter((*c)[0]) : std::nullopt;
    if (!cls) return result(VerifyResult::malformed, "the classification is not p, a or i");
    f.classification = *cls;
    auto sig = base64url_decode(*s);
    if (!sig || sig->size() != ed25519_signature_size)
        return result(VerifyResult::malformed, "the signature is not 64 bytes of base64url");

    const auto parsed = parse_tracking(code_text);
    if (parsed.error == TrackingError::malformed)
        return result(VerifyResult::malformed, "the tracking code is not 13 characters");
    f.tracking = format_tracking(parsed.raw);
    Verification v;
    v.fields = f;
    v.verify_base = base;
    auto verdict = [&](VerifyResult r, std::string detail) {
        v.result = r;
        v.detail = std::move(detail);
        return v;
    };
    if (parsed.error == TrackingError::bad_check)
        return verdict(VerifyResult::bad_check,
                       "the tracking code's check character is wrong (mistyped or altered)");

    std::vector<const KeyringEntry*> keys;
    if (options.single_key) {
        for (const auto& e : keyring.entries()) keys.push_back(&e);
    } else {
        keys = keyring.entries_for(f.kiosk_id);
    }
    if (keys.empty())
        return verdict(VerifyResult::unknown_kiosk,
                       "kiosk " + f.kiosk_id + " is not in the keyring");
    const std::string prefix = parsed.raw.substr(0, 4);
    std::erase_if(keys, [&](const KeyringEntry* e) {
        return e->kiosk_id != f.kiosk_id || e->code_prefix != prefix;
    });
    if (keys.empty()) {
        const KeyringEntry& first = options.single_key ? keyring.entries().front()
                                                       : *keyring.entries_for(f.kiosk_id).front();
        return verdict(VerifyResult::kiosk_mismatch,
                       "the receipt names kiosk " + f.kiosk_id + " and code prefix " + prefix +
                           ", but the key is for kiosk " + first.kiosk_id + " with prefix " +
                           first.code_prefix);
    }
    // A key in use on the receipt's date first; then any other key of the kiosk, to say why.
    const std::string canonical = canonical_receipt_string(f);
    const KeyringEntry* out_of_dates = nullptr;
    for (const auto* e : keys) {
        if (!ed25519_verify(canonical, *sig, e->public_key)) continue;
        if (!e->valid_at(f.created_unix)) {
            out_of_dates = e;
            continue;
        }
        v.key = e;
        return verdict(VerifyResult::genuine,
                       "genuine receipt from kiosk " + f.kiosk_id + " (link to " + base + ")");
    }
    if (out_of_dates) {
        v.key = out_of_dates;
        std::string dates =
            (out_of_dates->valid_from ? "from " + format_utc_time(*out_of_dates->valid_from) + " "
                                      : std::string()) +
            (out_of_dates->valid_until ? "until " + format_utc_time(*out_of_dates->valid_until)
                                       : std::string());
        return verdict(VerifyResult::key_not_valid,
                       "signed with a key of kiosk " + f.kiosk_id +
                           " that was not in use on the receipt's date (the key is valid " + dates +
                           "; the receipt says " + format_utc_time(f.created_unix) + ")");
    }
    return verdict(
        VerifyResult::bad_signature,
        "the signature does not match: the receipt was altered or not made by " + f.kiosk_id);
}

}  // namespace lapor
