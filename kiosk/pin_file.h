// The staff PIN's own file (`[staff] pin_file`, default `staff-pin` beside the real config
// file): one line, the Argon2id hash. `kioskctl set-pin` writes it; no program ever rewrites
// kiosk.toml. On a kiosk it is root:lapor 0640 in the root-owned config folder, so the UI can
// read it and only root can change it.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>

namespace lapor {

struct PinFileError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The hash in the file; nullopt when there is no file. Throws PinFileError when the file exists
// but cannot be read or does not hold an Argon2id hash.
std::optional<std::string> read_pin_file(const std::string& path);

// Writes `hash` as the new PIN file, safely when run as root in a folder another user might
// write: the folder is opened without following links, the temporary file is created with
// O_CREAT|O_EXCL|O_NOFOLLOW (a link planted at its name is removed, never followed), owner and
// mode are set on the descriptor (root:<service group> 0640 as root, else 0640 as the caller),
// it is synced and renamed over the final name (a link there is replaced, not followed).
// Throws PinFileError with words.
void write_pin_file(const std::string& path, const std::string& hash);

}  // namespace lapor
