"""libtensor: an eager tensor library with a tape-based autograd engine (type stubs).

Its API follows PyTorch's names and semantics, so that PyTorch code runs with
``import libtensor as torch``. The compiled core is ``libtensor._C`` (see _C.pyi); this stub
re-exports its names and declares what the package adds in Python.
"""
import builtins
import os
from typing import (Any, BinaryIO, Callable, ClassVar, Dict, Literal, Optional, Sequence, SupportsIndex, Tuple, Type,
                    TypeVar, Union, overload, type_check_only)

from typing_extensions import Self, TypeAlias

from . import _C as _C
from . import autograd as autograd
from . import backends as backends
from . import cuda as cuda
from . import cpu as cpu
from . import amp as amp
from . import nn as nn
from . import linalg as linalg
from . import optim as optim
from . import utils as utils
from . import safetensors as safetensors
from . import serialization as serialization
from ._C import (
    GradcheckError as GradcheckError, SafetensorError as SafetensorError, OutOfMemoryError as OutOfMemoryError, dtype as dtype, float32 as float32, float64 as float64,
    float16 as float16, bfloat16 as bfloat16, int64 as int64, int32 as int32, int16 as int16, int8 as int8,
    uint8 as uint8, bool as bool, device as device, Generator as Generator,
    default_generator as default_generator, manual_seed as manual_seed, seed as seed,
    set_num_threads as set_num_threads, get_num_threads as get_num_threads,
    set_default_dtype as set_default_dtype, get_default_dtype as get_default_dtype,
    use_deterministic_algorithms as use_deterministic_algorithms,
    are_deterministic_algorithms_enabled as are_deterministic_algorithms_enabled,
    is_deterministic_algorithms_warn_only_enabled as is_deterministic_algorithms_warn_only_enabled,
    initial_seed as initial_seed, Node as Node, RemovableHandle as RemovableHandle, Tensor as Tensor,
    zeros as zeros, ones as ones, empty as empty, rand as rand, randn as randn, full as full,
    scalar_tensor as scalar_tensor, arange as arange, linspace as linspace, eye as eye, randint as randint,
    zeros_like as zeros_like, ones_like as ones_like, empty_like as empty_like, rand_like as rand_like,
    randn_like as randn_like, full_like as full_like, randint_like as randint_like, bernoulli as bernoulli,
    from_numpy as from_numpy, to_dlpack as to_dlpack, from_dlpack as from_dlpack,
    promote_types as promote_types, result_type as result_type, is_tensor as is_tensor,
    is_floating_point as is_floating_point, numel as numel, flatten as flatten, unflatten as unflatten,
    reshape as reshape, permute as permute, transpose as transpose, swapaxes as swapaxes, swapdims as swapdims, t as t,
    squeeze as squeeze, unsqueeze as unsqueeze, narrow as narrow, select as select, diagonal as diagonal,
    as_strided as as_strided, clone as clone, flip as flip, fliplr as fliplr, flipud as flipud, rot90 as rot90,
    diff as diff, add as add, sub as sub, rsub as rsub, subtract as subtract,
    div as div, divide as divide, true_divide as true_divide, mul as mul, floor_divide as floor_divide,
    remainder as remainder, pow as pow, float_power as float_power, bitwise_and as bitwise_and,
    bitwise_or as bitwise_or, bitwise_xor as bitwise_xor, bitwise_left_shift as bitwise_left_shift,
    bitwise_right_shift as bitwise_right_shift, eq as eq, ne as ne, lt as lt, le as le, gt as gt, ge as ge,
    fmod as fmod, atan2 as atan2, maximum as maximum, minimum as minimum, fmax as fmax, fmin as fmin,
    logaddexp as logaddexp, logaddexp2 as logaddexp2, heaviside as heaviside, logical_and as logical_and,
    logical_or as logical_or, logical_xor as logical_xor, multiply as multiply, greater as greater,
    greater_equal as greater_equal, less as less, less_equal as less_equal, not_equal as not_equal,
    arctan2 as arctan2, neg as neg, neg_ as neg_, abs as abs, abs_ as abs_, sign as sign, sign_ as sign_, sgn as sgn,
    exp as exp, exp_ as exp_, exp2 as exp2, exp2_ as exp2_, expm1 as expm1, expm1_ as expm1_, log as log,
    log_ as log_, log2 as log2, log2_ as log2_, log10 as log10, log10_ as log10_, log1p as log1p,
    log1p_ as log1p_, sqrt as sqrt, sqrt_ as sqrt_, rsqrt as rsqrt, rsqrt_ as rsqrt_, reciprocal as reciprocal,
    reciprocal_ as reciprocal_, sin as sin, sin_ as sin_, cos as cos, cos_ as cos_, tan as tan, tan_ as tan_,
    asin as asin, asin_ as asin_, acos as acos, acos_ as acos_, atan as atan, atan_ as atan_, sinh as sinh,
    sinh_ as sinh_, cosh as cosh, cosh_ as cosh_, tanh as tanh, tanh_ as tanh_, asinh as asinh, acosh as acosh, atanh as atanh,
    asinh_ as asinh_, acosh_ as acosh_, atanh_ as atanh_, deg2rad as deg2rad, rad2deg as rad2deg, sinc as sinc, erf as erf, erf_ as erf_,
    erfc as erfc, erfc_ as erfc_, erfinv as erfinv, erfinv_ as erfinv_, sigmoid as sigmoid,
    sigmoid_ as sigmoid_, logit as logit, relu as relu, relu_ as relu_, floor as floor, floor_ as floor_, ceil as ceil,
    ceil_ as ceil_, round as round, round_ as round_, trunc as trunc, trunc_ as trunc_, frac as frac,
    frac_ as frac_, square as square, square_ as square_, logical_not as logical_not,
    logical_not_ as logical_not_, bitwise_not as bitwise_not, bitwise_not_ as bitwise_not_, isnan as isnan,
    isinf as isinf, isfinite as isfinite, signbit as signbit,
    absolute as absolute, negative as negative, arcsin as arcsin, arccos as arccos, arctan as arctan,
    arcsinh as arcsinh, arccosh as arccosh, arctanh as arctanh, fix as fix, absolute_ as absolute_, negative_ as negative_, arcsin_ as arcsin_, arccos_ as arccos_, arctan_ as arctan_, arcsinh_ as arcsinh_, arccosh_ as arccosh_, arctanh_ as arctanh_, fix_ as fix_, nan_to_num as nan_to_num, clamp as clamp,
    clip as clip, clamp_min as clamp_min, clamp_max as clamp_max, lerp as lerp, where as where, sum as sum,
    mean as mean, prod as prod, amax as amax, amin as amin, all as all, any as any, isclose as isclose, allclose as allclose, equal as equal, var as var, std as std,
    var_mean as var_mean, std_mean as std_mean, nansum as nansum, nanmean as nanmean, count_nonzero as count_nonzero,
    aminmax as aminmax,
    max as max, min as min, argmax as argmax, argmin as argmin, sort as sort, argsort as argsort, msort as msort,
    topk as topk, kthvalue as kthvalue, median as median, unique as unique, searchsorted as searchsorted,
    bucketize as bucketize, isin as isin,
    bincount as bincount, cumsum as cumsum, cumprod as cumprod, cummax as cummax, cummin as cummin, matmul as matmul, mm as mm, bmm as bmm,
    mv as mv, dot as dot, outer as outer, ger as ger, inner as inner, kron as kron, tensordot as tensordot,
    det as det, logdet as logdet, slogdet as slogdet, inverse as inverse, cholesky as cholesky,
    cholesky_inverse as cholesky_inverse, cholesky_solve as cholesky_solve, matrix_power as matrix_power,
    lu_solve as lu_solve, lu_unpack as lu_unpack,
    cross as cross, addmm as addmm, baddbmm as baddbmm, addmv as addmv, addr as addr, trace as trace, diag as diag,
    diag_embed as diag_embed, diagflat as diagflat,
    softmax as softmax, log_softmax as log_softmax, logsumexp as logsumexp,
    gather as gather, scatter as scatter, scatter_add as scatter_add, index_select as index_select,
    index_fill as index_fill, take as take,
    masked_fill as masked_fill, masked_select as masked_select, addcmul as addcmul, addcdiv as addcdiv, norm as norm,
    cosine_similarity as cosine_similarity, cdist as cdist,
    cat as cat, concat as concat, concatenate as concatenate, stack as stack, hstack as hstack, vstack as vstack,
    row_stack as row_stack, dstack as dstack, column_stack as column_stack, atleast_1d as atleast_1d,
    atleast_2d as atleast_2d, atleast_3d as atleast_3d, broadcast_to as broadcast_to,
    broadcast_tensors as broadcast_tensors, broadcast_shapes as broadcast_shapes, meshgrid as meshgrid,
    split as split, tensor_split as tensor_split, chunk as chunk,
    unbind as unbind, movedim as movedim, moveaxis as moveaxis, tile as tile, roll as roll, tril as tril, triu as triu,
    tril_indices as tril_indices, triu_indices as triu_indices,
    unique_consecutive as unique_consecutive, argwhere as argwhere, nanmedian as nanmedian, hsplit as hsplit,
    vsplit as vsplit, dsplit as dsplit, ravel as ravel, block_diag as block_diag, cartesian_prod as cartesian_prod,
    combinations as combinations, select_scatter as select_scatter, slice_scatter as slice_scatter,
    diagonal_scatter as diagonal_scatter, quantile as quantile, nanquantile as nanquantile, cov as cov,
    corrcoef as corrcoef, histc as histc, dist as dist, renorm as renorm, logcumsumexp as logcumsumexp,
    nan_to_num_ as nan_to_num_, addbmm as addbmm, vdot as vdot, put as put, trapezoid as trapezoid, trapz as trapz,
    cumulative_trapezoid as cumulative_trapezoid, isposinf as isposinf,
    isneginf as isneginf, ldexp as ldexp, logspace as logspace,
    copysign as copysign, hypot as hypot, xlogy as xlogy, lgamma as lgamma, lgamma_ as lgamma_,
    digamma as digamma, digamma_ as digamma_, polygamma as polygamma, scatter_reduce as scatter_reduce,
    index_add as index_add, index_copy as index_copy, masked_scatter as masked_scatter,
    take_along_dim as take_along_dim, repeat_interleave as repeat_interleave, einsum as einsum,
    multinomial as multinomial, randperm as randperm,
    nonzero as nonzero, index_put as index_put, is_grad_enabled as is_grad_enabled,
    is_inference_mode_enabled as is_inference_mode_enabled
)
# nn.functional's operators whose top-level forms take the same arguments (libtensor/_functional_aliases.py)
from .nn.functional import (
    conv1d as conv1d, conv2d as conv2d, conv_transpose1d as conv_transpose1d, conv_transpose2d as conv_transpose2d,
    adaptive_avg_pool1d as adaptive_avg_pool1d, pixel_shuffle as pixel_shuffle, pixel_unshuffle as pixel_unshuffle,
    channel_shuffle as channel_shuffle, celu_ as celu_, selu_ as selu_, prelu as prelu, threshold_ as threshold_,
    pairwise_distance as pairwise_distance, bilinear as bilinear, pdist as pdist
)

# float, int and bool are dtypes in this module, as in torch.
_int: TypeAlias = builtins.int
_float: TypeAlias = builtins.float
_bool: TypeAlias = builtins.bool
_str: TypeAlias = builtins.str
# What the functions accept as a dtype (Python's float, int and bool stand for float64, int64 and bool)
# and as a device.
_dtype: TypeAlias = Union[dtype, Type[builtins.float], Type[builtins.int], Type[builtins.bool]]
_device: TypeAlias = Union[device, builtins.str]
_Number: TypeAlias = Union[builtins.int, builtins.float, builtins.bool]
_F = TypeVar("_F", bound=Callable[..., Any])

__version__: _str


class Size(Tuple[builtins.int, ...]):
    """A tensor's shape: a tuple of ints, as torch.Size (what Tensor.shape and Tensor.size() return)."""

    @overload
    def __getitem__(self, key: SupportsIndex) -> _int:
        """One size."""
    @overload
    def __getitem__(self, key: slice) -> Size:
        """A slice of the sizes, as a Size."""
    def __add__(self, other: Sequence[_int]) -> Size:  # type: ignore[override]
        """The concatenation with another sequence of sizes, as a Size."""
    def numel(self) -> _int:
        """The number of elements of a tensor of this shape."""
    def __repr__(self) -> _str: ...


# The dtypes by their PyTorch aliases; like torch.float, these shadow builtins in this namespace.
float: dtype  # float32
double: dtype  # float64
half: dtype  # float16
long: dtype  # int64
int: dtype  # int32
short: dtype  # int16


def is_storage(obj: Any) -> _bool:
    """Always False: libtensor has no storage objects."""
def get_rng_state() -> Tensor:
    """The default generator's state, as a uint8 tensor."""
def set_rng_state(new_state: Tensor) -> None:
    """Restores a state from get_rng_state()."""
def typename(obj: Any) -> _str:
    """A tensor's type name, such as 'libtensor.FloatTensor'; else the qualified name of obj's type."""


# --- tensors from data (libtensor/_creation.py) ---

def tensor(data: Any, *, dtype: Optional[_dtype] = None, device: Optional[_device] = None,
           requires_grad: _bool = False, pin_memory: _bool = False) -> Tensor:
    """A new tensor holding a copy of `data` (a number, a nested sequence, a numpy array or a tensor).

    Python floats become float32, ints int64 and bools bool, unless `dtype` says otherwise.
    """
def save(obj: Any, f: Union[_str, os.PathLike[_str], BinaryIO], *, provenance: _bool = False) -> None:
    """Saves a tensor or a nested dict / list / tuple of tensors (a state dict) as a safetensors file,
    never as pickle; plain values (int, float, str, bool, None) are kept in its metadata."""
def load(f: Union[_str, os.PathLike[_str], BinaryIO], map_location: Any = None, *, weights_only: _bool = True,
         verify: _bool = False) -> Any:
    """Loads what save wrote (a plain safetensors file as a dict of tensors); refuses pickle files
    (torch.save's), which could run code, saying how to convert them."""
def as_tensor(data: Any, dtype: Optional[_dtype] = None, device: Optional[_device] = None) -> Tensor:
    """`data` as a tensor, sharing memory with it where possible (tensors, numpy arrays); else a copy."""
def asarray(obj: Any, *, dtype: Optional[_dtype] = None, device: Optional[_device] = None,
            copy: Optional[_bool] = None, requires_grad: _bool = False) -> Tensor:
    """as_tensor, also taking DLPack objects, with copy=True forcing a copy (as torch.asarray)."""


# --- grad modes (libtensor/_grad_mode.py): per thread, as in PyTorch ---

@type_check_only
class _GradMode:
    """A grad mode: a context manager, and a decorator that runs a function in the mode."""

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: Any) -> Literal[False]: ...
    def __call__(self, fn: _F) -> _F:
        """`fn` wrapped to run in this mode on every call (generator functions too)."""
    def clone(self) -> _GradMode:
        """A new, unentered object for the same mode."""


class no_grad(_GradMode):
    """Operators record nothing for backward inside the block (or the decorated function)."""


class enable_grad(_GradMode):
    """Turns recording back on inside a no_grad block (or for the decorated function)."""


class set_grad_enabled(_GradMode):
    """Sets grad mode: at once when called, and for a `with` block or a decorated function."""

    def __init__(self, mode: _bool) -> None:
        """Turns recording on or off now; leaving a `with` block restores the previous mode."""


class inference_mode(_GradMode):
    """Nothing is recorded inside, even where code turns grad mode back on; also a bare decorator."""

    def __new__(cls, mode: _bool = True) -> Self: ...
    def __init__(self, mode: _bool = True) -> None:
        """Inference mode when `mode` is True; with False, the block runs in the current mode."""


# --- mixed precision (libtensor/amp/autocast_mode.py; docs/autocast.md) ---

class autocast:
    """A region of mixed precision for one device type ("cpu" or "cuda"), also a decorator."""

    def __init__(self, device_type: _str, dtype: Optional[_dtype] = None, enabled: _bool = True,
                 cache_enabled: Optional[_bool] = None) -> None:
        """dtype defaults to the device type's (float16 on GPUs, bfloat16 on the CPU)."""
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: Any) -> Literal[False]: ...
    def __call__(self, fn: _F) -> _F:
        """`fn` wrapped to run inside the region on every call."""


def is_autocast_enabled(device_type: Optional[_str] = None) -> _bool:
    """Whether autocast is on for device_type (default "cuda", as PyTorch's)."""
def set_autocast_enabled(*args: Any) -> None:
    """set_autocast_enabled(device_type, enabled), or PyTorch 1.x's set_autocast_enabled(enabled) for CUDA."""
def get_autocast_dtype(device_type: _str) -> _dtype:
    """The dtype a region for device_type casts products to."""
def set_autocast_dtype(device_type: _str, dtype: _dtype) -> None:
    """Sets that dtype (float16 or bfloat16)."""
def is_autocast_cpu_enabled() -> _bool:
    """Whether autocast is on for CPU tensors."""
def set_autocast_cpu_enabled(enabled: _bool) -> None:
    """Turns autocast on or off for CPU tensors."""
def get_autocast_gpu_dtype() -> _dtype:
    """The GPU region's dtype."""
def set_autocast_gpu_dtype(dtype: _dtype) -> None:
    """Sets the GPU region's dtype."""
def get_autocast_cpu_dtype() -> _dtype:
    """The CPU region's dtype."""
def set_autocast_cpu_dtype(dtype: _dtype) -> None:
    """Sets the CPU region's dtype."""
def is_autocast_cache_enabled() -> _bool:
    """Whether weight casts are cached while a region lasts."""
def set_autocast_cache_enabled(enabled: _bool) -> None:
    """Turns the cache of weight casts on or off."""
def clear_autocast_cache() -> None:
    """Drops the cached weight casts."""
def autocast_increment_nesting() -> _int:
    """One more region entered; the depth."""
def autocast_decrement_nesting() -> _int:
    """One region left; the depth (0: the cache may be cleared)."""


# --- printing (libtensor/_tensor_str.py) ---

def set_printoptions(precision: Optional[_int] = None, threshold: Optional[_float] = None,
                     edgeitems: Optional[_int] = None, linewidth: Optional[_int] = None,
                     profile: Optional[_str] = None, sci_mode: Optional[_bool] = None) -> None:
    """Sets options for printing tensors, as torch.set_printoptions.

    `profile` ("default", "short" or "full") applies first and the other arguments override it; an
    argument left None keeps its value, except sci_mode, which every call sets (None: automatic).
    """
def get_printoptions() -> Dict[_str, Any]:
    """The current print options as a dict (a copy)."""


# --- numerical limits of the dtypes (libtensor/_type_info.py) ---

class finfo:
    """The limits of a floating-point dtype, as torch.finfo."""

    def __init__(self, type: Optional[_dtype] = None) -> None:
        """The limits of `type` (float16, bfloat16, float32 or float64; the default dtype when None)."""
    @property
    def bits(self) -> _int:
        """The number of bits the type occupies."""
    @property
    def eps(self) -> _float:
        """The gap between 1.0 and the next representable number."""
    @property
    def max(self) -> _float:
        """The largest finite number."""
    @property
    def min(self) -> _float:
        """The most negative finite number: -max."""
    @property
    def smallest_normal(self) -> _float:
        """The smallest positive normal number."""
    @property
    def tiny(self) -> _float:
        """The smallest positive normal number (smallest_normal)."""
    @property
    def resolution(self) -> _float:
        """10 ** -d, for d the decimal digits the type always holds."""
    @property
    def dtype(self) -> _str:
        """The dtype's name, such as 'float32'."""
    def __eq__(self, other: object) -> _bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __repr__(self) -> _str: ...


class iinfo:
    """The limits of an integer dtype, as torch.iinfo."""

    def __init__(self, type: _dtype) -> None:
        """The limits of `type` (uint8, int8, int16, int32 or int64)."""
    @property
    def bits(self) -> _int:
        """The number of bits the type occupies."""
    @property
    def max(self) -> _int:
        """The largest value."""
    @property
    def min(self) -> _int:
        """The smallest value."""
    @property
    def dtype(self) -> _str:
        """The dtype's name, such as 'int32'."""
    def __eq__(self, other: object) -> _bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]
    def __repr__(self) -> _str: ...


# --- predicates and the conjugation family of real tensors (libtensor/_real_tensors.py) ---

def is_signed(input: Tensor) -> _bool:
    """Whether input's dtype holds negative values (every dtype but bool and uint8)."""
def is_complex(input: Tensor) -> _bool:
    """Always False: libtensor has no complex dtypes."""
def is_nonzero(input: Tensor) -> _bool:
    """Whether the single element of input is nonzero; a RuntimeError for other sizes."""
def is_same_size(input: Tensor, other: Tensor) -> _bool:
    """Whether the two tensors have the same shape."""
def isreal(input: Tensor) -> Tensor:
    """A bool tensor of input's shape, all True: every element of a real tensor is real."""
def is_inference(input: Tensor) -> _bool:
    """Always False: no tensor is marked as made in inference mode."""
def is_neg(input: Tensor) -> _bool:
    """Always False: libtensor has no lazy negation."""
def is_conj(input: Tensor) -> _bool:
    """Always False: libtensor has no lazy conjugation."""
def resolve_conj(input: Tensor) -> Tensor:
    """input itself: nothing to conjugate."""
def resolve_neg(input: Tensor) -> Tensor:
    """input itself: nothing to negate."""
def conj(input: Tensor) -> Tensor:
    """input itself: the conjugate of a real tensor."""
def conj_physical(input: Tensor, *, out: Optional[Tensor] = None) -> Tensor:
    """input itself (or out holding a copy): the conjugate of a real tensor."""
def conj_physical_(input: Tensor) -> Tensor:
    """input itself: conjugating a real tensor in place changes nothing."""
def positive(input: Tensor) -> Tensor:
    """input itself; a RuntimeError for bool tensors, as unary + on them."""


# --- nn.functional's operators at the top level, with PyTorch's top-level arguments
# (libtensor/_functional_aliases.py); those whose arguments agree are the functionals themselves ---

_ints: TypeAlias = Union[builtins.int, Sequence[builtins.int]]


def avg_pool1d(input: Tensor, kernel_size: _ints, stride: _ints = (), padding: _ints = 0, ceil_mode: _bool = False,
               count_include_pad: _bool = True) -> Tensor:
    """Window means of (N, C, L) (or (C, L)); stride () means kernel_size."""
def max_pool1d(input: Tensor, kernel_size: _ints, stride: _ints = (), padding: _ints = 0, dilation: _ints = 1,
               ceil_mode: _bool = False) -> Tensor:
    """Window maxima of (N, C, L) (or (C, L)); stride () means kernel_size."""
def max_pool1d_with_indices(input: Tensor, kernel_size: _ints, stride: _ints = (), padding: _ints = 0,
                            dilation: _ints = 1, ceil_mode: _bool = False) -> Tuple[Tensor, Tensor]:
    """Window maxima of (N, C, L) (or (C, L)) and their positions along L."""
def max_pool2d(input: Tensor, kernel_size: _ints, stride: _ints = (), padding: _ints = 0, dilation: _ints = 1,
               ceil_mode: _bool = False) -> Tensor:
    """Window maxima of (N, C, H, W) (or (C, H, W)); stride () means kernel_size."""
def adaptive_max_pool1d(input: Tensor, output_size: _ints) -> Tuple[Tensor, Tensor]:
    """Maxima over windows that split L into output_size, and their positions."""
def celu(input: Tensor, alpha: _float = 1.0) -> Tensor:
    """x where x > 0, else alpha * (exp(x / alpha) - 1)."""
def selu(input: Tensor) -> Tensor:
    """scale * elu(x, alpha) with the self-normalizing constants."""
def hardshrink(input: Tensor, lambd: _float = 0.5, *, out: Optional[Tensor] = None) -> Tensor:
    """x where |x| > lambd, else 0."""
def threshold(input: Tensor, threshold: _float, value: _float, *, out: Optional[Tensor] = None) -> Tensor:
    """x where x > threshold, else value."""
def rrelu(input: Tensor, lower: _float = 0.125, upper: _float = 0.3333333333333333, training: _bool = False,
          generator: Optional[Generator] = None) -> Tensor:
    """x where x > 0, else a * x: a drawn from generator uniformly in [lower, upper] for each element when
    training, the mean slope (lower + upper) / 2 otherwise."""
def rrelu_(input: Tensor, lower: _float = 0.125, upper: _float = 0.3333333333333333, training: _bool = False,
           generator: Optional[Generator] = None) -> Tensor:
    """rrelu, written into input."""
def embedding(weight: Tensor, indices: Tensor, padding_idx: _int = -1, scale_grad_by_freq: _bool = False,
              sparse: _bool = False) -> Tensor:
    """The rows of weight that indices name; row padding_idx (none when negative) gets no gradient."""
def layer_norm(input: Tensor, normalized_shape: Sequence[_int], weight: Optional[Tensor] = None,
               bias: Optional[Tensor] = None, eps: _float = 1e-5, cudnn_enable: _bool = True) -> Tensor:
    """(x - mean) / sqrt(var + eps) * weight + bias over the trailing dims normalized_shape (a sequence)."""
def group_norm(input: Tensor, num_groups: _int, weight: Optional[Tensor] = None, bias: Optional[Tensor] = None,
               eps: _float = 1e-5, cudnn_enabled: _bool = True) -> Tensor:
    """Normalizes groups of channels of (N, C, ...) over their channels and spatial dims."""
def batch_norm(input: Tensor, weight: Optional[Tensor], bias: Optional[Tensor], running_mean: Optional[Tensor],
               running_var: Optional[Tensor], training: _bool, momentum: _float, eps: _float,
               cudnn_enabled: _bool) -> Tensor:
    """Normalizes each channel (dim 1): by batch statistics in training (updating the running ones), by the
    running statistics otherwise."""
def instance_norm(input: Tensor, weight: Optional[Tensor], bias: Optional[Tensor], running_mean: Optional[Tensor],
                  running_var: Optional[Tensor], use_input_stats: _bool, momentum: _float, eps: _float,
                  cudnn_enabled: _bool) -> Tensor:
    """Normalizes each channel of each sample of (N, C, ...) over its spatial dims."""
def dropout(input: Tensor, p: _float, train: _bool) -> Tensor:
    """Zeroes each element with probability p and scales the rest by 1 / (1 - p) when train; else input."""
def dropout_(input: Tensor, p: _float, train: _bool) -> Tensor:
    """dropout, written into input."""
def alpha_dropout(input: Tensor, p: _float, train: _bool) -> Tensor:
    """Dropout for SELU networks, keeping zero mean and unit variance; input itself unless train."""
def alpha_dropout_(input: Tensor, p: _float, train: _bool) -> Tensor:
    """alpha_dropout, written into input."""
def feature_dropout(input: Tensor, p: _float, train: _bool) -> Tensor:
    """dropout of whole channels (dim 1) of an input of 2 or more dims."""
def feature_dropout_(input: Tensor, p: _float, train: _bool) -> Tensor:
    """feature_dropout, written into input."""
def feature_alpha_dropout(input: Tensor, p: _float, train: _bool) -> Tensor:
    """alpha_dropout of whole channels (dim 1) of an input of 2 or more dims."""
def feature_alpha_dropout_(input: Tensor, p: _float, train: _bool) -> Tensor:
    """feature_alpha_dropout, written into input."""
def kl_div(input: Tensor, target: Tensor, reduction: _int = 0, *, log_target: _bool = False) -> Tensor:
    """target (log target - input) for log-probabilities input; reduction 0 none (the default, as at PyTorch
    1.13's top level), 1 mean (over every element), 2 sum."""
def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                                     pos_weight: Optional[Tensor] = None, reduction: _int = 0) -> Tensor:
    """binary_cross_entropy of sigmoid(input), computed without overflow; reduction 0 none, 1 mean, 2 sum."""
def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: _float = 0.0,
                        reduction: _int = 0) -> Tensor:
    """max(0, -target (input1 - input2) + margin); reduction 0 none, 1 mean, 2 sum."""
def hinge_embedding_loss(input: Tensor, target: Tensor, margin: _float = 1.0, reduction: _int = 0) -> Tensor:
    """input where target is 1, max(0, margin - input) where it is -1; reduction 0 none, 1 mean, 2 sum."""
def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: _float = 0.0,
                          reduction: _int = 0) -> Tensor:
    """1 - cos(input1, input2) where target is 1, max(0, cos - margin) where it is -1."""
def poisson_nll_loss(input: Tensor, target: Tensor, log_input: _bool, full: _bool, eps: _float,
                     reduction: _int) -> Tensor:
    """The negative log-likelihood of target under Poisson(input) (of exp(input) with log_input)."""
def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: _float = 1.0, p: _float = 2.0,
                        eps: _float = 1e-6, swap: _bool = False, reduction: _int = 0) -> Tensor:
    """max(0, d(anchor, positive) - d(anchor, negative) + margin), d the pairwise p-norm distance."""


# --- window functions (libtensor/_windows.py): periodic windows by default, as for an FFT ---

def hann_window(window_length: _int, periodic: _bool = True, *, dtype: Optional[_dtype] = None, layout: Any = None,
                device: Optional[_device] = None, pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """0.5 - 0.5 cos(2 pi n / N), n = 0 .. window_length - 1 (N = window_length, or window_length - 1 when not
    periodic); in the default dtype unless given."""
def hamming_window(window_length: _int, periodic: _bool = True, alpha: _float = 0.54, beta: _float = 0.46, *,
                   dtype: Optional[_dtype] = None, layout: Any = None, device: Optional[_device] = None,
                   pin_memory: _bool = False, requires_grad: _bool = False) -> Tensor:
    """alpha - beta cos(2 pi n / N), as hann_window's samples."""
def blackman_window(window_length: _int, periodic: _bool = True, *, dtype: Optional[_dtype] = None,
                    layout: Any = None, device: Optional[_device] = None, pin_memory: _bool = False,
                    requires_grad: _bool = False) -> Tensor:
    """0.42 - 0.5 cos(2 pi n / N) + 0.08 cos(4 pi n / N), as hann_window's samples."""
def bartlett_window(window_length: _int, periodic: _bool = True, *, dtype: Optional[_dtype] = None,
                    layout: Any = None, device: Optional[_device] = None, pin_memory: _bool = False,
                    requires_grad: _bool = False) -> Tensor:
    """1 - |2 n / N - 1|: a triangle, as hann_window's samples."""


# --- Tensor methods as functions (libtensor/_function_forms.py): f(input, ...) is input.f(...) ---

def addmv_(input: Tensor, mat: Tensor, vec: Tensor, *, beta: _Number = 1, alpha: _Number = 1) -> Tensor:
    """input.addmv_(mat, vec, beta=beta, alpha=alpha)."""
def clamp_(input: Tensor, min: Optional[Union[Tensor, _Number]] = None,
           max: Optional[Union[Tensor, _Number]] = None) -> Tensor:
    """input.clamp_(min, max)."""
def clip_(input: Tensor, min: Optional[Union[Tensor, _Number]] = None,
          max: Optional[Union[Tensor, _Number]] = None) -> Tensor:
    """input.clip_(min, max)."""
def clamp_min_(input: Tensor, min: Union[Tensor, _Number]) -> Tensor:
    """input.clamp_min_(min)."""
def clamp_max_(input: Tensor, max: Union[Tensor, _Number]) -> Tensor:
    """input.clamp_max_(max)."""
def deg2rad_(input: Tensor) -> Tensor:
    """input.deg2rad_()."""
def rad2deg_(input: Tensor) -> Tensor:
    """input.rad2deg_()."""
def sinc_(input: Tensor) -> Tensor:
    """input.sinc_()."""
def logit_(input: Tensor, eps: Optional[_float] = None) -> Tensor:
    """input.logit_(eps)."""
def ldexp_(input: Tensor, other: Tensor) -> Tensor:
    """input.ldexp_(other)."""
def xlogy_(input: Tensor, other: Union[Tensor, _Number]) -> Tensor:
    """input.xlogy_(other)."""
def detach(input: Tensor) -> Tensor:
    """input.detach()."""
def detach_(input: Tensor) -> Tensor:
    """input.detach_()."""
def fill_(input: Tensor, value: Union[_Number, Tensor]) -> Tensor:
    """input.fill_(value)."""
def zero_(input: Tensor) -> Tensor:
    """input.zero_()."""
def get_device(input: Tensor) -> _int:
    """input.get_device(): the GPU's index, -1 on the CPU."""
def index_put_(input: Tensor, indices: Sequence[Optional[Tensor]], values: Tensor,
               accumulate: _bool = False) -> Tensor:
    """input.index_put_(indices, values, accumulate)."""
def matrix_exp(input: Tensor) -> Tensor:
    """The matrix exponential of each square matrix (linalg.matrix_exp)."""
def empty_strided(size: Sequence[_int], stride: Sequence[_int], *, dtype: Optional[_dtype] = None,
                  layout: Any = None, device: Optional[_device] = None, requires_grad: _bool = False,
                  pin_memory: _bool = False) -> Tensor:
    """An uninitialised tensor of `size` whose elements lie `stride` apart, in new memory of just their span."""
