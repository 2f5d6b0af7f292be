# Stage: the libFuzzer target tests/fuzz/fuzz_api.c for 60 s (ASan + UBSan),
# starting from the seed corpus. Counts 1 passed if no input failed.
set -u
source "$(dirname "$0")/../lib.sh"
cd "$ACTFN_ROOT"
mkdir -p build
log=build/fuzz-stage.log
./scripts/fuzz "${ACTFN_FUZZ_SECONDS:-60}" >"$log" 2>&1
rc=$?
grep -E "^#[0-9]+.*(INITED|DONE)|^stat::|FUZZ FAILURE|^FAIL:|ERROR:" "$log"
if [ $rc -eq 0 ]; then
    record_result fuzz 1 0
else
    tail -40 "$log"
    record_result fuzz 0 1
fi
