#!/usr/bin/env bash
# check_install.sh BUILD_DIR SOURCE_DIR SANITIZE CC... — what a user does:
# `meson install` the build into a temporary DESTDIR, compile
# examples/basic.c with `pkg-config --cflags --libs actfn` against that
# prefix, run it against the installed libactfn.so.0 and check what it
# prints. SANITIZE is the build's b_sanitize value ("none" or e.g.
# "address,undefined"): a sanitized library needs a sanitized program.
set -eu
build=$1
src=$2
sanitize=$3
shift 3
cc=("$@")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/root

fail() { echo "FAIL: $*"; exit 1; }

meson install -C "$build" --destdir "$dest" --no-rebuild --quiet --tags runtime,devel >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; fail "meson install"; }

pcfile=$(find "$dest" -name actfn.pc | head -1)
[ -n "$pcfile" ] || fail "no actfn.pc installed"
lib=$(find "$dest" -name 'libactfn.so.0' | head -1)
[ -n "$lib" ] || fail "no libactfn.so.0 installed"
[ -f "$(dirname "$lib")/libactfn.so" ] || [ -L "$(dirname "$lib")/libactfn.so" ] || fail "no libactfn.so link"
[ -n "$(find "$dest" -path '*/include/actfn.h')" ] || fail "no include/actfn.h installed"
echo "installed: ${pcfile#$dest}, ${lib#$dest}"

export PKG_CONFIG_PATH=$(dirname "$pcfile")
export PKG_CONFIG_SYSROOT_DIR=$dest
export PKG_CONFIG_LIBDIR=$PKG_CONFIG_PATH   # only the installed actfn.pc
flags=$(pkg-config --cflags --libs actfn) || fail "pkg-config --cflags --libs actfn"
echo "pkg-config --cflags --libs actfn: $flags"

san=()
[ "$sanitize" != none ] && san=("-fsanitize=$sanitize")
# shellcheck disable=SC2086  # pkg-config output is a list of words
"${cc[@]}" -std=c11 -Wall -Wextra -Werror "${san[@]}" "$src/examples/basic.c" $flags -o "$tmp/basic" ||
    fail "compiling examples/basic.c"

libdir=$(dirname "$lib")
# A cross build's program runs through the build's emulator (ACTFN_EXE_WRAPPER,
# set by tests/reliability/meson.build from the cross file), or through
# ACTFN_TEST_WRAPPER when that is set; its dependencies are listed by its own
# dynamic loader (what ldd does), which runs through the emulator as well.
read -r -a run <<< "${ACTFN_TEST_WRAPPER-${ACTFN_EXE_WRAPPER:-}}"
interp=$(readelf -l "$tmp/basic" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
[ -n "$interp" ] || fail "basic names no program interpreter"
LD_LIBRARY_PATH=$libdir "${run[@]}" "$interp" --list "$tmp/basic" | grep -q "libactfn.so.0 => $libdir/libactfn.so.0" ||
    { LD_LIBRARY_PATH=$libdir "${run[@]}" "$interp" --list "$tmp/basic"; fail "basic does not load the installed libactfn.so.0"; }

LD_LIBRARY_PATH=$libdir "${run[@]}" "$tmp/basic" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/out" "$tmp/err"; fail "basic exited $?"; }
cat "$tmp/out"
[ -s "$tmp/err" ] && { cat "$tmp/err"; fail "basic wrote to stderr"; }

out=$tmp/out
grep -q "^libactfn $(pkg-config --modversion actfn), kernels: " "$out" || fail "version line"
# Values that do not depend on the ISA (to the printed 5 decimals):
# gelu(0) = 0, gelu(-2) = -2*Phi(-2) = -0.04550, gelu'(0) = Phi(0) = 0.5.
awk '$1 == "gelu(x)" { exit !($2 == "-0.04550" && ($4 == "0.00000" || $4 == "-0.00000")) }' "$out" ||
    fail "gelu(x) row"
awk '$1 == "gelu'"'"'(x)" { exit !($4 == "0.50000") }' "$out" || fail "gelu'(x) row"
# Every softmax row sums to 1 and every entry is in (0, 1).
awk '$1 == "softmax" {
        s1 = $2 + $3 + $4 + $5; s2 = $6 + $7 + $8 + $9
        ok = (s1 > 0.9999 && s1 < 1.0001 && s2 > 0.9999 && s2 < 1.0001)
        for (i = 2; i <= 9; i++) if ($i <= 0 || $i >= 1) ok = 0
        exit !ok
     }' "$out" || fail "softmax row"
grep -qx "expected error: an output partially overlaps an input or another output (status -2)" "$out" ||
    fail "overlap error message"
grep -qx "expected error: a parameter is NaN or outside its domain (status -3)" "$out" || fail "param error message"
echo "install + example OK"
