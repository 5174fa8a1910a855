"""Padding layers: ConstantPad1d/2d/3d, ZeroPad2d, ReflectionPad1d/2d/3d and ReplicationPad1d/2d/3d, each a
fixed F.pad."""
from collections.abc import Iterable

from .. import functional as F
from .module import Module

__all__ = ["ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ZeroPad2d", "ReflectionPad1d", "ReflectionPad2d",
           "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d"]


def _ntuple(padding, n):
    # PyTorch's _ntuple: a sequence is kept as given, a number repeated for each side.
    return tuple(padding) if isinstance(padding, Iterable) else (padding,) * n


class _ConstantPadNd(Module):
    _sides = 0

    def __init__(self, padding, value):
        super().__init__()
        self.padding = _ntuple(padding, self._sides)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pads the last dim with value: padding (left, right) or one number for both."""

    _sides = 2


class ConstantPad2d(_ConstantPadNd):
    """Pads the last two dims with value: padding (left, right, top, bottom) or one number for all."""

    _sides = 4


class ConstantPad3d(_ConstantPadNd):
    """Pads the last three dims with value: padding (left, right, top, bottom, front, back) or one number."""

    _sides = 6


class ZeroPad2d(ConstantPad2d):
    """Pads the last two dims with zeros: padding (left, right, top, bottom) or one number for all."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class _ModePadNd(Module):
    _sides = 0
    _mode = ""

    def __init__(self, padding):
        super().__init__()
        self.padding = _ntuple(padding, self._sides)

    def forward(self, input):
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self):
        return f"{self.padding}"


class ReflectionPad1d(_ModePadNd):
    """Pads the last dim with its reflection about the edge (edge not repeated)."""

    _sides, _mode = 2, "reflect"


class ReflectionPad2d(_ModePadNd):
    """Pads the last two dims with their reflection about the edges."""

    _sides, _mode = 4, "reflect"


class ReflectionPad3d(_ModePadNd):
    """Pads the last three dims with their reflection about the edges."""

    _sides, _mode = 6, "reflect"


class ReplicationPad1d(_ModePadNd):
    """Pads the last dim by repeating its edge values."""

    _sides, _mode = 2, "replicate"


class ReplicationPad2d(_ModePadNd):
    """Pads the last two dims by repeating their edge values."""

    _sides, _mode = 4, "replicate"


class ReplicationPad3d(_ModePadNd):
    """Pads the last three dims by repeating their edge values."""

    _sides, _mode = 6, "replicate"
