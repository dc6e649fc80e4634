// The kiosk's metrics in the Prometheus text format (version 0.0.4): `kioskctl metrics` prints
// them and lapor-sync writes them every [metrics] interval_s into the node exporter's textfile
// folder. Counts, times, sizes and states only: never anything a citizen typed. The list, with
// the alert rules built on it, is in docs/technician.md (monitoring) and prometheus/.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "clock.h"
#include "config.h"
#include "store.h"

namespace lapor {

// Everything one rendering needs, gathered from the store, the file system and the boot
// command line (kept apart from the formatting so tests can feed exact values).
struct MetricsInput {
    QueueCounts counts;
    std::map<std::string, std::int64_t> attempts;  // by outcome
    std::map<std::string, std::int64_t> counters;  // Store::metrics()
    std::string enrollment_state;                  // device health words, "" when unknown
    std::string printer_state;                     // printer::to_string(PrinterState), or ""
    std::optional<std::uint64_t> disk_free_bytes, disk_size_bytes;
    std::optional<std::uint64_t> database_bytes;  // kiosk.db + -wal
    std::int64_t now_ms = 0;
    std::string version;
    std::string slot;            // "A", "B", or "none" (no A/B root slots)
    std::int64_t rollbacks = 0;  // from the update state file (UpdateState::rollbacks)
};

MetricsInput gather_metrics(const Config& c, Store& store, const Clock& clock);
std::string prometheus_text(const MetricsInput& in);

// The root slot this system booted from: rauc.slot=NAME on the kernel command line (A/B
// updates), else "none". `cmdline` is the text of /proc/cmdline.
std::string boot_slot(const std::string& cmdline);

// Writes `text` as <dir>/lapor.prom: a temporary file made then renamed, so the node exporter
// never reads half a file; mode 0644 (the exporter runs as its own user). Throws
// std::runtime_error with words.
void write_textfile(const std::string& dir, const std::string& text);

}  // namespace lapor
