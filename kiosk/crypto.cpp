#include "crypto.h"

#include <sodium.h>

#include <stdexcept>

namespace lapor {

void crypto_init() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

namespace {

const unsigned char* u8(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* u8(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

std::string b64(std::string_view bytes, int variant) {
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), u8(bytes), bytes.size(), variant);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

std::optional<std::string> unb64(std::string_view text, int variant) {
    std::string out(text.size() / 4 * 3 + 3, '\0');
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(u8(out), out.size(), text.data(), text.size(), nullptr, &len, &end,
                          variant) != 0 ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    out.resize(len);
    return out;
}

}  // namespace

std::string base64_encode(std::string_view b) { return b64(b, sodium_base64_VARIANT_ORIGINAL); }
std::string base64url_encode(std::string_view b) {
    return b64(b, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}
std::optional<std::string> base64_decode(std::string_view t) {
    return unb64(t, sodium_base64_VARIANT_ORIGINAL);
}
std::optional<std::string> base64url_decode(std::string_view t) {
    return unb64(t, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string hex_encode(std::string_view bytes) {
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), u8(bytes), bytes.size());
    out.pop_back();
    return out;
}

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    randombytes_buf(out.data(), n);
    return out;
}

std::uint32_t random_below(std::uint32_t upper) { return randombytes_uniform(upper); }

std::string uuid_v4() {
    std::string b = random_bytes(16);
    b[6] = static_cast<char>((b[6] & 0x0F) | 0x40);
    b[8] = static_cast<char>((b[8] & 0x3F) | 0x80);
    const std::string h = hex_encode(b);
    return h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' + h.substr(16, 4) +
           '-' + h.substr(20);
}

void secure_clear(std::string& s) {
    s.resize(s.capacity());
    sodium_memzero(s.data(), s.size());
    s.clear();
    s.shrink_to_fit();
}

KeyPair ed25519_generate() {
    KeyPair kp{std::string(crypto_sign_PUBLICKEYBYTES, '\0'),
               std::string(crypto_sign_SECRETKEYBYTES, '\0')};
    crypto_sign_keypair(u8(kp.public_key), u8(kp.secret_key));
    return kp;
}

std::string ed25519_sign(std::string_view message, std::string_view secret_key) {
    if (secret_key.size() != crypto_sign_SECRETKEYBYTES)
        throw std::invalid_argument("Ed25519 secret key must be 64 bytes");
    std::string sig(crypto_sign_BYTES, '\0');
    crypto_sign_detached(u8(sig), nullptr, u8(message), message.size(), u8(secret_key));
    return sig;
}

bool ed25519_verify(std::string_view message, std::string_view signature,
                    std::string_view public_key) {
    if (signature.size() != crypto_sign_BYTES || public_key.size() != crypto_sign_PUBLICKEYBYTES)
        return false;
    return crypto_sign_verify_detached(u8(signature), u8(message), message.size(),
                                       u8(public_key)) == 0;
}

KeyPair x25519_generate() {
    KeyPair kp{std::string(crypto_box_PUBLICKEYBYTES, '\0'),
               std::string(crypto_box_SECRETKEYBYTES, '\0')};
    crypto_box_keypair(u8(kp.public_key), u8(kp.secret_key));
    return kp;
}

std::string seal(std::string_view plaintext, std::string_view public_key) {
    if (public_key.size() != crypto_box_PUBLICKEYBYTES)
        throw std::invalid_argument("X25519 public key must be 32 bytes");
    std::string out(plaintext.size() + crypto_box_SEALBYTES, '\0');
    // Fails for a low-order (e.g. all-zero) key: the output would be unreadable by anyone.
    if (crypto_box_seal(u8(out), u8(plaintext), plaintext.size(), u8(public_key)) != 0)
        throw std::invalid_argument("the X25519 public key is not usable (low-order point)");
    return out;
}

std::optional<std::string> unseal(std::string_view sealed, const KeyPair& recipient) {
    if (sealed.size() < crypto_box_SEALBYTES ||
        recipient.public_key.size() != crypto_box_PUBLICKEYBYTES ||
        recipient.secret_key.size() != crypto_box_SECRETKEYBYTES)
        return std::nullopt;
    std::string out(sealed.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(u8(out), u8(sealed), sealed.size(), u8(recipient.public_key),
                             u8(recipient.secret_key)) != 0)
        return std::nullopt;
    return out;
}

std::string argon2id_hash(std::string_view secret) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, secret.data(), secret.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("not enough memory to hash the PIN");
    return out;
}

bool argon2id_verify(std::string_view hash, std::string_view secret) {
    const std::string h(hash);  // needs a NUL-terminated string
    return crypto_pwhash_str_verify(h.c_str(), secret.data(), secret.size()) == 0;
}

}  // namespace lapor
