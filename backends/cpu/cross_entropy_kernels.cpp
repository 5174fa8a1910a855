// cross_entropy with class indices, fused: each row of logits is read once for its
// maximum and once for its log-sum-exp, and the backward pass writes softmax minus the
// target in one pass, where the composition (log_softmax, then picking, then the
// gradient scattered back) makes several passes over (M, C) and keeps a copy of it.
//
// Per row i with target t: nll = w_t (lse - x_t); smooth = sum_c w_c (lse - x_c) (label
// smoothing's term). Rows whose target is ignore_index give 0 and get no gradient.
#include <algorithm>
#include <cmath>
#include <limits>

#include "common/float_compute.h"
#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "loops.h"
#include "vector_math.h"

namespace lt::cpu {

using common::in_float_or_double;
using common::data_or_null;

namespace {

inline float exp_term(float x) { return accurate::fast_exp(x); }
inline double exp_term(double x) { return accurate::exp(x); }

template <class F>
void over_rows(int64_t rows, int64_t classes, F&& body) {
  parallel_for(0, rows, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(classes, 1)), [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) body(i);
  });
}

template <class T>
void forward(const T* x, const int64_t* target, const T* w, T* nll, T* smooth, T* lse, int64_t rows, int64_t classes,
             int64_t ignore) {
  T total_weight = T(classes);
  if (w && smooth) total_weight = lane_sum<T>(classes, [&](int64_t c) { return w[c]; });
  over_rows(rows, classes, [&](int64_t i) {
    const T* xr = x + i * classes;
    T max = -std::numeric_limits<T>::infinity();
    for (int64_t c = 0; c < classes; ++c) max = std::max(max, xr[c]);
    const T shift = std::isinf(max) ? T(0) : max;
    const T l = shift + std::log(lane_sum<T>(classes, [&](int64_t c) { return exp_term(xr[c] - shift); }));
    lse[i] = l;
    const int64_t t = target[i];
    if (t == ignore) {
      nll[i] = T(0);
      if (smooth) smooth[i] = T(0);
      return;
    }
    nll[i] = (w ? w[t] : T(1)) * (l - xr[t]);
    if (smooth) {
      const T weighted = w ? lane_sum<T>(classes, [&](int64_t c) { return w[c] * xr[c]; })
                           : lane_sum<T>(classes, [&](int64_t c) { return xr[c]; });
      smooth[i] = l * total_weight - weighted;
    }
  });
}

// dx_c = g_nll w_t (p_c - [c = t]) + g_smooth (W p_c - w_c), p = exp(x - lse), W = sum w.
template <class T>
void backward(const T* g_nll, const T* g_smooth, const T* x, const int64_t* target, const T* w, const T* lse, T* dx,
              int64_t rows, int64_t classes, int64_t ignore) {
  T total_weight = T(classes);
  if (w && g_smooth) total_weight = lane_sum<T>(classes, [&](int64_t c) { return w[c]; });
  over_rows(rows, classes, [&](int64_t i) {
    const T* xr = x + i * classes;
    T* out = dx + i * classes;
    const int64_t t = target[i];
    if (t == ignore) {
      std::fill(out, out + classes, T(0));
      return;
    }
    const T a = g_nll[i] * (w ? w[t] : T(1)), b = g_smooth ? g_smooth[i] : T(0), l = lse[i];
    const T scale = a + b * total_weight;
    if (w && g_smooth) {
      for (int64_t c = 0; c < classes; ++c) out[c] = scale * exp_term(xr[c] - l) - b * w[c];
    } else {
      for (int64_t c = 0; c < classes; ++c) out[c] = scale * exp_term(xr[c] - l) - b;
    }
    out[t] -= a;
  });
}

// tensors: nll (M), smooth (M) or undefined, lse (M), x (M, C), target (M, int64), weight
// (C) or undefined; args: ignore_index.
void forward_kernel(std::span<Tensor> t, ScalarList args) {
  const int64_t rows = t[3].size(0), classes = t[3].size(1);
  if (rows == 0) return;
  const int64_t* target = t[4].data_ptr<int64_t>();
  const int64_t ignore = args[0].to_int();
  for (int64_t i = 0; i < rows; ++i) {  // before any row reads x[target]
    LT_CHECK(target[i] == ignore || (target[i] >= 0 && target[i] < classes), IndexError, "cross_entropy", "target ",
             target[i], " is out of bounds for ", classes, " classes");
  }
  Tensor data[] = {t[0], t[1], t[2], t[3], t[5]};
  in_float_or_double(data, 3, [&](auto tag, std::span<Tensor> u) {
    using T = decltype(tag);
    forward<T>(u[3].data_ptr<T>(), target, data_or_null<T>(u[4]), u[0].data_ptr<T>(), data_or_null<T>(u[1]),
               u[2].data_ptr<T>(), rows, classes, args[0].to_int());
  });
}

// tensors: dx (M, C), g_nll (M), g_smooth (M) or undefined, x, target, weight or
// undefined, lse; args: ignore_index.
void backward_kernel(std::span<Tensor> t, ScalarList args) {
  const int64_t rows = t[3].size(0), classes = t[3].size(1);
  if (rows == 0) return;
  const int64_t* target = t[4].data_ptr<int64_t>();
  Tensor data[] = {t[0], t[1], t[2], t[3], t[5], t[6]};
  in_float_or_double(data, 1, [&](auto tag, std::span<Tensor> u) {
    using T = decltype(tag);
    backward<T>(u[1].data_ptr<T>(), data_or_null<T>(u[2]), u[3].data_ptr<T>(), target, data_or_null<T>(u[4]),
                u[5].data_ptr<T>(), u[0].data_ptr<T>(), rows, classes, args[0].to_int());
  });
}

LT_REGISTER_KERNEL("cross_entropy", CPU, TensorKernel, forward_kernel);
LT_REGISTER_KERNEL("cross_entropy_backward", CPU, TensorKernel, backward_kernel);

}  // namespace
}  // namespace lt::cpu
