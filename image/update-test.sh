#!/usr/bin/env bash
# `make image-update-test`: a fleet update and a rollback in QEMU (TCG, OVMF, the image's own
# systemd-boot), through the update timer, with an HTTPS update folder on the host (10.0.2.2).
#
#   image/update-test.sh OUTDIR
#
# Phases (each timed): build v1, v2 and v3 from one bootstrap (v3's touch screen exits at once,
# so it fails its health check); boot v1 provisioned with [update] url and an endpoint where
# nothing listens, and file two reports at its screen (the audio guide's keypad and typed
# letters of a headless journey, tests/image/test_tap_plan.cpp, replayed as QEMU keyboard
# events); the timer installs v2
# and the kiosk reboots into it (by itself once the UI reports an idle attract screen; see the
# NOT TESTED line otherwise); SSH checks the version and that `journalctl -b -1` holds the v1
# boot; then v3 is published, installed, fails, and the kiosk boots v2 again by itself; finally
# the endpoint (lapor-lab), unreachable until then, comes up, lapor-sync enrolls, and both
# reports reach the lab exactly once (the lab's list and the kiosk's status).
# Prints `updated: v1 -> v2` and `rolled back: v3 -> v2` as the kiosk reports them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
out=${1:?usage: update-test.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
source "$here/layout.sh"
"$here/install-tools.sh"
kioskctl=$src/build/package/ctl/kioskctl
[[ -x $kioskctl ]] || kioskctl=$src/build/dev/ctl/kioskctl
timeout_s=${LAPOR_BOOT_TIMEOUT:-900}
t0=$(date +%s)
phase_t=$t0
say() { printf '[%4ds] %s\n' $(($(date +%s) - t0)) "$*"; }
phase() {
    local now
    now=$(date +%s)
    ((now > phase_t)) && [[ -n ${current_phase:-} ]] && say "phase '$current_phase' took $((now - phase_t)) s"
    current_phase=$1 phase_t=$now
    say "== $1"
}
qemu_pid= https_pid= lab_pid=
cleanup() {
    for p in $qemu_pid $https_pid $lab_pid; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT
fail() { say "FAILED: $*"; echo "update-test: FAILED: $*" >&2; exit 1; }

# ---- build v1, v2, v3 from one bootstrap (build/image's root and package cache are reused)
phase "build v1, v2, v3"
[[ -d $out/apt-cache || ! -d $src/build/image/apt-cache ]] || ln -s "$src/build/image/apt-cache" "$out/apt-cache"
# The root comes from build/image (`make image`), copied afresh every run: a copy kept from an
# earlier run still held that run's programs, so fixes in the package never reached v1-v3. If
# build/image's root does not hold this checkout's packages, `make image` runs first.
stale() {  # prints the files of the packages that differ in build/image/rootfs
    local deb
    for deb in $(ls -t "$src"/build/package/lapor-kiosk_*_amd64.deb | head -1) \
        $(ls -t "$src"/build/package/lapor-kiosk-appliance_*_all.deb | head -1); do
        dpkg-deb --fsys-tarfile "$deb" | tar -d -C "$src/build/image/rootfs" 2>&1 |
            grep -E 'Contents differ|Size differs' || true
    done
}
if [[ ! -f $src/build/image/rootfs/usr/bin/kioskctl || -n $(stale) ]]; then
    say "build/image/rootfs does not hold this checkout's packages: make image first"
    LAPOR_SKIP_ZSTD=1 "$here/build-image.sh" "$src/build/image" >"$out/build-image.log" 2>&1 ||
        { tail -20 "$out/build-image.log"; fail "make image"; }
    [[ -z $(stale) ]] || fail "build/image/rootfs still differs from the packages: $(stale | head -3)"
fi
# The three versions are rebuilt unless the packages and image/ (this script aside) are the
# ones they were built from (a stamp in OUTDIR): each build takes 3-7 minutes here.
stamp=$( (for deb in "$src"/build/package/lapor-kiosk_*_amd64.deb "$src"/build/package/lapor-kiosk-appliance_*_all.deb; do
        dpkg-deb --fsys-tarfile "$deb" | tar -xOf - | sha256sum; done
    cd "$here" && find . -type f ! -name update-test.sh -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16)
if [[ -f $out/v1.img && -f $out/www-v2/manifest.json && -f $out/www-v3/manifest.json &&
    $(cat "$out/built-from" 2>/dev/null) == "$stamp" ]]; then
    say "v1, v2 and v3 are already built from these packages and image/ (stamp $stamp): reused"
else
    rm -f "$out/built-from"
    rm -rf "$out/rootfs"
    cp -a "$src/build/image/rootfs" "$out/rootfs"
    ui=$out/rootfs/usr/bin/lapor-kiosk
    mkdir -p "$out/keys"
    build() {  # build VERSION: image + bundle + update folder
        LAPOR_REUSE_ROOTFS=1 LAPOR_IMAGE_VERSION=$1 LAPOR_SKIP_ZSTD=1 "$here/build-image.sh" "$out" >"$out/build-$1.log" 2>&1 ||
            { tail -20 "$out/build-$1.log"; fail "building $1"; }
        "$here/make-bundle.sh" "$out" >"$out/bundle-$1.log" 2>&1 || { cat "$out/bundle-$1.log"; fail "bundle $1"; }
        rm -rf "$out/www-$1"
        mv "$out/update" "$out/www-$1"
        grep -E '^image size|^bundle:' "$out/build-$1.log" "$out/bundle-$1.log" | sed 's/^[^:]*:/  /'
    }
    build v1
    cp --sparse=always "$out/lapor-kiosk.img" "$out/v1.img"
    build v2
    # v3: the touch screen exits at once (as a bad release would crash).
    mv "$ui" "$ui.real"
    printf '#!/bin/sh\necho "lapor-kiosk: v3 is broken on purpose (update test)" >&2\nexit 1\n' >"$ui"
    chmod 0755 "$ui"
    build v3
    mv -f "$ui.real" "$ui"
    echo "$stamp" >"$out/built-from"
fi

# ---- the site: CA, the update folder over HTTPS, SSH key, a provisioned copy of v1
phase "boot v1"
t=$out/run
rm -rf "$t"
mkdir -p "$t/www" "$t/taps"
# The citizen's input for a report: a journey through the real UI, headless at the kiosk's
# screen size, that must file a report on the host first (tests/image/test_tap_plan.cpp).
plan_test=$(ls "$src"/build/dev/tests/image/image_tap_plan_tests 2>/dev/null || true)
[[ -n $plan_test ]] || fail "no image_tap_plan_tests built (cmake --build build/dev)"
LAPOR_TAP_PLAN=$t/taps/plan.txt SDL_VIDEODRIVER=dummy SDL_RENDER_DRIVER=software \
    SDL_FRAMEBUFFER_ACCELERATION=0 "$plan_test" >"$t/taps/plan.log" 2>&1 ||
    { tail -20 "$t/taps/plan.log"; fail "the input plan did not file a report headless"; }
say "input plan: $(grep -c '^key' "$t/taps/plan.txt") keypad presses and $(grep '^text' "$t/taps/plan.txt" | wc -c) typed characters per report"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=update-test CA" \
    -keyout "$t/ca.key" -out "$t/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=10.0.2.2" \
    -keyout "$t/server.key" -out "$t/server.csr" 2>/dev/null
printf 'subjectAltName=IP:10.0.2.2,IP:127.0.0.1\n' >"$t/san.ext"
openssl x509 -req -in "$t/server.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" -CAcreateserial -days 30 \
    -extfile "$t/san.ext" -out "$t/server.pem" 2>/dev/null
openssl genpkey -algorithm X25519 -out "$t/national.key" 2>/dev/null
national=$(openssl pkey -in "$t/national.key" -pubout -outform DER | tail -c 32 | base64)
# The lab endpoint (lapor-lab) comes up only at the end: until then the kiosk's endpoint port has
# no listener, and lapor-sync keeps retrying across the updates and the rollback.
lab=$(ls "$src"/build/dev/sync/lab/lapor-lab "$src"/build/*/sync/lab/lapor-lab 2>/dev/null | head -1 || true)
[[ -n $lab ]] || fail "no lapor-lab built (cmake --build build/dev)"
openssl pkey -in "$t/national.key" -outform DER | tail -c 32 | base64 >"$t/national.b64"
mkdir -p "$t/lab"
code=$("$lab" issue-code --dir "$t/lab" --kiosk UPDATE-TEST-01 --ttl-s 86400 2>/dev/null) || fail "lapor-lab issue-code"
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
uport=$(freeport) port=$(freeport) sshport=$(freeport)
cat >"$t/https.py" <<'PY'
import http.server, ssl, sys, functools
port, root, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
httpd.serve_forever()
PY
python3 "$t/https.py" "$uport" "$t/www" "$t/server.pem" "$t/server.key" >"$t/https.log" 2>&1 &
https_pid=$!
ssh-keygen -q -t ed25519 -N '' -C "update-test technician" -f "$t/tech_key"
# The provisioning authority (issue #10): the image pins none, so the kiosk trusts this key on
# first use.
"$kioskctl" authority-keygen --out "$t/authority" >/dev/null
ssh_run() {
    ssh -i "$t/tech_key" -p "$sshport" -o BatchMode=yes -o ConnectTimeout=20 -o StrictHostKeyChecking=no \
        -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR root@127.0.0.1 "$1"
}
cp --sparse=always "$out/v1.img" "$t/kiosk.img"
truncate -s +3G "$t/kiosk.img"   # room on the data partition for two bundle downloads
# The endpoint is unreachable on purpose (nothing listens on $port): reports queue.
"$kioskctl" provision --kiosk-id UPDATE-TEST-01 --code-prefix PB01 --office "Kantor Uji Pembaruan" \
    --time-zone Asia/Jakarta --endpoint "https://10.0.2.2:$port" --ca "$t/ca.pem" \
    --national-key "$national" --national-key-id upd-1 --verify-base https://10.0.2.2/kiosk \
    --enroll-code "$code" --pin 135790 \
    --printer "file:/var/lib/lapor-kiosk/receipts.bin" --ssh-key "$t/tech_key.pub" \
    --update-url "https://10.0.2.2:$uport" --update-window 00:00-24:00 \
    --sign-key "$t/authority/authority.key" --out "$t/kiosk.img@@$((cfg_start * mib))" >"$t/provision.log" || { cat "$t/provision.log"; fail "provision"; }
esp="$t/kiosk.img@@$((esp_start * mib))"
for entry in $(mdir -b -i "$esp" ::/loader/entries/ | sed 's#.*/##'); do
    mtype -i "$esp" "::/loader/entries/$entry" |
        sed 's/ console=tty0/ systemd.journald.forward_to_console=1 systemd.show_status=true/' >"$t/entry.conf"
    mcopy -o -i "$esp" "$t/entry.conf" "::/loader/entries/$entry"
done
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$t/vars.fd"
# v2 is published before v1 boots: the timer's first check (90 s after boot) finds it. Published
# later, that first check finds nothing and the next one comes only [update] check_s (1 h) later.
ln -sfn "$out/www-v2"/* "$t/www/"
# One QEMU for the whole test: reboots stay inside it (the kiosk reboots itself).
qemu-system-x86_64 -machine q35 -accel tcg -smp 2 -m 1536 \
    -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
    -drive if=pflash,format=raw,file="$t/vars.fd" \
    -drive file="$t/kiosk.img",format=raw,if=virtio \
    -vga std -display none -serial file:"$t/serial.log" \
    -qmp unix:"$t/qmp.sock",server,nowait \
    -netdev user,id=n0,hostfwd=tcp:127.0.0.1:"$sshport"-:22 -device virtio-net-pci,netdev=n0 &
qemu_pid=$!
wait_for() {  # wait_for PATTERN WHAT [AFTER_LINE]: a console line, within the timeout
    local deadline=$(($(date +%s) + timeout_s)) from=${3:-0}
    while (($(date +%s) < deadline)); do
        kill -0 "$qemu_pid" 2>/dev/null || fail "QEMU stopped while waiting for $2"
        tail -n +"$from" "$t/serial.log" 2>/dev/null | grep -a -q -- "$1" && return 0
        sleep 3
    done
    fail "no $2 within ${timeout_s} s (serial log: $t/serial.log)"
}
lines() { wc -l <"$t/serial.log"; }
wait_for 'health: ok (v1)' "v1's health check"
say "v1 is up and healthy"
ssh_run 'cat /usr/lib/lapor-kiosk/image-version; /usr/libexec/lapor-kiosk/lapor-boot list' | sed 's/^/  v1: /'

# ---- reports filed at the kiosk while the endpoint is down: the plan's keys (the audio guide's
# numeric keypad and letters typed on a keyboard) sent as QEMU keyboard events (QMP send-key),
# read by the UI through evdev; a screendump after each keypad 5 is kept in run/taps/.
cat >"$t/taps.py" <<'PY'
import json, socket, sys, time
sock, plan, shots, tag = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
s = socket.socket(socket.AF_UNIX); s.connect(sock); f = s.makefile("rw")
def cmd(name, **args):
    f.write(json.dumps({"execute": name, "arguments": args} if args else {"execute": name}) + "\n"); f.flush()
    while True:
        r = json.loads(f.readline())
        if "return" in r: return r
        if "error" in r: sys.exit("qmp %s: %s" % (name, r["error"]))
json.loads(f.readline()); cmd("qmp_capabilities")
def key(q):  # press and release in one go: a release that reached the slow guest late repeated keys
    k = {"type": "qcode", "data": q}
    cmd("input-send-event", events=[{"type": "key", "data": {"down": True, "key": k}},
                                    {"type": "key", "data": {"down": False, "key": k}}])
for n, line in enumerate(open(plan)):
    kind, arg = line.rstrip("\n").split(" ", 1)
    if kind == "key":
        key(arg)
        time.sleep(4 if arg == "kp_5" else 1.2)  # 5 may change the screen (TCG draws slowly)
        if arg == "kp_5":
            cmd("screendump", filename="%s/%s-%03d.ppm" % (shots, tag, n))
    else:
        for c in arg:
            key("spc" if c == " " else c)
            time.sleep(0.5)
        time.sleep(1.5)
PY
reports_filed=0
file_report() {  # file_report TAG: one report at the kiosk's keypad; checks the store grew
    local before after
    before=$(ssh_run 'kioskctl status' | sed -n 's/^reports: queued \([0-9]*\).*/\1/p') || true
    python3 "$t/taps.py" "$t/qmp.sock" "$t/taps/plan.txt" "$t/taps" "$1" || fail "replaying the keys ($1)"
    sleep 5
    after=$(ssh_run 'kioskctl status' | sed -n 's/^reports: queued \([0-9]*\).*/\1/p') || true
    if [[ -n $before && -n $after ]] && ((after == before + 1)); then
        reports_filed=$((reports_filed + 1))
        say "report $1 filed at the kiosk (keypad guide): $after queued (endpoint unreachable)"
    else
        say "report $1 NOT filed (queued before ${before:-?}, after ${after:-?}; screens in $t/taps)"
    fi
}
file_report r1
file_report r2

# ---- v2 through the update timer
phase "update v1 -> v2 (timer)"
mark=0
wait_for 'kioskctl update: installed v2' "the timer installing v2" "$mark"
reboot_when_idle() {  # the timer reboots by itself once the attract screen was idle 2 minutes
    local deadline=$(($(date +%s) + 420))
    while (($(date +%s) < deadline)); do
        tail -n +"$mark" "$t/serial.log" | grep -a -q 'rebooting now' && { say "the timer rebooted the kiosk"; return; }
        sleep 3
    done
    say "NOT TESTED: the reboot on an idle attract screen (no reboot by the timer within 7 min); rebooting over SSH"
    ssh_run 'systemctl reboot' || true
}
reboot_when_idle
wait_for 'health: ok (v2)' "v2's health check" "$mark"
v2=$(ssh_run 'cat /usr/lib/lapor-kiosk/image-version; echo "previous boot: $(journalctl -b -1 -q --no-pager | grep -c .) lines, $(journalctl -b -1 -q --no-pager -o cat | grep -c "health: ok (v1)") v1 health lines"; kioskctl status | grep "^update:"')
echo "$v2" | sed 's/^/  /'
[[ $(echo "$v2" | head -1) == v2 ]] || fail "the kiosk does not run v2 after the update"
echo "$v2" | grep -q 'previous boot: [1-9][0-9]* lines, [1-9]' || fail "journalctl -b -1 does not show the v1 boot"
echo "$v2" | grep -o 'updated: v1 -> v2' || fail "kioskctl status does not say updated: v1 -> v2"

# ---- v3 fails and rolls back by itself
phase "update v2 -> v3, rollback"
rm -f "$t/www"/*
ln -sfn "$out/www-v3"/* "$t/www/"
mark=$(lines)
# v2's timer checked the folder after its boot; the next check would come check_s (1 h) later.
# The test clears the last check's time (as a fake clock would) and starts the timer's service.
ssh_run 'sed -i "s/\"last_check_unix\": [0-9]*/\"last_check_unix\": 0/" /var/lib/lapor-update/state.json &&
    systemctl start --no-block lapor-update.service' || fail "cannot start the update check on v2"
wait_for 'kioskctl update: installed v3' "the timer installing v3" "$mark"
reboot_when_idle
wait_for 'v3 is broken on purpose' "v3 booting" "$mark"
wait_for 'health: ok (v2)' "v2 running again after v3 failed" "$mark"
v3=$(ssh_run 'cat /usr/lib/lapor-kiosk/image-version; kioskctl status | grep "^update:"; /usr/libexec/lapor-kiosk/lapor-boot list')
echo "$v3" | sed 's/^/  /'
[[ $(echo "$v3" | head -1) == v2 ]] || fail "the kiosk does not run v2 after v3 failed"
echo "$v3" | grep -o 'rolled back: v3 -> v2' || fail "kioskctl status does not say rolled back: v3 -> v2"
phase "endpoint comes up"
mark=$(lines)
"$lab" serve --dir "$t/lab" --listen "127.0.0.1:$port" --cert "$t/server.pem" --key "$t/server.key" \
    --national-key "$t/national.b64" --key-id upd-1 --catalog "$src/kiosk/data/catalog.json" \
    >"$t/lab.log" 2>&1 &
lab_pid=$!
ssh_run 'kioskctl sync-now' | sed 's/^/  /' || true
wait_for 'enrolled as kiosk UPDATE-TEST-01' "lapor-sync enrolling once the endpoint is up" "$mark"
say "lapor-sync enrolled with the lab after the update and the rollback (the queue kept retrying)"
((reports_filed == 2)) || fail "only $reports_filed of 2 reports were filed at the kiosk on v1 (screens: $t/taps)"
deadline=$(($(date +%s) + timeout_s))
while :; do
    status=$(ssh_run 'kioskctl status' | sed -n 's/^reports: //p')
    [[ $status == "queued 0 sending 0 accepted 2 "* ]] && break
    (($(date +%s) < deadline)) || fail "the queued reports did not all upload: $status"
    sleep 5
done
"$lab" list --dir "$t/lab" >"$t/lab-list.txt"
sed 's/^/  lab: /' "$t/lab-list.txt"
rows=$(awk '$3 == "UPDATE-TEST-01"' "$t/lab-list.txt" | wc -l)
codes=$(awk '$3 == "UPDATE-TEST-01" {print $2}' "$t/lab-list.txt" | sort -u | wc -l)
((rows == 2 && codes == 2)) || fail "the lab holds $rows reports ($codes tracking codes) from the kiosk, not 2"
for code in $(awk '$3 == "UPDATE-TEST-01" {print $2}' "$t/lab-list.txt"); do
    one=$(ssh_run "kioskctl status $code" | grep 'upload ') || true
    echo "  kiosk: $code$one"
    [[ $one == *"upload   accepted"* ]] || fail "the kiosk does not show $code as accepted"
done
say "both reports filed on v1 behind the unreachable endpoint reached the lab once, after v2 and the v3 rollback: $status"
phase "done"
echo "update-test: passed (serial log: $t/serial.log)"
