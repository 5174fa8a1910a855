"""Parameters as one flat vector and back."""
from ... import _C
from ..._C import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters):
    """The parameters flattened and concatenated, in order (differentiable)."""
    return _C.cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec, parameters):
    """Makes each parameter's data the next slice of vec, reshaped to the parameter's shape."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected libtensor.Tensor, but got: {type(vec).__name__}")
    offset = 0
    for param in parameters:
        n = param.numel()
        param.data = vec[offset:offset + n].view_as(param).data
        offset += n
