// Unary kernels: one line per operator. exp, log, tanh, sigmoid and erf use the
// branch-free formulations below, which the compiler vectorizes in the contiguous loop;
// sqrt, rsqrt and reciprocal are plain IEEE operations (vectorized without errno);
// the rest call the C library.
// Every function meets numpy's accuracy bounds (tests/test_ulp.cpp, docs/accuracy.md).
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "loops.h"
#include "special_math.h"
#include "vector_math.h"
#include "libtensor/registry.h"

namespace lt::cpu {
namespace {

template <class F>
void floating(TensorIterator& iter, F f) {
  visit_dtype(iter.dtype(0), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (is_floating(dtype_v<T>)) elementwise<T, T>(iter, f);
  });
}

// f, branch-free, in loops the compiler vectorizes: elementwise()'s contiguous rows for
// float and double; Half and BFloat16 widened to float blocks (elementwise_vec) first.
template <class F>
void floating_loop(TensorIterator& iter, F f) {
  visit_dtype(iter.dtype(0), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
      elementwise<T, T>(iter, f);
    } else if constexpr (is_floating(dtype_v<T>)) {
      elementwise_vec<T>(iter, f, [&](const auto& x) { return x.unaryExpr(f); });
    }
  });
}

// Every dtype, result of the input's type.
template <class F>
void any_type(TensorIterator& iter, F f) {
  visit_dtype(iter.dtype(0), [&](auto tag) {
    using T = decltype(tag);
    elementwise<T, T>(iter, f);
  });
}

// Every input dtype, bool result.
template <class F>
void predicate(TensorIterator& iter, F f) {
  visit_dtype(iter.dtype(1), [&](auto tag) {
    using T = decltype(tag);
    elementwise<bool, T>(iter, f);
  });
}


#define LT_FLOAT_KERNEL(name, f)                                            \
  void name##_kernel(TensorIterator& iter, ScalarList) { floating(iter, f); } \
  LT_REGISTER_KERNEL(#name, CPU, IterKernel, name##_kernel);
#define LT_FLOAT_LOOP_KERNEL(name, f)                                                 \
  void name##_kernel(TensorIterator& iter, ScalarList) { floating_loop(iter, f); } \
  LT_REGISTER_KERNEL(#name, CPU, IterKernel, name##_kernel);

LT_FLOAT_LOOP_KERNEL(exp, [](auto x) { return accurate::exp(x); })
LT_FLOAT_KERNEL(exp2, [](auto x) { return std::exp2(x); })
LT_FLOAT_KERNEL(expm1, [](auto x) { return std::expm1(x); })
LT_FLOAT_LOOP_KERNEL(log, [](auto x) { return accurate::log(x); })
LT_FLOAT_KERNEL(log2, [](auto x) { return std::log2(x); })
LT_FLOAT_KERNEL(log10, [](auto x) { return std::log10(x); })
LT_FLOAT_KERNEL(log1p, [](auto x) { return std::log1p(x); })
// Eigen's vector sqrt (a reciprocal-sqrt estimate) is not exact and turns inf into NaN.
LT_FLOAT_LOOP_KERNEL(sqrt, [](auto x) { return std::sqrt(x); })
LT_FLOAT_LOOP_KERNEL(rsqrt, [](auto x) { return decltype(x)(1) / std::sqrt(x); })
LT_FLOAT_LOOP_KERNEL(reciprocal, [](auto x) { return decltype(x)(1) / x; })
LT_FLOAT_KERNEL(sin, [](auto x) { return std::sin(x); })
LT_FLOAT_KERNEL(cos, [](auto x) { return std::cos(x); })
LT_FLOAT_KERNEL(tan, [](auto x) { return std::tan(x); })
LT_FLOAT_KERNEL(asin, [](auto x) { return std::asin(x); })
LT_FLOAT_KERNEL(acos, [](auto x) { return std::acos(x); })
LT_FLOAT_KERNEL(atan, [](auto x) { return std::atan(x); })
LT_FLOAT_KERNEL(sinh, [](auto x) { return std::sinh(x); })
LT_FLOAT_KERNEL(cosh, [](auto x) { return std::cosh(x); })
LT_FLOAT_LOOP_KERNEL(tanh, [](auto x) { return accurate::tanh(x); })
LT_FLOAT_KERNEL(asinh, [](auto x) { return std::asinh(x); })
LT_FLOAT_KERNEL(acosh, [](auto x) { return std::acosh(x); })
LT_FLOAT_KERNEL(atanh, [](auto x) { return std::atanh(x); })
LT_FLOAT_LOOP_KERNEL(erf, [](auto x) { return accurate::erf(x); })
LT_FLOAT_KERNEL(erfc, [](auto x) { return std::erfc(x); })
LT_FLOAT_LOOP_KERNEL(sigmoid, [](auto x) { return accurate::sigmoid(x); })
LT_FLOAT_KERNEL(floor, [](auto x) { return std::floor(x); })
LT_FLOAT_KERNEL(ceil, [](auto x) { return std::ceil(x); })
LT_FLOAT_KERNEL(round, [](auto x) { return std::nearbyint(x); })  // half to even, as PyTorch
LT_FLOAT_KERNEL(trunc, [](auto x) { return std::trunc(x); })
LT_FLOAT_KERNEL(frac, [](auto x) { return x - std::trunc(x); })
// The gamma family in double precision whatever the dtype: the recurrences lose digits in float.
LT_FLOAT_KERNEL(lgamma, [](auto x) { return static_cast<decltype(x)>(special::lgamma(static_cast<double>(x))); })
LT_FLOAT_KERNEL(digamma, [](auto x) { return static_cast<decltype(x)>(special::digamma(static_cast<double>(x))); })
LT_FLOAT_KERNEL(erfinv, [](auto x) { return static_cast<decltype(x)>(special::erfinv(static_cast<double>(x))); })
#undef LT_FLOAT_KERNEL
#undef LT_FLOAT_LOOP_KERNEL

// x Φ(x), or PyTorch's tanh approximation x (1 + tanh(√(2/π) (x + 0.044715 x³))) / 2;
// args: whether the tanh form.
void gelu_kernel(TensorIterator& iter, ScalarList args) {
  if (args[0].to_int() != 0) {
    floating_loop(iter, [](auto x) {
      using C = decltype(x);
      return C(0.5) * x * (C(1) + accurate::tanh(C(0.7978845608028654) * (x + C(0.044715) * x * x * x)));
    });
  } else {
    floating_loop(iter, [](auto x) {
      using C = decltype(x);
      return C(0.5) * x * (C(1) + accurate::erf(x * C(0.7071067811865476)));
    });
  }
}
LT_REGISTER_KERNEL("gelu", CPU, IterKernel, gelu_kernel);

void polygamma_kernel(TensorIterator& iter, ScalarList args) {
  const int64_t n = args[0].to_int();
  floating(iter, [n](auto x) { return static_cast<decltype(x)>(special::polygamma(n, static_cast<double>(x))); });
}
LT_REGISTER_KERNEL("polygamma", CPU, IterKernel, polygamma_kernel);

void neg_kernel(TensorIterator& iter, ScalarList) {
  any_type(iter, [](auto x) {
    using C = decltype(x);
    if constexpr (std::is_same_v<C, bool>) return x;  // refused by the definition
    else if constexpr (std::is_integral_v<C>) return static_cast<C>(0 - static_cast<std::make_unsigned_t<C>>(x));
    else return -x;
  });
}
LT_REGISTER_KERNEL("neg", CPU, IterKernel, neg_kernel);

void abs_kernel(TensorIterator& iter, ScalarList) {
  any_type(iter, [](auto x) {
    using C = decltype(x);
    if constexpr (std::is_same_v<C, bool> || std::is_unsigned_v<C>) return x;
    else if constexpr (std::is_integral_v<C>) return x < 0 ? static_cast<C>(0 - static_cast<std::make_unsigned_t<C>>(x)) : x;
    else return std::abs(x);
  });
}
LT_REGISTER_KERNEL("abs", CPU, IterKernel, abs_kernel);

void sign_kernel(TensorIterator& iter, ScalarList) {
  any_type(iter, [](auto x) {
    using C = decltype(x);
    if constexpr (std::is_same_v<C, bool>) return x;
    else if constexpr (std::is_floating_point_v<C>) return std::isnan(x) ? x : static_cast<C>((C(0) < x) - (x < C(0)));
    else return static_cast<C>((C(0) < x) - (x < C(0)));
  });
}
LT_REGISTER_KERNEL("sign", CPU, IterKernel, sign_kernel);

void relu_kernel(TensorIterator& iter, ScalarList) {
  // NaN stays NaN, as in PyTorch.
  any_type(iter, [](auto x) { return x < decltype(x)(0) ? decltype(x)(0) : x; });
}
LT_REGISTER_KERNEL("relu", CPU, IterKernel, relu_kernel);

void bitwise_not_kernel(TensorIterator& iter, ScalarList) {
  visit_dtype(iter.dtype(0), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>) elementwise<T, T>(iter, [](bool x) { return !x; });
    else if constexpr (std::is_integral_v<T>) elementwise<T, T>(iter, [](T x) { return static_cast<T>(~x); });
  });
}
LT_REGISTER_KERNEL("bitwise_not", CPU, IterKernel, bitwise_not_kernel);

void logical_not_kernel(TensorIterator& iter, ScalarList) {
  predicate(iter, [](auto x) { return x == decltype(x)(0); });
}
LT_REGISTER_KERNEL("logical_not", CPU, IterKernel, logical_not_kernel);

void isnan_kernel(TensorIterator& iter, ScalarList) {
  predicate(iter, [](auto x) { return x != x; });
}
LT_REGISTER_KERNEL("isnan", CPU, IterKernel, isnan_kernel);

void isinf_kernel(TensorIterator& iter, ScalarList) {
  predicate(iter, [](auto x) {
    if constexpr (std::is_floating_point_v<decltype(x)>) return std::isinf(x);
    else return false;
  });
}
LT_REGISTER_KERNEL("isinf", CPU, IterKernel, isinf_kernel);

void isfinite_kernel(TensorIterator& iter, ScalarList) {
  predicate(iter, [](auto x) {
    if constexpr (std::is_floating_point_v<decltype(x)>) return std::isfinite(x);
    else return true;
  });
}
LT_REGISTER_KERNEL("isfinite", CPU, IterKernel, isfinite_kernel);

void nan_to_num_kernel(TensorIterator& iter, ScalarList args) {
  visit_dtype(iter.dtype(0), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (is_floating(dtype_v<T>)) {
      using C = compute_t<T>;
      const C nan = args[0].to<C>(), pos = args[1].to<C>(), neg = args[2].to<C>();
      elementwise<T, T>(iter, [=](C x) { return x != x ? nan : x == std::numeric_limits<C>::infinity() ? pos : x == -std::numeric_limits<C>::infinity() ? neg : x; });
    }
  });
}
LT_REGISTER_KERNEL("nan_to_num", CPU, IterKernel, nan_to_num_kernel);

}  // namespace
}  // namespace lt::cpu
