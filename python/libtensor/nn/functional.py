"""The operators PyTorch keeps under ``torch.nn.functional``, with its names and
arguments. Each is a C++ operator of libtensor._C (checks, derivative and kernels live
there)."""
from typing import Optional

from .. import _C
from .._C import Tensor

__all__ = ["linear", "relu"]


def linear(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor:
    """``input @ weight.T + bias``: input (..., in_features), weight (out_features,
    in_features), bias (out_features)."""
    return _C._linear(input, weight, bias)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(input, 0), elementwise; with inplace, written into input."""
    return input.relu_() if inplace else input.relu()
