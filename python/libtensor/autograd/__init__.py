"""libtensor.autograd: backward, grad, custom Functions and gradcheck."""
from .. import _C
from .._C import Tensor
from .._grad_mode import no_grad, enable_grad, set_grad_enabled, inference_mode  # noqa: F401
from .function import Function, FunctionCtx  # noqa: F401
from .gradcheck import gradcheck, gradgradcheck, GradcheckError  # noqa: F401


def _tensors(x):
    return (x,) if isinstance(x, Tensor) else tuple(x)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None):
    """Accumulates into the leaves' .grad the gradients of `tensors`, weighted by `grad_tensors`."""
    if inputs is not None:
        raise ValueError("backward(inputs=...) is not supported; use libtensor.autograd.grad")
    grad_tensors = grad_tensors if grad_tensors is not None else grad_variables
    if grad_tensors is not None:
        grad_tensors = _tensors(grad_tensors) if not isinstance(grad_tensors, Tensor) else (grad_tensors,)
    _C._backward(_tensors(tensors), grad_tensors, retain_graph, create_graph)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """The gradients of `outputs` with respect to `inputs`, returned as a tuple (not accumulated)."""
    if is_grads_batched:
        raise NotImplementedError("grad(is_grads_batched=True) is not supported")
    inputs = _tensors(inputs)
    if grad_outputs is not None:
        grad_outputs = (grad_outputs,) if isinstance(grad_outputs, Tensor) else tuple(grad_outputs)
    allow_unused = bool(allow_unused) or materialize_grads
    grads = _C._grad(_tensors(outputs), inputs, grad_outputs, retain_graph, create_graph, allow_unused)
    if materialize_grads:
        grads = tuple(g if g is not None else _C.zeros_like(x) for g, x in zip(grads, inputs))
    return grads


class Variable:  # noqa: D101  (PyTorch's old name for a tensor; kept for isinstance checks)
    def __new__(cls, data, requires_grad=False):
        return data.detach().requires_grad_(requires_grad)


def set_detect_anomaly(mode):
    """Accepted for compatibility: libtensor's errors already name the failing operator."""
    return mode


class detect_anomaly:
    def __init__(self, check_nan=True):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
