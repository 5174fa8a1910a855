"""libtensor.linalg against torch 1.13's torch.linalg: the LU and Cholesky factorizations, the solvers on
them, inverses and determinants, matrix powers and norms, and PyTorch's top-level forms (det, inverse,
cholesky_solve, lu_unpack, ...): values in float32 and float64 with batches that broadcast, non-contiguous,
rectangular and empty inputs, pivots and info exactly, gradients (and gradients of gradients), and errors
that name the operator.

    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python/test_linalg.py
"""
import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import libtensor as lt  # noqa: E402
from _parity import close, to_torch as T  # noqa: E402

DTYPES = ["float32", "float64"]
TOL = {"float32": dict(rtol=1e-4, atol=1e-4), "float64": dict(rtol=1e-10, atol=1e-10)}




def well(rng, *shape):
    """Random square matrices, diagonally shifted to be well conditioned."""
    return rng.standard_normal(shape) + shape[-1] * np.eye(shape[-1])


def spd(rng, *shape):
    x = rng.standard_normal(shape)
    return x @ np.swapaxes(x, -1, -2) + shape[-1] * np.eye(shape[-1])


def pair(x, dtype="float64", requires_grad=False):
    x = np.asarray(x, dtype=dtype)
    return lt.tensor(x, requires_grad=requires_grad), torch.tensor(x, requires_grad=requires_grad)


# --- factorizations -------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(4, 4), (3, 5), (5, 3), (2, 3, 5), (2, 5, 3), (2, 3, 4, 4), (1, 1)])
def test_lu_factor_lu_and_lu_unpack_match_torch(rng, dtype, shape):
    a, t = pair(rng.standard_normal(shape), dtype)
    LU, piv = lt.linalg.lu_factor(a)
    tLU, tpiv = torch.linalg.lu_factor(t)
    close(LU, tLU, **TOL[dtype])
    assert piv.dtype == lt.int32 and piv.numpy().tolist() == tpiv.numpy().tolist()
    close(lt.linalg.lu_factor_ex(a), tuple(torch.linalg.lu_factor_ex(t)), **TOL[dtype])
    close(lt.linalg.lu(a), tuple(torch.linalg.lu(t)), **TOL[dtype])
    close(lt.lu_unpack(LU, piv), tuple(torch.lu_unpack(tLU, tpiv)), **TOL[dtype])
    # A transposed view factors as its contiguous copy.
    close(lt.linalg.lu_factor(a.transpose(-2, -1)), tuple(torch.linalg.lu_factor(t.mT)), **TOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_family_matches_torch(rng, dtype, upper):
    a, t = pair(spd(rng, 2, 4, 4), dtype)
    tol = TOL[dtype]
    close(lt.linalg.cholesky(a, upper=upper), torch.linalg.cholesky(t, upper=upper), **tol)
    close(lt.linalg.cholesky_ex(a, upper=upper), tuple(torch.linalg.cholesky_ex(t, upper=upper)), **tol)
    close(lt.cholesky(a, upper), torch.cholesky(t, upper), **tol)
    close(a.cholesky(upper=upper), t.cholesky(upper=upper), **tol)
    close(lt.linalg.cholesky(a.transpose(-2, -1)), torch.linalg.cholesky(t.mT), **tol)
    L, tL = lt.linalg.cholesky(a, upper=upper), torch.linalg.cholesky(t, upper=upper)
    close(lt.cholesky_inverse(L, upper), torch.cholesky_inverse(tL, upper), **tol)
    b, tb = pair(rng.standard_normal((3, 1, 4, 2)), dtype)
    close(lt.cholesky_solve(b, L, upper), torch.cholesky_solve(tb, tL, upper), **tol)
    close(b.cholesky_solve(L, upper=upper), tb.cholesky_solve(tL, upper=upper), **tol)


# --- solvers --------------------------------------------------------------------------------------------

SOLVE_CASES = [((4, 4), (4, 2), True), ((2, 1, 4, 4), (3, 4, 2), True), ((4, 4), (4,), True),
               ((2, 4, 4), (2, 4), True), ((3, 4, 4), (4,), True), ((4, 4), (2, 4), False),
               ((2, 1, 4, 4), (3, 5, 4), False), ((2, 4, 4), (2, 4), False), ((1, 1), (1, 3), True)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("ashape,bshape,left", SOLVE_CASES)
def test_solve_matches_torch(rng, dtype, ashape, bshape, left):
    a, t = pair(well(rng, *ashape), dtype)
    b, tb = pair(rng.standard_normal(bshape), dtype)

    def expected(A):  # torch 1.13 refuses vectors with left=False: as rows, x A = b
        if not left and tb.shape == A.shape[:-1]:
            return torch.linalg.solve(A, tb.unsqueeze(-2), left=False).squeeze(-2)
        return torch.linalg.solve(A, tb, left=left)
    close(lt.linalg.solve(a, b, left=left), expected(t), **TOL[dtype])
    close(lt.linalg.solve(a.transpose(-2, -1), b, left=left), expected(t.mT), **TOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("adjoint", [False, True])
def test_lu_solve_matches_torch(rng, dtype, left, adjoint):
    a, t = pair(well(rng, 2, 1, 4, 4), dtype)
    b, tb = pair(rng.standard_normal((3, 4, 2) if left else (3, 2, 4)), dtype)
    LU, piv = lt.linalg.lu_factor(a)
    tLU, tpiv = torch.linalg.lu_factor(t)
    close(lt.linalg.lu_solve(LU, piv, b, left=left, adjoint=adjoint),
          torch.linalg.lu_solve(tLU, tpiv, tb, left=left, adjoint=adjoint), **TOL[dtype])
    if left and not adjoint:
        b2, tb2 = pair(rng.standard_normal((2, 3, 4, 2)), dtype)
        close(lt.lu_solve(b2, LU, piv), torch.lu_solve(tb2, tLU, tpiv), **TOL[dtype])
        close(b2.lu_solve(LU, piv), tb2.lu_solve(tLU, tpiv), **TOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("unit", [False, True])
def test_solve_triangular_reads_its_triangle_like_torch(rng, dtype, upper, left, unit):
    a, t = pair(well(rng, 2, 1, 4, 4), dtype)  # full matrices: only one triangle may be read
    b, tb = pair(rng.standard_normal((3, 4, 2) if left else (3, 2, 4)), dtype)
    kw = dict(upper=upper, left=left, unitriangular=unit)
    close(lt.linalg.solve_triangular(a, b, **kw), torch.linalg.solve_triangular(t, tb, **kw), **TOL[dtype])
    close(lt.linalg.solve_triangular(a.transpose(-2, -1), b, **kw),
          torch.linalg.solve_triangular(t.mT, tb, **kw), **TOL[dtype])


# --- inverses, determinants, powers --------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(4, 4), (2, 3, 3), (1, 1)])
def test_inverse_and_determinants_match_torch(rng, dtype, shape):
    x = rng.standard_normal(shape) + 2 * np.eye(shape[-1])
    x[..., 0, :] *= -1  # some negative determinants
    a, t = pair(x, dtype)
    tol = TOL[dtype]
    for ours, theirs in ((a, t), (a.transpose(-2, -1), t.mT)):
        close(lt.linalg.inv(ours), torch.linalg.inv(theirs), **tol)
        close(lt.linalg.inv_ex(ours), tuple(torch.linalg.inv_ex(theirs)), **tol)
        close(lt.inverse(ours), torch.inverse(theirs), **tol)
        close(lt.linalg.det(ours), torch.linalg.det(theirs), **tol)
        close(lt.det(ours), torch.det(theirs), **tol)
        close(ours.det(), theirs.det(), **tol)
        close(lt.linalg.slogdet(ours), tuple(torch.linalg.slogdet(theirs)), **tol)
        close(lt.slogdet(ours), tuple(torch.slogdet(theirs)), **tol)
        close(lt.logdet(ours), torch.logdet(theirs), **tol)
        close(ours.logdet(), theirs.logdet(), **tol)


def test_logdet_of_negative_and_singular_matrices(rng):
    x = well(rng, 3, 3)
    x[0] *= -1
    s = rng.standard_normal((3, 3))
    s[:, 1] = 0
    a, t = pair(np.stack([x, s]))
    close(lt.logdet(a), torch.logdet(t))
    assert math.isnan(lt.logdet(a)[0].item()) and lt.logdet(a)[1].item() == -math.inf
    close(lt.linalg.slogdet(a), tuple(torch.linalg.slogdet(t)))
    close(lt.linalg.det(a), torch.linalg.det(t))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [-3, -1, 0, 1, 2, 5])
def test_matrix_power_matches_torch(rng, dtype, n):
    a, t = pair(rng.standard_normal((2, 3, 3)) / 2 + np.eye(3), dtype)
    tol = dict(rtol=1e-3, atol=1e-3) if dtype == "float32" else TOL[dtype]
    close(lt.linalg.matrix_power(a, n), torch.linalg.matrix_power(t, n), **tol)
    close(lt.matrix_power(a, n), torch.matrix_power(t, n), **tol)
    close(a.transpose(-2, -1).matrix_power(n), t.mT.matrix_power(n), **tol)


def test_empty_shapes_match_torch():
    for shape in [(0, 0), (0, 3, 3), (2, 0, 0)]:
        a, t = pair(np.zeros(shape))
        close(lt.linalg.lu_factor_ex(a), tuple(torch.linalg.lu_factor_ex(t)))
        close(lt.linalg.inv(a), torch.linalg.inv(t))
        close(lt.linalg.det(a), torch.linalg.det(t))
        close(lt.linalg.slogdet(a), tuple(torch.linalg.slogdet(t)))
        close(lt.linalg.cholesky_ex(a), tuple(torch.linalg.cholesky_ex(t)))
        close(lt.linalg.matrix_power(a, 3), torch.linalg.matrix_power(t, 3))
        close(lt.linalg.matrix_power(a, 0), torch.linalg.matrix_power(t, 0))
        b, tb = pair(np.zeros(shape[:-1] + (2,)))
        close(lt.linalg.solve(a, b), torch.linalg.solve(t, tb))
    a, t = pair(np.zeros((0, 4)))
    close(lt.linalg.lu(a), tuple(torch.linalg.lu(t)))


# --- singular and not positive-definite input: info and LinAlgError --------------------------------------

def singular_batch(rng):
    x = np.stack([well(rng, 4, 4) for _ in range(4)])
    for i, col in ((1, 0), (2, 2), (3, 3)):
        x[i, :, col] = 0
    return x


def test_info_of_the_ex_forms_matches_torch(rng):
    a, t = pair(singular_batch(rng))
    close(lt.linalg.lu_factor_ex(a), tuple(torch.linalg.lu_factor_ex(t)))
    # inv_ex: the first zero pivot, as lu_factor_ex's (torch 1.13's LAPACK reports n for every singular one).
    assert lt.linalg.inv_ex(a).info.numpy().tolist() == [0, 1, 3, 4]
    assert torch.linalg.inv_ex(t).info.tolist() == [0, 4, 4, 4]
    for i in range(4):
        close(lt.linalg.lu_factor_ex(a[i]), tuple(torch.linalg.lu_factor_ex(t[i])))
        assert (lt.linalg.inv_ex(a[i]).info.item() > 0) == (torch.linalg.inv_ex(t[i]).info.item() > 0)
    x = spd(rng, 3, 4, 4)
    x[1, 2, 2] = -50.0
    x[2] *= -1
    a, t = pair(x)
    assert lt.linalg.cholesky_ex(a).info.numpy().tolist() == torch.linalg.cholesky_ex(t).info.tolist() == [0, 3, 1]
    close(lt.linalg.cholesky_ex(a).L[0], torch.linalg.cholesky_ex(t).L[0])


def test_linalg_errors_name_the_op_and_the_batch_element(rng):
    assert issubclass(lt.linalg.LinAlgError, RuntimeError) and "LinAlgError" in lt.linalg.LinAlgError.__name__
    s = singular_batch(rng)
    a = lt.tensor(s)
    with pytest.raises(lt.linalg.LinAlgError, match=r"^\[linalg.solve\].*\(batch element 1\).*singular"):
        lt.linalg.solve(a, lt.tensor(np.ones((4, 4, 1))))
    with pytest.raises(lt.linalg.LinAlgError, match=r"^\[linalg.inv\].*singular"):
        lt.linalg.inv(a[1])
    with pytest.raises(lt.linalg.LinAlgError, match=r"^\[linalg.inv\]"):
        lt.linalg.inv_ex(a, check_errors=True)
    with pytest.raises(RuntimeError, match=r"^\[linalg.lu_factor\].*\(batch element 1\)"):
        lt.linalg.lu_factor(a)
    x = spd(rng, 2, 4, 4)
    x[1, 2, 2] = -50.0
    with pytest.raises(lt.linalg.LinAlgError, match=r"^\[linalg.cholesky\] \(batch element 1\).*order 3"):
        lt.linalg.cholesky(lt.tensor(x))
    with pytest.raises(lt.linalg.LinAlgError, match=r"leading minor of order 3"):
        lt.cholesky(lt.tensor(x[1]))
    with pytest.raises(lt.linalg.LinAlgError, match=r"\(batch element 1\)"):
        lt.linalg.cholesky_ex(lt.tensor(x), check_errors=True)


def test_shape_and_dtype_errors(rng):
    a3 = lt.tensor(rng.standard_normal((2, 3)))
    sq = lt.tensor(well(rng, 3, 3))
    for f in (lt.linalg.inv, lt.linalg.det, lt.linalg.slogdet, lt.linalg.cholesky, lt.logdet):
        with pytest.raises(RuntimeError, match=r"expects square matrices, got shape \(2, 3\)"):
            f(a3)
    with pytest.raises(RuntimeError, match=r"^\[linalg.solve\] expects square matrices, got shape \(2, 3\)"):
        lt.linalg.solve(a3, lt.tensor(np.ones((2, 1))))
    with pytest.raises(RuntimeError, match=r"^\[linalg.solve\] A of shape \(3, 3\) and B of shape \(4, 2\) "
                                           r"are incompatible: 4 != 3"):
        lt.linalg.solve(sq, lt.tensor(np.ones((4, 2))))
    with pytest.raises(RuntimeError, match=r"linalg.solve_triangular"):
        lt.linalg.solve_triangular(sq, lt.tensor(np.ones((4, 2))), upper=True)
    with pytest.raises(RuntimeError, match=r"linalg.matrix_power"):
        lt.linalg.matrix_power(a3, 2)
    with pytest.raises(RuntimeError, match=r"at least 2 dims"):
        lt.linalg.lu_factor(lt.tensor(np.ones(3)))
    for dtype in (lt.int64, lt.float16):
        with pytest.raises(RuntimeError, match=r"^\[linalg.inv\] expects float32 or float64 matrices, got"):
            lt.linalg.inv(sq.to(dtype))
        with pytest.raises(RuntimeError, match=r"^\[linalg.lu_factor\] expects float32 or float64"):
            lt.linalg.lu_factor(sq.to(dtype))
    with pytest.raises(RuntimeError, match=r"linalg.solve.*dtype"):
        lt.linalg.solve(sq.float(), lt.tensor(np.ones((3, 2))))
    LU, piv = lt.linalg.lu_factor(sq)
    for bad in ([1, 4, 3], [0, 2, 3]):
        with pytest.raises(IndexError, match=r"linalg.lu_solve"):
            lt.linalg.lu_solve(LU, lt.tensor(bad, dtype=lt.int32), lt.tensor(np.ones((3, 1))))
    with pytest.raises(IndexError):
        lt.lu_unpack(LU, lt.tensor([9, 2, 3], dtype=lt.int32))
    with pytest.raises(NotImplementedError):
        lt.linalg.lu(sq, pivot=False)


BATCH_MISMATCH = [
    ("linalg.solve", lambda A, B: lt.linalg.solve(A, B)),
    ("linalg.cholesky_solve", lambda A, B: lt.cholesky_solve(B, A)),
]


@pytest.mark.parametrize("op,call", BATCH_MISMATCH, ids=[c[0] for c in BATCH_MISMATCH])
def test_batch_mismatch_errors_name_the_op(op, call):
    A, B = lt.tensor(np.eye(2)[None].repeat(2, 0)), lt.tensor(np.ones((3, 2, 1)))
    with pytest.raises(RuntimeError, match=r"^\[" + op.replace(".", r"\.") + r"\]"):
        call(A, B)


def test_lu_unpack_broadcasts_pivots(rng):
    # Pivots of a smaller batch serve every matrix of LU. torch 1.13 returns P of LU's batch
    # but fills only the first (the others stay the identity); the reference expands them.
    a, t = pair(rng.standard_normal((2, 3, 3)))
    LU, piv = lt.linalg.lu_factor(a)
    tLU, tpiv = torch.linalg.lu_factor(t)
    close(lt.lu_unpack(LU, piv[:1]), tuple(torch.lu_unpack(tLU, tpiv[:1].expand(2, 3))))


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_reads_the_triangle_torch_reads(rng, upper):
    # Only the lower triangle (the upper one with upper=True) is read: a non-symmetric input
    # factors as torch's does.
    x = rng.standard_normal((4, 4))
    spd = x @ x.T + 4 * np.eye(4)
    spd[0, 3] += 1
    spd[3, 1] -= 1
    a, t = pair(spd)
    close(lt.linalg.cholesky(a, upper=upper), torch.linalg.cholesky(t, upper=upper))


def test_lu_unpack_gives_one_batch_shape(rng):
    a, t = pair(rng.standard_normal((2, 3, 3)))
    LU, piv = lt.linalg.lu_factor(a[:1])
    P, L, U = lt.lu_unpack(LU.expand(2, 3, 3), piv)
    assert tuple(P.shape) == tuple(L.shape) == tuple(U.shape) == (2, 3, 3)


def test_matrix_norm_errors():
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        lt.linalg.matrix_norm(lt.ones(3))
    with pytest.raises(RuntimeError, match="2-tuple of different dimensions"):
        lt.linalg.matrix_norm(lt.ones(3, 3), dim=(1, -1))
    with pytest.raises(RuntimeError, match="needs a 2-D input"):
        lt.linalg.norm(lt.ones(2, 3, 3), "fro")


# --- norms and products ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("ord", ["fro", 1, -1, math.inf, -math.inf])
@pytest.mark.parametrize("dim,keepdim", [((-2, -1), False), ((0, 2), True), ((2, 1), False)])
def test_matrix_norm_matches_torch(rng, dtype, ord, dim, keepdim):
    a, t = pair(rng.standard_normal((3, 4, 5)), dtype)
    close(lt.linalg.matrix_norm(a, ord, dim, keepdim), torch.linalg.matrix_norm(t, ord, dim, keepdim), **TOL[dtype])
    close(lt.linalg.norm(a, ord, dim, keepdim), torch.linalg.norm(t, ord, dim, keepdim), **TOL[dtype])


def test_norm_dispatch_and_products_match_torch(rng):
    a, t = pair(rng.standard_normal((4, 5)))
    for ord, dim in ((None, None), (1, None), (math.inf, None), ("fro", None), (3, 1), (1, -1), (None, 0),
                     (1, (0, 1)), (-math.inf, (1, 0))):
        close(lt.linalg.norm(a, ord, dim), torch.linalg.norm(t, ord, dim))
    v, tv = pair(rng.standard_normal(5))
    close(lt.linalg.norm(v, 3), torch.linalg.norm(tv, 3))
    close(lt.linalg.vector_norm(a, 1.5, (0, 1)), torch.linalg.vector_norm(t, 1.5, (0, 1)))
    with pytest.raises(NotImplementedError):
        lt.linalg.matrix_norm(a, "nuc")
    ms = [rng.standard_normal(s) for s in ((5,), (5, 3), (3, 7), (7, 2), (2, 4), (4,))]
    ours, theirs = zip(*(pair(m) for m in ms))
    close(lt.linalg.multi_dot(list(ours)), torch.linalg.multi_dot(list(theirs)))
    close(lt.linalg.multi_dot(list(ours[1:5])), torch.linalg.multi_dot(list(theirs[1:5])))
    close(lt.linalg.multi_dot(list(ours[:3])), torch.linalg.multi_dot(list(theirs[:3])))
    x, tx = pair(rng.standard_normal((2, 3, 4)))
    y, ty = pair(rng.standard_normal((3, 4)))
    close(lt.linalg.vecdot(x, y), torch.linalg.vecdot(tx, ty))
    close(lt.linalg.vecdot(x, y, dim=-2), torch.linalg.vecdot(tx, ty, dim=-2))
    close(lt.linalg.diagonal(x, offset=1), torch.linalg.diagonal(tx, offset=1))
    close(lt.linalg.matmul(x, y.transpose(0, 1)), torch.linalg.matmul(tx, ty.mT))
    c, tc = pair(rng.standard_normal((2, 4, 3)))
    close(lt.linalg.cross(c, c.flip(-1)), torch.linalg.cross(tc, tc.flip(-1)))


# --- gradients: parity with torch (float64, random upstream gradients) ----------------------------------

def grad_parity(rng, fn, arrays, atol=1e-9):
    """fn(module, *tensors) in both libraries; sum(out_i * g_i) backpropagated to every input."""
    ours, theirs = zip(*(pair(x, requires_grad=True) for x in arrays))
    out, tout = fn(lt, *ours), fn(torch, *theirs)
    out, tout = (out, tout) if isinstance(tout, tuple) else ((out,), (tout,))
    loss, tloss = 0, 0
    for o, to in zip(out, tout):
        if not to.is_floating_point():
            continue
        close(o, to, rtol=1e-9, atol=1e-9)
        g = rng.standard_normal(tuple(to.shape))
        loss, tloss = loss + (o * lt.tensor(g)).sum(), tloss + (to * torch.tensor(g)).sum()
    loss.backward()
    tloss.backward()
    for x, tx in zip(ours, theirs):
        close(x.grad, tx.grad, rtol=1e-7, atol=atol)


GRAD_CASES = {
    "solve": (lambda m, A, B: m.linalg.solve(A, B), [(2, 1, 3, 3), (3, 3, 2)]),
    "solve_right": (lambda m, A, B: m.linalg.solve(A, B, left=False), [(3, 3), (2, 2, 3)]),
    "solve_vector": (lambda m, A, B: m.linalg.solve(A, B), [(2, 3, 3), (2, 3)]),
    "inv": (lambda m, A: m.linalg.inv(A), [(2, 3, 3)]),
    "inverse": (lambda m, A: m.inverse(A.mT), [(3, 3)]),
    "det": (lambda m, A: m.linalg.det(A), [(2, 3, 3)]),
    "slogdet": (lambda m, A: tuple(m.linalg.slogdet(A)), [(2, 3, 3)]),
    "logdet": (lambda m, A: m.logdet(A), [(3, 3)]),
    "logdet_negative": (lambda m, A: m.logdet(A * m.tensor([[[-1.0], [1], [1]], [[1], [1], [1]]], dtype=m.float64)),
                        [(2, 3, 3)]),  # NaN for the first matrix: a zero gradient there
    "lu_factor": (lambda m, A: m.linalg.lu_factor(A)[0], [(2, 4, 4)]),
    "lu_factor_wide": (lambda m, A: m.linalg.lu_factor(A)[0], [(2, 3, 5)]),
    "lu_factor_tall": (lambda m, A: m.linalg.lu_factor(A)[0], [(5, 3)]),
    "lu": (lambda m, A: tuple(m.linalg.lu(A)), [(2, 3, 4)]),
    "lu_tall": (lambda m, A: tuple(m.linalg.lu(A)), [(4, 3)]),
    "lu_solve": (lambda m, LU, B: m.linalg.lu_solve(LU, m.tensor([[3, 3, 3], [2, 3, 3]], dtype=m.int32), B),
                 [(2, 3, 3), (3, 2)]),
    "lu_solve_adjoint_right": (lambda m, LU, B: m.linalg.lu_solve(LU, m.tensor([2, 3, 3], dtype=m.int32), B,
                                                                   left=False, adjoint=True), [(3, 3), (2, 3)]),
    "solve_triangular_upper": (lambda m, A, B: m.linalg.solve_triangular(A, B, upper=True), [(2, 3, 3), (3, 2)]),
    "solve_triangular_lower_right_unit": (lambda m, A, B: m.linalg.solve_triangular(
        A, B, upper=False, left=False, unitriangular=True), [(3, 3), (2, 3)]),
    "cholesky": (lambda m, A: m.linalg.cholesky(A), ["spd", (2, 3, 3)]),
    "cholesky_upper": (lambda m, A: m.linalg.cholesky(A, upper=True), ["spd", (3, 3)]),
    "cholesky_solve": (lambda m, B, L: m.cholesky_solve(B, L), [(3, 2), "L", (2, 3, 3)]),
    "cholesky_solve_upper": (lambda m, B, L: m.cholesky_solve(B, L, True), [(3, 2), "L", (3, 3)]),
    "cholesky_inverse": (lambda m, L: m.cholesky_inverse(L), ["L", (3, 3)]),
    "cholesky_inverse_upper": (lambda m, L: m.cholesky_inverse(L, True), ["L", (3, 3)]),
    "matrix_power_-3": (lambda m, A: m.linalg.matrix_power(A, -3), [(2, 3, 3)]),
    "matrix_power_0": (lambda m, A: m.linalg.matrix_power(A, 0), [(3, 3)]),
    "matrix_power_1": (lambda m, A: m.linalg.matrix_power(A, 1), [(2, 3, 3)]),
    "matrix_power_3": (lambda m, A: m.linalg.matrix_power(A, 3), [(3, 3)]),
    "matrix_norm": (lambda m, A: (m.linalg.matrix_norm(A, 1), m.linalg.matrix_norm(A, -math.inf),
                                  m.linalg.matrix_norm(A)), [(2, 3, 4)]),
    # A loss of |V| does not depend on the eigenvectors' signs, which either library may pick.
    "eigh": (lambda m, A: (m.linalg.eigh(A).eigenvalues, m.linalg.eigh(A).eigenvectors.abs()), [(2, 4, 4)]),
    "eigh_upper": (lambda m, A: m.linalg.eigh(A, UPLO="U").eigenvectors.abs(), [(4, 4)]),
    "eigvalsh": (lambda m, A: m.linalg.eigvalsh(A), [(2, 4, 4)]),
}


def grad_inputs(rng, spec):
    out, i = [], 0
    while i < len(spec):
        s = spec[i]
        if s == "spd":
            out.append(spd(rng, *spec[i + 1]))
            i += 1
        elif s == "L":
            x = np.tril(rng.standard_normal(spec[i + 1]))
            out.append(x + 2 * np.eye(x.shape[-1]) + 0.3 * rng.standard_normal(x.shape))  # not triangular
            i += 1
        elif len(s) >= 2 and s[-1] == s[-2]:
            out.append(well(rng, *s))
        else:
            out.append(rng.standard_normal(s))
        i += 1
    return out


@pytest.mark.parametrize("name", list(GRAD_CASES))
def test_gradients_match_torch(rng, name):
    fn, spec = GRAD_CASES[name]
    grad_parity(rng, fn, grad_inputs(rng, spec))


def test_slogdet_sign_alone_has_a_zero_gradient(rng):
    a = lt.tensor(well(rng, 2, 3, 3), requires_grad=True)
    lt.linalg.slogdet(a).sign.sum().backward()
    assert a.grad is None or not a.grad.numpy().any()


# --- gradcheck and gradgradcheck ------------------------------------------------------------------------

def tri_input(A, upper):
    return A.triu() if upper else A.tril()


CHECKS = {
    "solve": (lambda A, B: lt.linalg.solve(A, B), [(2, 3, 3), (3, 2)]),
    "inv": (lt.linalg.inv, [(2, 3, 3)]),
    "det": (lt.linalg.det, [(2, 3, 3)]),
    "logabsdet": (lambda A: lt.linalg.slogdet(A)[1], [(2, 3, 3)]),
    "lu_factor": (lambda A: lt.linalg.lu_factor(A)[0], [(2, 3, 3)]),
    "lu_factor_wide": (lambda A: lt.linalg.lu_factor(A)[0], [(3, 4)]),
    "lu_factor_tall": (lambda A: lt.linalg.lu_factor(A)[0], [(4, 3)]),
    "lu_solve": (lambda A, B: lt.linalg.lu_solve(*lt.linalg.lu_factor(A), B, adjoint=True), [(2, 3, 3), (3, 2)]),
    "solve_triangular": (lambda A, B: lt.linalg.solve_triangular(A.triu(), B, upper=True), [(2, 3, 3), (3, 2)]),
    "solve_triangular_unit": (lambda A, B: lt.linalg.solve_triangular(A.tril(), B, upper=False, left=False,
                                                                      unitriangular=True), [(3, 3), (2, 3)]),
    "cholesky": (lambda X: lt.linalg.cholesky(X @ X.transpose(-2, -1) + 3 * lt.eye(3, dtype=lt.float64)),
                 [(2, 3, 3)]),
    "cholesky_solve": (lambda B, L: lt.cholesky_solve(B, L.tril() + lt.eye(3, dtype=lt.float64) * 3),
                       [(3, 2), (2, 3, 3)]),
    "matrix_power_-2": (lambda A: lt.linalg.matrix_power(A, -2), [(2, 3, 3)]),
    "eigh": (lambda A: (lambda w, V: (w, V.abs()))(*lt.linalg.eigh(A + A.transpose(-2, -1))), [(2, 3, 3)]),
    "eigvalsh": (lambda A: lt.linalg.eigvalsh(A + A.transpose(-2, -1), UPLO="U"), [(2, 3, 3)]),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_gradcheck_and_gradgradcheck(rng, name):
    fn, shapes = CHECKS[name]
    inputs = tuple(lt.tensor(x, requires_grad=True) for x in grad_inputs(rng, shapes))
    assert lt.autograd.gradcheck(fn, inputs)
    assert lt.autograd.gradgradcheck(fn, inputs)


# --- the symmetric eigendecomposition -------------------------------------------------------------------

def aligned(V, tV):
    """torch's eigenvectors with each column's sign flipped to match libtensor's."""
    mine = torch.from_numpy(np.array(V.numpy()))
    return tV * torch.where((mine * tV).sum(-2, keepdim=True) < 0, -1, 1).to(tV.dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("uplo", ["L", "U"])
@pytest.mark.parametrize("shape", [(5, 5), (2, 3, 4, 4), (1, 1), (0, 3, 3), (2, 0, 0)])
def test_eigh_matches_torch(rng, dtype, uplo, shape):
    # Not symmetric: only the triangle UPLO names is read, in both libraries.
    a, t = pair(rng.standard_normal(shape), dtype)
    w, V = lt.linalg.eigh(a, UPLO=uplo)
    tw, tV = torch.linalg.eigh(t, UPLO=uplo)
    close(w, tw, **TOL[dtype])
    close(V, aligned(V, tV), **TOL[dtype])
    close(lt.linalg.eigvalsh(a, UPLO=uplo), torch.linalg.eigvalsh(t, UPLO=uplo), **TOL[dtype])
    if shape[-1]:  # A V = V diag(w) for the triangle read
        full = a.tril() + a.tril(-1).transpose(-2, -1) if uplo == "L" else a.triu() + a.triu(1).transpose(-2, -1)
        close(full @ V, T(V * w.unsqueeze(-2)), rtol=1e-3 if dtype == "float32" else 1e-9,
              atol=1e-3 if dtype == "float32" else 1e-9)


def test_eigh_of_repeated_and_diagonal_matrices(rng):
    w, V = lt.linalg.eigh(lt.tensor(np.diag([3.0, -1.0, 2.0])))
    assert w.numpy().tolist() == [-1.0, 2.0, 3.0]
    assert np.abs(V.numpy()).tolist() == [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
    w = lt.linalg.eigvalsh(lt.tensor(2 * np.eye(4)))
    assert w.numpy().tolist() == [2.0] * 4


def test_eigh_takes_uplo_in_either_case_and_scales(rng):
    a, t = pair(rng.standard_normal((4, 4)))
    close(lt.linalg.eigvalsh(a, UPLO="u"), torch.linalg.eigvalsh(t, UPLO="u"))
    close(lt.linalg.eigh(a, UPLO="l")[0], torch.linalg.eigh(t, UPLO="l")[0])
    # Entries whose squares underflow or overflow float32.
    for x in (1e-23, 1e25):
        w = lt.linalg.eigvalsh(lt.tensor([[0, x], [x, 0]], dtype=lt.float32))
        assert np.allclose(w.numpy(), [-x, x], rtol=1e-6, atol=0)


def test_eigh_of_non_finite_input_raises():
    for bad in (math.nan, math.inf):
        with pytest.raises(lt.linalg.LinAlgError, match=r"^\[linalg\.eigh\] the algorithm failed to converge"):
            lt.linalg.eigh(lt.tensor([[1.0, bad], [bad, 2.0]]))


def test_eigh_errors():
    with pytest.raises(RuntimeError, match=r"^\[linalg\.eigh\] expects square matrices, got shape \(2, 3\)"):
        lt.linalg.eigh(lt.zeros(2, 3))
    with pytest.raises(RuntimeError, match=r"^\[linalg\.eigvalsh\] UPLO must be \"L\" or \"U\", got \"X\""):
        lt.linalg.eigvalsh(lt.eye(2), UPLO="X")
    with pytest.raises(RuntimeError, match=r"float32 or float64"):
        lt.linalg.eigh(lt.eye(2, dtype=lt.int64))


# --- a larger system (Eigen's blocked paths) ------------------------------------------------------------

def test_large_solve_and_cholesky_match_torch(rng):
    n = 200
    a, t = pair(well(rng, n, n))
    b, tb = pair(rng.standard_normal((n, 3)))
    close(lt.linalg.solve(a, b), torch.linalg.solve(t, tb), rtol=1e-9, atol=1e-9)
    LU, piv = lt.linalg.lu_factor(a)
    assert piv.numpy().tolist() == torch.linalg.lu_factor(t).pivots.tolist()
    s, ts = pair(spd(rng, n, n))
    close(lt.linalg.cholesky(s), torch.linalg.cholesky(ts), rtol=1e-9, atol=1e-9)
    close(lt.linalg.slogdet(s), tuple(torch.linalg.slogdet(ts)), rtol=1e-9, atol=1e-9)
    close(lt.linalg.eigvalsh(s), torch.linalg.eigvalsh(ts), rtol=1e-9, atol=1e-9)


# --- compositions in Python: matrix_exp, tensorinv, tensorsolve, vander, solve_ex -----------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scale", [0.0, 0.1, 3.0, 40.0])  # 40: several squarings
def test_matrix_exp_matches_torch(rng, dtype, scale):
    a, t = pair(scale * rng.standard_normal((2, 4, 4)), dtype)
    close(lt.linalg.matrix_exp(a), torch.linalg.matrix_exp(t.double()).to(t.dtype),
          rtol=1e-5 if dtype == "float32" else 1e-10, atol=0)
    close(lt.matrix_exp(a), torch.matrix_exp(t.double()).to(t.dtype), rtol=1e-5 if dtype == "float32" else 1e-10,
          atol=0)


def test_matrix_exp_by_hand():
    assert lt.linalg.matrix_exp(lt.tensor([[0.0, 1.0], [0.0, 0.0]])).tolist() == [[1.0, 1.0], [0.0, 1.0]]
    e = lt.linalg.matrix_exp(lt.tensor([[1.0, 0.0], [0.0, -2.0]], dtype=lt.float64))
    assert np.allclose(e.numpy(), np.diag([math.e, math.exp(-2)]), rtol=1e-15, atol=0)
    assert lt.tensor([[0.5]]).matrix_exp().dtype == lt.float32
    with pytest.raises(RuntimeError, match=r"linalg.matrix_exp: expects a tensor of square matrices, got shape \(2, 3\)"):
        lt.linalg.matrix_exp(lt.ones(2, 3))


def test_matrix_exp_gradients(rng):
    grad_parity(rng, lambda m, A: m.linalg.matrix_exp(A), [2 * rng.standard_normal((2, 3, 3))])
    a = lt.tensor(rng.standard_normal((3, 3)), requires_grad=True)
    assert lt.autograd.gradcheck(lt.linalg.matrix_exp, (a,))
    assert lt.autograd.gradgradcheck(lt.linalg.matrix_exp, (a,))


def test_tensorinv_tensorsolve_vander_solve_ex(rng):
    a, t = pair(rng.standard_normal((4, 6, 8, 3)))
    close(lt.linalg.tensorinv(a, ind=2), torch.linalg.tensorinv(t, ind=2))
    A, tA = pair(rng.standard_normal((2, 3, 6)) + np.eye(6).reshape(2, 3, 6))
    b, tb = pair(rng.standard_normal((2, 3)))
    close(lt.linalg.tensorsolve(A, b), torch.linalg.tensorsolve(tA, tb))
    A, tA = pair(rng.standard_normal((6, 2, 3)) + np.eye(6).reshape(6, 2, 3))
    close(lt.linalg.tensorsolve(A, b, dims=(0,)), torch.linalg.tensorsolve(tA, tb, dims=(0,)))
    x, tx = pair([2, 3, -1], "int64")
    close(lt.linalg.vander(x), torch.linalg.vander(tx))
    close(lt.linalg.vander(x.double(), N=5), torch.linalg.vander(tx.double(), N=5))
    singular, ts = pair([[[1.0, 2.0], [2.0, 4.0]], [[2.0, 0.0], [0.0, 1.0]]])
    X, info = lt.linalg.solve_ex(singular, lt.ones(2, 2, dtype=lt.float64))
    assert info.tolist() == torch.linalg.solve_ex(ts, torch.ones(2, 2, dtype=torch.float64)).info.tolist() == [2, 0]
    close(X[1], torch.linalg.solve(ts[1], torch.ones(2, dtype=torch.float64)))
    with pytest.raises(RuntimeError, match="linalg.tensorinv"):
        lt.linalg.tensorinv(lt.ones(2, 3), ind=1)
    with pytest.raises(RuntimeError, match="N must be greater than 1"):
        lt.linalg.vander(lt.ones(3), N=1)


# --- autocast ----------------------------------------------------------------------------------------

AUTOCAST = {
    "inv": lambda m, x: m.linalg.inv(x),
    "inverse": lambda m, x: m.inverse(x),
    "cholesky": lambda m, x: m.linalg.cholesky(x @ x.mT),
    "solve": lambda m, x: m.linalg.solve(x, x),
    "eigh": lambda m, x: m.linalg.eigh(x)[0],
    "eigvalsh": lambda m, x: m.linalg.eigvalsh(x),
    "matrix_power_-1": lambda m, x: m.linalg.matrix_power(x, -1),
    "matrix_power_2": lambda m, x: m.linalg.matrix_power(x, 2),
    "matrix_norm": lambda m, x: m.linalg.matrix_norm(x),
    "matrix_exp": lambda m, x: m.linalg.matrix_exp(x),
}


@pytest.mark.parametrize("name", list(AUTOCAST))
def test_cpu_autocast_runs_torchs_float32_list_in_float32(rng, name):
    x = rng.standard_normal((3, 3)) + 3 * np.eye(3)
    a, t = lt.tensor(x, dtype=lt.bfloat16), torch.tensor(x, dtype=torch.bfloat16)
    with lt.autocast("cpu", dtype=lt.bfloat16):
        got = AUTOCAST[name](lt, a)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        expected = AUTOCAST[name](torch, t)
    assert str(got.dtype).split(".")[-1] == str(expected.dtype).split(".")[-1]
