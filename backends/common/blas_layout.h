// How a BLAS library (OpenBLAS, oneDNN, cuBLAS, the GPU's own GEMM) reads a batch of
// matrices in place, shared by every backend's matrix products.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

#include "libtensor/tensor.h"

namespace lt::common {

// Where a (batch, rows, cols) operand's elements lie, as BLAS reads them.
struct Layout {
  int64_t batch_stride, ld;
  bool transposed;
};

// A matrix BLAS can read in place: rows or columns contiguous, the other stride at least
// their length. Anything else (a stride-0 row, a slice with steps) is copied first.
inline std::optional<Layout> blas_layout(const Tensor& t) {
  const int64_t rows = t.size(1), cols = t.size(2), s1 = t.stride(1), s2 = t.stride(2);
  if ((cols == 1 || s2 == 1) && s1 >= std::max<int64_t>(1, cols)) return Layout{t.stride(0), s1, false};
  if ((rows == 1 || s1 == 1) && s2 >= std::max<int64_t>(1, rows)) return Layout{t.stride(0), s2, true};
  return std::nullopt;
}

}  // namespace lt::common
