"""MultiheadAttention, TransformerEncoderLayer and TransformerEncoder against torch.nn's, in float64: the
same weights (through state_dict), inputs and masks give the same outputs, attention weights and gradients."""
import numpy as np
import pytest
import torch

from _parity import import_libtensor

lt = import_libtensor()
nn = lt.nn


def to_lt(t):
    return lt.from_numpy(t.detach().numpy().copy())


def close(a, b):
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-10, atol=1e-12)


def pair(name, *args, **kwargs):
    torch.manual_seed(0)
    t = getattr(torch.nn, name)(*args, **kwargs).double()
    l = getattr(nn, name)(*args, **kwargs).double()
    assert [(k, tuple(v.shape)) for k, v in l.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in t.state_dict().items()]
    assert repr(l) == repr(t)
    l.load_state_dict({k: to_lt(v) for k, v in t.state_dict().items()})
    return l, t


def check_grads(l, t, l_inputs, t_inputs):
    for li, ti in zip(l_inputs, t_inputs):
        close(li.grad, ti.grad)
    t_params = dict(t.named_parameters())
    for name, p in l.named_parameters():
        close(p.grad, t_params[name].grad)


MHA_CASES = [
    ({}, {"key_padding_mask": "bool", "attn_mask": "float"}),
    ({"batch_first": True}, {"attn_mask": "causal"}),
    ({"add_bias_kv": True, "add_zero_attn": True}, {"key_padding_mask": "bool", "attn_mask": "causal"}),
    ({"kdim": 3, "vdim": 5, "bias": False}, {"average_attn_weights": False}),
    ({}, {"need_weights": False, "key_padding_mask": "float"}),
]


@pytest.mark.parametrize("ctor,call", MHA_CASES, ids=[str(i) for i in range(len(MHA_CASES))])
def test_multihead_attention_matches_torch(ctor, call):
    l, t = pair("MultiheadAttention", 8, 2, **ctor)
    gen = torch.Generator().manual_seed(1)
    L, S, N = 4, 5, 2
    shape = (lambda n, e: (N, n, e)) if ctor.get("batch_first") else (lambda n, e: (n, N, e))
    tq = torch.randn(shape(L, 8), generator=gen, dtype=torch.float64, requires_grad=True)
    tk = torch.randn(shape(S, ctor.get("kdim", 8)), generator=gen, dtype=torch.float64, requires_grad=True)
    tv = torch.randn(shape(S, ctor.get("vdim", 8)), generator=gen, dtype=torch.float64, requires_grad=True)
    t_kw, l_kw = {}, {}
    for key, value in call.items():
        if value == "bool":
            mask = torch.tensor([[False, False, True, False, True], [False] * 5])
        elif value == "float":
            mask = torch.randn((L, S) if key == "attn_mask" else (N, S), generator=gen, dtype=torch.float64)
        elif value == "causal":
            mask = torch.ones(L, S, dtype=torch.bool).triu(1)
        else:
            t_kw[key] = l_kw[key] = value
            continue
        t_kw[key], l_kw[key] = mask, to_lt(mask)
    t_out, t_w = t(tq, tk, tv, **t_kw)
    lq, lk, lv = (to_lt(x).requires_grad_() for x in (tq, tk, tv))
    l_out, l_w = l(lq, lk, lv, **l_kw)
    close(l_out, t_out)
    if t_w is None:
        assert l_w is None
    else:
        close(l_w, t_w)
    g = torch.randn(t_out.shape, generator=gen, dtype=torch.float64)
    t_out.backward(g)
    l_out.backward(to_lt(g))
    check_grads(l, t, (lq, lk, lv), (tq, tk, tv))


def test_multihead_attention_unbatched_and_errors():
    l, t = pair("MultiheadAttention", 6, 3)
    x = torch.randn(4, 6, dtype=torch.float64)
    t_out, t_w = t(x, x, x)
    l_out, l_w = l(to_lt(x), to_lt(x), to_lt(x))
    close(l_out, t_out)
    close(l_w, t_w)
    with pytest.raises(AssertionError, match="divisible"):
        nn.MultiheadAttention(7, 2)
    with pytest.raises(RuntimeError, match="Need attn_mask"):
        l(to_lt(x), to_lt(x), to_lt(x), is_causal=True)


@pytest.mark.parametrize("kwargs", [{}, {"norm_first": True, "activation": "gelu"},
                                    {"batch_first": True, "dim_feedforward": 16}],
                         ids=["post-norm", "pre-norm-gelu", "batch-first"])
def test_transformer_encoder_layer_matches_torch(kwargs):
    # dropout 0 in training mode: deterministic, and torch's eval-only fast path stays out of the comparison.
    l, t = pair("TransformerEncoderLayer", 8, 2, dropout=0.0, **kwargs)
    gen = torch.Generator().manual_seed(2)
    tx = torch.randn(3, 5, 8, generator=gen, dtype=torch.float64, requires_grad=True)
    # key padding masks are (batch, source length): (3, 5) with batch_first, (5, 3) otherwise.
    mask = torch.zeros(3, 5, dtype=torch.bool) if kwargs.get("batch_first") else torch.zeros(5, 3, dtype=torch.bool)
    mask[1, -1] = mask[2, -2:] = True
    t_out = t(tx, src_key_padding_mask=mask)
    lx = to_lt(tx).requires_grad_()
    l_out = l(lx, src_key_padding_mask=to_lt(mask))
    close(l_out, t_out)
    t_out.sum().backward()
    l_out.sum().backward()
    check_grads(l, t, (lx,), (tx,))


def test_transformer_encoder_matches_torch():
    torch.manual_seed(0)
    t_layer = torch.nn.TransformerEncoderLayer(8, 2, dim_feedforward=12, dropout=0.0, batch_first=True)
    t = torch.nn.TransformerEncoder(t_layer, 2, norm=torch.nn.LayerNorm(8)).double()
    l_layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=12, dropout=0.0, batch_first=True)
    l = nn.TransformerEncoder(l_layer, 2, norm=nn.LayerNorm(8)).double()
    assert list(l.state_dict()) == list(t.state_dict())
    assert repr(l) == repr(t)
    assert l.layers[0].linear1.weight is not l.layers[1].linear1.weight  # deep copies
    l.load_state_dict({k: to_lt(v) for k, v in t.state_dict().items()})
    tx = torch.randn(2, 5, 8, dtype=torch.float64, requires_grad=True)
    causal = torch.zeros(5, 5, dtype=torch.float64).masked_fill(torch.ones(5, 5, dtype=torch.bool).triu(1),
                                                                 float("-inf"))
    t_out = t(tx, mask=causal)
    lx = to_lt(tx).requires_grad_()
    l_out = l(lx, mask=to_lt(causal), is_causal=True)
    close(l_out, t_out)
    t_out.sum().backward()
    l_out.sum().backward()
    check_grads(l, t, (lx,), (tx,))
