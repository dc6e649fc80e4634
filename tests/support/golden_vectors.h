// The golden keyring and receipt-link vectors of docs/receipt.md ("Golden vectors"), read from
// the document itself so the C++ tests, the browser test and the docs cannot drift apart.
#pragma once
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace lapor::test {

struct LinkVector {
    std::string name, expect, url, local;  // local: the filing time shown, for genuine ones
};

// The text of the fenced block opened by "```<tag>".
inline std::string receipt_doc_block(const std::string& tag) {
    std::ifstream in(std::string(LAPOR_SOURCE_DIR) + "/docs/receipt.md");
    REQUIRE(in);
    std::string line, out;
    bool inside = false;
    while (std::getline(in, line)) {
        if (inside && line == "```") return out;
        if (inside) out += line + "\n";
        if (line == "```" + tag) inside = true;
    }
    FAIL("docs/receipt.md has no ```" << tag << " block");
    return out;
}

inline std::string golden_keyring_text() { return receipt_doc_block("keyring"); }

inline std::vector<LinkVector> golden_link_vectors() {
    std::vector<LinkVector> out;
    std::istringstream in(receipt_doc_block("vectors"));
    for (std::string line; std::getline(in, line);) {
        const auto j = nlohmann::json::parse(line);
        out.push_back({j.at("name"), j.at("expect"), j.at("url"), j.value("local", "")});
    }
    return out;
}

}  // namespace lapor::test
