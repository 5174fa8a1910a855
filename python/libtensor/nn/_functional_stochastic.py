"""The randomized activations of ``torch.nn.functional`` (gumbel_softmax, rrelu), composed in Python of
libtensor's samplers and differentiable operators; re-exported by ``libtensor.nn.functional``."""
import warnings

from .. import _C
from .._C import Tensor
from . import functional as F

__all__ = ["gumbel_softmax", "rrelu", "rrelu_"]


def _check_floating(name: str, input: Tensor) -> None:
    if not input.is_floating_point():
        raise RuntimeError(f"[{name}] expected a floating-point input, got {input.dtype}")


def gumbel_softmax(logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10, dim: int = -1) -> Tensor:
    """softmax((logits + g) / tau) along dim, g standard Gumbel noise: a differentiable sample of the categorical
    distribution softmax(logits). With hard, the one-hot of its argmax in the forward pass and the soft
    sample's gradient in the backward pass (straight-through)."""
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.")
    _check_floating("gumbel_softmax", logits)
    # -log(E) with E ~ Exponential(1) is Gumbel(0, 1); the noise is a constant for autograd.
    gumbels = -_C.empty_like(logits).exponential_().log()
    y_soft = F.softmax((logits + gumbels) / tau, dim)
    if not hard:
        return y_soft
    index = y_soft.argmax(dim, keepdim=True)
    y_hard = _C.zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft


def _check_bounds(lower: float, upper: float) -> None:
    if lower > upper:
        raise RuntimeError(f"[rrelu] lower bound should be less than or equal to the upper bound, got lower={lower} "
                           f"and upper={upper}")


def _random_slopes(x: Tensor, lower: float, upper: float, generator) -> Tensor:
    # Every element draws a slope; the positive ones ignore theirs. The slopes take no gradient.
    slopes = _C.empty_like(x).uniform_(lower, upper, generator=generator)
    return _C.where(x > 0, x, x * slopes)


def _rrelu(input: Tensor, lower: float, upper: float, training: bool, inplace: bool, generator=None) -> Tensor:
    """rrelu, its random slopes drawn from generator (the default one when None)."""
    _check_bounds(lower, upper)
    _check_floating("rrelu", input)
    if not training:
        return F.leaky_relu(input, (lower + upper) / 2, inplace)
    return F._maybe_inplace(input, lambda x: _random_slopes(x, lower, upper, generator), inplace)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """x where x > 0, else a * x: a drawn uniformly from [lower, upper] for each element while training, the
    mean slope (lower + upper) / 2 otherwise."""
    return _rrelu(input, lower, upper, training, inplace)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False) -> Tensor:
    """rrelu, written into input."""
    return _rrelu(input, lower, upper, training, True)
