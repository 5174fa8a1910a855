// Max and average pooling over (N, C, H, W), each plane on its own, planes shared out
// over the threads.
#include <algorithm>
#include <cmath>
#include <limits>

#include "common/float_compute.h"
#include "common/pool_geometry.h"
#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "loops.h"

namespace lt::cpu {

using common::Pool;
using common::Window;
using common::window;
using common::in_float_or_double;

namespace {

template <class F>
void over_planes(int64_t planes, int64_t work_per_plane, F&& body) {
  parallel_for(0, planes, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(work_per_plane, 1)),
               [&](int64_t lo, int64_t hi) {
    for (int64_t plane = lo; plane < hi; ++plane) body(plane);
  });
}

// NaN wins, as the comparison `v > best || isnan(v)` gives; the index of an all -inf
// window is its first element.
template <class T>
void max_pool(const T* x, T* y, int64_t* idx, int64_t planes, int64_t h, int64_t w, int64_t oh, int64_t ow,
              const Pool& p) {
  over_planes(planes, h * w, [&](int64_t plane) {
    const T* xp = x + plane * h * w;
    for (int64_t i = 0; i < oh; ++i) {
      const Window r = window(p, 0, i, h, oh);
      for (int64_t j = 0; j < ow; ++j) {
        const Window c = window(p, 1, j, w, ow);
        T best = -std::numeric_limits<T>::infinity();
        int64_t where = r.first * w + c.first;
        for (int64_t a = r.first; a < r.last; a += r.step) {
          for (int64_t b = c.first; b < c.last; b += c.step) {
            const T v = xp[a * w + b];
            if (v > best || std::isnan(v)) {
              best = v;
              where = a * w + b;
            }
          }
        }
        y[(plane * oh + i) * ow + j] = best;
        idx[(plane * oh + i) * ow + j] = where;
      }
    }
  });
}

template <class T>
T divisor(const Pool& p, const Window& r, const Window& c) {
  if (p.divisor != 0) return static_cast<T>(p.divisor);
  if (p.count_include_pad && !p.adaptive) return static_cast<T>(r.padded * c.padded);
  return static_cast<T>((r.last - r.first) * (c.last - c.first));
}

// Forward (adjoint = false): y = window means of x. Adjoint: x += g / divisor over each
// window of g's positions.
template <class T, bool Adjoint>
void avg_pool(T* x, T* y, int64_t planes, int64_t h, int64_t w, int64_t oh, int64_t ow, const Pool& p) {
  over_planes(planes, h * w, [&](int64_t plane) {
    T* xp = x + plane * h * w;
    if (Adjoint) std::fill(xp, xp + h * w, T(0));
    for (int64_t i = 0; i < oh; ++i) {
      const Window r = window(p, 0, i, h, oh);
      for (int64_t j = 0; j < ow; ++j) {
        const Window c = window(p, 1, j, w, ow);
        T& out = y[(plane * oh + i) * ow + j];
        if (r.first >= r.last || c.first >= c.last) {  // a ceil_mode window wholly in the padding
          if (!Adjoint) out = T(0);
          continue;
        }
        const T div = divisor<T>(p, r, c);
        if (Adjoint) {
          const T share = out / div;
          for (int64_t a = r.first; a < r.last; ++a) {
            for (int64_t b = c.first; b < c.last; ++b) xp[a * w + b] += share;
          }
        } else {
          T total = 0;
          for (int64_t a = r.first; a < r.last; ++a) {
            for (int64_t b = c.first; b < c.last; ++b) total += xp[a * w + b];
          }
          out = total / div;
        }
      }
    }
  });
}

// tensors: y (N, C, OH, OW), indices (int64, y's shape), x (N, C, H, W).
void max_pool_kernel(std::span<Tensor> t, ScalarList args) {
  if (t[0].numel() == 0) return;
  const Pool p = Pool::of(args);
  const int64_t planes = t[2].size(0) * t[2].size(1), h = t[2].size(2), w = t[2].size(3);
  const int64_t oh = t[0].size(2), ow = t[0].size(3);
  int64_t* idx = t[1].data_ptr<int64_t>();
  Tensor values[] = {t[0], t[2]};
  in_float_or_double(values, 1, [&](auto tag, std::span<Tensor> u) {
    using T = decltype(tag);
    max_pool<T>(u[1].data_ptr<T>(), u[0].data_ptr<T>(), idx, planes, h, w, oh, ow, p);
  });
}

// tensors: y (N, C, OH, OW), x (N, C, H, W).
void avg_pool_kernel(std::span<Tensor> t, ScalarList args) {
  if (t[0].numel() == 0) return;
  const Pool p = Pool::of(args);
  in_float_or_double(t, 1, [&](auto tag, std::span<Tensor> u) {
    using T = decltype(tag);
    const Tensor &y = u[0], &x = u[1];
    avg_pool<T, false>(x.data_ptr<T>(), y.data_ptr<T>(), x.size(0) * x.size(1), x.size(2), x.size(3), y.size(2),
                       y.size(3), p);
  });
}

// tensors: dx (N, C, H, W), g (N, C, OH, OW).
void avg_pool_backward_kernel(std::span<Tensor> t, ScalarList args) {
  if (t[0].numel() == 0) return;
  const Pool p = Pool::of(args);
  in_float_or_double(t, 1, [&](auto tag, std::span<Tensor> u) {
    using T = decltype(tag);
    const Tensor &dx = u[0], &g = u[1];
    avg_pool<T, true>(dx.data_ptr<T>(), g.data_ptr<T>(), dx.size(0) * dx.size(1), dx.size(2), dx.size(3), g.size(2),
                      g.size(3), p);
  });
}

// tensors: dx (N, C, H, W), g (N, C, OH, OW), indices (g's shape): dx[i] = sum of the g
// whose maximum was i. Indices stay inside their plane, so planes run in parallel.
void max_pool_backward_kernel(std::span<Tensor> t, ScalarList) {
  if (t[0].numel() == 0) return;
  const int64_t planes = t[0].size(0) * t[0].size(1), size = t[0].size(2) * t[0].size(3);
  const int64_t outputs = t[1].size(2) * t[1].size(3);
  const int64_t* idx = t[2].data_ptr<int64_t>();
  Tensor values[] = {t[0], t[1]};
  in_float_or_double(values, 1, [&](auto tag, std::span<Tensor> u) {
    using T = decltype(tag);
    T* dx = u[0].data_ptr<T>();
    const T* g = u[1].data_ptr<T>();
    over_planes(planes, size + outputs, [&](int64_t plane) {
      T* d = dx + plane * size;
      std::fill(d, d + size, T(0));
      for (int64_t i = plane * outputs; i < (plane + 1) * outputs; ++i) d[idx[i]] += g[i];
    });
  });
}

LT_REGISTER_KERNEL("max_pool2d", CPU, TensorKernel, max_pool_kernel);
LT_REGISTER_KERNEL("max_pool2d_backward", CPU, TensorKernel, max_pool_backward_kernel);
LT_REGISTER_KERNEL("avg_pool2d", CPU, TensorKernel, avg_pool_kernel);
LT_REGISTER_KERNEL("avg_pool2d_backward", CPU, TensorKernel, avg_pool_backward_kernel);

}  // namespace
}  // namespace lt::cpu
