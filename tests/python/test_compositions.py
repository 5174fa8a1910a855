"""The operators composed of others (stacking, products, statistics, elementwise compositions,
take / index_fill, isin / bucketize, triangle indices) and erfinv, beyond what PyTorch's OpInfo
samples reach in test_ops_parity.py: the Python calling conventions, in-place forms, edge
values, erfinv against mpmath, and errors that name the operator.

    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python/test_compositions.py
"""
import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import libtensor as lt  # noqa: E402
from _parity import close, to_torch as T  # noqa: E402


def test_calling_conventions_match_torch(rng):
    x = rng.standard_normal((3, 4))
    a, t = lt.tensor(x), torch.tensor(x)
    close(lt.atleast_2d(a[0], a), torch.atleast_2d(t[0], t))
    close(lt.atleast_3d([a[0, 0], a]), torch.atleast_3d([t[0, 0], t]))
    assert isinstance(lt.atleast_1d(a), lt.Tensor)
    close(lt.broadcast_tensors(a, a[0]), torch.broadcast_tensors(t, t[0]))
    close(lt.meshgrid([a[0], a[1, :2]], indexing="xy"), torch.meshgrid([t[0], t[1, :2]], indexing="xy"))
    close(lt.meshgrid(a[0], a[1]), torch.meshgrid(t[0], t[1], indexing="ij"))
    assert lt.broadcast_shapes((3, 1), 4, (2, 1, 1)) == torch.broadcast_shapes((3, 1), 4, (2, 1, 1))
    close(lt.tensor_split(a, lt.tensor(2), 1), torch.tensor_split(t, torch.tensor(2), 1))
    close(lt.tensor_split(a, lt.tensor([1, 3]), dim=1), torch.tensor_split(t, torch.tensor([1, 3]), dim=1))
    close(a.tensor_split((1,)), t.tensor_split((1,)))
    close(lt.tensordot(a, a, dims=([0, 1], [0, 1])), torch.tensordot(t, t, dims=([0, 1], [0, 1])))
    close(lt.tensordot(a, a.t(), 1), torch.tensordot(t, t.t(), 1))
    close(lt.linalg.cross(a[:, :3], a[1:2, 1:]), torch.linalg.cross(t[:, :3], t[1:2, 1:]))
    close(lt.row_stack([a, a]), torch.row_stack([t, t]))
    mm = lt.aminmax(a, dim=1)
    assert (mm.min.tolist(), mm.max.tolist()) == (t.aminmax(dim=1).min.tolist(), t.aminmax(dim=1).max.tolist())
    close(lt.isin(a, 0.5), torch.isin(t, 0.5))
    close(lt.isin(2, lt.tensor([1, 2])), torch.isin(2, torch.tensor([1, 2])))
    close(lt.bucketize(0.3, lt.tensor([0.1, 0.5])), torch.bucketize(0.3, torch.tensor([0.1, 0.5])))
    close(lt.float_power(2, lt.tensor([1, 2])), torch.float_power(2, torch.tensor([1, 2])))
    close(lt.tril_indices(3, 4, 1, dtype=lt.int32), torch.tril_indices(3, 4, 1, dtype=torch.int32))
    v, m = lt.var_mean(a, 1, unbiased=False, keepdim=True)
    close((v, m), torch.var_mean(t, 1, unbiased=False, keepdim=True))
    close(lt.std_mean(a, 1, correction=0), torch.std_mean(t, 1, correction=0))


def test_in_place_forms(rng):
    x = rng.uniform(0.1, 0.9, (3, 4))
    for name, args in (("logit_", (0.2,)), ("sgn_", ()), ("deg2rad_", ()), ("rad2deg_", ()), ("sinc_", ()),
                       ("erfinv_", ()), ("index_fill_", (1, lt.tensor([0, -1]), 2.5)),
                       ("addmv_", (lt.tensor(x), lt.tensor(x[0]))),
                       ("addr_", (lt.tensor(x[:, 0].copy()), lt.tensor(x[0])))):
        a, t = (lt.tensor(x[:, 0].copy()), torch.tensor(x[:, 0].copy())) if name == "addmv_" else \
            (lt.tensor(x), torch.tensor(x))
        targs = tuple(T(v) if isinstance(v, lt.Tensor) else v for v in args)
        assert getattr(a, name)(*args) is a, name
        getattr(t, name)(*targs)
        close(a, t)


def test_edge_values():
    inf, nan = math.inf, math.nan
    pairs = lt.tensor([[0.0, 0.0], [inf, inf], [-inf, -inf], [inf, -inf], [nan, 1.0], [1e308, 1e308], [-800.0, 0.0]])
    tp = T(pairs)
    close(lt.logaddexp(pairs[:, 0], pairs[:, 1]), torch.logaddexp(tp[:, 0], tp[:, 1]))
    close(lt.logaddexp2(pairs[:, 0], pairs[:, 1]), torch.logaddexp2(tp[:, 0], tp[:, 1]))
    close(lt.fmin(pairs[:, 0], pairs[:, 1]), torch.fmin(tp[:, 0], tp[:, 1]))
    x = lt.tensor([-0.0, 0.0, -inf, nan, -nan, 1.0])
    close(lt.signbit(x), torch.signbit(T(x)))
    close(lt.sinc(lt.tensor([0.0, 1e-20, -2.0, inf])), torch.sinc(torch.tensor([0.0, 1e-20, -2.0, inf])))
    close(lt.logit(lt.tensor([0.0, 1.0, 0.5, 2.0])), torch.logit(torch.tensor([0.0, 1.0, 0.5, 2.0])))
    close(lt.nansum(lt.tensor([nan, nan])), torch.nansum(torch.tensor([nan, nan])))
    close(lt.diff(lt.tensor([1, 5, 2]), n=5), torch.diff(torch.tensor([1, 5, 2]), n=5))
    close(lt.tensor_split(lt.arange(3), 5), torch.tensor_split(torch.arange(3), 5))
    close(lt.isin(lt.tensor([nan, 1.0]), lt.tensor([nan])), torch.isin(torch.tensor([nan, 1.0]), torch.tensor([nan])))
    assert lt.isin(lt.tensor([True, False]), lt.tensor([True])).tolist() == [True, False]  # torch 1.13 refuses bools
    close(lt.triu_indices(0, 3), torch.triu_indices(0, 3))
    close(lt.cdist(lt.zeros(2, 0), lt.zeros(3, 0)), torch.cdist(torch.zeros(2, 0), torch.zeros(3, 0)))
    for p in (0.0, 1.0, 3.0, inf):
        a, b = lt.tensor([[0.0, 2.0], [1.0, 1.0]]), lt.tensor([[0.0, 2.0], [3.0, -1.0]])
        close(lt.cdist(a, b, p=p), torch.cdist(T(a), T(b), p=p))


def test_gradients_at_ties_and_zero_distance():
    # logaddexp splits a tie evenly and fmax gives it to its first operand, as torch; cdist's
    # gradient at a zero distance is zero, not NaN.
    for f in ("logaddexp", "fmax", "fmin"):
        a = lt.tensor([0.5, 2.0], requires_grad=True)
        b = lt.tensor([0.5, 1.0], requires_grad=True)
        ta, tb = T(a.detach()).requires_grad_(), T(b.detach()).requires_grad_()
        getattr(lt, f)(a, b).sum().backward()
        getattr(torch, f)(ta, tb).sum().backward()
        close(a.grad, ta.grad)
        close(b.grad, tb.grad)
    x = lt.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lt.float64, requires_grad=True)
    tx = T(x.detach()).requires_grad_()
    lt.cdist(x, x).sum().backward()
    torch.cdist(tx, tx).sum().backward()
    close(x.grad, tx.grad)


def test_erfinv_is_within_one_ulp_of_mpmath():
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 40
    rng = np.random.default_rng(1)
    near_one = 1 - 10 ** rng.uniform(-16, -1, 300)
    xs = np.concatenate([rng.uniform(-1, 1, 300), near_one, -near_one, 10 ** rng.uniform(-300, -1, 100)])
    got = lt.erfinv(lt.tensor(xs)).numpy()
    for x, g in zip(xs, got):
        r = float(mpmath.erfinv(mpmath.mpf(float(x))))
        assert abs(g - r) <= np.spacing(abs(r)), (x, g, r)
    got32 = lt.erfinv(lt.tensor(xs.astype(np.float32))).numpy()
    for x, g in zip(xs.astype(np.float32), got32):
        if abs(x) < 1:
            assert g == np.float32(float(mpmath.erfinv(mpmath.mpf(float(x))))), x
    assert lt.erfinv(lt.tensor([1.0, -1.0, 1.5])).tolist()[:2] == [math.inf, -math.inf]
    assert math.isnan(lt.erfinv(lt.tensor([1.5])).item())


@pytest.mark.parametrize("call,message", [
    (lambda: lt.hstack([]), r"\[hstack\] expects a non-empty list of tensors"),
    (lambda: lt.broadcast_to(lt.ones(3), (4,)), r"\[broadcast_to\] cannot broadcast a tensor of shape \(3,\) to \(4,\)"),
    (lambda: lt.broadcast_tensors(lt.ones(3), lt.ones(4)), r"\[broadcast_tensors\]"),
    (lambda: lt.meshgrid(lt.ones(2), lt.ones(2, dtype=lt.int64)), r"\[meshgrid\] expects tensors of one dtype"),
    (lambda: lt.meshgrid(lt.ones(2), indexing="ji"), r"\[meshgrid\] indexing must be"),
    (lambda: lt.tensor_split(lt.ones(3), 0), r"\[tensor_split\] number of sections must be larger than 0"),
    (lambda: lt.diff(lt.ones(3), n=-1), r"\[diff\] order must be non-negative"),
    (lambda: lt.rot90(lt.ones(2, 2), 1, [0, 0]), r"\[rot90\] expects two different dims"),
    (lambda: lt.tensordot(lt.ones(2, 3), lt.ones(4, 5), 1), r"\[tensordot\] contracted dims differ in size"),
    (lambda: lt.tensordot(lt.ones(2), lt.ones(2, dtype=lt.float64), 1), r"\[tensordot\] expects operands of one"),
    (lambda: lt.inner(lt.ones(2, 3), lt.ones(4, 5)), r"\[inner\] last dims of shapes \(2, 3\) and \(4, 5\) differ"),
    (lambda: lt.cross(lt.ones(4), lt.ones(4)), r"\[cross\] no dim of size 3 in shape \(4,\)"),
    (lambda: lt.cross(lt.ones(3, 4), lt.ones(3, 4), dim=1), r"\[cross\] dim 1 .* has size 4, expected 3"),
    (lambda: lt.trace(lt.ones(3)), r"\[trace\] expects a 2-D tensor, got shape \(3,\)"),
    (lambda: lt.diag(lt.ones(2, 2, 2)), r"\[diag\] expects a 1-D or 2-D tensor"),
    (lambda: lt.cdist(lt.ones(2, 3), lt.ones(2, 4)), r"\[cdist\] x1 \(2, 3\) and x2 \(2, 4\) must have the same"),
    (lambda: lt.cdist(lt.ones(2, 3), lt.ones(2, 3), p=-1), r"\[cdist\] p must be non-negative"),
    (lambda: lt.addmv(lt.ones(3), lt.ones(2, 2), lt.ones(2)), r"\[addmv\] shapes \(3,\) and \(2,\) cannot be broadcast"),
    (lambda: lt.nanmean(lt.tensor([1, 2])), r"\[nanmean\] expects a floating-point input, got int64"),
    (lambda: lt.aminmax(lt.ones(0)), r"\[aminmax\] cannot reduce an empty tensor"),
    (lambda: lt.logaddexp(lt.tensor([1]), lt.tensor([2])), r"\[logaddexp\] expects floating-point inputs"),
    (lambda: lt.heaviside(lt.ones(2), lt.ones(2, dtype=lt.float64)), r"\[heaviside\] expects input and values of one"),
    (lambda: lt.take(lt.ones(2, 2), lt.tensor([4])), r"\[take\] index 4 is out of bounds for dimension 0 with size 4"),
    (lambda: lt.ones(2, 2).index_fill(0, lt.tensor([2]), 1.0), r"\[index_fill\] index 2 is out of bounds"),
    (lambda: lt.bucketize(lt.ones(2), lt.ones(2, 2)), r"\[bucketize\] boundaries must be 1-D"),
    (lambda: lt.tril_indices(-1, 2), r"\[tril_indices\] rows and cols must be non-negative"),
])
def test_errors_name_the_operator(call, message):
    with pytest.raises((RuntimeError, IndexError, ValueError), match=message):
        call()


def test_python_numbers_keep_the_tensors_precision():
    x = lt.tensor([0.1], dtype=lt.float64)
    assert lt.isin(x, 0.1).tolist() == [True]
    assert lt.bucketize(0.1, x).item() == torch.bucketize(0.1, torch.tensor([0.1], dtype=torch.float64)).item()
    close(lt.float_power(0.1, lt.tensor([1.0, 2.0])), torch.float_power(0.1, torch.tensor([1.0, 2.0])))
    with pytest.raises(TypeError):
        lt.float_power(2, 3)


def test_gradients_torch_defines_at_awkward_points():
    # A zero coordinate in a p < 2 distance, logaddexp against an infinity, a tensor fill value.
    for p in (0.5, 1.5, 3.0):
        a = lt.tensor([[0.0, 1.0]], dtype=lt.float64, requires_grad=True)
        ta = T(a.detach()).requires_grad_()
        lt.cdist(a, lt.tensor([[0.0, 0.0]], dtype=lt.float64), p=p).sum().backward()
        torch.cdist(ta, torch.tensor([[0.0, 0.0]], dtype=torch.float64), p=p).sum().backward()
        close(a.grad, ta.grad)
    a = lt.tensor([3.0, -math.inf, 2.0], requires_grad=True)
    b = lt.tensor([math.inf, 1.0, 2.0], requires_grad=True)
    ta, tb = T(a.detach()).requires_grad_(), T(b.detach()).requires_grad_()
    lt.logaddexp(a, b).sum().backward()
    torch.logaddexp(ta, tb).sum().backward()
    close(a.grad, ta.grad)
    close(b.grad, tb.grad)
    v = lt.tensor(2.0, requires_grad=True)
    tv = torch.tensor(2.0, requires_grad=True)
    lt.zeros(2, 3).index_fill(1, lt.tensor([0, 2]), v).sum().backward()
    torch.zeros(2, 3).index_fill(1, torch.tensor([0, 2]), tv).sum().backward()
    assert v.grad.item() == tv.grad.item() == 4
    x = lt.tensor([math.nan, 1.0], requires_grad=True)
    y = lt.addmv(x, lt.ones(2, 3), lt.ones(3), beta=0)       # beta 0: input ignored, NaN included
    y.sum().backward()
    assert y.tolist() == [3.0, 3.0] and x.grad.tolist() == [0.0, 0.0]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_half_precision_compositions_round_once(dtype):
    # Computed in float32 and rounded at the end: within one unit of the float64 result rounded.
    rng = np.random.default_rng(3)
    x = rng.uniform(0.02, 0.98, 400)
    y = rng.uniform(-9, 9, 400)
    cases = {"logit": (lambda m, a, b: m.logit(a)), "sinc": (lambda m, a, b: m.sinc(b)),
             "logaddexp": (lambda m, a, b: m.logaddexp(a, b))}
    for name, f in cases.items():
        got = f(lt, lt.tensor(x).to(getattr(lt, dtype)), lt.tensor(y).to(getattr(lt, dtype)))
        xs, ys = torch.tensor(x).to(getattr(torch, dtype)).double(), torch.tensor(y).to(getattr(torch, dtype)).double()
        exact = f(torch, xs, ys)
        # One unit in the last place at the exact value, or float32's rounding near a zero of sinc.
        ulp = torch.finfo(getattr(torch, dtype)).eps * 2.0 ** exact.abs().clamp_min(1e-30).log2().floor()
        err = (T(got.to(lt.float64)) - exact).abs()
        assert bool((err <= ulp + 1e-6).all()), (name, float((err / ulp).max()))


@pytest.mark.parametrize("call,name", [
    (lambda: lt.hstack([lt.ones(2, 2), lt.ones(3, 3)]), "hstack"),
    (lambda: lt.fmax(lt.ones(2), lt.ones(3)), "fmax"),
    (lambda: lt.cdist(lt.ones(2, 2, 3), lt.ones(3, 2, 3)), "cdist"),
    (lambda: lt.addmv(lt.ones(2), lt.ones(2, 3), lt.ones(4)), "addmv"),
    (lambda: lt.count_nonzero(lt.ones(2), dim=3), "count_nonzero"),
    (lambda: lt.var_mean(lt.tensor([1, 2])), "var_mean"),
    (lambda: lt.diff(lt.ones(2, 2), prepend=lt.ones(3, 3), dim=0), "diff"),
    (lambda: lt.take_along_dim(lt.ones(2, 2), lt.tensor([[5]]), 1), "take_along_dim"),
])
def test_errors_from_inner_operators_name_the_one_called(call, name):
    with pytest.raises((RuntimeError, IndexError, ValueError), match=rf"^\[{name}\] "):
        call()
    assert lt.tril_indices(2, 2, 2**63 - 1).shape == (2, 4)   # an offset beyond the matrix: every element
