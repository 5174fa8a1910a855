"""Gradient clipping: by total norm and by value."""
from ... import _C
from ..._creation import tensor as _tensor
from ..._C import Tensor
from ..._grad_mode import no_grad

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def _grads(parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Scales the gradients in place so that their joint norm (of all elements together) is at most max_norm;
    returns that norm before clipping."""
    grads = _grads(parameters)
    max_norm, norm_type = float(max_norm), float(norm_type)
    if not grads:
        return _tensor(0.0)
    with no_grad():
        if norm_type == float("inf"):
            norms = [g.detach().abs().max() for g in grads]
            total = norms[0] if len(norms) == 1 else _C.stack(norms).max()
        else:
            norms = [_C.norm(g.detach(), norm_type) for g in grads]
            total = _C.norm(_C.stack(norms), norm_type)
        if error_if_nonfinite and bool(total.isnan() | total.isinf()):
            raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` is "
                               "non-finite, so it cannot be clipped. To disable this error and scale the gradients "
                               "by the non-finite norm anyway, set `error_if_nonfinite=False`")
        # Always multiplied (by at most 1) rather than branching on the norm: no sync on a device tensor.
        coef = (max_norm / (total + 1e-6)).clamp(max=1.0)
        for g in grads:
            g.mul_(coef.to(g.dtype))
    return total


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamps every gradient element to [-clip_value, clip_value] in place."""
    clip_value = float(clip_value)
    with no_grad():
        for g in _grads(parameters):
            g.clamp_(min=-clip_value, max=clip_value)
