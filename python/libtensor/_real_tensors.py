"""Predicates and small methods of PyTorch's Tensor, as methods and top-level functions.

libtensor has no complex dtypes and no lazy conjugate or negative bits, so the conjugation family returns the
tensor itself and its predicates are constant, as PyTorch's are for real tensors.
"""
from typing import Optional

from . import _C
from ._C import Tensor
from ._functional_aliases import _to_out

__all__ = ["is_signed", "is_complex", "is_nonzero", "is_same_size", "isreal", "is_inference", "is_neg", "is_conj",
           "resolve_conj", "resolve_neg", "conj", "conj_physical", "conj_physical_", "positive"]


# --- the methods ---------------------------------------------------------------------------------------------

def _is_signed(self):
    return self.dtype.is_signed


def _is_nonzero(self):
    n = self.numel()
    if n != 1:
        amount = "no values" if n == 0 else "more than one value"
        raise RuntimeError(f"Boolean value of Tensor with {amount} is ambiguous")
    return bool(self.item())  # NaN is nonzero


def _is_same_size(self, other):
    return tuple(self.shape) == tuple(_tensor_argument("is_same_size", "other", 2, other).shape)


def _isreal(self):
    return _C.ones_like(self, dtype=_C.bool)


def _false(self):
    return False


def _itself(self):
    return self


def _positive(self):
    if self.dtype == _C.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return self


Tensor.is_signed = _is_signed
Tensor.is_nonzero = _is_nonzero
Tensor.is_same_size = _is_same_size
Tensor.isreal = _isreal
Tensor.is_inference = _false  # tensors are never marked as made in inference mode
Tensor.is_neg = _false
Tensor.is_conj = _false
Tensor.resolve_conj = _itself
Tensor.resolve_neg = _itself
Tensor.conj = _itself
Tensor.conj_physical = _itself
Tensor.conj_physical_ = _itself
Tensor.positive = _positive


# --- the functions -------------------------------------------------------------------------------------------

def _tensor_argument(function, name, position, value):
    if not isinstance(value, Tensor):
        raise TypeError(f"{function}(): argument '{name}' (position {position}) must be Tensor, "
                        f"not {type(value).__name__}")
    return value


def is_signed(input: Tensor) -> bool:
    """Whether input's dtype holds negative values (every dtype but bool and uint8)."""
    return _tensor_argument("is_signed", "input", 1, input).is_signed()


def is_complex(input: Tensor) -> bool:
    """Always False: libtensor has no complex dtypes."""
    return _tensor_argument("is_complex", "input", 1, input).is_complex()


def is_nonzero(input: Tensor) -> bool:
    """Whether the single element of input is nonzero; a RuntimeError for other sizes."""
    return _tensor_argument("is_nonzero", "input", 1, input).is_nonzero()


def is_same_size(input: Tensor, other: Tensor) -> bool:
    """Whether the two tensors have the same shape."""
    return _tensor_argument("is_same_size", "input", 1, input).is_same_size(other)


def isreal(input: Tensor) -> Tensor:
    """A bool tensor of input's shape, all True: every element of a real tensor is real."""
    return _tensor_argument("isreal", "input", 1, input).isreal()


def is_inference(input: Tensor) -> bool:
    """Always False: no tensor is marked as made in inference mode."""
    return _tensor_argument("is_inference", "input", 1, input).is_inference()


def is_neg(input: Tensor) -> bool:
    """Always False: libtensor has no lazy negation."""
    return _tensor_argument("is_neg", "input", 1, input).is_neg()


def is_conj(input: Tensor) -> bool:
    """Always False: libtensor has no lazy conjugation."""
    return _tensor_argument("is_conj", "input", 1, input).is_conj()


def resolve_conj(input: Tensor) -> Tensor:
    """input itself: nothing to conjugate."""
    return _tensor_argument("resolve_conj", "input", 1, input)


def resolve_neg(input: Tensor) -> Tensor:
    """input itself: nothing to negate."""
    return _tensor_argument("resolve_neg", "input", 1, input)


def conj(input: Tensor) -> Tensor:
    """input itself: the conjugate of a real tensor."""
    return _tensor_argument("conj", "input", 1, input)


def conj_physical(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """input itself (or out holding a copy): the conjugate of a real tensor."""
    return _to_out(_tensor_argument("conj_physical", "input", 1, input), out)


def conj_physical_(input: Tensor) -> Tensor:
    """input itself: conjugating a real tensor in place changes nothing."""
    return _tensor_argument("conj_physical_", "input", 1, input)


def positive(input: Tensor) -> Tensor:
    """input itself; a RuntimeError for bool tensors, as unary + on them."""
    return _tensor_argument("positive", "input", 1, input).positive()
