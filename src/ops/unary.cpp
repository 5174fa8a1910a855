// Unary operators: each line names the operator and the dtype rule of its result.
#include "helpers.h"

namespace lt {
namespace {

enum class Rule {
  Floating,   // integral inputs give float32 (exp, sin, ...)
  Same,       // the input's dtype
  SameNoBool, // the input's dtype; bool is refused
  Integral,   // bool and integral only
  Predicate,  // bool result
};

Tensor unary(const Op<IterKernel>& op, const Tensor& x, Rule rule, ScalarList args = {}) {
  DType t = x.dtype();
  switch (rule) {
    case Rule::Floating:
      if (!is_floating(t)) t = kDefaultFloat;
      return run_elementwise(op, {x}, t, t, args);
    case Rule::SameNoBool:
      LT_CHECK(t != DType::Bool, DTypeError, op.name(), "is not supported for bool tensors");
      return run_elementwise(op, {x}, t, t, args);
    case Rule::Integral:
      check_integral(op.name(), x, true);
      return run_elementwise(op, {x}, t, t, args);
    case Rule::Predicate:
      return run_elementwise(op, {x}, t, DType::Bool, args);
    case Rule::Same:
      break;
  }
  return run_elementwise(op, {x}, t, t, args);
}

}  // namespace

#define LT_UNARY(fn, rule)                      \
  Tensor fn(const Tensor& x) {                  \
    static const Op<IterKernel> op(#fn);        \
    return unary(op, x, Rule::rule);            \
  }

LT_UNARY(exp, Floating)
LT_UNARY(exp2, Floating)
LT_UNARY(expm1, Floating)
LT_UNARY(log, Floating)
LT_UNARY(log2, Floating)
LT_UNARY(log10, Floating)
LT_UNARY(log1p, Floating)
LT_UNARY(sqrt, Floating)
LT_UNARY(rsqrt, Floating)
LT_UNARY(reciprocal, Floating)
LT_UNARY(sin, Floating)
LT_UNARY(cos, Floating)
LT_UNARY(tan, Floating)
LT_UNARY(asin, Floating)
LT_UNARY(acos, Floating)
LT_UNARY(atan, Floating)
LT_UNARY(sinh, Floating)
LT_UNARY(cosh, Floating)
LT_UNARY(tanh, Floating)
LT_UNARY(asinh, Floating)
LT_UNARY(erf, Floating)
LT_UNARY(erfc, Floating)
LT_UNARY(sigmoid, Floating)
LT_UNARY(neg, SameNoBool)
LT_UNARY(abs, Same)
LT_UNARY(sign, Same)
LT_UNARY(relu, SameNoBool)
LT_UNARY(bitwise_not, Integral)
LT_UNARY(logical_not, Predicate)
LT_UNARY(isnan, Predicate)
LT_UNARY(isinf, Predicate)
LT_UNARY(isfinite, Predicate)
#undef LT_UNARY

// Rounding leaves integers as they are.
#define LT_ROUNDING(fn)                                   \
  Tensor fn(const Tensor& x) {                            \
    static const Op<IterKernel> op(#fn);                  \
    if (!is_floating(x.dtype())) return x.clone();        \
    return unary(op, x, Rule::Same);                      \
  }
LT_ROUNDING(floor)
LT_ROUNDING(ceil)
LT_ROUNDING(round)
LT_ROUNDING(trunc)
#undef LT_ROUNDING

Tensor frac(const Tensor& x) {
  static const Op<IterKernel> op("frac");
  check_floating("frac", x);
  return unary(op, x, Rule::Same);
}

Tensor square(const Tensor& x) {
  // pow(x, 2): bool squares to int64, as in PyTorch.
  return x.dtype() == DType::Bool ? mul(x.to(DType::Int64), x.to(DType::Int64)) : mul(x, x);
}

Tensor nan_to_num(const Tensor& x, std::optional<double> nan, std::optional<double> posinf,
                  std::optional<double> neginf) {
  static const Op<IterKernel> op("nan_to_num");
  if (!is_floating(x.dtype())) return x.clone();
  // Infinities become the dtype's extremes unless given.
  double hi = visit_dtype(x.dtype(), [](auto tag) { return static_cast<double>(std::numeric_limits<decltype(tag)>::max()); });
  const Scalar args[] = {nan.value_or(0.0), posinf.value_or(hi), neginf.value_or(-hi)};
  return unary(op, x, Rule::Same, args);
}

Tensor operator-(const Tensor& x) { return neg(x); }
Tensor operator~(const Tensor& x) { return bitwise_not(x); }

}  // namespace lt
