// A small Chrome DevTools Protocol client for the browser tests: starts Debian's headless
// `chromium` with --remote-debugging-pipe (JSON messages ended by NUL on fds 3 and 4, so no
// WebSocket and no downloaded driver) and sends commands to one page.
#pragma once
#include <sys/types.h>

#include <nlohmann/json.hpp>

#include <deque>
#include <optional>
#include <string>

namespace lapor::test {

struct CdpError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Chromium {
public:
    // /usr/bin/chromium, or $LAPOR_CHROMIUM; nullopt when neither is there.
    static std::optional<std::string> find();
    // Starts the browser with a fresh profile in `profile_dir` (its log in profile_dir/log) and
    // opens one blank page. Throws CdpError.
    Chromium(const std::string& binary, const std::string& profile_dir);
    ~Chromium();
    Chromium(const Chromium&) = delete;
    Chromium& operator=(const Chromium&) = delete;

    // A command to the page (or to the browser with page = false); its result, or CdpError.
    nlohmann::json call(const std::string& method, const nlohmann::json& params = {},
                        bool page = true, int timeout_ms = 30000);
    // Waits for a page event; its params. Events seen earlier are kept until asked for.
    nlohmann::json wait_event(const std::string& method, int timeout_ms = 30000);
    // Drops the events received so far.
    void clear_events();
    // Runs `expression` in the page (awaiting a promise); its value as JSON.
    nlohmann::json eval(const std::string& expression, int timeout_ms = 30000);
    // Navigates and waits for the load event.
    void open(const std::string& url);
    // What a USB scanner does: types the text, then Enter.
    void scan(const std::string& text);
    // Clicks the middle of the element with this id.
    void click(const std::string& id);
    void screenshot(const std::string& png_path);
    std::deque<nlohmann::json>& events() { return events_; }

private:
    nlohmann::json next_message(int timeout_ms);
    void send(const nlohmann::json& msg);

    pid_t pid_ = -1;
    int to_ = -1, from_ = -1;
    int next_id_ = 1;
    std::string buffer_;
    std::string session_;
    std::deque<nlohmann::json> events_;
};

}  // namespace lapor::test
