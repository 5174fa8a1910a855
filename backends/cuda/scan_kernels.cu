// Scans along one dim: cumsum, cumprod (cumulative), cummax, cummin (cumulative_extreme).
// The definitions (src/ops/scan.cpp) hand over contiguous tensors viewed as
// (outer, n, inner), the scan running over n: outer * inner independent lines of stride
// inner. Many lines: a thread runs each (neighbouring threads on neighbouring columns).
// Few long lines: a block scans each, tile by tile, carrying the tiles' totals.
//
// Both scans are a policy (State, identity, lift, combine, write) over the same two
// kernels; combine(a, b) folds the later part b onto the earlier a, and is associative,
// so the block scan gives the running loop's results (up to float rounding for sums and
// products, which accumulate as on the CPU: double for float32 and float64, float for
// the 16-bit floats, int64 for the integers, wrapping).
#include <type_traits>

#include "gpu.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.cuh"

namespace lt::gpu {
namespace {

template <class T>
using acc_t = std::conditional_t<std::is_floating_point_v<T>, double,
                                 std::conditional_t<std::is_integral_v<T>, int64_t, float>>;

template <class C>
__device__ inline bool is_nan(C v) {
  if constexpr (std::is_floating_point_v<C>) {
    return v != v;
  } else {
    return false;
  }
}

// Running sum or product of T in A.
template <class T>
struct Cumulative {
  using A = acc_t<T>;
  using State = A;
  const T* x;
  T* y;
  bool product;

  __device__ State identity() const { return product ? A(1) : A(0); }
  __device__ State lift(int64_t off, int64_t) const { return static_cast<A>(static_cast<compute_t<T>>(x[off])); }
  __device__ State combine(State a, State b) const {
    if constexpr (std::is_integral_v<A>) {
      // Wraps like the hardware does, without signed overflow.
      using U = std::make_unsigned_t<A>;
      return static_cast<A>(product ? static_cast<U>(a) * static_cast<U>(b) : static_cast<U>(a) + static_cast<U>(b));
    } else {
      return product ? a * b : a + b;
    }
  }
  __device__ void write(int64_t off, State s) const {
    if constexpr (std::is_integral_v<T>) {
      y[off] = static_cast<T>(s);
    } else {
      y[off] = static_cast<T>(static_cast<compute_t<T>>(s));
    }
  }
};

// Running max or min with its position: a NaN holds from where it appears on (a later
// NaN taking over), of equal values the later one is taken, as in PyTorch.
template <class T>
struct CumulativeExtreme {
  using C = compute_t<T>;
  struct State {
    C v;
    int64_t at;  // < 0: nothing seen yet
  };
  const T* x;
  T* values;
  int64_t* indices;
  bool is_min;

  __device__ State identity() const { return State{C(0), -1}; }
  __device__ State lift(int64_t off, int64_t i) const { return State{static_cast<C>(x[off]), i}; }
  __device__ State combine(State a, State b) const {
    if (b.at < 0) return a;
    if (a.at < 0 || is_nan(b.v)) return b;
    if (is_nan(a.v)) return a;
    return (is_min ? b.v <= a.v : b.v >= a.v) ? b : a;
  }
  __device__ void write(int64_t off, State s) const {
    values[off] = static_cast<T>(s.v);
    indices[off] = s.at;
  }
};

// A thread per line, in order.
template <class P>
__global__ void scan_lines_thread_kernel(P p, int64_t lines, int64_t n, int64_t inner) {
  for (int64_t l = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; l < lines; l += int64_t{gridDim.x} * blockDim.x) {
    const int64_t base = (l / inner) * n * inner + l % inner;
    auto s = p.identity();
    for (int64_t i = 0; i < n; ++i) {
      const int64_t off = base + i * inner;
      s = p.combine(s, p.lift(off, i));
      p.write(off, s);
    }
  }
}

constexpr int kItems = 4;  // consecutive elements per thread in a tile
constexpr int kTile = kBlockSize * kItems;

// A block per line. Each tile goes through shared memory so that global reads and
// writes are coalesced (for inner = 1); each thread scans its kItems in order, the
// threads' totals are scanned across the block (Hillis-Steele), and each thread's
// elements then take the prefix before them. Launched with kBlockSize threads.
template <class P>
__global__ void scan_lines_block_kernel(P p, int64_t lines, int64_t n, int64_t inner) {
  using S = decltype(p.identity());
  __shared__ S tile[kTile];
  __shared__ S sums[2][kBlockSize];
  const int tid = threadIdx.x;
  for (int64_t l = blockIdx.x; l < lines; l += gridDim.x) {
    const int64_t base = (l / inner) * n * inner + l % inner;
    S carry = p.identity();
    for (int64_t t0 = 0; t0 < n; t0 += kTile) {
      for (int j = tid; j < kTile; j += kBlockSize) {
        const int64_t i = t0 + j;
        tile[j] = i < n ? p.lift(base + i * inner, i) : p.identity();
      }
      __syncthreads();
      S* mine = tile + tid * kItems;
      for (int j = 1; j < kItems; ++j) mine[j] = p.combine(mine[j - 1], mine[j]);
      // Inclusive scan of the threads' totals.
      int cur = 0;
      sums[0][tid] = mine[kItems - 1];
      __syncthreads();
      for (int d = 1; d < kBlockSize; d *= 2) {
        S v = sums[cur][tid];
        if (tid >= d) v = p.combine(sums[cur][tid - d], v);
        sums[cur ^ 1][tid] = v;
        cur ^= 1;
        __syncthreads();
      }
      const S before = p.combine(carry, tid > 0 ? sums[cur][tid - 1] : p.identity());
      for (int j = 0; j < kItems; ++j) mine[j] = p.combine(before, mine[j]);
      carry = p.combine(carry, sums[cur][kBlockSize - 1]);
      __syncthreads();
      for (int j = tid; j < kTile; j += kBlockSize) {
        const int64_t i = t0 + j;
        if (i < n) p.write(base + i * inner, tile[j]);
      }
      __syncthreads();
    }
  }
}

template <class P>
void scan_lines(const char* op, const Tensor& out, const P& p, int64_t outer, int64_t n, int64_t inner) {
  const int64_t lines = outer * inner;
  if (lines == 0 || n == 0) return;
  DeviceGuard guard(out.device().index);
  gpuStream_t stream = stream_for(out);
  // A block per line where a thread per line would run long alone or read rows apart.
  const bool by_block = inner == 1 ? n > 32 : (n > 256 && lines < 16384);
  if (by_block) {
    const unsigned blocks = static_cast<unsigned>(lines < 65535 * 16 ? lines : 65535 * 16);
    scan_lines_block_kernel<P><<<blocks, kBlockSize, 0, stream>>>(p, lines, n, inner);
  } else {
    scan_lines_thread_kernel<P><<<grid_for(lines), kBlockSize, 0, stream>>>(p, lines, n, inner);
  }
  LT_GPU_CHECK_LAUNCH(op);
}

// tensors: out, src (outer, n, inner) of one dtype, contiguous; args: 0 sum, 1 product.
void cumulative_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &out = t[0], &src = t[1];
  const bool product = args[0].to_int() != 0;
  const char* op = product ? "cumprod" : "cumsum";
  visit_dtype(src.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>) {
      fail<DTypeError>(op, "bool results are not supported");
    } else {
      const Cumulative<T> p{src.data_ptr<T>(), out.data_ptr<T>(), product};
      scan_lines(op, out, p, src.size(0), src.size(1), src.size(2));
    }
  });
}

// tensors: values, indices int64, src (outer, n, inner) contiguous; args: 0 max, 1 min.
void cumulative_extreme_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &values = t[0], &indices = t[1], &src = t[2];
  const bool is_min = args[0].to_int() != 0;
  visit_dtype(src.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const CumulativeExtreme<T> p{src.data_ptr<T>(), values.data_ptr<T>(), indices.data_ptr<int64_t>(), is_min};
    scan_lines(is_min ? "cummin" : "cummax", values, p, src.size(0), src.size(1), src.size(2));
  });
}

}  // namespace

LT_REGISTER_KERNEL("cumulative", LT_GPU_KEY, TensorKernel, cumulative_kernel);
LT_REGISTER_KERNEL("cumulative_extreme", LT_GPU_KEY, TensorKernel, cumulative_extreme_kernel);

}  // namespace lt::gpu
