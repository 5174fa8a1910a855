"""RNN, LSTM and GRU against torch.nn's: the same weights (through state_dict) and inputs give the same
outputs, final states and gradients (of the input, the initial states and every parameter), in float64 with a
tight tolerance and in float32; plus repr, state_dict layout, initialisation range, dropout, gradcheck and the
error messages."""
import itertools
import math
import warnings

import numpy as np
import pytest
import torch

from _parity import import_libtensor

lt = import_libtensor()
nn = lt.nn

TOL = {torch.float64: dict(rtol=1e-10, atol=1e-12), torch.float32: dict(rtol=2e-4, atol=2e-5)}
LT_DTYPE = {torch.float64: lt.float64, torch.float32: lt.float32}


def to_lt(t, requires_grad=False):
    x = lt.from_numpy(t.detach().numpy().copy())
    if requires_grad:
        x.requires_grad_(True)
    return x


def close(a, b, dtype):
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), **TOL[dtype])


def pair(name, *args, dtype=torch.float64, **kwargs):
    torch.manual_seed(0)
    t = getattr(torch.nn, name)(*args, **kwargs).to(dtype)
    l = getattr(nn, name)(*args, **kwargs).to(LT_DTYPE[dtype])
    assert [(k, tuple(v.shape)) for k, v in l.state_dict().items()] == \
        [(k, tuple(v.shape)) for k, v in t.state_dict().items()]
    assert repr(l) == repr(t)
    l.load_state_dict({k: to_lt(v) for k, v in t.state_dict().items()})
    return l, t


def run_both(name, ctor, batched=True, given_hx=False, dtype=torch.float64, L=5, N=3, H_in=4, H=6):
    l, t = pair(name, H_in, H, dtype=dtype, **ctor)
    gen = torch.Generator().manual_seed(1)
    batch_first = ctor.get("batch_first", False)
    shape = ((N, L, H_in) if batch_first else (L, N, H_in)) if batched else (L, H_in)
    tx = torch.randn(shape, generator=gen, dtype=dtype, requires_grad=True)
    lx = to_lt(tx, True)
    dirs = 2 if ctor.get("bidirectional") else 1
    layers = ctor.get("num_layers", 1)
    h_size = ctor.get("proj_size", 0) or H
    t_hx = l_hx = None
    t_states = l_states = []
    if given_hx:
        lead = (layers * dirs, N) if batched else (layers * dirs,)
        th = torch.randn(lead + (h_size,), generator=gen, dtype=dtype, requires_grad=True)
        t_states, l_states = [th], [to_lt(th, True)]
        if name == "LSTM":
            tc = torch.randn(lead + (H,), generator=gen, dtype=dtype, requires_grad=True)
            t_states.append(tc)
            l_states.append(to_lt(tc, True))
            t_hx, l_hx = tuple(t_states), tuple(l_states)
        else:
            t_hx, l_hx = th, l_states[0]
    t_out, t_h = t(tx, t_hx)
    l_out, l_h = l(lx, l_hx)
    t_finals = list(t_h) if name == "LSTM" else [t_h]
    l_finals = list(l_h) if name == "LSTM" else [l_h]
    assert tuple(l_out.shape) == tuple(t_out.shape)
    close(l_out, t_out, dtype)
    for a, b in zip(l_finals, t_finals):
        assert tuple(a.shape) == tuple(b.shape)
        close(a, b, dtype)
    # A loss that weights every output and final state differently reaches every gradient.
    w = torch.randn(t_out.shape, generator=gen, dtype=dtype)
    t_loss = (t_out * w).sum()
    l_loss = (l_out * to_lt(w)).sum()
    for a, b in zip(l_finals, t_finals):
        w = torch.randn(b.shape, generator=gen, dtype=dtype)
        t_loss = t_loss + (b * w).sum()
        l_loss = l_loss + (a * to_lt(w)).sum()
    close(l_loss, t_loss, dtype)
    t_loss.backward()
    l_loss.backward()
    close(lx.grad, tx.grad, dtype)
    for a, b in zip(l_states, t_states):
        close(a.grad, b.grad, dtype)
    t_params = dict(t.named_parameters())
    assert [n for n, _ in l.named_parameters()] == list(t_params)
    for n, p in l.named_parameters():
        close(p.grad, t_params[n].grad, dtype)
    return l, t


GRID = list(itertools.product(["LSTM", "GRU"], [1, 2], [False, True], [False, True], [True, False], [False, True]))


@pytest.mark.parametrize("name,layers,bidirectional,batch_first,bias,given_hx", GRID,
                         ids=[f"{n}-l{k}-bi{int(b)}-bf{int(f)}-bias{int(s)}-hx{int(h)}" for n, k, b, f, s, h in GRID])
def test_matches_torch_float64(name, layers, bidirectional, batch_first, bias, given_hx):
    run_both(name, dict(num_layers=layers, bidirectional=bidirectional, batch_first=batch_first, bias=bias),
             given_hx=given_hx)


UNBATCHED = list(itertools.product(["LSTM", "GRU", "RNN"], [False, True], [False, True], [False, True]))


@pytest.mark.parametrize("name,bidirectional,given_hx,batch_first", UNBATCHED,
                         ids=[f"{n}-bi{int(b)}-hx{int(h)}-bf{int(f)}" for n, b, h, f in UNBATCHED])
def test_unbatched_input(name, bidirectional, given_hx, batch_first):
    run_both(name, dict(num_layers=2, bidirectional=bidirectional, batch_first=batch_first), batched=False,
             given_hx=given_hx)


@pytest.mark.parametrize("name", ["LSTM", "GRU", "RNN"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_matches_torch_float32(name, bidirectional):
    run_both(name, dict(num_layers=2, bidirectional=bidirectional, batch_first=True), given_hx=True,
             dtype=torch.float32, L=7)


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_rnn_matches_torch(nonlinearity, batch_first):
    run_both("RNN", dict(num_layers=2, nonlinearity=nonlinearity, batch_first=batch_first, bidirectional=True),
             given_hx=True)


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("given_hx", [False, True])
def test_lstm_projection(bidirectional, given_hx):
    run_both("LSTM", dict(num_layers=2, proj_size=3, bidirectional=bidirectional), given_hx=given_hx)


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_dropout_in_eval_mode_is_the_identity(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        l, t = pair(name, 4, 5, num_layers=3, dropout=0.4)
    plain = getattr(nn, name)(4, 5, num_layers=3).double()
    plain.load_state_dict(l.state_dict())
    x = lt.randn(6, 2, 4, dtype=lt.float64)
    l.eval()
    out, _ = l(x)
    ref, _ = plain(x)
    np.testing.assert_array_equal(out.detach().numpy(), ref.detach().numpy())
    # Training mode drops: the outputs differ from the deterministic pass, and their gradients flow.
    l.train()
    lt.manual_seed(0)
    xt = x.detach().requires_grad_(True)
    out_train, _ = l(xt)
    assert not np.allclose(out_train.detach().numpy(), ref.detach().numpy())
    out_train.sum().backward()
    assert xt.grad is not None and np.isfinite(xt.grad.numpy()).all()


def test_dropout_with_one_layer_warns_like_torch():
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        nn.LSTM(3, 4, dropout=0.5)


@pytest.mark.parametrize("ctor", [dict(), dict(num_layers=2, bidirectional=True, bias=False),
                                  dict(num_layers=3, batch_first=True, dropout=0.25),
                                  dict(proj_size=2, num_layers=2, bidirectional=True)])
def test_state_dict_and_repr_match_torch(ctor):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in (["LSTM"] if "proj_size" in ctor else ["LSTM", "GRU", "RNN"]):
            pair(name, 3, 5, **ctor)
            seq = nn.Sequential(getattr(nn, name)(3, 5, **ctor))
            assert repr(seq) == repr(torch.nn.Sequential(getattr(torch.nn, name)(3, 5, **ctor)))


def test_attributes_and_init_range():
    m = nn.LSTM(3, 16, num_layers=2, bidirectional=True)
    assert (m.mode, m.input_size, m.hidden_size, m.num_layers, m.bias, m.batch_first, m.dropout,
            m.bidirectional, m.proj_size) == ("LSTM", 3, 16, 2, True, False, 0.0, True, 0)
    bound = 1 / math.sqrt(16)
    for name, p in m.named_parameters():
        v = p.detach().numpy()
        assert (np.abs(v) <= bound).all(), name
        assert v.std() > bound / 4, name  # filled, not left at zero
    assert len(m.all_weights) == 4 and [p.shape[0] for p in m.all_weights[0]] == [64, 64, 64, 64]
    assert tuple(nn.GRU(3, 4).weight_ih_l0.shape) == (12, 3)
    assert tuple(nn.RNN(3, 4, nonlinearity="relu").weight_hh_l0.shape) == (4, 4)
    assert nn.RNN(3, 4, nonlinearity="relu").nonlinearity == "relu"
    assert nn.LSTM(3, 4, dtype=lt.float64).weight_ih_l0.dtype == lt.float64
    m.flatten_parameters()


def test_module_plumbing():
    m = nn.GRU(3, 4, num_layers=2).double()
    assert all(p.dtype == lt.float64 for p in m.parameters())
    assert len(list(m.parameters())) == 8
    m.zero_grad()
    out, h = m(lt.randn(2, 1, 3, dtype=lt.float64))
    assert tuple(out.shape) == (2, 1, 4) and tuple(h.shape) == (2, 1, 4)


def test_empty_batch_and_empty_sequence():
    for name in ("LSTM", "GRU"):
        l, t = pair(name, 3, 4, bidirectional=True, batch_first=True)
        tx = torch.zeros(0, 2, 3, dtype=torch.float64)  # no sequences, of length 2
        t_out, t_h = t(tx)
        l_out, l_h = l(to_lt(tx))
        assert tuple(l_out.shape) == tuple(t_out.shape)
        finals = zip(l_h, t_h) if name == "LSTM" else [(l_h, t_h)]
        for a, b in finals:
            assert tuple(a.shape) == tuple(b.shape)
        tx = torch.zeros(2, 0, 3, dtype=torch.float64)  # sequences of length 0
        same_error(lambda: l(to_lt(tx)), lambda: t(tx))


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_long_sequence_matches_torch(name):
    """A long sequence through two bidirectional layers: the step split's own backward (one stack of the
    steps' gradients) gives torch's gradients."""
    run_both(name, dict(num_layers=2, bidirectional=True), L=300, N=2, H_in=3, H=4)


def test_gradcheck_tiny_lstm():
    lt.manual_seed(0)
    m = nn.LSTM(2, 3, num_layers=2, bidirectional=True).double()
    x = lt.randn(3, 2, 2, dtype=lt.float64, requires_grad=True)
    h0 = lt.randn(4, 2, 3, dtype=lt.float64, requires_grad=True)
    c0 = lt.randn(4, 2, 3, dtype=lt.float64, requires_grad=True)
    params = list(m.parameters())
    # Gradients with respect to the input and initial states, and to the parameters (through the module).
    def f_inputs(x, h0, c0):
        out, (h, c) = m(x, (h0, c0))
        return out, h, c

    assert lt.autograd.gradcheck(f_inputs, (x, h0, c0), eps=1e-6, atol=1e-5)

    def f_params(*ps):
        return m(x.detach(), (h0.detach(), c0.detach()))[0]

    assert lt.autograd.gradcheck(f_params, tuple(params), eps=1e-6, atol=1e-5)


def test_gradcheck_tiny_gru():
    lt.manual_seed(1)
    m = nn.GRU(2, 3, bidirectional=True).double()
    x = lt.randn(3, 2, 2, dtype=lt.float64, requires_grad=True)
    h0 = lt.randn(2, 2, 3, dtype=lt.float64, requires_grad=True)
    assert lt.autograd.gradcheck(lambda x, h0: m(x, h0), (x, h0), eps=1e-6, atol=1e-5)


# --- errors -----------------------------------------------------------------------------------

def same_error(l_call, t_call):
    with pytest.raises(Exception) as t_err:
        t_call()
    with pytest.raises(type(t_err.value)) as l_err:
        l_call()
    assert str(l_err.value) == str(t_err.value)


def test_errors_match_torch():
    l, t = pair("LSTM", 3, 4)
    lg, tg = pair("GRU", 3, 4, batch_first=True)

    def both(module_l, module_t, shape, states):
        tx = torch.randn(shape, dtype=torch.float64)
        t_states = None if states is None else (
            tuple(torch.zeros(s, dtype=torch.float64) for s in states) if isinstance(states, list)
            else torch.zeros(states, dtype=torch.float64))
        l_states = None if t_states is None else (
            tuple(to_lt(s) for s in t_states) if isinstance(t_states, tuple) else to_lt(t_states))
        same_error(lambda: module_l(to_lt(tx), l_states), lambda: module_t(tx, t_states))

    both(l, t, (5, 2, 4), None)                                      # wrong input_size
    both(l, t, (5, 2, 3), [(1, 3, 4), (1, 2, 4)])                    # h_0 batch
    both(l, t, (5, 2, 3), [(1, 2, 4), (1, 2, 5)])                    # c_0 size
    both(l, t, (5, 2, 3), [(2, 4), (1, 2, 4)])                       # 2-D state for batched input
    both(l, t, (5, 3), [(1, 2, 4), (1, 2, 4)])                       # 3-D state for unbatched input
    both(l, t, (5, 3), [(2, 4), (1, 4)])                             # unbatched state of the wrong layers
    both(lg, tg, (2, 5, 3), (1, 5, 4))                               # batch_first: batch is dim 0
    both(lg, tg, (2, 5, 3), (5, 4))
    both(lg, tg, (5, 3), (1, 1, 4))
    both(lg, tg, (5, 4), None)


def test_constructor_errors_match_torch():
    for name, args, kwargs in [("LSTM", (3, 4), dict(proj_size=4)), ("LSTM", (3, 4), dict(proj_size=-1)),
                               ("LSTM", (3, 4), dict(dropout=1.5)), ("GRU", (3, 4), dict(dropout=True)),
                               ("RNN", (3, 4), dict(nonlinearity="gelu"))]:
        same_error(lambda: getattr(nn, name)(*args, **kwargs), lambda: getattr(torch.nn, name)(*args, **kwargs))


def test_other_errors():
    m = nn.LSTM(3, 4)
    with pytest.raises(RuntimeError, match="Expected input to be 2D or 3D, got 4D"):
        m(lt.randn(5, 2, 3, 1))
    with pytest.raises(RuntimeError, match="Expected input to be 2D or 3D, got 1D"):
        nn.GRU(3, 4)(lt.randn(3))
    with pytest.raises(TypeError, match="hx must be a tuple"):
        m(lt.randn(5, 2, 3), lt.zeros(1, 2, 4))
    with pytest.raises(RuntimeError, match="Expected hidden state of dtype"):
        nn.GRU(3, 4)(lt.randn(5, 2, 3), lt.zeros(1, 2, 4, dtype=lt.float64))
    with pytest.raises(ValueError, match="proj_size argument is only supported for LSTM"):
        nn.RNNBase("GRU", 3, 4, proj_size=2)
    with pytest.raises(TypeError):
        nn.GRU(3, 4, proj_size=2)
    with pytest.raises(ValueError, match="hidden_size must be greater than zero"):
        nn.LSTM(3, 0)
    with pytest.raises(ValueError, match="num_layers must be greater than zero"):
        nn.GRU(3, 4, num_layers=0)
