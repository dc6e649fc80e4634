#include <doctest/doctest.h>
#include <sodium.h>

#include <fstream>
#include <map>
#include <sstream>

#include "crypto.h"
#include "receipt.h"
#include "tracking.h"

using namespace lapor;

namespace {

// The golden example is read from docs/receipt.md itself, so the document and the code cannot
// drift apart: lines "golden.<name> = <value>" inside the example block, "\n" escaped.
std::map<std::string, std::string> golden() {
    std::ifstream in(std::string(LAPOR_SOURCE_DIR) + "/docs/receipt.md");
    REQUIRE(in);
    std::map<std::string, std::string> g;
    for (std::string line; std::getline(in, line);) {
        if (!line.starts_with("golden.")) continue;
        const auto eq = line.find(" = ");
        std::string v = line.substr(eq + 3);
        for (std::size_t p; (p = v.find("\\n")) != std::string::npos;) v.replace(p, 2, "\n");
        g[line.substr(7, eq - 7)] = v;
    }
    return g;
}

KeyPair from_seed(const std::string& seed) {
    KeyPair kp{std::string(32, '\0'), std::string(64, '\0')};
    crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(kp.public_key.data()),
                             reinterpret_cast<unsigned char*>(kp.secret_key.data()),
                             reinterpret_cast<const unsigned char*>(seed.data()));
    return kp;
}

struct Signed {
    KeyPair key = ed25519_generate();
    ReceiptFields f{new_tracking_code("JK01"), "JKT-PUSAT-01", 1764400000,
                    Classification::aspiration};
    std::string url = receipt_url("https://lapor.go.id/kiosk", f, sign_receipt(f, key.secret_key));
    Keyring ring() const {
        Keyring k;
        k.add({"JKT-PUSAT-01", "JK01", key.public_key});
        return k;
    }
};

}  // namespace

TEST_CASE("golden example in docs/receipt.md") {
    auto g = golden();
    REQUIRE(g.size() >= 8);
    std::string seed;
    for (std::size_t i = 0; i < 64; i += 2)
        seed += static_cast<char>(std::stoi(g["seed_hex"].substr(i, 2), nullptr, 16));
    const KeyPair kp = from_seed(seed);
    CHECK(base64_encode(kp.public_key) == g["public_key"]);
    const ReceiptFields f{g["tracking"], g["kiosk_id"], std::stoll(g["created_unix"]),
                          *classification_from_letter(g["c"][0])};
    CHECK_FALSE(parse_tracking(f.tracking).error);
    CHECK(canonical_receipt_string(f) == g["canonical"]);
    const auto sig = sign_receipt(f, kp.secret_key);
    CHECK(sig == g["signature"]);
    CHECK(receipt_url(g["verify_base"], f, sig) == g["url"]);
    const Keyring ring = Keyring::parse(g["keyring_line"]);
    CHECK(verify_receipt_url(g["url"], ring).result == VerifyResult::genuine);
}

TEST_CASE("a signed receipt verifies; each alteration gives its reason") {
    Signed s;
    const Keyring ring = s.ring();
    auto v = verify_receipt_url(s.url, ring);
    REQUIRE(v.result == VerifyResult::genuine);
    CHECK(v.fields->tracking == s.f.tracking);
    CHECK(v.fields->classification == Classification::aspiration);

    auto replaced = [&](const std::string& from, const std::string& to) {
        std::string u = s.url;
        u.replace(u.find(from), from.size(), to);
        return verify_receipt_url(u, ring).result;
    };
    CHECK(replaced("&c=a", "&c=p") == VerifyResult::bad_signature);
    CHECK(replaced("&t=1764400000", "&t=1764400001") == VerifyResult::bad_signature);
    CHECK(replaced("&c=a", "&c=x") == VerifyResult::malformed);
    CHECK(replaced("k=JKT-PUSAT-01", "k=JKT-BARAT-02") == VerifyResult::unknown_kiosk);
    // One character of the tracking code changed: the check character catches it first.
    std::string code = s.f.tracking;
    code[6] = code[6] == 'A' ? 'B' : 'A';
    CHECK(replaced(s.f.tracking, code) == VerifyResult::bad_check);
    // Another kiosk's prefix on a valid code: a mismatch with the keyring's entry.
    std::string other = "JK02" + parse_tracking(s.f.tracking).raw.substr(4, 8);
    other = format_tracking(other + tracking_check_char(other));
    CHECK(replaced(s.f.tracking, other) == VerifyResult::kiosk_mismatch);
    // Signature bytes flipped.
    std::string u = s.url;
    u[u.size() - 5] = u[u.size() - 5] == 'A' ? 'B' : 'A';
    CHECK(verify_receipt_url(u, ring).result == VerifyResult::bad_signature);
}

TEST_CASE("with one public key, any other kiosk is a mismatch") {
    Signed s;
    Keyring single;
    single.add({"JKT-BARAT-02", "JK01", s.key.public_key});
    CHECK(verify_receipt_url(s.url, single, true).result == VerifyResult::kiosk_mismatch);
    CHECK(verify_receipt_url(s.url, single, false).result == VerifyResult::unknown_kiosk);
}

TEST_CASE("malformed links never crash and say malformed") {
    Signed s;
    const Keyring ring = s.ring();
    for (std::string bad : {std::string(""), std::string("?"), std::string("https://x/r/?"),
                            std::string("/r/JK01?k=a&t=1&c=p&s=AA"), s.url + "&s=AA",
                            s.url.substr(0, s.url.size() - 1), std::string(5000, 'a'),
                            std::string("\0\0/r/\0?k=\0", 11)}) {
        CHECK(verify_receipt_url(bad, ring).result == VerifyResult::malformed);
    }
    // Leading zeros in the time would give another URL for the same signature.
    std::string u = s.url;
    u.replace(u.find("&t="), 3, "&t=0");
    CHECK(verify_receipt_url(u, ring).result == VerifyResult::malformed);
    // Unrelated parameters (added by a sharing app) are ignored.
    CHECK(verify_receipt_url(s.url + "&utm_source=wa", ring).result == VerifyResult::genuine);
}

TEST_CASE("keyring files: comments, errors with line numbers") {
    Signed s;
    const std::string line = keyring_line({"JKT-PUSAT-01", "JK01", s.key.public_key});
    auto k = Keyring::parse("# office keyring\n\n" + line + "  # front desk\n");
    REQUIRE(k.entries().size() == 1);
    CHECK(k.find("JKT-PUSAT-01")->public_key == s.key.public_key);
    CHECK_THROWS_WITH_AS(Keyring::parse("\nJKT-PUSAT-01 JK01\n"),
                         doctest::Contains("line 2: expected 3 fields"), KeyringError);
    CHECK_THROWS_WITH_AS(Keyring::parse("X JKO1 AAAA\n"), doctest::Contains("bad code prefix"),
                         KeyringError);
    CHECK_THROWS_WITH_AS(Keyring::parse(line + "\n" + line), doctest::Contains("listed twice"),
                         KeyringError);
    CHECK_THROWS_AS(Keyring::parse("X JK01 notbase64!\n"), KeyringError);
}

TEST_CASE("sealing: only the national private key opens it, exactly") {
    const KeyPair national = x25519_generate();
    const std::string plain = "{\"body\":\"Séno 🙏\\nbaris dua\",\"nik\":\"3171014507900001\"}";
    const auto a = seal(plain, national.public_key);
    const auto b = seal(plain, national.public_key);
    CHECK(a != b);  // randomised: this is why the upload body is built once
    CHECK(unseal(a, national) == plain);
    CHECK_FALSE(unseal(a, x25519_generate()));
    std::string tampered = a;
    tampered[tampered.size() / 2] ^= 1;
    CHECK_FALSE(unseal(tampered, national));
    // A placeholder key would seal to nobody: refused instead of storing unreadable data.
    CHECK_THROWS_AS(seal(plain, std::string(32, '\0')), std::invalid_argument);
}

TEST_CASE("Argon2id PIN hashes") {
    const auto h = argon2id_hash("246810");
    CHECK(h.starts_with("$argon2id$"));
    CHECK(argon2id_verify(h, "246810"));
    CHECK_FALSE(argon2id_verify(h, "246811"));
    CHECK_FALSE(argon2id_verify("garbage", "246810"));
}
