"""libtensor: an eager tensor library with a tape-based autograd engine.

Its API follows PyTorch's names and semantics, so that PyTorch code runs with
``import libtensor as torch``. The compiled core is ``libtensor._C``.
"""
import builtins as _builtins

from . import _C
from ._C import *  # noqa: F401,F403  Tensor, dtype, device, Generator and the operators
from ._C import Tensor, dtype, device, Generator, default_generator  # noqa: F401
from ._size import Size
from ._creation import tensor, as_tensor, asarray  # noqa: F401
from ._grad_mode import (no_grad, enable_grad, set_grad_enabled, inference_mode,  # noqa: F401
                         is_grad_enabled, is_inference_mode_enabled)
from ._tensor_str import set_printoptions, get_printoptions  # noqa: F401
from . import _tensor  # noqa: F401  the methods of Tensor written in Python
from . import autograd, cuda, cpu, amp, backends, nn, linalg, optim, utils, safetensors  # noqa: F401
from .amp import autocast  # noqa: F401
from .amp.autocast_mode import (is_autocast_enabled, set_autocast_enabled, get_autocast_dtype,  # noqa: F401
                                set_autocast_dtype, is_autocast_cpu_enabled, set_autocast_cpu_enabled,
                                get_autocast_gpu_dtype, set_autocast_gpu_dtype, get_autocast_cpu_dtype,
                                set_autocast_cpu_dtype, is_autocast_cache_enabled, set_autocast_cache_enabled,
                                clear_autocast_cache, autocast_increment_nesting, autocast_decrement_nesting)
from .serialization import save, load  # noqa: F401
from ._type_info import finfo, iinfo  # noqa: F401
from ._real_tensors import *  # noqa: F401,F403  is_signed, conj, positive, ... (and those methods of Tensor)
from ._functional_aliases import *  # noqa: F401,F403  conv1d, layer_norm, dropout, ... at the top level
from ._windows import *  # noqa: F401,F403  hann_window, hamming_window, blackman_window, bartlett_window
from ._function_forms import *  # noqa: F401,F403  clamp_(x, ...), fill_(x, v), detach(x), ..., empty_strided

_C._set_size_type(Size)

# dtypes by their PyTorch aliases; like torch.float, these shadow builtins in this namespace.
float = float32  # noqa: A001,F405
double = float64  # noqa: F405
half = float16  # noqa: F405
long = int64  # noqa: F405
int = int32  # noqa: A001,F405
short = int16  # noqa: F405
# `bool`, `uint8`, `int8`, `bfloat16`, ... come from _C under their own names.

__version__ = "0.1.0"


def is_storage(obj):
    return False


def get_rng_state():
    """The default generator's state, as a uint8 tensor."""
    return default_generator.get_state()


def set_rng_state(new_state):
    """Restores a state from get_rng_state()."""
    default_generator.set_state(new_state)



def typename(obj):
    if isinstance(obj, Tensor):
        return "libtensor." + {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
                               "bfloat16": "BFloat16Tensor", "int64": "LongTensor", "int32": "IntTensor",
                               "int16": "ShortTensor", "int8": "CharTensor", "uint8": "ByteTensor",
                               "bool": "BoolTensor"}[repr(obj.dtype).split(".")[1]]
    return type(obj).__qualname__


del _builtins
