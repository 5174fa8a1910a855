"""default_collate: a list of samples into one batch, as PyTorch's: tensors stacked, numbers and
numpy arrays made tensors, and tuples, lists, dicts and named tuples collated field by field."""
import collections.abc
from typing import Any, Sequence

import numpy as np

from ... import _C
from ..._C import Tensor


def default_convert(data: Any) -> Any:
    """numpy arrays and scalars into tensors, through containers; everything else as it is."""
    if isinstance(data, np.ndarray) and data.dtype.kind in "biuf":
        return _C.from_numpy(np.ascontiguousarray(data))
    if isinstance(data, np.generic) and data.dtype.kind in "biuf":
        return _C.from_numpy(np.asarray(data))
    if isinstance(data, collections.abc.Mapping):
        return type(data)({k: default_convert(v) for k, v in data.items()}) if not isinstance(data, dict) else \
            {k: default_convert(v) for k, v in data.items()}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, (list, tuple)):
        return type(data)(default_convert(d) for d in data) if isinstance(data, tuple) else \
            [default_convert(d) for d in data]
    return data


def default_collate(batch: Sequence[Any]) -> Any:
    elem = batch[0]
    if isinstance(elem, Tensor):
        return _C.stack(list(batch), 0)
    if isinstance(elem, np.ndarray) and elem.dtype.kind in "biuf":
        return default_collate([_C.from_numpy(np.ascontiguousarray(b)) for b in batch])
    if isinstance(elem, np.generic) and elem.dtype.kind in "biuf":
        return _C.from_numpy(np.asarray(batch))
    if isinstance(elem, bool):
        return _C.from_numpy(np.asarray(batch, dtype=bool))
    if isinstance(elem, float):
        return _C.from_numpy(np.asarray(batch, dtype=np.float64))
    if isinstance(elem, int):
        return _C.from_numpy(np.asarray(batch, dtype=np.int64))
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        return {key: default_collate([d[key] for d in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return type(elem)(*(default_collate(samples) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        if any(len(e) != len(elem) for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [default_collate(samples) for samples in zip(*batch)]
        if isinstance(elem, tuple):
            return columns  # a list, as PyTorch returns for tuples
        try:
            return type(elem)(columns)
        except TypeError:
            return columns
    raise TypeError("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
                    f"found {type(elem)}")
