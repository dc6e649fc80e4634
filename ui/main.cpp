// lapor-kiosk: the touch UI. Usage:
//   lapor-kiosk [--config FILE] [--windowed] [--size WxH]
//   lapor-kiosk --screenshot-tour DIR [--size WxH]
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "app.h"
#include "hardening.h"
#include "startup_trace.h"
#include "tour.h"
#include "version.h"

namespace {

void on_signal(int) { lapor::ui::request_stop(); }

int usage() {
    std::fprintf(stderr,
                 "usage: lapor-kiosk [--config FILE] [--windowed] [--size WxH]\n"
                 "       lapor-kiosk --screenshot-tour DIR [--size WxH]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    lapor::ui::startup_trace().mark("main");
    if (lapor::print_version_if_asked(argc, argv, "lapor-kiosk")) return 0;
    lapor::make_undumpable();  // before anything else: it holds the device key and citizen text
    lapor::ui::AppOptions o;
    std::string tour_dir;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--config" && i + 1 < argc)
            o.config_path = argv[++i];
        else if (a == "--windowed")
            o.windowed = true;
        else if (a == "--screenshot-tour" && i + 1 < argc)
            tour_dir = argv[++i];
        else if (a == "--size" && i + 1 < argc) {
            if (std::sscanf(argv[++i], "%dx%d", &o.width, &o.height) != 2) return usage();
        } else
            return usage();
    }
    if (!tour_dir.empty()) {
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        const int n = lapor::ui::screenshot_tour(tour_dir, o.width, o.height);
        std::printf("wrote %d screenshots to %s\n", n, tour_dir.c_str());
        return 0;
    }
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY") &&
        !std::getenv("SDL_VIDEODRIVER"))
        std::fprintf(stderr,
                     "lapor-kiosk: no display found (DISPLAY is not set). On a desktop without one,"
                     " run: xvfb-run -s '-screen 0 1280x800x24' lapor-kiosk --windowed ...;"
                     " on a kiosk set SDL_VIDEODRIVER=kmsdrm.\n");
    try {
        lapor::ui::App app(o);
        return app.run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lapor-kiosk: %s\n", e.what());
        return 3;
    }
}
