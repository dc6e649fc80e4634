// lapor-lab's HTTP(S) server: API v1 (docs/api.md) on cpp-httplib with the lab database, the
// receipt page, fault injection and the /lab/ control endpoints used by tests (these need the
// admin token the lab writes to DIR/lab-admin.token, lab_admin_token_path()).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "crypto.h"
#include "lab_faults.h"

namespace lapor::lab {

struct LabOptions {
    std::string dir;  // lab.db lives here
    std::string host = "127.0.0.1";
    int port = 18443;  // 0: any free port (written to port_file)
    std::string port_file;
    std::string cert, key;  // both empty: plain HTTP (loopback development only)
    std::string wrong_cert, wrong_key;
    std::string national_key_file;  // base64 X25519 secret key (for /lab/ checks; optional)
    std::string key_id;             // the national key id in use (empty: any)
    // Retired national keys still held (id, base64 private key file): reports sealed to them
    // before a rotation are still accepted and opened.
    std::vector<std::pair<std::string, std::string>> retired_keys;
    std::string catalog_file;    // empty: the shipped default catalog
    std::string public_url;      // for tracking_url; default scheme://host:port
    double advance_every_s = 0;  // 0: status moves only with `lapor-lab advance`
    int slow_ms = 3000;
    int retry_after_s = 1;
    bool quiet = false;  // no log line per request
    std::vector<std::pair<Fault, int>> faults;
};

// The national X25519 key pair from a file holding the base64 private key.
KeyPair load_national_key(const std::string& path);

std::string lab_admin_token_path(const std::string& dir);

// Serves until SIGTERM or SIGINT; returns the process exit code.
int serve(const LabOptions& o);

}  // namespace lapor::lab
