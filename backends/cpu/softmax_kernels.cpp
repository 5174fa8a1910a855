// softmax and log_softmax along one dim, forward and backward, fused: one read of the
// input for the maximum, one pass computing exp and its sum, one writing the result.
//
// Tensors are contiguous and viewed as (outer, n, inner), n the softmax dim. With inner
// = 1 (the last dim, the common case) each row runs on explicit vectors (simd.h);
// otherwise the inner positions are the vector lanes. float16 and bfloat16 run
// through float32 copies.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "common/dim_blocks.h"
#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.h"
#include "simd.h"
#include "vector_math.h"

namespace lt::cpu {

using common::Shape3;
using common::shape_of;

namespace {

// float: the float-arithmetic exp (the terms are normalized, 2 ulp is plenty); double:
// the accurate one.
inline float exp_term(float x) { return accurate::fast_exp(x); }
inline double exp_term(double x) { return accurate::exp(x); }

// Runs body(block) over the (outer x inner-chunk) work in parallel.
template <class F>
void over_blocks(const Shape3& s, F&& body) {
  parallel_for(0, s.outer, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, s.n * s.inner)),
               [&](int64_t lo, int64_t hi) {
                 for (int64_t o = lo; o < hi; ++o) body(o);
               });
}

// One row of n: its maximum, the sum of exp(x - max), then the output.
template <class T, bool Log>
void forward_row(const T* x, T* y, int64_t n) {
  using simd::Vec, simd::load, simd::store, simd::over_row;
  constexpr T kNegInf = -std::numeric_limits<T>::infinity();  // pads short vectors: exp gives 0
  const T max = simd::row_max(x, n);
  if constexpr (Log) {
    const T log_sum = std::log(simd::row_sum<T>(n, [&](int64_t j, int64_t w) {
      return simd::exp(load(x + j, w, kNegInf) - max);
    }));
    // subtracted after max: exact where |x| dwarfs log_sum
    over_row<T>(n, [&](int64_t j, int64_t w) { store(y + j, (load(x + j, w) - max) - log_sum, w); });
  } else {
    // exp costs more than a store and a load from L1: softmax keeps the terms it sums.
    const T sum = simd::row_sum<T>(n, [&](int64_t j, int64_t w) {
      const Vec<T> e = simd::exp(load(x + j, w, kNegInf) - max);
      store(y + j, e, w);
      return e;
    });
    const T scale = T(1) / sum;
    over_row<T>(n, [&](int64_t j, int64_t w) { store(y + j, load(y + j, w) * scale, w); });
  }
}

template <class T, bool Log>
void forward(const T* x, T* y, const Shape3& s) {
  if (s.inner == 1) {
    over_blocks(s, [&](int64_t o) { forward_row<T, Log>(x + o * s.n, y + o * s.n, s.n); });
    return;
  }
  over_blocks(s, [&](int64_t o) {
    const T* xb = x + o * s.n * s.inner;
    T* yb = y + o * s.n * s.inner;
    std::vector<T> max(s.inner, -std::numeric_limits<T>::infinity()), sum(s.inner, T(0));
    for (int64_t j = 0; j < s.n; ++j) {
      const T* xr = xb + j * s.inner;
      for (int64_t i = 0; i < s.inner; ++i) max[i] = std::max(max[i], xr[i]);
    }
    for (int64_t j = 0; j < s.n; ++j) {
      const T* xr = xb + j * s.inner;
      T* yr = yb + j * s.inner;
      for (int64_t i = 0; i < s.inner; ++i) {
        yr[i] = exp_term(xr[i] - max[i]);
        sum[i] += yr[i];
      }
    }
    for (int64_t i = 0; i < s.inner; ++i) sum[i] = Log ? max[i] + std::log(sum[i]) : T(1) / sum[i];
    for (int64_t j = 0; j < s.n; ++j) {
      const T* xr = xb + j * s.inner;
      T* yr = yb + j * s.inner;
      for (int64_t i = 0; i < s.inner; ++i) yr[i] = Log ? xr[i] - sum[i] : yr[i] * sum[i];
    }
  });
}

// softmax: gx = y * (g - sum(g * y)); log_softmax: gx = g - exp(y) * sum(g).
template <class T, bool Log>
void backward_row(const T* g, const T* y, T* gx, int64_t n) {
  using simd::Vec, simd::load, simd::store;
  const T total = simd::row_sum<T>(n, [&](int64_t j, int64_t w) {
    return Log ? load(g + j, w) : load(g + j, w) * load(y + j, w);
  });
  simd::over_row<T>(n, [&](int64_t j, int64_t w) {
    const Vec<T> gj = load(g + j, w), yj = load(y + j, w);
    store(gx + j, Log ? gj - simd::exp(yj) * total : yj * (gj - total), w);
  });
}

template <class T, bool Log>
void backward(const T* g, const T* y, T* gx, const Shape3& s) {
  auto finish = [](T gj, T yj, T total) { return Log ? gj - exp_term(yj) * total : yj * (gj - total); };
  if (s.inner == 1) {
    over_blocks(s, [&](int64_t o) { backward_row<T, Log>(g + o * s.n, y + o * s.n, gx + o * s.n, s.n); });
    return;
  }
  over_blocks(s, [&](int64_t o) {
    const int64_t base = o * s.n * s.inner;
    std::vector<T> total(s.inner, T(0));
    for (int64_t j = 0; j < s.n; ++j) {
      const T *gr = g + base + j * s.inner, *yr = y + base + j * s.inner;
      for (int64_t i = 0; i < s.inner; ++i) total[i] += Log ? gr[i] : gr[i] * yr[i];
    }
    for (int64_t j = 0; j < s.n; ++j) {
      const int64_t at = base + j * s.inner;
      for (int64_t i = 0; i < s.inner; ++i) gx[at + i] = finish(g[at + i], y[at + i], total[i]);
    }
  });
}

// Runs `run` on float or double data; other floating dtypes go through float32 copies.
template <class F>
void in_float_or_double(std::span<Tensor> t, F&& run) {
  const DType dtype = t[0].dtype();
  if (dtype == DType::Float32) return run(float{});
  if (dtype == DType::Float64) return run(double{});
  std::vector<Tensor> wide;
  for (const Tensor& x : t) wide.push_back(x.to(DType::Float32));
  run(float{}, &wide);
  t[0].copy_(wide[0]);
}

// tensors: y, x; args: dim.
template <bool Log>
void forward_kernel(std::span<Tensor> t, ScalarList args) {
  const Shape3 s = shape_of(t[1], args[0].to_int());
  if (t[0].numel() == 0) return;
  in_float_or_double(t, [&](auto tag, std::vector<Tensor>* wide = nullptr) {
    using T = decltype(tag);
    const std::span<Tensor> u = wide ? std::span<Tensor>(*wide) : t;
    forward<T, Log>(u[1].data_ptr<T>(), u[0].data_ptr<T>(), s);
  });
}

// tensors: grad_x, grad_y, y; args: dim.
template <bool Log>
void backward_kernel(std::span<Tensor> t, ScalarList args) {
  const Shape3 s = shape_of(t[2], args[0].to_int());
  if (t[0].numel() == 0) return;
  in_float_or_double(t, [&](auto tag, std::vector<Tensor>* wide = nullptr) {
    using T = decltype(tag);
    const std::span<Tensor> u = wide ? std::span<Tensor>(*wide) : t;
    backward<T, Log>(u[1].data_ptr<T>(), u[2].data_ptr<T>(), u[0].data_ptr<T>(), s);
  });
}

LT_REGISTER_KERNEL("softmax", CPU, TensorKernel, forward_kernel<false>);
LT_REGISTER_KERNEL("log_softmax", CPU, TensorKernel, forward_kernel<true>);
LT_REGISTER_KERNEL("softmax_backward", CPU, TensorKernel, backward_kernel<false>);
LT_REGISTER_KERNEL("log_softmax_backward", CPU, TensorKernel, backward_kernel<true>);

}  // namespace
}  // namespace lt::cpu
