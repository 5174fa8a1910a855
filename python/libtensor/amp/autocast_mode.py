"""lt.autocast: mixed precision regions, as PyTorch's. Inside one, the operators on
PyTorch's casting lists cast their floating inputs (include/libtensor/autocast.h): matrix
products and convolutions to the region's dtype, reductions, normalizations and losses to
float32. The state is per thread."""
import functools
import inspect
import warnings

from .. import _C

_DEFAULT_DTYPES = {"cuda": "float16", "cpu": "bfloat16"}


def _check_device_type(device_type):
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
    if device_type not in _DEFAULT_DTYPES:
        raise RuntimeError(f"User specified an unsupported autocast device_type '{device_type}'")


def is_autocast_available(device_type: str) -> bool:
    return device_type in _DEFAULT_DTYPES


def is_autocast_enabled(device_type=None) -> bool:
    """Whether autocast is on for device_type (default "cuda", as PyTorch's)."""
    device_type = "cuda" if device_type is None else device_type
    _check_device_type(device_type)
    return _C._autocast_is_enabled(device_type)


def set_autocast_enabled(*args):
    """set_autocast_enabled(device_type, enabled), or PyTorch 1.x's set_autocast_enabled(enabled) for CUDA."""
    device_type, enabled = ("cuda", args[0]) if len(args) == 1 else args
    _check_device_type(device_type)
    _C._autocast_set_enabled(device_type, bool(enabled))


def get_autocast_dtype(device_type: str):
    _check_device_type(device_type)
    return _C._autocast_get_dtype(device_type)


def set_autocast_dtype(device_type: str, dtype):
    _check_device_type(device_type)
    _C._autocast_set_dtype(device_type, dtype)


class autocast:
    """A region of mixed precision for one device type, also usable as a decorator.

        with lt.autocast("cuda", dtype=lt.bfloat16):
            loss = model(x)        # linear layers in bfloat16, the loss in float32
        loss.backward()            # outside: gradients come back in the parameters' dtypes
    """

    def __init__(self, device_type: str, dtype=None, enabled: bool = True, cache_enabled=None):
        from .. import cuda, float16, bfloat16
        _check_device_type(device_type)
        self.device = device_type
        self.fast_dtype = _C._autocast_get_dtype(device_type) if dtype is None else dtype
        self._cache_enabled = _C._autocast_is_cache_enabled() if cache_enabled is None else bool(cache_enabled)
        if enabled and device_type == "cuda" and not cuda.is_available():
            warnings.warn("User provided device_type of 'cuda', but CUDA is not available. Disabling")
            enabled = False
        if enabled and self.fast_dtype not in (float16, bfloat16):
            warnings.warn(f"In {device_type} autocast, but the target dtype {self.fast_dtype} is not supported. "
                          "Disabling autocast.\nAutocast supports float16 and bfloat16.")
            enabled = False
        self._enabled = bool(enabled)

    def __enter__(self):
        self._prev = (_C._autocast_is_enabled(self.device), _C._autocast_get_dtype(self.device),
                      _C._autocast_is_cache_enabled())
        if self._enabled:
            _C._autocast_set_dtype(self.device, self.fast_dtype)
        _C._autocast_set_enabled(self.device, self._enabled)
        _C._autocast_set_cache_enabled(self._cache_enabled)
        _C._autocast_increment_nesting()
        return self

    def __exit__(self, *exc):
        if _C._autocast_decrement_nesting() == 0:
            _C._autocast_clear_cache()
        enabled, dtype, cache_enabled = self._prev
        _C._autocast_set_enabled(self.device, enabled)
        _C._autocast_set_dtype(self.device, dtype)
        _C._autocast_set_cache_enabled(cache_enabled)
        return False

    def _clone(self):
        return autocast(self.device, self.fast_dtype, self._enabled, self._cache_enabled)

    def __call__(self, fn):
        if inspect.isgeneratorfunction(fn):
            raise TypeError("autocast cannot decorate a generator function")

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self._clone():
                return fn(*args, **kwargs)
        return wrapper


# PyTorch 1.x's per-device names.
def is_autocast_cpu_enabled() -> bool:
    return _C._autocast_is_enabled("cpu")


def set_autocast_cpu_enabled(enabled: bool):
    _C._autocast_set_enabled("cpu", bool(enabled))


def get_autocast_gpu_dtype():
    return _C._autocast_get_dtype("cuda")


def set_autocast_gpu_dtype(dtype):
    _C._autocast_set_dtype("cuda", dtype)


def get_autocast_cpu_dtype():
    return _C._autocast_get_dtype("cpu")


def set_autocast_cpu_dtype(dtype):
    _C._autocast_set_dtype("cpu", dtype)


is_autocast_cache_enabled = _C._autocast_is_cache_enabled
set_autocast_cache_enabled = _C._autocast_set_cache_enabled
clear_autocast_cache = _C._autocast_clear_cache
autocast_increment_nesting = _C._autocast_increment_nesting
autocast_decrement_nesting = _C._autocast_decrement_nesting
