"""Helpers shared by the libtensor-vs-PyTorch parity tests (test_ops_parity.py).

* ``import_libtensor()``: imports libtensor, adding <repo>/build/python to sys.path
  when needed and retrying for a while when the build directory is being rebuilt.
* ``load_op_db()``: PyTorch's OpInfo database, imported with a stub ``expecttest``
  (tests/python/_stubs) and without letting common_utils parse pytest's argv or
  reseed torch's global generator.
* ``to_lt`` / ``to_torch``: exact conversions that keep strides and storage offsets
  (the whole storage span is copied, so a non-contiguous torch tensor becomes an
  equally non-contiguous libtensor tensor; bfloat16 goes through float32).
* ``convert``: torch values inside args / kwargs (tensors, dtypes, devices,
  memory formats) as libtensor values.
* ``assert_parity``: shape, dtype and values of libtensor results against torch's.
"""
import importlib
import os
import random
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
STUBS = os.path.join(HERE, "_stubs")
BUILD_PYTHON = os.path.join(REPO, "build", "python")


def import_libtensor(wait_s=120.0):
    """libtensor, from the environment or <repo>/build/python (the build may be mid-rebuild: retry)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return importlib.import_module("libtensor")
        except ImportError:
            if BUILD_PYTHON not in sys.path:
                sys.path.insert(0, BUILD_PYTHON)
                continue
            if time.monotonic() > deadline:
                raise
            for name in [n for n in sys.modules if n == "libtensor" or n.startswith("libtensor.")]:
                del sys.modules[name]
            time.sleep(5)


lt = import_libtensor()

_OP_DB = None


def _sample_accepting_sets(population, k, *, counts=None, _sample=random.sample):
    # torch 1.13's cross_entropy samples call random.sample on a set, which Python 3.11
    # refuses; sorted, the draw is the same one Python 3.10 made.
    if isinstance(population, (set, frozenset)):
        population = sorted(population)
    return _sample(population, k, counts=counts)


def load_op_db():
    """torch.testing._internal.common_methods_invocations.op_db (PyTorch's OpInfos)."""
    global _OP_DB
    if _OP_DB is None:
        if STUBS not in sys.path:
            sys.path.append(STUBS)  # a real expecttest, when installed, comes first
        argv, rng = sys.argv, torch.get_rng_state()
        sys.argv = argv[:1]  # common_utils parses sys.argv at import time
        try:
            from torch.testing._internal.common_methods_invocations import op_db
        finally:
            sys.argv = argv
            torch.set_rng_state(rng)  # common_utils calls torch.manual_seed at import
        _OP_DB = op_db
        random.sample = _sample_accepting_sets
    return _OP_DB


# --- dtypes -------------------------------------------------------------------------

DTYPE_NAMES = ["float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"]
T2L = {getattr(torch, n): getattr(lt, n) for n in DTYPE_NAMES}
L2T = {v: k for k, v in T2L.items()}
FLOATING = {torch.float64, torch.float32, torch.float16, torch.bfloat16}

# Default tolerances per dtype (torch.testing.assert_close's defaults, bfloat16/float16
# widened by one rounding step: libtensor may round an intermediate where torch doesn't).
TOLERANCES = {
    torch.float64: (1e-7, 1e-7),
    torch.float32: (1.3e-6, 1e-5),
    torch.float16: (2e-3, 1e-5),
    torch.bfloat16: (1.6e-2, 1e-5),
}


def dtype_name(d):
    return str(d).split(".")[-1]


# --- conversions --------------------------------------------------------------------

class Unsupported(Exception):
    """An argument that libtensor does not take (yet); the sample is skipped with this reason."""


def _span(t):
    """Elements of t's storage from index 0 up to its last element (0 when empty)."""
    if t.numel() == 0:
        return 0
    return t.storage_offset() + 1 + sum((s - 1) * st for s, st in zip(t.shape, t.stride()))


def to_lt(t, requires_grad=None):
    """A libtensor copy of torch tensor t with t's values, dtype, shape, strides and offset.

    The result is a leaf; requires_grad defaults to t's.
    """
    if requires_grad is None:
        requires_grad = t.requires_grad
    t = t.detach()
    bf16 = t.dtype == torch.bfloat16
    if t.numel() == 0 or any(st < 0 for st in t.stride()):
        x = lt.from_numpy((t.float() if bf16 else t).contiguous().numpy().copy())
        if bf16:
            x = x.to(lt.bfloat16)
    else:
        flat = t.as_strided((_span(t),), (1,), 0)  # the storage from index 0 to t's last element
        base = lt.from_numpy((flat.float() if bf16 else flat).numpy().copy())
        if bf16:
            base = base.to(lt.bfloat16)
        x = base.as_strided(tuple(t.shape), tuple(t.stride()), t.storage_offset()).detach()
    if requires_grad:
        x.requires_grad_(True)
    return x


def to_torch(x):
    """A torch copy of libtensor tensor x (values, dtype and shape; contiguous)."""
    x = x.detach()
    if x.dtype == lt.bfloat16:
        return torch.from_numpy(x.float().contiguous().numpy().copy()).bfloat16()
    return torch.from_numpy(np.array(x.contiguous().numpy(), copy=True))


def close(actual, expected, **kw):
    """libtensor result(s) against torch's: shapes, dtypes and values (NaNs equal to NaNs), tuples
    element by element; kw are torch.testing.assert_close's tolerances."""
    if isinstance(expected, (tuple, list)):
        assert isinstance(actual, (tuple, list)) and len(actual) == len(expected)
        for a, e in zip(actual, expected):
            close(a, e, **kw)
        return
    assert tuple(actual.shape) == tuple(expected.shape)
    torch.testing.assert_close(to_torch(actual), expected, equal_nan=True, check_dtype=True, **kw)


def convert(obj, requires_grad=None):
    """torch values in obj (tensors, dtypes, devices, memory formats) as libtensor's, recursively."""
    if isinstance(obj, torch.Tensor):
        return to_lt(obj, requires_grad)
    if isinstance(obj, torch.dtype):
        if obj not in T2L:
            raise Unsupported(f"dtype {obj}")
        return T2L[obj]
    if isinstance(obj, torch.device):
        return str(obj)
    if isinstance(obj, torch.memory_format):
        if obj in (torch.preserve_format, torch.contiguous_format):
            return None
        raise Unsupported(f"memory_format={obj}")
    if isinstance(obj, torch.Generator):
        raise Unsupported("torch.Generator argument")
    if isinstance(obj, tuple) and type(obj) is not tuple:  # torch.Size and named tuples
        return tuple(convert(o, requires_grad) for o in obj)
    if isinstance(obj, (list, tuple)):
        return type(obj)(convert(o, requires_grad) for o in obj)
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k == "memory_format" and isinstance(v, torch.memory_format):
                convert(v)  # raises for the layouts libtensor lacks
                continue  # the default layouts: leave the keyword out
            out[k] = convert(v, requires_grad)
        return out
    return obj


# --- comparisons --------------------------------------------------------------------

def tolerances(dtype, rtol=None, atol=None, scale=1.0):
    r, a = TOLERANCES.get(dtype, (0.0, 0.0))
    return (r * scale if rtol is None else rtol), (a * scale if atol is None else atol)


def assert_parity(actual, expected, *, rtol=None, atol=None, scale=1.0, what="result"):
    """libtensor `actual` equals torch `expected`: same structure, shapes, dtypes, values (NaN == NaN)."""
    __tracebackhide__ = True
    if isinstance(expected, torch.Tensor):
        assert isinstance(actual, lt.Tensor), f"{what}: expected a Tensor, got {type(actual).__name__}"
        assert tuple(actual.shape) == tuple(expected.shape), \
            f"{what}: shape {tuple(actual.shape)} != torch's {tuple(expected.shape)}"
        assert L2T[actual.dtype] == expected.dtype, f"{what}: dtype {actual.dtype} != torch's {expected.dtype}"
        got = to_torch(actual)
        exp = expected.detach()
        if torch.equal(got, exp):  # the common case, and much cheaper than assert_close
            return
        if exp.dtype in FLOATING:
            r, a = tolerances(exp.dtype, rtol, atol, scale)
            try:
                torch.testing.assert_close(got, exp, rtol=r, atol=a, equal_nan=True)
            except AssertionError as e:
                # re-raised from here: a short traceback (pytest renders each frame's source)
                raise AssertionError(f"{what}: {e}") from None
        else:
            if not torch.equal(got, exp):
                diff = (got != exp).nonzero()[:5].tolist()
                raise AssertionError(f"{what}: values differ at {diff}: "
                                     f"got {[got[tuple(i)].item() for i in diff]}, "
                                     f"torch {[exp[tuple(i)].item() for i in diff]}")
    elif isinstance(expected, (tuple, list)):
        assert isinstance(actual, (tuple, list)), f"{what}: expected a sequence, got {type(actual).__name__}"
        assert len(actual) == len(expected), f"{what}: {len(actual)} outputs != torch's {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_parity(a, e, rtol=rtol, atol=atol, scale=scale, what=f"{what}[{i}]")
    elif isinstance(expected, float):
        assert isinstance(actual, (float, int)), f"{what}: expected a number, got {actual!r}"
        if not (np.isnan(expected) and np.isnan(actual)):
            assert abs(actual - expected) <= 1e-6 * abs(expected) + 1e-6, f"{what}: {actual!r} != torch's {expected!r}"
    else:
        assert actual == expected, f"{what}: {actual!r} != torch's {expected!r}"


def assert_meta(actual, expected, what="result"):
    """Shape and dtype only (results whose values are unspecified or random)."""
    if isinstance(expected, torch.Tensor):
        assert isinstance(actual, lt.Tensor), f"{what}: expected a Tensor, got {type(actual).__name__}"
        assert tuple(actual.shape) == tuple(expected.shape), \
            f"{what}: shape {tuple(actual.shape)} != torch's {tuple(expected.shape)}"
        assert L2T[actual.dtype] == expected.dtype, f"{what}: dtype {actual.dtype} != torch's {expected.dtype}"
    else:
        assert len(actual) == len(expected)
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_meta(a, e, f"{what}[{i}]")


def tensors_in(obj):
    """The torch or libtensor tensors in obj (nested tuples, lists and dict values), in order."""
    if isinstance(obj, (torch.Tensor, lt.Tensor)):
        return [obj]
    if isinstance(obj, (tuple, list)):
        return [t for o in obj for t in tensors_in(o)]
    if isinstance(obj, dict):
        return [t for o in obj.values() for t in tensors_in(o)]
    return []


def describe(obj):
    """A short text for a sample's values: tensors as T[shape]dtype (nc = non-contiguous)."""
    if isinstance(obj, torch.Tensor):
        nc = "" if obj.is_contiguous() else "nc"
        return f"T{list(obj.shape)}{dtype_name(obj.dtype)}{nc}"
    if isinstance(obj, (list, tuple)):
        inner = ", ".join(describe(o) for o in obj)
        return f"({inner})" if isinstance(obj, tuple) else f"[{inner}]"
    if isinstance(obj, dict):
        return "{" + ", ".join(f"{k}={describe(v)}" for k, v in obj.items()) + "}"
    return repr(obj)


# --- operations that may crash or hang the interpreter ---------------------------------

_ISOLATED_CHILD = r'''
import faulthandler, json, math, sys
import libtensor as lt

def enc(r):
    if isinstance(r, lt.Tensor):
        t = r.detach()
        vals = (t.float() if t.dtype == lt.bfloat16 else t).tolist()
        return {"dtype": repr(t.dtype).split(".")[-1], "shape": list(t.shape), "values": vals}
    if isinstance(r, (tuple, list)):
        return [enc(x) for x in r]
    return {"python": r}

cases = json.loads(sys.stdin.read())
start = int(sys.argv[1])
for i in range(start, len(cases)):
    print(f"START {i}", flush=True)
    faulthandler.dump_traceback_later(float(sys.argv[2]), exit=True)
    try:
        out = {"ok": enc(eval(cases[i], {"lt": lt, "math": math}))}
    except Exception as e:
        out = {"error": f"{type(e).__name__}: {e}"}
    faulthandler.cancel_dump_traceback_later()
    print(f"RESULT {i} " + json.dumps(out), flush=True)
'''


def run_isolated(expressions, timeout_per_case=10.0):
    """Evaluates libtensor expressions (strings using `lt`) in child interpreters.

    Returns one entry per expression: {"ok": encoded result}, {"error": message},
    {"crash": "signal N"} or {"hang": seconds}. A child that dies is replaced by a new
    one that goes on from the next expression, so one crash costs one start-up.
    """
    import json
    import subprocess

    env = dict(os.environ)
    pkg_root = os.path.dirname(os.path.dirname(os.path.abspath(lt.__file__)))
    env["PYTHONPATH"] = pkg_root + os.pathsep + env.get("PYTHONPATH", "")
    results, start = [None] * len(expressions), 0
    while start < len(expressions):
        proc = subprocess.run([sys.executable, "-c", _ISOLATED_CHILD, str(start), str(timeout_per_case)],
                              input=json.dumps(list(expressions)), capture_output=True, text=True, env=env,
                              timeout=timeout_per_case * (len(expressions) - start) + 60)
        last_started = None
        for line in proc.stdout.splitlines():
            if line.startswith("START "):
                last_started = int(line.split()[1])
            elif line.startswith("RESULT "):
                _, i, payload = line.split(" ", 2)
                results[int(i)] = json.loads(payload)
        if proc.returncode == 0:
            break
        if last_started is None or results[last_started] is not None:
            raise RuntimeError(f"isolated runner failed: rc={proc.returncode}\n{proc.stderr[-2000:]}")
        if proc.returncode < 0:
            results[last_started] = {"crash": f"signal {-proc.returncode}"}
        elif "Timeout" in proc.stderr:
            results[last_started] = {"hang": timeout_per_case}
        else:
            results[last_started] = {"crash": f"exit status {proc.returncode}: {proc.stderr[-300:]}"}
        start = last_started + 1
    return results


def encode_torch(r):
    """torch results in run_isolated's encoding."""
    if isinstance(r, torch.Tensor):
        t = r.detach()
        vals = (t.float() if t.dtype == torch.bfloat16 else t).tolist()
        return {"dtype": dtype_name(t.dtype), "shape": list(t.shape), "values": vals}
    if isinstance(r, (tuple, list)):
        return [encode_torch(x) for x in r]
    return {"python": r}
