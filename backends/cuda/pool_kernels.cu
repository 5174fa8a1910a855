// Max and average pooling over (N, C, H, W), as backends/cpu/pool_kernels.cpp: one thread
// per output element forward. Values are computed as the CPU computes them: in float
// for float, Half and BFloat16, in double for double and integers, rounded once.
//
// avg_pool2d_backward gathers: one thread per input element sums the shares of the
// windows that hold it, in the CPU's order, so it matches the CPU bit for bit.
// max_pool2d_backward gets no window geometry, only the indices, so it scatters with
// atomic adds (in float or double, rounded once at the end); where windows overlap and
// one input is the maximum of several, its sum may round in another order.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "common/pool_geometry.h"
#include "gpu.h"
#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.cuh"

namespace lt::gpu {

using common::Pool;
using common::Window;
using common::window;

namespace {

// The type a kernel computes T in: the CPU's in_float_or_double.
template <class T>
using acc_t = std::conditional_t<std::is_same_v<T, double> || std::is_integral_v<T>, double, float>;

// Where output positions along dim d, of `out`, may hold input position a (of `in`):
// the windows to try, each still checked with window().
__device__ void candidates(const Pool& p, int d, int64_t a, int64_t in, int64_t out, int64_t& lo, int64_t& hi) {
  if (p.adaptive) {
    lo = a * out / in;
    hi = ((a + 1) * out - 1) / in;
  } else {
    const int64_t s = p.stride[d], low = a + p.padding[d] - p.kernel[d] + 1;  // window starts past low - 1
    lo = low <= 0 ? 0 : (low + s - 1) / s;
    hi = (a + p.padding[d]) / s;
  }
  hi = std::min(hi, out - 1);
}

template <class C>
__device__ C divisor(const Pool& p, const Window& r, const Window& c) {
  if (p.divisor != 0) return static_cast<C>(p.divisor);
  if (p.count_include_pad && !p.adaptive) return static_cast<C>(r.padded * c.padded);
  return static_cast<C>((r.last - r.first) * (c.last - c.first));
}

struct Planes {
  int64_t h, w, oh, ow;
};

// NaN wins, as the comparison `v > best || isnan(v)` gives; the index of an all -inf
// window is its first element.
template <class T>
__global__ void max_pool_kernel(const T* x, T* y, int64_t* idx, int64_t total, Planes g, Pool p) {
  using C = acc_t<T>;
  for (int64_t t = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; t < total; t += int64_t{gridDim.x} * blockDim.x) {
    const int64_t j = t % g.ow, i = (t / g.ow) % g.oh, plane = t / (g.ow * g.oh);
    const T* xp = x + plane * g.h * g.w;
    const Window r = window(p, 0, i, g.h, g.oh), c = window(p, 1, j, g.w, g.ow);
    C best = -std::numeric_limits<C>::infinity();
    int64_t where = r.first * g.w + c.first;
    for (int64_t a = r.first; a < r.last; a += r.step) {
      for (int64_t b = c.first; b < c.last; b += c.step) {
        const C v = static_cast<C>(xp[a * g.w + b]);
        if (v > best || v != v) {
          best = v;
          where = a * g.w + b;
        }
      }
    }
    y[t] = convert<T>(best);
    idx[t] = where;
  }
}

// y = window means of x; a ceil_mode window wholly in the padding gives 0.
template <class T>
__global__ void avg_pool_kernel(const T* x, T* y, int64_t total, Planes g, Pool p) {
  using C = acc_t<T>;
  for (int64_t t = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; t < total; t += int64_t{gridDim.x} * blockDim.x) {
    const int64_t j = t % g.ow, i = (t / g.ow) % g.oh, plane = t / (g.ow * g.oh);
    const T* xp = x + plane * g.h * g.w;
    const Window r = window(p, 0, i, g.h, g.oh), c = window(p, 1, j, g.w, g.ow);
    if (r.first >= r.last || c.first >= c.last) {
      y[t] = convert<T>(C(0));
      continue;
    }
    C sum = 0;
    for (int64_t a = r.first; a < r.last; ++a) {
      for (int64_t b = c.first; b < c.last; ++b) sum += static_cast<C>(xp[a * g.w + b]);
    }
    y[t] = convert<T>(sum / divisor<C>(p, r, c));
  }
}

// dx at (plane, a, b) = the sum of g / divisor over the windows holding it, added in the
// order of the outputs as the CPU's adjoint loop adds them.
template <class T>
__global__ void avg_pool_backward_kernel(T* dx, const T* g, int64_t total, Planes s, Pool p) {
  using C = acc_t<T>;
  for (int64_t t = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; t < total; t += int64_t{gridDim.x} * blockDim.x) {
    const int64_t b = t % s.w, a = (t / s.w) % s.h, plane = t / (s.w * s.h);
    const T* gp = g + plane * s.oh * s.ow;
    int64_t i_lo, i_hi, j_lo, j_hi;
    candidates(p, 0, a, s.h, s.oh, i_lo, i_hi);
    candidates(p, 1, b, s.w, s.ow, j_lo, j_hi);
    C sum = 0;
    for (int64_t i = i_lo; i <= i_hi; ++i) {
      const Window r = window(p, 0, i, s.h, s.oh);
      if (a < r.first || a >= r.last) continue;
      for (int64_t j = j_lo; j <= j_hi; ++j) {
        const Window c = window(p, 1, j, s.w, s.ow);
        if (b < c.first || b >= c.last) continue;
        sum += static_cast<C>(gp[i * s.ow + j]) / divisor<C>(p, r, c);
      }
    }
    dx[t] = convert<T>(sum);
  }
}

// d[plane * size + idx[k]] += g[k] for every output k of `outputs` per plane.
template <class T, class C>
__global__ void max_pool_backward_kernel(C* d, const T* g, const int64_t* idx, int64_t total, int64_t outputs,
                                         int64_t size) {
  for (int64_t k = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; k < total; k += int64_t{gridDim.x} * blockDim.x) {
    atomicAdd(d + (k / outputs) * size + idx[k], static_cast<C>(g[k]));
  }
}

template <class T, class C>
__global__ void narrow_kernel(T* out, const C* in, int64_t n) {
  for (int64_t k = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; k < n; k += int64_t{gridDim.x} * blockDim.x) {
    out[k] = convert<T>(in[k]);
  }
}

// tensors: y (N, C, OH, OW), indices (int64, y's shape), x (N, C, H, W), contiguous.
void max_pool(std::span<Tensor> t, ScalarList args) {
  const Tensor &y = t[0], &idx = t[1], &x = t[2];
  const int64_t total = y.numel();
  if (total == 0) return;
  const Pool p = Pool::of(args);
  const Planes g{x.size(2), x.size(3), y.size(2), y.size(3)};
  DeviceGuard guard(y.device().index);
  visit_dtype(y.dtype(), [&](auto tag) {
    using T = decltype(tag);
    max_pool_kernel<T><<<grid_for(total), kBlockSize, 0, stream_for(y)>>>(x.data_ptr<T>(), y.data_ptr<T>(),
                                                                          idx.data_ptr<int64_t>(), total, g, p);
  });
  LT_GPU_CHECK_LAUNCH("max_pool2d");
}

// tensors: y (N, C, OH, OW), x (N, C, H, W), contiguous.
void avg_pool(std::span<Tensor> t, ScalarList args) {
  const Tensor &y = t[0], &x = t[1];
  const int64_t total = y.numel();
  if (total == 0) return;
  const Pool p = Pool::of(args);
  const Planes g{x.size(2), x.size(3), y.size(2), y.size(3)};
  DeviceGuard guard(y.device().index);
  visit_dtype(y.dtype(), [&](auto tag) {
    using T = decltype(tag);
    avg_pool_kernel<T><<<grid_for(total), kBlockSize, 0, stream_for(y)>>>(x.data_ptr<T>(), y.data_ptr<T>(), total, g, p);
  });
  LT_GPU_CHECK_LAUNCH("avg_pool2d");
}

// tensors: dx (N, C, H, W), g (N, C, OH, OW), contiguous.
void avg_pool_backward(std::span<Tensor> t, ScalarList args) {
  const Tensor &dx = t[0], &g = t[1];
  const int64_t total = dx.numel();
  if (total == 0) return;
  const Pool p = Pool::of(args);
  const Planes s{dx.size(2), dx.size(3), g.size(2), g.size(3)};
  DeviceGuard guard(dx.device().index);
  visit_dtype(dx.dtype(), [&](auto tag) {
    using T = decltype(tag);
    avg_pool_backward_kernel<T><<<grid_for(total), kBlockSize, 0, stream_for(dx)>>>(dx.data_ptr<T>(), g.data_ptr<T>(),
                                                                                   total, s, p);
  });
  LT_GPU_CHECK_LAUNCH("avg_pool2d_backward");
}

// tensors: dx (N, C, H, W), g (N, C, OH, OW), indices (g's shape): dx[i] = sum of the g
// whose maximum was i. Indices stay inside their plane.
void max_pool_backward(std::span<Tensor> t, ScalarList) {
  const Tensor &dx = t[0], &g = t[1], &idx = t[2];
  const int64_t n = dx.numel();
  if (n == 0) return;
  const int64_t size = dx.size(2) * dx.size(3), outputs = g.size(2) * g.size(3), total = g.numel();
  DeviceGuard guard(dx.device().index);
  gpuStream_t stream = stream_for(dx);
  visit_dtype(dx.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using C = acc_t<T>;
    // The sums in C: dx itself, or a float / double buffer narrowed at the end.
    Tensor wide = std::is_same_v<T, C> ? dx : empty({n}, dtype_v<C>, dx.device());
    C* d = wide.data_ptr<C>();
    LT_GPU_CHECK("max_pool2d_backward", gpuMemsetAsync(d, 0, n * sizeof(C), stream));
    if (total > 0) {
      max_pool_backward_kernel<T, C><<<grid_for(total), kBlockSize, 0, stream>>>(d, g.data_ptr<T>(),
                                                                                 idx.data_ptr<int64_t>(), total, outputs,
                                                                                 size);
    }
    if constexpr (!std::is_same_v<T, C>) narrow_kernel<T, C><<<grid_for(n), kBlockSize, 0, stream>>>(dx.data_ptr<T>(), d, n);
  });
  LT_GPU_CHECK_LAUNCH("max_pool2d_backward");
}

LT_REGISTER_KERNEL("max_pool2d", LT_GPU_KEY, TensorKernel, max_pool);
LT_REGISTER_KERNEL("max_pool2d_backward", LT_GPU_KEY, TensorKernel, max_pool_backward);
LT_REGISTER_KERNEL("avg_pool2d", LT_GPU_KEY, TensorKernel, avg_pool);
LT_REGISTER_KERNEL("avg_pool2d_backward", LT_GPU_KEY, TensorKernel, avg_pool_backward);

}  // namespace
}  // namespace lt::gpu
