# Stage: cross-build for AArch64 (cross/aarch64-linux-gnu.ini) and run the
# whole meson test suite under qemu-aarch64, so the real NEON instructions
# are tested; NEON is the automatic choice there. Python is not run under
# emulation and the benchmark is not built.
set -u
source "$(dirname "$0")/../lib.sh"
cd "$ACTFN_ROOT"
ensure_arm64_arch || exit 1
ensure_pkgs gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user cmake \
    libc6:arm64 libcmocka-dev:arm64 libsleef-dev:arm64 libmpfr-dev:arm64 || exit 1
dir=build/aarch64
meson_setup "$dir" --cross-file cross/aarch64-linux-gnu.ini -Dtests=enabled -Dbench=disabled || exit 1
ninja -C "$dir" >/dev/null || { ninja -C "$dir" | tail -40; exit 1; }
# The plain `meson test`, as the README gives it: programs a test starts
# itself (dispatch, install) get the cross file's emulator from the build,
# so ACTFN_TEST_WRAPPER must not be needed (and is cleared, so a caller's
# value cannot hide a regression); binfmt_misc is not assumed.
unset ACTFN_TEST_WRAPPER
# Emulation is ~10-20x slower than native: half the random samples per check
# (the suite takes ~4 min at scale 1 under qemu on 2 cores, ~1.5 min at 0.25).
export ACTFN_TEST_SCALE=${ACTFN_TEST_SCALE:-0.5}
export ACTFN_TEST_SKIP=$QEMU_USER_SKIP # scripts/lib.sh says why
meson_test_stage "$dir" aarch64-qemu --timeout-multiplier 6
