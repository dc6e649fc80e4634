// Shared test data: a valid draft, the shipped catalog, a temporary folder.
#pragma once
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "catalog.h"
#include "report.h"
#include "share.h"

namespace lapor::test {

inline const Catalog& shipped_catalog() {
    static const Catalog c = Catalog::load_file(default_catalog_path());
    return c;
}

inline ReportDraft valid_draft() {
    ReportDraft d;
    d.language = Language::id;
    d.classification = Classification::complaint;
    d.agency_id = "dishub";
    d.category_id = "dishub-parkir-liar";
    d.title = "Parkir liar di depan pasar";
    d.body = "Mobil parkir di bahu jalan.\nMacet setiap pagi.";
    d.incident_date = Date{2025, 11, 28};
    d.location = "Jl. Pasar Baru No. 1";
    d.privacy = Privacy::anonymous;
    d.consent = true;
    d.name = "Siti Rahayu";
    d.phone = "0812-3456-7890";
    d.email = "siti@example.id";
    d.nik = "3171014507900001";
    return d;
}

inline const Date fixture_today{2025, 11, 29};

// A fresh folder under $TMPDIR, removed when the object goes.
class TempDir {
public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "lapor-test-XXXXXX").string();
        path_ = ::mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

}  // namespace lapor::test
