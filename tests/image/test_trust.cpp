// Signed provisioning and root-safe file handling (issue #10), with the real kioskctl: authority
// keys, trust on first use, an image-pinned key, rotation, unsigned and foreign sticks, what a
// bundle may change, and links planted by a service user at every name root writes.
#include <doctest/doctest.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "bundle.h"
#include "config.h"
#include "endpoint_url.h"
#include "fake_clock.h"
#include "identity.h"
#include "provision_site.h"
#include "store.h"

using namespace lapor::test::site;
using lapor::test::TempDir;
using nlohmann::json;

namespace {

Result install(Site& s, const std::string& data, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"provision", "--install-from", s.dir / "bundle", "--data-dir",
                                  data,        "--trust-dir",    s.dir / "trust"};
    args.insert(args.end(), extra.begin(), extra.end());
    return kioskctl(args);
}

std::string office_of(const std::string& data) {
    return lapor::load_config(data + "/config/kiosk.toml").kiosk.office;
}

json provisioning_check(const std::string& data) {
    const auto d = kioskctl({"--config", data + "/config/kiosk.toml", "--json", "doctor"});
    const json all = json::parse(d.out);
    for (const auto& c : all["checks"])
        if (c["name"] == "provisioning") return c;
    FAIL("doctor has no provisioning check: " << d.out << d.err);
    return {};
}

}  // namespace

TEST_CASE("authority-keygen: a private key 0600 and a public key, never overwritten") {
    TempDir d;
    auto r = kioskctl({"authority-keygen", "--out", d / "auth"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(mode_of(d / "auth/authority.key") == 0600);
    CHECK(mode_of(d / "auth/authority.pub") == 0644);
    const auto secret = lapor::parse_authority_secret(read_file(d / "auth/authority.key"));
    const auto pub = lapor::parse_authority_public(read_file(d / "auth/authority.pub"));
    REQUIRE(secret);
    REQUIRE(pub);
    CHECK(secret->substr(32) == *pub);
    CHECK(r.out.find(lapor::key_fingerprint(*pub)) != std::string::npos);
    const std::string before = read_file(d / "auth/authority.key");
    r = kioskctl({"authority-keygen", "--out", d / "auth"});
    CHECK(r.code == 1);
    CHECK(r.err.find("never overwritten") != std::string::npos);
    CHECK(read_file(d / "auth/authority.key") == before);
    CHECK(kioskctl({"authority-keygen"}).code == 2);
    // The public key cannot sign.
    Site s;
    r = s.provision({{"--sign-key", s.dir / "authority/authority.pub"}});
    CHECK(r.code == 1);
    CHECK(r.err.find("is not an authority private key") != std::string::npos);
    // Exactly one of --sign-key and --unsigned.
    CHECK(s.provision({}, {"--sign-key"}).code == 2);
    CHECK(s.provision({{"--unsigned", ""}}).code == 2);
}

TEST_CASE("trust on first use, then only that key; unsigned and foreign sticks are refused") {
    Site s;
    const std::string data = s.dir / "data";
    REQUIRE(s.provision().code == 0);
    CHECK(exists(s.dir / "bundle/manifest"));
    CHECK(exists(s.dir / "bundle/manifest.sig"));
    // The manifest lists every file with its SHA-256.
    const std::string manifest = read_file(s.dir / "bundle/manifest");
    for (const char* f : {"kiosk.toml", "ca.pem", "enroll_code"})
        CHECK(manifest.find(lapor::sha256_hex(read_file(s.dir / "bundle/" + f)) + " ") !=
              std::string::npos);
    auto r = install(s, data);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("on first use") != std::string::npos);
    auto check = provisioning_check(data);
    CHECK(check["ok"] == true);
    CHECK(check["detail"].get<std::string>().find("trusted on first use") != std::string::npos);
    // First boot removes the used enrollment code from the stick; the next boots read the same
    // signed bundle without it and change nothing.
    ::unlink((s.dir / "bundle/enroll_code").c_str());
    r = install(s, data);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("nothing changed") != std::string::npos);
    CHECK(provisioning_check(data)["ok"] == true);

    // A stick signed by another authority: refused, config kept, doctor names the stick.
    REQUIRE(kioskctl({"authority-keygen", "--out", s.dir / "other"}).code == 0);
    REQUIRE(s.provision(
                 {{"--office", "Kantor Penyusup"}, {"--sign-key", s.dir / "other/authority.key"}})
                .code == 0);
    r = install(s, data);
    CHECK(r.code == 1);
    CHECK(r.err.find("signed by a foreign key") != std::string::npos);
    CHECK(office_of(data) != "Kantor Penyusup");
    check = provisioning_check(data);
    CHECK(check["ok"] == false);
    CHECK(check["detail"].get<std::string>().find(
              "an unsigned or foreign provisioning stick is present") != std::string::npos);

    // An unsigned stick: refused the same way (this is not a lab image).
    REQUIRE(
        s.provision({{"--office", "Kantor Penyusup"}, {"--unsigned", ""}}, {"--sign-key"}).code ==
        0);
    CHECK_FALSE(exists(s.dir / "bundle/manifest.sig"));
    r = install(s, data);
    CHECK(r.code == 1);
    CHECK(r.err.find("it is unsigned") != std::string::npos);
    CHECK(office_of(data) != "Kantor Penyusup");
    // A stick with no manifest at all (an older kioskctl, or hand-made).
    ::unlink((s.dir / "bundle/manifest").c_str());
    r = install(s, data);
    CHECK(r.code == 1);
    CHECK(r.err.find("has no manifest") != std::string::npos);

    // A signed manifest changed by hand (the signature no longer verifies).
    REQUIRE(s.provision({{"--office", "Kantor Sah"}}).code == 0);
    std::string m = read_file(s.dir / "bundle/manifest");
    m += "file " + std::string(64, 'a') + " 3 authorized_keys\n";
    write_file(s.dir / "bundle/manifest", m);
    r = install(s, data);
    CHECK(r.code == 1);
    CHECK(r.err.find("signature does not verify") != std::string::npos);

    // The right stick again: installed, and the refusal is forgotten.
    REQUIRE(s.provision({{"--office", "Kantor Sah"}}).code == 0);
    r = install(s, data);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(office_of(data) == "Kantor Sah");
    CHECK(provisioning_check(data)["ok"] == true);
}

TEST_CASE("nothing on an untrusted stick is read beyond the manifest and its signature") {
    Site s;
    const std::string data = s.dir / "data";
    REQUIRE(s.provision().code == 0);
    REQUIRE(install(s, data).code == 0);
    REQUIRE(kioskctl({"authority-keygen", "--out", s.dir / "other"}).code == 0);
    REQUIRE(s.provision({{"--sign-key", s.dir / "other/authority.key"}}).code == 0);
    // Every listed file is replaced by a FIFO: opening one would be seen as "not a regular file".
    for (const char* f : {"kiosk.toml", "ca.pem", "enroll_code"}) {
        ::unlink((s.dir / "bundle/" + f).c_str());
        REQUIRE(::mkfifo((s.dir / "bundle/" + f).c_str(), 0600) == 0);
    }
    const auto r = install(s, data);
    CHECK(r.code == 1);
    CHECK(r.err.find("signed by a foreign key") != std::string::npos);
    CHECK(r.err.find("not what was expected") == std::string::npos);
    // Signed by the trusted key but a listed file is not a regular file: refused when read.
    std::filesystem::remove_all(s.dir / "bundle");
    REQUIRE(s.provision().code == 0);
    ::unlink((s.dir / "bundle/ca.pem").c_str());
    REQUIRE(::mkfifo((s.dir / "bundle/ca.pem").c_str(), 0600) == 0);
    CHECK(install(s, data).code == 1);
}

TEST_CASE("an image-pinned authority wins over the first bundle; lab images accept unsigned") {
    Site s;
    const std::string data = s.dir / "data";
    REQUIRE(kioskctl({"authority-keygen", "--out", s.dir / "org"}).code == 0);
    std::filesystem::copy_file(s.dir / "org/authority.pub", s.dir / "trust/authority.pub");
    // Signed by a key that is not the image's: refused even on a fresh kiosk (no TOFU).
    REQUIRE(s.provision().code == 0);
    auto r = install(s, data);
    CHECK(r.code == 1);
    CHECK(r.err.find("foreign key") != std::string::npos);
    CHECK_FALSE(exists(data + "/config/kiosk.toml"));
    REQUIRE(s.provision({{"--sign-key", s.dir / "org/authority.key"}}).code == 0);
    r = install(s, data);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    auto check = provisioning_check(data);
    CHECK(check["detail"].get<std::string>().find("pinned in the image") != std::string::npos);
    // The lab switch: unsigned bundles accepted (and said by doctor).
    REQUIRE(s.provision({{"--office", "Lab"}, {"--unsigned", ""}}, {"--sign-key"}).code == 0);
    CHECK(install(s, data).code == 1);
    write_file(s.dir / "trust/accept-unsigned-bundles", "");
    r = install(s, data);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(office_of(data) == "Lab");
    CHECK(provisioning_check(data)["detail"].get<std::string>().find("lab image") !=
          std::string::npos);
}

TEST_CASE("rotation: a bundle signed by the pinned key moves the kiosk to a new authority") {
    Site s;
    const std::string data = s.dir / "data";
    REQUIRE(s.provision().code == 0);
    REQUIRE(install(s, data).code == 0);
    REQUIRE(kioskctl({"authority-keygen", "--out", s.dir / "next"}).code == 0);
    // --new-authority needs the current key to sign.
    CHECK(s.provision({{"--new-authority", s.dir / "next/authority.pub"}, {"--unsigned", ""}},
                      {"--sign-key"})
              .code == 2);
    REQUIRE(s.provision({{"--new-authority", s.dir / "next/authority.pub"}}).code == 0);
    auto r = install(s, data);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("rotated the authority key") != std::string::npos);
    CHECK(provisioning_check(data)["detail"].get<std::string>().find("rotated") !=
          std::string::npos);
    // The old key is no longer trusted; the new one is.
    REQUIRE(s.provision({{"--office", "Lama"}}).code == 0);
    CHECK(install(s, data).code == 1);
    REQUIRE(
        s.provision({{"--office", "Baru"}, {"--sign-key", s.dir / "next/authority.key"}}).code ==
        0);
    r = install(s, data);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(office_of(data) == "Baru");
    // A rotated key wins over the image's pin too (it was signed by a key the kiosk trusted).
    REQUIRE(kioskctl({"authority-keygen", "--out", s.dir / "img"}).code == 0);
    std::filesystem::copy_file(s.dir / "img/authority.pub", s.dir / "trust/authority.pub");
    REQUIRE(
        s.provision({{"--office", "Lagi"}, {"--sign-key", s.dir / "next/authority.key"}}).code ==
        0);
    CHECK(install(s, data).code == 0);
}

TEST_CASE("endpoint, CA, national key or kiosk id changed: the token goes, a new code is needed") {
    Site s;
    const std::string data = s.dir / "data";
    REQUIRE(s.provision().code == 0);
    REQUIRE(install(s, data).code == 0);
    // Enrolled.
    write_file(data + "/identity/token", "tok\n");
    ::unlink((data + "/identity/enroll_code").c_str());
    // An office change keeps the token.
    REQUIRE(s.provision({{"--office", "Kantor Baru"}}).code == 0);
    auto r = install(s, data);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(read_file(data + "/identity/token") == "tok\n");
    CHECK(r.out.find("already enrolled") != std::string::npos);

    // A new endpoint without a code: refused, nothing changes.
    REQUIRE(s.provision({{"--office", "Kantor Baru"}, {"--endpoint", "https://new.example.id"}},
                        {"--enroll-code"})
                .code == 0);
    r = install(s, data);
    CHECK(r.code == 1);
    CHECK(r.err.find("changes upload.endpoint, so the kiosk must enroll again") !=
          std::string::npos);
    CHECK(read_file(data + "/identity/token") == "tok\n");
    CHECK(lapor::load_config(data + "/config/kiosk.toml").upload.endpoint ==
          "https://api.example.id/kiosk");

    // With a code: the token is dropped and the code installed.
    const std::string nkey = lapor::base64_encode(lapor::x25519_generate().public_key);
    for (const auto& [flag, value] :
         std::vector<std::pair<std::string, std::string>>{{"--endpoint", "https://new.example.id"},
                                                          {"--national-key", nkey},
                                                          {"--kiosk-id", "JKT-PUSAT-02"}}) {
        s.flags[flag] = value;  // each change on top of the previous ones
        CAPTURE(flag);
        write_file(data + "/identity/token", "tok\n");
        REQUIRE(s.provision({{"--office", "Kantor Baru"},
                             {flag, value},
                             {"--enroll-code", "NEW-" + flag.substr(2, 6)}})
                    .code == 0);
        r = install(s, data);
        REQUIRE_MESSAGE(r.code == 0, r.err);
        CHECK(r.out.find("dropped the upload token") != std::string::npos);
        CHECK_FALSE(exists(data + "/identity/token"));
        CHECK(read_file(data + "/identity/enroll_code") == "NEW-" + flag.substr(2, 6) + "\n");
    }
    // A new CA alone counts too.
    write_file(data + "/identity/token", "tok\n");
    REQUIRE(run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                 "-nodes", "-days", "30", "-keyout", s.dir / "ca2.key", "-out", s.dir / "ca2.pem",
                 "-subj", "/CN=other CA"})
                .code == 0);
    s.flags["--office"] = "Kantor Baru";
    const auto ca2 = s.provision({{"--ca", s.dir / "ca2.pem"}, {"--enroll-code", "CA-CODE"}});
    REQUIRE_MESSAGE(ca2.code == 0, ca2.err);
    r = install(s, data);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("the CA (ca.pem)") != std::string::npos);
    CHECK_FALSE(exists(data + "/identity/token"));
}

TEST_CASE("a kiosk id change with unsent reports is refused with how many are waiting") {
    Site s;
    const std::string data = s.dir / "data";
    REQUIRE(s.provision().code == 0);
    REQUIRE(install(s, data).code == 0);
    {
        lapor::test::FakeClock clock(1'790'000'000'000);
        auto store = lapor::open_store(data + "/kiosk.db", clock);
        for (int i = 0; i < 3; ++i) {
            lapor::PreparedReport rep;
            rep.uuid = lapor::uuid_v4();
            rep.tracking = "JK01-0000-000" + std::to_string(i) + "-0";
            rep.kiosk_id = "JKT-PUSAT-01";
            rep.created_unix = 1'790'000'000;
            rep.upload_body = "{}";
            store->insert_report(rep);
        }
    }
    REQUIRE(s.provision({{"--kiosk-id", "JKT-PUSAT-09"}, {"--enroll-code", "NEWCODE"}}).code == 0);
    const auto r = install(s, data);
    CHECK(r.code == 1);
    CHECK(r.err.find("changes kiosk.id from JKT-PUSAT-01 to JKT-PUSAT-09 while 3 report(s) are "
                     "waiting to be sent") != std::string::npos);
    CHECK(lapor::load_config(data + "/config/kiosk.toml").kiosk.id == "JKT-PUSAT-01");
}

TEST_CASE("SSH keys change only through a verified bundle") {
    Site s;
    const std::string data = s.dir / "data";
    const std::string ssh = s.dir / "ssh";
    REQUIRE(s.provision({{"--ssh-key", s.dir / "tech.pub"}}).code == 0);
    auto r = install(s, data, {"--ssh-dir", ssh});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(read_file(ssh + "/authorized_keys") == read_file(s.dir / "tech.pub"));
    CHECK(mode_of(ssh + "/authorized_keys") == 0600);
    CHECK(mode_of(ssh) == 0700);
    // An unsigned stick with another key, or none: SSH access stays as it is.
    write_file(s.dir / "intruder.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIntruder x@y\n");
    REQUIRE(s.provision({{"--ssh-key", s.dir / "intruder.pub"}, {"--unsigned", ""}}, {"--sign-key"})
                .code == 0);
    CHECK(install(s, data, {"--ssh-dir", ssh}).code == 1);
    CHECK(read_file(ssh + "/authorized_keys") == read_file(s.dir / "tech.pub"));
    REQUIRE(s.provision({{"--unsigned", ""}}, {"--sign-key"}).code == 0);
    CHECK(install(s, data, {"--ssh-dir", ssh}).code == 1);
    CHECK(exists(ssh + "/authorized_keys"));
    // A signed bundle without a key removes access.
    REQUIRE(s.provision({{"--office", "Tanpa SSH"}}).code == 0);
    r = install(s, data, {"--ssh-dir", ssh});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("removed SSH maintenance access") != std::string::npos);
    CHECK_FALSE(exists(ssh + "/authorized_keys"));
}

// ---------------------------------------------------------------- root-safe file handling

namespace {

// A file only root may change, that a planted link points at.
struct Victim {
    std::string path, text;
    explicit Victim(std::string p) : path(std::move(p)), text("root's own file\n") {
        write_file(path, text);
        ::chmod(path.c_str(), 0600);
    }
    void check_untouched(const std::string& where) const {
        struct stat st {};
        REQUIRE(::stat(path.c_str(), &st) == 0);
        CHECK_MESSAGE(read_file(path) == text, where);
        CHECK_MESSAGE(st.st_uid == 0, where);
        CHECK_MESSAGE(st.st_gid == 0, where);
        CHECK_MESSAGE((st.st_mode & 07777) == 0600, where);
    }
};

// A symlink at `at` to `target`, owned by the service user, as that user would make it.
void plant(const std::string& at, const std::string& target, uid_t uid, gid_t gid) {
    ::unlink(at.c_str());
    REQUIRE(::symlink(target.c_str(), at.c_str()) == 0);
    REQUIRE(::lchown(at.c_str(), uid, gid) == 0);
}

struct ServiceUsers {
    passwd kiosk_{}, sync_{};
    const passwd* kiosk = &kiosk_;  // getpwnam's result is overwritten by the next call: copies
    const passwd* sync = &sync_;
    ServiceUsers() {
        REQUIRE(::getpwnam("nobody"));
        kiosk_ = *::getpwnam("nobody");
        REQUIRE(::getpwnam("daemon"));
        sync_ = *::getpwnam("daemon");
        ::setenv("LAPOR_KIOSK_USER", "nobody", 1);
        ::setenv("LAPOR_SYNC_USER", "daemon", 1);
    }
    ~ServiceUsers() {
        ::unsetenv("LAPOR_KIOSK_USER");
        ::unsetenv("LAPOR_SYNC_USER");
    }
};

}  // namespace

TEST_CASE("root writes never follow a link a service user planted in the data folder" *
          doctest::skip(::geteuid() != 0)) {
    ServiceUsers users;
    Site s;
    REQUIRE(s.provision().code == 0);
    const std::string data = s.dir / "data";
    Victim victim(s.dir / "victim");
    const uid_t uid = users.kiosk->pw_uid;
    const gid_t gid = users.kiosk->pw_gid;
    // The data and identity folders as a kiosk has them: root:lapor, group-writable, sticky.
    std::filesystem::create_directories(data + "/identity");
    REQUIRE(::chown(data.c_str(), 0, gid) == 0);
    ::chmod(data.c_str(), 03770);
    REQUIRE(::chown((data + "/identity").c_str(), 0, gid) == 0);
    ::chmod((data + "/identity").c_str(), 01770);

    // Every temporary and final name root writes in identity/ during first boot.
    const std::vector<std::string> names{"device.key.new", "device.pub.tmp", "device.pub",
                                         "enroll_code.tmp", "enroll_code"};
    for (const auto& n : names) plant(data + "/identity/" + n, victim.path, uid, gid);
    auto r = install(s, data);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    victim.check_untouched("install-from with links in identity/");
    struct stat st {};
    for (const auto& n : {"device.pub", "enroll_code"}) {
        REQUIRE(::lstat((data + "/identity/" + n).c_str(), &st) == 0);
        CHECK_MESSAGE(S_ISREG(st.st_mode), n);  // the link was replaced, not followed
    }
    REQUIRE(::lstat((data + "/identity/enroll_code").c_str(), &st) == 0);
    CHECK(st.st_uid == users.sync->pw_uid);  // the code is lapor-sync's
    REQUIRE(::lstat((data + "/identity/device.key").c_str(), &st) == 0);
    CHECK(st.st_uid == uid);  // the key is the UI's
    CHECK((st.st_mode & 07777) == 0600);

    const auto full_mode = [](const std::string& p) {
        struct stat m {};
        REQUIRE(::stat(p.c_str(), &m) == 0);
        return m.st_mode & 07777;
    };
    CHECK(full_mode(data) == 03770);
    CHECK(full_mode(data + "/identity") == 01770);
    CHECK(full_mode(data + "/config") == 0750);

    // As the service user: root's config/ (the pinned authority key) and identity/ cannot be
    // renamed away and replaced, nor the other service's token removed.
    write_file(data + "/identity/token", "tok\n");
    REQUIRE(::chown((data + "/identity/token").c_str(), users.sync->pw_uid, gid) == 0);
    ::chmod(s.dir.path().c_str(), 0711);  // the service user can reach the data folder
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) ::_exit(10);
        int bad = 0;
        if (::rename((data + "/config").c_str(), (data + "/config.old").c_str()) == 0) bad |= 1;
        if (::rename((data + "/identity").c_str(), (data + "/id.old").c_str()) == 0) bad |= 2;
        if (::unlink((data + "/identity/token").c_str()) == 0) bad |= 4;
        if (::mkdir((data + "/mine").c_str(), 0700) != 0) bad |= 8;  // but it can add its own
        ::_exit(bad);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    ::unlink((data + "/identity/token").c_str());

    // A link at the device key's own name: keygen refuses instead of reading or chowning it.
    const std::string cfg = data + "/config/kiosk.toml";
    ::rename((data + "/identity/device.key").c_str(), (s.dir / "saved.key").c_str());
    plant(data + "/identity/device.key", victim.path, uid, gid);
    r = kioskctl({"--config", cfg, "keygen"});
    CHECK(r.code == 3);
    CHECK(r.err.find("refusing to follow") != std::string::npos);
    victim.check_untouched("keygen with a link at device.key");
    ::unlink((data + "/identity/device.key").c_str());
    ::rename((s.dir / "saved.key").c_str(), (data + "/identity/device.key").c_str());

    // Links at every name again, then keygen (first boot runs it at every boot).
    for (const auto& n : {"device.key.new", "device.pub.tmp", "device.pub"})
        plant(data + "/identity/" + n, victim.path, uid, gid);
    r = kioskctl({"--config", cfg, "keygen"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    victim.check_untouched("keygen with links in identity/");

    // The identity or config folder itself replaced by a link (to a folder of root's).
    const std::string roots = s.dir / "roots";
    std::filesystem::create_directories(roots);
    ::rename((data + "/identity").c_str(), (s.dir / "identity.saved").c_str());
    plant(data + "/identity", roots, uid, gid);
    REQUIRE(s.provision({{"--office", "Lagi"}}).code == 0);
    r = install(s, data);
    CHECK(r.code != 0);
    CHECK(std::filesystem::is_empty(roots));
    ::unlink((data + "/identity").c_str());
    ::rename((s.dir / "identity.saved").c_str(), (data + "/identity").c_str());

    // The upload token written by `kioskctl enroll` (as root it writes as lapor-sync): a link at
    // token.tmp and token. The enrollment itself fails (no endpoint), but nothing is followed
    // before that either; the token write is covered below through the library.
    for (const auto& n : {"token.tmp", "token"})
        plant(data + "/identity/" + n, victim.path, uid, gid);
    lapor::write_private_file(data + "/identity/token", "tok\n", 0600, lapor::Service::sync);
    victim.check_untouched("token write");
    REQUIRE(::lstat((data + "/identity/token").c_str(), &st) == 0);
    CHECK(S_ISREG(st.st_mode));
    CHECK(st.st_uid == users.sync->pw_uid);

    // authority-keygen (root on a technician's laptop) into a folder with planted links.
    const std::string auth = s.dir / "auth";
    std::filesystem::create_directories(auth);
    plant(auth + "/authority.key.new", victim.path, uid, gid);
    r = kioskctl({"authority-keygen", "--out", auth});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    victim.check_untouched("authority-keygen");
    plant(auth + "/authority.pub", victim.path, uid, gid);
    ::unlink((auth + "/authority.key").c_str());
    CHECK(kioskctl({"authority-keygen", "--out", auth}).code == 1);  // something is there
    victim.check_untouched("authority-keygen over a link");
}

// ---------------------------------------------------------------- endpoint URLs

TEST_CASE("endpoint URLs are parsed with libcurl: no userinfo, plain http only to loopback") {
    struct Case {
        std::string url;
        bool ok;
        std::string host_or_reason;
    };
    const std::vector<Case> cases{
        {"https://api.lapor.go.id/kiosk", true, "api.lapor.go.id"},
        {"https://api.lapor.go.id:8443", true, "api.lapor.go.id"},
        {"http://127.0.0.1:18443", true, "127.0.0.1"},
        {"http://127.9.9.9/", true, "127.9.9.9"},
        {"http://localhost:8080/x", true, "localhost"},
        {"http://[::1]:8080", true, "::1"},
        {"http://127.0.0.1:80@10.255.255.1/", false, "carries a user name or password"},
        {"https://user:secret@api.lapor.go.id/", false, "carries a user name or password"},
        {"https://token@api.lapor.go.id/", false, "carries a user name or password"},
        {"http://10.255.255.1/", false, "plain http to 10.255.255.1"},
        {"http://127.0.0.1.evil.example/", false, "not a loopback host"},
        {"ftp://127.0.0.1/", false, "must use https, not ftp"},
        {"https://api example.id/kiosk", false, "not a URL libcurl can parse"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.url);
        std::string problem;
        const auto e = lapor::sync::parse_endpoint(c.url, problem);
        CHECK(e.has_value() == c.ok);
        if (c.ok) {
            REQUIRE(e);
            CHECK(e->host == c.host_or_reason);
        } else {
            CHECK(problem.find(c.host_or_reason) != std::string::npos);
            CHECK(problem.starts_with("upload.endpoint \"" + c.url + "\""));
            CHECK(problem.find("write e.g. endpoint = ") != std::string::npos);
        }
    }
    std::string problem;
    CHECK(lapor::sync::parse_endpoint("https://api.lapor.go.id", problem)->port == "443");
    CHECK(lapor::sync::parse_endpoint("http://localhost", problem)->port == "80");
}

TEST_CASE("an endpoint with userinfo or that curl cannot parse: config, provision, doctor, sync") {
    // The core's config check (no curl) refuses userinfo, naming the key.
    const std::string base =
        "[kiosk]\nid = \"A\"\ncode_prefix = \"JK01\"\noffice = \"O\"\ndata_dir = \".\"\n"
        "[upload]\nnational_key = \"A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\"\n"
        "national_key_id = \"k\"\n";
    try {
        (void)lapor::parse_config(base + "endpoint = \"http://127.0.0.1:80@10.255.255.1/\"\n",
                                  "k.toml", "/tmp");
        FAIL("userinfo accepted");
    } catch (const lapor::ConfigError& e) {
        CHECK(std::string(e.what()).find("upload.endpoint") != std::string::npos);
        CHECK(std::string(e.what()).find("user name or password") != std::string::npos);
    }
    Site s;
    auto r = s.provision({{"--endpoint", "https://user:pw@api.example.id/"}});
    CHECK(r.code == 1);
    CHECK(r.err.find("--endpoint refused: upload.endpoint") != std::string::npos);
    CHECK(r.err.find("user name or password") != std::string::npos);

    // A URL the core's prefix check lets through but curl cannot parse.
    TempDir d;
    write_file(d / "k.toml", base + "endpoint = \"https://api example.id/kiosk\"\n");
    r = kioskctl({"--config", d / "k.toml", "--json", "doctor"});
    CHECK(r.code == 1);
    json endpoint;
    const json all = json::parse(r.out);
    for (const auto& c : all["checks"])
        if (c["name"] == "endpoint") endpoint = c;
    REQUIRE(!endpoint.is_null());
    CHECK(endpoint["ok"] == false);
    CHECK(endpoint["detail"].get<std::string>().find("not a URL libcurl can parse") !=
          std::string::npos);
    CHECK(endpoint["fix"].get<std::string>().find("upload.endpoint") != std::string::npos);
    r = kioskctl({"--config", d / "k.toml", "enroll", "--code", "ABCD-EFGH"});
    CHECK(r.code == 3);
    CHECK(r.err.find("upload.endpoint") != std::string::npos);
    // lapor-sync refuses it as a config error (exit 2: no restart loop), naming key and fix.
    r = run({LAPOR_SYNC, "--config", d / "k.toml", "--pid-file", d / "sync.pid"});
    CHECK(r.code == 2);
    CHECK(r.err.find("upload.endpoint \"https://api example.id/kiosk\" is not a URL libcurl can "
                     "parse; write e.g. endpoint = ") != std::string::npos);
}
