"""Tensor methods written in Python: printing, formatting, iteration, numpy's hooks."""
import copy

import numpy as np

from . import _C, _tensor_str
from ._C import Tensor


def _repr(self, *, tensor_contents=None):
    t = self.detach()
    dtype_name = repr(t.dtype).split(".", 1)[1]
    values = (t.float() if dtype_name == "bfloat16" else t).cpu().numpy()
    grad_fn = self.grad_fn
    return _tensor_str.tensor_repr(values, dtype_name=dtype_name, shape=tuple(t.shape), device=str(t.device),
                                   requires_grad=self.requires_grad and grad_fn is None,
                                   grad_fn_name=grad_fn.name() if grad_fn is not None else None,
                                   default_dtype=repr(_C.get_default_dtype()).split(".", 1)[1])


def _format(self, spec):
    if self.dim() == 0:
        return self.item().__format__(spec)
    return object.__format__(self, spec)


def _iter(self):
    if self.dim() == 0:
        raise TypeError("iteration over a 0-d tensor")
    return (self.select(0, i) for i in range(self.shape[0]))


def _reversed(self):
    if self.dim() == 0:
        return self
    return self.flip(0)


def _contains(self, element):
    if isinstance(element, (Tensor, int, float, bool)):
        return bool((self == element).any().item())
    raise RuntimeError(f"Tensor.__contains__ only supports Tensor or scalar, but you passed in a {type(element)}.")


def _array(self, dtype=None):
    a = self.numpy()
    return a if dtype is None else a.astype(dtype, copy=False)


def _array_wrap(self, array):
    if array.dtype == bool or array.dtype.kind in "biuf":
        return _C.from_numpy(array)
    return array


def _deepcopy(self, memo):
    if id(self) in memo:
        return memo[id(self)]
    new = self.detach().clone()
    if type(self) is not Tensor:  # subclasses (parameters) keep their class
        new = _make_subclass(type(self), new)
        new.__dict__.update(copy.deepcopy(self.__dict__, memo))
    new.requires_grad_(self.requires_grad)
    if self.grad is not None:
        new.grad = self.grad.detach().clone()
    memo[id(self)] = new
    return new


def _rebuild(array, dtype_name, requires_grad, cls, device="cpu"):
    """The inverse of _reduce_ex: a tensor of `cls` from its values, on its device."""
    t = _C.from_numpy(array).to(getattr(_C, dtype_name))
    if device != "cpu":
        t = t.to(device)
    if cls is not Tensor:
        return _make_subclass(cls, t, requires_grad)
    return t.requires_grad_(requires_grad) if requires_grad else t


def _reduce_ex(self, protocol):
    """Pickling (DataLoader workers hand batches to the main process this way): the values as a numpy
    array (bfloat16 through float32, exactly), the dtype, requires_grad and the class. Files are never
    written this way: lt.save writes safetensors."""
    data = self.detach().contiguous()
    dtype_name = str(self.dtype).split(".")[-1]
    array = (data.float() if self.dtype == _C.bfloat16 else data).cpu().numpy().copy()
    device = str(self.device)
    return (_rebuild, (array, dtype_name, self.requires_grad, type(self)) + ((device,) if device != "cpu" else ()))


def _type(self, dtype=None):
    if dtype is None:
        from . import typename
        return typename(self)
    return self.to(dtype)


def _make_subclass(cls, data, require_grad=False):
    """An instance of the Tensor subclass `cls` sharing `data`'s storage (nn.Parameter's constructor)."""
    obj = Tensor.__new__(cls)
    Tensor.__init__(obj, data.detach())
    obj.requires_grad_(require_grad)
    return obj


Tensor._make_subclass = staticmethod(_make_subclass)
Tensor.__repr__ = _repr
Tensor.__str__ = _repr
Tensor.__format__ = _format
Tensor.__iter__ = _iter
Tensor.__reversed__ = _reversed
Tensor.__contains__ = _contains
Tensor.__array__ = _array
Tensor.__array_wrap__ = _array_wrap
Tensor.__array_priority__ = 1000  # numpy defers to Tensor's reflected operators
Tensor.__deepcopy__ = _deepcopy
Tensor.__reduce_ex__ = _reduce_ex
Tensor.type = _type
Tensor.new_tensor = lambda self, data, dtype=None, device=None, requires_grad=False: _new_tensor(
    self, data, dtype, device, requires_grad)
Tensor.ndimension = Tensor.dim


def _new_tensor(self, data, dtype, device, requires_grad):
    from ._creation import tensor
    return tensor(data, dtype=dtype if dtype is not None else self.dtype,
                  device=device if device is not None else self.device, requires_grad=requires_grad)
