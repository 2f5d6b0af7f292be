"""The package's op table against the library it loaded: every
actfn_<op>_f32 / _f64 entry point that libactfn exports (forward and
backward, the gated and fused bias ops of SPEC §11 included) has a Python
function actfn.<op>, and every op function of the package has both entry
points; the ISA names come from the library; the type stubs match the
functions made at import."""

from __future__ import annotations

import os
import re
import subprocess
import types

import pytest

import actfn
from actfn import _lib
from conftest import loaded_library_file

HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "include", "actfn.h")


def exported_symbols(path):
    """The dynamic symbols ``path`` defines (``nm -D --defined-only``)."""
    out = subprocess.run(["nm", "-D", "--defined-only", path], capture_output=True, text=True, check=True).stdout
    return {fields[-1] for fields in (line.split() for line in out.splitlines()) if fields}


def exported_ops():
    """{op: set of type suffixes} for every actfn_<op>_f32 / _f64 the library exports."""
    ops = {}
    for symbol in exported_symbols(loaded_library_file()):
        m = re.fullmatch(r"actfn_(\w+)_(f32|f64)", symbol)
        if m:
            ops.setdefault(m.group(1), set()).add(m.group(2))
    return ops


def package_op_functions():
    """The op functions actfn exports: the public functions of its op modules."""
    modules = {"actfn._elementwise", "actfn._shaped", "actfn._fused"}
    return {name for name in actfn.__all__
            if isinstance(getattr(actfn, name), types.FunctionType) and getattr(actfn, name).__module__ in modules}


def test_nm_reads_the_library():
    symbols = exported_symbols(loaded_library_file())
    assert "actfn_relu_f32" in symbols and "actfn_strerror" in symbols
    assert not any(s.startswith("relu_fwd") for s in symbols)  # internal kernels are hidden


def test_every_exported_op_has_a_python_function():
    missing = sorted(op for op in exported_ops() if op not in package_op_functions())
    assert not missing, f"libactfn exports these ops without an actfn function: {missing}"


def test_every_python_op_has_both_entry_points():
    exported = exported_ops()
    for name in sorted(package_op_functions()):
        assert exported.get(name) == {"f32", "f64"}, f"actfn.{name}: entry points {exported.get(name)}"


def test_the_op_table_is_the_package_functions():
    assert set(_lib.OPS) == package_op_functions()
    assert len(_lib.OPS) == len(set(_lib.OPS))


@pytest.mark.parametrize("op", _lib.OPS)
def test_every_op_function_is_bound_to_its_kernels(op):
    kernels = actfn._core._KERNELS[op]
    assert {fn.__name__ for fn in kernels.values()} == {f"actfn_{op}_f32", f"actfn_{op}_f64"}


def test_isa_names_come_from_the_library():
    with open(HEADER) as f:
        header = f.read()
    enum = re.search(r"typedef\s+enum\s*\{([^}]*)\}\s*actfn_isa\s*;", header)
    assert enum, "no actfn_isa enum in include/actfn.h"
    names = [n.lower() for n in re.findall(r"ACTFN_ISA_(\w+)", enum.group(1)) if n != "COUNT"]
    assert actfn.ISA_NAMES == tuple(names)
    assert actfn._core.LIB.actfn_isa_name(len(names)) == b"unknown"
    assert set(actfn.supported_isas()) <= set(names)


def stub_signatures(module):
    """{name: [(positional, keyword-only), ...]} of the functions in actfn/<module>.pyi,
    one entry per definition (several for an @overload): positional is a list of
    (name, literal default or None), positional-only parameters included."""
    import ast
    with open(os.path.join(os.path.dirname(actfn.__file__), module + ".pyi")) as f:
        tree = ast.parse(f.read())
    stubbed = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            a = node.args
            positional = [(p.arg, None) for p in a.posonlyargs + a.args]
            for k, default in enumerate(a.defaults):  # defaults of the last positional parameters
                index = len(positional) - len(a.defaults) + k
                positional[index] = (positional[index][0], ast.literal_eval(default))
            stubbed.setdefault(node.name, []).append((positional, [p.arg for p in a.kwonlyargs]))
    return stubbed


def runtime_signature(function):
    """(positional, keyword-only) of ``function`` as stub_signatures gives them."""
    import inspect
    params = inspect.signature(function).parameters.values()
    positional = [(p.name, None if p.default is p.empty else p.default) for p in params
                  if p.kind is p.POSITIONAL_OR_KEYWORD]
    return positional, [p.name for p in params if p.kind is p.KEYWORD_ONLY]


def test_the_type_stub_has_every_elementwise_signature():
    """_elementwise.pyi (for type checkers) says what the generated functions take."""
    stubbed = stub_signatures("_elementwise")
    elementwise = {name for op, _ in _lib.UNARY_OPS for name in (op, op + "_backward")}
    assert set(stubbed) == elementwise
    for name in sorted(elementwise):
        assert stubbed[name] == [runtime_signature(getattr(actfn, name))], name


def test_the_fused_type_stub_has_every_signature():
    """_fused.pyi: each bias op's generated signature exactly; each gated op as
    two overloads (split form with axis=, two-array form without) whose
    keywords the function takes."""
    stubbed = stub_signatures("_fused")
    bias = {name for op, _ in _lib.BIAS_OPS for name in (op, op + "_backward")}
    gated = {name for op, _, _ in _lib.GLU_OPS for name in (op, op + "_backward")}
    assert set(stubbed) == bias | gated
    for name in sorted(bias):
        assert stubbed[name] == [runtime_signature(getattr(actfn, name))], name
    for name in sorted(gated):
        split, pair = stubbed[name]
        assert len(split[0]) + 1 == len(pair[0]), name  # the two-array form takes one more array
        assert split[1] == ["axis", "out", "dtype"] and pair[1] == ["out", "dtype"], name
        assert set(split[1]) <= set(runtime_signature(getattr(actfn, name))[1]), name
