"""pdist, multilabel_margin_loss and triplet_margin_with_distance_loss of ``torch.nn.functional``, composed in
Python of libtensor's core operators (so they run on every device and autograd differentiates them);
re-exported by ``libtensor.nn.functional``."""
from typing import Callable, Optional

from .. import _C
from .._C import Tensor
from . import functional as F
from ._functional_losses import _float32_under_autocast, _reduce, _reduction, pairwise_distance

__all__ = ["pdist", "multilabel_margin_loss", "triplet_margin_with_distance_loss"]


def pdist(input: Tensor, p: float = 2) -> Tensor:
    """The p-norm distances between the rows of input (N, M), pair (i, j) for each i < j in row-major order:
    N (N - 1) / 2 values."""
    if input.dim() != 2:
        raise RuntimeError(f"[pdist] only supports 2D tensors, got: {input.dim()}D")
    if not input.is_floating_point():
        raise RuntimeError(f"[pdist] only supports floating-point dtypes, got {input.dtype}")
    if p < 0:
        raise RuntimeError(f"[pdist] only supports non-negative p values, got p={p}")
    rows = input.shape[0]
    first, second = _C.triu_indices(rows, rows, 1, device=input.device)
    return (input.index_select(0, first) - input.index_select(0, second)).norm(p, 1)


def _check_multilabel(input: Tensor, target: Tensor) -> None:
    if input.dim() > 2 or (input.dim() >= 1 and input.shape[-1] == 0):
        raise RuntimeError(f"[multilabel_margin_loss] expected a non-empty vector or matrix with optional 0-dim "
                           f"batch size, but got input {tuple(input.shape)}")
    if tuple(target.shape) != tuple(input.shape):
        raise RuntimeError(f"[multilabel_margin_loss] inconsistent size {list(target.shape)} for argument #2 "
                           f"'target': expected the input's {list(input.shape)}")
    if target.dtype != _C.int64:
        raise RuntimeError(f"[multilabel_margin_loss] expected target of scalar type Long but found {target.dtype}")


@_float32_under_autocast
def multilabel_margin_loss(input: Tensor, target: Tensor, size_average: Optional[bool] = None,
                           reduce: Optional[bool] = None, reduction: str = "mean") -> Tensor:
    """For scores input (C) or (N, C) and target classes listed in target up to its first -1: the sum over
    target classes j and non-target classes i of max(0, 1 - (x[j] - x[i])), divided by C; reduced."""
    reduction = _reduction("multilabel_margin_loss", size_average, reduce, reduction)
    _check_multilabel(input, target)
    rows = input.shape[0] if input.dim() == 2 else 1
    classes = input.shape[-1] if input.dim() >= 1 else 1
    x = input.reshape(rows, classes)
    y = target.reshape(rows, classes)
    if ((y < -1) | (y >= classes)).any().item():
        raise RuntimeError(f"[multilabel_margin_loss] argument #2 'target' is out of range: entries must be in "
                           f"[-1, {classes})")
    listed = (y >= 0).long().cumprod(1).bool()  # the positions before the first -1
    y = y.clamp_min(0)
    # is_target[r, i]: class i is listed for row r (listed[r, j] and y[r, j] == i for some j)
    is_target = (F.one_hot(y, classes).bool() & listed.unsqueeze(2)).any(1)
    # hinge[r, j, i] = max(0, 1 - x[r, y[r, j]] + x[r, i]), taken for listed j and non-target i
    hinge = (1 - x.gather(1, y).unsqueeze(2) + x.unsqueeze(1)).clamp_min(0)
    taken = listed.unsqueeze(2) & ~is_target.unsqueeze(1)
    loss = _C.where(taken, hinge, 0.0).sum(2).sum(1) / classes
    return _reduce(loss if input.dim() == 2 else loss.reshape(()), reduction)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function: Optional[Callable[[Tensor, Tensor], Tensor]] = None,
                                      margin: float = 1.0, swap: bool = False, reduction: str = "mean") -> Tensor:
    """max(0, d(anchor, positive) - d(anchor, negative) + margin) with d distance_function (pairwise_distance by
    default); swap also takes d(positive, negative) when it is smaller. Reduced."""
    reduction = _reduction("triplet_margin_with_distance_loss", None, None, reduction)
    distance = distance_function if distance_function is not None else pairwise_distance
    dist_pos = distance(anchor, positive)
    dist_neg = distance(anchor, negative)
    if swap:
        dist_neg = _C.minimum(dist_neg, distance(positive, negative))
    return _reduce((dist_pos - dist_neg + margin).clamp_min(0), reduction)
