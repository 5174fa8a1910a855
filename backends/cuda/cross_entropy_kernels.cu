// cross_entropy with class indices, fused: a row kernel (rows.cuh) reads each row of
// logits once for its maximum, its log-sum-exp and (with label smoothing) the weighted
// sum of its logits; the backward pass writes softmax minus the target in one pass.
//
// Per row i with target t: nll = w_t (lse - x_t); smooth = sum_c w_c (lse - x_c) (label
// smoothing's term). Rows whose target is ignore_index give 0 and get no gradient. The
// sum of the weights is taken once per call, on the device, in a fixed order.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "device_errors.h"
#include "gpu.h"
#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "rows.cuh"

namespace lt::gpu {
namespace {

using rows::exp_of;
using rows::log_of;
using rows::MaxOp;
using rows::SumOp;

// What the log-sum-exp is taken about: the maximum, or 0 where it is infinite (a row of
// -inf gives lse -inf, one holding +inf gives +inf or NaN, as on the CPU).
template <class C>
__device__ inline C shift_of(C m) {
  return m == std::numeric_limits<C>::infinity() || m == -std::numeric_limits<C>::infinity() ? C(0) : m;
}

// out[0] = the sum of w[0 .. n), by one block.
template <class T>
__global__ __launch_bounds__(1024, 1) void weight_total(const T* __restrict__ w, int64_t n, compute_t<T>* out) {
  using C = compute_t<T>;
  C s = 0;
  for (int64_t c = threadIdx.x; c < n; c += blockDim.x) s += static_cast<C>(w[c]);
  s = rows::group_reduce(s, static_cast<int>(blockDim.x), SumOp{});
  if (threadIdx.x == 0) out[0] = s;
}

// --- forward ----------------------------------------------------------------------------

template <class T>
struct ForwardArgs {
  const T* x;
  const int64_t* target;
  const T* w;                         // null: every weight is 1
  const compute_t<T>* total_weight;  // sum(w), read only for label smoothing with a weight
  T *nll, *smooth, *lse;             // smooth null: no label smoothing
  int64_t nrows, classes, ignore;
  ErrorPost post;                    // for a target out of range
};

// What a row's result needs besides its sums: its target, the target's logit and weight.
// The group's first thread reads them before the row's sweep, so that their latency
// overlaps the sweep's loads instead of following it.
template <class T>
struct Target {
  int64_t t;
  compute_t<T> xt, wt;
};

template <class T>
__device__ Target<T> load_target(const ForwardArgs<T>& a, int64_t row) {
  using C = compute_t<T>;
  const int64_t t = a.target[row];
  // A target outside [0, classes) is posted, and gives NaN here rather than a read out
  // of bounds.
  const bool valid = t >= 0 && t < a.classes;
  if (!valid && t != a.ignore) post_error(a.post, t);
  return {t, valid ? static_cast<C>(a.x[row * a.classes + t]) : std::numeric_limits<C>::quiet_NaN(),
          a.w && valid ? static_cast<C>(a.w[t]) : C(1)};
}

// A row's results from its maximum and its sums, written by the group's first thread.
template <class T>
__device__ void finish_row(const ForwardArgs<T>& a, int64_t row, const Target<T>& target, compute_t<T> shift,
                           compute_t<T> sum, compute_t<T> weighted) {
  using C = compute_t<T>;
  const C l = shift + log_of(sum);
  a.lse[row] = static_cast<T>(l);
  if (target.t == a.ignore) {
    a.nll[row] = static_cast<T>(C(0));
    if (a.smooth) a.smooth[row] = static_cast<T>(C(0));
    return;
  }
  a.nll[row] = static_cast<T>(target.wt * (l - target.xt));
  if (a.smooth) {
    const C total = a.w ? *a.total_weight : static_cast<C>(a.classes);
    a.smooth[row] = static_cast<T>(l * total - weighted);
  }
}

// The weighted sum of pack q's logits v (label smoothing's term).
template <class T, int V>
__device__ compute_t<T> weighted_pack(const ForwardArgs<T>& a, int64_t q, const compute_t<T> (&v)[V]) {
  using C = compute_t<T>;
  C s = 0;
  if (a.w) {
    C wv[V];
    rows::load_pack<V>(a.w, q, wv);
#pragma unroll
    for (int j = 0; j < V; ++j) s += wv[j] * v[j];
  } else {
#pragma unroll
    for (int j = 0; j < V; ++j) s += v[j];
  }
  return s;
}

// Long rows, one block of G threads each: every thread keeps a running maximum and a
// sum of exponentials rescaled to it (the online softmax) over its packs, read 4 at a
// time, so each element is read once with nothing of the row held in registers; small
// blocks then keep more rows in flight per multiprocessor than the register-held path.
template <class T, int V>
__global__ __launch_bounds__(256) void forward_online(ForwardArgs<T> a) {
  using C = compute_t<T>;
  constexpr int kUnroll = 4;
  const int G = static_cast<int>(blockDim.x), tid = static_cast<int>(threadIdx.x);
  const int64_t packs = a.classes / V;
  const bool smoothing = a.smooth != nullptr;
  for (int64_t row = blockIdx.x; row < a.nrows; row += gridDim.x) {
    const T* xr = a.x + row * a.classes;
    Target<T> target{};
    if (tid == 0) target = load_target(a, row);
    C m = rows::neg_inf<C>(), s = 0, weighted = 0;
    // Folds values whose maximum is `top` into (m, s).
    auto fold = [&](C top, auto&& add_terms) {
      const C next = rows::MaxOp{}(m, top);
      const C shift = shift_of(next);
      s = s == C(0) ? C(0) : s * exp_of(shift_of(m) - shift);
      m = next;
      add_terms(shift);
    };
    int64_t q = tid;
    for (; q + (kUnroll - 1) * G < packs; q += kUnroll * G) {
      C v[kUnroll][V];
#pragma unroll
      for (int k = 0; k < kUnroll; ++k) rows::load_pack<V>(xr, q + k * G, v[k]);
      C top = rows::neg_inf<C>();
#pragma unroll
      for (int k = 0; k < kUnroll; ++k) {
#pragma unroll
        for (int j = 0; j < V; ++j) top = rows::MaxOp{}(top, v[k][j]);
        if (smoothing) weighted += weighted_pack(a, q + k * G, v[k]);
      }
      fold(top, [&](C shift) {
#pragma unroll
        for (int k = 0; k < kUnroll; ++k) {
#pragma unroll
          for (int j = 0; j < V; ++j) s += exp_of(v[k][j] - shift);
        }
      });
    }
    for (; q < packs; q += G) {
      C v[V];
      rows::load_pack<V>(xr, q, v);
      C top = rows::neg_inf<C>();
#pragma unroll
      for (int j = 0; j < V; ++j) top = rows::MaxOp{}(top, v[j]);
      if (smoothing) weighted += weighted_pack(a, q, v);
      fold(top, [&](C shift) {
#pragma unroll
        for (int j = 0; j < V; ++j) s += exp_of(v[j] - shift);
      });
    }
    const C shift = shift_of(rows::group_reduce(m, G, MaxOp{}));
    C sums[2] = {s == C(0) ? C(0) : s * exp_of(shift_of(m) - shift), weighted};
    rows::group_reduce<2>(sums, G, SumOp{});
    if (tid == 0) finish_row(a, row, target, shift, sums[0], sums[1]);
  }
}

// Shorter rows, a group of G <= a warp's threads each, the row held in registers (P packs
// of V per thread) between its maximum and its sum.
template <class T, int V, int P>
__global__ __launch_bounds__(rows::row_threads<T>(V, P), 1)
void forward_rows(ForwardArgs<T> a, int G) {
  static_assert(P > 0, "rows too long for registers take forward_online");
  using C = compute_t<T>;
  const rows::RowLoop loop(G);
  const int64_t packs = a.classes / V;
  const bool smoothing = a.smooth != nullptr;
  auto weighted_sum = [&](int64_t q, const C (&v)[V]) { return weighted_pack(a, q, v); };
  for (int64_t first = loop.begin(); first < a.nrows; first += loop.stride()) {
    const int64_t row = first + loop.sub;
    const bool live = row < a.nrows;
    const T* xr = a.x + row * a.classes;
    Target<T> target{};
    if (live && loop.tid == 0) target = load_target(a, row);
    C m = rows::neg_inf<C>();
    C sums[2] = {0, 0};  // sum of exp(x - shift), weighted sum of x
    C v[P][V];
#pragma unroll
    for (int k = 0; k < P; ++k) {
      const int64_t q = loop.tid + int64_t{k} * G;
      if (live && q < packs) {
        rows::load_pack<V>(xr, q, v[k]);
#pragma unroll
        for (int j = 0; j < V; ++j) m = MaxOp{}(m, v[k][j]);
        if (smoothing) sums[1] += weighted_sum(q, v[k]);
      }
    }
    m = rows::group_reduce(m, G, MaxOp{});
    const C shift = shift_of(m);
#pragma unroll
    for (int k = 0; k < P; ++k) {
      const int64_t q = loop.tid + int64_t{k} * G;
      if (live && q < packs) {
#pragma unroll
        for (int j = 0; j < V; ++j) sums[0] += exp_of(v[k][j] - shift);
      }
    }
    rows::group_reduce<2>(sums, G, SumOp{});
    if (live && loop.tid == 0) finish_row(a, row, target, shift, sums[0], sums[1]);
  }
}

// --- backward ---------------------------------------------------------------------------

template <class T>
struct BackwardArgs {
  const T *g_nll, *g_smooth;  // g_smooth null: no label smoothing
  const T* x;
  const int64_t* target;
  const T* w;
  const compute_t<T>* total_weight;
  const T* lse;
  T* dx;
  int64_t nrows, classes, ignore;
};

// dx_c = g_nll w_t (p_c - [c = t]) + g_smooth (W p_c - w_c), p = exp(x - lse), W = sum w;
// a group of G threads per row, no reductions.
template <class T, int V>
__global__ void backward_rows(BackwardArgs<T> a, int G) {
  using C = compute_t<T>;
  const rows::RowLoop loop(G);
  const int64_t packs = a.classes / V;
  for (int64_t row = loop.begin() + loop.sub; row < a.nrows; row += loop.stride()) {
    const T* xr = a.x + row * a.classes;
    T* out = a.dx + row * a.classes;
    const int64_t t = a.target[row];
    if (t == a.ignore) {
      C zero[V];
#pragma unroll
      for (int j = 0; j < V; ++j) zero[j] = 0;
      for (int64_t q = loop.tid; q < packs; q += G) rows::store_pack<V>(out, q, zero);
      continue;
    }
    const bool valid = t >= 0 && t < a.classes;
    const C wt = a.w && valid ? static_cast<C>(a.w[t]) : C(1);
    const C ga = static_cast<C>(a.g_nll[row]) * wt;
    const C gb = a.g_smooth ? static_cast<C>(a.g_smooth[row]) : C(0);
    const C l = static_cast<C>(a.lse[row]);
    const C total = a.w && a.g_smooth ? *a.total_weight : static_cast<C>(a.classes);
    const C scale = ga + gb * total;
    const bool per_class = a.w && a.g_smooth;  // the smoothing term weighs each class
#pragma unroll 4
    for (int64_t q = loop.tid; q < packs; q += G) {
      C v[V], wv[V];
      rows::load_pack<V>(xr, q, v);
      if (per_class) rows::load_pack<V>(a.w, q, wv);
#pragma unroll
      for (int j = 0; j < V; ++j) {
        C o = scale * exp_of(v[j] - l) - (per_class ? gb * wv[j] : gb);
        if (q * V + j == t) o -= ga;
        v[j] = o;
      }
      rows::store_pack<V>(out, q, v);
    }
  }
}

// --- launches ---------------------------------------------------------------------------

template <class U>
U* data_or_null(const Tensor& t) {
  return t.defined() ? t.data_ptr<U>() : nullptr;
}

// The weight in x's dtype (the operator passes it so; a copy otherwise), or undefined.
Tensor weight_as(const Tensor& w, DType dtype) {
  if (!w.defined() || w.dtype() == dtype) return w;
  return w.to(dtype).contiguous();
}

// sum(w) into a one-element device buffer, when label smoothing needs it.
template <class T>
Tensor weight_sum(const Tensor& w, bool needed, gpuStream_t stream) {
  if (!w.defined() || !needed) return Tensor();
  Tensor total = empty({1}, dtype_v<compute_t<T>>, w.device());
  weight_total<T><<<1, 1024, 0, stream>>>(w.data_ptr<T>(), w.numel(), total.data_ptr<compute_t<T>>());
  return total;
}

std::string describe_bad_target(long long target, int64_t classes, int64_t) {
  return "target " + std::to_string(target) + " is out of bounds for " + std::to_string(classes) + " classes";
}

// tensors: nll (M), smooth (M) or undefined, lse (M), x (M, C), target (M, int64), weight
// (C) or undefined; args: ignore_index.
void forward_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &x = t[3], &target = t[4];
  const int64_t nrows = x.size(0), classes = x.size(1);
  if (nrows == 0) return;
  const int device = x.device().index;
  DeviceGuard guard(device);
  gpuStream_t stream = current_stream(device);
  rows::visit_floating(x.dtype(), "cross_entropy", [&](auto tag) {
    using T = decltype(tag);
    const Tensor w = weight_as(t[5], x.dtype());
    const Tensor total = weight_sum<T>(w, t[1].defined(), stream);
    const ForwardArgs<T> a{x.data_ptr<T>(),       target.data_ptr<int64_t>(), data_or_null<T>(w),
                           data_or_null<compute_t<T>>(total), t[0].data_ptr<T>(), data_or_null<T>(t[1]),
                           t[2].data_ptr<T>(),    nrows,      classes,        args[0].to_int(),
                           expect_index_error(device, "cross_entropy", describe_bad_target, classes)};
    const bool aligned = rows::aligned16(a.x) && classes * sizeof(T) % 16 == 0 && (!a.w || rows::aligned16(a.w));
    const rows::Plan plan = rows::plan_rows<T>(nrows, classes, aligned, device);
    // A block per row, or rows too long for registers: the online kernel.
    if (plan.G > rows::device_info(device).warp_size || plan.P == 0) {
      const int64_t packs = classes / plan.V;
      const int threads = static_cast<int>(std::clamp<int64_t>(rows::next_pow2(packs / 8), 64, 256));
      const unsigned grid = static_cast<unsigned>(std::min<int64_t>(nrows, int64_t{1} << 30));
      if (plan.V == 1) {
        forward_online<T, 1><<<grid, threads, 0, stream>>>(a);
      } else {
        forward_online<T, 16 / sizeof(T)><<<grid, threads, 0, stream>>>(a);
      }
    } else {
      rows::with_plan<T>(plan, [&](auto v, auto p) {
        if constexpr (decltype(p)::value > 0) {
          forward_rows<T, decltype(v)::value, decltype(p)::value><<<plan.grid, plan.block, 0, stream>>>(a, plan.G);
        }
      });
    }
  });
  LT_GPU_CHECK_LAUNCH("cross_entropy");
}

// tensors: dx (M, C), g_nll (M), g_smooth (M) or undefined, x, target, weight or
// undefined, lse; args: ignore_index.
void backward_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &dx = t[0], &x = t[3], &target = t[4];
  const int64_t nrows = x.size(0), classes = x.size(1);
  if (nrows == 0 || classes == 0) return;
  const int device = x.device().index;
  DeviceGuard guard(device);
  gpuStream_t stream = current_stream(device);
  rows::visit_floating(x.dtype(), "cross_entropy_backward", [&](auto tag) {
    using T = decltype(tag);
    const Tensor w = weight_as(t[5], x.dtype());
    const Tensor total = weight_sum<T>(w, t[2].defined(), stream);
    const BackwardArgs<T> a{t[1].data_ptr<T>(), data_or_null<T>(t[2]), x.data_ptr<T>(), target.data_ptr<int64_t>(),
                            data_or_null<T>(w), data_or_null<compute_t<T>>(total), t[6].data_ptr<T>(),
                            dx.data_ptr<T>(),   nrows, classes, args[0].to_int()};
    const bool aligned = rows::aligned16(a.x) && rows::aligned16(a.dx) && classes * sizeof(T) % 16 == 0 &&
                         (!a.w || rows::aligned16(a.w));
    const int vec = static_cast<int>(16 / sizeof(T));
    const int64_t packs = aligned ? classes / vec : classes;
    const int G = rows::next_pow2(packs < kBlockSize ? packs : kBlockSize);
    const int64_t per_block = kBlockSize / G, blocks = (nrows + per_block - 1) / per_block;
    const unsigned grid = static_cast<unsigned>(blocks > (1 << 30) ? (1 << 30) : blocks);
    if (aligned) {
      backward_rows<T, 16 / sizeof(T)><<<grid, kBlockSize, 0, stream>>>(a, G);
    } else {
      backward_rows<T, 1><<<grid, kBlockSize, 0, stream>>>(a, G);
    }
  });
  LT_GPU_CHECK_LAUNCH("cross_entropy_backward");
}

LT_REGISTER_KERNEL("cross_entropy", LT_GPU_KEY, TensorKernel, forward_kernel);
LT_REGISTER_KERNEL("cross_entropy_backward", LT_GPU_KEY, TensorKernel, backward_kernel);

}  // namespace
}  // namespace lt::gpu
