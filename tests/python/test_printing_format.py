"""libtensor's tensor printing (python/libtensor/_tensor_str.py) against torch 1.13.

Every check builds a torch tensor, hands its values to
``_tensor_str.tensor_repr`` the way the bindings do, and requires the text to
equal ``repr(t)`` exactly.  The module is loaded straight from its file: the
package's ``__init__`` imports the compiled extension, which these tests do
not need.

Run with Debian's interpreter, which has torch 1.13, numpy, pytest and
hypothesis:

    /usr/bin/python3 -m pytest -q tests/python/test_printing_format.py
"""

import importlib.util
import math
import os

import numpy as np
import pytest

torch = pytest.importorskip("torch")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_MODULE_PATH = os.path.join(_REPO, "python", "libtensor", "_tensor_str.py")
_spec = importlib.util.spec_from_file_location("libtensor_tensor_str", _MODULE_PATH)
ts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ts)
ts.DTYPE_PREFIX = "torch."  # compared with PyTorch's own output


TORCH_DTYPES = {
    "float32": torch.float32,
    "float64": torch.float64,
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "int64": torch.int64,
    "int32": torch.int32,
    "int16": torch.int16,
    "int8": torch.int8,
    "uint8": torch.uint8,
    "bool": torch.bool,
}
FLOAT_NAMES = ["float32", "float64", "float16", "bfloat16"]
INT_NAMES = ["int64", "int32", "int16", "int8", "uint8"]
ALL_NAMES = FLOAT_NAMES + INT_NAMES + ["bool"]


@pytest.fixture(autouse=True)
def _restore_defaults():
    """Every test starts and ends with default options on both sides."""
    torch.set_printoptions(profile="default")
    ts.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)
    yield
    torch.set_printoptions(profile="default")
    ts.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)


def set_both(**kwargs):
    torch.set_printoptions(**kwargs)
    ts.set_printoptions(**kwargs)


def dtype_name(t):
    return str(t.dtype)[len("torch."):]


def ours(t, **extra):
    """What the bindings would pass for tensor ``t``."""
    detached = t.detach()
    if detached.dtype == torch.bfloat16:
        values = detached.float().numpy()  # numpy has no bfloat16
    else:
        values = detached.numpy()
    grad_fn = type(t.grad_fn).__name__ if t.grad_fn is not None else None
    kwargs = dict(
        dtype_name=dtype_name(t),
        shape=tuple(t.shape),
        requires_grad=t.requires_grad,
        grad_fn_name=grad_fn,
    )
    kwargs.update(extra)
    return ts.tensor_repr(values, **kwargs)


def check(t, **extra):
    expected = repr(t)
    got = ours(t, **extra)
    assert got == expected, "\nexpected:\n%s\ngot:\n%s" % (expected, got)


def make(values, name):
    """A tensor of dtype ``name`` from (float64 or int) numpy values."""
    return torch.from_numpy(np.asarray(values)).to(TORCH_DTYPES[name])


# --------------------------------------------------------------------------
# Value generators
# --------------------------------------------------------------------------


def float_values(rng, shape, kind):
    n = int(np.prod(shape)) if len(shape) else 1
    sign = rng.choice([-1.0, 1.0], size=n)
    if kind == "normal":
        v = rng.standard_normal(n)
    elif kind == "positive":
        v = rng.random(n) * 10
    elif kind == "tiny":
        v = sign * 10.0 ** rng.uniform(-9, -4, n)
    elif kind == "huge":
        v = sign * 10.0 ** rng.uniform(8, 30, n)
    elif kind == "ints":
        v = rng.integers(-999, 1000, n).astype(np.float64)
    elif kind == "big_ints":
        v = rng.integers(-(10 ** 12), 10 ** 12, n).astype(np.float64)
    elif kind == "wide_range":
        v = sign * 10.0 ** rng.uniform(-3, 5, n)
    elif kind == "near_threshold":
        # Values around the decision points 1e-4, 1e8 and ratio 1000.
        v = rng.choice([9.9e-5, 1e-4, 1.0001e-4, 0.1, 99.99, 100.0, 1e8, 1.0001e8,
                        99999999.0, 1000.0, 1.0, 1.5, 999.9995], size=n)
    elif kind == "rounding":
        # Values whose rounding changes the number of digits (9.99996 -> 10.0000).
        v = sign * rng.choice([9.99996, 99.99995, 0.99999, 9.99999e5, 0.5, 2.5], size=n)
    elif kind == "special":
        v = rng.choice([0.0, -0.0, np.nan, np.inf, -np.inf, 1.0, -2.0, 0.25], size=n)
    elif kind == "zeros":
        v = rng.choice([0.0, -0.0], size=n)
    elif kind == "nonfinite":
        v = rng.choice([0.0, np.nan, np.inf, -np.inf], size=n)
    else:
        raise AssertionError(kind)
    # Sprinkle specials into the ordinary kinds now and then.
    if kind not in ("special", "zeros", "nonfinite") and n > 1 and rng.random() < 0.3:
        k = rng.integers(1, n + 1)
        idx = rng.choice(n, size=min(k, 3), replace=False)
        v[idx] = rng.choice([np.nan, np.inf, -np.inf, -0.0, 0.0], size=len(idx))
    return v.reshape(shape)


FLOAT_KINDS = ["normal", "positive", "tiny", "huge", "ints", "big_ints", "wide_range",
               "near_threshold", "rounding", "special", "zeros", "nonfinite"]


def int_values(rng, shape, name):
    if name == "bool":
        return rng.random(shape) < 0.5
    info = np.iinfo(name)
    lo, hi = int(info.min), int(info.max)
    pick = rng.random()
    if pick < 0.3:
        lo, hi = max(lo, -9), min(hi, 9)
    elif pick < 0.6:
        lo, hi = max(lo, -1000), min(hi, 1000)
    return rng.integers(lo, hi, size=shape, endpoint=True, dtype=np.int64)


def random_tensor(rng, name, shape):
    if name in FLOAT_NAMES:
        kind = FLOAT_KINDS[rng.integers(len(FLOAT_KINDS))]
        return make(float_values(rng, shape, kind), name)
    return make(int_values(rng, shape, name), name)


def random_shape(rng, max_dim=4, max_size=6, allow_zero=True):
    ndim = int(rng.integers(0, max_dim + 1))
    lo = 0 if allow_zero and rng.random() < 0.15 else 1
    return tuple(int(rng.integers(lo, max_size + 1)) for _ in range(ndim))


# --------------------------------------------------------------------------
# Hand-picked cases
# --------------------------------------------------------------------------

SPECIAL_FLOAT_LISTS = [
    [],
    [0.0],
    [-0.0],
    [0.0, -0.0],
    [float("nan")],
    [float("inf"), float("-inf")],
    [float("nan"), 1.0],
    [float("nan"), 1.5],
    [float("nan"), 1e-6],
    [-0.0, 1.0],
    [-0.0, 1.5],
    [-0.0, 1e10],
    [1.0, 2.0, 3.0],
    [1.0, 1000.0],
    [1.0, 1001.0],
    [1.5, 1500.0],
    [1e8],
    [1.0001e8],
    [123456789.0],
    [1e-4],
    [9.99e-5],
    [0.1, 0.2, 0.3],
    [-1.25, 3.5, 1e-3],
    [1e-300, 1e300],
    [1e100, -1e-100, 3.0],
    [9.99996, 1.0],
    [99.99995, -0.5],
    [0.5, 2.5, -3.5],
    [float("nan"), float("inf"), 0.0, -0.0],
    [12345.678, 0.001],
    [-1e-20, 1e20],
]


@pytest.mark.parametrize("name", FLOAT_NAMES)
@pytest.mark.parametrize("values", SPECIAL_FLOAT_LISTS, ids=[str(v) for v in SPECIAL_FLOAT_LISTS])
def test_special_float_vectors(values, name):
    check(make(np.array(values, dtype=np.float64), name))


@pytest.mark.parametrize("name", FLOAT_NAMES)
@pytest.mark.parametrize("value", [0.0, -0.0, 1.0, -3.0, 3.5, 1e-5, 1e9, 123456.0, float("nan"),
                                   float("inf"), float("-inf"), 0.1, -1e-300])
def test_zero_dim_float(value, name):
    check(make(np.array(value, dtype=np.float64), name))


@pytest.mark.parametrize("name", INT_NAMES + ["bool"])
def test_zero_dim_int(name):
    for v in ([0, 1, 7, 100] if name != "bool" else [False, True]):
        check(make(np.array(v), name))
    if name not in ("uint8", "bool"):
        check(make(np.array(-5), name))


@pytest.mark.parametrize("name", ALL_NAMES)
@pytest.mark.parametrize("shape", [(0,), (0, 3), (3, 0), (2, 0, 3), (0, 0, 0, 0), (1, 0), (0, 1, 2, 3)])
def test_empty(shape, name):
    t = torch.zeros(shape, dtype=TORCH_DTYPES[name])
    check(t)
    check(t.requires_grad_() if t.is_floating_point() else t)


def test_integer_extremes():
    for name in INT_NAMES:
        info = np.iinfo(name)
        check(make(np.array([info.min, 0, info.max], dtype=np.int64), name))
        check(make(np.array([[info.min, 1], [2, info.max]], dtype=np.int64), name))


def test_bool_layouts():
    check(torch.tensor([True, False, True]))
    check(torch.tensor([True, True]))
    check(torch.tensor([[False] * 30] * 4))


def test_autograd_suffixes():
    x = torch.randn(3, requires_grad=True)
    check(x)
    check(x + 1)
    check(x * 2)
    check(x.sum())
    check((x * x).mean())
    check(x.double())
    check(x.half() * 2)
    check(torch.randn(0, 4, requires_grad=True))
    check(torch.randn(0, 4, requires_grad=True) * 2)
    check(torch.randn(2, 3, dtype=torch.float64, requires_grad=True).exp())
    # The suffix that does not fit goes to its own line.
    check(torch.randn(20, requires_grad=True))
    check(torch.randn(3, 9, dtype=torch.float64, requires_grad=True) * 3)
    check(torch.arange(12.0, requires_grad=True) * 1e9)


def test_long_rows_wrap():
    rng = np.random.default_rng(1)
    for name in ALL_NAMES:
        for shape in [(100,), (3, 50), (2, 2, 40), (2, 1, 2, 33), (7,)]:
            check(random_tensor(rng, name, shape))
    check(torch.arange(200))
    check(torch.arange(200, dtype=torch.int32) * 1000003)
    check(torch.linspace(-1e6, 1e6, 90))
    check(torch.linspace(0, 1, 90, dtype=torch.float64))


def test_summarised_large_tensors():
    rng = np.random.default_rng(2)
    for name in ALL_NAMES:
        for shape in [(1001,), (5000,), (40, 40), (11, 11, 11), (4, 5, 6, 10), (2, 600), (600, 2),
                      (1, 1, 1001), (3, 3, 3, 40)]:
            check(random_tensor(rng, name, shape))


def test_summary_widths_ignore_elided_middle():
    # A value hidden by "..." must not widen the columns or switch styles.
    t = torch.ones(2000)
    t[1000] = 1e12
    check(t)
    t = torch.full((50, 50), 0.5)
    t[25, 25] = 1e-9
    check(t)
    t = torch.arange(3000, dtype=torch.int64)
    t[1500] = -(10 ** 15)
    check(t)
    t = torch.randn(30, 30, 30)
    t[15] = float("nan")
    check(t)


def test_exactly_at_threshold():
    check(torch.arange(1000.0))          # not summarised (not > 1000)
    check(torch.arange(1001.0))          # summarised
    check(torch.arange(6.0))
    set_both(threshold=6)
    check(torch.arange(6.0))
    check(torch.arange(7.0))
    check(torch.arange(7.0).reshape(7, 1))


@pytest.mark.parametrize("seed", range(40))
def test_random_tensors(seed):
    rng = np.random.default_rng(1000 + seed)
    for _ in range(25):
        name = ALL_NAMES[rng.integers(len(ALL_NAMES))]
        check(random_tensor(rng, name, random_shape(rng)))


# --------------------------------------------------------------------------
# Print options
# --------------------------------------------------------------------------

OPTION_SETS = [
    dict(precision=0),
    dict(precision=1),
    dict(precision=2),
    dict(precision=7),
    dict(precision=12),
    dict(threshold=5),
    dict(threshold=0),
    dict(threshold=20, edgeitems=1),
    dict(threshold=10, edgeitems=2),
    dict(threshold=50, edgeitems=5),
    dict(edgeitems=1),
    dict(linewidth=10),
    dict(linewidth=30),
    dict(linewidth=50),
    dict(linewidth=120),
    dict(linewidth=200),
    dict(sci_mode=True),
    dict(sci_mode=False),
    dict(sci_mode=True, precision=2),
    dict(sci_mode=False, precision=6),
    dict(profile="short"),
    dict(profile="full"),
    dict(profile="short", precision=5),
    dict(profile="full", linewidth=60, sci_mode=True),
    dict(threshold=8, edgeitems=1, linewidth=40, precision=3),
]


@pytest.mark.parametrize("options", OPTION_SETS, ids=[str(o) for o in OPTION_SETS])
def test_print_options(options):
    set_both(**options)
    rng = np.random.default_rng(abs(hash(str(sorted(options.items())))) % (2 ** 32))
    for name in ALL_NAMES:
        for shape in [(), (1,), (5,), (13,), (3, 4), (6, 7), (2, 3, 4), (8, 3, 9), (2, 2, 3, 5),
                      (0, 2), (30,), (1200,)]:
            check(random_tensor(rng, name, shape))
    for values in SPECIAL_FLOAT_LISTS:
        check(torch.tensor(values))
    check(torch.randn(4, 60, requires_grad=True) * 2)
    check(torch.arange(5000.0))


def test_full_profile_prints_everything():
    set_both(profile="full")
    check(torch.arange(1500))
    check(torch.randn(40, 40))


def test_set_printoptions_semantics():
    ts.set_printoptions(precision=2, sci_mode=True)
    assert ts.get_printoptions() == dict(precision=2, threshold=1000, edgeitems=3,
                                         linewidth=80, sci_mode=True)
    # Like torch, any call without sci_mode goes back to automatic.
    ts.set_printoptions(linewidth=100)
    assert ts.get_printoptions()["sci_mode"] is None
    assert ts.get_printoptions()["precision"] == 2
    ts.set_printoptions(profile="full")
    assert ts.get_printoptions()["threshold"] == math.inf
    assert ts.get_printoptions()["linewidth"] == 80
    ts.set_printoptions(profile="short", threshold=5)
    assert ts.get_printoptions() == dict(precision=2, threshold=5, edgeitems=2,
                                         linewidth=80, sci_mode=None)
    ts.set_printoptions(profile="default")
    assert ts.get_printoptions() == dict(precision=4, threshold=1000, edgeitems=3,
                                         linewidth=80, sci_mode=None)
    # The returned dict is a copy.
    ts.get_printoptions()["precision"] = 99
    assert ts.get_printoptions()["precision"] == 4


def test_sci_mode_override_with_no_finite_values():
    # torch does not apply sci_mode when no nonzero finite value exists.
    set_both(sci_mode=True)
    check(torch.zeros(3))
    check(torch.tensor([float("nan"), 0.0, -0.0]))
    set_both(sci_mode=False)
    check(torch.tensor([1e-9, 1e9]))  # width from sci style, text in fixed style


def test_edgeitems_zero_vector():
    # torch slices t[-0:], which is the whole vector.
    set_both(threshold=3, edgeitems=0)
    check(torch.arange(10))


# --------------------------------------------------------------------------
# Default dtype, dtype display, device
# --------------------------------------------------------------------------


def test_default_dtype_float64():
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(3)
    for name in ALL_NAMES:
        for shape in [(), (3,), (0,), (0, 2), (2, 3)]:
            check(random_tensor(rng, name, shape), default_dtype="float64")


def test_is_default_dtype_shown_override():
    v = np.array([1.0, 2.0], dtype=np.float32)
    assert ts.tensor_repr(v, dtype_name="float32", shape=(2,), is_default_dtype_shown=True) \
        == "tensor([1., 2.], dtype=torch.float32)"
    v = np.array([1, 2], dtype=np.int32)
    assert ts.tensor_repr(v, dtype_name="int32", shape=(2,), is_default_dtype_shown=False) \
        == "tensor([1, 2])"
    assert ts.tensor_repr(v, dtype_name="int32", shape=(2,)) == "tensor([1, 2], dtype=torch.int32)"


def test_device_suffix():
    # No CUDA tensors here, so the expected text is written out; it follows
    # torch 1.13's order: device first, then size and dtype, then autograd.
    f = np.array([1.0, 2.0], dtype=np.float32)
    assert ts.tensor_repr(f, dtype_name="float32", shape=(2,), device="cuda:0") \
        == "tensor([1., 2.], device='cuda:0')"
    assert ts.tensor_repr(f, dtype_name="float32", shape=(2,), device="cuda") \
        == "tensor([1., 2.], device='cuda:0')"
    assert ts.tensor_repr(f, dtype_name="float32", shape=(2,), device="cuda:1",
                          requires_grad=True) \
        == "tensor([1., 2.], device='cuda:1', requires_grad=True)"
    i = np.array([1, 2], dtype=np.int32)
    assert ts.tensor_repr(i, dtype_name="int32", shape=(2,), device="cuda:0") \
        == "tensor([1, 2], device='cuda:0', dtype=torch.int32)"
    e = np.zeros((0, 3), dtype=np.float16)
    assert ts.tensor_repr(e, dtype_name="float16", shape=(0, 3), device="cuda:0",
                          grad_fn_name="AddBackward0") \
        == ("tensor([], device='cuda:0', size=(0, 3), dtype=torch.float16,\n"
            "       grad_fn=<AddBackward0>)")
    assert ts.tensor_repr(np.array(1.5), dtype_name="float64", shape=(), device="cpu") \
        == "tensor(1.5000, dtype=torch.float64)"
    # A long last line pushes the suffixes onto their own lines.
    long = np.arange(9, dtype=np.float32) + 0.5
    assert ts.tensor_repr(long, dtype_name="bfloat16", shape=(9,), device="cuda:0",
                          grad_fn_name="MulBackward0") == (
        "tensor([0.5000, 1.5000, 2.5000, 3.5000, 4.5000, 5.5000, 6.5000, 7.5000, 8.5000],\n"
        "       device='cuda:0', dtype=torch.bfloat16, grad_fn=<MulBackward0>)")


def test_tensor_str_matches_torch_body():
    rng = np.random.default_rng(4)
    for name in ALL_NAMES:
        for shape in [(), (4,), (3, 30), (2000,)]:
            t = random_tensor(rng, name, shape)
            v = t.float().numpy() if t.dtype == torch.bfloat16 else t.numpy()
            for indent in (0, 7):
                assert ts.tensor_str(v, name, indent=indent) == \
                    torch._tensor_str._tensor_str(t, indent)


def test_accepts_aliases_and_prefix():
    v = np.array([1.0, 2.5])
    assert ts.tensor_repr(v, dtype_name="torch.float64", shape=(2,)) == repr(torch.tensor([1.0, 2.5], dtype=torch.float64))
    assert ts.tensor_repr(v, dtype_name="double", shape=(2,)) == repr(torch.tensor([1.0, 2.5], dtype=torch.float64))
    with pytest.raises(ValueError):
        ts.tensor_repr(v, dtype_name="complex64", shape=(2,))
    with pytest.raises(ValueError):
        ts.tensor_repr(v, dtype_name="float32", shape=(3,))


# --------------------------------------------------------------------------
# Hypothesis
# --------------------------------------------------------------------------

_SPECIAL_FLOATS = st.sampled_from([0.0, -0.0, float("nan"), float("inf"), float("-inf"),
                                   1.0, -1.0, 1e-4, 1e8, 1000.0, 0.5])


def _float_elements(width):
    # Finite values at any scale the dtype holds, integers-as-floats, specials.
    return st.one_of(
        st.floats(allow_nan=True, allow_infinity=True, width=width),
        st.floats(min_value=-1e4, max_value=1e4, width=width),
        st.integers(-(10 ** 6), 10 ** 6).map(float),
        _SPECIAL_FLOATS,
    )


@st.composite
def tensors(draw, max_side=6):
    name = draw(st.sampled_from(ALL_NAMES))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=max_side))
    if name in FLOAT_NAMES:
        # Drawn in the dtype's own width where numpy has one, so most values
        # are exactly representable; torch's conversion rounds the rest
        # (float16 overflowing to inf included), and what we print is always
        # the converted tensor.
        width = {"float64": 64, "float32": 32, "bfloat16": 32, "float16": 16}[name]
        arr = draw(hnp.arrays(np.float64, shape, elements=_float_elements(width)))
    elif name == "bool":
        arr = draw(hnp.arrays(np.bool_, shape))
    else:
        arr = draw(hnp.arrays(np.dtype(name), shape))
    t = torch.from_numpy(np.ascontiguousarray(arr)).to(TORCH_DTYPES[name])
    if t.is_floating_point() and draw(st.booleans()):
        t = t.requires_grad_()
        if draw(st.booleans()):
            t = t * 1  # MulBackward0, same values
    return t


_hyp_settings = settings(max_examples=400, deadline=None,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@_hyp_settings
@given(tensors())
def test_hypothesis_default_options(t):
    check(t)


_options = st.fixed_dictionaries({}, optional={
    "precision": st.integers(0, 10),
    "threshold": st.integers(0, 100),
    "edgeitems": st.integers(1, 4),
    "linewidth": st.integers(5, 150),
    "sci_mode": st.sampled_from([True, False]),
    "profile": st.sampled_from(["default", "short", "full"]),
})


@_hyp_settings
@given(tensors(max_side=8), _options)
def test_hypothesis_with_options(t, options):
    try:
        set_both(**options)
        check(t)
    finally:
        set_both(profile="default")
