// The GPU loops over a TensorIterator, as backends/cpu/loops.h is for the CPU: every
// elementwise kernel is a call of elementwise<Out, In...>(iter, f), every reduction a
// call of reduce<In, Acc>(iter, r). f and r are functor objects with __device__ call
// operators (templated on the value type, so one functor serves every dtype).
//
// Elementwise: a contiguous iteration whose pointers are 16-byte aligned moves 16-byte
// packs per thread; anything else walks the iterator's byte strides. Reductions: rows
// along memory are reduced by a block each with warp shuffles; columns by a thread each.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <type_traits>
#include <utility>

#include "gpu.h"
#include "libtensor/dtype.h"
#include "libtensor/iterator.h"
#include "libtensor/ops.h"
#include "libtensor/tensor.h"

namespace lt::gpu {

// --- values -------------------------------------------------------------------------

// Converts through the compute type, as the CPU does: Half and BFloat16 round once, bool
// is "not zero".
template <class To, class From>
__host__ __device__ inline To convert(From v) {
  if constexpr (std::is_same_v<To, bool>) {
    return static_cast<compute_t<From>>(v) != compute_t<From>(0);
  } else if constexpr (std::is_same_v<To, Half> || std::is_same_v<To, BFloat16>) {
    return To(static_cast<float>(v));
  } else {
    return static_cast<To>(static_cast<compute_t<From>>(v));
  }
}

template <class T>
__device__ inline compute_t<T> load_as_compute(const char* p) {
  return static_cast<compute_t<T>>(*reinterpret_cast<const T*>(p));
}

// --- geometry -----------------------------------------------------------------------

inline constexpr int kMaxDims = 12;

// The iterator's shape and byte strides, by value into a kernel's parameters.
template <int N>
struct Geometry {
  int ndim = 0;
  int64_t sizes[kMaxDims];
  int64_t strides[kMaxDims][N];
  char* data[N];

  // Byte offsets of linear element i (dim 0 fastest) for every operand.
  __device__ void offsets(int64_t i, int64_t (&off)[N]) const {
#pragma unroll
    for (int k = 0; k < N; ++k) off[k] = 0;
    for (int d = 0; d < ndim; ++d) {
      const int64_t idx = i % sizes[d];
      i /= sizes[d];
#pragma unroll
      for (int k = 0; k < N; ++k) off[k] += idx * strides[d][k];
    }
  }
};

// n / d and n % d for 32-bit n by a multiply and a shift (d fixed per launch): integer
// division is a long instruction sequence on GPUs, and a strided kernel does one per dim
// per element. m and s as in Granlund and Montgomery: s = ceil(log2 d),
// m = floor(2^32 (2^s - d) / d) + 1, valid for n, d < 2^31.
struct FastDivider {
  uint32_t d = 1, m = 0, s = 0;
  FastDivider() = default;
  explicit FastDivider(uint32_t divisor) : d(divisor) {
    while ((uint64_t{1} << s) < d) ++s;
    m = static_cast<uint32_t>(((uint64_t{1} << 32) * ((uint64_t{1} << s) - d)) / d + 1);
  }
  __device__ uint32_t div(uint32_t n) const { return (__umulhi(n, m) + n) >> s; }
};

// Geometry in 32-bit arithmetic, for iterations whose every offset fits: the common case.
template <int N>
struct Geometry32 {
  int ndim = 0;
  FastDivider sizes[kMaxDims];
  int32_t strides[kMaxDims][N];
  char* data[N];

  __device__ void offsets(uint32_t i, int64_t (&off)[N]) const {
    int32_t o[N];
#pragma unroll
    for (int k = 0; k < N; ++k) o[k] = 0;
    for (int d = 0; d < ndim; ++d) {
      const uint32_t q = sizes[d].div(i), idx = i - q * sizes[d].d;
      i = q;
#pragma unroll
      for (int k = 0; k < N; ++k) o[k] += static_cast<int32_t>(idx) * strides[d][k];
    }
#pragma unroll
    for (int k = 0; k < N; ++k) off[k] = o[k];
  }
};

// Whether every element index and byte offset of the iteration fits in 31 bits.
inline bool fits_32_bits(const TensorIterator& iter) {
  constexpr int64_t kLimit = int64_t{1} << 31;
  if (iter.numel() >= kLimit) return false;
  for (int k = 0; k < iter.noperands(); ++k) {
    int64_t reach = 0;
    for (int d = 0; d < iter.ndim(); ++d) reach += std::abs(iter.strides(k)[d]) * (iter.shape()[d] - 1);
    if (reach >= kLimit) return false;
  }
  return true;
}

template <int N>
Geometry32<N> geometry32_of(const TensorIterator& iter) {
  Geometry32<N> g;
  LT_CHECK(iter.ndim() <= kMaxDims, NotImplementedError, iter.op_name(), kName, " kernels take at most ", kMaxDims,
           " dims after merging, got ", iter.ndim());
  g.ndim = iter.ndim();
  for (int d = 0; d < g.ndim; ++d) {
    g.sizes[d] = FastDivider(static_cast<uint32_t>(iter.shape()[d]));
    for (int k = 0; k < N; ++k) g.strides[d][k] = static_cast<int32_t>(iter.strides(k)[d]);
  }
  for (int k = 0; k < N; ++k) g.data[k] = iter.data(k);
  return g;
}

template <int N>
Geometry<N> geometry_of(const TensorIterator& iter) {
  Geometry<N> g;
  LT_CHECK(iter.ndim() <= kMaxDims, NotImplementedError, iter.op_name(), kName, " kernels take at most ", kMaxDims,
           " dims after merging, got ", iter.ndim());
  g.ndim = iter.ndim();
  for (int d = 0; d < g.ndim; ++d) {
    g.sizes[d] = iter.shape()[d];
    for (int k = 0; k < N; ++k) g.strides[d][k] = iter.strides(k)[d];
  }
  for (int k = 0; k < N; ++k) g.data[k] = iter.data(k);
  return g;
}

// The stream that kernels on the iterator's device run on.
inline gpuStream_t stream_for(const Tensor& t) { return current_stream(t.device().index); }

// --- elementwise ----------------------------------------------------------------------

namespace detail {

template <class T, int V>
struct alignas(sizeof(T) * V) Pack {
  T v[V];
};

template <class Out, class... In, class G, class Index, class F, size_t... I>
__device__ inline void strided_element(const G& g, Index i, const F& f, std::index_sequence<I...>) {
  constexpr int N = sizeof...(In) + 1;
  int64_t off[N];
  g.offsets(i, off);
  *reinterpret_cast<Out*>(g.data[0] + off[0]) = convert<Out>(f(load_as_compute<In>(g.data[I + 1] + off[I + 1])...));
}

// (A __global__ template may have one parameter pack, last: the types of the inputs.)
template <class Out, class F, class... In>
__global__ void strided_kernel(int64_t n, Geometry<sizeof...(In) + 1> g, F f) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n; i += int64_t{gridDim.x} * blockDim.x) {
    strided_element<Out, In...>(g, i, f, std::index_sequence_for<In...>{});
  }
}

template <class Out, class F, class... In>
__global__ void strided_kernel32(uint32_t n, Geometry32<sizeof...(In) + 1> g, F f) {
  for (uint32_t i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
    strided_element<Out, In...>(g, i, f, std::index_sequence_for<In...>{});
  }
}

// Operands of a flat loop; an input marked scalar is one element that every element
// reads (a broadcast 0-dim tensor: `x * 0.5`).
// Iterations whose operands all step one element at a time along the inner dim (a
// transpose of the outer dims, a broadcast bias or mask) move a pack of V elements per
// thread: the geometry then counts packs along dim 0.
template <int V, class Out, class... In, class F, int N, size_t... I>
__device__ inline void strided_pack(const Geometry32<N>& g, uint32_t p, const F& f, std::index_sequence<I...>) {
  int64_t off[N];
  g.offsets(p, off);
  auto packs = std::make_tuple(*reinterpret_cast<const Pack<In, V>*>(g.data[I + 1] + off[I + 1])...);
  Pack<Out, V> o;
#pragma unroll
  for (int j = 0; j < V; ++j) o.v[j] = convert<Out>(f(static_cast<compute_t<In>>(std::get<I>(packs).v[j])...));
  *reinterpret_cast<Pack<Out, V>*>(g.data[0] + off[0]) = o;
}

template <int V, class Out, class F, class... In>
__global__ void strided_pack_kernel32(uint32_t n, Geometry32<sizeof...(In) + 1> g, F f) {
  for (uint32_t p = blockIdx.x * blockDim.x + threadIdx.x; p < n; p += gridDim.x * blockDim.x) {
    strided_pack<V, Out, In...>(g, p, f, std::index_sequence_for<In...>{});
  }
}

// Whether every operand's inner dim is contiguous and every pack of V starts aligned to
// its size (the pointers and the outer strides, in bytes).
inline bool packs_fit(const TensorIterator& iter, int V) {
  if (V < 2 || iter.ndim() < 2 || iter.shape()[0] % V != 0) return false;
  for (int k = 0; k < iter.noperands(); ++k) {
    const int64_t item = itemsize(iter.dtype(k)), bytes = V * item;
    if (iter.strides(k)[0] != item || reinterpret_cast<uintptr_t>(iter.data(k)) % bytes != 0) return false;
    for (int d = 1; d < iter.ndim(); ++d) {
      if (iter.strides(k)[d] % bytes != 0) return false;
    }
  }
  return true;
}

template <int N>
struct Pointers {
  char* p[N];
  bool scalar[N];
};

template <class T, int V>
__device__ inline Pack<T, V> pack_at(const char* p, bool scalar, int64_t i) {
  if (!scalar) return reinterpret_cast<const Pack<T, V>*>(p)[i];
  Pack<T, V> r;
  const T v = *reinterpret_cast<const T*>(p);
#pragma unroll
  for (int j = 0; j < V; ++j) r.v[j] = v;
  return r;
}

template <int V, class Out, class... In, class F, int N, size_t... I>
__device__ inline void contiguous_pack(const Pointers<N>& ptr, int64_t p, const F& f, std::index_sequence<I...>) {
  // Each operand's pack is one 16-byte (or narrower) load; the loop then works on registers.
  auto packs = std::make_tuple(pack_at<In, V>(ptr.p[I + 1], ptr.scalar[I + 1], p)...);
  Pack<Out, V> o;
#pragma unroll
  for (int j = 0; j < V; ++j) o.v[j] = convert<Out>(f(static_cast<compute_t<In>>(std::get<I>(packs).v[j])...));
  reinterpret_cast<Pack<Out, V>*>(ptr.p[0])[p] = o;
}

template <class Out, class... In, class F, int N, size_t... I>
__device__ inline void contiguous_element(const Pointers<N>& ptr, int64_t i, const F& f, std::index_sequence<I...>) {
  reinterpret_cast<Out*>(ptr.p[0])[i] = convert<Out>(
      f(static_cast<compute_t<In>>(reinterpret_cast<const In*>(ptr.p[I + 1])[ptr.scalar[I + 1] ? 0 : i])...));
}

// V elements per thread per step, each operand moved as one aligned pack.
template <int V, class Out, class F, class... In>
__global__ void contiguous_kernel(int64_t n, Pointers<sizeof...(In) + 1> ptr, F f) {
  using Seq = std::index_sequence_for<In...>;
  const int64_t packs = n / V;
  const int64_t stride = int64_t{gridDim.x} * blockDim.x;
  for (int64_t p = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; p < packs; p += stride) {
    contiguous_pack<V, Out, In...>(ptr, p, f, Seq{});
  }
  for (int64_t i = packs * V + blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n; i += stride) {
    contiguous_element<Out, In...>(ptr, i, f, Seq{});
  }
}

template <class T>
constexpr int pack_width() {
  return 16 / sizeof(T) > 0 ? static_cast<int>(16 / sizeof(T)) : 1;
}

template <class... T>
constexpr int min_pack() {
  int v = 16;
  ((v = pack_width<T>() < v ? pack_width<T>() : v), ...);
  return v;
}

inline bool aligned16(const void* p) { return reinterpret_cast<uintptr_t>(p) % 16 == 0; }

}  // namespace detail

// out = f(in...) for every element of the iterator; f takes compute_t<In> values and
// returns something convertible to Out. Launched on the current stream of the output's
// device; returns without waiting.
template <class Out, class... In, class F>
void elementwise(const TensorIterator& iter, F f) {
  constexpr int N = sizeof...(In) + 1;
  const int64_t n = iter.numel();
  if (n == 0) return;
  DeviceGuard guard(iter.output().device().index);
  gpuStream_t stream = stream_for(iter.output());
  // One flat dim where every input either steps with the output or is a scalar.
  bool flat = iter.ndim() <= 1 && iter.is_inner_contiguous(0);
  for (int k = 1; flat && k < N; ++k) flat = iter.is_inner_contiguous(k) || iter.strides(k)[0] == 0;
  if (flat) {
    detail::Pointers<N> ptr;
    bool aligned = true;
    for (int k = 0; k < N; ++k) {
      ptr.p[k] = iter.data(k);
      ptr.scalar[k] = k > 0 && iter.ndim() == 1 && iter.strides(k)[0] == 0;
      aligned = aligned && (ptr.scalar[k] || detail::aligned16(ptr.p[k]));
    }
    constexpr int V = detail::min_pack<Out, In...>();
    if (aligned) {
      detail::contiguous_kernel<V, Out, F, In...><<<grid_for(n, V * 4), kBlockSize, 0, stream>>>(n, ptr, f);
    } else {
      detail::contiguous_kernel<1, Out, F, In...><<<grid_for(n, 4), kBlockSize, 0, stream>>>(n, ptr, f);
    }
  } else if (constexpr int V = detail::min_pack<Out, In...>(); fits_32_bits(iter) && detail::packs_fit(iter, V)) {
    Geometry32<N> g = geometry32_of<N>(iter);
    g.sizes[0] = FastDivider(static_cast<uint32_t>(iter.shape()[0] / V));
    for (int k = 0; k < N; ++k) g.strides[0][k] *= V;
    const int64_t packs = n / V;
    detail::strided_pack_kernel32<V, Out, F, In...><<<grid_for(packs, 4), kBlockSize, 0, stream>>>(
        static_cast<uint32_t>(packs), g, f);
  } else if (fits_32_bits(iter)) {
    detail::strided_kernel32<Out, F, In...><<<grid_for(n, 4), kBlockSize, 0, stream>>>(static_cast<uint32_t>(n),
                                                                                       geometry32_of<N>(iter), f);
  } else {
    detail::strided_kernel<Out, F, In...><<<grid_for(n, 4), kBlockSize, 0, stream>>>(n, geometry_of<N>(iter), f);
  }
  LT_GPU_CHECK_LAUNCH(iter.op_name());
}

// --- reductions -----------------------------------------------------------------------

// A reducer R provides __device__ Acc identity(), Acc combine(Acc, Acc) and
// Acc lift(compute_t<In>), as on the CPU.
namespace detail {

// Combines v across the block; the result is valid in thread 0.
template <class Acc, class R>
__device__ Acc block_combine(Acc v, const R& r) {
  __shared__ char scratch_bytes[sizeof(Acc) * 64];  // one per warp: at most 1024 / 16
  Acc* scratch = reinterpret_cast<Acc*>(scratch_bytes);
  for (int d = warpSize / 2; d > 0; d /= 2) v = r.combine(v, shfl_down(v, d));
  const int lane = threadIdx.x % warpSize, warp = threadIdx.x / warpSize;
  const int warps = (blockDim.x + warpSize - 1) / warpSize;
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  if (warp == 0) {
    v = lane < warps ? scratch[lane] : r.identity();
    for (int d = warpSize / 2; d > 0; d /= 2) v = r.combine(v, shfl_down(v, d));
  }
  __syncthreads();
  return v;
}

// One block per output: reduces n0 elements of byte stride is0 starting at in + j * is1.
template <class In, class Acc, class R>
__global__ __launch_bounds__(1024) void reduce_rows_kernel(const char* in, int64_t n0, int64_t is0, int64_t is1, Acc* out, int64_t ostride,
                                   int64_t n1, R r) {
  for (int64_t j = blockIdx.x; j < n1; j += gridDim.x) {
    const char* row = in + j * is1;
    Acc acc = r.identity();
    // Unrolled so that several loads are in flight before the first add needs one.
#pragma unroll 4
    for (int64_t i = threadIdx.x; i < n0; i += blockDim.x) acc = r.combine(acc, r.lift(load_as_compute<In>(row + i * is0)));
    acc = block_combine<Acc>(acc, r);
    if (threadIdx.x == 0) out[j * ostride] = acc;
  }
}

// A few long rows (a whole tensor's sum): block (p, j) reduces elements p * blockDim.x +
// threadIdx.x, then every gridDim.x * blockDim.x on, of row j into partial[j][p]; one
// block per row then combines the parts, in a fixed order.
template <class In, class Acc, class R>
__global__ void reduce_rows_partial_kernel(const char* in, int64_t n0, int64_t is0, int64_t is1, Acc* partial, R r) {
  const char* row = in + blockIdx.y * is1;
  const int64_t step = int64_t{gridDim.x} * blockDim.x;
  Acc acc = r.identity();
#pragma unroll 4
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n0; i += step) {
    acc = r.combine(acc, r.lift(load_as_compute<In>(row + i * is0)));
  }
  acc = block_combine<Acc>(acc, r);
  if (threadIdx.x == 0) partial[blockIdx.y * gridDim.x + blockIdx.x] = acc;
}

template <class Acc, class R>
__global__ void combine_row_partials_kernel(const Acc* partial, int parts, Acc* out, int64_t ostride, R r) {
  const Acc* row = partial + blockIdx.x * int64_t{parts};
  Acc acc = r.identity();
  for (int p = threadIdx.x; p < parts; p += blockDim.x) acc = r.combine(acc, row[p]);
  acc = block_combine<Acc>(acc, r);
  if (threadIdx.x == 0) out[blockIdx.x * ostride] = acc;
}

// One thread per output of a vertical reduction: output k reduces n1 rows (byte stride
// is1) at column k (byte stride is0); neighbouring threads read neighbouring columns.
template <class In, class Acc, class R>
__global__ void reduce_columns_kernel(const char* in, int64_t n0, int64_t is0, int64_t n1, int64_t is1, Acc* out, R r) {
  for (int64_t k = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; k < n0; k += int64_t{gridDim.x} * blockDim.x) {
    Acc acc = r.identity();
    for (int64_t i = 0; i < n1; ++i) acc = r.combine(acc, r.lift(load_as_compute<In>(in + k * is0 + i * is1)));
    out[k] = acc;
  }
}

// Partial reductions of long columns (a bias's gradient: rows of a batch summed). A
// block is kColumns neighbouring columns by kLanes row lanes; lane l of part y reads rows
// y * kLanes + l, then every kLanes * gridDim.y rows on; the lanes combine in a fixed
// order, and partial[y][column] holds the part's result.
inline constexpr int kColumns = 32, kLanes = 16;

template <class In, class Acc, class R>
__global__ __launch_bounds__(kColumns * kLanes) void reduce_columns_partial_kernel(
    const char* in, int64_t n0, int64_t is0, int64_t n1, int64_t is1, Acc* partial, R r) {
  __shared__ char bytes[sizeof(Acc) * kColumns * kLanes];
  Acc* lanes = reinterpret_cast<Acc*>(bytes);
  const int64_t k = blockIdx.x * int64_t{kColumns} + threadIdx.x;
  Acc acc = r.identity();
  if (k < n0) {
    const int64_t step = int64_t{gridDim.y} * kLanes;
    for (int64_t i = blockIdx.y * int64_t{kLanes} + threadIdx.y; i < n1; i += step) {
      acc = r.combine(acc, r.lift(load_as_compute<In>(in + k * is0 + i * is1)));
    }
  }
  lanes[threadIdx.y * kColumns + threadIdx.x] = acc;
  __syncthreads();
  if (threadIdx.y != 0 || k >= n0) return;
  for (int l = 1; l < kLanes; ++l) acc = r.combine(acc, lanes[l * kColumns + threadIdx.x]);
  partial[blockIdx.y * n0 + k] = acc;
}

template <class Acc, class R>
__global__ void combine_partials_kernel(const Acc* partial, int64_t parts, int64_t n0, Acc* out, R r) {
  const int64_t k = blockIdx.x * int64_t{blockDim.x} + threadIdx.x;
  if (k >= n0) return;
  Acc acc = r.identity();
  for (int64_t p = 0; p < parts; ++p) acc = r.combine(acc, partial[p * n0 + k]);
  out[k] = acc;
}

}  // namespace detail

// Reduces the iterator's input into its output (contiguous, of type Acc). The geometry
// is {reduced, kept} (output stride 0 along dim 0) or {kept, reduced}, as on the CPU.
template <class In, class Acc, class R>
void reduce(const TensorIterator& iter, const R& r) {
  const Tensor& output = iter.output();
  if (output.numel() == 0) return;
  DeviceGuard guard(output.device().index);
  gpuStream_t stream = stream_for(output);
  Acc* out = reinterpret_cast<Acc*>(iter.data(0));
  const char* in = iter.data(1);
  int64_t n0 = 1, n1 = 1, os0 = 0, os1 = sizeof(Acc), is0 = 0, is1 = 0;
  if (iter.ndim() >= 1) n0 = iter.shape()[0], os0 = iter.strides(0)[0], is0 = iter.strides(1)[0];
  if (iter.ndim() >= 2) n1 = iter.shape()[1], os1 = iter.strides(0)[1], is1 = iter.strides(1)[1];
  if (os0 == 0 && n1 <= 256 && n0 >= 65536) {  // a few long rows: split each, then combine
    const int64_t ostride = os1 / static_cast<int64_t>(sizeof(Acc));
    const int parts = static_cast<int>(std::clamp<int64_t>(n0 / (kBlockSize * 16), 1, 1024 / n1 > 1 ? 1024 / n1 : 1));
    Tensor partial = empty({parts * n1 * static_cast<int64_t>(sizeof(Acc))}, DType::UInt8, output.device());
    Acc* p = reinterpret_cast<Acc*>(partial.data_ptr<uint8_t>());
    const dim3 grid(static_cast<unsigned>(parts), static_cast<unsigned>(n1));
    detail::reduce_rows_partial_kernel<In, Acc><<<grid, kBlockSize, 0, stream>>>(in, n0, is0, is1, p, r);
    detail::combine_row_partials_kernel<Acc><<<static_cast<unsigned>(n1), kBlockSize, 0, stream>>>(p, parts, out, ostride, r);
  } else if (os0 == 0) {  // rows along dim 0, one per output (no dims: one row of one)
    const int64_t ostride = os1 / static_cast<int64_t>(sizeof(Acc));
    const unsigned blocks = static_cast<unsigned>(n1 < 65535 * 16 ? n1 : 65535 * 16);
    // A few rows of thousands (a loss's sum over a batch): wide blocks, fewer loads each.
    const int threads = n1 < 64 && n0 >= 4096 ? 1024 : kBlockSize;
    detail::reduce_rows_kernel<In, Acc><<<blocks, threads, 0, stream>>>(in, n0, is0, is1, out, ostride, n1, r);
  } else if (n0 >= 4096 || n1 < 64) {
    detail::reduce_columns_kernel<In, Acc><<<grid_for(n0), kBlockSize, 0, stream>>>(in, n0, is0, n1, is1, out, r);
  } else {
    // Few outputs over many rows: split the rows into parts of at least 16 rows per lane,
    // enough blocks to fill the device, then combine the parts.
    using detail::kColumns, detail::kLanes;
    const int64_t column_blocks = (n0 + kColumns - 1) / kColumns;
    const int64_t parts = std::clamp<int64_t>(n1 / (16 * kLanes), 1, std::max<int64_t>(64, 2048 / column_blocks));
    Tensor partial = empty({parts * n0 * static_cast<int64_t>(sizeof(Acc))}, DType::UInt8, output.device());
    Acc* p = reinterpret_cast<Acc*>(partial.data_ptr<uint8_t>());
    const dim3 grid(static_cast<unsigned>(column_blocks), static_cast<unsigned>(parts)), block(kColumns, kLanes);
    detail::reduce_columns_partial_kernel<In, Acc><<<grid, block, 0, stream>>>(in, n0, is0, n1, is1, p, r);
    detail::combine_partials_kernel<Acc><<<grid_for(n0), kBlockSize, 0, stream>>>(p, parts, n0, out, r);
  }
  LT_GPU_CHECK_LAUNCH(iter.op_name());
}

}  // namespace lt::gpu
