# Stage: the C test suite on this machine, every ISA the CPU has.
set -u
source "$(dirname "$0")/../lib.sh"
cd "$ACTFN_ROOT"
ensure_pkgs libcmocka-dev libmpfr-dev cmake || exit 1
meson_setup build/native -Dtests=enabled || exit 1
ninja -C build/native >/dev/null || { ninja -C build/native | tail -40; exit 1; }
meson_test_stage build/native native
