"""Python indexing of libtensor tensors (python/src/indexing.cpp) against numpy and torch.

Index expressions are generated from a seeded generator: tuples of ints (negative
too), slices with positive steps, None, Ellipsis, integer lists, int64 / int32
tensors, numpy integer arrays, boolean masks (full-shape and partial-dim) and
Python bools, in combinations that include non-adjacent advanced indices.  They
are applied to tensors of several dtypes and shapes, contiguous or not.

torch is the reference throughout.  numpy is a second reference where its rules
agree with torch's: numpy counts an int next to an advanced index as advanced
(torch treats it as a basic select), so numpy is skipped for indices that mix
the two.

Run with Debian's interpreter (torch 1.13, numpy, pytest):

    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python/test_indexing.py
"""
import random
import warnings

import numpy as np
import pytest

import libtensor as lt

torch = pytest.importorskip("torch")

warnings.filterwarnings("ignore", message=".*indexing with dtype torch.uint8.*")

DTYPES = ["float32", "float64", "int64", "int32", "int16", "uint8", "bool", "float16", "bfloat16"]
SHAPES = [(5,), (3, 4), (2, 3, 4), (4, 1, 3), (2, 3, 2, 3), (3, 0, 2), (1, 5, 2), (6, 2)]


# --- tensors with equal values in libtensor, torch and numpy ---------------------------

def _np_dtype(name):
    return np.float32 if name == "bfloat16" else np.dtype(name)


def make_triplet(rng, shape, dtype, layout):
    """The same values as a libtensor tensor, a torch tensor and a numpy array, with the same layout.

    layout: "contiguous", "transposed" (a permutation of a contiguous tensor) or
    "strided" (every other element of a larger tensor along each dim).
    Values are small integers, exact in every dtype (bfloat16's numpy side is float32).
    """
    n = int(np.prod(shape))
    if dtype == "bool":
        vals = np.array([rng.random() < 0.5 for _ in range(n)], dtype=bool).reshape(shape)
    elif dtype == "uint8":
        vals = np.array([rng.randrange(0, 100) for _ in range(n)]).astype(np.uint8).reshape(shape)
    else:
        vals = np.array([rng.randrange(-50, 50) for _ in range(n)]).astype(_np_dtype(dtype)).reshape(shape)
    lt_dtype = getattr(lt, dtype)
    th_dtype = getattr(torch, dtype)
    if layout == "contiguous" or len(shape) == 0:
        a = vals.copy()
        t = lt.tensor(vals).to(lt_dtype)
        tt = torch.tensor(vals).to(th_dtype)
    elif layout == "transposed":
        perm = list(range(len(shape)))
        rng.shuffle(perm)
        inv = list(np.argsort(perm))
        stored = np.ascontiguousarray(vals.transpose(perm))  # stored[..] = vals permuted
        a = stored.transpose(inv)
        t = lt.tensor(stored).to(lt_dtype).permute(*inv)
        tt = torch.tensor(stored).to(th_dtype).permute(*inv)
    else:  # strided
        big_shape = tuple(2 * s + 1 for s in shape)
        big = np.zeros(big_shape, dtype=vals.dtype)
        sl = tuple(slice(1, 2 * s + 1, 2) for s in shape)
        big[sl] = vals
        a = big[sl]
        t = lt.tensor(big).to(lt_dtype)[sl]
        tt = torch.tensor(big).to(th_dtype)[sl]
    assert tuple(t.shape) == tuple(shape)
    return t, tt, a


def to_np(t):
    """Values of a libtensor or torch tensor as numpy (bfloat16 through float32)."""
    if isinstance(t, lt.Tensor):
        t = t.detach()
        if t.dtype == lt.bfloat16:
            t = t.float()
        return t.numpy().copy()
    t = t.detach()
    if t.dtype == torch.bfloat16:
        t = t.float()
    return t.numpy().copy()


def dtype_name(t):
    return repr(t.dtype).split(".")[-1]


def assert_same(r, expected, what=""):
    assert tuple(r.shape) == tuple(expected.shape), f"{what}: shape {tuple(r.shape)} != {tuple(expected.shape)}"
    if isinstance(expected, torch.Tensor):
        assert dtype_name(r) == dtype_name(expected), f"{what}: dtype {r.dtype} != {expected.dtype}"
    np.testing.assert_array_equal(to_np(r), to_np(expected) if not isinstance(expected, np.ndarray) else expected,
                                  err_msg=what)


# --- index expressions -----------------------------------------------------------------
# An index is built as a list of abstract items, then converted for each library.

class Item:
    def __init__(self, kind, value=None, dtype=None):
        self.kind, self.value, self.dtype = kind, value, dtype

    def __repr__(self):
        if self.kind in ("tensor", "nparray", "mask", "mask_np"):
            return f"{self.kind}({np.asarray(self.value).tolist()}, {self.dtype})"
        return f"{self.kind}({self.value!r})"

    def consumed(self):
        if self.kind in ("none", "ellipsis", "bool"):
            return 0
        if self.kind in ("mask", "mask_np"):
            return np.asarray(self.value).ndim
        return 1

    def is_advanced(self):
        return self.kind in ("list", "tensor", "nparray", "mask", "mask_np", "bool")


def convert(items, to):
    out = []
    for it in items:
        k, v = it.kind, it.value
        if k == "int":
            out.append(v)
        elif k == "slice":
            out.append(slice(*v))
        elif k == "none":
            out.append(None)
        elif k == "ellipsis":
            out.append(Ellipsis)
        elif k == "bool":
            out.append(v)
        elif k == "list":
            out.append(list(v))
        elif k in ("tensor", "mask"):
            arr = np.asarray(v, dtype=bool if k == "mask" else it.dtype)
            if to == "lt":
                out.append(lt.tensor(arr))
            elif to == "torch":
                out.append(torch.tensor(arr if k == "mask" else arr.astype(np.int64)))  # torch 1.13: int64 only
            else:
                out.append(arr)
        elif k in ("nparray", "mask_np"):
            arr = np.asarray(v, dtype=bool if k == "mask_np" else np.int64)
            out.append(arr if to != "torch" else torch.tensor(arr))
        else:
            raise AssertionError(k)
    return tuple(out)


def gen_index(rng, shape):
    """A random index (list of Items) valid for `shape`."""
    ndim = len(shape)
    # Broadcast shape shared by all integer-array indices of this expression.
    adv_shape = rng.choice([(2,), (3,), (1,), (2, 2), (0,)])
    items = []
    d = 0
    mask_used = False
    int_array_used = False
    while d < ndim:
        n = shape[d]
        choices = ["full", "slice", "none"]
        if n > 0:
            choices += ["int", "int", "list", "tensor", "tensor32", "nparray"]
        if not int_array_used and not mask_used:
            choices += ["mask", "mask"]
        if rng.random() < 0.08:
            choices.append("bool")
        kind = rng.choice(choices)
        if kind == "full":
            items.append(Item("slice", (None, None, None)))
            d += 1
        elif kind == "slice":
            start = rng.choice([None, rng.randint(-n - 2, n + 2)])
            stop = rng.choice([None, rng.randint(-n - 2, n + 2)])
            step = rng.choice([None, 1, 2, 3])
            items.append(Item("slice", (start, stop, step)))
            d += 1
        elif kind == "none":
            items.append(Item("none"))
        elif kind == "bool":
            items.append(Item("bool", rng.random() < 0.7))
        elif kind == "int":
            items.append(Item("int", rng.randint(-n, n - 1)))
            d += 1
        elif kind in ("list", "tensor", "tensor32", "nparray"):
            if mask_used:
                sh = (1,)  # broadcasts against the mask's nonzero count
            else:
                sh = tuple(s if rng.random() < 0.8 else 1 for s in adv_shape)
            vals = np.array([rng.randint(-n, n - 1) for _ in range(int(np.prod(sh)))], dtype=np.int64).reshape(sh)
            if kind == "list" and 0 in sh:
                kind = "tensor"  # [] is a float64 array to numpy; empty indices come as tensors
            if kind == "list":
                items.append(Item("list", vals.tolist()))
            elif kind == "nparray":
                items.append(Item("nparray", vals))
            else:
                items.append(Item("tensor", vals, np.int32 if kind == "tensor32" else np.int64))
            int_array_used = True
            d += 1
        elif kind == "mask":
            k = rng.randint(1, min(2, ndim - d))
            msh = shape[d:d + k]
            m = np.array([rng.random() < 0.5 for _ in range(int(np.prod(msh)))], dtype=bool).reshape(msh)
            items.append(Item(rng.choice(["mask", "mask", "mask_np"]), m))
            mask_used = True
            d += k
        if len(items) > 6:
            break
    if rng.random() < 0.3:
        items.insert(rng.randint(0, len(items)), Item("none"))
    # Drop trailing full slices (implicit), or fold a run of full slices into an Ellipsis.
    r = rng.random()
    if r < 0.3:
        while items and items[-1].kind == "slice" and items[-1].value == (None, None, None):
            items.pop()
    elif r < 0.6:
        runs = [i for i, it in enumerate(items) if it.kind == "slice" and it.value == (None, None, None)]
        if runs:
            i = rng.choice(runs)
            j = i
            while j + 1 < len(items) and items[j + 1].kind == "slice" and items[j + 1].value == (None, None, None):
                j += 1
            items[i:j + 1] = [Item("ellipsis")]
        else:
            items.insert(rng.randint(0, len(items)), Item("ellipsis"))
    if mask_used and int_array_used:  # keep int arrays of a mask expression at shape (1,)
        for it in items:
            if it.kind in ("tensor", "nparray") and np.asarray(it.value).shape != (1,):
                it.value = np.asarray(it.value).reshape(-1)[:1] if np.asarray(it.value).size else np.array([0])
    return items


def numpy_agrees(items):
    """Whether numpy's semantics equal torch's for this index (see the module docstring)."""
    has_int = any(it.kind == "int" for it in items)
    has_adv = any(it.is_advanced() for it in items)
    return not (has_int and has_adv)


def torch_reliable(items):
    """torch 1.13 mis-places or refuses the other items of an index that holds a mask of 2 or
    more dims, and refuses empty masks (numpy and later torch agree with each other
    there); such indices are checked against numpy only."""
    for it in items:
        if it.kind in ("mask", "mask_np"):
            m = np.asarray(it.value)
            others = [o for o in items if o is not it and not (o.kind == "slice" and o.value == (None, None, None))]
            if m.size == 0 or (m.ndim >= 2 and others):
                return False
    return True


def known_bug(items):
    """The libtensor bug an index runs into (it has its own xfail test below), or None.

    The generated tests leave these indices out so that they check everything else; when the bug
    is fixed its xfail test passes (strict) and its lines here go.
    """
    kinds = [it.kind for it in items]
    n_adv = sum(it.is_advanced() for it in items)
    if "bool" in kinds and n_adv >= 2:
        return "python bools are not advanced indices (test_python_bool_with_advanced_indices)"
    return None


def unique_positions(shape, items):
    """Whether the index addresses each element at most once (so assignments are well defined)."""
    pos = np.arange(int(np.prod(shape))).reshape(shape)
    sel = pos[convert(items, "np")] if numpy_agrees(items) else None
    if sel is None:
        sel = torch.arange(int(np.prod(shape))).reshape(shape)[convert(items, "torch")].numpy()
    sel = np.asarray(sel).reshape(-1)
    return len(np.unique(sel)) == sel.size


def case(seed, need_torch=True):
    rng = random.Random(seed)
    shape = rng.choice(SHAPES)
    dtype = rng.choice(DTYPES)
    layout = rng.choice(["contiguous", "contiguous", "transposed", "strided"])
    t, tt, a = make_triplet(rng, shape, dtype, layout)
    items = gen_index(rng, shape)
    # Every index is checked against torch, numpy or both.
    while known_bug(items) or (not torch_reliable(items) and (need_torch or not numpy_agrees(items))):
        items = gen_index(rng, shape)
    return rng, t, tt, a, items, f"seed={seed} shape={shape} dtype={dtype} layout={layout} index={items}"


# --- getitem ---------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(300))
def test_getitem_matches_torch_and_numpy(seed):
    rng, t, tt, a, items, what = case(seed, need_torch=False)
    r = t[convert(items, "lt")]
    if torch_reliable(items):
        assert_same(r, tt[convert(items, "torch")], what)
    if numpy_agrees(items):
        n = a[convert(items, "np")]
        assert tuple(r.shape) == np.shape(n), what
        np.testing.assert_array_equal(to_np(r), np.asarray(n).astype(to_np(r).dtype), err_msg=what)


def test_getitem_generator_covers_the_kinds():
    """The generated indices include every kind of item and non-adjacent advanced indices."""
    seen = set()
    non_adjacent = 0
    for seed in range(300):
        _, _, _, _, items, _ = case(seed, need_torch=False)
        seen |= {it.kind for it in items}
        adv = [i for i, it in enumerate(items) if it.is_advanced() and it.kind != "bool"]
        if len(adv) >= 2 and adv[-1] - adv[0] + 1 != len(adv):
            non_adjacent += 1
    assert seen >= {"int", "slice", "none", "ellipsis", "list", "tensor", "nparray", "mask", "mask_np", "bool"}
    assert non_adjacent >= 10


@pytest.mark.parametrize("dtype", DTYPES)
def test_getitem_simple_forms(dtype):
    rng = random.Random(dtype)
    t, tt, a = make_triplet(rng, (4, 5, 3), dtype, "transposed")
    exprs = [
        (0,), (-1,), (1, -2), (slice(1, None, 2),), (Ellipsis, 0), (None,), (None, Ellipsis, None),
        (slice(None), [0, 3, -1]), ([0, -1], slice(None), [2, 0]), (1, [0, 2], slice(None)),
        ([[0], [3]], slice(None), [[1, 2]]), (Ellipsis, [2, 0, 1]), (slice(None), None, [4, 0]),
        (True,), (False,), (2, True), ([], ), (slice(5, 1),), (slice(-100, 100, 3),), (Ellipsis,),
        (np.int64(2),), (np.array([1, 3]),),
    ]
    for e in exprs:
        conv_t = tuple(torch.tensor(x) if isinstance(x, np.ndarray) and x.ndim else x for x in e)
        assert_same(t[e], tt[conv_t], f"{dtype} {e}")
    # lt tensors as indices, incl. int32 and 0-dim ones
    for idx in ([1, 0], [[0, 1], [2, 2]]):
        for idt in (lt.int64, lt.int32):
            assert_same(t[lt.tensor(idx, dtype=idt)], tt[torch.tensor(idx)], f"{dtype} tensor {idx} {idt}")
    assert_same(t[lt.tensor(2)], tt[torch.tensor(2)], "0-dim int64 tensor")
    assert_same(t[lt.tensor(True)], tt[torch.tensor(True)], "0-dim bool tensor")
    assert_same(t[lt.tensor(False)], tt[torch.tensor(False)], "0-dim False tensor")
    mask = np.array([True, False, True, True])
    assert_same(t[lt.tensor(mask)], tt[torch.tensor(mask)], "1-d mask")
    assert_same(t[mask.tolist()], tt[mask.tolist()], "list of bools")
    assert_same(t[:, [False, True, True, False, True]], tt[:, [False, True, True, False, True]], "list of bools, dim 1")
    assert_same(t[1, [True, False, True, True, False]], tt[1, [True, False, True, True, False]], "int and bool list")
    assert_same(t[mask], tt[torch.tensor(mask)], "numpy mask")
    full = to_np(t) > 0
    assert_same(t[lt.tensor(full)], tt[torch.tensor(full)], "full-shape mask")
    assert_same(t[t > 0] if dtype != "bool" else t[t], tt[tt > 0] if dtype != "bool" else tt[tt], "t[t > 0]")
    # the index as a plain int / a 0-dim tensor on 1-d tensors gives 0-dim results
    v, tv, _ = make_triplet(rng, (6,), dtype, "strided")
    assert_same(v[3], tv[3], "1-d int")
    assert_same(v[lt.tensor(-2)], tv[torch.tensor(-2)], "1-d 0-dim tensor")


def test_getitem_0dim_tensor():
    t = lt.tensor(3.5)
    tt = torch.tensor(3.5)
    for e in [(), Ellipsis, None, (None, None), (Ellipsis, None), True, False]:
        assert_same(t[e], tt[e], repr(e))
    with pytest.raises(IndexError):
        t[0]
    with pytest.raises(IndexError):
        tt[0]


def _np_vs_lt(shape, idx_np, idx_lt=None):
    a = np.arange(int(np.prod(shape))).reshape(shape)
    t = lt.tensor(a)
    expected = a[idx_np]
    r = t[idx_np if idx_lt is None else idx_lt]
    assert tuple(r.shape) == expected.shape
    np.testing.assert_array_equal(r.numpy(), expected)


@pytest.mark.parametrize("idx", [([0, 1], True), (True, [0, 1]), ([0, 1], slice(None), True),
                                 (slice(None), [0, 1], None, True, [0, 1])], ids=str)
def test_python_bool_with_advanced_indices(idx):
    tt = torch.zeros(2, 3, 4)
    _np_vs_lt((2, 3, 4), idx)
    assert tuple(lt.zeros(2, 3, 4)[idx].shape) == tuple(tt[idx].shape)


def test_python_false_with_advanced_index_raises():
    with pytest.raises(IndexError):
        torch.zeros(2, 3, 4)[[0, 1], False]
    with pytest.raises(IndexError):
        lt.zeros(2, 3, 4)[[0, 1], False]


@pytest.mark.parametrize("as_list", [False, True])
def test_numpy_or_list_mask_with_ellipsis(as_list):
    m = np.array([[True, False, True, True], [False, True, False, False], [True, True, True, False]])
    idx = (Ellipsis, m.tolist() if as_list else m)
    _np_vs_lt((2, 3, 4), (Ellipsis, m), idx)


def test_libtensor_mask_with_ellipsis():
    m = np.array([[True, False, True, True], [False, True, False, False], [True, True, True, False]])
    _np_vs_lt((2, 3, 4), (Ellipsis, m), (Ellipsis, lt.tensor(m)))
    m0 = np.array([False, True])
    _np_vs_lt((2, 3, 4), (m0, Ellipsis), (lt.tensor(m0), Ellipsis))
    _np_vs_lt((2, 3, 4), (m0, Ellipsis, [0, 3]), (lt.tensor(m0), Ellipsis, [0, 3]))


def test_empty_numpy_mask():
    m = np.zeros((3, 0), dtype=bool)
    assert tuple(torch.zeros(3, 0, 2)[torch.tensor(m)].shape) == (0, 2)
    assert tuple(lt.zeros(3, 0, 2)[lt.tensor(m)].shape) == (0, 2)
    _np_vs_lt((3, 0, 2), m)


def test_getitem_tuple_inside_tuple_is_an_array_index():
    """numpy and torch read a tuple nested in the index tuple as an integer array."""
    a = np.arange(24).reshape(2, 3, 4)
    tt = torch.tensor(a)
    expected = tt[((0, 1), slice(None), (2, 0))]
    np.testing.assert_array_equal(a[((0, 1), slice(None), (2, 0))], expected.numpy())
    t = lt.tensor(a)
    assert_same(t[((0, 1), slice(None), (2, 0))], expected, "nested tuples")


# --- setitem ---------------------------------------------------------------------------

def _python_scalar(rng, dtype):
    if dtype == "bool":
        return rng.random() < 0.5
    if dtype in ("float32", "float64", "float16", "bfloat16"):
        return rng.choice([rng.randint(-9, 9), rng.randint(-9, 9) + 0.5])
    return rng.randint(0, 9)


def _value_shapes(rng, target):
    """Shapes that broadcast to `target`: itself, with 1s, with leading dims dropped or 1-dims added."""
    shapes = [tuple(target)]
    shapes.append(tuple(1 if rng.random() < 0.5 else s for s in target))
    if len(target) >= 1:
        shapes.append(tuple(target[rng.randint(0, len(target)):]))
    shapes.append((1,) + tuple(target))
    shapes.append(())
    return shapes


@pytest.mark.parametrize("idx,vshape", [(([0, 1], [0, 1]), (1, 2, 4)), (([0, 1], [0, 1]), (1, 1, 2, 4)),
                                        (([[True, False, True]] * 2,), (1, 4, 4))], ids=str)
def test_setitem_advanced_value_with_leading_unit_dims(idx, vshape):
    tt = torch.zeros(2, 3, 4)
    tt[idx] = torch.arange(float(np.prod(vshape))).reshape(vshape) + 1
    t = lt.zeros(2, 3, 4)
    t[idx] = lt.arange(float(np.prod(vshape))).reshape(*vshape) + 1
    assert_same(t, tt, f"{idx} {vshape}")


@pytest.mark.parametrize("idx,vshape", [((slice(1, None), slice(None, None, 2)), (1, 1, 2, 2)),
                                        (([0, 2],), (1, 2, 4)), ((slice(None), [1, 3]), (1, 3, 2)),
                                        ((0, [1, 2]), (1, 1, 2))], ids=str)
def test_setitem_value_with_leading_unit_dims(idx, vshape):
    tt, t = torch.zeros(3, 4), lt.zeros(3, 4)
    tt[idx] = torch.arange(float(np.prod(vshape))).reshape(vshape) + 1
    t[idx] = lt.arange(float(np.prod(vshape))).reshape(*vshape) + 1
    assert_same(t, tt, f"{idx} {vshape}")


@pytest.mark.parametrize("seed", range(1000, 1160))
def test_setitem_matches_torch(seed):
    rng, t, tt, a, items, what = case(seed)
    dtype = dtype_name(t)
    idx_lt, idx_th = convert(items, "lt"), convert(items, "torch")
    target_shape = tuple(tt[idx_th].shape)
    unique = unique_positions(tuple(tt.shape), items)
    # A Python scalar: well defined even where positions repeat.
    s = _python_scalar(rng, dtype)
    t1, tt1 = t.clone(), tt.clone()
    t1[idx_lt] = s
    tt1[idx_th] = s
    assert_same(t1, tt1, what + f" value={s!r}")
    if not unique:
        return
    for vshape in _value_shapes(rng, target_shape):
        v, tv, _ = make_triplet(rng, vshape, dtype, "contiguous")
        t2, tt2 = t.clone(), tt.clone()
        err = None
        try:
            tt2[idx_th] = tv
        except RuntimeError as e:
            err = e
        if err is not None:
            with pytest.raises(RuntimeError):
                t2[idx_lt] = v
            continue
        t2[idx_lt] = v
        assert_same(t2, tt2, what + f" value shape={vshape}")


@pytest.mark.parametrize("seed", range(2000, 2060))
def test_setitem_writes_through_non_contiguous_tensors(seed):
    """Assignment into a strided / transposed tensor lands in the tensor it views."""
    rng = random.Random(seed)
    shape = rng.choice([s for s in SHAPES if 0 not in s])
    dtype = rng.choice(DTYPES)
    big, tbig, _ = make_triplet(rng, tuple(2 * s for s in shape), dtype, "contiguous")
    sl = tuple(slice(1, None, 2) for _ in shape)
    t, tt = big[sl], tbig[sl]
    items = gen_index(rng, shape)
    while known_bug(items) or not torch_reliable(items):
        items = gen_index(rng, shape)
    s = _python_scalar(rng, dtype)
    t[convert(items, "lt")] = s
    tt[convert(items, "torch")] = s
    assert_same(big, tbig, f"seed={seed} {items}")


@pytest.mark.parametrize("dtype", ["float32", "int64", "bool", "float64", "bfloat16"])
def test_setitem_masks_and_advanced_forms(dtype):
    rng = random.Random(dtype)
    t, tt, _ = make_triplet(rng, (4, 3, 5), dtype, "transposed")
    s = _python_scalar(rng, dtype)
    cases = []
    m2 = np.array([rng.random() < 0.5 for _ in range(12)]).reshape(4, 3)
    mfull = np.array([rng.random() < 0.5 for _ in range(60)]).reshape(4, 3, 5)
    cases.append(((lt.tensor(m2),), (torch.tensor(m2),), (int(m2.sum()), 5)))
    cases.append(((lt.tensor(mfull),), (torch.tensor(mfull),), (int(mfull.sum()),)))
    cases.append(((slice(None), lt.tensor([2, 0])), (slice(None), torch.tensor([2, 0])), (4, 2, 5)))
    cases.append((([0, 3], slice(None), [4, 1]), ([0, 3], slice(None), [4, 1]), (2, 3)))
    cases.append(((Ellipsis, [1, 3]), (Ellipsis, [1, 3]), (4, 3, 2)))
    cases.append(((1, slice(None), lt.tensor([0, 2], dtype=lt.int32)), (1, slice(None), torch.tensor([0, 2])),
                  (3, 2)))
    for idx_lt, idx_th, target in cases:
        t1, tt1 = t.clone(), tt.clone()
        t1[idx_lt] = s
        tt1[idx_th] = s
        assert_same(t1, tt1, f"scalar into {idx_th}")
        assert tuple(tt[idx_th].shape) == target
        for vshape in (target, target[-1:], (1,) * len(target), ()):
            v, tv, _ = make_triplet(rng, vshape, dtype, "contiguous")
            t2, tt2 = t.clone(), tt.clone()
            t2[idx_lt] = v
            tt2[idx_th] = tv
            assert_same(t2, tt2, f"shape {vshape} into {idx_th}")
        # a 0-dim tensor value
        v0 = lt.tensor(s).to(t.dtype)
        t3, tt3 = t.clone(), tt.clone()
        t3[idx_lt] = v0
        tt3[idx_th] = torch.tensor(s).to(tt.dtype)
        assert_same(t3, tt3, f"0-dim value into {idx_th}")


def test_setitem_python_lists_and_numpy_values():
    t = lt.zeros(3, 4)
    tt = torch.zeros(3, 4)
    t[0] = [1, 2, 3, 4]
    tt[0] = torch.tensor([1., 2, 3, 4])
    t[:, 1] = np.array([7, 8, 9], dtype=np.float32)
    tt[:, 1] = torch.tensor([7., 8, 9])
    t[[1, 2], 2:] = [[5, 6], [7, 8]]
    tt[[1, 2], 2:] = torch.tensor([[5., 6], [7, 8]])
    assert_same(t, tt, "lists")
    t[t > 5] = 0
    tt[tt > 5] = 0
    assert_same(t, tt, "mask")


def test_setitem_shape_mismatch_raises_like_torch():
    t, tt = lt.zeros(3, 4), torch.zeros(3, 4)
    for idx, vshape in [((0,), (3,)), ((slice(None), [0, 1]), (3, 3)), ((Ellipsis,), (2, 4)), (([0, 1],), (3, 4))]:
        with pytest.raises(RuntimeError):
            tt[idx] = torch.ones(vshape)
        with pytest.raises(RuntimeError):
            t[idx] = lt.ones(*vshape)
        assert_same(t, tt, "unchanged after failure")


# --- views -----------------------------------------------------------------------------

def basic_only(items):
    """The index with its advanced items replaced by the basic items that consume the same dims."""
    out = []
    for it in items:
        if it.kind in ("mask", "mask_np"):
            out += [Item("slice", (None, None, None))] * np.asarray(it.value).ndim
        elif it.kind in ("list", "tensor", "nparray"):
            out.append(Item("slice", (None, None, 2)))
        elif it.kind == "bool":
            out.append(Item("none"))
        else:
            out.append(it)
    return out


@pytest.mark.parametrize("seed", range(3000, 3060))
def test_basic_indexing_returns_views(seed):
    """Indexing with ints, slices, None and Ellipsis only is a view: writes go through, both ways."""
    rng = random.Random(seed)
    shape = rng.choice([s for s in SHAPES if 0 not in s])
    dtype = rng.choice(["float32", "int64", "float64", "int32", "int16"])
    t, tt, a = make_triplet(rng, shape, dtype, rng.choice(["contiguous", "transposed", "strided"]))
    items = basic_only(gen_index(rng, shape))
    idx = convert(items, "lt")
    view = t[idx]
    ref = tt[convert(items, "torch")]
    assert_same(view, ref, f"{items}")
    if view.numel() > 0:
        # the same place in the same memory as torch's view: offset and strides
        big_dims = [d for d in range(view.dim()) if view.shape[d] > 1]  # a size-1 dim's stride is arbitrary
        assert [view.stride(d) for d in big_dims] == [ref.stride(d) for d in big_dims], f"{items}"
        assert view.storage_offset() - t.storage_offset() == ref.storage_offset() - tt.storage_offset()
        offset = (view.storage_offset() - t.storage_offset()) * t.element_size()
        assert view.data_ptr() == t.data_ptr() + offset
    # write through the view (in place) ...
    view += 3
    ref += 3
    a[convert(items, "np")] += 3
    assert_same(t, tt, f"write through view {items}")
    np.testing.assert_array_equal(to_np(t), a)
    # ... and through the base, read back through the view
    t.mul_(2)
    tt.mul_(2)
    a *= 2
    assert_same(view, ref, f"read through view {items}")
    np.testing.assert_array_equal(to_np(view), np.asarray(a[convert(items, "np")]))


def test_views_share_storage_and_advanced_indexing_copies():
    t = lt.arange(24.).reshape(4, 6)
    v = t[1:3, ::2]
    assert v.data_ptr() == t.data_ptr() + (6 + 0) * 4
    assert v.stride() == (6, 2)
    assert t[1].data_ptr() == t.data_ptr() + 6 * 4
    assert t[..., 2].stride() == (6,)
    assert t[None].data_ptr() == t.data_ptr()
    assert t[...].data_ptr() == t.data_ptr()
    assert t[...] is not t
    e = t[...]
    e.fill_(1)
    assert t.sum().item() == 24
    # advanced indices copy
    c = t[[0, 1]]
    c.fill_(5)
    assert t.sum().item() == 24
    m = t[t > 0]
    m.zero_()
    assert t.sum().item() == 24
    # a 0-dim view of one element
    z = t[2, 3]
    z.fill_(100)
    assert t[2, 3].item() == 100
    assert t.sum().item() == 24 - 1 + 100


def test_view_of_view_writes_through():
    t = lt.zeros(4, 5, 6)
    tt = torch.zeros(4, 5, 6)
    v = t[1:][:, ::2][..., 3][None, 0]
    tv = tt[1:][:, ::2][..., 3][None, 0]
    v.fill_(2.0)
    tv.fill_(2.0)
    v[0, 1] = 9
    tv[0, 1] = 9
    assert_same(t, tt, "chained views")


# --- gradients ---------------------------------------------------------------------------

@pytest.mark.parametrize("exprs", [
    ["lt.zeros(2, 0).sum()", "lt.zeros(3, 0, 2).sum()", "lt.zeros(2, 0).prod()", "lt.zeros(2, 0).any()",
     "lt.zeros(0, 2).t().sum()"],
    # index_put_'s backward reduces the (empty) gradient of the region to the value's shape
    ["(lambda x, v: (x.__setitem__(([0, 1], slice(0, 0)), v), (x * 1).sum().backward(), v.grad)[-1])("
     "lt.ones(2, 3, 4, dtype=lt.float64, requires_grad=True) * 2, lt.tensor(1., dtype=lt.float64, requires_grad=True))"],
], ids=["reductions", "index_put_backward"])
def test_full_reduction_of_empty_2d_tensor_does_not_crash(exprs):
    """Regression test: these crashed the interpreter (segfault, bus error or an endless loop in
    cpu::reduce) before a fix; run in a child interpreter, 20 times each (the crash wasn't immediate)."""
    import os
    import subprocess
    import sys
    code = "import libtensor as lt\n" + "".join(f"for _ in range(20): r = {e}\nprint(float(r))\n" for e in exprs)
    try:
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=4,
                           env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    except subprocess.TimeoutExpired:
        pytest.fail("the child interpreter hung")
    assert p.returncode == 0, f"exit status {p.returncode}\n{p.stderr[-2000:]}"
    got = [float(v) for v in p.stdout.split()]
    expected = [float(eval(e.replace("lt.", "torch."), {"torch": torch})) for e in exprs]
    assert got == expected


def _grad_case(seed):
    rng = random.Random(seed)
    shape = rng.choice([s for s in SHAPES if 0 not in s])
    vals = np.array([rng.uniform(-2, 2) for _ in range(int(np.prod(shape)))]).reshape(shape)
    items = gen_index(rng, shape)
    while known_bug(items) or not torch_reliable(items):
        items = gen_index(rng, shape)
    return rng, shape, vals, items


@pytest.mark.parametrize("seed", range(4000, 4080))
def test_gradient_through_getitem(seed):
    rng, shape, vals, items = _grad_case(seed)
    x = lt.tensor(vals, requires_grad=True)
    tx = torch.tensor(vals, requires_grad=True)
    ty = tx[convert(items, "torch")]
    w = np.array([rng.uniform(-1, 1) for _ in range(ty.numel())]).reshape(tuple(ty.shape))
    (ty * torch.tensor(w)).sum().backward()
    y = x[convert(items, "lt")]
    assert y.requires_grad
    (y * lt.tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-12, err_msg=f"{items}")


@pytest.mark.parametrize("seed", range(5000, 5100))
def test_gradient_through_setitem_on_non_leaf(seed):
    rng, shape, vals, items = _grad_case(seed)
    idx_lt, idx_th = convert(items, "lt"), convert(items, "torch")
    target = tuple(torch.zeros(shape)[idx_th].shape)
    if not unique_positions(shape, items):
        target = ()  # a 0-dim value is well defined where positions repeat
    vshape = rng.choice(_value_shapes(rng, target))
    vv = np.array([rng.uniform(-2, 2) for _ in range(int(np.prod(vshape)))]).reshape(vshape)
    w = np.array([rng.uniform(-1, 1) for _ in range(int(np.prod(shape)))]).reshape(shape)

    tx = torch.tensor(vals, requires_grad=True)
    tv = torch.tensor(vv, requires_grad=True)
    tb = tx * 2
    tb[idx_th] = tv
    (tb * torch.tensor(w)).sum().backward()

    x = lt.tensor(vals, requires_grad=True)
    v = lt.tensor(vv, requires_grad=True)
    b = x * 2
    b[idx_lt] = v
    assert b.grad_fn is not None
    np.testing.assert_allclose(b.detach().numpy(), tb.detach().numpy(), err_msg=f"{items}")
    (b * lt.tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-12, err_msg=f"x {items}")
    if 0 in target and v.grad is None and not any(it.is_advanced() for it in items):
        return  # an empty basic region: test_setitem_gradient_of_value_for_empty_target
    np.testing.assert_allclose(v.grad.numpy(), tv.grad.numpy(), rtol=1e-12, atol=1e-12, err_msg=f"v {items}")


def _grad_of_value_for_empty_target(m, idx):
    i = m.zeros(5, dtype=m.bool) if idx == "mask" else (m.tensor([], dtype=m.int64) if idx == [] else idx)
    x = m.ones(5, dtype=m.float64, requires_grad=True)
    v = m.ones(1, dtype=m.float64, requires_grad=True)
    b = x * 2
    b[i] = v
    b.sum().backward()
    assert x.grad.tolist() == [2.0] * 5
    return v.grad


@pytest.mark.parametrize("idx", [[], "mask"], ids=str)
def test_setitem_gradient_of_value_for_empty_advanced_target(idx):
    assert _grad_of_value_for_empty_target(torch, idx).tolist() == [0.0]
    assert _grad_of_value_for_empty_target(lt, idx).tolist() == [0.0]


def test_setitem_gradient_of_value_for_empty_target():
    assert _grad_of_value_for_empty_target(torch, slice(7, None)).tolist() == [0.0]
    tb = torch.ones(3)
    tb[3:] = torch.ones(1, requires_grad=True)
    assert tb.requires_grad
    b = lt.ones(3)
    b[3:] = lt.ones(1, requires_grad=True)
    assert b.requires_grad
    assert _grad_of_value_for_empty_target(lt, slice(7, None)).tolist() == [0.0]


def test_gradient_through_scalar_setitem_and_repeated_indices():
    x = lt.tensor([1., 2., 3., 4.], requires_grad=True)
    tx = torch.tensor([1., 2., 3., 4.], requires_grad=True)
    y = x[[0, 0, 2, -1, 2]]
    ty = tx[[0, 0, 2, -1, 2]]
    (y * lt.tensor([1., 2., 3., 4., 5.])).sum().backward()
    (ty * torch.tensor([1., 2., 3., 4., 5.])).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())
    x.grad = None
    tx.grad = None
    b = x * 3
    tb = tx * 3
    b[1:3] = 0.0
    tb[1:3] = 0.0
    b[lt.tensor([True, False, False, False])] = 5.0
    tb[torch.tensor([True, False, False, False])] = 5.0
    b.sum().backward()
    tb.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())


def test_setitem_on_a_saved_output_is_detected_like_torch():
    """exp saves its result for backward; assigning into it afterwards makes backward fail in both."""
    for m in (torch, lt):
        x = m.tensor([1., 2., 3.], requires_grad=True)
        b = x.exp()
        b[0] = 0.0
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            b.sum().backward()


def test_setitem_on_leaf_requiring_grad_raises_like_torch():
    tx = torch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError):
        tx[0] = 2.0
    x = lt.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError):
        x[0] = 2.0
    with pytest.raises(RuntimeError):
        x[[0, 1]] = 2.0
    np.testing.assert_array_equal(x.detach().numpy(), [1, 1, 1])
    with lt.no_grad():
        x[0] = 2.0
    np.testing.assert_array_equal(x.detach().numpy(), [2, 1, 1])


def test_getitem_of_view_then_setitem_gradient():
    """Writing into a view of a non-leaf propagates gradients to the base (torch's CopySlices)."""
    tx = torch.arange(12., requires_grad=True)
    tb = tx * 1
    tb.view(3, 4)[1, 1:3] = torch.tensor([10., 20.], requires_grad=False)
    (tb * torch.arange(12.)).sum().backward()
    x = lt.arange(12.).requires_grad_()
    b = x * 1
    b.view(3, 4)[1, 1:3] = lt.tensor([10., 20.])
    (b * lt.arange(12.)).sum().backward()
    np.testing.assert_array_equal(b.detach().numpy(), tb.detach().numpy())
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


# --- errors ------------------------------------------------------------------------------

def _exc_type(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return type(e)
    return None


ERROR_CASES = [
    ("int out of range", lambda m: (5,)),
    ("negative int out of range", lambda m: (-4,)),
    ("int out of range in dim 2", lambda m: (0, 0, 4)),
    ("int out of range after ellipsis", lambda m: (Ellipsis, -5)),
    ("tensor index out of range", lambda m: (m.tensor([0, 3]),)),
    ("negative tensor index out of range", lambda m: (m.tensor([-4]),)),
    ("list index out of range", lambda m: (slice(None), [0, 4])),
    ("too many indices", lambda m: (0, 0, 0, 0)),
    ("too many with slices", lambda m: (slice(None),) * 4),
    ("too many with None still", lambda m: (None, 0, 0, 0, 0)),
    ("float index", lambda m: (1.5,)),
    ("float in tuple", lambda m: (0, 2.0)),
    ("float tensor index", lambda m: (m.tensor([0.0, 1.0]),)),
    ("dict", lambda m: ({},)),
    ("object", lambda m: (object(),)),
    ("mask of wrong shape", lambda m: (m.tensor([True, False]),)),
    ("mask of wrong shape later", lambda m: (slice(None), m.tensor([[True] * 3] * 3))),
    ("unbroadcastable indices", lambda m: ([0, 1, 2], slice(None), [0, 1])),
]


@pytest.mark.parametrize("name,make", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_getitem_errors_match_torch(name, make):
    t = lt.zeros(3, 3, 4)
    tt = torch.zeros(3, 3, 4)
    expected = _exc_type(lambda: tt[make(torch)])
    assert expected is not None, "torch accepts this index; the case is wrong"
    got = _exc_type(lambda: t[make(lt)])
    assert got is expected, f"{name}: libtensor raised {got}, torch {expected}"


@pytest.mark.parametrize("name,make", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_setitem_errors_match_torch_and_leave_tensor_unchanged(name, make):
    t = lt.arange(36.).reshape(3, 3, 4)
    before = t.clone()
    tt = torch.arange(36.).reshape(3, 3, 4)
    expected = _exc_type(lambda: tt.__setitem__(make(torch), 1.0))
    assert expected is not None
    got = _exc_type(lambda: t.__setitem__(make(lt), 1.0))
    assert got is expected, f"{name}: libtensor raised {got}, torch {expected}"
    assert lt.eq(t, before).all().item()


def test_bad_index_types_raise_type_or_index_error():
    t = lt.zeros(3, 4)
    for bad in ["a", b"x", 1.5, [1.5, 2.0], {1: 2}, {1, 2}, object(), lt.float32, 1j]:
        with pytest.raises((TypeError, IndexError)):
            t[bad]
        with pytest.raises((TypeError, IndexError)):
            t[bad] = 1.0
        with pytest.raises((TypeError, IndexError)):
            t[0, bad]


def test_zero_step_and_negative_step_slices_raise_value_error_like_torch():
    t, tt = lt.zeros(5), torch.zeros(5)
    for s in (slice(None, None, -1), slice(None, None, 0), slice(4, 0, -2)):
        expected = _exc_type(lambda: tt[s])
        assert expected is ValueError
        assert _exc_type(lambda: t[s]) is expected
        assert _exc_type(lambda: t.__setitem__(s, 1.0)) is expected


def test_index_error_message_names_the_dimension_and_size():
    t = lt.zeros(2, 3)
    with pytest.raises(IndexError, match=r"index 3 is out of bounds for dimension 1 with size 3"):
        t[:, 3]
    with pytest.raises(IndexError, match=r"index 7 is out of bounds for dimension 0 with size 2"):
        t[lt.tensor([7])]
    with pytest.raises(IndexError, match="too many indices"):
        t[0, 0, 0]


INDEX_DRIVEN = {
    "gather": lambda m, x, i: x.gather(1, i.view(1, 1)),
    "index_select": lambda m, x, i: x.index_select(0, i),
    "embedding": lambda m, x, i: m.nn.functional.embedding(i, x),
    "scatter": lambda m, x, i: x.scatter(1, i.view(1, 1), 1.0),
    "scatter_add": lambda m, x, i: x.scatter_add(1, i.view(1, 1), m.ones(1, 1, dtype=x.dtype)),
    "scatter_reduce": lambda m, x, i: x.scatter_reduce(1, i.view(1, 1), m.ones(1, 1, dtype=x.dtype), "amax"),
    "index_add": lambda m, x, i: x.index_add(0, i, m.ones(1, 4, dtype=x.dtype)),
    "index_copy": lambda m, x, i: x.index_copy(0, i, m.ones(1, 4, dtype=x.dtype)),
    "nll_loss": lambda m, x, i: m.nn.functional.nll_loss(x, i.expand(3)),
    "one_hot": lambda m, x, i: m.nn.functional.one_hot(i, 3),
}


@pytest.mark.filterwarnings("ignore:scatter_reduce")
@pytest.mark.parametrize("op", sorted(INDEX_DRIVEN))
@pytest.mark.parametrize("bad", [-1, -7, 5])
def test_index_driven_operators_reject_what_torch_rejects_and_name_themselves(op, bad):
    """Unlike x[i], gather, scatter, index_select, embedding and the losses do not count negative indices
    from the end: torch raises, and so must libtensor, naming the operator and leaving the input as it was."""
    f = INDEX_DRIVEN[op]
    tx = torch.arange(12.0).reshape(3, 4)
    with pytest.raises((IndexError, RuntimeError)):
        f(torch, tx, torch.tensor([bad]))
    x = lt.arange(12.0).reshape(3, 4)
    with pytest.raises(IndexError, match=rf"^\[{op}\] index {bad} is out of bounds for dimension \d with size \d"):
        f(lt, x, lt.tensor([bad]))
    assert x.tolist() == tx.tolist()
    good = lt.tensor([1])
    assert f(lt, x, good).tolist() == f(torch, tx, torch.tensor([1])).tolist()


def test_in_place_index_driven_operators_leave_the_input_whole_on_error():
    x = lt.arange(12.0).reshape(3, 4)
    for f in (lambda: x.index_add_(0, lt.tensor([0, -1]), lt.ones(2, 4)),
              lambda: x.scatter_add_(1, lt.tensor([[0, 4]]), lt.ones(1, 2)),
              lambda: x.scatter_(1, lt.tensor([[0, -1]]), 7.0),
              lambda: x.index_copy_(0, lt.tensor([0, 3]), lt.ones(2, 4))):
        with pytest.raises(IndexError, match="out of bounds"):
            f()
    assert x.tolist() == lt.arange(12.0).reshape(3, 4).tolist()
    assert x[lt.tensor([-1])].tolist() == [[8.0, 9.0, 10.0, 11.0]]   # advanced indexing still wraps


@pytest.mark.parametrize("m", [torch, lt], ids=["torch", "libtensor"])
def test_python_bool_index_is_an_advanced_index(m):
    """x[True] is a 0-dim mask, as in torch: a copy with a new dim, not a view."""
    x = m.zeros(3)
    y = x[True]
    y[0, 0] = 1
    assert x[0].item() == 0 and tuple(y.shape) == (1, 3)
    x[True] = 2
    assert x.tolist() == [2.0, 2.0, 2.0]
    x[False] = 5
    assert x.tolist() == [2.0, 2.0, 2.0]
    assert tuple(x[..., False].shape) == (3, 0)
