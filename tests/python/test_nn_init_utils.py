"""lt.nn.init (formulas checked through statistics on large tensors, gains against torch's) and lt.nn.utils
(clip_grad_norm_ / clip_grad_value_ against torch's on identical gradients, parameter vectors)."""
import math

import numpy as np
import pytest
import torch

from _parity import import_libtensor

lt = import_libtensor()
nn = lt.nn
init = nn.init


@pytest.mark.parametrize("nonlinearity,param", [("linear", None), ("conv2d", None), ("sigmoid", None),
                                                ("tanh", None), ("relu", None), ("leaky_relu", None),
                                                ("leaky_relu", 0.2), ("leaky_relu", 3), ("selu", None),
                                                ("conv_transpose2d", None)])
def test_calculate_gain_equals_torch(nonlinearity, param):
    assert init.calculate_gain(nonlinearity, param) == torch.nn.init.calculate_gain(nonlinearity, param)


def test_calculate_gain_errors():
    with pytest.raises(ValueError, match="Unsupported nonlinearity"):
        init.calculate_gain("swish")
    with pytest.raises(ValueError, match="not a valid number"):
        init.calculate_gain("leaky_relu", True)


def _np(t):
    return t.detach().numpy().astype(np.float64)


# fan_in = 200 * 3 * 3 = 1800, fan_out = 100 * 9 = 900
SHAPE = (100, 200, 3, 3)
FAN_IN, FAN_OUT = 1800, 900


def _uniform_stats(values, bound):
    assert values.max() <= bound and values.min() >= -bound
    assert values.max() > 0.99 * bound and values.min() < -0.99 * bound
    assert abs(values.mean()) < 0.01 * bound
    assert abs(values.std() - bound / math.sqrt(3)) < 0.01 * bound


def _normal_stats(values, std, mean=0.0):
    assert abs(values.mean() - mean) < 0.01 * std + 1e-12
    assert abs(values.std() - std) < 0.01 * std


def test_uniform_and_normal():
    t = lt.empty(SHAPE)
    assert init.uniform_(t, -2.0, 2.0) is t
    _uniform_stats(_np(t), 2.0)
    _normal_stats(_np(init.normal_(t, 3.0, 0.5)), 0.5, 3.0)


def test_xavier():
    t = lt.empty(SHAPE)
    _uniform_stats(_np(init.xavier_uniform_(t, gain=2.0)), 2.0 * math.sqrt(6.0 / (FAN_IN + FAN_OUT)))
    _normal_stats(_np(init.xavier_normal_(t, gain=0.5)), 0.5 * math.sqrt(2.0 / (FAN_IN + FAN_OUT)))


def test_kaiming():
    t = lt.empty(SHAPE)
    _uniform_stats(_np(init.kaiming_uniform_(t, a=0.1)), math.sqrt(2 / 1.01) * math.sqrt(3.0 / FAN_IN))
    _uniform_stats(_np(init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu")),
                   math.sqrt(2) * math.sqrt(3.0 / FAN_OUT))
    _normal_stats(_np(init.kaiming_normal_(t, nonlinearity="relu")), math.sqrt(2.0 / FAN_IN))
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        init.kaiming_uniform_(t, mode="fan_avg")
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.kaiming_uniform_(lt.empty(5))


def test_trunc_normal():
    t = lt.empty(200000)
    values = _np(init.trunc_normal_(t, mean=0.5, std=1.0, a=-0.5, b=2.0))
    assert values.min() >= -0.5 and values.max() <= 2.0
    expected = torch.empty(200000, dtype=torch.float64)
    torch.nn.init.trunc_normal_(expected, mean=0.5, std=1.0, a=-0.5, b=2.0)
    assert abs(values.mean() - expected.mean().item()) < 0.01
    assert abs(values.std() - expected.std().item()) < 0.01


def test_constant_ones_zeros_eye_dirac():
    t = lt.empty(3, 4)
    assert (_np(init.constant_(t, 1.5)) == 1.5).all()
    assert (_np(init.ones_(t)) == 1).all()
    assert (_np(init.zeros_(t)) == 0).all()
    np.testing.assert_array_equal(_np(init.eye_(t)), np.eye(3, 4))
    with pytest.raises(ValueError):
        init.eye_(lt.empty(2, 2, 2))
    w = torch.empty(4, 2, 3, 3)
    torch.nn.init.dirac_(w, groups=2)
    np.testing.assert_array_equal(_np(init.dirac_(lt.empty(4, 2, 3, 3), groups=2)), w.numpy())


def test_init_runs_without_recording_and_with_a_generator():
    p = nn.Parameter(lt.empty(10, 10))
    init.kaiming_uniform_(p)
    assert p.grad_fn is None and p.is_leaf
    g1, g2 = lt.Generator(), lt.Generator()
    g1.manual_seed(7), g2.manual_seed(7)
    a = init.xavier_normal_(lt.empty(5, 5), generator=g1)
    b = init.xavier_normal_(lt.empty(5, 5), generator=g2)
    np.testing.assert_array_equal(_np(a), _np(b))


@pytest.mark.parametrize("name,args", [("Linear", (300, 40)), ("Conv2d", (30, 8, 3)), ("Conv1d", (20, 8, 5)),
                                       ("ConvTranspose2d", (8, 30, 3)), ("Bilinear", (40, 30, 20))])
def test_default_init_bounds_match_torch(name, args):
    t, l = getattr(torch.nn, name)(*args), getattr(nn, name)(*args)
    # PyTorch's scheme: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias (Bilinear: fan_in = in1).
    fan_in = t.weight.shape[1] if name == "Bilinear" else torch.nn.init._calculate_fan_in_and_fan_out(t.weight)[0]
    bound = 1 / math.sqrt(fan_in)
    for (pname, lp), tp in zip(l.named_parameters(), t.parameters()):
        l_max, t_max = np.abs(_np(lp)).max(), tp.detach().abs().max().item()
        assert l_max <= bound * (1 + 1e-6) and t_max <= bound * (1 + 1e-6), pname
        if lp.numel() >= 1000:  # enough draws to come close to the bound
            assert l_max > 0.98 * bound and t_max > 0.98 * bound, pname
            assert abs(_np(lp).std() - tp.detach().std().item()) < 0.05 * bound, pname


def test_default_init_of_embedding_and_norms():
    e = nn.Embedding(1000, 100)
    _normal_stats(_np(e.weight), 1.0)
    for m in (nn.LayerNorm(5), nn.BatchNorm1d(5), nn.GroupNorm(1, 5)):
        assert (_np(m.weight) == 1).all() and (_np(m.bias) == 0).all()


def _grad_pairs(seed, scale=1.0):
    gen = torch.Generator().manual_seed(seed)
    t_params = [torch.nn.Parameter(torch.zeros(s)) for s in [(3, 4), (5,), (2, 2, 2)]]
    for p in t_params:
        p.grad = torch.randn(p.shape, generator=gen) * scale
    l_params = [nn.Parameter(lt.zeros(*p.shape)) for p in t_params]
    for lp, tp in zip(l_params, t_params):
        lp.grad = lt.from_numpy(tp.grad.numpy().copy())
    return l_params, t_params


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.5, float("inf")])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_equals_torch(norm_type, max_norm):
    l_params, t_params = _grad_pairs(0)
    l_total = nn.utils.clip_grad_norm_(l_params, max_norm, norm_type)
    t_total = torch.nn.utils.clip_grad_norm_(t_params, max_norm, norm_type)
    assert isinstance(l_total, lt.Tensor) and l_total.dim() == 0
    np.testing.assert_allclose(l_total.item(), t_total.item(), rtol=1e-5)
    for lp, tp in zip(l_params, t_params):
        np.testing.assert_allclose(_np(lp.grad), tp.grad.numpy(), rtol=1e-5, atol=1e-7)


def test_clip_grad_norm_edge_cases():
    assert nn.utils.clip_grad_norm_([nn.Parameter(lt.zeros(2))], 1.0).item() == 0.0
    p = nn.Parameter(lt.zeros(2))
    p.grad = lt.tensor([3.0, 4.0])
    np.testing.assert_allclose(nn.utils.clip_grad_norm_(p, 1.0).item(), 5.0)  # a single tensor
    np.testing.assert_allclose(_np(p.grad), [0.6, 0.8], rtol=1e-5)
    p.grad = lt.tensor([float("nan"), 1.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)


def test_clip_grad_value_equals_torch():
    l_params, t_params = _grad_pairs(1, scale=2.0)
    nn.utils.clip_grad_value_(l_params, 0.7)
    torch.nn.utils.clip_grad_value_(t_params, 0.7)
    for lp, tp in zip(l_params, t_params):
        np.testing.assert_array_equal(_np(lp.grad), tp.grad.numpy().astype(np.float64))


def test_parameters_to_vector_and_back():
    m = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 1))
    vec = nn.utils.parameters_to_vector(m.parameters())
    assert vec.shape == (11,)
    np.testing.assert_array_equal(_np(vec[:6]), _np(m[0].weight).ravel())
    nn.utils.vector_to_parameters(lt.arange(11, dtype=lt.float32), m.parameters())
    np.testing.assert_array_equal(_np(m[0].weight), np.arange(6).reshape(2, 3))
    np.testing.assert_array_equal(_np(m[1].bias), [10])
    with pytest.raises(TypeError, match="expected libtensor.Tensor"):
        nn.utils.vector_to_parameters([1.0], m.parameters())


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (5, 3, 2), (3, 2, 2, 2)])
def test_orthogonal_is_orthogonal_like_torch(shape):
    rows = shape[0]
    cols = int(np.prod(shape[1:]))
    w = lt.empty(*shape)
    lt.nn.init.orthogonal_(w, gain=1.5)
    t = torch.nn.init.orthogonal_(torch.empty(*shape), gain=1.5)
    for m in (w.numpy().reshape(rows, cols), t.numpy().reshape(rows, cols)):
        small = min(rows, cols)
        gram = m @ m.T if rows <= cols else m.T @ m
        np.testing.assert_allclose(gram, 1.5 ** 2 * np.eye(small), atol=1e-5)
    g1, g2 = lt.Generator(), lt.Generator()
    g1.manual_seed(3)
    g2.manual_seed(3)
    a = lt.nn.init.orthogonal_(lt.empty(*shape), generator=g1)
    b = lt.nn.init.orthogonal_(lt.empty(*shape), generator=g2)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    with pytest.raises(ValueError):
        lt.nn.init.orthogonal_(lt.empty(4))


def test_sparse_zeroes_a_fraction_of_each_column():
    w = lt.nn.init.sparse_(lt.empty(40, 30), sparsity=0.25, std=0.5)
    zeros = (w.numpy() == 0).sum(axis=0)
    assert (zeros == 10).all()
    kept = w.numpy()[w.numpy() != 0]
    assert abs(kept.std() - 0.5) < 0.05
    t = torch.nn.init.sparse_(torch.empty(40, 30), sparsity=0.25, std=0.5)
    assert ((t.numpy() == 0).sum(axis=0) == zeros).all()
    with pytest.raises(ValueError):
        lt.nn.init.sparse_(lt.empty(2, 3, 4), 0.5)
