"""The nn.functional operators and nn modules that libtensor composes in Python (activations, shuffles and
padding, 1-D pools, instance / local response norm, the margin and likelihood losses, channel dropouts)
against PyTorch: forward values on several shapes (batched, unbatched, non-contiguous), gradients of
sum(out * w) in float64, libtensor's own gradcheck, reprs, and the errors for bad input."""
import math
import warnings

import pytest
import torch

from _parity import assert_parity, import_libtensor, to_lt

lt = import_libtensor()
LF = lt.nn.functional
TF = torch.nn.functional


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)
    lt.manual_seed(0)


def make(*shape, noncontig=False, scale=1.0, dtype=torch.float64):
    """randn * scale; with noncontig, every other element of a tensor twice as wide (a strided view)."""
    if noncontig:
        return (torch.randn(*shape[:-1], shape[-1] * 2, dtype=dtype) * scale)[..., ::2]
    return torch.randn(shape, dtype=dtype) * scale


def signs(*shape):
    return torch.randint(0, 2, shape).double() * 2 - 1


def _as_tuple(out):
    return out if isinstance(out, tuple) else (out,)


def check(fn, inputs, grad=(0,), *, gradcheck=True, rtol=None, atol=None):
    """fn(F, *tensors) with F torch's nn.functional and libtensor's: the same outputs; for float64 inputs the
    same gradients of sum(out * w) for the inputs at positions `grad`, and libtensor's gradcheck there."""
    t_in = [t.detach().requires_grad_(i in grad and t.is_floating_point()) for i, t in enumerate(inputs)]
    l_in = [to_lt(t) for t in t_in]
    t_out, l_out = _as_tuple(fn(TF, *t_in)), _as_tuple(fn(LF, *l_in))
    assert len(t_out) == len(l_out)
    for lo, to in zip(l_out, t_out):
        assert_parity(lo, to, rtol=rtol, atol=atol, what="forward")
    if not grad or inputs[0].dtype != torch.float64:
        return
    weights = [torch.randn(o.shape, dtype=o.dtype) for o in t_out if o.is_floating_point()]
    sum(((o * w).sum() for o, w in zip(t_out, weights))).backward()
    sum(((o * to_lt(w)).sum() for o, w in zip(l_out, weights))).backward()
    for i in grad:
        assert_parity(l_in[i].grad, t_in[i].grad, rtol=rtol, atol=atol, what=f"gradient of input {i}")
    if gradcheck:
        def partial(*diff):
            args = list(l_in)
            for i, d in zip(grad, diff):
                args[i] = d
            return fn(LF, *args)
        diff = [to_lt(t_in[i].detach(), requires_grad=True) for i in grad]
        assert lt.autograd.gradcheck(partial, diff)


# --- activations ---------------------------------------------------------------------------------------------

ACTIVATIONS = {
    "glu": lambda F, x: F.glu(x),
    "glu_dim0": lambda F, x: F.glu(x, 0),
    "hardsigmoid": lambda F, x: F.hardsigmoid(x),
    "softsign": lambda F, x: F.softsign(x),
    "softmin": lambda F, x: F.softmin(x, -1),
    "softmin_dtype": lambda F, x: F.softmin(x, 0, dtype=(torch if F is TF else lt).float64),
    "softshrink": lambda F, x: F.softshrink(x),
    "softshrink_1.2": lambda F, x: F.softshrink(x, 1.2),
    "hardshrink": lambda F, x: F.hardshrink(x),
    "hardshrink_1.2": lambda F, x: F.hardshrink(x, 1.2),
    "tanhshrink": lambda F, x: F.tanhshrink(x),
    "threshold": lambda F, x: F.threshold(x, 0.3, -2.0),
    "celu": lambda F, x: F.celu(x),
    "celu_0.7": lambda F, x: F.celu(x, 0.7),
}
SHAPES = [((6,), False), ((3, 4), False), ((2, 3, 4, 6), False), ((4, 6), True), ((2, 3, 4), True)]


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32], ids=str)
@pytest.mark.parametrize("shape,noncontig", SHAPES, ids=str)
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_matches_torch(name, shape, noncontig, dtype):
    if name == "glu_dim0" and shape[0] % 2:
        pytest.skip("glu needs an even dim")
    x = make(*shape, noncontig=noncontig, scale=2.5, dtype=dtype)  # beyond hardsigmoid's +-3 too
    check(ACTIVATIONS[name], [x], gradcheck=len(shape) <= 2)


SPECIAL = [-3.0, 3.0, 0.5, -0.5, 0.0, 0.3, 1.2, -1.2, math.inf, -math.inf, math.nan]


@pytest.mark.parametrize("name", sorted(set(ACTIVATIONS) - {"glu_dim0", "softmin_dtype"}))
def test_activation_special_values_match_torch(name):
    """The kinks (hardsigmoid's +-3, the shrinks' lambd, threshold's 0.3), infinities and NaN."""
    values = SPECIAL[:-1] if name.startswith("softshrink") else SPECIAL  # 1.13's softshrink(NaN) is 0; NaN here
    if name == "glu":
        values = values[:10]
    check(ACTIVATIONS[name], [torch.tensor(values[:8], dtype=torch.float64)], gradcheck=False)
    check(ACTIVATIONS[name], [torch.tensor(values, dtype=torch.float64)], grad=())


@pytest.mark.parametrize("shape,weights", [((2, 3, 4), 3), ((2, 3, 4), 1), ((5, 3), 3), ((7,), 1), ((), 1),
                                           ((2, 3, 2, 2), 3)], ids=str)
def test_prelu_matches_torch(shape, weights):
    x, w = make(*shape), torch.rand(weights, dtype=torch.float64)
    check(lambda F, x, w: F.prelu(x, w), [x, w], grad=(0, 1))


def test_prelu_scalar_weight():
    check(lambda F, x, w: F.prelu(x, w), [make(3, 4), torch.tensor(0.3, dtype=torch.float64)], grad=(0, 1))


INPLACE = {
    "relu_": ((lambda F, x: F.relu_(x)), "relu"),
    "elu_": ((lambda F, x: F.elu_(x, 0.5)), "elu"),
    "leaky_relu_": ((lambda F, x: F.leaky_relu_(x, 0.2)), "leaky_relu"),
    "hardtanh_": ((lambda F, x: F.hardtanh_(x, -0.5, 0.8)), "hardtanh"),
    "selu_": ((lambda F, x: F.selu_(x)), "selu"),
    "celu_": ((lambda F, x: F.celu_(x, 0.7)), "celu"),
    "threshold_": ((lambda F, x: F.threshold_(x, 0.1, 5.0)), "threshold"),
}


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_inplace_variants_write_into_input(name):
    fn, _ = INPLACE[name]
    t = make(3, 5)
    x = to_lt(t)
    out = fn(LF, x)
    assert out is x
    assert_parity(x, fn(TF, t.clone()))
    # through autograd: on a non-leaf, the gradient is the out-of-place operator's
    check(lambda F, x: fn(F, x * 1.0), [make(3, 5)], gradcheck=False)


@pytest.mark.parametrize("name,args,kwargs,shape", [
    ("GLU", (), {}, (3, 4)), ("GLU", (1,), {}, (3, 4, 5)), ("Hardsigmoid", (), {}, (3, 4)),
    ("Hardsigmoid", (), {"inplace": True}, (3, 4)), ("Softsign", (), {}, (3, 4)), ("Softmin", (1,), {}, (3, 4)),
    ("Softshrink", (), {}, (3, 4)), ("Softshrink", (0.8,), {}, (3, 4)), ("Hardshrink", (0.3,), {}, (3, 4)),
    ("Tanhshrink", (), {}, (3, 4)), ("Threshold", (0.1, 20.0), {}, (3, 4)),
    ("Threshold", (0.1, 20.0), {"inplace": True}, (3, 4)), ("CELU", (), {}, (3, 4)),
    ("CELU", (0.5,), {"inplace": True}, (3, 4)), ("PReLU", (), {}, (2, 3, 4)), ("PReLU", (3,), {}, (2, 3, 4)),
    ("PReLU", (3, 0.1), {}, (2, 3, 5, 5)), ("Softmax2d", (), {}, (2, 3, 4, 5)), ("Softmax2d", (), {}, (3, 4, 5)),
], ids=str)
def test_activation_module_matches_torch(name, args, kwargs, shape):
    check_module(name, args, kwargs, [make(*shape)])


@pytest.mark.parametrize("name", ["ELU", "Hardtanh", "ReLU6", "SiLU", "Mish", "SELU", "Hardswish", "LeakyReLU"])
def test_inplace_activation_modules_differentiate_a_non_leaf(name):
    """inplace=True on an activation inside a graph: the operator must not have saved the input it overwrites."""
    check_module(name, (), {"inplace": True}, [make(3, 4)])


def check_module(name, args, kwargs, inputs, *, grad=(0,), train=True):
    """The lt.nn and torch.nn modules built alike (torch's state dict loaded into libtensor's): the same repr,
    outputs, and gradients of sum(out * w) for the inputs at `grad` and for the parameters."""
    tm = getattr(torch.nn, name)(*args, **kwargs).double()
    lm = getattr(lt.nn, name)(*args, **kwargs).double()
    lm.load_state_dict({k: to_lt(v) for k, v in tm.state_dict().items()})
    tm.train(train)
    lm.train(train)
    assert repr(lm) == repr(tm)
    inplace = kwargs.get("inplace", False)

    def run(F, *xs):
        module = tm if F is TF else lm
        return module(*[x * 1.0 for x in xs]) if inplace else module(*xs)  # in place on a non-leaf

    check(run, inputs, grad=grad, gradcheck=False)
    for (n, tp), (m, lp) in zip(sorted(tm.named_parameters()), sorted(lm.named_parameters())):
        assert n == m
        assert_parity(lp.grad, tp.grad, what=f"gradient of {n}")
    for (n, tb), (m, lb) in zip(sorted(tm.named_buffers()), sorted(lm.named_buffers())):
        assert n == m
        assert_parity(lb, tb, what=f"buffer {n}")


# --- shuffles, padding, resizing, distances ------------------------------------------------------------------

PIXEL_SHUFFLES = {
    "shuffle_2": ("pixel_shuffle", 2, (2, 8, 3, 3), False),
    "shuffle_unbatched": ("pixel_shuffle", 2, (8, 3, 5), True),
    "shuffle_3_two_batch_dims": ("pixel_shuffle", 3, (2, 2, 9, 2, 2), False),
    "unshuffle_2": ("pixel_unshuffle", 2, (2, 3, 4, 6), False),
    "unshuffle_3_two_batch_dims": ("pixel_unshuffle", 3, (2, 1, 3, 6, 9), True),
}


@pytest.mark.parametrize("name", sorted(PIXEL_SHUFFLES))
def test_pixel_shuffles_match_torch(name):
    function, factor, shape, noncontig = PIXEL_SHUFFLES[name]
    check(lambda F, x: getattr(F, function)(x, factor), [make(*shape, noncontig=noncontig)])
    module = "PixelShuffle" if function == "pixel_shuffle" else "PixelUnshuffle"
    check_module(module, (factor,), {}, [make(*shape)])


def test_pixel_unshuffle_inverts_pixel_shuffle():
    x = lt.randn(2, 12, 3, 4)
    assert lt.equal(LF.pixel_unshuffle(LF.pixel_shuffle(x, 2), 2), x)


@pytest.mark.parametrize("groups,shape,noncontig", [(3, (2, 6, 3, 3), False), (2, (2, 6, 5), True),
                                                    (1, (2, 4, 5), False), (4, (1, 8, 2, 1, 2), False)], ids=str)
def test_channel_shuffle_matches_torch(groups, shape, noncontig):
    x = make(*shape, noncontig=noncontig)
    check(lambda F, x: F.channel_shuffle(x, groups), [x], grad=())
    check_module("ChannelShuffle", (groups,), {}, [x], grad=())

    # PyTorch 1.13 has no derivative for channel_shuffle: its gradient against the same permutation composed
    def composed(F, x):
        if F is TF:
            n, c = x.shape[:2]
            return x.reshape(n, groups, c // groups, *x.shape[2:]).transpose(1, 2).reshape(x.shape)
        return F.channel_shuffle(x, groups)
    check(composed, [x])


@pytest.mark.parametrize("p,keepdim,shapes", [
    (2.0, False, [(5, 4), (5, 4)]), (1.0, True, [(5, 4), (5, 4)]), (3.0, False, [(2, 5, 4), (1, 4)]),
    (math.inf, False, [(5, 4), (5, 4)]), (2.0, False, [(4,), (4,)]),
], ids=str)
def test_pairwise_distance_matches_torch(p, keepdim, shapes):
    check(lambda F, a, b: F.pairwise_distance(a, b, p, 1e-6, keepdim), [make(*s) for s in shapes], grad=(0, 1))
    check_module("PairwiseDistance", (p,), {"keepdim": keepdim}, [make(*s) for s in shapes], grad=(0, 1))


def test_cosine_similarity_module_matches_torch():
    check_module("CosineSimilarity", (), {}, [make(3, 4, 2), make(3, 4, 2)], grad=(0, 1))
    check_module("CosineSimilarity", (-1, 1e-6), {}, [make(3, 4), make(1, 4)], grad=(0, 1))


@pytest.mark.parametrize("name,args,shape", [
    ("ZeroPad2d", (1,), (2, 3, 4, 4)), ("ZeroPad2d", ((1, 0, 2, 1),), (3, 4, 4)),
    ("ConstantPad1d", (2, 3.5), (2, 3, 4)), ("ConstantPad1d", ((0, 2), -1.0), (3, 4)),
    ("ConstantPad2d", ((1, 2, 0, 1), 0.5), (2, 3, 4, 4)), ("ConstantPad3d", (1, 2.0), (2, 2, 3, 3, 3)),
    ("ConstantPad3d", ((1, 0, 0, 1, 2, 0), 2.0), (2, 3, 3, 3)),
    ("ReflectionPad1d", (2,), (2, 3, 5)), ("ReflectionPad1d", ((1, 3),), (3, 5)),
    ("ReflectionPad2d", (1,), (2, 3, 4, 4)), ("ReflectionPad2d", ((1, 2, 0, 3),), (3, 4, 5)),
    ("ReflectionPad3d", (1,), (2, 2, 3, 3, 3)),
    ("ReplicationPad1d", (2,), (2, 3, 5)), ("ReplicationPad2d", ((1, 2, 3, 0),), (2, 3, 4, 4)),
    ("ReplicationPad3d", ((1, 0, 2, 1, 0, 1),), (2, 2, 3, 3, 3)),
], ids=str)
def test_padding_modules_match_torch(name, args, shape):
    check_module(name, args, {}, [make(*shape)])


@pytest.mark.parametrize("name,kwargs,shape", [
    ("Upsample", {"scale_factor": 2}, (2, 3, 4, 5)), ("Upsample", {"size": (5, 7)}, (2, 3, 4, 5)),
    ("Upsample", {"scale_factor": 2, "mode": "bilinear", "align_corners": False}, (2, 3, 4, 5)),
    ("Upsample", {"size": 7, "mode": "linear", "align_corners": True}, (2, 3, 4)),
    ("Upsample", {"scale_factor": (2.0, 1.5), "mode": "nearest"}, (1, 2, 4, 4)),
    ("UpsamplingNearest2d", {"scale_factor": 3}, (2, 3, 2, 3)), ("UpsamplingNearest2d", {"size": (4, 5)}, (1, 2, 2, 3)),
    ("UpsamplingBilinear2d", {"scale_factor": 2}, (2, 3, 3, 4)), ("UpsamplingBilinear2d", {"size": 6}, (1, 2, 3, 4)),
], ids=str)
def test_upsampling_modules_match_torch(name, kwargs, shape):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's deprecation notes for the two 2-D modules
        check_module(name, (), kwargs, [make(*shape)])


@pytest.mark.parametrize("name,kwargs", [("upsample", {"scale_factor": 2, "mode": "bilinear"}),
                                         ("upsample_nearest", {"size": (5, 6)}),
                                         ("upsample_bilinear", {"scale_factor": 2})], ids=str)
def test_deprecated_upsample_functions_match_torch(name, kwargs):
    with pytest.warns(UserWarning, match="deprecated"):
        check(lambda F, x: getattr(F, name)(x, **kwargs), [make(2, 3, 3, 4)], gradcheck=False)


# --- 1-D pooling -----------------------------------------------------------------------------------------------

POOLS_1D = {
    "avg": ((lambda F, x: F.avg_pool1d(x, 3)), (2, 3, 9)),
    "avg_pad_exclude": ((lambda F, x: F.avg_pool1d(x, 3, 2, 1, count_include_pad=False)), (2, 3, 9)),
    "avg_ceil_unbatched": ((lambda F, x: F.avg_pool1d(x, (4,), (3,), 2, ceil_mode=True)), (3, 10)),
    "max": ((lambda F, x: F.max_pool1d(x, 3)), (2, 3, 9)),
    "max_dilated_indices": ((lambda F, x: F.max_pool1d(x, 3, 2, 1, 2, return_indices=True)), (2, 3, 11)),
    "max_ceil_unbatched": ((lambda F, x: F.max_pool1d(x, 2, ceil_mode=True, return_indices=True)), (3, 7)),
    "adaptive_avg": ((lambda F, x: F.adaptive_avg_pool1d(x, 4)), (2, 3, 10)),
    "adaptive_avg_unbatched": ((lambda F, x: F.adaptive_avg_pool1d(x, (3,))), (3, 7)),
    "adaptive_max_indices": ((lambda F, x: F.adaptive_max_pool1d(x, 4, return_indices=True)), (2, 3, 10)),
    "adaptive_max_unbatched": ((lambda F, x: F.adaptive_max_pool1d(x, 3)), (3, 7)),
}


@pytest.mark.parametrize("name", sorted(POOLS_1D))
@pytest.mark.parametrize("noncontig", [False, True])
def test_pool1d_matches_torch(name, noncontig):
    fn, shape = POOLS_1D[name]
    check(fn, [make(*shape, noncontig=noncontig)])


@pytest.mark.parametrize("name,args,kwargs,shape", [
    ("AvgPool1d", (3,), {}, (2, 3, 9)), ("AvgPool1d", (3, 2, 1), {"count_include_pad": False}, (3, 8)),
    ("MaxPool1d", (3,), {}, (2, 3, 9)), ("MaxPool1d", (2, 1), {"dilation": 2}, (2, 3, 8)),
    ("AdaptiveAvgPool1d", (4,), {}, (2, 3, 9)), ("AdaptiveMaxPool1d", (4,), {}, (2, 3, 9)),
], ids=str)
def test_pool1d_modules_match_torch(name, args, kwargs, shape):
    check_module(name, args, kwargs, [make(*shape)])


# --- instance and local response norm --------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(2, 3, 5), (2, 3, 4, 4), (1, 2, 2, 3, 2)], ids=str)
@pytest.mark.parametrize("affine", [False, True])
def test_instance_norm_matches_torch(shape, affine):
    c = shape[1]
    w, b = torch.rand(c, dtype=torch.float64) + 0.5, torch.randn(c, dtype=torch.float64)
    fn = (lambda F, x, w, b: F.instance_norm(x, weight=w, bias=b, eps=1e-3)) if affine else \
        (lambda F, x, w, b: F.instance_norm(x))
    check(fn, [make(*shape, noncontig=True), w, b], grad=(0, 1, 2) if affine else (0,))


def test_instance_norm_running_statistics_match_torch():
    x = make(3, 2, 6)
    t_mean, t_var = torch.randn(2, dtype=torch.float64), torch.rand(2, dtype=torch.float64) + 0.5
    l_mean, l_var = to_lt(t_mean), to_lt(t_var)
    assert_parity(LF.instance_norm(to_lt(x), l_mean, l_var, momentum=0.3),
                  TF.instance_norm(x, t_mean, t_var, momentum=0.3))
    assert_parity(l_mean, t_mean, what="running_mean")
    assert_parity(l_var, t_var, what="running_var")
    # with the running statistics instead of the input's
    check(lambda F, x: F.instance_norm(x, *((t_mean, t_var) if F is TF else (l_mean, l_var)),
                                       use_input_stats=False), [x])


@pytest.mark.parametrize("name,args,kwargs,shape,train", [
    ("InstanceNorm1d", (3,), {}, (2, 3, 5), True), ("InstanceNorm1d", (3,), {"affine": True}, (3, 6), True),
    ("InstanceNorm1d", (3,), {"track_running_stats": True}, (2, 3, 5), True),
    ("InstanceNorm1d", (3,), {"track_running_stats": True}, (2, 3, 5), False),
    ("InstanceNorm2d", (3,), {"affine": True, "track_running_stats": True}, (2, 3, 4, 4), True),
    ("InstanceNorm2d", (3,), {"affine": True}, (3, 4, 5), True),
    ("InstanceNorm3d", (2,), {"affine": True, "momentum": 0.5, "track_running_stats": True}, (2, 2, 2, 3, 2), True),
    ("LocalResponseNorm", (3,), {}, (2, 5, 4), True), ("LocalResponseNorm", (2, 0.1, 0.5, 2.0), {}, (2, 6, 3, 3), True),
], ids=str)
def test_norm_modules_match_torch(name, args, kwargs, shape, train):
    check_module(name, args, kwargs, [make(*shape)], train=train)


@pytest.mark.parametrize("shape,size", [((2, 6, 5), 3), ((2, 6, 4, 4), 2), ((2, 4, 3, 2, 2), 5), ((1, 3, 4), 1)],
                         ids=str)
def test_local_response_norm_matches_torch(shape, size):
    check(lambda F, x: F.local_response_norm(x, size, alpha=0.5, beta=0.6, k=1.5), [make(*shape, noncontig=True)])


# --- losses ----------------------------------------------------------------------------------------------------

def _loss_cases():
    d = torch.float64
    return {
        "margin_ranking": (lambda F, a, b, y, **kw: F.margin_ranking_loss(a, b, y, 0.3, **kw),
                           lambda: [make(6), make(6), signs(6)], (0, 1)),
        "margin_ranking_2d": (lambda F, a, b, y, **kw: F.margin_ranking_loss(a, b, y, **kw),
                              lambda: [make(3, 4), make(3, 4), signs(3, 4)], (0, 1)),
        "hinge_embedding": (lambda F, x, y, **kw: F.hinge_embedding_loss(x, y, 0.7, **kw),
                            lambda: [make(4, 5, noncontig=True), signs(4, 5)], (0,)),
        "soft_margin": (lambda F, x, y, **kw: F.soft_margin_loss(x, y, **kw),
                        lambda: [make(4, 5, scale=3), signs(4, 5)], (0,)),
        "multilabel_soft_margin": (lambda F, x, y, **kw: F.multilabel_soft_margin_loss(x, y, **kw),
                                   lambda: [make(4, 5), torch.randint(0, 2, (4, 5)).to(d)], (0,)),
        "multilabel_soft_margin_weight": (
            lambda F, x, y, w, **kw: F.multilabel_soft_margin_loss(x, y, w, **kw),
            lambda: [make(4, 5), torch.randint(0, 2, (4, 5)).to(d), torch.rand(5, dtype=d)], (0, 2)),
        "cosine_embedding": (lambda F, a, b, y, **kw: F.cosine_embedding_loss(a, b, y, 0.2, **kw),
                             lambda: [make(5, 4), make(5, 4), signs(5)], (0, 1)),
        "cosine_embedding_1d": (lambda F, a, b, y, **kw: F.cosine_embedding_loss(a, b, y, -0.5, **kw),
                                lambda: [make(4), make(4), torch.tensor(-1.0, dtype=d)], (0, 1)),
        "triplet_margin": (lambda F, a, p, n, **kw: F.triplet_margin_loss(a, p, n, **kw),
                           lambda: [make(5, 4), make(5, 4), make(5, 4)], (0, 1, 2)),
        "triplet_margin_p1_swap": (lambda F, a, p, n, **kw: F.triplet_margin_loss(a, p, n, 2.0, 1, swap=True, **kw),
                                   lambda: [make(5, 4), make(5, 4), make(5, 4, noncontig=True)], (0, 1, 2)),
        "poisson_nll": (lambda F, x, y, **kw: F.poisson_nll_loss(x, y, **kw),
                        lambda: [make(4, 5), torch.randint(0, 6, (4, 5)).to(d)], (0,)),
        "poisson_nll_full_rates": (lambda F, x, y, **kw: F.poisson_nll_loss(x, y, False, True, **kw),
                                   lambda: [torch.rand(4, 5, dtype=d) + 0.1, torch.randint(0, 6, (4, 5)).to(d)],
                                   (0,)),
        "gaussian_nll": (lambda F, x, y, v, **kw: F.gaussian_nll_loss(x, y, v, **kw),
                         lambda: [make(4, 5), make(4, 5), torch.rand(4, 5, dtype=d) + 0.1], (0, 1, 2)),
        "gaussian_nll_row_var_full": (lambda F, x, y, v, **kw: F.gaussian_nll_loss(x, y, v, True, **kw),
                                      lambda: [make(4, 5), make(4, 5), torch.rand(4, dtype=d) + 0.1], (0, 2)),
        # var below eps: clamped without a derivative, so the gradient (PyTorch's) is not the numerical one
        "gaussian_nll_clamped_var": (lambda F, x, y, v, **kw: F.gaussian_nll_loss(x, y, v, eps=0.2, **kw),
                                     lambda: [make(4, 5), make(4, 5), torch.rand(4, 1, dtype=d)], (0, 2), False),
        "multi_margin": (lambda F, x, y, **kw: F.multi_margin_loss(x, y, **kw),
                         lambda: [make(5, 4), torch.randint(0, 4, (5,))], (0,)),
        "multi_margin_p2_weight": (lambda F, x, y, w, **kw: F.multi_margin_loss(x, y, 2, 0.5, w, **kw),
                                   lambda: [make(5, 4, noncontig=True), torch.randint(0, 4, (5,)),
                                            torch.rand(4, dtype=d)], (0,)),  # torch: no derivative for weight
        "multi_margin_1d": (lambda F, x, y, **kw: F.multi_margin_loss(x, y, **kw),
                            lambda: [make(4), torch.tensor(2)], (0,)),
    }


LOSSES = _loss_cases()


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_matches_torch(name, reduction):
    fn, inputs, grad, *gradcheck = LOSSES[name]
    check(lambda F, *xs: fn(F, *xs, reduction=reduction), inputs(), grad=grad, gradcheck=gradcheck != [False])


@pytest.mark.filterwarnings("ignore:size_average and reduce args will be deprecated")
@pytest.mark.parametrize("name", ["margin_ranking", "soft_margin", "multi_margin", "triplet_margin"])
def test_loss_legacy_reduction_arguments(name):
    fn, inputs, *_ = LOSSES[name]
    check(lambda F, *xs: fn(F, *xs, size_average=False), inputs(), grad=())
    check(lambda F, *xs: fn(F, *xs, reduce=False), inputs(), grad=())


def test_losses_in_float32():
    for name in ["soft_margin", "cosine_embedding", "triplet_margin", "gaussian_nll", "multi_margin"]:
        fn, inputs, *_ = LOSSES[name]
        check(fn, [t.float() if t.is_floating_point() else t for t in inputs()], grad=())


@pytest.mark.parametrize("name", ["margin_ranking", "hinge_embedding", "soft_margin", "cosine_embedding",
                                  "triplet_margin", "poisson_nll", "multi_margin", "gaussian_nll"])
def test_loss_dtype_under_cpu_autocast_matches_torch(name):
    """PyTorch's CPU float32 list holds most of these losses: bfloat16 inputs give a float32 loss there."""
    fn, inputs, *_ = LOSSES[name]
    t_in = [t.bfloat16() if t.is_floating_point() else t for t in inputs()]
    with torch.autocast("cpu", dtype=torch.bfloat16):
        expected = fn(TF, *t_in)
    with lt.autocast("cpu", dtype=lt.bfloat16):
        got = fn(LF, *[to_lt(t) for t in t_in])
    assert_parity(got, expected, rtol=1e-2, atol=1e-2)
    assert fn(LF, *[to_lt(t) for t in t_in]).dtype == lt.bfloat16  # outside the region: the inputs' dtype


CLASS_WEIGHTS = torch.tensor([0.3, 0.9, 0.5, 0.7], dtype=torch.float64)


@pytest.mark.parametrize("name,args,kwargs,inputs", [
    ("MarginRankingLoss", (0.5,), {}, lambda: [make(6), make(6), signs(6)]),
    ("HingeEmbeddingLoss", (), {"reduction": "sum"}, lambda: [make(3, 4), signs(3, 4)]),
    ("SoftMarginLoss", (), {"reduction": "none"}, lambda: [make(3, 4), signs(3, 4)]),
    ("MultiLabelSoftMarginLoss", (CLASS_WEIGHTS,), {},
     lambda: [make(3, 4), torch.randint(0, 2, (3, 4)).double()]),
    ("CosineEmbeddingLoss", (0.1,), {}, lambda: [make(3, 4), make(3, 4), signs(3)]),
    ("TripletMarginLoss", (), {"p": 1.0, "swap": True}, lambda: [make(3, 4), make(3, 4), make(3, 4)]),
    ("PoissonNLLLoss", (), {"full": True}, lambda: [make(3, 4), torch.randint(0, 5, (3, 4)).double()]),
    ("GaussianNLLLoss", (), {"full": True}, lambda: [make(3, 4), make(3, 4), torch.rand(3, 1).double() + 0.1]),
    ("MultiMarginLoss", (2, 0.8, CLASS_WEIGHTS), {}, lambda: [make(3, 4), torch.tensor([0, 3, 1])]),
], ids=lambda v: v if isinstance(v, str) and v[0].isupper() else "")
def test_loss_modules_match_torch(name, args, kwargs, inputs):
    if name in ("MultiLabelSoftMarginLoss", "MultiMarginLoss"):  # the weight as libtensor's buffer for lt
        tm = getattr(torch.nn, name)(*args, **kwargs)
        lm = getattr(lt.nn, name)(*[to_lt(a) if isinstance(a, torch.Tensor) else a for a in args], **kwargs)
        xs = inputs()
        assert repr(lm) == repr(tm)
        assert_parity(lm(*[to_lt(x) for x in xs]), tm(*xs))
        return
    check_module(name, args, kwargs, inputs(), grad=(0,))


# --- dropouts --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,shape,feature_shape", [
    ("dropout1d", (4, 6, 8), (4, 6, 1)), ("dropout1d", (6, 8), (6, 1)),
    ("dropout2d", (4, 6, 3, 3), (4, 6, 1, 1)), ("dropout3d", (3, 4, 2, 2, 2), (3, 4, 1, 1, 1)),
    ("dropout3d", (4, 2, 2, 2), (4, 1, 1, 1)),
], ids=str)
def test_channel_dropout_drops_whole_channels(name, shape, feature_shape):
    x = lt.rand(*shape) + 1.0  # nonzero everywhere: a zero output is a dropped element
    y = getattr(LF, name)(x, 0.4)
    kept = (y != 0).float()
    per_channel = kept.sum([d for d, s in enumerate(feature_shape) if s == 1], keepdim=True)
    channel_size = math.prod(shape) // math.prod(feature_shape)
    assert ((per_channel == 0) | (per_channel == channel_size)).all().item()
    assert lt.allclose(y, _where_kept(kept, x / 0.6))
    assert getattr(LF, name)(x, 0.4, training=False) is x
    assert (getattr(LF, name)(x, 1.0) == 0).all().item()


def _where_kept(kept, values):
    return lt.where(kept.bool(), values, 0.0)


def test_dropout_keep_rate_and_gradient():
    x = lt.ones(200, 50, 1, requires_grad=True)
    y = LF.dropout1d(x, 0.3)
    rate = (y != 0).float().mean().item()
    assert abs(rate - 0.7) < 0.05
    y.sum().backward()
    assert lt.allclose(x.grad, (y != 0).float() / 0.7)


@pytest.mark.parametrize("name", ["alpha_dropout", "feature_alpha_dropout"])
def test_alpha_dropout_values_and_moments(name):
    p, alpha = 0.3, 1.7580993408473766
    a = 1 / math.sqrt((alpha * alpha * p + 1) * (1 - p))
    x = lt.randn(400, 250, 1, dtype=lt.float64)
    y = getattr(LF, name)(x, p, training=True)
    kept = lt.isclose(y, a * x + alpha * a * p)
    dropped = lt.isclose(y, lt.full_like(x, -alpha * a + alpha * a * p))
    assert (kept | dropped).all().item()
    assert abs(kept.double().mean().item() - (1 - p)) < 0.03
    if name == "feature_alpha_dropout":
        assert (kept.sum(2) % 1 == 0).all().item()
    assert getattr(LF, name)(x, p) is x  # training defaults to False


def test_alpha_dropout_keeps_selu_statistics():
    x = LF.selu(lt.randn(200000, dtype=lt.float64))
    y = LF.alpha_dropout(x, 0.2, training=True)
    assert abs(y.mean().item()) < 0.02 and abs(y.std().item() - 1) < 0.02


@pytest.mark.parametrize("name", ["Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"])
def test_dropout_modules(name):
    tm, lm = getattr(torch.nn, name)(0.25, inplace=True), getattr(lt.nn, name)(0.25, inplace=True)
    assert repr(lm) == repr(tm)
    x = lt.randn(2, 3, 4, 4, 4) if name == "Dropout3d" else lt.randn(2, 3, 4, 4) if name == "Dropout2d" \
        else lt.randn(2, 3, 4)
    y = lm(x.clone())
    assert y.shape == x.shape and not lt.equal(y, x)
    lm.eval()
    assert lm(x) is x
    with pytest.raises(ValueError, match="between 0 and 1"):
        getattr(lt.nn, name)(1.5)


# --- errors ----------------------------------------------------------------------------------------------------

def _x(*shape):
    return lt.randn(*shape)


ERRORS = [
    ("glu", lambda: LF.glu(_x(2, 5), 1), RuntimeError, "dimension 1 is size 5"),
    ("glu", lambda: LF.glu(lt.tensor(1.0)), RuntimeError, "scalars"),
    ("softshrink", lambda: LF.softshrink(_x(3), -1.0), RuntimeError, "found to be -1.0"),
    ("prelu", lambda: LF.prelu(_x(2, 5, 4), lt.ones(3)), RuntimeError, "(2, 5, 4) has 5 channels"),
    ("prelu", lambda: LF.prelu(_x(2, 5), lt.ones(5, 1)), RuntimeError, "(5, 1)"),
    ("Softmax2d", lambda: lt.nn.Softmax2d()(_x(2, 3)), AssertionError, "(2, 3)"),
    ("pixel_shuffle", lambda: LF.pixel_shuffle(_x(2, 5, 3, 3), 2), RuntimeError, "(2, 5, 3, 3)"),
    ("pixel_shuffle", lambda: LF.pixel_shuffle(_x(4, 4), 2), RuntimeError, "(4, 4)"),
    ("pixel_shuffle", lambda: LF.pixel_shuffle(_x(4, 4, 4), 0), RuntimeError, "upscale_factor, but got 0"),
    ("pixel_unshuffle", lambda: LF.pixel_unshuffle(_x(1, 5, 4), 2), RuntimeError, "(1, 5, 4)"),
    ("channel_shuffle", lambda: LF.channel_shuffle(_x(2, 5, 4), 2), RuntimeError, "(2, 5, 4) has 5 channels"),
    ("channel_shuffle", lambda: LF.channel_shuffle(_x(4, 4), 2), RuntimeError, "(4, 4)"),
    ("pairwise_distance", lambda: LF.pairwise_distance(_x(3, 4), _x(3, 5)), RuntimeError, "x2 (3, 5)"),
    ("avg_pool1d", lambda: LF.avg_pool1d(_x(2, 3, 4, 5), 2), RuntimeError, "(2, 3, 4, 5)"),
    ("avg_pool1d", lambda: LF.avg_pool1d(_x(2, 3, 4), (2, 2)), ValueError, "kernel_size"),
    ("max_pool1d", lambda: LF.max_pool1d(_x(2, 3, 8), 3, padding=2), RuntimeError, "(2, 3, 8)"),
    ("adaptive_avg_pool1d", lambda: LF.adaptive_avg_pool1d(_x(3), 2), RuntimeError, "(3,)"),
    ("adaptive_max_pool1d", lambda: LF.adaptive_max_pool1d(_x(2, 3, 4, 5), 2), RuntimeError, "(2, 3, 4, 5)"),
    ("instance_norm", lambda: LF.instance_norm(_x(3, 4, 1)), ValueError, "(3, 4, 1)"),
    ("instance_norm", lambda: LF.instance_norm(_x(3, 4, 5), use_input_stats=False), RuntimeError, "running_mean"),
    ("InstanceNorm1d", lambda: lt.nn.InstanceNorm1d(3)(_x(2, 3, 4, 5)), ValueError, "4D input"),
    ("InstanceNorm2d", lambda: lt.nn.InstanceNorm2d(3, affine=True)(_x(2, 4, 5, 5)), ValueError, "(2, 4, 5, 5)"),
    ("local_response_norm", lambda: LF.local_response_norm(_x(3, 4), 2), ValueError, "(3, 4)"),
    ("dropout1d", lambda: LF.dropout1d(_x(2, 3, 4, 5)), RuntimeError, "(2, 3, 4, 5)"),
    ("dropout2d", lambda: LF.dropout2d(_x(2, 3, 4, 5), 1.5), ValueError, "1.5"),
    ("alpha_dropout", lambda: LF.alpha_dropout(_x(2, 3), -0.1), ValueError, "-0.1"),
    ("margin_ranking_loss", lambda: LF.margin_ranking_loss(_x(3), _x(3, 1), _x(3)), RuntimeError, "input2 (3, 1)"),
    ("margin_ranking_loss", lambda: LF.margin_ranking_loss(_x(3), _x(3), _x(3), reduction="avg"), ValueError,
     "avg is not a valid value"),
    ("hinge_embedding_loss", lambda: LF.hinge_embedding_loss(_x(3, 4), _x(3, 5)), RuntimeError, "target (3, 5)"),
    ("soft_margin_loss", lambda: LF.soft_margin_loss(_x(3, 4), _x(2, 4)), RuntimeError, "input (3, 4)"),
    ("multilabel_soft_margin_loss", lambda: LF.multilabel_soft_margin_loss(_x(3, 4), _x(3, 4), reduction="x"),
     ValueError, "x is not a valid value"),
    ("cosine_embedding_loss", lambda: LF.cosine_embedding_loss(_x(3, 4), _x(3, 4), _x(3, 1)), RuntimeError,
     "(3, 1)"),
    ("cosine_embedding_loss", lambda: LF.cosine_embedding_loss(_x(3), _x(3), _x(3)), RuntimeError, "(3,) and (3,)"),
    ("triplet_margin_loss", lambda: LF.triplet_margin_loss(_x(3, 4), _x(3, 4), _x(4)), RuntimeError,
     "negative (4,)"),
    ("poisson_nll_loss", lambda: LF.poisson_nll_loss(_x(3, 4), _x(3, 5)), RuntimeError, "target (3, 5)"),
    ("gaussian_nll_loss", lambda: LF.gaussian_nll_loss(_x(3, 4), _x(3, 4), lt.rand(3, 5)), ValueError,
     "incorrect size: (3, 5)"),
    ("gaussian_nll_loss", lambda: LF.gaussian_nll_loss(_x(3, 4), _x(3, 4), -lt.rand(3, 4)), ValueError, "negative"),
    ("multi_margin_loss", lambda: LF.multi_margin_loss(_x(3, 4), lt.tensor([0, 1, 2]), p=3), ValueError, "p=3"),
    ("multi_margin_loss", lambda: LF.multi_margin_loss(_x(3, 4), lt.tensor([0, 1])), RuntimeError, "(2,)"),
    ("multi_margin_loss", lambda: LF.multi_margin_loss(_x(3, 4), lt.tensor([0, 1, 4])), RuntimeError, "out of range"),
    ("multi_margin_loss", lambda: LF.multi_margin_loss(_x(3, 4, 2), lt.tensor([0, 1, 2])), RuntimeError, "(3, 4, 2)"),
    ("multi_margin_loss", lambda: LF.multi_margin_loss(_x(3, 4), lt.tensor([0, 1, 2]), weight=lt.ones(2, 2)),
     ValueError, "one-dimensional"),
    ("MultiMarginLoss", lambda: lt.nn.MultiMarginLoss(p=3), ValueError, "p=3"),
]


@pytest.mark.parametrize("name,call,error,detail", ERRORS, ids=[e[0] for e in ERRORS])
def test_bad_input_raises_a_named_error(name, call, error, detail):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert message.startswith(f"[{name}] "), message
    assert detail in message, message


def test_new_names_are_exported():
    for name in ["glu", "hardsigmoid", "softsign", "softmin", "softshrink", "hardshrink", "tanhshrink", "threshold",
                 "threshold_", "celu", "celu_", "prelu", "relu_", "elu_", "leaky_relu_", "hardtanh_", "selu_",
                 "pixel_shuffle", "pixel_unshuffle", "channel_shuffle", "pairwise_distance", "margin_ranking_loss",
                 "hinge_embedding_loss", "soft_margin_loss", "multilabel_soft_margin_loss", "cosine_embedding_loss",
                 "triplet_margin_loss", "poisson_nll_loss", "gaussian_nll_loss", "multi_margin_loss", "avg_pool1d",
                 "max_pool1d", "adaptive_avg_pool1d", "adaptive_max_pool1d", "instance_norm", "local_response_norm",
                 "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"]:
        assert name in LF.__all__ and callable(getattr(LF, name)), name
    missing = [n for n in lt.nn.modules.__all__ if not hasattr(lt.nn, n)]
    assert not missing
