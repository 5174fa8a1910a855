"""Quantiles, nanmedian, cov / corrcoef, histc, dist / renorm, logcumsumexp, the trapezoid rule,
NumPy's splits, block_diag / cartesian_prod / combinations, the view scatters,
unique_consecutive, put / fill_diagonal_ / random_, addbmm / vdot, acosh / atanh, the
default dtype and the Tensor methods PyTorch also has as functions: beyond what PyTorch's
OpInfo samples reach in test_ops_parity.py, the calling conventions, edge values, gradients
at ties and extremes, and errors that name the operator.

    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python/test_statistics_and_splits.py
"""
import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import libtensor as lt  # noqa: E402
from _parity import close, to_torch as T  # noqa: E402




def pair(x, requires_grad=False):
    return lt.tensor(x, requires_grad=requires_grad), torch.tensor(x, requires_grad=requires_grad)


# --- order statistics ---------------------------------------------------------------------------

@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("dim,keepdim", [(None, False), (None, True), (0, False), (1, True), (-1, False)])
def test_quantile_matches_torch(rng, interpolation, dim, keepdim):
    x = rng.standard_normal((4, 7))
    x[1, 2] = np.nan
    a, t = pair(x)
    for q in (0.0, 0.37, 1.0, [0.25, 0.5, 0.9]):
        ql, qt = (lt.tensor(q, dtype=lt.float64), torch.tensor(q, dtype=torch.float64)) if isinstance(q, list) \
            else (q, q)
        for f in ("quantile", "nanquantile"):
            close(getattr(lt, f)(a, ql, dim, keepdim, interpolation=interpolation),
                  getattr(torch, f)(t, qt, dim, keepdim, interpolation=interpolation))
            close(getattr(a, f)(ql, dim, keepdim, interpolation=interpolation),
                  getattr(t, f)(qt, dim, keepdim, interpolation=interpolation))


def test_quantile_gradients_reach_the_data_and_q(rng):
    x = rng.standard_normal((3, 5))
    x[0, :2] = 0.25  # ties
    a, t = pair(x, True)
    ql, qt = pair(np.array([0.1, 0.5, 0.8]), True)
    w = rng.standard_normal((3, 3))
    lt.quantile(a, ql, 1).backward(lt.tensor(w))
    torch.quantile(t, qt, 1).backward(torch.tensor(w))
    close(a.grad, t.grad)
    close(ql.grad, qt.grad)
    assert lt.autograd.gradcheck(lambda v: lt.nanquantile(v, 0.3, 0), (lt.tensor(x, requires_grad=True),))


def test_quantile_out_and_errors():
    x = lt.tensor([1.0, 2.0, 3.0])
    out = lt.empty(0)
    assert lt.quantile(x, 0.5, out=out).data_ptr() == out.data_ptr() and out.item() == 2.0
    with pytest.raises(RuntimeError, match=r"^\[quantile\] q values must be in the range \[0, 1\]"):
        lt.quantile(x, 1.5)
    with pytest.raises(RuntimeError, match=r"^\[quantile\] input tensor must be float32 or float64"):
        lt.quantile(lt.tensor([1, 2]), 0.5)
    with pytest.raises(RuntimeError, match=r"^\[nanquantile\] q must have the input's dtype"):
        lt.nanquantile(x, lt.tensor([0.5], dtype=lt.float64))
    with pytest.raises(RuntimeError, match=r"^\[quantile\] interpolation must be one of"):
        lt.quantile(x, 0.5, interpolation="cubic")
    with pytest.raises(RuntimeError, match=r"^\[quantile\] input tensor must be non-empty"):
        lt.quantile(lt.tensor([]), 0.5)


def test_nanmedian(rng):
    x = rng.standard_normal((4, 6))
    x[0, 1] = x[2, 3] = x[2, 0] = np.nan
    a, t = pair(x)
    close(lt.nanmedian(a), torch.nanmedian(t))
    got, want = lt.nanmedian(a, 1, keepdim=True), torch.nanmedian(t, 1, keepdim=True)
    close(got.values, want.values)
    close(got.indices, want.indices)
    close(a.nanmedian(0).values, t.nanmedian(0).values)
    close(lt.nanmedian(lt.tensor([3, 1, 2])), torch.nanmedian(torch.tensor([3, 1, 2])))  # integers: median
    # The gradient is shared by the elements equal to the median, as median()'s; empty gives NaN.
    a, t = pair([[1.0, 2.0, 2.0], [2.0, 5.0, math.nan]], True)
    lt.nanmedian(a).backward()
    torch.nanmedian(t).backward()
    close(a.grad, t.grad)
    assert math.isnan(lt.nanmedian(lt.zeros(0)).item())


# --- covariance, histograms, norms ---------------------------------------------------------------

def test_cov_and_corrcoef(rng):
    x = rng.standard_normal((3, 6))
    a, t = pair(x, True)
    fw, aw = rng.integers(0, 4, 6), rng.random(6)
    for kw in ({}, {"correction": 0}, {"correction": 2}):
        close(lt.cov(a, **kw), torch.cov(t, **kw))
    close(lt.cov(a, fweights=lt.tensor(fw), aweights=lt.tensor(aw)),
          torch.cov(t, fweights=torch.tensor(fw), aweights=torch.tensor(aw)))
    close(a.cov(), t.cov())
    close(lt.corrcoef(a), torch.corrcoef(t))
    close(lt.cov(lt.tensor([1, 2, 4])), torch.cov(torch.tensor([1, 2, 4])))  # integers: the default dtype
    lt.corrcoef(a).sum().backward()
    torch.corrcoef(t).sum().backward()
    close(a.grad, t.grad)
    with pytest.raises(RuntimeError, match=r"^\[cov\] fweights cannot be negative"):
        lt.cov(a, fweights=lt.tensor([1, -1, 1, 1, 1, 1]))
    with pytest.raises(RuntimeError, match=r"^\[cov\] expects a tensor of at most 2 dims"):
        lt.cov(lt.ones(2, 2, 2))


def test_histc(rng):
    x = rng.standard_normal(200).astype(np.float32)
    a, t = pair(x)
    close(lt.histc(a), torch.histc(t))
    close(lt.histc(a, 7, -1, 1), torch.histc(t, 7, -1, 1))
    close(a.histc(bins=3), t.histc(bins=3))
    # NaNs are not counted (torch 1.13 puts them in some bin).
    assert lt.histc(lt.tensor([0.0, 1.0, math.nan]), 2).tolist() == [1.0, 1.0]
    assert lt.histc(lt.tensor([2.0, 2.0]), 2).tolist() == [0.0, 2.0]  # one value: the range 1 .. 3
    # Values on float32 bin edges land where PyTorch puts them.
    edges = lt.arange(0, 1.01, 0.1)
    close(lt.histc(edges, 10, 0, 1), torch.histc(torch.arange(0, 1.01, 0.1), 10, 0, 1))
    close(lt.histc(lt.tensor([0.7, 0.9]), 10, 0, 1), torch.histc(torch.tensor([0.7, 0.9]), 10, 0, 1))
    with pytest.raises(RuntimeError, match=r"^\[histc\] the range .* is a single value in float32"):
        lt.histc(lt.tensor([0.0]), 5, 0.0, 5e-324)
    with pytest.raises(RuntimeError, match=r"^\[histc\]"):
        lt.histc(lt.tensor([1, 2]))
    with pytest.raises(RuntimeError, match=r"^\[histc\] max must be larger than min"):
        lt.histc(a, 3, 2, 1)


def test_dist_and_renorm(rng):
    x = rng.standard_normal((3, 4))
    a, t = pair(x, True)
    for p in (1, 2, 3.5, math.inf):
        close(lt.dist(a, a[0] * 2, p), torch.dist(t, t[0] * 2, p))
    close(lt.renorm(a, 2, 1, 0.8), torch.renorm(t, 2, 1, 0.8))
    lt.renorm(a, 1, 0, 1.0).sum().backward()
    torch.renorm(t, 1, 0, 1.0).sum().backward()
    close(a.grad, t.grad)
    b = lt.tensor(x)
    assert b.renorm_(2, 0, 0.5) is b
    close(b, torch.renorm(torch.tensor(x), 2, 0, 0.5))
    with pytest.raises(RuntimeError, match=r"^\[renorm\] input needs at least 2 dims"):
        lt.renorm(lt.ones(3), 2, 0, 1.0)


# --- running sums -------------------------------------------------------------------------------

def test_logcumsumexp_is_exact_far_below_the_maximum():
    x = [-1000.0, 0.0, 0.0, -2000.0, 800.0]
    a, t = pair(x, True)
    close(lt.logcumsumexp(a, 0), torch.logcumsumexp(t, 0))
    lt.logcumsumexp(a, 0).sum().backward()
    torch.logcumsumexp(t, 0).sum().backward()
    close(a.grad, t.grad)
    inf = [-math.inf, -math.inf, 1.0]
    close(lt.logcumsumexp(lt.tensor(inf), 0), torch.logcumsumexp(torch.tensor(inf), 0))
    close(lt.tensor(2.5).logcumsumexp(0), torch.tensor(2.5).logcumsumexp(0))
    # A dim of one element gives a new tensor, and a leading -inf keeps its whole gradient.
    x = lt.tensor([[1.0, 2.0]])
    lt.logcumsumexp(x, 0).add_(1)
    assert x.tolist() == [[1.0, 2.0]]
    x = lt.tensor([-math.inf, 1.0], requires_grad=True)
    lt.logcumsumexp(x, 0)[0].backward()
    assert x.grad.tolist() == [1.0, 0.0]


def test_trapezoid(rng):
    y = rng.standard_normal((3, 5))
    x = np.sort(rng.standard_normal(5))
    a, t = pair(y, True)
    close(lt.trapezoid(a), torch.trapezoid(t))
    close(lt.trapezoid(a, dx=0.5, dim=0), torch.trapezoid(t, dx=0.5, dim=0))
    close(lt.trapezoid(a, lt.tensor(x)), torch.trapezoid(t, torch.tensor(x)))
    close(lt.trapz(a, lt.tensor(x)), torch.trapz(t, torch.tensor(x)))
    close(lt.cumulative_trapezoid(a, lt.tensor(x)), torch.cumulative_trapezoid(t, torch.tensor(x)))
    close(lt.trapezoid(lt.tensor([1, 2, 3])), torch.trapezoid(torch.tensor([1, 2, 3])))
    lt.cumulative_trapezoid(a, dx=2).sum().backward()
    torch.cumulative_trapezoid(t, dx=2).sum().backward()
    close(a.grad, t.grad)
    with pytest.raises(TypeError, match="x or dx"):
        lt.trapezoid(a, lt.tensor(x), dx=1)


# --- splits, tuples, view scatters --------------------------------------------------------------

def test_numpy_splits_and_ravel(rng):
    x = rng.standard_normal((4, 6, 2))
    a, t = pair(x)
    for f in ("hsplit", "vsplit", "dsplit"):
        for how in (2, [1, 3], (5,)):
            close(getattr(lt, f)(a, how), getattr(torch, f)(t, how))
            close(getattr(a, f)(how), getattr(t, f)(how))
    close(lt.hsplit(a[0, :, 0], 3), torch.hsplit(t[0, :, 0], 3))
    with pytest.raises(RuntimeError, match=r"^\[hsplit\] cannot split dim 1 of size 6 into 4 equal sections"):
        lt.hsplit(a, 4)
    with pytest.raises(RuntimeError, match=r"^\[dsplit\] expects a tensor of at least 3 dims"):
        lt.dsplit(a[0], 2)
    r = a[:, 0, :].ravel()
    assert r.is_contiguous() and r.tolist() == t[:, 0, :].ravel().tolist()
    assert lt.ravel(a).data_ptr() == a.data_ptr()  # a view of a contiguous tensor


def test_block_diag_cartesian_prod_combinations(rng):
    a, t = pair(rng.standard_normal((2, 3)), True)
    v, tv = pair([1.0, 2.0], True)
    close(lt.block_diag(a, v, lt.tensor(5.0, dtype=lt.float64)),
          torch.block_diag(t, tv, torch.tensor(5.0, dtype=torch.float64)))
    close(lt.block_diag(), torch.block_diag())
    lt.block_diag(a, v).pow(2).sum().backward()
    torch.block_diag(t, tv).pow(2).sum().backward()
    close(a.grad, t.grad)
    close(lt.cartesian_prod(lt.tensor([1, 2]), lt.tensor([3, 4, 5]), lt.tensor([6])),
          torch.cartesian_prod(torch.tensor([1, 2]), torch.tensor([3, 4, 5]), torch.tensor([6])))
    for r in range(5):
        for wr in (False, True):
            close(lt.combinations(lt.tensor([4, 5, 6]), r, wr), torch.combinations(torch.tensor([4, 5, 6]), r, wr))


def test_view_scatters(rng):
    x = rng.standard_normal((3, 4))
    a, t = pair(x, True)
    s1, t1 = pair(rng.standard_normal(4), True)
    s2, t2 = pair(rng.standard_normal((3, 2)), True)
    s3, t3 = pair(rng.standard_normal(3), True)
    outs = (lt.select_scatter(a, s1, 0, -1), lt.slice_scatter(a, s2, 1, 1, None, 2), lt.diagonal_scatter(a, s3, 0))
    refs = (torch.select_scatter(t, t1, 0, -1), torch.slice_scatter(t, t2, 1, 1, None, 2),
            torch.diagonal_scatter(t, t3, 0))
    close(outs, refs)
    sum(o.sum() * (i + 1) for i, o in enumerate(outs)).backward()
    sum(o.sum() * (i + 1) for i, o in enumerate(refs)).backward()
    close((a.grad, s1.grad, s2.grad, s3.grad), (t.grad, t1.grad, t2.grad, t3.grad))
    with pytest.raises(RuntimeError, match=r"^\[select_scatter\] expected src to have the shape of the view"):
        lt.select_scatter(a, s3, 0, 0)


def test_unique_consecutive_and_argwhere():
    v = [1, 1, 2, 2, 3, 1, 1, 2]
    for kw in ({}, {"return_inverse": True}, {"return_counts": True}, {"return_inverse": True, "return_counts": True}):
        close(lt.unique_consecutive(lt.tensor(v), **kw), torch.unique_consecutive(torch.tensor(v), **kw))
    m = [[1, 2], [1, 2], [3, 4], [1, 2]]
    close(lt.tensor(m).unique_consecutive(True, True, 0), torch.tensor(m).unique_consecutive(True, True, 0))
    close(lt.unique_consecutive(lt.tensor(m), return_counts=True, dim=1),
          torch.unique_consecutive(torch.tensor(m), return_counts=True, dim=1))
    close(lt.argwhere(lt.tensor(m) > 1), torch.argwhere(torch.tensor(m) > 1))


# --- writes, products, elementwise --------------------------------------------------------------

def test_put_and_fill_diagonal(rng):
    x = rng.standard_normal((3, 4))
    idx, src = [0, -1, 5, 5], [1.0, 2.0, 3.0, 4.0]
    for acc in (False, True):
        a, t = pair(x)
        close(lt.put(a, lt.tensor(idx), lt.tensor(src, dtype=lt.float64), acc) if acc else
              a.put(lt.tensor(idx[:3]), lt.tensor(src[:3], dtype=lt.float64)),
              torch.put(t, torch.tensor(idx), torch.tensor(src, dtype=torch.float64), acc) if acc else
              t.put(torch.tensor(idx[:3]), torch.tensor(src[:3], dtype=torch.float64)))
    a, t = pair(x)
    assert a.put_(lt.tensor([1]), lt.tensor([9.0], dtype=lt.float64), accumulate=True) is a
    close(a, t.put_(torch.tensor([1]), torch.tensor([9.0], dtype=torch.float64), accumulate=True))
    with pytest.raises(IndexError, match=r"^\[put\] index 12 is out of bounds"):
        lt.put(lt.tensor(x), lt.tensor([12]), lt.tensor([1.0], dtype=lt.float64))
    for shape, wrap in (((3, 4), False), ((7, 3), False), ((7, 3), True), ((2, 5), True), ((3, 3, 3), False)):
        a, t = lt.zeros(*shape), torch.zeros(*shape)
        assert a.fill_diagonal_(2.5, wrap) is a
        close(a, t.fill_diagonal_(2.5, wrap))
    with pytest.raises(RuntimeError, match=r"^\[fill_diagonal_\] expects dims of equal length"):
        lt.zeros(2, 3, 3).fill_diagonal_(1)


def test_random_(rng):
    lt.manual_seed(3)
    a = lt.empty(10000, dtype=lt.int64).random_(5, 9)
    assert a.min().item() == 5 and a.max().item() == 8
    b = lt.empty(5000, dtype=lt.uint8).random_()
    assert b.max().item() > 200
    c = lt.empty(5000).random_(3)
    assert set(c.unique().tolist()) == {0.0, 1.0, 2.0}
    d = lt.empty(1000, dtype=lt.bool).random_()
    assert 0 < d.sum().item() < 1000
    g1, g2 = lt.Generator().manual_seed(1), lt.Generator().manual_seed(1)
    assert lt.equal(lt.empty(8, dtype=lt.int32).random_(0, 100, generator=g1),
                    lt.empty(8, dtype=lt.int32).random_(0, 100, generator=g2))
    with pytest.raises(RuntimeError, match=r"^\[random_\] \[0, 300\) does not fit in uint8"):
        lt.empty(3, dtype=lt.uint8).random_(0, 300)
    with pytest.raises(RuntimeError, match=r"^\[random_\] expects 'from' to be less than 'to'"):
        lt.empty(3).random_(4, 2)
    for dtype, bounds in ((lt.float16, (0, 70000)), (lt.bool, (0, 3)), (lt.bool, (-1, 1))):
        with pytest.raises(RuntimeError, match=r"^\[random_\] .* does not fit in"):
            lt.empty(3, dtype=dtype).random_(*bounds)
    with pytest.raises(TypeError, match="ints or None"):
        lt.empty(3).random_(0, 1.5)


def test_addbmm_and_vdot(rng):
    i, b1, b2 = (rng.standard_normal(s) for s in ((3, 5), (4, 3, 2), (4, 2, 5)))
    (a, t), (x1, t1), (x2, t2) = pair(i, True), pair(b1, True), pair(b2, True)
    close(lt.addbmm(a, x1, x2, beta=0.5, alpha=2), torch.addbmm(t, t1, t2, beta=0.5, alpha=2))
    lt.addbmm(a, x1, x2).sum().backward()
    torch.addbmm(t, t1, t2).sum().backward()
    close((a.grad, x1.grad, x2.grad), (t.grad, t1.grad, t2.grad))
    c = lt.tensor(i)
    assert c.addbmm_(lt.tensor(b1), lt.tensor(b2)) is c
    close(lt.vdot(lt.tensor([1.0, 2.0]), lt.tensor([3.0, 4.0])), torch.vdot(torch.tensor([1.0, 2.0]),
                                                                        torch.tensor([3.0, 4.0])))
    with pytest.raises(RuntimeError, match=r"^\[addbmm\] batches of shapes \(4, 3, 2\) and \(4, 3, 2\)"):
        lt.addbmm(a, x1, x1)
    with pytest.raises(RuntimeError, match=r"^\[vdot\]"):
        lt.vdot(lt.ones(2, 2), lt.ones(2, 2))


def test_inverse_hyperbolic_functions(rng):
    x = np.concatenate([rng.uniform(1, 50, 20), [1.0, 0.5, math.inf, math.nan]])
    y = np.concatenate([rng.uniform(-1, 1, 20), [1.0, -1.0, 1.5, 0.0]])
    for f, v in (("acosh", x), ("atanh", y), ("arccosh", x), ("arctanh", y)):
        for dtype, tdtype in ((lt.float32, torch.float32), (lt.float64, torch.float64)):
            close(getattr(lt, f)(lt.tensor(v).to(dtype)), getattr(torch, f)(torch.tensor(v).to(tdtype)))
        got = getattr(lt, f)(lt.tensor(v).to(lt.bfloat16))
        assert got.dtype == lt.bfloat16
        close(got.float(), getattr(torch, f)(torch.tensor(v).to(torch.bfloat16)).float())
    a = lt.tensor([2.0, 3.0])
    assert a.acosh_() is a
    assert lt.acosh(lt.tensor([2])).dtype == lt.float32  # integers: the default dtype


def test_ldexp_isposinf_isneginf_logspace():
    close(lt.ldexp(lt.tensor([1.0, 3.0]), lt.tensor([3, -1])), torch.ldexp(torch.tensor([1.0, 3.0]),
                                                                          torch.tensor([3, -1])))
    v = [1.0, math.inf, -math.inf, math.nan]
    close(lt.isposinf(lt.tensor(v)), torch.isposinf(torch.tensor(v)))
    close(lt.isneginf(lt.tensor(v)), torch.isneginf(torch.tensor(v)))
    close(lt.tensor([1, 2]).isneginf(), torch.tensor([1, 2]).isneginf())
    close(lt.logspace(-2, 3, 6, base=2), torch.logspace(-2, 3, 6, base=2))
    close(lt.logspace(0.5, 2.5, 3, dtype=lt.int64), torch.logspace(0.5, 2.5, 3, dtype=torch.int64))


# --- the default dtype and the function forms ---------------------------------------------------

@pytest.fixture
def float64_default():
    lt.set_default_dtype(lt.float64)
    try:
        yield
    finally:
        lt.set_default_dtype(lt.float32)


def test_default_dtype_reaches_factories_numbers_and_promotion(float64_default):
    assert lt.get_default_dtype() == lt.float64
    for t in (lt.zeros(2), lt.ones(2), lt.empty(2), lt.rand(2), lt.randn(2), lt.full((2,), 1.5), lt.tensor([0.5]),
              lt.arange(0.0, 2.0), lt.linspace(0, 1, 3), lt.eye(2), lt.tensor([1, 2]) / 2, lt.sqrt(lt.tensor([4])),
              lt.tensor([1]) + 0.5, lt.nn.Linear(2, 2).weight, lt.Tensor([1, 2])):
        assert t.dtype == lt.float64
    assert lt.deg2rad(lt.tensor([180])).dtype == lt.float64 and lt.scalar_tensor(True).dtype == lt.float64
    assert repr(lt.tensor([0.5])) == "tensor([0.5000])"  # the default dtype is not shown
    assert repr(lt.tensor([0.5], dtype=lt.float32)) == "tensor([0.5000], dtype=torch.float32)".replace("torch",
                                                                                                        "libtensor")


def test_set_default_dtype_rejects_integers():
    with pytest.raises(TypeError, match="only floating-point types"):
        lt.set_default_dtype(lt.int64)
    assert lt.get_default_dtype() == lt.float32
    assert lt.zeros(1).dtype == lt.float32


def test_method_function_forms():
    x = lt.tensor([[-2.0, 0.5], [3.0, math.nan]])
    assert lt.clamp_(x.clone(), -1, 1).tolist()[0] == [-1.0, 0.5]
    y = x.clone()
    assert lt.clamp_min_(y, 0) is y and y.tolist()[0] == [0.0, 0.5]
    y = x.clone()
    assert y.clamp_max_(lt.tensor(0.0)) is y and y.tolist()[1][0] == 0.0
    assert lt.nan_to_num_(x.clone(), nan=7.0).tolist()[1][1] == 7.0
    assert x.clone().nan_to_num_(nan=-1.0).tolist()[1][1] == -1.0
    assert lt.fill_(lt.zeros(2), 3).tolist() == [3.0, 3.0]
    assert lt.zero_(lt.ones(2)).tolist() == [0.0, 0.0]
    assert lt.get_device(lt.zeros(1)) == -1
    assert not lt.detach(lt.zeros(1, requires_grad=True)).requires_grad
    z = lt.tensor([0.25, 0.5])
    assert lt.logit_(z) is z
    with pytest.raises(TypeError, match="must be Tensor"):
        lt.clamp_([1.0], 0, 1)
    h = lt.tensor([-1.0, 0.0, 2.0])
    assert h.heaviside_(lt.tensor(0.5)) is h and h.tolist() == [0.0, 0.5, 1.0]
    f = lt.tensor([2.0, 3.0], dtype=lt.float64)
    assert f.float_power_(2) is f and f.tolist() == [4.0, 9.0]
    with pytest.raises(RuntimeError, match=r"^\[float_power_\]"):
        lt.tensor([2.0]).float_power_(2)


def test_empty_strided_sum_to_size_split_with_sizes():
    e = lt.empty_strided((2, 3), (1, 2))
    assert e.shape == (2, 3) and e.stride() == (1, 2)
    assert lt.zeros(2, dtype=lt.int32).new_empty_strided((3,), (2,)).dtype == lt.int32
    x, t = pair(np.arange(24.0).reshape(2, 3, 4))
    close(x.sum_to_size(3, 1), t.sum_to_size(3, 1))
    close(x.sum_to_size((1, 3, 4)), t.sum_to_size((1, 3, 4)))
    with pytest.raises(RuntimeError, match=r"^\[sum_to_size\] size \[2\] is not expandable"):
        x.sum_to_size(2)
    close(x.split_with_sizes([1, 3], 2), t.split_with_sizes([1, 3], 2))
    with pytest.raises(RuntimeError, match=r"^\[split_with_sizes\]"):
        x.split_with_sizes([1, 1], 2)
    close(x.hardshrink(10.0), t.hardshrink(10.0))
