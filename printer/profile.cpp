#include "profile.h"

#include <nlohmann/json.hpp>

#include "codepage.h"
#include "files.h"
#include "share.h"

namespace lapor::printer {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& what) {
    throw ProfileError("printer profiles: " + where + ": " + what);
}

int int_in(const json& o, const char* key, int lo, int hi, int def, const std::string& where) {
    if (!o.contains(key)) return def;
    const auto& v = o.at(key);
    if (!v.is_number_integer()) fail(where, std::string(key) + " must be a whole number");
    const auto n = v.get<long long>();
    if (n < lo || n > hi)
        fail(where, std::string(key) + " must be between " + std::to_string(lo) + " and " +
                        std::to_string(hi));
    return static_cast<int>(n);
}

std::string str(const json& o, const char* key, const std::string& where, bool required) {
    if (!o.contains(key)) {
        if (required) fail(where, std::string("missing \"") + key + "\"");
        return {};
    }
    if (!o.at(key).is_string()) fail(where, std::string(key) + " must be a string");
    return o.at(key).get<std::string>();
}

Profile parse_one(const json& o, std::size_t index) {
    std::string where = "profile #" + std::to_string(index + 1);
    if (!o.is_object()) fail(where, "must be an object");
    static const char* known[] = {"name",
                                  "description",
                                  "dots",
                                  "columns",
                                  "code_pages",
                                  "cut",
                                  "feed_before_cut",
                                  "qr",
                                  "native_qr_max_bytes",
                                  "status",
                                  "raster_max_rows"};
    for (const auto& [k, v] : o.items()) {
        bool ok = false;
        for (const char* n : known) ok = ok || k == n;
        if (!ok) fail(where, "unknown field \"" + k + "\"");
    }
    Profile p;
    p.name = str(o, "name", where, true);
    if (p.name.empty() || p.name.size() > 64) fail(where, "name must be 1-64 characters");
    where = "profile \"" + p.name + "\"";
    p.description = str(o, "description", where, false);
    p.dots = int_in(o, "dots", 96, 2048, 576, where);
    if (p.dots % 8 != 0) fail(where, "dots must be a multiple of 8");
    p.columns = int_in(o, "columns", 16, 128, 48, where);
    if (!o.contains("code_pages") || !o.at("code_pages").is_array() || o.at("code_pages").empty())
        fail(where, "code_pages must be a non-empty list of {\"page\": \"cp437\", \"esc_t\": 0}");
    for (const auto& e : o.at("code_pages")) {
        if (!e.is_object()) fail(where, "each code_pages entry must be an object");
        CodePageEntry cp;
        cp.page = str(e, "page", where, true);
        if (!code_page_from(cp.page))
            fail(where,
                 "unknown code page \"" + cp.page + "\" (known: cp437, cp850, cp858, cp1252)");
        cp.esc_t = int_in(e, "esc_t", 0, 255, 0, where);
        p.code_pages.push_back(cp);
    }
    const std::string cut = o.contains("cut") ? str(o, "cut", where, true) : "partial";
    if (cut == "none")
        p.cut = CutKind::none;
    else if (cut == "partial")
        p.cut = CutKind::partial;
    else if (cut == "full")
        p.cut = CutKind::full;
    else
        fail(where, "cut must be \"none\", \"partial\" or \"full\"");
    p.feed_before_cut = int_in(o, "feed_before_cut", 0, 20, 4, where);
    const std::string qr = o.contains("qr") ? str(o, "qr", where, true) : "raster";
    if (qr == "raster")
        p.qr = QrMode::raster;
    else if (qr == "native")
        p.qr = QrMode::native;
    else
        fail(where, "qr must be \"raster\" or \"native\"");
    p.native_qr_max_bytes = int_in(o, "native_qr_max_bytes", 0, 7089, 0, where);
    if (p.qr == QrMode::native && p.native_qr_max_bytes == 0)
        fail(where, "qr = \"native\" needs native_qr_max_bytes (e.g. 7089 for Epson TM models)");
    if (o.contains("status")) {
        if (!o.at("status").is_boolean()) fail(where, "status must be true or false");
        p.status = o.at("status").get<bool>();
    }
    p.raster_max_rows = int_in(o, "raster_max_rows", 8, 255, 255, where);
    if (p.columns * 8 > p.dots) fail(where, "columns do not fit in dots (at least 8 dots each)");
    return p;
}

}  // namespace

std::vector<Profile> parse_profiles(std::string_view json_text) {
    json doc;
    try {
        doc = json::parse(json_text);
    } catch (const json::exception& e) {
        throw ProfileError(std::string("printer profiles: not valid JSON: ") + e.what());
    }
    if (!doc.is_object() || !doc.contains("profiles") || !doc.at("profiles").is_array())
        throw ProfileError("printer profiles: expected {\"version\": 1, \"profiles\": [...]}");
    if (!doc.contains("version") || doc.at("version") != 1)
        throw ProfileError("printer profiles: \"version\" must be 1");
    std::vector<Profile> out;
    const auto& list = doc.at("profiles");
    for (std::size_t i = 0; i < list.size(); ++i) {
        Profile p = parse_one(list.at(i), i);
        for (const auto& q : out) {
            if (q.name == p.name)
                throw ProfileError("printer profiles: \"" + p.name + "\" is listed twice");
        }
        out.push_back(std::move(p));
    }
    if (out.empty()) throw ProfileError("printer profiles: the file lists no profile");
    return out;
}

std::string default_profiles_path() { return share_dir() + "/data/printer_profiles.json"; }

std::vector<Profile> load_profiles(const std::string& path) {
    const auto text = read_text_file(path);
    if (!text)
        throw ProfileError("cannot read the printer profiles " + path +
                           ": reinstall the package or set LAPOR_KIOSK_SHARE");
    try {
        return parse_profiles(*text);
    } catch (const ProfileError& e) {
        throw ProfileError(path + ": " + e.what());
    }
}

Profile find_profile(const std::vector<Profile>& all, std::string_view name) {
    std::string names;
    for (const auto& p : all) {
        if (p.name == name) return p;
        names += (names.empty() ? "" : ", ") + p.name;
    }
    throw ProfileError("unknown printer profile \"" + std::string(name) +
                       "\": set [printer] profile to one of " + names);
}

Profile load_profile(std::string_view name) {
    return find_profile(load_profiles(default_profiles_path()), name);
}

}  // namespace lapor::printer
