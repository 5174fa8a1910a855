"""The fused row kernels (softmax, log_softmax, layer_norm) against torch where they are
easiest to get wrong: row lengths around the vector width (the padded last vector),
infinities and NaN (attention masks), and rows far from zero."""
import numpy as np
import pytest
import torch

import libtensor as lt

LENGTHS = [1, 2, 7, 15, 16, 17, 31, 33, 128, 1000, 1025]
DTYPES = [np.float32, np.float64]


def special_rows(n, dtype, rng):
    a = (rng.standard_normal((8, n)) * 10).astype(dtype)
    a[0, 0] = -np.inf                      # one masked position
    a[1, :] = -np.inf                      # a fully masked row: NaN, as torch
    a[2, n // 2] = np.nan
    a[3, -1] = np.inf
    a[4, 0] = -1e30
    a[5, :] = np.finfo(dtype).max / 4      # exp(x - max) must not overflow
    a[6, :] -= 95                          # terms near exp's subnormal range
    return a


def same(mine, ref, rtol, atol):
    np.testing.assert_array_equal(np.isnan(mine), np.isnan(ref))
    np.testing.assert_array_equal(np.isinf(mine), np.isinf(ref))
    ok = np.isfinite(ref)
    np.testing.assert_allclose(mine[ok], ref[ok], rtol=rtol, atol=atol)


@pytest.mark.parametrize("n", LENGTHS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_rows_match_torch(op, dtype, n):
    a = special_rows(n, dtype, np.random.default_rng(n))
    mine = getattr(lt, op)(lt.tensor(a), -1).numpy()
    ref = getattr(torch, op)(torch.tensor(a), -1).numpy()
    tol = 2e-6 if dtype == np.float32 else 1e-13
    same(mine, ref, rtol=tol, atol=tol * 10)
    if op == "softmax":  # masked positions are exactly zero, as torch's
        np.testing.assert_array_equal(mine == 0, ref == 0)


@pytest.mark.parametrize("n", LENGTHS)
@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_row_gradients_match_torch(op, n):
    rng = np.random.default_rng(100 + n)
    a, g = rng.standard_normal((5, n)), rng.standard_normal((5, n))
    x = lt.tensor(a, dtype=lt.float32, requires_grad=True)
    getattr(lt, op)(x, -1).backward(lt.tensor(g, dtype=lt.float32))
    tx = torch.tensor(a, dtype=torch.float32, requires_grad=True)
    getattr(torch, op)(tx, -1).backward(torch.tensor(g, dtype=torch.float32))
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("n", LENGTHS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("affine", [False, True])
def test_layer_norm_rows_match_torch(affine, dtype, n):
    """Against torch in float64 on the same data: a row far from zero would lose every
    digit of its variance to a one-pass sum of squares."""
    rng = np.random.default_rng(200 + n)
    a = rng.standard_normal((6, n)).astype(dtype)
    a[1] += 1e3
    a[2] *= 1e-3
    a[3, 0] = np.nan
    w, b = (rng.standard_normal(n).astype(dtype), rng.standard_normal(n).astype(dtype)) if affine else (None, None)
    g = rng.standard_normal((6, n)).astype(dtype)

    def run(lib, to):
        x = lib.tensor(to(a), requires_grad=True)
        params = [lib.tensor(to(p), requires_grad=True) if p is not None else None for p in (w, b)]
        y = lib.nn.functional.layer_norm(x, (n,), *params)
        y.backward(lib.tensor(to(g)))
        return [y.detach().numpy(), x.grad.numpy()] + [p.grad.numpy() for p in params if p is not None]

    tol = 1e-3 if dtype == np.float32 else 1e-8
    for mine, ref in zip(run(lt, lambda v: v), run(torch, lambda v: v.astype(np.float64))):
        same(mine, ref, rtol=tol, atol=tol * max(1.0, float(np.abs(np.nan_to_num(ref, posinf=0, neginf=0)).max())))
