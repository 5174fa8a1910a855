"""Activations of ``torch.nn.functional`` that libtensor composes in Python from its core operators (so they
run on every device and autograd differentiates them); re-exported by ``libtensor.nn.functional``."""
from typing import Optional

from .. import _C
from .._C import Tensor
from .._C import dtype as _dtype
from . import functional as F

__all__ = ["glu", "hardsigmoid", "softsign", "softmin", "softshrink", "hardshrink", "tanhshrink", "threshold",
           "threshold_", "celu", "celu_", "prelu", "relu_", "elu_", "leaky_relu_", "hardtanh_", "selu_"]


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """a * sigmoid(b), where a and b are the two halves of input along dim."""
    if input.dim() == 0:
        raise RuntimeError("[glu] does not support scalars because halving size must be even")
    if not -input.dim() <= dim < input.dim():
        raise IndexError(f"[glu] dimension out of range: dim {dim} for input of shape {tuple(input.shape)}")
    size = input.shape[dim]
    if size % 2:
        raise RuntimeError(f"[glu] halving dimension must be even, but dimension {dim % input.dim()} is size "
                           f"{size} (input shape {tuple(input.shape)})")
    a, b = input.chunk(2, dim)
    return a * b.sigmoid()


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6."""
    # hardtanh passes no gradient at its bounds, as PyTorch's hardsigmoid passes none at -3 and 3.
    return F._maybe_inplace(input, lambda x: _C._hardtanh(x + 3, 0.0, 6.0) / 6, inplace)


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|)."""
    return input / (input.abs() + 1)


def softmin(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3, dtype: Optional[_dtype] = None) -> Tensor:
    """softmax(-input) along dim."""
    return F.softmax(-input, dim, _stacklevel, dtype)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - lambd above lambd, x + lambd below -lambd, 0 in between."""
    if lambd < 0:
        raise RuntimeError(f"[softshrink] lambda must be greater or equal to 0, but found to be {lambd}")
    # x - clamp(x) is exactly x -/+ lambd outside the band and 0 inside, with the gradient of each piece; NaN
    # stays NaN (PyTorch 1.13 gives 0 there, later versions NaN).
    return input - input.clamp(-lambd, lambd)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0."""
    # Written as PyTorch's test, so that NaN passes through.
    return _C.where(input.abs() <= lambd, 0.0, input)


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x)."""
    return input - input.tanh()


def _threshold(input: Tensor, limit: float, value: float, inplace: bool) -> Tensor:
    # Written as PyTorch's test, so that NaN passes through.
    return F._maybe_inplace(input, lambda x: _C.where(x <= limit, value, x), inplace)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x where x > threshold, else value."""
    return _threshold(input, threshold, value, inplace)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """threshold, written into input."""
    return _threshold(input, threshold, value, True)


def _celu(x: Tensor, alpha: float) -> Tensor:
    # elu(x / alpha) is exp(x / alpha) - 1 where it is taken, and finite (x / alpha) where it is not: no NaN from
    # where's zero gradient times an overflowed derivative. (And elu, unlike expm1, is on no autocast list, as
    # PyTorch's celu kernel is on none.)
    return _C.where(x > 0, x, alpha * _C._elu(x / alpha, 1.0))


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else alpha * (exp(x / alpha) - 1)."""
    return F._maybe_inplace(input, lambda x: _celu(x, alpha), inplace)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """celu, written into input."""
    return celu(input, alpha, inplace=True)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x where x > 0, else weight * x, with one weight per channel (dim 1) or one for all."""
    if weight.dim() > 1:
        raise RuntimeError(f"[prelu] expected weight to be a scalar or 1-D tensor, but got shape "
                           f"{tuple(weight.shape)}")
    channels = input.shape[1] if input.dim() >= 2 else 1
    if weight.numel() != 1 and weight.numel() != channels:
        raise RuntimeError(f"[prelu] mismatch of parameter numbers and input channel size: weight has "
                           f"{weight.numel()} parameters, input of shape {tuple(input.shape)} has {channels} "
                           f"channels")
    if weight.numel() == 1:
        slope = weight.reshape(())
    else:  # one slope per channel, broadcast over the dims after it
        slope = weight.reshape((channels,) + (1,) * (input.dim() - 2))
    return _C.where(input > 0, input, slope * input)


def relu_(input: Tensor) -> Tensor:
    """relu, written into input."""
    return input.relu_()


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """elu, written into input."""
    return F.elu(input, alpha, inplace=True)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """leaky_relu, written into input."""
    return F.leaky_relu(input, negative_slope, inplace=True)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """hardtanh, written into input."""
    return F.hardtanh(input, min_val, max_val, inplace=True)


def selu_(input: Tensor) -> Tensor:
    """selu, written into input."""
    return F.selu(input, inplace=True)
