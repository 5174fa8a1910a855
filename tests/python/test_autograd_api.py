"""libtensor's autograd API from Python (python/src/autograd.cpp, python/libtensor/autograd/,
_grad_mode.py), each behaviour checked against torch's where torch has it.

    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python/test_autograd_api.py
"""
import threading
import warnings

import numpy as np
import pytest

import libtensor as lt

torch = pytest.importorskip("torch")

LIBS = [pytest.param(torch, id="torch"), pytest.param(lt, id="libtensor")]

pytestmark = pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")


def close(a, b, tol=1e-10):
    """a (libtensor) and b (torch) hold the same values; None matches None."""
    if a is None or b is None:
        assert a is None and b is None, (a, b)
        return
    np.testing.assert_allclose(np.asarray(a.detach().numpy(), dtype=np.float64),
                               np.asarray(b.detach().numpy(), dtype=np.float64), rtol=tol, atol=tol)


def both(fn):
    """fn(m) for m in (libtensor, torch)."""
    return fn(lt), fn(torch)


X = [[0.5, -1.25, 2.0], [1.5, 0.75, -0.3]]
W = [[1.0, 2.0, -1.0], [0.5, -0.5, 3.0]]


def misuse(m):
    """The exception autograd misuse raises: RuntimeError, in torch and in libtensor."""
    return RuntimeError


def leaf(m, data=X, dtype=None):
    return m.tensor(data, dtype=dtype or m.float64, requires_grad=True)


# --- backward, .grad, accumulation -------------------------------------------------------------

def test_backward_and_accumulation_match_torch():
    def run(m):
        x = leaf(m)
        w = m.tensor(W, dtype=m.float64)
        y = ((x * w).sin() + x.exp() / (x * x + 1)).sum()
        y.backward()
        g1 = x.grad.clone()
        ((x * 3).sum()).backward()  # accumulates
        return g1, x.grad, y
    (g1, g2, y), (tg1, tg2, ty) = both(run)
    close(g1, tg1)
    close(g2, tg2)
    close(y, ty)


def test_backward_with_gradient_argument_and_non_scalar_outputs():
    def run(m):
        x = leaf(m)
        y = x * x
        y.backward(m.tensor(W, dtype=m.float64))
        return x.grad
    close(*both(run))
    for m in (torch, lt):
        with pytest.raises(misuse(m), match="(?i)implicitly|scalar"):
            (leaf(m) * 2).backward()


def test_backward_twice_needs_retain_graph():
    for m in (torch, lt):
        x = leaf(m)
        y = (x.exp() * x).sum()
        y.backward(retain_graph=True)
        y.backward()
        g = x.grad
        z = (x.exp() * x).sum()
        z.backward()
        with pytest.raises(RuntimeError):
            z.backward()
    # gradients: 3 x the single one
    def run(m):
        x = leaf(m)
        y = (x.exp() * x).sum()
        y.backward(retain_graph=True)
        y.backward(retain_graph=True)
        y.backward()
        return x.grad
    close(*both(run))
    assert g is not None


def test_grad_is_none_before_backward_and_for_non_leaves():
    for m in (torch, lt):
        x = leaf(m)
        assert x.grad is None
        assert x.is_leaf and x.requires_grad and x.grad_fn is None
        y = x * 2
        assert not y.is_leaf and y.requires_grad and y.grad_fn is not None
        y.sum().backward()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch warns about .grad of a non-leaf
            assert y.grad is None
        assert x.grad is not None


def test_grad_assignment_and_none():
    def run(m):
        x = leaf(m)
        x.grad = m.ones(2, 3, dtype=m.float64)
        (x * x).sum().backward()
        g = x.grad.clone()
        x.grad = None
        (x * 4).sum().backward()
        return g, x.grad
    (g, h), (tg, th) = both(run)
    close(g, tg)
    close(h, th)
    x = lt.ones(3, requires_grad=True)
    with pytest.raises((RuntimeError, TypeError)):
        x.grad = lt.ones(4)  # wrong shape: torch raises RuntimeError
    with pytest.raises(RuntimeError):
        torch.ones(3, requires_grad=True).grad = torch.ones(4)


def test_grad_in_place_zero_and_modification():
    x = lt.ones(3, requires_grad=True)
    (x * 2).sum().backward()
    x.grad.zero_()
    (x * 5).sum().backward()
    assert x.grad.tolist() == [5.0, 5.0, 5.0]
    x.grad.mul_(2)
    assert x.grad.tolist() == [10.0, 10.0, 10.0]


def test_retain_grad():
    def run(m):
        x = leaf(m)
        y = x * x
        y.retain_grad()
        z = y.exp()
        z.retain_grad()
        z.sum().backward()
        assert y.retains_grad and z.retains_grad
        return y.grad, z.grad, x.grad
    for a, b in zip(*both(run)):
        close(a, b)
    # on a leaf, retain_grad is a no-op
    x = lt.ones(2, requires_grad=True)
    x.retain_grad()
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_retain_grad_on_tensor_without_grad_raises_like_torch():
    for m in (torch, lt):
        with pytest.raises(misuse(m)):
            m.ones(2).retain_grad()


# --- hooks --------------------------------------------------------------------------------------

def test_register_hook_observes_and_replaces():
    def run(m):
        seen = []
        x = leaf(m)
        y = x * 3
        h1 = y.register_hook(lambda g: seen.append(g.clone()))
        h2 = y.register_hook(lambda g: g * 10)
        x.register_hook(lambda g: g + 1)
        (y * y).sum().backward()
        return seen[0], x.grad, h1, h2
    (s, g, h1, h2), (ts, tg, th1, th2) = both(run)
    close(s, ts)
    close(g, tg)
    assert callable(h1.remove)


def test_hook_remove():
    def run(m):
        x = leaf(m)
        calls = []
        h = x.register_hook(lambda g: calls.append(1) or g * 2)
        (x * 1).sum().backward()
        h.remove()
        x.grad = None
        (x * 1).sum().backward()
        h.remove()  # removing twice is harmless
        return x.grad, len(calls)
    (g, n), (tg, tn) = both(run)
    close(g, tg)
    assert n == tn == 1


def test_hook_on_non_grad_tensor_raises_like_torch():
    for m in (torch, lt):
        with pytest.raises(RuntimeError):
            m.ones(2).register_hook(lambda g: g)


def test_hook_returning_wrong_shape_raises():
    for m in (torch, lt):
        x = m.ones(3, requires_grad=True)
        x.register_hook(lambda g: m.ones(5))
        with pytest.raises(RuntimeError):
            (x * 2).sum().backward()


def test_hook_returning_wrong_type_raises():
    x = lt.ones(2, requires_grad=True)
    x.register_hook(lambda g: "nope")
    with pytest.raises((TypeError, RuntimeError)):
        (x * 2).sum().backward()


def test_hook_exception_propagates():
    x = lt.ones(2, requires_grad=True)

    def bad(g):
        raise KeyError("from the hook")
    x.register_hook(bad)
    with pytest.raises(KeyError, match="from the hook"):
        (x * 2).sum().backward()
    tx = torch.ones(2, requires_grad=True)
    tx.register_hook(bad)
    with pytest.raises(KeyError):
        (tx * 2).sum().backward()


# --- requires_grad_, detach, .data -------------------------------------------------------------

def test_requires_grad_flag_and_detach():
    for m in (torch, lt):
        x = m.ones(3)
        assert not x.requires_grad
        assert x.requires_grad_() is x
        assert x.requires_grad
        x.requires_grad_(False)
        assert not x.requires_grad
        x.requires_grad = True
        assert x.requires_grad
        y = x * 2
        with pytest.raises(misuse(m)):
            y.requires_grad_(False)  # non-leaf
        d = y.detach()
        assert not d.requires_grad and d.grad_fn is None and d.is_leaf
        d[0] = 7  # detach shares memory
        assert y[0].item() == 7
        with pytest.raises(RuntimeError):
            m.ones(2, dtype=m.int64).requires_grad_()


def test_detach_in_place_and_data():
    def run(m):
        x = leaf(m)
        y = x * 2
        y.detach_()
        assert not y.requires_grad and y.grad_fn is None
        d = x.data
        assert not d.requires_grad
        d.mul_(0.5)  # x.data is a detached view: changes x without recording
        z = (x * x).sum()
        z.backward()
        return x, x.grad
    (x, g), (tx, tg) = both(run)
    close(x, tx)
    close(g, tg)


def test_data_assignment_keeps_identity_and_autograd_state():
    for m in (torch, lt):
        x = leaf(m)
        ident = id(x)
        x.data = m.zeros(4, dtype=m.float64)
        assert id(x) == ident and x.requires_grad and x.is_leaf
        assert tuple(x.shape) == (4,)
        (x * 3).sum().backward()
        assert x.grad.tolist() == [3.0] * 4


def test_in_place_on_leaf_requiring_grad_raises():
    for m in (torch, lt):
        x = leaf(m)
        with pytest.raises(RuntimeError):
            x.add_(1)
        with pytest.raises(RuntimeError):
            x.mul_(2)
        with m.no_grad():
            x.add_(1)
        assert x.requires_grad


def test_in_place_on_saved_tensor_detected():
    for m in (torch, lt):
        x = leaf(m)
        y = x * 1
        z = y.sigmoid()  # saves its output
        z.mul_(2)
        with pytest.raises(RuntimeError, match="inplace|in-place"):
            z.sum().backward()
        y2 = x * 1
        w = y2 * y2  # saves its inputs
        y2.add_(1)
        with pytest.raises(RuntimeError):
            w.sum().backward()


def test_version_counter():
    for m in (torch, lt):
        x = m.ones(3)
        v0 = x._version
        x.add_(1)
        x[0] = 5
        assert x._version > v0


# --- autograd.grad / autograd.backward -----------------------------------------------------------

def test_autograd_grad_basic_and_grad_outputs():
    def run(m):
        x, w = leaf(m), leaf(m, W)
        y = (x * w).tanh()
        gx, gw = m.autograd.grad(y, (x, w), grad_outputs=m.ones(2, 3, dtype=m.float64) * 2)
        assert x.grad is None and w.grad is None  # grad() doesn't accumulate
        return gx, gw
    (a, b), (ta, tb) = both(run)
    close(a, ta)
    close(b, tb)


def test_autograd_grad_single_input_and_multiple_outputs():
    def run(m):
        x = leaf(m)
        (g,) = m.autograd.grad([(x * x).sum(), x.exp().sum()], x)
        (g2,) = m.autograd.grad([x.sin(), x.cos()], [x], [m.ones(2, 3, dtype=m.float64),
                                                          m.full((2, 3), 0.5, dtype=m.float64)])
        # None stands for ones on a scalar output
        (g3,) = m.autograd.grad([x.sin().sum(), x.cos()], [x], [None, m.ones(2, 3, dtype=m.float64)])
        return g, g2, g3
    for a, b in zip(*both(run)):
        close(a, b)


def test_autograd_grad_create_graph_and_higher_order():
    def run(m):
        x = leaf(m)
        y = (x ** 3 + x.sin() * x).sum()
        (g,) = m.autograd.grad(y, x, create_graph=True)
        assert g.requires_grad
        (gg,) = m.autograd.grad(g.sum(), x, create_graph=True)
        (ggg,) = m.autograd.grad(gg.sum(), x)
        return g, gg, ggg
    for a, b in zip(*both(run)):
        close(a, b)


def test_double_backward_through_backward_create_graph():
    def run(m):
        x = leaf(m)
        y = (x.exp() * x * x).sum()
        y.backward(create_graph=True)
        g = x.grad
        assert g.requires_grad
        x.grad = None
        (g * g).sum().backward()
        return g, x.grad
    (g, h), (tg, th) = both(run)
    close(g, tg)
    close(h, th)


def test_autograd_grad_allow_unused():
    for m in (torch, lt):
        x, z = leaf(m), leaf(m)
        y = (x * 2).sum()
        with pytest.raises(misuse(m)):
            m.autograd.grad(y, (x, z), retain_graph=True)
        gx, gz = m.autograd.grad(y, (x, z), allow_unused=True)
        assert gz is None
        assert gx.tolist() == [[2.0] * 3] * 2


def test_autograd_grad_of_input_that_does_not_require_grad_raises():
    for m in (torch, lt):
        x = leaf(m)
        c = m.ones(2, 3, dtype=m.float64)
        y = (x * c).sum()
        with pytest.raises(misuse(m)):
            m.autograd.grad(y, c)


def test_autograd_grad_retain_graph():
    for m in (torch, lt):
        x = leaf(m)
        y = (x.exp()).sum()
        m.autograd.grad(y, x, retain_graph=True)
        m.autograd.grad(y, x)
        with pytest.raises(RuntimeError):
            m.autograd.grad(y, x)


def test_autograd_backward_function():
    def run(m):
        x, w = leaf(m), leaf(m, W)
        a = (x * w).sum()
        b = x.exp()
        m.autograd.backward([a, b], [None, m.ones(2, 3, dtype=m.float64)] if m is lt else
                            [m.tensor(1., dtype=m.float64), m.ones(2, 3, dtype=m.float64)])
        m.autograd.backward((w * w).sum())
        return x.grad, w.grad
    (a, b), (ta, tb) = both(run)
    close(a, ta)
    close(b, tb)


# --- grad modes -----------------------------------------------------------------------------------

@pytest.mark.parametrize("m", LIBS)
def test_no_grad_enable_grad_context_managers(m):
    x = leaf(m)
    assert m.is_grad_enabled()
    with m.no_grad():
        assert not m.is_grad_enabled()
        y = x * 2
        assert not y.requires_grad and y.grad_fn is None
        with m.enable_grad():
            assert m.is_grad_enabled()
            z = x * 2
            assert z.requires_grad
        assert not m.is_grad_enabled()
    assert m.is_grad_enabled()
    # restored after an exception
    with pytest.raises(ZeroDivisionError):
        with m.no_grad():
            1 / 0
    assert m.is_grad_enabled()


@pytest.mark.parametrize("m", LIBS)
def test_grad_mode_decorators(m):
    x = leaf(m)

    @m.no_grad()
    def f(a):
        return a * 2, m.is_grad_enabled()

    @m.enable_grad()
    def g(a):
        return a * 2, m.is_grad_enabled()

    y, enabled = f(x)
    assert not y.requires_grad and not enabled
    assert m.is_grad_enabled()
    with m.no_grad():
        z, enabled = g(x)
        assert z.requires_grad and enabled
        assert not m.is_grad_enabled()
    assert f.__name__ == "f"

    try:
        @m.set_grad_enabled(False)
        def h(a):
            return a * 2
        if m is lt:
            # as in torch 2 (torch 1.13 switches grad off at decoration time)
            assert m.is_grad_enabled()  # the decorator form changes nothing until called
        m.set_grad_enabled(True)
        assert not h(x).requires_grad
        assert m.is_grad_enabled()
    finally:
        m.set_grad_enabled(True)


@pytest.mark.parametrize("m", LIBS)
def test_set_grad_enabled_function_call_and_context(m):
    x = leaf(m)
    try:
        m.set_grad_enabled(False)
        assert not m.is_grad_enabled()
        assert not (x * 2).requires_grad
        m.set_grad_enabled(True)
        assert m.is_grad_enabled()
        with m.set_grad_enabled(False):
            assert not m.is_grad_enabled()
            with m.set_grad_enabled(True):
                assert (x * 2).requires_grad
            assert not m.is_grad_enabled()
        assert m.is_grad_enabled()
        with m.no_grad():
            with m.set_grad_enabled(True):
                assert m.is_grad_enabled()
            assert not m.is_grad_enabled()
    finally:
        m.set_grad_enabled(True)


@pytest.mark.parametrize("m", LIBS)
def test_grad_mode_decorated_generators(m):
    @m.no_grad()
    def gen(n):
        for i in range(n):
            yield i, m.is_grad_enabled()

    states = []
    for i, enabled in gen(3):
        states.append(enabled)
        assert m.is_grad_enabled()  # the caller's mode between items
    assert states == [False, False, False]

    @m.no_grad()
    def gen_return():
        yield 1
        return "done"

    it = gen_return()
    assert next(it) == 1
    with pytest.raises(StopIteration) as e:
        next(it)
    assert e.value.value == "done"

    @m.no_grad()
    def echo():
        received = yield "first"
        yield (received, m.is_grad_enabled())

    it = echo()
    assert next(it) == "first"
    assert it.send("sent") == ("sent", False)


@pytest.mark.parametrize("m", LIBS)
def test_inference_mode(m):
    x = leaf(m)
    assert not m.is_inference_mode_enabled()
    with m.inference_mode():
        assert m.is_inference_mode_enabled()
        assert not m.is_grad_enabled()
        y = x * 2
        assert not y.requires_grad
        with m.enable_grad():
            assert not (x * 2).requires_grad or m is torch  # torch: grad mode on, but inference tensors
    assert not m.is_inference_mode_enabled()
    assert m.is_grad_enabled()
    with m.inference_mode(False):
        assert not m.is_inference_mode_enabled()
        assert (x * 2).requires_grad

    @m.inference_mode()
    def f(a):
        return a * 2, m.is_inference_mode_enabled()

    r, mode = f(x)
    assert mode and not r.requires_grad

    if m is lt:  # torch 2 takes @inference_mode without parentheses too; torch 1.13 doesn't
        @m.inference_mode
        def g(a):
            return a * 2, m.is_inference_mode_enabled()

        r, mode = g(x)
        assert mode and not r.requires_grad
    assert not m.is_inference_mode_enabled()


@pytest.mark.parametrize("m", LIBS)
def test_grad_mode_is_thread_local(m):
    results = {}
    barrier = threading.Barrier(2)

    def worker():
        barrier.wait()
        results["worker_enabled"] = m.is_grad_enabled()
        x = leaf(m)
        results["worker_requires_grad"] = (x * 2).requires_grad
        with m.no_grad():
            barrier.wait()  # main thread checks its own mode while we hold no_grad
            barrier.wait()

    t = threading.Thread(target=worker)
    with m.no_grad():
        t.start()
        barrier.wait()
        barrier.wait()
        results["main_enabled_while_worker_no_grad"] = m.is_grad_enabled()
    with m.no_grad():
        pass
    assert m.is_grad_enabled()
    barrier.wait()
    t.join()
    assert results == {"worker_enabled": True, "worker_requires_grad": True,
                       "main_enabled_while_worker_no_grad": False}


# --- autograd.Function -----------------------------------------------------------------------------

def make_functions(m):
    F = m.autograd.Function

    class Cube(F):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x ** 2  # differentiable ops: double backward works

    class ScaleShift(F):
        @staticmethod
        def forward(ctx, x, scale, shift, flag=False):
            ctx.scale = scale  # non-tensor argument kept as an attribute on ctx
            ctx.flag = flag
            ctx.needs = ctx.needs_input_grad
            ctx.save_for_backward(shift)
            return x * scale + shift

        @staticmethod
        def backward(ctx, g):
            (shift,) = ctx.saved_tensors
            gx = g * ctx.scale if ctx.needs_input_grad[0] else None
            gs = g.sum(0) if ctx.needs_input_grad[2] else None
            return gx, None, gs, None

    class SortLike(F):  # two outputs, one non-differentiable
        @staticmethod
        def forward(ctx, x):
            idx = (x > 0).to(m.int64)
            y = x * 2
            ctx.mark_non_differentiable(idx)
            return y, idx

        @staticmethod
        def backward(ctx, gy, gidx):
            return gy * 2

    class TwoOut(F):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b, a + b

        @staticmethod
        def backward(ctx, g1, g2):
            a, b = ctx.saved_tensors
            return g1 * b + g2, g1 * a + g2

    class WrongBackward(F):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * x  # should be 2 * g * x

    return Cube, ScaleShift, SortLike, TwoOut, WrongBackward


def test_function_save_for_backward_and_double_backward():
    def run(m):
        Cube = make_functions(m)[0]
        x = leaf(m)
        y = Cube.apply(x)
        assert y.grad_fn is not None
        (g,) = m.autograd.grad(y.sum(), x, create_graph=True)
        (gg,) = m.autograd.grad(g.sum(), x)
        return y, g, gg
    for a, b in zip(*both(run)):
        close(a, b)


def test_function_ctx_attributes_non_tensor_args_and_needs_input_grad():
    def run(m):
        ScaleShift = make_functions(m)[1]
        x = leaf(m)
        shift = leaf(m, [1.0, 2.0, 3.0])
        y = ScaleShift.apply(x, 2.5, shift, True)
        (y * y).sum().backward()
        needs = y.grad_fn is not None
        x2 = m.tensor(X, dtype=m.float64)  # doesn't require grad
        y2 = ScaleShift.apply(x2, 2.0, shift, False)
        y2.sum().backward()
        return x.grad, shift.grad, needs
    (a, b, n), (ta, tb, tn) = both(run)
    close(a, ta)
    close(b, tb)
    assert n and tn


def _needs_input_grad(m, grad_mode):
    seen = {}

    class Probe(m.autograd.Function):
        @staticmethod
        def forward(ctx, a, k, b):
            seen["needs"] = tuple(ctx.needs_input_grad)
            return a * k + b

        @staticmethod
        def backward(ctx, g):
            return g, None, g

    with m.set_grad_enabled(grad_mode):
        Probe.apply(leaf(m), 3, m.ones(2, 3, dtype=m.float64))
        first = seen["needs"]
        Probe.apply(leaf(m), 3, leaf(m))
    return first, seen["needs"]


def test_function_needs_input_grad_values():
    assert _needs_input_grad(lt, True) == _needs_input_grad(torch, True) == ((True, False, False),
                                                                           (True, False, True))


def test_function_needs_input_grad_under_no_grad():
    assert _needs_input_grad(lt, False) == _needs_input_grad(torch, False)


def test_function_backward_may_return_extra_trailing_nones():
    """torch drops extra gradients that are None (forward's optional arguments left out)."""
    def run(m):
        class Opt(m.autograd.Function):
            @staticmethod
            def forward(ctx, x, scale=2.0):
                return x * scale

            @staticmethod
            def backward(ctx, g):
                return g * 2.0, None

        x = leaf(m)
        Opt.apply(x, 2.0).sum().backward()
        return x.grad
    close(*both(run))


def test_function_backward_extra_nones_for_defaulted_arguments():
    def run(m):
        class Opt(m.autograd.Function):
            @staticmethod
            def forward(ctx, x, scale=2.0):
                return x * scale

            @staticmethod
            def backward(ctx, g):
                return g * 2.0, None

        x = leaf(m)
        Opt.apply(x).sum().backward()
        return x.grad
    close(*both(run))


def test_function_mark_non_differentiable_and_multiple_outputs():
    def run(m):
        _, _, SortLike, TwoOut, _ = make_functions(m)
        x = leaf(m)
        y, idx = SortLike.apply(x)
        assert not idx.requires_grad
        assert y.requires_grad
        (y.sum() * 3).backward()
        a, b = leaf(m), leaf(m, W)
        p, s = TwoOut.apply(a, b)
        (p * s).sum().backward()
        return x.grad, idx, a.grad, b.grad
    for u, v in zip(*both(run)):
        close(u, v)


def test_function_outputs_only_one_used():
    def run(m):
        TwoOut = make_functions(m)[3]
        a, b = leaf(m), leaf(m, W)
        p, _ = TwoOut.apply(a, b)
        p.sum().backward()  # the second output's gradient is None / zeros
        return a.grad, b.grad
    (a, b), (ta, tb) = both(run)
    close(a, ta)
    close(b, tb)


def test_function_backward_wrong_number_of_grads_raises():
    for m in (torch, lt):
        class Bad(m.autograd.Function):
            @staticmethod
            def forward(ctx, a, b):
                return a * b

            @staticmethod
            def backward(ctx, g):
                return g  # two inputs: needs two gradients

        y = Bad.apply(leaf(m), leaf(m))
        with pytest.raises(RuntimeError, match="(?i)incorrect number of gradients"):
            y.sum().backward()


def test_function_grad_fn_name_and_saved_tensors_in_place_check():
    for m in (torch, lt):
        Cube = make_functions(m)[0]
        x = leaf(m)
        y = Cube.apply(x)
        assert "Cube" in y.grad_fn.name()
        x2 = leaf(m) * 1
        y2 = Cube.apply(x2)
        x2.mul_(2)
        with pytest.raises(RuntimeError):
            y2.sum().backward()


def test_function_exception_in_backward_propagates():
    for m in (torch, lt):
        class Boom(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 1

            @staticmethod
            def backward(ctx, g):
                raise ValueError("boom")

        with pytest.raises(ValueError, match="boom"):
            Boom.apply(leaf(m)).sum().backward()


# --- gradcheck -------------------------------------------------------------------------------------

@pytest.mark.parametrize("m", LIBS)
def test_gradcheck_and_gradgradcheck_pass(m):
    Cube = make_functions(m)[0]
    x = leaf(m)
    w = leaf(m, W)
    assert m.autograd.gradcheck(lambda a, b: (a * b).sin() + a.exp() * b, (x, w))
    assert m.autograd.gradgradcheck(lambda a, b: (a * b).sin() + a.exp() * b, (x, w))
    assert m.autograd.gradcheck(Cube.apply, (x,))
    assert m.autograd.gradgradcheck(Cube.apply, (x,))
    assert m.autograd.gradcheck(lambda a: (a.tanh(), a * 2), (x,))  # several outputs
    assert m.autograd.gradcheck(lambda a, k: a * k, (x, 3.0))  # non-tensor input


@pytest.mark.parametrize("m", LIBS)
def test_gradcheck_fails_on_wrong_backward(m):
    WrongBackward = make_functions(m)[4]
    x = leaf(m)
    with pytest.raises(RuntimeError) as e:
        m.autograd.gradcheck(WrongBackward.apply, (x,))
    if m is lt:
        assert isinstance(e.value, lt.autograd.GradcheckError)
        assert issubclass(lt.autograd.GradcheckError, RuntimeError)
    assert m.autograd.gradcheck(WrongBackward.apply, (x,), raise_exception=False) is False


@pytest.mark.parametrize("m", LIBS)
def test_gradgradcheck_fails_on_wrong_double_backward(m):
    class WrongSecond(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            # right value, wrong derivative: 3 x^2 computed as 3 * x * (detached x)
            return g * 3 * x * x.detach()

    x = leaf(m)
    assert m.autograd.gradcheck(WrongSecond.apply, (x,))
    with pytest.raises(RuntimeError):
        m.autograd.gradgradcheck(WrongSecond.apply, (x,))
    assert m.autograd.gradgradcheck(WrongSecond.apply, (x,), raise_exception=False) is False


# --- grad_fn -----------------------------------------------------------------------------------------

NAME_CASES = [
    ("add", lambda m, a, b: a + b), ("sub", lambda m, a, b: a - b), ("mul", lambda m, a, b: a * b),
    ("div", lambda m, a, b: a / b), ("neg", lambda m, a, b: -a), ("exp", lambda m, a, b: a.exp()),
    ("sum", lambda m, a, b: a.sum()), ("mean", lambda m, a, b: a.mean()), ("pow", lambda m, a, b: a ** 2),
    ("matmul", lambda m, a, b: a @ b.t()), ("sin", lambda m, a, b: a.sin()), ("tanh", lambda m, a, b: a.tanh()),
    ("relu", lambda m, a, b: a.relu()), ("sigmoid", lambda m, a, b: a.sigmoid()), ("t", lambda m, a, b: a.t()),
    ("view", lambda m, a, b: a.view(3, 2)), ("reshape", lambda m, a, b: a.reshape(6)),
    ("index", lambda m, a, b: a[[0, 1]]), ("select", lambda m, a, b: a[0]),
    ("slice", lambda m, a, b: a[:, 1:]), ("unsqueeze", lambda m, a, b: a.unsqueeze(0)),
    ("expand", lambda m, a, b: a[0].expand(4, 3)), ("sqrt", lambda m, a, b: a.abs().sqrt()),
    ("log", lambda m, a, b: a.abs().log()), ("clone", lambda m, a, b: a.clone()),
    ("where", lambda m, a, b: m.where(a > 0, a, b)), ("max", lambda m, a, b: a.max()),
    ("maximum", lambda m, a, b: m.maximum(a, b)), ("abs", lambda m, a, b: a.abs()),
    ("to", lambda m, a, b: a.float()), ("permute", lambda m, a, b: a.permute(1, 0)),
    ("transpose", lambda m, a, b: a.transpose(0, 1)), ("squeeze", lambda m, a, b: a[None].squeeze(0)),
    ("rsub", lambda m, a, b: 1 - a), ("clamp", lambda m, a, b: a.clamp(-1, 1)),
    # PyTorch numbers a function's overloads: the node says which one ran
    ("rsub(tensor)", lambda m, a, b: m.rsub(a, b)), ("rdiv", lambda m, a, b: 2 / a),
    ("pow(tensor)", lambda m, a, b: a.abs() ** b), ("rpow", lambda m, a, b: 2 ** a),
    ("remainder(tensor)", lambda m, a, b: a % b), ("remainder(number)", lambda m, a, b: a % 2),
    ("fmod(tensor)", lambda m, a, b: m.fmod(a, b)), ("fmod(number)", lambda m, a, b: m.fmod(a, 2)),
    ("lerp(number)", lambda m, a, b: m.lerp(a, b, 0.3)), ("lerp(tensor)", lambda m, a, b: m.lerp(a, b, b)),
    ("clamp(min=)", lambda m, a, b: a.clamp(min=-1)), ("clamp_min", lambda m, a, b: m.clamp_min(a, -1)),
    ("clamp_max", lambda m, a, b: a.clamp_max(1)), ("min", lambda m, a, b: a.min()),
    ("max(dim)", lambda m, a, b: a.max(0)[0]), ("amax", lambda m, a, b: a.amax(0)),
    ("sum(dim)", lambda m, a, b: a.sum(0)), ("mean(dim)", lambda m, a, b: a.mean(1)),
    ("prod", lambda m, a, b: a.prod()), ("prod(dim)", lambda m, a, b: a.prod(0)),
    ("var", lambda m, a, b: a.var()), ("std(dim)", lambda m, a, b: a.std(1)),
    ("log1p", lambda m, a, b: a.abs().log1p()), ("expm1", lambda m, a, b: a.expm1()),
    ("log10", lambda m, a, b: a.abs().log10()), ("atan2", lambda m, a, b: m.atan2(a, b)),
    ("mT", lambda m, a, b: a.mT), ("T", lambda m, a, b: a.T), ("flatten", lambda m, a, b: a.flatten()),
    ("reshape(copy)", lambda m, a, b: a.t().reshape(6)), ("squeeze()", lambda m, a, b: a[None].squeeze()),
    ("narrow", lambda m, a, b: a.narrow(1, 0, 2)), ("diagonal", lambda m, a, b: a.diagonal()),
    ("to(dtype)", lambda m, a, b: a.to(m.float32)), ("type_as", lambda m, a, b: a.type_as(m.ones(1))),
    ("contiguous", lambda m, a, b: a.t().contiguous()), ("mm", lambda m, a, b: a.mm(b.t())),
    ("matmul(batched)", lambda m, a, b: a[None] @ b.t()[None]), ("matmul(3d, 2d)", lambda m, a, b: a[None] @ b.t()),
    ("square", lambda m, a, b: a.square()), ("mask", lambda m, a, b: a[a > 0]),
    ("flip", lambda m, a, b: a.flip(0)), ("unfold", lambda m, a, b: a.unfold(1, 2, 1)),
    ("as_strided", lambda m, a, b: a.as_strided((2,), (1,))), ("nan_to_num", lambda m, a, b: a.nan_to_num()),
    ("fill_", lambda m, a, b: a.clone().fill_(2)), ("zero_", lambda m, a, b: a.clone().zero_()),
    ("add_", lambda m, a, b: a.clone().add_(b)), ("clamp_", lambda m, a, b: a.clone().clamp_(0, 1)),
    ("setitem", lambda m, a, b: _set(a.clone(), 0, 1.0)),
]


def _set(t, i, v):
    t[i] = v
    return t


@pytest.mark.parametrize("name,fn", [pytest.param(*c, id=c[0]) for c in NAME_CASES])
def test_grad_fn_names_match_torch(name, fn):
    a, b = leaf(lt), leaf(lt, W)
    ta, tb = leaf(torch), leaf(torch, W)
    expected = type(fn(torch, ta, tb).grad_fn).__name__
    got = fn(lt, a, b).grad_fn.name()
    assert got == expected


def test_grad_fn_next_functions_match_torch():
    def structure(fn, depth=3):
        if fn is None:
            return None
        name = fn.name() if hasattr(fn, "name") and not isinstance(fn, type) else type(fn).__name__
        if depth == 0:
            return name
        return (name, tuple((structure(f, depth - 1), i) for f, i in fn.next_functions))

    def build(m):
        x, w = leaf(m), leaf(m, W)
        c = m.ones(2, 3, dtype=m.float64)
        return ((x * w + c).exp().sum()).grad_fn

    def names(fn, depth=4):
        if fn is None:
            return None
        n = type(fn).__name__ if not isinstance(fn, lt.Node) else fn.name()
        if depth == 0:
            return n
        return (n, tuple((names(f, depth - 1), i) for f, i in fn.next_functions))

    assert names(build(lt)) == names(build(torch))


def test_grad_fn_accumulate_grad_variable_and_repr():
    x = leaf(lt)
    y = x * 2
    (acc, nr), = [e for e in y.grad_fn.next_functions if e[0] is not None]
    assert acc.name() == "AccumulateGrad"
    assert nr == 0
    assert repr(y.grad_fn).startswith("<MulBackward0 object at 0x")
    tx = leaf(torch)
    assert repr((tx * 2).grad_fn).startswith("<MulBackward0 object at 0x")


def test_grad_fn_of_in_place_and_copy_slices():
    def names(m):
        x = leaf(m)
        y = x * 1
        y.add_(1)
        n1 = type(y.grad_fn).__name__ if m is torch else y.grad_fn.name()
        y[0] = 3.0
        n2 = type(y.grad_fn).__name__ if m is torch else y.grad_fn.name()
        return n1, n2
    assert names(lt) == names(torch)


MISUSE_CASES = [
    ("backward of a tensor without grad", lambda m: m.ones(2).sum().backward()),
    ("implicit grad of a non-scalar", lambda m: (leaf(m) * 2).backward()),
    ("retain_grad without grad", lambda m: m.ones(2).retain_grad()),
    ("requires_grad_(False) on a non-leaf", lambda m: (leaf(m) * 2).requires_grad_(False)),
    ("grad of an unused input", lambda m: m.autograd.grad((leaf(m) * 2).sum(), leaf(m))),
    ("grad w.r.t. a tensor without grad", lambda m: m.autograd.grad((leaf(m) * 2).sum(), m.ones(2))),
    ("grad of an output without grad", lambda m: m.autograd.grad(m.ones(2).sum(), leaf(m))),
    ("autograd.backward of a tensor without grad", lambda m: m.autograd.backward(m.ones(1))),
    ("detach_ of a view", lambda m: (leaf(m) * 2)[:1].detach_()),
]


@pytest.mark.parametrize("name,fn", MISUSE_CASES, ids=[c[0] for c in MISUSE_CASES])
def test_autograd_misuse_raises_runtime_error(name, fn):
    with pytest.raises(RuntimeError):
        fn(torch)
    try:
        fn(lt)
    except Exception as e:  # noqa: BLE001
        assert type(e) is RuntimeError or isinstance(e, RuntimeError), f"{name}: {type(e).__name__}: {e}"
    else:
        pytest.fail(f"{name}: no exception")


def test_no_grad_results_are_leaves_without_grad_fn():
    for m in (torch, lt):
        x = leaf(m)
        with m.no_grad():
            y = (x * 2).exp()
        assert y.is_leaf and y.grad_fn is None and not y.requires_grad


def test_split_is_one_node_and_writes_through_its_views_reach_the_base():
    # split and chunk record one node whose derivative joins the parts' gradients (one
    # cat, not a zero-filled copy of the input per part).
    x = lt.randn(6, 3, dtype=lt.float64, requires_grad=True)
    parts = (x * 1).split([1, 2, 3])
    nodes = [p.grad_fn for p in parts]                    # kept alive: one wrapper per node
    assert all(n is nodes[0] for n in nodes) and nodes[0].name() == "SplitWithSizesBackward0"
    (parts[0].sum() + (parts[2] ** 2).sum()).backward()   # the middle part gets no gradient
    expected = lt.cat([lt.ones(1, 3, dtype=lt.float64), lt.zeros(2, 3, dtype=lt.float64), 2 * x[3:].detach()])
    assert np.allclose(x.grad.numpy(), expected.numpy())
    # An in-place write through one part is seen by the base's later uses.
    x.grad = None
    y = x * 1
    a, b = y.chunk(2)
    a.mul_(3)
    w = lt.arange(18, dtype=lt.float64).view(6, 3)
    (y * w).sum().backward()
    assert np.allclose(x.grad.numpy(), (w * lt.tensor([3.0, 3, 3, 1, 1, 1], dtype=lt.float64).view(6, 1)).numpy())
    assert lt.autograd.gradcheck(lambda t: [p * p for p in t.split(2, dim=1)][1], (x.detach().requires_grad_(),))
    assert lt.autograd.gradgradcheck(lambda t: (t.split(4)[0] ** 3).sum(), (x.detach().requires_grad_(),))


def test_unbind_slices_share_one_split_node():
    x = lt.randn(4, 3, dtype=lt.float64, requires_grad=True)
    rows = (x * 1).unbind(0)
    nodes = [r.grad_fn.next_functions[0][0] for r in rows]  # each squeeze leads to the one node
    assert all(n is nodes[0] for n in nodes) and nodes[0].name() == "UnbindBackward0"
    (rows[0] * 2 + rows[3] ** 2).sum().backward()
    expected = np.zeros((4, 3))
    expected[0], expected[3] = 2, 2 * x.detach().numpy()[3]
    assert np.allclose(x.grad.numpy(), expected)
    assert lt.autograd.gradgradcheck(lambda t: (t.unbind(1)[2] ** 3).sum(), (x.detach().requires_grad_(),))
