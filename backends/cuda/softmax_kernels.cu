// softmax and log_softmax along one dim, forward and backward, as fused kernels.
//
// Tensors are contiguous and viewed as (outer, n, inner), n the softmax dim. With inner
// = 1 (the last dim) each row is a row kernel (rows.cuh): read once into registers,
// reduced for its maximum and its sum of exponentials, written once. Otherwise a block
// takes a tile of columns (inner positions of one outer index) whose threads split the
// softmax dim, with a running maximum and sum per thread combined in shared memory.
// float16 and bfloat16 compute in float, as the CPU's float32 copies do.
#include <cmath>
#include <limits>

#include "common/dim_blocks.h"
#include "gpu.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "rows.cuh"

namespace lt::gpu {

using common::Shape3;
using common::shape_of;

namespace {

using rows::exp_of;
using rows::log_of;
using rows::MaxOp;
using rows::neg_inf;
using rows::SumOp;

// A running (maximum, sum of exp(x - maximum)) over values seen one at a time. The
// terms are those of the CPU's two passes: -inf adds 0 (but keeps the sum of a row of
// -inf at 0, which the final maximum of -inf turns into NaN), +inf adds exp(inf - inf)
// = NaN, NaN adds NaN.
template <class C>
struct Running {
  C m = neg_inf<C>(), s = C(0);
  __device__ void rescale_to(C top) {
    if (top > m) {
      s *= exp_of(m - top);
      m = top;
    }
  }
  __device__ void add(C a) { s += a == neg_inf<C>() ? C(0) : exp_of(a - m); }
  // This thread's sum relative to the group's maximum M (>= m).
  __device__ C sum_at(C M) const { return m == neg_inf<C>() ? s : s * exp_of(m - M); }
};

// --- forward, rows (inner == 1) ---------------------------------------------------------

template <class T, bool Log, int V, int P>
__global__ __launch_bounds__(rows::row_threads<T>(V, P), 1)
void forward_rows(const T* __restrict__ x, T* __restrict__ y, int64_t nrows, int64_t n, int G) {
  using C = compute_t<T>;
  const rows::RowLoop loop(G);
  const int64_t packs = n / V;
  for (int64_t first = loop.begin(); first < nrows; first += loop.stride()) {
    const int64_t row = first + loop.sub;
    const bool live = row < nrows;
    const T* xr = x + row * n;
    T* yr = y + row * n;
    if constexpr (P > 0) {
      C v[P][V];
      C m = neg_inf<C>();
#pragma unroll
      for (int k = 0; k < P; ++k) {
        const int64_t q = loop.tid + int64_t{k} * G;
        if (live && q < packs) {
          rows::load_pack<V>(xr, q, v[k]);
#pragma unroll
          for (int j = 0; j < V; ++j) m = MaxOp{}(m, v[k][j]);
        }
      }
      m = rows::group_reduce(m, G, MaxOp{});
      C s = 0;
#pragma unroll
      for (int k = 0; k < P; ++k) {
        const int64_t q = loop.tid + int64_t{k} * G;
        if (live && q < packs) {
#pragma unroll
          for (int j = 0; j < V; ++j) {
            const C e = exp_of(v[k][j] - m);
            if constexpr (!Log) v[k][j] = e;  // softmax keeps its terms for the output
            s += e;
          }
        }
      }
      s = rows::group_reduce(s, G, SumOp{});
      const C log_sum = Log ? log_of(s) : C(0), scale = Log ? C(0) : C(1) / s;
#pragma unroll
      for (int k = 0; k < P; ++k) {
        const int64_t q = loop.tid + int64_t{k} * G;
        if (live && q < packs) {
#pragma unroll
          for (int j = 0; j < V; ++j) v[k][j] = Log ? (v[k][j] - m) - log_sum : v[k][j] * scale;
          rows::store_pack<V>(yr, q, v[k]);
        }
      }
    } else {
      Running<C> run;
      for (int64_t q = loop.tid; live && q < packs; q += G) {
        C a[V];
        rows::load_pack<V>(xr, q, a);
        C top = a[0];
#pragma unroll
        for (int j = 1; j < V; ++j) top = MaxOp{}(top, a[j]);
        run.rescale_to(top);
#pragma unroll
        for (int j = 0; j < V; ++j) run.add(a[j]);
      }
      const C m = rows::group_reduce(run.m, G, MaxOp{});
      const C s = rows::group_reduce(run.sum_at(m), G, SumOp{});
      const C log_sum = Log ? log_of(s) : C(0), scale = Log ? C(0) : C(1) / s;
      for (int64_t q = loop.tid; live && q < packs; q += G) {
        C a[V];
        rows::load_pack<V>(xr, q, a);
#pragma unroll
        for (int j = 0; j < V; ++j) a[j] = Log ? (a[j] - m) - log_sum : exp_of(a[j] - m) * scale;
        rows::store_pack<V>(yr, q, a);
      }
    }
  }
}

// --- columns (inner > 1) ----------------------------------------------------------------

// Tiles of blockDim.x inner positions of one outer index; threadIdx.y splits the n
// values of each column, and the partial results meet in shared memory, combined in a
// fixed order.
struct ColumnTiles {
  int64_t outer, n, inner, per_outer;
  __device__ int64_t count() const { return outer * per_outer; }
  // The offset of the column of tile b that this thread takes, and whether it exists.
  __device__ int64_t column(int64_t b, bool& live) const {
    const int64_t o = b / per_outer, i = (b % per_outer) * blockDim.x + threadIdx.x;
    live = i < inner;
    return o * n * inner + i;
  }
};

constexpr int kColumnThreads = 256;

template <class T, bool Log>
__global__ __launch_bounds__(kColumnThreads)
void forward_columns(const T* __restrict__ x, T* __restrict__ y, ColumnTiles tiles) {
  using C = compute_t<T>;
  __shared__ C shared_m[kColumnThreads], shared_s[kColumnThreads];
  const int64_t n = tiles.n, inner = tiles.inner;
  const int at = threadIdx.y * blockDim.x + threadIdx.x;
  for (int64_t b = blockIdx.x; b < tiles.count(); b += gridDim.x) {
    bool live;
    const int64_t base = tiles.column(b, live);
    Running<C> run;
    for (int64_t j = threadIdx.y; live && j < n; j += blockDim.y) {
      const C a = static_cast<C>(x[base + j * inner]);
      run.rescale_to(a);
      run.add(a);
    }
    shared_m[at] = run.m;
    shared_s[at] = run.s;
    __syncthreads();
    if (threadIdx.y == 0) {
      C m = shared_m[threadIdx.x];
      for (unsigned t = 1; t < blockDim.y; ++t) m = MaxOp{}(m, shared_m[t * blockDim.x + threadIdx.x]);
      C s = 0;
      for (unsigned t = 0; t < blockDim.y; ++t) {
        Running<C> part;
        part.m = shared_m[t * blockDim.x + threadIdx.x];
        part.s = shared_s[t * blockDim.x + threadIdx.x];
        s += part.sum_at(m);
      }
      shared_m[threadIdx.x] = m;
      shared_s[threadIdx.x] = s;
    }
    __syncthreads();
    const C m = shared_m[threadIdx.x], s = shared_s[threadIdx.x];
    __syncthreads();  // the tile's results are read before the next tile writes
    // As the CPU's columns: x - (max + log(sum)) and exp(x - max) * (1 / sum).
    const C shift = Log ? m + log_of(s) : C(0), scale = Log ? C(0) : C(1) / s;
    for (int64_t j = threadIdx.y; live && j < n; j += blockDim.y) {
      const C a = static_cast<C>(x[base + j * inner]);
      y[base + j * inner] = static_cast<T>(Log ? a - shift : exp_of(a - m) * scale);
    }
  }
}

// --- backward ---------------------------------------------------------------------------

// softmax: gx = y * (g - sum(g * y)); log_softmax: gx = g - exp(y) * sum(g).
template <bool Log, class C>
__device__ inline C backward_term(C g, C y) {
  return Log ? g : g * y;
}
template <bool Log, class C>
__device__ inline C backward_value(C g, C y, C total) {
  return Log ? g - exp_of(y) * total : y * (g - total);
}

template <class T, bool Log, int V, int P>
__global__ __launch_bounds__(rows::row_threads<T>(V, P), 1)
void backward_rows(const T* __restrict__ g, const T* __restrict__ y, T* __restrict__ gx, int64_t nrows, int64_t n,
                   int G) {
  using C = compute_t<T>;
  const rows::RowLoop loop(G);
  const int64_t packs = n / V;
  for (int64_t first = loop.begin(); first < nrows; first += loop.stride()) {
    const int64_t row = first + loop.sub;
    const bool live = row < nrows;
    const T *gr = g + row * n, *yr = y + row * n;
    T* out = gx + row * n;
    if constexpr (P > 0) {
      C gv[P][V], yv[P][V];
      C total = 0;
#pragma unroll
      for (int k = 0; k < P; ++k) {
        const int64_t q = loop.tid + int64_t{k} * G;
        if (live && q < packs) {
          rows::load_pack<V>(gr, q, gv[k]);
          rows::load_pack<V>(yr, q, yv[k]);
#pragma unroll
          for (int j = 0; j < V; ++j) total += backward_term<Log>(gv[k][j], yv[k][j]);
        }
      }
      total = rows::group_reduce(total, G, SumOp{});
#pragma unroll
      for (int k = 0; k < P; ++k) {
        const int64_t q = loop.tid + int64_t{k} * G;
        if (live && q < packs) {
#pragma unroll
          for (int j = 0; j < V; ++j) gv[k][j] = backward_value<Log>(gv[k][j], yv[k][j], total);
          rows::store_pack<V>(out, q, gv[k]);
        }
      }
    } else {
      C total = 0;
      for (int64_t q = loop.tid; live && q < packs; q += G) {
        C a[V], b[V];
        rows::load_pack<V>(gr, q, a);
        rows::load_pack<V>(yr, q, b);
#pragma unroll
        for (int j = 0; j < V; ++j) total += backward_term<Log>(a[j], b[j]);
      }
      total = rows::group_reduce(total, G, SumOp{});
      for (int64_t q = loop.tid; live && q < packs; q += G) {
        C a[V], b[V];
        rows::load_pack<V>(gr, q, a);
        rows::load_pack<V>(yr, q, b);
#pragma unroll
        for (int j = 0; j < V; ++j) a[j] = backward_value<Log>(a[j], b[j], total);
        rows::store_pack<V>(out, q, a);
      }
    }
  }
}

template <class T, bool Log>
__global__ __launch_bounds__(kColumnThreads)
void backward_columns(const T* __restrict__ g, const T* __restrict__ y, T* __restrict__ gx, ColumnTiles tiles) {
  using C = compute_t<T>;
  __shared__ C shared_total[kColumnThreads];
  const int64_t n = tiles.n, inner = tiles.inner;
  for (int64_t b = blockIdx.x; b < tiles.count(); b += gridDim.x) {
    bool live;
    const int64_t base = tiles.column(b, live);
    C total = 0;
    for (int64_t j = threadIdx.y; live && j < n; j += blockDim.y) {
      total += backward_term<Log>(static_cast<C>(g[base + j * inner]), static_cast<C>(y[base + j * inner]));
    }
    shared_total[threadIdx.y * blockDim.x + threadIdx.x] = total;
    __syncthreads();
    total = 0;
    for (unsigned t = 0; t < blockDim.y; ++t) total += shared_total[t * blockDim.x + threadIdx.x];
    __syncthreads();
    for (int64_t j = threadIdx.y; live && j < n; j += blockDim.y) {
      const int64_t at = base + j * inner;
      gx[at] = static_cast<T>(backward_value<Log>(static_cast<C>(g[at]), static_cast<C>(y[at]), total));
    }
  }
}

// --- launches ---------------------------------------------------------------------------

// Blocks of (x, y) threads for the columns: x along inner (coalesced), y along n.
struct ColumnLaunch {
  ColumnTiles tiles;
  dim3 block;
  unsigned grid;
};

ColumnLaunch column_launch(const Shape3& s) {
  const int x = s.inner >= 32 ? 32 : rows::next_pow2(s.inner);
  ColumnLaunch l{{s.outer, s.n, s.inner, (s.inner + x - 1) / x}, dim3(x, kColumnThreads / x), 0};
  const int64_t tiles = s.outer * l.tiles.per_outer;
  l.grid = static_cast<unsigned>(tiles > (1 << 30) ? (1 << 30) : tiles);
  return l;
}

// tensors: y, x (contiguous, same shape and dtype); args: dim.
template <bool Log>
void forward_kernel(std::span<Tensor> t, ScalarList args) {
  const char* op = Log ? "log_softmax" : "softmax";
  const Tensor &y = t[0], &x = t[1];
  const Shape3 s = shape_of(x, args[0].to_int());
  if (y.numel() == 0) return;
  const int device = y.device().index;
  DeviceGuard guard(device);
  gpuStream_t stream = current_stream(device);
  rows::visit_floating(x.dtype(), op, [&](auto tag) {
    using T = decltype(tag);
    const T* xp = x.data_ptr<T>();
    T* yp = y.data_ptr<T>();
    if (s.inner == 1) {
      const bool aligned = rows::aligned16(xp) && rows::aligned16(yp) && s.n * sizeof(T) % 16 == 0;
      const rows::Plan plan = rows::plan_rows<T>(s.outer, s.n, aligned, device);
      rows::with_plan<T>(plan, [&](auto v, auto p) {
        forward_rows<T, Log, decltype(v)::value, decltype(p)::value>
            <<<plan.grid, plan.block, 0, stream>>>(xp, yp, s.outer, s.n, plan.G);
      });
    } else {
      const ColumnLaunch l = column_launch(s);
      forward_columns<T, Log><<<l.grid, l.block, 0, stream>>>(xp, yp, l.tiles);
    }
  });
  LT_GPU_CHECK_LAUNCH(op);
}

// tensors: grad_x, grad_y, y (contiguous, same shape and dtype); args: dim.
template <bool Log>
void backward_kernel(std::span<Tensor> t, ScalarList args) {
  const char* op = Log ? "log_softmax_backward" : "softmax_backward";
  const Tensor &gx = t[0], &g = t[1], &y = t[2];
  const Shape3 s = shape_of(y, args[0].to_int());
  if (gx.numel() == 0) return;
  const int device = gx.device().index;
  DeviceGuard guard(device);
  gpuStream_t stream = current_stream(device);
  rows::visit_floating(y.dtype(), op, [&](auto tag) {
    using T = decltype(tag);
    const T *gp = g.data_ptr<T>(), *yp = y.data_ptr<T>();
    T* out = gx.data_ptr<T>();
    if (s.inner == 1) {
      const bool aligned =
          rows::aligned16(gp) && rows::aligned16(yp) && rows::aligned16(out) && s.n * sizeof(T) % 16 == 0;
      const rows::Plan plan = rows::plan_rows<T>(s.outer, s.n, aligned, device);
      rows::with_plan<T>(plan, [&](auto v, auto p) {
        backward_rows<T, Log, decltype(v)::value, decltype(p)::value>
            <<<plan.grid, plan.block, 0, stream>>>(gp, yp, out, s.outer, s.n, plan.G);
      });
    } else {
      const ColumnLaunch l = column_launch(s);
      backward_columns<T, Log><<<l.grid, l.block, 0, stream>>>(gp, yp, out, l.tiles);
    }
  });
  LT_GPU_CHECK_LAUNCH(op);
}

LT_REGISTER_KERNEL("softmax", LT_GPU_KEY, TensorKernel, forward_kernel<false>);
LT_REGISTER_KERNEL("log_softmax", LT_GPU_KEY, TensorKernel, forward_kernel<true>);
LT_REGISTER_KERNEL("softmax_backward", LT_GPU_KEY, TensorKernel, backward_kernel<false>);
LT_REGISTER_KERNEL("log_softmax_backward", LT_GPU_KEY, TensorKernel, backward_kernel<true>);

}  // namespace
}  // namespace lt::gpu
