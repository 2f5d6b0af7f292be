# Stage: the Python package actfn — its pytest suite against the freshly
# built library, then offline installs of the package (into a venv, and with
# --user into a private prefix) and the example run from the installed copy.
# Counts: every pytest test, plus one per install check.
set -u
source "$(dirname "$0")/../lib.sh"
cd "$ACTFN_ROOT"
ensure_pkgs python3-numpy python3-pytest python3-setuptools python3-wheel python3-pip python3-venv python3-torch binutils || exit 1

# The library: build/native is configured by stage 10; configure it here only
# when this stage runs alone, and build just the shared library.
if [ ! -f build/native/build.ninja ]; then
    meson_setup build/native || exit 1
fi
meson compile -C build/native actfn >/dev/null || { meson compile -C build/native actfn | tail -40; exit 1; }
LIB=$ACTFN_ROOT/build/native/src/libactfn.so.0
[ -e "$LIB" ] || { echo "no $LIB after the build"; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export PYTHONDONTWRITEBYTECODE=1

# ---- pytest -------------------------------------------------------------
log=$WORK/pytest.log
ACTFN_LIBRARY=$LIB PYTHONPATH=$ACTFN_ROOT/python \
    $PY -m pytest -p no:cacheprovider -q -rfE python/tests 2>&1 | tee "$log" | grep -vE '^[.sFExX]+ *(\[ *[0-9]+%\])?$'
rc=${PIPESTATUS[0]}
summary=$(grep -E '^=*.*( passed| failed| error| no tests ran).* in [0-9.]+s' "$log" | tail -1)
count() { echo "$summary" | grep -oE "[0-9]+ $1" | grep -oE '^[0-9]+' || echo 0; }
passed=$(count passed)
failed=$(( $(count failed) + $(count 'errors?') ))
# Exit 0 with nothing passed, 5 (no tests collected), 2-4 (interrupted,
# internal or usage error) and a failing exit without counted failures
# must never read as success.
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "== pytest (exit $rc): $passed passed, $failed failed"

# ---- install checks -------------------------------------------------------
inst_pass=0
inst_fail=0
check() {  # check NAME CMD...: one install check, counted
    local name=$1; shift
    if "$@" >"$WORK/check.log" 2>&1; then
        inst_pass=$((inst_pass + 1)); echo "== install check $name: ok"
    else
        inst_fail=$((inst_fail + 1)); echo "== install check $name: FAILED"; tail -20 "$WORK/check.log"
    fi
}

# A clean copy of the sources, so the build leaves nothing in the work tree.
fresh_source() {
    rm -rf "$WORK/src" && mkdir -p "$WORK/src" && cp -r python/actfn python/pyproject.toml "$WORK/src/" &&
        rm -rf "$WORK/src/actfn/__pycache__" "$WORK/src"/actfn/libactfn.so*
}

# 1. The documented install: a venv that sees Debian's numpy, pip offline.
#    The example runs from the installed package, outside the source tree.
install_venv() {
    fresh_source && $PY -m venv --system-site-packages "$WORK/venv" &&
        "$WORK/venv/bin/python" -m pip install -q --no-build-isolation --no-index "$WORK/src" &&
        (cd "$WORK" && ACTFN_LIBRARY=$LIB "$WORK/venv/bin/python" -c \
            'import actfn, sys; assert actfn.__file__.startswith(sys.prefix), actfn.__file__' &&
         cd "$WORK" && ACTFN_LIBRARY=$LIB "$WORK/venv/bin/python" "$ACTFN_ROOT/examples/mlp_numpy.py" --steps 100 |
            tee /dev/stderr | grep -q "max relative error")
}
check venv install_venv

# 2. The library bundled in the package (found "beside the package"), no
#    ACTFN_LIBRARY, into the same venv.
install_bundled() {
    fresh_source && cp "$LIB" "$WORK/src/actfn/libactfn.so.0" &&
        "$WORK/venv/bin/python" -m pip install -q --no-build-isolation --no-index --force-reinstall --no-deps \
            "$WORK/src" &&
        (cd "$WORK" && env -u ACTFN_LIBRARY "$WORK/venv/bin/python" -c \
            'import actfn, sys; assert actfn.library_path.startswith(sys.prefix), actfn.library_path
print(actfn.softmax([0.0, 0.0]))' | grep -q "0.5 0.5")
}
check bundled install_bundled

# 3. Without a venv: --user (into a private prefix here) past Debian's
#    externally-managed marker.
install_user() {
    fresh_source &&
        PYTHONUSERBASE=$WORK/userbase $PY -m pip install -q --user --break-system-packages --no-build-isolation \
            --no-index "$WORK/src" &&
        (cd "$WORK" && PYTHONUSERBASE=$WORK/userbase ACTFN_LIBRARY=$LIB $PY -c \
            'import actfn; assert actfn.__file__.startswith("'"$WORK"'/userbase"), actfn.__file__
print(actfn.relu([-1.0, 3.0]))' | grep -q "0. 3.")
}
check user install_user

record_result python $((passed + inst_pass)) $((failed + inst_fail))
