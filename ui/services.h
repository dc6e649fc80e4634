// The kiosk behind the screens: message catalogs, config, store, device key, catalog, the
// citizen flow, staff mode and the print service, started from the config. A failure leaves
// `oos_error` set (the out-of-service screen) instead of ending the program.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog.h"
#include "clock.h"
#include "config.h"
#include "flow.h"
#include "i18n.h"
#include "languages.h"
#include "print_service.h"
#include "receipt.h"
#include "staff_flow.h"
#include "status_check.h"
#include "store.h"
#include "submit.h"

namespace lapor::ui {

struct Services {
    std::string oos_error;  // non-empty: out of service, with the technical reason
    Messages messages;
    bool messages_loaded = false;
    std::optional<Config> config;
    std::unique_ptr<Store> store;
    std::unique_ptr<Catalog> catalog;  // replaced between citizens when sync installs a new one
    std::optional<Submitter> submitter;
    std::unique_ptr<Flow> flow;
    std::unique_ptr<printer::PrintService> printer;
    Keyring keyring;
    std::unique_ptr<StaffFlow> staff;
    std::unique_ptr<StatusCheck> status;  // the citizen's status check
    bool printer_readable = true;         // false for write-only transports (cups:, file:, png:)
    // The languages offered, in [ui] languages' order, each named in itself (languages.h).
    std::vector<LanguageFile> languages;

    void boot(const std::string& config_path, const Clock& clock);
    // A catalog that sync installed while a citizen was busy takes effect on the attract screen.
    void refresh_catalog();
    bool in_staff() const { return staff && staff->active(); }
    printer::PrinterState printer_state() const;
};

}  // namespace lapor::ui
