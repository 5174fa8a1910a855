"""lt.optim against torch.optim (Debian's torch 1.13): identical parameters and gradients
give the same parameters after every step, for the fused C++ steps and the per-tensor
compositions alike; schedulers give PyTorch's learning-rate sequences; state_dict round
trips."""
import math
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import libtensor as lt  # noqa: E402

SHAPES = [(3, 4), (17,), (2, 3, 5), (1,)]


def _pair(dtype, seed=0):
    rng = np.random.default_rng(seed)
    values = [rng.standard_normal(s).astype(dtype) for s in SHAPES]
    return ([torch.tensor(v, requires_grad=True) for v in values],
            [lt.tensor(v, requires_grad=True) for v in values])


def _run(make_torch, make_lt, dtype, steps=12, skip=None):
    tp, lp = _pair(dtype)
    topt, lopt = make_torch(tp), make_lt(lp)
    rng = np.random.default_rng(1)
    for step in range(steps):
        for i, (a, b) in enumerate(zip(tp, lp)):
            if skip is not None and skip(step, i):  # a parameter without a gradient this step
                a.grad, b.grad = None, None
                continue
            g = rng.standard_normal(a.shape).astype(dtype)
            a.grad, b.grad = torch.tensor(g), lt.tensor(g)
        topt.step()
        lopt.step()
    tol = 1e-12 if dtype == np.float64 else 2e-5
    for a, b in zip(tp, lp):
        np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy(), rtol=tol, atol=tol)
    return topt, lopt


CONFIGS = {
    "sgd": (lambda p: torch.optim.SGD(p, lr=0.1), lambda p, **k: lt.optim.SGD(p, lr=0.1, **k)),
    "sgd-momentum-wd": (lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01),
                        lambda p, **k: lt.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01, **k)),
    "sgd-nesterov-maximize": (lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True, maximize=True),
                              lambda p, **k: lt.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True, maximize=True,
                                                          **k)),
    "adam": (lambda p: torch.optim.Adam(p, lr=0.01), lambda p, **k: lt.optim.Adam(p, lr=0.01, **k)),
    "adam-wd-amsgrad": (lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1, amsgrad=True),
                        lambda p, **k: lt.optim.Adam(p, lr=0.01, weight_decay=0.1, amsgrad=True, **k)),
    "adamw": (lambda p: torch.optim.AdamW(p, lr=0.01, betas=(0.8, 0.99)),
              lambda p, **k: lt.optim.AdamW(p, lr=0.01, betas=(0.8, 0.99), **k)),
    "adamw-amsgrad-maximize": (lambda p: torch.optim.AdamW(p, lr=0.02, amsgrad=True, maximize=True),
                               lambda p, **k: lt.optim.AdamW(p, lr=0.02, amsgrad=True, maximize=True, **k)),
    "rmsprop": (lambda p: torch.optim.RMSprop(p, lr=0.01), lambda p, **k: lt.optim.RMSprop(p, lr=0.01, **k)),
    "rmsprop-centered-momentum": (
        lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.5, centered=True, weight_decay=0.1),
        lambda p, **k: lt.optim.RMSprop(p, lr=0.01, momentum=0.5, centered=True, weight_decay=0.1, **k)),
    "adagrad": (lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1),
                lambda p, **k: lt.optim.Adagrad(p, lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, **k)),
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("foreach", [None, False])
@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_steps_match_torch(name, foreach, dtype):
    make_torch, make_lt = CONFIGS[name]
    _run(make_torch, lambda p: make_lt(p, foreach=foreach), dtype)


@pytest.mark.parametrize("name", ["sgd-momentum-wd", "adam-wd-amsgrad", "adamw"])
def test_parameters_missing_gradients(name):
    """Parameters without a gradient in some steps keep their own step counts and buffers."""
    make_torch, make_lt = CONFIGS[name]
    _run(make_torch, make_lt, np.float64, steps=10, skip=lambda step, i: (step + i) % 3 == 0)


def test_param_groups_and_state_dict_round_trip():
    tp, lp = _pair(np.float64)
    topt = torch.optim.AdamW([{"params": tp[:2]}, {"params": tp[2:], "lr": 0.1}], lr=0.01)
    lopt = lt.optim.AdamW([{"params": lp[:2]}, {"params": lp[2:], "lr": 0.1}], lr=0.01)
    for opt, params, lib in ((topt, tp, torch), (lopt, lp, lt)):
        for p in params:
            p.grad = lib.ones(*p.shape, dtype=p.dtype)
        opt.step()
    ts, ls = topt.state_dict(), lopt.state_dict()
    for tg, lg in zip(ts["param_groups"], ls["param_groups"]):  # torch's keys (1.13 has fewer flags)
        assert {k: lg[k] for k in tg} == tg
    assert sorted(ls["state"]) == sorted(ts["state"])
    for i in ts["state"]:
        for key in ("exp_avg", "exp_avg_sq"):
            np.testing.assert_allclose(ls["state"][i][key].numpy(), ts["state"][i][key].numpy(), rtol=1e-12)
    # A fresh optimizer loaded from the state continues identically.
    lp2 = [lt.tensor(p.detach().numpy(), requires_grad=True) for p in lp]
    lopt2 = lt.optim.AdamW([{"params": lp2[:2]}, {"params": lp2[2:], "lr": 0.5}], lr=0.3)
    lopt2.load_state_dict(ls)
    assert lopt2.param_groups[1]["lr"] == 0.1
    for opt, params in ((lopt, lp), (lopt2, lp2)):
        for p in params:
            p.grad = lt.full(tuple(p.shape), 0.5, dtype=p.dtype)
        opt.step()
    for a, b in zip(lp, lp2):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    with pytest.raises(ValueError):
        lt.optim.SGD([lp[0]], lr=0.1).load_state_dict(ls)


def test_zero_grad_and_errors():
    _, lp = _pair(np.float32)
    opt = lt.optim.SGD(lp, lr=0.1)
    for p in lp:
        p.grad = lt.ones(*p.shape)
    opt.zero_grad(set_to_none=False)
    assert all(float(p.grad.abs().sum()) == 0 for p in lp)
    opt.zero_grad()
    assert all(p.grad is None for p in lp)
    with pytest.raises(ValueError):
        lt.optim.SGD(lp)  # lr is required
    with pytest.raises(ValueError):
        lt.optim.Adam(lp, lr=-1)
    with pytest.raises(ValueError):
        lt.optim.SGD([], lr=0.1)
    with pytest.raises(TypeError):
        lt.optim.SGD(lp[0], lr=0.1)
    with pytest.raises(ValueError):
        lt.optim.SGD([{"params": lp}, {"params": lp[:1]}], lr=0.1)


def test_closure_returns_loss():
    p = lt.tensor([1.0, 2.0], requires_grad=True)
    opt = lt.optim.SGD([p], lr=0.5)

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss
    loss = opt.step(closure)
    assert float(loss) == 5.0
    np.testing.assert_allclose(p.detach().numpy(), [0.0, 0.0])


SCHEDULERS = {
    "StepLR": lambda m, o: m.StepLR(o, step_size=3, gamma=0.5),
    "MultiStepLR": lambda m, o: m.MultiStepLR(o, milestones=[2, 5, 5, 9], gamma=0.3),
    "ExponentialLR": lambda m, o: m.ExponentialLR(o, gamma=0.9),
    "CosineAnnealingLR": lambda m, o: m.CosineAnnealingLR(o, T_max=7, eta_min=0.001),
    "LambdaLR": lambda m, o: m.LambdaLR(o, lambda e: 1 / (1 + e)),
    "LinearLR": lambda m, o: m.LinearLR(o, start_factor=0.25, total_iters=6),
    "OneCycleLR": lambda m, o: m.OneCycleLR(o, max_lr=0.5, total_steps=31),
    "OneCycleLR-3": lambda m, o: m.OneCycleLR(o, max_lr=[0.5, 0.2], total_steps=31, three_phase=True,
                                              anneal_strategy="linear"),
}


def _optimizers(kind="sgd"):
    tp, lp = _pair(np.float32)
    if kind == "adam":
        return (torch.optim.Adam([{"params": tp[:2]}, {"params": tp[2:]}], lr=0.1),
                lt.optim.Adam([{"params": lp[:2]}, {"params": lp[2:]}], lr=0.1))
    return (torch.optim.SGD([{"params": tp[:2]}, {"params": tp[2:], "lr": 0.2}], lr=0.1, momentum=0.9),
            lt.optim.SGD([{"params": lp[:2]}, {"params": lp[2:], "lr": 0.2}], lr=0.1, momentum=0.9))


@pytest.mark.parametrize("kind", ["sgd", "adam"])
@pytest.mark.parametrize("name", sorted(SCHEDULERS))
def test_schedulers_follow_torch(name, kind):
    topt, lopt = _optimizers(kind)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ts, ls = SCHEDULERS[name](torch.optim.lr_scheduler, topt), SCHEDULERS[name](lt.optim.lr_scheduler, lopt)
        for _ in range(30):
            assert ls.get_last_lr() == pytest.approx(ts.get_last_lr(), rel=1e-12, abs=1e-15)
            for tg, lg in zip(topt.param_groups, lopt.param_groups):
                if "betas" in tg:
                    assert lg["betas"] == pytest.approx(tg["betas"], rel=1e-12)
                elif "momentum" in tg:
                    assert lg["momentum"] == pytest.approx(tg["momentum"], rel=1e-12)
            topt.step()
            lopt.step()
            ts.step()
            ls.step()


def test_sequential_and_plateau_follow_torch():
    topt, lopt = _optimizers()
    seq = {}
    for lib, opt in (("t", topt), ("l", lopt)):
        m = (torch.optim if lib == "t" else lt.optim).lr_scheduler
        seq[lib] = m.SequentialLR(opt, [m.LinearLR(opt, start_factor=0.1, total_iters=4),
                                        m.ExponentialLR(opt, gamma=0.8), m.StepLR(opt, 2)], milestones=[5, 9])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(15):
            assert seq["l"].get_last_lr() == pytest.approx(seq["t"].get_last_lr(), rel=1e-12)
            topt.step()
            lopt.step()
            seq["t"].step()
            seq["l"].step()
    topt, lopt = _optimizers()
    tp = torch.optim.lr_scheduler.ReduceLROnPlateau(topt, patience=2, cooldown=1, factor=0.5, min_lr=[0.01, 0.02])
    lp = lt.optim.lr_scheduler.ReduceLROnPlateau(lopt, patience=2, cooldown=1, factor=0.5, min_lr=[0.01, 0.02])
    metrics = [5, 4, 4, 4, 4, 3.9999, 4, 4, 4, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1]
    for v in metrics:
        tp.step(v)
        lp.step(v)
        assert [g["lr"] for g in lopt.param_groups] == pytest.approx([g["lr"] for g in topt.param_groups])


def test_scheduler_state_dict_round_trip():
    _, lopt = _optimizers()
    s = lt.optim.lr_scheduler.CosineAnnealingLR(lopt, T_max=10)
    for _ in range(4):
        lopt.step()
        s.step()
    state = s.state_dict()
    _, lopt2 = _optimizers()
    s2 = lt.optim.lr_scheduler.CosineAnnealingLR(lopt2, T_max=10)
    s2.load_state_dict(state)
    assert s2.last_epoch == 4 and s2.get_last_lr() == s.get_last_lr()
    assert math.isclose(s2._get_closed_form_lr()[0], s.get_last_lr()[0], rel_tol=1e-12)
