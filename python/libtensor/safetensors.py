"""libtensor.safetensors: the safetensors format, with the names of the safetensors package's
``safetensors.torch`` module (``save_file``, ``load_file``, ``save``, ``load``).

Files are read without executing anything: the loader validates the header (length, JSON,
dtypes, shapes, offsets, layout) before it reads any data, and raises ``SafetensorError``
(a ``ValueError``) naming the tensor and the broken rule. ``load_file`` maps the file
instead of reading it. Beyond the package: ``provenance=True`` records libtensor's version
and a SHA-256 of every tensor in the metadata, and ``verify=True`` checks them on load.
See docs/serialization.md.
"""
from typing import Dict, Optional, Union
import os

from . import _C
from ._C import SafetensorError, Tensor

__all__ = ["save", "save_file", "load", "load_file", "load_metadata", "SafetensorError"]

_Path = Union[str, "os.PathLike[str]"]


def save(tensors: Dict[str, Tensor], metadata: Optional[Dict[str, str]] = None, *,
         provenance: bool = False) -> bytes:
    """The bytes of a safetensors file holding ``tensors`` (written contiguous, little-endian)."""
    return _C._safetensors_save(tensors, metadata, provenance)


def save_file(tensors: Dict[str, Tensor], filename: _Path, metadata: Optional[Dict[str, str]] = None, *,
              provenance: bool = False) -> None:
    """Writes ``tensors`` to ``filename`` as a safetensors file."""
    _C._safetensors_save_file(tensors, filename, metadata, provenance)


def _to_device(tensors: Dict[str, Tensor], device) -> Dict[str, Tensor]:
    from . import device as _device
    if device is None or (not isinstance(device, int) and _device(device).type == "cpu"):
        return tensors
    return {name: t.to(device) for name, t in tensors.items()}


def load(data: bytes, *, verify: bool = False) -> Dict[str, Tensor]:
    """The tensors of safetensors ``data`` (copied out of it)."""
    return _C._safetensors_load(bytes(data), verify)[0]


def load_file(filename: _Path, device: Union[str, int, "_C.device"] = "cpu", *,
              verify: bool = False) -> Dict[str, Tensor]:
    """The tensors of the safetensors file ``filename``, on ``device``; CPU tensors share the
    file's private mapping (writes to them never reach the file)."""
    return _to_device(_C._safetensors_load_file(filename, verify)[0], device)


def load_metadata(filename: _Path) -> Dict[str, str]:
    """The ``__metadata__`` of the safetensors file ``filename`` (validated as a whole)."""
    return _C._safetensors_load_file(filename, False)[1]
