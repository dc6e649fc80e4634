// The submit path: validate -> seal the citizen's data to the national key -> draw a tracking
// code -> sign the receipt -> build the upload body once -> insert (returns after the commit).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "clock.h"
#include "crypto.h"
#include "report.h"
#include "store.h"
#include "validation.h"

namespace lapor {

class Catalog;
struct Config;

struct SubmitContext {
    std::string kiosk_id;
    std::string code_prefix;
    std::string verify_base;
    std::string national_key;  // X25519 public key, 32 bytes
    std::string national_key_id;
    KeyPair device;  // Ed25519
    TimeZone time_zone;

    static SubmitContext from(const Config& c, KeyPair device);
};

struct SubmitResult {
    std::vector<Problem> problems;         // non-empty: nothing was stored
    std::optional<PreparedReport> report;  // set when stored and committed
    bool ok() const { return report.has_value(); }
};

// The personal part of a draft as sealed JSON (title, body, location, contact when consented).
std::string personal_json(const ReportDraft& d);

class Submitter {
public:
    Submitter(Store& store, SubmitContext ctx, const Clock& clock)
        : store_(store), ctx_(std::move(ctx)), clock_(clock) {}

    SubmitResult submit(const ReportDraft& draft, const Catalog& catalog);

    // The steps of submit, apart, for the crash test and the benchmark: validation must have
    // passed. Each call draws a new uuid and tracking code.
    PreparedReport prepare(const ReportDraft& draft) const;
    // Draws a new tracking code and re-signs (after a tracking-code collision).
    void redraw_tracking(PreparedReport& r) const;

    const SubmitContext& context() const { return ctx_; }

private:
    void sign_and_build(PreparedReport& r, const std::string& sealed) const;

    Store& store_;
    SubmitContext ctx_;
    const Clock& clock_;
};

}  // namespace lapor
