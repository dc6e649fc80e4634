#include <doctest/doctest.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "files.h"
#include "fixtures.h"
#include "hardening.h"
#include "identity.h"

using namespace lapor;

TEST_CASE("the device key is created once, 0600, and never overwritten") {
    test::TempDir dir;
    const auto path = dir / "device.key";
    CHECK(create_device_key(path));
    const auto first = read_text_file(path);
    CHECK_FALSE(create_device_key(path));
    CHECK(read_text_file(path) == first);
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const KeyPair kp = load_device_key(path);
    CHECK(kp.public_key.size() == ed25519_public_size);
    const auto sig = ed25519_sign("hello", kp.secret_key);
    CHECK(ed25519_verify("hello", sig, kp.public_key));
}

TEST_CASE("a missing, damaged or unwritable key is reported with what to do") {
    test::TempDir dir;
    CHECK_THROWS_WITH_AS(load_device_key(dir / "none.key"),
                         doctest::Contains("missing: run `kioskctl keygen`"), IdentityError);
    std::ofstream(dir / "bad.key") << "not a key\n";
    CHECK_THROWS_WITH_AS(load_device_key(dir / "bad.key"), doctest::Contains("is damaged"),
                         IdentityError);
    CHECK_THROWS_WITH_AS(create_device_key(dir / "no/such/folder/device.key"),
                         doctest::Contains("cannot create the device key"), IdentityError);
}

// Needs root (as CI runs it); reported as skipped for a developer without.
TEST_CASE("run as root, identity files go to the service user" * doctest::skip(::geteuid() != 0)) {
    // The kiosk's user is `lapor`; here the existing account `nobody` stands in for it.
    const passwd* nobody = ::getpwnam("nobody");
    REQUIRE(nobody);
    ::setenv("LAPOR_KIOSK_USER", "nobody", 1);
    test::TempDir dir;
    REQUIRE(create_device_key(dir / "device.key"));
    write_private_file(dir / "token", "t", 0600);
    struct stat st {};
    REQUIRE(::stat((dir / "device.key").c_str(), &st) == 0);
    CHECK(st.st_uid == nobody->pw_uid);
    REQUIRE(::stat((dir / "token").c_str(), &st) == 0);
    CHECK(st.st_uid == nobody->pw_uid);
    ::setenv("LAPOR_KIOSK_USER", "no-such-user-here", 1);  // absent user: left as it is
    REQUIRE(create_device_key(dir / "other.key"));
    REQUIRE(::stat((dir / "other.key").c_str(), &st) == 0);
    CHECK(st.st_uid == 0);
    ::unsetenv("LAPOR_KIOSK_USER");
}

TEST_CASE("private files are replaced atomically with their mode") {
    test::TempDir dir;
    write_private_file(dir / "token", "first", 0600);
    write_private_file(dir / "token", "second", 0600);
    CHECK(read_text_file(dir / "token") == "second");
    struct stat st {};
    REQUIRE(::stat((dir / "token").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK_FALSE(read_text_file(dir / "token.tmp"));
}

TEST_CASE("make_undumpable: the process is no longer dumpable (both services call it first)") {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        const int before = ::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
        lapor::make_undumpable();
        ::_exit(before == 1 && ::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0 ? 0 : 1);
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    // Both mains call it at their start, before the config is read.
    for (const char* main_file : {"/sync/main.cpp", "/ui/main.cpp"}) {
        const auto text = read_text_file(std::string(LAPOR_SOURCE_DIR) + main_file);
        REQUIRE(text);
        const auto at = text->find("int main(");
        REQUIRE(at != std::string::npos);
        const auto call = text->find("make_undumpable();", at);
        CHECK_MESSAGE((call != std::string::npos && call - at < 400), main_file);
    }
}
