"""libtensor.nn: neural-network building blocks. ``functional`` holds the operators
that PyTorch keeps under ``torch.nn.functional``."""
from . import functional  # noqa: F401
