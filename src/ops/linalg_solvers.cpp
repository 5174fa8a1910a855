// Linear systems: triangular solves (the kernel), and on them the solves through an LU
// or Cholesky factor, solve and inv. For X = A^-1 B (left) and X = B A^-1 (right):
//   left:  gB = A^-T g,  gA = -gB X^T
//   right: gB = g A^-T,  gA = -X^T gB
// A triangular A keeps only its triangle of gA (and no diagonal when unitriangular).
#include "linalg_common.h"

namespace lt::linalg {

using autograd::Backward;
using autograd::TensorList;
using detail::mT;

namespace {

Shape batch_of(const Tensor& x) { return Shape(x.sizes().begin(), x.sizes().end() - 2); }

Shape with_matrix(Shape batch, int64_t rows, int64_t cols) {
  batch.push_back(rows);
  batch.push_back(cols);
  return batch;
}

void check_pair(const char* op, const Tensor& A, const Tensor& B, bool left) {
  detail::check_matrices(op, B, /*square=*/false);
  LT_CHECK(A.dtype() == B.dtype(), DTypeError, op, "expects A and B of one dtype, got ", name(A.dtype()), " and ",
           name(B.dtype()));
  LT_CHECK(A.device() == B.device(), DeviceError, op, "expects A and B on one device, got ", A.device().str(),
           " and ", B.device().str());
  const int64_t n = A.size(-1), along = left ? B.size(-2) : B.size(-1);
  LT_CHECK(along == n, ShapeError, op, "A of shape ", str(A.sizes()), " and B of shape ", str(B.sizes()),
           " are incompatible: ", along, " != ", n);
  const Shape a = batch_of(A), b = batch_of(B);
  for (size_t i = 1; i <= std::min(a.size(), b.size()); ++i) {
    const int64_t x = a[a.size() - i], y = b[b.size() - i];
    LT_CHECK(x == y || x == 1 || y == 1, ShapeError, op, "the batch dims of A of shape ", str(A.sizes()),
             " and B of shape ", str(B.sizes()), " cannot be broadcast");
  }
}

// X with A X = B, A (..., n, n) triangular and B (..., n, k) broadcast against it.
Tensor triangular_solve_left(const Tensor& A, const Tensor& B, bool upper, bool unit) {
  static const Op<TensorKernel> op("triangular_solve");
  const int64_t n = A.size(-1), k = B.size(-1);
  const Shape batch = broadcast_shapes(batch_of(A), batch_of(B), "linalg.solve_triangular");
  Tensor x = detail::batched_copy(B.expand(with_matrix(batch, n, k)));
  const Tensor expanded = A.expand(with_matrix(batch, n, n));
  Tensor a = expanded.contiguous().view(detail::as_batch(expanded));
  if (x.numel() > 0) {
    Tensor tensors[] = {x, a};
    const Scalar args[] = {Scalar(int64_t{upper}), Scalar(int64_t{unit})};
    dispatch(op, std::span<Tensor>(tensors), ScalarList(args));
  }
  return unsafe_view(x, with_matrix(batch, n, k));
}

// solve's and inv's work on a matrix B: X and info.
std::tuple<Tensor, Tensor> solve_matrices(const char* op, const Tensor& A, const Tensor& B, bool left) {
  detail::check_matrices(op, A);
  check_pair(op, A, B, left);
  Tensor X, LU, pivots, info;
  {
    autograd::NoGradGuard no_grad;
    std::tie(LU, pivots, info) = lu_factor_ex(A);
    X = lu_solve(LU, pivots, B, left);
  }
  if (autograd::any_requires_grad(A, B)) {
    autograd::record("linalg_solve", {A, B}, {X}, {A, LU, pivots, X}, [left](const Backward& d) {
      const Tensor &A = d.saved[0], &X = d.saved[3], &g = d.grad();
      // Differentiated again, the adjoint solve goes through A itself; once, through its factors.
      Tensor gB = autograd::is_recording() ? solve(mT(A), g, left) : lu_solve(d.saved[1], d.saved[2], g, left, true);
      Tensor gA;
      if (d.needs[0]) gA = left ? -matmul(gB, mT(X)) : -matmul(mT(X), gB);
      return TensorList{gA, d.needs[1] ? gB : Tensor()};
    });
  }
  return {X, info};
}

}  // namespace

Tensor solve_triangular(const Tensor& A, const Tensor& B, bool upper, bool left, bool unitriangular) {
  const char* op = "linalg.solve_triangular";
  detail::check_matrices(op, A);
  check_pair(op, A, B, left);
  Tensor X;
  {
    autograd::NoGradGuard no_grad;
    // X A = B is A^T X^T = B^T, with the other triangle.
    X = left ? triangular_solve_left(A, B, upper, unitriangular)
             : mT(triangular_solve_left(mT(A), mT(B), !upper, unitriangular));
  }
  if (autograd::any_requires_grad(A, B)) {
    autograd::record("linalg_solve_triangular", {A, B}, {X}, {A, X}, [upper, left, unitriangular](const Backward& d) {
      const Tensor &A = d.saved[0], &X = d.saved[1];
      Tensor gB = solve_triangular(mT(A), d.grad(), !upper, left, unitriangular);
      Tensor gA;
      if (d.needs[0]) {
        gA = left ? -matmul(gB, mT(X)) : -matmul(mT(X), gB);
        gA = upper ? triu(gA, unitriangular ? 1 : 0) : tril(gA, unitriangular ? -1 : 0);
      }
      return TensorList{gA, d.needs[1] ? gB : Tensor()};
    });
  }
  return X;
}

// P^T B, then L and U in turn (A^T X = B: U^T, L^T, then P).
Tensor lu_solve(const Tensor& LU, const Tensor& pivots, const Tensor& B, bool left, bool adjoint) {
  const char* op = "linalg.lu_solve";
  detail::check_matrices(op, LU);
  check_pair(op, LU, B, left);
  LT_CHECK(pivots.dim() == LU.dim() - 1 && pivots.size(-1) == LU.size(-1), ShapeError, op, "pivots of shape ",
           str(pivots.sizes()), " do not fit LU of shape ", str(LU.sizes()));
  LT_CHECK(pivots.device() == LU.device(), DeviceError, op, "expects LU and pivots on one device, got ",
           LU.device().str(), " and ", pivots.device().str());
  if (!left) return mT(lu_solve(LU, pivots, mT(B), true, !adjoint));
  return named(op, [&] {
    const Tensor perm = detail::permutation(op, pivots);
    if (!adjoint) {
      Tensor Y = solve_triangular(LU, detail::unpermute_rows(op, B, perm), /*upper=*/false, true, /*unitriangular=*/true);
      return solve_triangular(LU, Y, /*upper=*/true);
    }
    Tensor Y = solve_triangular(mT(LU), B, /*upper=*/false);
    Y = solve_triangular(mT(LU), Y, /*upper=*/true, true, /*unitriangular=*/true);
    return detail::permute_rows(op, Y, perm);
  });
}

Tensor solve(const Tensor& A, const Tensor& B, bool left) {
  LT_AUTOCAST(solve, A, B, left);
  const char* op = "linalg.solve";
  detail::check_matrices(op, A);
  // PyTorch's rule for a batch of vectors: B of 1 dim, or of A's shape without its last dim.
  const Shape rows(A.sizes().begin(), A.sizes().end() - 1);
  const bool vectors = B.dim() == 1 || (B.dim() == A.dim() - 1 && B.sizes() == rows);
  const Tensor matrix = vectors ? B.unsqueeze(left ? -1 : -2) : B;
  auto [X, info] = solve_matrices(op, A, matrix, left);
  detail::raise_for_info(op, info, A.dim() > 2, [](int32_t) {
    return std::string("the solver failed because the input matrix is singular");
  });
  return vectors ? X.squeeze(left ? -1 : -2) : X;
}

std::tuple<Tensor, Tensor> inv_ex(const Tensor& A, bool check_errors) {
  LT_AUTOCAST(inv_ex, A, check_errors);
  const char* op = "linalg.inv";
  detail::check_matrices(op, A);
  auto [X, info] = solve_matrices(op, A, eye(A.size(-1), {}, A.dtype(), A.device()), true);
  if (check_errors) {
    detail::raise_for_info(op, info, A.dim() > 2, [](int32_t k) {
      return ::lt::detail::cat("the diagonal element ", k,
                               " is zero, the inversion could not be completed because the input matrix is singular");
    });
  }
  return {X, info};
}

Tensor inv(const Tensor& A) { return std::get<0>(inv_ex(A, /*check_errors=*/true)); }

// A = L L^T: X = L^-T (L^-1 B). PyTorch's derivative, which takes all of L (not only the
// triangle the solves read) to make A:
//   gB = A^-1 g,  C = gB X^T + X gB^T,  gL = -C L  (upper, A = U^T U: gU = -U C)
Tensor cholesky_solve(const Tensor& B, const Tensor& L, bool upper) {
  LT_AUTOCAST(cholesky_solve, B, L, upper);
  const char* op = "linalg.cholesky_solve";
  detail::check_matrices(op, L);
  check_pair(op, L, B, true);
  Tensor X;
  {
    autograd::NoGradGuard no_grad;
    const Tensor lower = upper ? mT(L) : L;
    X = solve_triangular(mT(lower), solve_triangular(lower, B, /*upper=*/false), /*upper=*/true);
  }
  if (autograd::any_requires_grad(B, L)) {
    autograd::record("cholesky_solve", {B, L}, {X}, {L, X}, [upper](const Backward& d) {
      const Tensor &L = d.saved[0], &X = d.saved[1];
      Tensor gB = cholesky_solve(d.grad(), L, upper), gL;
      if (d.needs[1]) {
        Tensor C = matmul(gB, mT(X));
        C = C + mT(C);
        gL = upper ? -matmul(L, C) : -matmul(C, L);
      }
      return TensorList{d.needs[0] ? gB : Tensor(), gL};
    });
  }
  return X;
}

Tensor cholesky_inverse(const Tensor& L, bool upper) {
  detail::check_matrices("linalg.cholesky_inverse", L);
  return cholesky_solve(eye(L.size(-1), {}, L.dtype(), L.device()), L, upper);
}

}  // namespace lt::linalg
