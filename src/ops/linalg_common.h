// What the lt::linalg operators share: argument checks in their own names, the batch of
// contiguous matrices their kernels take, and the transposes their formulas are full of.
#pragma once

#include "helpers.h"
#include "libtensor/autocast.h"
#include "libtensor/linalg.h"

namespace lt::linalg::detail {

// A's last two dims as its matrices: at least 2 dims, float32 or float64, and square
// unless `square` is false.
inline void check_matrices(const char* op, const Tensor& A, bool square = true) {
  LT_CHECK(A.dim() >= 2, ShapeError, op, "expects a tensor of matrices (at least 2 dims), got shape ",
           str(A.sizes()));
  LT_CHECK(!square || A.size(-1) == A.size(-2), ShapeError, op, "expects square matrices, got shape ",
           str(A.sizes()));
  LT_CHECK(A.dtype() == DType::Float32 || A.dtype() == DType::Float64, DTypeError, op,
           "expects float32 or float64 matrices, got ", name(A.dtype()));
}

// The last two dims swapped (the adjoint: libtensor's matrices are real).
inline Tensor mT(const Tensor& x) { return x.transpose(-2, -1); }

// x's shape as one batch of matrices: (count, rows, cols).
inline Shape as_batch(const Tensor& x) {
  int64_t count = 1;
  for (int64_t d = 0; d + 2 < x.dim(); ++d) count *= x.size(d);
  return {count, x.size(-2), x.size(-1)};
}

// A fresh contiguous copy of x as a batch of matrices (count, rows, cols), for a kernel
// that works in place.
inline Tensor batched_copy(const Tensor& x) {
  Tensor copy = empty(x.sizes(), x.dtype(), x.device());
  copy.copy_(x);
  return copy.view(as_batch(x));
}

// Raises LinAlgError for the first matrix whose info is not 0, with `describe(info)`
// saying what failed ("(Batch element 3): ..." for a batch). Waits for a GPU's kernel,
// as PyTorch's checked operators do.
template <class F>
void raise_for_info(const char* op, const Tensor& info, bool batch, F describe) {
  Tensor flat = info.reshape({-1}).to(kCPU).contiguous();
  const int32_t* v = flat.data_ptr<int32_t>();
  for (int64_t b = 0; b < flat.numel(); ++b) {
    if (v[b] == 0) continue;
    if (batch) fail<LinAlgError>(op, "(batch element ", b, ") ", describe(v[b]));
    fail<LinAlgError>(op, describe(v[b]));
  }
}

// The row order of L U for LAPACK's pivots (linalg_factorizations.cpp): row i of L U is
// row perm[i] of A, for A of m rows (the pivots' length by default). Pivots out of
// [1, m] raise IndexError naming `op`, one of kPivotUsers.
Tensor permutation(const char* op, const Tensor& pivots, std::optional<int64_t> m = {});
// P X (row i of X moves to row perm[i]) and P^T X (row perm[i] moves to row i).
Tensor permute_rows(const char* op, const Tensor& X, const Tensor& perm);
Tensor unpermute_rows(const char* op, const Tensor& X, const Tensor& perm);

}  // namespace lt::linalg::detail
