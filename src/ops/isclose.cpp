// Closeness and equality of whole tensors, as PyTorch defines them: isclose elementwise,
// allclose and equal as one answer. Composed of elementwise operators, so every device
// has them; none is differentiable (their results are booleans).
#include "helpers.h"

namespace lt {

Tensor isclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  LT_CHECK(a.dtype() == b.dtype(), DTypeError, "isclose", "expects inputs of one dtype, got ", name(a.dtype()),
           " and ", name(b.dtype()));
  LT_CHECK(rtol >= 0 && atol >= 0, ValueError, "isclose", "tolerances must be non-negative, got rtol=", rtol,
           " and atol=", atol);
  autograd::NoGradGuard no_grad;
  Tensor close = eq(a, b);  // equal infinities included
  if (a.dtype() == DType::Bool) return close;
  if (!is_floating(a.dtype())) {  // integers: their difference in float64, exact below 2^53
    if (rtol == 0 && atol == 0) return close;
    return isclose(a.to(DType::Float64), b.to(DType::Float64), rtol, atol, false);
  }
  if (equal_nan) close = logical_or(close, logical_and(isnan(a), isnan(b)));
  const Tensor error = abs(sub(a, b));
  // A finite error within the allowance; an infinite one (an infinity against a number,
  // or infinities of opposite sign) is never close.
  const Tensor within = logical_and(isfinite(error), le(error, add(mul(abs(b), rtol), atol)));
  return logical_or(close, within);
}

bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  return all(isclose(a, b, rtol, atol, equal_nan)).item<bool>();
}

bool equal(const Tensor& a, const Tensor& b) {
  if (a.sizes() != b.sizes()) return false;
  autograd::NoGradGuard no_grad;
  return all(eq(a, b)).item<bool>();
}

}  // namespace lt
