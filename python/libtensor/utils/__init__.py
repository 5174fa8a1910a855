"""libtensor.utils: data loading (``lt.utils.data``)."""
from . import data

__all__ = ["data"]
