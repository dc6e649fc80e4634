#include "receipt.h"

#include <sstream>

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

std::string keyring_line(const KeyringEntry& e) {
    return e.kiosk_id + " " + e.code_prefix + " " + base64_encode(e.public_key);
}

Keyring Keyring::parse(std::string_view text) {
    Keyring k;
    std::size_t lineno = 0, pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == text.npos) end = text.size();
        std::string line(text.substr(pos, end - pos));
        pos = end + 1;
        ++lineno;
        auto bad = [&](const std::string& why) {
            return KeyringError("line " + std::to_string(lineno) + ": " + why +
                                " (expected: KIOSK_ID CODE_PREFIX BASE64_PUBLIC_KEY)");
        };
        if (const auto hash = line.find('#'); hash != line.npos) line.resize(hash);
        std::istringstream ss(line);
        std::vector<std::string> parts;
        for (std::string w; ss >> w;) parts.push_back(w);
        if (parts.empty()) continue;
        if (parts.size() != 3)
            throw bad("expected 3 fields, found " + std::to_string(parts.size()));
        if (!valid_kiosk_id(parts[0])) throw bad("bad kiosk id \"" + parts[0] + "\"");
        if (!valid_code_prefix(parts[1])) throw bad("bad code prefix \"" + parts[1] + "\"");
        auto pk = base64_decode(parts[2]);
        if (!pk || pk->size() != ed25519_public_size)
            throw bad("the public key is not 32 bytes of base64");
        if (k.find(parts[0])) throw bad("kiosk \"" + parts[0] + "\" is listed twice");
        k.add({parts[0], parts[1], *pk});
    }
    return k;
}

Keyring Keyring::load_file(const std::string& path) {
    const auto text = read_text_file(path);
    if (!text) throw KeyringError("cannot read " + path);
    try {
        return parse(*text);
    } catch (const KeyringError& e) {
        throw KeyringError(path + ": " + e.what());
    }
}

const KeyringEntry* Keyring::find(std::string_view kiosk_id) const {
    for (const auto& e : entries_) {
        if (e.kiosk_id == kiosk_id) return &e;
    }
    return nullptr;
}

std::string_view to_string(VerifyResult r) {
    switch (r) {
        case VerifyResult::genuine: return "genuine";
        case VerifyResult::malformed: return "malformed";
        case VerifyResult::bad_check: return "bad_check";
        case VerifyResult::kiosk_mismatch: return "kiosk_mismatch";
        case VerifyResult::unknown_kiosk: return "unknown_kiosk";
        case VerifyResult::bad_signature: return "bad_signature";
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

Verification verify_receipt_url(std::string_view url, const Keyring& keyring, bool single_key) {
    const auto q = url.find('?');
    if (url.size() > 2048 || q == url.npos)
        return result(VerifyResult::malformed, "not a receipt link (no query part)");
    const auto path = url.substr(0, q);
    const auto r = path.rfind("/r/");
    if (r == path.npos) return result(VerifyResult::malformed, "not a receipt link (no /r/)");
    const auto code_text = path.substr(r + 3);

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
    if (parsed.error == TrackingError::bad_check) {
        v.result = VerifyResult::bad_check;
        v.detail = "the tracking code's check character is wrong (mistyped or altered)";
        return v;
    }
    const KeyringEntry* entry = single_key && !keyring.entries().empty()
                                    ? &keyring.entries().front()
                                    : keyring.find(f.kiosk_id);
    if (!entry) {
        v.result = VerifyResult::unknown_kiosk;
        v.detail = "kiosk " + f.kiosk_id + " is not in the keyring";
        return v;
    }
    if (entry->kiosk_id != f.kiosk_id || !parsed.raw.starts_with(entry->code_prefix)) {
        v.result = VerifyResult::kiosk_mismatch;
        v.detail = "the receipt names kiosk " + f.kiosk_id + " and code prefix " +
                   parsed.raw.substr(0, 4) + ", but the key is for kiosk " + entry->kiosk_id +
                   " with prefix " + entry->code_prefix;
        return v;
    }
    if (!ed25519_verify(canonical_receipt_string(f), *sig, entry->public_key)) {
        v.result = VerifyResult::bad_signature;
        v.detail =
            "the signature does not match: the receipt was altered or not made by " + f.kiosk_id;
        return v;
    }
    v.result = VerifyResult::genuine;
    v.detail = "genuine receipt from kiosk " + f.kiosk_id;
    return v;
}

}  // namespace lapor
