"""Adam and AdamW (decoupled weight decay), with amsgrad and maximize (PyTorch's update)."""
from typing import List, Optional, Tuple

from .. import _C
from .._C import Tensor
from .._grad_mode import no_grad
from .optimizer import Optimizer, _fused_ready


class Adam(Optimizer):
    _decoupled = False

    def __init__(self, params, lr: float = 1e-3, betas: Tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *, foreach: Optional[bool] = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False,
                 fused: Optional[bool] = None):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        for i, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize, foreach=foreach, capturable=capturable,
                                      differentiable=differentiable, fused=fused))

    def _init_state(self, p: Tensor, amsgrad: bool) -> dict:
        state = self.state[p]
        if not state:
            state["step"] = _C.zeros(())
            state["exp_avg"] = _C.zeros_like(p)
            state["exp_avg_sq"] = _C.zeros_like(p)
            if amsgrad:
                state["max_exp_avg_sq"] = _C.zeros_like(p)
        return state

    @no_grad()
    def step(self, closure=None):
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            grads = [p.grad for p in params]
            states = [self._init_state(p, group["amsgrad"]) for p in params]
            for s in states:
                s["step"] += 1
            if group["foreach"] is not False and group["fused"] is not False and _fused_ready(params, grads):
                self._fused(group, params, grads, states)
            else:
                for p, g, s in zip(params, grads, states):
                    self._single(group, p, g, s)
        return loss

    def _fused(self, group, params: List[Tensor], grads: List[Tensor], states: List[dict]) -> None:
        """One kernel call per distinct step count (parameters that missed steps differ)."""
        beta1, beta2 = group["betas"]
        by_step: dict = {}
        for i, s in enumerate(states):
            by_step.setdefault(int(s["step"].item()), []).append(i)
        for step, ids in by_step.items():
            _C._fused_adam_([params[i] for i in ids], [grads[i] for i in ids],
                            [states[i]["exp_avg"] for i in ids], [states[i]["exp_avg_sq"] for i in ids],
                            [states[i]["max_exp_avg_sq"] for i in ids] if group["amsgrad"] else [],
                            step, group["lr"], beta1, beta2, group["eps"], group["weight_decay"], group["amsgrad"],
                            group["maximize"], self._decoupled)

    def _single(self, group, p: Tensor, g: Tensor, state: dict) -> None:
        beta1, beta2 = group["betas"]
        lr, wd, eps = group["lr"], group["weight_decay"], group["eps"]
        grad = -g if group["maximize"] else g
        if self._decoupled:
            p.mul_(1 - lr * wd)
        elif wd != 0:
            grad = grad.add(p, alpha=wd)
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        step = float(state["step"].item())
        step_size = lr / (1 - beta1 ** step)
        root = (1 - beta2 ** step) ** 0.5
        second = exp_avg_sq
        if group["amsgrad"]:
            second = _C.maximum(state["max_exp_avg_sq"], exp_avg_sq)
            state["max_exp_avg_sq"].copy_(second)
        p.addcdiv_(exp_avg, second.sqrt() / root + eps, value=-step_size)


class AdamW(Adam):
    """Adam with decoupled weight decay: the parameters shrink by lr * weight_decay before the step."""
    _decoupled = True

    def __init__(self, params, lr: float = 1e-3, betas: Tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False,
                 foreach: Optional[bool] = None, capturable: bool = False, differentiable: bool = False,
                 fused: Optional[bool] = None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused)
