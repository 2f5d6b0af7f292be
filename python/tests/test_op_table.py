"""The package's op table against the library it loaded: every
actfn_<op>_f32 / _f64 entry point that libactfn exports (forward and
backward) has a Python function actfn.<op>, and every op function of the
package has both entry points; the ISA names come from the library."""

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
    modules = {"actfn._elementwise", "actfn._shaped"}
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


def test_the_type_stub_has_every_elementwise_signature():
    """_elementwise.pyi (for type checkers) says what the generated functions take."""
    import ast
    import inspect
    stub = os.path.join(os.path.dirname(actfn.__file__), "_elementwise.pyi")
    with open(stub) as f:
        tree = ast.parse(f.read())
    stubbed = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            a = node.args
            positional = [(p.arg, None) for p in a.args]
            for k, default in enumerate(a.defaults):  # defaults of the last positional parameters
                index = len(positional) - len(a.defaults) + k
                positional[index] = (positional[index][0], ast.literal_eval(default))
            stubbed[node.name] = (positional, [p.arg for p in a.kwonlyargs])
    elementwise = {name for name in _lib.OPS if name not in _lib.SHAPED_OPS}
    assert set(stubbed) == elementwise
    for name in sorted(elementwise):
        params = inspect.signature(getattr(actfn, name)).parameters.values()
        positional = [(p.name, None if p.default is p.empty else p.default) for p in params
                      if p.kind is p.POSITIONAL_OR_KEYWORD]
        keyword = [p.name for p in params if p.kind is p.KEYWORD_ONLY]
        assert stubbed[name] == (positional, keyword), name
