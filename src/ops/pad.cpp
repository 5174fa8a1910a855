// pad: constant padding (its own node, whose derivative is the opposite padding) and
// reflect / replicate / circular padding (compositions of index_select, one per padded
// dim, differentiated through it).
#include <algorithm>

#include "helpers.h"

namespace lt {
namespace {

using autograd::Backward;

// pads (left, right) of dim d, from the last dim backwards as PyTorch lists them.
int64_t left(IntList pads, int64_t ndim, int64_t d) { return pads[2 * (ndim - 1 - d)]; }
int64_t right(IntList pads, int64_t ndim, int64_t d) { return pads[2 * (ndim - 1 - d) + 1]; }

Tensor constant_pad(const Tensor& x, IntList pads, const Scalar& value) {
  const int64_t n = x.dim(), first = n - static_cast<int64_t>(pads.size()) / 2;
  Shape shape = x.sizes();
  for (int64_t d = first; d < n; ++d) {
    shape[d] += left(pads, n, d) + right(pads, n, d);
    LT_CHECK(shape[d] >= 0, ShapeError, "pad", "padding ", str(pads), " makes dim ", d, " of input shape ",
             str(x.sizes()), " negative");
  }
  Tensor y = full(shape, value, x.dtype(), x.device());
  {
    autograd::NoGradGuard no_grad;
    // Negative pads crop the input; positive ones move it inwards.
    Tensor src = x, dst = y;
    bool overlap = true;
    for (int64_t d = first; d < n && overlap; ++d) {
      const int64_t l = left(pads, n, d), r = right(pads, n, d);
      const int64_t length = x.size(d) - std::max<int64_t>(-l, 0) - std::max<int64_t>(-r, 0);
      overlap = length > 0;
      if (!overlap) break;
      src = src.narrow(d, std::max<int64_t>(-l, 0), length);
      dst = dst.narrow(d, std::max<int64_t>(l, 0), length);
    }
    if (overlap) dst.copy_(src);
  }
  Shape negated(pads.begin(), pads.end());
  for (int64_t& p : negated) p = -p;
  autograd::record("constant_pad_nd", {x}, {y}, {}, [negated](const Backward& d) {
    return autograd::TensorList{constant_pad(d.grad(), negated, 0)};
  });
  return y;
}

// Where each output position of a padded dim reads from. Reflection and replication
// index the input as it is; circular padding wraps around the input as negative pads
// leave it (PyTorch's order: crop, then wrap).
Tensor source_index(std::string_view mode, int64_t size, int64_t l, int64_t r, Device device) {
  std::vector<int64_t> index;
  const int64_t lo = std::max<int64_t>(-l, 0), kept = size - lo - std::max<int64_t>(-r, 0);
  for (int64_t i = -l; i < size + r; ++i) {
    if (mode == "reflect") {
      index.push_back(i < 0 ? -i : i >= size ? 2 * (size - 1) - i : i);
    } else if (mode == "replicate") {
      index.push_back(std::clamp<int64_t>(i, 0, size - 1));
    } else {
      const int64_t k = i - lo;
      index.push_back(lo + ((k % kept) + kept) % kept);
    }
  }
  return from_vector(index, {}, device);
}

}  // namespace

Tensor pad(const Tensor& x, IntList pads, std::string_view mode, double value) {
  LT_CHECK(pads.size() % 2 == 0 && static_cast<int64_t>(pads.size()) <= 2 * x.dim(), ValueError, "pad", "padding ",
           str(pads), " must hold (left, right) pairs for at most the ", x.dim(), " dims of input shape ",
           str(x.sizes()));
  if (mode == "constant") {
    return constant_pad(x, pads, is_floating(x.dtype()) ? Scalar(value) : Scalar(static_cast<int64_t>(value)));
  }
  LT_CHECK(mode == "reflect" || mode == "replicate" || mode == "circular", ValueError, "pad",
           "mode must be 'constant', 'reflect', 'replicate' or 'circular', got '", mode, "'");
  const int64_t padded = static_cast<int64_t>(pads.size()) / 2;
  LT_CHECK(x.dim() >= padded + 1 && x.dim() <= padded + 2, NotImplementedError, "pad", mode, " padding of ", padded,
           " dims expects a ", padded + 1, "-D or ", padded + 2, "-D input, got shape ", str(x.sizes()));
  Tensor y = x;
  for (int64_t d = x.dim() - padded; d < x.dim(); ++d) {
    const int64_t l = left(pads, x.dim(), d), r = right(pads, x.dim(), d), size = x.size(d);
    LT_CHECK(size > 0 && (mode != "reflect" || (l < size && r < size)) && (mode != "circular" || (l <= size && r <= size)),
             ValueError, "pad", mode, " padding ", str(pads), " is too large for dim ", d, " of input shape ",
             str(x.sizes()));
    LT_CHECK(mode != "circular" || size - std::max<int64_t>(-l, 0) - std::max<int64_t>(-r, 0) > 0, ValueError, "pad",
             "circular padding ", str(pads), " crops all of dim ", d, " of input shape ", str(x.sizes()));
    LT_CHECK(size + l + r >= 0, ShapeError, "pad", "padding ", str(pads), " makes dim ", d, " of input shape ",
             str(x.sizes()), " negative");
    y = index_select(y, d, source_index(mode, size, l, r, x.device()));
  }
  return y;
}

}  // namespace lt
