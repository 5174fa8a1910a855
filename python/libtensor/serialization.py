"""``lt.save`` and ``lt.load``: tensors and (nested) containers of them, such as state dicts,
stored as safetensors files, never as pickle.

A saved object is flattened: each tensor is stored under the path of keys that leads to it
("encoder.layer.0.weight"), and the metadata entry ``libtensor.structure`` (JSON) records
the containers (dict, OrderedDict, list, tuple) and the plain values (int, float, str, bool,
None), so that ``load`` rebuilds the same nesting. ``load`` of a plain safetensors file
returns its dict of tensors. Tensors that shared storage are stored (and come back) apart.

``load`` refuses PyTorch's pickle files (``torch.save``'s zip archives and legacy pickles)
without reading them: unpickling runs whatever code the file names.
"""
from collections import OrderedDict
import json
import os
from typing import Any, BinaryIO, Dict, Union

from . import _C
from ._C import Tensor
from . import safetensors as _safetensors

__all__ = ["save", "load"]

_FORMAT_KEY = "libtensor.format"
_FORMAT = "lt.save/1"
_STRUCTURE_KEY = "libtensor.structure"

_File = Union[str, "os.PathLike[str]", BinaryIO]

_PICKLE_ADVICE = (
    "libtensor never unpickles, because loading a pickle runs whatever code the file names. Convert the "
    "file once, in PyTorch and only if you trust it: `safetensors.torch.save_file(torch.load(path, "
    "weights_only=True), 'model.safetensors')` (or, without the safetensors package, build a dict of "
    "lt tensors with lt.from_numpy(t.numpy()) and call lt.safetensors.save_file), then lt.load the "
    ".safetensors file.")


def _flatten(obj: Any, path: str, tensors: Dict[str, Tensor]) -> Any:
    if isinstance(obj, Tensor):
        name = path or "tensor"
        unique, n = name, 1
        while unique in tensors:  # "a.b" as one key and as a nested path
            unique, n = f"{name}~{n}", n + 1
        tensors[unique] = obj
        return {"t": unique}
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if not (key is None or isinstance(key, (str, int, float))):
                raise TypeError(f"lt.save: dict keys must be str, int, float, bool or None, not "
                                f"{type(key).__name__}")
            items.append([key, _flatten(value, f"{path}.{key}" if path else str(key), tensors)])
        node = {"d": items}
        if isinstance(obj, OrderedDict):
            node["o"] = True
        return node
    if isinstance(obj, (list, tuple)):
        children = [_flatten(v, f"{path}.{i}" if path else str(i), tensors) for i, v in enumerate(obj)]
        return {"u" if isinstance(obj, tuple) else "l": children}
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return {"v": obj}
    raise TypeError(f"lt.save stores tensors, dicts, lists, tuples, int, float, str, bool and None, not "
                    f"{type(obj).__name__} (it writes safetensors, never pickle)")


def _rebuild(node: Any, tensors: Dict[str, Tensor]) -> Any:
    if not isinstance(node, dict) or len(node.keys() - {"o"}) != 1:
        raise _safetensors.SafetensorError(f"lt.load: malformed {_STRUCTURE_KEY} node {node!r:.80}")
    kind = next(iter(node.keys() - {"o"}))
    value = node[kind]
    if kind == "t":
        if not isinstance(value, str) or value not in tensors:
            raise _safetensors.SafetensorError(f"lt.load: {_STRUCTURE_KEY} names tensor {value!r:.80}, "
                                               "which the file does not hold")
        return tensors[value]
    if kind == "v":
        return value
    if kind in ("l", "u") and isinstance(value, list):
        children = [_rebuild(v, tensors) for v in value]
        return tuple(children) if kind == "u" else children
    if kind == "d" and isinstance(value, list):
        out = OrderedDict() if node.get("o") else {}
        for item in value:
            if not isinstance(item, list) or len(item) != 2:
                raise _safetensors.SafetensorError(f"lt.load: malformed dict item {item!r:.80}")
            out[item[0]] = _rebuild(item[1], tensors)
        return out
    raise _safetensors.SafetensorError(f"lt.load: malformed {_STRUCTURE_KEY} node {node!r:.80}")


def save(obj: Any, f: _File, *, provenance: bool = False) -> None:
    """Saves a tensor or a nested dict / list / tuple of tensors (and plain values) to ``f``
    (a path or a binary file object) as a safetensors file; ``provenance`` as
    lt.safetensors.save_file."""
    tensors: Dict[str, Tensor] = {}
    structure = _flatten(obj, "", tensors)
    metadata = {_FORMAT_KEY: _FORMAT, _STRUCTURE_KEY: json.dumps(structure, separators=(",", ":"))}
    if hasattr(f, "write"):
        f.write(_safetensors.save(tensors, metadata, provenance=provenance))
    else:
        _safetensors.save_file(tensors, f, metadata, provenance=provenance)


def _refuse_pickle(head: bytes, name: str) -> None:
    if head.startswith(b"PK\x03\x04"):
        raise RuntimeError(f"lt.load: {name} is a zip archive, the pickle-based format torch.save writes; "
                           + _PICKLE_ADVICE)
    if head[:1] == b"\x80":
        raise RuntimeError(f"lt.load: {name} is a pickle (the legacy torch.save format); " + _PICKLE_ADVICE)


def load(f: _File, map_location: Any = None, *, weights_only: bool = True, verify: bool = False) -> Any:
    """Loads what lt.save wrote (or a plain safetensors file, as a dict of tensors) from ``f``, a
    path or a binary file object. Pickle files are refused, whatever ``weights_only`` says;
    ``verify`` checks the provenance hashes."""
    if hasattr(f, "read"):
        data = f.read()
        _refuse_pickle(data[:4], "the file object")
        tensors, metadata = _C._safetensors_load(bytes(data), verify)
    else:
        with open(f, "rb") as handle:
            _refuse_pickle(handle.read(4), repr(os.fspath(f)))
        tensors, metadata = _C._safetensors_load_file(f, verify)
    if map_location is not None:
        tensors = _safetensors._to_device(tensors, map_location)
    if metadata.get(_FORMAT_KEY) != _FORMAT:
        return tensors
    try:
        structure = json.loads(metadata[_STRUCTURE_KEY])
    except (KeyError, ValueError) as e:
        raise _safetensors.SafetensorError(f"lt.load: unreadable {_STRUCTURE_KEY}: {e}") from None
    return _rebuild(structure, tensors)
