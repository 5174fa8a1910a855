// The sizes of one 2-d convolution, read the same way by every backend's im2col kernels.
#pragma once

#include <cstdint>

#include "libtensor/half.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"

namespace lt::common {

struct Conv {
  int64_t n, c, h, w;  // input
  int64_t o, kh, kw;   // weight (o, c / groups, kh, kw)
  int64_t oh, ow;      // output
  int64_t sh, sw, ph, pw, dh, dw, groups;
  LT_HOST_DEVICE int64_t cg() const { return c / groups; }
  LT_HOST_DEVICE int64_t og() const { return o / groups; }
  LT_HOST_DEVICE int64_t k() const { return cg() * kh * kw; }  // rows of the patch matrix
  LT_HOST_DEVICE int64_t l() const { return oh * ow; }          // its columns
  bool pointwise() const { return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0; }
};

// args: stride, padding, dilation (h, w), groups.
inline Conv geometry(const Tensor& input, const Tensor& weight, const Tensor& output, ScalarList a) {
  return Conv{input.size(0),  input.size(1),  input.size(2),  input.size(3),  weight.size(0), weight.size(2),
              weight.size(3), output.size(2), output.size(3), a[0].to_int(),  a[1].to_int(),  a[2].to_int(),
              a[3].to_int(),  a[4].to_int(),  a[5].to_int(),  a[6].to_int()};
}

}  // namespace lt::common
