// A virtual ESC/POS printer for tests and the demo: a TCP server (127.0.0.1, port 0 = any free
// port) or a pseudo-terminal, that records every byte and answers status as scripted.
//
// Implemented: DLE EOT 1/2/4 answered in real time (also inside image data, as real printers
// do); GS r 1 answered once everything before it is processed (only while it can print); the
// command stream parsed like a printer (its state survives reconnects, so a job cut off inside
// a command garbles the next one unless that one recovers); cuts counted as printed receipts.
// Modes: ok, paper_near_end, paper_out, cover_open, offline, silent (prints, never answers),
// disconnect
// (hangs up after `disconnect_after` bytes of a connection; TCP only).
// Missing: ASB (GS a) is accepted but never sent; the pty variant cannot disconnect and cannot
// record jobs (a pty has no connections to split them by).
//
// Thread-safe: the server runs on its own thread; every accessor may be called at any time.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lapor::printer {

enum class VirtualMode { ok, paper_near_end, paper_out, cover_open, offline, silent, disconnect };
std::optional<VirtualMode> virtual_mode_from(std::string_view s);
std::string_view to_string(VirtualMode m);

struct VirtualPrinterOptions {
    VirtualMode mode = VirtualMode::ok;
    std::size_t disconnect_after = 4096;  // bytes into a connection (disconnect mode)
    // When set: job-NNNN.bin (+ .png with `profile`) per TCP connection, numbered after the
    // highest job-NNNN already in the folder. Not supported on a pty (open_pty throws).
    std::string record_dir;
    // Profile name used to render the recorded jobs as PNG (empty: none). Resolved when the
    // printer starts: an unknown name throws ProfileError there.
    std::string profile;
};

class VirtualPrinter {
public:
    using Options = VirtualPrinterOptions;

    // Listens on host:port (port 0: a free one, see port()). Throws std::runtime_error.
    static std::unique_ptr<VirtualPrinter> listen_tcp(const std::string& host = "127.0.0.1",
                                                      int port = 0, Options o = {});
    static std::unique_ptr<VirtualPrinter> listen_tcp(Options o) {
        return listen_tcp("127.0.0.1", 0, std::move(o));
    }
    // A pseudo-terminal; open device_path() as serial:PATH:BAUD. Throws std::runtime_error;
    // std::invalid_argument when o.record_dir is set (recording is TCP only).
    static std::unique_ptr<VirtualPrinter> open_pty(Options o = {});

    virtual ~VirtualPrinter() = default;

    // The [printer] transport string that reaches this printer.
    virtual std::string transport() const = 0;
    virtual int port() const = 0;                 // TCP; 0 for a pty
    virtual std::string device_path() const = 0;  // pty slave; empty for TCP

    virtual void set_mode(VirtualMode m) = 0;
    virtual VirtualMode mode() const = 0;

    // Bytes received, one entry per finished or current connection (one entry for a pty).
    virtual std::vector<std::string> jobs() const = 0;
    virtual std::string received() const = 0;  // every byte, in order
    virtual int printed() const = 0;           // cuts processed while able to print
    virtual int connections() const = 0;       // connections accepted so far
    // Waits (at most timeout_ms) until `n` connections have been closed; true if they have.
    virtual bool wait_closed(int n, int timeout_ms) const = 0;
    // Forgets the recorded bytes and counters (not the mode or the parser's state).
    virtual void clear() = 0;
};

}  // namespace lapor::printer
