"""The operators PyTorch keeps under ``torch.nn.functional``, with its names and
arguments. Each is a C++ operator of libtensor._C (checks, derivative and kernels live
there)."""
from typing import Optional

from .._C import dtype as _dtype

from .. import _C
from .._C import Tensor

__all__ = ["linear", "relu", "softmax", "log_softmax"]


def linear(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor:
    """``input @ weight.T + bias``: input (..., in_features), weight (out_features,
    in_features), bias (out_features)."""
    return _C._linear(input, weight, bias)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(input, 0), elementwise; with inplace, written into input."""
    return input.relu_() if inplace else input.relu()


def _softmax_dim(ndim: int) -> int:
    # PyTorch's choice when dim is not given (deprecated there too).
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3, dtype: Optional[_dtype] = None) -> Tensor:
    """exp(input) / sum(exp(input)) along dim, computed without overflow."""
    return _C.softmax(input, _softmax_dim(input.dim()) if dim is None else dim, dtype)


def log_softmax(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3,
                dtype: Optional[_dtype] = None) -> Tensor:
    """input - logsumexp(input) along dim."""
    return _C.log_softmax(input, _softmax_dim(input.dim()) if dim is None else dim, dtype)
