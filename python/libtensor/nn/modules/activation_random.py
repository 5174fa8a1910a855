"""RReLU: the leaky ReLU whose negative slope is random while training."""
from .. import functional as F
from .module import Module

__all__ = ["RReLU"]


class RReLU(Module):
    """x where x > 0, else a * x: a drawn uniformly from [lower, upper] per element in training mode, the mean
    slope (lower + upper) / 2 in eval mode."""

    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
        super().__init__()
        self.lower = lower
        self.upper = upper
        self.inplace = inplace

    def forward(self, input):
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self):
        return f"lower={self.lower}, upper={self.upper}" + (", inplace=True" if self.inplace else "")
