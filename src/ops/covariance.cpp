// The covariance and correlation matrices of variables observed together: compositions
// of mean, matmul and division.
#include "helpers.h"

namespace lt {
namespace {

// A weights vector given for `observations` columns: 1-D, of that length, non-negative.
void check_weights(const char* which, const Tensor& w, int64_t observations, bool integral) {
  LT_CHECK(w.dim() <= 1, ShapeError, "cov", which, " must be a number or a 1-D tensor, got shape ", str(w.sizes()));
  LT_CHECK(w.numel() == observations, ShapeError, "cov", "expected ", which, " to have ", observations,
           " elements (one per observation), got ", w.numel());
  LT_CHECK(is_floating(w.dtype()) != integral, DTypeError, "cov", which, " must be ",
           integral ? "integral" : "floating point", ", got ", name(w.dtype()));
  LT_CHECK(!any(lt::lt(w.detach(), Scalar(0))).item<bool>(), ValueError, "cov", which, " cannot be negative");
}

}  // namespace

Tensor cov(const Tensor& x, int64_t correction, const std::optional<Tensor>& fweights,
           const std::optional<Tensor>& aweights) {
  return named("cov", [&] {
    LT_CHECK(x.dim() <= 2, ShapeError, "cov", "expects a tensor of at most 2 dims, got shape ", str(x.sizes()));
    // Rows are variables, columns observations; integers compute in the default dtype.
    Tensor obs = x.dim() < 2 ? x.reshape({1, -1}) : x;
    if (!is_floating(obs.dtype())) obs = obs.to(default_dtype());
    // Observation weights join the type promotion (bfloat16 data, float32 weights: float32).
    if (aweights) obs = obs.to(promote_types(obs.dtype(), aweights->dtype()));
    const int64_t n = obs.size(1);
    std::optional<Tensor> w;
    if (fweights) {
      check_weights("fweights", *fweights, n, true);
      w = fweights->reshape({-1});
    }
    if (aweights) {
      check_weights("aweights", *aweights, n, false);
      w = w ? mul(*w, aweights->reshape({-1})) : aweights->reshape({-1});
    }
    Tensor mean_of_rows, weight_sum, norm;
    if (w) {
      const Tensor wf = w->to(obs.dtype());
      weight_sum = sum(wf);
      mean_of_rows = div(sum(mul(obs, wf), {1}, true), weight_sum);
      if (correction == 0) {
        norm = weight_sum;
      } else if (!aweights) {
        norm = sub(weight_sum, Scalar(correction));
      } else {
        norm = sub(weight_sum, div(mul(sum(mul(wf, aweights->reshape({-1}).to(obs.dtype()))), Scalar(correction)),
                                   weight_sum));
      }
    } else {
      mean_of_rows = mean(obs, {1}, true);
      norm = scalar_tensor(static_cast<double>(n - correction), obs.dtype(), obs.device());
    }
    // Too few observations for the correction: NumPy's and PyTorch's inf / NaN.
    norm = clamp_min(norm, Scalar(0));
    const Tensor centered = sub(obs, mean_of_rows);
    const Tensor weighted = w ? mul(centered, w->to(obs.dtype())) : centered;
    return div(matmul(weighted, centered.t()), norm).squeeze();
  });
}

Tensor corrcoef(const Tensor& x) {
  return named("corrcoef", [&] {
    const Tensor c = cov(x);
    if (c.dim() == 0) return div(c, c);  // one variable: 1, or NaN without spread
    const Tensor spread = sqrt(c.diagonal());
    const Tensor r = div(div(c, spread.unsqueeze(1)), spread.unsqueeze(0));
    return clamp(r, Scalar(-1), Scalar(1));  // rounding can step just outside
  });
}

}  // namespace lt
