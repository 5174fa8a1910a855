"""LPPool1d and LPPool2d: power-average pooling, (sum of x^p over each window)^(1 / p)."""
from .. import functional as F
from .module import Module

__all__ = ["LPPool1d", "LPPool2d"]


class _LPPoolNd(Module):
    """Power-average pooling with p = norm_type; stride defaults to kernel_size. Subclasses name their
    functional."""
    _pool = ""

    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False):
        super().__init__()
        self.norm_type = norm_type
        self.kernel_size = kernel_size
        self.stride = stride
        self.ceil_mode = ceil_mode

    def forward(self, input):
        return getattr(F, self._pool)(input, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode)

    def extra_repr(self):
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}, "
                f"ceil_mode={self.ceil_mode}")


class LPPool1d(_LPPoolNd):
    """Power-average pooling along L of (N, C, L) (or (C, L))."""
    _pool = "lp_pool1d"


class LPPool2d(_LPPoolNd):
    """Power-average pooling over (H, W) of (N, C, H, W) (or (C, H, W))."""
    _pool = "lp_pool2d"
