// Running a piece of kioskctl as a service user: root commands that must touch files in folders
// the services can write (the database and its -wal/-shm) drop privileges for that part instead of
// trusting names there.
#pragma once
#include <functional>
#include <optional>
#include <string>

#include "identity.h"

namespace lapor::ctl {

// Runs `fn` in a child process as the service's user (with the shared group and no other groups)
// when kioskctl runs as root and that user exists, in this process otherwise. Returns what `fn`
// returned, or nullopt with `why` when it threw or the child failed.
std::optional<std::string> run_as(Service s, const std::function<std::string()>& fn,
                                  std::string& why);

// Drops this whole process to the service's user when root and that user exists (for commands
// that need nothing of root's, such as enroll); true when it dropped.
bool drop_to(Service s);

}  // namespace lapor::ctl
