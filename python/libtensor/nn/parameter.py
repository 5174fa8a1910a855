"""nn.Parameter: a Tensor that a Module registers as one of its parameters when assigned as an attribute."""
from .. import _C
from .._C import Tensor


class Parameter(Tensor):
    """A leaf Tensor that Modules list in ``parameters()``; it shares ``data``'s storage and requires a
    gradient unless told otherwise."""

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = _C.empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter: data must be a Tensor, but got {type(data).__name__}")
        return Tensor._make_subclass(cls, data, requires_grad)

    def __init__(self, data=None, requires_grad=True):
        # Everything happened in __new__; Tensor.__init__ must not run a second time on the arguments.
        pass

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__
