"""The names of PyTorch's top-level namespace that libtensor writes in Python: finfo / iinfo, nn.functional's
operators under their top-level names and arguments, the predicates and conjugation family of real tensors, and
the window functions, each against torch 1.13 (values, gradients, dtypes, errors).

    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python/test_torch_namespace_extras.py
"""
import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import libtensor as lt  # noqa: E402

DTYPES = ["float16", "bfloat16", "float32", "float64", "uint8", "int8", "int16", "int32", "int64", "bool"]
FLOATS = DTYPES[:4]
INTS = DTYPES[4:9]


def T(x):
    if x.dtype == lt.bfloat16:  # numpy has no bfloat16: through float32, exactly
        return torch.from_numpy(np.array(x.detach().float().numpy())).to(torch.bfloat16)
    return torch.from_numpy(np.array(x.detach().numpy()))


def close(a, b, **kw):
    if isinstance(b, (tuple, list)):
        assert isinstance(a, tuple) and len(a) == len(b)
        for x, y in zip(a, b):
            close(x, y, **kw)
        return
    assert tuple(a.shape) == tuple(b.shape)
    torch.testing.assert_close(T(a), b, equal_nan=True, check_dtype=True, **kw)


def raises_like_torch(lt_call, torch_call):
    """Both calls raise, and the same type of exception."""
    with pytest.raises(Exception) as expected:
        torch_call()
    with pytest.raises(expected.type):
        lt_call()


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# --- finfo and iinfo -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", FLOATS)
def test_finfo_matches_torch(name):
    ours, theirs = lt.finfo(getattr(lt, name)), torch.finfo(getattr(torch, name))
    for attr in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"):
        value, expected = getattr(ours, attr), getattr(theirs, attr)
        assert type(value) is type(expected) and value == expected, attr
    assert repr(ours) == repr(theirs) and str(ours) == str(theirs)
    assert ours == lt.finfo(getattr(lt, name)) and ours != lt.finfo(lt.float16 if name != "float16" else lt.float64)


@pytest.mark.parametrize("name", INTS)
def test_iinfo_matches_torch(name):
    ours, theirs = lt.iinfo(getattr(lt, name)), torch.iinfo(getattr(torch, name))
    for attr in ("bits", "max", "min", "dtype"):
        value, expected = getattr(ours, attr), getattr(theirs, attr)
        assert type(value) is type(expected) and value == expected, attr
    assert repr(ours) == repr(theirs)


def test_finfo_defaults_to_the_default_dtype():
    assert lt.finfo() == lt.finfo(lt.float32) and isinstance(lt.finfo(), lt.finfo)
    lt.set_default_dtype(lt.float64)
    try:
        assert lt.finfo().dtype == "float64"
    finally:
        lt.set_default_dtype(lt.float32)
    assert lt.finfo(type=lt.float16).bits == 16 and lt.iinfo(type=lt.int8).max == 127


def test_type_info_takes_python_types_as_torch():
    assert lt.finfo(float).dtype == torch.finfo(float).dtype
    assert lt.iinfo(int).dtype == torch.iinfo(int).dtype


@pytest.mark.parametrize("info,arg", [("finfo", "int64"), ("finfo", "uint8"), ("finfo", "bool"), ("iinfo", "float32"),
                                      ("iinfo", "bfloat16"), ("iinfo", "bool"), ("finfo", int), ("iinfo", bool),
                                      ("finfo", 3), ("iinfo", "'int32'")])
def test_type_info_errors(info, arg):
    ours = getattr(lt, arg) if isinstance(arg, str) and not arg.startswith("'") else arg
    theirs = getattr(torch, arg) if isinstance(arg, str) and not arg.startswith("'") else arg
    raises_like_torch(lambda: getattr(lt, info)(ours), lambda: getattr(torch, info)(theirs))


def test_type_info_is_read_only_and_unhashable():
    for info in (lt.finfo(), lt.iinfo(lt.int32)):
        with pytest.raises(AttributeError):
            info.bits = 3
        with pytest.raises(TypeError):
            hash(info)


# --- nn.functional's operators at the top level -------------------------------------------------------------
# Each case: the call (lib is libtensor or torch), the inputs as arrays, which of them take a gradient.

def _inputs(rng):
    r = rng.standard_normal
    return {
        "x1d": r((2, 3, 8)), "w1d": r((4, 3, 3)), "b4": r(4), "x2d": r((1, 2, 6, 6)), "w2d": r((3, 2, 3, 3)),
        "wt1d": r((3, 2, 3)), "wt2d": r((2, 3, 3, 3)), "x": r((2, 3, 4)), "w3": r(3), "w4": r(4), "b3": r(3),
        "a": r((4, 5)), "b": r((4, 5)), "c": r((4, 5)), "v1": r((3, 4)), "v2": r((3, 5)), "wbil": r((2, 4, 5)),
        "b2": r(2), "emb": r((5, 3)), "xg": r((2, 6, 3)), "w6": r(6), "b6": r(6), "xs": r((4, 3, 5)),
        "shuffle": r((1, 8, 2, 3)), "unshuffle": r((1, 2, 4, 6)), "channels": r((1, 6, 2, 2)),
        "logp": np.log(rng.dirichlet(np.ones(5), 4)), "p": rng.dirichlet(np.ones(5), 4),
        "probs": rng.uniform(0.05, 0.95, (4, 5)), "sign": np.sign(r(4)) + (np.sign(r(4)) == 0),
        "sign45": np.where(r((4, 5)) > 0, 1.0, -1.0), "rate": rng.uniform(0.5, 3.0, (4, 5)),
        "counts": rng.poisson(2.0, (4, 5)).astype(np.float64), "pos_weight": rng.uniform(0.5, 2.0, 5),
    }


ALIASES = [
    ("conv1d", lambda lib, x, w, b: lib.conv1d(x, w, b, 1, 1), ["x1d", "w1d", "b4"]),
    ("conv2d", lambda lib, x, w: lib.conv2d(x, w, stride=2, padding=1), ["x2d", "w2d"]),
    ("conv_transpose1d", lambda lib, x, w: lib.conv_transpose1d(x[:, :3], w, None, 2, 1, 1), ["x1d", "wt1d"]),
    ("conv_transpose2d", lambda lib, x, w: lib.conv_transpose2d(x, w, stride=2, padding=1), ["x2d", "wt2d"]),
    ("avg_pool1d", lambda lib, x: lib.avg_pool1d(x, 3), ["x1d"]),
    ("avg_pool1d_args", lambda lib, x: lib.avg_pool1d(x, 3, 2, 1, True, False), ["x1d"]),
    ("max_pool1d", lambda lib, x: lib.max_pool1d(x, 2), ["x1d"]),
    ("max_pool1d_args", lambda lib, x: lib.max_pool1d(x, 3, stride=2, padding=1, dilation=1, ceil_mode=True),
     ["x1d"]),
    ("max_pool1d_with_indices", lambda lib, x: lib.max_pool1d_with_indices(x, 3, 2), ["x1d"]),
    ("max_pool2d", lambda lib, x: lib.max_pool2d(x, 2), ["x2d"]),
    ("max_pool2d_args", lambda lib, x: lib.max_pool2d(x, (3, 2), (2, 1), 1), ["x2d"]),
    ("adaptive_avg_pool1d", lambda lib, x: lib.adaptive_avg_pool1d(x, 3), ["x1d"]),
    ("adaptive_max_pool1d", lambda lib, x: lib.adaptive_max_pool1d(x, output_size=3), ["x1d"]),
    ("pixel_shuffle", lambda lib, x: lib.pixel_shuffle(x, upscale_factor=2), ["shuffle"]),
    ("pixel_unshuffle", lambda lib, x: lib.pixel_unshuffle(x, downscale_factor=2), ["unshuffle"]),
    ("channel_shuffle", lambda lib, x: lib.channel_shuffle(x, groups=3), ["channels"]),
    ("celu", lambda lib, x: lib.celu(x, alpha=0.7), ["x"]),
    ("selu", lambda lib, x: lib.selu(x), ["x"]),
    ("prelu", lambda lib, x, w: lib.prelu(x.transpose(1, 2).transpose(1, 2), w), ["x", "w3"]),
    ("hardshrink", lambda lib, x: lib.hardshrink(x, 0.3), ["x"]),
    ("threshold", lambda lib, x: lib.threshold(x, 0.1, -2.0), ["x"]),
    ("pairwise_distance", lambda lib, a, b: lib.pairwise_distance(a, b, p=3.0, keepdim=True), ["a", "b"]),
    ("bilinear", lambda lib, x1, x2, w, b: lib.bilinear(x1, x2, w, b), ["v1", "v2", "wbil", "b2"]),
    ("embedding", lambda lib, w: lib.embedding(w, lib.tensor([[0, 2], [4, 2]]), padding_idx=2), ["emb"]),
    ("embedding_no_padding", lambda lib, w: lib.embedding(weight=w, indices=lib.tensor([4, 1, 4])), ["emb"]),
    ("layer_norm", lambda lib, x, w, b: lib.layer_norm(x, (4,), w, b, 1e-3, True), ["x", "w4", "b4"]),
    ("group_norm", lambda lib, x, w, b: lib.group_norm(x, 3, w, b, eps=1e-4, cudnn_enabled=False),
     ["xg", "w6", "b6"]),
    ("batch_norm_eval", lambda lib, x, w, b: lib.batch_norm(x, w, b, lib.zeros(3, dtype=lib.float64) + 0.5,
                                                            lib.ones(3, dtype=lib.float64) * 2, False, 0.1,
                                                            1e-5, False), ["xs", "w3", "b3"]),
    ("batch_norm_train", lambda lib, x: lib.batch_norm(x, None, None, None, None, True, 0.1, 1e-5, True), ["xs"]),
    ("instance_norm", lambda lib, x, w, b: lib.instance_norm(x, w, b, None, None, True, 0.1, 1e-5, False),
     ["xs", "w3", "b3"]),
    ("kl_div", lambda lib, x, t: lib.kl_div(x, t), ["logp", "p"]),
    ("kl_div_mean", lambda lib, x, t: lib.kl_div(x, t, reduction=1), ["logp", "p"]),
    ("kl_div_log_target", lambda lib, x, t: lib.kl_div(x, t.log(), 2, log_target=True), ["logp", "p"]),
    ("bce_with_logits", lambda lib, x, t, pw: lib.binary_cross_entropy_with_logits(x, t, None, pw),
     ["a", "probs", "pos_weight"]),
    ("bce_with_logits_weight", lambda lib, x, t, w: lib.binary_cross_entropy_with_logits(x, t, w, reduction=0),
     ["a", "probs", "pos_weight"]),
    ("margin_ranking_loss", lambda lib, a, b, t: lib.margin_ranking_loss(a, b, t, 0.1), ["w4", "b4", "sign"]),
    ("hinge_embedding_loss", lambda lib, x, t: lib.hinge_embedding_loss(x, t, margin=0.5, reduction=2),
     ["a", "sign45"]),
    ("cosine_embedding_loss", lambda lib, a, b, t: lib.cosine_embedding_loss(a, b, t, 0.2, 0), ["a", "b", "sign"]),
    ("poisson_nll_loss", lambda lib, x, t: lib.poisson_nll_loss(x, t, True, False, 1e-8, 1), ["a", "counts"]),
    ("poisson_nll_loss_full", lambda lib, x, t: lib.poisson_nll_loss(x, t, False, True, 1e-6, 0), ["rate", "counts"]),
    ("triplet_margin_loss", lambda lib, a, p, n: lib.triplet_margin_loss(a, p, n), ["a", "b", "c"]),
    ("triplet_margin_loss_args", lambda lib, a, p, n: lib.triplet_margin_loss(a, p, n, 0.5, 1.0, 1e-6, True, 2),
     ["a", "b", "c"]),
]

# Inputs that are targets or counts: no gradient.
NO_GRAD = {"p", "probs", "sign", "sign45", "counts", "pos_weight"}


def _run(lib, call, names, arrays):
    tensors = [lib.tensor(arrays[n], dtype=lib.float64, requires_grad=n not in NO_GRAD) for n in names]
    return call(lib, *tensors), tensors


@pytest.mark.parametrize("name,call,names", ALIASES, ids=[c[0] for c in ALIASES])
def test_alias_matches_torch(rng, name, call, names):
    arrays = _inputs(rng)
    ours, ours_in = _run(lt, call, names, arrays)
    theirs, theirs_in = _run(torch, call, names, arrays)
    close(ours, theirs)
    if name == "channel_shuffle":
        return  # torch 1.13 has no derivative for it
    # A random weighting of the (first) output, so every element's gradient counts.
    out, expected = (ours[0], theirs[0]) if isinstance(theirs, tuple) else (ours, theirs)
    weights = rng.standard_normal(tuple(expected.shape))
    (out * lt.tensor(weights)).sum().backward()
    (expected * torch.tensor(weights)).sum().backward()
    for a, b, n in zip(ours_in, theirs_in, names):
        if n not in NO_GRAD:
            close(a.grad, b.grad, msg=f"gradient of {n}")


def test_aliases_that_agree_are_the_functionals():
    for name in ("conv1d", "conv2d", "pixel_shuffle", "prelu", "celu_", "selu_", "threshold_", "bilinear"):
        assert getattr(lt, name) is getattr(lt.nn.functional, name)


def test_batch_norm_updates_the_running_statistics(rng):
    x = rng.standard_normal((4, 3, 5))
    stats = {}
    for lib in (lt, torch):
        mean, var = lib.zeros(3, dtype=lib.float64), lib.ones(3, dtype=lib.float64)
        lib.batch_norm(lib.tensor(x), None, None, mean, var, True, 0.3, 1e-5, False)
        stats[lib] = (mean, var)
    close(stats[lt], stats[torch])


def test_in_place_forms_write_into_the_input(rng):
    x = rng.standard_normal((2, 3))
    for name, args in (("celu_", (0.5,)), ("selu_", ()), ("threshold_", (0.0, 1.5))):
        a, t = lt.tensor(x), torch.tensor(x)
        assert getattr(lt, name)(a, *args) is a
        getattr(torch, name)(t, *args)
        close(a, t)


@pytest.mark.parametrize("name", ["hardshrink", "threshold"])
def test_out_is_resized_and_returned(name):
    args = (0.3,) if name == "hardshrink" else (0.3, -1.0)
    x = np.array([[-1.0, 0.2], [0.5, -0.0]])
    out, tout = lt.empty(0, dtype=lt.float64), torch.empty(0, dtype=torch.float64)
    assert getattr(lt, name)(lt.tensor(x), *args, out=out) is out
    getattr(torch, name)(torch.tensor(x), *args, out=tout)
    close(out, tout)


DROPOUTS = ["dropout", "alpha_dropout", "feature_dropout", "feature_alpha_dropout"]


@pytest.mark.parametrize("name", DROPOUTS + [n + "_" for n in DROPOUTS])
def test_dropouts_outside_training_return_the_input(name):
    x, t = lt.randn(2, 3, 4), torch.randn(2, 3, 4)
    assert getattr(lt, name)(x, 0.5, False) is x and getattr(torch, name)(t, 0.5, False) is t


@pytest.mark.parametrize("name", DROPOUTS)
def test_dropouts_while_training(name):
    lt.manual_seed(0)
    x = lt.rand(64, 8, 16) + 1.0
    y = getattr(lt, name)(x, 0.5, True)
    assert tuple(y.shape) == tuple(x.shape) and not y.equal(x)
    if name == "dropout":  # each element dropped or scaled by 1 / (1 - p)
        assert bool(((y == 0) | (y == x * 2.0)).all())
    if name == "feature_dropout":  # whole channels are dropped or kept
        per_channel = (y == 0).float().mean(-1)
        assert bool(((per_channel == 0) | (per_channel == 1)).all())
    assert getattr(lt, name)(x, 0.0, True).equal(x)
    x2 = x.clone()
    assert getattr(lt, name + "_")(x2, 0.5, True) is x2 and not x2.equal(x)


@pytest.mark.parametrize("name", DROPOUTS)
@pytest.mark.parametrize("p,train,shape", [(1.5, True, (2, 3)), (-0.1, False, (2, 3)), (0.5, True, (3,))])
def test_dropout_errors(name, p, train, shape):
    if len(shape) == 1 and not name.startswith("feature"):
        return  # only feature dropout needs 2 dims
    raises_like_torch(lambda: getattr(lt, name)(lt.ones(*shape), p, train),
                      lambda: getattr(torch, name)(torch.ones(*shape), p, train))


@pytest.mark.parametrize("name,call", [
    ("kl_div string reduction", lambda lib, x: lib.kl_div(x, x, "mean")),
    ("kl_div bool reduction", lambda lib, x: lib.kl_div(x, x, True)),
    ("kl_div log_target positional", lambda lib, x: lib.kl_div(x, x, 1, True)),
    ("margin loss float reduction", lambda lib, x: lib.margin_ranking_loss(x, x, x, 0.0, 1.0)),
    ("layer_norm int shape", lambda lib, x: lib.layer_norm(x, 4)),
    ("selu inplace", lambda lib, x: lib.selu(x, inplace=True)),
    ("celu inplace", lambda lib, x: lib.celu(x, 1.0, False)),
    ("max_pool1d return_indices", lambda lib, x: lib.max_pool1d(x, 2, return_indices=True)),
    ("dropout without train", lambda lib, x: lib.dropout(x, 0.5)),
    ("batch_norm short", lambda lib, x: lib.batch_norm(x, None, None, None, None, True, 0.1, 1e-5)),
])
def test_alias_argument_errors(name, call):
    raises_like_torch(lambda: call(lt, lt.ones(2, 3, 4)), lambda: call(torch, torch.ones(2, 3, 4)))


@pytest.mark.parametrize("reduction", [0, 1, 2, 5, -1])
def test_int_reductions(rng, reduction):
    a, b = rng.standard_normal(6), rng.standard_normal(6)
    t = np.where(rng.standard_normal(6) > 0, 1.0, -1.0)
    ours = lt.margin_ranking_loss(lt.tensor(a), lt.tensor(b), lt.tensor(t), 0.2, reduction)
    close(ours, torch.margin_ranking_loss(torch.tensor(a), torch.tensor(b), torch.tensor(t), 0.2, reduction))


# --- predicates and the conjugation family -----------------------------------------------------------------

def _pair(name):
    values = [0, 1, 1] if name in ("bool", "uint8") else [0, -1, 2]
    return lt.tensor(values).to(getattr(lt, name)), torch.tensor(values).to(getattr(torch, name))


@pytest.mark.parametrize("name", DTYPES)
def test_predicates_match_torch(name):
    a, t = _pair(name)
    for predicate in ("is_signed", "is_complex", "is_inference", "is_neg", "is_conj", "is_floating_point"):
        expected = getattr(torch, predicate)(t)
        assert getattr(lt, predicate)(a) is expected, predicate
        assert getattr(a, predicate)() is expected, predicate
    close(lt.isreal(a), torch.isreal(t))
    close(a.isreal(), t.isreal())


@pytest.mark.parametrize("name", DTYPES)
def test_conjugation_family_returns_the_tensor(name):
    a, t = _pair(name)
    for op in ("resolve_conj", "resolve_neg", "conj", "conj_physical", "conj_physical_"):
        assert (getattr(torch, op)(t) is t) and getattr(lt, op)(a) is a and getattr(a, op)() is a, op
    out, tout = lt.empty(0, dtype=a.dtype), torch.empty(0, dtype=t.dtype)
    assert lt.conj_physical(a, out=out) is out
    close(out, torch.conj_physical(t, out=tout))
    if name == "bool":
        raises_like_torch(lambda: lt.positive(a), lambda: torch.positive(t))
        raises_like_torch(lambda: a.positive(), lambda: t.positive())
    else:
        assert lt.positive(a) is a and a.positive() is a


@pytest.mark.parametrize("values", [[1.0], [[0.0]], [math.nan], [-0.0], [True], [False], 3, [[[7]]]])
def test_is_nonzero(values):
    a, t = lt.tensor(values), torch.tensor(values)
    assert lt.is_nonzero(a) is torch.is_nonzero(t) and a.is_nonzero() is t.is_nonzero()


@pytest.mark.parametrize("values", [[1.0, 2.0], [], [[1], [1]]])
def test_is_nonzero_errors(values):
    raises_like_torch(lambda: lt.is_nonzero(lt.tensor(values)), lambda: torch.is_nonzero(torch.tensor(values)))


def test_is_same_size():
    a, b = lt.zeros(2, 3), lt.ones(2, 3, dtype=lt.int64)
    assert lt.is_same_size(a, b) and a.is_same_size(b) and not a.is_same_size(b.t())
    assert not lt.is_same_size(lt.zeros(6), a)
    raises_like_torch(lambda: lt.is_same_size(a, 3), lambda: torch.is_same_size(torch.zeros(2, 3), 3))
    raises_like_torch(lambda: a.is_same_size([2, 3]), lambda: torch.zeros(2, 3).is_same_size([2, 3]))


@pytest.mark.parametrize("name", ["is_signed", "is_complex", "is_nonzero", "isreal", "is_conj", "conj",
                                  "resolve_neg", "positive", "conj_physical"])
def test_functions_refuse_non_tensors(name):
    raises_like_torch(lambda: getattr(lt, name)([1.0]), lambda: getattr(torch, name)([1.0]))


def test_conjugation_keeps_autograd():
    x = lt.tensor([1.0, -2.0], requires_grad=True)
    (lt.conj(x) * lt.positive(x)).sum().backward()
    assert x.grad.tolist() == [2.0, -4.0]


# --- windows -------------------------------------------------------------------------------------------------

WINDOWS = ["hann_window", "hamming_window", "blackman_window", "bartlett_window"]


@pytest.mark.parametrize("name", WINDOWS)
@pytest.mark.parametrize("length", [0, 1, 2, 7, 64])
@pytest.mark.parametrize("periodic", [True, False])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_window_matches_torch(name, length, periodic, dtype):
    ours = getattr(lt, name)(length, periodic, dtype=getattr(lt, dtype))
    theirs = getattr(torch, name)(length, periodic, dtype=getattr(torch, dtype))
    # torch computes float32 windows in float32, libtensor in float64 rounded once
    close(ours, theirs, atol=1e-6 if dtype == "float32" else 1e-12, rtol=1e-5 if dtype == "float32" else 1e-12)


@pytest.mark.parametrize("args", [(9,), (9, False), (9, True, 0.5), (10, False, 0.6, 0.3)])
def test_hamming_window_coefficients(args):
    close(lt.hamming_window(*args, dtype=lt.float64), torch.hamming_window(*args, dtype=torch.float64))


@pytest.mark.parametrize("name", WINDOWS)
def test_window_defaults(name):
    w = getattr(lt, name)(8)
    assert w.dtype == lt.float32 and not w.requires_grad and w.device == lt.device("cpu")
    close(w, getattr(torch, name)(8), atol=1e-6, rtol=1e-5)
    assert getattr(lt, name)(window_length=3, requires_grad=True).requires_grad
    lt.set_default_dtype(lt.float64)
    try:
        assert getattr(lt, name)(4).dtype == lt.float64
    finally:
        lt.set_default_dtype(lt.float32)


@pytest.mark.parametrize("name", WINDOWS)
@pytest.mark.parametrize("case", ["int dtype", "negative", "float length", "bool length", "periodic None"])
def test_window_errors(name, case):
    def call(lib):
        f = getattr(lib, name)
        return {"int dtype": lambda: f(5, dtype=lib.int64), "negative": lambda: f(-1),
                "float length": lambda: f(5.0), "bool length": lambda: f(True),
                "periodic None": lambda: f(5, periodic=None)}[case]()
    raises_like_torch(lambda: call(lt), lambda: call(torch))
