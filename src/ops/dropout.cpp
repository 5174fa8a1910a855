// dropout: each element zeroed with probability p and the rest scaled by 1 / (1 - p), a
// composition of bernoulli and mul (its derivative is the same mask and scale).
#include "helpers.h"

namespace lt {

Tensor dropout(const Tensor& x, double p, bool training, Generator* gen) {
  LT_CHECK(p >= 0 && p <= 1, ValueError, "dropout", "probability has to be between 0 and 1, but got ", p);
  if (!training || p == 0) return x;
  LT_CHECK(is_floating(x.dtype()), DTypeError, "dropout", "expects a floating-point input, got ", name(x.dtype()));
  if (p == 1) return x * 0;
  Tensor keep = bernoulli(full(x.sizes(), 1 - p, x.dtype(), x.device()), gen);
  return x * (keep * (1 / (1 - p)));
}

}  // namespace lt
