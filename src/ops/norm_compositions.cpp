// Norms composed of norm: the distance between two tensors, and renorm's rescaling of
// slices whose norm is too large.
#include "helpers.h"
#include "libtensor/autocast.h"

namespace lt {

Tensor dist(const Tensor& a, const Tensor& b, double p) {
  LT_AUTOCAST(dist, a, b, p);
  return named("dist", [&] { return norm(sub(a, b), p); });
}

Tensor renorm(const Tensor& x, double p, int64_t dim, double maxnorm) {
  LT_AUTOCAST(renorm, x, p, dim, maxnorm);
  return named("renorm", [&] {
    LT_CHECK(is_floating(x.dtype()), DTypeError, "renorm", "expects a floating-point input, got ", name(x.dtype()));
    LT_CHECK(x.dim() >= 2, ShapeError, "renorm", "input needs at least 2 dims, got shape ", str(x.sizes()));
    LT_CHECK(p > 0, ValueError, "renorm", "p must be positive, got ", p);
    LT_CHECK(maxnorm >= 0, ValueError, "renorm", "maxnorm must be >= 0, got ", maxnorm);
    const int64_t d = wrap_dim(dim, x.dim(), "renorm");
    std::vector<int64_t> others;
    for (int64_t i = 0; i < x.dim(); ++i) {
      if (i != d) others.push_back(i);
    }
    const Tensor norms = norm(x, p, others, true);
    // PyTorch's 1e-7 keeps a rescaled slice just under maxnorm.
    const Tensor scale = where(gt(norms, Scalar(maxnorm)), Scalar(maxnorm) / add(norms, Scalar(1e-7)), Scalar(1));
    return mul(x, scale);
  });
}

}  // namespace lt
