// Binary kernels. Inputs arrive in the compute dtype (the definition casts them), so
// each kernel dispatches on one dtype; comparisons write bool.
#include <cmath>
#include <limits>
#include <type_traits>

#include "libtensor/error.h"
#include "libtensor/registry.h"
#include "loops.h"

namespace lt::cpu {
namespace {

// Result and both inputs of the input dtype; Filter picks the dtypes the kernel takes.
template <template <class> class Filter = std::is_arithmetic, class MakeF>
void same_type(TensorIterator& iter, MakeF make) {
  visit_dtype(iter.dtype(1), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (Filter<compute_t<T>>::value) elementwise<T, T, T>(iter, make(compute_t<T>{}));
  });
}

template <class C>
using is_int = std::bool_constant<std::is_integral_v<C> && !std::is_same_v<C, bool>>;
template <class C>
using is_int_or_bool = std::is_integral<C>;
template <class C>
using is_float = std::is_floating_point<C>;
template <class C>
using is_number = std::bool_constant<!std::is_same_v<C, bool>>;

template <class C>
C wrapping_neg(C x) {
  return static_cast<C>(0 - static_cast<std::make_unsigned_t<C>>(x));
}

template <class C>
void check_divisor(C b, const char* op) {
  if constexpr (std::is_integral_v<C>) {
    if (b == 0) [[unlikely]] fail<ValueError>(op, "integer division by zero");
  }
}

void add_kernel(TensorIterator& iter, ScalarList args) {
  const Scalar alpha = args[0];
  same_type(iter, [&](auto zero) {
    using C = decltype(zero);
    if constexpr (std::is_same_v<C, bool>) {
      const bool k = alpha.to<bool>();  // alpha false (or 0) leaves a unchanged
      return [k](C a, C b) { return a || (k && b); };
    } else {
      const C k = alpha.to<C>();
      return [k](C a, C b) { return static_cast<C>(a + k * b); };
    }
  });
}
LT_REGISTER_KERNEL("add", CPU, IterKernel, add_kernel);

void mul_kernel(TensorIterator& iter, ScalarList) {
  same_type(iter, [](auto zero) {
    using C = decltype(zero);
    if constexpr (std::is_same_v<C, bool>) return [](C a, C b) { return a && b; };
    else return [](C a, C b) { return static_cast<C>(a * b); };
  });
}
LT_REGISTER_KERNEL("mul", CPU, IterKernel, mul_kernel);

void div_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_float>(iter, [](auto zero) { return [](decltype(zero) a, decltype(zero) b) { return a / b; }; });
}
LT_REGISTER_KERNEL("div", CPU, IterKernel, div_kernel);

void div_trunc_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_number>(iter, [](auto zero) {
    using C = decltype(zero);
    return [](C a, C b) -> C {
      if constexpr (std::is_integral_v<C>) {
        check_divisor(b, "div");
        return std::is_signed_v<C> && b == C(-1) ? wrapping_neg(a) : static_cast<C>(a / b);
      } else {
        return std::trunc(a / b);
      }
    };
  });
}
LT_REGISTER_KERNEL("div_trunc", CPU, IterKernel, div_trunc_kernel);

template <class C>
C floor_div(C a, C b) {
  if constexpr (std::is_integral_v<C>) {
    check_divisor(b, "floor_divide");
    if (std::is_signed_v<C> && b == C(-1)) return wrapping_neg(a);
    C q = static_cast<C>(a / b);
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
  } else {
    if (b == 0) return a / b;
    // Python's floor division: exact for every representable quotient.
    C mod = std::fmod(a, b);
    C div = (a - mod) / b;
    if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;
    if (div == 0) return std::copysign(C(0), a / b);
    C floored = std::floor(div);
    if (div - floored > C(0.5)) floored += 1;
    return floored;
  }
}

void div_floor_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_number>(iter, [](auto zero) { return [](decltype(zero) a, decltype(zero) b) { return floor_div(a, b); }; });
}
LT_REGISTER_KERNEL("div_floor", CPU, IterKernel, div_floor_kernel);

void remainder_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_number>(iter, [](auto zero) {
    using C = decltype(zero);
    return [](C a, C b) -> C {
      if constexpr (std::is_integral_v<C>) {
        check_divisor(b, "remainder");
        if (std::is_signed_v<C> && b == C(-1)) return 0;
        C r = static_cast<C>(a % b);
        return (r != 0 && (r < 0) != (b < 0)) ? static_cast<C>(r + b) : r;
      } else {
        // The result takes the divisor's sign, as Python's %.
        C r = std::fmod(a, b);
        return (r != 0 && (r < 0) != (b < 0)) ? r + b : r;
      }
    };
  });
}
LT_REGISTER_KERNEL("remainder", CPU, IterKernel, remainder_kernel);

void fmod_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_number>(iter, [](auto zero) {
    using C = decltype(zero);
    return [](C a, C b) -> C {
      if constexpr (std::is_integral_v<C>) {
        check_divisor(b, "fmod");
        return std::is_signed_v<C> && b == C(-1) ? C(0) : static_cast<C>(a % b);
      } else {
        return std::fmod(a, b);
      }
    };
  });
}
LT_REGISTER_KERNEL("fmod", CPU, IterKernel, fmod_kernel);

template <class C>
C int_pow(C base, C exp) {
  if (exp < 0) {
    if (base == 1) return 1;
    if (base == -1) return (exp & 1) ? C(-1) : C(1);
    return 0;
  }
  // Squaring in unsigned arithmetic wraps like PyTorch's instead of overflowing.
  using U = std::make_unsigned_t<C>;
  U result = 1, b = static_cast<U>(base);
  for (auto e = static_cast<U>(exp); e; e >>= 1) {
    if (e & 1) result *= b;
    b *= b;
  }
  return static_cast<C>(result);
}

void pow_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_number>(iter, [](auto zero) {
    using C = decltype(zero);
    return [](C a, C b) -> C {
      if constexpr (std::is_integral_v<C>) return int_pow(a, b);
      else return std::pow(a, b);
    };
  });
}
LT_REGISTER_KERNEL("pow", CPU, IterKernel, pow_kernel);

// Derivatives from the output y: one pass instead of three operators.
void tanh_backward_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_float>(iter, [](auto zero) {
    using C = decltype(zero);
    return [](C g, C y) { return g * (C(1) - y * y); };
  });
}
LT_REGISTER_KERNEL("tanh_backward", CPU, IterKernel, tanh_backward_kernel);

void sigmoid_backward_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_float>(iter, [](auto zero) {
    using C = decltype(zero);
    return [](C g, C y) { return g * y * (C(1) - y); };
  });
}
LT_REGISTER_KERNEL("sigmoid_backward", CPU, IterKernel, sigmoid_backward_kernel);

// g gelu'(x): Φ(x) + x φ(x), or the tanh form's derivative; args: whether the tanh form.
void gelu_backward_kernel(TensorIterator& iter, ScalarList args) {
  const bool tanh_form = args[0].to_int() != 0;
  same_type<is_float>(iter, [tanh_form](auto zero) {
    using C = decltype(zero);
    return [tanh_form](C g, C x) -> C {
      if (tanh_form) {
        const C k = C(0.7978845608028654), t = std::tanh(k * (x + C(0.044715) * x * x * x));
        return g * (C(0.5) * (C(1) + t) + C(0.5) * x * (C(1) - t * t) * k * (C(1) + C(3 * 0.044715) * x * x));
      }
      return g * (C(0.5) * (C(1) + std::erf(x * C(0.7071067811865476))) +
                  x * C(0.3989422804014327) * std::exp(C(-0.5) * x * x));
    };
  });
}
LT_REGISTER_KERNEL("gelu_backward", CPU, IterKernel, gelu_backward_kernel);

void atan2_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_float>(iter, [](auto zero) { return [](decltype(zero) a, decltype(zero) b) { return std::atan2(a, b); }; });
}
LT_REGISTER_KERNEL("atan2", CPU, IterKernel, atan2_kernel);

void copysign_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_float>(iter, [](auto zero) { return [](decltype(zero) a, decltype(zero) b) { return std::copysign(a, b); }; });
}
LT_REGISTER_KERNEL("copysign", CPU, IterKernel, copysign_kernel);

void hypot_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_float>(iter, [](auto zero) { return [](decltype(zero) a, decltype(zero) b) { return std::hypot(a, b); }; });
}
LT_REGISTER_KERNEL("hypot", CPU, IterKernel, hypot_kernel);

// x * log(y), 0 where x is 0 unless y is NaN (0 * log(0) and 0 * log(inf) included).
void xlogy_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_float>(iter, [](auto zero) {
    using C = decltype(zero);
    return [](C x, C y) { return y != y ? y : x == C(0) ? C(0) : x * std::log(y); };
  });
}
LT_REGISTER_KERNEL("xlogy", CPU, IterKernel, xlogy_kernel);

// maximum and minimum propagate NaN.
template <bool IsMax>
void extreme_kernel(TensorIterator& iter, ScalarList) {
  same_type(iter, [](auto zero) {
    using C = decltype(zero);
    return [](C a, C b) -> C {
      if constexpr (std::is_floating_point_v<C>) {
        if (a != a || b != b) return a + b;
      }
      return (IsMax ? a < b : b < a) ? b : a;
    };
  });
}
LT_REGISTER_KERNEL("maximum", CPU, IterKernel, extreme_kernel<true>);
LT_REGISTER_KERNEL("minimum", CPU, IterKernel, extreme_kernel<false>);

// Comparisons and logical operators: bool out, inputs of one dtype.
template <class MakeF>
void to_bool(TensorIterator& iter, MakeF make) {
  visit_dtype(iter.dtype(1), [&](auto tag) {
    using T = decltype(tag);
    elementwise<bool, T, T>(iter, make(compute_t<T>{}));
  });
}

#define LT_COMPARISON(name, expr)                                                                   \
  void name##_kernel(TensorIterator& iter, ScalarList) {                                            \
    to_bool(iter, [](auto zero) { return [](decltype(zero) a, decltype(zero) b) -> bool { return expr; }; }); \
  }                                                                                                 \
  LT_REGISTER_KERNEL(#name, CPU, IterKernel, name##_kernel);
LT_COMPARISON(eq, a == b)
LT_COMPARISON(ne, a != b)
LT_COMPARISON(lt, a < b)
LT_COMPARISON(le, a <= b)
LT_COMPARISON(gt, a > b)
LT_COMPARISON(ge, a >= b)
LT_COMPARISON(logical_and, a && b)
LT_COMPARISON(logical_or, a || b)
LT_COMPARISON(logical_xor, a != b)
#undef LT_COMPARISON

#define LT_BITWISE(name, expr)                                                                        \
  void name##_kernel(TensorIterator& iter, ScalarList) {                                              \
    same_type<is_int_or_bool>(iter, [](auto zero) {                                                   \
      using C = decltype(zero);                                                                       \
      return [](C a, C b) { return static_cast<C>(expr); };                                           \
    });                                                                                               \
  }                                                                                                   \
  LT_REGISTER_KERNEL(#name, CPU, IterKernel, name##_kernel);
LT_BITWISE(bitwise_and, a & b)
LT_BITWISE(bitwise_or, a | b)
LT_BITWISE(bitwise_xor, a ^ b)
#undef LT_BITWISE

// Shifts by a negative amount or by the width or more give 0 (left) or the sign (right).
void left_shift_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_int>(iter, [](auto zero) {
    using C = decltype(zero);
    return [](C a, C b) -> C {
      constexpr C bits = static_cast<C>(sizeof(C) * 8);
      if (b < 0 || b >= bits) return 0;
      return static_cast<C>(static_cast<std::make_unsigned_t<C>>(a) << b);
    };
  });
}
LT_REGISTER_KERNEL("bitwise_left_shift", CPU, IterKernel, left_shift_kernel);

void right_shift_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_int>(iter, [](auto zero) {
    using C = decltype(zero);
    return [](C a, C b) -> C {
      constexpr C bits = static_cast<C>(sizeof(C) * 8);
      if (b < 0 || b >= bits) return std::is_signed_v<C> ? static_cast<C>(a >> (bits - 1)) : C(0);
      return static_cast<C>(a >> b);
    };
  });
}
LT_REGISTER_KERNEL("bitwise_right_shift", CPU, IterKernel, right_shift_kernel);

}  // namespace
}  // namespace lt::cpu
