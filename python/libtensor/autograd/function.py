"""autograd.Function: an operation defined by its forward and its backward, as in PyTorch.

    class Cube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return grad * 3 * x ** 2

    y = Cube.apply(x)
"""
from .. import _C
from .._C import Tensor


class FunctionCtx(_C._FunctionCtx):
    """What forward leaves for backward: saved tensors and any attributes set on it."""

    def save_for_backward(self, *tensors):
        """Saves tensors (inputs or outputs) for backward; in-place changes to them are detected."""
        self._save(tensors)

    @property
    def saved_tensors(self):
        return self._saved()

    def mark_non_differentiable(self, *outputs):
        """Outputs that get no gradient (indices, masks)."""
        self._mark_non_differentiable(outputs)

    def mark_dirty(self, *tensors):
        raise NotImplementedError("autograd.Function: in-place forwards (mark_dirty) are not supported")

    def set_materialize_grads(self, value):
        self.materialize_grads = value


class Function:
    """Subclass with static forward(ctx, *args) and backward(ctx, *grads); call with apply."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement the backward function for custom autograd.Function.")

    vjp = backward

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        return _C._apply_function(cls.__name__, ctx, args, lambda: cls.forward(ctx, *args, **kwargs),
                                  lambda grads: cls.backward(ctx, *grads))


class InplaceFunction(Function):
    pass


class NestedIOFunction(Function):
    pass


def once_differentiable(fn):
    return fn
