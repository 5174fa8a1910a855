"""repr/str of real libtensor tensors against torch's repr of the same values, with "torch."
read as "libtensor.", and set_printoptions' effects on both.

(tests/python/test_printing_format.py checks _tensor_str's formatting alone, fed with torch
tensors; this file goes through the compiled tensors: dtypes, views, autograd suffixes.)

    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python/test_printing.py
"""
import math
import random

import numpy as np
import pytest

import libtensor as lt

torch = pytest.importorskip("torch")

DTYPES = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"]


@pytest.fixture(autouse=True)
def default_print_options():
    lt.set_printoptions(profile="default")
    torch.set_printoptions(profile="default")
    yield
    lt.set_printoptions(profile="default")
    torch.set_printoptions(profile="default")


def pair(values, dtype, requires_grad=False):
    """The same values as (libtensor, torch) tensors of `dtype`."""
    a = np.asarray(values)
    t = lt.tensor(a).to(getattr(lt, dtype))
    e = torch.tensor(a).to(getattr(torch, dtype))
    if requires_grad:
        t.requires_grad_(True)
        e.requires_grad_(True)
    return t, e


def expected(e):
    return repr(e).replace("torch.", "libtensor.")


def check(t, e, what=""):
    assert repr(t) == expected(e), what
    assert str(t) == str(e).replace("torch.", "libtensor."), what


def random_values(rng, shape, dtype):
    n = int(np.prod(shape))
    kind = rng.choice(["small ints", "floats", "wide", "tiny", "specials", "negative"])
    if dtype == "bool":
        return np.array([rng.random() < 0.5 for _ in range(n)]).reshape(shape)
    if dtype in ("uint8",):
        return np.array([rng.randrange(0, 256) for _ in range(n)]).reshape(shape)
    if dtype in ("int8",):
        return np.array([rng.randrange(-128, 128) for _ in range(n)]).reshape(shape)
    if dtype in ("int16", "int32", "int64"):
        hi = {"int16": 2 ** 15, "int32": 2 ** 31, "int64": 2 ** 62}[dtype]
        scale = rng.choice([10, 1000, hi])
        return np.array([rng.randrange(-scale, scale) for _ in range(n)], dtype=np.int64).reshape(shape)
    if kind == "small ints":
        vals = [float(rng.randrange(-100, 100)) for _ in range(n)]
    elif kind == "floats":
        vals = [rng.uniform(-10, 10) for _ in range(n)]
    elif kind == "wide":
        vals = [rng.uniform(-1, 1) * 10 ** rng.randrange(-6, 9) for _ in range(n)]
    elif kind == "tiny":
        vals = [rng.uniform(0, 1e-5) for _ in range(n)]
    elif kind == "specials":
        vals = [rng.choice([math.nan, math.inf, -math.inf, 0.0, -0.0, 1.5, -2.25, 1e4]) for _ in range(n)]
    else:
        vals = [-rng.uniform(0.1, 1000) for _ in range(n)]
    if dtype == "float16":
        vals = [max(min(v, 6e4), -6e4) if math.isfinite(v) else v for v in vals]
    return np.array(vals, dtype=np.float64).reshape(shape)


@pytest.mark.parametrize("seed", range(150))
def test_repr_matches_torch_random(seed):
    rng = random.Random(seed)
    dtype = rng.choice(DTYPES)
    shape = rng.choice([(), (1,), (5,), (3, 4), (2, 3, 2), (0,), (2, 0), (1, 1, 1), (7, 1), (12,), (4, 8)])
    t, e = pair(random_values(rng, shape, dtype), dtype)
    if rng.random() < 0.3 and t.dim() >= 2:
        t, e = t.transpose(0, 1), e.transpose(0, 1)
    check(t, e, f"seed={seed} dtype={dtype} shape={shape}")


@pytest.mark.parametrize("dtype", DTYPES)
def test_repr_of_each_dtype(dtype):
    for values in ([1, 0, 1], [[1, 2], [3, 4]], 1, [], [[[1]], [[0]]]):
        check(*pair(values, dtype), f"{dtype} {values}")


def test_repr_floats_special_values():
    for values in ([1.5, 2.25, -3.0], [1e-8, 1e10], [math.nan, math.inf, -math.inf, 1.0], [0.1, 100.0],
                   [123456789.0, 1.0], [1e-5, 1.0], [-0.0], [1e20], [1.0, 2.0, 3.0], [0.001, 0.002], 3.5, -0.0,
                   math.nan, [math.nan], [math.inf, -math.inf], [1e-30, 1e30]):
        for dtype in ("float32", "float64"):
            check(*pair(values, dtype), f"{values} {dtype}")


def test_repr_0dim_and_empty():
    check(*pair(3.5, "float32"))
    check(*pair(3, "int64"))
    check(*pair(True, "bool"))
    check(lt.zeros(0, 3), torch.zeros(0, 3))
    check(lt.zeros(2, 0, 3, dtype=lt.int32), torch.zeros(2, 0, 3, dtype=torch.int32))
    check(lt.tensor([]), torch.tensor([]))
    check(lt.tensor([[]]), torch.tensor([[]]))
    check(lt.zeros(0, dtype=lt.float64), torch.zeros(0, dtype=torch.float64))


def test_repr_large_tensors_are_summarised():
    check(lt.arange(2000.), torch.arange(2000.))
    check(lt.arange(2000).reshape(40, 50), torch.arange(2000).reshape(40, 50))
    check(lt.arange(3000.).reshape(10, 10, 30) / 7, torch.arange(3000.).reshape(10, 10, 30) / 7)
    check(lt.arange(1001, dtype=lt.int16), torch.arange(1001, dtype=torch.int16))
    check(lt.ones(1000, dtype=lt.bool), torch.ones(1000, dtype=torch.bool))
    # at the threshold: not summarised
    check(lt.arange(1000.), torch.arange(1000.))
    assert "..." in repr(lt.arange(1001.))
    assert "..." not in repr(lt.arange(1000.))


def test_repr_non_contiguous_views():
    t = lt.arange(60.).reshape(3, 4, 5) / 3
    e = torch.arange(60.).reshape(3, 4, 5) / 3
    for f in (lambda x: x.transpose(0, 2), lambda x: x[:, ::2, 1::2], lambda x: x[1], lambda x: x[..., 3],
              lambda x: x.permute(2, 0, 1)[1:], lambda x: x[0, 0, 0], lambda x: x[:, None, 2]):
        check(f(t), f(e))


def test_repr_requires_grad_and_grad_fn():
    for values in ([1.5], [1.5, 2.0], 2.5, [[1.0, -1.0]]):
        t, e = pair(values, "float32", requires_grad=True)
        check(t, e, "leaf")
        check(t * 2, e * 2, "MulBackward0")
        check(t + 1, e + 1, "AddBackward0")
        check(t.exp(), e.exp(), "ExpBackward0")
        check(t.sum(), e.sum(), "SumBackward0")
        check(t.detach(), e.detach(), "detached")
        check(-t, -e, "NegBackward0")
        check(t.view(-1), e.view(-1), "ViewBackward0")
        check(t / 3, e / 3, "DivBackward0")
    t, e = pair([1.5, 2.5], "float64", requires_grad=True)
    check(t * 2, e * 2, "float64 with grad_fn")
    check(t[0], e[0], "SelectBackward0")
    with lt.no_grad():
        r = t * 2
    with torch.no_grad():
        te = e * 2
    check(r, te, "no_grad result")
    check(lt.zeros(0, requires_grad=True), torch.zeros(0, requires_grad=True))
    assert repr(t * 2).endswith("grad_fn=<MulBackward0>)")
    assert "requires_grad=True" in repr(t)


def test_repr_grad_fn_after_setitem():
    t, e = pair([[1.5, 2.0]], "float32", requires_grad=True)
    u, f = t * 1, e * 1
    u[0, 0] = 3.0
    f[0, 0] = 3.0
    check(u, f)  # grad_fn=<CopySlices>


def test_repr_grad_fn_of_transpose():
    t, e = pair([[1.5, 2.0]], "float32", requires_grad=True)
    check(t.t(), e.t())


def test_set_printoptions_precision():
    t, e = pair([1.123456789, 2.5, -3.14159], "float32")
    for p in (0, 1, 2, 6, 10):
        lt.set_printoptions(precision=p)
        torch.set_printoptions(precision=p)
        check(t, e, f"precision={p}")
    check(*pair([1.123456789], "float64"), "float64 at precision 10")
    check(*pair(3.14159, "float32"), "0-dim at precision 10")


def test_set_printoptions_sci_mode():
    t, e = pair([1.5, 200.25, 0.001], "float32")
    for mode in (True, False, None):
        lt.set_printoptions(sci_mode=mode)
        torch.set_printoptions(sci_mode=mode)
        check(t, e, f"sci_mode={mode}")
        check(*pair([1e-8, 1e10], "float64"), f"wide values sci_mode={mode}")
    lt.set_printoptions(precision=2, sci_mode=True)
    torch.set_printoptions(precision=2, sci_mode=True)
    check(t, e, "precision=2 sci_mode=True")


def test_set_printoptions_threshold_and_edgeitems():
    t, e = lt.arange(30.), torch.arange(30.)
    for threshold, edgeitems in ((10, 3), (10, 1), (29, 2), (30, 3), (5, 2)):
        lt.set_printoptions(threshold=threshold, edgeitems=edgeitems)
        torch.set_printoptions(threshold=threshold, edgeitems=edgeitems)
        check(t, e, f"threshold={threshold} edgeitems={edgeitems}")
        check(t.reshape(5, 6), e.reshape(5, 6), f"2-d threshold={threshold} edgeitems={edgeitems}")
    lt.set_printoptions(threshold=math.inf)
    torch.set_printoptions(threshold=math.inf)
    check(lt.arange(1500), torch.arange(1500), "threshold=inf")


def test_set_printoptions_linewidth():
    t, e = pair(np.linspace(-5, 5, 23), "float32")
    for width in (20, 40, 80, 200):
        lt.set_printoptions(linewidth=width)
        torch.set_printoptions(linewidth=width)
        check(t, e, f"linewidth={width}")
        check(t.reshape(1, 23), e.reshape(1, 23), f"2-d linewidth={width}")


def test_set_printoptions_profiles_and_restoring_defaults():
    t, e = pair(np.linspace(0, 1, 2000), "float64")
    for profile in ("short", "full", "default"):
        lt.set_printoptions(profile=profile)
        torch.set_printoptions(profile=profile)
        check(t[:1500], e[:1500], profile)
        check(t[:5], e[:5], profile)
    lt.set_printoptions(precision=2, threshold=5, linewidth=30, sci_mode=True, edgeitems=1)
    changed = repr(lt.arange(10.))
    lt.set_printoptions(profile="default")
    assert repr(lt.arange(10.)) == expected(torch.arange(10.)) != changed
    opts = lt.get_printoptions()
    assert opts["precision"] == 4 and opts["threshold"] == 1000 and opts["edgeitems"] == 3
    assert opts["linewidth"] == 80 and opts["sci_mode"] is None


def test_printoptions_apply_to_str_format_and_containers():
    t, e = pair([1.23456, 7.0], "float32")
    lt.set_printoptions(precision=2)
    torch.set_printoptions(precision=2)
    assert str(t) == str(e).replace("torch.", "libtensor.")
    assert f"{t}" == f"{e}".replace("torch.", "libtensor.")
    assert repr([t, t]) == repr([e, e]).replace("torch.", "libtensor.")
    assert repr({"w": t}) == repr({"w": e}).replace("torch.", "libtensor.")
    assert format(lt.tensor(1.23456), ".3f") == "1.235"  # a format spec is not a print option
