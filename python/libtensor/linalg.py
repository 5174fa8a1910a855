"""libtensor.linalg: vector norms and the cross product (matrix decompositions are not part of libtensor yet)."""
from typing import Optional, Sequence, Union

from . import _C
from ._C import Tensor

__all__ = ["vector_norm", "norm", "cross"]


def vector_norm(x: Tensor, ord: float = 2, dim: Optional[Union[int, Sequence[int]]] = None, keepdim: bool = False,
                *, dtype=None) -> Tensor:
    """(sum |x|^ord)^(1/ord) over dim (every element when None); ord inf / -inf: max / min |x|."""
    if dtype is not None:
        x = x.to(dtype)
    return _C.norm(x, float(ord), dim, keepdim)


def norm(x: Tensor, ord: Optional[Union[float, str]] = None, dim: Optional[Union[int, Sequence[int]]] = None,
         keepdim: bool = False, *, dtype=None) -> Tensor:
    """Vector norms: ord None is the 2-norm (of all elements, "fro" for a matrix); matrix norms with
    another ord are not supported."""
    if ord is None or ord == "fro":
        return vector_norm(x, 2, dim, keepdim, dtype=dtype)
    two_dims = x.dim() == 2 and dim is None or (not isinstance(dim, int) and dim is not None and len(dim) == 2)
    if isinstance(ord, str) or two_dims:
        raise NotImplementedError(f"linalg.norm: matrix norm ord={ord!r} is not supported")
    return vector_norm(x, ord, dim, keepdim, dtype=dtype)


def cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    """The cross product of the 3-vectors along dim (-1 by default, unlike torch.cross), input and other broadcast."""
    return _C._linalg_cross(input, other, dim)
