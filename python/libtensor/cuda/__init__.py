"""libtensor.cuda: CUDA devices, streams, events and memory, as torch.cuda.

Present in every build, since PyTorch programs touch it unconditionally: without the CUDA
backend, or without a GPU, is_available() is False and anything that needs a device
raises an error that says so.
"""
from .. import _C
from . import amp  # noqa: F401


def is_available():
    """Whether a CUDA device can be used."""
    return _C._cuda_device_count() > 0


def is_built():
    """Whether libtensor was built with the CUDA backend."""
    return _C._cuda_is_built()


def device_count():
    return _C._cuda_device_count()


def is_initialized():
    return is_available()


def _index(device):
    """A device index from None (the current device), an int, a string or a device."""
    if device is None:
        return current_device()
    if isinstance(device, int):
        return device
    d = device if isinstance(device, _C.device) else _C.device(str(device))
    if d.type != "cuda":
        raise ValueError(f"Expected a cuda device, but got: {d}")
    return d.index if d.index is not None else current_device()


def current_device():
    return _C._cuda_current_device()


def set_device(device):
    _C._cuda_set_device(_index(device))


class device:
    """Context manager that makes `device` current, restoring the previous one after."""

    def __init__(self, device):
        self.idx = _index(device) if device is not None else -1
        self.prev_idx = -1

    def __enter__(self):
        if self.idx >= 0:
            self.prev_idx = current_device()
            set_device(self.idx)

    def __exit__(self, *exc):
        if self.prev_idx >= 0:
            set_device(self.prev_idx)
        return False


def synchronize(device=None):
    """Waits for all work queued on the device."""
    _C._cuda_synchronize(_index(device))


def get_device_name(device=None):
    return _C._cuda_device_name(_index(device))


def get_device_capability(device=None):
    return tuple(_C._cuda_capability(_index(device)))


class _DeviceProperties:
    def __init__(self, index):
        self.name = _C._cuda_device_name(index)
        self.major, self.minor = _C._cuda_capability(index)
        self.total_memory = _C._cuda_total_memory(index)

    def __repr__(self):
        return (f"_CudaDeviceProperties(name='{self.name}', major={self.major}, minor={self.minor}, "
                f"total_memory={self.total_memory // (1 << 20)}MB)")


def get_device_properties(device=None):
    return _DeviceProperties(_index(device))


class Stream:
    """A queue of device work. Work on one stream runs in order; streams may overlap."""

    def __new__(cls, device=None, priority=0, _handle=None):
        self = super().__new__(cls)
        self.device_index = _index(device)
        self._owned = _handle is None
        self.cuda_stream = _C._cuda_stream_create(self.device_index, priority) if _handle is None else _handle
        return self

    def __del__(self):
        if getattr(self, "_owned", False) and self.cuda_stream:
            _C._cuda_stream_destroy(self.device_index, self.cuda_stream)

    @property
    def device(self):
        return _C.device("cuda", self.device_index)

    def synchronize(self):
        _C._cuda_stream_synchronize(self.device_index, self.cuda_stream)

    def query(self):
        return _C._cuda_stream_query(self.device_index, self.cuda_stream)

    def wait_event(self, event):
        event.wait(self)

    def wait_stream(self, stream):
        self.wait_event(stream.record_event())

    def record_event(self, event=None):
        event = Event() if event is None else event
        event.record(self)
        return event

    def __eq__(self, other):
        return isinstance(other, Stream) and (self.cuda_stream, self.device_index) == (other.cuda_stream,
                                                                                        other.device_index)

    def __hash__(self):
        return hash((self.cuda_stream, self.device_index))

    def __repr__(self):
        return f"<libtensor.cuda.Stream device=cuda:{self.device_index} cuda_stream={self.cuda_stream:#x}>"


def current_stream(device=None):
    index = _index(device)
    return Stream(index, _handle=_C._cuda_current_stream(index))


def default_stream(device=None):
    return Stream(_index(device), _handle=0)


def set_stream(stream):
    _C._cuda_set_stream(stream.device_index, stream.cuda_stream)


class StreamContext:
    """Makes a stream current on its device for a block, as torch.cuda.stream."""

    def __init__(self, stream):
        self.stream = stream
        self.prev = None

    def __enter__(self):
        if self.stream is not None:
            self.prev = current_stream(self.stream.device_index)
            set_stream(self.stream)
        return self.stream

    def __exit__(self, *exc):
        if self.prev is not None:
            set_stream(self.prev)
        return False


def stream(stream):
    return StreamContext(stream)


class Event:
    """A marker in a stream, for waiting on and timing device work."""

    def __init__(self, enable_timing=False, blocking=False, interprocess=False):
        self.enable_timing = enable_timing
        self.device_index = None
        self.cuda_event = 0

    def _ensure(self, device_index):
        if not self.cuda_event:
            self.device_index = device_index
            self.cuda_event = _C._cuda_event_create(device_index, self.enable_timing)

    def __del__(self):
        if getattr(self, "cuda_event", 0):
            _C._cuda_event_destroy(self.device_index, self.cuda_event)

    def record(self, stream=None):
        stream = current_stream() if stream is None else stream
        self._ensure(stream.device_index)
        _C._cuda_event_record(self.device_index, self.cuda_event, stream.cuda_stream)

    def wait(self, stream=None):
        stream = current_stream() if stream is None else stream
        if self.cuda_event:
            _C._cuda_event_wait(self.device_index, self.cuda_event, stream.cuda_stream)

    def query(self):
        return not self.cuda_event or _C._cuda_event_query(self.device_index, self.cuda_event)

    def synchronize(self):
        if self.cuda_event:
            _C._cuda_event_synchronize(self.device_index, self.cuda_event)

    def elapsed_time(self, end_event):
        """Milliseconds from this event to end_event (both recorded, with enable_timing)."""
        if not (self.enable_timing and end_event.enable_timing):
            raise RuntimeError("[Event.elapsed_time] both events must be created with enable_timing=True")
        return _C._cuda_event_elapsed(self.device_index, self.cuda_event, end_event.cuda_event)


# --- random numbers: each device has its own generator, of the same counter-based kind as
# the CPU's, so a seed gives the same numbers on the CPU and on a GPU.
def manual_seed(seed):
    """Seeds the current device's generator (lt.manual_seed seeds every device's)."""
    _C._cuda_manual_seed(int(seed), False)


def manual_seed_all(seed):
    """Seeds the generator of every CUDA device."""
    _C._cuda_manual_seed(int(seed), True)


def seed():
    pass


def seed_all():
    pass


# --- memory ------------------------------------------------------------------------------
def memory_stats(device=None):
    return dict(_C._cuda_memory_stats())


def memory_allocated(device=None):
    return _C._cuda_memory_stats()["allocated_bytes.all.current"]


def max_memory_allocated(device=None):
    return _C._cuda_memory_stats()["allocated_bytes.all.peak"]


def memory_reserved(device=None):
    return _C._cuda_memory_stats()["reserved_bytes.all.current"]


max_memory_reserved = memory_reserved


def reset_peak_memory_stats(device=None):
    _C._cuda_reset_peak()


reset_max_memory_allocated = reset_peak_memory_stats


def empty_cache():
    """Returns cached, unused device memory to the driver."""
    _C._cuda_empty_cache()


# Raised when the device has no memory left for an allocation, even after the cache is emptied.
OutOfMemoryError = _C.OutOfMemoryError
