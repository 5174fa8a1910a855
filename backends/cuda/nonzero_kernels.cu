// nonzero in two kernels, as on the CPU: nonzero_count counts the nonzero elements of
// each block of the flattened tensor (the definition, src/ops/indexing.cpp, sums the
// counts on the host to size the result), and nonzero writes their coordinates, each
// block of the tensor from its place in the result (the counts before it), in order.
#include <type_traits>

#include "gpu.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.cuh"

namespace lt::gpu {
namespace {

template <class T>
__device__ inline bool is_nonzero(T v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v;
  } else {
    return static_cast<compute_t<T>>(v) != compute_t<T>(0);
  }
}

struct Count {
  __device__ int64_t identity() const { return 0; }
  __device__ int64_t combine(int64_t a, int64_t b) const { return a + b; }
};

// A GPU block per counted block of `block` elements.
template <class T>
__global__ void count_kernel(const T* x, int64_t numel, int64_t block, int64_t blocks, int64_t* counts) {
  for (int64_t k = blockIdx.x; k < blocks; k += gridDim.x) {
    const int64_t lo = k * block, hi = lo + block < numel ? lo + block : numel;
    int64_t c = 0;
    for (int64_t i = lo + threadIdx.x; i < hi; i += blockDim.x) c += is_nonzero(x[i]) ? 1 : 0;
    c = detail::block_combine<int64_t>(c, Count{});
    if (threadIdx.x == 0) counts[k] = c;
  }
}

// tensors: counts (blocks) int64, x contiguous; args: block length. counts[b] = the
// number of nonzero elements in block b.
void nonzero_count_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &counts = t[0], &x = t[1];
  const int64_t block = args[0].to_int(), numel = x.numel(), blocks = counts.numel();
  if (blocks == 0) return;
  DeviceGuard guard(counts.device().index);
  gpuStream_t stream = stream_for(counts);
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const unsigned grid = static_cast<unsigned>(blocks < 65535 * 16 ? blocks : 65535 * 16);
    count_kernel<T><<<grid, kBlockSize, 0, stream>>>(x.data_ptr<T>(), numel, block, blocks, counts.data_ptr<int64_t>());
  });
  LT_GPU_CHECK_LAUNCH("nonzero");
}

// Inclusive scan of one value per thread across the block (Hillis-Steele through
// `buf`, 2 * blockDim.x entries); also gives the block's total.
__device__ inline int64_t block_inclusive_sum(int64_t v, int64_t* buf, int64_t& total) {
  const int tid = threadIdx.x, n = blockDim.x;
  int cur = 0;
  buf[tid] = v;
  __syncthreads();
  for (int d = 1; d < n; d *= 2) {
    int64_t s = buf[cur * n + tid];
    if (tid >= d) s += buf[cur * n + tid - d];
    buf[(cur ^ 1) * n + tid] = s;
    cur ^= 1;
    __syncthreads();
  }
  const int64_t mine = buf[cur * n + tid];
  total = buf[cur * n + n - 1];
  __syncthreads();
  return mine;
}

// starts[k] = counts[0] + ... + counts[k - 1], by one block: each thread sums a run of
// counts, the runs' sums are scanned, and each run is written from its start.
__global__ void starts_kernel(const int64_t* counts, int64_t blocks, int64_t* starts) {
  __shared__ int64_t buf[2 * kBlockSize];
  const int64_t per = (blocks + blockDim.x - 1) / blockDim.x;
  const int64_t lo = threadIdx.x * per, hi = lo + per < blocks ? lo + per : blocks;
  int64_t sum = 0;
  for (int64_t k = lo; k < hi; ++k) sum += counts[k];
  int64_t total;
  int64_t at = block_inclusive_sum(sum, buf, total) - sum;
  for (int64_t k = lo; k < hi; ++k) {
    starts[k] = at;
    at += counts[k];
  }
}

constexpr int kItems = 8;  // consecutive elements per thread in a tile
constexpr int kMaxNonzeroDims = 64;

struct Sizes {
  int nd;
  int64_t s[kMaxNonzeroDims];
};

// A GPU block per counted block: tile by tile, each thread finds the nonzero elements
// among its kItems and writes their coordinates from the place the scan gives it.
template <class T>
__global__ void write_kernel(const T* x, int64_t numel, int64_t block, int64_t blocks, const int64_t* starts, Sizes sizes,
                             int64_t* out) {
  __shared__ int64_t buf[2 * kBlockSize];
  const int nd = sizes.nd;
  for (int64_t k = blockIdx.x; k < blocks; k += gridDim.x) {
    const int64_t lo = k * block, hi = lo + block < numel ? lo + block : numel;
    int64_t row = starts[k];
    for (int64_t t0 = lo; t0 < hi; t0 += int64_t{kItems} * blockDim.x) {
      const int64_t first = t0 + int64_t{kItems} * threadIdx.x;
      bool nz[kItems];
      int64_t mine = 0;
#pragma unroll
      for (int j = 0; j < kItems; ++j) {
        nz[j] = first + j < hi && is_nonzero(x[first + j]);
        mine += nz[j] ? 1 : 0;
      }
      int64_t total;
      int64_t at = row + block_inclusive_sum(mine, buf, total) - mine;
#pragma unroll
      for (int j = 0; j < kItems; ++j) {
        if (!nz[j]) continue;
        int64_t rem = first + j;
        int64_t* w = out + at * nd;
        for (int d = nd - 1; d >= 0; --d) {
          w[d] = rem % sizes.s[d];
          rem /= sizes.s[d];
        }
        ++at;
      }
      row += total;
    }
  }
}

// tensors: out (count, ndim) int64 contiguous, x contiguous (its shape gives the
// coordinates), counts (blocks) from nonzero_count; args: block length.
void nonzero_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &out = t[0], &x = t[1], &counts = t[2];
  const int64_t block = args[0].to_int(), numel = x.numel(), blocks = counts.numel();
  const int64_t nd = x.dim();
  if (nd == 0 || blocks == 0 || out.numel() == 0) return;
  LT_CHECK(nd <= kMaxNonzeroDims, NotImplementedError, "nonzero", kName, " kernels take at most ", kMaxNonzeroDims,
           " dims, got ", nd);
  Sizes sizes;
  sizes.nd = static_cast<int>(nd);
  for (int64_t d = 0; d < nd; ++d) sizes.s[d] = x.size(d);
  DeviceGuard guard(out.device().index);
  gpuStream_t stream = stream_for(out);
  Tensor starts = empty({blocks}, DType::Int64, out.device());
  starts_kernel<<<1, kBlockSize, 0, stream>>>(counts.data_ptr<int64_t>(), blocks, starts.data_ptr<int64_t>());
  LT_GPU_CHECK_LAUNCH("nonzero");
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const unsigned grid = static_cast<unsigned>(blocks < 65535 * 16 ? blocks : 65535 * 16);
    write_kernel<T><<<grid, kBlockSize, 0, stream>>>(x.data_ptr<T>(), numel, block, blocks, starts.data_ptr<int64_t>(),
                                                     sizes, out.data_ptr<int64_t>());
  });
  LT_GPU_CHECK_LAUNCH("nonzero");
}

}  // namespace

LT_REGISTER_KERNEL("nonzero_count", LT_GPU_KEY, TensorKernel, nonzero_count_kernel);
LT_REGISTER_KERNEL("nonzero", LT_GPU_KEY, TensorKernel, nonzero_kernel);

}  // namespace lt::gpu
