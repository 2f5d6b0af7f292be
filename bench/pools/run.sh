#!/usr/bin/env bash
# run.sh — build libactfn (release, static) and run bench/pools/compare.c:
# libactfn's own thread pool against pthreadpool and OpenMP. Run from
# anywhere; it works in the repository root. Takes about 1–2 minutes.
set -eu
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$ACTFN_ROOT"

ensure_pkgs "${BUILD_PKGS[@]}" libpthreadpool-dev || { echo "cannot install libpthreadpool-dev" >&2; exit 1; }
meson_setup build/pools --buildtype=release -Dtests=disabled -Dbench=disabled ||
    { echo "meson setup failed" >&2; exit 1; }
ninja -C build/pools

bin=build/pools/compare-pools
gcc -O2 -fopenmp -Iinclude -Isrc bench/pools/compare.c build/pools/src/libactfn_internal.a \
    -lpthreadpool -lsleef -lm -lpthread -o "$bin"

echo
echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) CPUs available"
echo "== gcc $(gcc -dumpfullversion), libgomp $(dpkg-query -W -f='${Version}' libgomp1 2>/dev/null || echo '?')," \
     "pthreadpool $(dpkg-query -W -f='${Version}' libpthreadpool-dev 2>/dev/null || echo '?')"
# What libgomp uses when OMP_WAIT_POLICY / GOMP_SPINCOUNT are left alone
# (with OMP_WAIT_POLICY unset it prints PASSIVE, yet spins GOMP_SPINCOUNT
# iterations before it sleeps; an explicit PASSIVE would mean no spinning).
echo "== libgomp as run (OMP_DISPLAY_ENV):$(OMP_DISPLAY_ENV=verbose "$bin" --omp-env 2>&1 |
    grep -E 'OMP_WAIT_POLICY|GOMP_SPINCOUNT' | tr -s ' \n' ' ')"
echo "== OMP_WAIT_POLICY=${OMP_WAIT_POLICY-(unset)} GOMP_SPINCOUNT=${GOMP_SPINCOUNT-(unset)}" \
     "ACTFN_NUM_THREADS=${ACTFN_NUM_THREADS-(unset)}"
"$bin"
