// Determinants from the LU factorization, det A = sign(P) prod diag(U), and matrix powers.
//   d det A = det A tr(A^-1 dA)  ->  gA = g det A A^-T
//   d log|det A| = tr(A^-1 dA)   ->  gA = g A^-T
// At a singular A these give NaN where PyTorch's go through the SVD (docs/python-api.md).
#include <limits>

#include "linalg_common.h"

namespace lt::linalg {

using autograd::Backward;
using autograd::TensorList;
using detail::mT;

namespace {

// The factorization's diagonal of U and the sign of its permutation (+-1), per matrix.
std::tuple<Tensor, Tensor> diagonal_and_parity(const Tensor& A) {
  autograd::NoGradGuard no_grad;
  auto [LU, pivots, info] = lu_factor_ex(A);
  const int64_t n = A.size(-1);
  Tensor steps = arange(1, n + 1, 1, DType::Int32, A.device());
  Tensor swaps = sum(ne(pivots, steps), {-1}, false, DType::Int64);
  Tensor parity = 1 - ((swaps % 2) * 2).to(A.dtype());
  return {LU.diagonal(0, -2, -1), parity};
}

// g A^-T scaled per matrix by `scale` (the batch's shape), differentiable again.
Tensor times_inverse_transpose(const Tensor& A, const Tensor& scale) {
  return scale.unsqueeze(-1).unsqueeze(-1) * mT(std::get<0>(inv_ex(A)));
}

}  // namespace

Tensor det(const Tensor& A) {
  detail::check_matrices("linalg.det", A);
  Tensor determinant;
  {
    autograd::NoGradGuard no_grad;
    auto [diag, parity] = diagonal_and_parity(A);
    determinant = prod(diag, {-1}) * parity;
  }
  if (autograd::any_requires_grad(A)) {
    autograd::record("linalg_det", {A}, {determinant}, {A, determinant}, [](const Backward& d) {
      return TensorList{times_inverse_transpose(d.saved[0], d.grad() * d.saved[1])};
    });
  }
  return determinant;
}

std::tuple<Tensor, Tensor> slogdet(const Tensor& A) {
  detail::check_matrices("linalg.slogdet", A);
  Tensor sign, logabsdet;
  {
    autograd::NoGradGuard no_grad;
    auto [diag, parity] = diagonal_and_parity(A);
    sign = prod(lt::sign(diag), {-1}) * parity;
    logabsdet = sum(log(abs(diag)), {-1});
  }
  if (autograd::any_requires_grad(A)) {
    // The sign is an output of the node too (its gradient is zero), as in PyTorch.
    autograd::record("linalg_slogdet", {A}, {sign, logabsdet}, {A}, [](const Backward& d) {
      return TensorList{times_inverse_transpose(d.saved[0], d.grads[1])};
    });
  }
  return {sign, logabsdet};
}

Tensor logdet(const Tensor& A) {
  return named("logdet", [&] {
    auto [sign, logabsdet] = slogdet(A);
    return where(lt::lt(sign, Scalar(0)), Scalar(std::numeric_limits<double>::quiet_NaN()), logabsdet);
  });
}

Tensor matrix_power(const Tensor& A, int64_t n) {
  const char* op = "linalg.matrix_power";
  LT_CHECK(A.dim() >= 2 && A.size(-1) == A.size(-2), ShapeError, op,
           "expects a tensor of square matrices (at least 2 dims), got shape ", str(A.sizes()));
  if (n == 0) {
    // The identity, still a function of A (with a zero gradient), as in PyTorch.
    Tensor identity = eye(A.size(-1), {}, A.dtype(), A.device()).expand(A.sizes()).contiguous();
    if (autograd::any_requires_grad(A)) {
      autograd::record("matrix_power", {A}, {identity}, {}, [](const Backward& d) {
        return TensorList{zeros_like(d.grad())};
      });
    }
    return identity;
  }
  return named(op, [&] {
    Tensor base = n < 0 ? inv(A) : A;
    uint64_t k = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
    // Binary powers: the result gathers base^(2^i) for each bit i of k.
    Tensor result;
    for (;;) {
      if (k & 1) result = result.defined() ? matmul(result, base) : base;
      k >>= 1;
      if (k == 0) break;
      base = matmul(base, base);
    }
    return result.is_same(A) ? A.clone() : result;
  });
}

}  // namespace lt::linalg
