// Running sums composed of others: logcumsumexp as a log-space prefix scan, and the
// trapezoid rule with its cumulative form.
#include "helpers.h"

namespace lt {

Tensor logcumsumexp(const Tensor& x, int64_t dim) {
  return named("logcumsumexp", [&] {
    LT_CHECK(is_floating(x.dtype()), DTypeError, "logcumsumexp", "expects a floating-point input, got ",
             name(x.dtype()));
    const int64_t d = wrap_dim(dim, std::max<int64_t>(x.dim(), 1), "logcumsumexp");
    const int64_t n = x.dim() == 0 ? 1 : x.size(d);
    if (n <= 1) return x.clone();
    // Hillis and Steele's scan: after the step of span s, y[i] holds the log-sum-exp of
    // x[i - 2s + 1 .. i]. Each step is one logaddexp, exact for any magnitudes (a
    // running maximum, subtracted once, would underflow a prefix far below it). The
    // first s elements are complete already and pass through: padding them with -inf
    // would split their gradient with the padding where they are -inf too.
    Tensor y = x;
    for (int64_t s = 1; s < n; s *= 2) {
      y = cat({y.narrow(d, 0, s), logaddexp(y.narrow(d, s, n - s), y.narrow(d, 0, n - s))}, d);
    }
    return y;
  });
}

namespace {

// (y[i] + y[i + 1]) / 2 along d: the mean height of each interval.
Tensor interval_heights(const Tensor& y, int64_t d) {
  const int64_t n = y.size(d);
  return div(add(y.narrow(d, 0, n - 1), y.narrow(d, 1, n - 1)), Scalar(2));
}

// The widths of the intervals between the points x along dim d of y: x 1-D (one point
// per sample) or broadcasting with y.
Tensor interval_widths(const char* op, const Tensor& y, const Tensor& x, int64_t d) {
  if (x.dim() == 1) {
    LT_CHECK(x.size(0) == y.size(d), ShapeError, op, "there must be one x value for each sample point: x has ",
             x.size(0), " and y ", y.size(d), " along dim ", d);
    Shape along(y.dim(), 1);
    along[d] = y.size(d) - 1;
    return diff(x).reshape(along);
  }
  return diff(x, 1, d - y.dim());
}

int64_t integration_dim(const char* op, const Tensor& y, int64_t dim) {
  LT_CHECK(y.dim() > 0, ShapeError, op, "expects y with at least 1 dim, got a 0-dim tensor");
  return wrap_dim(dim, y.dim(), op);
}

// y's float form: integer samples integrate in the default dtype.
Tensor floating(const Tensor& y) { return is_floating(y.dtype()) ? y : y.to(default_dtype()); }

}  // namespace

Tensor trapezoid(const Tensor& y, const Tensor& x, int64_t dim) {
  return named("trapezoid", [&] {
    const int64_t d = integration_dim("trapezoid", y, dim);
    if (y.size(d) == 0) return sum(floating(y), {d});
    return sum(mul(interval_heights(floating(y), d), interval_widths("trapezoid", y, x, d)), {d});
  });
}

Tensor trapezoid(const Tensor& y, const Scalar& dx, int64_t dim) {
  return named("trapezoid", [&] {
    const int64_t d = integration_dim("trapezoid", y, dim);
    if (y.size(d) == 0) return sum(floating(y), {d});
    return mul(sum(interval_heights(floating(y), d), {d}), dx);
  });
}

Tensor cumulative_trapezoid(const Tensor& y, const Tensor& x, int64_t dim) {
  return named("cumulative_trapezoid", [&] {
    const int64_t d = integration_dim("cumulative_trapezoid", y, dim);
    if (y.size(d) == 0) return floating(y).clone();
    return cumsum(mul(interval_heights(floating(y), d), interval_widths("cumulative_trapezoid", y, x, d)), d);
  });
}

Tensor cumulative_trapezoid(const Tensor& y, const Scalar& dx, int64_t dim) {
  return named("cumulative_trapezoid", [&] {
    const int64_t d = integration_dim("cumulative_trapezoid", y, dim);
    if (y.size(d) == 0) return floating(y).clone();
    return cumsum(mul(interval_heights(floating(y), d), dx), d);
  });
}

}  // namespace lt
