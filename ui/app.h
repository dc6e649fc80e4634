// lapor-kiosk: the window, the loop and everything a screen needs. The loop blocks in
// SDL_WaitEventTimeout and draws only when input, a timer or data changed something. Screens
// (ui/screens/, one file each) draw from a read-only view and return intents; the rules live in
// kiosk/flow.h and kiosk/staff_flow.h.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clock.h"
#include "report.h"
#include "widgets.h"

struct SDL_Window;
struct SDL_Renderer;

namespace lapor {
class Flow;
}
namespace lapor::speech {
class Speaker;
}

namespace lapor::ui {

struct AppOptions {
    std::string config_path;
    bool windowed = false;  // also: the window's close button quits
    int width = 1280;       // window size when windowed or headless
    int height = 800;
    const Clock* clock = nullptr;  // nullptr: the system clock
    bool systemd = true;           // READY=1 / WATCHDOG=1 when run by systemd
    bool quiet = false;            // no "first frame" log line (tests, bench)
};

class App {
public:
    explicit App(AppOptions o);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    // Runs until SIGTERM/SIGINT (or the window is closed in windowed mode); returns the exit code.
    int run();
    // One turn of the loop: waits up to `wait_ms` for input (less when a timer is due), handles
    // it, draws if anything changed. Returns false once the app should stop.
    bool turn(int wait_ms);
    // Handles everything queued and draws until nothing is pending (tests, the tour).
    void settle();

    // The widget rectangles of the last drawn frame, by id.
    const WidgetRecord& widgets() const;
    // Records every text of each frame from now on (layout checks; off in service, where the
    // record would hold copies of what the citizen typed).
    void record_texts(bool on);
    // The texts of the last drawn frame, when recording.
    const TextRecord& texts() const;
    // "attract", "language", ..., "receipt", "staff_pin", "staff_verify", ..., "out_of_service".
    std::string screen_name() const;
    bool countdown_showing() const;
    std::string out_of_service_error() const;
    int frames_drawn() const;
    // How long each drawn frame took (build, render, present), in milliseconds (bench).
    const std::vector<double>& frame_times_ms() const;
    SDL_Window* window() const;
    SDL_Renderer* renderer() const;

    // Speech (ui/voice.h): what the speaker button would say now, everything given to the speaker
    // so far (latest last), the audio guide's state and focus, the speaker's status.
    // (text, language code) parts.
    std::vector<std::pair<std::string, std::string>> speech_text() const;
    const std::vector<std::string>& spoken() const;
    bool guide_on() const;
    std::string guide_focus() const;
    std::string speech_status() const;
    speech::Speaker* speaker();  // null when [ui] speech = false

    // For the tour and the bench only (tests drive the app with SDL events).
    Flow* flow();
    void set_theme_high_contrast(bool on);
    void set_text_scale_step(int step);  // 0: 100 %, 1: 125 %, 2: 150 %
    void set_print_failure_for_tour(const std::string& detail);
    // Draws one frame now and returns its pixels as RGBA rows (for --screenshot-tour).
    std::string capture_rgba(int& w, int& h);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

// Requests a clean stop from a signal handler (SIGTERM, SIGINT).
void request_stop();

}  // namespace lapor::ui
