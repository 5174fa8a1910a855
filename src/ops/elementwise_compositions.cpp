// Elementwise operators composed of the kernels' operators: logaddexp, logit, signbit,
// fmax / fmin, heaviside, degree conversions, sinc and float_power. Autograd
// differentiates them through their parts, so each formula is chosen to keep its
// derivative exact where PyTorch's is defined.
#include <numbers>

#include "helpers.h"
#include "libtensor/autocast.h"

namespace lt {
namespace {

// Integral (and bool) inputs compute in the default floating type, as PyTorch's float ops.
Tensor floating(const Tensor& x) { return is_floating(x.dtype()) ? x : x.to(DType::Float32); }

}  // namespace

Tensor logaddexp(const Tensor& a, const Tensor& b) {
  LT_AUTOCAST(logaddexp, a, b);
  const DType t = result_type({a, b});
  LT_CHECK(is_floating(t), DTypeError, "logaddexp", "expects floating-point inputs, got ", name(a.dtype()), " and ",
           name(b.dtype()));
  // logsumexp of the pair: no overflow, infinities handled, and its derivative (a softmax)
  // splits a tie evenly, as d/da log(e^a + e^b) does.
  std::vector<Tensor> ab = broadcast_tensors({a.to(t), b.to(t)});
  return logsumexp(stack(ab, 0), {0});
}

Tensor logaddexp2(const Tensor& a, const Tensor& b) {
  LT_AUTOCAST(logaddexp2, a, b);
  constexpr double kLn2 = std::numbers::ln2;
  const DType t = result_type({a, b});
  LT_CHECK(is_floating(t), DTypeError, "logaddexp2", "expects floating-point inputs, got ", name(a.dtype()), " and ",
           name(b.dtype()));
  // Scaled into and out of logaddexp's base in float32 at least: rounded once at the end.
  const DType wide = t == DType::Float64 ? t : DType::Float32;
  return div(logaddexp(mul(a.to(wide), kLn2), mul(b.to(wide), kLn2)), kLn2).to(t);
}

Tensor logit(const Tensor& x, std::optional<double> eps) {
  LT_AUTOCAST(logit, x, eps);
  Tensor p = floating(x);
  if (eps) p = clamp(p, Scalar(*eps), Scalar(1 - *eps));
  return log(div(p, rsub(p, Scalar(1))));
}

Tensor sgn(const Tensor& x) { return sign(x); }

Tensor signbit(const Tensor& x) {
  autograd::NoGradGuard no_grad;
  if (x.dtype() == DType::Bool) return zeros(x.sizes(), DType::Bool, x.device());
  // copysign reads the sign bit itself: -0.0 and negative NaNs count, as in C's signbit.
  if (is_floating(x.dtype())) return lt::lt(copysign(ones_like(x), x), Scalar(0));
  return lt::lt(x, Scalar(0));
}

// PyTorch's choice: a where a >= b or b is NaN, else b (so a tie's gradient goes to a).
Tensor fmax(const Tensor& a, const Tensor& b) {
  const DType t = result_type({a, b});
  const Tensor x = a.to(t), y = b.to(t);
  return where(logical_or(ge(x, y), isnan(y)), x, y);
}

Tensor fmin(const Tensor& a, const Tensor& b) {
  const DType t = result_type({a, b});
  const Tensor x = a.to(t), y = b.to(t);
  return where(logical_or(le(x, y), isnan(y)), x, y);
}

Tensor heaviside(const Tensor& x, const Tensor& values) {
  LT_CHECK(x.dtype() == values.dtype(), DTypeError, "heaviside", "expects input and values of one dtype, got ",
           name(x.dtype()), " and ", name(values.dtype()));
  autograd::NoGradGuard no_grad;  // a step: PyTorch defines no derivative
  return where(eq(x, Scalar(0)), values, gt(x, Scalar(0)).to(x.dtype()));
}

Tensor deg2rad(const Tensor& x) { return mul(floating(x), std::numbers::pi / 180); }

Tensor rad2deg(const Tensor& x) { return mul(floating(x), 180 / std::numbers::pi); }

Tensor sinc(const Tensor& x) {
  const Tensor y = floating(x);
  const Tensor zero = eq(y, Scalar(0));
  // Away from 0 on both branches, so that neither value nor derivative is 0 / 0 there.
  const Tensor pix = mul(where(zero, Scalar(1), y), std::numbers::pi);
  return where(zero, Scalar(1), div(sin(pix), pix));
}

Tensor float_power(const Tensor& a, const Tensor& b) { return pow(a.to(DType::Float64), b.to(DType::Float64)); }

Tensor float_power(const Tensor& a, const Scalar& b) { return pow(a.to(DType::Float64), Scalar(b.to_double())); }

}  // namespace lt
