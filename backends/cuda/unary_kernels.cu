// Unary kernels of the GPU backend: the operators of backends/cpu/unary_kernels.cpp with
// the same dtype coverage and special values. Each is a functor over the compute type
// (float for Half and BFloat16); the transcendental ones call the device math library in
// the input's precision (no fast-math: subnormals kept, within a few ulp), except the
// gamma family, which runs in double as on the CPU.
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "../cpu/special_math.h"
#include "gpu.h"
#include "libtensor/registry.h"
#include "loops.cuh"

namespace lt::gpu {
namespace {

// Floating dtypes only; others are refused by the operators' definitions.
template <class F>
void floating(TensorIterator& iter, F f) {
  visit_dtype(iter.dtype(0), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (is_floating(dtype_v<T>)) elementwise<T, T>(iter, f);
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

// Qualified std:: calls: unqualified ones would find lt::exp(const Tensor&) and the
// other operators first.
#define LT_FLOAT_KERNEL(name, expr)                                       \
  struct name##_op {                                                      \
    template <class C>                                                    \
    __device__ C operator()(C x) const {                                  \
      return expr;                                                        \
    }                                                                     \
  };                                                                      \
  void name##_kernel(TensorIterator& iter, ScalarList) { floating(iter, name##_op{}); } \
  LT_REGISTER_KERNEL(#name, LT_GPU_KEY, IterKernel, name##_kernel);

LT_FLOAT_KERNEL(exp, std::exp(x))
LT_FLOAT_KERNEL(exp2, std::exp2(x))
LT_FLOAT_KERNEL(expm1, std::expm1(x))
LT_FLOAT_KERNEL(log, std::log(x))
LT_FLOAT_KERNEL(log2, std::log2(x))
LT_FLOAT_KERNEL(log10, std::log10(x))
LT_FLOAT_KERNEL(log1p, std::log1p(x))
// IEEE sqrt and division (not the approximate rsqrt): exact as on the CPU, -0 -> -inf.
LT_FLOAT_KERNEL(sqrt, std::sqrt(x))
LT_FLOAT_KERNEL(rsqrt, C(1) / std::sqrt(x))
LT_FLOAT_KERNEL(reciprocal, C(1) / x)
LT_FLOAT_KERNEL(sin, std::sin(x))
LT_FLOAT_KERNEL(cos, std::cos(x))
LT_FLOAT_KERNEL(tan, std::tan(x))
LT_FLOAT_KERNEL(asin, std::asin(x))
LT_FLOAT_KERNEL(acos, std::acos(x))
LT_FLOAT_KERNEL(atan, std::atan(x))
LT_FLOAT_KERNEL(sinh, std::sinh(x))
LT_FLOAT_KERNEL(cosh, std::cosh(x))
LT_FLOAT_KERNEL(tanh, std::tanh(x))
LT_FLOAT_KERNEL(asinh, std::asinh(x))
LT_FLOAT_KERNEL(acosh, std::acosh(x))
LT_FLOAT_KERNEL(atanh, std::atanh(x))
LT_FLOAT_KERNEL(erf, std::erf(x))
LT_FLOAT_KERNEL(erfc, std::erfc(x))

// e / (1 + e) with e = exp(x) for x < 0, as the CPU's double version: 1 / (1 + exp(-x))
// would overflow exp there and lose the subnormal results (float x down to -103).
struct Sigmoid {
  template <class C>
  __device__ C operator()(C x) const {
    const C e = std::exp(-std::fabs(x));
    return (x < C(0) ? e : C(1)) / (C(1) + e);
  }
};
void sigmoid_kernel(TensorIterator& iter, ScalarList) { floating(iter, Sigmoid{}); }
LT_REGISTER_KERNEL("sigmoid", LT_GPU_KEY, IterKernel, sigmoid_kernel);

LT_FLOAT_KERNEL(floor, std::floor(x))
LT_FLOAT_KERNEL(ceil, std::ceil(x))
LT_FLOAT_KERNEL(round, std::nearbyint(x))  // half to even (the default rounding mode), as PyTorch
LT_FLOAT_KERNEL(trunc, std::trunc(x))
LT_FLOAT_KERNEL(frac, x - std::trunc(x))
// The gamma family in double precision whatever the dtype, as the CPU: the recurrences
// lose digits in float. The device lgamma has no global signgam to race on.
LT_FLOAT_KERNEL(lgamma, static_cast<C>(std::lgamma(static_cast<double>(x))))
LT_FLOAT_KERNEL(digamma, static_cast<C>(cpu::special::digamma(static_cast<double>(x))))
LT_FLOAT_KERNEL(erfinv, static_cast<C>(cpu::special::erfinv(static_cast<double>(x))))
#undef LT_FLOAT_KERNEL

struct Polygamma {
  int64_t n;
  template <class C>
  __device__ C operator()(C x) const {
    return static_cast<C>(cpu::special::polygamma(n, static_cast<double>(x)));
  }
};

// x Φ(x), or PyTorch's tanh approximation; as backends/cpu.
struct Gelu {
  bool tanh_form;
  template <class C>
  __device__ C operator()(C x) const {
    if (tanh_form) return C(0.5) * x * (C(1) + std::tanh(C(0.7978845608028654) * (x + C(0.044715) * x * x * x)));
    return C(0.5) * x * (C(1) + std::erf(x * C(0.7071067811865476)));
  }
};
// args: whether the tanh form.
void gelu_kernel(TensorIterator& iter, ScalarList args) { floating(iter, Gelu{args[0].to_int() != 0}); }
LT_REGISTER_KERNEL("gelu", LT_GPU_KEY, IterKernel, gelu_kernel);

// args: n.
void polygamma_kernel(TensorIterator& iter, ScalarList args) { floating(iter, Polygamma{args[0].to_int()}); }
LT_REGISTER_KERNEL("polygamma", LT_GPU_KEY, IterKernel, polygamma_kernel);

// Integers negate through unsigned arithmetic: the most negative value wraps to itself
// instead of overflowing.
template <class C>
__device__ C wrapping_neg(C x) {
  return static_cast<C>(0 - static_cast<std::make_unsigned_t<C>>(x));
}

struct Neg {
  template <class C>
  __device__ C operator()(C x) const {
    if constexpr (std::is_same_v<C, bool>) return x;  // refused by the definition
    else if constexpr (std::is_integral_v<C>) return wrapping_neg(x);
    else return -x;
  }
};
void neg_kernel(TensorIterator& iter, ScalarList) { any_type(iter, Neg{}); }
LT_REGISTER_KERNEL("neg", LT_GPU_KEY, IterKernel, neg_kernel);

struct Abs {
  template <class C>
  __device__ C operator()(C x) const {
    if constexpr (std::is_same_v<C, bool> || std::is_unsigned_v<C>) return x;
    else if constexpr (std::is_integral_v<C>) return x < 0 ? wrapping_neg(x) : x;
    else return std::fabs(x);
  }
};
void abs_kernel(TensorIterator& iter, ScalarList) { any_type(iter, Abs{}); }
LT_REGISTER_KERNEL("abs", LT_GPU_KEY, IterKernel, abs_kernel);

// NaN stays NaN; the sign of a zero is +0.
struct Sign {
  template <class C>
  __device__ C operator()(C x) const {
    if constexpr (std::is_same_v<C, bool>) return x;
    else if constexpr (std::is_unsigned_v<C>) return static_cast<C>(x != 0);
    else if constexpr (std::is_floating_point_v<C>) return x != x ? x : static_cast<C>((C(0) < x) - (x < C(0)));
    else return static_cast<C>((C(0) < x) - (x < C(0)));
  }
};
void sign_kernel(TensorIterator& iter, ScalarList) { any_type(iter, Sign{}); }
LT_REGISTER_KERNEL("sign", LT_GPU_KEY, IterKernel, sign_kernel);

// NaN stays NaN, as in PyTorch.
struct Relu {
  template <class C>
  __device__ C operator()(C x) const {
    if constexpr (std::is_same_v<C, bool> || std::is_unsigned_v<C>) return x;
    else return x < C(0) ? C(0) : x;
  }
};
void relu_kernel(TensorIterator& iter, ScalarList) { any_type(iter, Relu{}); }
LT_REGISTER_KERNEL("relu", LT_GPU_KEY, IterKernel, relu_kernel);

struct BitwiseNot {
  template <class C>
  __device__ C operator()(C x) const {
    if constexpr (std::is_same_v<C, bool>) return !x;
    else return static_cast<C>(~x);
  }
};
void bitwise_not_kernel(TensorIterator& iter, ScalarList) {
  visit_dtype(iter.dtype(0), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_integral_v<T>) elementwise<T, T>(iter, BitwiseNot{});  // bool included
  });
}
LT_REGISTER_KERNEL("bitwise_not", LT_GPU_KEY, IterKernel, bitwise_not_kernel);

struct LogicalNot {
  template <class C>
  __device__ bool operator()(C x) const { return x == C(0); }
};
void logical_not_kernel(TensorIterator& iter, ScalarList) { predicate(iter, LogicalNot{}); }
LT_REGISTER_KERNEL("logical_not", LT_GPU_KEY, IterKernel, logical_not_kernel);

struct IsNan {
  template <class C>
  __device__ bool operator()(C x) const { return x != x; }
};
void isnan_kernel(TensorIterator& iter, ScalarList) { predicate(iter, IsNan{}); }
LT_REGISTER_KERNEL("isnan", LT_GPU_KEY, IterKernel, isnan_kernel);

struct IsInf {
  template <class C>
  __device__ bool operator()(C x) const {
    if constexpr (std::is_floating_point_v<C>) return std::isinf(x);
    else return false;
  }
};
void isinf_kernel(TensorIterator& iter, ScalarList) { predicate(iter, IsInf{}); }
LT_REGISTER_KERNEL("isinf", LT_GPU_KEY, IterKernel, isinf_kernel);

struct IsFinite {
  template <class C>
  __device__ bool operator()(C x) const {
    if constexpr (std::is_floating_point_v<C>) return std::isfinite(x);
    else return true;
  }
};
void isfinite_kernel(TensorIterator& iter, ScalarList) { predicate(iter, IsFinite{}); }
LT_REGISTER_KERNEL("isfinite", LT_GPU_KEY, IterKernel, isfinite_kernel);

template <class C>
struct NanToNum {
  C nan, pos, neg;
  __device__ C operator()(C x) const {
    constexpr C inf = std::numeric_limits<C>::infinity();
    return x != x ? nan : x == inf ? pos : x == -inf ? neg : x;
  }
};

// args: the replacements of NaN, +inf and -inf (in the compute type, as the CPU).
void nan_to_num_kernel(TensorIterator& iter, ScalarList args) {
  visit_dtype(iter.dtype(0), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (is_floating(dtype_v<T>)) {
      using C = compute_t<T>;
      elementwise<T, T>(iter, NanToNum<C>{args[0].to<C>(), args[1].to<C>(), args[2].to<C>()});
    }
  });
}
LT_REGISTER_KERNEL("nan_to_num", LT_GPU_KEY, IterKernel, nan_to_num_kernel);

}  // namespace
}  // namespace lt::gpu
