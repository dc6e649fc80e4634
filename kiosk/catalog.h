// The catalog of agencies (instansi) and their categories, as a versioned JSON document
// (format in docs/catalog.md). The default ships in data/catalog.json; sync replaces it with
// the national system's version through the store.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "report.h"

namespace lapor {

struct LocalName {
    std::string id;  // Bahasa Indonesia
    std::string en;
    // English for English; Indonesian, the base language, for every other language.
    const std::string& in(const Language& l) const { return l == Language::en ? en : id; }
};

// Everyday words people use for a problem ("sampah", "KTP", "jalan rusak"), in each language,
// that the search box matches besides the names (kiosk/catalog_search.h). Optional.
struct Keywords {
    std::vector<std::string> id;
    std::vector<std::string> en;
    const std::vector<std::string>& in(const Language& l) const {
        return l == Language::en ? en : id;
    }
};

struct Category {
    std::string id;
    LocalName name;
    Keywords keywords;
};

struct Agency {
    std::string id;
    LocalName name;
    std::vector<Category> categories;
    Keywords keywords;
};

struct CatalogError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Catalog {
public:
    // Parses and checks a catalog document; throws CatalogError naming the bad element.
    static Catalog parse(std::string_view json);
    static Catalog load_file(const std::string& path);

    const std::string& version() const { return version_; }
    const std::vector<Agency>& agencies() const { return agencies_; }
    const Agency* find_agency(std::string_view id) const;
    const Category* find_category(std::string_view agency_id, std::string_view category_id) const;

private:
    std::string version_;
    std::vector<Agency> agencies_;
};

}  // namespace lapor
