# Stage: the whole meson test suite (op tests and reliability checks, every
# x86 ISA the CPU has: the tests loop over them) built a second time with
# AddressSanitizer + UndefinedBehaviorSanitizer. Any report stops the test
# program, so it counts as a failure. ACTFN_TEST_SCALE keeps it short.
set -u
source "$(dirname "$0")/../lib.sh"
cd "$ACTFN_ROOT"
ensure_pkgs libcmocka-dev libmpfr-dev cmake || exit 1
dir=build/sanitize
meson_setup "$dir" -Dtests=enabled -Dbench=disabled -Dbuildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false || exit 1
ninja -C "$dir" >/dev/null || { ninja -C "$dir" | tail -40; exit 1; }
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ACTFN_TEST_SCALE=${ACTFN_TEST_SCALE:-0.3}
meson_test_stage "$dir" sanitize --timeout-multiplier 3
