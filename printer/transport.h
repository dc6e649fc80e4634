// Transports: where the bytes of one job go, from the config's [printer] transport string.
//   usb:/dev/usb/lp0            device file (usblp), read back for status with a timeout
//   tcp:HOST:PORT               raw TCP (port 9100 on network printers)
//   serial:/dev/ttyS0:19200[:rtscts]  termios raw 8N1 at that baud, optional RTS/CTS
//   cups:QUEUE                  `lp -d QUEUE -o raw`; write-only, so status is always unknown
//   file:PATH                   appended to a file; write-only
//   png:PATH                    the raster as the printer would print it (render.h); write-only
// A transport is opened per job and closed after it, so another process (kioskctl print-test
// beside the UI) can print in between; a busy device is retried briefly. Every wait has a timeout.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "profile.h"

namespace lapor::printer {

enum class TransportKind { usb, tcp, serial, cups, file, png };

struct TransportSpec {
    TransportKind kind = TransportKind::usb;
    std::string path;  // usb, serial, file, png
    std::string host;  // tcp
    int port = 0;      // tcp
    int baud = 0;      // serial
    bool rtscts = false;
    std::string queue;  // cups
};

struct TransportSpecError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// Throws TransportSpecError with what to write instead.
TransportSpec parse_transport(std::string_view text);
std::string to_string(const TransportSpec& s);
// Whether replies can be read back (status, confirmation).
bool can_read(const TransportSpec& s);

enum class IoStatus { ok, timeout, closed, error };

struct OpenError {
    enum Kind { none, busy, missing, permission, refused, timeout, other } kind = none;
    std::string message;  // a sentence for staff and logs
};

class Transport {
public:
    virtual ~Transport() = default;
    // Writes every byte within `timeout_ms`. `written` says how many were accepted.
    virtual IoStatus write_all(std::string_view data, int timeout_ms, std::size_t& written) = 0;
    // Appends to `out` what arrives within `timeout_ms`: returns as soon as something arrived
    // (ok), or timeout / closed (the other end hung up) / error.
    virtual IoStatus read_some(std::string& out, int timeout_ms) = 0;
    // Discards replies that arrived before now (stale status bytes, ASB).
    virtual void drain() = 0;
    // Finishes the job (cups: waits for lp; png: renders). False with `error` set on failure.
    virtual bool finish(int timeout_ms, std::string& error) = 0;
    virtual std::string last_error() const = 0;
};

struct OpenOptions {
    int connect_timeout_ms = 2000;
    int busy_retry_ms = 2000;  // how long a busy device is retried
};

// Opens the transport for one job; nullptr with `err` set on failure.
std::unique_ptr<Transport> open_transport(const TransportSpec& spec, const Profile& profile,
                                          const OpenOptions& o, OpenError& err);

}  // namespace lapor::printer
