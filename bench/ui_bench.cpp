// UI benchmark (issues #5, #14, #15): lapor-kiosk headless (SDL dummy video driver, software
// renderer, SDL's disk audio driver writing real samples to a file at the sound card's pace),
// each figure the median of 5 runs, each with its ratio to an empty loop in this binary (same
// window, same renderer, ImGui's default font, nothing drawn).
//   start to first presented frame   (lapor-kiosk exec'd; READY=1 on NOTIFY_SOCKET), with where
//                                    the time goes (the kiosk's start-up marks, ui/startup_trace.h)
//                                    and when speech was ready (voice loaded, device open)
//   RSS over a spoken journey        (a child process: a complaint filed by taps, the speaker
//                                    button tapped on every screen; peak and at the end)
//   tap to first audio sample        (in that journey: from the finger-up event, pushed from
//                                    another thread while the loop waits as in App::run, to the
//                                    first audible sample SDL's audio callback takes; baseline:
//                                    the same event making the same device play a tone)
//   CPU while idle on attract        (lapor-kiosk exec'd; /proc/PID/stat over LAPOR_BENCH_IDLE_S,
//                                     default 30 s; the baseline loop draws at 60 fps)
//   p99 frame time during a journey  (1280x800 and 1920x1080)
// Usage: ui_bench [--child journey|empty|beep W H] (child modes are internal).
#include <SDL.h>
#include <fcntl.h>
#include <imgui.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app.h"
#include "backend_sdlrenderer.h"
#include "flow.h"
#include "fonts.h"
#include "sandbox.h"
#include "sdl_audio_out.h"
#include "speaker.h"

using namespace lapor;
using Clock_ = std::chrono::steady_clock;

namespace {

constexpr int runs = 5;

double median(std::vector<double> v) {
    if (v.empty()) return -1;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}
std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock_::now().time_since_epoch())
        .count();
}
// This process's resident set now (VmRSS), in MB.
double rss_mb() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
    return 0;
}
// Seconds of audible sound (|sample| > AudioOut::audible_level) in a raw s16 mono file at `rate`.
double audible_seconds(const std::string& path, int rate) {
    std::ifstream f(path, std::ios::binary);
    std::vector<std::int16_t> buf(4096);
    long long loud = 0;
    while (
        f.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(buf.size() * 2)) ||
        f.gcount() > 0) {
        const auto n = static_cast<std::size_t>(f.gcount()) / 2;
        for (std::size_t i = 0; i < n; ++i)
            if (std::abs(buf[i]) > speech::AudioOut::audible_level) ++loud;
    }
    return rate > 0 ? static_cast<double>(loud) / rate : 0;
}
// This process's peak resident set (VmHWM), in MB.
double peak_rss_mb() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
    return 0;
}

double p99(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1,
                      static_cast<std::size_t>(static_cast<double>(v.size()) * 0.99))];
}

// ---------------------------------------------------------------- child: the empty loop
// SDL window + software renderer + ImGui with its default font; `frames` empty frames (0: until
// SIGTERM at `fps`). Sends READY=1 after the first present; prints frame times.
volatile sig_atomic_t stop_child = 0;
void on_term(int) { stop_child = 1; }

int empty_loop(int w, int h, int frames, int fps) {
    signal(SIGTERM, on_term);
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_Init(SDL_INIT_VIDEO);
    SDL_Window* win = SDL_CreateWindow("empty", 0, 0, w, h, SDL_WINDOW_SHOWN);
    SDL_Renderer* r = SDL_CreateRenderer(win, -1, 0);
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    SDL_Texture* font = ui::backend::upload_font_atlas(r, *ImGui::GetIO().Fonts);
    ui::backend::init_context();
    std::vector<double> times;
    for (int i = 0; frames == 0 ? !stop_child : i < frames; ++i) {
        const auto t0 = Clock_::now();
        SDL_Event e;
        while (SDL_PollEvent(&e)) {
        }
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
        io.DeltaTime = 1.0f / 60.0f;
        ImGui::NewFrame();
        ImGui::Render();
        SDL_SetRenderDrawColor(r, 240, 240, 240, 255);
        SDL_RenderClear(r);
        ui::backend::render(r, ImGui::GetDrawData());
        SDL_RenderPresent(r);
        times.push_back(std::chrono::duration<double, std::milli>(Clock_::now() - t0).count());
        if (i == 0) sd_notify(0, "READY=1");
        if (fps > 0) SDL_Delay(static_cast<Uint32>(1000 / fps));
    }
    std::printf("%f %f\n", p99(times), peak_rss_mb());
    SDL_DestroyTexture(font);
    ImGui::DestroyContext();
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(win);
    SDL_Quit();
    return 0;
}

// ------------------------------------------------------------------- child: a journey
void tap(ui::App& app, const std::string& id) {
    app.settle();
    const auto it = app.widgets().find(id);
    if (it == app.widgets().end()) return;
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(app.renderer(), &w, &h);
    SDL_Event e{};
    e.type = SDL_FINGERDOWN;
    e.tfinger.x = it->second.cx() / static_cast<float>(w);
    e.tfinger.y = it->second.cy() / static_cast<float>(h);
    SDL_PushEvent(&e);
    app.settle();
    e.type = SDL_FINGERUP;
    SDL_PushEvent(&e);
    app.settle();
}
void type(ui::App& app, const std::string& text) {
    for (char c : text) tap(app, c == ' ' ? "key:space" : "key:" + std::string(1, c));
}

// Taps the speaker button as a finger would while the kiosk waits for input as in App::run: the
// events come from another thread 60 ms apart. Returns ms from the finger-up event to the first
// audible sample SDL's audio callback took, or -1 when none came within 5 s.
double tap_speaker(ui::App& app) {
    app.settle();
    speech::Speaker* sp = app.speaker();
    const auto it = app.widgets().find("speak");
    if (!sp || it == app.widgets().end()) return -1;
    // Whatever the last screen said was cut off when the screen changed.
    for (int i = 0; i < 500 && !sp->idle(); ++i) SDL_Delay(2);
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(app.renderer(), &w, &h);
    const float x = it->second.cx() / static_cast<float>(w);
    const float y = it->second.cy() / static_cast<float>(h);
    std::atomic<std::int64_t> up_ns{0};
    std::thread finger([&] {
        SDL_Event e{};
        e.type = SDL_FINGERDOWN;
        e.tfinger.x = x;
        e.tfinger.y = y;
        SDL_PushEvent(&e);
        SDL_Delay(60);
        e.type = SDL_FINGERUP;
        up_ns = now_ns();  // SDL_PushEvent stamps the event with this moment (in ms)
        SDL_PushEvent(&e);
    });
    const std::int64_t deadline = now_ns() + 5'000'000'000;
    double ms = -1;
    while (now_ns() < deadline) {
        app.turn(250);
        const std::int64_t up = up_ns.load(), heard = sp->sound_started_ns();
        if (up != 0 && heard > up) {
            ms = static_cast<double>(heard - up) / 1e6;
            break;
        }
    }
    finger.join();
    app.settle();
    return ms;
}

// The sandbox is made by the parent: hashing its staff PIN (Argon2id, 64 MB) would otherwise
// count in this child's peak. The speaker button is tapped on every screen of the journey, and
// each utterance is heard to its end before the citizen goes on only on the last screen.
int journey(int w, int h, const std::string& config, const std::string& audio_file) {
    ui::AppOptions o;
    o.config_path = config;
    o.windowed = true;
    o.width = w;
    o.height = h;
    o.systemd = false;
    o.quiet = true;
    std::vector<double> to_sound;
    double rss_end = 0;
    int rate = 0;
    bool ok = false;
    std::vector<double> frame_times;
    int frames = 0;
    {
        ui::App app(o);
        Flow& f = *app.flow();
        if (app.speaker()) {
            app.speaker()->wait_ready();
            rate = app.speaker()->has_audio() ? 22050 : 0;
        }
        auto speak = [&] { to_sound.push_back(tap_speaker(app)); };
        speak();  // attract
        tap(app, "start:complaint");
        speak();  // agency
        tap(app, "agency:dishub");
        tap(app, "category:dishub-parkir-liar");
        tap(app, "next");
        speak();  // text
        tap(app, "field:title");
        type(app, "parkir liar di pasar");
        tap(app, "key:close");
        tap(app, "field:body");
        type(app, "mobil parkir di bahu jalan setiap pagi sehingga macet");
        tap(app, "key:close");
        speak();  // text, filled in
        tap(app, "next");
        speak();  // date and place
        tap(app, "field:location");
        type(app, "jalan pasar baru");
        tap(app, "key:close");
        tap(app, "next");
        speak();  // privacy
        tap(app, "privacy:anonymous");
        tap(app, "next");
        speak();  // consent
        tap(app, "consent:yes");
        tap(app, "next");
        speak();  // contact
        tap(app, "field:name");
        type(app, "siti rahayu");
        tap(app, "key:close");
        tap(app, "next");
        speak();  // review
        tap(app, "submit");
        speak();  // receipt: heard to its end
        for (int i = 0; i < 3000 && app.speaker() && !app.speaker()->idle(); ++i) app.turn(10);
        tap(app, "done");
        app.settle();
        ok = f.screen() == Screen::attract && app.frames_drawn() > 100;
        rss_end = rss_mb();
        frame_times = app.frame_times_ms();
        frames = app.frames_drawn();
    }  // the audio device closes: the disk driver's file is complete
    std::printf("%f %d %d %f %f %f", p99(frame_times), frames, ok ? 1 : 0, peak_rss_mb(), rss_end,
                audible_seconds(audio_file, rate));
    for (double t : to_sound) std::printf(" %f", t);
    std::printf("\n");
    return ok ? 0 : 1;
}

// ------------------------------------------------------------- child: the tap-to-sound floor
// The same window and audio device as the kiosk (SDL dummy video, the speaker's SDL output at
// espeak-ng's 22050 Hz), a loop that waits for input in 10 ms slices like App::run after a touch,
// and a finger-up event that makes it play a tone: ms from the event to the first audible sample
// the callback takes, `taps` times.
int beep(int w, int h, int taps) {
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    SDL_Init(SDL_INIT_VIDEO);
    SDL_Window* win = SDL_CreateWindow("beep", 0, 0, w, h, SDL_WINDOW_SHOWN);
    SDL_Renderer* r = SDL_CreateRenderer(win, -1, 0);
    auto out = speech::make_sdl_audio_out();
    if (!out->open(22050).empty()) return 1;
    std::vector<std::int16_t> tone(2205);  // 100 ms at 440 Hz
    for (std::size_t i = 0; i < tone.size(); ++i)
        tone[i] = static_cast<std::int16_t>(
            8000 * std::sin(2 * M_PI * 440 * static_cast<double>(i) / 22050.0));
    for (int t = 0; t < taps; ++t) {
        SDL_Delay(200);
        out->stop();
        std::atomic<std::int64_t> up_ns{0};
        std::thread finger([&] {
            SDL_Delay(30);
            SDL_Event e{};
            e.type = SDL_FINGERUP;
            up_ns = now_ns();
            SDL_PushEvent(&e);
        });
        double ms = -1;
        const std::int64_t deadline = now_ns() + 2'000'000'000;
        bool played = false;
        while (now_ns() < deadline) {
            SDL_Event e;
            SDL_PumpEvents();
            if (SDL_PeepEvents(&e, 1, SDL_GETEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0) {
                if (e.type == SDL_FINGERUP) {
                    out->play(tone.data(), tone.size());
                    played = true;
                }
                continue;
            }
            if (played && out->sound_started_ns() > up_ns.load()) {
                ms = static_cast<double>(out->sound_started_ns() - up_ns.load()) / 1e6;
                break;
            }
            SDL_Delay(played ? 1 : 10);
        }
        finger.join();
        std::printf(" %f", ms);
    }
    std::printf("\n");
    out.reset();
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(win);
    SDL_Quit();
    return 0;
}

// ------------------------------------------------------------------------ the parent
struct Child {
    pid_t pid = -1;
    int out = -1;
};

// stdout (and with `with_stderr` stderr too) into a pipe; SDL's dummy video driver.
Child spawn(const std::vector<std::string>& args, const std::vector<std::string>& extra_env,
            bool with_stderr = false) {
    int p[2];
    if (pipe(p) != 0) std::exit(3);
    std::vector<std::string> env{"SDL_VIDEODRIVER=dummy", "PATH=/usr/bin:/bin"};
    if (const char* t = getenv("TMPDIR")) env.push_back(std::string("TMPDIR=") + t);
    for (const auto& e : extra_env) env.push_back(e);
    std::vector<char*> envp, argv;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> a = args;
    for (auto& s : a) argv.push_back(s.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    posix_spawn_file_actions_addclose(&fa, p[0]);
    if (with_stderr)
        posix_spawn_file_actions_adddup2(&fa, p[1], 2);
    else
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    Child c;
    if (posix_spawn(&c.pid, argv[0], &fa, nullptr, argv.data(), envp.data()) != 0) std::exit(3);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    c.out = p[0];
    return c;
}

std::string read_all(int fd) {
    std::string s;
    char buf[256];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<std::size_t>(n));
    close(fd);
    return s;
}

// The audio driver for lapor-kiosk and the children: SDL's disk driver, which writes what the
// callback takes to `file` at the sound card's pace (real samples, real timing, no sound card).
std::vector<std::string> disk_audio(const std::string& file) {
    return {"SDL_AUDIODRIVER=disk", "SDL_DISKAUDIOFILE=" + file};
}

// Spawns a program with NOTIFY_SOCKET; returns ms until READY=1 (and leaves it running).
// `spawned_ns`: when it was spawned (CLOCK_MONOTONIC).
double until_ready(const std::vector<std::string>& args, Child& c, const std::string& dir,
                   const std::vector<std::string>& env = {}, bool with_stderr = false,
                   std::int64_t* spawned_ns = nullptr) {
    const std::string path = dir + "/notify-" + std::to_string(getpid()) + ".sock";
    unlink(path.c_str());
    const int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
    bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    std::vector<std::string> e = env;
    e.push_back("NOTIFY_SOCKET=" + path);
    const auto t0 = Clock_::now();
    if (spawned_ns) *spawned_ns = now_ns();
    c = spawn(args, e, with_stderr);
    double ms = -1;
    for (;;) {
        pollfd pf{s, POLLIN, 0};
        if (poll(&pf, 1, 20000) <= 0) break;
        char buf[256];
        const ssize_t n = recv(s, buf, sizeof buf - 1, 0);
        if (n > 0 &&
            std::string(buf, static_cast<std::size_t>(n)).find("READY=1") != std::string::npos) {
            ms = std::chrono::duration<double, std::milli>(Clock_::now() - t0).count();
            break;
        }
    }
    close(s);
    unlink(path.c_str());
    return ms;
}

double cpu_seconds(pid_t pid) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(f, line);
    const auto close_paren = line.rfind(')');
    std::vector<std::string> fields;
    std::string cur;
    for (char ch : line.substr(close_paren + 2)) {
        if (ch == ' ') {
            fields.push_back(cur);
            cur.clear();
        } else {
            cur += ch;
        }
    }
    // utime and stime are fields 14 and 15 of stat; here 0-based after the name: 11, 12.
    const double ticks = std::stod(fields.at(11)) + std::stod(fields.at(12));
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

void finish(Child& c, rusage* ru = nullptr, std::string* output = nullptr) {
    kill(c.pid, SIGTERM);
    if (output) *output = read_all(c.out);
    int st = 0;
    rusage r{};
    wait4(c.pid, &st, 0, &r);
    if (ru) *ru = r;
    if (!output) close(c.out);
}

// Reads what `c` writes until a line containing `needle` arrived or `ms` passed.
std::string read_until(Child& c, const std::string& needle, int ms) {
    std::string s;
    const auto end = Clock_::now() + std::chrono::milliseconds(ms);
    while (s.find(needle) == std::string::npos && Clock_::now() < end) {
        pollfd pf{c.out, POLLIN, 0};
        if (poll(&pf, 1, 50) <= 0) continue;
        char buf[1024];
        const ssize_t n = read(c.out, buf, sizeof buf);
        if (n <= 0) break;
        s.append(buf, static_cast<std::size_t>(n));
    }
    return s;
}

// The kiosk's start-up marks from its log line "start-up ms: main@NS a=1.0 b=2.0 ...": exec to
// main from `spawned_ns`, then each phase.
std::vector<std::pair<std::string, double>> startup_phases(const std::string& log,
                                                           std::int64_t spawned_ns) {
    std::vector<std::pair<std::string, double>> out;
    const auto at = log.find("start-up ms: main@");
    if (at == std::string::npos) return out;
    std::istringstream in(log.substr(at + 18, log.find('\n', at) - at - 18));
    long long main_ns = 0;
    in >> main_ns;
    out.emplace_back("exec_to_main", static_cast<double>(main_ns - spawned_ns) / 1e6);
    std::string item;
    while (in >> item) {
        const auto eq = item.find('=');
        if (eq != std::string::npos)
            out.emplace_back(item.substr(0, eq), std::atof(item.c_str() + eq + 1));
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string self = "/proc/self/exe";
    char exe[4096];
    const ssize_t n = readlink(self.c_str(), exe, sizeof exe - 1);
    if (n <= 0) return 3;
    exe[n] = 0;
    if (argc >= 5 && std::string(argv[1]) == "--child") {
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        const int w = std::atoi(argv[3]), h = std::atoi(argv[4]);
        const std::string mode = argv[2];
        if (mode == "journey" && argc >= 7) return journey(w, h, argv[5], argv[6]);
        if (mode == "beep") return beep(w, h, argc >= 6 ? std::atoi(argv[5]) : 10);
        if (mode == "empty") return empty_loop(w, h, argc >= 6 ? std::atoi(argv[5]) : 200, 0);
        if (mode == "empty-idle") return empty_loop(w, h, 0, 60);
        if (mode == "sandbox") {  // for trying lapor-kiosk by hand: prints a config, waits
            signal(SIGTERM, on_term);
            ui::Sandbox sb;
            std::printf("%s\n", sb.config_path().c_str());
            std::fflush(stdout);
            while (!stop_child) pause();
            return 0;
        }
        return 2;
    }
    // LAPOR_BENCH_BEFORE=path: another lapor-kiosk build (say, main before a change) measured to
    // its first frame in the same runs, for a before/after under the same load.
    const std::string kiosk = LAPOR_KIOSK;
    const char* before_env = getenv("LAPOR_BENCH_BEFORE");
    const std::string before = before_env ? before_env : "";
    const double idle_s =
        getenv("LAPOR_BENCH_IDLE_S") ? std::atof(getenv("LAPOR_BENCH_IDLE_S")) : 30;
    ui::Sandbox sb;
    setvbuf(stdout, nullptr, _IOLBF, 0);  // figures appear as they are measured
    std::printf("ui_bench: SDL dummy driver, software renderer; medians of %d runs\n", runs);

    const auto kiosk_audio = disk_audio(sb.dir() + "/kiosk-audio.raw");

    // 1. Start to first presented frame, where the time goes, and when speech was ready.
    std::vector<double> ui_start, base_start, speech_ready, before_start;
    std::vector<std::string> phase_order;
    std::map<std::string, std::vector<double>> phases;
    std::string speech_status;
    for (int i = 0; i < runs; ++i) {
        Child c;
        std::int64_t spawned = 0;
        ui_start.push_back(until_ready({kiosk, "--config", sb.config_path(), "--windowed"}, c,
                                       sb.dir(), kiosk_audio, true, &spawned));
        std::string log = read_until(c, "speech ready", 5000);
        std::string rest;
        finish(c, nullptr, &rest);
        log += rest;
        for (const auto& [name, ms] : startup_phases(log, spawned)) {
            if (i == 0) phase_order.push_back(name);
            phases[name].push_back(ms);
        }
        if (const auto at = log.find("speech ready "); at != std::string::npos) {
            // "speech ready 61.2 ms after start: <status>", after start = after main()
            const double after_main = std::atof(log.c_str() + at + 13);
            const auto& em = phases["exec_to_main"];
            speech_ready.push_back(after_main + (em.empty() ? 0 : em.back()));
            const auto colon = log.find(": ", at);
            speech_status = log.substr(colon + 2, log.find('\n', colon) - colon - 2);
        }
        base_start.push_back(
            until_ready({exe, "--child", "empty-idle", "1280", "800"}, c, sb.dir()));
        finish(c);
        if (!before.empty()) {
            before_start.push_back(until_ready({before, "--config", sb.config_path(), "--windowed"},
                                               c, sb.dir(), kiosk_audio));
            usleep(200'000);  // its voice loads after READY too (if it is that new)
            finish(c);
        }
    }
    std::printf(
        "start to first frame:     %7.1f ms (target <= 50)    empty ImGui loop %6.1f ms, ratio "
        "%.2f\n",
        median(ui_start), median(base_start), median(ui_start) / median(base_start));
    if (!before.empty())
        std::printf("  before (%s): %.1f ms, ratio %.2f\n", before.c_str(), median(before_start),
                    median(before_start) / median(base_start));
    std::printf("  where it goes (medians, ms):");
    for (const auto& name : phase_order)
        std::printf(" %s %.1f", name.c_str(), median(phases[name]));
    std::printf("\n  speech ready %.1f ms after exec (median; %d of %d runs): %s\n",
                median(speech_ready), static_cast<int>(speech_ready.size()), runs,
                speech_status.c_str());

    // The largest start-up phase, both ways, in this process: the atlas the first frame uses,
    // and the full one the kiosk builds after it (before: at start).
    std::vector<double> atlas_first, atlas_all;
    for (int i = 0; i < runs; ++i)
        for (auto set : {ui::GlyphSet::first_frame, ui::GlyphSet::all}) {
            ImFontAtlas atlas;
            const auto t0 = Clock_::now();
            ui::build_fonts(atlas, 1.0f, 1.25f, set);
            unsigned char* px = nullptr;
            int aw = 0, ah = 0;
            atlas.GetTexDataAsRGBA32(&px, &aw, &ah);  // as the upload does
            (set == ui::GlyphSet::all ? atlas_all : atlas_first)
                .push_back(std::chrono::duration<double, std::milli>(Clock_::now() - t0).count());
        }
    std::printf(
        "  font atlas 1280x800: first-frame glyphs %.1f ms, all glyphs %.1f ms (built "
        "after the first frame)\n",
        median(atlas_first), median(atlas_all));

    // 2 and 4. A spoken journey: RSS, tap to first sample, p99 frame time, at two sizes.
    for (auto [w, h] : {std::pair{1280, 800}, std::pair{1920, 1080}}) {
        std::vector<double> rss, rss_end, base_rss, frame, base_frame, to_sound, base_sound, heard,
            quiet_frame, unpaced_frame;
        bool ok = true;
        int lost = 0;
        for (int i = 0; i < runs; ++i) {
            ui::Sandbox jsb;
            const std::string audio = jsb.dir() + "/journey-audio.raw";
            Child c = spawn({exe, "--child", "journey", std::to_string(w), std::to_string(h),
                             jsb.config_path(), audio},
                            disk_audio(audio));
            std::string out = read_all(c.out);
            int st = 0;
            rusage ru{};
            wait4(c.pid, &st, 0, &ru);
            std::istringstream in(out);
            double p = 0, peak = 0, end = 0, secs = 0;
            int frames = 0, good = 0;
            in >> p >> frames >> good >> peak >> end >> secs;
            for (double t; in >> t;) {
                if (t < 0)
                    ++lost;
                else
                    to_sound.push_back(t);
            }
            ok = ok && good == 1;
            frame.push_back(p);
            rss.push_back(peak);
            rss_end.push_back(end);
            heard.push_back(secs);
            // The same journey with speech off ([ui] speech = false): what speech costs the frames.
            ui::SandboxOptions qo;
            qo.extra_toml = "\n[ui]\nspeech = false\n";
            ui::Sandbox qsb(qo);
            Child q = spawn({exe, "--child", "journey", std::to_string(w), std::to_string(h),
                             qsb.config_path(), qsb.dir() + "/none.raw"},
                            {});
            std::istringstream qin(read_all(q.out));
            wait4(q.pid, &st, 0, &ru);
            double qp = 0;
            qin >> qp;
            quiet_frame.push_back(qp);
            // And with speech synthesized unpaced (each utterance in one burst, as before).
            ui::Sandbox usb;
            auto unpaced_env = disk_audio(usb.dir() + "/journey-audio.raw");
            unpaced_env.push_back("LAPOR_SPEECH_LEAD_MS=0");
            Child u = spawn({exe, "--child", "journey", std::to_string(w), std::to_string(h),
                             usb.config_path(), usb.dir() + "/journey-audio.raw"},
                            unpaced_env);
            std::istringstream uin(read_all(u.out));
            wait4(u.pid, &st, 0, &ru);
            double up = 0;
            uin >> up;
            unpaced_frame.push_back(up);
            Child bb = spawn({exe, "--child", "beep", std::to_string(w), std::to_string(h), "10"},
                             disk_audio(jsb.dir() + "/beep-audio.raw"));
            std::istringstream bin(read_all(bb.out));
            wait4(bb.pid, &st, 0, &ru);
            for (double t; bin >> t;)
                if (t >= 0) base_sound.push_back(t);
            Child b =
                spawn({exe, "--child", "empty", std::to_string(w), std::to_string(h), "300"}, {});
            out = read_all(b.out);
            wait4(b.pid, &st, 0, &ru);
            double bp = 0, bpeak = 0;
            std::sscanf(out.c_str(), "%lf %lf", &bp, &bpeak);
            base_frame.push_back(bp);
            base_rss.push_back(bpeak);
        }
        if (w == 1280) {
            std::printf(
                "spoken journey, peak RSS: %7.1f MB (target <= 45)    empty ImGui loop %6.1f MB, "
                "ratio %.2f%s\n",
                median(rss), median(base_rss), median(rss) / median(base_rss),
                ok ? "" : "  (A JOURNEY DID NOT FINISH)");
            std::printf("  RSS at its end %.1f MB; audible sound the card got %.1f s per journey\n",
                        median(rss_end), median(heard));
            std::printf(
                "tap to first audio sample:%7.1f ms (target <= 150)   tone on the same event "
                "%6.1f ms, ratio %.2f\n",
                median(to_sound), median(base_sound), median(to_sound) / median(base_sound));
            std::sort(to_sound.begin(), to_sound.end());
            std::printf(
                "  %d taps on the speaker button (10 screens x %d journeys), slowest %.1f ms"
                "%s\n",
                static_cast<int>(to_sound.size()), runs, to_sound.empty() ? -1.0 : to_sound.back(),
                lost ? "; SOME TAPS WERE NEVER HEARD" : "");
        }
        std::printf(
            "p99 frame time %4dx%-4d: %7.2f ms (target <= 16%s) empty ImGui loop %6.2f ms, ratio "
            "%.2f\n",
            w, h, median(frame), w == 1280 ? "" : ", report", median(base_frame),
            median(frame) / median(base_frame));
        std::printf(
            "  the same journey without speech: p99 %.2f ms; with speech %.2f ms more, ratio "
            "%.2f\n",
            median(quiet_frame), median(frame) - median(quiet_frame),
            median(frame) / std::max(0.01, median(quiet_frame)));
        std::printf(
            "  with speech synthesized unpaced (LAPOR_SPEECH_LEAD_MS=0): p99 %.2f ms, ratio "
            "to paced %.2f\n",
            median(unpaced_frame), median(unpaced_frame) / std::max(0.01, median(frame)));
    }

    // 3. CPU while idle on attract.
    std::vector<double> idle, base_idle;
    const double base_window = std::min(idle_s, 5.0);
    for (int i = 0; i < runs; ++i) {
        Child c;
        until_ready({kiosk, "--config", sb.config_path(), "--windowed"}, c, sb.dir(), kiosk_audio);
        usleep(300'000);  // past start-up (the full font atlas, the voice loading)
        const double c0 = cpu_seconds(c.pid);
        usleep(static_cast<useconds_t>(idle_s * 1e6));
        idle.push_back(100.0 * (cpu_seconds(c.pid) - c0) / idle_s);
        finish(c);
        until_ready({exe, "--child", "empty-idle", "1280", "800"}, c, sb.dir());
        const double b0 = cpu_seconds(c.pid);
        usleep(static_cast<useconds_t>(base_window * 1e6));
        base_idle.push_back(100.0 * (cpu_seconds(c.pid) - b0) / base_window);
        finish(c);
    }
    std::printf(
        "CPU idle on attract %2.0f s: %6.2f %% of a core (target <= 1)  empty ImGui loop at 60 fps "
        "%5.1f %%, ratio %.3f\n",
        idle_s, median(idle), median(base_idle), median(idle) / std::max(0.01, median(base_idle)));
    return 0;
}
