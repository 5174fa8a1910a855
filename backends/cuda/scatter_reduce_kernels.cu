// scatter_reduce's kernel, as backends/cpu/scatter_reduce_kernels.cpp: src reduced into
// out along a dim at the places index names. One thread per index element; elements
// landing on one place meet in atomics (the hardware's add for sum where it has one,
// compare-and-swap loops otherwise), so float sums and products may round in another
// order than the CPU's serial loop; amax and amin give the CPU's values exactly.
//
// An out-of-range index is skipped on the device and the first one (in index order)
// recorded; the host reads that after the launch and raises the CPU's IndexError.
#include <type_traits>

#include "atomics.cuh"
#include "common/scatter_combine.h"
#include "gpu.h"
#include "libtensor/error.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.cuh"

namespace lt::gpu {

using common::Reduce;
using common::combine;

namespace {

template <class T>
struct CombineWith {
  Reduce r;
  T v;
  __device__ T operator()(T a) const {
    using C = compute_t<T>;
    return static_cast<T>(combine<C>(r, static_cast<C>(a), static_cast<C>(v)));
  }
};

// index's shape, and out's strides (elements) for the same dims.
struct Places {
  int nd, dim;
  int64_t size;  // out.size(dim)
  int64_t sizes[kMaxDims];
  int64_t out_strides[kMaxDims];
};

// first_bad starts at ~0 and ends as the lowest position of an out-of-range index.
template <class T>
__global__ void scatter_reduce_kernel_impl(T* out, const int64_t* idx, const T* src, int64_t n, Places p, Reduce r,
                                           unsigned long long* first_bad) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n; i += int64_t{gridDim.x} * blockDim.x) {
    int64_t j = idx[i];
    if (j < 0 || j >= p.size) {
      atomicMin(first_bad, static_cast<unsigned long long>(i));
      continue;
    }
    int64_t offset = 0;
    for (int64_t d = p.nd - 1, rest = i; d >= 0; --d) {
      const int64_t coord = rest % p.sizes[d];
      rest /= p.sizes[d];
      offset += (d == p.dim ? j : coord) * p.out_strides[d];
    }
    if (r == Reduce::Sum) {
      atomic_add(out + offset, src[i]);
    } else {
      atomic_update(out + offset, CombineWith<T>{r, src[i]});
    }
  }
}

// tensors: out (contiguous, x's shape), index (int64, contiguous), src (index's shape,
// contiguous, out's dtype); args: dim, reduction.
void scatter_reduce_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &out = t[0], &index = t[1], &src = t[2];
  const int64_t dim = args[0].to_int();
  const auto r = static_cast<Reduce>(args[1].to_int());
  const int64_t n = index.numel();
  if (n == 0) return;
  LT_CHECK(index.dim() <= kMaxDims, NotImplementedError, "scatter_reduce", kName, " kernels take at most ", kMaxDims,
           " dims, got ", index.dim());
  Places p{};
  p.nd = static_cast<int>(index.dim());
  p.dim = static_cast<int>(dim);
  p.size = out.size(dim);
  for (int d = 0; d < p.nd; ++d) p.sizes[d] = index.size(d), p.out_strides[d] = out.stride(d);
  DeviceGuard guard(out.device().index);
  gpuStream_t stream = stream_for(out);
  Tensor flag = empty({1}, DType::Int64, out.device());
  auto* first_bad = reinterpret_cast<unsigned long long*>(flag.data_ptr<int64_t>());
  LT_GPU_CHECK("scatter_reduce", gpuMemsetAsync(first_bad, 0xff, sizeof(unsigned long long), stream));
  const int64_t* idx = index.data_ptr<int64_t>();
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    scatter_reduce_kernel_impl<T><<<grid_for(n, 4), kBlockSize, 0, stream>>>(out.data_ptr<T>(), idx, src.data_ptr<T>(),
                                                                              n, p, r, first_bad);
  });
  LT_GPU_CHECK_LAUNCH("scatter_reduce");
  unsigned long long bad = 0;
  LT_GPU_CHECK("scatter_reduce", gpuMemcpyAsync(&bad, first_bad, sizeof bad, gpuMemcpyDefault, stream));
  LT_GPU_CHECK("scatter_reduce", gpuStreamSynchronize(stream));
  if (bad != ~0ull) {
    int64_t j = 0;
    LT_GPU_CHECK("scatter_reduce", gpuMemcpyAsync(&j, idx + bad, sizeof j, gpuMemcpyDefault, stream));
    LT_GPU_CHECK("scatter_reduce", gpuStreamSynchronize(stream));
    fail<IndexError>("scatter_reduce", "index ", j, " is out of bounds for dimension ", dim, " with size ", p.size);
  }
}
LT_REGISTER_KERNEL("scatter_reduce", LT_GPU_KEY, TensorKernel, scatter_reduce_kernel);

}  // namespace
}  // namespace lt::gpu
