"""libtensor.cuda.amp: torch.cuda.amp's names for lt.amp with the device "cuda"."""
import functools

from .. import amp as _amp
from ..amp.autocast_mode import is_autocast_enabled as _is_autocast_enabled


class autocast(_amp.autocast):
    """lt.autocast("cuda", ...), float16 unless dtype says otherwise."""

    def __init__(self, enabled: bool = True, dtype=None, cache_enabled: bool = True):
        from .. import float16
        super().__init__("cuda", dtype=float16 if dtype is None else dtype, enabled=enabled,
                         cache_enabled=cache_enabled)


class GradScaler(_amp.GradScaler):
    """lt.amp.GradScaler("cuda", ...)."""

    def __init__(self, init_scale: float = 2.0 ** 16, growth_factor: float = 2.0, backoff_factor: float = 0.5,
                 growth_interval: int = 2000, enabled: bool = True):
        super().__init__("cuda", init_scale, growth_factor, backoff_factor, growth_interval, enabled)


def custom_fwd(fwd=None, *, cast_inputs=None):
    """For a custom autograd Function's forward: with cast_inputs, runs it with autocast off
    and its floating CUDA tensors cast to cast_inputs; otherwise as called, recording the
    autocast state for custom_bwd."""
    if fwd is None:
        return functools.partial(custom_fwd, cast_inputs=cast_inputs)

    @functools.wraps(fwd)
    def decorate_fwd(*args, **kwargs):
        from .. import Tensor
        args[0]._fwd_used_autocast = _is_autocast_enabled("cuda")
        if cast_inputs is None:
            return fwd(*args, **kwargs)

        def cast(v):
            if isinstance(v, Tensor) and v.is_floating_point() and v.is_cuda:
                return v.to(cast_inputs)
            return v
        with autocast(enabled=False):
            return fwd(*[cast(a) for a in args], **{k: cast(v) for k, v in kwargs.items()})
    return decorate_fwd


def custom_bwd(bwd):
    """For the matching backward: runs in the autocast state its forward ran in."""
    @functools.wraps(bwd)
    def decorate_bwd(*args, **kwargs):
        with autocast(enabled=getattr(args[0], "_fwd_used_autocast", False)):
            return bwd(*args, **kwargs)
    return decorate_bwd
