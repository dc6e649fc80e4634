// A provisioning site for the image suites: a CA made by openssl, a national key, an authority
// key pair, and good values for every `kioskctl provision` flag; helpers to run kioskctl.
#pragma once
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include <nlohmann/json.hpp>
#include "bundle.h"
#include "crypto.h"
#include "fixtures.h"
#include "run_program.h"

namespace lapor::test::site {

using lapor::test::TempDir;

using Result = lapor::test::RunResult;

inline Result run(std::vector<std::string> argv, const std::string& input = "") {
    return lapor::test::run_program(std::move(argv), input);
}

inline Result kioskctl(std::vector<std::string> args) {
    args.insert(args.begin(), KIOSKCTL);
    return run(args);
}

inline std::string read_file(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_file(const std::string& p, const std::string& text) { std::ofstream(p) << text; }

inline unsigned mode_of(const std::string& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

inline bool exists(const std::string& p) { return ::access(p.c_str(), F_OK) == 0; }

// Signs the bundle in `dir` again as it is now, as an authority that signed a bad file would.
inline void resign(const std::string& dir, const std::string& key_file) {
    std::map<std::string, std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        const auto name = e.path().filename().string();
        if (name != "manifest" && name != "manifest.sig") files[name] = read_file(e.path());
    }
    const auto secret = lapor::parse_authority_secret(read_file(key_file));
    REQUIRE(secret);
    const auto manifest = lapor::make_manifest(files, secret->substr(32));
    write_file(dir + "/manifest", manifest);
    write_file(dir + "/manifest.sig", lapor::base64_encode(lapor::ed25519_sign(manifest, *secret)));
}

// A site: a CA made by openssl, a national key, and good values for every flag.
struct Site {
    TempDir dir;
    std::map<std::string, std::string> flags;
    Site() {
        lapor::crypto_init();
        const auto r = run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:P-256", "-nodes", "-days", "30", "-keyout",
                            dir / "ca.key", "-out", dir / "ca.pem", "-subj", "/CN=test CA"});
        REQUIRE_MESSAGE(r.code == 0, r.err);
        write_file(dir / "tech.pub",
                   "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBuPH5MKV1Rv7jb3ZsBa4Zk0Nd4+fVt5G5jSg9"
                   "cZ1X3Q technician@laptop\n");
        flags = {{"--kiosk-id", "JKT-PUSAT-01"},
                 {"--code-prefix", "JK01"},
                 {"--office", "Kantor Walikota \"Jakarta\" Pusat"},
                 {"--time-zone", "Asia/Jakarta"},
                 {"--endpoint", "https://api.example.id/kiosk"},
                 {"--ca", dir / "ca.pem"},
                 {"--national-key", lapor::base64_encode(lapor::x25519_generate().public_key)},
                 {"--national-key-id", "2026-01"},
                 {"--verify-base", "https://lapor.example.id/kiosk"},
                 {"--enroll-code", "K7Q2-9XW4-M3"},
                 {"--sign-key", dir / "authority/authority.key"},
                 {"--out", dir / "bundle"}};
        const auto k = run({KIOSKCTL, "authority-keygen", "--out", dir / "authority"});
        REQUIRE_MESSAGE(k.code == 0, k.err);
        std::filesystem::create_directories(dir / "trust");  // no key pinned: trust on first use
    }
    Result provision(const std::map<std::string, std::string>& changes = {},
                     const std::vector<std::string>& drop = {}, const std::string& input = "") {
        auto f = flags;
        for (const auto& [k, v] : changes) f[k] = v;
        for (const auto& k : drop) f.erase(k);
        std::vector<std::string> args{"provision"};
        for (const auto& [k, v] : f) {
            args.push_back(k);
            if (k != "--unsigned") args.push_back(v);  // the one flag without a value
        }
        args.insert(args.begin(), KIOSKCTL);
        return run(args, input);
    }
};

}  // namespace lapor::test::site
