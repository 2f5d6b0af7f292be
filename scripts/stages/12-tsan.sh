# Stage: the thread-safety tests (tests/reliability/test_threads.c, and
# test_pool.c: the thread pool of SPEC §10) built with ThreadSanitizer
# (clang), library included, and run: any data race report fails it.
set -u
source "$(dirname "$0")/../lib.sh"
cd "$ACTFN_ROOT"
ensure_pkgs clang libclang-rt-14-dev libcmocka-dev libmpfr-dev || exit 1
dir=build/tsan
CC=clang meson_setup "$dir" -Dtests=enabled -Dbench=disabled -Dbuildtype=debugoptimized \
    -Db_sanitize=thread -Db_lundef=false || exit 1
ninja -C "$dir" tests/reliability/test_threads tests/reliability/test_pool >/dev/null ||
    { ninja -C "$dir" tests/reliability/test_threads tests/reliability/test_pool | tail -40; exit 1; }
# die_after_fork=0: test_pool's child of a multi-threaded parent starts its
# own workers, which TSan refuses by default (its own runtime's limitation).
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:die_after_fork=0
export ACTFN_TEST_SCALE=${ACTFN_TEST_SCALE:-0.5}
meson_test_stage "$dir" tsan --no-rebuild threads pool
