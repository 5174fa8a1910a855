"""scaled_dot_product_attention (PyTorch 2's ``torch.nn.functional`` operator) composed in Python of matmul and
softmax, so that it runs on every device and autograd differentiates it; re-exported by
``libtensor.nn.functional``."""
import math
from typing import Optional

from .. import _C
from .._C import Tensor
from . import functional as F

__all__ = ["scaled_dot_product_attention"]


def _check_shapes(query: Tensor, key: Tensor, value: Tensor) -> None:
    for name, t in (("query", query), ("key", key), ("value", value)):
        if t.dim() < 2:
            raise RuntimeError(f"[scaled_dot_product_attention] expected {name} of shape (..., length, features), "
                               f"got {tuple(t.shape)}")
    if not query.dtype == key.dtype == value.dtype:
        raise RuntimeError(f"[scaled_dot_product_attention] expected query, key and value to have the same dtype, "
                           f"got {query.dtype}, {key.dtype} and {value.dtype}")
    if query.shape[-1] != key.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise RuntimeError(f"[scaled_dot_product_attention] expected query (..., L, E), key (..., S, E) and value "
                           f"(..., S, Ev), got {tuple(query.shape)}, {tuple(key.shape)} and {tuple(value.shape)}")


def _causal_mask(target_len: int, source_len: int, device) -> Tensor:
    # Query i may see keys 0..i: the lower triangle aligned at the top left (PyTorch's choice when L != S).
    return _C.ones((target_len, source_len), dtype=_C.bool, device=device).tril()


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Optional[Tensor] = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, *,
                                 scale: Optional[float] = None) -> Tensor:
    """softmax(query key^T * scale + mask) value for query (..., L, E), key (..., S, E), value (..., S, Ev),
    the leading dims broadcast: a bool attn_mask keeps the scores where it is True, a float one is added;
    is_causal masks each query's later keys; scale defaults to 1 / sqrt(E); dropout_p drops attention weights."""
    _check_shapes(query, key, value)
    if is_causal and attn_mask is not None:
        raise RuntimeError("[scaled_dot_product_attention] attn_mask must be None when is_causal is True")
    if scale is None:
        scale = 1.0 / math.sqrt(query.shape[-1]) if query.shape[-1] else 1.0
    scores = _C.matmul(query, key.transpose(-2, -1)) * scale
    if is_causal:
        attn_mask = _causal_mask(query.shape[-2], key.shape[-2], query.device)
    if attn_mask is not None:
        if attn_mask.dtype == _C.bool:
            scores = _C.where(attn_mask, scores, float("-inf"))
        elif attn_mask.is_floating_point():
            scores = scores + attn_mask
        else:
            raise RuntimeError(f"[scaled_dot_product_attention] expected a bool or floating-point attn_mask, got "
                               f"{attn_mask.dtype}")
    weights = F.softmax(scores, -1)
    if dropout_p > 0.0:
        weights = F.dropout(weights, dropout_p, True)
    return _C.matmul(weights, value)
