// embedding's backward: the output gradient's rows added into the weight rows they were
// read from. Threads own disjoint ranges of weight rows and each walks every index,
// taking those in its range, so no two threads add into one row and the sums come out
// in the same order on every run.
#include <algorithm>

#include "common/float_compute.h"
#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "loops.h"

namespace lt::cpu {

using common::in_float_or_double;

namespace {

template <class T>
void add_rows(T* dw, const T* g, const int64_t* idx, int64_t count, int64_t num, int64_t dim, int64_t pad) {
  std::fill(dw, dw + num * dim, T(0));
  const int64_t parts = std::max<int64_t>(1, std::min<int64_t>(num_threads(), count * dim / kGrainSize));
  parallel_for(0, parts, 1, [&](int64_t lo, int64_t hi) {
    const int64_t first = lo * num / parts, last = hi * num / parts;
    for (int64_t i = 0; i < count; ++i) {
      const int64_t r = idx[i];
      if (r < first || r >= last || r == pad) continue;
      T* out = dw + r * dim;
      const T* in = g + i * dim;
      for (int64_t j = 0; j < dim; ++j) out[j] += in[j];
    }
  });
}

// tensors: dw (num, dim), g (count, dim), indices (count, int64); args: padding_idx (-1: none).
void embedding_backward_kernel(std::span<Tensor> t, ScalarList args) {
  if (t[0].numel() == 0) return;
  const int64_t num = t[0].size(0), dim = t[0].size(1), count = t[2].numel();
  const int64_t* idx = t[2].data_ptr<int64_t>();
  in_float_or_double(t.first(2), 1, [&](auto tag, std::span<Tensor> u) {
    using T = decltype(tag);
    add_rows<T>(u[0].data_ptr<T>(), u[1].data_ptr<T>(), idx, count, num, dim, args[0].to_int());
  });
}

LT_REGISTER_KERNEL("embedding_backward", CPU, TensorKernel, embedding_backward_kernel);

}  // namespace
}  // namespace lt::cpu
