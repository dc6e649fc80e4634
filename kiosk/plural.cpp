#include "plural.h"

#include <cctype>
#include <string>

namespace lapor {

struct PluralRule::Node {
    enum Kind { number, var, unary_not, binary, ternary } kind = number;
    unsigned long value = 0;
    std::string op;
    std::shared_ptr<const Node> a, b, c;
};

namespace {

using NodeP = std::shared_ptr<const PluralRule::Node>;
using Node = PluralRule::Node;

// Recursive descent over the expression, one function per precedence level (lowest first).
class Parser {
public:
    explicit Parser(std::string_view s) : s_(s) {}

    NodeP parse() {
        NodeP e = ternary();
        skip();
        if (i_ != s_.size()) fail("unexpected '" + std::string(1, s_[i_]) + "'");
        return e;
    }

private:
    [[noreturn]] void fail(const std::string& why) {
        throw PluralError("plural expression \"" + std::string(s_) + "\": " + why);
    }
    void skip() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
    }
    bool eat(std::string_view tok) {
        skip();
        if (s_.substr(i_, tok.size()) != tok) return false;
        // "<" must not swallow the first half of "<=", "!" not "!=", and so on.
        if (tok.size() == 1 && i_ + 1 < s_.size() && s_[i_ + 1] == '=' &&
            (tok == "<" || tok == ">" || tok == "!" || tok == "="))
            return false;
        i_ += tok.size();
        return true;
    }
    static NodeP bin(std::string op, NodeP a, NodeP b) {
        auto n = std::make_shared<Node>();
        n->kind = Node::binary, n->op = std::move(op), n->a = std::move(a), n->b = std::move(b);
        return n;
    }
    NodeP ternary() {
        NodeP cond = binary_level(0);
        if (!eat("?")) return cond;
        NodeP yes = ternary();
        if (!eat(":")) fail("'?' without ':'");
        NodeP no = ternary();
        auto n = std::make_shared<Node>();
        n->kind = Node::ternary, n->a = cond, n->b = yes, n->c = no;
        return n;
    }
    // Levels 0..5: || && (== !=) (< <= > >=) (+ -) (* / %).
    NodeP binary_level(int level) {
        static const std::string_view ops[6][4] = {
            {"||"}, {"&&"}, {"==", "!="}, {"<=", ">=", "<", ">"}, {"+", "-"}, {"*", "/", "%"}};
        if (level == 6) return unary();
        NodeP left = binary_level(level + 1);
        for (;;) {
            bool matched = false;
            for (std::string_view op : ops[level]) {
                if (!op.empty() && eat(op)) {
                    left = bin(std::string(op), left, binary_level(level + 1));
                    matched = true;
                    break;
                }
            }
            if (!matched) return left;
        }
    }
    NodeP unary() {
        if (eat("!")) {
            auto n = std::make_shared<Node>();
            n->kind = Node::unary_not, n->a = unary();
            return n;
        }
        if (eat("(")) {
            NodeP e = ternary();
            if (!eat(")")) fail("missing ')'");
            return e;
        }
        skip();
        auto n = std::make_shared<Node>();
        if (i_ < s_.size() && s_[i_] == 'n') {
            ++i_;
            n->kind = Node::var;
            return n;
        }
        if (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
            unsigned long v = 0;
            while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
                if (v > 100000000UL) fail("number too large");
                v = v * 10 + static_cast<unsigned long>(s_[i_++] - '0');
            }
            n->kind = Node::number, n->value = v;
            return n;
        }
        fail(i_ < s_.size() ? "unexpected '" + std::string(1, s_[i_]) + "'" : "unexpected end");
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

unsigned long eval(const Node& e, unsigned long n) {
    switch (e.kind) {
        case Node::number: return e.value;
        case Node::var: return n;
        case Node::unary_not: return eval(*e.a, n) == 0;
        case Node::ternary: return eval(*e.a, n) ? eval(*e.b, n) : eval(*e.c, n);
        case Node::binary: break;
    }
    const unsigned long a = eval(*e.a, n);
    if (e.op == "||") return a || eval(*e.b, n);
    if (e.op == "&&") return a && eval(*e.b, n);
    const unsigned long b = eval(*e.b, n);
    if (e.op == "==") return a == b;
    if (e.op == "!=") return a != b;
    if (e.op == "<") return a < b;
    if (e.op == "<=") return a <= b;
    if (e.op == ">") return a > b;
    if (e.op == ">=") return a >= b;
    if (e.op == "+") return a + b;
    if (e.op == "-") return a - b;
    if (e.op == "*") return a * b;
    // Division by zero gives 0 (a broken rule must not crash the kiosk; index() then says 0).
    if (e.op == "/") return b ? a / b : 0;
    return b ? a % b : 0;  // "%"
}

}  // namespace

PluralRule::PluralRule() : expr_(Parser("n != 1").parse()) {}

PluralRule PluralRule::parse(std::string_view forms) {
    auto field = [&](std::string_view name) -> std::string_view {
        // "plural" also occurs inside "nplurals": take a match that starts a word.
        auto at = forms.find(name);
        while (at != forms.npos && at > 0 &&
               std::isalnum(static_cast<unsigned char>(forms[at - 1])))
            at = forms.find(name, at + 1);
        if (at == forms.npos) throw PluralError("Plural-Forms has no " + std::string(name));
        auto rest = forms.substr(at + name.size());
        const auto start = rest.find_first_not_of(" \t");
        if (start == rest.npos || rest[start] != '=')
            throw PluralError("Plural-Forms: " + std::string(name) + " is not followed by '='");
        rest = rest.substr(start + 1);
        return rest.substr(0, rest.find(';'));
    };
    PluralRule r;
    const std::string count(field("nplurals"));
    try {
        std::size_t used = 0;
        r.nplurals_ = std::stoi(count, &used);
        if (count.find_first_not_of(" \t", used) != std::string::npos)
            throw std::invalid_argument("");
    } catch (const std::exception&) {
        throw PluralError("Plural-Forms: nplurals must be a number, not \"" + count + "\"");
    }
    if (r.nplurals_ < 1 || r.nplurals_ > 6)
        throw PluralError("Plural-Forms: nplurals must be 1 to 6, not " + count);
    r.expr_ = Parser(field("plural")).parse();
    return r;
}

int PluralRule::index(unsigned long n) const {
    const unsigned long i = eval(*expr_, n);
    return i < static_cast<unsigned long>(nplurals_) ? static_cast<int>(i) : 0;
}

}  // namespace lapor
