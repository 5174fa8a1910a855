"""Sorting, searching and scans against PyTorch, where the OpInfo samples are thin: ties
(stable and unstable sorts, topk's two selection paths, cummax / cummin), NaN order,
long rows, every dtype of the scans' result rules, cumprod's derivatives at zeros,
unique along dims, searchsorted's and bincount's arguments and errors.

Run with Debian's interpreter and the package of a build:

    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python/test_sorting.py
"""
import os
import sys

import pytest
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _parity import lt, to_lt, to_torch, assert_parity  # noqa: E402

NAN = float("nan")
REAL = [torch.float64, torch.float32, torch.float16, torch.bfloat16, torch.int64, torch.int32, torch.int16,
        torch.int8, torch.uint8]


def ties(shape, dtype, seed=0, high=4):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, high, shape, generator=g).to(dtype)


def with_nans(shape, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randint(-3, 4, shape, generator=g).double()
    x[torch.rand(shape, generator=g) < 0.2] = NAN
    return x


# --- sort, argsort, topk --------------------------------------------------------------------

@pytest.mark.parametrize("dtype", REAL + [torch.bool])
@pytest.mark.parametrize("descending", [False, True])
def test_sort_with_ties_matches_torch(dtype, descending):
    """Unstable sorts make the same choices among ties as torch's; stable ones keep the input's order."""
    for shape, dim in [((3, 40), 1), ((40, 3), 0), ((2000,), 0), ((5, 6, 7), 1)]:
        t = ties(shape, dtype)
        for stable in (False, True):
            kw = dict(dim=dim, descending=descending, stable=stable)
            assert_parity(lt.sort(to_lt(t), **kw), torch.sort(t, **kw), what=f"{shape} stable={stable}")
        assert_parity(lt.argsort(to_lt(t), dim, descending), torch.argsort(t, dim, descending))


@pytest.mark.parametrize("descending", [False, True])
def test_sort_nan_is_largest(descending):
    t = with_nans((6, 9))
    for dim in (0, 1):
        kw = dict(dim=dim, descending=descending, stable=True)
        assert_parity(to_lt(t).sort(**kw), t.sort(**kw))
        assert_parity(to_lt(t).sort(dim, descending), t.sort(dim, descending))


def test_sort_result_type_and_layouts():
    t = torch.randn(4, 5, 6)
    r = lt.sort(to_lt(t).permute(2, 0, 1), dim=1)
    assert type(r).__name__ == "sort" and r._fields == ("values", "indices")
    values, indices = r
    assert values is r.values and indices is r.indices
    assert_parity(r, torch.sort(t.permute(2, 0, 1), dim=1))
    assert_parity(lt.msort(to_lt(t)), torch.msort(t))
    assert_parity(to_lt(t).msort(), t.msort())


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.bfloat16, torch.int64, torch.uint8])
@pytest.mark.parametrize("largest", [True, False])
def test_topk_with_ties_matches_torch(dtype, largest):
    """Both selection paths (a partial sort for k small against the row, nth_element otherwise)."""
    for shape, k, dim in [((3, 1000), 5, 1), ((3, 1000), 200, 1), ((50, 4), 3, 0), ((7, 9), 9, 1)]:
        t = ties(shape, dtype, high=20)
        assert_parity(lt.topk(to_lt(t), k, dim, largest), torch.topk(t, k, dim, largest), what=f"{shape} k={k}")
        got = to_lt(t).topk(k, dim, largest, sorted=False)
        want = torch.topk(t, k, dim, largest, sorted=False)
        assert_parity(got, want, what=f"{shape} k={k} unsorted")


def test_topk_nan():
    t = with_nans((5, 70))
    for largest in (True, False):
        for k in (1, 3, 40):
            assert_parity(lt.topk(to_lt(t), k, largest=largest), torch.topk(t, k, largest=largest))


# --- kthvalue, median ----------------------------------------------------------------------

def _gather_consistent(x, values, indices, dim, keepdim):
    idx = to_torch(indices)
    if not keepdim:
        idx = idx.unsqueeze(dim)
    picked = torch.gather(x, dim, idx)
    assert torch.equal(picked.reshape(to_torch(values).shape), to_torch(values))


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.bfloat16, torch.int64, torch.int8])
def test_kthvalue_and_median(dtype):
    """Values as torch's; kthvalue's indices name an element holding the value (torch's choice among ties
    is its quickselect's), libtensor's the one a stable sort puts at k - 1."""
    t = ties((6, 11), dtype, high=5)
    for dim in (0, 1, -1):
        for keepdim in (False, True):
            for k in (1, 3, 6):
                v, i = lt.kthvalue(to_lt(t), k, dim, keepdim)
                assert_parity(v, torch.kthvalue(t, k, dim, keepdim).values)
                _gather_consistent(t, v, i, dim, keepdim)
                stable = torch.sort(t, dim=dim, stable=True).indices.narrow(dim, k - 1, 1)
                assert_parity(i, stable if keepdim else stable.squeeze(dim))
            # median's index is the first of the equal elements, as a stable sort would place it
            assert_parity(to_lt(t).median(dim, keepdim=keepdim), t.median(dim, keepdim=keepdim))
    assert_parity(lt.median(to_lt(t)), torch.median(t))


def test_median_nan():
    t = with_nans((7, 8), seed=3)
    t[2] = torch.arange(8.0)  # one row without NaN
    assert_parity(lt.median(to_lt(t), 1), torch.median(t, 1))  # NaN and its first index
    assert_parity(lt.median(to_lt(t)), torch.median(t))
    assert_parity(lt.median(to_lt(t[2])), torch.median(t[2]))
    assert_parity(lt.kthvalue(to_lt(t), 8, 1).values, torch.kthvalue(t, 8, 1).values)
    assert_parity(lt.median(lt.zeros(0)), torch.median(torch.zeros(0)))


def test_selection_errors():
    x = lt.zeros(3, 4)
    with pytest.raises(RuntimeError):
        lt.topk(x, 5)
    with pytest.raises(RuntimeError):
        lt.kthvalue(x, 0)
    with pytest.raises(RuntimeError):
        lt.kthvalue(x, 5)
    with pytest.raises(IndexError):
        lt.median(lt.zeros(2, 0), 1)
    with pytest.raises(IndexError):
        lt.sort(x, 2)


# --- derivatives ---------------------------------------------------------------------------

def _g64(*shape, seed=0):
    g = torch.Generator().manual_seed(seed)
    return to_lt(torch.rand(shape, dtype=torch.float64, generator=g) * 4 - 2).requires_grad_()


SELECTIONS = {
    "sort": lambda x: lt.sort(x, 0, descending=True).values,
    "topk": lambda x: lt.topk(x, 2, 1).values,
    "topk_unsorted": lambda x: lt.topk(x, 3, 1, sorted=False).values,
    "kthvalue": lambda x: lt.kthvalue(x, 2, 0, keepdim=True).values,
    "median_dim": lambda x: lt.median(x, 1).values,
    "median": lambda x: lt.median(x),
    "cummax": lambda x: lt.cummax(x, 1).values,
    "cummin": lambda x: lt.cummin(x, 0).values,
    "cumsum": lambda x: lt.cumsum(x, 1),
    "cumsum_dtype": lambda x: lt.cumsum(x, 0, dtype=lt.float64),
    "cumprod": lambda x: lt.cumprod(x, 0),
}


@pytest.mark.parametrize("name", sorted(SELECTIONS))
def test_gradcheck_and_gradgradcheck(name):
    x = _g64(4, 5)
    f = SELECTIONS[name]
    assert lt.autograd.gradcheck(f, (x,))
    assert lt.autograd.gradgradcheck(f, (x,))


def test_selection_gradients_match_torch():
    t = ties((4, 6), torch.float64, high=3).requires_grad_()  # ties: the gradient follows the indices
    for f_lt, f_t in [(lambda x: lt.cummax(x, 1).values, lambda x: torch.cummax(x, 1).values),
                      (lambda x: lt.cummin(x, 0).values, lambda x: torch.cummin(x, 0).values),
                      (lambda x: lt.sort(x, dim=1, stable=True).values,
                       lambda x: torch.sort(x, dim=1, stable=True).values),
                      (lambda x: lt.median(x), lambda x: torch.median(x))]:
        x = to_lt(t.detach()).requires_grad_()
        out_t = f_t(t)
        w = torch.randn(out_t.shape, dtype=torch.float64)
        (g_t,) = torch.autograd.grad(out_t, t, w)
        (g,) = lt.autograd.grad(f_lt(x), x, to_lt(w))
        assert_parity(g, g_t)


def _with_zeros():
    t = torch.tensor([[0.5, 0, -1.5, 2, 0], [1.25, 0.75, -2, 0, 0], [1.5, 0.5, 3, -0.5, 1.5], [0, 0, 0, 0, 0],
                      [0, 1.5, 2, -1, 0.5]], dtype=torch.float64)
    return t


@pytest.mark.parametrize("dim", [0, 1])
def test_cumprod_gradients_at_zeros(dim):
    """First derivatives as torch's, and first and second derivatives against finite differences."""
    t = _with_zeros().requires_grad_()
    w = torch.randn(5, 5, dtype=torch.float64)
    (g_t,) = torch.autograd.grad(torch.cumprod(t, dim), t, w, create_graph=True)
    x = to_lt(t.detach()).requires_grad_()
    (g,) = lt.autograd.grad(lt.cumprod(x, dim), x, to_lt(w), create_graph=True)
    assert_parity(g, g_t)
    # the second derivative, as a vector-Jacobian product of the gradient
    v = torch.randn(5, 5, dtype=torch.float64)
    (gg_t,) = torch.autograd.grad(g_t, t, v)
    (gg,) = lt.autograd.grad(g, x, to_lt(v))
    assert_parity(gg, gg_t)
    x = to_lt(t.detach()).requires_grad_()
    assert lt.autograd.gradcheck(lambda a: lt.cumprod(a, dim), (x,))
    assert lt.autograd.gradgradcheck(lambda a: lt.cumprod(a, dim), (x,))


def test_not_differentiable():
    x = _g64(3, 4)
    assert not lt.argsort(x).requires_grad
    assert not lt.sort(x).indices.requires_grad
    assert lt.sort(x).values.grad_fn.name() == "SortBackward0"
    assert lt.median(x, 0).values.grad_fn.name() == "MedianBackward1"
    assert lt.median(x).grad_fn.name() == "MedianBackward0"
    assert lt.cumsum(x, 0).grad_fn.name() == "CumsumBackward0"
    assert lt.cumprod(x, 0).grad_fn.name() == "CumprodBackward0"
    assert lt.cummax(x, 0).values.grad_fn.name() == "CummaxBackward0"
    assert lt.topk(x, 2).values.grad_fn.name() == "TopkBackward0"
    assert lt.kthvalue(x, 2).values.grad_fn.name() == "KthvalueBackward0"


# --- scans ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", REAL + [torch.bool])
def test_scan_dtypes(dtype):
    """Integers and bools give int64; dtype= casts first; every dim of a non-contiguous input."""
    t = ties((4, 5, 6), dtype, high=3).permute(2, 0, 1)
    for dim in range(3):
        for name in ("cumsum", "cumprod"):
            if name == "cumprod" and dtype in (torch.float16,):
                continue  # torch 1.13 has no float16 cumprod on the CPU
            if dtype == torch.float16 and name == "cumsum":
                continue  # nor float16 cumsum
            want = getattr(torch, name)(t, dim)
            assert_parity(getattr(lt, name)(to_lt(t), dim), want, what=f"{name} dim={dim}")
            assert_parity(getattr(to_lt(t), name)(dim, dtype=lt.float64),
                          getattr(t, name)(dim, dtype=torch.float64), what=f"{name} dim={dim} float64")
        if dtype != torch.float16:
            assert_parity(lt.cummax(to_lt(t), dim), torch.cummax(t, dim), what=f"cummax dim={dim}")
            assert_parity(to_lt(t).cummin(dim), t.cummin(dim), what=f"cummin dim={dim}")


def test_scans_nan_and_wrapping():
    t = with_nans((6, 8), seed=5)
    for dim in (0, 1):
        assert_parity(lt.cummax(to_lt(t), dim), torch.cummax(t, dim))
        assert_parity(lt.cummin(to_lt(t), dim), torch.cummin(t, dim))
        assert_parity(lt.cumsum(to_lt(t), dim), torch.cumsum(t, dim))
    u = torch.tensor([200, 100, 250], dtype=torch.uint8)
    assert_parity(lt.cumsum(to_lt(u), 0, dtype=lt.uint8), torch.cumsum(u, 0, dtype=torch.uint8))
    assert_parity(lt.cumprod(to_lt(u), 0), torch.cumprod(u, 0))
    big = torch.full((1 << 20,), 0.1, dtype=torch.float32)  # accumulated in double, as torch's CPU kernel
    assert_parity(lt.cumsum(to_lt(big), 0), torch.cumsum(big, 0), rtol=0, atol=0)


def test_inplace_scans():
    t = torch.randn(3, 4)
    x = to_lt(t)
    assert x.cumsum_(1) is x
    assert_parity(x, t.clone().cumsum_(1))
    x = to_lt(t)
    x.cumprod_(0, dtype=lt.float32)
    assert_parity(x, t.clone().cumprod_(0))
    with pytest.raises(RuntimeError):
        to_lt(t).cumsum_(0, dtype=lt.float64)


# --- unique --------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.uint8, torch.bool, torch.bfloat16])
def test_unique_matches_torch(dtype):
    for shape in [(), (7,), (6, 5), (4, 3, 5), (4, 1, 3)]:
        t = ties(shape, dtype, high=3)
        for inv in (False, True):
            for counts in (False, True):
                kw = dict(return_inverse=inv, return_counts=counts)
                assert_parity(lt.unique(to_lt(t), **kw), torch.unique(t, **kw), what=f"{shape} {kw}")
                for dim in range(-len(shape), len(shape)):
                    assert_parity(to_lt(t).unique(dim=dim, **kw), t.unique(dim=dim, **kw),
                                  what=f"{shape} dim={dim} {kw}")


def test_unique_unsorted_is_sorted():
    t = torch.tensor([3, 1, 2, 3, 5, 1])
    values, inverse, counts = lt.unique(to_lt(t), sorted=False, return_inverse=True, return_counts=True)
    assert values.tolist() == [1, 2, 3, 5]
    assert values[inverse].tolist() == t.tolist()
    assert counts.tolist() == [2, 1, 2, 1]


# --- searchsorted, bincount ----------------------------------------------------------------

@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.float16, torch.bfloat16, torch.int64,
                                   torch.int16, torch.uint8])
def test_searchsorted(dtype):
    seq = torch.sort(ties((40,), dtype, high=10)).values
    vals = ties((3, 7), dtype, seed=1, high=12)
    for right in (False, True):
        for out_int32 in (False, True):
            kw = dict(right=right, out_int32=out_int32)
            assert_parity(lt.searchsorted(to_lt(seq), to_lt(vals), **kw), torch.searchsorted(seq, vals, **kw))
        side = "right" if right else "left"
        assert_parity(lt.searchsorted(to_lt(seq), to_lt(vals), side=side), torch.searchsorted(seq, vals, side=side))
        assert_parity(lt.searchsorted(to_lt(seq), 5, right=right), torch.searchsorted(seq, 5, right=right))
    rows = torch.sort(ties((3, 9), dtype, high=10), dim=1).values
    assert_parity(lt.searchsorted(to_lt(rows), to_lt(vals)), torch.searchsorted(rows, vals))
    unsorted = ties((3, 9), dtype, seed=2, high=10)
    sorter = torch.argsort(unsorted, dim=1)
    assert_parity(lt.searchsorted(to_lt(unsorted), to_lt(vals), sorter=to_lt(sorter)),
                  torch.searchsorted(unsorted, vals, sorter=sorter))


def test_searchsorted_nan_mixed_and_errors():
    seq = torch.tensor([1.0, 2.0, NAN])
    vals = torch.tensor([NAN, 5.0, 1.0])
    for right in (False, True):
        assert_parity(lt.searchsorted(to_lt(seq), to_lt(vals), right=right), torch.searchsorted(seq, vals, right=right))
    ints = torch.tensor([1, 2, 3])
    assert_parity(lt.searchsorted(to_lt(ints), to_lt(torch.tensor([2.5, 3.0]))),
                  torch.searchsorted(ints, torch.tensor([2.5, 3.0])))
    with pytest.raises(RuntimeError):
        lt.searchsorted(to_lt(ints), to_lt(ints), right=True, side="left")
    with pytest.raises(RuntimeError):
        lt.searchsorted(lt.zeros(2, 3), lt.zeros(3))


def test_bincount():
    t = torch.tensor([0, 2, 2, 5, 1], dtype=torch.int32)
    for weights in (None, torch.rand(5), torch.rand(5, dtype=torch.float64), torch.tensor([1, 2, 3, 4, 5])):
        for minlength in (0, 3, 9):
            w = None if weights is None else to_lt(weights)
            assert_parity(lt.bincount(to_lt(t), w, minlength), torch.bincount(t, weights, minlength))
            assert_parity(to_lt(t).bincount(weights=w, minlength=minlength),
                          t.bincount(weights=weights, minlength=minlength))
    assert_parity(lt.bincount(lt.zeros(0, dtype=lt.int64)), torch.bincount(torch.zeros(0, dtype=torch.int64)))
    for bad in (torch.tensor([-1]), torch.tensor([[1]]), torch.tensor([1.0])):
        with pytest.raises(RuntimeError):
            torch.bincount(bad)
        with pytest.raises(RuntimeError):
            lt.bincount(to_lt(bad))
    with pytest.raises(RuntimeError):
        lt.bincount(to_lt(t), minlength=-1)
