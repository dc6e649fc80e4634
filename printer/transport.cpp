#include "transport.h"

#include "render.h"
#include "transport_impl.h"

namespace lapor::printer {
namespace {

// png:PATH: collects the job and renders it as the printer would print it.
class PngTransport final : public Transport {
public:
    PngTransport(std::string path, Profile profile)
        : path_(std::move(path)), profile_(std::move(profile)) {}
    IoStatus write_all(std::string_view data, int, std::size_t& written) override {
        bytes_.append(data);
        written = data.size();
        return IoStatus::ok;
    }
    IoStatus read_some(std::string&, int) override { return IoStatus::timeout; }
    void drain() override {}
    bool finish(int, std::string& error) override {
        try {
            write_png(render_escpos(bytes_, profile_), path_);
            return true;
        } catch (const std::exception& e) {
            error = "could not write the preview " + path_ + ": " + e.what();
            return false;
        }
    }
    std::string last_error() const override { return {}; }

private:
    std::string path_;
    Profile profile_;
    std::string bytes_;
};

}  // namespace

std::unique_ptr<Transport> open_transport(const TransportSpec& spec, const Profile& profile,
                                          const OpenOptions& o, OpenError& err) {
    err = {};
    switch (spec.kind) {
        case TransportKind::usb:
        case TransportKind::serial: return open_device(spec, o, err);
        case TransportKind::tcp: return open_tcp(spec, o, err);
        case TransportKind::file: return open_file(spec, err);
        case TransportKind::cups: return open_cups(spec, err);
        case TransportKind::png: return std::make_unique<PngTransport>(spec.path, profile);
    }
    err = {OpenError::other, "unknown transport"};
    return nullptr;
}

}  // namespace lapor::printer
