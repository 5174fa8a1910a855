// Binary kernels of the GPU backend: the operators of backends/cpu/binary_kernels.cpp with
// the same dtype coverage, integer semantics and special values. Inputs arrive in the
// compute dtype (the definition casts them), so each kernel dispatches on one dtype;
// comparisons write bool.
//
// Integer arithmetic wraps, computed in unsigned types wide enough that no intermediate
// overflows (signed overflow would be undefined). Integer division by zero raises
// ValueError as on the CPU: a kernel cannot throw, so it sets a flag in device memory
// that the wrapper reads back, which synchronizes the stream (integer dtypes only).
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "gpu.h"
#include "libtensor/error.h"
#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "loops.cuh"

namespace lt::gpu {
namespace {

template <class C>
using is_int = std::bool_constant<std::is_integral_v<C> && !std::is_same_v<C, bool>>;
template <class C>
using is_int_or_bool = std::is_integral<C>;
template <class C>
using is_float = std::is_floating_point<C>;
template <class C>
using is_number = std::bool_constant<!std::is_same_v<C, bool>>;

// Result and both inputs of the input dtype; Filter picks the dtypes the kernel takes.
// make(C{}) returns the functor for compute type C.
template <template <class> class Filter = std::is_arithmetic, class MakeF>
void same_type(TensorIterator& iter, MakeF make) {
  visit_dtype(iter.dtype(1), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (Filter<compute_t<T>>::value) elementwise<T, T, T>(iter, make(compute_t<T>{}));
  });
}

// Unsigned arithmetic for integer type C: at least 32 bits, so that the promotions of
// 8- and 16-bit operands to int cannot overflow in a product.
template <class C>
using wide_unsigned_t = std::conditional_t<(sizeof(C) > 4), uint64_t, uint32_t>;

template <class C>
__device__ C wrapping_neg(C x) {
  return static_cast<C>(0 - static_cast<wide_unsigned_t<C>>(x));
}

// b == -1 divides by wrapping negation (INT_MIN / -1 would trap); only for signed types,
// where -1 is a value (for uint8, C(-1) is 255).
template <class C>
__device__ bool is_minus_one(C b) {
  if constexpr (std::is_signed_v<C>) return b == C(-1);
  else return false;
}

template <class C>
__device__ bool is_negative(C x) {
  if constexpr (std::is_signed_v<C>) return x < C(0);
  else return false;
}

// --- add, mul, div ----------------------------------------------------------------------

template <class C>
struct Add {
  C alpha;
  __device__ C operator()(C a, C b) const {
    if constexpr (std::is_same_v<C, bool>) {
      return a || (alpha && b);  // alpha false (or 0) leaves a unchanged
    } else if constexpr (std::is_integral_v<C>) {
      using U = wide_unsigned_t<C>;
      return static_cast<C>(static_cast<U>(a) + static_cast<U>(alpha) * static_cast<U>(b));
    } else {
      return a + alpha * b;
    }
  }
};

// args: alpha.
void add_kernel(TensorIterator& iter, ScalarList args) {
  const Scalar alpha = args[0];
  same_type(iter, [&](auto zero) {
    using C = decltype(zero);
    return Add<C>{alpha.to<C>()};
  });
}
LT_REGISTER_KERNEL("add", LT_GPU_KEY, IterKernel, add_kernel);

struct Mul {
  template <class C>
  __device__ C operator()(C a, C b) const {
    if constexpr (std::is_same_v<C, bool>) {
      return a && b;
    } else if constexpr (std::is_integral_v<C>) {
      using U = wide_unsigned_t<C>;
      return static_cast<C>(static_cast<U>(a) * static_cast<U>(b));
    } else {
      return a * b;
    }
  }
};
void mul_kernel(TensorIterator& iter, ScalarList) {
  same_type(iter, [](auto) { return Mul{}; });
}
LT_REGISTER_KERNEL("mul", LT_GPU_KEY, IterKernel, mul_kernel);

struct Div {
  template <class C>
  __device__ C operator()(C a, C b) const { return a / b; }
};
void div_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_float>(iter, [](auto) { return Div{}; });
}
LT_REGISTER_KERNEL("div", LT_GPU_KEY, IterKernel, div_kernel);

// --- integer division: div_trunc, div_floor, remainder, fmod -------------------------

// A device flag that integer kernels set on a zero divisor; raise_if_set() waits for the
// stream and throws the CPU's ValueError.
class ZeroDivisorFlag {
 public:
  ZeroDivisorFlag(const Tensor& out, const char* op)
      : flag_(empty({1}, DType::Int32, out.device())), stream_(stream_for(out)), op_(op) {
    LT_GPU_CHECK(op_, gpuMemsetAsync(flag_.data(), 0, sizeof(int32_t), stream_));
  }
  int32_t* get() { return flag_.data_ptr<int32_t>(); }
  void raise_if_set() {
    int32_t set = 0;
    LT_GPU_CHECK(op_, gpuMemcpyAsync(&set, flag_.data(), sizeof(int32_t), gpuMemcpyDefault, stream_));
    LT_GPU_CHECK(op_, gpuStreamSynchronize(stream_));
    if (set) fail<ValueError>(op_, "integer division by zero");
  }

 private:
  Tensor flag_;
  gpuStream_t stream_;
  const char* op_;
};

// Runs the division functor F{flag} on every number dtype; integer dtypes check the flag.
template <class F>
void division(TensorIterator& iter, const char* op) {
  visit_dtype(iter.dtype(1), [&](auto tag) {
    using T = decltype(tag);
    using C = compute_t<T>;
    if constexpr (std::is_integral_v<C> && !std::is_same_v<C, bool>) {
      if (iter.numel() == 0) return;
      DeviceGuard guard(iter.output().device().index);
      ZeroDivisorFlag flag(iter.output(), op);
      elementwise<T, T, T>(iter, F{flag.get()});
      flag.raise_if_set();
    } else if constexpr (std::is_floating_point_v<C>) {
      elementwise<T, T, T>(iter, F{nullptr});
    }
  });
}

// Each returns 0 for a zero integer divisor after setting the flag (never dividing).
struct DivTrunc {
  int32_t* zero_divisor;
  template <class C>
  __device__ C operator()(C a, C b) const {
    if constexpr (std::is_integral_v<C>) {
      if (b == C(0)) {
        *zero_divisor = 1;
        return C(0);
      }
      return is_minus_one(b) ? wrapping_neg(a) : static_cast<C>(a / b);
    } else {
      return std::trunc(a / b);
    }
  }
};
void div_trunc_kernel(TensorIterator& iter, ScalarList) { division<DivTrunc>(iter, "div"); }
LT_REGISTER_KERNEL("div_trunc", LT_GPU_KEY, IterKernel, div_trunc_kernel);

struct DivFloor {
  int32_t* zero_divisor;
  template <class C>
  __device__ C operator()(C a, C b) const {
    if constexpr (std::is_integral_v<C>) {
      if (b == C(0)) {
        *zero_divisor = 1;
        return C(0);
      }
      if (is_minus_one(b)) return wrapping_neg(a);
      C q = static_cast<C>(a / b);
      if ((a % b != 0) && (is_negative(a) != is_negative(b))) --q;
      return q;
    } else {
      if (b == 0) return a / b;
      // Python's floor division: exact for every representable quotient.
      const C mod = std::fmod(a, b);
      C div = (a - mod) / b;
      if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;
      if (div == 0) return std::copysign(C(0), a / b);
      C floored = std::floor(div);
      if (div - floored > C(0.5)) floored += 1;
      return floored;
    }
  }
};
void div_floor_kernel(TensorIterator& iter, ScalarList) { division<DivFloor>(iter, "floor_divide"); }
LT_REGISTER_KERNEL("div_floor", LT_GPU_KEY, IterKernel, div_floor_kernel);

// The result takes the divisor's sign, as Python's %.
struct Remainder {
  int32_t* zero_divisor;
  template <class C>
  __device__ C operator()(C a, C b) const {
    if constexpr (std::is_integral_v<C>) {
      if (b == C(0)) {
        *zero_divisor = 1;
        return C(0);
      }
      if (is_minus_one(b)) return C(0);
      const C r = static_cast<C>(a % b);
      return (r != 0 && is_negative(r) != is_negative(b)) ? static_cast<C>(r + b) : r;
    } else {
      const C r = std::fmod(a, b);
      return (r != 0 && (r < 0) != (b < 0)) ? r + b : r;
    }
  }
};
void remainder_kernel(TensorIterator& iter, ScalarList) { division<Remainder>(iter, "remainder"); }
LT_REGISTER_KERNEL("remainder", LT_GPU_KEY, IterKernel, remainder_kernel);

// The result takes the dividend's sign, as C's fmod.
struct Fmod {
  int32_t* zero_divisor;
  template <class C>
  __device__ C operator()(C a, C b) const {
    if constexpr (std::is_integral_v<C>) {
      if (b == C(0)) {
        *zero_divisor = 1;
        return C(0);
      }
      return is_minus_one(b) ? C(0) : static_cast<C>(a % b);
    } else {
      return std::fmod(a, b);
    }
  }
};
void fmod_kernel(TensorIterator& iter, ScalarList) { division<Fmod>(iter, "fmod"); }
LT_REGISTER_KERNEL("fmod", LT_GPU_KEY, IterKernel, fmod_kernel);

// --- pow and the other floating-point functions ----------------------------------------

// Negative exponents give 0 except for bases 1 and -1; squaring wraps as PyTorch's.
template <class C>
__device__ C int_pow(C base, C exp) {
  if constexpr (std::is_signed_v<C>) {
    if (exp < 0) {
      if (base == 1) return 1;
      if (base == -1) return (exp & 1) ? C(-1) : C(1);
      return 0;
    }
  }
  using U = wide_unsigned_t<C>;
  U result = 1, b = static_cast<U>(base);
  for (U e = static_cast<U>(exp); e; e >>= 1) {
    if (e & 1) result *= b;
    b *= b;
  }
  return static_cast<C>(result);
}

struct Pow {
  template <class C>
  __device__ C operator()(C a, C b) const {
    if constexpr (std::is_integral_v<C>) return int_pow(a, b);
    else return std::pow(a, b);
  }
};
void pow_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_number>(iter, [](auto) { return Pow{}; });
}
LT_REGISTER_KERNEL("pow", LT_GPU_KEY, IterKernel, pow_kernel);

// Derivatives from the output y: one pass instead of three operators.
struct TanhBackward {
  template <class C>
  __device__ C operator()(C g, C y) const { return g * (C(1) - y * y); }
};
void tanh_backward_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_float>(iter, [](auto) { return TanhBackward{}; });
}
LT_REGISTER_KERNEL("tanh_backward", LT_GPU_KEY, IterKernel, tanh_backward_kernel);

struct SigmoidBackward {
  template <class C>
  __device__ C operator()(C g, C y) const { return g * y * (C(1) - y); }
};
void sigmoid_backward_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_float>(iter, [](auto) { return SigmoidBackward{}; });
}
LT_REGISTER_KERNEL("sigmoid_backward", LT_GPU_KEY, IterKernel, sigmoid_backward_kernel);

// g gelu'(x), as backends/cpu; args: whether the tanh form.
struct GeluBackward {
  bool tanh_form;
  template <class C>
  __device__ C operator()(C g, C x) const {
    if (tanh_form) {
      const C k = C(0.7978845608028654), t = std::tanh(k * (x + C(0.044715) * x * x * x));
      return g * (C(0.5) * (C(1) + t) + C(0.5) * x * (C(1) - t * t) * k * (C(1) + C(3 * 0.044715) * x * x));
    }
    return g * (C(0.5) * (C(1) + std::erf(x * C(0.7071067811865476))) +
                x * C(0.3989422804014327) * std::exp(C(-0.5) * x * x));
  }
};
void gelu_backward_kernel(TensorIterator& iter, ScalarList args) {
  same_type<is_float>(iter, [tanh_form = args[0].to_int() != 0](auto) { return GeluBackward{tanh_form}; });
}
LT_REGISTER_KERNEL("gelu_backward", LT_GPU_KEY, IterKernel, gelu_backward_kernel);

// Floating kernels of one expression in a and b. Qualified std:: calls: unqualified
// ones would find the operators lt::atan2, ... first.
#define LT_FLOAT_BINARY_KERNEL(name, expr)                                                      \
  struct name##_op {                                                                            \
    template <class C>                                                                          \
    __device__ C operator()(C a, C b) const {                                                   \
      return expr;                                                                              \
    }                                                                                           \
  };                                                                                            \
  void name##_kernel(TensorIterator& iter, ScalarList) {                                        \
    same_type<is_float>(iter, [](auto) { return name##_op{}; });                                \
  }                                                                                             \
  LT_REGISTER_KERNEL(#name, LT_GPU_KEY, IterKernel, name##_kernel);

LT_FLOAT_BINARY_KERNEL(atan2, std::atan2(a, b))
LT_FLOAT_BINARY_KERNEL(copysign, std::copysign(a, b))
LT_FLOAT_BINARY_KERNEL(hypot, std::hypot(a, b))
// a * log(b), 0 where a is 0 unless b is NaN (0 * log(0) and 0 * log(inf) included).
LT_FLOAT_BINARY_KERNEL(xlogy, b != b ? b : a == C(0) ? C(0) : a * std::log(b))
#undef LT_FLOAT_BINARY_KERNEL

// maximum and minimum propagate NaN.
template <bool IsMax>
struct Extreme {
  template <class C>
  __device__ C operator()(C a, C b) const {
    if constexpr (std::is_floating_point_v<C>) {
      if (a != a || b != b) return a + b;
    }
    return (IsMax ? a < b : b < a) ? b : a;
  }
};
template <bool IsMax>
void extreme_kernel(TensorIterator& iter, ScalarList) {
  same_type(iter, [](auto) { return Extreme<IsMax>{}; });
}
LT_REGISTER_KERNEL("maximum", LT_GPU_KEY, IterKernel, extreme_kernel<true>);
LT_REGISTER_KERNEL("minimum", LT_GPU_KEY, IterKernel, extreme_kernel<false>);

// --- comparisons and logical operators: bool out, inputs of one dtype ------------------

template <class F>
void to_bool(TensorIterator& iter, F f) {
  visit_dtype(iter.dtype(1), [&](auto tag) {
    using T = decltype(tag);
    elementwise<bool, T, T>(iter, f);
  });
}

#define LT_COMPARISON(name, Functor, expr)                                      \
  struct Functor {                                                              \
    template <class C>                                                          \
    __device__ bool operator()(C a, C b) const {                                \
      return expr;                                                              \
    }                                                                           \
  };                                                                            \
  void name##_kernel(TensorIterator& iter, ScalarList) { to_bool(iter, Functor{}); } \
  LT_REGISTER_KERNEL(#name, LT_GPU_KEY, IterKernel, name##_kernel);
LT_COMPARISON(eq, Eq, a == b)
LT_COMPARISON(ne, Ne, a != b)
LT_COMPARISON(lt, Lt, a < b)
LT_COMPARISON(le, Le, a <= b)
LT_COMPARISON(gt, Gt, a > b)
LT_COMPARISON(ge, Ge, a >= b)
LT_COMPARISON(logical_and, LogicalAnd, a && b)
LT_COMPARISON(logical_or, LogicalOr, a || b)
LT_COMPARISON(logical_xor, LogicalXor, static_cast<bool>(a) != static_cast<bool>(b))
#undef LT_COMPARISON

// --- bitwise operators and shifts ------------------------------------------------------

#define LT_BITWISE(name, Functor, op)                                            \
  struct Functor {                                                               \
    template <class C>                                                           \
    __device__ C operator()(C a, C b) const {                                    \
      return static_cast<C>(a op b);                                             \
    }                                                                            \
  };                                                                             \
  void name##_kernel(TensorIterator& iter, ScalarList) {                         \
    same_type<is_int_or_bool>(iter, [](auto) { return Functor{}; });             \
  }                                                                              \
  LT_REGISTER_KERNEL(#name, LT_GPU_KEY, IterKernel, name##_kernel);
LT_BITWISE(bitwise_and, BitwiseAnd, &)
LT_BITWISE(bitwise_or, BitwiseOr, |)
LT_BITWISE(bitwise_xor, BitwiseXor, ^)
#undef LT_BITWISE

// Shifts by a negative amount or by the width or more give 0 (left) or the sign (right).
template <class C>
__device__ bool shift_out_of_range(C b) {
  constexpr C bits = static_cast<C>(sizeof(C) * 8);
  return is_negative(b) || b >= bits;
}

struct LeftShift {
  template <class C>
  __device__ C operator()(C a, C b) const {
    if (shift_out_of_range(b)) return C(0);
    return static_cast<C>(static_cast<wide_unsigned_t<C>>(a) << b);
  }
};
void left_shift_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_int>(iter, [](auto) { return LeftShift{}; });
}
LT_REGISTER_KERNEL("bitwise_left_shift", LT_GPU_KEY, IterKernel, left_shift_kernel);

struct RightShift {
  template <class C>
  __device__ C operator()(C a, C b) const {
    if (shift_out_of_range(b)) {
      if constexpr (std::is_signed_v<C>) return static_cast<C>(a >> (sizeof(C) * 8 - 1));
      else return C(0);
    }
    return static_cast<C>(a >> b);
  }
};
void right_shift_kernel(TensorIterator& iter, ScalarList) {
  same_type<is_int>(iter, [](auto) { return RightShift{}; });
}
LT_REGISTER_KERNEL("bitwise_right_shift", LT_GPU_KEY, IterKernel, right_shift_kernel);

}  // namespace
}  // namespace lt::gpu
