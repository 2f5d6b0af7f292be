# Shared shell helpers for scripts/test, scripts/bench and their stages.
# Sourced, not run.

ACTFN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Debian's python3, with numpy (the python3 first on PATH may lack it).
PY=/usr/bin/python3

# Run a command as root: directly when we are root, else through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ensure_pkgs PKG...: install the Debian packages that are missing, and only
# those (idempotent: a second run installs nothing and needs no network).
# apt waits for the dpkg lock (up to 10 min) rather than failing, so two
# scripts that install at the same time both succeed.
_apt_updated=0
ensure_pkgs() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "== installing: ${missing[*]}"
    if [ $_apt_updated -eq 0 ]; then
        as_root apt-get -o DPkg::Lock::Timeout=600 update -qq || return 1
        _apt_updated=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        --no-install-recommends "${missing[@]}" \
        >/dev/null || return 1
}

# ensure_arm64_arch: enable Debian multiarch for arm64 (for :arm64 packages).
ensure_arm64_arch() {
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        as_root dpkg --add-architecture arm64
        _apt_updated=0
    fi
}

# The packages every build needs.
# SLEEF is a required dependency (the reproducible mode's vector math).
BUILD_PKGS=(gcc meson ninja-build pkg-config libc6-dev libsleef-dev)

# Tests the stages that run programs under qemu-user skip (ACTFN_TEST_SKIP,
# a cmocka pattern): qemu 7.2 itself aborts, now and then (plugins/core.c:
# qemu_plugin_vcpu_init_hook: assertion failed), when a child forked from a
# multi-threaded guest starts a thread — which test_pool's fork_then_call
# does by design. It runs natively, in the sanitizer, TSan and SIMDe builds;
# pool.c has no ISA-specific code.
QEMU_USER_SKIP=fork_then_call

# meson_setup DIR [ARGS...]: configure DIR once, reconfigure if it exists.
meson_setup() {
    local dir=$1; shift
    if [ -f "$dir/build.ninja" ]; then
        meson setup --reconfigure "$dir" "$@" >/dev/null
    else
        meson setup "$dir" "$@" >/dev/null
    fi
}

# record_result STAGE PASSED FAILED: stages report their counts here;
# scripts/test adds them up into its closing line.
record_result() {
    echo "$1 $2 $3" >> "${ACTFN_RESULTS:?record_result needs ACTFN_RESULTS}"
    echo "== stage $1: $2 passed, $3 failed"
}

# meson_test_counts DIR STAGE [meson test args...]: run meson test in DIR and
# record its Ok/Fail counts (skipped tests are neither).
meson_test_stage() {
    local dir=$1 stage=$2; shift 2
    local log
    log=$(mktemp)
    meson test -C "$dir" --print-errorlogs "$@" 2>&1 | tee "$log" | grep -E "^ *[0-9]+/[0-9]+ |^(Ok|Fail|Skipped|Timeout|Expected Fail|Unexpected Pass):" || true
    local ok fail to
    ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$log" | tail -1)
    fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$log" | tail -1)
    to=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$log" | tail -1)
    fail=$(( ${fail:-0} + ${to:-0} ))
    if [ -z "$ok" ]; then
        # meson never got to run tests (build error): count the stage as failed.
        tail -40 "$log"
        ok=0; fail=$(( fail > 0 ? fail : 1 ))
    fi
    rm -f "$log"
    record_result "$stage" "$ok" "$fail"
}
