// The factorizations under lt::linalg (src/ops/linalg_*.cpp) on Eigen's algorithms: LU
// with partial pivoting, Cholesky, triangular solves, the symmetric eigendecomposition. The operators hand
// over batches of contiguous row-major matrices, (batch, n, n); matrices run in parallel.
#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <algorithm>
#include <numeric>
#include <utility>

#include "libtensor/parallel.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"

namespace lt::cpu {
namespace {

template <class T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using MatrixMap = Eigen::Map<RowMatrix<T>>;

// Matrices of n x n per task: small ones in groups, large ones alone.
int64_t grain_for(int64_t n) { return std::max<int64_t>(1, 4096 / std::max<int64_t>(1, n * n)); }

template <class F>
void visit_float(const Tensor& t, F f) {
  if (t.dtype() == DType::Float64) f(double{});
  else f(float{});
}

// tensors: lu (batch, m, n), A on entry, factored in place; pivots (batch, min(m, n))
// int32; info (batch) int32. Eigen's blocked LU in place, through the routine under
// PartialPivLU (which takes square matrices only): it works on rectangular ones, in our
// row-major layout, and gives LAPACK's row swaps and first zero pivot as they are. An
// internal of Eigen 3.3 and 3.4 (Debian 12's is 3.4.0): its signature is pinned here.
void lu_factor_kernel(std::span<Tensor> t, ScalarList) {
  const Tensor &lu = t[0], &pivots = t[1], &info = t[2];
  const int64_t batch = lu.size(0), m = lu.size(1), n = lu.size(2), k = std::min(m, n);
  if (k == 0) return;
  visit_float(lu, [&](auto tag) {
    using T = decltype(tag);
    using Impl = Eigen::internal::partial_lu_impl<T, Eigen::RowMajor, int32_t>;
    parallel_for(0, batch, grain_for(std::max(m, n)), [&](int64_t lo, int64_t hi) {
      for (int64_t b = lo; b < hi; ++b) {
        int32_t* piv = pivots.data_ptr<int32_t>() + b * k;
        int32_t swaps = 0;
        const Eigen::Index zero = Impl::blocked_lu(m, n, lu.data_ptr<T>() + b * m * n, n, piv, swaps);
        for (int64_t i = 0; i < k; ++i) piv[i] += 1;  // 1-based, as LAPACK's
        info.data_ptr<int32_t>()[b] = zero >= 0 ? static_cast<int32_t>(zero + 1) : 0;
      }
    });
  });
}
LT_REGISTER_KERNEL("lu_factor", CPU, TensorKernel, lu_factor_kernel);

// tensors: perm (batch, m) int64, pivots (batch, k) int32 checked to lie in [1, m], k <=
// m. The row of A at each row of L U: the identity with the k swaps applied in order.
void lu_pivots_to_permutation_kernel(std::span<Tensor> t, ScalarList) {
  const Tensor &perm = t[0], &pivots = t[1];
  const int64_t batch = perm.size(0), m = perm.size(1), k = pivots.size(1);
  for (int64_t b = 0; b < batch; ++b) {
    int64_t* p = perm.data_ptr<int64_t>() + b * m;
    const int32_t* piv = pivots.data_ptr<int32_t>() + b * k;
    std::iota(p, p + m, int64_t{0});
    for (int64_t i = 0; i < k; ++i) std::swap(p[i], p[piv[i] - 1]);
  }
}
LT_REGISTER_KERNEL("lu_pivots_to_permutation", CPU, TensorKernel, lu_pivots_to_permutation_kernel);

// tensors: x (batch, n, k), B on entry, solved in place; a (batch, n, n). args: upper,
// unitriangular. Solves A X = B reading only A's triangle.
void triangular_solve_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &x = t[0], &a = t[1];
  const bool upper = args[0].to_int() != 0, unit = args[1].to_int() != 0;
  const int64_t batch = x.size(0), n = x.size(1), k = x.size(2);
  visit_float(x, [&](auto tag) {
    using T = decltype(tag);
    parallel_for(0, batch, grain_for(n), [&](int64_t lo, int64_t hi) {
      for (int64_t b = lo; b < hi; ++b) {
        Eigen::Map<const RowMatrix<T>> m(a.data_ptr<T>() + b * n * n, n, n);
        MatrixMap<T> rhs(x.data_ptr<T>() + b * n * k, n, k);
        if (upper && unit) m.template triangularView<Eigen::UnitUpper>().solveInPlace(rhs);
        else if (upper) m.template triangularView<Eigen::Upper>().solveInPlace(rhs);
        else if (unit) m.template triangularView<Eigen::UnitLower>().solveInPlace(rhs);
        else m.template triangularView<Eigen::Lower>().solveInPlace(rhs);
      }
    });
  });
}
LT_REGISTER_KERNEL("triangular_solve", CPU, TensorKernel, triangular_solve_kernel);

// The order of the first leading minor of m that is not positive, by the unblocked
// algorithm; called only when Eigen's blocked one has failed, to name it.
template <class T>
int32_t first_failing_minor(MatrixMap<T> m) {
  const int64_t n = m.rows();
  for (int64_t j = 0; j < n; ++j) {
    T d = m(j, j);
    for (int64_t c = 0; c < j; ++c) d -= m(j, c) * m(j, c);
    if (!(d > T(0))) return static_cast<int32_t>(j + 1);
    d = std::sqrt(d);
    m(j, j) = d;
    for (int64_t r = j + 1; r < n; ++r) {
      T s = m(r, j);
      for (int64_t c = 0; c < j; ++c) s -= m(r, c) * m(j, c);
      m(r, j) = s / d;
    }
  }
  return 0;
}

// tensors: l (batch, n, n), A on entry (its lower triangle read), L on return with
// zeros above the diagonal; info (batch) int32.
void cholesky_kernel(std::span<Tensor> t, ScalarList) {
  const Tensor &l = t[0], &info = t[1];
  const int64_t batch = l.size(0), n = l.size(1);
  visit_float(l, [&](auto tag) {
    using T = decltype(tag);
    parallel_for(0, batch, grain_for(n), [&](int64_t lo, int64_t hi) {
      for (int64_t b = lo; b < hi; ++b) {
        MatrixMap<T> m(l.data_ptr<T>() + b * n * n, n, n);
        Eigen::LLT<RowMatrix<T>, Eigen::Lower> f(m);
        int32_t failed = 0;
        if (f.info() == Eigen::Success) {
          m = f.matrixL();
        } else {
          failed = first_failing_minor<T>(m);
          m.template triangularView<Eigen::StrictlyUpper>().setZero();
        }
        info.data_ptr<int32_t>()[b] = failed;
      }
    });
  });
}
LT_REGISTER_KERNEL("cholesky", CPU, TensorKernel, cholesky_kernel);

// tensors: values (batch, n); vectors (batch, n, n), A on entry (its lower triangle
// read), the eigenvectors as columns on return (untouched without them); info (batch)
// int32, 0 or 1 where the iteration did not converge. args: with_vectors. Ascending.
void eigh_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &values = t[0], &vectors = t[1], &info = t[2];
  const bool with_vectors = args[0].to_int() != 0;
  const int64_t batch = vectors.size(0), n = vectors.size(1);
  visit_float(vectors, [&](auto tag) {
    using T = decltype(tag);
    parallel_for(0, batch, grain_for(n), [&](int64_t lo, int64_t hi) {
      for (int64_t b = lo; b < hi; ++b) {
        MatrixMap<T> m(vectors.data_ptr<T>() + b * n * n, n, n);
        Eigen::SelfAdjointEigenSolver<RowMatrix<T>> f(m, with_vectors ? Eigen::ComputeEigenvectors
                                                                        : Eigen::EigenvaluesOnly);
        Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>>(values.data_ptr<T>() + b * n, n) = f.eigenvalues();
        if (with_vectors) m = f.eigenvectors();
        info.data_ptr<int32_t>()[b] = f.info() == Eigen::Success ? 0 : 1;
      }
    });
  });
}
LT_REGISTER_KERNEL("eigh", CPU, TensorKernel, eigh_kernel);

}  // namespace
}  // namespace lt::cpu
