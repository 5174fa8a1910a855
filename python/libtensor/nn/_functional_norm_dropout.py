"""Normalisations and dropouts of ``torch.nn.functional`` that libtensor composes in Python from its core
operators (batch_norm, avg_pool2d, bernoulli_); re-exported by ``libtensor.nn.functional``."""
import math
import warnings
from typing import Optional

from .._C import Tensor
from .._grad_mode import no_grad
from . import functional as F

__all__ = ["instance_norm", "local_response_norm", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
           "feature_alpha_dropout"]


def instance_norm(input: Tensor, running_mean: Optional[Tensor] = None, running_var: Optional[Tensor] = None,
                  weight: Optional[Tensor] = None, bias: Optional[Tensor] = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalizes each channel of each sample of (N, C, ...) over its spatial dims; with use_input_stats the
    running statistics (C,) take the batch average of the per-sample ones."""
    if input.dim() < 2:
        raise ValueError(f"[instance_norm] expected an input (N, C, ...), got shape {tuple(input.shape)}")
    if use_input_stats and math.prod(input.shape[2:]) == 1:
        raise ValueError(f"[instance_norm] expected more than 1 spatial element when training, got input of "
                         f"shape {tuple(input.shape)}")
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("[instance_norm] expected running_mean and running_var to be defined when "
                           "use_input_stats is false")
    n, c = input.shape[0], input.shape[1]
    # PyTorch's method: batch_norm of (1, N C, ...), each (sample, channel) pair a channel of its own.
    mean = None if running_mean is None else running_mean.repeat(n)
    var = None if running_var is None else running_var.repeat(n)
    out = F.batch_norm(input.reshape((1, n * c) + tuple(input.shape[2:])), mean, var,
                       None if weight is None else weight.repeat(n), None if bias is None else bias.repeat(n),
                       use_input_stats, momentum, eps)
    with no_grad():
        if running_mean is not None:
            running_mean.copy_(mean.reshape(n, c).mean(0))
        if running_var is not None:
            running_var.copy_(var.reshape(n, c).mean(0))
    return out.reshape(tuple(input.shape))


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> Tensor:
    """x / (k + alpha * mean of x^2 over the size neighbouring channels)^beta, for (N, C, ...)."""
    if input.dim() < 3:
        raise ValueError(f"[local_response_norm] expected 3-D or higher dimensionality input, got shape "
                         f"{tuple(input.shape)}")
    if input.numel() == 0:
        return input
    n, c = input.shape[0], input.shape[1]
    # The channels as the height of a one-channel image: a (size, 1) average pool with zero padding of the
    # channel dim (PyTorch pools 3-D for 4-D and wider inputs; flattening the spatial dims is the same).
    squares = (input * input).reshape(n, 1, c, -1)
    squares = F.pad(squares, (0, 0, size // 2, (size - 1) // 2))
    div = F.avg_pool2d(squares, (size, 1), stride=1).reshape(tuple(input.shape))
    return input / (div * alpha + k) ** beta


_SELU_ALPHA = 1.7580993408473766  # -SELU's scale * alpha: alpha_dropout's value of a dropped unit, negated


def _check_p(name: str, p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"[{name}] dropout probability has to be between 0 and 1, but got {p}")


def _dropout(input: Tensor, p: float, training: bool, inplace: bool, feature: bool, alpha: bool,
             name: str) -> Tensor:
    # PyTorch's _dropout_impl: a mask per element, or per (sample, channel) with feature; alpha keeps mean and
    # variance of SELU activations by moving dropped units to -alpha and rescaling.
    if p == 0 or not training or input.numel() == 0:
        return input
    if feature and input.dim() < 2:
        raise RuntimeError(f"[{name}] feature dropout requires at least 2 dimensions in the input, got shape "
                           f"{tuple(input.shape)}")
    if p == 1:
        return F._maybe_inplace(input, lambda x: x * 0.0, inplace)
    shape = tuple(input.shape[:2]) + (1,) * (input.dim() - 2) if feature else tuple(input.shape)
    noise = input.new_empty(shape).bernoulli_(1 - p)
    if alpha:
        a = 1.0 / math.sqrt((_SELU_ALPHA * _SELU_ALPHA * p + 1) * (1 - p))
        b = (noise - 1) * (_SELU_ALPHA * a) + _SELU_ALPHA * a * p
        return F._maybe_inplace(input, lambda x: x * (noise * a) + b, inplace)
    return F._maybe_inplace(input, lambda x: x * (noise / (1 - p)), inplace)


def _channel_dropout(input: Tensor, p: float, training: bool, inplace: bool, batched_dim: int, name: str) -> Tensor:
    if input.dim() == batched_dim or p == 0 or not training:
        return _dropout(input, p, training, inplace, True, False, name)

    def batch_of_one(x):  # the input has no batch dim
        return _dropout(x.unsqueeze(0), p, training, False, True, False, name).squeeze(0)
    return F._maybe_inplace(input, batch_of_one, inplace)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zeroes whole channels of (N, C, L) (or (C, L)) with probability p, scaling the rest by 1 / (1 - p)."""
    _check_p("dropout1d", p)
    if input.dim() not in (2, 3):
        raise RuntimeError(f"[dropout1d] expected a 2-D or 3-D input, but got shape {tuple(input.shape)}")
    return _channel_dropout(input, p, training, inplace, 3, "dropout1d")


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zeroes whole channels (dim 1) with probability p, scaling the rest by 1 / (1 - p); a 3-D input is taken
    as (N, C, L), as PyTorch 1.13 does."""
    _check_p("dropout2d", p)
    if input.dim() not in (3, 4):
        warnings.warn(f"dropout2d: received a {input.dim()}-D input, which is deprecated; dropout2d exists for "
                      "channel-wise dropout of 3-D or 4-D inputs")
    return _dropout(input, p, training, inplace, True, False, "dropout2d")


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zeroes whole channels of (N, C, D, H, W) (or (C, D, H, W)) with probability p, scaling the rest by
    1 / (1 - p)."""
    _check_p("dropout3d", p)
    if input.dim() not in (4, 5):
        warnings.warn(f"dropout3d: received a {input.dim()}-D input, which is deprecated; dropout3d exists for "
                      "channel-wise dropout of 4-D or 5-D inputs")
    return _channel_dropout(input, p, training, inplace, 5, "dropout3d")


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Dropout for SELU networks: dropped units take SELU's negative saturation value and the result is
    rescaled to keep zero mean and unit variance."""
    _check_p("alpha_dropout", p)
    return _dropout(input, p, training, inplace, False, True, "alpha_dropout")


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """alpha_dropout of whole channels (dim 1)."""
    _check_p("feature_alpha_dropout", p)
    return _dropout(input, p, training, inplace, True, True, "feature_alpha_dropout")
