// How scatter_reduce combines two values, the same on every backend: NaN wins amax and
// amin, integers wrap, bool sums are "or" and products "and".
#pragma once

#include <cstdint>
#include <type_traits>

#include "libtensor/half.h"

namespace lt::common {

enum class Reduce : int64_t { Sum, Prod, Amax, Amin };

template <class C>
LT_HOST_DEVICE C combine(Reduce r, C a, C b) {
  if constexpr (std::is_floating_point_v<C>) {
    if ((r == Reduce::Amax || r == Reduce::Amin) && (a != a || b != b)) return a + b;
  }
  // Wrapping arithmetic in unsigned types of at least 32 bits, so that 16-bit operands'
  // promotion to int cannot overflow in a product.
  using U = std::conditional_t<(sizeof(C) > 4), uint64_t, uint32_t>;
  switch (r) {
    case Reduce::Sum:
      if constexpr (std::is_same_v<C, bool>) return a || b;
      else if constexpr (std::is_integral_v<C>) return static_cast<C>(static_cast<U>(a) + static_cast<U>(b));
      else return a + b;
    case Reduce::Prod:
      if constexpr (std::is_same_v<C, bool>) return a && b;
      else if constexpr (std::is_integral_v<C>) return static_cast<C>(static_cast<U>(a) * static_cast<U>(b));
      else return a * b;
    case Reduce::Amax: return a < b ? b : a;
    case Reduce::Amin: return b < a ? b : a;
  }
  return a;
}

}  // namespace lt::common
