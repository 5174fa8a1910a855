"""SGD with momentum, dampening, Nesterov momentum and weight decay (PyTorch's update)."""
from typing import List, Optional

from .. import _C
from .._C import Tensor
from .._grad_mode import no_grad
from .optimizer import Optimizer, _fused_ready, required


class SGD(Optimizer):
    def __init__(self, params, lr=required, momentum: float = 0, dampening: float = 0, weight_decay: float = 0,
                 nesterov: bool = False, *, maximize: bool = False, foreach: Optional[bool] = None,
                 differentiable: bool = False):
        if lr is not required and lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov, maximize=maximize, foreach=foreach,
                                      differentiable=differentiable))

    @no_grad()
    def step(self, closure=None):
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            grads = [p.grad for p in params]
            momentum = group["momentum"]
            if group["foreach"] is not False and _fused_ready(params, grads):
                self._fused(group, params, grads)
            else:
                for p, g in zip(params, grads):
                    self._single(group, p, g)
        return loss

    def _fused(self, group, params: List[Tensor], grads: List[Tensor]) -> None:
        """One kernel call for parameters whose momentum buffers exist, one for those starting."""
        args = (group["lr"], group["momentum"], group["dampening"], group["weight_decay"], group["nesterov"],
                group["maximize"])
        if group["momentum"] == 0:
            _C._fused_sgd_(params, grads, [], *args, False)
            return
        old = [i for i, p in enumerate(params) if self.state[p].get("momentum_buffer") is not None]
        new = [i for i, p in enumerate(params) if self.state[p].get("momentum_buffer") is None]
        for i in new:
            self.state[params[i]]["momentum_buffer"] = _C.empty_like(params[i])
        for ids, first in ((old, False), (new, True)):
            if ids:
                _C._fused_sgd_([params[i] for i in ids], [grads[i] for i in ids],
                               [self.state[params[i]]["momentum_buffer"] for i in ids], *args, first)

    def _single(self, group, p: Tensor, g: Tensor) -> None:
        d = -g if group["maximize"] else g
        if group["weight_decay"] != 0:
            d = d.add(p, alpha=group["weight_decay"])
        momentum = group["momentum"]
        if momentum != 0:
            state = self.state[p]
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = d.clone().detach()
                state["momentum_buffer"] = buf
            else:
                buf.mul_(momentum).add_(d, alpha=1 - group["dampening"])
            d = d.add(buf, alpha=momentum) if group["nesterov"] else buf
        p.add_(d, alpha=-group["lr"])
