// The LU and Cholesky factorizations: kernels forward, and derivatives written with
// triangular solves and products, so that they differentiate again.
//
// LU of a square A (A = P L U, L unit lower, U upper), with M = L^-1 dA' U^-1 for the
// rows dA' = P^T dA:
//   dL = L tril(M, -1), dU = triu(M) U
//   gA = P L^-T (tril(L^T gL, -1) + triu(gU U^T)) U^-T
// Cholesky (A = L L^T), with Phi the lower triangle with its diagonal halved:
//   dL = L Phi(L^-1 dA L^-T)
//   gA = L^-T Phi(L^T gL) L^-1, symmetrized, as PyTorch's (only one triangle of A is read)
#include <algorithm>
#include <iterator>
#include <string_view>

#include "linalg_common.h"

namespace lt::linalg {

using autograd::Backward;
using autograd::TensorList;
using detail::mT;

namespace detail {

Tensor permutation(const char* op, const Tensor& pivots, std::optional<int64_t> rows) {
  static const Op<TensorKernel> kernel("lu_pivots_to_permutation");
  LT_CHECK(pivots.dtype() == DType::Int32, DTypeError, op, "expects int32 pivots, got ", name(pivots.dtype()));
  LT_CHECK(pivots.dim() >= 1, ShapeError, op, "expects pivots of at least 1 dim, got shape ", str(pivots.sizes()));
  const int64_t k = pivots.size(-1), m = rows.value_or(k);
  Shape shape = pivots.sizes();
  shape.back() = m;
  Tensor perm = empty(shape, DType::Int64, pivots.device());
  if (perm.numel() == 0) return perm;
  if (pivots.device().type == DeviceType::CPU) {
    Tensor p = pivots.contiguous();
    const int32_t* v = p.data_ptr<int32_t>();
    for (int64_t i = 0; i < p.numel(); ++i) {
      LT_CHECK(v[i] >= 1 && v[i] <= m, IndexError, op, "pivot ", v[i], " is out of range [1, ", m, "]");
    }
  }
  const int64_t count = perm.numel() / m;  // m > 0 here
  Tensor tensors[] = {perm.view({count, m}), pivots.contiguous().view({count, k})};
  const auto user = std::find_if(std::begin(kPivotUsers), std::end(kPivotUsers),
                                 [op](const char* name) { return std::string_view(name) == op; });
  const Scalar args[] = {Scalar(static_cast<int64_t>(user - std::begin(kPivotUsers)))};
  dispatch(kernel, std::span<Tensor>(tensors), ScalarList(args));
  return perm;
}

// P X: row i of X moves to row perm[i].
Tensor permute_rows(const char* op, const Tensor& X, const Tensor& perm) {
  Tensor inverse = argsort(perm, -1).unsqueeze(-1);
  const Shape shape = broadcast_shapes(inverse.sizes(), X.sizes(), op);
  return gather(X.expand(shape), -2, inverse.expand(shape));
}

// P^T X: row perm[i] of X moves to row i.
Tensor unpermute_rows(const char* op, const Tensor& X, const Tensor& perm) {
  Tensor index = perm.unsqueeze(-1);
  const Shape shape = broadcast_shapes(index.sizes(), X.sizes(), op);
  return gather(X.expand(shape), -2, index.expand(shape));
}

}  // namespace detail

namespace {

// The LU derivative for an m x n A with k = min(m, n), gL (m x k) and gU (k x n) the
// gradients of L's strict lower part and U's upper. The square formula (at the top),
// with the extra block of a wide U (U2, k x n-k) or tall L (L2, m-k x k) folded in:
//   wide: gA2' = L^-T gU2,  and L^T gL becomes L^T gL - gU2 U2^T
//   tall: gA2' = gL2 U^-T,  and gU U^T becomes gU U^T - L2^T gL2
Tensor lu_backward(const Tensor& LU, const Tensor& pivots, const Tensor& g) {
  const int64_t m = LU.size(-2), n = LU.size(-1), k = std::min(m, n);
  const Tensor eye_k = eye(k, {}, LU.dtype(), LU.device());
  const Tensor L = tril(LU.narrow(-2, 0, k).narrow(-1, 0, k), -1) + eye_k, U = triu(LU.narrow(-2, 0, k).narrow(-1, 0, k));
  const Tensor gL = tril(g.narrow(-2, 0, k).narrow(-1, 0, k), -1), gU = triu(g.narrow(-2, 0, k).narrow(-1, 0, k));
  Tensor lower = matmul(mT(L), gL), upper = matmul(gU, mT(U)), rest;
  if (n > k) {
    const Tensor U2 = LU.narrow(-2, 0, k).narrow(-1, k, n - k), gU2 = g.narrow(-2, 0, k).narrow(-1, k, n - k);
    lower = lower - matmul(gU2, mT(U2));
    rest = solve_triangular(mT(L), gU2, /*upper=*/true, /*left=*/true, /*unitriangular=*/true);
  } else if (m > k) {
    const Tensor L2 = LU.narrow(-2, k, m - k).narrow(-1, 0, k), gL2 = g.narrow(-2, k, m - k).narrow(-1, 0, k);
    upper = upper - matmul(mT(L2), gL2);
    rest = solve_triangular(mT(U), gL2, /*upper=*/false, /*left=*/false);
  }
  Tensor X = solve_triangular(mT(L), tril(lower, -1) + triu(upper), /*upper=*/true, /*left=*/true,
                              /*unitriangular=*/true);
  X = solve_triangular(mT(U), X, /*upper=*/false, /*left=*/false);
  if (rest.defined()) X = cat({X, rest}, n > k ? -1 : -2);
  return detail::permute_rows("linalg.lu_factor", X, detail::permutation("linalg.lu_factor", pivots, m));
}

}  // namespace

std::tuple<Tensor, Tensor, Tensor> lu_factor_ex(const Tensor& A, bool check_errors) {
  static const Op<TensorKernel> op("lu_factor");
  detail::check_matrices("linalg.lu_factor", A, /*square=*/false);
  const int64_t m = A.size(-2), n = A.size(-1), k = std::min(m, n);
  const Shape batch(A.sizes().begin(), A.sizes().end() - 2);
  Shape with_k = batch;
  with_k.push_back(k);
  Tensor LU, pivots, info;
  {
    autograd::NoGradGuard no_grad;
    Tensor lu = detail::batched_copy(A);
    pivots = empty(with_k, DType::Int32, A.device());
    info = zeros(batch, DType::Int32, A.device());
    if (lu.numel() > 0) {
      Tensor tensors[] = {lu, pivots.view({lu.size(0), k}), info.view({lu.size(0)})};
      dispatch(op, std::span<Tensor>(tensors));
    }
    LU = unsafe_view(lu, A.sizes());
  }
  if (check_errors) {
    detail::raise_for_info("linalg.lu_factor", info, A.dim() > 2, [](int32_t k) {
      return ::lt::detail::cat("U[", k, ", ", k, "] is zero and using it on lu_solve would result in a division by zero");
    });
  }
  if (autograd::any_requires_grad(A)) {
    autograd::record("linalg_lu_factor_ex", {A}, {LU}, {LU, pivots}, [](const Backward& d) {
      return TensorList{lu_backward(d.saved[0], d.saved[1], d.grad())};
    });
  }
  return {LU, pivots, info};
}

std::tuple<Tensor, Tensor> lu_factor(const Tensor& A) {
  auto [LU, pivots, info] = lu_factor_ex(A, /*check_errors=*/true);
  return {LU, pivots};
}

// An m x n LU gives L (m x k, unit lower) and U (k x n), k = min(m, n), and P (m x m).
std::tuple<Tensor, Tensor, Tensor> lu_unpack(const Tensor& LU, const Tensor& pivots) {
  const char* op = "linalg.lu_unpack";
  detail::check_matrices(op, LU, /*square=*/false);
  const int64_t m = LU.size(-2), n = LU.size(-1), k = std::min(m, n);
  LT_CHECK(pivots.dim() == LU.dim() - 1 && pivots.size(-1) == k, ShapeError, op, "pivots of shape ",
           str(pivots.sizes()), " do not fit LU of shape ", str(LU.sizes()));
  LT_CHECK(pivots.device() == LU.device(), DeviceError, op, "expects LU and pivots on one device, got ",
           LU.device().str(), " and ", pivots.device().str());
  Tensor perm = detail::permutation(op, pivots, m);
  // P[perm[i], i] = 1, so that A = P L U; the three of one batch shape, LU's and the
  // pivots' broadcast.
  Tensor P = mT(one_hot(perm, m)).to(LU.dtype());
  Tensor L = tril(LU, -1).narrow(-1, 0, k) + eye(m, k, LU.dtype(), LU.device()), U = triu(LU).narrow(-2, 0, k);
  const Shape batch = broadcast_shapes(Shape(LU.sizes().begin(), LU.sizes().end() - 2),
                                       Shape(pivots.sizes().begin(), pivots.sizes().end() - 1), op);
  auto fit = [&batch](const Tensor& t) {
    Shape shape = batch;
    shape.push_back(t.size(-2));
    shape.push_back(t.size(-1));
    return t.sizes() == shape ? t : t.expand(shape).contiguous();
  };
  return {fit(P), fit(L), fit(U)};
}

std::tuple<Tensor, Tensor, Tensor> lu(const Tensor& A) {
  detail::check_matrices("linalg.lu", A, /*square=*/false);
  auto [LU, pivots, info] = lu_factor_ex(A);
  return lu_unpack(LU, pivots);
}

std::tuple<Tensor, Tensor> cholesky_ex(const Tensor& A, bool upper, bool check_errors) {
  LT_AUTOCAST(cholesky_ex, A, upper, check_errors);
  static const Op<TensorKernel> op("cholesky");
  detail::check_matrices("linalg.cholesky", A);
  const Shape batch(A.sizes().begin(), A.sizes().end() - 2);
  Tensor L, info;
  {
    autograd::NoGradGuard no_grad;
    // A = U^T U reads A's upper triangle: the lower one of A^T, as PyTorch.
    Tensor l = detail::batched_copy(upper ? mT(A) : A);
    info = zeros(batch, DType::Int32, A.device());
    if (l.numel() > 0) {
      Tensor tensors[] = {l, info.view({l.size(0)})};
      dispatch(op, std::span<Tensor>(tensors));
    }
    L = unsafe_view(l, A.sizes());
  }
  if (check_errors) {
    detail::raise_for_info("linalg.cholesky", info, A.dim() > 2, [](int32_t k) {
      return ::lt::detail::cat("the input is not positive-definite: the leading minor of order ", k,
                         " is not positive-definite");
    });
  }
  if (autograd::any_requires_grad(A)) {
    autograd::record("linalg_cholesky_ex", {A}, {L}, {L}, [](const Backward& d) {
      const Tensor& L = d.saved[0];
      Tensor S = matmul(mT(L), d.grad());
      Tensor phi = tril(S) - diag_embed(S.diagonal(0, -2, -1)) * 0.5;
      Tensor gA = solve_triangular(mT(L), phi, /*upper=*/true);
      gA = solve_triangular(L, gA, /*upper=*/false, /*left=*/false);
      return TensorList{(gA + mT(gA)) * 0.5};
    });
  }
  return {upper ? mT(L) : L, info};
}

Tensor cholesky(const Tensor& A, bool upper) {
  return std::get<0>(cholesky_ex(A, upper, /*check_errors=*/true));
}

}  // namespace lt::linalg
