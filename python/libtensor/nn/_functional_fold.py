"""unfold (im2col) and fold (col2im) of ``torch.nn.functional``, composed in Python: both map between an image
and its sliding blocks through one table of flat pixel positions, unfold gathering along it (index_select) and
fold summing into it (index_add), so each is the other's adjoint, every device runs them and autograd
differentiates them. Re-exported by ``libtensor.nn.functional``."""
from typing import Sequence, Tuple, Union

from .. import _C
from .._C import Tensor
from . import functional as F

__all__ = ["unfold", "fold"]

_Ints = Union[int, Sequence[int]]


def _pair(name: str, arg: str, value: _Ints) -> Tuple[int, int]:
    values = F._ints(value)
    if len(values) == 1:
        values = values * 2
    if len(values) != 2:
        raise RuntimeError(f"[{name}] it is expected {arg} equals to 2, but got size {len(values)}")
    return values[0], values[1]


def _block_args(name: str, kernel_size: _Ints, dilation: _Ints, padding: _Ints, stride: _Ints):
    """The four arguments as pairs, checked as PyTorch checks them."""
    k, d, p, s = (_pair(name, n, v) for n, v in (("kernel_size", kernel_size), ("dilation", dilation),
                                           ("padding", padding), ("stride", stride)))
    for what, (a, b), minimum in (("kernel size", k, 1), ("stride", s, 1), ("dilation", d, 1)):
        if a < minimum or b < minimum:
            raise RuntimeError(f"[{name}] {what} should be greater than zero, but got {what.split()[0]}_height: {a} "
                               f"{what.split()[0]}_width: {b}")
    if p[0] < 0 or p[1] < 0:
        raise RuntimeError(f"[{name}] padding should be non-negative, but got pad_height: {p[0]} pad_width: {p[1]}")
    return k, d, p, s


def _blocks_per_dim(size: Tuple[int, int], k, d, p, s) -> Tuple[int, int]:
    return tuple((size[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(2))


def _describe(size, k, d, p, s) -> str:
    return f"spatial size {tuple(size)}, kernel_size={k}, dilation={d}, padding={p}, stride={s}"


def _block_positions(k, d, s, blocks, padded_width: int, device) -> Tensor:
    """Flat positions in the padded plane of block element (ki, kj) at block (bi, bj), in that (row-major)
    order: the order of unfold's channel-major (C, kh, kw) rows and (bh, bw) columns."""
    def arange(n, step):
        return _C.arange(n, device=device) * step
    rows = arange(k[0], d[0]).reshape(k[0], 1, 1, 1) + arange(blocks[0], s[0]).reshape(1, 1, blocks[0], 1)
    cols = arange(k[1], d[1]).reshape(1, k[1], 1, 1) + arange(blocks[1], s[1]).reshape(1, 1, 1, blocks[1])
    return (rows * padded_width + cols).reshape(-1)


def unfold(input: Tensor, kernel_size: _Ints, dilation: _Ints = 1, padding: _Ints = 0, stride: _Ints = 1) -> Tensor:
    """The sliding kernel_size blocks of (N, C, H, W) (or (C, H, W)) as columns: (N, C * kh * kw, L), L the
    number of blocks; zero padding, dilation and stride as in conv2d."""
    if input.dim() not in (3, 4):
        raise RuntimeError(f"[unfold] expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other "
                           f"non-zero dimensions for input, but got: {list(input.shape)}")
    k, d, p, s = _block_args("unfold", kernel_size, dilation, padding, stride)
    x = input if input.dim() == 4 else input.unsqueeze(0)
    n, c, h, w = x.shape
    blocks = _blocks_per_dim((h, w), k, d, p, s)
    if blocks[0] < 1 or blocks[1] < 1:
        raise RuntimeError(f"[unfold] given input with {_describe((h, w), k, d, p, s)}, the array of sliding "
                           f"blocks would have shape {blocks}, which is too small (non-positive)")
    if p != (0, 0):
        x = F.pad(x, [p[1], p[1], p[0], p[0]])
    hp, wp = h + 2 * p[0], w + 2 * p[1]
    positions = _block_positions(k, d, s, blocks, wp, input.device)
    cols = x.reshape(n, c, hp * wp).index_select(2, positions)
    cols = cols.reshape(n, c * k[0] * k[1], blocks[0] * blocks[1])
    return cols if input.dim() == 4 else cols.squeeze(0)


def fold(input: Tensor, output_size: _Ints, kernel_size: _Ints, dilation: _Ints = 1, padding: _Ints = 0,
         stride: _Ints = 1) -> Tensor:
    """The inverse arrangement of unfold: columns (N, C * kh * kw, L) (or (C * kh * kw, L)) summed into an
    image (N, C, *output_size); overlapping block elements add up."""
    if input.dim() not in (2, 3):
        raise RuntimeError(f"[fold] expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and "
                           f"non-zero dimensions for input, but got: {list(input.shape)}")
    size = _pair("fold", "output_size", output_size)
    k, d, p, s = _block_args("fold", kernel_size, dilation, padding, stride)
    x = input if input.dim() == 3 else input.unsqueeze(0)
    n, ckk, length = x.shape
    if ckk % (k[0] * k[1]):
        raise RuntimeError(f"[fold] expected size of input's dimension 1 to be divisible by the product of "
                           f"kernel_size, but got input.size(1)={ckk} and kernel_size={k}.")
    blocks = _blocks_per_dim(size, k, d, p, s)
    if blocks[0] < 1 or blocks[1] < 1 or blocks[0] * blocks[1] != length:
        raise RuntimeError(f"[fold] given output {_describe(size, k, d, p, s)}, expected size of input's "
                           f"dimension 2 to match the calculated number of sliding blocks {blocks[0]} * "
                           f"{blocks[1]} = {blocks[0] * blocks[1]}, but got input.size(2)={length}.")
    c = ckk // (k[0] * k[1])
    hp, wp = size[0] + 2 * p[0], size[1] + 2 * p[1]
    positions = _block_positions(k, d, s, blocks, wp, input.device)
    out = _C.zeros((n, c, hp * wp), dtype=input.dtype, device=input.device)
    out = out.index_add(2, positions, x.reshape(n, c, k[0] * k[1] * length)).reshape(n, c, hp, wp)
    out = out[:, :, p[0]:p[0] + size[0], p[1]:p[1] + size[1]]
    return out if input.dim() == 3 else out.squeeze(0)
