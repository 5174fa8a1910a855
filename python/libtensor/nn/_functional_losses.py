"""pairwise_distance and the losses of ``torch.nn.functional`` that libtensor composes in Python from its core
operators (so they run on every device and autograd differentiates them); re-exported by
``libtensor.nn.functional``. The formulas are PyTorch's, step for step, so that results and gradients agree."""
import functools
import math
from typing import Optional

from .. import _C
from .._C import Tensor
from .._grad_mode import no_grad
from ..amp.autocast_mode import autocast
from . import functional as F

__all__ = ["pairwise_distance", "margin_ranking_loss", "hinge_embedding_loss", "soft_margin_loss",
           "multilabel_soft_margin_loss", "cosine_embedding_loss", "triplet_margin_loss", "poisson_nll_loss",
           "gaussian_nll_loss", "multi_margin_loss"]


def _reduction(name: str, size_average: Optional[bool], reduce: Optional[bool], reduction: str) -> str:
    reduction = F._reduction(size_average, reduce, reduction)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"[{name}] {reduction} is not a valid value for reduction")
    return reduction


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss


def _float32_under_autocast(loss):
    """PyTorch keeps the decorated loss on its autocast float32 lists (CPU and GPU): in an autocast region its
    float16 / bfloat16 inputs are cast to float32 and it runs with autocast off, as libtensor's listed C++
    operators do."""
    @functools.wraps(loss)
    def wrapper(*args, **kwargs):
        device = next((a.device.type for a in (*args, *kwargs.values()) if isinstance(a, Tensor)), None)
        if device not in ("cpu", "cuda") or not _C._autocast_is_enabled(device):
            return loss(*args, **kwargs)

        def cast(a):
            return a.float() if isinstance(a, Tensor) and a.dtype in (_C.float16, _C.bfloat16) else a
        with autocast(device, enabled=False):
            return loss(*map(cast, args), **{k: cast(v) for k, v in kwargs.items()})
    return wrapper


def _check_broadcast(name: str, **tensors: Tensor) -> None:
    # The elementwise ops would raise too, but under their own name and without saying which argument.
    shapes = {k: tuple(t.shape) for k, t in tensors.items()}
    ndim = max(len(s) for s in shapes.values())
    for i in range(1, ndim + 1):
        sizes = {s[-i] for s in shapes.values() if len(s) >= i} - {1}
        if len(sizes) > 1:
            described = ", ".join(f"{k} {s}" for k, s in shapes.items())
            raise RuntimeError(f"[{name}] shapes do not broadcast: {described}")


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """The p-norm of x1 - x2 + eps along the last dim."""
    _check_broadcast("pairwise_distance", x1=x1, x2=x2)
    return (x1 - x2 + eps).norm(p, max(x1.dim(), x2.dim()) - 1, keepdim)


@_float32_under_autocast
def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                        size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                        reduction: str = "mean") -> Tensor:
    """max(0, -target * (input1 - input2) + margin), reduced."""
    reduction = _reduction("margin_ranking_loss", size_average, reduce, reduction)
    if not input1.dim() == input2.dim() == target.dim():
        raise RuntimeError(f"[margin_ranking_loss] all input tensors should have the same number of dims, got "
                           f"input1 {tuple(input1.shape)}, input2 {tuple(input2.shape)}, target "
                           f"{tuple(target.shape)}")
    _check_broadcast("margin_ranking_loss", input1=input1, input2=input2, target=target)
    return _reduce((-target * (input1 - input2) + margin).clamp_min(0), reduction)


@_float32_under_autocast
def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, size_average: Optional[bool] = None,
                         reduce: Optional[bool] = None, reduction: str = "mean") -> Tensor:
    """input where target is 1, max(0, margin - input) where target is -1, reduced."""
    reduction = _reduction("hinge_embedding_loss", size_average, reduce, reduction)
    _check_broadcast("hinge_embedding_loss", input=input, target=target)
    # PyTorch's two where()s: a target that is neither 1 nor -1 takes both terms.
    output_margin = _C.where(target != 1, (margin - input).clamp_min(0), 0.0)
    output_self = _C.where(target != -1, input, 0.0)
    return _reduce(output_margin + output_self, reduction)


@_float32_under_autocast
def soft_margin_loss(input: Tensor, target: Tensor, size_average: Optional[bool] = None,
                     reduce: Optional[bool] = None, reduction: str = "mean") -> Tensor:
    """log(1 + exp(-target * input)), reduced."""
    reduction = _reduction("soft_margin_loss", size_average, reduce, reduction)
    _check_broadcast("soft_margin_loss", input=input, target=target)
    return _reduce((-input * target).exp().log1p(), reduction)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                                size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                                reduction: str = "mean") -> Tensor:
    """The binary cross entropy of sigmoid(input) per class, averaged over the classes (last dim), reduced."""
    reduction = _reduction("multilabel_soft_margin_loss", size_average, reduce, reduction)
    tensors = dict(input=input, target=target) if weight is None else dict(input=input, target=target, weight=weight)
    _check_broadcast("multilabel_soft_margin_loss", **tensors)
    loss = -(target * F.logsigmoid(input) + (1 - target) * F.logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    return _reduce(loss.sum(class_dim) / input.shape[class_dim], reduction)


@_float32_under_autocast
def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                          size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                          reduction: str = "mean") -> Tensor:
    """1 - cos(input1, input2) where target is 1, max(0, cos - margin) where target is -1, reduced."""
    reduction = _reduction("cosine_embedding_loss", size_average, reduce, reduction)
    dim = target.dim()
    if dim > 1:
        raise RuntimeError(f"[cosine_embedding_loss] 0-D or 1-D target expected, multi-target not supported; "
                           f"got target {tuple(target.shape)}")
    if input1.dim() != dim + 1 or input2.dim() != dim + 1:
        raise RuntimeError(f"[cosine_embedding_loss] a {dim}-D target expects {dim + 1}-D inputs, but found "
                           f"inputs {tuple(input1.shape)} and {tuple(input2.shape)}")
    _check_broadcast("cosine_embedding_loss", input1=input1, input2=input2)
    eps = 1e-12  # PyTorch's, added to each squared magnitude
    prod_sum = (input1 * input2).sum(dim)
    mag_square1 = (input1 * input1).sum(dim) + eps
    mag_square2 = (input2 * input2).sum(dim) + eps
    cos = prod_sum / (mag_square1 * mag_square2).sqrt()
    output_pos = _C.where(target == 1, 1 - cos, 0.0)
    output_neg = _C.where(target == -1, (cos - margin).clamp_min(0), 0.0)
    return _reduce(output_pos + output_neg, reduction)


@_float32_under_autocast
def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average: Optional[bool] = None,
                        reduce: Optional[bool] = None, reduction: str = "mean") -> Tensor:
    """max(0, d(anchor, positive) - d(anchor, negative) + margin) with d the pairwise p-distance; swap also
    takes d(positive, negative) when it is smaller. Reduced."""
    reduction = _reduction("triplet_margin_loss", size_average, reduce, reduction)
    if not anchor.dim() == positive.dim() == negative.dim():
        raise RuntimeError(f"[triplet_margin_loss] all inputs should have the same number of dims, but got anchor "
                           f"{tuple(anchor.shape)}, positive {tuple(positive.shape)} and negative "
                           f"{tuple(negative.shape)}")
    _check_broadcast("triplet_margin_loss", anchor=anchor, positive=positive, negative=negative)
    dist_pos = pairwise_distance(anchor, positive, p, eps)
    dist_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        dist_neg = _C.minimum(dist_neg, pairwise_distance(positive, negative, p, eps))
    return _reduce((margin + dist_pos - dist_neg).clamp_min(0), reduction)


@_float32_under_autocast
def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average: Optional[bool] = None, eps: float = 1e-8, reduce: Optional[bool] = None,
                     reduction: str = "mean") -> Tensor:
    """exp(input) - target * input for log-rates input (input - target * log(input + eps) for rates); full adds
    Stirling's approximation of log(target!) where target > 1. Reduced."""
    reduction = _reduction("poisson_nll_loss", size_average, reduce, reduction)
    _check_broadcast("poisson_nll_loss", input=input, target=target)
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        stirling = target * target.log() - target + 0.5 * (2 * math.pi * target).log()
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return _reduce(loss, reduction)


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    """0.5 (log(var) + (input - target)^2 / var) with var at least eps (full adds 0.5 log(2 pi)), reduced; var
    may have one value per row (shape input.shape[:-1], or a last dim of 1)."""
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)
        elif not (tuple(input.shape[:-1]) == tuple(var.shape[:-1]) and var.shape[-1] == 1):
            raise ValueError(f"[gaussian_nll_loss] var is of incorrect size: {tuple(var.shape)} for input "
                             f"{tuple(input.shape)}")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"[gaussian_nll_loss] {reduction} is not valid")
    if (var < 0).any().item():
        raise ValueError("[gaussian_nll_loss] var has negative entry/entries")
    # Clamped without recording it: the gradient flows to var as if unclamped, as in PyTorch.
    var = var.clone()
    with no_grad():
        var.clamp_(min=eps)
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


@_float32_under_autocast
def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0,
                      weight: Optional[Tensor] = None, size_average: Optional[bool] = None,
                      reduce: Optional[bool] = None, reduction: str = "mean") -> Tensor:
    """sum over classes i != y of max(0, margin - input[y] + input[i])^p (times weight[y]) / C for class
    targets y, reduced."""
    reduction = _reduction("multi_margin_loss", size_average, reduce, reduction)
    if p != 1 and p != 2:
        raise ValueError(f"[multi_margin_loss] only p == 1 and p == 2 supported, got p={p}")
    if weight is not None and weight.dim() != 1:
        raise ValueError(f"[multi_margin_loss] weight must be one-dimensional, got {tuple(weight.shape)}")
    ndim = input.dim()
    if ndim > 2 or (ndim >= 1 and input.shape[-1] == 0):
        raise RuntimeError(f"[multi_margin_loss] expected a non-empty vector or matrix with optional 0-dim batch "
                           f"size, but got input {tuple(input.shape)}")
    rows = input.shape[0] if ndim == 2 else 1
    classes = input.shape[-1] if ndim >= 1 else 1
    if target.dim() > 1 or target.numel() != rows:
        raise RuntimeError(f"[multi_margin_loss] inconsistent target size: expected {rows} classes, got target "
                           f"{tuple(target.shape)} for input {tuple(input.shape)}")
    if weight is not None and weight.numel() != classes:
        raise RuntimeError(f"[multi_margin_loss] inconsistent weight size: expected {classes}, got "
                           f"{tuple(weight.shape)}")
    y = target.reshape(rows, 1).long()
    if ((y < 0) | (y >= classes)).any().item():
        raise RuntimeError(f"[multi_margin_loss] target out of range: classes must be in [0, {classes})")
    x = input.reshape(rows, classes)
    z = (margin - x.gather(1, y) + x).clamp_min(0)
    if p == 2:
        z = z * z
    if weight is not None:
        z = z * weight.index_select(0, y.reshape(rows)).unsqueeze(1)
    is_target = _C.arange(classes, device=input.device) == y
    loss = _C.where(is_target, 0.0, z).sum(1) / classes
    return _reduce(loss if ndim == 2 else loss.reshape(()), reduction)
