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

// True when this process is root and someone other than root could plant a name in `folder` (it
// is not root's, or its group or others may write it), or it cannot be examined. Root must not
// open files there by name: SQLite opens the database, its -wal and -shm by name, following links.
bool others_can_plant_in(const std::string& folder);

// Drops this whole process to the service's user when root and that user exists (for commands
// that need nothing of root's, such as enroll); true when it dropped.
bool drop_to(Service s);

// Before root opens the database: drops to the service's user when others could plant names
// beside it (others_can_plant_in); throws, saying what to do, when they could and that user does
// not exist. Does nothing when not root or the folder is root's alone.
void drop_before_store(const std::string& db_path, Service s);

}  // namespace lapor::ctl
