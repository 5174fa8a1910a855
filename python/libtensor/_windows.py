"""Window functions for spectral analysis, as torch.hann_window and its siblings.

A symmetric window of length N samples a curve at n / (N - 1), n = 0 .. N - 1; a periodic one (the default,
what an FFT wants) is the symmetric window of length N + 1 without its last sample. The samples are computed
in float64 and rounded once to the requested dtype.
"""
import math
import numbers
from typing import Any

from . import _C
from ._C import Tensor

__all__ = ["hann_window", "hamming_window", "blackman_window", "bartlett_window"]


def _check(name: str, window_length: int, periodic: bool, dtype) -> Any:
    """The dtype the window takes, after PyTorch's checks of the arguments."""
    if isinstance(window_length, bool) or not isinstance(window_length, numbers.Integral):
        raise TypeError(f"{name}(): argument 'window_length' (position 1) must be int, "
                        f"not {type(window_length).__name__}")
    if not isinstance(periodic, bool):
        raise TypeError(f"{name}(): argument 'periodic' (position 2) must be bool, not {type(periodic).__name__}")
    dtype = _C.get_default_dtype() if dtype is None else dtype
    if not _C.empty(0, dtype=dtype).is_floating_point():  # the tensor reads Python's float as float64 too
        raise RuntimeError(f"{name} expects floating point dtypes, got: {dtype}")
    if window_length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got window_length={window_length}")
    return dtype


def _window(name, curve, window_length, periodic, dtype, layout, device, pin_memory, requires_grad):
    """curve(x), x the window's sample points in [0, 1], as a tensor of `dtype` on `device`."""
    dtype = _check(name, window_length, periodic, dtype)
    window_length = int(window_length)  # numpy's ints too
    if window_length <= 1:  # one sample: the peak, 1 (no points to space)
        w = _C.ones(window_length, dtype=dtype, device=device)
    else:
        span = window_length if periodic else window_length - 1
        x = _C.arange(window_length, dtype=_C.float64, device=device) / span
        w = curve(x).to(dtype)
    if pin_memory:
        w = w.pin_memory()
    return w.requires_grad_(requires_grad)


def hann_window(window_length: int, periodic: bool = True, *, dtype=None, layout=None, device=None,
                pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    """0.5 - 0.5 cos(2 pi x): a raised cosine, 0 at both ends."""
    return _window("hann_window", lambda x: 0.5 - 0.5 * (2 * math.pi * x).cos(), window_length, periodic,
                   dtype, layout, device, pin_memory, requires_grad)


def hamming_window(window_length: int, periodic: bool = True, alpha: float = 0.54, beta: float = 0.46, *,
                   dtype=None, layout=None, device=None, pin_memory: bool = False,
                   requires_grad: bool = False) -> Tensor:
    """alpha - beta cos(2 pi x): a raised cosine that stays above 0."""
    return _window("hamming_window", lambda x: alpha - beta * (2 * math.pi * x).cos(), window_length, periodic,
                   dtype, layout, device, pin_memory, requires_grad)


def blackman_window(window_length: int, periodic: bool = True, *, dtype=None, layout=None, device=None,
                    pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    """0.42 - 0.5 cos(2 pi x) + 0.08 cos(4 pi x)."""
    def curve(x):
        return 0.42 - 0.5 * (2 * math.pi * x).cos() + 0.08 * (4 * math.pi * x).cos()
    return _window("blackman_window", curve, window_length, periodic, dtype, layout, device, pin_memory,
                   requires_grad)


def bartlett_window(window_length: int, periodic: bool = True, *, dtype=None, layout=None, device=None,
                    pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    """1 - |2x - 1|: a triangle, 0 at both ends and 1 in the middle."""
    return _window("bartlett_window", lambda x: 1 - (2 * x - 1).abs(), window_length, periodic, dtype, layout,
                   device, pin_memory, requires_grad)
