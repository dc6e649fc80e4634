#include <doctest/doctest.h>
#include <sodium.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "crypto.h"
#include "golden_vectors.h"
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

const VerifyOptions lapor_site{{"https://lapor.go.id/kiosk"}, false};

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
    CHECK(verify_receipt_url(g["url"], ring, lapor_site).result == VerifyResult::genuine);
}

TEST_CASE("a signed receipt verifies; each alteration gives its reason") {
    Signed s;
    const Keyring ring = s.ring();
    auto v = verify_receipt_url(s.url, ring, lapor_site);
    REQUIRE(v.result == VerifyResult::genuine);
    CHECK(v.fields->tracking == s.f.tracking);
    CHECK(v.fields->classification == Classification::aspiration);

    auto replaced = [&](const std::string& from, const std::string& to) {
        std::string u = s.url;
        u.replace(u.find(from), from.size(), to);
        return verify_receipt_url(u, ring, lapor_site).result;
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
    CHECK(verify_receipt_url(u, ring, lapor_site).result == VerifyResult::bad_signature);
}

TEST_CASE("with one public key, any other kiosk is a mismatch") {
    Signed s;
    Keyring single;
    single.add({"JKT-BARAT-02", "JK01", s.key.public_key});
    CHECK(verify_receipt_url(s.url, single, {{"https://lapor.go.id/kiosk"}, true}).result ==
          VerifyResult::kiosk_mismatch);
    CHECK(verify_receipt_url(s.url, single, lapor_site).result == VerifyResult::unknown_kiosk);
}

TEST_CASE("malformed links never crash and say malformed") {
    Signed s;
    const Keyring ring = s.ring();
    for (std::string bad :
         {std::string(""), std::string("?"), s.url + "&s=AA", s.url.substr(0, s.url.size() - 1),
          std::string(5000, 'a'), std::string("https://lapor.go.id/kiosk/r/?")}) {
        CHECK(verify_receipt_url(bad, ring, lapor_site).result == VerifyResult::malformed);
    }
    // Receipt-shaped, but not under the known site: the site is judged before the parts.
    for (std::string elsewhere :
         {std::string("https://x/r/?"), std::string("/r/JK01?k=a&t=1&c=p&s=AA"),
          std::string("\0\0/r/\0?k=\0", 11)}) {
        CHECK(verify_receipt_url(elsewhere, ring, lapor_site).result == VerifyResult::wrong_site);
    }
    // Leading zeros in the time would give another URL for the same signature.
    std::string u = s.url;
    u.replace(u.find("&t="), 3, "&t=0");
    CHECK(verify_receipt_url(u, ring, lapor_site).result == VerifyResult::malformed);
    // Unrelated parameters (added by a sharing app) are ignored.
    CHECK(verify_receipt_url(s.url + "&utm_source=wa", ring, lapor_site).result ==
          VerifyResult::genuine);
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
    CHECK_THROWS_WITH_AS(Keyring::parse(line + "\n" + line),
                         doctest::Contains("listed twice with the same key"), KeyringError);
    CHECK_THROWS_AS(Keyring::parse("X JK01 notbase64!\n"), KeyringError);
}

TEST_CASE("golden vectors in docs/receipt.md: every verdict as documented") {
    const Keyring ring = Keyring::parse(test::golden_keyring_text());
    REQUIRE(ring.entries().size() == 3);
    const auto vectors = test::golden_link_vectors();
    REQUIRE(vectors.size() >= 40);
    std::set<std::string> verdicts;
    for (const auto& v : vectors) {
        CAPTURE(v.name);
        CAPTURE(v.url);
        const auto got = verify_receipt_url(v.url, ring, VerifyOptions{});
        CHECK(to_string(got.result) == v.expect);
        verdicts.insert(v.expect);
        if (got.result == VerifyResult::genuine) {
            REQUIRE(got.key);
            CHECK_FALSE(got.verify_base.empty());
            CHECK(got.detail.find(got.verify_base) != std::string::npos);  // the base is shown
        }
    }
    // Every verdict there is appears among the vectors.
    CHECK(verdicts.size() == 8);
}

TEST_CASE("golden vectors: the keys are the seeds' and the signed links are reproducible") {
    const Keyring ring = Keyring::parse(test::golden_keyring_text());
    for (int i = 0; i < 3; ++i) {
        std::string seed;
        for (int b = 0; b < 32; ++b) seed += static_cast<char>(i * 32 + b);
        CHECK(ring.entries()[static_cast<std::size_t>(i)].public_key == from_seed(seed).public_key);
    }
    // The re-flashed kiosk's link, signed again from key B's seed (Ed25519 is deterministic).
    std::string seed_b;
    for (int b = 0; b < 32; ++b) seed_b += static_cast<char>(32 + b);
    const ReceiptFields f{"JK01-N4TR-8VZ2-H", "JKT-PUSAT-01", 1783000000,
                          Classification::aspiration};
    const auto url =
        receipt_url("https://lapor.go.id/kiosk", f, sign_receipt(f, from_seed(seed_b).secret_key));
    CHECK(test::golden_link_vectors()[1].url == url);
}

TEST_CASE("links up to 4 KB parse; longer ones are malformed") {
    const Keyring ring = Keyring::parse(test::golden_keyring_text());
    const std::string golden = test::golden_link_vectors()[0].url;
    auto padded = [&](std::size_t total) {
        std::string u = golden + "&x=";
        u += std::string(total - u.size(), 'a');
        return u;
    };
    CHECK(padded(max_receipt_link).size() == 4096);
    CHECK(verify_receipt_url(padded(4096), ring, {}).result == VerifyResult::genuine);
    CHECK(verify_receipt_url(padded(4096) + "  \r\n#frag", ring, {}).result ==
          VerifyResult::genuine);
    CHECK(verify_receipt_url(padded(4097), ring, {}).result == VerifyResult::malformed);
}

TEST_CASE("the verifier's own base counts; without any known base every link is wrong_site") {
    Signed s;
    Keyring bare;  // no base= on the entry
    bare.add({"JKT-PUSAT-01", "JK01", s.key.public_key});
    CHECK(verify_receipt_url(s.url, bare, VerifyOptions{}).result == VerifyResult::wrong_site);
    CHECK(verify_receipt_url(s.url, bare, VerifyOptions{}).detail.find("none is configured") !=
          std::string::npos);
    const auto v = verify_receipt_url(s.url, bare, {{"HTTPS://Lapor.go.id/kiosk/"}, false});
    CHECK(v.result == VerifyResult::genuine);
    CHECK(v.verify_base == "https://lapor.go.id/kiosk");
    // A base that is not https never matches, even for an http link.
    std::string http = s.url;
    http.replace(0, 5, "http");
    CHECK(verify_receipt_url(http, bare, {{"http://lapor.go.id/kiosk"}, false}).result ==
          VerifyResult::wrong_site);
}

TEST_CASE("keyring attributes: dates, bases, zones, quoted offices, errors by line") {
    const std::string key = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";
    const auto k = Keyring::parse("K1 JK01 " + key +
                                  " from=2026-01-02T03:04:05Z until=2026-06-01 "
                                  "base=https://Lapor.GO.id/kiosk/ tz=Asia/Jayapura "
                                  "office=\"Kantor \\\"Satu\\\" # not a comment\"  # comment\n");
    REQUIRE(k.entries().size() == 1);
    const auto& e = k.entries()[0];
    CHECK(e.valid_from == 1767323045);
    CHECK(e.valid_until == 1780272000);
    CHECK(e.verify_base == "https://lapor.go.id/kiosk");
    CHECK(e.time_zone == "Asia/Jayapura");
    CHECK(e.office == "Kantor \"Satu\" # not a comment");
    CHECK(e.valid_at(1767323045));
    CHECK_FALSE(e.valid_at(1767323044));
    CHECK_FALSE(e.valid_at(1780272000));
    // Its own text reads back the same.
    CHECK(Keyring::parse(k.text()).text() == k.text());
    auto error_of = [&](const std::string& attrs) {
        try {
            (void)Keyring::parse("\nK1 JK01 " + key + " " + attrs + "\n");
        } catch (const KeyringError& ex) {
            return std::string(ex.what());
        }
        return std::string("no error");
    };
    CHECK(error_of("from=2026-02-30").starts_with("line 2: from=2026-02-30 is not a date"));
    CHECK(error_of("from=2026-06-01 until=2026-06-01").find("until= must be later") !=
          std::string::npos);
    CHECK(error_of("base=http://lapor.go.id").find("must start with https://") !=
          std::string::npos);
    CHECK(error_of("base=https://a@b/x").find("must have a host of letters") != std::string::npos);
    CHECK(error_of("base=https://a/x?y").find("must have a path of letters") != std::string::npos);
    CHECK(error_of("tz=Europe/Paris").find("Asia/Makassar") != std::string::npos);
    CHECK(error_of("color=red").find("unknown attribute color=") != std::string::npos);
    CHECK(error_of("tz=Asia/Jakarta tz=Asia/Jakarta").find("appears twice") != std::string::npos);
    CHECK(error_of("office=\"open").find("not closed") != std::string::npos);
    CHECK(parse_utc_time("2024-02-29") == 1709164800);
    CHECK_FALSE(parse_utc_time("2023-02-29"));
    CHECK(format_utc_time(1709164800) == "2024-02-29");
    CHECK(format_utc_time(1767323045) == "2026-01-02T03:04:05Z");
}

TEST_CASE("merging a re-flashed kiosk's key appends and closes the old key, never removes") {
    const std::string a = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";
    const std::string b = "Kay64UG8yvCyLhqU000LxzYeUm0L/hLIl5S8kyKWbdc=";
    Keyring ring = Keyring::parse("K1 JK01 " + a + " from=2026-01-01\n");
    const auto newer = Keyring::parse("K1 JK01 " + b + " from=2026-06-01 tz=Asia/Jakarta\n");
    CHECK(ring.merge(newer.entries()[0]) == Keyring::Merged::replaced_open);
    REQUIRE(ring.entries().size() == 2);
    CHECK(ring.entries()[0].valid_until == *parse_utc_time("2026-06-01"));
    CHECK_FALSE(ring.entries()[1].valid_until);
    // The same key again changes nothing; with an attribute it lacked, it gains it.
    CHECK(ring.merge(newer.entries()[0]) == Keyring::Merged::same);
    CHECK(ring.merge(Keyring::parse("K1 JK01 " + a + " office=X\n").entries()[0]) ==
          Keyring::Merged::updated);
    CHECK(ring.entries()[0].office == "X");
    CHECK(ring.entries()[0].valid_until == *parse_utc_time("2026-06-01"));
    // Older key added after the newer one: it ends where the newer begins.
    Keyring reverse = Keyring::parse("K1 JK01 " + b + " from=2026-06-01\n");
    CHECK(reverse.merge(Keyring::parse("K1 JK01 " + a + " from=2026-01-01\n").entries()[0]) ==
          Keyring::Merged::added);
    CHECK(reverse.entries()[1].valid_until == *parse_utc_time("2026-06-01"));
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
