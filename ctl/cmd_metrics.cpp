// kioskctl metrics [--exporter-args]: the kiosk's metrics in the Prometheus text format
// (kiosk/metrics.h), read from the store without creating it. --exporter-args prints the node
// exporter's options from [metrics] (listen address, textfile folder), for the appliance's
// node exporter unit.
#include <iostream>

#include "commands.h"
#include "config.h"
#include "metrics.h"
#include "run_as.h"
#include "store.h"

namespace lapor::ctl {

int cmd_metrics(const Globals& g, const std::vector<std::string>& args) {
    bool exporter_args = false;
    for (const auto& a : args) {
        if (a == "--exporter-args")
            exporter_args = true;
        else
            return usage_error("metrics takes no arguments but --exporter-args, not \"" + a + "\"");
    }
    const Config c = config_of(g);
    if (exporter_args) {
        // One line for the unit's shell to split: paths with blanks or quotes are refused.
        if (c.metrics.textfile_dir.find_first_of(" \t\n'\"$`\\") != std::string::npos) {
            std::cerr << "kioskctl metrics: [metrics] textfile_dir must not contain blanks or "
                         "quotes for the node exporter\n";
            return environment;
        }
        std::cout << "--web.listen-address=" << c.metrics.listen
                  << " --collector.textfile.directory=" << c.metrics.textfile_dir << "\n";
        return ok;
    }
    drop_before_store(c.db_path(), Service::kiosk);
    SystemClock clock;
    auto store = open_store(c.db_path(), clock, OpenMode::existing);
    std::cout << prometheus_text(gather_metrics(c, *store, clock));
    return ok;
}

}  // namespace lapor::ctl
