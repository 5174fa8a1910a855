"""Type stubs for ``libtensor._C``, the compiled core of libtensor (python/src/*.cpp).

Use it through the ``libtensor`` package. Names, keyword-only markers and defaults follow
the pybind11 bindings; tests/python/test_stubs.py checks them against the built module.
"""
import builtins
from typing import (Any, Callable, Dict, Iterator, List, Literal, NamedTuple, Optional, Sequence, SupportsIndex,
                    Tuple, Type, TypeVar, Union, overload, type_check_only)

import numpy as _np
from typing_extensions import Self, TypeAlias, TypeGuard

from libtensor import Size

# Builtins under other names: `bool` is a dtype in this module, and Tensor has methods
# named float, int and bool that would shadow them inside the class.
_int: TypeAlias = builtins.int
_float: TypeAlias = builtins.float
_bool: TypeAlias = builtins.bool
_str: TypeAlias = builtins.str

Number: TypeAlias = Union[builtins.int, builtins.float, builtins.bool]
"""A Python number: a weak scalar operand whose dtype gives way to a tensor's."""
_size: TypeAlias = Union[Size, Sequence[builtins.int]]
# Where the bindings accept a dtype: a dtype object, or Python's float (float64), int (int64) or bool.
_dtype: TypeAlias = Union["dtype", Type[builtins.float], Type[builtins.int], Type[builtins.bool]]
_device: TypeAlias = Union["device", builtins.str]
_ndarray: TypeAlias = _np.ndarray[Any, Any]
_dims: TypeAlias = Union[builtins.int, Sequence[builtins.int]]
# One item of a Python index: x[0], x[1:3], x[None], x[...], x[mask], x[[0, 2]], x[True].
_index_item: TypeAlias = Union[None, builtins.bool, builtins.int, slice, "builtins.ellipsis", "Tensor",
                               Sequence[Any], _ndarray]
_index: TypeAlias = Union[_index_item, Tuple[_index_item, ...]]
_TensorT = TypeVar("_TensorT", bound="Tensor")


@type_check_only
class _ValuesIndices(NamedTuple):
    """What max(dim), min(dim), sort, topk, kthvalue, median(dim), cummax and cummin return: a named tuple
    (values, indices), as torch.return_types.max and its siblings."""

    values: Tensor
    indices: Tensor


@type_check_only
class _MinMax(NamedTuple):
    """What aminmax returns: a named tuple (min, max)."""

    min: Tensor
    max: Tensor


@type_check_only
class _SignLogAbsDet(NamedTuple):
    """What slogdet returns: a named tuple (sign, logabsdet)."""

    sign: Tensor
    logabsdet: Tensor


@type_check_only
class _PLU(NamedTuple):
    """What lu and lu_unpack return: a named tuple (P, L, U) with A = P L U."""

    P: Tensor
    L: Tensor
    U: Tensor


@type_check_only
class _LUPivots(NamedTuple):
    """What linalg.lu_factor returns: a named tuple (LU, pivots)."""

    LU: Tensor
    pivots: Tensor


@type_check_only
class _LUPivotsInfo(NamedTuple):
    """What linalg.lu_factor_ex returns: a named tuple (LU, pivots, info)."""

    LU: Tensor
    pivots: Tensor
    info: Tensor


@type_check_only
class _InverseInfo(NamedTuple):
    """What linalg.inv_ex returns: a named tuple (inverse, info)."""

    inverse: Tensor
    info: Tensor


@type_check_only
class _EigenvaluesEigenvectors(NamedTuple):
    """What linalg.eigh returns: a named tuple (eigenvalues, eigenvectors)."""

    eigenvalues: Tensor
    eigenvectors: Tensor


@type_check_only
class _LInfo(NamedTuple):
    """What linalg.cholesky_ex returns: a named tuple (L, info)."""

    L: Tensor
    info: Tensor


# --- errors ----------------------------------------------------------------------------

class GradcheckError(RuntimeError):
    """Raised by autograd.gradcheck / gradgradcheck when analytical and numerical derivatives differ."""


class SafetensorError(ValueError):
    """Raised when a safetensors file breaks the format's rules; the message names the tensor and the rule."""


class OutOfMemoryError(RuntimeError):
    """Raised when a device has no memory left for an allocation, even after the caching allocator let go of its cache."""


class _LinAlgError(RuntimeError):
    """Raised by the linalg operators for a matrix they cannot take: singular for a solve or an inverse, not
    positive-definite for a Cholesky factorization; the message names the operator and the matrix of a batch."""


# --- dtypes and devices ----------------------------------------------------------------

class dtype:
    """A tensor element type, such as libtensor.float32; one object per type, so ``is`` compares them."""

    @property
    def is_floating_point(self) -> _bool:
        """Whether this is a floating-point type (float16, bfloat16, float32, float64)."""
    @property
    def is_signed(self) -> _bool:
        """Whether this type holds negative values (every type but bool and uint8)."""
    @property
    def is_complex(self) -> _bool:
        """Always False: libtensor has no complex types."""
    @property
    def itemsize(self) -> _int:
        """The size of one element in bytes."""
    def __repr__(self) -> _str: ...
    def __reduce__(self) -> _str: ...


float32: dtype  # the default float dtype (libtensor.float)
float64: dtype  # libtensor.double
float16: dtype  # libtensor.half
bfloat16: dtype
int64: dtype  # libtensor.long; the dtype of tensors made from Python ints
int32: dtype  # libtensor.int
int16: dtype  # libtensor.short
int8: dtype
uint8: dtype
bool: dtype


class device:
    """Where a tensor lives: ``device('cpu')``, ``device('cuda:0')``, ``device('cuda', 0)``.

    Compares equal to another device or to its string; this build runs tensors on the cpu only.
    """

    @overload
    def __init__(self, type: _str) -> None:
        """A device from a string such as 'cpu', 'cuda' or 'cuda:1'."""
    @overload
    def __init__(self, type: _str, index: _int) -> None:
        """A device from its type and a non-negative index: device('cuda', 0)."""
    @overload
    def __init__(self, device: device, /) -> None:
        """A copy of another device."""
    @property
    def type(self) -> _str:
        """'cpu' or 'cuda' (ROCm devices report 'cuda', as in PyTorch's ROCm builds)."""
    @property
    def index(self) -> Optional[_int]:
        """The device index; None for the cpu."""
    def __eq__(self, other: object, /) -> _bool: ...
    def __hash__(self) -> _int: ...
    def __str__(self) -> _str: ...
    def __repr__(self) -> _str: ...


# --- random numbers --------------------------------------------------------------------

class Generator:
    """A counter-based (Philox) random number generator; pass it as ``generator=`` to random functions."""

    def __init__(self, device: Optional[_device] = "cpu") -> None:
        """A new generator for `device` (only the cpu in this build)."""
    def manual_seed(self, seed: _int) -> Self:
        """Seeds the generator and restarts its stream; returns the generator."""
    def seed(self) -> _int:
        """Seeds the generator from a non-deterministic source and returns that seed."""
    def initial_seed(self) -> _int:
        """The seed the generator was last seeded with."""
    @property
    def device(self) -> device:
        """The device of the generator: the cpu."""
    def get_state(self) -> Tensor:
        """The generator's state (its seed and counter) as a uint8 tensor of 16 elements."""
    def set_state(self, new_state: Tensor) -> Self:
        """Restores a state from get_state(); returns the generator."""


default_generator: Generator
"""The generator random functions use when given no ``generator=``."""


def manual_seed(seed: _int) -> None:
    """Seeds the default generator (unlike torch.manual_seed, returns None)."""
def set_num_threads(int: _int) -> None:
    """The number of threads the CPU kernels use."""
def get_num_threads() -> _int:
    """The number of threads the CPU kernels use."""
def set_default_dtype(d: dtype) -> None:
    """Sets the dtype of factories without one, of Python floats, and of integer inputs' floating results."""
def get_default_dtype() -> dtype:
    """The dtype of factories without one and of Python floats: float32 unless set_default_dtype changed it."""
def seed() -> _int:
    """Seeds the default generator from a non-deterministic source and returns that seed."""
def initial_seed() -> _int:
    """The seed the default generator was last seeded with."""


# --- autograd objects ------------------------------------------------------------------

class Node:
    """A recorded operation's derivative: a tensor's ``grad_fn`` and the graph behind it."""

    def name(self) -> _str:
        """The node's name, such as 'MulBackward0' or 'AccumulateGrad'."""
    @property
    def next_functions(self) -> Tuple[Tuple[Optional[Node], _int], ...]:
        """The edges toward the inputs: (node, input_nr) pairs, node None where no gradient flows."""
    def __repr__(self) -> _str: ...


class RemovableHandle:
    """What register_hook returns: ``handle.remove()`` unregisters the hook."""

    def remove(self) -> None:
        """Unregisters the hook; does nothing if the tensor is gone or the hook was removed."""


class _FunctionCtx:
    def __init__(self) -> None: ...
    def _save(self, tensors: Sequence[Optional[Tensor]], /) -> None: ...
    def _saved(self) -> Tuple[Optional[Tensor], ...]: ...
    def _mark_non_differentiable(self, tensors: Sequence[Tensor], /) -> None: ...


# --- Tensor ----------------------------------------------------------------------------

class Tensor:
    """A strided, typed, autograd-aware array on one device (libtensor.Tensor).

    Made by creation functions (libtensor.tensor, zeros, arange, ...), not by calling the class.
    Operators broadcast their operands, and Python numbers are weak scalars: ``t + 1.5`` keeps a
    float16 tensor float16, and an int tensor plus a float gives the default float dtype.
    """

    __array_priority__: _int

    @overload
    def __init__(self) -> None:
        """The legacy constructor, as torch.Tensor(): an empty float32 tensor."""
    @overload
    def __init__(self, other: Tensor, /) -> None:
        """A tensor sharing other's data (how Tensor subclasses such as parameters are made)."""
    @overload
    def __init__(self, data: Sequence[Any], /) -> None:
        """A float32 tensor holding a copy of `data` (a nested sequence of numbers)."""
    @overload
    def __init__(self, *size: _int) -> None:
        """An uninitialized float32 tensor of the given size."""
    @staticmethod
    def _make_subclass(
        cls: Type[_TensorT], data: Tensor, require_grad: _bool = False  # pyright: ignore[reportSelfClsParameterName]
    ) -> _TensorT: ...

    # --- shape, layout and metadata ---
    @property
    def shape(self) -> Size:
        """The tensor's sizes as a libtensor.Size (a tuple of ints)."""
    @overload
    def size(self, dim: None = None) -> Size:
        """The tensor's sizes as a libtensor.Size."""
    @overload
    def size(self, dim: _int) -> _int:
        """The size of dimension `dim` (negative counts from the end)."""
    @overload
    def stride(self, dim: None = None) -> Tuple[_int, ...]:
        """The strides of every dimension, in elements."""
    @overload
    def stride(self, dim: _int) -> _int:
        """The stride of dimension `dim`, in elements."""
    def dim(self) -> _int:
        """The number of dimensions."""
    def ndimension(self) -> _int:
        """The number of dimensions (an alias of dim())."""
    @property
    def ndim(self) -> _int:
        """The number of dimensions."""
    def numel(self) -> _int:
        """The number of elements."""
    def nelement(self) -> _int:
        """The number of elements (an alias of numel())."""
    def element_size(self) -> _int:
        """The size of one element in bytes."""
    @property
    def itemsize(self) -> _int:
        """The size of one element in bytes."""
    @property
    def nbytes(self) -> _int:
        """``numel() * itemsize``: the bytes the elements take (not the whole storage)."""
    @property
    def dtype(self) -> dtype:
        """The element type."""
    @property
    def device(self) -> device:
        """The device the tensor lives on."""
    @property
    def is_cuda(self) -> _bool:
        """Whether the tensor is on a GPU."""
    @property
    def is_cpu(self) -> _bool:
        """Whether the tensor is on the cpu."""
    @property
    def is_sparse(self) -> _bool:
        """Always False: tensors are strided."""
    @property
    def is_quantized(self) -> _bool:
        """Always False."""
    @property
    def is_meta(self) -> _bool:
        """Always False."""
    def is_floating_point(self) -> _bool:
        """Whether the dtype is a floating-point type."""
    def is_complex(self) -> _bool:
        """Always False: libtensor has no complex types."""
    def is_contiguous(self, memory_format: Any = None) -> _bool:
        """Whether the elements are laid out row-major without gaps (memory_format is ignored)."""
    def storage_offset(self) -> _int:
        """The offset of the first element in the storage, in elements."""
    def data_ptr(self) -> _int:
        """The address of the first element."""
    def get_device(self) -> _int:
        """The device index: -1 for the cpu."""
    @property
    def data(self) -> Tensor:
        """The tensor detached from autograd (sharing memory); assigning another tensor makes this one use its
        data, dtype and shape, keeping its identity and autograd state."""
    @data.setter
    def data(self, other: Tensor) -> None: ...
    @property
    def T(self) -> Tensor:
        """A view with the dimensions reversed."""
    @property
    def mT(self) -> Tensor:
        """A view with the last two dimensions swapped (at least 2-D)."""
    @property
    def H(self) -> Tensor:
        """The conjugate transpose: for real tensors, a view with the dimensions reversed, like T."""
    @property
    def mH(self) -> Tensor:
        """The conjugate transpose of the last two dimensions: for real tensors, like mT."""
    def __hash__(self) -> _int: ...

    # --- conversions ---
    def item(self) -> Number:
        """The value of a one-element tensor as a Python bool, int or float."""
    def tolist(self) -> Any:
        """The elements as nested Python lists (a number for a 0-dim tensor)."""
    def __len__(self) -> _int:
        """The size of the first dimension (TypeError for 0-dim tensors)."""
    def __bool__(self) -> _bool:
        """The truth value of a one-element tensor (RuntimeError for more elements)."""
    def __float__(self) -> _float: ...
    def __int__(self) -> _int: ...
    def __index__(self) -> _int:
        """The value of a one-element integer tensor, so it can index Python sequences."""
    @overload
    def to(self, dtype: _dtype, non_blocking: _bool = False, copy: _bool = False, *,
           memory_format: Any = None) -> Tensor:
        """The tensor converted to `dtype`; itself when nothing changes and copy is False."""
    @overload
    def to(self, device: Optional[_device] = None, dtype: Optional[_dtype] = None, non_blocking: _bool = False,
           copy: _bool = False, *, memory_format: Any = None) -> Tensor:
        """The tensor on `device` and/or converted to `dtype`; itself when nothing changes and copy is False."""
    @overload
    def to(self, other: Tensor, /, non_blocking: _bool = False, copy: _bool = False, *,
           memory_format: Any = None) -> Tensor:
        """The tensor converted to the dtype and device of `other`."""
    def type_as(self, other: Tensor, /) -> Tensor:
        """The tensor converted to other's dtype."""
    def cpu(self) -> Tensor:
        """The tensor on the cpu: itself, in this build."""
    def cuda(self, device: Optional[Union[_device, _int]] = None, non_blocking: _bool = False) -> Tensor:
        """The tensor on a CUDA device; raises RuntimeError in a build without CUDA."""
    def pin_memory(self) -> Tensor:
        """The tensor itself (no pinned memory without CUDA)."""
    def is_pinned(self) -> _bool:
        """Always False."""
    def float(self) -> Tensor:
        """``self.to(libtensor.float32)``."""
    def double(self) -> Tensor:
        """``self.to(libtensor.float64)``."""
    def half(self) -> Tensor:
        """``self.to(libtensor.float16)``."""
    def bfloat16(self) -> Tensor:
        """``self.to(libtensor.bfloat16)``."""
    def long(self) -> Tensor:
        """``self.to(libtensor.int64)``."""
    def int(self) -> Tensor:
        """``self.to(libtensor.int32)``."""
    def short(self) -> Tensor:
        """``self.to(libtensor.int16)``."""
    def char(self) -> Tensor:
        """``self.to(libtensor.int8)``."""
    def byte(self) -> Tensor:
        """``self.to(libtensor.uint8)``."""
    def bool(self) -> Tensor:
        """``self.to(libtensor.bool)``."""

    # --- views and copies ---
    @overload
    def view(self, size: _size, /) -> Tensor:
        """A view with a new shape (one size may be -1); the strides must allow it without a copy."""
    @overload
    def view(self, *size: _int) -> Tensor:
        """A view with a new shape (one size may be -1); the strides must allow it without a copy."""
    @overload
    def reshape(self, shape: _size, /) -> Tensor:
        """The tensor with a new shape (one size may be -1): a view where possible, else a copy."""
    @overload
    def reshape(self, *shape: _int) -> Tensor:
        """The tensor with a new shape (one size may be -1): a view where possible, else a copy."""
    def view_as(self, other: Tensor, /) -> Tensor:
        """``self.view(other.shape)``."""
    def reshape_as(self, other: Tensor, /) -> Tensor:
        """``self.reshape(other.shape)``."""
    @overload
    def permute(self, dims: _size, /) -> Tensor:
        """A view with the dimensions reordered: result dim i is input dim dims[i]."""
    @overload
    def permute(self, *dims: _int) -> Tensor:
        """A view with the dimensions reordered: result dim i is input dim dims[i]."""
    def transpose(self, dim0: _int, dim1: _int) -> Tensor:
        """A view with dimensions dim0 and dim1 swapped."""
    def swapaxes(self, axis0: _int, axis1: _int) -> Tensor:
        """A view with two dimensions swapped (numpy's name for transpose)."""
    def swapdims(self, dim0: _int, dim1: _int) -> Tensor:
        """A view with two dimensions swapped (an alias of transpose)."""
    def t(self) -> Tensor:
        """The transpose of a tensor of at most 2 dimensions, as a view."""
    @overload
    def expand(self, size: _size, /) -> Tensor:
        """A broadcast view to a larger shape (-1 keeps a size); expanded dims have stride 0."""
    @overload
    def expand(self, *size: _int) -> Tensor:
        """A broadcast view to a larger shape (-1 keeps a size); expanded dims have stride 0."""
    def expand_as(self, other: Tensor, /) -> Tensor:
        """``self.expand(other.shape)``."""
    def broadcast_to(self, size: _size) -> Tensor:
        """A broadcast view of self with the given size (-1 keeps a size), as expand."""
    def squeeze(self, dim: Optional[_int] = None) -> Tensor:
        """A view without size-1 dimensions: all of them, or only `dim` if it has size 1."""
    def unsqueeze(self, dim: _int) -> Tensor:
        """A view with a size-1 dimension inserted at `dim`."""
    def flatten(self, start_dim: _int = 0, end_dim: _int = -1) -> Tensor:
        """Dimensions start_dim..end_dim merged into one: a view where possible (0-dim gives 1-D)."""
    def unflatten(self, dim: _int, sizes: _size) -> Tensor:
        """Dimension `dim` split into `sizes` (one may be -1)."""
    def narrow(self, dim: _int, start: _int, length: _int) -> Tensor:
        """A view of `length` elements of dimension `dim` from `start`."""
    def select(self, dim: _int, index: _int) -> Tensor:
        """A view of one index of dimension `dim`, which the result drops (``x[:, i]``)."""
    def diagonal(self, offset: _int = 0, dim1: _int = 0, dim2: _int = 1) -> Tensor:
        """A view of the diagonal of dims dim1 and dim2 (above it for offset > 0), as the last dim."""
    def as_strided(self, size: _size, stride: _size, storage_offset: Optional[_int] = None) -> Tensor:
        """A view of the same storage with the given sizes, strides and offset (default: the tensor's)."""
    def unfold(self, dimension: _int, size: _int, step: _int) -> Tensor:
        """A view of every `size`-long window of `dimension`, `step` apart, as a new last dimension."""
    def contiguous(self, memory_format: Any = None) -> Tensor:
        """The tensor itself when contiguous, else a contiguous copy."""
    def clone(self, memory_format: Any = None) -> Tensor:
        """A copy with its own memory (differentiable)."""
    def copy_(self, src: Tensor, non_blocking: _bool = False) -> Self:
        """Copies `src` (broadcast, cast to self's dtype) into self, in place; returns self."""
    def fill_(self, value: Number) -> Self:
        """Sets every element to `value`, in place; returns self."""
    def zero_(self) -> Self:
        """Sets every element to zero, in place; returns self."""
    def _set_data(self, other: Tensor, /) -> None: ...
    def unbind(self, dim: _int = 0) -> Tuple[Tensor, ...]:
        """The slices along `dim`, as a tuple of views."""
    def split(self, split_size: Union[_int, Sequence[_int]], dim: _int = 0) -> Tuple[Tensor, ...]:
        """Views of consecutive slices along dim: of split_size each (the last may be smaller), or of the sizes given."""
    def chunk(self, chunks: _int, dim: _int = 0) -> Tuple[Tensor, ...]:
        """At most `chunks` views of equal size (the last may be smaller) along dim."""
    def tensor_split(self, indices_or_sections: Union[_int, Tensor, Sequence[_int]],
                     dim: _int = 0) -> Tuple[Tensor, ...]:
        """Views along dim: n near-equal pieces (the first ones one longer), or the pieces between the indices given."""
    def movedim(self, source: _dims, destination: _dims) -> Tensor:
        """A view with the dims `source` moved to positions `destination`, the others in order."""
    def moveaxis(self, source: _dims, destination: _dims) -> Tensor:
        """An alias of movedim."""
    def repeat(self, *sizes: _int) -> Tensor:
        """A copy with the tensor repeated sizes[i] times along dim i (leading new dims allowed)."""
    def tile(self, *dims: _int) -> Tensor:
        """repeat, with fewer dims than the tensor padded by leading ones."""
    def roll(self, shifts: _dims, dims: Optional[_dims] = None) -> Tensor:
        """The elements shifted along dims, wrapping around; without dims, over the flattened tensor."""
    def tril(self, diagonal: _int = 0) -> Tensor:
        """The lower triangle of the last two dims (from diagonal k up), the rest zero."""
    def tril_(self, diagonal: _int = 0) -> Self:
        """In-place tril; returns self."""
    def triu(self, diagonal: _int = 0) -> Tensor:
        """The upper triangle of the last two dims (from diagonal k on), the rest zero."""
    def triu_(self, diagonal: _int = 0) -> Self:
        """In-place triu; returns self."""

    # --- arithmetic (Python numbers are weak scalars; tensors broadcast) ---
    def add(self, other: Union[Tensor, Number], *, alpha: Number = 1) -> Tensor:
        """``self + alpha * other``, broadcasting; a Python number is a weak scalar."""
    def add_(self, other: Union[Tensor, Number], *, alpha: Number = 1) -> Self:
        """In-place ``self += alpha * other``; returns self."""
    def sub(self, other: Union[Tensor, Number], *, alpha: Number = 1) -> Tensor:
        """``self - alpha * other``, broadcasting; a Python number is a weak scalar."""
    def sub_(self, other: Union[Tensor, Number], *, alpha: Number = 1) -> Self:
        """In-place ``self -= alpha * other``; returns self."""
    def subtract(self, other: Union[Tensor, Number], *, alpha: Number = 1) -> Tensor:
        """An alias of sub."""
    def subtract_(self, other: Union[Tensor, Number], *, alpha: Number = 1) -> Self:
        """An alias of sub_."""
    def div(self, other: Union[Tensor, Number], *, rounding_mode: Optional[_str] = None) -> Tensor:
        """``self / other``, broadcasting: true division (integers give floats) unless rounding_mode is
        'trunc' (toward zero) or 'floor' (toward -inf), which keep integer dtypes."""
    def div_(self, other: Union[Tensor, Number], *, rounding_mode: Optional[_str] = None) -> Self:
        """In-place div; returns self."""
    def divide(self, other: Union[Tensor, Number], *, rounding_mode: Optional[_str] = None) -> Tensor:
        """An alias of div."""
    def divide_(self, other: Union[Tensor, Number], *, rounding_mode: Optional[_str] = None) -> Self:
        """An alias of div_."""
    def true_divide(self, other: Union[Tensor, Number], *, rounding_mode: Optional[_str] = None) -> Tensor:
        """An alias of div."""
    def true_divide_(self, other: Union[Tensor, Number], *, rounding_mode: Optional[_str] = None) -> Self:
        """An alias of div_."""
    def mul(self, other: Union[Tensor, Number]) -> Tensor:
        """Multiplies ``self * other`` elementwise, broadcasting; Python numbers are weak scalars."""
    def mul_(self, other: Union[Tensor, Number]) -> Self:
        """In-place mul: self = mul(self, other); returns self."""
    def floor_divide(self, other: Union[Tensor, Number]) -> Tensor:
        """``self // other``: the quotient rounded toward -inf, broadcasting (Python's ``//``)."""
    def floor_divide_(self, other: Union[Tensor, Number]) -> Self:
        """In-place floor_divide: self = floor_divide(self, other); returns self."""
    def remainder(self, other: Union[Tensor, Number]) -> Tensor:
        """``self % other`` with the sign of the divisor (Python's ``%``), broadcasting."""
    def remainder_(self, other: Union[Tensor, Number]) -> Self:
        """In-place remainder: self = remainder(self, other); returns self."""
    def pow(self, other: Union[Tensor, Number]) -> Tensor:
        """``self ** other`` elementwise, broadcasting; a number base or exponent is a weak scalar."""
    def pow_(self, other: Union[Tensor, Number]) -> Self:
        """In-place pow: self = pow(self, other); returns self."""
    def float_power(self, exponent: Union[Tensor, Number]) -> Tensor:
        """``self ** exponent`` elementwise in float64, broadcasting."""
    def bitwise_and(self, other: Union[Tensor, Number]) -> Tensor:
        """Bitwise AND of integer or bool tensors (``&``), broadcasting."""
    def bitwise_and_(self, other: Union[Tensor, Number]) -> Self:
        """In-place bitwise_and: self = bitwise_and(self, other); returns self."""
    def bitwise_or(self, other: Union[Tensor, Number]) -> Tensor:
        """Bitwise OR of integer or bool tensors (``|``), broadcasting."""
    def bitwise_or_(self, other: Union[Tensor, Number]) -> Self:
        """In-place bitwise_or: self = bitwise_or(self, other); returns self."""
    def bitwise_xor(self, other: Union[Tensor, Number]) -> Tensor:
        """Bitwise XOR of integer or bool tensors (``^``), broadcasting."""
    def bitwise_xor_(self, other: Union[Tensor, Number]) -> Self:
        """In-place bitwise_xor: self = bitwise_xor(self, other); returns self."""
    def bitwise_left_shift(self, other: Union[Tensor, Number]) -> Tensor:
        """``self << other`` for integer tensors, broadcasting."""
    def bitwise_left_shift_(self, other: Union[Tensor, Number]) -> Self:
        """In-place bitwise_left_shift: self = bitwise_left_shift(self, other); returns self."""
    def bitwise_right_shift(self, other: Union[Tensor, Number]) -> Tensor:
        """``self >> other`` (arithmetic for signed integers), broadcasting."""
    def bitwise_right_shift_(self, other: Union[Tensor, Number]) -> Self:
        """In-place bitwise_right_shift: self = bitwise_right_shift(self, other); returns self."""
    def eq(self, other: Union[Tensor, Number]) -> Tensor:
        """``self == other`` elementwise as a bool tensor, broadcasting."""
    def eq_(self, other: Union[Tensor, Number]) -> Self:
        """In-place eq: self = eq(self, other); returns self."""
    def ne(self, other: Union[Tensor, Number]) -> Tensor:
        """``self != other`` elementwise as a bool tensor, broadcasting."""
    def ne_(self, other: Union[Tensor, Number]) -> Self:
        """In-place ne: self = ne(self, other); returns self."""
    def lt(self, other: Union[Tensor, Number]) -> Tensor:
        """``self < other`` elementwise as a bool tensor, broadcasting."""
    def lt_(self, other: Union[Tensor, Number]) -> Self:
        """In-place lt: self = lt(self, other); returns self."""
    def le(self, other: Union[Tensor, Number]) -> Tensor:
        """``self <= other`` elementwise as a bool tensor, broadcasting."""
    def le_(self, other: Union[Tensor, Number]) -> Self:
        """In-place le: self = le(self, other); returns self."""
    def gt(self, other: Union[Tensor, Number]) -> Tensor:
        """``self > other`` elementwise as a bool tensor, broadcasting."""
    def gt_(self, other: Union[Tensor, Number]) -> Self:
        """In-place gt: self = gt(self, other); returns self."""
    def ge(self, other: Union[Tensor, Number]) -> Tensor:
        """``self >= other`` elementwise as a bool tensor, broadcasting."""
    def ge_(self, other: Union[Tensor, Number]) -> Self:
        """In-place ge: self = ge(self, other); returns self."""
    def fmod(self, other: Union[Tensor, Number]) -> Tensor:
        """The C-style remainder of ``self / other``, with the sign of the dividend, broadcasting."""
    def fmod_(self, other: Union[Tensor, Number]) -> Self:
        """In-place fmod: self = fmod(self, other); returns self."""
    def atan2(self, other: Union[Tensor, Number]) -> Tensor:
        """The angle of the point (other, input): arctan(input / other) in the right quadrant, broadcasting."""
    def atan2_(self, other: Union[Tensor, Number]) -> Self:
        """In-place atan2: self = atan2(self, other); returns self."""
    def copysign(self, other: Union[Tensor, Number]) -> Tensor:
        """The magnitude of self with the sign of other, broadcasting; integers give float32."""
    def copysign_(self, other: Union[Tensor, Number]) -> Self:
        """In-place copysign: self = copysign(self, other); returns self."""
    def hypot(self, other: Tensor) -> Tensor:
        """``sqrt(self**2 + other**2)`` without overflow, broadcasting; floating tensors only."""
    def hypot_(self, other: Tensor) -> Self:
        """In-place hypot: self = hypot(self, other); returns self."""
    def xlogy(self, other: Union[Tensor, Number]) -> Tensor:
        """``self * log(other)``, 0 where self is 0 (unless other is nan), broadcasting."""
    def xlogy_(self, other: Union[Tensor, Number]) -> Self:
        """In-place xlogy: self = xlogy(self, other); returns self."""
    def maximum(self, other: Tensor) -> Tensor:
        """The elementwise maximum of two tensors, broadcasting (nan propagates); no numbers."""
    def maximum_(self, other: Tensor) -> Self:
        """In-place maximum: self = maximum(self, other); returns self."""
    def minimum(self, other: Tensor) -> Tensor:
        """The elementwise minimum of two tensors, broadcasting (nan propagates); no numbers."""
    def minimum_(self, other: Tensor) -> Self:
        """In-place minimum: self = minimum(self, other); returns self."""
    def fmax(self, other: Tensor) -> Tensor:
        """The elementwise maximum of two tensors, broadcasting; a number wins over nan."""
    def fmin(self, other: Tensor) -> Tensor:
        """The elementwise minimum of two tensors, broadcasting; a number wins over nan."""
    def logaddexp(self, other: Tensor) -> Tensor:
        """``log(exp(self) + exp(other))`` without overflow, broadcasting."""
    def logaddexp2(self, other: Tensor) -> Tensor:
        """``log2(2**self + 2**other)`` without overflow, broadcasting."""
    def heaviside(self, values: Tensor) -> Tensor:
        """0 where self is below zero, 1 above it, `values` (broadcast) where it is zero."""
    def logical_and(self, other: Union[Tensor, Number]) -> Tensor:
        """``a and b`` of the elements' truth values, as a bool tensor, broadcasting."""
    def logical_and_(self, other: Union[Tensor, Number]) -> Self:
        """In-place logical_and: self = logical_and(self, other); returns self."""
    def logical_or(self, other: Union[Tensor, Number]) -> Tensor:
        """``a or b`` of the elements' truth values, as a bool tensor, broadcasting."""
    def logical_or_(self, other: Union[Tensor, Number]) -> Self:
        """In-place logical_or: self = logical_or(self, other); returns self."""
    def logical_xor(self, other: Union[Tensor, Number]) -> Tensor:
        """``a != b`` of the elements' truth values, as a bool tensor, broadcasting."""
    def logical_xor_(self, other: Union[Tensor, Number]) -> Self:
        """In-place logical_xor: self = logical_xor(self, other); returns self."""
    def multiply(self, other: Union[Tensor, Number]) -> Tensor:
        """An alias of mul."""
    def multiply_(self, other: Union[Tensor, Number]) -> Self:
        """An alias of mul_."""
    def greater(self, other: Union[Tensor, Number]) -> Tensor:
        """An alias of gt."""
    def greater_(self, other: Union[Tensor, Number]) -> Self:
        """An alias of gt_."""
    def greater_equal(self, other: Union[Tensor, Number]) -> Tensor:
        """An alias of ge."""
    def greater_equal_(self, other: Union[Tensor, Number]) -> Self:
        """An alias of ge_."""
    def less(self, other: Union[Tensor, Number]) -> Tensor:
        """An alias of lt."""
    def less_(self, other: Union[Tensor, Number]) -> Self:
        """An alias of lt_."""
    def less_equal(self, other: Union[Tensor, Number]) -> Tensor:
        """An alias of le."""
    def less_equal_(self, other: Union[Tensor, Number]) -> Self:
        """An alias of le_."""
    def not_equal(self, other: Union[Tensor, Number]) -> Tensor:
        """An alias of ne."""
    def not_equal_(self, other: Union[Tensor, Number]) -> Self:
        """An alias of ne_."""
    def arctan2(self, other: Union[Tensor, Number]) -> Tensor:
        """An alias of atan2."""
    def arctan2_(self, other: Union[Tensor, Number]) -> Self:
        """An alias of atan2_."""
    # --- Python operators ---
    def __add__(self, other: Union[Tensor, Number], /) -> Tensor:
        """``self + other``, broadcasting; Python numbers are weak scalars."""
    def __radd__(self, other: Number, /) -> Tensor: ...
    def __iadd__(self, other: Union[Tensor, Number], /) -> Self: ...
    def __sub__(self, other: Union[Tensor, Number], /) -> Tensor:
        """``self - other``, broadcasting; Python numbers are weak scalars."""
    def __rsub__(self, other: Number, /) -> Tensor: ...
    def __isub__(self, other: Union[Tensor, Number], /) -> Self: ...
    def __mul__(self, other: Union[Tensor, Number], /) -> Tensor:
        """``self * other``, broadcasting; Python numbers are weak scalars."""
    def __rmul__(self, other: Number, /) -> Tensor: ...
    def __imul__(self, other: Union[Tensor, Number], /) -> Self: ...
    def __truediv__(self, other: Union[Tensor, Number], /) -> Tensor:
        """``self / other``: true division (integers give floats), broadcasting."""
    def __rtruediv__(self, other: Number, /) -> Tensor: ...
    def __itruediv__(self, other: Union[Tensor, Number], /) -> Self: ...
    def __floordiv__(self, other: Union[Tensor, Number], /) -> Tensor:
        """``self // other``, rounding toward -inf, broadcasting."""
    def __rfloordiv__(self, other: Number, /) -> Tensor: ...
    def __ifloordiv__(self, other: Union[Tensor, Number], /) -> Self: ...
    def __mod__(self, other: Union[Tensor, Number], /) -> Tensor:
        """``self % other`` with the sign of the divisor, broadcasting."""
    def __rmod__(self, other: Number, /) -> Tensor: ...
    def __imod__(self, other: Union[Tensor, Number], /) -> Self: ...
    def __pow__(self, other: Union[Tensor, Number], /) -> Tensor:
        """``self ** other``, broadcasting."""
    def __rpow__(self, other: Number, /) -> Tensor: ...
    def __ipow__(self, other: Union[Tensor, Number], /) -> Self: ...
    def __and__(self, other: Union[Tensor, Number], /) -> Tensor:
        """Bitwise AND (``&``) of integer or bool tensors, broadcasting."""
    def __rand__(self, other: Number, /) -> Tensor: ...
    def __iand__(self, other: Union[Tensor, Number], /) -> Self: ...
    def __or__(self, other: Union[Tensor, Number], /) -> Tensor:
        """Bitwise OR (``|``) of integer or bool tensors, broadcasting."""
    def __ror__(self, other: Number, /) -> Tensor: ...
    def __ior__(self, other: Union[Tensor, Number], /) -> Self: ...
    def __xor__(self, other: Union[Tensor, Number], /) -> Tensor:
        """Bitwise XOR (``^``) of integer or bool tensors, broadcasting."""
    def __rxor__(self, other: Number, /) -> Tensor: ...
    def __ixor__(self, other: Union[Tensor, Number], /) -> Self: ...
    def __lshift__(self, other: Union[Tensor, Number], /) -> Tensor:
        """``self << other`` for integer tensors, broadcasting."""
    def __rlshift__(self, other: Number, /) -> Tensor: ...
    def __ilshift__(self, other: Union[Tensor, Number], /) -> Self: ...
    def __rshift__(self, other: Union[Tensor, Number], /) -> Tensor:
        """``self >> other`` for integer tensors, broadcasting."""
    def __rrshift__(self, other: Number, /) -> Tensor: ...
    def __irshift__(self, other: Union[Tensor, Number], /) -> Self: ...
    def __eq__(self, other: Any, /) -> Tensor:  # type: ignore[override]
        """``self == other`` elementwise, as a bool tensor."""
    def __ne__(self, other: Any, /) -> Tensor:  # type: ignore[override]
        """``self != other`` elementwise, as a bool tensor."""
    def __lt__(self, other: Union[Tensor, Number], /) -> Tensor:
        """``self < other`` elementwise, as a bool tensor."""
    def __le__(self, other: Union[Tensor, Number], /) -> Tensor:
        """``self <= other`` elementwise, as a bool tensor."""
    def __gt__(self, other: Union[Tensor, Number], /) -> Tensor:
        """``self > other`` elementwise, as a bool tensor."""
    def __ge__(self, other: Union[Tensor, Number], /) -> Tensor:
        """``self >= other`` elementwise, as a bool tensor."""
    def __matmul__(self, other: Tensor, /) -> Tensor:
        """``self @ other``: matmul."""
    def __rmatmul__(self, other: Tensor, /) -> Tensor: ...
    def __neg__(self) -> Tensor:
        """``-self``."""
    def __pos__(self) -> Tensor:
        """``+self``: the tensor itself."""
    def __abs__(self) -> Tensor:
        """``abs(self)``."""
    def __invert__(self) -> Tensor:
        """``~self``: bitwise NOT (logical NOT for bool tensors)."""

    # --- elementwise functions ---
    def neg(self) -> Tensor:
        """Negation, ``-input``, elementwise (not for bool)."""
    def neg_(self) -> Self:
        """In-place neg; returns self."""
    def abs(self) -> Tensor:
        """Absolute value ``|input|``, elementwise."""
    def abs_(self) -> Self:
        """In-place abs; returns self."""
    def sign(self) -> Tensor:
        """-1, 0 or 1 by the sign of each element, in the input's dtype."""
    def sign_(self) -> Self:
        """In-place sign; returns self."""
    def sgn(self) -> Tensor:
        """The sign of each element, as sign for real tensors."""
    def sgn_(self) -> Self:
        """In-place sgn; returns self."""
    def exp(self) -> Tensor:
        """``e ** input``, elementwise; integer inputs give the default float dtype."""
    def exp_(self) -> Self:
        """In-place exp; returns self."""
    def exp2(self) -> Tensor:
        """``2 ** input``, elementwise; integer inputs give the default float dtype."""
    def exp2_(self) -> Self:
        """In-place exp2; returns self."""
    def expm1(self) -> Tensor:
        """``exp(input) - 1``, accurate near 0; integer inputs give the default float dtype."""
    def expm1_(self) -> Self:
        """In-place expm1; returns self."""
    def log(self) -> Tensor:
        """Natural logarithm, elementwise (nan below 0, -inf at 0); integers give the default float dtype."""
    def log_(self) -> Self:
        """In-place log; returns self."""
    def log2(self) -> Tensor:
        """Base-2 logarithm, elementwise; integer inputs give the default float dtype."""
    def log2_(self) -> Self:
        """In-place log2; returns self."""
    def log10(self) -> Tensor:
        """Base-10 logarithm, elementwise; integer inputs give the default float dtype."""
    def log10_(self) -> Self:
        """In-place log10; returns self."""
    def log1p(self) -> Tensor:
        """``log(1 + input)``, accurate near 0; integer inputs give the default float dtype."""
    def log1p_(self) -> Self:
        """In-place log1p; returns self."""
    def sqrt(self) -> Tensor:
        """Square root, elementwise (nan below 0); integer inputs give the default float dtype."""
    def sqrt_(self) -> Self:
        """In-place sqrt; returns self."""
    def rsqrt(self) -> Tensor:
        """``1 / sqrt(input)``, elementwise; integer inputs give the default float dtype."""
    def rsqrt_(self) -> Self:
        """In-place rsqrt; returns self."""
    def reciprocal(self) -> Tensor:
        """``1 / input``, elementwise; integer inputs give the default float dtype."""
    def reciprocal_(self) -> Self:
        """In-place reciprocal; returns self."""
    def sin(self) -> Tensor:
        """Sine (radians), elementwise; integer inputs give the default float dtype."""
    def sin_(self) -> Self:
        """In-place sin; returns self."""
    def cos(self) -> Tensor:
        """Cosine (radians), elementwise; integer inputs give the default float dtype."""
    def cos_(self) -> Self:
        """In-place cos; returns self."""
    def tan(self) -> Tensor:
        """Tangent (radians), elementwise; integer inputs give the default float dtype."""
    def tan_(self) -> Self:
        """In-place tan; returns self."""
    def asin(self) -> Tensor:
        """Arcsine, elementwise (nan outside [-1, 1]); integers give the default float dtype."""
    def asin_(self) -> Self:
        """In-place asin; returns self."""
    def acos(self) -> Tensor:
        """Arccosine, elementwise (nan outside [-1, 1]); integers give the default float dtype."""
    def acos_(self) -> Self:
        """In-place acos; returns self."""
    def atan(self) -> Tensor:
        """Arctangent, elementwise; integer inputs give the default float dtype."""
    def atan_(self) -> Self:
        """In-place atan; returns self."""
    def sinh(self) -> Tensor:
        """Hyperbolic sine, elementwise; integer inputs give the default float dtype."""
    def sinh_(self) -> Self:
        """In-place sinh; returns self."""
    def cosh(self) -> Tensor:
        """Hyperbolic cosine, elementwise; integer inputs give the default float dtype."""
    def cosh_(self) -> Self:
        """In-place cosh; returns self."""
    def tanh(self) -> Tensor:
        """Hyperbolic tangent, elementwise; integer inputs give the default float dtype."""
    def tanh_(self) -> Self:
        """In-place tanh; returns self."""
    def asinh(self) -> Tensor:
        """Inverse hyperbolic sine, elementwise; integer inputs give the default float dtype."""
    def asinh_(self) -> Self:
        """In-place asinh; returns self."""
    def acosh(self) -> Tensor:
        """Inverse hyperbolic cosine, elementwise (NaN below 1); integer inputs give the default float dtype."""
    def acosh_(self) -> Self:
        """In-place acosh; returns self."""
    def atanh(self) -> Tensor:
        """Inverse hyperbolic tangent, elementwise (NaN outside [-1, 1]); integer inputs give the default float dtype."""
    def atanh_(self) -> Self:
        """In-place atanh; returns self."""
    def deg2rad(self) -> Tensor:
        """Degrees converted to radians, elementwise; integer inputs give the default float dtype."""
    def deg2rad_(self) -> Self:
        """In-place deg2rad; returns self."""
    def rad2deg(self) -> Tensor:
        """Radians converted to degrees, elementwise; integer inputs give the default float dtype."""
    def rad2deg_(self) -> Self:
        """In-place rad2deg; returns self."""
    def sinc(self) -> Tensor:
        """The normalized sinc ``sin(pi x) / (pi x)``, 1 at 0, elementwise."""
    def sinc_(self) -> Self:
        """In-place sinc; returns self."""
    def erf(self) -> Tensor:
        """The error function, elementwise; integer inputs give the default float dtype."""
    def erf_(self) -> Self:
        """In-place erf; returns self."""
    def erfc(self) -> Tensor:
        """``1 - erf(input)``, elementwise; integer inputs give the default float dtype."""
    def erfc_(self) -> Self:
        """In-place erfc; returns self."""
    def erfinv(self) -> Tensor:
        """The inverse error function, elementwise; integer inputs give the default float dtype."""
    def erfinv_(self) -> Self:
        """In-place erfinv; returns self."""
    def lgamma(self) -> Tensor:
        """``log(abs(gamma(self)))``, elementwise (inf at the poles); integers give float32."""
    def lgamma_(self) -> Self:
        """In-place lgamma; returns self."""
    def digamma(self) -> Tensor:
        """The logarithmic derivative of gamma, elementwise (nan at negative integers); integers give float32."""
    def digamma_(self) -> Self:
        """In-place digamma; returns self."""
    def polygamma(self, n: _int) -> Tensor:
        """The n-th derivative of digamma at self, elementwise."""
    def polygamma_(self, n: _int) -> Self:
        """In-place polygamma; returns self."""
    def sigmoid(self) -> Tensor:
        """The logistic function ``1 / (1 + exp(-input))``, elementwise (torch.special.expit)."""
    def sigmoid_(self) -> Self:
        """In-place sigmoid; returns self."""
    def logit(self, eps: Optional[_float] = None) -> Tensor:
        """``log(self / (1 - self))``, elementwise; self is clamped to [eps, 1 - eps] first when eps is given."""
    def logit_(self, eps: Optional[_float] = None) -> Self:
        """In-place logit; returns self."""
    def relu(self) -> Tensor:
        """``max(input, 0)``, elementwise, in the input's dtype (not for bool)."""
    def relu_(self) -> Self:
        """In-place relu; returns self."""
    def floor(self) -> Tensor:
        """Rounds down to an integral value, elementwise; integer tensors are returned as they are."""
    def floor_(self) -> Self:
        """In-place floor; returns self."""
    def ceil(self) -> Tensor:
        """Rounds up to an integral value, elementwise; integer tensors are returned as they are."""
    def ceil_(self) -> Self:
        """In-place ceil; returns self."""
    def round(self, *, decimals: _int = 0) -> Tensor:
        """Rounds to the nearest integral value (or to `decimals` decimal places), halves to even."""
    def round_(self, *, decimals: _int = 0) -> Self:
        """In-place round; returns self."""
    def trunc(self) -> Tensor:
        """Rounds toward zero, elementwise (numpy's fix)."""
    def trunc_(self) -> Self:
        """In-place trunc; returns self."""
    def frac(self) -> Tensor:
        """The fractional part ``input - trunc(input)``; floating-point tensors only."""
    def frac_(self) -> Self:
        """In-place frac; returns self."""
    def square(self) -> Tensor:
        """``input * input``, elementwise, in the input's dtype (bool promotes to int64)."""
    def square_(self) -> Self:
        """In-place square; returns self."""
    def logical_not(self) -> Tensor:
        """``not x`` of each element's truth value, as a bool tensor."""
    def logical_not_(self) -> Self:
        """In-place logical_not; returns self."""
    def bitwise_not(self) -> Tensor:
        """Bitwise NOT of integers, logical NOT of bools (the ``~`` operator)."""
    def bitwise_not_(self) -> Self:
        """In-place bitwise_not; returns self."""
    def isnan(self) -> Tensor:
        """Whether each element is nan, as a bool tensor."""
    def isinf(self) -> Tensor:
        """Whether each element is +inf or -inf, as a bool tensor."""
    def isfinite(self) -> Tensor:
        """Whether each element is neither inf nor nan, as a bool tensor."""
    def signbit(self) -> Tensor:
        """Whether each element's sign bit is set (-0.0 included), as a bool tensor."""
    def absolute(self) -> Tensor:
        """An alias of abs."""
    def absolute_(self) -> Self:
        """An alias of abs_."""
    def negative(self) -> Tensor:
        """An alias of neg."""
    def negative_(self) -> Self:
        """An alias of neg_."""
    def arcsin(self) -> Tensor:
        """An alias of asin."""
    def arcsin_(self) -> Self:
        """An alias of asin_."""
    def arccos(self) -> Tensor:
        """An alias of acos."""
    def arccos_(self) -> Self:
        """An alias of acos_."""
    def arctan(self) -> Tensor:
        """An alias of atan."""
    def arctan_(self) -> Self:
        """An alias of atan_."""
    def arcsinh(self) -> Tensor:
        """An alias of asinh."""
    def arcsinh_(self) -> Self:
        """An alias of asinh_."""
    def arccosh(self) -> Tensor:
        """An alias of acosh."""
    def arccosh_(self) -> Self:
        """An alias of acosh_."""
    def arctanh(self) -> Tensor:
        """An alias of atanh."""
    def arctanh_(self) -> Self:
        """An alias of atanh_."""
    def fix(self) -> Tensor:
        """An alias of trunc."""
    def fix_(self) -> Self:
        """An alias of trunc_."""
    def nan_to_num(self, nan: Optional[_float] = 0.0, posinf: Optional[_float] = None,
                   neginf: Optional[_float] = None) -> Tensor:
        """nan replaced by `nan`, +inf / -inf by `posinf` / `neginf` (default: the dtype's largest / lowest value)."""
    def nan_to_num_(self, nan: Optional[_float] = 0.0, posinf: Optional[_float] = None,
                    neginf: Optional[_float] = None) -> Self:
        """In-place nan_to_num; returns self."""
    def clamp(self, min: Optional[Union[Tensor, Number]] = None, max: Optional[Union[Tensor, Number]] = None) -> Tensor:
        """Each element limited to [min, max] (at least one bound; a tensor bound must have one element)."""
    def clamp_(self, min: Optional[Union[Tensor, Number]] = None,
               max: Optional[Union[Tensor, Number]] = None) -> Self:
        """In-place clamp; returns self."""
    def clip(self, min: Optional[Union[Tensor, Number]] = None, max: Optional[Union[Tensor, Number]] = None) -> Tensor:
        """An alias of clamp."""
    def clip_(self, min: Optional[Union[Tensor, Number]] = None,
              max: Optional[Union[Tensor, Number]] = None) -> Self:
        """An alias of clamp_."""
    def clamp_min(self, min: Union[Tensor, Number]) -> Tensor:
        """``clamp(min=min)``."""
    def clamp_max(self, max: Union[Tensor, Number]) -> Tensor:
        """``clamp(max=max)``."""
    def lerp(self, end: Tensor, weight: Union[Tensor, Number]) -> Tensor:
        """``self + weight * (end - self)``, broadcasting."""
    def lerp_(self, end: Tensor, weight: Union[Tensor, Number]) -> Self:
        """In-place lerp; returns self."""
    def where(self, condition: Tensor, other: Union[Tensor, Number]) -> Tensor:
        """``libtensor.where(condition, self, other)``: self where condition holds, else other."""
    @overload
    def flip(self, dims: _size, /) -> Tensor:
        """A copy with the order of elements reversed along `dims`."""
    @overload
    def flip(self, *dims: _int) -> Tensor:
        """A copy with the order of elements reversed along `dims`."""
    def fliplr(self) -> Tensor:
        """A copy with the order of elements reversed along dim 1 (at least 2-D)."""
    def flipud(self) -> Tensor:
        """A copy with the order of elements reversed along dim 0 (at least 1-D)."""
    def rot90(self, k: _int = 1, dims: Sequence[_int] = (0, 1)) -> Tensor:
        """self turned by k quarter turns in the plane of dims, from dims[0] towards dims[1]."""
    def diff(self, n: _int = 1, dim: _int = -1, prepend: Optional[Tensor] = None,
             append: Optional[Tensor] = None) -> Tensor:
        """The n-th forward difference along dim (logical_xor for bools), prepend and append joined to self first."""

    # --- reductions ---
    def sum(self, dim: Optional[_dims] = None, keepdim: _bool = False, *, dtype: Optional[_dtype] = None) -> Tensor:
        """The sum over `dim` (an int or a sequence; all dims when None); bool and integer inputs sum as int64
        unless `dtype` is given."""
    def mean(self, dim: Optional[_dims] = None, keepdim: _bool = False, *,
             dtype: Optional[_dtype] = None) -> Tensor:
        """The mean over `dim` (all dims when None) of a floating-point tensor (or of `dtype`)."""
    def prod(self, dim: Optional[_int] = None, keepdim: _bool = False, *, dtype: Optional[_dtype] = None) -> Tensor:
        """The product over one dim, or over all elements when `dim` is None (keepdim then ignored)."""
    def amax(self, dim: Optional[_dims] = None, keepdim: _bool = False) -> Tensor:
        """The maximum over `dim` (all dims when None), without indices; nan propagates."""
    def amin(self, dim: Optional[_dims] = None, keepdim: _bool = False) -> Tensor:
        """The minimum over `dim` (all dims when None), without indices; nan propagates."""
    def all(self, dim: Optional[_dims] = None, keepdim: _bool = False) -> Tensor:
        """Whether every element over `dim` (all dims when None) is nonzero, as a bool tensor."""
    def any(self, dim: Optional[_dims] = None, keepdim: _bool = False) -> Tensor:
        """Whether any element over `dim` (all dims when None) is nonzero, as a bool tensor."""
    def isclose(self, other: Tensor, rtol: _float = 1e-05, atol: _float = 1e-08, equal_nan: _bool = False) -> Tensor:
        """|self - other| <= atol + rtol |other| elementwise, as a bool tensor."""
    def allclose(self, other: Tensor, rtol: _float = 1e-05, atol: _float = 1e-08, equal_nan: _bool = False) -> _bool:
        """Whether every element is close to other's (see isclose)."""
    def equal(self, other: Tensor) -> _bool:
        """Whether other has this shape and these values."""
    @overload
    def var(self, unbiased: _bool, /) -> Tensor:
        """The variance of all elements: unbiased (N - 1) when True, population (N) when False."""
    @overload
    def var(self, dim: Optional[_dims] = None, unbiased: Optional[_bool] = None, keepdim: _bool = False, *,
            correction: Optional[Number] = None) -> Tensor:
        """The variance over `dim` (all dims when None), dividing by N - correction (default 1);
        unbiased=False means correction=0."""
    @overload
    def std(self, unbiased: _bool, /) -> Tensor:
        """The standard deviation of all elements: unbiased (N - 1) when True, population (N) when False."""
    @overload
    def std(self, dim: Optional[_dims] = None, unbiased: Optional[_bool] = None, keepdim: _bool = False, *,
            correction: Optional[Number] = None) -> Tensor:
        """The standard deviation over `dim` (all dims when None), dividing by N - correction (default 1);
        unbiased=False means correction=0."""
    def nansum(self, dim: Optional[_dims] = None, keepdim: _bool = False, *,
               dtype: Optional[_dtype] = None) -> Tensor:
        """The sum over `dim` (all dims when None), treating nan as zero."""
    def nanmean(self, dim: Optional[_dims] = None, keepdim: _bool = False, *,
                dtype: Optional[_dtype] = None) -> Tensor:
        """The mean over `dim` (all dims when None) of the elements that are not nan."""
    def count_nonzero(self, dim: Optional[_dims] = None) -> Tensor:
        """The int64 count of nonzero elements over `dim` (all dims when None)."""
    def aminmax(self, *, dim: Optional[_int] = None, keepdim: _bool = False) -> _MinMax:
        """The minimum and maximum over `dim` (all elements when None): a named tuple (min, max)."""
    @overload
    def max(self, dim: None = None, keepdim: _bool = False) -> Tensor:
        """The maximum of all elements, as a 0-dim tensor."""
    @overload
    def max(self, dim: _int, keepdim: _bool = False) -> _ValuesIndices:
        """The maximum along `dim`: a named tuple (values, indices), indices int64."""
    @overload
    def max(self, other: Tensor, /) -> Tensor:
        """The elementwise maximum with `other` (libtensor.maximum), broadcasting."""
    @overload
    def min(self, dim: None = None, keepdim: _bool = False) -> Tensor:
        """The minimum of all elements, as a 0-dim tensor."""
    @overload
    def min(self, dim: _int, keepdim: _bool = False) -> _ValuesIndices:
        """The minimum along `dim`: a named tuple (values, indices), indices int64."""
    @overload
    def min(self, other: Tensor, /) -> Tensor:
        """The elementwise minimum with `other` (libtensor.minimum), broadcasting."""
    def argmax(self, dim: Optional[_int] = None, keepdim: _bool = False) -> Tensor:
        """The int64 index of the maximum along `dim`, or in the flattened tensor when `dim` is None."""
    def argmin(self, dim: Optional[_int] = None, keepdim: _bool = False) -> Tensor:
        """The int64 index of the minimum along `dim`, or in the flattened tensor when `dim` is None."""

    # --- sorting, searching and scans (NaN orders above every number) ---
    def sort(self, dim: _int = -1, descending: _bool = False, *, stable: Optional[_bool] = False) -> _ValuesIndices:
        """The elements sorted along dim and the int64 indices they came from; stable keeps ties in order."""
    def argsort(self, dim: _int = -1, descending: _bool = False, *, stable: _bool = False) -> Tensor:
        """The int64 indices that sort self along dim."""
    def msort(self) -> Tensor:
        """self sorted along dim 0 (the values of sort(self, 0))."""
    def topk(self, k: _int, dim: _int = -1, largest: _bool = True, sorted: _bool = True) -> _ValuesIndices:
        """The k largest (or smallest) elements along dim and their indices, in order when sorted."""
    def kthvalue(self, k: _int, dim: _int = -1, keepdim: _bool = False) -> _ValuesIndices:
        """The k-th smallest element (k from 1) along dim and its index."""
    @overload
    def median(self, dim: None = None, keepdim: _bool = False) -> Tensor:
        """The lower median of all elements (NaN if any is NaN), as a 0-dim tensor."""
    @overload
    def median(self, dim: _int, keepdim: _bool = False) -> _ValuesIndices:
        """The lower median along dim and its index (the first NaN where there is one)."""
    def unique(self, sorted: _bool = True, return_inverse: _bool = False, return_counts: _bool = False,
               dim: Optional[_int] = None) -> Union[Tensor, Tuple[Tensor, ...]]:
        """The distinct elements in ascending order (slices along dim with dim), with each element's position
        among them and their counts when asked for; sorted=False gives them sorted too."""
    def bincount(self, weights: Optional[Tensor] = None, minlength: _int = 0) -> Tensor:
        """How often each value of a 1-D non-negative integer tensor occurs (or the sums of its weights)."""
    def unique_consecutive(self, return_inverse: _bool = False, return_counts: _bool = False,
                           dim: Optional[_int] = None) -> Union[Tensor, Tuple[Tensor, ...]]:
        """The first element of each run of equal elements (slices along dim with dim), with each element's run
        and the runs' lengths when asked for."""
    def argwhere(self) -> Tensor:
        """The coordinates of the nonzero elements, one row each."""
    @overload
    def nanmedian(self, dim: None = None, keepdim: _bool = False) -> Tensor:
        """The lower median of the elements that are not NaN (NaN when all are), as a 0-dim tensor."""
    @overload
    def nanmedian(self, dim: _int, keepdim: _bool = False) -> _ValuesIndices:
        """The lower median along dim of the elements that are not NaN, and its index."""
    def hsplit(self, indices_or_sections: Union[_int, Sequence[_int]]) -> Tuple[Tensor, ...]:
        """tensor_split along dim 1 (dim 0 of a 1-D tensor); a number of sections must divide the dim."""
    def vsplit(self, indices_or_sections: Union[_int, Sequence[_int]]) -> Tuple[Tensor, ...]:
        """tensor_split along dim 0 of a tensor of at least 2 dims; a number of sections must divide the dim."""
    def dsplit(self, indices_or_sections: Union[_int, Sequence[_int]]) -> Tuple[Tensor, ...]:
        """tensor_split along dim 2 of a tensor of at least 3 dims; a number of sections must divide the dim."""
    def ravel(self) -> Tensor:
        """The elements as a contiguous 1-D tensor (a view of a contiguous tensor, else a copy)."""
    def select_scatter(self, src: Tensor, dim: _int, index: _int) -> Tensor:
        """A copy with the slice at `index` along dim replaced by src."""
    def slice_scatter(self, src: Tensor, dim: _int = 0, start: Optional[_int] = None, end: Optional[_int] = None,
                      step: _int = 1) -> Tensor:
        """A copy with the slice start:end:step along dim replaced by src."""
    def diagonal_scatter(self, src: Tensor, offset: _int = 0, dim1: _int = 0, dim2: _int = 1) -> Tensor:
        """A copy with the diagonal (offset, dim1, dim2) replaced by src."""
    def quantile(self, q: Union[_float, Tensor], dim: Optional[_int] = None, keepdim: _bool = False, *,
                 interpolation: _str = "linear") -> Tensor:
        """The q-quantiles (float32/float64) along dim or of all elements; NaN where a slice holds a NaN."""
    def nanquantile(self, q: Union[_float, Tensor], dim: Optional[_int] = None, keepdim: _bool = False, *,
                    interpolation: _str = "linear") -> Tensor:
        """The q-quantiles of the elements that are not NaN, along dim or of all elements."""
    def cov(self, *, correction: _int = 1, fweights: Optional[Tensor] = None,
            aweights: Optional[Tensor] = None) -> Tensor:
        """The covariance matrix of the variables in the rows (observations in the columns)."""
    def corrcoef(self) -> Tensor:
        """The Pearson correlation matrix of the variables in the rows."""
    def histc(self, bins: _int = 100, min: Number = 0, max: Number = 0) -> Tensor:
        """Counts in `bins` equal bins between min and max (the data's range when equal); NaNs are not counted."""
    def dist(self, other: Tensor, p: _float = 2) -> Tensor:
        """The p-norm of self - other."""
    def renorm(self, p: _float, dim: _int, maxnorm: _float) -> Tensor:
        """Each slice along dim whose p-norm exceeds maxnorm scaled down to it."""
    def renorm_(self, p: _float, dim: _int, maxnorm: _float) -> Self:
        """In-place renorm; returns self."""
    def logcumsumexp(self, dim: _int) -> Tensor:
        """log(cumsum(exp(self))) along dim, without overflow."""
    def isposinf(self) -> Tensor:
        """Whether each element is +inf."""
    def isneginf(self) -> Tensor:
        """Whether each element is -inf."""
    def ldexp(self, other: Tensor) -> Tensor:
        """self * 2 ** other."""
    def ldexp_(self, other: Tensor) -> Self:
        """In-place ldexp; returns self."""
    def heaviside_(self, values: Tensor) -> Self:
        """In-place heaviside; returns self."""
    def float_power_(self, exponent: Union[Tensor, Number]) -> Self:
        """In-place float_power of a float64 tensor; returns self."""
    def clamp_min_(self, min: Union[Tensor, Number]) -> Self:
        """In-place clamp_min; returns self."""
    def clamp_max_(self, max: Union[Tensor, Number]) -> Self:
        """In-place clamp_max; returns self."""
    def cumsum(self, dim: _int, *, dtype: Optional[_dtype] = None) -> Tensor:
        """The running sum along dim; integers and bools give int64, dtype casts self first."""
    def cumsum_(self, dim: _int, *, dtype: Optional[_dtype] = None) -> Self:
        """In-place cumsum; returns self."""
    def cumprod(self, dim: _int, *, dtype: Optional[_dtype] = None) -> Tensor:
        """The running product along dim; integers and bools give int64, dtype casts self first."""
    def cumprod_(self, dim: _int, *, dtype: Optional[_dtype] = None) -> Self:
        """In-place cumprod; returns self."""
    def cummax(self, dim: _int) -> _ValuesIndices:
        """The running maximum along dim and the index each value came from (NaN holds once seen)."""
    def cummin(self, dim: _int) -> _ValuesIndices:
        """The running minimum along dim and the index each value came from (NaN holds once seen)."""

    # --- matrix products and indexing ---
    def matmul(self, other: Tensor) -> Tensor:
        """The matrix product with PyTorch's rules: 1-D operands are promoted, batch dims broadcast."""
    def mm(self, mat2: Tensor) -> Tensor:
        """The product of (n, k) and (k, m) matrices of one dtype."""
    def bmm(self, batch2: Tensor) -> Tensor:
        """The batched product of (B, n, k) and (B, k, m) tensors of one dtype."""
    def softmax(self, dim: _int, dtype: Optional[_dtype] = None) -> Tensor:
        """exp(self) / sum(exp(self)) along dim, without overflow; dtype casts self first."""
    def log_softmax(self, dim: _int, dtype: Optional[_dtype] = None) -> Tensor:
        """self - logsumexp(self, dim, keepdim=True); dtype casts self first."""
    def logsumexp(self, dim: _dims, keepdim: _bool = False) -> Tensor:
        """log(sum(exp(self))) over dim, without overflow; integers give float32."""
    def gather(self, dim: _int, index: Tensor) -> Tensor:
        """out[i][j] = self[i][index[i][j]] along dim (and likewise for any dim)."""
    def scatter(self, dim: _int, index: Tensor, src: Optional[Union[Tensor, Number]] = None, *,
                value: Optional[Number] = None, reduce: Optional[_str] = None) -> Tensor:
        """A copy with src (or value) written where index says along dim; reduce= "add" or "multiply" combines."""
    def scatter_(self, dim: _int, index: Tensor, src: Optional[Union[Tensor, Number]] = None, *,
                 value: Optional[Number] = None, reduce: Optional[_str] = None) -> Self:
        """In-place scatter; returns self."""
    def scatter_add(self, dim: _int, index: Tensor, src: Tensor) -> Tensor:
        """A copy with src added where index says along dim (repeated places add up)."""
    def scatter_add_(self, dim: _int, index: Tensor, src: Tensor) -> Self:
        """In-place scatter_add; returns self."""
    def scatter_reduce(self, dim: _int, index: Tensor, src: Tensor, reduce: _str, *,
                       include_self: _bool = True) -> Tensor:
        """A copy with src reduced ("sum", "prod", "mean", "amax", "amin") into the places index names along dim."""
    def scatter_reduce_(self, dim: _int, index: Tensor, src: Tensor, reduce: _str, *,
                        include_self: _bool = True) -> Self:
        """In-place scatter_reduce; returns self."""
    def index_add(self, dim: _int, index: Tensor, source: Tensor, *, alpha: Number = 1) -> Tensor:
        """A copy with alpha * source added at the positions the 1-D index names along dim."""
    def index_add_(self, dim: _int, index: Tensor, source: Tensor, *, alpha: Number = 1) -> Self:
        """In-place index_add; returns self."""
    def index_copy(self, dim: _int, index: Tensor, source: Tensor) -> Tensor:
        """A copy with source written at the positions the 1-D index names along dim."""
    def index_copy_(self, dim: _int, index: Tensor, source: Tensor) -> Self:
        """In-place index_copy; returns self."""
    def index_fill(self, dim: _int, index: Tensor, value: Union[Tensor, Number]) -> Tensor:
        """A copy with `value` written at the positions the index (1-D or 0-dim) names along dim."""
    def index_fill_(self, dim: _int, index: Tensor, value: Union[Tensor, Number]) -> Self:
        """In-place index_fill; returns self."""
    def masked_scatter(self, mask: Tensor, source: Tensor) -> Tensor:
        """A copy with the places where mask (broadcast) is True filled, in order, from source."""
    def masked_scatter_(self, mask: Tensor, source: Tensor) -> Self:
        """In-place masked_scatter; returns self."""
    def take_along_dim(self, indices: Tensor, dim: Optional[_int] = None) -> Tensor:
        """gather along dim with self and indices broadcast elsewhere; without dim, of the flattened self."""
    def take(self, index: Tensor) -> Tensor:
        """The elements of the flattened self at `index` (negative values count from the end), in index's shape."""
    def repeat_interleave(self, repeats: Union[Tensor, _int], dim: Optional[_int] = None, *,
                          output_size: Optional[_int] = None) -> Tensor:
        """Each element (slice along dim) repeated repeats (or repeats[i]) times."""
    def index_select(self, dim: _int, index: Tensor) -> Tensor:
        """The slices along dim that the 1-D index names."""
    def masked_fill(self, mask: Tensor, value: Union[Tensor, Number]) -> Tensor:
        """value where mask (broadcast) is True, self elsewhere."""
    def masked_fill_(self, mask: Tensor, value: Union[Tensor, Number]) -> Self:
        """In-place masked_fill; returns self."""
    def masked_select(self, mask: Tensor) -> Tensor:
        """The elements where mask (broadcast) is True, as a 1-D tensor."""
    def addcmul(self, tensor1: Tensor, tensor2: Tensor, *, value: Number = 1) -> Tensor:
        """self + value * tensor1 * tensor2."""
    def addcmul_(self, tensor1: Tensor, tensor2: Tensor, *, value: Number = 1) -> Self:
        """In-place addcmul; returns self."""
    def addcdiv(self, tensor1: Tensor, tensor2: Tensor, *, value: Number = 1) -> Tensor:
        """self + value * tensor1 / tensor2."""
    def addcdiv_(self, tensor1: Tensor, tensor2: Tensor, *, value: Number = 1) -> Self:
        """In-place addcdiv; returns self."""
    def norm(self, p: Union[Number, _str] = "fro", dim: Optional[_dims] = None, keepdim: _bool = False) -> Tensor:
        """A vector norm over dim (every element when None); "fro" is the 2-norm."""
    def mv(self, vec: Tensor) -> Tensor:
        """The product of an (n, k) matrix and a (k) vector."""
    def dot(self, other: Tensor) -> Tensor:
        """The 0-dim inner product of two 1-D tensors of one size and dtype."""
    def outer(self, vec2: Tensor) -> Tensor:
        """The (n, m) outer product of 1-D tensors of sizes n and m."""
    def ger(self, vec2: Tensor) -> Tensor:
        """An alias of outer."""
    def inner(self, other: Tensor) -> Tensor:
        """The sum of products over the last dims of self and other (a product when either is 0-dim)."""
    def kron(self, other: Tensor) -> Tensor:
        """The Kronecker product: blocks self[i] * other, over any number of dims."""
    def cross(self, other: Tensor, dim: Optional[_int] = None) -> Tensor:
        """The cross product of 3-vectors along dim, broadcasting; without dim, the first dim of size 3."""
    def addmm(self, mat1: Tensor, mat2: Tensor, *, beta: Number = 1, alpha: Number = 1) -> Tensor:
        """``beta * self + alpha * (mat1 @ mat2)``, self broadcast to the product's shape."""
    def addmm_(self, mat1: Tensor, mat2: Tensor, *, beta: Number = 1, alpha: Number = 1) -> Self:
        """In-place addmm; returns self."""
    def baddbmm(self, batch1: Tensor, batch2: Tensor, *, beta: Number = 1, alpha: Number = 1) -> Tensor:
        """``beta * self + alpha * bmm(batch1, batch2)``, self broadcast to the product's shape."""
    def baddbmm_(self, batch1: Tensor, batch2: Tensor, *, beta: Number = 1, alpha: Number = 1) -> Self:
        """In-place baddbmm; returns self."""
    def addmv(self, mat: Tensor, vec: Tensor, *, beta: Number = 1, alpha: Number = 1) -> Tensor:
        """``beta * self + alpha * (mat @ vec)``, self broadcast to the product's shape."""
    def addmv_(self, mat: Tensor, vec: Tensor, *, beta: Number = 1, alpha: Number = 1) -> Self:
        """In-place addmv; returns self."""
    def addbmm(self, batch1: Tensor, batch2: Tensor, *, beta: Number = 1, alpha: Number = 1) -> Tensor:
        """``beta * self + alpha * sum_i batch1[i] @ batch2[i]``, as one matrix product."""
    def addbmm_(self, batch1: Tensor, batch2: Tensor, *, beta: Number = 1, alpha: Number = 1) -> Self:
        """In-place addbmm; returns self."""
    def vdot(self, other: Tensor) -> Tensor:
        """The dot product of two 1-D tensors (real: no conjugation)."""
    def put(self, index: Tensor, source: Tensor, accumulate: _bool = False) -> Tensor:
        """A copy with source's values written (or added) at the flat positions index (negative: from the end)."""
    def put_(self, index: Tensor, source: Tensor, accumulate: _bool = False) -> Self:
        """In-place put; returns self."""
    def fill_diagonal_(self, fill_value: Number, wrap: _bool = False) -> Self:
        """Fills the main diagonal (all dims equal above 2-D); wrap restarts it below each square block of a tall
        matrix; returns self."""
    def addr(self, vec1: Tensor, vec2: Tensor, *, beta: Number = 1, alpha: Number = 1) -> Tensor:
        """``beta * self + alpha * outer(vec1, vec2)``, self broadcast to the product's shape."""
    def addr_(self, vec1: Tensor, vec2: Tensor, *, beta: Number = 1, alpha: Number = 1) -> Self:
        """In-place addr; returns self."""
    def det(self) -> Tensor:
        """The determinant of each square matrix of the last two dims."""
    def logdet(self) -> Tensor:
        """log det of each square matrix: NaN for a negative determinant, -inf for a zero one."""
    def slogdet(self) -> _SignLogAbsDet:
        """(sign, logabsdet): the sign of each matrix's determinant and the log of its absolute value."""
    def inverse(self) -> Tensor:
        """The inverse of each square matrix; raises LinAlgError for a singular one."""
    def cholesky(self, upper: _bool = False) -> Tensor:
        """The Cholesky factor L (A = L L^T) from A's lower triangle, or U (A = U^T U) from its upper one."""
    def cholesky_inverse(self, upper: _bool = False) -> Tensor:
        """A^-1 for A = L L^T given this factor L (U^T U when upper)."""
    def cholesky_solve(self, input2: Tensor, upper: _bool = False) -> Tensor:
        """A^-1 self for A = L L^T given its factor input2 = L (U^T U when upper)."""
    def matrix_exp(self) -> Tensor:
        """The matrix exponential of each square matrix (linalg.matrix_exp)."""
    def matrix_power(self, n: _int) -> Tensor:
        """self^n for an integer n (a negative n powers the inverse; 0 gives the identity)."""
    def lu_solve(self, LU_data: Tensor, LU_pivots: Tensor) -> Tensor:
        """The solution X of A X = self for A factored by linalg.lu_factor into (LU_data, LU_pivots)."""
    def trace(self) -> Tensor:
        """The sum of the main diagonal of a matrix."""
    def diag(self, diagonal: _int = 0) -> Tensor:
        """A 1-D self on the k-th diagonal of a square matrix, or a copy of a 2-D self's k-th diagonal."""
    def diag_embed(self, offset: _int = 0, dim1: _int = -2, dim2: _int = -1) -> Tensor:
        """The last dim of self on the offset diagonal of the planes (dim1, dim2) of a new tensor."""
    def diagflat(self, offset: _int = 0) -> Tensor:
        """The flattened self on the offset diagonal of a square matrix."""
    @overload
    def nonzero(self, *, as_tuple: Literal[False] = False) -> Tensor:
        """The coordinates of the nonzero elements: int64 of shape (count, dim()), row-major order."""
    @overload
    def nonzero(self, *, as_tuple: Literal[True]) -> Tuple[Tensor, ...]:
        """The coordinates of the nonzero elements, one int64 tensor per dimension."""
    def __getitem__(self, indices: _index, /) -> Tensor:
        """Indexing as in PyTorch: ints, slices, None and ... give views; integer tensors, lists and bool
        masks (advanced indices) give a copy."""
    def __setitem__(self, indices: _index, value: Union[Tensor, Number, Sequence[Any]], /) -> None:
        """Writes `value` (broadcast, cast to self's dtype) at the indexed positions, in place."""
    def index_put(self, indices: Tuple[Optional[Tensor], ...], values: Tensor, accumulate: _bool = False) -> Tensor:
        """A copy with values written (or with accumulate, added) at the indexed places."""
    def index_put_(self, indices: Tuple[Optional[Tensor], ...], values: Tensor, accumulate: _bool = False) -> Self:
        """``self[indices] = values`` for a tuple of index tensors (None takes a whole dim); with
        accumulate, values add up at duplicate positions. Returns self."""

    # --- creation from a tensor (its dtype and device unless given) ---
    @overload
    def new_zeros(self, size: _size, /, *, dtype: Optional[_dtype] = None, device: Optional[_device] = None,
                  requires_grad: _bool = False, layout: Any = None, pin_memory: _bool = False) -> Tensor:
        """A tensor of zeros of the given size, with self's dtype and device unless given."""
    @overload
    def new_zeros(self, *size: _int, dtype: Optional[_dtype] = None, device: Optional[_device] = None,
                  requires_grad: _bool = False, layout: Any = None, pin_memory: _bool = False) -> Tensor:
        """A tensor of zeros of the given size, with self's dtype and device unless given."""
    @overload
    def new_ones(self, size: _size, /, *, dtype: Optional[_dtype] = None, device: Optional[_device] = None,
                 requires_grad: _bool = False, layout: Any = None, pin_memory: _bool = False) -> Tensor:
        """A tensor of ones of the given size, with self's dtype and device unless given."""
    @overload
    def new_ones(self, *size: _int, dtype: Optional[_dtype] = None, device: Optional[_device] = None,
                 requires_grad: _bool = False, layout: Any = None, pin_memory: _bool = False) -> Tensor:
        """A tensor of ones of the given size, with self's dtype and device unless given."""
    @overload
    def new_empty(self, size: _size, /, *, dtype: Optional[_dtype] = None, device: Optional[_device] = None,
                  requires_grad: _bool = False, layout: Any = None, pin_memory: _bool = False) -> Tensor:
        """An uninitialized tensor of the given size, with self's dtype and device unless given."""
    @overload
    def new_empty(self, *size: _int, dtype: Optional[_dtype] = None, device: Optional[_device] = None,
                  requires_grad: _bool = False, layout: Any = None, pin_memory: _bool = False) -> Tensor:
        """An uninitialized tensor of the given size, with self's dtype and device unless given."""
    def new_full(self, size: _size, fill_value: Union[Number, Tensor], *, dtype: Optional[_dtype] = None,
                 device: Optional[_device] = None, requires_grad: _bool = False, layout: Any = None,
                 pin_memory: _bool = False) -> Tensor:
        """A tensor of the given size filled with `fill_value`, with self's dtype and device unless given."""
    def new_tensor(self, data: Any, dtype: Optional[_dtype] = None, device: Optional[_device] = None,
                   requires_grad: _bool = False) -> Tensor:
        """``libtensor.tensor(data)`` (a copy) with self's dtype unless given."""

    # --- random fills ---
    def uniform_(self, from_: _float = 0.0, /, to: _float = 1.0, *, generator: Optional[Generator] = None) -> Self:
        """Fills self with numbers drawn uniformly from [from, to); returns self."""
    def normal_(self, mean: _float = 0.0, std: _float = 1.0, *, generator: Optional[Generator] = None) -> Self:
        """Fills self with numbers drawn from the normal distribution N(mean, std**2); returns self."""
    def bernoulli_(self, p: _float = 0.5, *, generator: Optional[Generator] = None) -> Self:
        """Fills self with 1 with probability p, else 0; returns self."""
    def bernoulli(self, *, generator: Optional[Generator] = None) -> Tensor:
        """Draws 1 with probability self[i], else 0, for each element (self holds probabilities)."""
    def exponential_(self, lambd: _float = 1.0, *, generator: Optional[Generator] = None) -> Self:
        """Fills self with draws from the exponential distribution of rate lambd; returns self."""
    @overload
    def random_(self, *, generator: Optional[Generator] = None) -> Self:
        """Fills self with integers drawn uniformly from [0, the largest integer the dtype holds exactly]."""
    @overload
    def random_(self, to: _int, *, generator: Optional[Generator] = None) -> Self:
        """Fills self with integers drawn uniformly from [0, to)."""
    @overload
    def random_(self, from_: _int, to: Optional[_int], *, generator: Optional[Generator] = None) -> Self:
        """Fills self with integers drawn uniformly from [from, to) (to None: as far as the dtype holds exactly)."""
    def geometric_(self, p: _float, *, generator: Optional[Generator] = None) -> Self:
        """Fills self with the trial (1, 2, ...) of the first success of probability p; returns self."""
    def cauchy_(self, median: _float = 0.0, sigma: _float = 1.0, *, generator: Optional[Generator] = None) -> Self:
        """Fills self with draws from the Cauchy distribution; returns self."""
    def log_normal_(self, mean: _float = 1.0, std: _float = 2.0, *, generator: Optional[Generator] = None) -> Self:
        """Fills self with exp of normal draws N(mean, std**2); returns self."""
    def multinomial(self, num_samples: _int, replacement: _bool = False, *,
                    generator: Optional[Generator] = None) -> Tensor:
        """int64 category indices drawn from the rows of self (non-negative weights)."""

    # --- numpy and DLPack ---
    def numpy(self, *, force: _bool = False) -> _ndarray:
        """A numpy array sharing memory with the tensor; force=True copies instead (and detaches,
        converting bfloat16 to float32)."""
    @property
    def __array_interface__(self) -> Dict[_str, Any]: ...
    def __array__(self, dtype: Any = None) -> _ndarray: ...
    def __array_wrap__(self, array: _ndarray) -> Union[Tensor, _ndarray]: ...
    def __dlpack__(self, stream: Any = None) -> Any:
        """The tensor as a DLPack capsule sharing its memory (not for tensors that require grad)."""
    def __dlpack_device__(self) -> Tuple[_int, _int]:
        """The DLPack (device type, device id) pair."""

    # --- autograd ---
    @property
    def requires_grad(self) -> _bool:
        """Whether operations on the tensor are recorded for backward; settable on leaves."""
    @requires_grad.setter
    def requires_grad(self, value: _bool) -> None: ...
    def requires_grad_(self, requires_grad: _bool = True) -> Self:
        """Sets requires_grad in place; returns self."""
    @property
    def grad(self) -> Optional[Tensor]:
        """The gradient accumulated by backward (None until then); settable."""
    @grad.setter
    def grad(self, value: Optional[Tensor]) -> None: ...
    @property
    def grad_fn(self) -> Optional[Node]:
        """The node that made this tensor, for tensors computed from ones requiring grad; else None."""
    @property
    def is_leaf(self) -> _bool:
        """Whether the tensor was not computed by a recorded operation (its grad is accumulated)."""
    @property
    def output_nr(self) -> _int:
        """Which output of its grad_fn the tensor is."""
    @property
    def _version(self) -> _int: ...
    @property
    def retains_grad(self) -> _bool:
        """Whether retain_grad() was called on this non-leaf tensor."""
    def retain_grad(self) -> None:
        """Makes backward fill .grad of this non-leaf tensor too."""
    def detach(self) -> Tensor:
        """A view of the same data, cut from the graph (requires_grad False)."""
    def detach_(self) -> Self:
        """Cuts the tensor from the graph, in place; returns self."""
    def is_view(self) -> _bool:
        """Whether the tensor is a view of another tensor's storage."""
    @property
    def _base(self) -> Optional[Tensor]: ...
    def backward(self, gradient: Optional[Tensor] = None, retain_graph: Optional[_bool] = None,
                 create_graph: _bool = False, inputs: None = None) -> None:
        """Accumulates the gradient of this tensor into the leaves' .grad (gradient defaults to 1 for a
        one-element tensor); inputs= is not supported."""
    def register_hook(self, hook: Callable[[Tensor], Optional[Tensor]]) -> RemovableHandle:
        """Calls hook(grad) when the gradient for this tensor is computed; a returned tensor replaces it.
        The tensor must require grad."""
    def register_post_accumulate_grad_hook(self, hook: Callable[[Tensor], None]) -> RemovableHandle:
        """Calls hook(tensor) on a leaf after backward accumulated into its .grad."""

    # --- written in Python (libtensor/_tensor.py) ---
    def __repr__(self, *, tensor_contents: Any = None) -> _str: ...
    def __str__(self, *, tensor_contents: Any = None) -> _str: ...
    def __format__(self, spec: _str) -> _str: ...
    def __iter__(self) -> Iterator[Tensor]:
        """Iterates over the first dimension, yielding views."""
    def __reversed__(self) -> Tensor: ...
    def __contains__(self, element: Any) -> _bool:
        """Whether any element equals `element` (a tensor or a number)."""
    def __deepcopy__(self, memo: Dict[_int, Any]) -> Tensor: ...
    def __reduce_ex__(self, protocol: SupportsIndex) -> Tuple[Any, ...]: ...
    @overload
    def type(self, dtype: None = None) -> _str:
        """The tensor's type name, such as 'libtensor.FloatTensor'."""
    @overload
    def type(self, dtype: _dtype) -> Tensor:
        """The tensor converted to `dtype`."""

    # --- written in Python (libtensor/_real_tensors.py): libtensor's tensors are all real ---
    def is_signed(self) -> _bool:
        """Whether the dtype holds negative values (every dtype but bool and uint8)."""
    def is_nonzero(self) -> _bool:
        """Whether the single element is nonzero; a RuntimeError for other sizes."""
    def is_same_size(self, other: Tensor) -> _bool:
        """Whether other has the same shape."""
    def isreal(self) -> Tensor:
        """A bool tensor of self's shape, all True: every element of a real tensor is real."""
    def is_inference(self) -> _bool:
        """Always False: no tensor is marked as made in inference mode."""
    def is_neg(self) -> _bool:
        """Always False: libtensor has no lazy negation."""
    def is_conj(self) -> _bool:
        """Always False: libtensor has no lazy conjugation."""
    def resolve_conj(self) -> Tensor:
        """self: nothing to conjugate."""
    def resolve_neg(self) -> Tensor:
        """self: nothing to negate."""
    def conj(self) -> Tensor:
        """self: the conjugate of a real tensor."""
    def conj_physical(self) -> Tensor:
        """self: the conjugate of a real tensor."""
    def conj_physical_(self) -> Self:
        """self: conjugating a real tensor in place changes nothing."""
    def positive(self) -> Tensor:
        """self; a RuntimeError for bool tensors, as unary + on them."""

    # --- written in Python (libtensor/_function_forms.py) ---
    def new_empty_strided(self, size: Sequence[_int], stride: Sequence[_int], *, dtype: Optional[_dtype] = None,
                          device: Optional[_device] = None, requires_grad: _bool = False, layout: Any = None,
                          pin_memory: _bool = False) -> Tensor:
        """empty_strided with self's dtype and device unless given."""
    def sum_to_size(self, *size: Union[_int, Sequence[_int]]) -> Tensor:
        """self summed over the dims that `size` broadcasts along: the reverse of expand."""
    def split_with_sizes(self, split_sizes: Sequence[_int], dim: _int = 0) -> Tuple[Tensor, ...]:
        """Views of consecutive slices of the given sizes along dim (which must add up to its size)."""
    def hardshrink(self, lambd: _float = 0.5) -> Tensor:
        """nn.functional.hardshrink(self, lambd)."""
    def prelu(self, weight: Tensor) -> Tensor:
        """nn.functional.prelu(self, weight)."""


# --- creation --------------------------------------------------------------------------
# Sized creation functions take the size as separate ints or as one sequence: zeros(2, 3) or zeros((2, 3)).

@overload
def zeros(*size: _int, out: Optional[Tensor] = None, dtype: Optional[_dtype] = None, layout: Any = None,
          device: Optional[_device] = None, pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """A tensor of zeros of the given size (dtype default: the default dtype)."""
@overload
def zeros(size: _size, /, *, out: Optional[Tensor] = None, dtype: Optional[_dtype] = None, layout: Any = None,
          device: Optional[_device] = None, pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """A tensor of zeros of the given size (dtype default: the default dtype)."""
@overload
def ones(*size: _int, out: Optional[Tensor] = None, dtype: Optional[_dtype] = None, layout: Any = None,
         device: Optional[_device] = None, pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """A tensor of ones of the given size (dtype default: the default dtype)."""
@overload
def ones(size: _size, /, *, out: Optional[Tensor] = None, dtype: Optional[_dtype] = None, layout: Any = None,
         device: Optional[_device] = None, pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """A tensor of ones of the given size (dtype default: the default dtype)."""
@overload
def empty(*size: _int, out: Optional[Tensor] = None, dtype: Optional[_dtype] = None, layout: Any = None,
          device: Optional[_device] = None, pin_memory: _bool = False, requires_grad: _bool = False,
          memory_format: Any = None) -> Tensor:
    """An uninitialized tensor of the given size (dtype default: the default dtype)."""
@overload
def empty(size: _size, /, *, out: Optional[Tensor] = None, dtype: Optional[_dtype] = None, layout: Any = None,
          device: Optional[_device] = None, pin_memory: _bool = False, requires_grad: _bool = False,
          memory_format: Any = None) -> Tensor:
    """An uninitialized tensor of the given size (dtype default: the default dtype)."""
@overload
def rand(*size: _int, generator: Optional[Generator] = None, out: Optional[Tensor] = None,
         dtype: Optional[_dtype] = None, layout: Any = None, device: Optional[_device] = None,
         pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """Numbers drawn uniformly from [0, 1), of the given size (dtype default: the default dtype)."""
@overload
def rand(size: _size, /, *, generator: Optional[Generator] = None, out: Optional[Tensor] = None,
         dtype: Optional[_dtype] = None, layout: Any = None, device: Optional[_device] = None,
         pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """Numbers drawn uniformly from [0, 1), of the given size (dtype default: the default dtype)."""
@overload
def randn(*size: _int, generator: Optional[Generator] = None, out: Optional[Tensor] = None,
          dtype: Optional[_dtype] = None, layout: Any = None, device: Optional[_device] = None,
          pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """Numbers drawn from the standard normal distribution, of the given size (dtype default: the default dtype)."""
@overload
def randn(size: _size, /, *, generator: Optional[Generator] = None, out: Optional[Tensor] = None,
          dtype: Optional[_dtype] = None, layout: Any = None, device: Optional[_device] = None,
          pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """Numbers drawn from the standard normal distribution, of the given size (dtype default: the default dtype)."""
def full(size: Union[_int, _size], fill_value: Union[Number, Tensor], *, out: Optional[Tensor] = None,
         dtype: Optional[_dtype] = None, layout: Any = None, device: Optional[_device] = None,
         pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """A tensor of the given size filled with `fill_value`; the dtype defaults to the value's
    (bool, int64, or float32 for floats)."""
def scalar_tensor(s: Union[Number, Tensor], *, out: Optional[Tensor] = None, dtype: Optional[_dtype] = None,
                  layout: Any = None, device: Optional[_device] = None, pin_memory: _bool = False,
                  requires_grad: _bool = False) -> Tensor:
    """A 0-dim tensor holding `s` (dtype default: the default dtype, for bools and ints too)."""
@overload
def arange(end: Union[Number, Tensor], *, out: Optional[Tensor] = None, dtype: Optional[_dtype] = None,
           layout: Any = None, device: Optional[_device] = None, pin_memory: _bool = False,
           requires_grad: _bool = False) -> Tensor:
    """0, 1, ..., up to `end` (excluded), as a 1-D tensor: int64 for integer bounds, else the default dtype."""
@overload
def arange(start: Union[Number, Tensor], end: Union[Number, Tensor], step: Union[Number, Tensor] = 1, *,
           out: Optional[Tensor] = None, dtype: Optional[_dtype] = None, layout: Any = None,
           device: Optional[_device] = None, pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """start, start + step, ..., up to `end` (excluded), as a 1-D tensor: int64 when every bound is an
    integer, else the default dtype."""
def linspace(start: Union[Number, Tensor], end: Union[Number, Tensor], steps: _int, *,
             out: Optional[Tensor] = None, dtype: Optional[_dtype] = None, layout: Any = None,
             device: Optional[_device] = None, pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """`steps` evenly spaced values from start to end, both included (dtype default: the default dtype)."""
def eye(n: _int, m: Optional[_int] = None, *, out: Optional[Tensor] = None, dtype: Optional[_dtype] = None,
        layout: Any = None, device: Optional[_device] = None, pin_memory: _bool = False,
        requires_grad: _bool = False) -> Tensor:
    """An n x m (default n x n) matrix with ones on the diagonal (dtype default: the default dtype)."""
@overload
def randint(high: _int, size: _size, *, generator: Optional[Generator] = None, out: Optional[Tensor] = None,
            dtype: Optional[_dtype] = None, layout: Any = None, device: Optional[_device] = None,
            pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """Integers drawn uniformly from [0, high), of the given size (dtype default: int64)."""
@overload
def randint(low: _int, high: _int, size: _size, *, generator: Optional[Generator] = None,
            out: Optional[Tensor] = None, dtype: Optional[_dtype] = None, layout: Any = None,
            device: Optional[_device] = None, pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """Integers drawn uniformly from [low, high), of the given size (dtype default: int64)."""
def zeros_like(input: Tensor, *, dtype: Optional[_dtype] = None, layout: Any = None,
               device: Optional[_device] = None, pin_memory: _bool = False, requires_grad: _bool = False,
               memory_format: Any = None, out: Optional[Tensor] = None) -> Tensor:
    """A tensor of zeros with input's shape, and its dtype unless given."""
def ones_like(input: Tensor, *, dtype: Optional[_dtype] = None, layout: Any = None,
              device: Optional[_device] = None, pin_memory: _bool = False, requires_grad: _bool = False,
              memory_format: Any = None, out: Optional[Tensor] = None) -> Tensor:
    """A tensor of ones with input's shape, and its dtype unless given."""
def empty_like(input: Tensor, *, dtype: Optional[_dtype] = None, layout: Any = None,
               device: Optional[_device] = None, pin_memory: _bool = False, requires_grad: _bool = False,
               memory_format: Any = None, out: Optional[Tensor] = None) -> Tensor:
    """An uninitialized tensor with input's shape, and its dtype unless given."""
def rand_like(input: Tensor, *, generator: Optional[Generator] = None, dtype: Optional[_dtype] = None,
              layout: Any = None, device: Optional[_device] = None, pin_memory: _bool = False,
              requires_grad: _bool = False, memory_format: Any = None, out: Optional[Tensor] = None) -> Tensor:
    """Numbers drawn uniformly from [0, 1) with input's shape, and its dtype unless given."""
def randn_like(input: Tensor, *, generator: Optional[Generator] = None, dtype: Optional[_dtype] = None,
               layout: Any = None, device: Optional[_device] = None, pin_memory: _bool = False,
               requires_grad: _bool = False, memory_format: Any = None, out: Optional[Tensor] = None) -> Tensor:
    """Standard normal numbers with input's shape, and its dtype unless given."""
def full_like(input: Tensor, fill_value: Union[Number, Tensor], *, dtype: Optional[_dtype] = None,
              layout: Any = None, device: Optional[_device] = None, pin_memory: _bool = False,
              requires_grad: _bool = False, memory_format: Any = None, out: Optional[Tensor] = None) -> Tensor:
    """A tensor filled with `fill_value` with input's shape, and its dtype unless given."""
def randint_like(input: Tensor, low: _int, high: Optional[_int] = None, *, generator: Optional[Generator] = None,
                 dtype: Optional[_dtype] = None, layout: Any = None, device: Optional[_device] = None,
                 pin_memory: _bool = False, requires_grad: _bool = False, memory_format: Any = None,
                 out: Optional[Tensor] = None) -> Tensor:
    """Integers drawn from [low, high) with input's shape and dtype; with one bound, from [0, low)
    (randint_like(x, high) in PyTorch's terms)."""
def multinomial(input: Tensor, num_samples: _int, replacement: _bool = False, *,
                generator: Optional[Generator] = None, out: Optional[Tensor] = None) -> Tensor:
    """int64 category indices drawn from the rows of input (1-D or 2-D non-negative weights)."""
def randperm(n: _int, *, generator: Optional[Generator] = None, out: Optional[Tensor] = None,
             dtype: Optional[_dtype] = None, layout: Any = None, device: Optional[_device] = None,
             pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """A random permutation of 0 .. n-1 (int64 unless dtype says otherwise)."""
def bernoulli(input: Tensor, *, generator: Optional[Generator] = None) -> Tensor:
    """Draws 1 with probability input[i], else 0, for each element of `input` (probabilities)."""
def from_numpy(ndarray: _ndarray) -> Tensor:
    """A tensor sharing memory with a numpy array (bool, uint8, int8-64, float16-64; no negative strides)."""
def to_dlpack(tensor: Tensor) -> Any:
    """The tensor as a DLPack capsule sharing its memory (not for tensors that require grad)."""
def from_dlpack(ext_tensor: Any) -> Tensor:
    """A tensor sharing memory with an object that has __dlpack__, or with a DLPack capsule."""


# --- dtypes ----------------------------------------------------------------------------

def promote_types(type1: _dtype, type2: _dtype) -> dtype:
    """The smallest dtype that both dtypes convert to without losing their kind (as torch.promote_types)."""
def result_type(tensor1: Union[Tensor, Number], tensor2: Union[Tensor, Number]) -> dtype:
    """The dtype an operator on the two operands gives, with 0-dim tensors and numbers as weak operands."""
def is_tensor(obj: Any) -> TypeGuard[Tensor]:
    """Whether `obj` is a libtensor.Tensor."""
def is_floating_point(input: Tensor) -> _bool:
    """Whether input's dtype is a floating-point type."""
def numel(input: Tensor) -> _int:
    """The number of elements of `input`."""


# --- views and copies ------------------------------------------------------------------

def flatten(input: Tensor, start_dim: _int = 0, end_dim: _int = -1) -> Tensor:
    """Dimensions start_dim..end_dim merged into one: a view where possible (0-dim gives 1-D)."""
def unflatten(input: Tensor, dim: _int, sizes: _size) -> Tensor:
    """Dimension `dim` split into `sizes` (one may be -1)."""
def reshape(input: Tensor, shape: _size) -> Tensor:
    """`input` with a new shape (one size may be -1): a view where possible, else a copy."""
def permute(input: Tensor, dims: _size) -> Tensor:
    """A view with the dimensions reordered: result dim i is input dim dims[i]."""
def transpose(input: Tensor, dim0: _int, dim1: _int) -> Tensor:
    """A view with dimensions dim0 and dim1 swapped."""
def swapdims(input: Tensor, dim0: _int, dim1: _int) -> Tensor:
    """An alias of transpose."""
def swapaxes(input: Tensor, axis0: _int, axis1: _int) -> Tensor:
    """A view with two dimensions swapped (numpy's name for transpose)."""
def t(input: Tensor) -> Tensor:
    """The transpose of a tensor of at most 2 dimensions, as a view."""
def squeeze(input: Tensor, dim: Optional[_int] = None) -> Tensor:
    """A view without size-1 dimensions: all of them, or only `dim` if it has size 1."""
def unsqueeze(input: Tensor, dim: _int) -> Tensor:
    """A view with a size-1 dimension inserted at `dim`."""
def narrow(input: Tensor, dim: _int, start: _int, length: _int) -> Tensor:
    """A view of `length` elements of dimension `dim` from `start`."""
def select(input: Tensor, dim: _int, index: _int) -> Tensor:
    """A view of one index of dimension `dim`, which the result drops."""
def diagonal(input: Tensor, offset: _int = 0, dim1: _int = 0, dim2: _int = 1) -> Tensor:
    """A view of the diagonal of dims dim1 and dim2 (above it for offset > 0), as the last dim."""
def as_strided(input: Tensor, size: _size, stride: _size, storage_offset: Optional[_int] = None) -> Tensor:
    """A view of input's storage with the given sizes, strides and offset (default: input's)."""
def clone(input: Tensor, memory_format: Any = None) -> Tensor:
    """A copy with its own memory (differentiable)."""
def flip(input: Tensor, dims: Union[_int, _size]) -> Tensor:
    """A copy with the order of elements reversed along `dims`."""
def fliplr(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """A copy with the order of elements reversed along dim 1 (at least 2-D)."""
def flipud(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """A copy with the order of elements reversed along dim 0 (at least 1-D)."""
def rot90(input: Tensor, k: _int = 1, dims: Sequence[_int] = (0, 1), *, out: Optional[Tensor] = None) -> Tensor:
    """input turned by k quarter turns in the plane of dims, from dims[0] towards dims[1]."""
def diff(input: Tensor, n: _int = 1, dim: _int = -1, prepend: Optional[Tensor] = None,
         append: Optional[Tensor] = None, *, out: Optional[Tensor] = None) -> Tensor:
    """The n-th forward difference along dim (logical_xor for bools), prepend and append joined to input first."""


# --- arithmetic ------------------------------------------------------------------------
# Binary functions take a tensor and a tensor or Python number (either side); numbers are weak
# scalars, tensors broadcast. out= writes the result into a tensor (resized if needed).

def add(input: Union[Tensor, Number], other: Union[Tensor, Number], *, alpha: Number = 1,
        out: Optional[Tensor] = None) -> Tensor:
    """``input + alpha * other``, broadcasting; Python numbers are weak scalars."""
def sub(input: Union[Tensor, Number], other: Union[Tensor, Number], *, alpha: Number = 1,
        out: Optional[Tensor] = None) -> Tensor:
    """``input - alpha * other``, broadcasting; Python numbers are weak scalars."""
def rsub(input: Tensor, other: Union[Tensor, Number], *, alpha: Number = 1) -> Tensor:
    """``other - alpha * input``: sub with its operands swapped."""
def subtract(input: Union[Tensor, Number], other: Union[Tensor, Number], *, alpha: Number = 1,
             out: Optional[Tensor] = None) -> Tensor:
    """An alias of sub."""
def div(input: Tensor, other: Union[Tensor, Number], *, rounding_mode: Optional[_str] = None,
        out: Optional[Tensor] = None) -> Tensor:
    """``input / other``, broadcasting: true division (integers give floats) unless rounding_mode is
    'trunc' (toward zero) or 'floor' (toward -inf), which keep integer dtypes."""
def divide(input: Tensor, other: Union[Tensor, Number], *, rounding_mode: Optional[_str] = None,
           out: Optional[Tensor] = None) -> Tensor:
    """An alias of div."""
def true_divide(input: Tensor, other: Union[Tensor, Number], *, rounding_mode: Optional[_str] = None,
                out: Optional[Tensor] = None) -> Tensor:
    """An alias of div."""
def mul(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """Multiplies ``input * other`` elementwise, broadcasting; Python numbers are weak scalars."""
def floor_divide(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """``input // other``: the quotient rounded toward -inf, broadcasting (Python's ``//``)."""
def remainder(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """``input % other`` with the sign of the divisor (Python's ``%``), broadcasting."""
def pow(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """``input ** other`` elementwise, broadcasting; a number base or exponent is a weak scalar."""
@overload
def float_power(input: Tensor, exponent: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """input ** exponent in float64."""
@overload
def float_power(input: Number, exponent: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """``input ** exponent`` elementwise in float64, broadcasting."""
def bitwise_and(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """Bitwise AND of integer or bool tensors (``&``), broadcasting."""
def bitwise_or(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """Bitwise OR of integer or bool tensors (``|``), broadcasting."""
def bitwise_xor(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """Bitwise XOR of integer or bool tensors (``^``), broadcasting."""
def bitwise_left_shift(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """``input << other`` for integer tensors, broadcasting."""
def bitwise_right_shift(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """``input >> other`` (arithmetic for signed integers), broadcasting."""
def eq(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """``input == other`` elementwise as a bool tensor, broadcasting."""
def ne(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """``input != other`` elementwise as a bool tensor, broadcasting."""
def lt(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """``input < other`` elementwise as a bool tensor, broadcasting."""
def le(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """``input <= other`` elementwise as a bool tensor, broadcasting."""
def gt(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """``input > other`` elementwise as a bool tensor, broadcasting."""
def ge(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """``input >= other`` elementwise as a bool tensor, broadcasting."""
def fmod(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """The C-style remainder of ``input / other``, with the sign of the dividend, broadcasting."""
def atan2(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """The angle of the point (other, input): arctan(input / other) in the right quadrant, broadcasting."""
def copysign(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """The magnitude of input with the sign of other, broadcasting; integers give float32."""
def hypot(input: Tensor, other: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """``sqrt(input**2 + other**2)`` without overflow, broadcasting; floating tensors only."""
def xlogy(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """``input * log(other)``, 0 where input is 0 (unless other is nan), broadcasting."""
def maximum(input: Tensor, other: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The elementwise maximum of two tensors, broadcasting (nan propagates); no numbers."""
def minimum(input: Tensor, other: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The elementwise minimum of two tensors, broadcasting (nan propagates); no numbers."""
def fmax(input: Tensor, other: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The elementwise maximum of two tensors, broadcasting; a number wins over nan."""
def fmin(input: Tensor, other: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The elementwise minimum of two tensors, broadcasting; a number wins over nan."""
def logaddexp(input: Tensor, other: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """``log(exp(input) + exp(other))`` without overflow, broadcasting."""
def logaddexp2(input: Tensor, other: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """``log2(2**input + 2**other)`` without overflow, broadcasting."""
def heaviside(input: Tensor, values: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """0 where input is below zero, 1 above it, `values` (broadcast) where it is zero."""
def logical_and(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """``a and b`` of the elements' truth values, as a bool tensor, broadcasting."""
def logical_or(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """``a or b`` of the elements' truth values, as a bool tensor, broadcasting."""
def logical_xor(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """``a != b`` of the elements' truth values, as a bool tensor, broadcasting."""
def multiply(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of mul."""
def greater(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of gt."""
def greater_equal(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of ge."""
def less(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of lt."""
def less_equal(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of le."""
def not_equal(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of ne."""
def arctan2(input: Union[Tensor, Number], other: Union[Tensor, Number], *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of atan2."""

# --- elementwise functions -------------------------------------------------------------
# f(input, *, out=None) and the in-place f_(input), which returns input.

def neg(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Negation, ``-input``, elementwise (not for bool)."""
def neg_(input: Tensor) -> Tensor:
    """In-place neg of `input`; returns input."""
def abs(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Absolute value ``|input|``, elementwise."""
def abs_(input: Tensor) -> Tensor:
    """In-place abs of `input`; returns input."""
def sign(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """-1, 0 or 1 by the sign of each element, in the input's dtype."""
def sign_(input: Tensor) -> Tensor:
    """In-place sign of `input`; returns input."""
def sgn(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The sign of each element, as sign for real tensors."""
def exp(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """``e ** input``, elementwise; integer inputs give the default float dtype."""
def exp_(input: Tensor) -> Tensor:
    """In-place exp of `input`; returns input."""
def exp2(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """``2 ** input``, elementwise; integer inputs give the default float dtype."""
def exp2_(input: Tensor) -> Tensor:
    """In-place exp2 of `input`; returns input."""
def expm1(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """``exp(input) - 1``, accurate near 0; integer inputs give the default float dtype."""
def expm1_(input: Tensor) -> Tensor:
    """In-place expm1 of `input`; returns input."""
def log(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Natural logarithm, elementwise (nan below 0, -inf at 0); integers give the default float dtype."""
def log_(input: Tensor) -> Tensor:
    """In-place log of `input`; returns input."""
def log2(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Base-2 logarithm, elementwise; integer inputs give the default float dtype."""
def log2_(input: Tensor) -> Tensor:
    """In-place log2 of `input`; returns input."""
def log10(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Base-10 logarithm, elementwise; integer inputs give the default float dtype."""
def log10_(input: Tensor) -> Tensor:
    """In-place log10 of `input`; returns input."""
def log1p(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """``log(1 + input)``, accurate near 0; integer inputs give the default float dtype."""
def log1p_(input: Tensor) -> Tensor:
    """In-place log1p of `input`; returns input."""
def sqrt(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Square root, elementwise (nan below 0); integer inputs give the default float dtype."""
def sqrt_(input: Tensor) -> Tensor:
    """In-place sqrt of `input`; returns input."""
def rsqrt(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """``1 / sqrt(input)``, elementwise; integer inputs give the default float dtype."""
def rsqrt_(input: Tensor) -> Tensor:
    """In-place rsqrt of `input`; returns input."""
def reciprocal(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """``1 / input``, elementwise; integer inputs give the default float dtype."""
def reciprocal_(input: Tensor) -> Tensor:
    """In-place reciprocal of `input`; returns input."""
def sin(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Sine (radians), elementwise; integer inputs give the default float dtype."""
def sin_(input: Tensor) -> Tensor:
    """In-place sin of `input`; returns input."""
def cos(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Cosine (radians), elementwise; integer inputs give the default float dtype."""
def cos_(input: Tensor) -> Tensor:
    """In-place cos of `input`; returns input."""
def tan(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Tangent (radians), elementwise; integer inputs give the default float dtype."""
def tan_(input: Tensor) -> Tensor:
    """In-place tan of `input`; returns input."""
def asin(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Arcsine, elementwise (nan outside [-1, 1]); integers give the default float dtype."""
def asin_(input: Tensor) -> Tensor:
    """In-place asin of `input`; returns input."""
def acos(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Arccosine, elementwise (nan outside [-1, 1]); integers give the default float dtype."""
def acos_(input: Tensor) -> Tensor:
    """In-place acos of `input`; returns input."""
def atan(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Arctangent, elementwise; integer inputs give the default float dtype."""
def atan_(input: Tensor) -> Tensor:
    """In-place atan of `input`; returns input."""
def sinh(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Hyperbolic sine, elementwise; integer inputs give the default float dtype."""
def sinh_(input: Tensor) -> Tensor:
    """In-place sinh of `input`; returns input."""
def cosh(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Hyperbolic cosine, elementwise; integer inputs give the default float dtype."""
def cosh_(input: Tensor) -> Tensor:
    """In-place cosh of `input`; returns input."""
def tanh(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Hyperbolic tangent, elementwise; integer inputs give the default float dtype."""
def tanh_(input: Tensor) -> Tensor:
    """In-place tanh of `input`; returns input."""
def asinh(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Inverse hyperbolic sine, elementwise; integer inputs give the default float dtype."""
def asinh_(input: Tensor) -> Tensor:
    """In-place asinh of `input`; returns input."""
def acosh(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Inverse hyperbolic cosine, elementwise (NaN below 1); integer inputs give the default float dtype."""
def acosh_(input: Tensor) -> Tensor:
    """In-place acosh of `input`; returns input."""
def atanh(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Inverse hyperbolic tangent, elementwise (NaN outside [-1, 1]); integer inputs give the default float dtype."""
def atanh_(input: Tensor) -> Tensor:
    """In-place atanh of `input`; returns input."""
def deg2rad(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Degrees converted to radians, elementwise; integer inputs give the default float dtype."""
def rad2deg(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Radians converted to degrees, elementwise; integer inputs give the default float dtype."""
def sinc(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The normalized sinc ``sin(pi x) / (pi x)``, 1 at 0, elementwise."""
def erf(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The error function, elementwise; integer inputs give the default float dtype."""
def erf_(input: Tensor) -> Tensor:
    """In-place erf of `input`; returns input."""
def erfc(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """``1 - erf(input)``, elementwise; integer inputs give the default float dtype."""
def erfc_(input: Tensor) -> Tensor:
    """In-place erfc of `input`; returns input."""
def erfinv(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The inverse error function, elementwise; integer inputs give the default float dtype."""
def erfinv_(input: Tensor) -> Tensor:
    """In-place erfinv of `input`; returns input."""
def lgamma(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """``log(abs(gamma(input)))``, elementwise (inf at the poles); integers give float32."""
def lgamma_(input: Tensor) -> Tensor:
    """In-place lgamma of `input`; returns input."""
def digamma(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The logarithmic derivative of gamma, elementwise (nan at negative integers); integers give float32."""
def digamma_(input: Tensor) -> Tensor:
    """In-place digamma of `input`; returns input."""
def polygamma(n: _int, input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The n-th derivative of digamma, elementwise (polygamma(0, x) is digamma(x))."""
def sigmoid(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The logistic function ``1 / (1 + exp(-input))``, elementwise (torch.special.expit)."""
def sigmoid_(input: Tensor) -> Tensor:
    """In-place sigmoid of `input`; returns input."""
def logit(input: Tensor, eps: Optional[_float] = None, *, out: Optional[Tensor] = None) -> Tensor:
    """``log(input / (1 - input))``, elementwise; input is clamped to [eps, 1 - eps] first when eps is given."""
def relu(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """``max(input, 0)``, elementwise, in the input's dtype (not for bool)."""
def relu_(input: Tensor) -> Tensor:
    """In-place relu of `input`; returns input."""
def floor(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Rounds down to an integral value, elementwise; integer tensors are returned as they are."""
def floor_(input: Tensor) -> Tensor:
    """In-place floor of `input`; returns input."""
def ceil(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Rounds up to an integral value, elementwise; integer tensors are returned as they are."""
def ceil_(input: Tensor) -> Tensor:
    """In-place ceil of `input`; returns input."""
def round(input: Tensor, *, decimals: int = 0, out: Optional[Tensor] = None) -> Tensor:
    """Rounds to the nearest integral value (or to `decimals` decimal places), halves to even."""
def round_(input: Tensor) -> Tensor:
    """In-place round of `input`; returns input."""
def trunc(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Rounds toward zero, elementwise (numpy's fix)."""
def trunc_(input: Tensor) -> Tensor:
    """In-place trunc of `input`; returns input."""
def frac(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The fractional part ``input - trunc(input)``; floating-point tensors only."""
def frac_(input: Tensor) -> Tensor:
    """In-place frac of `input`; returns input."""
def square(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """``input * input``, elementwise, in the input's dtype (bool promotes to int64)."""
def square_(input: Tensor) -> Tensor:
    """In-place square of `input`; returns input."""
def logical_not(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """``not x`` of each element's truth value, as a bool tensor."""
def logical_not_(input: Tensor) -> Tensor:
    """In-place logical_not of `input`; returns input."""
def bitwise_not(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Bitwise NOT of integers, logical NOT of bools (the ``~`` operator)."""
def bitwise_not_(input: Tensor) -> Tensor:
    """In-place bitwise_not of `input`; returns input."""
def isnan(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Whether each element is nan, as a bool tensor."""
def isinf(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Whether each element is +inf or -inf, as a bool tensor."""
def isfinite(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Whether each element is neither inf nor nan, as a bool tensor."""
def signbit(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Whether each element's sign bit is set (-0.0 included), as a bool tensor."""
def absolute(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of abs."""
def negative(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of neg."""
def arcsin(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of asin."""
def arccos(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of acos."""
def arctan(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of atan."""
def arcsinh(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of asinh."""
def arccosh(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of acosh."""
def arctanh(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of atanh."""
def fix(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of trunc."""
def absolute_(input: Tensor) -> Tensor:
    """An alias of abs_."""
def negative_(input: Tensor) -> Tensor:
    """An alias of neg_."""
def arcsin_(input: Tensor) -> Tensor:
    """An alias of asin_."""
def arccos_(input: Tensor) -> Tensor:
    """An alias of acos_."""
def arctan_(input: Tensor) -> Tensor:
    """An alias of atan_."""
def arcsinh_(input: Tensor) -> Tensor:
    """An alias of asinh_."""
def arccosh_(input: Tensor) -> Tensor:
    """An alias of acosh_."""
def arctanh_(input: Tensor) -> Tensor:
    """An alias of atanh_."""
def fix_(input: Tensor) -> Tensor:
    """An alias of trunc_."""
def nan_to_num(input: Tensor, nan: Optional[_float] = 0.0, posinf: Optional[_float] = None,
               neginf: Optional[_float] = None) -> Tensor:
    """nan replaced by `nan`, +inf / -inf by `posinf` / `neginf` (default: the dtype's largest / lowest value)."""
def nan_to_num_(input: Tensor, nan: Optional[_float] = 0.0, posinf: Optional[_float] = None,
                neginf: Optional[_float] = None) -> Tensor:
    """In-place nan_to_num of `input`; returns input."""
def clamp(input: Tensor, min: Optional[Union[Tensor, Number]] = None, max: Optional[Union[Tensor, Number]] = None,
          *, out: Optional[Tensor] = None) -> Tensor:
    """Each element limited to [min, max] (at least one bound; a tensor bound must have one element)."""
def clip(input: Tensor, min: Optional[Union[Tensor, Number]] = None, max: Optional[Union[Tensor, Number]] = None,
         *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of clamp."""
def clamp_min(input: Tensor, min: Union[Tensor, Number]) -> Tensor:
    """``clamp(input, min=min)``."""
def clamp_max(input: Tensor, max: Union[Tensor, Number]) -> Tensor:
    """``clamp(input, max=max)``."""
def lerp(input: Tensor, end: Tensor, weight: Union[Tensor, Number]) -> Tensor:
    """``input + weight * (end - input)``, broadcasting."""
@overload
def where(condition: Tensor, input: Union[Tensor, Number], other: Union[Tensor, Number]) -> Tensor:
    """Elements of `input` where `condition` holds, else of `other`, broadcasting all three."""
@overload
def where(condition: Tensor) -> Tuple[Tensor, ...]:
    """``nonzero(condition, as_tuple=True)``: one int64 index tensor per dimension."""


# --- reductions ------------------------------------------------------------------------

def sum(input: Tensor, dim: Optional[_dims] = None, keepdim: _bool = False, *, dtype: Optional[_dtype] = None,
        out: Optional[Tensor] = None) -> Tensor:
    """The sum over `dim` (an int or a sequence; all dims when None); bool and integer inputs sum as int64
    unless `dtype` is given."""
def mean(input: Tensor, dim: Optional[_dims] = None, keepdim: _bool = False, *, dtype: Optional[_dtype] = None,
         out: Optional[Tensor] = None) -> Tensor:
    """The mean over `dim` (all dims when None) of a floating-point tensor (or of `dtype`)."""
def prod(input: Tensor, dim: Optional[_int] = None, keepdim: _bool = False, *,
         dtype: Optional[_dtype] = None) -> Tensor:
    """The product over one dim, or over all elements when `dim` is None (keepdim then ignored)."""
def amax(input: Tensor, dim: Optional[_dims] = None, keepdim: _bool = False) -> Tensor:
    """The maximum over `dim` (all dims when None), without indices; nan propagates."""
def amin(input: Tensor, dim: Optional[_dims] = None, keepdim: _bool = False) -> Tensor:
    """The minimum over `dim` (all dims when None), without indices; nan propagates."""
def all(input: Tensor, dim: Optional[_dims] = None, keepdim: _bool = False) -> Tensor:
    """Whether every element over `dim` (all dims when None) is nonzero, as a bool tensor."""
def any(input: Tensor, dim: Optional[_dims] = None, keepdim: _bool = False) -> Tensor:
    """Whether any element over `dim` (all dims when None) is nonzero, as a bool tensor."""
def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: _bool = False) -> Tensor:
    """|input - other| <= atol + rtol |other| elementwise, as a bool tensor; infinities are close only to equal
    ones, NaN to NaN only with equal_nan."""
def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: _bool = False) -> _bool:
    """Whether every element of input is close to other's (see isclose)."""
def equal(input: Tensor, other: Tensor) -> _bool:
    """Whether input and other have one shape and equal values."""
@overload
def var(input: Tensor, unbiased: _bool, /) -> Tensor:
    """The variance of all elements: unbiased (N - 1) when True, population (N) when False."""
@overload
def var(input: Tensor, dim: Optional[_dims] = None, unbiased: Optional[_bool] = None, keepdim: _bool = False, *,
        correction: Optional[Number] = None) -> Tensor:
    """The variance over `dim` (all dims when None), dividing by N - correction (default 1);
    unbiased=False means correction=0."""
@overload
def std(input: Tensor, unbiased: _bool, /) -> Tensor:
    """The standard deviation of all elements: unbiased (N - 1) when True, population (N) when False."""
@overload
def std(input: Tensor, dim: Optional[_dims] = None, unbiased: Optional[_bool] = None, keepdim: _bool = False, *,
        correction: Optional[Number] = None) -> Tensor:
    """The standard deviation over `dim` (all dims when None), dividing by N - correction (default 1);
    unbiased=False means correction=0."""
@overload
def var_mean(input: Tensor, unbiased: _bool, /) -> Tuple[Tensor, Tensor]:
    """(var, mean) of all elements: the variance unbiased (N - 1) when True, population (N) when False."""
@overload
def var_mean(input: Tensor, dim: Optional[_dims] = None, unbiased: Optional[_bool] = None, keepdim: _bool = False, *,
             correction: Optional[Number] = None) -> Tuple[Tensor, Tensor]:
    """(var, mean) over `dim` (all dims when None), the variance dividing by N - correction (default 1);
    unbiased=False means correction=0."""
@overload
def std_mean(input: Tensor, unbiased: _bool, /) -> Tuple[Tensor, Tensor]:
    """(std, mean) of all elements: the deviation unbiased (N - 1) when True, population (N) when False."""
@overload
def std_mean(input: Tensor, dim: Optional[_dims] = None, unbiased: Optional[_bool] = None, keepdim: _bool = False, *,
             correction: Optional[Number] = None) -> Tuple[Tensor, Tensor]:
    """(std, mean) over `dim` (all dims when None), the deviation dividing by N - correction (default 1);
    unbiased=False means correction=0."""
def nansum(input: Tensor, dim: Optional[_dims] = None, keepdim: _bool = False, *,
           dtype: Optional[_dtype] = None, out: Optional[Tensor] = None) -> Tensor:
    """The sum over `dim` (all dims when None), treating nan as zero."""
def nanmean(input: Tensor, dim: Optional[_dims] = None, keepdim: _bool = False, *,
            dtype: Optional[_dtype] = None, out: Optional[Tensor] = None) -> Tensor:
    """The mean over `dim` (all dims when None) of the elements that are not nan."""
def count_nonzero(input: Tensor, dim: Optional[_dims] = None, *, out: Optional[Tensor] = None) -> Tensor:
    """The int64 count of nonzero elements over `dim` (all dims when None)."""
def aminmax(input: Tensor, *, dim: Optional[_int] = None, keepdim: _bool = False) -> _MinMax:
    """The minimum and maximum over `dim` (all elements when None): a named tuple (min, max)."""
@overload
def max(input: Tensor, dim: None = None, keepdim: _bool = False) -> Tensor:
    """The maximum of all elements, as a 0-dim tensor."""
@overload
def max(input: Tensor, dim: _int, keepdim: _bool = False) -> _ValuesIndices:
    """The maximum along `dim`: a named tuple (values, indices), indices int64."""
@overload
def max(input: Tensor, other: Tensor, /) -> Tensor:
    """The elementwise maximum of two tensors (libtensor.maximum), broadcasting."""
@overload
def min(input: Tensor, dim: None = None, keepdim: _bool = False) -> Tensor:
    """The minimum of all elements, as a 0-dim tensor."""
@overload
def min(input: Tensor, dim: _int, keepdim: _bool = False) -> _ValuesIndices:
    """The minimum along `dim`: a named tuple (values, indices), indices int64."""
@overload
def min(input: Tensor, other: Tensor, /) -> Tensor:
    """The elementwise minimum of two tensors (libtensor.minimum), broadcasting."""
def argmax(input: Tensor, dim: Optional[_int] = None, keepdim: _bool = False) -> Tensor:
    """The int64 index of the maximum along `dim`, or in the flattened tensor when `dim` is None."""
def argmin(input: Tensor, dim: Optional[_int] = None, keepdim: _bool = False) -> Tensor:
    """The int64 index of the minimum along `dim`, or in the flattened tensor when `dim` is None."""


# --- sorting, searching and scans (NaN orders above every number) ---------------------

def sort(input: Tensor, dim: _int = -1, descending: _bool = False, *,
         stable: Optional[_bool] = False) -> _ValuesIndices:
    """The elements sorted along dim and the int64 indices they came from; stable keeps ties in order."""
def argsort(input: Tensor, dim: _int = -1, descending: _bool = False, *, stable: _bool = False) -> Tensor:
    """The int64 indices that sort input along dim."""
def msort(input: Tensor) -> Tensor:
    """input sorted along dim 0 (the values of sort(input, 0))."""
def topk(input: Tensor, k: _int, dim: _int = -1, largest: _bool = True, sorted: _bool = True) -> _ValuesIndices:
    """The k largest (or smallest) elements along dim and their indices, in order when sorted."""
def kthvalue(input: Tensor, k: _int, dim: _int = -1, keepdim: _bool = False) -> _ValuesIndices:
    """The k-th smallest element (k from 1) along dim and its index."""
@overload
def median(input: Tensor, dim: None = None, keepdim: _bool = False) -> Tensor:
    """The lower median of all elements (NaN if any is NaN), as a 0-dim tensor."""
@overload
def median(input: Tensor, dim: _int, keepdim: _bool = False) -> _ValuesIndices:
    """The lower median along dim and its index (the first NaN where there is one)."""
def unique(input: Tensor, sorted: _bool = True, return_inverse: _bool = False, return_counts: _bool = False,
           dim: Optional[_int] = None) -> Union[Tensor, Tuple[Tensor, ...]]:
    """The distinct elements in ascending order (slices along dim with dim), with each element's position
    among them and their counts when asked for; sorted=False gives them sorted too."""
def unique_consecutive(input: Tensor, return_inverse: _bool = False, return_counts: _bool = False,
                       dim: Optional[_int] = None) -> Union[Tensor, Tuple[Tensor, ...]]:
    """The first element of each run of equal elements (slices along dim with dim), with each element's run
    and the runs' lengths when asked for."""
def argwhere(input: Tensor) -> Tensor:
    """The coordinates of the nonzero elements of `input`, one row each."""
@overload
def nanmedian(input: Tensor, dim: None = None, keepdim: _bool = False) -> Tensor:
    """The lower median of the elements that are not NaN (NaN when all are), as a 0-dim tensor."""
@overload
def nanmedian(input: Tensor, dim: _int, keepdim: _bool = False) -> _ValuesIndices:
    """The lower median along dim of the elements that are not NaN, and its index."""
def hsplit(input: Tensor, indices_or_sections: Union[_int, Sequence[_int]]) -> Tuple[Tensor, ...]:
    """tensor_split along dim 1 (dim 0 of a 1-D tensor); a number of sections must divide the dim."""
def vsplit(input: Tensor, indices_or_sections: Union[_int, Sequence[_int]]) -> Tuple[Tensor, ...]:
    """tensor_split along dim 0 of a tensor of at least 2 dims; a number of sections must divide the dim."""
def dsplit(input: Tensor, indices_or_sections: Union[_int, Sequence[_int]]) -> Tuple[Tensor, ...]:
    """tensor_split along dim 2 of a tensor of at least 3 dims; a number of sections must divide the dim."""
def ravel(input: Tensor) -> Tensor:
    """The elements of `input` as a contiguous 1-D tensor (a view of a contiguous tensor, else a copy)."""
def block_diag(*tensors: Tensor) -> Tensor:
    """The 0-, 1- or 2-D tensors (a 1-D one as a row) on the diagonal of a zero matrix."""
def cartesian_prod(*tensors: Tensor) -> Tensor:
    """Every tuple of one element from each 1-D tensor, as rows (itertools.product)."""
def combinations(input: Tensor, r: _int = 2, with_replacement: _bool = False) -> Tensor:
    """The r-element combinations of a 1-D tensor as rows (itertools.combinations)."""
def select_scatter(input: Tensor, src: Tensor, dim: _int, index: _int) -> Tensor:
    """A copy of `input` with the slice at `index` along dim replaced by src."""
def slice_scatter(input: Tensor, src: Tensor, dim: _int = 0, start: Optional[_int] = None,
                  end: Optional[_int] = None, step: _int = 1) -> Tensor:
    """A copy of `input` with the slice start:end:step along dim replaced by src."""
def diagonal_scatter(input: Tensor, src: Tensor, offset: _int = 0, dim1: _int = 0, dim2: _int = 1) -> Tensor:
    """A copy of `input` with the diagonal (offset, dim1, dim2) replaced by src."""
def quantile(input: Tensor, q: Union[_float, Tensor], dim: Optional[_int] = None, keepdim: _bool = False, *,
             interpolation: _str = "linear", out: Optional[Tensor] = None) -> Tensor:
    """The q-quantiles (float32/float64) along dim or of all elements; NaN where a slice holds a NaN."""
def nanquantile(input: Tensor, q: Union[_float, Tensor], dim: Optional[_int] = None, keepdim: _bool = False, *,
                interpolation: _str = "linear", out: Optional[Tensor] = None) -> Tensor:
    """The q-quantiles of the elements that are not NaN, along dim or of all elements."""
def cov(input: Tensor, *, correction: _int = 1, fweights: Optional[Tensor] = None,
        aweights: Optional[Tensor] = None) -> Tensor:
    """The covariance matrix of the variables in the rows of `input` (observations in the columns)."""
def corrcoef(input: Tensor) -> Tensor:
    """The Pearson correlation matrix of the variables in the rows of `input`."""
def histc(input: Tensor, bins: _int = 100, min: Number = 0, max: Number = 0, *,
          out: Optional[Tensor] = None) -> Tensor:
    """Counts in `bins` equal bins between min and max (the data's range when equal); NaNs are not counted."""
def dist(input: Tensor, other: Tensor, p: _float = 2) -> Tensor:
    """The p-norm of input - other."""
def renorm(input: Tensor, p: _float, dim: _int, maxnorm: _float, *, out: Optional[Tensor] = None) -> Tensor:
    """Each slice along dim whose p-norm exceeds maxnorm scaled down to it."""
def logcumsumexp(input: Tensor, dim: _int, *, out: Optional[Tensor] = None) -> Tensor:
    """log(cumsum(exp(input))) along dim, without overflow."""
def trapezoid(y: Tensor, x: Optional[Tensor] = None, *, dx: Optional[Number] = None, dim: _int = -1) -> Tensor:
    """The trapezoid rule along dim, for samples y at spacing dx (1 by default) or at the points x."""
def trapz(y: Tensor, x: Optional[Tensor] = None, *, dx: Optional[Number] = None, dim: _int = -1) -> Tensor:
    """An alias of trapezoid."""
def cumulative_trapezoid(y: Tensor, x: Optional[Tensor] = None, *, dx: Optional[Number] = None,
                         dim: _int = -1) -> Tensor:
    """The running sums of the trapezoid rule along dim."""
def isposinf(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Whether each element of `input` is +inf."""
def isneginf(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """Whether each element of `input` is -inf."""
def ldexp(input: Tensor, other: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """input * 2 ** other."""
def logspace(start: Union[Number, Tensor], end: Union[Number, Tensor], steps: _int, base: _float = 10.0, *,
             out: Optional[Tensor] = None, dtype: Optional[_dtype] = None, layout: Any = None,
             device: Optional[_device] = None, pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """base ** linspace(start, end, steps), computed in float64 and rounded once to dtype."""
def searchsorted(sorted_sequence: Tensor, input: Union[Tensor, Number], *, out_int32: _bool = False,
                 right: _bool = False, side: Optional[_str] = None, sorter: Optional[Tensor] = None) -> Tensor:
    """Where each value would go in the rows of sorted_sequence: the first position whose element is >= it
    (> with right=True or side="right"); sorter holds the indices that sort an unsorted sequence."""
def bucketize(input: Union[Tensor, Number], boundaries: Tensor, *, out_int32: _bool = False,
              right: _bool = False, out: Optional[Tensor] = None) -> Tensor:
    """The bucket of each value between the sorted 1-D boundaries: searchsorted(boundaries, input)."""
def isin(elements: Union[Tensor, Number], test_elements: Union[Tensor, Number], *, assume_unique: _bool = False,
         invert: _bool = False, out: Optional[Tensor] = None) -> Tensor:
    """Whether each element of `elements` is among test_elements (is not, with invert), as a bool tensor."""
def bincount(input: Tensor, weights: Optional[Tensor] = None, minlength: _int = 0) -> Tensor:
    """How often each value of a 1-D non-negative integer tensor occurs (or the sums of its weights)."""
def cumsum(input: Tensor, dim: _int, *, dtype: Optional[_dtype] = None) -> Tensor:
    """The running sum along dim; integers and bools give int64, dtype casts input first."""
def cumprod(input: Tensor, dim: _int, *, dtype: Optional[_dtype] = None) -> Tensor:
    """The running product along dim; integers and bools give int64, dtype casts input first."""
def cummax(input: Tensor, dim: _int) -> _ValuesIndices:
    """The running maximum along dim and the index each value came from (NaN holds once seen)."""
def cummin(input: Tensor, dim: _int) -> _ValuesIndices:
    """The running minimum along dim and the index each value came from (NaN holds once seen)."""


# --- matrix products and indexing ------------------------------------------------------

def matmul(input: Tensor, other: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The matrix product with PyTorch's rules: 1-D operands are promoted (and the added dim removed),
    1-D @ 1-D is a 0-dim dot product, batch dims broadcast."""
def mm(input: Tensor, mat2: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The product of (n, k) and (k, m) matrices of one dtype."""
def bmm(input: Tensor, mat2: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The batched product of (B, n, k) and (B, k, m) tensors of one dtype."""
def cat(tensors: Sequence[Tensor], dim: _int = 0, *, out: Optional[Tensor] = None) -> Tensor:
    """The tensors joined along dim (sizes equal elsewhere; dtypes promoted; 1-D empty tensors skipped)."""
def concat(tensors: Sequence[Tensor], dim: _int = 0, *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of cat."""
def concatenate(tensors: Sequence[Tensor], dim: _int = 0, *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of cat."""
def stack(tensors: Sequence[Tensor], dim: _int = 0, *, out: Optional[Tensor] = None) -> Tensor:
    """The tensors (of one shape) joined along a new dim."""
def hstack(tensors: Sequence[Tensor], *, out: Optional[Tensor] = None) -> Tensor:
    """The tensors joined along dim 1 (dim 0 for 1-D tensors)."""
def vstack(tensors: Sequence[Tensor], *, out: Optional[Tensor] = None) -> Tensor:
    """The tensors, made at least 2-D, joined along dim 0."""
def row_stack(tensors: Sequence[Tensor], *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of vstack."""
def dstack(tensors: Sequence[Tensor], *, out: Optional[Tensor] = None) -> Tensor:
    """The tensors, made at least 3-D, joined along dim 2."""
def column_stack(tensors: Sequence[Tensor], *, out: Optional[Tensor] = None) -> Tensor:
    """The tensors joined along dim 1, 0-dim and 1-D ones made columns first."""
@overload
def atleast_1d(tensor: Tensor, /) -> Tensor:
    """`tensor` with at least 1 dim: a 0-dim tensor becomes (1); a view."""
@overload
def atleast_1d(tensors: Sequence[Tensor], /) -> Tuple[Tensor, ...]:
    """Each of the tensors with at least 1 dim, as a tuple."""
@overload
def atleast_1d(tensor1: Tensor, tensor2: Tensor, /, *tensors: Tensor) -> Tuple[Tensor, ...]:
    """Each of the tensors with at least 1 dim, as a tuple."""
@overload
def atleast_2d(tensor: Tensor, /) -> Tensor:
    """`tensor` with at least 2 dims: 0-dim becomes (1, 1), (n) becomes (1, n); a view."""
@overload
def atleast_2d(tensors: Sequence[Tensor], /) -> Tuple[Tensor, ...]:
    """Each of the tensors with at least 2 dims, as a tuple."""
@overload
def atleast_2d(tensor1: Tensor, tensor2: Tensor, /, *tensors: Tensor) -> Tuple[Tensor, ...]:
    """Each of the tensors with at least 2 dims, as a tuple."""
@overload
def atleast_3d(tensor: Tensor, /) -> Tensor:
    """`tensor` with at least 3 dims: 0-dim becomes (1, 1, 1), (n) (1, n, 1), (m, n) (m, n, 1); a view."""
@overload
def atleast_3d(tensors: Sequence[Tensor], /) -> Tuple[Tensor, ...]:
    """Each of the tensors with at least 3 dims, as a tuple."""
@overload
def atleast_3d(tensor1: Tensor, tensor2: Tensor, /, *tensors: Tensor) -> Tuple[Tensor, ...]:
    """Each of the tensors with at least 3 dims, as a tuple."""
def broadcast_to(input: Tensor, size: _size) -> Tensor:
    """A broadcast view of input with the given size (-1 keeps a size), as expand."""
@overload
def broadcast_tensors(*tensors: Tensor) -> Tuple[Tensor, ...]:
    """The tensors expanded to their common broadcast shape, as views."""
@overload
def broadcast_tensors(tensors: Sequence[Tensor], /) -> Tuple[Tensor, ...]:
    """The tensors of a list or tuple expanded to their common broadcast shape, as views."""
def broadcast_shapes(*shapes: Union[_int, Sequence[_int]]) -> Size:
    """The shape that tensors of the given shapes broadcast to, without making any tensor."""
@overload
def meshgrid(*tensors: Tensor, indexing: Optional[_str] = None) -> Tuple[Tensor, ...]:
    """Coordinate grids of 0-dim or 1-D tensors: indexing "ij" (the default) or "xy" (the first two dims swapped)."""
@overload
def meshgrid(tensors: Sequence[Tensor], /, *, indexing: Optional[_str] = None) -> Tuple[Tensor, ...]:
    """Coordinate grids of a list or tuple of 0-dim or 1-D tensors: indexing "ij" (the default) or "xy"."""
def split(tensor: Tensor, split_size_or_sections: Union[_int, Sequence[_int]], dim: _int = 0) -> Tuple[Tensor, ...]:
    """Views of consecutive slices along dim: of split_size each (the last may be smaller), or of the sizes given."""
def tensor_split(input: Tensor, indices_or_sections: Union[_int, Tensor, Sequence[_int]],
                 dim: _int = 0) -> Tuple[Tensor, ...]:
    """Views along dim: n near-equal pieces (the first ones one longer), or the pieces between the indices given."""
def chunk(input: Tensor, chunks: _int, dim: _int = 0) -> Tuple[Tensor, ...]:
    """At most `chunks` views of equal size (the last may be smaller) along dim."""
def unbind(input: Tensor, dim: _int = 0) -> Tuple[Tensor, ...]:
    """The slices of `input` along `dim`, as a tuple of views."""
def movedim(input: Tensor, source: _dims, destination: _dims) -> Tensor:
    """A view with the dims `source` moved to positions `destination`, the others in order."""
def moveaxis(input: Tensor, source: _dims, destination: _dims) -> Tensor:
    """An alias of movedim."""
def tile(input: Tensor, dims: _dims) -> Tensor:
    """input repeated dims[i] times along dim i, dims padded by leading ones."""
def roll(input: Tensor, shifts: _dims, dims: Optional[_dims] = None) -> Tensor:
    """The elements shifted along dims, wrapping around; without dims, over the flattened tensor."""
def tril(input: Tensor, diagonal: _int = 0, *, out: Optional[Tensor] = None) -> Tensor:
    """The lower triangle of the last two dims (from diagonal k up), the rest zero."""
def triu(input: Tensor, diagonal: _int = 0, *, out: Optional[Tensor] = None) -> Tensor:
    """The upper triangle of the last two dims (from diagonal k on), the rest zero."""
def tril_indices(row: _int, col: _int, offset: _int = 0, *, dtype: Optional[_dtype] = None,
                 device: Optional[_device] = None, layout: Any = None) -> Tensor:
    """The (2, count) coordinates of the lower triangle of a row x col matrix (from diagonal offset down), row by row;
    int64 unless dtype says otherwise."""
def triu_indices(row: _int, col: _int, offset: _int = 0, *, dtype: Optional[_dtype] = None,
                 device: Optional[_device] = None, layout: Any = None) -> Tensor:
    """The (2, count) coordinates of the upper triangle of a row x col matrix (from diagonal offset on), row by row;
    int64 unless dtype says otherwise."""
def softmax(input: Tensor, dim: _int, dtype: Optional[_dtype] = None) -> Tensor:
    """exp(input) / sum(exp(input)) along dim, without overflow; dtype casts input first."""
def log_softmax(input: Tensor, dim: _int, dtype: Optional[_dtype] = None) -> Tensor:
    """input - logsumexp(input, dim, keepdim=True); dtype casts input first."""
def logsumexp(input: Tensor, dim: _dims, keepdim: _bool = False, *,
              out: Optional[Tensor] = None) -> Tensor:
    """log(sum(exp(input))) over dim, without overflow; integers give float32."""
def gather(input: Tensor, dim: _int, index: Tensor) -> Tensor:
    """out[i][j] = input[i][index[i][j]] along dim (and likewise for any dim)."""
def scatter(input: Tensor, dim: _int, index: Tensor, src: Optional[Union[Tensor, Number]] = None, *,
            value: Optional[Number] = None, reduce: Optional[_str] = None) -> Tensor:
    """A copy of input with src (or value) written where index says along dim."""
def scatter_add(input: Tensor, dim: _int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of input with src added where index says along dim (repeated places add up)."""
def scatter_reduce(input: Tensor, dim: _int, index: Tensor, src: Tensor, reduce: _str, *,
                   include_self: _bool = True) -> Tensor:
    """A copy of input with src reduced ("sum", "prod", "mean", "amax", "amin") into the places index names."""
def index_add(input: Tensor, dim: _int, index: Tensor, source: Tensor, *, alpha: Number = 1,
              out: Optional[Tensor] = None) -> Tensor:
    """A copy of input with alpha * source added at the positions the 1-D index names along dim."""
def index_copy(input: Tensor, dim: _int, index: Tensor, source: Tensor) -> Tensor:
    """A copy of input with source written at the positions the 1-D index names along dim."""
def index_fill(input: Tensor, dim: _int, index: Tensor, value: Union[Tensor, Number],
        *, out: Optional[Tensor] = None) -> Tensor:
    """A copy of input with `value` written at the positions the index (1-D or 0-dim) names along dim."""
def masked_scatter(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """A copy of input with the places where mask (broadcast) is True filled, in order, from source."""
def take_along_dim(input: Tensor, indices: Tensor, dim: Optional[_int] = None) -> Tensor:
    """gather along dim with input and indices broadcast elsewhere; without dim, of the flattened input."""
def take(input: Tensor, index: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The elements of the flattened input at `index` (negative values count from the end), in index's shape."""
def repeat_interleave(input: Tensor, repeats: Optional[Union[Tensor, _int]] = None, dim: Optional[_int] = None, *,
                      output_size: Optional[_int] = None) -> Tensor:
    """Each element (slice along dim) repeated repeats (or repeats[i]) times; repeat_interleave(t) repeats indices."""
def einsum(equation: _str, *args: Union[Tensor, Sequence[Tensor]]) -> Tensor:
    """Einstein summation: "ij,jk->ik", implicit outputs, repeated subscripts, "..." broadcasting."""
def index_select(input: Tensor, dim: _int, index: Tensor) -> Tensor:
    """The slices along dim that the 1-D index names."""
def masked_fill(input: Tensor, mask: Tensor, value: Union[Tensor, Number]) -> Tensor:
    """value where mask (broadcast) is True, input elsewhere."""
def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """The elements where mask (broadcast) is True, as a 1-D tensor."""
def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Number = 1,
            out: Optional[Tensor] = None) -> Tensor:
    """input + value * tensor1 * tensor2."""
def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Number = 1,
            out: Optional[Tensor] = None) -> Tensor:
    """input + value * tensor1 / tensor2."""
def norm(input: Tensor, p: Union[Number, _str] = "fro", dim: Optional[_dims] = None, keepdim: _bool = False) -> Tensor:
    """A vector norm over dim (every element when None); "fro" is the 2-norm."""
def cosine_similarity(x1: Tensor, x2: Tensor, dim: _int = 1, eps: _float = 1e-8) -> Tensor:
    """The cosine of the angle between x1 and x2 along dim."""
def cdist(x1: Tensor, x2: Tensor, p: _float = 2.0, compute_mode: _str = "use_mm_for_euclid_dist_if_necessary") -> Tensor:
    """p-norm distances between the rows of x1 (..., P, M) and x2 (..., R, M): (..., P, R); every
    compute_mode computes the differences directly."""
def mv(input: Tensor, vec: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The product of an (n, k) matrix and a (k) vector."""
def dot(input: Tensor, other: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The 0-dim inner product of two 1-D tensors of one size and dtype."""
def outer(input: Tensor, vec2: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The (n, m) outer product of 1-D tensors of sizes n and m."""
def ger(input: Tensor, vec2: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """An alias of outer."""
def inner(input: Tensor, other: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The sum of products over the last dims of input and other (a product when either is 0-dim)."""
def kron(input: Tensor, other: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The Kronecker product: blocks input[i] * other, over any number of dims."""
def tensordot(a: Tensor, b: Tensor, dims: Union[_int, Sequence[_dims]] = 2, *, out: Optional[Tensor] = None) -> Tensor:
    """The sum of products over the last `dims` dims of a and the first `dims` of b, or over the dims
    paired in (dims_a, dims_b)."""
def cross(input: Tensor, other: Tensor, dim: Optional[_int] = None, *, out: Optional[Tensor] = None) -> Tensor:
    """The cross product of 3-vectors along dim, broadcasting; without dim, the first dim of size 3."""
def _linalg_cross(input: Tensor, other: Tensor, dim: _int = -1) -> Tensor: ...
def _linalg_lu_factor_ex(A: Tensor, check_errors: _bool = False) -> _LUPivotsInfo:
    """linalg.lu_factor_ex: (LU, pivots, info) with A = P L U, pivots 1-based int32, info 0 or the first zero pivot."""
def _linalg_lu_factor(A: Tensor) -> _LUPivots:
    """linalg.lu_factor: (LU, pivots), raising LinAlgError for a singular matrix."""
def _linalg_lu(A: Tensor) -> _PLU:
    """linalg.lu: (P, L, U) with A = P L U."""
def _linalg_lu_solve(LU: Tensor, pivots: Tensor, B: Tensor, left: _bool = True, adjoint: _bool = False) -> Tensor:
    """linalg.lu_solve: X with A X = B (X A = B when not left; A^T when adjoint) for A factored into (LU, pivots)."""
def _linalg_solve_triangular(A: Tensor, B: Tensor, upper: _bool, left: _bool = True,
                             unitriangular: _bool = False) -> Tensor:
    """linalg.solve_triangular: X with A X = B (X A = B when not left), reading only A's triangle."""
def _linalg_solve(A: Tensor, B: Tensor, left: _bool = True) -> Tensor:
    """linalg.solve: X with A X = B (X A = B when not left); B may be a batch of vectors."""
def _linalg_inv(A: Tensor) -> Tensor:
    """linalg.inv: the inverse of each square matrix, raising LinAlgError for a singular one."""
def _linalg_inv_ex(A: Tensor, check_errors: _bool = False) -> _InverseInfo:
    """linalg.inv_ex: (inverse, info), info 0 or the first zero pivot."""
def _linalg_det(A: Tensor) -> Tensor:
    """linalg.det: the determinant of each square matrix."""
def _linalg_slogdet(A: Tensor) -> _SignLogAbsDet:
    """linalg.slogdet: (sign, logabsdet) of each square matrix's determinant."""
def _linalg_cholesky(A: Tensor, upper: _bool = False) -> Tensor:
    """linalg.cholesky: L with A = L L^T (U with A = U^T U when upper), raising LinAlgError if A is not
    positive-definite."""
def _linalg_cholesky_ex(A: Tensor, upper: _bool = False, check_errors: _bool = False) -> _LInfo:
    """linalg.cholesky_ex: (L, info), info 0 or the order of the first leading minor that is not positive-definite."""
def _linalg_eigh(A: Tensor, UPLO: str = "L") -> _EigenvaluesEigenvectors:
    """linalg.eigh: (eigenvalues ascending, eigenvectors as columns) of symmetric A, from its lower
    (UPLO="L") or upper triangle."""
def _linalg_eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:
    """linalg.eigvalsh: the eigenvalues of symmetric A, ascending."""
def _linalg_matrix_power(A: Tensor, n: _int) -> Tensor:
    """linalg.matrix_power: A^n for an integer n."""
def det(input: Tensor) -> Tensor:
    """The determinant of each square matrix of the last two dims."""
def logdet(input: Tensor) -> Tensor:
    """log det of each square matrix: NaN for a negative determinant, -inf for a zero one."""
def slogdet(input: Tensor) -> _SignLogAbsDet:
    """(sign, logabsdet): the sign of each matrix's determinant and the log of its absolute value."""
def inverse(input: Tensor) -> Tensor:
    """The inverse of each square matrix; raises LinAlgError for a singular one."""
def cholesky(input: Tensor, upper: _bool = False) -> Tensor:
    """The Cholesky factor L (A = L L^T) from A's lower triangle, or U (A = U^T U) from its upper one."""
def cholesky_inverse(input: Tensor, upper: _bool = False) -> Tensor:
    """A^-1 for A = L L^T given its factor L = input (U^T U when upper)."""
def cholesky_solve(input: Tensor, input2: Tensor, upper: _bool = False) -> Tensor:
    """A^-1 input for A = L L^T given its factor input2 = L (U^T U when upper)."""
def matrix_power(input: Tensor, n: _int) -> Tensor:
    """input^n for an integer n (a negative n powers the inverse; 0 gives the identity)."""
def lu_solve(input: Tensor, LU_data: Tensor, LU_pivots: Tensor) -> Tensor:
    """The solution X of A X = input for A factored by linalg.lu_factor into (LU_data, LU_pivots)."""
def lu_unpack(LU_data: Tensor, LU_pivots: Tensor) -> _PLU:
    """(P, L, U) from linalg.lu_factor's packed factors: A = P L U."""
def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Number = 1, alpha: Number = 1,
          out: Optional[Tensor] = None) -> Tensor:
    """``beta * input + alpha * (mat1 @ mat2)``, input broadcast to the product's shape; beta=0 ignores input."""
def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Number = 1, alpha: Number = 1,
            out: Optional[Tensor] = None) -> Tensor:
    """``beta * input + alpha * bmm(batch1, batch2)``, input broadcast to the product's shape."""
def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta: Number = 1, alpha: Number = 1,
        out: Optional[Tensor] = None) -> Tensor:
    """``beta * input + alpha * (mat @ vec)``, input broadcast to the product's shape."""
def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Number = 1, alpha: Number = 1,
           out: Optional[Tensor] = None) -> Tensor:
    """``beta * input + alpha * sum_i batch1[i] @ batch2[i]``, as one matrix product."""
def vdot(input: Tensor, other: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The dot product of two 1-D tensors (real: no conjugation)."""
def put(input: Tensor, index: Tensor, source: Tensor, accumulate: _bool = False) -> Tensor:
    """A copy of `input` with source's values written (or added) at the flat positions index."""
def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta: Number = 1, alpha: Number = 1,
        out: Optional[Tensor] = None) -> Tensor:
    """``beta * input + alpha * outer(vec1, vec2)``, input broadcast to the product's shape."""
def trace(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """The sum of the main diagonal of a matrix."""
def diag(input: Tensor, diagonal: _int = 0, *, out: Optional[Tensor] = None) -> Tensor:
    """A 1-D input on the k-th diagonal of a square matrix, or a copy of a 2-D input's k-th diagonal."""
def diag_embed(input: Tensor, offset: _int = 0, dim1: _int = -2, dim2: _int = -1,
        *, out: Optional[Tensor] = None) -> Tensor:
    """The last dim of input on the offset diagonal of the planes (dim1, dim2) of a new tensor."""
def diagflat(input: Tensor, offset: _int = 0, *, out: Optional[Tensor] = None) -> Tensor:
    """The flattened input on the offset diagonal of a square matrix."""
@overload
def nonzero(input: Tensor, *, as_tuple: Literal[False] = False) -> Tensor:
    """The coordinates of the nonzero elements: int64 of shape (count, input.dim()), row-major order."""
@overload
def nonzero(input: Tensor, *, as_tuple: Literal[True]) -> Tuple[Tensor, ...]:
    """The coordinates of the nonzero elements as one 1-D int64 tensor per dimension."""
def index_put(input: Tensor, indices: Tuple[Optional[Tensor], ...], values: Tensor,
              accumulate: _bool = False) -> Tensor:
    """A copy of input with ``[indices] = values`` (None in indices takes a whole dim); with accumulate,
    values add up at duplicate positions."""


# --- autograd --------------------------------------------------------------------------

def is_grad_enabled() -> _bool:
    """Whether operations are recorded for backward in this thread (False inside no_grad)."""
def is_inference_mode_enabled() -> _bool:
    """Whether this thread is inside inference_mode."""
def _set_grad_enabled(mode: _bool) -> None: ...
def _linear(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor: ...
def _gelu(input: Tensor, approximate: _str = "none") -> Tensor: ...
def _silu(input: Tensor) -> Tensor: ...
def _mish(input: Tensor) -> Tensor: ...
def _selu(input: Tensor) -> Tensor: ...
def _hardswish(input: Tensor) -> Tensor: ...
def _logsigmoid(input: Tensor) -> Tensor: ...
def _softplus(input: Tensor, beta: Number = 1, threshold: Number = 20) -> Tensor: ...
def _leaky_relu(input: Tensor, negative_slope: Number = 0.01) -> Tensor: ...
def _elu(input: Tensor, alpha: Number = 1, scale: Number = 1, input_scale: Number = 1) -> Tensor: ...
def _embedding(weight: Tensor, indices: Tensor, padding_idx: Optional[_int] = None) -> Tensor: ...
def _one_hot(indices: Tensor, num_classes: _int = -1) -> Tensor: ...
def _dropout(input: Tensor, p: _float = 0.5, training: _bool = True, generator: Optional[Generator] = None) -> Tensor: ...
def _normalize(input: Tensor, p: _float = 2.0, dim: _int = 1, eps: _float = 1e-12) -> Tensor: ...
def _layer_norm(input: Tensor, normalized_shape: _size, weight: Optional[Tensor] = None,
                bias: Optional[Tensor] = None, eps: _float = 1e-5) -> Tensor: ...
def _rms_norm(input: Tensor, normalized_shape: _size, weight: Optional[Tensor] = None,
              eps: Optional[_float] = None) -> Tensor: ...
def _mse_loss(input: Tensor, target: Tensor, reduction: _str = "mean") -> Tensor: ...
def _l1_loss(input: Tensor, target: Tensor, reduction: _str = "mean") -> Tensor: ...
def _smooth_l1_loss(input: Tensor, target: Tensor, reduction: _str = "mean", beta: _float = 1.0) -> Tensor: ...
def _huber_loss(input: Tensor, target: Tensor, reduction: _str = "mean", delta: _float = 1.0) -> Tensor: ...
def _binary_cross_entropy(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                          reduction: _str = "mean") -> Tensor: ...
def _binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                                      pos_weight: Optional[Tensor] = None, reduction: _str = "mean") -> Tensor: ...
def _kl_div(input: Tensor, target: Tensor, reduction: _str = "mean", log_target: _bool = False) -> Tensor: ...
def _nll_loss(input: Tensor, target: Tensor, weight: Optional[Tensor] = None, ignore_index: _int = -100,
              reduction: _str = "mean") -> Tensor: ...
def _cross_entropy(input: Tensor, target: Tensor, weight: Optional[Tensor] = None, ignore_index: _int = -100,
                   reduction: _str = "mean", label_smoothing: _float = 0.0) -> Tensor: ...
def _hardtanh(input: Tensor, min_val: Number = -1, max_val: Number = 1) -> Tensor: ...
def _conv(dims: _int, input: Tensor, weight: Tensor, bias: Optional[Tensor], stride: Sequence[_int],
          padding: Union[Sequence[_int], _str], dilation: Sequence[_int], groups: _int, /) -> Tensor: ...
def _conv_transpose(dims: _int, input: Tensor, weight: Tensor, bias: Optional[Tensor], stride: Sequence[_int],
                    padding: Sequence[_int], output_padding: Sequence[_int], groups: _int,
                    dilation: Sequence[_int], /) -> Tensor: ...
def _max_pool2d(input: Tensor, kernel_size: Sequence[_int], stride: Sequence[_int], padding: Sequence[_int],
                dilation: Sequence[_int], ceil_mode: _bool, /) -> Tuple[Tensor, Tensor]: ...
def _avg_pool2d(input: Tensor, kernel_size: Sequence[_int], stride: Sequence[_int], padding: Sequence[_int],
                ceil_mode: _bool, count_include_pad: _bool, divisor_override: Optional[_int], /) -> Tensor: ...
def _adaptive_avg_pool2d(input: Tensor, output_size: Sequence[_int], /) -> Tensor: ...
def _adaptive_max_pool2d(input: Tensor, output_size: Sequence[_int], /) -> Tuple[Tensor, Tensor]: ...
def _pad(input: Tensor, pad: Sequence[_int], mode: _str, value: _float, /) -> Tensor: ...
def _interpolate(input: Tensor, size: Sequence[_int], scale_factor: Sequence[_float], mode: _str,
                 align_corners: Optional[_bool], recompute_scale_factor: Optional[_bool], /) -> Tensor: ...
def _batch_norm(input: Tensor, running_mean: Optional[Tensor], running_var: Optional[Tensor],
                weight: Optional[Tensor], bias: Optional[Tensor], training: _bool, momentum: _float,
                eps: _float, /) -> Tensor: ...
def _group_norm(input: Tensor, num_groups: _int, weight: Optional[Tensor], bias: Optional[Tensor],
                eps: _float, /) -> Tensor: ...
def _fused_adam_(params: List[Tensor], grads: List[Tensor], exp_avgs: List[Tensor], exp_avg_sqs: List[Tensor],
                 max_exp_avg_sqs: List[Tensor], step: _int, lr: _float, beta1: _float, beta2: _float, eps: _float,
                 weight_decay: _float, amsgrad: _bool, maximize: _bool, decoupled: _bool, /) -> None: ...
def _fused_sgd_(params: List[Tensor], grads: List[Tensor], momentum_buffers: List[Tensor], lr: _float,
                momentum: _float, dampening: _float, weight_decay: _float, nesterov: _bool, maximize: _bool,
                first_step: _bool, /) -> None: ...
def _amp_foreach_non_finite_check_and_unscale_(grads: List[Tensor], found_inf: Tensor, inv_scale: Tensor, /) -> None: ...
def _get_autograd_mode() -> Tuple[_bool, _bool]: ...
def _set_autograd_mode(grad_enabled: _bool, inference: _bool, /) -> None: ...
def _backward(tensors: Union[Tensor, Sequence[Tensor]], grad_tensors: Optional[Sequence[Optional[Tensor]]] = None,
              retain_graph: Optional[_bool] = None, create_graph: _bool = False) -> None: ...
def _grad(outputs: Union[Tensor, Sequence[Tensor]], inputs: Union[Tensor, Sequence[Tensor]],
          grad_outputs: Optional[Sequence[Optional[Tensor]]] = None, retain_graph: Optional[_bool] = None,
          create_graph: _bool = False, allow_unused: _bool = False) -> Tuple[Optional[Tensor], ...]: ...
def _apply_function(name: _str, ctx: _FunctionCtx, args: Tuple[Any, ...], forward: Callable[[], Any],
                    backward: Callable[[Tuple[Optional[Tensor], ...]], Any]) -> Any: ...
def _gradcheck(fn: Callable[[List[Tensor]], Sequence[Tensor]], inputs: Sequence[Tensor], eps: _float, atol: _float,
               rtol: _float, raise_exception: _bool, second_order: _bool, /) -> _bool: ...
def _check_device(device: _device, op: _str, /) -> None: ...
def _cuda_is_built() -> _bool: ...
def _cuda_device_count() -> _int: ...
def _cuda_current_device() -> _int: ...
def _cuda_set_device(device: _int, /) -> None: ...
def _cuda_synchronize(device: _int, /) -> None: ...
def _cuda_device_name(device: _int, /) -> _str: ...
def _cuda_capability(device: _int, /) -> Tuple[_int, _int]: ...
def _cuda_total_memory(device: _int, /) -> _int: ...
def _cuda_stream_create(device: _int, priority: _int, /) -> _int: ...
def _cuda_stream_destroy(device: _int, stream: _int, /) -> None: ...
def _cuda_current_stream(device: _int, /) -> _int: ...
def _cuda_set_stream(device: _int, stream: _int, /) -> None: ...
def _cuda_stream_synchronize(device: _int, stream: _int, /) -> None: ...
def _cuda_stream_query(device: _int, stream: _int, /) -> _bool: ...
def _cuda_event_create(device: _int, timing: _bool, /) -> _int: ...
def _cuda_event_destroy(device: _int, event: _int, /) -> None: ...
def _cuda_event_record(device: _int, event: _int, stream: _int, /) -> None: ...
def _cuda_event_wait(device: _int, event: _int, stream: _int, /) -> None: ...
def _cuda_event_synchronize(device: _int, event: _int, /) -> None: ...
def _cuda_event_query(device: _int, event: _int, /) -> _bool: ...
def _cuda_event_elapsed(device: _int, start: _int, end: _int, /) -> _float: ...
def _cuda_memory_stats() -> Dict[_str, _int]: ...
def _cuda_empty_cache() -> None: ...
def _cuda_reset_peak() -> None: ...
def _cuda_manual_seed(seed: _int, all: _bool, /) -> None: ...
def _set_backend_flag(name: str, on: _bool) -> None: ...
def _get_backend_flag(name: str) -> _bool: ...
def _cudnn_version() -> int: ...
def _set_size_type(type: Type[Any], /) -> None: ...
def _safetensors_save(tensors: Any, metadata: Any = None, provenance: _bool = False) -> bytes: ...
def _safetensors_save_file(tensors: Any, filename: Any, metadata: Any = None, provenance: _bool = False) -> None: ...
def _safetensors_load(data: bytes, verify: _bool = False) -> Tuple[Dict[_str, Tensor], Dict[_str, _str]]: ...
def _safetensors_load_file(filename: Any, verify: _bool = False) -> Tuple[Dict[_str, Tensor], Dict[_str, _str]]: ...

# autocast (python/src/autocast.cpp)
def _autocast_set_enabled(device_type: _str, enabled: _bool, /) -> None: ...
def _autocast_is_enabled(device_type: _str, /) -> _bool: ...
def _autocast_set_dtype(device_type: _str, dtype: dtype, /) -> None: ...
def _autocast_get_dtype(device_type: _str, /) -> dtype: ...
def _autocast_set_cache_enabled(enabled: _bool, /) -> None: ...
def _autocast_is_cache_enabled() -> _bool: ...
def _autocast_increment_nesting() -> _int: ...
def _autocast_decrement_nesting() -> _int: ...
def _autocast_clear_cache() -> None: ...
def _autocast_policy(op: _str, device_type: _str, /) -> _str: ...
def _autocast_cpu_uses_gpu_lists(on: _bool, /) -> None: ...

# deterministic mode (python/src/deterministic.cpp)
def use_deterministic_algorithms(mode: _bool, *, warn_only: _bool = False) -> None:
    """Makes every run give the same bits: floating sums that a GPU would add in any order take a sorted path, and operators without one raise (or, with warn_only, warn)."""
def are_deterministic_algorithms_enabled() -> _bool:
    """Whether use_deterministic_algorithms(True) is in effect."""
def is_deterministic_algorithms_warn_only_enabled() -> _bool:
    """Whether deterministic mode only warns about operators without a deterministic implementation."""
