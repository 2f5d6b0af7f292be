# Stage: the test programs run under qemu-x86_64 -cpu Nehalem (SSE4.2, no
# AVX): dispatch must pick scalar, ACTFN_ISA=avx2 must warn once and fall back,
# and since qemu raises SIGILL on any AVX instruction for that CPU model (the
# probe below proves it on every run), a passing run shows that no AVX
# instruction executes — in start-up, detection or any call.
set -u
source "$(dirname "$0")/../lib.sh"
cd "$ACTFN_ROOT"
[ "$(uname -m)" = x86_64 ] || { echo "not x86-64: nothing to do"; exit 0; }
ensure_pkgs qemu-user libcmocka-dev libmpfr-dev || exit 1
dir=build/old-cpu
meson_setup "$dir" -Dtests=enabled -Dbench=disabled || exit 1
ninja -C "$dir" >/dev/null || { ninja -C "$dir" | tail -40; exit 1; }

qemu=(qemu-x86_64 -cpu Nehalem)
passed=0 failed=0
check() { # check NAME CONDITION-COMMAND...
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); echo "ok: $name"; else failed=$((failed + 1)); echo "FAIL: $name"; fi
}

# 1. The emulated CPU really refuses AVX: a one-instruction probe must die
#    of SIGILL (exit 132) under Nehalem and run under a CPU that has AVX.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '%s\n' 'int main(void) { __asm__ volatile("vxorps %%ymm0, %%ymm0, %%ymm0" ::: "xmm0"); return 0; }' \
    > "$probe/avx.c"
cc -O0 "$probe/avx.c" -o "$probe/avx"
("${qemu[@]}" "$probe/avx") 2>/dev/null; rc=$?
check "qemu -cpu Nehalem kills an AVX instruction with SIGILL (exit $rc)" [ "$rc" -eq 132 ]
qemu-x86_64 -cpu Haswell "$probe/avx" 2>/dev/null; rc=$?
check "the same probe runs under -cpu Haswell (exit $rc)" [ "$rc" -eq 0 ]

# 2. ACTFN_ISA=avx2 on a CPU without AVX: one warning line, scalar.
disp=$dir/tests/reliability/test_dispatch
out=$(ACTFN_ISA=avx2 "${qemu[@]}" "$disp" --child report 2>"$probe/err"); rc=$?
echo "ACTFN_ISA=avx2 under Nehalem: exit $rc, stdout '$out', stderr: $(cat "$probe/err")"
check "ACTFN_ISA=avx2 falls back to scalar" [ "$rc" -eq 0 -a "$out" = scalar ]
check "ACTFN_ISA=avx2 warns on exactly one line" [ "$(wc -l < "$probe/err")" -eq 1 ]
grep -q "ACTFN_ISA=avx2" "$probe/err"
check "the warning names ACTFN_ISA=avx2" [ $? -eq 0 ]
record_result old-cpu-checks "$passed" "$failed"

# 3. Every compiled test program (scripts excluded: qemu runs ELF files) under
#    Nehalem; the dispatch test re-runs itself under the same wrapper and
#    requires the automatic choice to be scalar.
mapfile -t elf_tests < <(meson introspect --tests "$dir" | $PY -c '
import json, sys
for t in json.load(sys.stdin):
    with open(t["cmd"][0], "rb") as f:
        if f.read(4) == b"\x7fELF":
            print(t["name"])')
echo "under qemu -cpu Nehalem: ${elf_tests[*]}"
export ACTFN_TEST_WRAPPER="${qemu[*]}"
export ACTFN_TEST_EXPECT_ISA=scalar
export ACTFN_TEST_SCALE=${ACTFN_TEST_SCALE:-0.1}
export ACTFN_TEST_SKIP=$QEMU_USER_SKIP # scripts/lib.sh says why
meson_test_stage "$dir" old-cpu --no-rebuild --wrapper "${qemu[*]}" --timeout-multiplier 5 "${elf_tests[@]}"
