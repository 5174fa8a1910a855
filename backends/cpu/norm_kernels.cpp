// layer_norm and rms_norm, forward and backward over rows (the normalized dims flattened
// last). rms_norm is layer_norm without the centering: its "mean" is 0, so one code path
// serves both.
//
// Forward, per row while it sits in L1: the mean, the variance about it (two passes,
// exact for rows of any offset), then the normalized, scaled and shifted output.
// Backward: the input's gradient per row; the weight's and bias's gradients as column
// sums, each thread summing a block of columns over every row. float16 and bfloat16
// run through float32 copies.
#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>
#include <vector>

#include "common/float_compute.h"
#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.h"
#include "simd.h"

namespace lt::cpu {

using common::in_float_or_double;
using common::data_or_null;

namespace {

// y = (x - mean) * rstd * w + b for one row of n, mean 0 unless centered; returns mean
// and rstd.
template <class T>
std::pair<T, T> forward_row(const T* x, const T* w, const T* b, T* y, int64_t n, double eps, bool centered) {
  using simd::Vec, simd::load, simd::store;
  const T mu = centered ? simd::row_sum<T>(n, [&](int64_t j, int64_t width) { return load(x + j, width); }) /
                              static_cast<T>(n)
                        : T(0);
  const T var = simd::row_sum<T>(n, [&](int64_t j, int64_t width) {
                  const Vec<T> d = load(x + j, width, mu) - mu;  // padded with mu: adds 0
                  return d * d;
                }) /
                static_cast<T>(n);
  const T inv = T(1) / std::sqrt(var + static_cast<T>(eps));
  simd::over_row<T>(n, [&](int64_t j, int64_t width) {
    Vec<T> v = (load(x + j, width) - mu) * inv;
    if (w) v *= load(w + j, width);
    if (b) v += load(b + j, width);
    store(y + j, v, width);
  });
  return {mu, inv};
}

// mean is null for rms_norm.
template <class T>
void forward(const T* x, const T* w, const T* b, T* y, T* mean, T* rstd, int64_t rows, int64_t n, double eps) {
  parallel_for(0, rows, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(n, 1)), [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      const auto [mu, inv] = forward_row(x + r * n, w, b, y + r * n, n, eps, mean != nullptr);
      if (mean) mean[r] = mu;
      rstd[r] = inv;
    }
  });
}

// dx = rstd (gw - mean(gw) - xhat mean(gw xhat)) for one row, gw = g * w; without the
// centering (rms_norm) the mean(gw) term is absent.
template <class T>
void backward_row(const T* g, const T* x, T mu, T inv, const T* w, T* dx, int64_t n, bool centered) {
  using simd::Vec, simd::load;
  auto gw = [&](int64_t j, int64_t width) { return w ? load(g + j, width) * load(w + j, width) : load(g + j, width); };
  const T a = centered ? simd::row_sum<T>(n, gw) / static_cast<T>(n) : T(0);
  const T c = simd::row_sum<T>(n, [&](int64_t j, int64_t width) {
                return gw(j, width) * ((load(x + j, width) - mu) * inv);  // padded lanes: gw = 0
              }) /
              static_cast<T>(n);
  simd::over_row<T>(n, [&](int64_t j, int64_t width) {
    simd::store(dx + j, inv * (gw(j, width) - a - (load(x + j, width) - mu) * inv * c), width);
  });
}

// dw = sum(g xhat), db = sum(g) over rows; mean is null for rms_norm.
template <class T>
void backward(const T* g, const T* x, const T* mean, const T* rstd, const T* w, T* dx, T* dw, T* db, int64_t rows,
              int64_t n) {
  if (dx) {
    parallel_for(0, rows, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(n, 1)), [&](int64_t lo, int64_t hi) {
      for (int64_t r = lo; r < hi; ++r) {
        backward_row(g + r * n, x + r * n, mean ? mean[r] : T(0), rstd[r], w, dx + r * n, n, mean != nullptr);
      }
    });
  }
  if (!dw && !db) return;
  constexpr int64_t kBlock = 256;
  parallel_for(0, (n + kBlock - 1) / kBlock, 1, [&](int64_t lo, int64_t hi) {
    std::vector<T> sw(kBlock), sb(kBlock);
    for (int64_t blk = lo; blk < hi; ++blk) {
      const int64_t c0 = blk * kBlock, width = std::min(kBlock, n - c0);
      std::fill(sw.begin(), sw.end(), T(0));
      std::fill(sb.begin(), sb.end(), T(0));
      for (int64_t r = 0; r < rows; ++r) {
        const T *gr = g + r * n + c0, *xr = x + r * n + c0;
        const T mu = mean ? mean[r] : T(0), inv = rstd[r];
        for (int64_t j = 0; j < width; ++j) {
          sw[j] += gr[j] * (xr[j] - mu) * inv;
          sb[j] += gr[j];
        }
      }
      for (int64_t j = 0; j < width; ++j) {
        if (dw) dw[c0 + j] = sw[j];
        if (db) db[c0 + j] = sb[j];
      }
    }
  });
}

// tensors: y, mean (rows; undefined for rms_norm), rstd (rows), x, weight or undefined,
// bias or undefined, all contiguous, x and y holding rows of n; args: eps, n. mean and
// rstd are float32 for reduced dtypes.
void forward_kernel(std::span<Tensor> t, ScalarList args) {
  if (t[3].numel() == 0) return;
  const int64_t n = args[1].to_int(), rows = t[3].numel() / n;
  const double eps = args[0].to_double();
  std::vector<Tensor> data{t[0], t[3], t[4], t[5]};
  Tensor mean = t[1], rstd = t[2];
  in_float_or_double(data, 1, [&](auto tag, std::span<Tensor> u) {
    using T = decltype(tag);
    forward<T>(u[1].data_ptr<T>(), data_or_null<T>(u[2]), data_or_null<T>(u[3]), u[0].data_ptr<T>(),
               data_or_null<T>(mean), rstd.data_ptr<T>(), rows, n, eps);
  });
}

// tensors: dx, dw, db (each undefined when not wanted), g, x, mean (undefined for
// rms_norm), rstd, weight (or undefined), all contiguous; args: n.
void backward_kernel(std::span<Tensor> t, ScalarList args) {
  const int64_t n = args[0].to_int(), rows = n == 0 ? 0 : t[4].numel() / n;
  if (t[4].numel() == 0) {  // no rows: the column sums are zero
    for (int i : {1, 2}) {
      if (t[i].defined()) t[i].fill_(0);
    }
    return;
  }
  std::vector<Tensor> data{t[0], t[1], t[2], t[3], t[4], t[7]};
  const Tensor mean = t[5], rstd = t[6];
  in_float_or_double(data, 3, [&](auto tag, std::span<Tensor> u) {
    using T = decltype(tag);
    backward<T>(u[3].data_ptr<T>(), u[4].data_ptr<T>(), data_or_null<T>(mean), rstd.data_ptr<T>(), data_or_null<T>(u[5]),
                u[0].defined() ? u[0].data_ptr<T>() : nullptr, u[1].defined() ? u[1].data_ptr<T>() : nullptr,
                u[2].defined() ? u[2].data_ptr<T>() : nullptr, rows, n);
  });
}

// rms_norm's tensors are layer_norm's, with mean (and bias, db) undefined.
LT_REGISTER_KERNEL("layer_norm", CPU, TensorKernel, forward_kernel);
LT_REGISTER_KERNEL("layer_norm_backward", CPU, TensorKernel, backward_kernel);
LT_REGISTER_KERNEL("rms_norm", CPU, TensorKernel, forward_kernel);
LT_REGISTER_KERNEL("rms_norm_backward", CPU, TensorKernel, backward_kernel);

}  // namespace
}  // namespace lt::cpu
