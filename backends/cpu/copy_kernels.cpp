// copy (with casts between any two dtypes), fill, arange and linspace.
#include <cstring>

#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.h"

namespace lt::cpu {
namespace {

void copy_kernel(TensorIterator& iter, ScalarList) {
  if (iter.dtype(0) == iter.dtype(1) && iter.is_contiguous()) {
    // Same type, contiguous: a parallel memcpy.
    const int64_t size = iter.output().itemsize();
    char* dst = iter.data(0);
    const char* src = iter.data(1);
    parallel_for(0, iter.numel(), kGrainSize * 4, [&](int64_t b, int64_t e) {
      std::memcpy(dst + b * size, src + b * size, (e - b) * size);
    });
    return;
  }
  visit_dtype(iter.dtype(0), [&](auto out_tag) {
    using Out = decltype(out_tag);
    visit_dtype(iter.dtype(1), [&](auto in_tag) {
      using In = decltype(in_tag);
      elementwise<Out, In>(iter, [](compute_t<In> x) { return x; });
    });
  });
}
LT_REGISTER_KERNEL("copy", CPU, IterKernel, copy_kernel);

void fill_kernel(TensorIterator& iter, ScalarList args) {
  visit_dtype(iter.dtype(0), [&](auto tag) {
    using T = decltype(tag);
    const T v = args[0].to<T>();
    elementwise<T>(iter, [v]() { return v; });
  });
}
LT_REGISTER_KERNEL("fill", CPU, IterKernel, fill_kernel);

// out[i] = start + i * step, in double for floats and int64 for integers.
void arange_kernel(std::span<Tensor> t, ScalarList args) {
  Tensor& out = t[0];
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using Acc = std::conditional_t<is_floating(dtype_v<T>), double, int64_t>;
    const Acc start = args[0].to<Acc>(), step = args[1].to<Acc>();
    T* p = out.data_ptr<T>();
    parallel_for(0, out.numel(), kGrainSize, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) p[i] = convert<T>(static_cast<Acc>(start + static_cast<Acc>(i) * step));
    });
  });
}
LT_REGISTER_KERNEL("arange", CPU, TensorKernel, arange_kernel);

// Symmetric from both ends, so the last value is exactly `end` (and a single one `start`).
void linspace_kernel(std::span<Tensor> t, ScalarList args) {
  Tensor& out = t[0];
  const double start = args[0].to_double(), end = args[1].to_double();
  const int64_t n = out.numel();
  const double step = n > 1 ? (end - start) / static_cast<double>(n - 1) : 0.0;
  const int64_t halfway = n == 1 ? 1 : n / 2;
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* p = out.data_ptr<T>();
    parallel_for(0, n, kGrainSize, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        double v = i < halfway ? start + step * static_cast<double>(i) : end - step * static_cast<double>(n - 1 - i);
        p[i] = convert<T>(v);
      }
    });
  });
}
LT_REGISTER_KERNEL("linspace", CPU, TensorKernel, linspace_kernel);

}  // namespace
}  // namespace lt::cpu
