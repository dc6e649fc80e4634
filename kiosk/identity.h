// The device key: an Ed25519 key pair born on the kiosk, stored as base64 in a 0600 file owned by
// the UI's user (it signs receipts), and never overwritten. Also who owns what on the data
// partition: the two service users (docs/technician.md, "Files, owners and readers").
#pragma once
#include <stdexcept>
#include <string>

#include "crypto.h"
#include "safe_files.h"

namespace lapor {

struct IdentityError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The two services, each its own system user, sharing one group for the database.
enum class Service { kiosk, sync };

// The user name of a service: `lapor-kiosk` / `lapor-sync`, or $LAPOR_KIOSK_USER /
// $LAPOR_SYNC_USER (development and test overrides, docs/technician.md).
std::string service_user_name(Service s);
// The shared group: `lapor`, or $LAPOR_GROUP; without either, the kiosk user's own group.
std::string service_group_name();
// Owner ids of a service's files (user and shared group), or unchanged when not root or the
// user does not exist (development machines).
FileOwner service_owner(Service s);
// root and the shared group: files the services read and cannot rewrite (config).
FileOwner root_group_owner();

// Creates the key file if it is absent (O_EXCL, 0600, fsync'd, owned by the kiosk user when run
// as root). Returns true when it created one, false when one already existed.
// Throws IdentityError when the folder cannot be written or holds a link at that name.
bool create_device_key(const std::string& path);

// Loads the key (never through a link); throws IdentityError with what to do when it is missing
// or damaged.
KeyPair load_device_key(const std::string& path);

// Writes a small file atomically (temp file, fsync, rename; root-safe, see safe_files.h) with the
// given mode, owned by the given service when run as root.
void write_private_file(const std::string& path, const std::string& content, unsigned mode,
                        Service owner = Service::kiosk);

// Like write_private_file, but the file stays root's with the services' group (root:lapor), so
// the services can read it (mode 0640) and not rewrite it.
void write_root_file(const std::string& path, const std::string& content, unsigned mode);

// Gives `path` to a service's user (no-op when not root or that user is absent); never follows a
// link at `path` or at its folder's name.
void give_to_service_user(const std::string& path, Service s = Service::kiosk);

}  // namespace lapor
