#include "libtensor/shape.h"

#include <algorithm>

#include "libtensor/error.h"

namespace lt {

std::string str(IntList shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

int64_t checked_numel(IntList shape, std::string_view op) {
  int64_t n = 1;
  bool zero = false;
  for (int64_t s : shape) {
    LT_CHECK(s >= 0, ShapeError, op, "negative size in shape ", str(shape));
    zero |= s == 0;
  }
  if (zero) return 0;
  for (int64_t s : shape) {
    LT_CHECK(!__builtin_mul_overflow(n, s, &n), ShapeError, op, "shape ", str(shape),
             " has more elements than fit in 64 bits");
  }
  return n;
}

Shape contiguous_strides(IntList shape) {
  Shape strides(shape.size());
  int64_t s = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = s;
    // Only zero-size tensors get here with a numel that overflows; their strides are
    // never used to address memory, but they must not wrap.
    LT_CHECK(!__builtin_mul_overflow(s, std::max<int64_t>(shape[i], 1), &s), ShapeError, "strides",
             "strides of shape ", str(shape), " overflow 64 bits");
  }
  return strides;
}

Shape broadcast_shapes(IntList a, IntList b, std::string_view op) {
  size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t x = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t y = i < n - b.size() ? 1 : b[i - (n - b.size())];
    LT_CHECK(x == y || x == 1 || y == 1, ShapeError, op, "shapes ", str(a), " and ", str(b),
             " cannot be broadcast");
    out[i] = x == 1 ? y : x;
  }
  return out;
}

int64_t wrap_dim(int64_t dim, int64_t ndim, std::string_view op) {
  int64_t n = std::max<int64_t>(ndim, 1);  // a 0-dim tensor accepts dims 0 and -1
  LT_CHECK(dim >= -n && dim < n, IndexError, op, "dimension ", dim, " is out of range for a tensor with ",
           ndim, " dimensions");
  return dim < 0 ? dim + n : dim;
}

}  // namespace lt
