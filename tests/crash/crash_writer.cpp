// The victim of the crash test: submits reports forever, writing "B" to stdout just before each
// transaction begins and the report's uuid just after it commits. Unbuffered, so the parent
// knows exactly what was acknowledged when it SIGKILLs us.
//   crash_writer DB DEVICE_KEY NATIONAL_PUB_BASE64
#include <unistd.h>

#include <cstdio>
#include <string>

#include "crypto.h"
#include "fixtures.h"
#include "identity.h"
#include "store.h"
#include "submit.h"

namespace {
void say(const std::string& s) {
    const std::string line = s + "\n";
    if (::write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
        ::_exit(3);
}
}  // namespace

int main(int argc, char** argv) {
    using namespace lapor;
    if (argc != 4) return 2;
    crypto_init();
    SystemClock clock;
    auto store = open_store(argv[1], clock);
    const auto tz = *time_zone_from("Asia/Jakarta");
    Submitter sub(
        *store,
        SubmitContext{"JKT-PUSAT-01", "JK01", "https://lapor.go.id/kiosk",
                      base64_decode(argv[3]).value(), "2026-01", load_device_key(argv[2]), tz},
        clock);
    auto draft = test::valid_draft();
    draft.incident_date = local_date(clock.now_ms() / 1000, tz);
    for (unsigned n = 0;; ++n) {
        draft.title = "Laporan ke-" + std::to_string(n);
        PreparedReport r = sub.prepare(draft);
        say("B");
        store->insert_report(r);
        say(r.uuid);
    }
}
