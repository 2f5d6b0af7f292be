#!/usr/bin/env bash
# check_install.sh BUILD_DIR SOURCE_DIR SANITIZE CC... — what a user does:
# `meson install` the build into a temporary DESTDIR, build
# examples/basic.c against that prefix twice — with `pkg-config --cflags
# --libs actfn`, and with CMake (examples/CMakeLists.txt: find_package(actfn)
# and the imported target actfn::actfn) — run each program against the
# installed libactfn.so.0 and check what it prints; then check which
# find_package(actfn <version>) requests the installed version file accepts.
# SANITIZE is the build's b_sanitize value ("none" or e.g.
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
header=$(find "$dest" -path '*/include/actfn.h' | head -1)
[ -n "$header" ] || fail "no include/actfn.h installed"
cmakecfg=$(find "$dest" -path '*/cmake/actfn/actfnConfig.cmake' | head -1)
[ -n "$cmakecfg" ] || fail "no cmake/actfn/actfnConfig.cmake installed"
[ -f "$(dirname "$cmakecfg")/actfnConfigVersion.cmake" ] || fail "no actfnConfigVersion.cmake installed"
echo "installed: ${pcfile#$dest}, ${lib#$dest}, ${cmakecfg#$dest}"

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

# The same program through CMake: the installed prefix is found from
# CMAKE_PREFIX_PATH, as a user's would be. A cross compiler gets CMake's
# cross-compiling settings for its target (and its multiarch library
# directory, which CMake cannot infer from a Debian cross gcc).
prefix=${header%/include/actfn.h}
target=$("${cc[@]}" -dumpmachine)
cmake_args=(-DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="${cc[0]}" -DCMAKE_BUILD_TYPE=Release
            "-DCMAKE_C_FLAGS=${cc[*]:1} -Wall -Wextra -Werror ${san[*]}" "-DCMAKE_EXE_LINKER_FLAGS=${san[*]}")
if [ "${target%%-*}" != "$(uname -m)" ]; then
    cmake_args+=(-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR="${target%%-*}"
                 -DCMAKE_LIBRARY_ARCHITECTURE="$target")
fi
cmake -S "$src/examples" -B "$tmp/cmake-build" "${cmake_args[@]}" >"$tmp/cmake.log" 2>&1 ||
    { cat "$tmp/cmake.log"; fail "cmake configure of examples/ (find_package(actfn))"; }
cmake --build "$tmp/cmake-build" >>"$tmp/cmake.log" 2>&1 || { cat "$tmp/cmake.log"; fail "cmake --build examples/"; }
cp "$tmp/cmake-build/basic" "$tmp/basic-cmake"
echo "built with pkg-config and with CMake (find_package(actfn), actfn::actfn)"

libdir=$(dirname "$lib")
version=$(pkg-config --modversion actfn)
# A cross build's program runs through the build's emulator (ACTFN_EXE_WRAPPER,
# set by tests/reliability/meson.build from the cross file), or through
# ACTFN_TEST_WRAPPER when that is set; its dependencies are listed by its own
# dynamic loader (what ldd does), which runs through the emulator as well.
read -r -a run <<< "${ACTFN_TEST_WRAPPER-${ACTFN_EXE_WRAPPER:-}}"

check_program() {  # check_program FILE: it loads the installed library and prints the expected lines
    local prog=$1 out=$tmp/out interp
    interp=$(readelf -l "$prog" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
    [ -n "$interp" ] || fail "$prog names no program interpreter"
    LD_LIBRARY_PATH=$libdir "${run[@]}" "$interp" --list "$prog" | grep -q "libactfn.so.0 => $libdir/libactfn.so.0" ||
        { LD_LIBRARY_PATH=$libdir "${run[@]}" "$interp" --list "$prog"; fail "$prog does not load the installed libactfn.so.0"; }

    LD_LIBRARY_PATH=$libdir "${run[@]}" "$prog" >"$out" 2>"$tmp/err" || { cat "$out" "$tmp/err"; fail "$prog exited $?"; }
    cat "$out"
    [ -s "$tmp/err" ] && { cat "$tmp/err"; fail "$prog wrote to stderr"; }

    grep -q "^libactfn $version, kernels: " "$out" || fail "version line"
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
}

check_program "$tmp/basic"
check_program "$tmp/basic-cmake"

# The version file: which requests the installed $version satisfies.
mkdir -p "$tmp/probe"
cat > "$tmp/probe/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.19)
project(probe NONE)
find_package(actfn ${WANT} QUIET)
file(WRITE "${CMAKE_BINARY_DIR}/found" "${actfn_FOUND}")
CMAKE
find_version() {  # find_version "REQUEST" EXPECTED(1|0); REQUEST is a CMake list: "1.0;EXACT"
    rm -rf "$tmp/probe/build"
    cmake -S "$tmp/probe" -B "$tmp/probe/build" -DWANT="$1" -Dactfn_DIR="$(dirname "$cmakecfg")" >/dev/null 2>&1 ||
        fail "cmake probe for find_package(actfn $1)"
    local found
    found=$(cat "$tmp/probe/build/found")
    case "$found" in 1|TRUE) found=1 ;; *) found=0 ;; esac
    [ "$found" = "$2" ] || fail "find_package(actfn $1) with $version installed: found=$found, expected $2"
}
major=${version%%.*}
find_version "" 1
find_version "$version" 1
find_version "$version;EXACT" 1
find_version "$major" 1
find_version "$major.0.0...$((major + 1)).0" 1
find_version "$((major + 1))" 0
find_version "$version.1;EXACT" 0
find_version "$major.99" 0
find_version "$((major + 1)).0...$((major + 2)).0" 0
echo "find_package(actfn <version>) accepts exactly the compatible requests"
echo "install + example OK"
