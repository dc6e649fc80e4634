// Process hardening both services apply first thing in main().
#pragma once

namespace lapor {

// PR_SET_DUMPABLE 0: no core dumps, and other processes of the same user cannot ptrace this one
// or read its /proc memory, so a flaw in one service does not hand it the other's secrets (or the
// citizen text this one holds). Throws std::runtime_error when the kernel refuses.
void make_undumpable();

}  // namespace lapor
