#include "bundle_checks.h"

#include <cctype>
#include <cstdio>
#include <sstream>

#include "crypto.h"

namespace lapor::ctl {

std::string toml_quote(const std::string& s) {
    std::string out = "\"";
    for (const char ch : s) {
        const auto u = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (u < 0x20 || u == 0x7f) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", u);
            out += esc;
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

void check_ca_pem(const std::string& text, const std::string& what) {
    if (text.find("PRIVATE KEY") != std::string::npos)
        throw Refused(what +
                      " contains a private key: give only the CA certificate (ca.pem), "
                      "never its key");
    const auto begin = text.find("-----BEGIN CERTIFICATE-----");
    const auto end = text.find("-----END CERTIFICATE-----");
    if (begin == std::string::npos || end == std::string::npos || end < begin)
        throw Refused(what + " is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)");
    std::string body;
    for (std::size_t i = begin + 27; i < end; ++i) {
        if (!std::isspace(static_cast<unsigned char>(text[i]))) body += text[i];
    }
    if (!base64_decode(body) || body.size() < 100)
        throw Refused(what + " has a damaged certificate body (not base64)");
}

void check_enroll_code(const std::string& code) {
    if (code.size() < 4 || code.size() > 128 ||
        code.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") != code.npos)
        throw Refused(
            "--enroll-code must be 4-128 characters of A-Z a-z 0-9 - _ . (as issued by "
            "the national system)");
}

void check_authorized_keys(const std::string& text, const std::string& what) {
    if (text.find("PRIVATE KEY") != std::string::npos)
        throw Refused(what + " is a private key: give the technician's PUBLIC key (the .pub file)");
    std::istringstream in(text);
    int keys = 0;
    const auto key_type_at = [](const std::string& l) {
        for (const char* t : {"ssh-ed25519 ", "ssh-rsa ", "ecdsa-sha2-nistp256 ",
                              "ecdsa-sha2-nistp384 ", "ecdsa-sha2-nistp521 ",
                              "sk-ssh-ed25519@openssh.com ", "sk-ecdsa-sha2-nistp256@openssh.com "})
            if (l.starts_with(t)) return true;
        return false;
    };
    for (std::string line; std::getline(in, line);) {
        // Bundles edited on Windows end lines with \r\n; blank lines are allowed.
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.pop_back();
        line.erase(0, line.find_first_not_of(" \t"));
        if (line.empty() || line[0] == '#') continue;
        bool known = key_type_at(line);
        if (!known) {
            // An options field first (from="10.0.0.0/8",no-pty ssh-ed25519 ...): skip it,
            // spaces inside double quotes included.
            bool quoted = false;
            std::size_t i = 0;
            for (; i < line.size() && (quoted || (line[i] != ' ' && line[i] != '\t')); ++i) {
                if (line[i] == '\\' && i + 1 < line.size())
                    ++i;
                else if (line[i] == '"')
                    quoted = !quoted;
            }
            const auto rest = line.find_first_not_of(" \t", i);
            known = rest != std::string::npos && key_type_at(line.substr(rest));
        }
        if (!known)
            throw Refused(what +
                          " has a line that is not an OpenSSH public key (it must start "
                          "with ssh-ed25519, ssh-rsa or ecdsa-sha2-…)");
        ++keys;
    }
    if (keys == 0) throw Refused(what + " holds no public key");
}

}  // namespace lapor::ctl
