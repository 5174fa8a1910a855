"""The operators PyTorch keeps under ``torch.nn.functional``, with its names and
arguments. Each is a C++ operator of libtensor._C (checks, derivative and kernels live
there)."""
from typing import Optional, Sequence, Union

from .._C import dtype as _dtype

from .. import _C
from .._C import Tensor

__all__ = ["linear", "bilinear", "sigmoid", "tanh", "relu", "softmax", "log_softmax", "gelu", "silu", "mish", "softplus", "leaky_relu", "elu",
           "selu", "hardtanh", "relu6", "hardswish", "logsigmoid", "mse_loss", "l1_loss", "smooth_l1_loss",
           "huber_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div", "nll_loss",
           "cross_entropy", "layer_norm", "rms_norm", "embedding", "one_hot", "dropout", "normalize",
           "cosine_similarity", "conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "max_pool2d",
           "avg_pool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d", "pad", "interpolate", "batch_norm",
           "group_norm"]


def linear(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor:
    """``input @ weight.T + bias``: input (..., in_features), weight (out_features,
    in_features), bias (out_features)."""
    return _C._linear(input, weight, bias)


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor:
    """``x1^T W[o] x2 + b[o]`` for each output o: input1 (..., in1), input2 (..., in2), weight (out, in1, in2)."""
    if weight.dim() != 3 or input1.shape[-1] != weight.shape[1] or input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(f"bilinear: expected weight (out, {input1.shape[-1]}, {input2.shape[-1]}) for inputs "
                           f"{tuple(input1.shape)} and {tuple(input2.shape)}, got {tuple(weight.shape)}")
    low_precision = input1.dtype in (_C.float16, _C.bfloat16)
    if low_precision:  # the two contractions round in between: accumulate in float32 as PyTorch does
        out = _C.einsum("...i,oij,...j->...o", input1.float(), weight.float(), input2.float())
        out = out if bias is None else out + bias.float()
        return out.to(input1.dtype)
    out = _C.einsum("...i,oij,...j->...o", input1, weight, input2)
    return out if bias is None else out + bias


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + exp(-x))."""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    return input.tanh()


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


def _maybe_inplace(input: Tensor, op, inplace: bool) -> Tensor:
    # In place: the result is written into input (recorded for autograd like any copy_). op may save its
    # input for the backward pass, which that copy_ would overwrite: under autograd it sees a copy.
    if not inplace:
        return op(input)
    return input.copy_(op(input.clone() if input.requires_grad else input))


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x), Phi the standard normal CDF; approximate="tanh" uses its tanh approximation."""
    return _C._gelu(input, approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x)."""
    return _maybe_inplace(input, _C._silu, inplace)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * tanh(softplus(x))."""
    return _maybe_inplace(input, _C._mish, inplace)


def softplus(input: Tensor, beta: float = 1, threshold: float = 20) -> Tensor:
    """log(1 + exp(beta * x)) / beta; x itself where beta * x > threshold."""
    return _C._softplus(input, beta, threshold)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x where x > 0, else negative_slope * x."""
    return _maybe_inplace(input, lambda x: _C._leaky_relu(x, negative_slope), inplace)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else alpha * (exp(x) - 1)."""
    return _maybe_inplace(input, lambda x: _C._elu(x, alpha), inplace)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha) with the self-normalizing constants."""
    return _maybe_inplace(input, _C._selu, inplace)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """x clamped to [min_val, max_val]; no gradient at or beyond the bounds."""
    return _maybe_inplace(input, lambda x: _C._hardtanh(x, min_val, max_val), inplace)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """hardtanh(x, 0, 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * relu6(x + 3) / 6."""
    return _maybe_inplace(input, _C._hardswish, inplace)


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)), computed without overflow."""
    return _C._logsigmoid(input)


def _reduction(size_average: Optional[bool], reduce: Optional[bool], reduction: str) -> str:
    # PyTorch's legacy arguments: either given overrides reduction.
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return "none" if not reduce else "mean" if size_average else "sum"


def mse_loss(input: Tensor, target: Tensor, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
             reduction: str = "mean") -> Tensor:
    """The squared differences, reduced."""
    return _C._mse_loss(input, target, _reduction(size_average, reduce, reduction))


def l1_loss(input: Tensor, target: Tensor, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
            reduction: str = "mean") -> Tensor:
    """The absolute differences, reduced."""
    return _C._l1_loss(input, target, _reduction(size_average, reduce, reduction))


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """0.5 d^2 / beta where d = |input - target| < beta, else d - 0.5 beta; reduced."""
    return _C._smooth_l1_loss(input, target, _reduction(size_average, reduce, reduction), beta)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    """0.5 d^2 where d = |input - target| < delta, else delta (d - 0.5 delta); reduced."""
    return _C._huber_loss(input, target, reduction, delta)


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                         size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                         reduction: str = "mean") -> Tensor:
    """-w (t log x + (1 - t) log(1 - x)) for probabilities x, each log at least -100; reduced."""
    return _C._binary_cross_entropy(input, target, weight, _reduction(size_average, reduce, reduction))


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                                     size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                                     reduction: str = "mean", pos_weight: Optional[Tensor] = None) -> Tensor:
    """binary_cross_entropy of sigmoid(input), computed without overflow; pos_weight scales the positive term."""
    return _C._binary_cross_entropy_with_logits(input, target, weight, pos_weight,
                                                _reduction(size_average, reduce, reduction))


def kl_div(input: Tensor, target: Tensor, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
           reduction: str = "mean", log_target: bool = False) -> Tensor:
    """target (log target - input) for log-probabilities input; reduction may be "batchmean"."""
    return _C._kl_div(input, target, _reduction(size_average, reduce, reduction), log_target)


def nll_loss(input: Tensor, target: Tensor, weight: Optional[Tensor] = None, size_average: Optional[bool] = None,
             ignore_index: int = -100, reduce: Optional[bool] = None, reduction: str = "mean") -> Tensor:
    """-weight[t] input[t] for log-probabilities input (N, C, ...) and classes target (N, ...); "mean" divides
    by the weights taken; targets equal to ignore_index count for nothing."""
    return _C._nll_loss(input, target, weight, ignore_index, _reduction(size_average, reduce, reduction))


def cross_entropy(input: Tensor, target: Tensor, weight: Optional[Tensor] = None, size_average: Optional[bool] = None,
                  ignore_index: int = -100, reduce: Optional[bool] = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """nll_loss(log_softmax(input, 1), target) for classes target, or -sum(w t log_softmax(input)) for
    probabilities target; label_smoothing blends in the uniform distribution."""
    return _C._cross_entropy(input, target, weight, ignore_index, _reduction(size_average, reduce, reduction),
                             label_smoothing)


def layer_norm(input: Tensor, normalized_shape: Union[int, Sequence[int]], weight: Optional[Tensor] = None,
               bias: Optional[Tensor] = None, eps: float = 1e-5) -> Tensor:
    """(x - mean) / sqrt(var + eps) * weight + bias over the trailing dims normalized_shape."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    return _C._layer_norm(input, shape, weight, bias, eps)


def rms_norm(input: Tensor, normalized_shape: Union[int, Sequence[int]], weight: Optional[Tensor] = None,
             eps: Optional[float] = None) -> Tensor:
    """x / sqrt(mean(x^2) + eps) * weight over the trailing dims; eps defaults to the dtype's machine epsilon."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    return _C._rms_norm(input, shape, weight, eps)


def embedding(input: Tensor, weight: Tensor, padding_idx: Optional[int] = None, max_norm: Optional[float] = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """The rows of weight that input's integers name; padding_idx's row gets no gradient."""
    if max_norm is not None or scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding: max_norm, scale_grad_by_freq and sparse are not supported")
    return _C._embedding(weight, input, padding_idx)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 (..., num_classes) with a 1 at each class; num_classes -1 takes the largest class + 1."""
    return _C._one_hot(tensor, num_classes)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zeroes each element with probability p and scales the rest by 1 / (1 - p) while training."""
    return _maybe_inplace(input, lambda x: _C._dropout(x, p, training), inplace and training)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Optional[Tensor] = None) -> Tensor:
    """input / max(||input||_p, eps) along dim."""
    result = _C._normalize(input, p, dim, eps)
    return out.copy_(result) if out is not None else result


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """sum(x1 x2) / sqrt(max(sum(x1^2) sum(x2^2), eps^2)) along dim."""
    return _C.cosine_similarity(x1, x2, dim, eps)


def _ints(value: Union[int, Sequence[int]]) -> list:
    return [int(value)] if isinstance(value, int) else [int(v) for v in value]


def conv1d(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride: Union[int, Sequence[int]] = 1,
           padding: Union[int, Sequence[int], str] = 0, dilation: Union[int, Sequence[int]] = 1,
           groups: int = 1) -> Tensor:
    """1-D convolution of (N, C, L) (or (C, L)) with weight (out, C / groups, k)."""
    return _C._conv(1, input, weight, bias, _ints(stride), padding if isinstance(padding, str) else _ints(padding),
                    _ints(dilation), groups)


def conv2d(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride: Union[int, Sequence[int]] = 1,
           padding: Union[int, Sequence[int], str] = 0, dilation: Union[int, Sequence[int]] = 1,
           groups: int = 1) -> Tensor:
    """2-D convolution of (N, C, H, W) (or (C, H, W)) with weight (out, C / groups, kh, kw); padding may be
    'valid' or 'same'."""
    return _C._conv(2, input, weight, bias, _ints(stride), padding if isinstance(padding, str) else _ints(padding),
                    _ints(dilation), groups)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None,
                     stride: Union[int, Sequence[int]] = 1, padding: Union[int, Sequence[int]] = 0,
                     output_padding: Union[int, Sequence[int]] = 0, groups: int = 1,
                     dilation: Union[int, Sequence[int]] = 1) -> Tensor:
    """The transposed 1-D convolution (the adjoint of conv1d in its input); weight (C, out / groups, k)."""
    return _C._conv_transpose(1, input, weight, bias, _ints(stride), _ints(padding), _ints(output_padding), groups,
                              _ints(dilation))


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None,
                     stride: Union[int, Sequence[int]] = 1, padding: Union[int, Sequence[int]] = 0,
                     output_padding: Union[int, Sequence[int]] = 0, groups: int = 1,
                     dilation: Union[int, Sequence[int]] = 1) -> Tensor:
    """The transposed 2-D convolution (the adjoint of conv2d in its input); weight (C, out / groups, kh, kw)."""
    return _C._conv_transpose(2, input, weight, bias, _ints(stride), _ints(padding), _ints(output_padding), groups,
                              _ints(dilation))


def max_pool2d(input: Tensor, kernel_size: Union[int, Sequence[int]], stride: Optional[Union[int, Sequence[int]]] = None,
               padding: Union[int, Sequence[int]] = 0, dilation: Union[int, Sequence[int]] = 1,
               ceil_mode: bool = False, return_indices: bool = False):
    """Window maxima of (N, C, H, W) (or (C, H, W)); with return_indices also their flat positions h * W + w."""
    values, indices = _C._max_pool2d(input, _ints(kernel_size), [] if stride is None else _ints(stride),
                                     _ints(padding), _ints(dilation), ceil_mode)
    return (values, indices) if return_indices else values


def avg_pool2d(input: Tensor, kernel_size: Union[int, Sequence[int]], stride: Optional[Union[int, Sequence[int]]] = None,
               padding: Union[int, Sequence[int]] = 0, ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: Optional[int] = None) -> Tensor:
    """Window means of (N, C, H, W) (or (C, H, W))."""
    return _C._avg_pool2d(input, _ints(kernel_size), [] if stride is None else _ints(stride), _ints(padding),
                          ceil_mode, count_include_pad, divisor_override)


def _adaptive_size(input: Tensor, output_size) -> list:
    sizes = [output_size, output_size] if output_size is None or isinstance(output_size, int) else list(output_size)
    return [input.shape[-2 + i] if s is None else int(s) for i, s in enumerate(sizes)] if len(sizes) == 2 else sizes


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """Means over windows that split (H, W) into output_size (None keeps that dim's size)."""
    return _C._adaptive_avg_pool2d(input, _adaptive_size(input, output_size))


def adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    """Maxima over windows that split (H, W) into output_size; with return_indices also their flat positions."""
    values, indices = _C._adaptive_max_pool2d(input, _adaptive_size(input, output_size))
    return (values, indices) if return_indices else values


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: Optional[float] = None) -> Tensor:
    """Pads the last len(pad) // 2 dims by (left, right) pairs, last dim first: mode 'constant' (negative pads
    crop), 'reflect', 'replicate' or 'circular'."""
    if mode != "constant" and value is not None:
        raise ValueError(f"Padding mode \"{mode}\" doesn't take in value argument")
    return _C._pad(input, _ints(pad), mode, 0.0 if value is None else float(value))


def interpolate(input: Tensor, size=None, scale_factor=None, mode: str = "nearest",
                align_corners: Optional[bool] = None, recompute_scale_factor: Optional[bool] = None,
                antialias: bool = False) -> Tensor:
    """Resizes the spatial dims of (N, C, ...) to size or by scale_factor: mode 'nearest', 'linear' (3-D input),
    'bilinear' (4-D) or 'area'."""
    if antialias:
        raise NotImplementedError("interpolate: antialias is not supported")
    sizes = [] if size is None else _ints(size)
    scales = [] if scale_factor is None else (
        [float(scale_factor)] if isinstance(scale_factor, (int, float)) else [float(s) for s in scale_factor])
    return _C._interpolate(input, sizes, scales, mode, align_corners, recompute_scale_factor)


def batch_norm(input: Tensor, running_mean: Optional[Tensor], running_var: Optional[Tensor],
               weight: Optional[Tensor] = None, bias: Optional[Tensor] = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalizes each channel (dim 1): by batch statistics in training (updating the running ones), by the
    running statistics otherwise."""
    return _C._batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def group_norm(input: Tensor, num_groups: int, weight: Optional[Tensor] = None, bias: Optional[Tensor] = None,
               eps: float = 1e-5) -> Tensor:
    """Normalizes groups of channels of (N, C, ...) over their channels and spatial dims."""
    return _C._group_norm(input, num_groups, weight, bias, eps)


# Operators composed in Python from the ones above (they run on every device and autograd differentiates
# them); imported last because they use this module's helpers.
from . import _functional_activations, _functional_losses, _functional_norm_dropout, _functional_spatial  # noqa: E402
from . import _functional_attention, _functional_fold, _functional_losses_more, _functional_pooling  # noqa: E402
from . import _functional_sparse, _functional_stochastic  # noqa: E402
from ._functional_activations import *  # noqa: E402,F401,F403
from ._functional_losses import *  # noqa: E402,F401,F403
from ._functional_norm_dropout import *  # noqa: E402,F401,F403
from ._functional_spatial import *  # noqa: E402,F401,F403
from ._functional_attention import *  # noqa: E402,F401,F403
from ._functional_fold import *  # noqa: E402,F401,F403
from ._functional_losses_more import *  # noqa: E402,F401,F403
from ._functional_pooling import *  # noqa: E402,F401,F403
from ._functional_sparse import *  # noqa: E402,F401,F403
from ._functional_stochastic import *  # noqa: E402,F401,F403

__all__ += (_functional_activations.__all__ + _functional_losses.__all__ + _functional_norm_dropout.__all__
            + _functional_spatial.__all__ + _functional_attention.__all__ + _functional_fold.__all__
            + _functional_losses_more.__all__ + _functional_pooling.__all__ + _functional_sparse.__all__
            + _functional_stochastic.__all__)
