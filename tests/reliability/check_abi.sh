#!/usr/bin/env bash
# check_abi.sh LIBACTFN_SO ACTFN_H — the shared library exports exactly the
# functions that actfn.h declares with ACTFN_API (no more, no fewer), and its
# SONAME is libactfn.so.0. Run by meson test (tests/reliability/meson.build).
set -eu
lib=$1
header=$2

# Every ACTFN_API declaration: the identifier right before the first "(".
# Preprocessor lines and comments go first; declarations may wrap, so the
# rest is joined and split into one statement per ";".
declared=$(grep -v '^[[:space:]]*#' "$header" | tr '\n' ' ' |
    sed 's|/\*[^*]*\*\+\([^/*][^*]*\*\+\)*/| |g' | tr ';' '\n' |
    sed -n 's/^[[:space:]]*ACTFN_API[^(]*[^A-Za-z0-9_(]\([A-Za-z_][A-Za-z0-9_]*\) *(.*/\1/p' | sort -u)
# Every symbol the library defines in its dynamic symbol table.
exported=$(nm -D --defined-only "$lib" | awk 'NF >= 3 { print $3 }' | sed 's/@.*//' | sort -u)

n_declared=$(printf '%s\n' "$declared" | grep -c . || true)
n_exported=$(printf '%s\n' "$exported" | grep -c . || true)
echo "actfn.h declares $n_declared functions; $(basename "$lib") exports $n_exported symbols"

status=0
if [ "$n_declared" -lt 10 ]; then
    echo "FAIL: found only $n_declared ACTFN_API declarations in $header (parser broken?)"
    status=1
fi
extra=$(comm -13 <(printf '%s\n' "$declared") <(printf '%s\n' "$exported"))
missing=$(comm -23 <(printf '%s\n' "$declared") <(printf '%s\n' "$exported"))
if [ -n "$extra" ]; then
    echo "FAIL: exported but not declared in actfn.h:"
    printf '  %s\n' $extra
    status=1
fi
if [ -n "$missing" ]; then
    echo "FAIL: declared in actfn.h but not exported:"
    printf '  %s\n' $missing
    status=1
fi

# Every exported symbol must be a function (code), not data.
non_func=$(nm -D --defined-only "$lib" | awk 'NF >= 3 && $2 != "T" && $2 != "i" { print $3 " (" $2 ")" }')
if [ -n "$non_func" ]; then
    echo "FAIL: exported symbols that are not functions:"
    printf '  %s\n' "$non_func"
    status=1
fi

soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
echo "SONAME: ${soname:-<none>}"
if [ "$soname" != "libactfn.so.0" ]; then
    echo "FAIL: SONAME is '${soname}', want libactfn.so.0"
    status=1
fi

[ $status -eq 0 ] && echo "ABI OK"
exit $status
