#include "catalog.h"

#include <nlohmann/json.hpp>

#include <set>

#include "files.h"
#include "utf8.h"

namespace lapor {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& what) {
    throw CatalogError("catalog: " + where + ": " + what);
}

const json& member(const json& obj, const char* key, const std::string& where) {
    if (!obj.is_object()) fail(where, "expected an object");
    auto it = obj.find(key);
    if (it == obj.end()) fail(where, std::string("missing \"") + key + "\"");
    return *it;
}

std::string id_of(const json& obj, const std::string& where, std::set<std::string>& seen) {
    const json& v = member(obj, "id", where);
    if (!v.is_string()) fail(where + ".id", "expected a string");
    auto s = v.get<std::string>();
    const bool ok = s.size() >= 2 && s.size() <= 48 &&
                    s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == s.npos;
    if (!ok) fail(where + ".id", "\"" + s + "\" must be 2-48 of a-z, 0-9 and '-'");
    if (!seen.insert(s).second) fail(where + ".id", "\"" + s + "\" is used twice");
    return s;
}

std::string text_of(const json& obj, const char* key, const std::string& where) {
    const json& v = member(obj, key, where);
    const std::string at = where + "." + key;
    if (!v.is_string()) fail(at, "expected a string");
    auto s = v.get<std::string>();
    const auto n = utf8::count(s);
    if (!n || *n == 0 || *n > 120 || utf8::first_control(s))
        fail(at, "must be 1-120 characters of text without control characters");
    return s;
}

LocalName name_of(const json& obj, const std::string& where) {
    const json& n = member(obj, "name", where);
    return LocalName{text_of(n, "id", where + ".name"), text_of(n, "en", where + ".name")};
}

// "keywords": {"id": [...], "en": [...]}, optional; each word 1-60 characters, at most 40.
Keywords keywords_of(const json& obj, const std::string& where) {
    Keywords k;
    const auto it = obj.find("keywords");
    if (it == obj.end()) return k;
    const std::string at = where + ".keywords";
    if (!it->is_object()) fail(at, "expected an object with \"id\" and \"en\" lists");
    for (const char* lang : {"id", "en"}) {
        const auto list = it->find(lang);
        if (list == it->end()) continue;
        if (!list->is_array() || list->size() > 40)
            fail(at + "." + lang, "expected a list of at most 40 words");
        auto& out = std::string_view(lang) == "id" ? k.id : k.en;
        for (std::size_t i = 0; i < list->size(); ++i) {
            const json& w = (*list)[i];
            const std::string wat = at + "." + lang + "[" + std::to_string(i) + "]";
            if (!w.is_string()) fail(wat, "expected a string");
            const std::string s = w.get<std::string>();
            const auto n = utf8::count(s);
            if (!n || *n < 1 || *n > 60 || utf8::first_control(s))
                fail(wat, "must be 1-60 characters of text without control characters");
            out.push_back(s);
        }
    }
    return k;
}

}  // namespace

Catalog Catalog::parse(std::string_view text) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::exception& e) {  // parse_error, and out_of_range for huge numbers
        fail("JSON", e.what());
    }
    Catalog c;
    const json& format = member(doc, "format", "document");
    if (!format.is_number_integer() || format.get<long long>() != 1)
        fail("format", "this program reads format 1");
    const json& version = member(doc, "version", "document");
    if (!version.is_string() || version.get<std::string>().empty() ||
        version.get<std::string>().size() > 64)
        fail("version", "expected a non-empty string of at most 64 characters");
    c.version_ = version.get<std::string>();
    const json& agencies = member(doc, "agencies", "document");
    if (!agencies.is_array() || agencies.empty()) fail("agencies", "expected a non-empty array");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < agencies.size(); ++i) {
        const std::string where = "agencies[" + std::to_string(i) + "]";
        Agency a;
        a.id = id_of(agencies[i], where, seen);
        a.name = name_of(agencies[i], where);
        a.keywords = keywords_of(agencies[i], where);
        const json& cats = member(agencies[i], "categories", where);
        if (!cats.is_array() || cats.empty())
            fail(where + ".categories", "expected a non-empty array");
        for (std::size_t k = 0; k < cats.size(); ++k) {
            const std::string cw = where + ".categories[" + std::to_string(k) + "]";
            Category cat;
            cat.id = id_of(cats[k], cw, seen);
            cat.name = name_of(cats[k], cw);
            cat.keywords = keywords_of(cats[k], cw);
            a.categories.push_back(std::move(cat));
        }
        c.agencies_.push_back(std::move(a));
    }
    return c;
}

Catalog Catalog::load_file(const std::string& path) {
    const auto text = read_text_file(path);
    if (!text) throw CatalogError("catalog: cannot read " + path);
    try {
        return parse(*text);
    } catch (const CatalogError& e) {
        throw CatalogError(path + ": " + e.what());
    }
}

const Agency* Catalog::find_agency(std::string_view id) const {
    for (const auto& a : agencies_) {
        if (a.id == id) return &a;
    }
    return nullptr;
}

const Category* Catalog::find_category(std::string_view agency_id,
                                       std::string_view category_id) const {
    const Agency* a = find_agency(agency_id);
    if (!a) return nullptr;
    for (const auto& c : a->categories) {
        if (c.id == category_id) return &c;
    }
    return nullptr;
}

}  // namespace lapor
