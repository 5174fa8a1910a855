"""lt.nn's modules against torch.nn: the same weights (copied through state_dict), the same input, the same
outputs and gradients; state_dict keys, repr strings, hooks, modes, errors."""
import copy
import inspect
from collections import OrderedDict

import numpy as np
import pytest
import torch

from _parity import import_libtensor

lt = import_libtensor()
nn = lt.nn


def to_lt(t):
    return lt.from_numpy(t.detach().numpy().copy())


def to_np(t):
    return t.detach().numpy()


def copy_weights(lt_module, torch_module):
    lt_module.load_state_dict({k: to_lt(v) for k, v in torch_module.state_dict().items()})


def tol(dtype):
    return dict(rtol=1e-4, atol=1e-5) if dtype == torch.float32 else dict(rtol=1e-10, atol=1e-12)


LT_DTYPE = {torch.float32: lt.float32, torch.float64: lt.float64}

# (constructor, input shapes); the same arguments build both modules.
LAYERS = [
    ("Linear", (5, 3), {}, [(4, 5)]),
    ("Linear", (5, 3), {"bias": False}, [(2, 4, 5)]),
    ("Bilinear", (3, 4, 2), {}, [(5, 3), (5, 4)]),
    ("Conv1d", (2, 4, 3), {"stride": 2, "padding": 1}, [(2, 2, 9)]),
    ("Conv1d", (2, 4, 3), {"padding": "same", "padding_mode": "reflect"}, [(2, 2, 7)]),
    ("Conv2d", (3, 4, 3), {"padding": 1, "groups": 1}, [(2, 3, 6, 5)]),
    ("Conv2d", (4, 6, (2, 3)), {"stride": (2, 1), "dilation": 2, "groups": 2, "padding_mode": "circular",
                                "padding": 1}, [(2, 4, 7, 6)]),
    ("ConvTranspose1d", (3, 2, 3), {"stride": 2}, [(2, 3, 5)]),
    ("ConvTranspose2d", (3, 4, 3), {"stride": 2, "padding": 1, "output_padding": 1}, [(2, 3, 4, 5)]),
    ("BatchNorm1d", (4,), {}, [(6, 4)]),
    ("BatchNorm1d", (4,), {"affine": False}, [(6, 4, 3)]),
    ("BatchNorm2d", (3,), {"momentum": None}, [(2, 3, 4, 4)]),
    ("BatchNorm2d", (3,), {"track_running_stats": False}, [(2, 3, 4, 4)]),
    ("LayerNorm", ((3, 4),), {}, [(2, 3, 4)]),
    ("LayerNorm", (4,), {"elementwise_affine": False}, [(2, 3, 4)]),
    ("GroupNorm", (2, 4), {}, [(3, 4, 5)]),
    ("MaxPool2d", (2,), {"stride": 1, "padding": 1}, [(2, 3, 5, 5)]),
    ("AvgPool2d", (3,), {"stride": 2, "count_include_pad": False, "padding": 1}, [(2, 3, 6, 6)]),
    ("AdaptiveAvgPool2d", ((2, 3),), {}, [(2, 3, 7, 8)]),
    ("Flatten", (), {}, [(2, 3, 4)]),
    ("Unflatten", (1, (2, 6)), {}, [(3, 12)]),
    ("Identity", (), {}, [(3, 2)]),
    ("ReLU", (), {}, [(4, 5)]),
    ("GELU", (), {"approximate": "tanh"}, [(4, 5)]),
    ("GELU", (), {}, [(4, 5)]),
    ("SiLU", (), {}, [(4, 5)]),
    ("Mish", (), {}, [(4, 5)]),
    ("Softplus", (), {"beta": 2.0, "threshold": 5.0}, [(4, 5)]),
    ("LeakyReLU", (0.2,), {}, [(4, 5)]),
    ("ELU", (), {"alpha": 0.5}, [(4, 5)]),
    ("SELU", (), {}, [(4, 5)]),
    ("Hardtanh", (-0.5, 0.7), {}, [(4, 5)]),
    ("ReLU6", (), {}, [(4, 5)]),
    ("Hardswish", (), {}, [(4, 5)]),
    ("LogSigmoid", (), {}, [(4, 5)]),
    ("Sigmoid", (), {}, [(4, 5)]),
    ("Tanh", (), {}, [(4, 5)]),
    ("Softmax", (), {"dim": 1}, [(4, 5)]),
    ("LogSoftmax", (), {"dim": -1}, [(4, 5)]),
]


def _inputs(shapes, dtype, name):
    gen = torch.Generator().manual_seed(0)
    scale = 3.0 if name in ("ReLU6", "Hardswish", "Hardtanh") else 1.0
    return [(torch.randn(s, generator=gen, dtype=dtype) * scale).requires_grad_() for s in shapes]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("name,args,kwargs,shapes", LAYERS, ids=[f"{l[0]}-{i}" for i, l in enumerate(LAYERS)])
def test_layer_matches_torch(name, args, kwargs, shapes, dtype):
    torch.manual_seed(1)
    tm = getattr(torch.nn, name)(*args, **kwargs).to(dtype)
    lm = getattr(nn, name)(*args, **kwargs).to(LT_DTYPE[dtype])
    assert [(k, tuple(v.shape)) for k, v in lm.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in tm.state_dict().items()]
    copy_weights(lm, tm)
    t_in = _inputs(shapes, dtype, name)
    l_in = [to_lt(x).requires_grad_() for x in t_in]
    t_out, l_out = tm(*t_in), lm(*l_in)
    np.testing.assert_allclose(to_np(l_out), to_np(t_out), **tol(dtype))
    gen = torch.Generator().manual_seed(2)
    t_gout = torch.randn(t_out.shape, generator=gen, dtype=dtype)
    t_out.backward(t_gout)
    l_out.backward(to_lt(t_gout))
    for lx, tx in zip(l_in, t_in):
        np.testing.assert_allclose(to_np(lx.grad), to_np(tx.grad), **tol(dtype))
    t_params = dict(tm.named_parameters())
    for pname, lp in lm.named_parameters():
        np.testing.assert_allclose(to_np(lp.grad), to_np(t_params[pname].grad), **tol(dtype), err_msg=pname)
    for (bname, lb), tb in zip(lm.named_buffers(), tm.buffers()):  # running statistics after a training step
        np.testing.assert_allclose(to_np(lb), to_np(tb), **tol(dtype), err_msg=bname)


def test_batchnorm_eval_and_cumulative_average():
    torch.manual_seed(0)
    tm, lm = torch.nn.BatchNorm2d(3, momentum=None), nn.BatchNorm2d(3, momentum=None)
    for _ in range(3):
        x = torch.randn(4, 3, 2, 2)
        tm(x), lm(to_lt(x))
    assert lm.num_batches_tracked.item() == 3
    np.testing.assert_allclose(to_np(lm.running_mean), to_np(tm.running_mean), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_np(lm.running_var), to_np(tm.running_var), rtol=1e-5, atol=1e-6)
    tm.eval(), lm.eval()
    x = torch.randn(2, 3, 2, 2)
    before = to_np(lm.running_mean).copy()
    np.testing.assert_allclose(to_np(lm(to_lt(x))), to_np(tm(x)), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(to_np(lm.running_mean), before)  # eval leaves the statistics alone
    with pytest.raises(ValueError, match="expected 4D input"):
        lm(lt.zeros(2, 3))


def test_embedding_matches_torch_and_from_pretrained():
    torch.manual_seed(0)
    tm = torch.nn.Embedding(6, 3, padding_idx=-2)
    lm = nn.Embedding(6, 3, padding_idx=-2)
    assert lm.padding_idx == 4 and to_np(lm.weight)[4].tolist() == [0, 0, 0]
    copy_weights(lm, tm)
    idx = torch.tensor([[0, 4, 5], [4, 1, 1]])
    t_out, l_out = tm(idx), lm(to_lt(idx))
    np.testing.assert_allclose(to_np(l_out), to_np(t_out))
    g = torch.randn(t_out.shape)
    t_out.backward(g), l_out.backward(to_lt(g))
    np.testing.assert_allclose(to_np(lm.weight.grad), to_np(tm.weight.grad), rtol=1e-6, atol=1e-6)
    w = lt.randn(4, 2)
    e = nn.Embedding.from_pretrained(w)
    assert not e.weight.requires_grad and repr(e) == "Embedding(4, 2)"
    w[0, 0] = 5.0  # shares storage, as PyTorch's
    assert e.weight[0, 0].item() == 5.0
    assert nn.Embedding.from_pretrained(w, freeze=False).weight.requires_grad
    with pytest.raises(AssertionError):
        nn.Embedding(3, 2, padding_idx=3)


def test_rms_norm_module_matches_formula():
    x = torch.randn(3, 4, dtype=torch.float64)
    m = nn.RMSNorm(4, eps=1e-6).double()
    with lt.no_grad():
        m.weight.copy_(lt.arange(4, dtype=lt.float64) + 1)
    expected = x / torch.sqrt((x * x).mean(-1, keepdim=True) + 1e-6) * (torch.arange(4) + 1)
    np.testing.assert_allclose(to_np(m(to_lt(x))), expected.numpy(), rtol=1e-12)
    assert repr(m) == "RMSNorm((4,), eps=1e-06, elementwise_affine=True)"


LOSSES = [
    ("MSELoss", {}, "real"), ("MSELoss", {"reduction": "sum"}, "real"), ("L1Loss", {}, "real"),
    ("SmoothL1Loss", {"beta": 0.5}, "real"), ("HuberLoss", {"delta": 0.7}, "real"),
    ("BCELoss", {}, "prob"), ("BCEWithLogitsLoss", {"reduction": "none"}, "binary"),
    ("KLDivLoss", {"reduction": "batchmean"}, "kl"), ("NLLLoss", {"ignore_index": 1}, "class"),
    ("CrossEntropyLoss", {"label_smoothing": 0.1}, "class"),
    ("CrossEntropyLoss", {"weight": "w"}, "class"),
]


@pytest.mark.parametrize("name,kwargs,kind", LOSSES, ids=[f"{l[0]}-{i}" for i, l in enumerate(LOSSES)])
def test_loss_matches_torch(name, kwargs, kind):
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(5, 4, generator=gen, dtype=torch.float64)
    if kind == "real":
        target = torch.randn(5, 4, generator=gen, dtype=torch.float64)
    elif kind in ("prob", "binary"):
        target = torch.rand(5, 4, generator=gen, dtype=torch.float64)
        x = torch.sigmoid(x) if kind == "prob" else x
    elif kind == "kl":
        x = torch.log_softmax(x, 1)
        target = torch.softmax(torch.randn(5, 4, generator=gen, dtype=torch.float64), 1)
    else:
        x = torch.log_softmax(x, 1) if name == "NLLLoss" else x
        target = torch.tensor([0, 3, 1, 2, 1])
    t_kwargs, l_kwargs = dict(kwargs), dict(kwargs)
    if kwargs.get("weight") == "w":
        w = torch.tensor([0.5, 1.0, 2.0, 1.5], dtype=torch.float64)
        t_kwargs["weight"], l_kwargs["weight"] = w, to_lt(w)
    tm, lm = getattr(torch.nn, name)(**t_kwargs), getattr(nn, name)(**l_kwargs)
    assert list(lm.state_dict()) == list(tm.state_dict())
    tx = x.detach().requires_grad_()
    lx = to_lt(x).requires_grad_()
    t_out, l_out = tm(tx, target), lm(lx, to_lt(target))
    np.testing.assert_allclose(to_np(l_out), to_np(t_out), rtol=1e-10, atol=1e-12)
    t_out.sum().backward(), l_out.sum().backward()
    np.testing.assert_allclose(to_np(lx.grad), to_np(tx.grad), rtol=1e-10, atol=1e-12)
    assert repr(lm) == repr(tm)


# --- Module's behaviour ----------------------------------------------------------------------


def _nested(m):
    return m.Sequential(OrderedDict([
        ("features", m.Sequential(m.Conv2d(3, 8, 3, padding=1, bias=False), m.BatchNorm2d(8), m.ReLU(inplace=True),
                                  m.MaxPool2d(2), m.Conv2d(8, 4, (1, 3), stride=(1, 2), groups=2,
                                                           padding_mode="reflect", padding=(0, 1)))),
        ("pool", m.AdaptiveAvgPool2d((1, 1))),
        ("flat", m.Flatten()),
        ("heads", m.ModuleList([m.Linear(4, 10), m.Linear(4, 3, bias=False)])),
        ("extras", m.ModuleDict({"norm": m.LayerNorm(10, eps=1e-6), "emb": m.Embedding(5, 3, padding_idx=0),
                                 "gn": m.GroupNorm(2, 4, affine=False), "bil": m.Bilinear(2, 3, 4)})),
        ("acts", m.Sequential(m.GELU(approximate="tanh"), m.LeakyReLU(0.2, inplace=True), m.ELU(), m.SELU(),
                              m.Hardtanh(-2.0, 2.0), m.ReLU6(), m.Hardswish(), m.SiLU(), m.Mish(), m.Tanh(),
                              m.Sigmoid(), m.LogSigmoid(), m.Softmax(dim=1), m.LogSoftmax(dim=-1),
                              m.Softplus(beta=2.0, threshold=10.0), m.Dropout(0.25), m.Identity())),
        ("up", m.ConvTranspose2d(4, 2, 3, stride=2, output_padding=1, dilation=1)),
        ("bn1", m.BatchNorm1d(4, momentum=None, track_running_stats=False)),
        ("unflat", m.Unflatten(1, (2, 5))),
        ("avg", m.AvgPool2d(3, stride=2, padding=1)),
        ("losses", m.ModuleList([m.CrossEntropyLoss(), m.MSELoss(), m.BCEWithLogitsLoss()])),
    ]))


def test_repr_matches_torch_for_a_nested_model():
    assert repr(_nested(nn)) == repr(_nested(torch.nn))


def test_state_dict_keys_and_shapes_match_torch():
    lm, tm = _nested(nn), _nested(torch.nn)
    assert [(k, tuple(v.shape)) for k, v in lm.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in tm.state_dict().items()]
    assert [n for n, _ in lm.named_parameters()] == [n for n, _ in tm.named_parameters()]
    assert [n for n, _ in lm.named_buffers()] == [n for n, _ in tm.named_buffers()]
    assert [n for n, _ in lm.named_modules()] == [n for n, _ in tm.named_modules()]
    assert [n for n, _ in lm.named_children()] == [n for n, _ in tm.named_children()]
    assert isinstance(lm.state_dict(), OrderedDict)
    assert list(lm.state_dict(prefix="model.")) == ["model." + k for k in tm.state_dict()]


def test_state_dict_detaches_unless_keep_vars():
    m = nn.Linear(2, 3)
    assert not m.state_dict()["weight"].requires_grad
    assert m.state_dict(keep_vars=True)["weight"] is m.weight
    m.register_buffer("scratch", lt.zeros(2), persistent=False)
    assert "scratch" not in m.state_dict() and "scratch" in dict(m.named_buffers())


def test_load_state_dict_round_trip_and_errors():
    a, b = _nested(nn), _nested(nn)
    result = b.load_state_dict(a.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert repr(result) == "<All keys matched successfully>"
    for k, v in a.state_dict().items():
        np.testing.assert_array_equal(to_np(b.state_dict()[k]), to_np(v))
    sd = a.state_dict()
    del sd["heads.0.bias"]
    sd["heads.2.weight"] = lt.zeros(1)
    with pytest.raises(RuntimeError) as err:
        b.load_state_dict(sd)
    message = str(err.value)
    assert message.startswith("Error(s) in loading state_dict for Sequential:\n\t")
    assert 'Missing key(s) in state_dict: "heads.0.bias".' in message
    assert 'Unexpected key(s) in state_dict: "heads.2.weight".' in message
    result = b.load_state_dict(sd, strict=False)
    assert result.missing_keys == ["heads.0.bias"] and result.unexpected_keys == ["heads.2.weight"]
    assert result == (["heads.0.bias"], ["heads.2.weight"])
    sd = a.state_dict()
    sd["heads.0.weight"] = lt.zeros(3, 3)
    with pytest.raises(RuntimeError, match=r"size mismatch for heads.0.weight: copying a param with shape "
                                           r".*\[3, 3\].* from checkpoint, the shape in current model is "
                                           r".*\[10, 4\]"):
        b.load_state_dict(sd, strict=False)


def test_load_state_dict_error_text_matches_torch():
    def message(m, sd):
        with pytest.raises(RuntimeError) as err:
            m.load_state_dict(sd)
        return str(err.value)
    t = torch.nn.Sequential(torch.nn.Linear(2, 3))
    l = nn.Sequential(nn.Linear(2, 3))
    t_sd = {"0.weight": torch.zeros(3, 2), "1.bias": torch.zeros(3)}
    l_sd = {k: to_lt(v) for k, v in t_sd.items()}
    assert message(l, l_sd) == message(t, t_sd)


def test_parameter():
    p = nn.Parameter(lt.ones(2))
    assert isinstance(p, lt.Tensor) and isinstance(p, nn.Parameter) and p.requires_grad and p.is_leaf
    assert repr(p) == repr(torch.nn.Parameter(torch.ones(2))).replace("torch", "libtensor")
    assert not nn.Parameter(lt.ones(2), requires_grad=False).requires_grad
    assert nn.Parameter().shape == (0,)
    q = copy.deepcopy(p)
    assert type(q) is nn.Parameter and q.requires_grad and q is not p


def test_registration_by_attribute():
    m = nn.Module()
    m.w = nn.Parameter(lt.zeros(2))
    m.sub = nn.Linear(2, 2)
    m.register_buffer("buf", lt.ones(3))
    m.plain = 3
    assert list(m._parameters) == ["w"] and list(m._modules) == ["sub"] and list(m._buffers) == ["buf"]
    assert "plain" in m.__dict__
    with pytest.raises(TypeError, match="cannot assign"):
        m.w = lt.zeros(2)  # a plain tensor can't replace a parameter
    m.w = None
    assert m.w is None and list(m.parameters()) == list(m.sub.parameters())
    with pytest.raises(TypeError, match="cannot assign"):
        m.buf = 5
    m.buf = lt.zeros(1)
    assert m.buf.shape == (1,)
    with pytest.raises(TypeError):
        m.sub = 1
    with pytest.raises(KeyError, match="already exists"):
        m.register_buffer("plain", lt.zeros(1))
    with pytest.raises(KeyError):
        m.register_parameter("a.b", None)
    with pytest.raises(TypeError):
        m.register_parameter("x", lt.zeros(1))
    with pytest.raises(TypeError, match="is not a Module subclass"):
        m.add_module("z", 3)
    with pytest.raises(AttributeError, match="'Module' object has no attribute 'nope'"):
        m.nope
    del m.sub, m.buf
    assert list(m._modules) == [] and list(m._buffers) == []
    with pytest.raises(AttributeError, match="before Module.__init__"):
        class Early(nn.Module):
            def __init__(self):
                self.p = nn.Parameter(lt.zeros(1))
        Early()
    assert "w" in dir(m) and "forward" in dir(m)


def test_parameters_are_deduplicated():
    shared = nn.Linear(2, 2)
    m = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(m.parameters())) == 2
    assert [n for n, _ in m.named_parameters()] == ["0.weight", "0.bias"]
    assert len(list(m.named_parameters(remove_duplicate=False))) == 4
    assert len(list(m.modules())) == 3
    assert [n for n, _ in m.named_parameters(prefix="net")] == ["net.0.weight", "net.0.bias"]
    assert list(m.parameters(recurse=False)) == []


def test_train_eval_and_dropout():
    m = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
    assert m.training and m[1].training
    x = lt.ones(200, 4)
    m[0].weight.data = lt.eye(4)
    m[0].bias.data = lt.zeros(4)
    out = m(x)
    zeros = (out == 0).sum().item()
    assert 200 < zeros < 600 and set(np.unique(to_np(out)).round(4)) <= {0.0, 2.0}
    assert m.eval() is m and not m.training and not m[1].training
    np.testing.assert_array_equal(to_np(m(x)), to_np(x))
    m.train()
    assert m[1].training
    with pytest.raises(ValueError):
        m.train("yes")
    with pytest.raises(ValueError, match="dropout probability"):
        nn.Dropout(1.5)


def test_forward_hooks():
    m = nn.Linear(3, 2)
    calls = []
    pre = m.register_forward_pre_hook(lambda mod, args: calls.append(("pre", mod)) or (args[0] * 0,))
    post = m.register_forward_hook(lambda mod, args, out: calls.append(("post", args[0].sum().item())) or out + 1)
    x = lt.ones(1, 3)
    out = m(x)
    assert [c[0] for c in calls] == ["pre", "post"] and calls[0][1] is m and calls[1][1] == 0
    np.testing.assert_allclose(to_np(out), to_np(m.bias.detach() + 1)[None], rtol=1e-6)
    pre.remove()
    with post:
        pass  # leaving the with removes it
    calls.clear()
    np.testing.assert_allclose(to_np(m(x)), to_np(m.weight.sum(1) + m.bias)[None], rtol=1e-6)
    assert calls == []
    order = []
    m.register_forward_hook(lambda *a: order.append(1))
    m.register_forward_hook(lambda *a: order.append(0), prepend=True)
    m.register_forward_pre_hook(lambda mod, args, kwargs: (args, kwargs), with_kwargs=True)
    m(x)
    assert order == [0, 1]


def test_to_and_dtype_conversions_keep_parameter_identity():
    m = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    w = m[0].weight
    m[0].weight.grad = lt.ones(3, 2)
    assert m.double() is m and m[0].weight is w and w.dtype == lt.float64 and isinstance(w, nn.Parameter)
    assert w.grad.dtype == lt.float64 and w.requires_grad
    assert m[1].running_mean.dtype == lt.float64 and m[1].num_batches_tracked.dtype == lt.int64
    m.to(lt.float32)
    assert w.dtype == lt.float32
    m.half()
    assert w.dtype == lt.float16
    m.bfloat16()
    assert w.dtype == lt.bfloat16
    m.float().to("cpu").cpu()
    m.to(lt.device("cpu"), lt.float64)
    assert w.dtype == lt.float64
    m.to(lt.zeros(1, dtype=lt.float32))
    assert w.dtype == lt.float32
    with pytest.raises(TypeError, match="floating point"):
        m.to(lt.int64)
    if not lt.cuda.is_available():
        with pytest.raises(RuntimeError, match="cuda"):
            m.cuda()


def test_zero_grad_requires_grad_and_apply():
    m = nn.Linear(2, 2)
    m(lt.ones(1, 2)).sum().backward()
    m.zero_grad(set_to_none=False)
    assert m.weight.grad is not None and m.weight.grad.abs().sum().item() == 0
    m.zero_grad()
    assert m.weight.grad is None
    m.requires_grad_(False)
    assert not any(p.requires_grad for p in m.parameters())
    seen = []
    net = nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.ReLU()))
    assert net.apply(lambda mod: seen.append(type(mod).__name__)) is net
    assert seen == ["Linear", "ReLU", "Sequential", "Sequential"]


def test_get_submodule_and_parameter():
    m = _nested(nn)
    assert m.get_submodule("heads.1") is m.heads[1]
    assert m.get_submodule("") is m
    assert m.get_parameter("extras.norm.weight") is m.extras["norm"].weight
    assert m.get_buffer("features.1.running_var") is m.features[1].running_var
    with pytest.raises(AttributeError, match="has no attribute `nope`"):
        m.get_submodule("heads.nope")
    with pytest.raises(AttributeError, match="is not an nn.Module"):
        m.get_submodule("heads.0.weight")
    with pytest.raises(AttributeError, match="is not an nn.Parameter"):
        m.get_parameter("features.1.running_mean")


def test_subclassing_and_signatures():
    class Net(nn.Module):
        def __init__(self, hidden=4):
            super().__init__()
            self.fc1 = nn.Linear(3, hidden)
            self.fc2 = nn.Linear(hidden, 1)
            self.scale = nn.Parameter(lt.tensor(2.0))

        def forward(self, x):
            return self.fc2(self.fc1(x).relu()) * self.scale

    net = Net()
    assert [n for n, _ in net.named_parameters()] == ["scale", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    net(lt.randn(5, 3)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    assert str(inspect.signature(nn.Linear)) == "(in_features, out_features, bias=True, device=None, dtype=None)"
    for name in ["Linear", "Conv2d", "BatchNorm2d", "LayerNorm", "Embedding", "Dropout", "MaxPool2d",
                 "CrossEntropyLoss", "GELU", "LeakyReLU"]:
        t_params = list(inspect.signature(getattr(torch.nn, name)).parameters)
        l_params = list(inspect.signature(getattr(nn, name)).parameters)
        # PyTorch 2 added arguments (LayerNorm's bias) that 1.13 lacks: 1.13's must come in the same order.
        assert [p for p in l_params if p in t_params] == t_params, name
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(1)


def test_sequential():
    a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    s = nn.Sequential(a, b, c)
    assert len(s) == 3 and s[0] is a and s[-1] is c and list(s) == [a, b, c]
    assert isinstance(s[1:], nn.Sequential) and list(s[1:]) == [b, c] and list(s[1:]._modules) == ["1", "2"]
    with pytest.raises(IndexError):
        s[3]
    s.append(nn.Sigmoid())
    assert len(s) == 4 and list(s._modules) == ["0", "1", "2", "3"]
    del s[1]
    assert list(s._modules) == ["0", "1", "2"] and s[1] is c
    s[0] = nn.Identity()
    assert isinstance(s[0], nn.Identity)
    named = nn.Sequential(OrderedDict([("first", a), ("act", b)]))
    assert named.first is a and [n for n, _ in named.named_children()] == ["first", "act"]
    x = lt.randn(4, 2)
    np.testing.assert_allclose(to_np(named(x)), to_np(a(x).relu()))


def test_module_list_and_dict():
    ml = nn.ModuleList([nn.Linear(1, 1) for _ in range(3)])
    assert len(ml) == 3 and isinstance(ml[1:], nn.ModuleList)
    ml.append(nn.ReLU())
    ml.extend([nn.Tanh()])
    ml.insert(0, nn.Sigmoid())
    assert [type(x).__name__ for x in ml] == ["Sigmoid", "Linear", "Linear", "Linear", "ReLU", "Tanh"]
    assert list(ml._modules) == [str(i) for i in range(6)]
    del ml[0]
    assert type(ml[0]).__name__ == "Linear" and len(list(ml.parameters())) == 6
    md = nn.ModuleDict({"b": nn.ReLU(), "a": nn.Linear(1, 2)})
    assert list(md.keys()) == ["b", "a"] and "a" in md and len(md) == 2
    md["c"] = nn.Tanh()
    assert list(md) == ["b", "a", "c"]
    assert isinstance(md.pop("b"), nn.ReLU) and list(md) == ["a", "c"]
    md.update([("d", nn.Identity())])
    assert [n for n, _ in md.named_parameters()] == ["a.weight", "a.bias"]


def test_parameter_list_and_dict():
    pl = nn.ParameterList([nn.Parameter(lt.zeros(2)), lt.ones(3)])
    assert len(pl) == 2 and all(isinstance(p, nn.Parameter) for p in pl)
    pl.append(lt.ones(1, 2))
    assert [n for n, _ in pl.named_parameters()] == ["0", "1", "2"]
    tl = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(2)), torch.ones(3), torch.ones(1, 2)])
    assert repr(pl) == repr(tl).replace("torch.", "libtensor.")
    pd = nn.ParameterDict({"b": lt.zeros(2), "a": nn.Parameter(lt.ones(1))})
    assert list(pd) == ["a", "b"] and isinstance(pd["b"], nn.Parameter)
    pd["c"] = lt.zeros(4)
    assert [n for n, _ in pd.named_parameters()] == ["a", "b", "c"] and len(pd) == 3
    td = torch.nn.ParameterDict({"b": torch.zeros(2), "a": torch.nn.Parameter(torch.ones(1))})
    td["c"] = torch.zeros(4)
    assert repr(pd) == repr(td).replace("torch.", "libtensor.")
    del pd["a"]
    assert list(pd.keys()) == ["b", "c"]


def test_conv_checks():
    with pytest.raises(ValueError, match="divisible by groups"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="strided"):
        nn.Conv2d(3, 4, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="padding_mode"):
        nn.Conv2d(3, 4, 3, padding_mode="mirror")
    with pytest.raises(ValueError, match="zeros"):
        nn.ConvTranspose2d(3, 4, 3, padding_mode="reflect")
    t = torch.nn.ConvTranspose2d(2, 3, 3, stride=2)
    l = nn.ConvTranspose2d(2, 3, 3, stride=2)
    copy_weights(l, t)
    x = torch.randn(1, 2, 4, 4)
    np.testing.assert_allclose(to_np(l(to_lt(x), output_size=[10, 10])), to_np(t(x, output_size=[10, 10])),
                               rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError):
        l(to_lt(x), output_size=[12, 12])


def test_deepcopy_of_a_module():
    m = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    c = copy.deepcopy(m)
    assert c[0].weight is not m[0].weight and isinstance(c[0].weight, nn.Parameter)
    np.testing.assert_array_equal(to_np(c[0].weight), to_np(m[0].weight))
    with lt.no_grad():
        c[0].weight.fill_(3)
    assert m[0].weight[0, 0].item() != 3


def test_modules_pickle_with_their_parameters_and_buffers():
    """DataLoader workers and multiprocessing hand modules around by pickling (files use lt.save)."""
    import pickle
    m = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.BatchNorm1d(4))
    m(lt.randn(6, 3))  # moves the running statistics
    restored = pickle.loads(pickle.dumps(m))
    assert type(restored[0].weight) is nn.Parameter and restored[0].weight.requires_grad
    for (k, a), (_, b) in zip(m.state_dict().items(), restored.state_dict().items()):
        assert bool((a == b).all()), k
    m.eval()
    restored.eval()
    x = lt.randn(5, 3)
    assert bool((m(x) == restored(x)).all())
