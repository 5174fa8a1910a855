// softmax and log_softmax along one dim, forward and backward, fused: one read of the
// input for the maximum, one pass computing exp and its sum, one writing the result.
//
// Tensors are contiguous and viewed as (outer, n, inner), n the softmax dim. With inner
// = 1 (the last dim, the common case) each row is reduced with Eigen's vectorized
// max/sum; otherwise the inner positions are vector lanes. float16 and bfloat16 run
// through float32 copies.
#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.h"
#include "vector_math.h"

namespace lt::cpu {
namespace {

// float: the float-arithmetic exp (the terms are normalized, 2 ulp is plenty); double:
// the accurate one.
inline float exp_term(float x) { return accurate::fast_exp(x); }
inline double exp_term(double x) { return accurate::exp(x); }

template <class T>
using Row = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;

// The geometry of one call: `outer` blocks of n x inner elements.
struct Shape3 {
  int64_t outer, n, inner;
};

Shape3 shape_of(const Tensor& x, int64_t dim) {
  Shape3 s{1, x.size(dim), 1};
  for (int64_t d = 0; d < dim; ++d) s.outer *= x.size(d);
  for (int64_t d = dim + 1; d < x.dim(); ++d) s.inner *= x.size(d);
  return s;
}

// Runs body(block) over the (outer x inner-chunk) work in parallel.
template <class F>
void over_blocks(const Shape3& s, F&& body) {
  parallel_for(0, s.outer, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(1, s.n * s.inner)),
               [&](int64_t lo, int64_t hi) {
                 for (int64_t o = lo; o < hi; ++o) body(o);
               });
}

template <class T, bool Log>
void forward(const T* x, T* y, const Shape3& s) {
  if (s.inner == 1) {
    over_blocks(s, [&](int64_t o) {
      const T* xr = x + o * s.n;
      T* yr = y + o * s.n;
      const T max = Row<T>(xr, s.n).maxCoeff();
      // exp costs more than a store and a load from L1: softmax keeps the terms it sums.
      if constexpr (Log) {
        const T sum = lane_sum<T>(s.n, [&](int64_t j) { return exp_term(xr[j] - max); });
        const T shift = max + std::log(sum);
        for (int64_t j = 0; j < s.n; ++j) yr[j] = xr[j] - shift;
      } else {
        const T sum = lane_sum<T>(s.n, [&](int64_t j) { return yr[j] = exp_term(xr[j] - max); });
        const T scale = T(1) / sum;
        for (int64_t j = 0; j < s.n; ++j) yr[j] *= scale;
      }
    });
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
void backward(const T* g, const T* y, T* gx, const Shape3& s) {
  auto finish = [](T gj, T yj, T total) { return Log ? gj - exp_term(yj) * total : yj * (gj - total); };
  if (s.inner == 1) {
    over_blocks(s, [&](int64_t o) {
      const T *gr = g + o * s.n, *yr = y + o * s.n;
      T* out = gx + o * s.n;
      const T total = Log ? lane_sum<T>(s.n, [&](int64_t j) { return gr[j]; })
                          : lane_sum<T>(s.n, [&](int64_t j) { return gr[j] * yr[j]; });
      for (int64_t j = 0; j < s.n; ++j) out[j] = finish(gr[j], yr[j], total);
    });
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
