// The device key: an Ed25519 key pair born on the kiosk, stored as base64 in a 0600 file owned by
// the `lapor` user (when that user exists), and never overwritten.
#pragma once
#include <stdexcept>
#include <string>

#include "crypto.h"

namespace lapor {

struct IdentityError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Creates the key file if it is absent (O_EXCL, 0600, fsync'd, chowned to `lapor` when run as
// root and that user exists). Returns true when it created one, false when one already existed.
// Throws IdentityError when the folder cannot be written.
bool create_device_key(const std::string& path);

// Loads the key; throws IdentityError with what to do when it is missing or damaged.
KeyPair load_device_key(const std::string& path);

// Writes a small file atomically (temp file, fsync, rename) with the given mode, owned by
// `lapor` when run as root and that user exists.
void write_private_file(const std::string& path, const std::string& content, unsigned mode);

// Gives `path` to the `lapor` user (or $LAPOR_KIOSK_USER) when running as root and that user
// exists (no-op otherwise).
void give_to_service_user(const std::string& path);
// `lapor`, or $LAPOR_KIOSK_USER (a development/test override).
std::string service_user_name();

// Like write_private_file, but the file stays root's, with the service user's group (root:lapor),
// so the services can read it (mode 0640) and not rewrite it. No chown when not root.
void write_root_file(const std::string& path, const std::string& content, unsigned mode);

// chown root:<group of lapor or $LAPOR_KIOSK_USER> when running as root and that user exists.
void give_to_service_group(const std::string& path);

}  // namespace lapor
