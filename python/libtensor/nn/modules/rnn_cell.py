"""RNNCell, LSTMCell and GRUCell: one time step of the recurrent layers of rnn.py, with PyTorch's parameters
(weight_ih, weight_hh, bias_ih, bias_hh), initialisation and shapes. The gate math is rnn.py's, so a cell and
a one-layer RNN / LSTM / GRU with the same weights compute the same step."""
import math

from ... import _C
from .. import functional as F, init
from ..parameter import Parameter
from .linear import _factory
from .module import Module
from .rnn import _gru_cell, _lstm_cell, _rnn_cell

__all__ = ["RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


class RNNCellBase(Module):
    """The parameters and checks shared by the cells; num_chunks gates share weight_ih / weight_hh."""

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        fk = _factory(device, dtype)
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(_C.empty((num_chunks * hidden_size, input_size), **fk))
        self.weight_hh = Parameter(_C.empty((num_chunks * hidden_size, hidden_size), **fk))
        if bias:
            self.bias_ih = Parameter(_C.empty(num_chunks * hidden_size, **fk))
            self.bias_hh = Parameter(_C.empty(num_chunks * hidden_size, **fk))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        nonlinearity = getattr(self, "nonlinearity", "tanh")
        if nonlinearity != "tanh":
            s += f", nonlinearity={nonlinearity}"
        return s

    def _batched(self, input):
        """input as (N, input_size) and whether it came batched (a 1-D input is one sample)."""
        if input.dim() not in (1, 2):
            raise AssertionError(f"{self._get_name()}: Expected input to be 1-D or 2-D but received "
                                 f"{input.dim()}-D tensor")
        is_batched = input.dim() == 2
        input = input if is_batched else input.unsqueeze(0)
        if input.size(1) != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.size(1)} expected "
                               f"{self.input_size}")
        return input, is_batched

    def _state(self, input, state, is_batched, name):
        """A given hidden state as (N, hidden_size), checked against input; zeros when None."""
        if state is None:
            return _C.zeros((input.size(0), self.hidden_size), dtype=input.dtype, device=input.device)
        state = state if is_batched else state.unsqueeze(0)
        if state.dim() != 2:
            raise RuntimeError(f"{self._get_name()}: expected {name} to be {1 + is_batched}-D, got "
                               f"{state.dim() - (not is_batched)}-D")
        if state.size(0) != input.size(0):
            raise RuntimeError(f"Input batch size {input.size(0)} doesn't match {name} batch size {state.size(0)}")
        if state.size(1) != self.hidden_size:
            raise RuntimeError(f"{name} has inconsistent hidden_size: got {state.size(1)}, expected "
                               f"{self.hidden_size}")
        return state


class RNNCell(RNNCellBase):
    """h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (relu with nonlinearity="relu") for input (N, input_size) or
    (input_size); hx defaults to zeros."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        x, is_batched = self._batched(input)
        h = self._state(x, hx, is_batched, "hidden0")
        if self.nonlinearity not in ("tanh", "relu"):
            # PyTorch accepts any name at construction and refuses it here.
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        h = _rnn_cell(F.linear(x, self.weight_ih, self.bias_ih), h, self.weight_hh, self.bias_hh,
                      self.nonlinearity)
        return h if is_batched else h.squeeze(0)


class LSTMCell(RNNCellBase):
    """One LSTM step with gates i, f, g, o (PyTorch's order in the weights); hx is (h, c), zeros by default.
    Returns (h', c')."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        x, is_batched = self._batched(input)
        if hx is None:
            hx = (None, None)
        elif not isinstance(hx, (tuple, list)) or len(hx) != 2:
            raise TypeError(f"LSTMCell: hx must be a tuple (h_0, c_0) of two tensors, got {type(hx).__name__}")
        h = self._state(x, hx[0], is_batched, "hidden0")
        c = self._state(x, hx[1], is_batched, "hidden1")
        h, c = _lstm_cell(F.linear(x, self.weight_ih, self.bias_ih), h, c, self.weight_hh, self.bias_hh, None)
        return (h, c) if is_batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """One GRU step with gates r, z, n (PyTorch's order in the weights):
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = (1 - z) * n + z * h; hx defaults to zeros."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        x, is_batched = self._batched(input)
        h = self._state(x, hx, is_batched, "hidden0")
        h = _gru_cell(F.linear(x, self.weight_ih, self.bias_ih), h, self.weight_hh, self.bias_hh)
        return h if is_batched else h.squeeze(0)
