// Flips, quarter turns and finite differences: compositions of flip, transpose, narrow
// and cat, differentiated through those.
#include "helpers.h"

namespace lt {

Tensor diff(const Tensor& x, int64_t n, int64_t dim, const std::optional<Tensor>& prepend,
            const std::optional<Tensor>& append) {
  return named("diff", [&] {
    LT_CHECK(x.dim() >= 1, ShapeError, "diff", "expects a tensor of at least 1 dim, got a 0-dim one");
    LT_CHECK(n >= 0, ValueError, "diff", "order must be non-negative, got ", n);
    const int64_t d = wrap_dim(dim, x.dim(), "diff");
    if (n == 0) return x.clone();  // prepend and append are not joined then, as in PyTorch
    Tensor y = x;
    if (prepend || append) {
      std::vector<Tensor> parts;
      for (const auto* part : {&prepend, &append}) {
        if (!*part) continue;
        LT_CHECK((*part)->dim() == x.dim(), ShapeError, "diff", "prepend and append must have the input's ", x.dim(),
                 " dims, got shape ", str((*part)->sizes()));
      }
      if (prepend) parts.push_back(*prepend);
      parts.push_back(x);
      if (append) parts.push_back(*append);
      y = cat(parts, d);
    }
    for (int64_t i = 0; i < n && y.size(d) > 0; ++i) {
      const int64_t len = y.size(d) - 1;
      const Tensor later = y.narrow(d, 1, len), earlier = y.narrow(d, 0, len);
      y = y.dtype() == DType::Bool ? logical_xor(later, earlier) : sub(later, earlier);
    }
    return y;
  });
}

Tensor fliplr(const Tensor& x) {
  return named("fliplr", [&] {
    LT_CHECK(x.dim() >= 2, ShapeError, "fliplr", "expects a tensor of at least 2 dims, got shape ", str(x.sizes()));
    return flip(x, {1});
  });
}

Tensor flipud(const Tensor& x) {
  return named("flipud", [&] {
    LT_CHECK(x.dim() >= 1, ShapeError, "flipud", "expects a tensor of at least 1 dim, got a 0-dim one");
    return flip(x, {0});
  });
}

Tensor rot90(const Tensor& x, int64_t k, IntList dims) {
  return named("rot90", [&] {
    LT_CHECK(dims.size() == 2, ValueError, "rot90", "expects 2 dims, got ", dims.size());
    LT_CHECK(x.dim() >= 2, ShapeError, "rot90", "expects a tensor of at least 2 dims, got shape ", str(x.sizes()));
    const int64_t a = wrap_dim(dims[0], x.dim(), "rot90"), b = wrap_dim(dims[1], x.dim(), "rot90");
    LT_CHECK(a != b, ValueError, "rot90", "expects two different dims, got ", dims[0], " and ", dims[1]);
    switch (((k % 4) + 4) % 4) {
      case 1: return flip(x, {b}).transpose(a, b);
      case 2: return flip(x, {a, b});
      case 3: return flip(x, {a}).transpose(a, b);
      default: return x.clone();
    }
  });
}

}  // namespace lt
