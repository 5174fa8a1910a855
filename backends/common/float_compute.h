// Kernels written for float and double, on any backend, run reduced floating dtypes
// through float32 copies (widened once, computed in float32, rounded once) and integers
// through float64 ones (exact while the results stay below 2^53).
#pragma once

#include <span>
#include <vector>

#include "libtensor/tensor.h"

namespace lt::common {

// Calls run(T{}, tensors) with float or double tensors (the dtype of the first defined
// one decides); for other dtypes the defined tensors are widened to float32 (or, for
// integers, float64) copies and the first `outputs` are copied back.
template <class F>
void in_float_or_double(std::span<Tensor> t, size_t outputs, F&& run) {
  DType dtype = DType::Float32;
  for (const Tensor& x : t) {
    if (x.defined()) {
      dtype = x.dtype();
      break;
    }
  }
  if (dtype == DType::Float32) return run(float{}, t);
  if (dtype == DType::Float64) return run(double{}, t);
  const DType wide_dtype = is_floating(dtype) ? DType::Float32 : DType::Float64;
  std::vector<Tensor> wide;
  for (const Tensor& x : t) wide.push_back(x.defined() ? x.to(wide_dtype) : x);
  if (wide_dtype == DType::Float32) {
    run(float{}, std::span<Tensor>(wide));
  } else {
    run(double{}, std::span<Tensor>(wide));
  }
  for (size_t i = 0; i < outputs; ++i) {
    if (t[i].defined()) t[i].copy_(wide[i]);
  }
}

// The data of an optional tensor, or null.
template <class T>
T* data_or_null(const Tensor& t) {
  return t.defined() ? t.data_ptr<T>() : nullptr;
}

}  // namespace lt::common
