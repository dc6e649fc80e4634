// Plural-Forms rules from a .po header ("nplurals=2; plural=(n != 1);"): the C-like expression
// gettext uses to pick msgstr[i] for a count n. Supports what real catalogs use: n, integers,
// ( ), ! , * / %, + -, < <= > >=, == !=, &&, ||, ?: .
#pragma once
#include <memory>
#include <stdexcept>
#include <string_view>

namespace lapor {

struct PluralError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class PluralRule {
public:
    // The rule gettext assumes without a header: English-like, two forms.
    PluralRule();
    // Parses a Plural-Forms value; throws PluralError saying what is wrong.
    static PluralRule parse(std::string_view plural_forms);

    int nplurals() const { return nplurals_; }
    // The form index for n, always in [0, nplurals) (an out-of-range result falls back to 0, as
    // GNU gettext does).
    int index(unsigned long n) const;

    struct Node;

private:
    int nplurals_ = 2;
    std::shared_ptr<const Node> expr_;
};

}  // namespace lapor
