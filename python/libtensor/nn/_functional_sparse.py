"""embedding_bag of ``torch.nn.functional``, composed in Python: the rows are gathered (index_select) and
reduced per bag (index_add for sum and mean, scatter_reduce for max), so it runs on every device and autograd
differentiates it. Re-exported by ``libtensor.nn.functional``."""
import warnings
from typing import Optional

from .. import _C
from .._C import Tensor
from .._grad_mode import no_grad

__all__ = ["embedding_bag"]


def _renorm_rows(weight: Tensor, indices: Tensor, max_norm: float, norm_type: float) -> None:
    """Scales, in place and unrecorded, the rows of weight that indices name down to norm max_norm."""
    with no_grad():
        used = _C.unique(indices.reshape(-1))
        rows = weight.index_select(0, used)
        # Half-precision rows are scaled in float32 and rounded once.
        dtype = _C.float32 if weight.dtype in (_C.float16, _C.bfloat16) else weight.dtype
        rows = rows.to(dtype)
        norms = rows.norm(norm_type, 1, keepdim=True)
        scale = _C.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
        weight.index_copy_(0, used, (rows * scale).to(weight.dtype))


def _bags_of_offsets(input: Tensor, offsets: Tensor, include_last_offset: bool):
    """(bag of each index, whether the index belongs to a bag, number of bags) for a 1-D input split at
    offsets; with include_last_offset the last offset ends the last bag and indices past it belong to none."""
    offsets = offsets.long()
    length = input.shape[0]
    if offsets.numel() > 0:
        first, last = int(offsets[0].item()), int(offsets[-1].item())
        if first != 0:
            raise RuntimeError(f"[embedding_bag] offsets[0] has to be 0, i.e., the first sequence in the "
                               f"mini-batch has to start from position 0. However, got {first}")
        if last > length:
            raise RuntimeError(f"[embedding_bag] offsets[-1] can not be greater than input's length {length} but "
                               f"got offsets[-1] of {last}")
        if offsets.numel() > 1 and (offsets[1:] < offsets[:-1]).any().item():
            raise RuntimeError("[embedding_bag] offsets must be non-decreasing")
    num_bags = max(offsets.numel() - 1, 0) if include_last_offset else offsets.numel()
    positions = _C.arange(length, device=input.device)
    # The bag of a position is that of the last offset at or before it (empty bags repeat an offset).
    bag = _C.bucketize(positions, offsets[:num_bags], right=True) - 1
    member = positions < offsets[-1] if include_last_offset and offsets.numel() > 0 else positions >= 0
    return bag, member & (bag >= 0), num_bags


def _check_arguments(input, weight, offsets, mode, scale_grad_by_freq, sparse, per_sample_weights):
    if per_sample_weights is not None and tuple(input.shape) != tuple(per_sample_weights.shape):
        raise ValueError(f"[embedding_bag] if per_sample_weights ({tuple(per_sample_weights.shape)}) is not None, "
                         f"then it must have the same shape as the input ({tuple(input.shape)})")
    if input.dim() == 2 and offsets is not None:
        raise ValueError(f"[embedding_bag] if input is 2D, then offsets has to be None, as input is treated is a "
                         f"mini-batch of fixed length sequences. However, found offsets of type {type(offsets)}")
    if input.dim() == 1 and offsets is None:
        raise ValueError("[embedding_bag] offsets has to be a 1D Tensor but got None")
    if input.dim() == 1 and offsets.dim() != 1:
        raise ValueError(f"[embedding_bag] offsets has to be a 1D Tensor, got {tuple(offsets.shape)}")
    if input.dim() not in (1, 2):
        raise ValueError(f"[embedding_bag] input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}")
    if mode not in ("sum", "mean", "max"):
        raise ValueError(f"[embedding_bag] mode has to be one of sum, mean or max, got {mode!r}")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("[embedding_bag] max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise ValueError("[embedding_bag] max mode does not support sparse weights")
    if scale_grad_by_freq or sparse:
        raise NotImplementedError("[embedding_bag] scale_grad_by_freq and sparse are not supported")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(f"[embedding_bag] per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature request "
                                  f"on GitHub.")
    if weight.dim() != 2:
        raise RuntimeError(f"[embedding_bag] weight must be 2-D (num_embeddings, embedding_dim), got "
                           f"{tuple(weight.shape)}")
    if input.is_floating_point() or input.dtype == _C.bool:
        raise RuntimeError(f"[embedding_bag] expected integer indices, got {input.dtype}")


def _padding_index(padding_idx: Optional[int], num_embeddings: int) -> Optional[int]:
    if padding_idx is None:
        return None
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise RuntimeError(f"[embedding_bag] padding_idx must be within the number of embeddings, "
                           f"-{num_embeddings} through {num_embeddings - 1}, but got {padding_idx}")
    return padding_idx % num_embeddings


def embedding_bag(input: Tensor, weight: Tensor, offsets: Optional[Tensor] = None, max_norm: Optional[float] = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Optional[Tensor] = None, include_last_offset: bool = False,
                  padding_idx: Optional[int] = None) -> Tensor:
    """The sum, mean or max of the rows of weight named by each bag of indices: the rows of a 2-D input, or the
    runs of a 1-D input that start at offsets. per_sample_weights scales each row (mode "sum"); indices equal to
    padding_idx are left out; an empty bag gives zeros; max_norm first renormalizes the rows used, in place."""
    if weight.dtype == _C.int64 and input.is_floating_point():
        warnings.warn("Argument order of nn.functional.embedding_bag was changed. Usage `embedding_bag(weight, "
                      "input, ...)` is deprecated, and should now be `embedding_bag(input, weight, ...)`.")
        weight, input = input, weight
    _check_arguments(input, weight, offsets, mode, scale_grad_by_freq, sparse, per_sample_weights)
    num_embeddings = weight.shape[0]
    padding_idx = _padding_index(padding_idx, num_embeddings)
    indices = input.reshape(-1).long()
    if indices.numel() and ((indices < 0) | (indices >= num_embeddings)).any().item():
        raise RuntimeError(f"[embedding_bag] index out of range: indices must be in [0, {num_embeddings})")
    if input.dim() == 2:
        num_bags = input.shape[0]
        bag = _C.arange(num_bags, device=input.device).repeat_interleave(input.shape[1])
        member = _C.ones(indices.shape, dtype=_C.bool, device=input.device)
    else:
        bag, member, num_bags = _bags_of_offsets(input, offsets, include_last_offset)
    if max_norm is not None:
        _renorm_rows(weight, indices, max_norm, norm_type)
    if padding_idx is not None:
        member = member & (indices != padding_idx)
    kept = member.nonzero().reshape(-1)
    bag = bag.index_select(0, kept)
    # Half-precision bags accumulate in float32 and round once, as PyTorch's.
    dtype = _C.float32 if weight.dtype in (_C.float16, _C.bfloat16) else weight.dtype
    rows = weight.index_select(0, indices.index_select(0, kept)).to(dtype)
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.reshape(-1).index_select(0, kept).to(dtype).unsqueeze(1)
    return _reduce_bags(rows, bag, num_bags, mode).to(weight.dtype)


def _reduce_bags(rows: Tensor, bag: Tensor, num_bags: int, mode: str) -> Tensor:
    """The sum, mean or max of rows (K, D) per bag (K,); an empty bag gives zeros."""
    out = _C.zeros((num_bags, rows.shape[1]), dtype=rows.dtype, device=rows.device)
    if mode == "max":
        # include_self=False: a bag's maximum is over its rows only, and an empty bag keeps the zeros.
        spread = bag.unsqueeze(1).expand(bag.shape[0], rows.shape[1])
        return out.scatter_reduce(0, spread, rows, "amax", include_self=False)
    out = out.index_add(0, bag, rows)
    if mode == "mean":
        counts = _C.zeros(num_bags, dtype=rows.dtype, device=rows.device)
        counts = counts.index_add(0, bag, _C.ones(bag.shape, dtype=rows.dtype, device=rows.device))
        out = out / counts.clamp_min(1).unsqueeze(1)
    return out
