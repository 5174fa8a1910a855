"""Deterministic mode: the sorted paths give torch's results (and, run again, the same
bits) for every operator that accumulates floats, with gradients; the switch's API."""
import numpy as np
import pytest
import torch

import libtensor as lt
import libtensor.nn.functional as F


@pytest.fixture
def deterministic():
    lt.use_deterministic_algorithms(True)
    yield
    lt.use_deterministic_algorithms(False)


def rng_pair(*shape, dtype=np.float32, seed=0):
    a = np.random.default_rng(seed).standard_normal(shape).astype(dtype)
    return lt.tensor(a), torch.tensor(a)


def index_pair(high, *shape, seed=1):
    a = np.random.default_rng(seed).integers(0, high, shape)
    return lt.tensor(a), torch.tensor(a)


def check(mine, ref, rtol=1e-5, atol=1e-5):
    np.testing.assert_allclose(mine.detach().float().numpy(), ref.detach().float().numpy(), rtol=rtol, atol=atol)


CASES = {
    "index_add": lambda m, x, i, v: m.index_add(x, 0, i[:40], v[:40]),
    "scatter_add": lambda m, x, i, v: x.scatter_add(0, i[:40].reshape(40, 1).expand(40, 3), v[:40]),
    "index_put_accumulate": lambda m, x, i, v: x.index_put((i[:40],), v[:40], accumulate=True),
    "scatter_reduce_sum": lambda m, x, i, v: x.scatter_reduce(0, i[:40].reshape(40, 1).expand(40, 3), v[:40], "sum"),
    "scatter_reduce_mean": lambda m, x, i, v: x.scatter_reduce(0, i[:40].reshape(40, 1).expand(40, 3), v[:40], "mean",
                                                               include_self=False),
    "indexing_backward": lambda m, x, i, v: x[i[:40]],
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(CASES))
def test_sorted_paths_match_torch_with_gradients(name, dtype, deterministic):
    x, x_ref = rng_pair(7, 3, dtype=dtype)
    v, v_ref = rng_pair(50, 3, dtype=dtype, seed=2)
    i, i_ref = index_pair(7, 50)  # 40 values onto 7 rows: many collisions
    for t in (x, v, x_ref, v_ref):
        t.requires_grad_(True)
    y = CASES[name](lt, x, i, v)
    y_ref = CASES[name](torch, x_ref, i_ref, v_ref)
    check(y, y_ref)
    g = np.random.default_rng(3).standard_normal(tuple(y.shape)).astype(dtype)
    y.backward(lt.tensor(g))
    y_ref.backward(torch.tensor(g))
    check(x.grad, x_ref.grad)
    if v_ref.grad is not None:
        check(v.grad, v_ref.grad)
    # The same bits again, and the same as outside the mode (on the CPU both sum in order).
    again = CASES[name](lt, x, i, v)
    assert np.array_equal(again.detach().numpy(), y.detach().numpy())
    lt.use_deterministic_algorithms(False)
    plain = CASES[name](lt, x, i, v)
    np.testing.assert_allclose(plain.detach().numpy(), y.detach().numpy(), rtol=1e-6, atol=1e-6)


def test_half_dtypes_sum_in_float32(deterministic):
    x = lt.zeros(3, dtype=lt.bfloat16)
    i = lt.tensor([0, 0, 0, 2])
    v = lt.tensor([1.0, 2.0 ** -8, 2.0 ** -8, 1.0]).bfloat16()
    y = lt.index_add(x, 0, i, v)
    # Added one at a time in bfloat16, each 2^-8 would round away (1 + 2^-8 is a tie, to
    # even: 1); summed in float32 first, 1 + 2^-7 is exact in bfloat16.
    assert y.float().tolist() == [1.0 + 2.0 ** -7, 0.0, 1.0]


def test_weighted_bincount(deterministic):
    i, i_ref = index_pair(5, 100)
    w, w_ref = rng_pair(100)
    check(lt.bincount(i, w, minlength=7), torch.bincount(i_ref, w_ref, minlength=7))
    assert lt.bincount(i, w.double()).dtype == lt.float64


def test_max_pool_backward_with_overlapping_windows(deterministic):
    x, x_ref = rng_pair(2, 3, 9, 9)
    x.requires_grad_(True)
    x_ref.requires_grad_(True)
    y = F.max_pool2d(x, 3, stride=1, padding=1)
    y_ref = torch.nn.functional.max_pool2d(x_ref, 3, stride=1, padding=1)
    check(y, y_ref)
    g = np.random.default_rng(4).standard_normal(tuple(y.shape)).astype(np.float32)
    y.backward(lt.tensor(g))
    y_ref.backward(torch.tensor(g))
    check(x.grad, x_ref.grad)


def test_the_switch():
    assert not lt.are_deterministic_algorithms_enabled()
    lt.use_deterministic_algorithms(True, warn_only=True)
    assert lt.are_deterministic_algorithms_enabled() and lt.is_deterministic_algorithms_warn_only_enabled()
    lt.use_deterministic_algorithms(False)
    assert not lt.are_deterministic_algorithms_enabled() and not lt.is_deterministic_algorithms_warn_only_enabled()


def test_integer_accumulation_is_left_alone(deterministic):
    x = lt.zeros(4, dtype=lt.int64)
    assert lt.index_add(x, 0, lt.tensor([1, 1, 3]), lt.tensor([5, 6, 7])).tolist() == [0, 11, 0, 7]
