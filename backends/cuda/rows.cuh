// The machinery of the fused row kernels (softmax, layer_norm, cross_entropy): each row
// is owned by a group of G threads (G a power of two), part of a warp for short rows or
// a whole block for long ones. A thread holds its slice of the row in registers as P
// packs of V elements (one 16-byte load each where the rows are aligned), so a row is
// read from memory once; rows too long for the registers (P = 0) stream from memory
// once per pass. Reductions across a group use warp shuffles, and shared memory between
// the warps of a block, and give every thread of the group the same bits.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <mutex>
#include <type_traits>
#include <utility>

#include "gpu.h"
#include "libtensor/dtype.h"

namespace lt::gpu::rows {

// --- values ----------------------------------------------------------------------------

template <class T, int V>
struct alignas(sizeof(T) * V) Pack {
  T v[V];
};

// Pack q of a row (elements q*V .. q*V + V - 1) as compute values.
template <int V, class T, class C>
__device__ inline void load_pack(const T* row, int64_t q, C (&out)[V]) {
  const Pack<T, V> p = reinterpret_cast<const Pack<T, V>*>(row)[q];
#pragma unroll
  for (int j = 0; j < V; ++j) out[j] = static_cast<C>(p.v[j]);
}

template <int V, class T, class C>
__device__ inline void store_pack(T* row, int64_t q, const C (&in)[V]) {
  Pack<T, V> p;
#pragma unroll
  for (int j = 0; j < V; ++j) p.v[j] = static_cast<T>(in[j]);
  reinterpret_cast<Pack<T, V>*>(row)[q] = p;
}

// Accurate exp and log of the compute type (no fast-math intrinsics: rows match the CPU's).
__device__ inline float exp_of(float x) { return ::expf(x); }
__device__ inline double exp_of(double x) { return ::exp(x); }
__device__ inline float log_of(float x) { return ::logf(x); }
__device__ inline double log_of(double x) { return ::log(x); }

template <class C>
__device__ inline C neg_inf() {
  return -std::numeric_limits<C>::infinity();
}

template <class C>
__device__ inline C quiet_nan() {
  return std::numeric_limits<C>::quiet_NaN();
}

// --- reductions -------------------------------------------------------------------------

struct SumOp {
  template <class C>
  __device__ C operator()(C a, C b) const { return a + b; }
};

// NaN is dropped by the maximum; every kernel that takes one also sums terms in which a
// NaN shows, so the rows with a NaN come out NaN all the same.
struct MaxOp {
  template <class C>
  __device__ C operator()(C a, C b) const {
    if constexpr (std::is_same_v<C, float>) {
      return ::fmaxf(a, b);
    } else {
      return ::fmax(a, b);
    }
  }
};

// Reduces K values across the group of G threads that owns a row, leaving the result in
// every thread of the group. G <= warpSize: shuffles within the group's lanes; otherwise
// the group is the whole block and every thread of it must call this.
template <int K, class C, class Op>
__device__ inline void group_reduce(C (&v)[K], int G, Op op) {
  const int width = G < warpSize ? G : warpSize;
  for (int d = width / 2; d > 0; d /= 2) {
#pragma unroll
    for (int k = 0; k < K; ++k) v[k] = op(v[k], shfl_xor(v[k], d));
  }
  if (G <= warpSize) return;
  __shared__ C scratch[K][32];  // one per warp: at most 1024 / 32
  const int lane = threadIdx.x % warpSize, warp = threadIdx.x / warpSize, warps = blockDim.x / warpSize;
  if (lane == 0) {
#pragma unroll
    for (int k = 0; k < K; ++k) scratch[k][warp] = v[k];
  }
  __syncthreads();
#pragma unroll
  for (int k = 0; k < K; ++k) {
    C r = scratch[k][0];
    for (int w = 1; w < warps; ++w) r = op(r, scratch[k][w]);
    v[k] = r;
  }
  __syncthreads();  // the scratch is free again for the next reduction
}

template <class C, class Op>
__device__ inline C group_reduce(C v, int G, Op op) {
  C a[1] = {v};
  group_reduce<1>(a, G, op);
  return a[0];
}

// The rows a block's groups take: rows first, first + stride, ... (uniform across the
// block, so that the reductions are reached by every thread, even those of a group
// whose row is past the end).
struct RowLoop {
  int G, tid, sub, per_block;
  __device__ explicit RowLoop(int g) : G(g), tid(threadIdx.x % g), sub(threadIdx.x / g), per_block(blockDim.x / g) {}
  __device__ int64_t begin() const { return int64_t{blockIdx.x} * per_block; }
  __device__ int64_t stride() const { return int64_t{gridDim.x} * per_block; }
};

// --- launch plans -----------------------------------------------------------------------

struct DeviceInfo {
  int warp_size = 32;
  int sms = 1;
};

// The device's warp size and multiprocessor count, asked once per device.
inline const DeviceInfo& device_info(int device) {
  constexpr int kMax = 64;
  static std::array<std::once_flag, kMax> once;
  static std::array<DeviceInfo, kMax> info;
  LT_CHECK(device >= 0 && device < kMax, DeviceError, "device_info", kName, " device ", device, " does not exist");
  std::call_once(once[device], [device] {
    gpuDeviceProp p;
    LT_GPU_CHECK("device_info", gpuGetDeviceProperties(&p, device));
    info[device] = {p.warpSize, p.multiProcessorCount};
  });
  return info[device];
}

inline int next_pow2(int64_t v) {
  int p = 1;
  while (p < v) p *= 2;
  return p;
}

// How a launch covers rows of n elements: packs of V (1, or 16 bytes' worth when
// `aligned`), P per thread (0: streamed), groups of G threads, blocks of `block`.
struct Plan {
  int V = 1, P = 1, G = 1, block = kBlockSize;
  unsigned grid = 1;
};

// The most packs of V a thread keeps per cached array: 64 bytes of compute values (32
// for single elements, which cost an address each) and at most 8 packs, a register
// budget that blocks of 1024 threads (64 registers each) afford without spilling.
template <class T>
constexpr int max_packs(int V) {
  const int p = static_cast<int>((V == 1 ? 32 : 64) / (V * sizeof(compute_t<T>)));
  return p > 8 ? 8 : p;
}

// The same for a warp's rows, whose blocks have kBlockSize threads (128 registers
// each): twice as many 16-byte packs, up to 1024 floats or 512 doubles a warp of 32.
template <class T>
constexpr int max_warp_packs(int V) {
  return V == 1 ? max_packs<T>(V) : static_cast<int>(128 / (V * sizeof(compute_t<T>)));
}

// The block size that a row kernel with P packs of V per thread is built for.
template <class T>
constexpr int row_threads(int V, int P) {
  return P <= max_packs<T>(V) ? 1024 : kBlockSize;
}

// Rows of at most warpSize * max_warp_packs packs go to groups within a warp; longer
// ones to a block of up to 1024 threads; longer still (over 16K floats, 8K doubles; 8K
// and 4K in unaligned rows), they stream.
template <class T>
Plan plan_rows(int64_t rows, int64_t n, bool aligned, int device) {
  const int ws = device_info(device).warp_size;
  Plan p;
  p.V = aligned ? static_cast<int>(16 / sizeof(T)) : 1;
  const int max_p = max_packs<T>(p.V);
  const int64_t packs = n / p.V;
  if (packs <= int64_t{ws} * max_warp_packs<T>(p.V)) {
    p.P = packs <= ws ? 1 : next_pow2((packs + ws - 1) / ws);
    p.G = packs <= ws ? next_pow2(packs < 1 ? 1 : packs) : ws;
    p.block = kBlockSize > ws ? kBlockSize : ws;
  } else {
    p.P = 0;
    for (int P = 1; P <= max_p; P *= 2) {
      if (packs <= int64_t{512} * P) {
        p.P = P;
        break;
      }
    }
    if (p.P == 0 && packs <= int64_t{1024} * max_p) p.P = max_p;
    p.G = p.P == 0 ? 512 : next_pow2((packs + p.P - 1) / p.P);
    if (p.G < 2 * ws) p.G = 2 * ws;
    if (p.G > 1024) p.G = 1024;
    p.block = p.G;
  }
  const int64_t per_block = p.block / p.G;
  const int64_t blocks = (rows + per_block - 1) / per_block;
  p.grid = static_cast<unsigned>(blocks < 1 ? 1 : (blocks > (1 << 30) ? (1 << 30) : blocks));
  return p;
}

inline bool aligned16(const void* p) { return reinterpret_cast<uintptr_t>(p) % 16 == 0; }

// Calls f(std::integral_constant<int, V>{}, std::integral_constant<int, P>{}) for the
// plan's V (1 or a 16-byte pack of T) and P (0 or a power of two up to
// max_warp_packs): only those are instantiated.
template <class T, class F>
void with_plan(const Plan& plan, F&& f) {
  constexpr int kVec = static_cast<int>(16 / sizeof(T));
  auto with_p = [&](auto v) {
    constexpr int V = decltype(v)::value;
    switch (plan.P) {
      case 0: return f(v, std::integral_constant<int, 0>{});
      case 1: return f(v, std::integral_constant<int, 1>{});
      case 2: if constexpr (2 <= max_warp_packs<T>(V)) return f(v, std::integral_constant<int, 2>{}); break;
      case 4: if constexpr (4 <= max_warp_packs<T>(V)) return f(v, std::integral_constant<int, 4>{}); break;
      case 8: if constexpr (8 <= max_warp_packs<T>(V)) return f(v, std::integral_constant<int, 8>{}); break;
      default: break;
    }
    fail<NotImplementedError>("rows", "no kernel for ", plan.P, " packs of ", V, " per thread");
  };
  if (plan.V == 1) {
    with_p(std::integral_constant<int, 1>{});
  } else {
    with_p(std::integral_constant<int, kVec>{});
  }
}

// Calls f(T{}) for the floating dtypes, which are all these kernels take.
template <class F>
void visit_floating(DType dtype, const char* op, F&& f) {
  switch (dtype) {
    case DType::Float16: return f(Half{});
    case DType::BFloat16: return f(BFloat16{});
    case DType::Float32: return f(float{});
    case DType::Float64: return f(double{});
    default: fail<DTypeError>(op, "expects a floating-point tensor, got ", name(dtype));
  }
}

}  // namespace lt::gpu::rows
