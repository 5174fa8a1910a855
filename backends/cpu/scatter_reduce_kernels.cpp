// scatter_reduce's kernel: src reduced into out along a dim at the places index names.
// Serial in index order: several src elements may land on one place.
#include <cmath>
#include <type_traits>

#include "common/scatter_combine.h"
#include "libtensor/error.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.h"

namespace lt::cpu {

using common::Reduce;
using common::combine;

namespace {

// tensors: out (contiguous, x's shape), index (int64, contiguous), src (index's shape,
// contiguous, out's dtype); args: dim, reduction.
void scatter_reduce_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &out = t[0], &index = t[1], &src = t[2];
  const int64_t dim = args[0].to_int();
  const auto r = static_cast<Reduce>(args[1].to_int());
  const int64_t nd = index.dim(), n = index.numel(), size = out.size(dim);
  const int64_t* idx = index.data_ptr<int64_t>();
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using C = compute_t<T>;
    T* o = out.data_ptr<T>();
    const T* s = src.data_ptr<T>();
    Shape pos(nd, 0);
    for (int64_t i = 0; i < n; ++i) {
      int64_t j = idx[i];
      if (j < 0 || j >= size) [[unlikely]] {
        fail<IndexError>("scatter_reduce", "index ", j, " is out of bounds for dimension ", dim, " with size ", size);
      }
      int64_t offset = 0;
      for (int64_t d = 0; d < nd; ++d) offset += (d == dim ? j : pos[d]) * out.stride(d);
      o[offset] = static_cast<T>(combine<C>(r, static_cast<C>(o[offset]), static_cast<C>(s[i])));
      for (int64_t d = nd - 1; d >= 0; --d) {
        if (++pos[d] < index.size(d)) break;
        pos[d] = 0;
      }
    }
  });
}
LT_REGISTER_KERNEL("scatter_reduce", CPU, TensorKernel, scatter_reduce_kernel);

}  // namespace
}  // namespace lt::cpu
