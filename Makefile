# The two commands a newcomer needs: `make run` (demo) and `make test` (everything).
# Other targets: test-asan, torture, fuzz, bench, format, format-check, clean,
# package, image, image-test, bundle, image-update-test.
PRESET ?= dev
BUILD   = build/$(PRESET)
JOBS   ?= $(shell nproc)

.PHONY: setup build run test test-asan torture fuzz fuzz-build bench format format-check clean \
        package image image-test bundle image-update-test

setup:
	@scripts/setup.sh

build: setup
	@[ -f $(BUILD)/build.ninja ] || cmake --preset $(PRESET) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/ctl/kioskctl demo

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	@grep -h -E '^crash test:|MESSAGE: (disk full|write error|fsync error)' \
	  $(BUILD)/Testing/Temporary/LastTest.log | sed 's/.*MESSAGE: /fault loop: /' || true

test-asan:
	$(MAKE) test PRESET=asan

# The crash test with 10,000 kill rounds instead of 200 (slow).
torture: build
	LAPOR_CRASH_ROUNDS=10000 $(BUILD)/tests/crash_test

fuzz-build:
	@scripts/setup.sh --fuzz
	@[ -f build/fuzz/build.ninja ] || cmake --preset fuzz >/dev/null
	cmake --build build/fuzz -j $(JOBS)

# Runs each fuzzer for FUZZ_SECONDS (default 600), then merges new finds into tests/fuzz/corpus.
FUZZ_SECONDS ?= 600
fuzz: fuzz-build
	scripts/fuzz.sh $(FUZZ_SECONDS)

bench:
	$(MAKE) build PRESET=release
	build/release/bench/submit_bench
	build/release/bench/receipt_bench
	build/release/bench/sync_bench
	build/release/bench/ui_bench
	build/release/bench/desk_bench
	build/release/bench/speech_bench

format:
	find kiosk ctl tests bench ui sync printer speech -name '*.cpp' -o -name '*.h' | xargs clang-format -i

format-check: setup
	find kiosk ctl tests bench ui sync printer speech -name '*.cpp' -o -name '*.h' | xargs clang-format --dry-run -Werror

clean:
	rm -rf build

# The Debian packages (build/package/lapor-kiosk_<version>_amd64.deb, the programs, and
# lapor-kiosk-appliance_<version>_all.deb, what makes a machine a kiosk): a release build that
# reads its data from /usr/share/lapor-kiosk.
package: setup
	@[ -f build/package/build.ninja ] || cmake -S . -B build/package -G Ninja \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLAPOR_BUILD_TESTS=OFF -DCMAKE_INSTALL_PREFIX=/usr \
	  -DLAPOR_SHARE_DIR=/usr/share/lapor-kiosk >/dev/null
	cmake --build build/package -j $(JOBS)
	cd build/package && cpack -G DEB
	@ls -l build/package/*.deb

# The kiosk disk image (build/image/lapor-kiosk.img; installs mmdebstrap etc. itself), and its
# boot test in QEMU without KVM. Neither is part of `make test` (minutes, network for apt).
# AUTHORITY=FILE.pub pins the provisioning authority (kioskctl authority-keygen); without it the
# kiosk trusts the first signed bundle. ACCEPT_UNSIGNED=1 makes a lab image (never ship it).
image: package
	LAPOR_AUTHORITY="$(AUTHORITY)" LAPOR_ACCEPT_UNSIGNED="$(ACCEPT_UNSIGNED)" nice image/build-image.sh build/image

image-test:
	nice image/boot-test.sh build/image

# The signed RAUC bundle of the image's root (build/image/lapor-kiosk-<version>.raucb) and an
# update folder to publish (build/image/update/); the development signing key is made in
# build/image/keys/ (never committed). docs/technician.md, "Updates".
bundle:
	@[ -f build/image/root.img ] || $(MAKE) image
	image/make-bundle.sh build/image

# Builds v1, v2 and a broken v3 from one bootstrap, boots v1 in QEMU, updates it to v2 through
# the update timer, then watches v3 roll back by itself (docs/technician.md, section 8).
image-update-test: package
	nice image/update-test.sh build/update-test
