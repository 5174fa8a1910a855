"""libtensor.cuda: present on every build, since PyTorch programs touch it unconditionally.

This build has no CUDA backend: is_available() is False, seeding is a no-op, and
anything that needs a GPU raises an error that says so.
"""
from . import amp  # noqa: F401


def is_available():
    """Whether a CUDA device can be used: never, in a build without the CUDA backend."""
    return False


def device_count():
    return 0


def is_initialized():
    return False


def manual_seed(seed):
    """Seeds the CUDA generators; nothing to seed without CUDA."""


def manual_seed_all(seed):
    """Seeds the CUDA generators of every device; nothing to seed without CUDA."""


def seed():
    pass


def seed_all():
    pass


def _unavailable(*args, **kwargs):
    raise RuntimeError("[cuda] libtensor was built without CUDA support: only cpu tensors are available "
                       "(libtensor.cuda.is_available() is False)")


synchronize = current_device = set_device = get_device_name = get_device_properties = _unavailable
current_stream = Stream = Event = _unavailable


def empty_cache():
    pass


def memory_allocated(device=None):
    return 0


max_memory_allocated = memory_reserved = max_memory_reserved = memory_allocated
