// Replays a committed fuzz corpus through a fuzz target in the normal test run (no clang
// needed). Fails when the corpus folder is missing or empty, so a lost corpus cannot pass.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    namespace fs = std::filesystem;
    std::error_code ec;
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(argv[1], ec)) {
        if (!e.is_regular_file()) continue;
        std::ifstream in(e.path(), std::ios::binary);
        const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                      std::istreambuf_iterator<char>());
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
        ++n;
    }
    if (ec || n == 0) {
        std::fprintf(stderr, "replay: corpus %s is missing or empty\n", argv[1]);
        return 1;
    }
    std::printf("replay: %zu inputs from %s, no crash\n", n, argv[1]);
    return 0;
}
