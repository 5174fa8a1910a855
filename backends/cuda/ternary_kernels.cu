// where, clamp and lerp of the GPU backend, as backends/cpu/ternary_kernels.cpp.
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "gpu.h"
#include "libtensor/registry.h"
#include "loops.cuh"

namespace lt::gpu {
namespace {

struct Where {
  template <class C>
  __device__ C operator()(bool c, C a, C b) const { return c ? a : b; }
};

// Operands: out, condition (bool), a, b.
void where_kernel(TensorIterator& iter, ScalarList) {
  visit_dtype(iter.dtype(0), [&](auto tag) {
    using T = decltype(tag);
    elementwise<T, bool, T, T>(iter, Where{});
  });
}
LT_REGISTER_KERNEL("where", LT_GPU_KEY, IterKernel, where_kernel);

// NaN inputs stay NaN.
template <class C>
struct Clamp {
  C lo, hi;
  bool has_lo, has_hi;
  __device__ C operator()(C x) const {
    if constexpr (std::is_floating_point_v<C>) {
      if (x != x) return x;
    }
    if (has_lo && x < lo) x = lo;
    if (has_hi && x > hi) x = hi;
    return x;
  }
};

// args: min, max, and a mask of which were given (1: min, 2: max).
void clamp_kernel(TensorIterator& iter, ScalarList args) {
  const int64_t given = args[2].to_int();
  visit_dtype(iter.dtype(0), [&](auto tag) {
    using T = decltype(tag);
    using C = compute_t<T>;
    if constexpr (!std::is_same_v<C, bool>) {
      elementwise<T, T>(iter, Clamp<C>{args[0].to<C>(), args[1].to<C>(), (given & 1) != 0, (given & 2) != 0});
    }
  });
}
LT_REGISTER_KERNEL("clamp", LT_GPU_KEY, IterKernel, clamp_kernel);

// Exact at both ends: from the nearer end.
template <class C>
__device__ C lerp(C a, C b, C w) {
  return std::fabs(w) < C(0.5) ? a + w * (b - a) : b - (b - a) * (C(1) - w);
}

struct Lerp {
  template <class C>
  __device__ C operator()(C a, C b, C w) const { return lerp(a, b, w); }
};

template <class C>
struct LerpByNumber {
  C w;
  __device__ C operator()(C a, C b) const { return lerp(a, b, w); }
};

// The weight is a third operand, or a number in args.
void lerp_kernel(TensorIterator& iter, ScalarList args) {
  visit_dtype(iter.dtype(0), [&](auto tag) {
    using T = decltype(tag);
    using C = compute_t<T>;
    if constexpr (std::is_floating_point_v<C>) {
      if (args.empty()) {
        elementwise<T, T, T, T>(iter, Lerp{});
      } else {
        elementwise<T, T, T>(iter, LerpByNumber<C>{static_cast<C>(args[0].to_double())});
      }
    }
  });
}
LT_REGISTER_KERNEL("lerp", LT_GPU_KEY, IterKernel, lerp_kernel);

}  // namespace
}  // namespace lt::gpu
