// A SQLite VFS shim for fault tests: forwards to the default VFS, but fails the Nth write or
// sync (counting from 0) with a chosen error, as a full disk or a dying SD card would.
#pragma once

namespace lapor::test {

enum class Fault { disk_full_on_write, io_error_on_write, io_error_on_sync };

// Installs the shim as the default VFS (once per process).
void install_fault_vfs();
// Arms the shim: the `n`th write/sync from now fails. n < 0 disarms.
void arm_fault(int n, Fault kind);
// How many faults fired since the last arm_fault.
int faults_fired();

}  // namespace lapor::test
