// Unary operators: each line names the operator and the dtype rule of its result.
#include <cmath>

#include "helpers.h"
#include "libtensor/autocast.h"

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
      if (!is_floating(t)) t = default_dtype();
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

// What a derivative reads: the input x, the output y, or neither.
enum class Saves { x, y, none };

// The table of unary operators: each line is the operator, the dtype rule of its result,
// what its derivative reads, and the derivative itself, the gradient of x from g = dL/dy.
#define LT_UNARY(fn, rule, saves, dx)                                                                   \
  Tensor fn(const Tensor& x) {                                                                          \
    LT_AUTOCAST(fn, x);                                                                                 \
    static const Op<IterKernel> op(#fn);                                                                \
    Tensor y = unary(op, x, Rule::rule);                                                                \
    if (autograd::any_requires_grad(x)) {                                                               \
      autograd::record(#fn, {x}, {y}, {Saves::saves == Saves::x ? x : Tensor(), Saves::saves == Saves::y ? y : Tensor()}, \
                       [](const autograd::Backward& b) {                                                \
                         [[maybe_unused]] const Tensor &g = b.grad(), &x = b.saved[0], &y = b.saved[1]; \
                         return autograd::TensorList{dx};                                               \
                       });                                                                              \
    }                                                                                                   \
    return y;                                                                                           \
  }

constexpr double kLn2 = 0.693147180559945309417, kLn10 = 2.302585092994045684018;
constexpr double kTwoOverSqrtPi = 1.128379167095512573896, kSqrtPiOverTwo = 0.886226925452758013649;

LT_UNARY(exp,        Floating,   y,    g * y)
LT_UNARY(exp2,       Floating,   y,    g * y * kLn2)
LT_UNARY(expm1,      Floating,   y,    g * (y + 1))
LT_UNARY(log,        Floating,   x,    g / x)
LT_UNARY(log2,       Floating,   x,    g / (x * kLn2))
LT_UNARY(log10,      Floating,   x,    g / (x * kLn10))
LT_UNARY(log1p,      Floating,   x,    g / (x + 1))
LT_UNARY(sqrt,       Floating,   y,    g / (y * 2))
LT_UNARY(rsqrt,      Floating,   y,    g * y * y * y * -0.5)
LT_UNARY(reciprocal, Floating,   y,    -g * y * y)
LT_UNARY(sin,        Floating,   x,    g * cos(x))
LT_UNARY(cos,        Floating,   x,    -g * sin(x))
LT_UNARY(tan,        Floating,   y,    g * (y * y + 1))
LT_UNARY(asin,       Floating,   x,    g * rsqrt(1 - x * x))
LT_UNARY(acos,       Floating,   x,    -g * rsqrt(1 - x * x))
LT_UNARY(atan,       Floating,   x,    g / (x * x + 1))
LT_UNARY(sinh,       Floating,   x,    g * cosh(x))
LT_UNARY(cosh,       Floating,   x,    g * sinh(x))
LT_UNARY(tanh,       Floating,   y,    tanh_backward(g, y))
LT_UNARY(asinh,      Floating,   x,    g * rsqrt(x * x + 1))
LT_UNARY(acosh,      Floating,   x,    g * rsqrt(x * x - 1))
LT_UNARY(atanh,      Floating,   x,    g / (1 - x * x))
LT_UNARY(erf,        Floating,   x,    g * exp(-x * x) * kTwoOverSqrtPi)
LT_UNARY(erfc,       Floating,   x,    g * exp(-x * x) * -kTwoOverSqrtPi)
LT_UNARY(sigmoid,    Floating,   y,    sigmoid_backward(g, y))
LT_UNARY(lgamma,     Floating,   x,    g * digamma(x))
LT_UNARY(digamma,    Floating,   x,    g * polygamma(1, x))
LT_UNARY(erfinv,     Floating,   y,    g * exp(y * y) * kSqrtPiOverTwo)
LT_UNARY(neg,        SameNoBool, none, -g)
LT_UNARY(abs,        Same,       x,    g * sign(x))
LT_UNARY(sign,       Same,       none, zeros_like(g))
LT_UNARY(relu,       SameNoBool, y,    where(y > 0, g, Scalar(0)))
#undef LT_UNARY

// Operators whose results are not differentiable (integral or bool).
#define LT_UNARY_NONDIFFERENTIABLE(fn, rule) \
  Tensor fn(const Tensor& x) {               \
    static const Op<IterKernel> op(#fn);     \
    return unary(op, x, Rule::rule);         \
  }
LT_UNARY_NONDIFFERENTIABLE(bitwise_not, Integral)
LT_UNARY_NONDIFFERENTIABLE(logical_not, Predicate)
LT_UNARY_NONDIFFERENTIABLE(isnan, Predicate)
LT_UNARY_NONDIFFERENTIABLE(isinf, Predicate)
LT_UNARY_NONDIFFERENTIABLE(isfinite, Predicate)
#undef LT_UNARY_NONDIFFERENTIABLE

// Rounding leaves integers as they are.
#define LT_ROUNDING(fn)                                   \
  Tensor fn(const Tensor& x) {                            \
    static const Op<IterKernel> op(#fn);                  \
    if (!is_floating(x.dtype())) return x.clone();        \
    Tensor y = unary(op, x, Rule::Same);                  \
    /* piecewise constant: the derivative is zero */      \
    if (autograd::any_requires_grad(x)) {                 \
      autograd::record(#fn, {x}, {y}, {}, [](const autograd::Backward& b) { \
        return autograd::TensorList{zeros_like(b.grad())}; \
      });                                                 \
    }                                                     \
    return y;                                             \
  }
LT_ROUNDING(floor)
LT_ROUNDING(ceil)
LT_ROUNDING(round)
LT_ROUNDING(trunc)
#undef LT_ROUNDING

// round(x * 10^d) / 10^d (a negative d: round(x / 10^-d) * 10^-d), in x's dtype, as
// PyTorch computes it.
Tensor round(const Tensor& x, int64_t decimals) {
  if (decimals == 0) return round(x);
  check_floating("round", x);
  const double scale = std::pow(10.0, static_cast<double>(decimals < 0 ? -decimals : decimals));
  Tensor y;
  {
    autograd::NoGradGuard no_grad;
    y = decimals > 0 ? div(round(mul(x, scale)), scale) : mul(round(div(x, scale)), scale);
  }
  if (autograd::any_requires_grad(x)) {
    autograd::record("round.1", {x}, {y}, {}, [](const autograd::Backward& b) {
      return autograd::TensorList{zeros_like(b.grad())};
    });
  }
  return y;
}

Tensor polygamma(int64_t n, const Tensor& x) {
  static const Op<IterKernel> op("polygamma");
  LT_CHECK(n >= 0, ValueError, "polygamma", "n must be non-negative, got ", n);
  const Scalar args[] = {n};
  Tensor y = unary(op, x, Rule::Floating, args);
  if (autograd::any_requires_grad(x)) {
    autograd::record("polygamma", {x}, {y}, {x}, [n](const autograd::Backward& b) {
      return autograd::TensorList{b.grad() * polygamma(n + 1, b.saved[0])};
    });
  }
  return y;
}

Tensor frac(const Tensor& x) {
  static const Op<IterKernel> op("frac");
  check_floating("frac", x);
  Tensor y = unary(op, x, Rule::Same);
  if (autograd::any_requires_grad(x)) {
    autograd::record("frac", {x}, {y}, {}, [](const autograd::Backward& b) { return autograd::TensorList{b.grad()}; });
  }
  return y;
}

// pow(x, 2), computed as x * x: bool squares to int64, as in PyTorch.
Tensor square(const Tensor& x) {
  if (x.dtype() == DType::Bool) return square(x.to(DType::Int64));
  Tensor y;
  {
    autograd::NoGradGuard no_grad;
    y = mul(x, x);
  }
  if (autograd::any_requires_grad(x)) {
    autograd::record("pow", {x}, {y}, {x},
                     [](const autograd::Backward& b) { return autograd::TensorList{b.grad() * b.saved[0] * 2}; });
  }
  return y;
}

Tensor nan_to_num(const Tensor& x, std::optional<double> nan, std::optional<double> posinf,
                  std::optional<double> neginf) {
  static const Op<IterKernel> op("nan_to_num");
  if (!is_floating(x.dtype())) return x.clone();
  // Infinities become the dtype's extremes unless given.
  double hi = visit_dtype(x.dtype(), [](auto tag) { return static_cast<double>(std::numeric_limits<decltype(tag)>::max()); });
  const Scalar args[] = {nan.value_or(0.0), posinf.value_or(hi), neginf.value_or(-hi)};
  Tensor y = unary(op, x, Rule::Same, args);
  if (autograd::any_requires_grad(x)) {
    autograd::record("nan_to_num", {x}, {y}, {x}, [](const autograd::Backward& b) {
      return autograd::TensorList{where(isfinite(b.saved[0]), b.grad(), Scalar(0))};
    });
  }
  return y;
}

// The fused derivatives of tanh and sigmoid, and their own derivatives in g and y.
namespace {
Tensor fused_backward(const Op<IterKernel>& op, const Tensor& g, const Tensor& y, autograd::Formula formula) {
  const char* name = op.name().data();  // the registry's copy of the name lives as long as the program
  DType t = result_type({g, y});
  LT_CHECK(is_floating(t), DTypeError, name, "expects floating-point tensors, got ", lt::name(g.dtype()), " and ",
           lt::name(y.dtype()));
  Tensor r = run_elementwise(op, {g, y}, t, t);
  if (autograd::any_requires_grad(g, y)) autograd::record(name, {g, y}, {r}, {g, y}, std::move(formula));
  return r;
}
}  // namespace

Tensor tanh_backward(const Tensor& grad, const Tensor& y) {
  static const Op<IterKernel> op("tanh_backward");
  return fused_backward(op, grad, y, [](const autograd::Backward& b) {
    const Tensor &gg = b.grad(), &g = b.saved[0], &y = b.saved[1];
    return autograd::TensorList{b.needs[0] ? tanh_backward(gg, y) : Tensor(), b.needs[1] ? gg * g * y * -2 : Tensor()};
  });
}

Tensor sigmoid_backward(const Tensor& grad, const Tensor& y) {
  static const Op<IterKernel> op("sigmoid_backward");
  return fused_backward(op, grad, y, [](const autograd::Backward& b) {
    const Tensor &gg = b.grad(), &g = b.saved[0], &y = b.saved[1];
    return autograd::TensorList{b.needs[0] ? sigmoid_backward(gg, y) : Tensor(),
                                b.needs[1] ? gg * g * (1 - y * 2) : Tensor()};
  });
}

Tensor operator-(const Tensor& x) { return neg(x); }
Tensor operator~(const Tensor& x) { return bitwise_not(x); }

}  // namespace lt
