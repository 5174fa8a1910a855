// searchsorted (binary searches in sorted rows) and bincount (a histogram of integers).
#include <algorithm>
#include <type_traits>

#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.h"

namespace lt::cpu {
namespace {

// tensors: out (rows, m) int64 or int32, boundaries (rows or 1, n), values (rows, m) of
// the boundaries' dtype, all contiguous; args: right. The first position whose boundary
// is >= the value (> with right). Written as !(b >= v), NaN counts as the largest value.
void searchsorted_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &out = t[0], &bounds = t[1], &values = t[2];
  const bool right = args[0].to_int() != 0;
  const int64_t rows = values.size(0), m = values.size(1), n = bounds.size(1);
  const bool shared = bounds.size(0) == 1;
  visit_dtype(values.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using C = compute_t<T>;
    const T* b = bounds.data_ptr<T>();
    const T* v = values.data_ptr<T>();
    auto search = [&](const T* row, C value) {
      int64_t lo = 0, hi = n;
      while (lo < hi) {
        const int64_t mid = lo + (hi - lo) / 2;
        const C at = static_cast<C>(row[mid]);
        const bool before = right ? !(at > value) : !(at >= value);
        if (before) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    auto run = [&](auto* o) {
      using O = std::remove_pointer_t<decltype(o)>;
      parallel_for(0, rows * m, kGrainSize / 16, [&](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i) {
          const int64_t r = i / m;
          o[i] = static_cast<O>(search(b + (shared ? 0 : r * n), static_cast<C>(v[i])));
        }
      });
    };
    if (out.dtype() == DType::Int32) run(out.data_ptr<int32_t>());
    else run(out.data_ptr<int64_t>());
  });
}
LT_REGISTER_KERNEL("searchsorted", CPU, TensorKernel, searchsorted_kernel);

// tensors: out (bins) zeroed, int64 or the weights' dtype; input (n) int64, checked to
// lie in [0, bins); weights (n) or undefined, contiguous.
void bincount_kernel(std::span<Tensor> t, ScalarList) {
  const Tensor &out = t[0], &input = t[1], &weights = t[2];
  const int64_t n = input.numel();
  const int64_t* x = input.data_ptr<int64_t>();
  if (!weights.defined()) {
    int64_t* o = out.data_ptr<int64_t>();
    for (int64_t i = 0; i < n; ++i) ++o[x[i]];
    return;
  }
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_floating_point_v<T>) {
      T* o = out.data_ptr<T>();
      const T* w = weights.data_ptr<T>();
      for (int64_t i = 0; i < n; ++i) o[x[i]] += w[i];
    }
  });
}
LT_REGISTER_KERNEL("bincount", CPU, TensorKernel, bincount_kernel);

}  // namespace
}  // namespace lt::cpu
