# Sourced by boot-test.sh after its boots (issue #10's phase, kept apart from the test's structure):
# the kiosk was provisioned with a bundle signed by a fresh authority key (trusted on first use,
# the test image pins none). Now an UNSIGNED bundle naming another office is written onto the
# KIOSKCFG partition and the kiosk boots again: it must keep the signed config, log the refusal at
# error priority, and doctor must name the stick. Uses boot-test.sh's t, kioskctl, offset,
# start_qemu, stop_qemu, say; appends to failures.
trust_phase() {
    say "trust phase: an unsigned bundle on KIOSKCFG, then a boot (serial log: $t/serial3.log)"
    "$kioskctl" provision --kiosk-id BOOT-TEST-01 --code-prefix BT01 --office "Kantor Penyusup" \
        --time-zone Asia/Jakarta --endpoint "https://10.0.2.2:9" --ca "$t/ca.pem" \
        --national-key "$national" --national-key-id boot-1 --verify-base https://10.0.2.2/kiosk \
        --enroll-code EVIL-CODE --unsigned --out "$t/kiosk.img@@$offset" | sed 's/^/  /'
    start_qemu "$t/serial3.log"
    local deadline3=$(($(date +%s) + timeout_s))
    while (($(date +%s) < deadline3)) && kill -0 "$qemu_pid" 2>/dev/null; do
        grep -a -q 'all checks passed\|some checks FAILED' "$t/serial3.log" 2>/dev/null && break
        sleep 2
    done
    ssh_run yes 'journalctl -b -p err -u lapor-firstboot --no-pager -o cat; echo "office: $(grep ^office /etc/lapor-kiosk/kiosk.toml)"' \
        >"$t/ssh3.txt" 2>"$t/ssh3.err" || true
    stop_qemu
    cp "$t/serial3.log" "$out/boot-test-serial3.log"
    local s3=$t/serial3.log
    grep -a -q 'the stick in .* was refused: it is unsigned' "$s3" ||
        failures+=("trust: the unsigned stick was not refused at boot")
    grep -a -q 'FAIL  provisioning: an unsigned or foreign provisioning stick is present' "$s3" ||
        failures+=("trust: doctor did not name the unsigned stick")
    grep -a -q 'ok    config: .*Kantor Uji Boot' "$s3" ||
        failures+=("trust: the signed config was not kept")
    grep -a -q 'Kantor Penyusup' "$s3" && grep -a -q 'ok    config: .*Kantor Penyusup' "$s3" &&
        failures+=("trust: the unsigned bundle's config was installed")
    grep -q 'was refused: it is unsigned' "$t/ssh3.txt" ||
        failures+=("trust: the refusal is not in the journal at error priority ($(cat "$t/ssh3.err" 2>/dev/null))")
    grep -q '^office: office = "Kantor Uji Boot"' "$t/ssh3.txt" ||
        failures+=("trust: kiosk.toml changed: $(grep '^office' "$t/ssh3.txt")")
    grep -a -q 'trusted the bundle.s authority key .* on first use' "$t/serial.log" ||
        failures+=("trust: first boot did not say it trusted the bundle's key on first use")
    say "trust phase: $(grep -a -o 'FAIL  provisioning: [^>]*' "$s3" | head -1)"
}
