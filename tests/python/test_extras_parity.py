"""Hand-written parity checks against torch 1.13 where its OpInfo samples are thin: the
argument forms, edge values and errors of the operators of each section below, and, for
the random samplers, distributions, seeds and errors.

    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python/test_extras_parity.py
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from _parity import lt, to_lt, assert_parity  # noqa: E402


def _randn(*shape, seed=0, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=g, dtype=dtype)


# --- einsum ---------------------------------------------------------------------------------

EINSUM_CASES = [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("ij,jk", [(3, 4), (4, 5)]),                # implicit output
    ("ba,ca", [(3, 4), (5, 4)]),                # implicit output, alphabetical: bc
    ("ii", [(4, 4)]),                           # trace
    ("ii->i", [(4, 4)]),                        # diagonal
    ("iij->ji", [(3, 3, 2)]),
    ("ijj,jk->ik", [(2, 3, 3), (3, 4)]),
    ("i,i->", [(5,), (5,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 2)]),   # ellipsis broadcasting
    ("...i,...i", [(2, 3), (3,)]),
    ("i...->...", [(3, 2, 2)]),
    ("...ij->...ji", [(2, 3, 4)]),
    ("ij...,jk...->ik...", [(2, 3, 4), (3, 5, 4)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),          # three operands, left to right
    ("ab,bc,cd,de->ae", [(2, 3), (3, 2), (2, 4), (4, 2)]),
    ("i,i,i->i", [(4,), (4,), (1,)]),                    # size-1 broadcast of a label
    ("ij,ij,ij->", [(2, 3), (2, 3), (2, 3)]),
    ("Ab,bC->AC", [(2, 3), (3, 4)]),                     # upper-case subscripts
    (" i j , j k -> i k ", [(2, 3), (3, 2)]),             # spaces
    ("ij->", [(0, 3)]),                                  # empty
    ("ij,jk->ik", [(2, 0), (0, 3)]),
]


@pytest.mark.parametrize("eq,shapes", EINSUM_CASES, ids=[c[0].replace(" ", "_") for c in EINSUM_CASES])
def test_einsum_values_and_grads(eq, shapes):
    ts = [_randn(*s, seed=i).requires_grad_(True) for i, s in enumerate(shapes)]
    ls = [to_lt(t.detach()).requires_grad_(True) for t in ts]
    expected = torch.einsum(eq, ts)
    got = lt.einsum(eq, *ls)
    assert_parity(got, expected)
    assert_parity(lt.einsum(eq, ls), expected)  # list form
    if expected.numel() == 0:
        return
    w = _randn(*expected.shape, seed=9)
    tg = torch.autograd.grad(expected, ts, w)
    lg = lt.autograd.grad(got, ls, to_lt(w))
    for a, b in zip(lg, tg):
        assert_parity(a, b)


def test_einsum_integers_and_double_backward():
    a = torch.arange(12).reshape(3, 4)
    assert_parity(lt.einsum("ij,kj->ik", to_lt(a), to_lt(a)), torch.einsum("ij,kj->ik", a, a))
    assert_parity(lt.einsum("ij->j", to_lt(a)), torch.einsum("ij->j", a))
    x = _randn(3, 4).requires_grad_(True)
    y = _randn(4, 2, seed=1).requires_grad_(True)
    lx, ly = to_lt(x.detach()).requires_grad_(True), to_lt(y.detach()).requires_grad_(True)
    assert lt.autograd.gradgradcheck(lambda p, q: lt.einsum("ij,jk->ik", p, q), (lx, ly))
    assert lt.autograd.gradcheck(lambda p: lt.einsum("ii->", p), (to_lt(_randn(3, 3)).requires_grad_(True),))


@pytest.mark.parametrize("eq,shapes,match", [
    ("ij,jk->ik", [(2, 3), (4, 5)], "subscript 'j'"),
    ("ij->ik", [(2, 3)], "output subscript 'k'"),
    ("ij->ii", [(2, 3)], "more than once"),
    ("ii->i", [(2, 3)], "repeated"),
    ("ijk->i", [(2, 3)], "operand 0"),
    ("ij,jk->ik", [(2, 3)], "operands"),
    ("i1->i", [(2, 2)], "invalid subscript"),
    ("i..j->i", [(2, 2)], "ellipsis"),
])
def test_einsum_errors(eq, shapes, match):
    with pytest.raises(Exception, match=r"einsum") as info:
        lt.einsum(eq, *[lt.zeros(*s) for s in shapes])
    assert match in str(info.value)
    with pytest.raises(Exception):
        torch.einsum(eq, *[torch.zeros(*s) for s in shapes])


# --- index extras ----------------------------------------------------------------------------

def test_repeat_interleave_forms():
    x = torch.arange(6).reshape(2, 3)
    lx = to_lt(x)
    assert_parity(lt.repeat_interleave(lx, 2), torch.repeat_interleave(x, 2))
    assert_parity(lx.repeat_interleave(2, dim=1), x.repeat_interleave(2, dim=1))
    r = torch.tensor([1, 0, 3])
    assert_parity(lt.repeat_interleave(lx, to_lt(r), dim=1), torch.repeat_interleave(x, r, dim=1))
    assert_parity(lt.repeat_interleave(to_lt(r)), torch.repeat_interleave(r))
    assert_parity(lt.repeat_interleave(lx, to_lt(torch.tensor([2])), dim=0), x.repeat_interleave(torch.tensor([2]), dim=0))
    assert_parity(lx.repeat_interleave(2, dim=0, output_size=4), x.repeat_interleave(2, dim=0, output_size=4))
    with pytest.raises(Exception, match="repeat_interleave"):
        lt.repeat_interleave(lx, to_lt(torch.tensor([1, 2])), dim=1)
    with pytest.raises(Exception, match="repeat_interleave"):
        lt.repeat_interleave(lx, -1)
    g = _randn(2, 3).requires_grad_(True)
    lg = to_lt(g.detach()).requires_grad_(True)
    w = _randn(2, 6, seed=3)
    tg, = torch.autograd.grad(g.repeat_interleave(2, dim=1), g, w)
    lgr, = lt.autograd.grad(lg.repeat_interleave(2, dim=1), lg, to_lt(w))
    assert_parity(lgr, tg)


def test_take_along_dim_broadcasts():
    x = _randn(3, 4)
    idx = torch.tensor([[0, 3]])  # broadcasts over dim 0
    assert_parity(lt.take_along_dim(to_lt(x), to_lt(idx), dim=1), torch.take_along_dim(x, idx, dim=1))
    assert_parity(to_lt(x).take_along_dim(to_lt(torch.tensor([5, 0, 11]))), x.take_along_dim(torch.tensor([5, 0, 11])))
    i2 = torch.argsort(x, dim=0)
    assert_parity(lt.take_along_dim(to_lt(x), to_lt(i2), 0), torch.take_along_dim(x, i2, 0))


def test_scatter_reduce_forms_and_in_place():
    x = _randn(3, 4)
    idx = torch.tensor([[0, 1, 2, 0], [2, 2, 0, 1]])
    src = _randn(2, 4, seed=1)
    for reduce in ["sum", "prod", "mean", "amax", "amin"]:
        for include_self in [True, False]:
            e = x.scatter_reduce(0, idx, src, reduce, include_self=include_self)
            assert_parity(lt.scatter_reduce(to_lt(x), 0, to_lt(idx), to_lt(src), reduce, include_self=include_self), e)
            t = to_lt(x)
            assert t.scatter_reduce_(0, to_lt(idx), to_lt(src), reduce, include_self=include_self) is t
            assert_parity(t, e)
    for reduce in ["add", "multiply"]:
        assert_parity(to_lt(x).scatter(0, to_lt(idx), to_lt(src), reduce=reduce), x.scatter(0, idx, src, reduce=reduce))
        assert_parity(to_lt(x).scatter(0, to_lt(idx), 2.0, reduce=reduce), x.scatter(0, idx, 2.0, reduce=reduce))
    with pytest.raises(Exception, match="scatter_reduce"):
        lt.scatter_reduce(to_lt(x), 0, to_lt(idx), to_lt(src), "max")
    with pytest.raises(Exception, match="scatter"):
        to_lt(x).scatter(0, to_lt(idx), to_lt(src), reduce="max")
    with pytest.raises(IndexError):
        lt.scatter_reduce(to_lt(x), 0, to_lt(idx + 3), to_lt(src), "sum")
    # integer mean floors, NaN wins amax
    xi = torch.tensor([-1, 2, 3])
    assert_parity(lt.scatter_reduce(to_lt(xi), 0, to_lt(torch.tensor([0, 0])), to_lt(torch.tensor([-4, -6])), "mean"),
                  torch.scatter_reduce(xi, 0, torch.tensor([0, 0]), torch.tensor([-4, -6]), "mean"))
    xn = torch.tensor([1.0, 2.0])
    sn = torch.tensor([float("nan"), 0.5])
    assert_parity(lt.scatter_reduce(to_lt(xn), 0, to_lt(torch.tensor([0, 1])), to_lt(sn), "amax"),
                  torch.scatter_reduce(xn, 0, torch.tensor([0, 1]), sn, "amax"))


def test_index_add_copy_masked_scatter():
    x = _randn(4, 3)
    idx = torch.tensor([0, 2, 0])
    src = _randn(4, 3, seed=2)[:3]
    assert_parity(lt.index_add(to_lt(x), 0, to_lt(idx), to_lt(src), alpha=2.5), torch.index_add(x, 0, idx, src, alpha=2.5))
    t = to_lt(x)
    assert t.index_add_(0, to_lt(idx), to_lt(src)) is t
    assert_parity(t, x.clone().index_add_(0, idx, src))
    uidx = torch.tensor([3, 1, 0])
    assert_parity(to_lt(x).index_copy(0, to_lt(uidx), to_lt(src)), x.index_copy(0, uidx, src))
    assert_parity(to_lt(x).index_copy_(1, to_lt(torch.tensor([2])), to_lt(x[:, :1])), x.clone().index_copy_(1, torch.tensor([2]), x[:, :1]))
    mask = torch.tensor([True, False, True])
    source = _randn(12, seed=4)
    assert_parity(lt.masked_scatter(to_lt(x), to_lt(mask), to_lt(source)), torch.masked_scatter(x, mask, source))
    t = to_lt(x)
    assert t.masked_scatter_(to_lt(mask), to_lt(source)) is t
    assert_parity(t, x.clone().masked_scatter_(mask, source))
    with pytest.raises(Exception, match="masked_scatter"):
        lt.masked_scatter(to_lt(x), to_lt(mask), to_lt(source[:3]))
    with pytest.raises(Exception, match="index_add"):
        lt.index_add(to_lt(x), 0, to_lt(idx), to_lt(src[:2]))
    with pytest.raises(IndexError):
        lt.index_copy(to_lt(x), 0, to_lt(torch.tensor([4, 0, 1])), to_lt(src))


# --- elementwise extras ---------------------------------------------------------------------

def test_elementwise_extras_edges():
    inf, nan = float("inf"), float("nan")
    x = torch.tensor([0.0, 0.0, 0.0, 1.0, -2.0, 3.0], dtype=torch.float64)
    y = torch.tensor([0.0, inf, nan, 0.0, 2.0, -1.0], dtype=torch.float64)
    assert_parity(lt.xlogy(to_lt(x), to_lt(y)), torch.xlogy(x, y))
    assert_parity(lt.xlogy(2, to_lt(y)), torch.xlogy(2, y))
    assert_parity(lt.xlogy(to_lt(x), 3), torch.xlogy(x, 3))
    assert_parity(to_lt(x).xlogy(to_lt(y)), x.xlogy(y))
    assert_parity(lt.copysign(to_lt(x), to_lt(-y)), torch.copysign(x, -y))
    assert_parity(lt.copysign(to_lt(torch.tensor([1, -2])), -0.0), torch.copysign(torch.tensor([1, -2]), -0.0))
    assert_parity(lt.hypot(to_lt(x), to_lt(y)), torch.hypot(x, y))
    with pytest.raises(TypeError):
        lt.hypot(to_lt(x), 2.0)
    z = torch.tensor([0.0, -0.0, -1.0, -2.5, 1e-8, 0.5, 1.0, 170.5, 1e10, inf, -inf, nan], dtype=torch.float64)
    assert_parity(lt.lgamma(to_lt(z)), torch.lgamma(z))
    assert_parity(lt.digamma(to_lt(z)), torch.digamma(z))
    for n in range(5):
        # at +inf torch 1.13 gives nan for n >= 2, libtensor the limit 0
        zz = z[(z > 0) & z.isfinite()]
        assert_parity(lt.polygamma(n, to_lt(zz)), torch.polygamma(n, zz))
        assert_parity(to_lt(zz).polygamma(n), zz.polygamma(n))
    t = to_lt(z.clone())
    assert t.digamma_() is t
    with pytest.raises(Exception, match="polygamma"):
        lt.polygamma(-1, to_lt(z))


# --- sampling ---------------------------------------------------------------------------------

def test_randperm_is_a_permutation_and_seeded():
    for n in [0, 1, 2, 17, 1000]:
        p = lt.randperm(n)
        assert p.dtype == lt.int64 and tuple(p.shape) == (n,)
        assert sorted(p.tolist()) == list(range(n))
    g1, g2 = lt.Generator().manual_seed(7), lt.Generator().manual_seed(7)
    assert lt.randperm(50, generator=g1).tolist() == lt.randperm(50, generator=g2).tolist()
    assert lt.randperm(50, generator=g1).tolist() != lt.randperm(50, generator=g1).tolist()
    assert lt.randperm(10, dtype=lt.float32).dtype == lt.float32
    # every position equally likely: the first element over many permutations
    g = lt.Generator().manual_seed(1)
    firsts = np.bincount([lt.randperm(5, generator=g)[0].item() for _ in range(5000)], minlength=5)
    chi2 = ((firsts - 1000) ** 2 / 1000).sum()
    assert chi2 < 20, firsts  # 4 degrees of freedom: p < 0.001
    with pytest.raises(Exception, match="randperm"):
        lt.randperm(-1)


def test_multinomial_frequencies():
    probs = torch.tensor([0.1, 0.0, 0.3, 0.6], dtype=torch.float64)
    g = lt.Generator().manual_seed(3)
    n = 40000
    s = lt.multinomial(to_lt(probs), n, replacement=True, generator=g)
    assert s.dtype == lt.int64 and tuple(s.shape) == (n,)
    counts = np.bincount(s.numpy(), minlength=4)
    assert counts[1] == 0
    expected = probs.numpy() * n
    chi2 = sum((counts[i] - expected[i]) ** 2 / expected[i] for i in (0, 2, 3))
    assert chi2 < 14, counts  # 2 degrees of freedom: p < 0.001
    # without replacement: distinct, never a zero weight while others remain; first-draw frequencies
    w = to_lt(torch.tensor([[1.0, 2.0, 0.0, 7.0], [0.0, 0.0, 5.0, 5.0]]))
    firsts = np.zeros(4)
    for _ in range(3000):
        r = lt.multinomial(w, 2, generator=g)
        assert tuple(r.shape) == (2, 2)
        rows = r.tolist()
        assert len(set(rows[0])) == 2 and 2 not in rows[0]
        assert sorted(rows[1]) == [2, 3]
        firsts[rows[0][0]] += 1
    expected = np.array([0.1, 0.2, 0.0, 0.7]) * 3000
    chi2 = sum((firsts[i] - expected[i]) ** 2 / expected[i] for i in (0, 1, 3))
    assert chi2 < 14, firsts
    # seeds reproduce, methods agree
    a = to_lt(probs).multinomial(5, True, generator=lt.Generator().manual_seed(11))
    b = lt.multinomial(to_lt(probs), 5, True, generator=lt.Generator().manual_seed(11))
    assert a.tolist() == b.tolist()


@pytest.mark.parametrize("bad,match", [
    (torch.tensor([0.5, -0.1]), "element < 0"),
    (torch.tensor([0.5, float("nan")]), "nan"),
    (torch.tensor([0.5, float("inf")]), "inf"),
    (torch.tensor([0.0, 0.0]), "sum of probabilities"),
    (torch.zeros(2, 2, 2), "1 or 2 dim"),
    (torch.tensor([1, 2]), "floating"),
])
def test_multinomial_errors(bad, match):
    with pytest.raises(Exception, match=match):
        lt.multinomial(to_lt(bad), 1)
    with pytest.raises(Exception):
        torch.multinomial(bad, 1)


def test_multinomial_sample_counts():
    p = to_lt(torch.tensor([0.2, 0.8]))
    with pytest.raises(Exception, match="without replacement"):
        lt.multinomial(p, 3)
    with pytest.raises(Exception, match="n_sample <= 0"):
        lt.multinomial(p, 0)
    assert tuple(lt.multinomial(p, 3, replacement=True).shape) == (3,)


@pytest.mark.parametrize("dtype", [lt.float64, lt.float32])
def test_exponential_and_friends(dtype):
    n = 200000
    g = lt.Generator().manual_seed(5)
    t = lt.empty(n, dtype=dtype)
    assert t.exponential_(2.0, generator=g) is t
    v = t.numpy().astype(np.float64)
    assert v.min() >= 0
    assert abs(v.mean() - 0.5) < 0.01 and abs(v.var() - 0.25) < 0.01
    again = lt.empty(n, dtype=dtype).exponential_(2.0, generator=lt.Generator().manual_seed(5))
    assert np.array_equal(again.numpy(), t.numpy())
    c = lt.empty(n, dtype=dtype).cauchy_(1.0, 2.0, generator=g).numpy().astype(np.float64)
    assert abs(np.median(c) - 1.0) < 0.05
    assert abs(np.mean(np.abs(c - 1.0) < 2.0) - 0.5) < 0.01  # the quartiles are median -+ sigma
    ln = lt.empty(n, dtype=dtype).log_normal_(0.5, 0.25, generator=g).numpy().astype(np.float64)
    assert abs(np.log(ln).mean() - 0.5) < 0.005 and abs(np.log(ln).std() - 0.25) < 0.005
    geo = lt.empty(n, dtype=dtype).geometric_(0.25, generator=g).numpy()
    assert geo.min() >= 1 and np.all(geo == np.floor(geo))
    assert abs(geo.mean() - 4.0) < 0.05 and abs(geo.var() - 12.0) < 0.5
    with pytest.raises(Exception, match="exponential_"):
        lt.empty(3).exponential_(-1.0)
    with pytest.raises(Exception, match="geometric_"):
        lt.empty(3).geometric_(1.5)
