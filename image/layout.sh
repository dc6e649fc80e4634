# The kiosk disk's layout, shared by build-image.sh, boot-test.sh and update-test.sh (sourced).
# The kiosk side (slot names, boot entries, kernel command line) is image/update/lapor-boot: the
# build asks it for the first entry, so the image and the updater write entries the same way.
mib=$((1024 * 1024))
esp_mib=256    # systemd-boot + a kernel and initrd per slot (about 45 MiB each)
slot_mib=1024  # each root slot; the erofs root is about a third of this
cfg_mib=16
data_mib=256   # grown to the end of the disk at first boot (lapor-growdata)
esp_start=1
slot_a_start=$((esp_start + esp_mib))
slot_b_start=$((slot_a_start + slot_mib))
cfg_start=$((slot_b_start + slot_mib))
data_start=$((cfg_start + cfg_mib))
disk_mib=$((data_start + data_mib + 1))

# GPT type GUIDs: EFI system, Linux root (x86-64), Microsoft basic data (FAT), Linux data.
gpt_script() {
    cat <<EOF
label: gpt
start=${esp_start}MiB, size=${esp_mib}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="KIOSKESP"
start=${slot_a_start}MiB, size=${slot_mib}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name="rootfs.0"
start=${slot_b_start}MiB, size=${slot_mib}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name="rootfs.1"
start=${cfg_start}MiB, size=${cfg_mib}MiB, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name="KIOSKCFG"
start=${data_start}MiB, size=${data_mib}MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="LAPORDATA"
EOF
}

lapor_boot() { "$(dirname "${BASH_SOURCE[0]}")/update/lapor-boot" "$@"; }
entry_name() { echo "lapor-$1-$2.conf"; }                  # entry_name GENERATION SLOT
cmdline_of() { lapor_boot cmdline "$1"; }                   # cmdline_of SLOT
boot_entry() { lapor_boot entry "$1" "$2" "$(cmdline_of "$1")"; }  # boot_entry SLOT VERSION
