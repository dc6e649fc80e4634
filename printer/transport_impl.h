// Internal: the constructors of each transport (transport.cpp dispatches on the kind).
#pragma once
#include <memory>

#include "transport.h"

namespace lapor::printer {
std::unique_ptr<Transport> open_device(const TransportSpec& s, const OpenOptions& o,
                                       OpenError& err);
std::unique_ptr<Transport> open_tcp(const TransportSpec& s, const OpenOptions& o, OpenError& err);
std::unique_ptr<Transport> open_file(const TransportSpec& s, OpenError& err);
std::unique_ptr<Transport> open_cups(const TransportSpec& s, OpenError& err);
}  // namespace lapor::printer
