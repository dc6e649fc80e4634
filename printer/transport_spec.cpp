#include <charconv>

#include "transport.h"

namespace lapor::printer {
namespace {

[[noreturn]] void bad(std::string_view text, const std::string& why) {
    throw TransportSpecError(
        "printer transport \"" + std::string(text) + "\": " + why +
        ". Write one of usb:/dev/usb/lp0, tcp:HOST:9100, serial:/dev/ttyS0:19200, cups:QUEUE, "
        "file:PATH, png:PATH");
}

bool parse_int(std::string_view s, int& out) {
    if (s.empty() || s.size() > 9) return false;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool has_control(std::string_view s) {
    for (char c : s) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
    }
    return false;
}

constexpr int bauds[] = {1200,  2400,   4800,   9600,   19200, 38400,
                         57600, 115200, 230400, 460800, 921600};

}  // namespace

TransportSpec parse_transport(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) bad(text, "it has no kind before a ':'");
    const std::string_view kind = text.substr(0, colon), rest = text.substr(colon + 1);
    if (rest.empty()) bad(text, "nothing follows \"" + std::string(kind) + ":\"");
    if (has_control(rest)) bad(text, "it contains control characters");
    TransportSpec s;
    if (kind == "usb" || kind == "file" || kind == "png") {
        s.kind = kind == "usb"    ? TransportKind::usb
                 : kind == "file" ? TransportKind::file
                                  : TransportKind::png;
        s.path = std::string(rest);
        if (s.kind == TransportKind::usb && s.path.front() != '/')
            bad(text, "a device must be an absolute path such as /dev/usb/lp0");
        return s;
    }
    if (kind == "tcp") {
        s.kind = TransportKind::tcp;
        std::string_view host, port;
        if (rest.front() == '[') {  // [IPv6]:port
            const auto close = rest.find(']');
            if (close == std::string_view::npos || close + 1 >= rest.size() ||
                rest[close + 1] != ':')
                bad(text, "an IPv6 address is written [ADDRESS]:PORT");
            host = rest.substr(1, close - 1);
            port = rest.substr(close + 2);
        } else {
            const auto c = rest.rfind(':');
            if (c == std::string_view::npos)
                bad(text, "tcp needs HOST:PORT, e.g. tcp:10.0.0.5:9100");
            host = rest.substr(0, c);
            port = rest.substr(c + 1);
            if (host.find(':') != std::string_view::npos)
                bad(text, "an IPv6 address is written [ADDRESS]:PORT");
        }
        if (host.empty() || host.size() > 253) bad(text, "the host is empty or too long");
        for (char c : host) {
            if (c == ' ' || c == '/') bad(text, "the host contains a space or '/'");
        }
        if (!parse_int(port, s.port) || s.port < 1 || s.port > 65535)
            bad(text, "the port must be a number from 1 to 65535");
        s.host = std::string(host);
        return s;
    }
    if (kind == "serial") {
        s.kind = TransportKind::serial;
        std::string_view r = rest;
        if (r.size() > 7 && r.substr(r.size() - 7) == ":rtscts") {
            s.rtscts = true;
            r = r.substr(0, r.size() - 7);
        }
        const auto c = r.rfind(':');
        if (c == std::string_view::npos || c == 0)
            bad(text, "serial needs DEVICE:BAUD, e.g. serial:/dev/ttyS0:19200");
        s.path = std::string(r.substr(0, c));
        if (s.path.front() != '/') bad(text, "the device must be an absolute path");
        if (!parse_int(r.substr(c + 1), s.baud)) bad(text, "the baud rate must be a number");
        bool known = false;
        for (int b : bauds) known = known || b == s.baud;
        if (!known)
            bad(text,
                "the baud rate must be one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, "
                "115200, 230400, 460800, 921600");
        return s;
    }
    if (kind == "cups") {
        s.kind = TransportKind::cups;
        s.queue = std::string(rest);
        for (char c : s.queue) {
            const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '@';
            if (!ok) bad(text, "a CUPS queue name has letters, digits, '_', '-', '.' or '@' only");
        }
        if (s.queue.front() == '-') bad(text, "a CUPS queue name cannot start with '-'");
        return s;
    }
    bad(text, "unknown kind \"" + std::string(kind) + "\"");
}

std::string to_string(const TransportSpec& s) {
    switch (s.kind) {
        case TransportKind::usb: return "usb:" + s.path;
        case TransportKind::file: return "file:" + s.path;
        case TransportKind::png: return "png:" + s.path;
        case TransportKind::cups: return "cups:" + s.queue;
        case TransportKind::serial:
            return "serial:" + s.path + ":" + std::to_string(s.baud) + (s.rtscts ? ":rtscts" : "");
        case TransportKind::tcp:
            return "tcp:" + (s.host.find(':') != std::string::npos ? "[" + s.host + "]" : s.host) +
                   ":" + std::to_string(s.port);
    }
    return "?";
}

bool can_read(const TransportSpec& s) {
    return s.kind == TransportKind::usb || s.kind == TransportKind::tcp ||
           s.kind == TransportKind::serial;
}

}  // namespace lapor::printer
