// Reductions: sum, prod, amax, amin, all, any (reducers handed to reduce(), as on the
// CPU, with the same accumulate types), and max_dim / min_dim (values and indices of the
// extreme of each contiguous row).
#include <limits>
#include <type_traits>

#include "gpu.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.cuh"

namespace lt::gpu {
namespace {

// Integers accumulate in int64, floats in float (double for float64), as on the CPU.
template <class T>
using acc_t = std::conditional_t<std::is_integral_v<T>, int64_t, std::conditional_t<std::is_same_v<T, double>, double, float>>;

template <class Acc>
struct Sum {
  __device__ Acc identity() const { return Acc(0); }
  __device__ Acc combine(Acc a, Acc b) const { return a + b; }
  template <class C>
  __device__ Acc lift(C x) const { return static_cast<Acc>(x); }
};

template <class Acc>
struct Prod {
  __device__ Acc identity() const { return Acc(1); }
  __device__ Acc combine(Acc a, Acc b) const {
    if constexpr (std::is_integral_v<Acc>) {
      return static_cast<Acc>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));  // wraps, never UB
    } else {
      return a * b;
    }
  }
  template <class C>
  __device__ Acc lift(C x) const { return static_cast<Acc>(x); }
};

// NaN wins, as in PyTorch. Acc is the input type (Half and BFloat16 compare as float).
template <class Acc, bool IsMax>
struct Extreme {
  static constexpr bool kFloat = is_floating(dtype_v<Acc>);
  __device__ Acc identity() const {
    if constexpr (kFloat) {
      constexpr float inf = std::numeric_limits<float>::infinity();
      return static_cast<Acc>(IsMax ? -inf : inf);
    } else {
      return IsMax ? std::numeric_limits<Acc>::lowest() : std::numeric_limits<Acc>::max();
    }
  }
  __device__ Acc combine(Acc a, Acc b) const {
    using C = compute_t<Acc>;
    const C x = static_cast<C>(a), y = static_cast<C>(b);
    if constexpr (kFloat) {
      if (x != x) return a;
      if (y != y) return b;
    }
    return IsMax ? (x < y ? b : a) : (y < x ? b : a);
  }
  template <class C>
  __device__ Acc lift(C x) const { return static_cast<Acc>(x); }
};

template <bool IsAll>
struct Truth {
  __device__ bool identity() const { return IsAll; }
  __device__ bool combine(bool a, bool b) const { return IsAll ? (a && b) : (a || b); }
  template <class C>
  __device__ bool lift(C x) const { return x != C(0); }
};

void sum_kernel(TensorIterator& iter, ScalarList) {
  visit_dtype(iter.dtype(1), [&](auto tag) {
    using T = decltype(tag);
    using Acc = acc_t<compute_t<T>>;
    reduce<T, Acc>(iter, Sum<Acc>{});
  });
}

void prod_kernel(TensorIterator& iter, ScalarList) {
  visit_dtype(iter.dtype(1), [&](auto tag) {
    using T = decltype(tag);
    using Acc = acc_t<compute_t<T>>;
    reduce<T, Acc>(iter, Prod<Acc>{});
  });
}

template <bool IsMax>
void extreme_kernel(TensorIterator& iter, ScalarList) {
  visit_dtype(iter.dtype(1), [&](auto tag) {
    using T = decltype(tag);
    reduce<T, T>(iter, Extreme<T, IsMax>{});
  });
}

void all_kernel(TensorIterator& iter, ScalarList) {
  visit_dtype(iter.dtype(1), [&](auto tag) { reduce<decltype(tag), bool>(iter, Truth<true>{}); });
}

void any_kernel(TensorIterator& iter, ScalarList) {
  visit_dtype(iter.dtype(1), [&](auto tag) { reduce<decltype(tag), bool>(iter, Truth<false>{}); });
}

// --- max_dim / min_dim -------------------------------------------------------------------

// A candidate extreme: its value and position in the row (at < 0: none yet).
template <class C>
struct Best {
  C v;
  int64_t at;
};

template <class C>
__device__ inline bool is_nan(C v) {
  if constexpr (std::is_floating_point_v<C>) {
    return v != v;
  } else {
    return false;
  }
}

// The row's first extreme of the two: a NaN beats every number, the first NaN the
// later ones; of equal values the earlier position wins.
template <class C, bool IsMax>
__device__ inline Best<C> pick(Best<C> a, Best<C> b) {
  if (a.at < 0) return b;
  if (b.at < 0) return a;
  const bool an = is_nan(a.v), bn = is_nan(b.v);
  if (an || bn) {
    if (an && bn) return a.at < b.at ? a : b;
    return an ? a : b;
  }
  const bool b_better = IsMax ? b.v > a.v : b.v < a.v;
  const bool a_better = IsMax ? a.v > b.v : a.v < b.v;
  if (b_better) return b;
  if (a_better) return a;
  return a.at < b.at ? a : b;
}

template <class C, bool IsMax>
__device__ inline Best<C> warp_pick(Best<C> b) {
  for (int d = warpSize / 2; d > 0; d /= 2) {
    Best<C> other;
    other.v = shfl_down(b.v, d);
    other.at = shfl_down(b.at, d);
    b = pick<C, IsMax>(b, other);
  }
  return b;
}

// Each thread scans its share of the row (stride `step` from `first`) in order.
template <class T, bool IsMax>
__device__ inline Best<compute_t<T>> scan_share(const T* row, int64_t R, int64_t first, int64_t step) {
  using C = compute_t<T>;
  Best<C> b{C(0), -1};
  for (int64_t i = first; i < R; i += step) b = pick<C, IsMax>(b, Best<C>{static_cast<C>(row[i]), i});
  return b;
}

// A warp per row: for rows shorter than a block's worth of elements.
template <class T, bool IsMax>
__global__ void extreme_rows_warp_kernel(const T* in, int64_t K, int64_t R, T* values, int64_t* indices) {
  using C = compute_t<T>;
  const int lane = threadIdx.x % warpSize;
  const int64_t warps = blockDim.x / warpSize;
  for (int64_t k = blockIdx.x * warps + threadIdx.x / warpSize; k < K; k += int64_t{gridDim.x} * warps) {
    const T* row = in + k * R;
    Best<C> b = warp_pick<C, IsMax>(scan_share<T, IsMax>(row, R, lane, warpSize));
    if (lane == 0) {
      values[k] = row[b.at];
      indices[k] = b.at;
    }
  }
}

// A block per row: for long rows.
template <class T, bool IsMax>
__global__ void extreme_rows_block_kernel(const T* in, int64_t K, int64_t R, T* values, int64_t* indices) {
  using C = compute_t<T>;
  __shared__ C scratch_v[64];  // one per warp: at most 1024 / 16
  __shared__ int64_t scratch_at[64];
  const int lane = threadIdx.x % warpSize, warp = threadIdx.x / warpSize;
  const int warps = (blockDim.x + warpSize - 1) / warpSize;
  for (int64_t k = blockIdx.x; k < K; k += gridDim.x) {
    const T* row = in + k * R;
    Best<C> b = warp_pick<C, IsMax>(scan_share<T, IsMax>(row, R, threadIdx.x, blockDim.x));
    if (lane == 0) {
      scratch_v[warp] = b.v;
      scratch_at[warp] = b.at;
    }
    __syncthreads();
    if (warp == 0) {
      b = lane < warps ? Best<C>{scratch_v[lane], scratch_at[lane]} : Best<C>{C(0), -1};
      b = warp_pick<C, IsMax>(b);
      if (lane == 0) {
        values[k] = row[b.at];
        indices[k] = b.at;
      }
    }
    __syncthreads();
  }
}

// tensors: values [K], indices [K], rows [K, R] contiguous. The first extreme wins;
// a NaN is the extreme of its row.
template <bool IsMax>
void extreme_dim_kernel(std::span<Tensor> t, ScalarList) {
  const int64_t K = t[2].size(0), R = t[2].size(1);
  if (K == 0 || R == 0) return;
  DeviceGuard guard(t[0].device().index);
  gpuStream_t stream = stream_for(t[0]);
  visit_dtype(t[2].dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = t[2].data_ptr<T>();
    T* values = t[0].data_ptr<T>();
    int64_t* indices = t[1].data_ptr<int64_t>();
    if (R >= 1024) {
      const unsigned blocks = static_cast<unsigned>(K < 65535 * 16 ? K : 65535 * 16);
      extreme_rows_block_kernel<T, IsMax><<<blocks, kBlockSize, 0, stream>>>(in, K, R, values, indices);
    } else {
      // Sized for 32-lane warps; with 64 the rows loop covers the rest.
      extreme_rows_warp_kernel<T, IsMax><<<grid_for(K, 1, kBlockSize / 32), kBlockSize, 0, stream>>>(in, K, R, values,
                                                                                                     indices);
    }
  });
  LT_GPU_CHECK_LAUNCH(IsMax ? "max" : "min");
}

}  // namespace

LT_REGISTER_KERNEL("sum", LT_GPU_KEY, IterKernel, sum_kernel);
LT_REGISTER_KERNEL("prod", LT_GPU_KEY, IterKernel, prod_kernel);
LT_REGISTER_KERNEL("amax", LT_GPU_KEY, IterKernel, extreme_kernel<true>);
LT_REGISTER_KERNEL("amin", LT_GPU_KEY, IterKernel, extreme_kernel<false>);
LT_REGISTER_KERNEL("all", LT_GPU_KEY, IterKernel, all_kernel);
LT_REGISTER_KERNEL("any", LT_GPU_KEY, IterKernel, any_kernel);
LT_REGISTER_KERNEL("max_dim", LT_GPU_KEY, TensorKernel, extreme_dim_kernel<true>);
LT_REGISTER_KERNEL("min_dim", LT_GPU_KEY, TensorKernel, extreme_dim_kernel<false>);

}  // namespace lt::gpu
