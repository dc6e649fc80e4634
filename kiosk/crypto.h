// Thin wrappers over libsodium: encodings, randomness, wiping, Ed25519, sealed boxes.
// No libsodium type appears here; keys are plain byte strings of the documented sizes.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lapor {

// Must be called once before anything else here (safe to call many times).
void crypto_init();

std::string base64_encode(std::string_view bytes);                   // standard, padded
std::string base64url_encode(std::string_view bytes);                // URL-safe, no padding
std::optional<std::string> base64_decode(std::string_view text);     // standard, padded
std::optional<std::string> base64url_decode(std::string_view text);  // URL-safe, no padding
std::string hex_encode(std::string_view bytes);

std::string random_bytes(std::size_t n);
std::uint32_t random_below(std::uint32_t upper);  // uniform in [0, upper)
std::string uuid_v4();                            // 8-4-4-4-12 lowercase hex

// Zeroes the whole buffer (capacity, not just size) and releases it.
void secure_clear(std::string& s);

constexpr std::size_t ed25519_public_size = 32;
constexpr std::size_t ed25519_secret_size = 64;
constexpr std::size_t ed25519_signature_size = 64;
constexpr std::size_t x25519_key_size = 32;

struct KeyPair {
    std::string public_key;
    std::string secret_key;
};
KeyPair ed25519_generate();
std::string ed25519_sign(std::string_view message, std::string_view secret_key);
bool ed25519_verify(std::string_view message, std::string_view signature,
                    std::string_view public_key);

KeyPair x25519_generate();
// crypto_box_seal: anonymous-sender encryption to `public_key`. Randomised. Throws
// std::invalid_argument for a key nobody could decrypt for (wrong size, low order).
std::string seal(std::string_view plaintext, std::string_view public_key);
std::optional<std::string> unseal(std::string_view sealed, const KeyPair& recipient);

// Argon2id password hashing (the staff PIN), in the standard "$argon2id$..." string form.
std::string argon2id_hash(std::string_view secret);
bool argon2id_verify(std::string_view hash, std::string_view secret);

}  // namespace lapor
