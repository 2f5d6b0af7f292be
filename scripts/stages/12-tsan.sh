# Stage: the thread-safety test (tests/reliability/test_threads.c) built with
# ThreadSanitizer (clang), library included, and run: any data race report
# fails it.
set -u
source "$(dirname "$0")/../lib.sh"
cd "$ACTFN_ROOT"
ensure_pkgs clang libclang-rt-14-dev libcmocka-dev libmpfr-dev || exit 1
dir=build/tsan
CC=clang meson_setup "$dir" -Dtests=enabled -Dbench=disabled -Dbuildtype=debugoptimized \
    -Db_sanitize=thread -Db_lundef=false || exit 1
ninja -C "$dir" tests/reliability/test_threads >/dev/null ||
    { ninja -C "$dir" tests/reliability/test_threads | tail -40; exit 1; }
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
export ACTFN_TEST_SCALE=${ACTFN_TEST_SCALE:-0.5}
meson_test_stage "$dir" tsan --no-rebuild threads
