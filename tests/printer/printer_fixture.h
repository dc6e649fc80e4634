// Shared data for the printer tests: the golden receipt of docs/receipt.md as a stored report,
// the shipped profiles and message catalogs.
#pragma once
#include <string>

#include "i18n.h"
#include "print_service.h"
#include "profile.h"
#include "receipt.h"
#include "receipt_layout.h"
#include "share.h"

namespace lapor::printer::test {

inline const std::string golden_url =
    "https://lapor.go.id/kiosk/r/JK01-7K3M-9QX2-H?k=JKT-PUSAT-01&t=1764400000&c=p&s="
    "0QPYGq2e_2F9ZA3GJ-2_vnTr2YJCALbsSh_LXTq41Hfcn1g_mcS2upRLaJiPqCbGE6ZBe_Qn_iubGL-SOTR9Aw";
inline const std::string golden_keyring =
    "JKT-PUSAT-01 JK01 A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\n";

inline ReceiptJob golden_job(Language lang = Language::id, bool copy = false) {
    ReceiptJob j;
    j.report.uuid = "00000000-0000-4000-8000-000000000001";
    j.report.tracking = "JK01-7K3M-9QX2-H";
    j.report.kiosk_id = "JKT-PUSAT-01";
    j.report.created_unix = 1764400000;
    j.report.classification = Classification::complaint;
    j.report.agency_id = "dishub";
    j.report.category_id = "dishub-parkir-liar";
    j.report.privacy = Privacy::anonymous;
    j.report.language = lang;
    j.report.qr_url = golden_url;
    j.agency_name = lang == Language::id ? "Dinas Perhubungan" : "Transport Agency";
    j.category_name = lang == Language::id ? "Parkir liar" : "Illegal parking";
    j.copy = copy;
    return j;
}

inline const Messages& messages() {
    static const Messages m = Messages::load_dir(po_dir());
    return m;
}

inline ReceiptContext golden_context() {
    return ReceiptContext{"Kantor Walikota Jakarta Pusat", *time_zone_from("Asia/Jakarta"),
                          &messages()};
}

inline const std::vector<Profile>& shipped_profiles() {
    static const std::vector<Profile> p = load_profiles(default_profiles_path());
    return p;
}

inline Profile profile(const std::string& name) { return find_profile(shipped_profiles(), name); }

}  // namespace lapor::printer::test
