// Checks kioskctl makes on a provisioning bundle's contents, both when writing one (provision)
// and when installing one (install-from): the same rules on both sides.
#pragma once
#include <map>
#include <stdexcept>
#include <string>

namespace lapor::ctl {

// A bundle refused, with the reason as a sentence.
struct Refused : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The bundle's files, by name, with their contents.
using Bundle = std::map<std::string, std::string>;

// Each throws Refused naming `what` and the fix.
void check_ca_pem(const std::string& text, const std::string& what);
void check_enroll_code(const std::string& code);
void check_authorized_keys(const std::string& text, const std::string& what);

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string toml_quote(const std::string& s);

// kiosk.toml's first line in a bundle written by provision.
inline constexpr const char* bundle_header =
    "# LAPOR! Kiosk site config, written by `kioskctl provision`.";

}  // namespace lapor::ctl
