// A tensor seen along one dim as `outer` blocks of n x inner elements: the geometry of
// every backend's softmax-like kernels over an arbitrary dim.
#pragma once

#include <cstdint>

#include "libtensor/tensor.h"

namespace lt::common {

struct Shape3 {
  int64_t outer, n, inner;
};

inline Shape3 shape_of(const Tensor& x, int64_t dim) {
  Shape3 s{1, x.size(dim), 1};
  for (int64_t d = 0; d < dim; ++d) s.outer *= x.size(d);
  for (int64_t d = dim + 1; d < x.dim(); ++d) s.inner *= x.size(d);
  return s;
}

}  // namespace lt::common
