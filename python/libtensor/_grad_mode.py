"""Grad modes as context managers and decorators: no_grad, enable_grad,
set_grad_enabled and inference_mode. Each is per thread, as in PyTorch."""
import functools
import inspect

from . import _C

is_grad_enabled = _C.is_grad_enabled
is_inference_mode_enabled = _C.is_inference_mode_enabled


class _Mode:
    """Enters a mode for a `with` block, or for every call of a decorated function."""

    def _enter(self):  # returns what _exit needs to restore
        raise NotImplementedError

    def __enter__(self):
        self._saved = _C._get_autograd_mode()
        self._enter()
        return self

    def __exit__(self, *exc):
        _C._set_autograd_mode(*self._saved)
        return False

    def clone(self):
        return self.__class__()

    def __call__(self, fn):
        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def generator(*args, **kwargs):
                gen = fn(*args, **kwargs)
                response = None
                while True:
                    with self.clone():
                        try:
                            request = gen.send(response)
                        except StopIteration as stop:
                            return stop.value
                    response = yield request
            return generator

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.clone():
                return fn(*args, **kwargs)
        return wrapper


class no_grad(_Mode):
    """Operators record nothing for backward inside the block."""

    def _enter(self):
        _C._set_grad_enabled(False)


class enable_grad(_Mode):
    """Turns recording back on inside a no_grad block."""

    def _enter(self):
        _C._set_grad_enabled(True)


class set_grad_enabled(_Mode):
    """Sets grad mode: at once when called, and for a `with` block or a decorated function."""

    def __init__(self, mode):
        self.mode = bool(mode)
        self._previous = _C._get_autograd_mode()
        _C._set_grad_enabled(self.mode)

    def __enter__(self):
        self._saved = self._previous
        return self

    def _enter(self):
        _C._set_grad_enabled(self.mode)

    def clone(self):
        return _SetGrad(self.mode)

    def __call__(self, fn):
        _C._set_autograd_mode(*self._previous)  # the decorator form changes nothing until the call
        return super().__call__(fn)


class _SetGrad(_Mode):
    def __init__(self, mode):
        self.mode = mode

    def _enter(self):
        _C._set_grad_enabled(self.mode)


class inference_mode(_Mode):
    """Nothing is recorded inside, even where code turns grad mode back on."""

    def __init__(self, mode=True):
        if callable(mode) and not isinstance(mode, bool):  # used as @inference_mode without parentheses
            self.mode = True
            self._fn = mode
        else:
            self.mode = bool(mode)

    def _enter(self):
        if self.mode:
            _C._set_autograd_mode(False, True)

    def clone(self):
        return inference_mode(self.mode)

    def __new__(cls, mode=True):
        if callable(mode) and not isinstance(mode, bool):
            return cls(True)(mode)
        return super().__new__(cls)
