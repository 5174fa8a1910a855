"""The operators of ``libtensor.nn.functional`` that PyTorch also has at the top level (torch.conv1d,
torch.layer_norm, torch.dropout, ...), with the top level's arguments.

Where the two agree, the top-level name is the functional itself. Elsewhere they differ in order (embedding
takes weight first, batch_norm weight and bias before the running statistics), in the cuDNN flags the top
level takes and ignores here, in the losses' reduction (an int: 0 none, the default, 1 mean, 2 sum) and in the
dropouts' required p and train.
"""
from typing import Optional, Sequence, Tuple, Union

from . import _C
from ._C import Tensor
from .nn import functional as F
from .nn._functional_norm_dropout import _dropout
from .nn._functional_stochastic import _rrelu

__all__ = ["conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "avg_pool1d", "max_pool1d",
           "max_pool1d_with_indices", "max_pool2d", "adaptive_avg_pool1d", "adaptive_max_pool1d",
           "pixel_shuffle", "pixel_unshuffle", "channel_shuffle", "celu", "celu_", "selu", "selu_", "prelu",
           "hardshrink", "threshold", "threshold_", "pairwise_distance", "bilinear", "embedding", "layer_norm",
           "group_norm", "batch_norm", "instance_norm", "dropout", "dropout_", "alpha_dropout", "alpha_dropout_",
           "feature_dropout", "feature_dropout_", "feature_alpha_dropout", "feature_alpha_dropout_", "kl_div",
           "binary_cross_entropy_with_logits", "margin_ranking_loss", "hinge_embedding_loss",
           "cosine_embedding_loss", "poisson_nll_loss", "triplet_margin_loss", "pdist", "rrelu", "rrelu_"]

_Ints = Union[int, Sequence[int]]

# The same arguments at both levels: the same functions, as in PyTorch.
conv1d = F.conv1d
conv2d = F.conv2d
conv_transpose1d = F.conv_transpose1d
conv_transpose2d = F.conv_transpose2d
adaptive_avg_pool1d = F.adaptive_avg_pool1d
pixel_shuffle = F.pixel_shuffle
pixel_unshuffle = F.pixel_unshuffle
channel_shuffle = F.channel_shuffle
celu_ = F.celu_
selu_ = F.selu_
prelu = F.prelu
threshold_ = F.threshold_
pairwise_distance = F.pairwise_distance
pdist = F.pdist
bilinear = F.bilinear


def _to_out(result: Tensor, out: Optional[Tensor]) -> Tensor:
    """result, or out holding it: resized, dtype-checked and refused under autograd as every out= is."""
    if out is None:
        return result
    # Multiplying by True keeps every value (-0.0 and NaN too) and the dtype (bool too).
    _C.mul(result, True, out=out)
    return out


# --- pooling: stride () means the kernel size, and the top level returns no indices -----------------------

def avg_pool1d(input: Tensor, kernel_size: _Ints, stride: _Ints = (), padding: _Ints = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """Window means of (N, C, L) (or (C, L))."""
    return F.avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad)


def max_pool1d(input: Tensor, kernel_size: _Ints, stride: _Ints = (), padding: _Ints = 0, dilation: _Ints = 1,
               ceil_mode: bool = False) -> Tensor:
    """Window maxima of (N, C, L) (or (C, L))."""
    return F.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool1d_with_indices(input: Tensor, kernel_size: _Ints, stride: _Ints = (), padding: _Ints = 0,
                            dilation: _Ints = 1, ceil_mode: bool = False) -> Tuple[Tensor, Tensor]:
    """Window maxima of (N, C, L) (or (C, L)) and their positions along L."""
    return F.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)


def max_pool2d(input: Tensor, kernel_size: _Ints, stride: _Ints = (), padding: _Ints = 0, dilation: _Ints = 1,
               ceil_mode: bool = False) -> Tensor:
    """Window maxima of (N, C, H, W) (or (C, H, W))."""
    return F.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)


def adaptive_max_pool1d(input: Tensor, output_size: _Ints) -> Tuple[Tensor, Tensor]:
    """Maxima over windows that split L into output_size, and their positions."""
    return F.adaptive_max_pool1d(input, output_size, return_indices=True)


# --- activations: no inplace flag, out= instead ----------------------------------------------------------

def celu(input: Tensor, alpha: float = 1.0) -> Tensor:
    """x where x > 0, else alpha * (exp(x / alpha) - 1)."""
    return F.celu(input, alpha)


def selu(input: Tensor) -> Tensor:
    """scale * elu(x, alpha) with the self-normalizing constants."""
    return F.selu(input)


def hardshrink(input: Tensor, lambd: float = 0.5, *, out: Optional[Tensor] = None) -> Tensor:
    """x where |x| > lambd, else 0."""
    return _to_out(F.hardshrink(input, lambd), out)


def threshold(input: Tensor, threshold: float, value: float, *, out: Optional[Tensor] = None) -> Tensor:
    """x where x > threshold, else value."""
    return _to_out(F.threshold(input, threshold, value), out)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          generator: Optional[_C.Generator] = None) -> Tensor:
    """x where x > 0, else a * x: a drawn from generator uniformly in [lower, upper] for each element when
    training, the mean slope (lower + upper) / 2 otherwise."""
    return _rrelu(input, lower, upper, training, False, generator)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
           generator: Optional[_C.Generator] = None) -> Tensor:
    """rrelu, written into input."""
    return _rrelu(input, lower, upper, training, True, generator)


# --- embedding and normalisations ------------------------------------------------------------------------

def embedding(weight: Tensor, indices: Tensor, padding_idx: int = -1, scale_grad_by_freq: bool = False,
              sparse: bool = False) -> Tensor:
    """The rows of weight that indices name; row padding_idx (none when negative) gets no gradient."""
    # A negative padding_idx counts from the end in F.embedding, but means "none" here.
    return F.embedding(indices, weight, padding_idx if padding_idx >= 0 else None, None, 2.0,
                       scale_grad_by_freq, sparse)


def layer_norm(input: Tensor, normalized_shape: Sequence[int], weight: Optional[Tensor] = None,
               bias: Optional[Tensor] = None, eps: float = 1e-5, cudnn_enable: bool = True) -> Tensor:
    """(x - mean) / sqrt(var + eps) * weight + bias over the trailing dims normalized_shape."""
    if isinstance(normalized_shape, int):  # as PyTorch's top level, which wants a sequence
        raise TypeError("layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not int")
    return F.layer_norm(input, normalized_shape, weight, bias, eps)


def group_norm(input: Tensor, num_groups: int, weight: Optional[Tensor] = None, bias: Optional[Tensor] = None,
               eps: float = 1e-5, cudnn_enabled: bool = True) -> Tensor:
    """Normalizes groups of channels of (N, C, ...) over their channels and spatial dims."""
    return F.group_norm(input, num_groups, weight, bias, eps)


def batch_norm(input: Tensor, weight: Optional[Tensor], bias: Optional[Tensor], running_mean: Optional[Tensor],
               running_var: Optional[Tensor], training: bool, momentum: float, eps: float,
               cudnn_enabled: bool) -> Tensor:
    """Normalizes each channel (dim 1): by batch statistics in training (updating the running ones), by the
    running statistics otherwise."""
    return F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def instance_norm(input: Tensor, weight: Optional[Tensor], bias: Optional[Tensor], running_mean: Optional[Tensor],
                  running_var: Optional[Tensor], use_input_stats: bool, momentum: float, eps: float,
                  cudnn_enabled: bool) -> Tensor:
    """Normalizes each channel of each sample of (N, C, ...) over its spatial dims."""
    return F.instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)


# --- dropouts: p and train required; an out-of-range p is a RuntimeError, even when not training ----------

def _check_p(p: float) -> None:
    if not 0 <= p <= 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")


def _feature_dropout(input: Tensor, p: float, train: bool, inplace: bool, alpha: bool) -> Tensor:
    _check_p(p)
    if not train:
        return input
    name = "feature_alpha_dropout" if alpha else "feature_dropout"
    return _dropout(input, p, train, inplace, True, alpha, name)


def dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """Zeroes each element with probability p and scales the rest by 1 / (1 - p) when train; else input."""
    _check_p(p)
    return F.dropout(input, p, True) if train else input


def dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """dropout, written into input."""
    _check_p(p)
    return F.dropout(input, p, True, inplace=True) if train else input


def alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """Dropout for SELU networks, keeping zero mean and unit variance; input itself unless train."""
    _check_p(p)
    return F.alpha_dropout(input, p, True) if train else input


def alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """alpha_dropout, written into input."""
    _check_p(p)
    return F.alpha_dropout(input, p, True, inplace=True) if train else input


def feature_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """dropout of whole channels (dim 1) of an input of 2 or more dims."""
    return _feature_dropout(input, p, train, False, False)


def feature_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """feature_dropout, written into input."""
    return _feature_dropout(input, p, train, True, False)


def feature_alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """alpha_dropout of whole channels (dim 1) of an input of 2 or more dims."""
    return _feature_dropout(input, p, train, False, True)


def feature_alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """feature_alpha_dropout, written into input."""
    return _feature_dropout(input, p, train, True, True)


# --- losses: the reduction is an int, 0 (none) unless given -----------------------------------------------
# PyTorch 1.13's top-level losses leave the loss unreduced when no reduction is passed, though their schemas
# name Mean: code written against them expects that, so it is the default here too.

def _reduction(name: str, reduction: int) -> str:
    if isinstance(reduction, bool) or not isinstance(reduction, int):
        raise TypeError(f"{name}(): argument 'reduction' must be int, not {type(reduction).__name__}")
    # As in PyTorch, any int but 1 (mean) and 2 (sum) leaves the loss unreduced.
    return {1: "mean", 2: "sum"}.get(reduction, "none")


def kl_div(input: Tensor, target: Tensor, reduction: int = 0, *, log_target: bool = False) -> Tensor:
    """target (log target - input) for log-probabilities input; the mean is over every element."""
    return F.kl_div(input, target, reduction=_reduction("kl_div", reduction), log_target=log_target)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                                     pos_weight: Optional[Tensor] = None, reduction: int = 0) -> Tensor:
    """binary_cross_entropy of sigmoid(input), computed without overflow; pos_weight scales the positive term."""
    return F.binary_cross_entropy_with_logits(
        input, target, weight, reduction=_reduction("binary_cross_entropy_with_logits", reduction),
        pos_weight=pos_weight)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                        reduction: int = 0) -> Tensor:
    """max(0, -target (input1 - input2) + margin)."""
    return F.margin_ranking_loss(input1, input2, target, margin,
                                 reduction=_reduction("margin_ranking_loss", reduction))


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, reduction: int = 0) -> Tensor:
    """input where target is 1, max(0, margin - input) where it is -1."""
    return F.hinge_embedding_loss(input, target, margin, reduction=_reduction("hinge_embedding_loss", reduction))


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                          reduction: int = 0) -> Tensor:
    """1 - cos(input1, input2) where target is 1, max(0, cos - margin) where it is -1."""
    return F.cosine_embedding_loss(input1, input2, target, margin,
                                   reduction=_reduction("cosine_embedding_loss", reduction))


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool, full: bool, eps: float,
                     reduction: int) -> Tensor:
    """The negative log-likelihood of target under Poisson(input) (of exp(input) with log_input)."""
    return F.poisson_nll_loss(input, target, log_input, full, eps=eps,
                              reduction=_reduction("poisson_nll_loss", reduction))


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2.0,
                        eps: float = 1e-6, swap: bool = False, reduction: int = 0) -> Tensor:
    """max(0, d(anchor, positive) - d(anchor, negative) + margin), d the pairwise p-norm distance."""
    return F.triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap,
                                 reduction=_reduction("triplet_margin_loss", reduction))
