#include "cdp_client.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "crypto.h"

namespace lapor::test {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::optional<std::string> Chromium::find() {
    const char* env = std::getenv("LAPOR_CHROMIUM");
    const std::string path = env && *env ? env : "/usr/bin/chromium";
    if (::access(path.c_str(), X_OK) != 0) return std::nullopt;
    return path;
}

Chromium::Chromium(const std::string& binary, const std::string& profile_dir) {
    int to_child[2], from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0)
        throw CdpError("pipe failed");
    const std::string log = profile_dir + "/log";
    pid_ = ::fork();
    if (pid_ < 0) throw CdpError("fork failed");
    if (pid_ == 0) {
        // fds 3 and 4 are the protocol pipe; dup2 clears O_CLOEXEC on the copies.
        const int in = ::dup(to_child[0]), out = ::dup(from_child[1]);
        ::dup2(in, 3);
        ::dup2(out, 4);
        const int logfd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (logfd >= 0) {
            ::dup2(logfd, 1);
            ::dup2(logfd, 2);
        }
        ::setpgid(0, 0);  // the browser's helpers go with it when the test stops it
        const std::string data_dir = "--user-data-dir=" + profile_dir + "/profile";
        // The flags this machine needs (no sandbox as root, no GPU, no background network).
        ::execl(binary.c_str(), binary.c_str(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--disable-default-apps", "--mute-audio", "--remote-debugging-pipe",
                "--window-size=1100,900", data_dir.c_str(), "about:blank",
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(to_child[0]);
    ::close(from_child[1]);
    to_ = to_child[1];
    from_ = from_child[0];
    ::signal(SIGPIPE, SIG_IGN);
    const json created = call("Target.createTarget", {{"url", "about:blank"}}, false, 60000);
    const json attached = call("Target.attachToTarget",
                               {{"targetId", created.at("targetId")}, {"flatten", true}}, false);
    session_ = attached.at("sessionId");
    call("Page.enable");
    call("Runtime.enable");
}

Chromium::~Chromium() {
    if (pid_ <= 0) return;
    try {
        send({{"id", next_id_++}, {"method", "Browser.close"}});
    } catch (const std::exception&) {
    }
    ::close(to_);
    int status = 0;
    for (int i = 0; i < 100; ++i) {
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            ::close(from_);
            ::kill(-pid_, SIGKILL);  // any helper left behind
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    ::close(from_);
}

void Chromium::send(const json& msg) {
    std::string text = msg.dump();
    text += '\0';
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(to_, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw CdpError("the browser closed its protocol pipe");
        done += static_cast<std::size_t>(n);
    }
}

json Chromium::next_message(int timeout_ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        if (const auto nul = buffer_.find('\0'); nul != std::string::npos) {
            json m = json::parse(buffer_.substr(0, nul));
            buffer_.erase(0, nul + 1);
            return m;
        }
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) throw CdpError("no answer from the browser in time");
        pollfd p{from_, POLLIN, 0};
        const int r = ::poll(&p, 1, static_cast<int>(left));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) continue;
        char buf[65536];
        const ssize_t n = ::read(from_, buf, sizeof buf);
        if (n <= 0) throw CdpError("the browser exited (see its log)");
        buffer_.append(buf, static_cast<std::size_t>(n));
    }
}

json Chromium::call(const std::string& method, const json& params, bool page, int timeout_ms) {
    const int id = next_id_++;
    json msg{
        {"id", id}, {"method", method}, {"params", params.is_null() ? json::object() : params}};
    if (page) msg["sessionId"] = session_;
    send(msg);
    for (;;) {
        json m = next_message(timeout_ms);
        if (m.contains("id") && m["id"] == id) {
            if (m.contains("error")) throw CdpError(method + ": " + m["error"].dump());
            return m.value("result", json::object());
        }
        if (m.contains("method")) events_.push_back(std::move(m));
    }
}

json Chromium::wait_event(const std::string& method, int timeout_ms) {
    for (auto it = events_.begin(); it != events_.end(); ++it) {
        if ((*it)["method"] == method) {
            json p = (*it)["params"];
            events_.erase(it);
            return p;
        }
    }
    for (;;) {
        json m = next_message(timeout_ms);
        if (m.value("method", "") == method) return m["params"];
        if (m.contains("method")) events_.push_back(std::move(m));
    }
}

void Chromium::clear_events() { events_.clear(); }

json Chromium::eval(const std::string& expression, int timeout_ms) {
    const json r =
        call("Runtime.evaluate",
             {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}}, true,
             timeout_ms);
    if (r.contains("exceptionDetails"))
        throw CdpError("page script failed: " + r["exceptionDetails"].dump());
    return r["result"].value("value", json(nullptr));
}

void Chromium::open(const std::string& url) {
    clear_events();
    call("Page.navigate", {{"url", url}});
    wait_event("Page.loadEventFired");
}

void Chromium::scan(const std::string& text) {
    if (!text.empty()) call("Input.insertText", {{"text", text}});
    for (const char* type : {"keyDown", "keyUp"}) {
        json key{{"type", type},
                 {"key", "Enter"},
                 {"code", "Enter"},
                 {"windowsVirtualKeyCode", 13},
                 {"nativeVirtualKeyCode", 13}};
        if (std::string(type) == "keyDown") key["text"] = "\r";
        call("Input.dispatchKeyEvent", key);
    }
}

void Chromium::click(const std::string& id) {
    const json box = eval("(() => { const r = document.getElementById('" + id +
                          "').getBoundingClientRect(); return [r.x + r.width / 2, r.y + "
                          "r.height / 2]; })()");
    for (const char* type : {"mousePressed", "mouseReleased"})
        call("Input.dispatchMouseEvent",
             {{"type", type}, {"x", box[0]}, {"y", box[1]}, {"button", "left"}, {"clickCount", 1}});
}

void Chromium::screenshot(const std::string& png_path) {
    const json r = call("Page.captureScreenshot", {{"format", "png"}});
    const auto bytes = base64_decode(r.at("data").get<std::string>());
    if (!bytes) throw CdpError("the screenshot is not base64");
    std::ofstream(png_path, std::ios::binary) << *bytes;
}

}  // namespace lapor::test
