"""libtensor.nn: neural-network building blocks with PyTorch's names. ``functional`` holds the operators
PyTorch keeps under ``torch.nn.functional``; ``Module`` and the layers build on them; ``init`` fills weights;
``utils`` clips gradients."""
from . import functional  # noqa: F401
from . import init  # noqa: F401
from .parameter import Parameter  # noqa: F401
from .modules import *  # noqa: F401,F403
from . import modules, utils  # noqa: F401
