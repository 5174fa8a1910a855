"""libtensor.linalg: PyTorch's torch.linalg on libtensor's LU, Cholesky and symmetric eigen
decompositions and triangular solves (float32 and float64, every device, differentiable again),
norms, products and the matrix exponential. Singular values, general eigenvalues and QR (svd, eig, qr, pinv, lstsq) are not
part of libtensor yet."""
import contextlib
import math
from typing import Optional, Sequence, Tuple, Union

from collections import namedtuple

from . import _C
from ._C import Tensor
from .nn._functional_losses import _float32_under_autocast

__all__ = ["vector_norm", "norm", "cross", "LinAlgError", "lu_factor", "lu_factor_ex", "lu", "lu_solve",
           "solve_triangular", "solve", "inv", "inv_ex", "det", "slogdet", "cholesky", "cholesky_ex", "eigh", "eigvalsh",
           "matrix_power",
           "matrix_norm", "multi_dot", "matmul", "diagonal", "vecdot", "solve_ex", "tensorinv", "tensorsolve",
           "vander", "matrix_exp"]


def vector_norm(x: Tensor, ord: float = 2, dim: Optional[Union[int, Sequence[int]]] = None, keepdim: bool = False,
                *, dtype=None) -> Tensor:
    """(sum |x|^ord)^(1/ord) over dim (every element when None); ord inf / -inf: max / min |x|."""
    if dtype is not None:
        x = x.to(dtype)
    return _C.norm(x, float(ord), dim, keepdim)


def norm(x: Tensor, ord: Optional[Union[float, str]] = None, dim: Optional[Union[int, Sequence[int]]] = None,
         keepdim: bool = False, *, dtype=None) -> Tensor:
    """A vector norm over one dim (or all, ord None), a matrix norm over two (a 2-D x's by default)."""
    if isinstance(dim, int):
        dim = (dim,)
    matrix = isinstance(ord, str) or (dim is not None and len(dim) == 2) or (dim is None and x.dim() == 2)
    if isinstance(ord, str) and dim is None and x.dim() != 2:
        raise RuntimeError(f"linalg.norm: a matrix norm (ord={ord!r}) without dim needs a 2-D input, got {x.dim()}-D")
    if ord is None:
        return vector_norm(x, 2, dim, keepdim, dtype=dtype)
    if matrix:
        return matrix_norm(x, ord, tuple(dim) if dim is not None else (-2, -1), keepdim, dtype=dtype)
    if dim is None and x.dim() != 1:
        raise RuntimeError(f"linalg.norm: input must be 1-D or 2-D when dim is None and ord is not None, "
                           f"got {x.dim()} dims")
    return vector_norm(x, ord, dim, keepdim, dtype=dtype)


def cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    """The cross product of the 3-vectors along dim (-1 by default, unlike torch.cross), input and other broadcast."""
    return _C._linalg_cross(input, other, dim)


LinAlgError = _C._LinAlgError
_SolveEx = namedtuple("linalg_solve_ex", ["result", "info"])


def lu_factor(A: Tensor, *, pivot: bool = True):
    """(LU, pivots) with A = P L U: L (unit lower) and U packed in LU, pivots 1-based int32 row swaps.
    Raises LinAlgError for a singular matrix (a zero pivot); m x n matrices give min(m, n) pivots."""
    _pivoting(pivot, "lu_factor")
    return _C._linalg_lu_factor(A)


def lu_factor_ex(A: Tensor, *, pivot: bool = True, check_errors: bool = False):
    """(LU, pivots, info): lu_factor with info (int32) 0, or k where U[k-1, k-1] is the first zero pivot."""
    _pivoting(pivot, "lu_factor_ex")
    return _C._linalg_lu_factor_ex(A, check_errors)


def lu(A: Tensor, *, pivot: bool = True):
    """(P, L, U) with A = P L U: P a permutation matrix, L unit lower and U upper triangular."""
    _pivoting(pivot, "lu")
    return _C._linalg_lu(A)


def lu_solve(LU: Tensor, pivots: Tensor, B: Tensor, *, left: bool = True, adjoint: bool = False) -> Tensor:
    """X with A X = B (X A = B when not left; A^T for adjoint) for A factored by lu_factor."""
    return _C._linalg_lu_solve(LU, pivots, B, left, adjoint)


def solve_triangular(A: Tensor, B: Tensor, *, upper: bool, left: bool = True, unitriangular: bool = False) -> Tensor:
    """X with A X = B (X A = B when not left), reading only A's upper or lower triangle (ones on its
    diagonal when unitriangular)."""
    return _C._linalg_solve_triangular(A, B, upper, left, unitriangular)


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """X with A X = B (X A = B when not left); B a batch of vectors when it has one dim, or A's shape
    without its last. Raises LinAlgError for a singular A."""
    return _C._linalg_solve(A, B, left)


def inv(A: Tensor) -> Tensor:
    """The inverse of each square matrix; raises LinAlgError for a singular one."""
    return _C._linalg_inv(A)


def inv_ex(A: Tensor, *, check_errors: bool = False):
    """(inverse, info): info 0, or k where the k-th pivot is zero (the inverse is then not finite)."""
    return _C._linalg_inv_ex(A, check_errors)


def det(A: Tensor) -> Tensor:
    """The determinant of each square matrix."""
    return _C._linalg_det(A)


def slogdet(A: Tensor):
    """(sign, logabsdet): the determinant's sign and the log of its absolute value."""
    return _C._linalg_slogdet(A)


def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    """L with A = L L^T (U with A = U^T U when upper) for symmetric positive-definite A, reading only
    A's lower triangle (the upper one when upper). Raises LinAlgError when A is not positive-definite."""
    return _C._linalg_cholesky(A, upper)


def cholesky_ex(A: Tensor, *, upper: bool = False, check_errors: bool = False):
    """(L, info): cholesky with info 0, or k where the leading minor of order k is not positive-definite."""
    return _C._linalg_cholesky_ex(A, upper, check_errors)


def eigh(A: Tensor, UPLO: str = "L"):
    """(eigenvalues, eigenvectors) of symmetric A = V diag(w) V^T: w ascending, V's columns
    orthonormal (each up to its sign), from A's lower triangle (the upper one for UPLO="U")."""
    return _C._linalg_eigh(A, UPLO)


def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:
    """The eigenvalues of symmetric A, ascending, from its lower (UPLO="L") or upper triangle."""
    return _C._linalg_eigvalsh(A, UPLO)


def matrix_power(A: Tensor, n: int) -> Tensor:
    """A^n for an integer n: repeated squaring; a negative n powers the inverse, 0 gives the identity."""
    return _C._linalg_matrix_power(A, n)


@_float32_under_autocast
def matrix_norm(A: Tensor, ord: Union[float, str] = "fro", dim: Tuple[int, int] = (-2, -1), keepdim: bool = False,
                *, dtype=None) -> Tensor:
    """Matrix norms over the two dims: "fro", and the largest (inf, 1) or smallest (-inf, -1) absolute
    row or column sum. "nuc" and 2 / -2 need singular values, which libtensor does not compute yet."""
    if dtype is not None:
        A = A.to(dtype)
    if A.dim() < 2:
        raise RuntimeError(f"linalg.matrix_norm: the input must have at least 2 dimensions, got {A.dim()}")
    if len(dim) != 2 or dim[0] % A.dim() == dim[1] % A.dim():
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple of different dimensions, got {tuple(dim)}")
    d0, d1 = dim
    if ord == "fro":
        return _C.norm(A, 2.0, [d0, d1], keepdim)
    if ord in ("nuc", 2, -2):
        raise NotImplementedError(f"linalg.matrix_norm: ord={ord!r} needs singular values, not supported yet")
    if ord not in (1, -1, math.inf, -math.inf):
        raise RuntimeError(f"linalg.matrix_norm: order {ord!r} not supported")
    # Columns (ord 1) sum over rows, rows (ord inf) over columns; the other dim is then reduced.
    summed, other = (d0, d1) if ord in (1, -1) else (d1, d0)
    sums = A.abs().sum(summed, keepdim=True)
    result = sums.amax(other, keepdim=True) if ord > 0 else sums.amin(other, keepdim=True)
    if not keepdim:
        for d in sorted((d0 % A.dim(), d1 % A.dim()), reverse=True):
            result = result.squeeze(d)
    return result


def multi_dot(tensors: Sequence[Tensor]) -> Tensor:
    """The product of a chain of matrices (the first and last may be vectors), in the order of
    multiplications that costs the fewest operations."""
    if len(tensors) < 2:
        raise RuntimeError("linalg.multi_dot: expected at least 2 tensors but got " + str(len(tensors)))
    first, last = tensors[0], tensors[-1]
    mats = [first.unsqueeze(0) if first.dim() == 1 else first, *tensors[1:-1],
            last.unsqueeze(1) if last.dim() == 1 else last]
    for i, m in enumerate(mats):
        if m.dim() != 2:
            raise RuntimeError(f"linalg.multi_dot: tensor {i} must be 2D but got {m.dim()}D")
    n = len(mats)
    dims = [m.shape[0] for m in mats] + [mats[-1].shape[1]]
    # cost[i][j]: the fewest multiplications for mats[i..j]; split[i][j]: where to cut it.
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = math.inf
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k

    # float16 / bfloat16 chains multiply in float32 and round once, not after every product.
    low = mats[0].dtype in (_C.float16, _C.bfloat16)
    if low:
        mats = [m.float() for m in mats]

    def product(i, j):
        return mats[i] if i == j else product(i, split[i][j]) @ product(split[i][j] + 1, j)

    result = product(0, n - 1)
    if low:
        result = result.to(first.dtype)
    if first.dim() == 1:
        result = result.squeeze(0)
    if last.dim() == 1:
        result = result.squeeze(-1)
    return result


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """The matrix product (torch.matmul)."""
    return _C.matmul(input, other)


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """The diagonals of the matrices over the last two dims (torch.diagonal with other defaults)."""
    return A.diagonal(offset, dim1, dim2)


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """The dot product of the vectors along dim, broadcast."""
    return (x * y).sum(dim)


def solve_ex(A: Tensor, B: Tensor, *, left: bool = True, check_errors: bool = False):
    """(result, info): solve with the LU factorization's info (0, or the first zero pivot) instead of
    an error for a singular A."""
    LU, pivots, info = lu_factor_ex(A, check_errors=check_errors)
    vectors = B.dim() == 1 or (B.dim() == A.dim() - 1 and tuple(B.shape) == tuple(A.shape[:-1]))
    X = lu_solve(LU, pivots, B.unsqueeze(-1 if left else -2) if vectors else B, left=left)
    return _SolveEx(X.squeeze(-1 if left else -2) if vectors else X, info)


def tensorinv(A: Tensor, ind: int = 2) -> Tensor:
    """The inverse of A read as a matrix of its first ind dims by the rest: a tensor of shape
    A.shape[ind:] + A.shape[:ind]."""
    if ind <= 0:
        raise RuntimeError(f"linalg.tensorinv: expected a strictly positive integer for 'ind', got {ind}")
    rows, cols = tuple(A.shape[:ind]), tuple(A.shape[ind:])
    if math.prod(rows) != math.prod(cols):
        raise RuntimeError(f"linalg.tensorinv: the product of the first {ind} dims {rows} must equal that of the "
                           f"rest {cols}")
    return inv(A.reshape(math.prod(rows), math.prod(cols))).reshape(*cols, *rows)


def tensorsolve(A: Tensor, B: Tensor, dims: Optional[Sequence[int]] = None) -> Tensor:
    """X with tensordot(A, X, X.dim()) = B: A's first B.dim() dims hold as many elements as B, its
    others X's shape (after moving `dims` of A to the end)."""
    if dims is not None:
        dims = [d % A.dim() for d in dims]
        A = A.permute(*[d for d in range(A.dim()) if d not in dims], *dims)
    result_shape = tuple(A.shape[B.dim():])
    rows = math.prod(A.shape[:B.dim()])
    if math.prod(result_shape) != rows or B.numel() != rows:
        raise RuntimeError(f"linalg.tensorsolve: A of shape {tuple(A.shape)} does not fit B of shape "
                           f"{tuple(B.shape)}: A's first {B.dim()} dims, its other dims and B must hold as many "
                           f"elements")
    return solve(A.reshape(rows, rows), B.reshape(rows)).reshape(*result_shape)


def vander(x: Tensor, *, N: Optional[int] = None) -> Tensor:
    """The Vandermonde matrix of the vectors x (..., n): columns x^0, x^1, ..., x^(N-1) (N = n by default)."""
    if x.dim() == 0:  # one number, as PyTorch
        x = x.unsqueeze(0)
    n = x.shape[-1] if N is None else N
    if n <= 1:
        raise RuntimeError(f"linalg.vander: N must be greater than 1, got {n}")
    # A running product (cumprod) keeps integer inputs exact, as PyTorch's.
    ones = _C.ones_like(x).unsqueeze(-1)
    powers = x.unsqueeze(-1).expand(*x.shape, max(n - 1, 0))
    return _C.cat([ones, powers.cumprod(-1)], -1)[..., :n]


# Pade approximant of degree 13 with scaling and squaring (Higham, "The scaling and squaring
# method for the matrix exponential revisited", 2005): exp(A) = r(A / 2^s)^(2^s), s chosen so
# that |A / 2^s|_1 <= theta_13.
_PADE13 = (64764752532480000., 32382376266240000., 7771770303897600., 1187353796428800., 129060195264000.,
           10559470521600., 670442572800., 33522128640., 1323241920., 40840800., 960960., 16380., 182., 1.)
_THETA13 = 5.371920351148152


def matrix_exp(A: Tensor) -> Tensor:
    """The matrix exponential of each square matrix, differentiable (again) through its products and
    solve; in float64 inside (the coefficients reach 6e16), rounded once to A's dtype, which autocast
    leaves alone, as PyTorch's. Waits for a GPU once, to choose the number of squarings for the batch."""
    from .amp import autocast
    if A.dim() < 2 or A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.matrix_exp: expects a tensor of square matrices, got shape {tuple(A.shape)}")
    off = autocast(A.device.type, enabled=False) if A.device.type in ("cpu", "cuda") else contextlib.nullcontext()
    with off:
        return _pade_exp(A.double()).to(A.dtype)


def _pade_exp(A: Tensor) -> Tensor:
    n = A.shape[-1]
    if A.numel() == 0:
        return A.clone()
    norm1 = float(A.detach().abs().sum(-2).amax())
    s = max(0, math.ceil(math.log2(norm1 / _THETA13))) if norm1 > 0 and math.isfinite(norm1) else 0
    X = A / (2 ** s) if s else A
    b = _PADE13
    eye = _C.eye(n, dtype=A.dtype, device=A.device)
    X2 = X @ X
    X4 = X2 @ X2
    X6 = X4 @ X2
    U = X @ (X6 @ (b[13] * X6 + b[11] * X4 + b[9] * X2) + b[7] * X6 + b[5] * X4 + b[3] * X2 + b[1] * eye)
    V = X6 @ (b[12] * X6 + b[10] * X4 + b[8] * X2) + b[6] * X6 + b[4] * X4 + b[2] * X2 + b[0] * eye
    R = solve(V - U, V + U)
    for _ in range(s):
        R = R @ R
    return R


def _pivoting(pivot: bool, op: str) -> None:
    if not pivot:
        raise NotImplementedError(f"linalg.{op}: LU without pivoting is not supported (PyTorch has it on CUDA only)")
