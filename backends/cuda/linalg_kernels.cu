// The factorizations under lt::linalg on the GPU, one block per matrix (per matrix and
// right-hand side for the solves), in the matrix's own memory: LU with partial pivoting,
// Cholesky and triangular solves by their unblocked right-looking algorithms, and the
// symmetric eigendecomposition by cyclic Jacobi rotations. Each step
// is a block-wide pass between barriers, so batches of small and middling matrices keep
// the device busy; a large single matrix runs on one multiprocessor (cuSOLVER would be
// faster there, but has no ROCm twin built from these sources).
#include <limits>
#include <string>

#include "device_errors.h"
#include "gpu.h"
#include "libtensor/linalg.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.cuh"

namespace lt::gpu {
namespace {

constexpr int kThreads = 256;

template <class F>
void visit_float(const Tensor& t, F f) {
  if (t.dtype() == DType::Float64) f(double{});
  else f(float{});
}

// The row of the largest |a[r, k]| for k <= r < m (a row-major, n columns), the first of
// equal ones (LAPACK's choice).
template <class T>
__device__ int64_t pivot_row(const T* a, int64_t m, int64_t n, int64_t k) {
  __shared__ T best[kThreads];
  __shared__ int64_t row[kThreads];
  T b = T(-1);
  int64_t at = k;
  for (int64_t r = k + threadIdx.x; r < m; r += blockDim.x) {
    const T v = ::fabs(a[r * n + k]);
    if (v > b) {
      b = v;
      at = r;
    }
  }
  best[threadIdx.x] = b;
  row[threadIdx.x] = at;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s /= 2) {
    if (threadIdx.x < s) {
      const T o = best[threadIdx.x + s];
      const int64_t r = row[threadIdx.x + s];
      if (o > best[threadIdx.x] || (o == best[threadIdx.x] && r < row[threadIdx.x])) {
        best[threadIdx.x] = o;
        row[threadIdx.x] = r;
      }
    }
    __syncthreads();
  }
  const int64_t p = row[0];
  __syncthreads();  // row[0] read by every thread before the next call writes it
  return p;
}

// An m x n matrix, min(m, n) steps: pivot, swap, scale the column, update the rest.
template <class T>
__global__ void lu_factor_kernel(T* lu, int32_t* pivots, int32_t* info, int64_t m, int64_t n) {
  T* a = lu + blockIdx.x * m * n;
  const int64_t steps = m < n ? m : n;
  int32_t first_zero = 0;
  for (int64_t k = 0; k < steps; ++k) {
    const int64_t p = pivot_row(a, m, n, k);
    if (threadIdx.x == 0) pivots[blockIdx.x * steps + k] = static_cast<int32_t>(p + 1);
    if (p != k) {
      for (int64_t c = threadIdx.x; c < n; c += blockDim.x) {
        const T v = a[k * n + c];
        a[k * n + c] = a[p * n + c];
        a[p * n + c] = v;
      }
    }
    __syncthreads();
    const T pivot = a[k * n + k];
    if (pivot == T(0)) {  // the column below is zero too: nothing to eliminate
      if (first_zero == 0) first_zero = static_cast<int32_t>(k + 1);
      continue;
    }
    for (int64_t r = k + 1 + threadIdx.x; r < m; r += blockDim.x) a[r * n + k] /= pivot;
    __syncthreads();
    const int64_t rows = m - k - 1, cols = n - k - 1;
    for (int64_t i = threadIdx.x; i < rows * cols; i += blockDim.x) {
      const int64_t r = k + 1 + i / cols, c = k + 1 + i % cols;
      a[r * n + c] -= a[r * n + k] * a[k * n + c];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) info[blockIdx.x] = first_zero;
}

void lu_factor(std::span<Tensor> t, ScalarList) {
  const Tensor &lu = t[0], &pivots = t[1], &info = t[2];
  const int64_t batch = lu.size(0), m = lu.size(1), n = lu.size(2);
  if (batch == 0 || m == 0 || n == 0) return;
  DeviceGuard guard(lu.device().index);
  visit_float(lu, [&](auto tag) {
    using T = decltype(tag);
    lu_factor_kernel<T><<<static_cast<unsigned>(batch), kThreads, 0, stream_for(lu)>>>(
        lu.data_ptr<T>(), pivots.data_ptr<int32_t>(), info.data_ptr<int32_t>(), m, n);
  });
  LT_GPU_CHECK_LAUNCH("lu_factor");
}
LT_REGISTER_KERNEL("lu_factor", LT_GPU_KEY, TensorKernel, lu_factor);

std::string describe_bad_pivot(long long value, int64_t m, int64_t) {
  return "pivot " + std::to_string(value) + " is out of range [1, " + std::to_string(m) + "]";
}

// A thread per matrix: the identity of m rows with the k swaps applied in order.
__global__ void pivots_to_permutation_kernel(int64_t* perm, const int32_t* pivots, int64_t batch, int64_t m,
                                             int64_t k, ErrorPost post) {
  const int64_t b = blockIdx.x * int64_t{blockDim.x} + threadIdx.x;
  if (b >= batch) return;
  int64_t* p = perm + b * m;
  for (int64_t i = 0; i < m; ++i) p[i] = i;
  for (int64_t i = 0; i < k; ++i) {
    const int64_t j = pivots[b * k + i] - 1;
    if (j < 0 || j >= m) {
      post_error(post, j + 1);
      return;
    }
    const int64_t v = p[i];
    p[i] = p[j];
    p[j] = v;
  }
}

// args: the caller's index in linalg::detail::kPivotUsers, for the error's name.
void lu_pivots_to_permutation(std::span<Tensor> t, ScalarList args) {
  const Tensor &perm = t[0], &pivots = t[1];
  const int64_t batch = perm.size(0), m = perm.size(1), k = pivots.size(1);
  if (batch == 0) return;
  const int device = perm.device().index;
  DeviceGuard guard(device);
  const char* op = linalg::detail::kPivotUsers[args[0].to_int()];
  const ErrorPost post = expect_index_error(device, op, describe_bad_pivot, m);
  pivots_to_permutation_kernel<<<grid_for(batch), kBlockSize, 0, stream_for(perm)>>>(
      perm.data_ptr<int64_t>(), pivots.data_ptr<int32_t>(), batch, m, k, post);
  LT_GPU_CHECK_LAUNCH("lu_pivots_to_permutation");
}
LT_REGISTER_KERNEL("lu_pivots_to_permutation", LT_GPU_KEY, TensorKernel, lu_pivots_to_permutation);

// A block per (matrix, column of X): substitution row by row, each solved value taken
// out of the rows still to come by the whole block.
template <class T>
__global__ void triangular_solve_kernel(T* x, const T* a, int64_t n, int64_t k, bool upper, bool unit) {
  const int64_t b = blockIdx.x / k, col = blockIdx.x % k;
  const T* m = a + b * n * n;
  T* v = x + b * n * k + col;
  for (int64_t s = 0; s < n; ++s) {
    const int64_t i = upper ? n - 1 - s : s;
    const T xi = unit ? v[i * k] : v[i * k] / m[i * n + i];
    __syncthreads();  // every thread has read v[i] before it is overwritten
    if (threadIdx.x == 0) v[i * k] = xi;
    const int64_t lo = upper ? 0 : i + 1, hi = upper ? i : n;
    for (int64_t r = lo + threadIdx.x; r < hi; r += blockDim.x) v[r * k] -= m[r * n + i] * xi;
    __syncthreads();
  }
}

void triangular_solve(std::span<Tensor> t, ScalarList args) {
  const Tensor &x = t[0], &a = t[1];
  const bool upper = args[0].to_int() != 0, unit = args[1].to_int() != 0;
  const int64_t batch = x.size(0), n = x.size(1), k = x.size(2);
  if (batch * n * k == 0) return;
  LT_CHECK(batch * k <= std::numeric_limits<int32_t>::max(), ShapeError, "linalg.solve_triangular",
           "more than 2^31 - 1 right-hand sides (", batch, " matrices of ", k, " columns)");
  DeviceGuard guard(x.device().index);
  visit_float(x, [&](auto tag) {
    using T = decltype(tag);
    triangular_solve_kernel<T><<<static_cast<unsigned>(batch * k), kThreads, 0, stream_for(x)>>>(
        x.data_ptr<T>(), a.data_ptr<T>(), n, k, upper, unit);
  });
  LT_GPU_CHECK_LAUNCH("triangular_solve");
}
LT_REGISTER_KERNEL("triangular_solve", LT_GPU_KEY, TensorKernel, triangular_solve);

// Right-looking: column k scaled by the root of its diagonal, then the lower triangle of
// the trailing matrix updated; a diagonal that is not positive stops the matrix.
template <class T>
__global__ void cholesky_kernel(T* l, int32_t* info, int64_t n) {
  T* m = l + blockIdx.x * n * n;
  int32_t failed = 0;
  for (int64_t k = 0; k < n; ++k) {
    const T d = m[k * n + k];
    if (!(d > T(0))) {
      failed = static_cast<int32_t>(k + 1);
      break;  // every thread read the same d
    }
    const T root = ::sqrt(d);
    __syncthreads();
    if (threadIdx.x == 0) m[k * n + k] = root;
    for (int64_t r = k + 1 + threadIdx.x; r < n; r += blockDim.x) m[r * n + k] /= root;
    __syncthreads();
    const int64_t w = n - k - 1;
    for (int64_t i = threadIdx.x; i < w * w; i += blockDim.x) {
      const int64_t r = k + 1 + i / w, c = k + 1 + i % w;
      if (c <= r) m[r * n + c] -= m[r * n + k] * m[c * n + k];
    }
    __syncthreads();
  }
  for (int64_t i = threadIdx.x; i < n * n; i += blockDim.x) {
    if (i % n > i / n) m[i] = T(0);
  }
  if (threadIdx.x == 0) info[blockIdx.x] = failed;
}

void cholesky(std::span<Tensor> t, ScalarList) {
  const Tensor &l = t[0], &info = t[1];
  const int64_t batch = l.size(0), n = l.size(1);
  if (batch == 0) return;
  DeviceGuard guard(l.device().index);
  visit_float(l, [&](auto tag) {
    using T = decltype(tag);
    cholesky_kernel<T><<<static_cast<unsigned>(batch), kThreads, 0, stream_for(l)>>>(l.data_ptr<T>(),
                                                                                      info.data_ptr<int32_t>(), n);
  });
  LT_GPU_CHECK_LAUNCH("cholesky");
}
LT_REGISTER_KERNEL("cholesky", LT_GPU_KEY, TensorKernel, cholesky);

// The block's x combined by f (associative), every thread getting the result.
template <class T, class F>
__device__ T block_reduce(T x, F f) {
  __shared__ T part[kThreads];
  part[threadIdx.x] = x;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s /= 2) {
    if (threadIdx.x < s) part[threadIdx.x] = f(part[threadIdx.x], part[threadIdx.x + s]);
    __syncthreads();
  }
  const T result = part[0];
  __syncthreads();  // part[0] read by every thread before the next call writes it
  return result;
}

struct Plus {
  template <class T>
  __device__ T operator()(T a, T b) const {
    return a + b;
  }
};

// The larger, or a NaN if either is.
struct MaxOrNaN {
  template <class T>
  __device__ T operator()(T a, T b) const {
    return a > b || a != a ? a : b;
  }
};

// The round-robin tournament of `players` (even): in round r, pair i meets player(i) and
// player(players - 1 - i); player 0 stays put while the others turn. Over players - 1
// rounds every pair meets once, and within a round the pairs are disjoint.
__device__ inline int64_t player(int64_t j, int64_t round, int64_t players) {
  return j == 0 ? 0 : (j - 1 + round) % (players - 1) + 1;
}

// Pair i of a round, lower index first (q = n is the dummy player of an odd n).
__device__ inline void pair_of(int64_t i, int64_t round, int64_t players, int64_t& p, int64_t& q) {
  p = player(i, round, players);
  q = player(players - 1 - i, round, players);
  if (p > q) {
    const int64_t t = p;
    p = q;
    q = t;
  }
}

// (x, y) <- (c x - s y, s x + c y): a row or column pair under the rotation.
template <class T>
__device__ inline void rotate(T& x, T& y, T c, T s) {
  const T a = x, b = y;
  x = c * a - s * b;
  y = s * a + c * b;
}

// NaN above every number, so that the ranks below are a permutation.
template <class T>
__device__ inline bool before(T x, T y) {
  return x < y || (y != y && x == x);
}

constexpr int kMaxSweeps = 40;

// Cyclic Jacobi: in each round, the n/2 disjoint pairs (p, q) each pick the rotation J
// that zeroes a[p, q] (Golub & Van Loan's symmetric Schur step), then A <- J^T A J (rows,
// then columns) and V <- V J. Sweeps of n - 1 rounds until the off-diagonal part is at
// rounding level, (n eps)^2 of the whole in squares; A is scaled to a largest entry of 1
// first, so that squares neither overflow nor underflow. Then the eigenvalues sort
// ascending, the columns of V with them. A matrix with a NaN or an infinity, or one that
// does not converge, gets info 1 (the CPU's Eigen reports no convergence for those too).
// work: A on entry (lower triangle read), scratch: n + 2 values per matrix.
template <class T>
__global__ void eigh_kernel(T* values, T* vectors, int32_t* info, T* work, T* scratch, int64_t n, bool with_vectors) {
  T* a = work + blockIdx.x * n * n;
  T* v = vectors + blockIdx.x * n * n;
  T* cs = scratch + blockIdx.x * (n + 2);
  const int64_t players = n + (n & 1), half = players / 2;
  T local = 0;
  for (int64_t i = threadIdx.x; i < n * n; i += blockDim.x) {
    const int64_t r = i / n, c = i % n;
    if (c > r) a[i] = a[c * n + r];
    if (with_vectors) v[i] = r == c ? T(1) : T(0);
    const T x = ::fabs(a[i]);
    local = x > local || x != x ? x : local;  // a NaN wins
  }
  const T scale = block_reduce(local, MaxOrNaN());  // after the barrier inside, every write above is done
  if (!(scale <= std::numeric_limits<T>::max())) {  // NaN or infinity
    if (threadIdx.x == 0) info[blockIdx.x] = 1;
    return;  // uniform: every thread has the same scale
  }
  if (scale > T(0)) {
    for (int64_t i = threadIdx.x; i < n * n; i += blockDim.x) a[i] /= scale;
  }
  __syncthreads();
  local = 0;
  for (int64_t i = threadIdx.x; i < n * n; i += blockDim.x) local += a[i] * a[i];
  const T total = block_reduce(local, Plus());
  const T eps = std::numeric_limits<T>::epsilon(), enough = total * (T(n) * eps) * (T(n) * eps);
  bool converged = false;
  for (int sweep = 0; sweep <= kMaxSweeps && !converged; ++sweep) {
    local = 0;
    for (int64_t i = threadIdx.x; i < n * n; i += blockDim.x) {
      if (i / n != i % n) local += a[i] * a[i];
    }
    converged = !(block_reduce(local, Plus()) > enough);  // every thread gets the same sum
    if (converged || sweep == kMaxSweeps) break;
    for (int64_t round = 0; round + 1 < players; ++round) {
      for (int64_t i = threadIdx.x; i < half; i += blockDim.x) {
        int64_t p, q;
        pair_of(i, round, players, p, q);
        T c = 1, s = 0;
        if (q < n && a[p * n + q] != T(0)) {
          const T tau = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q]);
          const T t = (tau >= 0 ? T(1) : T(-1)) / (::fabs(tau) + ::sqrt(1 + tau * tau));
          c = 1 / ::sqrt(1 + t * t);
          s = t * c;
        }
        cs[i] = c;
        cs[half + i] = s;
      }
      __syncthreads();
      for (int64_t k = threadIdx.x; k < half * n; k += blockDim.x) {  // rows p and q
        const int64_t i = k / n, j = k % n;
        const T c = cs[i], s = cs[half + i];
        if (s == T(0)) continue;
        int64_t p, q;
        pair_of(i, round, players, p, q);
        rotate(a[p * n + j], a[q * n + j], c, s);
      }
      __syncthreads();
      for (int64_t k = threadIdx.x; k < half * n; k += blockDim.x) {  // columns p and q
        const int64_t i = k % half, j = k / half;
        const T c = cs[i], s = cs[half + i];
        if (s == T(0)) continue;
        int64_t p, q;
        pair_of(i, round, players, p, q);
        rotate(a[j * n + p], a[j * n + q], c, s);
        if (with_vectors) rotate(v[j * n + p], v[j * n + q], c, s);
      }
      __syncthreads();
    }
  }
  if (threadIdx.x == 0) info[blockIdx.x] = converged ? 0 : 1;
  for (int64_t i = threadIdx.x; i < n; i += blockDim.x) cs[i] = a[i * n + i] * (scale > T(0) ? scale : T(1));
  __syncthreads();
  if (with_vectors) {  // A is spent: it keeps V's columns while they move to their ranks
    for (int64_t i = threadIdx.x; i < n * n; i += blockDim.x) a[i] = v[i];
    __syncthreads();
  }
  for (int64_t i = threadIdx.x; i < n; i += blockDim.x) {
    int64_t rank = 0;
    for (int64_t j = 0; j < n; ++j) rank += before(cs[j], cs[i]) || (!before(cs[i], cs[j]) && j < i);
    values[blockIdx.x * n + rank] = cs[i];
    if (with_vectors) {
      for (int64_t r = 0; r < n; ++r) v[r * n + rank] = a[r * n + i];
    }
  }
}

// tensors: values (batch, n); vectors (batch, n, n), A on entry (its lower triangle
// read), the eigenvectors as columns on return; info (batch) int32. args: with_vectors.
void eigh(std::span<Tensor> t, ScalarList args) {
  const Tensor &values = t[0], &vectors = t[1], &info = t[2];
  const bool with_vectors = args[0].to_int() != 0;
  const int64_t batch = vectors.size(0), n = vectors.size(1);
  if (batch == 0 || n == 0) return;
  DeviceGuard guard(vectors.device().index);
  // A's iterate beside V, and the rotations of a round (then the unsorted eigenvalues).
  Tensor work = vectors.clone(), scratch = empty({batch, n + 2}, vectors.dtype(), vectors.device());
  visit_float(vectors, [&](auto tag) {
    using T = decltype(tag);
    eigh_kernel<T><<<static_cast<unsigned>(batch), kThreads, 0, stream_for(vectors)>>>(
        values.data_ptr<T>(), vectors.data_ptr<T>(), info.data_ptr<int32_t>(), work.data_ptr<T>(),
        scratch.data_ptr<T>(), n, with_vectors);
  });
  LT_GPU_CHECK_LAUNCH("eigh");
}
LT_REGISTER_KERNEL("eigh", LT_GPU_KEY, TensorKernel, eigh);

}  // namespace
}  // namespace lt::gpu
