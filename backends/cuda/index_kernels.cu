// Advanced indexing, as backends/cpu/index_kernels.cpp: element offsets from index
// tensors, gathering rows (index) and scattering them (index_put). The definitions
// (src/ops/indexing.cpp) turn the index tensors into one int64 offset per row; the
// kernels see a strided row geometry and a list of row offsets, one thread per element.
//
// Out-of-range indices are found on the device: the offsets kernel posts one to the
// device's mailbox (device_errors.h). Gathers (index) go on without waiting, reading a
// harmless offset in its place, and the IndexError comes at the next wait; index_put
// waits for the check before anything is written.
//
// index_put without accumulate is deterministic as on the CPU, where rows are written
// in order and the last of duplicate rows wins: a hash table of the offsets keeps, for
// each, its largest row, and only that row writes. With accumulate, rows add up
// atomically (the order of float additions then varies).
#include <string>
#include <type_traits>

#include "atomics.cuh"
#include "device_errors.h"
#include "gpu.h"
#include "libtensor/error.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.cuh"

namespace lt::gpu {
namespace {

// --- offsets --------------------------------------------------------------------------

__device__ inline int64_t wrap(int64_t i, int64_t lowest, int64_t size, int64_t stride, const ErrorPost& post) {
  if (i < lowest || i >= size) {
    post_error(post, i);
    return 0;  // a harmless offset: a gather reads a real element, index_put never runs
  }
  return (i < 0 ? i + size : i) * stride;
}

struct FirstOffset {
  int64_t lowest, size, stride;
  ErrorPost post;
  template <class I>
  __device__ int64_t operator()(I i) const { return wrap(static_cast<int64_t>(i), lowest, size, stride, post); }
};

struct NextOffset {
  int64_t lowest, size, stride;
  ErrorPost post;
  template <class I>
  __device__ int64_t operator()(int64_t p, I i) const {
    return p + wrap(static_cast<int64_t>(i), lowest, size, stride, post);
  }
};

std::string describe_bad_index(long long value, int64_t dim, int64_t size) {
  return "index " + std::to_string(value) + " is out of bounds for dimension " + std::to_string(dim) + " with size " +
         std::to_string(size);
}

// out = [prev +] wrap(idx) * stride, checking each index against the dim's size.
// args: size, stride (in elements), dim (for the message), wraps (a negative index counts
// from the end), writes (the caller scatters through these offsets). Errors name the
// iterator's operator, a literal.
void index_offsets_kernel(TensorIterator& iter, ScalarList args) {
  const int64_t size = args[0].to_int(), stride = args[1].to_int(), dim = args[2].to_int();
  const int64_t lowest = args[3].to_int() != 0 ? -size : 0;
  const bool writes = args[4].to_int() != 0;
  const char* op = iter.op_name().data();
  const bool has_prev = iter.ninputs() == 2;
  const DType index_dtype = iter.dtype(iter.noperands() - 1);
  LT_CHECK(is_integral(index_dtype), DTypeError, op, "index tensors must be integral, got ", name(index_dtype));
  if (iter.numel() == 0) return;
  const Tensor& out = iter.output();
  const int device = out.device().index;
  DeviceGuard guard(device);
  const ErrorPost post = expect_index_error(device, op, describe_bad_index, dim, size);
  visit_dtype(index_dtype, [&](auto tag) {
    using I = decltype(tag);
    if constexpr (std::is_integral_v<I> && !std::is_same_v<I, bool>) {
      if (has_prev) {
        elementwise<int64_t, int64_t, I>(iter, NextOffset{lowest, size, stride, post});
      } else {
        elementwise<int64_t, I>(iter, FirstOffset{lowest, size, stride, post});
      }
    }
  });
  // index_put writes nothing through an unchecked index; a dim of size 0 has no element
  // for the gather to read in a bad index's place.
  if (writes || size == 0) {
    LT_GPU_CHECK(op, gpuStreamSynchronize(stream_for(out)));
    raise_posted_errors(device);
  }
}
LT_REGISTER_KERNEL("index_offsets", LT_GPU_KEY, IterKernel, index_offsets_kernel);

// --- rows -----------------------------------------------------------------------------

// The geometry shared by a row of the indexed tensor (a) and a row of the other operand
// (b), size-1 dims dropped and dims contiguous for both merged, as on the CPU; strides
// in bytes, the last dim fastest.
struct RowGeometry {
  int nd = 0;
  int64_t sizes[kMaxDims];
  int64_t a_strides[kMaxDims], b_strides[kMaxDims];
  int64_t numel = 1;

  // Byte offsets of element e of a row in a and b.
  __device__ void offsets(int64_t e, int64_t& a, int64_t& b) const {
    a = 0, b = 0;
    for (int d = nd - 1; d >= 0; --d) {
      const int64_t i = e % sizes[d];
      e /= sizes[d];
      a += i * a_strides[d];
      b += i * b_strides[d];
    }
  }
};

RowGeometry row_geometry(IntList sizes, IntList a_strides, IntList b_strides, int64_t itemsize, const char* op) {
  RowGeometry g;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] == 1) continue;
    g.numel *= sizes[d];
    const int64_t as = a_strides[d] * itemsize, bs = b_strides[d] * itemsize;
    if (g.nd > 0 && g.a_strides[g.nd - 1] == as * sizes[d] && g.b_strides[g.nd - 1] == bs * sizes[d]) {
      g.sizes[g.nd - 1] *= sizes[d];
      g.a_strides[g.nd - 1] = as;
      g.b_strides[g.nd - 1] = bs;
      continue;
    }
    LT_CHECK(g.nd < kMaxDims, NotImplementedError, op, kName, " kernels take at most ", kMaxDims,
             " dims after merging");
    g.sizes[g.nd] = sizes[d];
    g.a_strides[g.nd] = as;
    g.b_strides[g.nd] = bs;
    ++g.nd;
  }
  return g;
}

// Calls f with an unsigned type of `itemsize` bytes: rows move as raw words.
template <class F>
void visit_word(int64_t itemsize, F&& f) {
  switch (itemsize) {
    case 1: return f(uint8_t{});
    case 2: return f(uint16_t{});
    case 4: return f(uint32_t{});
    default: return f(uint64_t{});
  }
}

// out[r] (byte stride os between rows) = the row of src at element offset off[r].
template <class W>
__global__ void gather_rows_kernel(char* out, int64_t os, const char* src, const int64_t* off, int64_t n, RowGeometry g) {
  const int64_t total = n * g.numel;
  for (int64_t t = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; t < total; t += int64_t{gridDim.x} * blockDim.x) {
    const int64_t r = t / g.numel, e = t - r * g.numel;
    int64_t a, b;
    g.offsets(e, a, b);
    *reinterpret_cast<W*>(out + r * os + a) =
        *reinterpret_cast<const W*>(src + off[r] * static_cast<int64_t>(sizeof(W)) + b);
  }
}

// tensors: out (n, rest...) of any strides, src (rest...) at the indexed tensor's
// base, offsets (n) int64 contiguous. out[r] = the row of src at offset offsets[r].
void index_kernel(std::span<Tensor> t, ScalarList) {
  const Tensor &out = t[0], &src = t[1], &offsets = t[2];
  const int64_t n = out.size(0);
  Shape out_rest(out.strides().begin() + 1, out.strides().end());
  const RowGeometry g = row_geometry(src.sizes(), out_rest, src.strides(), out.itemsize(), "index");
  if (n == 0 || g.numel == 0) return;
  DeviceGuard guard(out.device().index);
  const int64_t os = out.stride(0) * out.itemsize();
  visit_word(out.itemsize(), [&](auto tag) {
    using W = decltype(tag);
    gather_rows_kernel<W><<<grid_for(n * g.numel, 4), kBlockSize, 0, stream_for(out)>>>(
        static_cast<char*>(out.data()), os, static_cast<const char*>(src.data()), offsets.data_ptr<int64_t>(), n, g);
  });
  LT_GPU_CHECK_LAUNCH("index");
}
LT_REGISTER_KERNEL("index", LT_GPU_KEY, TensorKernel, index_kernel);

// --- index_put ----------------------------------------------------------------------------

// Which rows write, when several share an offset: an open-addressing table of
// (offset, largest row) pairs, keyed by the offset.
constexpr unsigned long long kEmpty = ~0ull;  // offsets are never negative

__device__ inline uint64_t slot_of(uint64_t key, uint64_t mask) {
  key ^= key >> 33;  // a 64-bit finalizer, so that strided offsets spread over the table
  key *= 0xff51afd7ed558ccdull;
  key ^= key >> 33;
  return key & mask;
}

__global__ void claim_kernel(const int64_t* off, int64_t n, unsigned long long* keys, unsigned long long* rows,
                             uint64_t mask) {
  for (int64_t r = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; r < n; r += int64_t{gridDim.x} * blockDim.x) {
    const auto key = static_cast<unsigned long long>(off[r]);
    for (uint64_t h = slot_of(key, mask);; h = (h + 1) & mask) {
      const unsigned long long prev = atomicCAS(&keys[h], kEmpty, key);
      if (prev == kEmpty || prev == key) {
        atomicMax(&rows[h], static_cast<unsigned long long>(r));
        break;
      }
    }
  }
}

__global__ void keep_kernel(const int64_t* off, int64_t n, const unsigned long long* keys,
                            const unsigned long long* rows, uint64_t mask, uint8_t* keep) {
  for (int64_t r = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; r < n; r += int64_t{gridDim.x} * blockDim.x) {
    const auto key = static_cast<unsigned long long>(off[r]);
    uint64_t h = slot_of(key, mask);
    while (keys[h] != key) h = (h + 1) & mask;
    keep[r] = rows[h] == static_cast<unsigned long long>(r) ? 1 : 0;
  }
}

// The rows (of n) that write: for each offset, the last row naming it. The result lives
// until the caller's kernels ran (the caching allocator reuses it in stream order).
Tensor last_writers(const Tensor& offsets, int64_t n, gpuStream_t stream) {
  uint64_t capacity = 2;
  while (capacity < static_cast<uint64_t>(n) + static_cast<uint64_t>(n) / 2) capacity *= 2;  // load <= 2/3
  Tensor table = empty({static_cast<int64_t>(2 * capacity)}, DType::Int64, offsets.device());
  auto* keys = reinterpret_cast<unsigned long long*>(table.data_ptr<int64_t>());
  unsigned long long* rows = keys + capacity;
  LT_GPU_CHECK("index_put", gpuMemsetAsync(keys, 0xff, capacity * sizeof(unsigned long long), stream));
  LT_GPU_CHECK("index_put", gpuMemsetAsync(rows, 0, capacity * sizeof(unsigned long long), stream));
  Tensor keep = empty({n}, DType::UInt8, offsets.device());
  const int64_t* off = offsets.data_ptr<int64_t>();
  claim_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(off, n, keys, rows, capacity - 1);
  keep_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(off, n, keys, rows, capacity - 1, keep.data_ptr<uint8_t>());
  LT_GPU_CHECK_LAUNCH("index_put");
  return keep;
}

// The row of dst at offset off[r] = values[r] (byte stride vs between rows), for the rows
// that keep (all when keep is null).
template <class W>
__global__ void scatter_rows_kernel(char* dst, const char* values, int64_t vs, const int64_t* off, const uint8_t* keep,
                                    int64_t n, RowGeometry g) {
  const int64_t total = n * g.numel;
  for (int64_t t = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; t < total; t += int64_t{gridDim.x} * blockDim.x) {
    const int64_t r = t / g.numel, e = t - r * g.numel;
    if (keep && !keep[r]) continue;
    int64_t a, b;
    g.offsets(e, a, b);
    *reinterpret_cast<W*>(dst + off[r] * static_cast<int64_t>(sizeof(W)) + a) =
        *reinterpret_cast<const W*>(values + r * vs + b);
  }
}

// The row of dst at offset off[r] += values[r], atomically.
template <class T>
__global__ void accumulate_rows_kernel(char* dst, const char* values, int64_t vs, const int64_t* off, int64_t n,
                                       RowGeometry g) {
  const int64_t total = n * g.numel;
  for (int64_t t = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; t < total; t += int64_t{gridDim.x} * blockDim.x) {
    const int64_t r = t / g.numel, e = t - r * g.numel;
    int64_t a, b;
    g.offsets(e, a, b);
    atomic_add(reinterpret_cast<T*>(dst + off[r] * static_cast<int64_t>(sizeof(T)) + a),
               *reinterpret_cast<const T*>(values + r * vs + b));
  }
}

// tensors: dst (rest...) at the indexed tensor's base, values (n, rest...) of dst's
// dtype and any strides, offsets (n) int64 contiguous; args: accumulate. As on the CPU,
// the last of duplicate rows wins, or all add up with accumulate.
void index_put_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &dst = t[0], &values = t[1], &offsets = t[2];
  const bool acc = args[0].to_int() != 0;
  const int64_t n = values.size(0);
  Shape val_rest(values.strides().begin() + 1, values.strides().end());
  const RowGeometry g = row_geometry(dst.sizes(), dst.strides(), val_rest, dst.itemsize(), "index_put");
  if (n == 0 || g.numel == 0) return;
  DeviceGuard guard(dst.device().index);
  gpuStream_t stream = stream_for(dst);
  char* d = static_cast<char*>(dst.data());
  const char* v = static_cast<const char*>(values.data());
  const int64_t vs = values.stride(0) * values.itemsize();
  const int64_t* off = offsets.data_ptr<int64_t>();
  const unsigned grid = grid_for(n * g.numel, 4);
  if (acc) {
    visit_dtype(dst.dtype(), [&](auto tag) {
      accumulate_rows_kernel<decltype(tag)><<<grid, kBlockSize, 0, stream>>>(d, v, vs, off, n, g);
    });
  } else {
    const Tensor keep = n > 1 ? last_writers(offsets, n, stream) : Tensor();
    const uint8_t* k = n > 1 ? keep.data_ptr<uint8_t>() : nullptr;
    visit_word(dst.itemsize(), [&](auto tag) {
      scatter_rows_kernel<decltype(tag)><<<grid, kBlockSize, 0, stream>>>(d, v, vs, off, k, n, g);
    });
  }
  LT_GPU_CHECK_LAUNCH("index_put");
}
LT_REGISTER_KERNEL("index_put", LT_GPU_KEY, TensorKernel, index_put_kernel);

}  // namespace
}  // namespace lt::gpu
