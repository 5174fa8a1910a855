// Vector norms over dims, and what is built on them (normalize, cosine_similarity).
//
// norm records a formula of its own: composed, the 2-norm's derivative at a zero vector
// would be 0 * inf; PyTorch's (and this) is 0 there.
#include <cmath>
#include <limits>

#include "libtensor/autocast.h"
#include "helpers.h"

namespace lt {
namespace {

using autograd::Backward;
using autograd::TensorList;

}  // namespace

// (sum |x|^p)^(1/p) over dims; p = inf is max |x|, p = -inf min |x|, p = 0 counts nonzeros.
Tensor norm(const Tensor& x, double p, IntList dims, bool keepdim) {
  LT_AUTOCAST(norm, x, p, dims, keepdim);
  LT_CHECK(is_floating(x.dtype()), DTypeError, "norm", "expects a floating-point input, got ", name(x.dtype()));
  auto mask = reduction_mask("norm", x, dims);
  Tensor y;
  {
    autograd::NoGradGuard no_grad;
    Tensor a = abs(x);
    if (std::isinf(p)) {
      y = p > 0 ? amax(a, dims, keepdim) : amin(a, dims, keepdim);
    } else if (p == 0) {
      y = sum(a != 0, dims, keepdim, x.dtype());
    } else if (p == 1) {
      y = sum(a, dims, keepdim);
    } else if (p == 2) {
      y = sqrt(sum(square(a), dims, keepdim));
    } else {
      y = pow(sum(pow(a, p), dims, keepdim), 1 / p);
    }
  }
  if (autograd::any_requires_grad(x)) {
    Shape reduced;
    for (size_t d = 0; d < mask.size(); ++d) {
      if (mask[d]) reduced.push_back(static_cast<int64_t>(d));
    }
    autograd::record("norm.1", {x}, {y}, {x, y}, [p, reduced, kept = kept_shape(x, mask)](const Backward& b) {
      const Tensor &x = b.saved[0], y = b.saved[1].reshape(kept);
      const Tensor g = b.grad().reshape(kept);
      if (p == 0) return TensorList{zeros_like(x)};
      if (p == 1) return TensorList{g * sign(x)};
      if (std::isinf(p)) {
        // Shared among the elements at the extreme, as amax's.
        Tensor at = logical_or(abs(x) == y, isnan(x));
        return TensorList{where(at, g * sign(x) / sum(at, reduced, true).to(x.dtype()), Scalar(0))};
      }
      // |x|^(p-2) is infinite at a zero coordinate for p < 2, where the derivative of |x|^p
      // is 0 (p > 1): masked, as PyTorch's cdist, rather than 0 * inf.
      Tensor scale = p == 2 ? x / y : where(x == 0, Scalar(0), x * pow(abs(x), p - 2)) / pow(y, p - 1);
      return TensorList{where(y == 0, Scalar(0), g * scale)};
    });
  }
  return y;
}

// x / max(||x||_p, eps) along dim.
Tensor normalize(const Tensor& x, double p, int64_t dim, double eps) {
  return x / clamp_min(norm(x, p, {dim}, true), eps).expand_as(x);
}

// sum(a / max(||a||, eps) * b / max(||b||, eps)) along dim, as PyTorch 1.13.
Tensor cosine_similarity(const Tensor& a, const Tensor& b, int64_t dim, double eps) {
  LT_AUTOCAST(cosine_similarity, a, b, dim, eps);
  Shape shape = broadcast_shapes(a.sizes(), b.sizes(), "cosine_similarity");
  Tensor x = a.expand(shape), y = b.expand(shape);
  Tensor xn = x / clamp_min(norm(x, 2, {dim}, true), eps), yn = y / clamp_min(norm(y, 2, {dim}, true), eps);
  return sum(xn * yn, {dim});
}

}  // namespace lt
