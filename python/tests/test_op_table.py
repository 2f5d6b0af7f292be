"""The package's op table against the library it loaded: every
actfn_<op>_f32 / _f64 / _bf16 / _f16 entry point that libactfn exports
(forward and backward, the gated and fused bias ops of SPEC §11 and the
16-bit storage types of SPEC §9 included) has a Python function actfn.<op>,
and every op function of the package has all four entry points, bound with
the prototypes of include/actfn.h; the ISA names come from the library; the
type stubs match the functions made at import."""

from __future__ import annotations

import ctypes
import os
import re
import subprocess
import types

import pytest

import actfn
from actfn import _core, _lib
from conftest import loaded_library_file

SUFFIXES = {"f32", "f64", "bf16", "f16"}

HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "include", "actfn.h")


def exported_symbols(path):
    """The dynamic symbols ``path`` defines (``nm -D --defined-only``)."""
    out = subprocess.run(["nm", "-D", "--defined-only", path], capture_output=True, text=True, check=True).stdout
    return {fields[-1] for fields in (line.split() for line in out.splitlines()) if fields}


def exported_ops():
    """{op: set of type suffixes} for every actfn_<op>_f32 / _f64 / _bf16 / _f16 the library exports."""
    ops = {}
    for symbol in exported_symbols(loaded_library_file()):
        m = re.fullmatch(r"actfn_(\w+?)_(f32|f64|bf16|f16)", symbol)
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


def test_every_python_op_has_every_entry_point():
    exported = exported_ops()
    for name in sorted(package_op_functions()):
        assert exported.get(name) == SUFFIXES, f"actfn.{name}: entry points {exported.get(name)}"


def test_the_16_bit_ops_are_the_32_bit_ops():
    """Every op with an _f32 entry point has _bf16 and _f16 ones, and no
    16-bit entry point lacks its _f32 one."""
    exported = exported_ops()
    assert exported
    for op, suffixes in sorted(exported.items()):
        assert suffixes == SUFFIXES, f"actfn_{op}: exported for {sorted(suffixes)}"


def test_the_op_table_is_the_package_functions():
    assert set(_lib.OPS) == package_op_functions()
    assert len(_lib.OPS) == len(set(_lib.OPS))


@pytest.mark.parametrize("op", _lib.OPS)
def test_every_op_function_is_bound_to_its_kernels(op):
    kernels = actfn._core._KERNELS[op]
    assert set(kernels) == SUFFIXES
    assert {sfx: fn.__name__ for sfx, fn in kernels.items()} == {sfx: f"actfn_{op}_{sfx}" for sfx in SUFFIXES}
    kern = _core.Kernel(op)
    assert all(getattr(kern, sfx) is fn for sfx, fn in kernels.items())
    assert kern.by_dtype[_core.F16] is kern.f16 and kern.by_dtype[_core.BF16] is kern.bf16


def header_prototypes():
    """{C function: [parameter type, ...]} of every actfn_<op>_<t> in include/actfn.h."""
    with open(HEADER) as f:
        header = re.sub(r"\s+", " ", f.read())
    protos = {}
    for name, params in re.findall(r"ACTFN_API int (actfn_\w+_(?:f32|f64|bf16|f16))\(([^)]*)\);", header):
        protos[name] = [re.sub(r"\s*\w+$", "", p.strip()).replace(" *", "*") for p in params.split(",")]
    return protos


# ctypes argument types of _lib._bind for each C parameter type of actfn.h
# (an element count may be c_void_p where it has size_t's size: see _lib._bind).
CTYPE_OF = {"float": (ctypes.c_float,), "double": (ctypes.c_double,), "size_t": (ctypes.c_size_t, ctypes.c_void_p)}


@pytest.mark.parametrize("sfx", sorted(SUFFIXES))
def test_the_bound_prototypes_are_the_header_s(sfx):
    """Each bound entry point's argtypes follow its actfn.h declaration:
    a pointer for each array (T * or const T *, T the type's own struct for
    bf16 and f16), then the sizes, then float scalars for every type but
    f64 (SPEC §9: a 16-bit op's parameters are float)."""
    protos = header_prototypes()
    scalar = "double" if sfx == "f64" else "float"
    for op in _lib.OPS:
        name = f"actfn_{op}_{sfx}"
        params = protos[name]
        fn = _core._KERNELS[op][sfx]
        assert len(fn.argtypes) == len(params), name
        for ctype, param in zip(fn.argtypes, params):
            if param.endswith("*"):
                assert ctype.__name__ == "c_void_p", (name, param)
                assert param.replace("const ", "")[:-1] == {"f32": "float", "f64": "double", "bf16": "actfn_bf16",
                                                            "f16": "actfn_f16"}[sfx], (name, param)
            else:
                assert param in ("size_t", scalar), (name, param)
                assert ctype in CTYPE_OF[param], (name, param, ctype)


def test_a_library_without_the_16_bit_entry_points_still_loads():
    """An older libactfn (no _bf16 / _f16): binding skips what it lacks and
    keeps the rest; a required (f32/f64) entry point that is missing is an
    error; a float16 or bfloat16 call then raises TypeError naming the
    missing function."""
    def bind(lib, name, argtypes):
        raise AttributeError(f"undefined symbol: {name}")
    assert _lib._missing_ok(bind, None, "actfn_relu_f16", [], "f16") is None
    assert _lib._missing_ok(bind, None, "actfn_relu_bf16", [], "bf16") is None
    with pytest.raises(AttributeError, match="actfn_relu_f32"):
        _lib._missing_ok(bind, None, "actfn_relu_f32", [], "f32")
    kern = _core.Kernel("relu")
    by_dtype = _core._ByDtype({_core.F32: kern.f32, _core.F64: kern.f64})
    by_dtype.name = "relu"
    assert by_dtype[_core.F32] is kern.f32
    with pytest.raises(TypeError, match=r"actfn.relu cannot compute in float16: .* has no actfn_relu_f16"):
        by_dtype[_core.F16]
    with pytest.raises(TypeError, match=r"actfn.relu cannot compute in bfloat16: .* has no actfn_relu_bf16"):
        by_dtype[_core.BF16]


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
