// Elementwise operators composed of the kernels' operators: logaddexp, logit, signbit,
// fmax / fmin, heaviside, degree conversions, isposinf / isneginf, ldexp, sinc and
// float_power. Autograd
// differentiates them through their parts, so each formula is chosen to keep its
// derivative exact where PyTorch's is defined.
#include <limits>
#include <numbers>

#include "helpers.h"
#include "libtensor/autocast.h"

namespace lt {
namespace {

// Integral (and bool) inputs compute in the default floating type, as PyTorch's float ops.
Tensor floating(const Tensor& x) { return is_floating(x.dtype()) ? x : x.to(default_dtype()); }

// max(a, b) + log(1 + e^-|a - b|): no overflow, the derivative of each branch exact
// (maximum splits a tie, as d/da log(e^a + e^b) = 1/2 there), and for equal infinities
// the difference taken as 0, where a - b would be NaN.
Tensor log_add(const char* op, const Tensor& a, const Tensor& b, bool base2) {
  return named(op, [&] {
    const DType t = result_type({a, b});
    LT_CHECK(is_floating(t), DTypeError, op, "expects floating-point inputs, got ", name(a.dtype()), " and ",
             name(b.dtype()));
    if (auto r = in_float32({a.to(t), b.to(t)}, [&](const std::vector<Tensor>& w) {
          return log_add(op, w[0], w[1], base2);
        })) {
      return *r;
    }
    const Tensor x = a.to(t), y = b.to(t);
    const Tensor gap = abs(where(logical_and(isinf(x), eq(x, y)), Scalar(0), sub(x, y)));
    const Tensor rest = base2 ? div(log1p(exp2(neg(gap))), std::numbers::ln2) : log1p(exp(neg(gap)));
    return add(maximum(x, y), rest);
  });
}

}  // namespace

Tensor logaddexp(const Tensor& a, const Tensor& b) {
  LT_AUTOCAST(logaddexp, a, b);
  return log_add("logaddexp", a, b, false);
}

Tensor logaddexp2(const Tensor& a, const Tensor& b) {
  LT_AUTOCAST(logaddexp2, a, b);
  return log_add("logaddexp2", a, b, true);
}

Tensor logit(const Tensor& x, std::optional<double> eps) {
  LT_AUTOCAST(logit, x, eps);
  return named("logit", [&] {
    return rounded_once(floating(x), [&](Tensor p) {
      if (eps) p = clamp(p, Scalar(*eps), Scalar(1 - *eps));
      return log(div(p, rsub(p, Scalar(1))));
    });
  });
}

Tensor sgn(const Tensor& x) { return sign(x); }

Tensor signbit(const Tensor& x) {
  return named("signbit", [&] {
    autograd::NoGradGuard no_grad;
    if (x.dtype() == DType::Bool) return zeros(x.sizes(), DType::Bool, x.device());
    // copysign reads the sign bit itself: -0.0 and negative NaNs count, as in C's signbit.
    if (is_floating(x.dtype())) return lt::lt(copysign(ones_like(x), x), Scalar(0));
    return lt::lt(x, Scalar(0));
  });
}

// PyTorch's choice: a where a >= b or b is NaN, else b (so a tie's gradient goes to a).
Tensor fmax(const Tensor& a, const Tensor& b) {
  return named("fmax", [&] {
    const DType t = result_type({a, b});
    const Tensor x = a.to(t), y = b.to(t);
    return where(logical_or(ge(x, y), isnan(y)), x, y);
  });
}

Tensor fmin(const Tensor& a, const Tensor& b) {
  return named("fmin", [&] {
    const DType t = result_type({a, b});
    const Tensor x = a.to(t), y = b.to(t);
    return where(logical_or(le(x, y), isnan(y)), x, y);
  });
}

Tensor heaviside(const Tensor& x, const Tensor& values) {
  return named("heaviside", [&] {
    LT_CHECK(x.dtype() == values.dtype(), DTypeError, "heaviside", "expects input and values of one dtype, got ",
             name(x.dtype()), " and ", name(values.dtype()));
    autograd::NoGradGuard no_grad;  // a step: PyTorch defines no derivative
    return where(eq(x, Scalar(0)), values, gt(x, Scalar(0)).to(x.dtype()));
  });
}

Tensor deg2rad(const Tensor& x) {
  return named("deg2rad", [&] { return mul(floating(x), std::numbers::pi / 180); });
}

Tensor rad2deg(const Tensor& x) {
  return named("rad2deg", [&] { return mul(floating(x), 180 / std::numbers::pi); });
}

Tensor isposinf(const Tensor& x) {
  if (!is_floating(x.dtype())) return zeros(x.sizes(), DType::Bool, x.device());
  return eq(x, Scalar(std::numeric_limits<double>::infinity()));
}

Tensor isneginf(const Tensor& x) {
  if (!is_floating(x.dtype())) return zeros(x.sizes(), DType::Bool, x.device());
  return eq(x, Scalar(-std::numeric_limits<double>::infinity()));
}

Tensor ldexp(const Tensor& x, const Tensor& e) {
  return named("ldexp", [&] { return mul(x, exp2(e)); });
}

Tensor sinc(const Tensor& x) {
  return named("sinc", [&] {
    return rounded_once(floating(x), [](const Tensor& y) {
      const Tensor zero = eq(y, Scalar(0));
      // Away from 0 on both branches, so that neither value nor derivative is 0 / 0 there.
      const Tensor pix = mul(where(zero, Scalar(1), y), std::numbers::pi);
      return where(zero, Scalar(1), div(sin(pix), pix));
    });
  });
}

Tensor float_power(const Tensor& a, const Tensor& b) {
  return named("float_power", [&] { return pow(a.to(DType::Float64), b.to(DType::Float64)); });
}

Tensor float_power(const Tensor& a, const Scalar& b) {
  return named("float_power", [&] { return pow(a.to(DType::Float64), Scalar(b.to_double())); });
}

}  // namespace lt
