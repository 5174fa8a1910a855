"""The nn pieces libtensor composes in Python in nn/modules/{rnn_cell, transformer_more, fold, pooling_more,
activation_random, loss_more, embedding_bag}.py and nn/_functional_{attention, stochastic, fold, pooling,
losses_more, sparse}.py, against PyTorch 1.13: forward values and the gradients of sum(out * w) for inputs and
parameters in float64, reprs, and the errors for bad input. scaled_dot_product_attention, which 1.13 lacks, is
checked against a hand-written reference; the random parts (gumbel_softmax, rrelu while training, dropout) by
their properties."""
import math

import pytest
import torch

from _parity import assert_parity, import_libtensor, to_lt

lt = import_libtensor()
LF = lt.nn.functional
TF = torch.nn.functional
f64 = torch.float64


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)
    lt.manual_seed(0)


def randn(*shape, scale=1.0):
    return torch.randn(shape, dtype=f64) * scale


def lt_or_torch(F, t):
    """t as the framework of F (libtensor's or torch's nn.functional) takes it."""
    return to_lt(t) if F is LF else t


def _as_tuple(out):
    return out if isinstance(out, tuple) else (out,)


def check(fn, inputs, grad=(0,)):
    """fn(F, *tensors) with torch's and libtensor's nn.functional: the same outputs and the same gradients of
    sum(out * w) for the floating-point inputs at positions `grad`."""
    t_in = [t.detach().requires_grad_(i in grad and t.is_floating_point()) for i, t in enumerate(inputs)]
    l_in = [to_lt(t) for t in t_in]
    t_out, l_out = _as_tuple(fn(TF, *t_in)), _as_tuple(fn(LF, *l_in))
    assert_parity(list(l_out), list(t_out), what="forward")
    floating = [(lo, to) for lo, to in zip(l_out, t_out) if to.is_floating_point() and to.requires_grad]
    if not floating:
        return
    weights = [torch.randn(to.shape, dtype=to.dtype) for _, to in floating]
    sum((to * w).sum() for (_, to), w in zip(floating, weights)).backward()
    sum((lo * to_lt(w)).sum() for (lo, _), w in zip(floating, weights)).backward()
    for i in grad:
        if i < len(t_in) and t_in[i].requires_grad:
            assert_parity(l_in[i].grad, t_in[i].grad, what=f"gradient of input {i}")


def pair(name, *args, **kwargs):
    """torch.nn.<name> and lt.nn.<name> built alike, in float64, libtensor's loaded with torch's state: the same
    repr and state-dict layout."""
    t = getattr(torch.nn, name)(*args, **kwargs).double()
    lm = getattr(lt.nn, name)(*args, **kwargs).double()
    assert [(k, tuple(v.shape)) for k, v in lm.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in t.state_dict().items()]
    assert repr(lm) == repr(t)
    lm.load_state_dict({k: to_lt(v) for k, v in t.state_dict().items()})
    return lm, t


def check_pair(lm, t, t_inputs, grad=None):
    """Module outputs and the gradients of sum(out * w) for the float inputs (or those at `grad`) and every
    parameter."""
    grad = range(len(t_inputs)) if grad is None else grad
    t_in = [x.detach().requires_grad_(i in grad and x.is_floating_point()) if isinstance(x, torch.Tensor) else x
            for i, x in enumerate(t_inputs)]
    l_in = [to_lt(x) if isinstance(x, torch.Tensor) else x for x in t_in]
    t_out, l_out = t(*t_in), lm(*l_in)
    assert_parity(l_out, t_out, what="forward")
    t_flat = [o for o in _flatten(t_out) if o.is_floating_point()]
    l_flat = [o for o in _flatten(l_out) if o.is_floating_point()]
    weights = [torch.randn(o.shape, dtype=o.dtype) for o in t_flat]
    sum((o * w).sum() for o, w in zip(t_flat, weights)).backward()
    sum((o * to_lt(w)).sum() for o, w in zip(l_flat, weights)).backward()
    for i, (li, ti) in enumerate(zip(l_in, t_in)):
        if isinstance(ti, torch.Tensor) and ti.requires_grad:
            assert_parity(li.grad, ti.grad, what=f"gradient of input {i}")
    t_params = dict(t.named_parameters())
    for name, p in lm.named_parameters():
        if t_params[name].grad is None:
            assert p.grad is None or not p.grad.abs().sum().item(), name
        else:
            assert_parity(p.grad, t_params[name].grad, what=f"gradient of {name}")


def _flatten(out):
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _flatten(o)]
    return [out]


# --- RNNCell, LSTMCell, GRUCell ------------------------------------------------------------------------------

CELLS = [("RNNCell", {}), ("RNNCell", {"nonlinearity": "relu"}), ("RNNCell", {"bias": False}), ("LSTMCell", {}),
         ("LSTMCell", {"bias": False}), ("GRUCell", {}), ("GRUCell", {"bias": False})]


def _cell_state(name, lead):
    if name == "LSTMCell":
        return (randn(*lead, 5), randn(*lead, 5))
    return randn(*lead, 5)


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("given_hx", [True, False], ids=["hx", "no_hx"])
@pytest.mark.parametrize("name,kwargs", CELLS, ids=[f"{n}{k}" for n, k in CELLS])
def test_rnn_cells_match_torch(name, kwargs, given_hx, batched):
    lm, t = pair(name, 4, 5, **kwargs)
    lead = (3,) if batched else ()
    x = randn(*lead, 4)
    if not given_hx:
        check_pair(lm, t, [x])
        return
    hx = _cell_state(name, lead)
    if name != "LSTMCell":
        check_pair(lm, t, [x, hx])
        return
    # A tuple state: compare by hand, with the gradients of both parts.
    th = tuple(h.detach().requires_grad_() for h in hx)
    lh = tuple(to_lt(h, requires_grad=True) for h in th)
    tx, lx = x.detach().requires_grad_(), to_lt(x, requires_grad=True)
    t_out, l_out = t(tx, th), lm(lx, lh)
    assert_parity(list(l_out), list(t_out))
    w = [torch.randn(o.shape, dtype=f64) for o in t_out]
    sum((o * wi).sum() for o, wi in zip(t_out, w)).backward()
    sum((o * to_lt(wi)).sum() for o, wi in zip(l_out, w)).backward()
    for a, b in zip((lx,) + lh, (tx,) + th):
        assert_parity(a.grad, b.grad)
    t_params = dict(t.named_parameters())
    for n, p in lm.named_parameters():
        assert_parity(p.grad, t_params[n].grad, what=n)


def test_rnn_cells_parameters_and_init():
    for name, chunks in (("RNNCell", 1), ("LSTMCell", 4), ("GRUCell", 3)):
        cell = getattr(lt.nn, name)(7, 16)
        shapes = {k: tuple(v.shape) for k, v in cell.named_parameters()}
        assert shapes == {"weight_ih": (chunks * 16, 7), "weight_hh": (chunks * 16, 16), "bias_ih": (chunks * 16,),
                          "bias_hh": (chunks * 16,)}
        for p in cell.parameters():
            assert p.abs().max().item() <= 0.25 and p.std().item() > 0.05  # U(-1/sqrt(16), 1/sqrt(16))
        assert isinstance(cell, lt.nn.RNNCellBase)


def test_rnn_cell_is_one_step_of_the_layer():
    layer = lt.nn.GRU(4, 5)
    cell = lt.nn.GRUCell(4, 5)
    cell.load_state_dict({k[:-3]: v for k, v in layer.state_dict().items()})  # weight_ih_l0 -> weight_ih
    x, h = lt.randn(1, 3, 4), lt.randn(1, 3, 5)
    assert_parity(cell(x[0], h[0]), torch.from_numpy(layer(x, h)[1][0].detach().numpy()))


@pytest.mark.parametrize("name", ["RNNCell", "LSTMCell", "GRUCell"])
def test_rnn_cell_errors_match_torch(name):
    lm = getattr(lt.nn, name)(4, 3)
    state = (lambda *s: (lt.randn(*s), lt.randn(*s))) if name == "LSTMCell" else lt.randn
    with pytest.raises(AssertionError, match="Expected input to be 1-D or 2-D but received 3-D"):
        lm(lt.randn(2, 2, 4))
    with pytest.raises(RuntimeError, match="input has inconsistent input_size: got 5 expected 4"):
        lm(lt.randn(2, 5))
    with pytest.raises(RuntimeError, match="Input batch size 2 doesn't match hidden0 batch size 3"):
        lm(lt.randn(2, 4), state(3, 3))
    with pytest.raises(RuntimeError, match="hidden0 has inconsistent hidden_size: got 4, expected 3"):
        lm(lt.randn(2, 4), state(2, 4))


def test_rnn_cell_unknown_nonlinearity_fails_in_forward():
    cell = lt.nn.RNNCell(4, 3, nonlinearity="foo")  # accepted at construction, as in PyTorch
    assert repr(cell) == "RNNCell(4, 3, nonlinearity=foo)"
    with pytest.raises(RuntimeError, match="Unknown nonlinearity: foo"):
        cell(lt.randn(2, 4))


# --- TransformerDecoderLayer, TransformerDecoder, Transformer ------------------------------------------------

def _masks(F, L, S, N):
    """A causal float tgt_mask, a bool memory mask and key padding masks, for the framework of F."""
    causal = (torch.nn.Transformer if F is TF else lt.nn.Transformer).generate_square_subsequent_mask(L)
    memory_mask = torch.zeros(L, S, dtype=torch.bool)
    memory_mask[0, -1] = True
    tgt_pad = torch.zeros(N, L, dtype=torch.bool)
    tgt_pad[1, -1] = True
    mem_pad = torch.zeros(N, S, dtype=torch.bool)
    mem_pad[0, 1] = True
    return dict(tgt_mask=causal.double(), memory_mask=lt_or_torch(F, memory_mask),
                tgt_key_padding_mask=lt_or_torch(F, tgt_pad), memory_key_padding_mask=lt_or_torch(F, mem_pad))


DECODER_LAYERS = [{}, {"norm_first": True}, {"batch_first": True}, {"activation": "gelu"}]


@pytest.mark.parametrize("kwargs", DECODER_LAYERS, ids=str)
def test_transformer_decoder_layer_matches_torch(kwargs):
    torch.manual_seed(0)
    lm, t = pair("TransformerDecoderLayer", 8, 2, 16, 0.0, **kwargs)
    L, S, N = 4, 5, 2
    shape = (lambda n: (N, n, 8)) if kwargs.get("batch_first") else (lambda n: (n, N, 8))
    tgt, memory = randn(*shape(L)), randn(*shape(S))
    t_masks, l_masks = _masks(TF, L, S, N), _masks(LF, L, S, N)

    class Bound:  # the layer called with its masks, as check_pair calls a module
        def __init__(self, m, masks):
            self.m, self.masks = m, masks

        def __call__(self, *xs):
            return self.m(*xs, **self.masks)

        def named_parameters(self):
            return self.m.named_parameters()
    check_pair(Bound(lm, l_masks), Bound(t, t_masks), [tgt, memory])


def test_transformer_decoder_layer_callable_activation_and_unbatched():
    torch.manual_seed(0)
    t = torch.nn.TransformerDecoderLayer(8, 2, 16, 0.0, activation=torch.nn.functional.gelu).double()
    lm = lt.nn.TransformerDecoderLayer(8, 2, 16, 0.0, activation=LF.gelu).double()
    lm.load_state_dict({k: to_lt(v) for k, v in t.state_dict().items()})
    assert lm.activation is LF.gelu
    check_pair(lm, t, [randn(4, 8), randn(5, 8)])


def test_transformer_decoder_layer_rejects_unknown_activation():
    with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
        lt.nn.TransformerDecoderLayer(8, 2, activation="tanh")


def test_transformer_decoder_matches_torch():
    torch.manual_seed(0)
    t_layer = torch.nn.TransformerDecoderLayer(8, 2, 16, 0.0)
    t = torch.nn.TransformerDecoder(t_layer, 2, torch.nn.LayerNorm(8)).double()
    lm = lt.nn.TransformerDecoder(lt.nn.TransformerDecoderLayer(8, 2, 16, 0.0), 2, lt.nn.LayerNorm(8)).double()
    assert repr(lm) == repr(t)
    lm.load_state_dict({k: to_lt(v) for k, v in t.state_dict().items()})
    assert lm.layers[0] is not lm.layers[1]
    check_pair(lm, t, [randn(4, 2, 8), randn(5, 2, 8)])


@pytest.mark.parametrize("kwargs", [{}, {"batch_first": True, "norm_first": True}], ids=str)
def test_transformer_matches_torch(kwargs):
    torch.manual_seed(0)
    lm, t = pair("Transformer", 8, 2, 2, 2, 16, 0.0, **kwargs)
    S, L, N = 5, 4, 2
    shape = (lambda n: (N, n, 8)) if kwargs.get("batch_first") else (lambda n: (n, N, 8))
    src, tgt = randn(*shape(S)), randn(*shape(L))
    t_mask = torch.nn.Transformer.generate_square_subsequent_mask(L).double()
    l_mask = lt.nn.Transformer.generate_square_subsequent_mask(L, dtype=lt.float64)
    src_pad = torch.zeros(N, S, dtype=torch.bool)
    src_pad[1, 0] = True

    class Bound:
        def __init__(self, m, F, mask):
            self.m, self.F, self.mask = m, F, mask

        def __call__(self, src, tgt):
            pad = lt_or_torch(self.F, src_pad)
            return self.m(src, tgt, tgt_mask=self.mask, src_key_padding_mask=pad, memory_key_padding_mask=pad)

        def named_parameters(self):
            return self.m.named_parameters()
    check_pair(Bound(lm, LF, l_mask), Bound(t, TF, t_mask), [src, tgt])


def test_transformer_unbatched_and_init():
    torch.manual_seed(0)
    lm, t = pair("Transformer", 8, 2, 1, 1, 16, 0.0)
    check_pair(lm, t, [randn(5, 8), randn(4, 8)])
    fresh = lt.nn.Transformer(8, 2, 1, 1, 16)
    bound = math.sqrt(6 / (8 + 16))  # xavier_uniform_ of linear1's (16, 8) weight
    w = fresh.encoder.layers[0].linear1.weight
    assert w.abs().max().item() <= bound and w.abs().max().item() > bound / 2
    assert (fresh.d_model, fresh.nhead, fresh.batch_first) == (8, 2, False)


def test_transformer_generate_square_subsequent_mask():
    assert_parity(lt.nn.Transformer.generate_square_subsequent_mask(4),
                  torch.nn.Transformer.generate_square_subsequent_mask(4))
    assert isinstance(vars(lt.nn.Transformer)["generate_square_subsequent_mask"], staticmethod)


def test_transformer_custom_encoder_and_decoder():
    encoder = lt.nn.TransformerEncoder(lt.nn.TransformerEncoderLayer(8, 2, 16, 0.0), 1)
    decoder = lt.nn.TransformerDecoder(lt.nn.TransformerDecoderLayer(8, 2, 16, 0.0), 1)
    model = lt.nn.Transformer(8, 2, custom_encoder=encoder, custom_decoder=decoder)
    assert model.encoder is encoder and model.decoder is decoder
    src, tgt = lt.randn(5, 2, 8), lt.randn(4, 2, 8)
    expected = decoder(tgt, encoder(src))
    assert lt.allclose(model(src, tgt), expected, atol=1e-6)


def test_transformer_errors_match_torch():
    model = lt.nn.Transformer(8, 2, 1, 1, 16)
    with pytest.raises(RuntimeError, match="the batch number of src and tgt must be equal"):
        model(lt.randn(5, 2, 8), lt.randn(4, 3, 8))
    with pytest.raises(RuntimeError, match="the feature number of src and tgt must be equal to d_model"):
        model(lt.randn(5, 2, 8), lt.randn(4, 2, 6))


# --- scaled_dot_product_attention ---------------------------------------------------------------------------

def reference_attention(q, k, v, mask=None, is_causal=False, scale=None):
    """softmax(q k^T * scale + mask) v, written out in torch."""
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = q @ k.transpose(-2, -1) * scale
    if is_causal:
        mask = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril()
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf")) if mask.dtype == torch.bool else scores + mask
    return torch.softmax(scores, -1) @ v


def _sdpa_pair(**kwargs):
    def fn(F, q, k, v, mask=None):
        if F is TF:
            return reference_attention(q, k, v, mask, **kwargs)
        return LF.scaled_dot_product_attention(q, k, v, mask, is_causal=kwargs.get("is_causal", False),
                                               scale=kwargs.get("scale"))
    return fn


def _keep_mask(*shape):
    mask = torch.rand(shape) > 0.4
    mask[..., 0] = True  # every query keeps a key: no all-masked row
    return mask


SDPA_CASES = {
    "4d": ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7), None, {}),
    "3d_scale": ((3, 4, 5), (3, 6, 5), (3, 6, 5), None, {"scale": 0.3}),
    "2d": ((4, 5), (6, 5), (6, 2), None, {}),
    "causal_L_lt_S": ((2, 4, 5), (2, 6, 5), (2, 6, 5), None, {"is_causal": True}),
    "causal_square": ((2, 2, 5, 3), (2, 2, 5, 3), (2, 2, 5, 3), None, {"is_causal": True}),
    "bool_mask_broadcast": ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 5), "bool", {}),
    "float_mask": ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 5), "float", {}),
    "broadcast_batch": ((2, 3, 4, 5), (1, 3, 6, 5), (1, 3, 6, 5), None, {}),
}


@pytest.mark.parametrize("case", sorted(SDPA_CASES))
def test_scaled_dot_product_attention_matches_reference(case):
    qs, ks, vs, mask, kwargs = SDPA_CASES[case]
    inputs = [randn(*qs), randn(*ks), randn(*vs)]
    if mask == "bool":
        inputs.append(_keep_mask(qs[-2], ks[-2]))
    elif mask == "float":
        inputs.append(randn(qs[0], 1, qs[-2], ks[-2]))
    check(_sdpa_pair(**kwargs), inputs, grad=(0, 1, 2, 3))


def test_scaled_dot_product_attention_dropout():
    q, k = lt.randn(2, 64, 8), lt.randn(2, 64, 8)
    v = lt.ones(2, 64, 3)
    # The weights of each query sum to 1; dropout zeroes some and scales the rest by 1 / (1 - p).
    out = LF.scaled_dot_product_attention(q, k, v, dropout_p=0.5)
    assert abs(out.mean().item() - 1.0) < 0.1 and out.std().item() > 0.05
    assert LF.scaled_dot_product_attention(q, k, v, dropout_p=1.0).abs().sum().item() == 0


def test_scaled_dot_product_attention_errors():
    q = lt.randn(2, 4, 5)
    with pytest.raises(RuntimeError, match=r"^\[scaled_dot_product_attention\] attn_mask must be None"):
        LF.scaled_dot_product_attention(q, q, q, lt.ones(4, 4, dtype=lt.bool), is_causal=True)
    with pytest.raises(RuntimeError, match=r"^\[scaled_dot_product_attention\] expected a bool or floating"):
        LF.scaled_dot_product_attention(q, q, q, lt.ones(4, 4, dtype=lt.int64))
    with pytest.raises(RuntimeError, match=r"^\[scaled_dot_product_attention\] expected query \(\.\.\., L, E\)"):
        LF.scaled_dot_product_attention(q, lt.randn(2, 4, 6), lt.randn(2, 4, 6))
    with pytest.raises(RuntimeError, match=r"^\[scaled_dot_product_attention\] expected query, key and value"):
        LF.scaled_dot_product_attention(q, q.double(), q)
    with pytest.raises(TypeError):
        LF.scaled_dot_product_attention(q, q, q, None, 0.0, False, 0.5)  # scale is keyword-only


# --- gumbel_softmax, rrelu -----------------------------------------------------------------------------------

def test_gumbel_softmax_samples_the_softmax_distribution():
    logits = lt.tensor([1.0, 0.0, -1.0, 2.0], dtype=lt.float64)
    draws = LF.gumbel_softmax(logits.expand(20000, 4), tau=0.5, hard=True)
    assert set(draws.unique().tolist()) == {0.0, 1.0} and (draws.sum(1) == 1).all().item()
    frequencies = draws.mean(0)
    assert (frequencies - LF.softmax(logits, 0)).abs().max().item() < 0.02  # the Gumbel-max trick


def test_gumbel_softmax_soft_sample_and_dim():
    logits = lt.randn(3, 5, 4, dtype=lt.float64)
    y = LF.gumbel_softmax(logits, tau=2.0, dim=1)
    assert tuple(y.shape) == (3, 5, 4) and y.dtype == lt.float64
    assert lt.allclose(y.sum(1), lt.ones(3, 4, dtype=lt.float64)) and (y > 0).all().item()


def _gumbel(hard, tau=0.7):
    def fn(logits):
        lt.manual_seed(5)  # the same noise on every call
        return LF.gumbel_softmax(logits, tau=tau, hard=hard)
    return fn


def test_gumbel_softmax_gradients():
    logits = lt.randn(3, 4, dtype=lt.float64, requires_grad=True)
    assert lt.autograd.gradcheck(_gumbel(False), [logits])
    # Straight-through: the hard sample's forward is one-hot, its gradient the soft sample's.
    w = lt.randn(3, 4, dtype=lt.float64)
    hard = _gumbel(True)(logits)
    assert (hard.sum(1) == 1).all().item() and set(hard.unique().tolist()) == {0.0, 1.0}
    (hard * w).sum().backward()
    g_hard = logits.grad.clone()
    logits.grad = None
    soft = _gumbel(False)(logits)
    (soft * w).sum().backward()
    assert lt.allclose(g_hard, logits.grad)
    assert (hard.argmax(1) == soft.argmax(1)).all().item()


def test_gumbel_softmax_rejects_integer_logits():
    with pytest.raises(RuntimeError, match=r"^\[gumbel_softmax\]"):
        LF.gumbel_softmax(lt.arange(3))


@pytest.mark.parametrize("lower,upper", [(1 / 8, 1 / 3), (0.1, 0.5), (0.2, 0.2)], ids=str)
def test_rrelu_eval_matches_torch(lower, upper):
    x = randn(4, 6)
    x[0, :3] = 0.0
    check(lambda F, x: F.rrelu(x, lower, upper), [x])
    check(lambda F, x: F.rrelu(x * 1.0, lower, upper, False, True), [x])


def test_rrelu_training_draws_slopes_in_range():
    x = lt.randn(2000, dtype=lt.float64, requires_grad=True)
    y = LF.rrelu(x, 0.1, 0.3, training=True)
    positive = x > 0
    assert (y[positive] == x[positive]).all().item()
    slopes = (y / x)[~positive]
    assert slopes.min().item() >= 0.1 and slopes.max().item() <= 0.3 and slopes.std().item() > 0.03
    y.sum().backward()
    assert lt.allclose(x.grad, lt.where(positive, lt.ones_like(x), y / x))


def test_rrelu_in_place_and_module():
    x = lt.randn(50, dtype=lt.float64)
    x0 = x.clone()
    assert LF.rrelu_(x, 0.1, 0.3, training=True) is x
    assert (x[x0 > 0] == x0[x0 > 0]).all().item() and not lt.equal(x, x0)
    assert repr(lt.nn.RReLU(0.1, 0.3, True)) == repr(torch.nn.RReLU(0.1, 0.3, True))
    assert repr(lt.nn.RReLU()) == repr(torch.nn.RReLU())
    x = randn(10)
    assert_parity(lt.nn.RReLU(0.1, 0.3).eval()(to_lt(x)), torch.nn.RReLU(0.1, 0.3).eval()(x))
    train_out = lt.nn.RReLU(0.1, 0.3)(to_lt(x))  # training mode: random slopes, not the mean one
    assert not lt.equal(train_out, LF.leaky_relu(to_lt(x), 0.2))


def test_rrelu_and_pdist_at_the_top_level():
    assert lt.pdist is LF.pdist
    x = randn(8)
    assert_parity(lt.rrelu(to_lt(x), 0.1, 0.3), torch.rrelu(x, 0.1, 0.3))
    y = to_lt(x)
    assert lt.rrelu_(y) is y
    assert_parity(y, torch.rrelu(x))
    # training: the slopes come from the generator given
    draws = [lt.rrelu(to_lt(x), 0.1, 0.3, True, lt.Generator().manual_seed(3)) for _ in range(2)]
    assert lt.equal(draws[0], draws[1])


def test_rrelu_rejects_inverted_bounds():
    for training in (True, False):
        with pytest.raises(RuntimeError, match=r"^\[rrelu\] lower bound"):
            LF.rrelu(lt.randn(3), 0.5, 0.1, training)


# --- unfold / fold --------------------------------------------------------------------------------------------

FOLD_CASES = {
    "k2": dict(kernel_size=2),
    "k3_pad1": dict(kernel_size=3, padding=1),
    "k2x3_all": dict(kernel_size=(2, 3), dilation=(2, 1), padding=(1, 2), stride=(2, 3)),
    "k1_stride2": dict(kernel_size=1, stride=2),
}


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("case", sorted(FOLD_CASES))
def test_unfold_and_fold_match_torch(case, batched):
    kw = FOLD_CASES[case]
    x = randn(*((2,) if batched else ()), 3, 7, 8)
    check(lambda F, x: F.unfold(x, **kw), [x])
    cols = TF.unfold(x, **kw)
    check(lambda F, c: F.fold(c, (7, 8), **kw), [torch.randn_like(cols)])


def test_unfold_of_a_non_contiguous_input():
    x = randn(2, 8, 3, 7).transpose(1, 3)  # (2, 7, 3, 8), strided
    check(lambda F, x: F.unfold(x, (2, 2), padding=1), [x])


def test_fold_and_unfold_modules_match_torch():
    lm, t = pair("Unfold", (2, 3), dilation=1, padding=1, stride=2)
    check_pair(lm, t, [randn(2, 3, 6, 7)])
    lm, t = pair("Fold", (5, 6), 2, stride=1)
    check_pair(lm, t, [randn(2, 12, 20)])


FOLD_ERRORS = [
    ("unfold", lambda: LF.unfold(lt.randn(5, 6), 2), "expected 3D or 4D"),
    ("unfold", lambda: LF.unfold(lt.randn(1, 1, 5, 6), 0), "kernel size should be greater than zero"),
    ("unfold", lambda: LF.unfold(lt.randn(1, 1, 5, 6), 2, stride=0), "stride should be greater than zero"),
    ("unfold", lambda: LF.unfold(lt.randn(1, 1, 5, 6), 2, dilation=(1, 0)), "dilation should be greater than zero"),
    ("unfold", lambda: LF.unfold(lt.randn(1, 1, 5, 6), 2, padding=-1), "padding should be non-negative"),
    ("unfold", lambda: LF.unfold(lt.randn(1, 1, 5, 6), 7), "too small"),
    ("unfold", lambda: LF.unfold(lt.randn(1, 1, 5, 6), (2, 2, 2)), "kernel_size equals to 2, but got size 3"),
    ("fold", lambda: LF.fold(lt.randn(1, 2, 12, 20), (5, 6), 2), "expected 2D or 3D"),
    ("fold", lambda: LF.fold(lt.randn(2, 13, 20), (5, 6), 2), "divisible by the product of kernel_size"),
    ("fold", lambda: LF.fold(lt.randn(2, 12, 21), (5, 6), 2), "sliding blocks 4 * 5 = 20"),
]


@pytest.mark.parametrize("name,call,detail", FOLD_ERRORS, ids=[f"{e[0]}-{e[2]}" for e in FOLD_ERRORS])
def test_fold_errors(name, call, detail):
    with pytest.raises(RuntimeError) as info:
        call()
    assert str(info.value).startswith(f"[{name}] ") and detail in str(info.value), str(info.value)


# --- pdist, lp pools, *_with_indices --------------------------------------------------------------------------

@pytest.mark.parametrize("p", [2, 1, 3, 0.5, 0, math.inf], ids=str)
def test_pdist_matches_torch(p):
    check(lambda F, x: F.pdist(x, p), [randn(6, 4)])


def test_pdist_edge_shapes():
    check(lambda F, x: F.pdist(x), [randn(1, 3)])
    check(lambda F, x: F.pdist(x), [randn(4, 0)], grad=())
    check(lambda F, x: F.pdist(x), [randn(8, 5).t()])  # non-contiguous


@pytest.mark.parametrize("call,detail", [
    (lambda: LF.pdist(lt.randn(2, 3, 4)), "only supports 2D tensors, got: 3D"),
    (lambda: LF.pdist(lt.randn(3, 4), -1), "non-negative p"),
    (lambda: LF.pdist(lt.ones(3, 4, dtype=lt.int64)), "floating-point"),
], ids=["3d", "negative_p", "integer"])
def test_pdist_errors(call, detail):
    with pytest.raises(RuntimeError, match=r"^\[pdist\] .*" + detail):
        call()


LP_CASES = {
    "1d_p2": ("lp_pool1d", (2, 3, 9), (2.0, 3), {}),
    "1d_p1_stride_ceil": ("lp_pool1d", (2, 3, 9), (1, 3, 2, True), {}),
    "1d_unbatched_p3": ("lp_pool1d", (3, 8), (3, 2), {}),
    "2d_p2": ("lp_pool2d", (2, 3, 6, 7), (2, 2), {}),
    "2d_rect_stride": ("lp_pool2d", (2, 3, 6, 7), (1.5, (2, 3), 1), {}),
    "2d_unbatched_ceil": ("lp_pool2d", (3, 5, 5), (2, 2, None, True), {}),
}


@pytest.mark.parametrize("case", sorted(LP_CASES))
def test_lp_pool_matches_torch(case):
    name, shape, args, kwargs = LP_CASES[case]
    x = torch.rand(shape, dtype=f64) + 0.1  # positive: non-integer powers of negative sums are NaN in both
    check(lambda F, x: getattr(F, name)(x, *args, **kwargs), [x])


def test_lp_pool_zero_window_has_zero_gradient():
    x = torch.zeros(1, 2, 6, dtype=f64)
    x[0, 1, 4] = 2.0
    check(lambda F, x: F.lp_pool1d(x, 2, 2), [x])


def test_lp_pool_modules_match_torch():
    lm, t = pair("LPPool1d", 2, 3, stride=2)
    check_pair(lm, t, [torch.rand(2, 3, 9, dtype=f64)])
    lm, t = pair("LPPool2d", 3, (2, 3), 1, True)
    check_pair(lm, t, [torch.rand(2, 3, 6, 7, dtype=f64)])


@pytest.mark.parametrize("name,args,shape", [
    ("max_pool1d_with_indices", (3, 2, 1), (2, 3, 9)),
    ("max_pool2d_with_indices", ((2, 3), None, 1, 1, True), (2, 3, 6, 7)),
    ("adaptive_max_pool1d_with_indices", (4,), (2, 3, 9)),
    ("adaptive_max_pool2d_with_indices", ((3, 2),), (3, 6, 7)),
], ids=lambda v: v if isinstance(v, str) else None)
def test_max_pools_with_indices_match_torch(name, args, shape):
    check(lambda F, x: getattr(F, name)(x, *args), [randn(*shape)])
    out = getattr(LF, name)(to_lt(randn(*shape)), *args, return_indices=False)  # ignored: still both
    assert isinstance(out, tuple) and len(out) == 2


# --- multilabel_margin_loss, triplet_margin_with_distance_loss -----------------------------------------------

MULTILABEL_TARGET = torch.tensor([[3, 0, -1, 1], [1, 2, 3, 3], [-1, 0, 0, 0], [0, 1, 2, 3], [2, -1, 0, 3]])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_multilabel_margin_loss_matches_torch(reduction):
    x = randn(5, 4)
    check(lambda F, x, y: F.multilabel_margin_loss(x, y, reduction=reduction), [x, MULTILABEL_TARGET])
    check(lambda F, x, y: F.multilabel_margin_loss(x, y, reduction=reduction), [x[0], MULTILABEL_TARGET[0]])
    check(lambda F, x, y: F.multilabel_margin_loss(x, y, reduction=reduction), [x[0, 0], torch.tensor(0)])


@pytest.mark.filterwarnings("ignore:size_average and reduce args will be deprecated")
def test_multilabel_margin_loss_legacy_arguments_and_module():
    x = randn(5, 4)
    check(lambda F, x, y: F.multilabel_margin_loss(x, y, size_average=False), [x, MULTILABEL_TARGET])
    for reduction in ("mean", "none"):
        lm, t = pair("MultiLabelMarginLoss", reduction=reduction)
        check_pair(lm, t, [x, MULTILABEL_TARGET], grad=(0,))


@pytest.mark.parametrize("call,error,detail", [
    (lambda: LF.multilabel_margin_loss(lt.randn(2, 3, 4), lt.zeros(2, 3, 4, dtype=lt.int64)), RuntimeError,
     "(2, 3, 4)"),
    (lambda: LF.multilabel_margin_loss(lt.randn(2, 4), lt.zeros(2, 3, dtype=lt.int64)), RuntimeError,
     "inconsistent size [2, 3]"),
    (lambda: LF.multilabel_margin_loss(lt.randn(2, 4), lt.full((2, 4), 4, dtype=lt.int64)), RuntimeError,
     "out of range"),
    (lambda: LF.multilabel_margin_loss(lt.randn(1, 4), lt.tensor([[2, -2, 0, 1]])), RuntimeError, "out of range"),
    (lambda: LF.multilabel_margin_loss(lt.randn(2, 4), lt.zeros(2, 4)), RuntimeError, "Long"),
    (lambda: LF.multilabel_margin_loss(lt.randn(2, 4), lt.zeros(2, 4, dtype=lt.int64), reduction="x"), ValueError,
     "x is not a valid value"),
], ids=["3d", "shape", "range", "below_minus_1", "float_target", "reduction"])
def test_multilabel_margin_loss_errors(call, error, detail):
    with pytest.raises(error) as info:
        call()
    assert str(info.value).startswith("[multilabel_margin_loss] ") and detail in str(info.value), str(info.value)


def _cosine_distance(F):
    return lambda a, b: 1 - F.cosine_similarity(a, b)


@pytest.mark.parametrize("kwargs", [{}, {"swap": True, "margin": 2.0}, {"reduction": "none"},
                                    {"reduction": "sum", "distance": "cosine"}], ids=str)
def test_triplet_margin_with_distance_loss_matches_torch(kwargs):
    kwargs = dict(kwargs)
    cosine = kwargs.pop("distance", None) == "cosine"

    def fn(F, a, p, n):
        distance = _cosine_distance(F) if cosine else None
        return F.triplet_margin_with_distance_loss(a, p, n, distance_function=distance, **kwargs)
    check(fn, [randn(6, 5), randn(6, 5), randn(6, 5)], grad=(0, 1, 2))


def test_triplet_margin_with_distance_loss_module_and_errors():
    lm, t = pair("TripletMarginWithDistanceLoss", swap=True)
    check_pair(lm, t, [randn(6, 5), randn(6, 5), randn(6, 5)])
    lm = lt.nn.TripletMarginWithDistanceLoss(distance_function=_cosine_distance(LF), reduction="none")
    t = torch.nn.TripletMarginWithDistanceLoss(distance_function=_cosine_distance(TF), reduction="none")
    check_pair(lm, t, [randn(6, 5), randn(6, 5), randn(6, 5)])
    with pytest.raises(ValueError, match="x is not a valid value"):
        LF.triplet_margin_with_distance_loss(lt.randn(2, 3), lt.randn(2, 3), lt.randn(2, 3), reduction="x")
    with pytest.raises(TypeError):
        LF.triplet_margin_with_distance_loss(lt.randn(2, 3), lt.randn(2, 3), lt.randn(2, 3), None)


# --- embedding_bag / EmbeddingBag ----------------------------------------------------------------------------

BAG_INDICES = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9])
BAG_OFFSETS = torch.tensor([0, 2, 2, 5])  # bag 1 is empty


def _bag(F, weight, mode, psw=None, **kwargs):
    indices = lt_or_torch(F, kwargs.pop("indices", BAG_INDICES))
    offsets = kwargs.pop("offsets", BAG_OFFSETS)
    offsets = None if offsets is None else lt_or_torch(F, offsets)
    return F.embedding_bag(indices, weight, offsets, mode=mode, per_sample_weights=psw, **kwargs)


EMBEDDING_BAG_CASES = {
    "offsets": {},
    "padding_idx": {"padding_idx": 4},
    "negative_padding_idx": {"padding_idx": -1},
    "2d": {"indices": BAG_INDICES.reshape(2, 4), "offsets": None},
    "2d_padding": {"indices": BAG_INDICES.reshape(4, 2), "offsets": None, "padding_idx": 2},
    "include_last_offset": {"offsets": torch.tensor([0, 2, 2, 5, 8]), "include_last_offset": True},
    "int32": {"indices": BAG_INDICES.int(), "offsets": BAG_OFFSETS.int()},
}


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("case", sorted(EMBEDDING_BAG_CASES))
def test_embedding_bag_matches_torch(case, mode):
    kwargs = EMBEDDING_BAG_CASES[case]
    check(lambda F, w: _bag(F, w, mode, **dict(kwargs)), [randn(10, 3)])


def test_embedding_bag_per_sample_weights_match_torch():
    check(lambda F, w, psw: _bag(F, w, "sum", psw), [randn(10, 3), randn(8)], grad=(0, 1))
    check(lambda F, w, psw: _bag(F, w, "sum", psw, indices=BAG_INDICES.reshape(2, 4), offsets=None, padding_idx=2),
          [randn(10, 3), randn(2, 4)], grad=(0, 1))


def test_embedding_bag_max_norm_renormalizes_the_used_rows():
    weight = randn(10, 3, scale=3.0)
    lw = to_lt(weight)
    out_t = TF.embedding_bag(BAG_INDICES, weight, BAG_OFFSETS, max_norm=1.5)
    out_l = LF.embedding_bag(to_lt(BAG_INDICES), lw, to_lt(BAG_OFFSETS), max_norm=1.5)
    assert_parity(out_l, out_t)
    assert_parity(lw, weight, what="renormalized weight")


def test_embedding_bag_module_matches_torch():
    for kwargs in ({}, {"mode": "sum", "padding_idx": 1}, {"mode": "max", "include_last_offset": True}):
        torch.manual_seed(0)
        lm, t = pair("EmbeddingBag", 10, 3, **kwargs)
        offsets = torch.tensor([0, 2, 2, 5, 8]) if kwargs.get("include_last_offset") else BAG_OFFSETS
        check_pair(lm, t, [BAG_INDICES, offsets])
    bag = lt.nn.EmbeddingBag(10, 3, padding_idx=-2)
    assert bag.padding_idx == 8 and bag.weight[8].abs().sum().item() == 0
    assert repr(lt.nn.EmbeddingBag(5, 3, max_norm=1.0, mode="sum", padding_idx=1)) == \
        repr(torch.nn.EmbeddingBag(5, 3, max_norm=1.0, mode="sum", padding_idx=1))


def test_embedding_bag_from_pretrained():
    weight = lt.randn(4, 3)
    bag = lt.nn.EmbeddingBag.from_pretrained(weight, mode="sum")
    assert not bag.weight.requires_grad and bag.mode == "sum"
    assert lt.allclose(bag(lt.tensor([[0, 2]])), weight[0:1] + weight[2:3])
    assert lt.nn.EmbeddingBag.from_pretrained(weight, freeze=False).weight.requires_grad


def _w():
    return lt.randn(10, 3)


def _i(*values):
    return lt.tensor(list(values))


EMBEDDING_BAG_ERRORS = [
    (lambda: LF.embedding_bag(_i(1, 2, 3, 4).reshape(2, 2), _w(), _i(0, 1)), ValueError, "offsets has to be None"),
    (lambda: LF.embedding_bag(_i(1, 2), _w()), ValueError, "offsets has to be a 1D Tensor but got None"),
    (lambda: LF.embedding_bag(_i(1, 2), _w(), _i(0, 1).reshape(1, 2)), ValueError, "offsets has to be a 1D"),
    (lambda: LF.embedding_bag(_i(1, 2).reshape(1, 1, 2), _w()), ValueError, "1D or 2D"),
    (lambda: LF.embedding_bag(_i(1, 2), _w(), _i(0), mode="min"), ValueError, "mode has to be one of"),
    (lambda: LF.embedding_bag(_i(1, 2), _w(), _i(0), mode="mean", per_sample_weights=lt.ones(2)),
     NotImplementedError, "only supported for mode='sum'"),
    (lambda: LF.embedding_bag(_i(1, 2), _w(), _i(0), mode="sum", per_sample_weights=lt.ones(3)), ValueError,
     "same shape as the input"),
    (lambda: LF.embedding_bag(_i(1, 2, 3), _w(), _i(1, 2)), RuntimeError, "offsets[0] has to be 0"),
    (lambda: LF.embedding_bag(_i(1, 2, 3), _w(), _i(0, 5)), RuntimeError, "can not be greater than input's length"),
    (lambda: LF.embedding_bag(_i(1, 2, 3), _w(), _i(0, 2, 1)), RuntimeError, "non-decreasing"),
    (lambda: LF.embedding_bag(_i(1, 2, 10), _w(), _i(0)), RuntimeError, "out of range"),
    (lambda: LF.embedding_bag(_i(1, 2), _w(), _i(0), padding_idx=10), RuntimeError, "-10 through 9"),
    (lambda: LF.embedding_bag(_i(1, 2), _w(), _i(0), mode="max", scale_grad_by_freq=True), ValueError,
     "max mode does not support scaling"),
    (lambda: LF.embedding_bag(_i(1, 2), _w(), _i(0), sparse=True), NotImplementedError, "not supported"),
]


@pytest.mark.parametrize("call,error,detail", EMBEDDING_BAG_ERRORS, ids=[e[2] for e in EMBEDDING_BAG_ERRORS])
def test_embedding_bag_errors(call, error, detail):
    with pytest.raises(error) as info:
        call()
    assert str(info.value).startswith("[embedding_bag] ") and detail in str(info.value), str(info.value)


def test_embedding_bag_module_padding_idx_assertion():
    with pytest.raises(AssertionError, match="padding_idx must be within num_embeddings"):
        lt.nn.EmbeddingBag(5, 3, padding_idx=5)


# --- exports -----------------------------------------------------------------------------------------------

def test_new_names_are_exported():
    for name in ["scaled_dot_product_attention", "gumbel_softmax", "unfold", "fold", "pdist", "rrelu", "rrelu_",
                 "lp_pool1d", "lp_pool2d", "multilabel_margin_loss", "triplet_margin_with_distance_loss",
                 "max_pool1d_with_indices", "max_pool2d_with_indices", "adaptive_max_pool1d_with_indices",
                 "adaptive_max_pool2d_with_indices", "embedding_bag"]:
        assert name in LF.__all__ and callable(getattr(LF, name)), name
    for name in ["RNNCellBase", "RNNCell", "LSTMCell", "GRUCell", "TransformerDecoderLayer", "TransformerDecoder",
                 "Transformer", "Unfold", "Fold", "LPPool1d", "LPPool2d", "RReLU", "MultiLabelMarginLoss",
                 "TripletMarginWithDistanceLoss", "EmbeddingBag"]:
        assert name in lt.nn.modules.__all__ and getattr(lt.nn, name) is getattr(lt.nn.modules, name), name
    for name in ["pdist", "rrelu", "rrelu_"]:  # also torch.pdist, torch.rrelu, torch.rrelu_
        assert callable(getattr(lt, name)), name
