"""libtensor.backends.cudnn: the cuDNN switches PyTorch programs set. They steer the CUDA
backend's convolutions, which run on cuDNN where libcudnn.so.9 loads:

- enabled (True): convolutions use cuDNN; off, libtensor's own im2col kernels;
- allow_tf32 (True, as in PyTorch): float32 convolutions may use TF32 tensor cores;
- benchmark (False): algorithms are timed once per shape rather than picked by cuDNN's
  heuristics;
- deterministic (False): only deterministic algorithms (deterministic mode implies it).
"""
import sys
import types

from .. import _C

_FLAGS = {"enabled": "cudnn_enabled", "allow_tf32": "cudnn_allow_tf32", "benchmark": "cudnn_benchmark",
          "deterministic": "cudnn_deterministic"}


def is_available():
    """Whether the CUDA backend loaded cuDNN."""
    return _C._cudnn_version() > 0


def version():
    """cuDNN's version as it reports it (91900 for 9.19.0), or None where it did not load."""
    return _C._cudnn_version() or None


class _CudnnModule(types.ModuleType):
    """Reads and writes of the switches go to the backend, as `torch.backends.cudnn.x = v` does."""

    def __getattr__(self, name):
        if name in _FLAGS:
            return _C._get_backend_flag(_FLAGS[name])
        raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")

    def __setattr__(self, name, value):
        if name in _FLAGS:
            _C._set_backend_flag(_FLAGS[name], bool(value))
        else:
            super().__setattr__(name, value)


sys.modules[__name__].__class__ = _CudnnModule
