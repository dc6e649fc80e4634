// The keyring staff tools verify receipts against: every key each kiosk ever had, with the dates
// it was in use, the site its receipts link to, and its office. A re-flashed kiosk gets a new
// key; the keyring keeps the old one (closed at the new key's birth), so every genuine receipt a
// kiosk ever printed still verifies. Text format and rules: docs/receipt.md ("Keyring format").
#pragma once
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lapor {

struct KeyringEntry {
    KeyringEntry() = default;
    // The three fields every line has; the attributes are set by name.
    KeyringEntry(std::string id, std::string prefix, std::string key)
        : kiosk_id(std::move(id)), code_prefix(std::move(prefix)), public_key(std::move(key)) {}

    std::string kiosk_id;
    std::string code_prefix;
    std::string public_key;   // 32 bytes
    std::string verify_base;  // base=: the site its receipts link to; "" = none carried
    std::optional<std::int64_t> valid_from;   // from=: Unix seconds, inclusive; none = always
    std::optional<std::int64_t> valid_until;  // until=: Unix seconds, exclusive; none = in use
    std::string time_zone;                    // tz=: the office's IANA zone; "" = not known
    std::string office;                       // office=: the office's name; "" = not known

    bool valid_at(std::int64_t unix_s) const {
        return (!valid_from || unix_s >= *valid_from) && (!valid_until || unix_s < *valid_until);
    }
};

struct KeyringError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Lines of `<kiosk_id> <code_prefix> <base64 key> [from=…] [until=…] [base=…] [tz=…] [office=…]`;
// '#' comments (outside quotes), blank lines. A kiosk's own `identity/device.pub` is a one-line
// keyring; an office keyring is its kiosks' lines, several per re-flashed kiosk.
class Keyring {
public:
    static Keyring parse(std::string_view text);  // throws KeyringError with the line number
    static Keyring load_file(const std::string& path);
    void add(KeyringEntry e) { entries_.push_back(std::move(e)); }
    // What `merge` did, in words, for the technician.
    enum class Merged { added, same, updated, replaced_open };
    // Adds a kiosk key as `kioskctl keyring export` does: a key already listed only gains the
    // attributes it lacked; a new key of a listed kiosk closes that kiosk's open-ended keys at
    // the new key's `from` (a re-flash), never removing one.
    Merged merge(const KeyringEntry& e);
    // The first entry of that kiosk, or null.
    const KeyringEntry* find(std::string_view kiosk_id) const;
    std::vector<const KeyringEntry*> entries_for(std::string_view kiosk_id) const;
    const std::vector<KeyringEntry>& entries() const { return entries_; }
    std::string text() const;  // every line, each ended by '\n'

private:
    std::vector<KeyringEntry> entries_;
};

std::string keyring_line(const KeyringEntry& e);

// `2026-06-01` (00:00 UTC) or `2026-06-01T08:30:00Z`; nullopt for anything else.
std::optional<std::int64_t> parse_utc_time(std::string_view text);
// The shorter of the two forms above that gives back `unix_s`.
std::string format_utc_time(std::int64_t unix_s);

// A verify base is `https://HOST[:PORT][/PATH]` (host letters, digits, '-' and '.'; path of
// letters, digits and `-._~/`; no user, query or fragment). Returns it without a trailing '/',
// or nullopt with `why` set to a sentence.
std::optional<std::string> normalize_verify_base(std::string_view base, std::string* why = nullptr);

}  // namespace lapor
