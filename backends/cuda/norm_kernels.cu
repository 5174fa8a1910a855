// layer_norm and rms_norm, forward and backward over rows (the normalized dims flattened
// last). rms_norm is layer_norm without the centering: its mean pointer is null and its
// mean 0, so one code path serves both.
//
// Forward: a row kernel (rows.cuh) reads each row once into registers, takes its mean,
// then the variance about it (two passes over the registers, as the CPU's two passes,
// exact for rows of any offset), and writes the normalized, scaled and shifted row.
// Backward: the input's gradient is a row kernel too; the weight's and bias's are
// column sums over the rows, summed without atomics in a fixed order (partial sums of
// row ranges, then their sum), so that every run gives the same bits. float16 and
// bfloat16 compute in float; mean and rstd are float for them.
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <type_traits>

#include "common/float_compute.h"
#include "gpu.h"
#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "rows.cuh"

namespace lt::gpu {

using common::data_or_null;

namespace {

using rows::SumOp;

__device__ inline float inverse_sqrt(float v) { return 1.0f / ::sqrtf(v); }
__device__ inline double inverse_sqrt(double v) { return 1.0 / ::sqrt(v); }

// --- forward ----------------------------------------------------------------------------

// y = (x - mean) * rstd * w + b per row; mean and rstd (in the compute type) per row.
// Without mean (rms_norm) the rows are not centered.
template <class T, class W, int V, int P>
__global__ __launch_bounds__(rows::row_threads<T>(V, P), 1)
void forward_rows(const T* __restrict__ x, const W* __restrict__ w, const W* __restrict__ b, T* __restrict__ y,
                  compute_t<T>* __restrict__ mean, compute_t<T>* __restrict__ rstd, int64_t nrows, int64_t n,
                  compute_t<T> eps, int G) {
  using C = compute_t<T>;
  const rows::RowLoop loop(G);
  const int64_t packs = n / V;
  const C count = static_cast<C>(n);
  // The output of one pack from its values: normalized, scaled, shifted.
  auto finish = [&](int64_t q, C (&v)[V], C mu, C inv) {
    C wv[V], bv[V];
    if (w) rows::load_pack<V>(w, q, wv);
    if (b) rows::load_pack<V>(b, q, bv);
#pragma unroll
    for (int j = 0; j < V; ++j) {
      C o = (v[j] - mu) * inv;
      if (w) o *= wv[j];
      if (b) o += bv[j];
      v[j] = o;
    }
  };
  for (int64_t first = loop.begin(); first < nrows; first += loop.stride()) {
    const int64_t row = first + loop.sub;
    const bool live = row < nrows;
    const T* xr = x + row * n;
    T* yr = y + row * n;
    C mu, inv;
    if constexpr (P > 0) {
      C v[P][V];
      C s = 0;
#pragma unroll
      for (int k = 0; k < P; ++k) {
        const int64_t q = loop.tid + int64_t{k} * G;
        if (live && q < packs) {
          rows::load_pack<V>(xr, q, v[k]);
#pragma unroll
          for (int j = 0; j < V; ++j) s += v[k][j];
        }
      }
      mu = mean ? rows::group_reduce(s, G, SumOp{}) / count : C(0);
      C ss = 0;
#pragma unroll
      for (int k = 0; k < P; ++k) {
        const int64_t q = loop.tid + int64_t{k} * G;
        if (live && q < packs) {
#pragma unroll
          for (int j = 0; j < V; ++j) {
            const C d = v[k][j] - mu;
            ss += d * d;
          }
        }
      }
      inv = inverse_sqrt(rows::group_reduce(ss, G, SumOp{}) / count + eps);
#pragma unroll
      for (int k = 0; k < P; ++k) {
        const int64_t q = loop.tid + int64_t{k} * G;
        if (live && q < packs) {
          finish(q, v[k], mu, inv);
          rows::store_pack<V>(yr, q, v[k]);
        }
      }
    } else {
      C s = 0;
      for (int64_t q = loop.tid; mean && live && q < packs; q += G) {
        C v[V];
        rows::load_pack<V>(xr, q, v);
#pragma unroll
        for (int j = 0; j < V; ++j) s += v[j];
      }
      mu = mean ? rows::group_reduce(s, G, SumOp{}) / count : C(0);
      C ss = 0;
      for (int64_t q = loop.tid; live && q < packs; q += G) {
        C v[V];
        rows::load_pack<V>(xr, q, v);
#pragma unroll
        for (int j = 0; j < V; ++j) {
          const C d = v[j] - mu;
          ss += d * d;
        }
      }
      inv = inverse_sqrt(rows::group_reduce(ss, G, SumOp{}) / count + eps);
      for (int64_t q = loop.tid; live && q < packs; q += G) {
        C v[V];
        rows::load_pack<V>(xr, q, v);
        finish(q, v, mu, inv);
        rows::store_pack<V>(yr, q, v);
      }
    }
    if (live && loop.tid == 0) {
      if (mean) mean[row] = mu;
      rstd[row] = inv;
    }
  }
}

// --- backward: the input's gradient -----------------------------------------------------

// dx = rstd (gw - mean(gw) - xhat mean(gw xhat)) per row, gw = g * w, xhat = (x - mean) rstd;
// without mean (rms_norm) the mean(gw) term is absent.
template <class T, class W, int V, int P>
__global__ __launch_bounds__(rows::row_threads<T>(V, P), 1)
void backward_rows(const T* __restrict__ g, const T* __restrict__ x, const compute_t<T>* __restrict__ mean,
                   const compute_t<T>* __restrict__ rstd, const W* __restrict__ w, T* __restrict__ dx, int64_t nrows,
                   int64_t n, int G) {
  using C = compute_t<T>;
  const rows::RowLoop loop(G);
  const int64_t packs = n / V;
  const C count = static_cast<C>(n);
  // gw and xhat of one pack.
  auto terms = [&](const T* gr, const T* xr, int64_t q, C mu, C inv, C (&gw)[V], C (&xh)[V]) {
    rows::load_pack<V>(gr, q, gw);
    rows::load_pack<V>(xr, q, xh);
    C wv[V];
    if (w) rows::load_pack<V>(w, q, wv);
#pragma unroll
    for (int j = 0; j < V; ++j) {
      if (w) gw[j] *= wv[j];
      xh[j] = (xh[j] - mu) * inv;
    }
  };
  for (int64_t first = loop.begin(); first < nrows; first += loop.stride()) {
    const int64_t row = first + loop.sub;
    const bool live = row < nrows;
    const T *gr = g + row * n, *xr = x + row * n;
    T* out = dx + row * n;
    const C mu = live && mean ? mean[row] : C(0), inv = live ? rstd[row] : C(0);
    C sums[2] = {0, 0};  // sum(gw), sum(gw xhat)
    if constexpr (P > 0) {
      C gw[P][V], xh[P][V];
#pragma unroll
      for (int k = 0; k < P; ++k) {
        const int64_t q = loop.tid + int64_t{k} * G;
        if (live && q < packs) {
          terms(gr, xr, q, mu, inv, gw[k], xh[k]);
#pragma unroll
          for (int j = 0; j < V; ++j) {
            sums[0] += gw[k][j];
            sums[1] += gw[k][j] * xh[k][j];
          }
        }
      }
      rows::group_reduce<2>(sums, G, SumOp{});
      const C a = mean ? sums[0] / count : C(0), c = sums[1] / count;
#pragma unroll
      for (int k = 0; k < P; ++k) {
        const int64_t q = loop.tid + int64_t{k} * G;
        if (live && q < packs) {
#pragma unroll
          for (int j = 0; j < V; ++j) gw[k][j] = inv * (gw[k][j] - a - xh[k][j] * c);
          rows::store_pack<V>(out, q, gw[k]);
        }
      }
    } else {
      for (int64_t q = loop.tid; live && q < packs; q += G) {
        C gw[V], xh[V];
        terms(gr, xr, q, mu, inv, gw, xh);
#pragma unroll
        for (int j = 0; j < V; ++j) {
          sums[0] += gw[j];
          sums[1] += gw[j] * xh[j];
        }
      }
      rows::group_reduce<2>(sums, G, SumOp{});
      const C a = mean ? sums[0] / count : C(0), c = sums[1] / count;
      for (int64_t q = loop.tid; live && q < packs; q += G) {
        C gw[V], xh[V];
        terms(gr, xr, q, mu, inv, gw, xh);
#pragma unroll
        for (int j = 0; j < V; ++j) gw[j] = inv * (gw[j] - a - xh[j] * c);
        rows::store_pack<V>(out, q, gw);
      }
    }
  }
}

// --- backward: the weight's and bias's gradients ----------------------------------------

constexpr int kColumnsPerBlock = 32, kRowThreads = 8;

// Block (x, y) sums columns x*32 .. x*32 + 31 over rows [y * rows_per_part, ...): dw's
// terms g (x - mean) rstd into part_w, db's g into part_b (either may be null), each
// part a row of n; the block's 8 row threads meet in shared memory in a fixed order.
template <class T>
__global__ __launch_bounds__(kColumnsPerBlock * kRowThreads)
void param_parts(const T* __restrict__ g, const T* __restrict__ x, const compute_t<T>* __restrict__ mean,
                 const compute_t<T>* __restrict__ rstd, compute_t<T>* __restrict__ part_w,
                 compute_t<T>* __restrict__ part_b, int64_t nrows, int64_t n, int64_t rows_per_part) {
  using C = compute_t<T>;
  __shared__ C shared_w[kRowThreads][kColumnsPerBlock], shared_b[kRowThreads][kColumnsPerBlock];
  const int64_t j = int64_t{blockIdx.x} * kColumnsPerBlock + threadIdx.x;
  const int64_t r0 = int64_t{blockIdx.y} * rows_per_part;
  const int64_t r1 = r0 + rows_per_part < nrows ? r0 + rows_per_part : nrows;
  C sw = 0, sb = 0;
  if (j < n) {
    for (int64_t r = r0 + threadIdx.y; r < r1; r += kRowThreads) {
      const C gv = static_cast<C>(g[r * n + j]);
      if (part_w) sw += gv * (static_cast<C>(x[r * n + j]) - (mean ? mean[r] : C(0))) * rstd[r];
      sb += gv;
    }
  }
  shared_w[threadIdx.y][threadIdx.x] = sw;
  shared_b[threadIdx.y][threadIdx.x] = sb;
  __syncthreads();
  if (threadIdx.y == 0 && j < n) {
    for (int t = 1; t < kRowThreads; ++t) {
      sw += shared_w[t][threadIdx.x];
      sb += shared_b[t][threadIdx.x];
    }
    if (part_w) part_w[int64_t{blockIdx.y} * n + j] = sw;
    if (part_b) part_b[int64_t{blockIdx.y} * n + j] = sb;
  }
}

// out[j] = the sum of parts[p][j] over p, in order.
template <class T>
__global__ void sum_parts(const compute_t<T>* __restrict__ parts, int64_t count, int64_t n, T* __restrict__ out) {
  for (int64_t j = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; j < n; j += int64_t{gridDim.x} * blockDim.x) {
    compute_t<T> s = 0;
    for (int64_t p = 0; p < count; ++p) s += parts[p * n + j];
    out[j] = static_cast<T>(s);
  }
}

// --- launches ---------------------------------------------------------------------------

// Calls f(W{}) with the type the weight and bias are read as: T where they have x's
// dtype, else the compute type (the tensors converted to it first, as the CPU's float32
// copies of reduced dtypes).
template <class T, class F>
void with_weight_type(DType x_dtype, std::initializer_list<Tensor*> params, F&& f) {
  using C = compute_t<T>;
  bool same = true;
  for (Tensor* p : params) same = same && (!p->defined() || p->dtype() == x_dtype);
  if (!same) {
    for (Tensor* p : params) {
      if (p->defined()) *p = p->to(dtype_v<C>).contiguous();
    }
  }
  if constexpr (std::is_same_v<T, C>) {
    f(T{});
  } else if (same) {
    f(T{});
  } else {
    f(C{});
  }
}

// Whether pointer p (of elements of type W, read in packs of 16 bytes' worth of T)
// allows the packed loads.
template <class T, class W>
bool pack_aligned(const W* p) {
  return p == nullptr || reinterpret_cast<uintptr_t>(p) % (sizeof(W) * (16 / sizeof(T))) == 0;
}

// tensors: y, mean (rows; undefined for rms_norm), rstd (rows), x, weight or undefined,
// bias or undefined, all contiguous, x and y holding rows of n; args: eps, n. mean and
// rstd are float32 for reduced dtypes.
void forward_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &y = t[0], &mean = t[1], &rstd = t[2], &x = t[3];
  if (x.numel() == 0) return;
  const int64_t n = args[1].to_int(), nrows = x.numel() / n;
  const double eps = args[0].to_double();
  Tensor w = t[4], b = t[5];
  const int device = y.device().index;
  DeviceGuard guard(device);
  gpuStream_t stream = current_stream(device);
  rows::visit_floating(x.dtype(), "layer_norm", [&](auto tag) {
    using T = decltype(tag);
    using C = compute_t<T>;
    with_weight_type<T>(x.dtype(), {&w, &b}, [&](auto wtag) {
      using W = decltype(wtag);
      const T* xp = x.data_ptr<T>();
      T* yp = y.data_ptr<T>();
      const W *wp = data_or_null<W>(w), *bp = data_or_null<W>(b);
      const bool aligned = rows::aligned16(xp) && rows::aligned16(yp) && n * sizeof(T) % 16 == 0 &&
                           pack_aligned<T>(wp) && pack_aligned<T>(bp);
      const rows::Plan plan = rows::plan_rows<T>(nrows, n, aligned, device);
      rows::with_plan<T>(plan, [&](auto v, auto p) {
        forward_rows<T, W, decltype(v)::value, decltype(p)::value><<<plan.grid, plan.block, 0, stream>>>(
            xp, wp, bp, yp, data_or_null<C>(mean), rstd.data_ptr<C>(), nrows, n, static_cast<C>(eps), plan.G);
      });
    });
  });
  LT_GPU_CHECK_LAUNCH("layer_norm");
}

// Column sums of dw and db over nrows rows, in parts of rows so that a few columns over
// many rows still fill the device.
template <class T>
void param_grads(const T* g, const T* x, const compute_t<T>* mean, const compute_t<T>* rstd, Tensor& dw, Tensor& db,
                 int64_t nrows, int64_t n, int device, gpuStream_t stream) {
  using C = compute_t<T>;
  const int64_t column_blocks = (n + kColumnsPerBlock - 1) / kColumnsPerBlock;
  const int64_t wanted = 8 * int64_t{rows::device_info(device).sms};  // blocks of 256: a full device
  int64_t parts = (wanted + column_blocks - 1) / column_blocks;
  const int64_t most = (nrows + 4 * kRowThreads - 1) / (4 * kRowThreads);  // at least 4 rows per thread
  parts = std::max<int64_t>(1, std::min<int64_t>({parts, most, 65535}));
  const int64_t rows_per_part = (nrows + parts - 1) / parts;
  parts = (nrows + rows_per_part - 1) / rows_per_part;
  const int64_t size_w = dw.defined() ? parts * n : 0, size_b = db.defined() ? parts * n : 0;
  Tensor buffer = empty({size_w + size_b}, dtype_v<C>, dw.defined() ? dw.device() : db.device());
  C* part_w = dw.defined() ? buffer.data_ptr<C>() : nullptr;
  C* part_b = db.defined() ? buffer.data_ptr<C>() + size_w : nullptr;
  const dim3 grid(static_cast<unsigned>(column_blocks), static_cast<unsigned>(parts));
  param_parts<T><<<grid, dim3(kColumnsPerBlock, kRowThreads), 0, stream>>>(g, x, mean, rstd, part_w, part_b, nrows, n,
                                                                         rows_per_part);
  if (part_w) sum_parts<T><<<grid_for(n), kBlockSize, 0, stream>>>(part_w, parts, n, dw.data_ptr<T>());
  if (part_b) sum_parts<T><<<grid_for(n), kBlockSize, 0, stream>>>(part_b, parts, n, db.data_ptr<T>());
}

// tensors: dx, dw, db (each undefined when not wanted), g, x, mean (undefined for
// rms_norm), rstd, weight (or undefined), all contiguous; args: n.
void backward_kernel(std::span<Tensor> t, ScalarList args) {
  Tensor &dx = t[0], &dw = t[1], &db = t[2];
  const Tensor &g = t[3], &x = t[4], &mean = t[5], &rstd = t[6];
  Tensor w = t[7];
  const int64_t n = args[0].to_int(), nrows = n == 0 ? 0 : x.numel() / n;
  if (x.numel() == 0) {  // no rows: the column sums are zero
    for (Tensor* p : {&dw, &db}) {
      if (p->defined()) p->fill_(0);
    }
    return;
  }
  if (!dx.defined() && !dw.defined() && !db.defined()) return;
  const int device = x.device().index;
  DeviceGuard guard(device);
  gpuStream_t stream = current_stream(device);
  rows::visit_floating(x.dtype(), "layer_norm_backward", [&](auto tag) {
    using T = decltype(tag);
    using C = compute_t<T>;
    const T *gp = g.data_ptr<T>(), *xp = x.data_ptr<T>();
    const C *mp = data_or_null<C>(mean), *rp = rstd.data_ptr<C>();
    if (dx.defined()) {
      with_weight_type<T>(x.dtype(), {&w}, [&](auto wtag) {
        using W = decltype(wtag);
        T* out = dx.data_ptr<T>();
        const W* wp = data_or_null<W>(w);
        const bool aligned = rows::aligned16(gp) && rows::aligned16(xp) && rows::aligned16(out) &&
                             n * sizeof(T) % 16 == 0 && pack_aligned<T>(wp);
        const rows::Plan plan = rows::plan_rows<T>(nrows, n, aligned, device);
        rows::with_plan<T>(plan, [&](auto v, auto p) {
          backward_rows<T, W, decltype(v)::value, decltype(p)::value>
              <<<plan.grid, plan.block, 0, stream>>>(gp, xp, mp, rp, wp, out, nrows, n, plan.G);
        });
      });
    }
    if (dw.defined() || db.defined()) param_grads<T>(gp, xp, mp, rp, dw, db, nrows, n, device, stream);
  });
  LT_GPU_CHECK_LAUNCH("layer_norm_backward");
}

// rms_norm's tensors are layer_norm's, with mean (and bias, db) undefined.
LT_REGISTER_KERNEL("layer_norm", LT_GPU_KEY, TensorKernel, forward_kernel);
LT_REGISTER_KERNEL("layer_norm_backward", LT_GPU_KEY, TensorKernel, backward_kernel);
LT_REGISTER_KERNEL("rms_norm", LT_GPU_KEY, TensorKernel, forward_kernel);
LT_REGISTER_KERNEL("rms_norm_backward", LT_GPU_KEY, TensorKernel, backward_kernel);

}  // namespace
}  // namespace lt::gpu
