// where, clamp and lerp.
#include <cmath>

#include "libtensor/registry.h"
#include "loops.h"

namespace lt::cpu {
namespace {

void where_kernel(TensorIterator& iter, ScalarList) {
  visit_dtype(iter.dtype(0), [&](auto tag) {
    using T = decltype(tag);
    using C = compute_t<T>;
    elementwise<T, bool, T, T>(iter, [](bool c, C a, C b) { return c ? a : b; });
  });
}
LT_REGISTER_KERNEL("where", CPU, IterKernel, where_kernel);

// args: min, max, and a mask of which were given. NaN inputs stay NaN.
void clamp_kernel(TensorIterator& iter, ScalarList args) {
  const int64_t given = args[2].to_int();
  visit_dtype(iter.dtype(0), [&](auto tag) {
    using T = decltype(tag);
    using C = compute_t<T>;
    if constexpr (!std::is_same_v<C, bool>) {
      const C lo = args[0].to<C>(), hi = args[1].to<C>();
      const bool has_lo = given & 1, has_hi = given & 2;
      elementwise<T, T>(iter, [=](C x) {
        if constexpr (std::is_floating_point_v<C>) {
          if (x != x) return x;
        }
        if (has_lo && x < lo) x = lo;
        if (has_hi && x > hi) x = hi;
        return x;
      });
    }
  });
}
LT_REGISTER_KERNEL("clamp", CPU, IterKernel, clamp_kernel);

// The weight is a third operand, or a number in args.
void lerp_kernel(TensorIterator& iter, ScalarList args) {
  visit_dtype(iter.dtype(0), [&](auto tag) {
    using T = decltype(tag);
    using C = compute_t<T>;
    if constexpr (std::is_floating_point_v<C>) {
      // Exact at both ends: from the nearer end.
      auto lerp = [](C a, C b, C w) { return std::abs(w) < C(0.5) ? a + w * (b - a) : b - (b - a) * (C(1) - w); };
      if (args.empty()) {
        elementwise<T, T, T, T>(iter, lerp);
      } else {
        const C w = static_cast<C>(args[0].to_double());
        elementwise<T, T, T>(iter, [w, lerp](C a, C b) { return lerp(a, b, w); });
      }
    }
  });
}
LT_REGISTER_KERNEL("lerp", CPU, IterKernel, lerp_kernel);

}  // namespace
}  // namespace lt::cpu
