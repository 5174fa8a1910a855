"""libtensor's exchange with numpy, Python objects and DLPack consumers/producers
(python/src/numpy.cpp, dlpack.cpp, tensor.cpp, python/libtensor/_creation.py, _tensor.py),
compared with torch where torch has the same API.

    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python/test_interop.py
"""
import gc
import math
import operator

import numpy as np
import pytest

import libtensor as lt

torch = pytest.importorskip("torch")
import torch.utils.dlpack  # noqa: E402

NUMPY_DTYPES = ["float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]
# dtypes both torch 1.13 and libtensor exchange through DLPack (torch 1.13 has no bool in DLPack)
DLPACK_TORCH_DTYPES = ["float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8"]
# numpy 1.24's DLPack has neither bool nor bfloat16
DLPACK_NUMPY_DTYPES = ["float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8"]


def values(dtype, shape, seed=0):
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    if dtype == "bool":
        return (rng.random(n) < 0.5).reshape(shape)
    if dtype == "uint8":
        return rng.integers(0, 200, n).astype(np.uint8).reshape(shape)
    return rng.integers(-60, 60, n).astype(np.float32 if dtype == "bfloat16" else dtype).reshape(shape)


def one(dtype):
    return True if dtype == "bool" else 7


def ptr(arr):
    return arr.__array_interface__["data"][0]


def layouts(a):
    """The array itself and non-contiguous views of it (transposed, strided, offset)."""
    out = {"contiguous": a}
    if a.ndim >= 2:
        out["transposed"] = a.T
        out["strided"] = a[1:, ::2]
    if a.ndim >= 1:
        out["offset"] = a[1:]
    return out


# --- from_numpy / numpy() / __array_interface__ -------------------------------------------

@pytest.mark.parametrize("dtype", NUMPY_DTYPES)
@pytest.mark.parametrize("shape", [(3, 4), (5,), (), (0,), (2, 0, 3), (2, 3, 4)], ids=str)
def test_from_numpy_shares_memory_both_ways(dtype, shape):
    base = values(dtype, shape)
    for name, a in layouts(base.copy()).items():
        t = lt.from_numpy(a)
        assert t.dtype == getattr(lt, dtype)
        assert tuple(t.shape) == a.shape
        assert t.stride() == tuple(s // a.itemsize for s in a.strides)
        if a.size:
            assert t.data_ptr() == ptr(a)
        np.testing.assert_array_equal(t.numpy(), a, err_msg=name)
        if a.size == 0:
            continue
        # numpy -> tensor
        first = (0,) * a.ndim
        a[first] = one(dtype)
        assert t[first].item() == a[first]
        # tensor -> numpy
        t.fill_(0)
        assert not a.any(), name
        tt = torch.from_numpy(a)
        assert tt.stride() == t.stride()


def test_from_numpy_keeps_the_array_alive():
    a = np.arange(1000, dtype=np.float64).reshape(10, 100)[:, 3::7]
    expected = a.copy()
    t = lt.from_numpy(a)
    del a
    gc.collect()
    np.testing.assert_array_equal(t.numpy(), expected)
    t2 = t[2:]
    del t
    gc.collect()
    np.testing.assert_array_equal(t2.numpy(), expected[2:])


@pytest.mark.parametrize("dtype", NUMPY_DTYPES)
def test_numpy_method_shares_memory(dtype):
    t = lt.tensor(values(dtype, (4, 5)))
    for name, view in {"contiguous": t, "transposed": t.t(), "strided": t[1:, ::2], "0-d": t[1, 2]}.items():
        a = view.numpy()
        assert a.dtype == np.dtype(dtype)
        assert a.shape == tuple(view.shape)
        assert ptr(a) == view.data_ptr(), name
        assert a.strides == tuple(s * view.element_size() for s in view.stride())
        view.fill_(one(dtype))
        assert (a == one(dtype)).all(), name
        a[...] = 0
        assert not view.any().item(), name


def test_numpy_array_outlives_the_tensor():
    t = lt.arange(12.).reshape(3, 4)
    a = t[1:].numpy()
    del t
    gc.collect()
    np.testing.assert_array_equal(a, np.arange(4., 12.).reshape(2, 4))


@pytest.mark.parametrize("dtype", NUMPY_DTYPES)
def test_np_asarray_is_zero_copy(dtype):
    t = lt.tensor(values(dtype, (3, 4)))
    for view in (t, t.t(), t[:, 1::2], t[2, 3], t[1:]):
        a = np.asarray(view)
        assert ptr(a) == view.data_ptr()
        assert a.shape == tuple(view.shape)
        assert a.strides == tuple(s * view.element_size() for s in view.stride())
        np.testing.assert_array_equal(a, view.numpy())
    a = np.asarray(t)
    t.zero_()
    assert not a.any()
    # np.array copies by default
    b = np.array(lt.ones(3))
    assert ptr(b) != 0
    assert b.tolist() == [1.0, 1.0, 1.0]


def test_numpy_functions_accept_tensors():
    t = lt.tensor([[1., 2.], [3., 4.]])
    e = torch.tensor([[1., 2.], [3., 4.]])
    r, re = np.add(t, 1), np.add(e, 1)  # through __array__ and __array_wrap__
    assert type(re) is torch.Tensor
    assert isinstance(r, lt.Tensor)
    assert r.tolist() == re.tolist()
    np.testing.assert_allclose(np.asarray(np.exp(t)), np.exp(e).numpy(), rtol=1e-6)
    assert np.asarray(t).sum() == 10.0
    np.testing.assert_array_equal(np.asarray(t, dtype=np.float64), [[1, 2], [3, 4]])
    assert np.asarray(t, dtype=np.float64).dtype == np.float64


def test_bfloat16_refuses_numpy_with_type_error():
    t = lt.ones(3, dtype=lt.bfloat16)
    for fn in (lambda: t.numpy(), lambda: np.asarray(t), lambda: t.__array_interface__):
        with pytest.raises(TypeError):
            fn()
    with pytest.raises(TypeError):
        torch.ones(3, dtype=torch.bfloat16).numpy()
    np.testing.assert_array_equal(t.float().numpy(), [1, 1, 1])


def test_requires_grad_tensor_refuses_numpy():
    t = lt.ones(3, requires_grad=True)
    for m, x in ((torch, torch.ones(3, requires_grad=True)), (lt, t)):
        with pytest.raises(RuntimeError, match="requires grad"):
            x.numpy()
        with pytest.raises(RuntimeError):
            np.asarray(x)
        assert x.detach().numpy().tolist() == [1.0, 1.0, 1.0]
    # a non-leaf result too
    with pytest.raises(RuntimeError):
        (t * 2).numpy()
    with lt.no_grad():
        assert not (t * 2).requires_grad
        assert (t * 2).numpy().tolist() == [2.0, 2.0, 2.0]


@pytest.mark.parametrize("make", [
    lambda m: m.from_numpy([1, 2]),
    lambda m: m.from_numpy(np.zeros(2, dtype=np.uint16)),
    lambda m: m.from_numpy(np.zeros(2, dtype=np.uint32)),
    lambda m: m.from_numpy(np.zeros(2, dtype=np.object_)),
    lambda m: m.from_numpy(np.arange(5.)[::-1]),
], ids=["list", "uint16", "uint32", "object", "negative strides"])
def test_from_numpy_refusals_match_torch(make):
    try:
        make(torch)
        pytest.fail("torch accepted it")
    except (TypeError, ValueError) as e:
        expected = type(e)
    with pytest.raises(expected):
        make(lt)


def test_from_numpy_big_endian_raises_value_error_like_torch():
    with pytest.raises(ValueError):
        torch.from_numpy(np.zeros(2, ">f4"))
    with pytest.raises(ValueError):
        lt.from_numpy(np.zeros(2, ">f4"))


def test_from_numpy_numpy_roundtrip_keeps_one_buffer():
    a = np.arange(6, dtype=np.int32).reshape(2, 3)
    b = lt.from_numpy(a).numpy()
    assert ptr(b) == ptr(a)
    b[0, 0] = 42
    assert a[0, 0] == 42


# --- as_tensor / tensor / asarray -----------------------------------------------------------

@pytest.mark.parametrize("dtype", NUMPY_DTYPES)
def test_as_tensor_shares_and_tensor_copies(dtype):
    a = values(dtype, (3, 4))
    for m in (torch, lt):
        shared = m.as_tensor(a)
        copied = m.tensor(a)
        assert shared.data_ptr() == ptr(a)
        assert copied.data_ptr() != ptr(a)
        assert str(shared.dtype).split(".")[1] == dtype
    shared, copied = lt.as_tensor(a), lt.tensor(a)
    orig = a.copy()
    a[0, 0] = one(dtype) if dtype != "bool" else not a[0, 0]
    assert shared[0, 0].item() == a[0, 0]
    assert copied[0, 0].item() == orig[0, 0]
    # a dtype change copies
    conv = lt.as_tensor(a, dtype=lt.float64 if dtype != "float64" else lt.float32)
    a[0, 1] = 0
    conv_before = conv[0, 1].item()
    a[0, 1] = 1
    assert conv[0, 1].item() == conv_before
    # as_tensor of a tensor is the tensor; tensor() of a tensor copies
    t = lt.ones(2)
    assert lt.as_tensor(t) is t
    c = lt.tensor(t)
    c.zero_()
    assert t.tolist() == [1.0, 1.0]
    # asarray shares with numpy too, and copies when asked
    assert lt.asarray(a).data_ptr() == ptr(a)
    assert lt.asarray(a, copy=True).data_ptr() != ptr(a)


def test_as_tensor_of_non_contiguous_array_shares():
    a = np.arange(20.).reshape(4, 5)[:, 1::2]
    t = lt.as_tensor(a)
    assert t.data_ptr() == ptr(a)
    a[0, 0] = -1
    assert t[0, 0].item() == -1


INFERENCE_CASES = [
    ("int", lambda: 3), ("float", lambda: 2.5), ("bool", lambda: True), ("negative int", lambda: -7),
    ("int list", lambda: [1, 2, 3]), ("float list", lambda: [1.0, 2.0]), ("mixed int float", lambda: [1, 2.5]),
    ("bool list", lambda: [True, False]), ("int bool", lambda: [1, True]), ("float bool", lambda: [1.5, True]),
    ("nested", lambda: [[1, 2], [3, 4]]), ("nested mixed", lambda: [[1], [2.5]]), ("tuple", lambda: (1, 2.0)),
    ("empty list", lambda: []), ("nested empty", lambda: [[]]), ("deep", lambda: [[[1]], [[2]]]),
    ("np int32 array", lambda: np.array([1, 2], dtype=np.int32)), ("np f16 array", lambda: np.ones(2, np.float16)),
    ("np f64 array", lambda: np.ones((2, 2))), ("np 0-d f64", lambda: np.array(1.5)),
    ("np bool array", lambda: np.array([True])), ("np uint8 array", lambda: np.arange(3, dtype=np.uint8)),
    ("np int8 scalar", lambda: np.int8(3)), ("np int32 scalar", lambda: np.int32(3)),
    ("np float32 scalar", lambda: np.float32(1.5)), ("np float16 scalar", lambda: np.float16(1.5)),
    ("list of np int32", lambda: [np.int32(1), np.int32(2)]), ("list of np float32", lambda: [np.float32(1)]),
    ("list of 0-d float tensors", lambda: "tensors-float"), ("list of 0-d int tensors", lambda: "tensors-int"),
]


def _data(make, m):
    d = make()
    if isinstance(d, str) and d == "tensors-float":
        return [m.tensor(1.5), m.tensor(2.)]
    if isinstance(d, str) and d == "tensors-int":
        return [m.tensor(1), m.tensor(2)]
    return d


@pytest.mark.parametrize("name,make", INFERENCE_CASES, ids=[c[0] for c in INFERENCE_CASES])
def test_tensor_dtype_inference_matches_torch(name, make):
    expected = torch.tensor(_data(make, torch))
    t = lt.tensor(_data(make, lt))
    assert str(t.dtype).split(".")[1] == str(expected.dtype).split(".")[1]
    assert tuple(t.shape) == tuple(expected.shape)
    assert t.tolist() == expected.tolist()
    assert not t.requires_grad


@pytest.mark.parametrize("make", [lambda: np.float64(1.5), lambda: [np.float64(1.5), np.float64(2)]],
                         ids=["scalar", "list"])
def test_tensor_dtype_inference_numpy_float64_scalars(make):
    assert torch.tensor(make()).dtype == torch.float64
    assert lt.tensor(make()).dtype == lt.float64


def test_tensor_dtype_and_requires_grad_arguments():
    for data in (1, [1, 2], [[1.5]], np.arange(3)):
        for dt in ("float64", "int32", "bool", "float16", "uint8"):
            e = torch.tensor(data, dtype=getattr(torch, dt))
            t = lt.tensor(data, dtype=getattr(lt, dt))
            assert t.dtype == getattr(lt, dt)
            assert t.tolist() == e.tolist()
    t = lt.tensor([1., 2.], requires_grad=True)
    assert t.requires_grad and t.is_leaf


def test_tensor_bad_data_raises_like_torch():
    # ragged lists: ValueError in both
    for m in (torch, lt):
        with pytest.raises(ValueError):
            m.tensor([[1], [1, 2]])
    # strings: TypeError in both
    for m in (torch, lt):
        with pytest.raises(TypeError):
            m.tensor("abc")


# --- Python protocols ---------------------------------------------------------------------

def test_tolist_matches_torch():
    for dtype in NUMPY_DTYPES + ["bfloat16"]:
        a = values(dtype, (2, 3, 2))
        e = torch.tensor(a).to(getattr(torch, dtype))
        t = lt.tensor(a).to(getattr(lt, dtype))
        for ev, tv in ((e, t), (e.transpose(0, 2), t.transpose(0, 2)), (e[1, 2, 0], t[1, 2, 0]), (e[:0], t[:0])):
            got, want = tv.tolist(), ev.tolist()
            assert got == want
            if isinstance(want, list) and want:
                flat_got, flat_want = np.ravel(got).tolist(), np.ravel(want).tolist()
                assert [type(x) for x in flat_got] == [type(x) for x in flat_want]
            else:
                assert type(got) is type(want)


def test_item_and_scalar_conversions_match_torch():
    cases = [(2.5, None), (-3, None), (True, None), (7, "uint8"), (1.1, "float16"), (1.1, "bfloat16"),
             (-2.7, None), (5, "int8"), (0.1, "float64"), ([4.5], None), ([[3]], None)]
    for value, dtype in cases:
        e = torch.tensor(value, dtype=getattr(torch, dtype) if dtype else None)
        t = lt.tensor(value, dtype=getattr(lt, dtype) if dtype else None)
        assert t.item() == e.item() and type(t.item()) is type(e.item())
        assert float(t) == float(e)
        assert int(t) == int(e)
        assert bool(t) == bool(e)
        assert complex(t) == complex(e)
        assert math.floor(t) == math.floor(e)
        if not t.is_floating_point():
            assert operator.index(t) == operator.index(e)
            assert [10, 20, 30, 40, 50, 60, 70, 80][t] == [10, 20, 30, 40, 50, 60, 70, 80][e]
            assert operator.index(t) == t.item()


def test_scalar_conversion_errors():
    t = lt.tensor([1., 2.])
    for fn in (lambda x: x.item(), float, int):
        with pytest.raises((RuntimeError, ValueError, TypeError), match="element"):
            fn(t)
        with pytest.raises((RuntimeError, ValueError, TypeError), match="element"):
            fn(lt.tensor([]))
    for bad in (lt.tensor(1.5), lt.tensor([1, 2])):
        with pytest.raises(TypeError):
            operator.index(bad)
        with pytest.raises(TypeError):
            [1, 2, 3][bad]
    for m in (torch, lt):
        with pytest.raises(RuntimeError, match="ambiguous"):
            bool(m.tensor([1, 2]))
        with pytest.raises(RuntimeError, match="ambiguous"):
            bool(m.tensor([]))
        with pytest.raises(TypeError):
            operator.index(m.tensor(1.5))


def test_len_and_iter_match_torch():
    e = torch.arange(24).reshape(4, 3, 2)
    t = lt.arange(24).reshape(4, 3, 2)
    assert len(t) == len(e) == 4
    assert len(t[0]) == 3
    assert len(t[:0]) == 0
    rows = list(t)
    assert len(rows) == 4
    assert all(isinstance(r, lt.Tensor) for r in rows)
    assert [r.tolist() for r in rows] == [r.tolist() for r in e]
    assert [r.tolist() for r in t.transpose(0, 1)[1]] == [r.tolist() for r in e.transpose(0, 1)[1]]
    # elements of a 1-d tensor are 0-dim tensors, and they are views
    v = lt.zeros(3)
    for x in v:
        assert x.dim() == 0
        x.fill_(2)
    assert v.tolist() == [2.0, 2.0, 2.0]
    assert list(lt.zeros(0, 3)) == []
    a, b = lt.tensor([1, 2])
    assert (a.item(), b.item()) == (1, 2)
    for m in (torch, lt):
        with pytest.raises(TypeError):
            len(m.tensor(1.0))
        with pytest.raises(TypeError):
            iter(m.tensor(1.0)).__next__()


def test_format_of_0dim_tensors_matches_torch():
    for value, dtype, spec in [(3.14159, None, ".4f"), (3.14159, None, "8.2f"), (2, None, "5d"), (2, None, "x"),
                               (1234.5, None, ".3e"), (0.25, None, "%"), (True, None, ""), (1.5, "float64", ".1f"),
                               (7, "int32", "03d"), (-1.5, None, "+.2f"), (255, "uint8", "08b")]:
        e = torch.tensor(value, dtype=getattr(torch, dtype) if dtype else None)
        t = lt.tensor(value, dtype=getattr(lt, dtype) if dtype else None)
        assert format(t, spec) == format(e, spec), (value, dtype, spec)
        assert f"{t:{spec}}" == format(e.item(), spec)
    t = lt.tensor([[1.5, 2.0]])
    assert f"{t}" == str(t) == repr(t)
    assert format(t, "") == repr(t)


def test_format_spec_on_non_0dim_tensors_raises_type_error():
    for m in (torch, lt):
        for x in (m.tensor([3.14159]), m.ones(2), m.ones(1, 1)):
            with pytest.raises(TypeError):
                format(x, ".2f")


def test_hash_is_identity():
    a = lt.ones(3)
    b = lt.ones(3)
    v = a.view(3)
    assert hash(a) == hash(a)
    assert hash(a) != hash(b)
    assert hash(a) != hash(v)
    d = {a: "a", b: "b", v: "v"}
    assert d[a] == "a" and d[b] == "b" and d[v] == "v"
    assert len({a, b, v, a}) == 3
    a.add_(1)  # mutation doesn't change identity hashing
    assert d[a] == "a"
    assert hash(a) == id(a) or hash(a) == hash(a)
    # torch behaves the same
    ta, tb = torch.ones(3), torch.ones(3)
    assert len({ta, tb, ta}) == 2


def test_contains_and_reversed_match_torch():
    e = torch.tensor([[1, 2], [3, 4]])
    t = lt.tensor([[1, 2], [3, 4]])
    for x in (1, 4, 5, 2.0, 2.5, True):
        assert (x in t) == (x in e)
    assert (lt.tensor(3) in t) == (torch.tensor(3) in e)
    assert [r.tolist() for r in reversed(t)] == [r.tolist() for r in reversed(e)]
    for m, x in ((torch, e), (lt, t)):
        with pytest.raises(RuntimeError):
            "a" in x


# --- DLPack ---------------------------------------------------------------------------------

def _lt_views(dtype):
    base = lt.tensor(values(dtype, (4, 6))).to(getattr(lt, dtype))
    return {"contiguous": base, "transposed": base.t(), "strided": base[:, ::2], "0-d": base[0, 0],
            "empty": base[:0]}


def _lt_views_with_offset(dtype):
    base = lt.tensor(values(dtype, (4, 6))).to(getattr(lt, dtype))
    return {"offset": base[1:], "offset strided": base[1:, 1::2], "offset 0-d": base[2, 3]}


def _torch_views(dtype):
    base = torch.tensor(values(dtype, (4, 6))).to(getattr(torch, dtype))
    return {"contiguous": base, "transposed": base.t(), "strided": base[:, ::2], "0-d": base[0, 0],
            "empty": base[:0], "offset": base[1:], "offset strided": base[1:, 1::2], "offset 0-d": base[2, 3]}


def _as_np(x):
    if isinstance(x, lt.Tensor):
        return (x.float() if x.dtype == lt.bfloat16 else x).numpy()
    return (x.float() if x.dtype == torch.bfloat16 else x).numpy()


def _poke(x, value):
    """Writes value into the first element of x (a tensor of either library)."""
    if x.dim() == 0:
        x.fill_(value)
    else:
        x[(0,) * x.dim()] = value


def _peek(x):
    return x.item() if x.dim() == 0 else x[(0,) * x.dim()].item()


def _check_lt_to_torch(name, t):
    x = torch.from_dlpack(t)
    assert tuple(x.shape) == tuple(t.shape), name
    assert str(x.dtype).split(".")[1] == str(t.dtype).split(".")[1]
    np.testing.assert_array_equal(_as_np(x), _as_np(t), err_msg=name)
    if t.numel():
        assert x.data_ptr() == t.data_ptr(), name
        _poke(x, 5)
        assert _peek(t) == 5, name
        _poke(t, 9)
        assert _peek(x) == 9, name


@pytest.mark.parametrize("dtype", DLPACK_TORCH_DTYPES)
def test_dlpack_libtensor_to_torch_shares_memory(dtype):
    for name, t in _lt_views(dtype).items():
        _check_lt_to_torch(name, t)
    # torch.utils.dlpack.from_dlpack takes the tensor as well, and a capsule from lt.to_dlpack
    t = _lt_views(dtype)["contiguous"]
    for x in (torch.utils.dlpack.from_dlpack(t), torch.utils.dlpack.from_dlpack(lt.to_dlpack(t))):
        assert x.data_ptr() == t.data_ptr()
        np.testing.assert_array_equal(_as_np(x), _as_np(t))


@pytest.mark.parametrize("dtype", ["float32", "int64"])
def test_dlpack_libtensor_views_with_offset_to_torch(dtype):
    for name, t in _lt_views_with_offset(dtype).items():
        _check_lt_to_torch(name, t)


@pytest.mark.parametrize("dtype", DLPACK_TORCH_DTYPES)
def test_dlpack_torch_to_libtensor_shares_memory(dtype):
    for name, x in _torch_views(dtype).items():
        for how in ("object", "capsule"):
            t = lt.from_dlpack(x if how == "object" else torch.utils.dlpack.to_dlpack(x))
            assert tuple(t.shape) == tuple(x.shape), name
            assert t.stride() == x.stride() or x.numel() == 0, name
            assert str(t.dtype).split(".")[1] == dtype
            np.testing.assert_array_equal(_as_np(t), _as_np(x), err_msg=f"{name} {how}")
            if x.numel():
                assert t.data_ptr() == x.data_ptr(), name
                _poke(t, 3)
                assert _peek(x) == 3, name
                _poke(x, 1)
                assert _peek(t) == 1, name


@pytest.mark.parametrize("dtype", DLPACK_NUMPY_DTYPES)
def test_dlpack_libtensor_to_numpy(dtype):
    for name, t in {**_lt_views(dtype), **_lt_views_with_offset(dtype)}.items():
        a = np.from_dlpack(t)
        assert a.shape == tuple(t.shape)
        assert a.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(a, t.numpy(), err_msg=name)
        if t.numel():
            assert ptr(a) == t.data_ptr(), name
            _poke(t, 4)  # numpy's DLPack arrays are read-only; write through the tensor
            assert a[(0,) * a.ndim] == 4, name


@pytest.mark.parametrize("dtype", DLPACK_NUMPY_DTYPES)
def test_dlpack_numpy_to_libtensor(dtype):
    base = values(dtype, (4, 6))
    for name, a in {"contiguous": base, "transposed": base.T, "strided": base[:, ::2], "offset": base[1:, 1::2],
                    "0-d": base[2, 3, ...], "empty": base[:0]}.items():
        t = lt.from_dlpack(a)
        assert tuple(t.shape) == a.shape
        assert t.dtype == getattr(lt, dtype)
        np.testing.assert_array_equal(t.numpy(), a, err_msg=name)
        if a.size:
            assert t.data_ptr() == ptr(a)
            a[(0,) * a.ndim] = 2
            assert _peek(t) == 2, name
            _poke(t, 5)
            assert a[(0,) * a.ndim] == 5, name


def test_dlpack_lifetime_producer_deleted():
    # torch -> lt: delete the torch tensor (and its capsule)
    x = torch.arange(100, dtype=torch.float64).reshape(10, 10)[2:, ::3]
    expected = x.clone().numpy()
    t = lt.from_dlpack(x)
    c = torch.utils.dlpack.to_dlpack(torch.arange(7, dtype=torch.int32) * 3)
    t2 = lt.from_dlpack(c)
    del x, c
    gc.collect()
    np.testing.assert_array_equal(t.numpy(), expected)
    assert t2.tolist() == [0, 3, 6, 9, 12, 15, 18]
    # lt -> torch: delete the lt tensor
    t3 = lt.arange(50.).reshape(5, 10)[:, 1::4]
    expected3 = t3.clone().numpy()
    x3 = torch.from_dlpack(t3)
    del t3
    gc.collect()
    np.testing.assert_array_equal(x3.numpy(), expected3)
    # numpy -> lt and lt -> numpy
    a = np.arange(12, dtype=np.int16).reshape(3, 4).T
    t4 = lt.from_dlpack(a)
    del a
    gc.collect()
    assert t4.tolist() == np.arange(12, dtype=np.int16).reshape(3, 4).T.tolist()
    t5 = lt.arange(6)
    a5 = np.from_dlpack(t5)
    del t5
    gc.collect()
    assert a5.tolist() == [0, 1, 2, 3, 4, 5]
    # a chain: numpy -> lt -> torch -> lt, with every producer gone
    a6 = np.linspace(0, 1, 9)
    t6 = lt.from_dlpack(torch.from_dlpack(lt.from_dlpack(a6[::2])))
    del a6
    gc.collect()
    np.testing.assert_allclose(t6.numpy(), np.linspace(0, 1, 9)[::2])


def test_dlpack_unconsumed_capsule_is_freed_and_consumed_once():
    t = lt.ones(3)
    c = lt.to_dlpack(t)
    del c  # never consumed
    gc.collect()
    assert t.tolist() == [1.0, 1.0, 1.0]
    c = t.__dlpack__()
    x = torch.utils.dlpack.from_dlpack(c)
    assert x.tolist() == [1.0, 1.0, 1.0]
    with pytest.raises((RuntimeError, ValueError)):
        torch.utils.dlpack.from_dlpack(c)  # consumed
    c2 = torch.utils.dlpack.to_dlpack(torch.ones(2))
    lt.from_dlpack(c2)
    with pytest.raises((RuntimeError, ValueError)):
        lt.from_dlpack(c2)


def test_dlpack_device_and_refusals():
    assert tuple(lt.ones(2).__dlpack_device__()) == tuple(int(v) for v in torch.ones(2).__dlpack_device__())
    with pytest.raises(RuntimeError):
        lt.ones(2, requires_grad=True).__dlpack__()
    with pytest.raises(RuntimeError):
        torch.ones(2, requires_grad=True).__dlpack__()
    with pytest.raises((TypeError, ValueError, RuntimeError)):
        lt.from_dlpack(3)
    with pytest.raises((TypeError, ValueError, RuntimeError)):
        lt.from_dlpack("not a capsule")


def test_dlpack_bool_roundtrip_within_libtensor():
    t = lt.tensor([True, False, True])
    u = lt.from_dlpack(lt.to_dlpack(t))
    assert u.dtype == lt.bool
    assert u.tolist() == [True, False, True]
    u[1] = True
    assert t.tolist() == [True, True, True]
