// embedding's backward: the output gradient's rows added into the weight rows they were
// read from, deterministically (no float atomics: every run adds in the same order).
//
// The index positions are sorted by weight row with a stable radix sort (4-bit digits:
// per-tile digit counts, one scan of them, a stable scatter), so each weight row's
// positions lie together in increasing order. The sorted list is then cut into chunks
// of equal length: a block sums each run of one row within its chunk and writes the
// row, or, for a run that crosses a chunk boundary, a partial sum that a last kernel
// adds up in chunk order. Equal chunks keep the work even however skewed the indices
// (a few rows taking most of them is the rule for token embeddings).
#include <algorithm>
#include <cstdint>

#include "gpu.h"
#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "rows.cuh"

namespace lt::gpu {
namespace {

// --- stable radix sort of (key, position) pairs -----------------------------------------

constexpr int kDigitBits = 4, kDigits = 1 << kDigitBits;
constexpr int kSortThreads = 256, kItems = 8, kTile = kSortThreads * kItems;

// An exclusive scan of K words per thread across the block (Hillis-Steele in shared
// memory, which must hold K * blockDim.x words); `total` gets the block's sums.
template <int K>
__device__ void block_exclusive_scan(uint64_t (&v)[K], uint64_t (&total)[K], uint64_t* shared) {
  const int t = threadIdx.x, n = blockDim.x;
#pragma unroll
  for (int k = 0; k < K; ++k) shared[k * n + t] = v[k];
  __syncthreads();
  for (int offset = 1; offset < n; offset *= 2) {
    uint64_t add[K];
#pragma unroll
    for (int k = 0; k < K; ++k) add[k] = t >= offset ? shared[k * n + t - offset] : 0;
    __syncthreads();
#pragma unroll
    for (int k = 0; k < K; ++k) shared[k * n + t] += add[k];
    __syncthreads();
  }
#pragma unroll
  for (int k = 0; k < K; ++k) {
    total[k] = shared[k * n + n - 1];
    v[k] = shared[k * n + t] - v[k];
  }
  __syncthreads();
}

// keys[i] = idx[i], or num where it takes no row (padding_idx or out of range, skipped
// as on the CPU); positions[i] = i.
__global__ void make_keys(const int64_t* __restrict__ idx, int64_t count, int64_t num, int64_t pad,
                          int64_t* __restrict__ keys, int64_t* __restrict__ positions) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < count; i += int64_t{gridDim.x} * blockDim.x) {
    const int64_t r = idx[i];
    keys[i] = r >= 0 && r < num && r != pad ? r : num;
    positions[i] = i;
  }
}

__device__ inline int digit_of(int64_t key, int shift) { return static_cast<int>((key >> shift) & (kDigits - 1)); }

// counts[d * tiles + b] = how many keys of tile b have digit d.
__global__ __launch_bounds__(kSortThreads) void digit_counts(const int64_t* __restrict__ keys, int64_t count,
                                                             int shift, int64_t* __restrict__ counts) {
  __shared__ int hist[kDigits];
  if (threadIdx.x < kDigits) hist[threadIdx.x] = 0;
  __syncthreads();
  const int64_t first = int64_t{blockIdx.x} * kTile + int64_t{threadIdx.x} * kItems;
#pragma unroll
  for (int i = 0; i < kItems; ++i) {
    if (first + i < count) atomicAdd(&hist[digit_of(keys[first + i], shift)], 1);  // integers: any order gives the same
  }
  __syncthreads();
  if (threadIdx.x < kDigits) counts[int64_t{threadIdx.x} * gridDim.x + blockIdx.x] = hist[threadIdx.x];
}

// data[0 .. n) := its exclusive prefix sums, by one block of 1024 threads.
__global__ __launch_bounds__(1024) void exclusive_scan(int64_t* data, int64_t n) {
  __shared__ uint64_t shared[1024];
  uint64_t carry = 0;
  for (int64_t base = 0; base < n; base += int64_t{blockDim.x} * kItems) {
    const int64_t first = base + int64_t{threadIdx.x} * kItems;
    uint64_t local[kItems], sum[1] = {0}, total[1];
#pragma unroll
    for (int i = 0; i < kItems; ++i) {
      local[i] = first + i < n ? static_cast<uint64_t>(data[first + i]) : 0;
      sum[0] += local[i];
    }
    block_exclusive_scan<1>(sum, total, shared);
    uint64_t run = carry + sum[0];
#pragma unroll
    for (int i = 0; i < kItems; ++i) {
      if (first + i < n) data[first + i] = static_cast<int64_t>(run);
      run += local[i];
    }
    carry += total[0];
  }
}

// Moves the pairs of tile b to their places for this digit: offsets[d * tiles + b] is
// where tile b's keys of digit d start; within a tile, thread order then item order, so
// equal digits keep their order (the sort is stable). Each thread's per-digit counts
// are packed 16 bits a digit (a tile holds at most 2048 of one), four digits a word.
__global__ __launch_bounds__(kSortThreads) void scatter_digits(const int64_t* __restrict__ keys,
                                                               const int64_t* __restrict__ positions, int64_t count,
                                                               int shift, const int64_t* __restrict__ offsets,
                                                               int64_t* __restrict__ keys_out,
                                                               int64_t* __restrict__ positions_out) {
  constexpr int kWords = kDigits / 4;
  __shared__ uint64_t shared[kWords * kSortThreads];
  const int64_t first = int64_t{blockIdx.x} * kTile + int64_t{threadIdx.x} * kItems;
  int64_t k[kItems];
  uint64_t packed[kWords] = {}, total[kWords];
#pragma unroll
  for (int i = 0; i < kItems; ++i) {
    if (first + i < count) {
      k[i] = keys[first + i];
      const int d = digit_of(k[i], shift);
      packed[d / 4] += uint64_t{1} << (16 * (d % 4));
    }
  }
  block_exclusive_scan<kWords>(packed, total, shared);
  uint64_t seen[kWords] = {};
#pragma unroll
  for (int i = 0; i < kItems; ++i) {
    if (first + i < count) {
      const int d = digit_of(k[i], shift), field = 16 * (d % 4);
      const int64_t before = static_cast<int64_t>(((packed[d / 4] + seen[d / 4]) >> field) & 0xffff);
      const int64_t at = offsets[int64_t{d} * gridDim.x + blockIdx.x] + before;
      seen[d / 4] += uint64_t{1} << field;
      keys_out[at] = k[i];
      positions_out[at] = positions[first + i];
    }
  }
}

// --- sums of runs -----------------------------------------------------------------------

// Block (c, s) walks chunk c of the sorted pairs for columns s*blockDim.x + threadIdx.x:
// a run of one row wholly inside the chunk is written to its row of dw; the run that
// began in an earlier chunk goes to head[c], one that goes on past the chunk (and began
// in it) to tail[c]. Keys equal to num (no row) come last and end the walk.
template <class T>
__global__ void sum_chunks(const int64_t* __restrict__ keys, const int64_t* __restrict__ positions, int64_t count,
                           int64_t num, int64_t chunk, const T* __restrict__ g, int64_t dim, T* __restrict__ dw,
                           compute_t<T>* __restrict__ head, compute_t<T>* __restrict__ tail) {
  using C = compute_t<T>;
  const int64_t c = blockIdx.x, col = int64_t{blockIdx.y} * blockDim.x + threadIdx.x;
  if (col >= dim) return;
  const int64_t begin = c * chunk, end = begin + chunk < count ? begin + chunk : count;
  const int64_t before = begin > 0 ? keys[begin - 1] : -1, after = end < count ? keys[end] : -1;
  C acc = 0;
  int64_t run_begin = begin;
  constexpr int kBatch = 4;  // the loads of a few entries in flight at once
  for (int64_t e = begin; e < end; e += kBatch) {
    int64_t r[kBatch];
    C v[kBatch];
#pragma unroll
    for (int i = 0; i < kBatch; ++i) {
      r[i] = e + i < end ? keys[e + i] : num;
      v[i] = r[i] < num ? static_cast<C>(g[positions[e + i] * dim + col]) : C(0);
    }
#pragma unroll
    for (int i = 0; i < kBatch; ++i) {
      if (r[i] >= num) return;  // no rows from here on
      acc += v[i];
      const int64_t at = e + i, next = at + 1 < end ? keys[at + 1] : after;
      if (next != r[i] || at + 1 == end) {  // the run's last pair in this chunk
        if (run_begin == begin && before == r[i]) {
          head[c * dim + col] = acc;
        } else if (next == r[i]) {  // goes on past the chunk
          tail[c * dim + col] = acc;
        } else {
          dw[r[i] * dim + col] = static_cast<T>(acc);
        }
        acc = 0;
        run_begin = at + 1;
      }
    }
  }
}

// For each run that crosses chunk boundaries, the chunk it began in adds its tail and
// the heads of the chunks it runs through, in order, into the row of dw.
template <class T>
__global__ void join_chunks(const int64_t* __restrict__ keys, int64_t count, int64_t num, int64_t chunk, int64_t dim,
                            T* __restrict__ dw, const compute_t<T>* __restrict__ head,
                            const compute_t<T>* __restrict__ tail) {
  using C = compute_t<T>;
  const int64_t c = blockIdx.x, col = int64_t{blockIdx.y} * blockDim.x + threadIdx.x;
  const int64_t begin = c * chunk, end = begin + chunk;
  if (col >= dim || end >= count) return;
  const int64_t r = keys[end - 1];
  if (r >= num || keys[end] != r) return;                              // nothing goes on
  if (keys[begin] == r && begin > 0 && keys[begin - 1] == r) return;  // began earlier: not this chunk's
  int64_t lo = end, hi = count;  // the run's end: the first key past r
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (keys[mid] == r) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  const int64_t last = (lo - 1) / chunk;
  C acc = tail[c * dim + col];
  for (int64_t k = c + 1; k <= last; ++k) acc += head[k * dim + col];
  dw[r * dim + col] = static_cast<T>(acc);
}

// --- launch -----------------------------------------------------------------------------

// tensors: dw (num, dim), g (count, dim), indices (count, int64), all contiguous; args:
// padding_idx (-1: none).
void embedding_backward_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &dw = t[0], &g = t[1], &idx = t[2];
  if (dw.numel() == 0) return;
  const int64_t num = dw.size(0), dim = dw.size(1), count = idx.numel(), pad = args[0].to_int();
  const int device = dw.device().index;
  DeviceGuard guard(device);
  gpuStream_t stream = current_stream(device);
  const char* op = "embedding_backward";
  LT_GPU_CHECK(op, gpuMemsetAsync(dw.data(), 0, static_cast<size_t>(dw.numel() * dw.itemsize()), stream));
  if (count == 0 || dim == 0) return;

  // Sort the positions by row.
  Tensor buffers = empty({4 * count}, DType::Int64, dw.device());
  int64_t* keys = buffers.data_ptr<int64_t>();
  int64_t* positions = keys + count;
  int64_t* keys_alt = keys + 2 * count;
  int64_t* positions_alt = keys + 3 * count;
  make_keys<<<grid_for(count), kBlockSize, 0, stream>>>(idx.data_ptr<int64_t>(), count, num, pad, keys, positions);
  const int64_t tiles = (count + kTile - 1) / kTile;
  LT_CHECK(tiles <= 0x7fffffff, NotImplementedError, op, "too many indices: ", count);
  Tensor offsets = empty({kDigits * tiles}, DType::Int64, dw.device());
  int bits = 0;
  while (bits < 63 && (num >> bits) != 0) ++bits;  // keys are at most num
  for (int shift = 0; shift < bits; shift += kDigitBits) {
    const unsigned grid = static_cast<unsigned>(tiles);
    digit_counts<<<grid, kSortThreads, 0, stream>>>(keys, count, shift, offsets.data_ptr<int64_t>());
    exclusive_scan<<<1, 1024, 0, stream>>>(offsets.data_ptr<int64_t>(), kDigits * tiles);
    scatter_digits<<<grid, kSortThreads, 0, stream>>>(keys, positions, count, shift, offsets.data_ptr<int64_t>(),
                                                      keys_alt, positions_alt);
    std::swap(keys, keys_alt);
    std::swap(positions, positions_alt);
  }

  // Sum the runs: chunks of at least 64 pairs, at most 1024 chunks (which bounds the
  // partial sums to 2048 rows of dim).
  const int64_t chunk = std::max<int64_t>(64, (count + 1023) / 1024);
  const int64_t chunks = (count + chunk - 1) / chunk;
  const int64_t width = std::min<int64_t>(128, (dim + 31) / 32 * 32);
  const int64_t slices = (dim + width - 1) / width;
  LT_CHECK(slices <= 65535, NotImplementedError, op, "rows of ", dim, " are too long");
  const dim3 grid(static_cast<unsigned>(chunks), static_cast<unsigned>(slices));
  rows::visit_floating(g.dtype(), op, [&](auto tag) {
    using T = decltype(tag);
    using C = compute_t<T>;
    Tensor partial = empty({2 * chunks * dim}, dtype_v<C>, dw.device());
    C* head = partial.data_ptr<C>();
    C* tail = head + chunks * dim;
    const unsigned threads = static_cast<unsigned>(width);
    T* out = dw.data_ptr<T>();
    sum_chunks<T><<<grid, threads, 0, stream>>>(keys, positions, count, num, chunk, g.data_ptr<T>(), dim, out, head,
                                                tail);
    join_chunks<T><<<grid, threads, 0, stream>>>(keys, count, num, chunk, dim, out, head, tail);
  });
  LT_GPU_CHECK_LAUNCH(op);
}

LT_REGISTER_KERNEL("embedding_backward", LT_GPU_KEY, TensorKernel, embedding_backward_kernel);

}  // namespace
}  // namespace lt::gpu
