# Stage: the whole test suite with the NEON kernels compiled on x86 through
# SIMDe (-Dneon_simde=true), under AddressSanitizer + UBSan. NEON is then a
# supported ISA that is never picked automatically, so the suite's per-ISA
# loops cover it, and ACTFN_ISA=neon makes it the default path of the public
# API as well (the dispatch test accepts the override and checks it).
set -u
source "$(dirname "$0")/../lib.sh"
cd "$ACTFN_ROOT"
ensure_pkgs libsimde-dev libcmocka-dev libmpfr-dev libsleef-dev cmake || exit 1
dir=build/neon-simde
meson_setup "$dir" -Dneon_simde=true -Dtests=enabled -Dbench=disabled \
    -Db_sanitize=address,undefined -Db_lundef=false || exit 1
ninja -C "$dir" >/dev/null || { ninja -C "$dir" | tail -40; exit 1; }
# Any sanitizer report is a failure, not a warning.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ACTFN_ISA=neon
meson_test_stage "$dir" neon-simde --timeout-multiplier 3
