"""tensor() and as_tensor(): tensors from Python data, numpy arrays and DLPack objects."""
import numpy as np

from . import _C
from ._C import Tensor

# numpy infers float64 for Python floats; PyTorch makes them its default float dtype.
_NUMPY_KINDS = "biuf"


def _array_from_data(data, dtype):
    if isinstance(data, Tensor):
        return None
    if data is None:
        raise RuntimeError("[tensor] could not infer the dtype of None")
    if isinstance(data, int) and not isinstance(data, bool) and not -2**63 <= data < 2**63:
        raise RuntimeError(f"[tensor] overflow: {data} does not fit in int64")
    if isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in _flatten(data)):
        data = _nested_tolist(data)
    try:
        arr = np.asarray(data)
    except Exception as e:  # ragged lists, unconvertible objects
        raise ValueError(f"[tensor] could not convert the data to a tensor: {e}") from None
    if arr.dtype.kind not in _NUMPY_KINDS:
        raise TypeError(f"[tensor] can't make a tensor from data of type {arr.dtype}"
                        " (numbers, bools and sequences of them are supported)")
    return arr


def _flatten(data):
    for x in data:
        if isinstance(x, (list, tuple)):
            yield from _flatten(x)
        else:
            yield x


def _nested_tolist(data):
    if isinstance(data, Tensor):
        return data.tolist()
    if isinstance(data, (list, tuple)):
        return [_nested_tolist(x) for x in data]
    return data


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of `data` (a number, a nested sequence, a numpy array or a tensor).

    Python floats become the default dtype (float32 unless set_default_dtype changed it), ints int64 and
    bools bool, unless `dtype` says otherwise.
    """
    if device is not None:
        _C._check_device(_C.device(str(device)) if not isinstance(device, _C.device) else device, "tensor")
    if isinstance(data, Tensor):
        t = data.detach().clone()
    else:
        # numpy data keeps its dtype (float64 stays float64); Python floats take the default dtype.
        from_python = not isinstance(data, (np.ndarray, np.generic)) and not any(
            isinstance(x, np.generic) for x in (_flatten(data) if isinstance(data, (list, tuple)) else ()))
        arr = _array_from_data(data, dtype)
        if any(s < 0 for s in arr.strides):
            arr = arr.copy()
        t = _C.from_numpy(arr).clone()
        if from_python and dtype is None and arr.dtype == np.float64:
            t = t.to(_C.get_default_dtype())
    if dtype is not None:
        t = t.to(dtype)
    if device is not None:
        t = t.to(device)
    if pin_memory:
        t = t.pin_memory()
    if requires_grad:
        t.requires_grad_(True)
    return t


def as_tensor(data, dtype=None, device=None):
    """`data` as a tensor, sharing memory with it where possible (tensors, numpy arrays)."""
    if device is not None:
        _C._check_device(_C.device(str(device)) if not isinstance(device, _C.device) else device, "as_tensor")
    if isinstance(data, Tensor):
        t = data if dtype is None else data.to(dtype)
    elif isinstance(data, np.ndarray) and data.dtype.kind in _NUMPY_KINDS and data.dtype.byteorder != ">":
        try:
            t = _C.from_numpy(data)
        except ValueError:  # negative strides
            t = _C.from_numpy(np.ascontiguousarray(data))
        t = t if dtype is None else t.to(dtype)
    else:
        t = tensor(data, dtype=dtype)
    return t if device is None else t.to(device)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """as_tensor, with copy=True forcing a copy (as torch.asarray)."""
    if hasattr(obj, "__dlpack__") and not isinstance(obj, (Tensor, np.ndarray)):
        t = _C.from_dlpack(obj)
    else:
        t = as_tensor(obj, dtype=dtype, device=device)
    if dtype is not None:
        t = t.to(dtype)
    if copy:
        t = t.clone()
    if requires_grad:
        t.requires_grad_(True)
    return t
