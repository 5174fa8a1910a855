"""Mixed precision: lt.autocast against torch.autocast("cpu", bfloat16) operator by
operator (result dtypes and values, forward and backward), the region's rules (nesting,
decorators, threads, the weight cache), and GradScaler's arithmetic."""
import pickle
import threading
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import libtensor as lt
import libtensor.nn.functional as F

RNG = np.random.default_rng(0)


def pair(*shape, positive=False):
    a = RNG.standard_normal(shape).astype(np.float32)
    if positive:
        a = np.abs(a) + 0.5
    return lt.tensor(a), torch.tensor(a)


def ints(values):
    return lt.tensor(values), torch.tensor(values)


def as_np(t):
    t = t.detach() if hasattr(t, "detach") else t
    return (t.float() if t.dtype in (lt.bfloat16, torch.bfloat16, lt.float16, torch.float16) else t).numpy()


# name -> (inputs maker, function of (module, functional module, *inputs)); the inputs are
# float32 pairs, cast to bfloat16 for the second half of each test.
OPS = {
    "conv1d": (lambda: [pair(2, 3, 8), pair(4, 3, 3)], lambda m, f, x, w: f.conv1d(x, w)),
    "conv2d": (lambda: [pair(2, 3, 6, 6), pair(4, 3, 3, 3)], lambda m, f, x, w: f.conv2d(x, w, padding=1)),
    "mm": (lambda: [pair(3, 4), pair(4, 5)], lambda m, f, a, b: m.mm(a, b)),
    "bmm": (lambda: [pair(2, 3, 4), pair(2, 4, 5)], lambda m, f, a, b: m.bmm(a, b)),
    "matmul": (lambda: [pair(2, 3, 4), pair(4, 5)], lambda m, f, a, b: m.matmul(a, b)),
    "@": (lambda: [pair(3, 4), pair(4, 5)], lambda m, f, a, b: a @ b),
    "addmm": (lambda: [pair(3, 5), pair(3, 4), pair(4, 5)], lambda m, f, c, a, b: m.addmm(c, a, b)),
    "baddbmm": (lambda: [pair(2, 3, 5), pair(2, 3, 4), pair(2, 4, 5)], lambda m, f, c, a, b: m.baddbmm(c, a, b)),
    "linear": (lambda: [pair(3, 4), pair(5, 4), pair(5)], lambda m, f, x, w, b: f.linear(x, w, b)),
    "einsum": (lambda: [pair(3, 4), pair(4, 5)], lambda m, f, a, b: m.einsum("ij,jk->ik", a, b)),
    "mv": (lambda: [pair(3, 4), pair(4)], lambda m, f, a, v: m.mv(a, v)),
    "dot": (lambda: [pair(4), pair(4)], lambda m, f, a, b: m.dot(a, b)),
    "exp": (lambda: [pair(4)], lambda m, f, x: m.exp(x)),
    "log": (lambda: [pair(4, positive=True)], lambda m, f, x: m.log(x)),
    "pow": (lambda: [pair(4)], lambda m, f, x: m.pow(x, 2)),
    "sum": (lambda: [pair(3, 4)], lambda m, f, x: m.sum(x, 1)),
    "mean": (lambda: [pair(3, 4)], lambda m, f, x: m.mean(x)),
    "prod": (lambda: [pair(4, positive=True)], lambda m, f, x: m.prod(x)),
    "cumsum": (lambda: [pair(5)], lambda m, f, x: m.cumsum(x, 0)),
    "softmax": (lambda: [pair(3, 4)], lambda m, f, x: f.softmax(x, -1)),
    "log_softmax": (lambda: [pair(3, 4)], lambda m, f, x: f.log_softmax(x, -1)),
    "logsumexp": (lambda: [pair(3, 4)], lambda m, f, x: m.logsumexp(x, -1)),
    "layer_norm": (lambda: [pair(3, 4), pair(4), pair(4)], lambda m, f, x, w, b: f.layer_norm(x, (4,), w, b)),
    "group_norm": (lambda: [pair(2, 4, 3)], lambda m, f, x: f.group_norm(x, 2)),
    "softplus": (lambda: [pair(4)], lambda m, f, x: f.softplus(x)),
    "gelu": (lambda: [pair(4)], lambda m, f, x: f.gelu(x)),
    "relu": (lambda: [pair(4)], lambda m, f, x: f.relu(x)),
    "tanh": (lambda: [pair(4)], lambda m, f, x: m.tanh(x)),
    "cosine_similarity": (lambda: [pair(3, 4), pair(3, 4)], lambda m, f, a, b: f.cosine_similarity(a, b)),
    "mse_loss": (lambda: [pair(4), pair(4)], lambda m, f, a, b: f.mse_loss(a, b)),
    "l1_loss": (lambda: [pair(4), pair(4)], lambda m, f, a, b: f.l1_loss(a, b)),
    "smooth_l1_loss": (lambda: [pair(4), pair(4)], lambda m, f, a, b: f.smooth_l1_loss(a, b)),
    "huber_loss": (lambda: [pair(4), pair(4)], lambda m, f, a, b: f.huber_loss(a, b)),
    "kl_div": (lambda: [pair(4), pair(4, positive=True)], lambda m, f, a, b: f.kl_div(a, b, reduction="sum")),
    "bce_with_logits": (lambda: [pair(4), pair(4, positive=True)],
                        lambda m, f, a, b: f.binary_cross_entropy_with_logits(a, b / 3)),
    "cat": (lambda: [pair(4), pair(3)], lambda m, f, a, b: m.cat([a, b.float()])),
    "stack": (lambda: [pair(4), pair(4)], lambda m, f, a, b: m.stack([a, b.float()])),
    "addcmul": (lambda: [pair(4), pair(4), pair(4)], lambda m, f, a, b, c: m.addcmul(a, b, c.float())),
    "atan2": (lambda: [pair(4), pair(4)], lambda m, f, a, b: m.atan2(a, b.float())),
    "max_pool2d": (lambda: [pair(1, 2, 4, 4)], lambda m, f, x: f.max_pool2d(x, 2)),
    "avg_pool2d": (lambda: [pair(1, 2, 4, 4)], lambda m, f, x: f.avg_pool2d(x, 2)),
    "embedding": (lambda: [pair(5, 3)], lambda m, f, w: f.embedding(m.tensor([0, 4, 2]), w)),
}
TARGETED = {  # operators with integer targets
    "nll_loss": (lambda: [pair(3, 4)], lambda m, f, x: f.nll_loss(f.log_softmax(x, -1), m.tensor([0, 1, 3]))),
    "cross_entropy": (lambda: [pair(3, 4)], lambda m, f, x: f.cross_entropy(x, m.tensor([0, 1, 3]))),
}
OPS.update(TARGETED)

TOL = {lt.bfloat16: 3e-2, lt.float32: 1e-5}


def run_both(name, bfloat16_inputs, requires_grad=False):
    make, fn = OPS[name]
    inputs = make()
    mine, ref = [], []
    for a, b in inputs:
        if bfloat16_inputs:
            a, b = a.bfloat16(), b.bfloat16()
        if requires_grad:
            a.requires_grad_(True)
            b.requires_grad_(True)
        mine.append(a)
        ref.append(b)
    with lt.autocast("cpu", dtype=lt.bfloat16):
        y = fn(lt, F, *mine)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        y_ref = fn(torch, TF, *ref)
    return mine, ref, y, y_ref


@pytest.mark.parametrize("bfloat16_inputs", [False, True], ids=["float32-in", "bfloat16-in"])
@pytest.mark.parametrize("name", sorted(OPS))
def test_result_dtype_and_value_match_torch(name, bfloat16_inputs):
    _, _, y, y_ref = run_both(name, bfloat16_inputs)
    assert str(y.dtype).split(".")[-1] == str(y_ref.dtype).split(".")[-1]
    tol = 3e-2 if bfloat16_inputs else TOL.get(y.dtype, 3e-2)
    # Both compute from the same rounded inputs; the roundings inside may differ by an ulp.
    np.testing.assert_allclose(as_np(y), as_np(y_ref), rtol=tol, atol=tol)


DIFFERENTIABLE = ["conv2d", "linear", "matmul", "addmm", "bmm", "softmax", "log_softmax", "layer_norm",
                  "mse_loss", "cross_entropy", "sum", "exp", "gelu", "cat"]


@pytest.mark.parametrize("name", DIFFERENTIABLE)
def test_gradients_flow_back_in_the_inputs_dtype(name):
    mine, ref, y, y_ref = run_both(name, False, requires_grad=True)
    y.float().sum().backward()
    y_ref.float().sum().backward()
    for a, b in zip(mine, ref):
        assert a.grad.dtype == lt.float32
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=5e-2, atol=5e-2)


def test_float64_stays_float64_in_products():
    a = lt.randn(3, 4, dtype=lt.float64)
    with lt.autocast("cpu"):
        assert (a @ a.t()).dtype == lt.float64


def test_integer_inputs_are_never_cast():
    x = lt.arange(6).reshape(2, 3)
    with lt.autocast("cpu"):
        assert (x @ x.t()).dtype == lt.int64
        assert lt.sum(x).dtype == lt.int64


def test_regions_nest_and_restore():
    x = lt.randn(3, 3)
    assert not lt.is_autocast_cpu_enabled()
    with lt.autocast("cpu"):
        assert lt.is_autocast_cpu_enabled()
        with lt.autocast("cpu", enabled=False):
            assert not lt.is_autocast_cpu_enabled()
            assert (x @ x).dtype == lt.float32
        assert (x @ x).dtype == lt.bfloat16
        with lt.cpu.amp.autocast(dtype=lt.float16):
            assert lt.get_autocast_cpu_dtype() == lt.float16
            assert (x @ x).dtype == lt.float16
        assert lt.get_autocast_cpu_dtype() == lt.bfloat16
    assert not lt.is_autocast_cpu_enabled()
    assert (x @ x).dtype == lt.float32


def test_a_region_is_restored_after_an_exception():
    with pytest.raises(ZeroDivisionError):
        with lt.autocast("cpu"):
            1 / 0
    assert not lt.is_autocast_cpu_enabled()


def test_decorator():
    @lt.autocast("cpu")
    def product(a, b):
        return a @ b

    x = lt.randn(2, 2)
    assert product(x, x).dtype == lt.bfloat16
    assert (x @ x).dtype == lt.float32


def test_the_state_is_per_thread():
    seen = []
    with lt.autocast("cpu"):
        t = threading.Thread(target=lambda: seen.append(lt.is_autocast_cpu_enabled()))
        t.start()
        t.join()
    assert seen == [False]


def test_backward_runs_without_autocast():
    # The gradient of exp is g * exp(x): under autocast on a GPU exp would cast, but a
    # backward pass must keep the forward's dtypes whatever region it runs in.
    w = lt.randn(4, 4, requires_grad=True)
    x = lt.randn(2, 4)
    with lt.autocast("cpu"):
        y = (x @ w).float().sum()
        y.backward()
    assert w.grad.dtype == lt.float32


def test_weight_casts_are_cached_within_a_region_and_gradients_accumulate():
    w = lt.randn(4, 4, requires_grad=True)
    x = lt.randn(2, 4)
    w_ref = torch.tensor(w.detach().numpy(), requires_grad=True)
    x_ref = torch.tensor(x.numpy())
    for cache in (True, False):
        w.grad = None
        with lt.autocast("cpu", cache_enabled=cache):
            y = (x @ w) @ w
        y.float().sum().backward()
        with torch.autocast("cpu", dtype=torch.bfloat16, cache_enabled=cache):
            y_ref = (x_ref @ w_ref) @ w_ref
        w_ref.grad = None
        y_ref.float().sum().backward()
        np.testing.assert_allclose(w.grad.numpy(), w_ref.grad.numpy(), rtol=5e-2, atol=5e-2)


def test_cuda_region_leaves_cpu_tensors_alone():
    x = lt.randn(3, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with lt.autocast("cuda", dtype=lt.bfloat16):
            assert (x @ x).dtype == lt.float32
            assert F.binary_cross_entropy(lt.rand(3), lt.rand(3)).dtype == lt.float32


@pytest.mark.skipif(lt.cuda.is_available(), reason="checks the warning given without CUDA")
def test_cuda_region_without_cuda_warns_and_disables():
    with pytest.warns(UserWarning, match="CUDA is not available"):
        region = lt.autocast("cuda")
    with region:
        assert not lt.is_autocast_enabled("cuda")


def test_bad_arguments():
    with pytest.raises(RuntimeError, match="unsupported autocast device_type 'tpu'"):
        lt.autocast("tpu")
    with pytest.raises(ValueError, match="device_type"):
        lt.autocast(0)
    with pytest.warns(UserWarning, match="not supported"):
        region = lt.autocast("cpu", dtype=lt.float64)
    with region:
        assert not lt.is_autocast_cpu_enabled()
    with pytest.raises(RuntimeError, match="float16 or bfloat16"):
        lt.set_autocast_dtype("cpu", lt.int32)


def test_mlp_training_step_matches_torch():
    torch.manual_seed(0)
    # (torch 1.13's CPU autocast cannot run a LayerNorm on a bfloat16 activation.)
    ref = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.GELU(), torch.nn.Linear(16, 16), torch.nn.Tanh(),
                              torch.nn.Linear(16, 4))
    mine = lt.nn.Sequential(lt.nn.Linear(8, 16), lt.nn.GELU(), lt.nn.Linear(16, 16), lt.nn.Tanh(), lt.nn.Linear(16, 4))
    mine.load_state_dict({k: lt.tensor(v.detach().numpy()) for k, v in ref.state_dict().items()})
    x = RNG.standard_normal((32, 8)).astype(np.float32)
    target = RNG.integers(0, 4, 32)
    opt = lt.optim.AdamW(mine.parameters(), lr=1e-2)
    opt_ref = torch.optim.AdamW(ref.parameters(), lr=1e-2)
    for _ in range(3):
        with lt.autocast("cpu"):
            loss = F.cross_entropy(mine(lt.tensor(x)), lt.tensor(target))
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss_ref = TF.cross_entropy(ref(torch.tensor(x)), torch.tensor(target))
        assert loss.dtype == lt.float32 and loss_ref.dtype == torch.float32
        np.testing.assert_allclose(loss.item(), loss_ref.item(), rtol=2e-2)
        opt.zero_grad()
        opt_ref.zero_grad()
        loss.backward()
        loss_ref.backward()
        for p, q in zip(mine.parameters(), ref.parameters()):
            assert p.grad.dtype == lt.float32
            np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=0.1, atol=2e-2)
        opt.step()
        opt_ref.step()


# --- GradScaler ---------------------------------------------------------------------------------

def scaled_model():
    model = lt.nn.Linear(3, 2)
    opt = lt.optim.SGD(model.parameters(), lr=0.1)
    return model, opt


def test_grad_scaler_scales_unscales_and_steps():
    model, opt = scaled_model()
    before = [p.detach().clone() for p in model.parameters()]
    scaler = lt.amp.GradScaler("cpu", init_scale=1024.0)
    x = lt.randn(4, 3)
    loss = model(x).sum()
    scaled = scaler.scale(loss)
    np.testing.assert_allclose(scaled.item(), loss.item() * 1024, rtol=1e-6)
    scaled.backward()
    scaler.unscale_(opt)
    # The gradients are those of the unscaled loss.
    np.testing.assert_allclose(model.weight.grad.numpy(), np.tile(x.sum(0).numpy(), (2, 1)), rtol=1e-5)
    scaler.step(opt)
    scaler.update()
    for p, b in zip(model.parameters(), before):
        np.testing.assert_allclose(p.detach().numpy(), (b - 0.1 * p.grad).numpy(), rtol=1e-6)
    assert scaler.get_scale() == 1024.0
    assert scaler._get_growth_tracker() == 1


def test_grad_scaler_skips_a_step_with_inf_and_backs_off():
    model, opt = scaled_model()
    before = [p.detach().clone() for p in model.parameters()]
    scaler = lt.amp.GradScaler("cpu", init_scale=2.0 ** 16, backoff_factor=0.25)
    loss = model(lt.randn(4, 3)).sum()
    scaler.scale(loss).backward()
    model.bias.grad[0] = float("inf")
    assert scaler.step(opt) is None
    scaler.update()
    for p, b in zip(model.parameters(), before):
        np.testing.assert_array_equal(p.detach().numpy(), b.numpy())
    assert scaler.get_scale() == 2.0 ** 14
    assert scaler._get_growth_tracker() == 0


def test_grad_scaler_nan_also_skips():
    model, opt = scaled_model()
    scaler = lt.amp.GradScaler("cpu")
    scaler.scale(model(lt.randn(2, 3)).sum()).backward()
    model.weight.grad[1, 2] = float("nan")
    scaler.step(opt)
    scaler.update()
    assert scaler.get_scale() == 2.0 ** 15


@pytest.mark.parametrize("bad", [None, "inf", "nan", "-inf"])
def test_unscale_op_checks_each_gradient_then_scales(bad):
    # GradScaler's one call per device: float32 and float64 through the kernel (a gradient
    # over several blocks), a transposed and a bfloat16 one through the composition.
    rng = np.random.default_rng(7)
    arrays = [rng.standard_normal(40000).astype(np.float32), rng.standard_normal((3, 5)),
              rng.standard_normal((4, 6)).astype(np.float32), rng.standard_normal(9).astype(np.float32)]
    grads = [lt.tensor(arrays[0]), lt.tensor(arrays[1]), lt.tensor(arrays[2]).t(),
             lt.tensor(arrays[3]).to(lt.bfloat16)]
    if bad is not None:
        grads[0][12345] = float(bad)
        arrays[0][12345] = float(bad)
    found, inv = lt.zeros(1), lt.full((1,), 0.125)
    lt._C._amp_foreach_non_finite_check_and_unscale_(grads, found, inv)
    assert found.item() == (0.0 if bad is None else 1.0)
    np.testing.assert_array_equal(grads[0].numpy(), arrays[0] * np.float32(0.125))
    np.testing.assert_array_equal(grads[1].numpy(), arrays[1] * 0.125)
    np.testing.assert_array_equal(grads[2].numpy(), arrays[2].T * np.float32(0.125))
    with pytest.raises(RuntimeError, match="found_inf and inv_scale must be one-element float32"):
        lt._C._amp_foreach_non_finite_check_and_unscale_(grads, lt.zeros(2), inv)


def test_grad_scaler_grows_after_the_interval():
    model, opt = scaled_model()
    scaler = lt.amp.GradScaler("cpu", init_scale=4.0, growth_factor=3.0, growth_interval=2)
    scales = []
    for _ in range(5):
        opt.zero_grad()
        scaler.scale(model(lt.randn(2, 3)).sum()).backward()
        scaler.step(opt)
        scaler.update()
        scales.append(scaler.get_scale())
    assert scales == [4.0, 12.0, 12.0, 36.0, 36.0]


def test_grad_scaler_update_with_a_new_scale_and_state_dict():
    model, opt = scaled_model()
    scaler = lt.amp.GradScaler("cpu", init_scale=8.0)
    scaler.scale(model(lt.randn(2, 3)).sum()).backward()
    scaler.step(opt)
    scaler.update(new_scale=100.0)
    assert scaler.get_scale() == 100.0
    state = scaler.state_dict()
    assert state == {"scale": 100.0, "growth_factor": 2.0, "backoff_factor": 0.5, "growth_interval": 2000,
                     "_growth_tracker": 0}
    other = lt.amp.GradScaler("cpu")
    other.load_state_dict(state)
    assert other.get_scale() == 100.0
    copy = pickle.loads(pickle.dumps(scaler))
    assert copy.get_scale() == 100.0


def test_grad_scaler_misuse_raises():
    model, opt = scaled_model()
    scaler = lt.amp.GradScaler("cpu")
    with pytest.raises(RuntimeError, match="did not use"):
        scaler.unscale_(opt)
    scaler.scale(model(lt.randn(2, 3)).sum()).backward()
    scaler.unscale_(opt)
    with pytest.raises(RuntimeError, match="already been called"):
        scaler.unscale_(opt)
    scaler.step(opt)
    with pytest.raises(RuntimeError, match="step\\(\\) has already been called"):
        scaler.step(opt)
    with pytest.raises(RuntimeError, match="after step"):
        scaler.unscale_(opt)
    with pytest.raises(RuntimeError, match="Closure"):
        scaler.step(opt, closure=lambda: 0)
    with pytest.raises(ValueError, match="growth factor"):
        lt.amp.GradScaler("cpu", growth_factor=0.5)


def test_grad_scaler_disabled_passes_through():
    model, opt = scaled_model()
    scaler = lt.amp.GradScaler("cpu", enabled=False)
    loss = model(lt.randn(2, 3)).sum()
    assert scaler.scale(loss) is loss
    assert scaler.get_scale() == 1.0 and scaler.state_dict() == {}
    loss.backward()
    scaler.step(opt)
    scaler.update()


@pytest.mark.skipif(lt.cuda.is_available(), reason="checks the warning given without CUDA")
def test_cuda_grad_scaler_without_cuda_warns_and_disables():
    with pytest.warns(UserWarning, match="CUDA is not available"):
        scaler = lt.cuda.amp.GradScaler()
    assert not scaler.is_enabled()
