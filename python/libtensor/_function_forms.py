"""Top-level functions PyTorch has for what libtensor's Tensor does as methods (``torch.clamp_(x, 0)`` is
``x.clamp_(0)``), a few Tensor methods composed in Python, and empty_strided."""
from typing import Any

from . import _C
from ._C import Tensor

__all__ = ["addmv_", "clamp_", "clamp_max_", "clamp_min_", "clip_", "deg2rad_", "detach", "detach_", "fill_",
           "get_device", "index_put_", "ldexp_", "logit_", "rad2deg_", "sinc_", "xlogy_", "zero_", "empty_strided", "matrix_exp"]


def _tensor(input: Any, op: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    return input


# Each is input.<name>(...): PyTorch's top level has them with the tensor first.
def addmv_(input, mat, vec, *, beta=1, alpha=1):
    return _tensor(input, "addmv_").addmv_(mat, vec, beta=beta, alpha=alpha)


def clamp_(input, min=None, max=None):
    return _tensor(input, "clamp_").clamp_(min, max)


def clip_(input, min=None, max=None):
    return _tensor(input, "clip_").clip_(min, max)


def clamp_min_(input, min):
    return _tensor(input, "clamp_min_").clamp_min_(min)


def clamp_max_(input, max):
    return _tensor(input, "clamp_max_").clamp_max_(max)


def deg2rad_(input):
    return _tensor(input, "deg2rad_").deg2rad_()


def rad2deg_(input):
    return _tensor(input, "rad2deg_").rad2deg_()


def sinc_(input):
    return _tensor(input, "sinc_").sinc_()


def logit_(input, eps=None):
    return _tensor(input, "logit_").logit_(eps)


def ldexp_(input, other):
    return _tensor(input, "ldexp_").ldexp_(other)


def xlogy_(input, other):
    return _tensor(input, "xlogy_").xlogy_(other)


def detach(input):
    return _tensor(input, "detach").detach()


def detach_(input):
    return _tensor(input, "detach_").detach_()


def fill_(input, value):
    return _tensor(input, "fill_").fill_(value)


def zero_(input):
    return _tensor(input, "zero_").zero_()


def get_device(input):
    return _tensor(input, "get_device").get_device()


def index_put_(input, indices, values, accumulate=False):
    return _tensor(input, "index_put_").index_put_(indices, values, accumulate)


def _sizes(size, op):
    """A shape given as separate ints or as one sequence."""
    if len(size) == 1 and not isinstance(size[0], int):
        size = tuple(size[0])
    if not all(isinstance(s, int) for s in size):
        raise TypeError(f"{op}(): size must be ints, got {size}")
    return tuple(size)


def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False) -> Tensor:
    """An uninitialised tensor of `size` whose elements lie `stride` apart, in new memory of just the span
    those strides reach."""
    size, stride = tuple(size), tuple(stride)
    if len(size) != len(stride):
        raise RuntimeError(f"[empty_strided] got {len(size)} sizes but {len(stride)} strides")
    if any(s < 0 for s in size) or any(st < 0 for st in stride):
        raise RuntimeError(f"[empty_strided] sizes and strides must be non-negative, got {size} and {stride}")
    span = 0 if 0 in size else 1 + sum((s - 1) * st for s, st in zip(size, stride))
    t = _C.empty(span, dtype=dtype, device=device, pin_memory=pin_memory).as_strided(size, stride)
    return t.requires_grad_() if requires_grad else t


def _new_empty_strided(self, size, stride, *, dtype=None, device=None, requires_grad=False, layout=None,
                       pin_memory=False) -> Tensor:
    return empty_strided(size, stride, dtype=self.dtype if dtype is None else dtype,
                         device=self.device if device is None else device, requires_grad=requires_grad,
                         pin_memory=pin_memory)


def _sum_to_size(self, *size) -> Tensor:
    """self summed over the dims that `size` broadcasts along (the leading ones and its 1s): the reverse of
    expand."""
    if not size:
        raise TypeError("sum_to_size(): missing the size")
    size = _sizes(size, "sum_to_size")
    if not size:  # everything, as PyTorch's (a 0-dim tensor's sum widens its integers too)
        return self.sum()
    lead = self.dim() - len(size)
    if lead < 0 or any(s != 1 and s != n for s, n in zip(size, self.shape[lead:])):
        raise RuntimeError(f"[sum_to_size] size {list(size)} is not expandable to size {list(self.shape)}")
    dims = list(range(lead)) + [lead + i for i, s in enumerate(size) if s == 1 and self.shape[lead + i] != 1]
    summed = self.sum(dims, keepdim=True) if dims else self
    return summed.reshape(size)  # the leading dims, summed to 1s, go


def _split_with_sizes(self, split_sizes, dim=0):
    """Views of consecutive slices of the given sizes along dim (which must add up to its size)."""
    if not -self.dim() <= dim < max(self.dim(), 1):
        raise IndexError(f"[split_with_sizes] dim {dim} is out of range for a tensor of {self.dim()} dims")
    if sum(split_sizes) != self.shape[dim]:
        raise RuntimeError(f"[split_with_sizes] split_sizes {list(split_sizes)} must sum to the size "
                           f"{self.shape[dim]} of dim {dim}")
    return self.split(list(split_sizes), dim)


def _hardshrink(self, lambd=0.5) -> Tensor:
    from .nn import functional
    return functional.hardshrink(self, lambd)


def _prelu(self, weight) -> Tensor:
    from .nn import functional
    return functional.prelu(self, weight)


def matrix_exp(input):
    from . import linalg
    return linalg.matrix_exp(_tensor(input, "matrix_exp"))


def _matrix_exp(self) -> Tensor:
    from . import linalg
    return linalg.matrix_exp(self)


Tensor.new_empty_strided = _new_empty_strided
Tensor.sum_to_size = _sum_to_size
Tensor.split_with_sizes = _split_with_sizes
Tensor.hardshrink = _hardshrink
Tensor.prelu = _prelu
Tensor.matrix_exp = _matrix_exp
