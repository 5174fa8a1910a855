// The windows of 2-d max, average and adaptive pooling, read the same way by every
// backend's kernels.
#pragma once

#include <algorithm>
#include <cstdint>

#include "libtensor/half.h"
#include "libtensor/registry.h"

namespace lt::common {

struct Pool {
  int64_t kernel[2], stride[2], padding[2], dilation[2];
  bool ceil_mode, count_include_pad;
  int64_t divisor;
  bool adaptive;
  static Pool of(ScalarList a) {
    Pool p{};
    for (int d = 0; d < 2; ++d) {
      p.kernel[d] = a[0 + d].to_int(), p.stride[d] = a[2 + d].to_int();
      p.padding[d] = a[4 + d].to_int(), p.dilation[d] = a[6 + d].to_int();
    }
    p.ceil_mode = a[8].to_int() != 0, p.count_include_pad = a[9].to_int() != 0;
    p.divisor = a[10].to_int(), p.adaptive = a[11].to_int() != 0;
    return p;
  }
};

// The input rows (or columns) of output position i along dim d: first, one past the
// last, and the step between them; `padded` is the window's extent with the padding
// counted (average pooling's count_include_pad divisor).
struct Window {
  int64_t first, last, step, padded;
};
LT_HOST_DEVICE inline Window window(const Pool& p, int d, int64_t i, int64_t in, int64_t out) {
  if (p.adaptive) {
    const int64_t first = i * in / out, last = ((i + 1) * in + out - 1) / out;
    return {first, last, 1, last - first};
  }
  const int64_t start = i * p.stride[d] - p.padding[d];
  if (p.dilation[d] == 1) {  // average pooling (and undilated max pooling)
    const int64_t end = std::min(start + p.kernel[d], in + p.padding[d]);
    return {std::max<int64_t>(start, 0), std::min(end, in), 1, end - start};
  }
  // Dilated: the first tap at or after 0, and past the last tap before `in`.
  int64_t first = start;
  while (first < 0) first += p.dilation[d];
  const int64_t end = std::min(start + (p.kernel[d] - 1) * p.dilation[d] + 1, in);
  return {first, std::max(first, end), p.dilation[d], 0};
}

}  // namespace lt::common
