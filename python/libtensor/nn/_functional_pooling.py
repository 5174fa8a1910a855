"""Power-average pooling (lp_pool1d / lp_pool2d) and the ``*_with_indices`` forms of the max pools of
``torch.nn.functional``, composed in Python of the average and max pools; re-exported by
``libtensor.nn.functional``."""
from typing import Optional, Sequence, Tuple, Union

from .. import _C
from .._C import Tensor
from . import functional as F
from ._functional_spatial import _single

__all__ = ["lp_pool1d", "lp_pool2d", "max_pool1d_with_indices", "max_pool2d_with_indices",
           "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices"]

_Ints = Union[int, Sequence[int]]


def _lp(pooled_mean: Tensor, window: int, norm_type: float) -> Tensor:
    # The mean times the window size is the window's sum of x^p (for windows that ceil_mode cuts short, the
    # mean over what is left, scaled as a full window, as PyTorch does).
    sums = pooled_mean * window
    # The root has no derivative at 0; PyTorch's is 0 there, which pow would make inf or NaN.
    nonzero = sums != 0
    root = _C.where(nonzero, sums, 1.0).pow(1.0 / norm_type)
    return _C.where(nonzero, root, 0.0)


def lp_pool1d(input: Tensor, norm_type: float, kernel_size: _Ints, stride: Optional[_Ints] = None,
              ceil_mode: bool = False) -> Tensor:
    """(sum of x^p over each window)^(1 / p) along L of (N, C, L) (or (C, L)), p = norm_type; stride defaults to
    kernel_size."""
    k = _single("lp_pool1d", "kernel_size", kernel_size)
    pooled = F.avg_pool1d(input.pow(norm_type), k, stride, 0, ceil_mode)
    return _lp(pooled, k, norm_type)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size: _Ints, stride: Optional[_Ints] = None,
              ceil_mode: bool = False) -> Tensor:
    """(sum of x^p over each window)^(1 / p) over (H, W) of (N, C, H, W) (or (C, H, W)), p = norm_type; stride
    defaults to kernel_size."""
    k = F._ints(kernel_size)
    kh, kw = (k[0], k[0]) if len(k) == 1 else k
    pooled = F.avg_pool2d(input.pow(norm_type), (kh, kw), stride, 0, ceil_mode)
    return _lp(pooled, kh * kw, norm_type)


def max_pool1d_with_indices(input: Tensor, kernel_size: _Ints, stride: Optional[_Ints] = None, padding: _Ints = 0,
                            dilation: _Ints = 1, ceil_mode: bool = False,
                            return_indices: bool = False) -> Tuple[Tensor, Tensor]:
    """max_pool1d's maxima and their positions along L (always both: return_indices is ignored, as in PyTorch)."""
    return F.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)


def max_pool2d_with_indices(input: Tensor, kernel_size: _Ints, stride: Optional[_Ints] = None, padding: _Ints = 0,
                            dilation: _Ints = 1, ceil_mode: bool = False,
                            return_indices: bool = False) -> Tuple[Tensor, Tensor]:
    """max_pool2d's maxima and their flat positions h * W + w (always both: return_indices is ignored)."""
    return F.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)


def adaptive_max_pool1d_with_indices(input: Tensor, output_size,
                                     return_indices: bool = False) -> Tuple[Tensor, Tensor]:
    """adaptive_max_pool1d's maxima and their positions (always both: return_indices is ignored)."""
    return F.adaptive_max_pool1d(input, output_size, return_indices=True)


def adaptive_max_pool2d_with_indices(input: Tensor, output_size,
                                     return_indices: bool = False) -> Tuple[Tensor, Tensor]:
    """adaptive_max_pool2d's maxima and their flat positions (always both: return_indices is ignored)."""
    return F.adaptive_max_pool2d(input, output_size, return_indices=True)
