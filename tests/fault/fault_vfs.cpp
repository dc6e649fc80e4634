#include "fault_vfs.h"

#include <sqlite3.h>

#include <cstring>

namespace lapor::test {
namespace {

sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs shim_vfs;
int countdown = -1;
int fired = 0;
Fault fault_kind = Fault::io_error_on_write;

struct ShimFile {
    sqlite3_file base;
    sqlite3_file* real;
};

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f)->real; }

bool fire(bool is_sync) {
    const bool sync_fault = fault_kind == Fault::io_error_on_sync;
    if (countdown < 0 || is_sync != sync_fault) return false;
    if (countdown-- > 0) return false;
    ++fired;
    return true;
}

int x_close(sqlite3_file* f) { return real_of(f)->pMethods->xClose(real_of(f)); }
int x_read(sqlite3_file* f, void* b, int n, sqlite3_int64 o) {
    return real_of(f)->pMethods->xRead(real_of(f), b, n, o);
}
int x_write(sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
    if (fire(false))
        return fault_kind == Fault::disk_full_on_write ? SQLITE_FULL : SQLITE_IOERR_WRITE;
    return real_of(f)->pMethods->xWrite(real_of(f), b, n, o);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 s) {
    return real_of(f)->pMethods->xTruncate(real_of(f), s);
}
int x_sync(sqlite3_file* f, int flags) {
    if (fire(true)) return SQLITE_IOERR_FSYNC;
    return real_of(f)->pMethods->xSync(real_of(f), flags);
}
int x_size(sqlite3_file* f, sqlite3_int64* s) {
    return real_of(f)->pMethods->xFileSize(real_of(f), s);
}
int x_lock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xLock(real_of(f), l); }
int x_unlock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xUnlock(real_of(f), l); }
int x_check(sqlite3_file* f, int* r) {
    return real_of(f)->pMethods->xCheckReservedLock(real_of(f), r);
}
int x_control(sqlite3_file* f, int op, void* a) {
    return real_of(f)->pMethods->xFileControl(real_of(f), op, a);
}
int x_sector(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int x_dev(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }
int x_shm_map(sqlite3_file* f, int pg, int sz, int ext, void volatile** p) {
    return real_of(f)->pMethods->xShmMap(real_of(f), pg, sz, ext, p);
}
int x_shm_lock(sqlite3_file* f, int off, int n, int flags) {
    return real_of(f)->pMethods->xShmLock(real_of(f), off, n, flags);
}
void x_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int x_shm_unmap(sqlite3_file* f, int del) {
    return real_of(f)->pMethods->xShmUnmap(real_of(f), del);
}
int x_fetch(sqlite3_file* f, sqlite3_int64 o, int n, void** p) {
    return real_of(f)->pMethods->xFetch(real_of(f), o, n, p);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 o, void* p) {
    return real_of(f)->pMethods->xUnfetch(real_of(f), o, p);
}

const sqlite3_io_methods shim_methods = {
    3,          x_close,       x_read,      x_write,   x_truncate, x_sync, x_size,
    x_lock,     x_unlock,      x_check,     x_control, x_sector,   x_dev,  x_shm_map,
    x_shm_lock, x_shm_barrier, x_shm_unmap, x_fetch,   x_unfetch};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out) {
    auto* shim = reinterpret_cast<ShimFile*>(f);
    shim->real = reinterpret_cast<sqlite3_file*>(shim + 1);
    shim->base.pMethods = nullptr;
    const int rc = real_vfs->xOpen(real_vfs, name, shim->real, flags, out);
    if (shim->real->pMethods) shim->base.pMethods = &shim_methods;
    return rc;
}

}  // namespace

void install_fault_vfs() {
    if (real_vfs) return;
    real_vfs = sqlite3_vfs_find(nullptr);
    shim_vfs = *real_vfs;
    shim_vfs.zName = "lapor-fault";
    shim_vfs.szOsFile = static_cast<int>(sizeof(ShimFile)) + real_vfs->szOsFile;
    shim_vfs.xOpen = x_open;
    sqlite3_vfs_register(&shim_vfs, 1);
}

void arm_fault(int n, Fault kind) {
    countdown = n;
    fault_kind = kind;
    fired = 0;
}

int faults_fired() { return fired; }

}  // namespace lapor::test
