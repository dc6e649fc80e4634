// Root paths of kioskctl that touch files in folders a service user can write (issue #10): the
// device key's time is read without following a link; requeue, demo and set-pin open the database
// as the kiosk's user, so a link planted beside it (kiosk.db-wal) never points root at its files.
// SQLite and the store refuse such links too: what fails without the drop is the refusal checked
// when the kiosk's user does not exist.
#include <doctest/doctest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "commands.h"
#include "config.h"
#include "crypto.h"
#include "fixtures.h"
#include "identity.h"
#include "keyring.h"
#include "run_program.h"

namespace {

using Result = lapor::test::RunResult;

Result kioskctl(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), KIOSKCTL);
    return lapor::test::run_program(std::move(args), input);
}

std::string read_file(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void set_mtime(const std::string& p, long t) {
    const timeval tv[2] = {{t, 0}, {t, 0}};
    REQUIRE(::utimes(p.c_str(), tv) == 0);
}

// A root-only file that a link planted by a service user points at.
struct Victim {
    std::string path;
    explicit Victim(const std::string& p) : path(p) {
        std::ofstream(path, std::ios::binary) << "precious\n";
        ::chmod(path.c_str(), 0600);
    }
    void check_untouched() const {
        CHECK(read_file(path) == "precious\n");
        struct stat st {};
        REQUIRE(::stat(path.c_str(), &st) == 0);
        CHECK(st.st_uid == 0);
        CHECK((st.st_mode & 07777) == 0600);
    }
};

// A demo kiosk (made as root), then handed to `nobody` as a kiosk's data folder is to its user.
struct NobodysDemo {
    lapor::test::TempDir dir;
    std::string data = dir / "demo";
    std::string config = data + "/kiosk.toml";
    const passwd* nobody = ::getpwnam("nobody");
    NobodysDemo() {
        const auto r = kioskctl({"demo", "--no-services", "--dir", data});
        REQUIRE_MESSAGE(r.code == 0, r.err);
        REQUIRE(nobody);
        for (const char* f : {"", "/kiosk.db"})
            REQUIRE(::chown((data + f).c_str(), nobody->pw_uid, nobody->pw_gid) == 0);
        ::chmod(dir.path().c_str(), 0755);  // nobody may reach its folder
    }
};

struct AsUser {
    explicit AsUser(const char* user) { ::setenv("LAPOR_KIOSK_USER", user, 1); }
    ~AsUser() { ::unsetenv("LAPOR_KIOSK_USER"); }
};

}  // namespace

TEST_CASE("the device key's birth time is read from the key itself, never through a link") {
    lapor::crypto_init();
    lapor::test::TempDir dir;
    std::ofstream(dir / "k.toml")
        << "[kiosk]\nid = \"A\"\ncode_prefix = \"JK01\"\noffice = \"O\"\n"
        << "data_dir = \"" << dir.path() << "\"\n[upload]\n"
        << "endpoint = \"https://x.id\"\n"
        << "national_key = \"A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\""
        << "\nnational_key_id = \"k\"\n";
    const auto c = lapor::load_config(dir / "k.toml");
    ::mkdir(c.identity_dir().c_str(), 0700);
    const std::string key = c.device_key_path();
    const std::string elsewhere = dir / "other-file";
    std::ofstream(elsewhere) << "not a key\n";
    set_mtime(elsewhere, 1'000'000'000);  // 2001
    REQUIRE(::symlink(elsewhere.c_str(), key.c_str()) == 0);
    auto e = lapor::ctl::own_keyring_entry(c, std::string(32, 'k'));
    CHECK_FALSE(e.valid_from.has_value());  // the link's target says nothing about the key
    ::unlink(key.c_str());
    REQUIRE(lapor::create_device_key(key));
    set_mtime(key, 1'700'000'000);
    e = lapor::ctl::own_keyring_entry(c, std::string(32, 'k'));
    REQUIRE(e.valid_from.has_value());
    CHECK(*e.valid_from == 1'700'000'000);
}

TEST_CASE("requeue as root opens the database as the kiosk's user: a planted -wal link is inert" *
          doctest::skip(::geteuid() != 0)) {
    NobodysDemo demo;
    const Victim victim(demo.dir / "victim.txt");
    // What the kiosk's user could plant beside the database: SQLite opens kiosk.db-wal by name.
    REQUIRE(::symlink(victim.path.c_str(), (demo.data + "/kiosk.db-wal").c_str()) == 0);
    {
        const AsUser as("nobody");
        const auto r = kioskctl({"--config", demo.config, "requeue", "--held"});
        INFO(r.out << r.err);
        victim.check_untouched();
        // Without the link it works, as that user.
        ::unlink((demo.data + "/kiosk.db-wal").c_str());
        const auto ok = kioskctl({"--config", demo.config, "requeue", "--held"});
        INFO(ok.out << ok.err);
        CHECK(ok.code == 0);
        CHECK(ok.out.find("0 held report(s) back in the upload queue") != std::string::npos);
    }
    struct stat st {};
    REQUIRE(::stat((demo.data + "/kiosk.db").c_str(), &st) == 0);
    CHECK(st.st_uid == demo.nobody->pw_uid);
    // No such user: root refuses rather than open the database in a folder others can write.
    const AsUser none("no-such-user-here");
    const auto r = kioskctl({"--config", demo.config, "requeue", "--held"});
    CHECK(r.code == 3);
    CHECK(r.err.find("refusing to open") != std::string::npos);
}

TEST_CASE(
    "demo and set-pin as root in a folder the kiosk's user owns: a planted -wal link is inert" *
    doctest::skip(::geteuid() != 0)) {
    NobodysDemo demo;
    const Victim victim(demo.dir / "victim.txt");
    REQUIRE(::symlink(victim.path.c_str(), (demo.data + "/kiosk.db-wal").c_str()) == 0);
    const AsUser as("nobody");
    const auto r = kioskctl({"demo", "--no-services", "--dir", demo.data});
    INFO(r.out << r.err);
    victim.check_untouched();
    const auto pin = kioskctl({"--config", demo.config, "set-pin"}, "246810\n");
    INFO(pin.out << pin.err);
    CHECK(pin.code == 0);
    victim.check_untouched();
    // No such user: the demo refuses rather than open the database as root in that folder.
    const AsUser none("no-such-user-here");
    const auto refused = kioskctl({"demo", "--no-services", "--dir", demo.data});
    CHECK(refused.code == 3);
    CHECK(refused.err.find("refusing to open") != std::string::npos);
}
