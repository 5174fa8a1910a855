"""RNNBase, RNN, LSTM and GRU: multi-layer, optionally bidirectional recurrent layers with PyTorch's
parameters, initialisation and shapes, composed of libtensor's differentiable operators (no fused kernel).

Per layer and direction the input-to-hidden projection of the whole sequence is one ``linear``; each time
step then adds the hidden-to-hidden ``linear`` and applies the gates. Gradients come from autograd.
PackedSequence inputs are not supported."""
import math
import numbers
import warnings

from ... import _C
from ...autograd.function import Function
from .. import functional as F, init
from ..parameter import Parameter
from .linear import _factory
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU"]

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


class _Steps(Function):
    """Splits a sequence (L, ...) into its L steps. Its backward stacks the steps' gradients in one pass;
    unbind's backward would embed each step's gradient in a full-size zero tensor (quadratic in L)."""

    @staticmethod
    def forward(ctx, x):
        ctx.shape, ctx.dtype, ctx.device = tuple(x.shape), x.dtype, x.device
        return tuple(x.unbind(0))

    @staticmethod
    def backward(ctx, *grads):
        step = ctx.shape[1:]
        return _C.stack([g if g is not None else _C.zeros(step, dtype=ctx.dtype, device=ctx.device)
                         for g in grads], 0)


def _lstm_cell(x_proj, h, c, w_hh, b_hh, w_hr):
    # x_proj holds W_ih x + b_ih; the gates come in PyTorch's order i, f, g, o.
    i, f, g, o = (x_proj + F.linear(h, w_hh, b_hh)).chunk(4, 1)
    c = F.sigmoid(f) * c + F.sigmoid(i) * F.tanh(g)
    h = F.sigmoid(o) * F.tanh(c)
    if w_hr is not None:
        h = F.linear(h, w_hr)
    return h, c


def _rnn_cell(x_proj, h, w_hh, b_hh, nonlinearity):
    # Elman step: nonlinearity "tanh" or "relu" of W_ih x + b_ih (x_proj) + W_hh h + b_hh.
    pre = x_proj + F.linear(h, w_hh, b_hh)
    return F.tanh(pre) if nonlinearity == "tanh" else F.relu(pre)


def _gru_cell(x_proj, h, w_hh, b_hh):
    # Gates in PyTorch's order r, z, n; the reset gate scales W_hn h + b_hn.
    x_r, x_z, x_n = x_proj.chunk(3, 1)
    h_r, h_z, h_n = F.linear(h, w_hh, b_hh).chunk(3, 1)
    r = F.sigmoid(x_r + h_r)
    z = F.sigmoid(x_z + h_z)
    n = F.tanh(x_n + r * h_n)
    return n + z * (h - n)


class RNNBase(Module):
    """The parameters, checks and layer loop shared by RNN, LSTM and GRU; ``mode`` is one of "LSTM", "GRU",
    "RNN_TANH", "RNN_RELU"."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        if mode not in _GATES:
            raise ValueError(f"Unrecognized RNN mode: {mode}")
        if not isinstance(dropout, numbers.Number) or isinstance(dropout, bool) or not 0 <= dropout <= 1:
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             "element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and "
                          f"num_layers={num_layers}")
        if not isinstance(hidden_size, int) or isinstance(hidden_size, bool):
            raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if not isinstance(num_layers, int) or isinstance(num_layers, bool) or num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if proj_size and mode != "LSTM":
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        fk = _factory(device, dtype)
        gate_size = _GATES[mode] * hidden_size
        real_hidden = proj_size if proj_size > 0 else hidden_size
        directions = 2 if bidirectional else 1
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            for direction in range(directions):
                layer_input = input_size if layer == 0 else real_hidden * directions
                suffix = f"_l{layer}" + ("_reverse" if direction == 1 else "")
                params = [("weight_ih" + suffix, (gate_size, layer_input)),
                          ("weight_hh" + suffix, (gate_size, real_hidden))]
                if bias:
                    params += [("bias_ih" + suffix, (gate_size,)), ("bias_hh" + suffix, (gate_size,))]
                if proj_size > 0:
                    params.append(("weight_hr" + suffix, (proj_size, hidden_size)))
                for name, shape in params:
                    setattr(self, name, Parameter(_C.empty(shape, **fk)))
                names = [name for name, _ in params]
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def flatten_parameters(self):
        """A no-op: there is no fused kernel whose weights would need one contiguous buffer."""

    @property
    def _flat_weights(self):
        return [getattr(self, name) for name in self._flat_weights_names]

    @property
    def all_weights(self):
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    # --- checks -----------------------------------------------------------------------------

    def check_input(self, input, batch_sizes):
        expected_input_dim = 2 if batch_sizes is not None else 3
        if input.dim() != expected_input_dim:
            raise RuntimeError(f"input must have {expected_input_dim} dimensions, got {input.dim()}")
        if self.input_size != input.size(-1):
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.size(-1)}")

    def get_expected_hidden_size(self, input, batch_sizes):
        mini_batch = input.size(0) if self.batch_first else input.size(1)
        directions = 2 if self.bidirectional else 1
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (self.num_layers * directions, mini_batch, real_hidden)

    def check_hidden_size(self, hx, expected_hidden_size, msg="Expected hidden size {}, got {}"):
        if tuple(hx.shape) != tuple(expected_hidden_size):
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.shape)))

    def _check_hidden_tensor(self, hx, input):
        if not isinstance(hx, _C.Tensor):
            raise TypeError(f"{self._get_name()}: hx must be a Tensor, got {type(hx).__name__}")
        if hx.dtype != input.dtype:
            raise RuntimeError(f"Expected hidden state of dtype {input.dtype} (the input's), got {hx.dtype}")

    def check_forward_args(self, input, hidden, batch_sizes):
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    # --- the layer loop ---------------------------------------------------------------------

    def _run(self, input, hx, cx):
        """input (L, N, H_in); hx (layers * directions, N, H_out), cx likewise for LSTM (else None).
        Returns output (L, N, directions * H_out), h_n and c_n (None unless LSTM)."""
        directions = 2 if self.bidirectional else 1
        steps = input.size(0)
        h_out, c_out = [], []
        layer_input = input
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                index = layer * directions + direction
                weights = self.all_weights[index]
                w_ih, w_hh = weights[0], weights[1]
                b_ih, b_hh = (weights[2], weights[3]) if self.bias else (None, None)
                w_hr = weights[-1] if self.proj_size > 0 else None
                x_proj = _Steps.apply(F.linear(layer_input, w_ih, b_ih))
                order = range(steps - 1, -1, -1) if direction == 1 else range(steps)
                h = hx[index]
                c = cx[index] if cx is not None else None
                seq = [None] * steps
                for t in order:
                    if self.mode == "LSTM":
                        h, c = _lstm_cell(x_proj[t], h, c, w_hh, b_hh, w_hr)
                    elif self.mode == "GRU":
                        h = _gru_cell(x_proj[t], h, w_hh, b_hh)
                    else:
                        h = _rnn_cell(x_proj[t], h, w_hh, b_hh, "tanh" if self.mode == "RNN_TANH" else "relu")
                    seq[t] = h
                outputs.append(_C.stack(seq, 0))
                h_out.append(h)
                c_out.append(c)
            layer_input = outputs[0] if directions == 1 else _C.cat(outputs, 2)
            if self.dropout > 0 and self.training and layer < self.num_layers - 1:
                layer_input = F.dropout(layer_input, self.dropout, True)
        h_n = _C.stack(h_out, 0)
        c_n = _C.stack(c_out, 0) if cx is not None else None
        return layer_input, h_n, c_n

    def _prepare(self, input):
        """Validates the input's rank and returns (input as (L, N, H_in), is_batched)."""
        if not isinstance(input, _C.Tensor):
            raise TypeError(f"{self._get_name()}: input must be a Tensor, got {type(input).__name__}")
        if input.dim() not in (2, 3):
            raise RuntimeError(f"{self._get_name()}: Expected input to be 2D or 3D, got {input.dim()}D instead")
        is_batched = input.dim() == 3
        if not is_batched:
            input = input.unsqueeze(1)
        elif self.batch_first:
            input = input.transpose(0, 1)
        self.check_input(input, None)
        if input.size(0) == 0:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
        return input, is_batched

    def _zeros(self, input, size):
        directions = 2 if self.bidirectional else 1
        return _C.zeros((self.num_layers * directions, input.size(1), size), dtype=input.dtype,
                        device=input.device)

    def _finish(self, output, is_batched):
        if not is_batched:
            return output.squeeze(1)
        return output.transpose(0, 1) if self.batch_first else output

    def forward(self, input, hx=None):
        # RNN and GRU: one hidden state.
        input, is_batched = self._prepare(input)
        if hx is None:
            hx = self._zeros(input, self.hidden_size)
        else:
            self._check_hidden_tensor(hx, input)
            if is_batched and hx.dim() != 3:
                raise RuntimeError(f"For batched 3-D input, hx should also be 3-D but got {hx.dim()}-D tensor")
            if not is_batched and hx.dim() != 2:
                raise RuntimeError(f"For unbatched 2-D input, hx should also be 2-D but got {hx.dim()}-D tensor")
            hx = hx if is_batched else hx.unsqueeze(1)
        self.check_hidden_size(hx, self._expected(input, self.hidden_size))
        output, h_n, _ = self._run(input, hx, None)
        return self._finish(output, is_batched), (h_n if is_batched else h_n.squeeze(1))

    def _expected(self, input, size):
        directions = 2 if self.bidirectional else 1
        return (self.num_layers * directions, input.size(1), size)

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh) (or relu with nonlinearity="relu").
    Returns (output, h_n)."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, device=None, dtype=None, *, nonlinearity="tanh"):
        if nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'")
        super().__init__(mode, input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype)
        self.nonlinearity = nonlinearity


class GRU(RNNBase):
    """Gated recurrent unit with gates r, z, n (PyTorch's order in the weights):
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = (1 - z) * n + z * h. Returns (output, h_n)."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, device=None, dtype=None):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype)


class LSTM(RNNBase):
    """Long short-term memory with gates i, f, g, o (PyTorch's order in the weights) and optional output
    projection (proj_size > 0: h = W_hr (o * tanh(c))). Returns (output, (h_n, c_n))."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device=device, dtype=dtype)

    def get_expected_cell_size(self, input, batch_sizes):
        mini_batch = input.size(0) if self.batch_first else input.size(1)
        directions = 2 if self.bidirectional else 1
        return (self.num_layers * directions, mini_batch, self.hidden_size)

    def forward(self, input, hx=None):
        input, is_batched = self._prepare(input)
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        if hx is None:
            hx = (self._zeros(input, real_hidden), self._zeros(input, self.hidden_size))
        else:
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                raise TypeError(f"LSTM: hx must be a tuple (h_0, c_0) of two tensors, got {type(hx).__name__}")
            h0, c0 = hx
            if is_batched and (h0.dim() != 3 or c0.dim() != 3):
                raise RuntimeError(f"For batched 3-D input, hx and cx should also be 3-D but got "
                                   f"({h0.dim()}-D, {c0.dim()}-D) tensors")
            if not is_batched and (h0.dim() != 2 or c0.dim() != 2):
                raise RuntimeError(f"For unbatched 2-D input, hx and cx should also be 2-D but got "
                                   f"({h0.dim()}-D, {c0.dim()}-D) tensors")
            for t in (h0, c0):
                self._check_hidden_tensor(t, input)
            hx = (h0, c0) if is_batched else (h0.unsqueeze(1), c0.unsqueeze(1))
        self.check_hidden_size(hx[0], self._expected(input, real_hidden), "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(hx[1], self._expected(input, self.hidden_size), "Expected hidden[1] size {}, got {}")
        output, h_n, c_n = self._run(input, hx[0], hx[1])
        if not is_batched:
            h_n, c_n = h_n.squeeze(1), c_n.squeeze(1)
        return self._finish(output, is_batched), (h_n, c_n)
