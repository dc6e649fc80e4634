// UI benchmark (issue #5): lapor-kiosk headless (SDL dummy driver, software renderer), each
// figure the median of 5 runs, each with its ratio to an empty ImGui frame loop in this binary
// (same window, same renderer, ImGui's default font, nothing drawn).
//   start to first presented frame   (lapor-kiosk exec'd; READY=1 on NOTIFY_SOCKET)
//   peak RSS over a full journey     (a child process; wait4's ru_maxrss)
//   CPU while idle on attract        (lapor-kiosk exec'd; /proc/PID/stat over LAPOR_BENCH_IDLE_S,
//                                     default 30 s; the baseline loop draws at 60 fps)
//   p99 frame time during a journey  (1280x800 and 1920x1080)
// Usage: ui_bench [--child journey|empty W H] (child modes are internal).
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
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "app.h"
#include "backend_sdlrenderer.h"
#include "flow.h"
#include "sandbox.h"

using namespace lapor;
using Clock_ = std::chrono::steady_clock;

namespace {

constexpr int runs = 5;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
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

// The sandbox is made by the parent: hashing its staff PIN (Argon2id, 64 MB) would otherwise
// count in this child's peak.
int journey(int w, int h, const std::string& config) {
    ui::AppOptions o;
    o.config_path = config;
    o.windowed = true;
    o.width = w;
    o.height = h;
    o.systemd = false;
    o.quiet = true;
    ui::App app(o);
    Flow& f = *app.flow();
    tap(app, "start:complaint");
    tap(app, "agency:dishub");
    tap(app, "category:dishub-parkir-liar");
    tap(app, "next");
    tap(app, "field:title");
    type(app, "parkir liar di pasar");
    tap(app, "key:close");
    tap(app, "field:body");
    type(app, "mobil parkir di bahu jalan setiap pagi sehingga macet");
    tap(app, "key:close");
    tap(app, "next");
    tap(app, "field:location");
    type(app, "jalan pasar baru");
    tap(app, "key:close");
    tap(app, "next");
    tap(app, "privacy:anonymous");
    tap(app, "next");
    tap(app, "consent:yes");
    tap(app, "next");
    tap(app, "field:name");
    type(app, "siti rahayu");
    tap(app, "key:close");
    tap(app, "next");
    tap(app, "submit");
    tap(app, "done");
    const bool ok = f.screen() == Screen::attract && app.frames_drawn() > 100;
    std::printf("%f %d %d %f\n", p99(app.frame_times_ms()), app.frames_drawn(), ok ? 1 : 0,
                peak_rss_mb());
    return ok ? 0 : 1;
}

// ------------------------------------------------------------------------ the parent
struct Child {
    pid_t pid = -1;
    int out = -1;
};

Child spawn(const std::vector<std::string>& args, const std::vector<std::string>& extra_env) {
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

// Spawns a program with NOTIFY_SOCKET; returns ms until READY=1 (and leaves it running).
double until_ready(const std::vector<std::string>& args, Child& c, const std::string& dir) {
    const std::string path = dir + "/notify-" + std::to_string(getpid()) + ".sock";
    unlink(path.c_str());
    const int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
    bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    const auto t0 = Clock_::now();
    c = spawn(args, {"NOTIFY_SOCKET=" + path});
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

void finish(Child& c, rusage* ru = nullptr) {
    kill(c.pid, SIGTERM);
    int st = 0;
    rusage r{};
    wait4(c.pid, &st, 0, &r);
    if (ru) *ru = r;
    close(c.out);
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
        if (mode == "journey" && argc >= 6) return journey(w, h, argv[5]);
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
    const std::string kiosk = LAPOR_KIOSK;
    const double idle_s =
        getenv("LAPOR_BENCH_IDLE_S") ? std::atof(getenv("LAPOR_BENCH_IDLE_S")) : 30;
    ui::Sandbox sb;
    setvbuf(stdout, nullptr, _IOLBF, 0);  // figures appear as they are measured
    std::printf("ui_bench: SDL dummy driver, software renderer; medians of %d runs\n", runs);

    // 1. Start to first presented frame.
    std::vector<double> ui_start, base_start;
    for (int i = 0; i < runs; ++i) {
        Child c;
        ui_start.push_back(
            until_ready({kiosk, "--config", sb.config_path(), "--windowed"}, c, sb.dir()));
        finish(c);
        base_start.push_back(
            until_ready({exe, "--child", "empty-idle", "1280", "800"}, c, sb.dir()));
        finish(c);
    }
    std::printf(
        "start to first frame:     %7.1f ms (target <= 100)   empty ImGui loop %6.1f ms, ratio "
        "%.2f\n",
        median(ui_start), median(base_start), median(ui_start) / median(base_start));

    // 2 and 4. A journey: peak RSS and p99 frame time, at two sizes.
    for (auto [w, h] : {std::pair{1280, 800}, std::pair{1920, 1080}}) {
        std::vector<double> rss, base_rss, frame, base_frame;
        bool ok = true;
        for (int i = 0; i < runs; ++i) {
            ui::Sandbox jsb;
            Child c = spawn({exe, "--child", "journey", std::to_string(w), std::to_string(h),
                             jsb.config_path()},
                            {});
            std::string out = read_all(c.out);
            int st = 0;
            rusage ru{};
            wait4(c.pid, &st, 0, &ru);
            double p = 0, peak = 0;
            int frames = 0, good = 0;
            std::sscanf(out.c_str(), "%lf %d %d %lf", &p, &frames, &good, &peak);
            ok = ok && good == 1;
            frame.push_back(p);
            rss.push_back(peak);
            Child b =
                spawn({exe, "--child", "empty", std::to_string(w), std::to_string(h), "300"}, {});
            out = read_all(b.out);
            wait4(b.pid, &st, 0, &ru);
            double bp = 0, bpeak = 0;
            std::sscanf(out.c_str(), "%lf %lf", &bp, &bpeak);
            base_frame.push_back(bp);
            base_rss.push_back(bpeak);
        }
        if (w == 1280)
            std::printf(
                "peak RSS over a journey:  %7.1f MB (target <= 40)    empty ImGui loop %6.1f MB, "
                "ratio %.2f%s\n",
                median(rss), median(base_rss), median(rss) / median(base_rss),
                ok ? "" : "  (A JOURNEY DID NOT FINISH)");
        std::printf(
            "p99 frame time %4dx%-4d: %7.2f ms (target <= 16%s) empty ImGui loop %6.2f ms, ratio "
            "%.2f\n",
            w, h, median(frame), w == 1280 ? "" : ", report", median(base_frame),
            median(frame) / median(base_frame));
    }

    // 3. CPU while idle on attract.
    std::vector<double> idle, base_idle;
    const double base_window = std::min(idle_s, 5.0);
    for (int i = 0; i < runs; ++i) {
        Child c;
        until_ready({kiosk, "--config", sb.config_path(), "--windowed"}, c, sb.dir());
        usleep(300'000);  // past start-up
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
