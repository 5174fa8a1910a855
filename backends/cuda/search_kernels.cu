// searchsorted (a binary search per value, a thread each) and bincount (a histogram of
// integers, by atomic adds: into a block's copy in shared memory when the bins fit,
// straight into the result otherwise).
#include <algorithm>
#include <type_traits>

#include "gpu.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.cuh"

namespace lt::gpu {
namespace {

// The first position whose boundary is >= the value (> with right). Written as
// !(b >= v), NaN counts as the largest value.
template <class T, class O>
__global__ void searchsorted_kernel(const T* bounds, const T* values, O* out, int64_t total, int64_t m, int64_t n,
                                    bool shared, bool right) {
  using C = compute_t<T>;
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < total; i += int64_t{gridDim.x} * blockDim.x) {
    const T* row = bounds + (shared ? 0 : (i / m) * n);
    const C value = static_cast<C>(values[i]);
    int64_t lo = 0, hi = n;
    while (lo < hi) {
      const int64_t mid = lo + (hi - lo) / 2;
      const C at = static_cast<C>(row[mid]);
      const bool before = right ? !(at > value) : !(at >= value);
      if (before) lo = mid + 1;
      else hi = mid;
    }
    out[i] = static_cast<O>(lo);
  }
}

// tensors: out (rows, m) int64 or int32, boundaries (rows or 1, n), values (rows, m) of
// the boundaries' dtype, all contiguous; args: right.
void searchsorted(std::span<Tensor> t, ScalarList args) {
  const Tensor &out = t[0], &bounds = t[1], &values = t[2];
  const bool right = args[0].to_int() != 0;
  const int64_t rows = values.size(0), m = values.size(1), n = bounds.size(1);
  const bool shared = bounds.size(0) == 1;
  const int64_t total = rows * m;
  if (total == 0) return;
  DeviceGuard guard(out.device().index);
  gpuStream_t stream = stream_for(out);
  visit_dtype(values.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* b = bounds.data_ptr<T>();
    const T* v = values.data_ptr<T>();
    if (out.dtype() == DType::Int32) {
      searchsorted_kernel<T, int32_t><<<grid_for(total), kBlockSize, 0, stream>>>(b, v, out.data_ptr<int32_t>(), total,
                                                                                    m, n, shared, right);
    } else {
      searchsorted_kernel<T, int64_t><<<grid_for(total), kBlockSize, 0, stream>>>(b, v, out.data_ptr<int64_t>(), total,
                                                                                    m, n, shared, right);
    }
  });
  LT_GPU_CHECK_LAUNCH("searchsorted");
}

// Counts go in unsigned long long (the type of the 64-bit integer atomicAdd), weighted
// sums in the weights' float or double.
template <class O>
__device__ inline void add_to(O* at, O v) {
  atomicAdd(at, v);
}

template <class O, bool Weighted>
__device__ inline O weight_of(const O* w, int64_t i) {
  if constexpr (Weighted) {
    return w[i];
  } else {
    return O(1);
  }
}

// Each block adds its share of the input to a histogram of its own in shared memory,
// then adds that to the result.
template <class O, bool Weighted>
__global__ void bincount_shared_kernel(const int64_t* x, const O* w, int64_t n, int64_t bins, O* out) {
  extern __shared__ __align__(16) unsigned char shared_bytes[];
  O* h = reinterpret_cast<O*>(shared_bytes);
  for (int64_t j = threadIdx.x; j < bins; j += blockDim.x) h[j] = O(0);
  __syncthreads();
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n; i += int64_t{gridDim.x} * blockDim.x) {
    add_to(h + x[i], weight_of<O, Weighted>(w, i));
  }
  __syncthreads();
  for (int64_t j = threadIdx.x; j < bins; j += blockDim.x) {
    if (h[j] != O(0)) add_to(out + j, h[j]);
  }
}

template <class O, bool Weighted>
__global__ void bincount_global_kernel(const int64_t* x, const O* w, int64_t n, O* out) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n; i += int64_t{gridDim.x} * blockDim.x) {
    add_to(out + x[i], weight_of<O, Weighted>(w, i));
  }
}

template <class O, bool Weighted>
void launch_bincount(const int64_t* x, const O* w, int64_t n, int64_t bins, O* out, gpuStream_t stream) {
  constexpr int64_t kSharedBytes = 32 * 1024;
  if (bins * static_cast<int64_t>(sizeof(O)) <= kSharedBytes) {
    const unsigned blocks = std::min(grid_for(n, 16), 1024u);
    bincount_shared_kernel<O, Weighted><<<blocks, kBlockSize, bins * sizeof(O), stream>>>(x, w, n, bins, out);
  } else {
    bincount_global_kernel<O, Weighted><<<grid_for(n, 4), kBlockSize, 0, stream>>>(x, w, n, out);
  }
}

// tensors: out (bins) zeroed, int64 or the weights' dtype (float32 or float64); input
// (n) int64, checked to lie in [0, bins); weights (n) or undefined, contiguous.
void bincount(std::span<Tensor> t, ScalarList) {
  const Tensor &out = t[0], &input = t[1], &weights = t[2];
  const int64_t n = input.numel(), bins = out.numel();
  if (n == 0 || bins == 0) return;
  DeviceGuard guard(out.device().index);
  gpuStream_t stream = stream_for(out);
  const int64_t* x = input.data_ptr<int64_t>();
  if (!weights.defined()) {
    static_assert(sizeof(unsigned long long) == sizeof(int64_t));
    auto* o = reinterpret_cast<unsigned long long*>(out.data_ptr<int64_t>());
    launch_bincount<unsigned long long, false>(x, nullptr, n, bins, o, stream);
  } else if (out.dtype() == DType::Float32) {
    launch_bincount<float, true>(x, weights.data_ptr<float>(), n, bins, out.data_ptr<float>(), stream);
  } else {
    LT_CHECK(out.dtype() == DType::Float64, DTypeError, "bincount", "weighted counts are float32 or float64, got ",
             name(out.dtype()));
    launch_bincount<double, true>(x, weights.data_ptr<double>(), n, bins, out.data_ptr<double>(), stream);
  }
  LT_GPU_CHECK_LAUNCH("bincount");
}

}  // namespace

LT_REGISTER_KERNEL("searchsorted", LT_GPU_KEY, TensorKernel, searchsorted);
LT_REGISTER_KERNEL("bincount", LT_GPU_KEY, TensorKernel, bincount);

}  // namespace lt::gpu
