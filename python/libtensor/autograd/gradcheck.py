"""gradcheck and gradgradcheck: derivatives against central finite differences in float64."""
from .. import _C
from .._C import Tensor, GradcheckError  # noqa: F401


def _as_list_function(func, inputs):
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    positions = [i for i, a in enumerate(inputs) if isinstance(a, Tensor)]

    def fn(tensors):
        args = list(inputs)
        for p, t in zip(positions, tensors):
            args[p] = t
        out = func(*args)
        return [out] if isinstance(out, Tensor) else [o for o in out if isinstance(o, Tensor)]

    return fn, [inputs[p] for p in positions]


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, **ignored):
    """Checks func's first derivatives at `inputs` (the float64 tensors that require grad).

    Returns True, or raises GradcheckError (or returns False when raise_exception=False).
    """
    fn, tensors = _as_list_function(func, inputs)
    return _C._gradcheck(fn, tensors, eps, atol, rtol, raise_exception, False)


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
                  **ignored):
    """Checks func's second derivatives, through backward recorded with create_graph."""
    fn, tensors = _as_list_function(func, inputs)
    return _C._gradcheck(fn, tensors, eps, atol, rtol, raise_exception, True)
