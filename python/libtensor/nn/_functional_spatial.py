"""Rearrangements, resizing and 1-D pooling of ``torch.nn.functional`` that libtensor composes in Python from
its core operators (reshapes, permutes, the 2-D pools, interpolate); re-exported by ``libtensor.nn.functional``."""
import contextlib
import warnings
from typing import Optional, Sequence, Union

from .._C import Tensor
from . import functional as F

__all__ = ["pixel_shuffle", "pixel_unshuffle", "channel_shuffle", "upsample", "upsample_nearest",
           "upsample_bilinear", "avg_pool1d", "max_pool1d", "adaptive_avg_pool1d", "adaptive_max_pool1d"]


def _check_at_least_3d(name: str, input: Tensor) -> None:
    if input.dim() < 3:
        raise RuntimeError(f"[{name}] expects input to have at least 3 dimensions, but got input of shape "
                           f"{tuple(input.shape)}")


def _check_positive(name: str, arg: str, value: int) -> None:
    if value <= 0:
        raise RuntimeError(f"[{name}] expects a positive {arg}, but got {value}")


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C r^2, H, W) -> (*, C, H r, W r): each group of r^2 channels becomes an r x r block of pixels."""
    _check_at_least_3d("pixel_shuffle", input)
    _check_positive("pixel_shuffle", "upscale_factor", upscale_factor)
    r = upscale_factor
    *batch, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError(f"[pixel_shuffle] expects the channel dimension to be divisible by the square of "
                           f"upscale_factor, but input of shape {tuple(input.shape)} has {c} channels, not "
                           f"divisible by {r * r}")
    n = len(batch)
    x = input.reshape(tuple(batch) + (c // (r * r), r, r, h, w))
    x = x.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return x.reshape(tuple(batch) + (c // (r * r), h * r, w * r))


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H r, W r) -> (*, C r^2, H, W), the inverse of pixel_shuffle."""
    _check_at_least_3d("pixel_unshuffle", input)
    _check_positive("pixel_unshuffle", "downscale_factor", downscale_factor)
    r = downscale_factor
    *batch, c, h, w = input.shape
    if h % r or w % r:
        raise RuntimeError(f"[pixel_unshuffle] expects height and width to be divisible by downscale_factor {r}, "
                           f"but got input of shape {tuple(input.shape)}")
    n = len(batch)
    x = input.reshape(tuple(batch) + (c, h // r, r, w // r, r))
    x = x.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return x.reshape(tuple(batch) + (c * r * r, h // r, w // r))


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """(N, C, *) with the channels of the groups interleaved: channel g * (C / groups) + i moves to i * groups + g."""
    _check_at_least_3d("channel_shuffle", input)
    _check_positive("channel_shuffle", "groups", groups)
    n, c, *rest = input.shape
    if c % groups:
        raise RuntimeError(f"[channel_shuffle] number of channels must be divisible by groups: input of shape "
                           f"{tuple(input.shape)} has {c} channels, groups is {groups}")
    x = input.reshape((n, groups, c // groups) + tuple(rest))
    return x.transpose(1, 2).reshape(tuple(input.shape))


def upsample(input: Tensor, size=None, scale_factor=None, mode: str = "nearest",
             align_corners: Optional[bool] = None) -> Tensor:
    """interpolate (deprecated in PyTorch under this name)."""
    warnings.warn("nn.functional.upsample is deprecated. Use nn.functional.interpolate instead.")
    return F.interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """interpolate with mode 'nearest' (deprecated in PyTorch under this name)."""
    warnings.warn("nn.functional.upsample_nearest is deprecated. Use nn.functional.interpolate instead.")
    return F.interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size=None, scale_factor=None) -> Tensor:
    """interpolate with mode 'bilinear' and align_corners=True (deprecated in PyTorch under this name)."""
    warnings.warn("nn.functional.upsample_bilinear is deprecated. Use nn.functional.interpolate instead.")
    return F.interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# --- 1-D pooling: the 2-D pools on (N, C, 1, L) ----------------------------------------------------------------

def _single(name: str, arg: str, value: Union[int, Sequence[int]]) -> int:
    values = F._ints(value)
    if len(values) != 1:
        raise ValueError(f"[{name}] {arg} must be an int or a 1-element sequence, got {value!r}")
    return values[0]


def _as_2d(name: str, input: Tensor) -> Tensor:
    if input.dim() not in (2, 3):
        raise RuntimeError(f"[{name}] expected a 2-D (C, L) or 3-D (N, C, L) input, got shape "
                           f"{tuple(input.shape)}")
    return input.unsqueeze(-2)


@contextlib.contextmanager
def _named_errors(name: str, pool2d: str, input: Tensor):
    # The 2-D pool's checks name its own arguments; say which 1-D call they came from.
    try:
        yield
    except RuntimeError as e:
        message = str(e).replace(f"[{pool2d}] ", "")
        raise RuntimeError(f"[{name}] {message} (the 2-D pool on input {tuple(input.shape)} viewed with "
                           f"a height of 1)") from None


def avg_pool1d(input: Tensor, kernel_size: Union[int, Sequence[int]],
               stride: Optional[Union[int, Sequence[int]]] = None, padding: Union[int, Sequence[int]] = 0,
               ceil_mode: bool = False, count_include_pad: bool = True) -> Tensor:
    """Window means of (N, C, L) (or (C, L))."""
    k = _single("avg_pool1d", "kernel_size", kernel_size)
    s = k if stride is None or F._ints(stride) == [] else _single("avg_pool1d", "stride", stride)
    p = _single("avg_pool1d", "padding", padding)
    x = _as_2d("avg_pool1d", input)
    with _named_errors("avg_pool1d", "avg_pool2d", input):
        return F.avg_pool2d(x, (1, k), (1, s), (0, p), ceil_mode, count_include_pad).squeeze(-2)


def max_pool1d(input: Tensor, kernel_size: Union[int, Sequence[int]],
               stride: Optional[Union[int, Sequence[int]]] = None, padding: Union[int, Sequence[int]] = 0,
               dilation: Union[int, Sequence[int]] = 1, ceil_mode: bool = False, return_indices: bool = False):
    """Window maxima of (N, C, L) (or (C, L)); with return_indices also their positions along L."""
    k = _single("max_pool1d", "kernel_size", kernel_size)
    s = k if stride is None or F._ints(stride) == [] else _single("max_pool1d", "stride", stride)
    p = _single("max_pool1d", "padding", padding)
    d = _single("max_pool1d", "dilation", dilation)
    x = _as_2d("max_pool1d", input)
    with _named_errors("max_pool1d", "max_pool2d", input):
        values, indices = F.max_pool2d(x, (1, k), (1, s), (0, p), (1, d), ceil_mode, return_indices=True)
    # Flat positions h * L + l in a plane of height 1 are the positions l themselves.
    values, indices = values.squeeze(-2), indices.squeeze(-2)
    return (values, indices) if return_indices else values


def _output_length(name: str, input: Tensor, output_size) -> int:
    if output_size is None or (not isinstance(output_size, int) and list(output_size) == [None]):
        return input.shape[-1]
    return _single(name, "output_size", output_size)


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    """Means over windows that split L into output_size."""
    length = _output_length("adaptive_avg_pool1d", input, output_size)
    x = _as_2d("adaptive_avg_pool1d", input)
    with _named_errors("adaptive_avg_pool1d", "adaptive_avg_pool2d", input):
        return F.adaptive_avg_pool2d(x, (1, length)).squeeze(-2)


def adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):
    """Maxima over windows that split L into output_size; with return_indices also their positions."""
    length = _output_length("adaptive_max_pool1d", input, output_size)
    x = _as_2d("adaptive_max_pool1d", input)
    with _named_errors("adaptive_max_pool1d", "adaptive_max_pool2d", input):
        values, indices = F.adaptive_max_pool2d(x, (1, length), return_indices=True)
    values, indices = values.squeeze(-2), indices.squeeze(-2)
    return (values, indices) if return_indices else values
