// Convolution and its two adjoints: offered first to a vendor library (conv.h: cuDNN),
// and otherwise as im2col + batched GEMM (blas.h), the layout of the
// CPU's kernels: for each group, the patches of a chunk of samples are laid out as
// (samples, C/g * kh * kw, OH * OW) and multiplied by the weight's rows in one batched
// product. The input's gradient gathers the transposed product back (col2im, one thread
// per input element, so no atomics); the weight's gradient sums per-sample products.
// float16 and bfloat16 run through float32 copies, as on the CPU.
#include <algorithm>

#include "blas.h"
#include "common/conv_geometry.h"
#include "conv.h"
#include "common/float_compute.h"
#include "gpu.h"
#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "loops.cuh"

namespace lt::gpu {

using common::Conv;
using common::geometry;
using common::in_float_or_double;
using common::data_or_null;

namespace {

// cols[s][(c kh + i) kw + j][oh OW + ow] = x[first + s][group's channel c][ih][iw], or 0
// in the padding.
template <class T>
__global__ void im2col_kernel(const T* x, T* cols, Conv s, int64_t first, int64_t samples, int64_t group) {
  const int64_t total = samples * s.k() * s.l();
  for (int64_t idx = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; idx < total; idx += int64_t{gridDim.x} * blockDim.x) {
    const int64_t ow = idx % s.ow, oh = idx / s.ow % s.oh, row = idx / s.l() % s.k(), sample = idx / (s.k() * s.l());
    const int64_t j = row % s.kw, i = row / s.kw % s.kh, c = row / (s.kw * s.kh);
    const int64_t ih = oh * s.sh - s.ph + i * s.dh, iw = ow * s.sw - s.pw + j * s.dw;
    const bool inside = ih >= 0 && ih < s.h && iw >= 0 && iw < s.w;
    cols[idx] = inside ? x[(((first + sample) * s.c + group * s.cg() + c) * s.h + ih) * s.w + iw] : T(0);
  }
}

// dx[first + s][group's channel c][ih][iw] = the sum of the cols entries that read it.
template <class T>
__global__ void col2im_kernel(const T* cols, T* dx, Conv s, int64_t first, int64_t samples, int64_t group) {
  const int64_t total = samples * s.cg() * s.h * s.w;
  for (int64_t idx = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; idx < total; idx += int64_t{gridDim.x} * blockDim.x) {
    const int64_t iw = idx % s.w, ih = idx / s.w % s.h, c = idx / (s.h * s.w) % s.cg(), sample = idx / (s.cg() * s.h * s.w);
    T acc = 0;
    for (int64_t i = 0; i < s.kh; ++i) {
      const int64_t th = ih + s.ph - i * s.dh;  // = oh * sh
      if (th < 0 || th % s.sh != 0 || th / s.sh >= s.oh) continue;
      for (int64_t j = 0; j < s.kw; ++j) {
        const int64_t tw = iw + s.pw - j * s.dw;
        if (tw < 0 || tw % s.sw != 0 || tw / s.sw >= s.ow) continue;
        acc += cols[(sample * s.k() + (c * s.kh + i) * s.kw + j) * s.l() + (th / s.sh) * s.ow + tw / s.sw];
      }
    }
    dx[(((first + sample) * s.c + group * s.cg() + c) * s.h + ih) * s.w + iw] = acc;
  }
}

// y[n][o][p] = bias[o].
template <class T>
__global__ void fill_bias_kernel(T* y, const T* bias, int64_t n, int64_t o, int64_t l) {
  for (int64_t idx = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; idx < n * o * l; idx += int64_t{gridDim.x} * blockDim.x) {
    y[idx] = bias[idx / l % o];
  }
}

// out[i] (+)= sum over b < parts of partial[b][i].
template <class T>
__global__ void sum_parts_kernel(const T* partial, int64_t parts, int64_t size, T* out, bool accumulate) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < size; i += int64_t{gridDim.x} * blockDim.x) {
    T acc = accumulate ? out[i] : T(0);
    for (int64_t b = 0; b < parts; ++b) acc += partial[b * size + i];
    out[i] = acc;
  }
}

// Samples per chunk, so that the patch buffer stays under about 256 MiB.
int64_t chunk_of(const Conv& s, int64_t itemsize) {
  const int64_t per_sample = std::max<int64_t>(1, s.k() * s.l() * itemsize);
  return std::clamp<int64_t>((int64_t{256} << 20) / per_sample, 1, s.n);
}

template <class T>
void forward(const T* x, const T* w, const T* bias, T* y, const Conv& s, const Tensor& like) {
  const int device = like.device().index;
  gpuStream_t stream = current_stream(device);
  if (bias) fill_bias_kernel<<<grid_for(s.n * s.o * s.l()), kBlockSize, 0, stream>>>(y, bias, s.n, s.o, s.l());
  const int64_t chunk = chunk_of(s, sizeof(T));
  Tensor cols = s.pointwise() ? Tensor() : empty({chunk * s.k() * s.l()}, dtype_v<T>, like.device());
  for (int64_t first = 0; first < s.n; first += chunk) {
    const int64_t samples = std::min(chunk, s.n - first);
    for (int64_t g = 0; g < s.groups; ++g) {
      const T* patches = x + (first * s.c + g * s.cg()) * s.h * s.w;
      int64_t patch_stride = s.c * s.h * s.w;
      if (!s.pointwise()) {
        im2col_kernel<<<grid_for(samples * s.k() * s.l()), kBlockSize, 0, stream>>>(x, cols.data_ptr<T>(), s, first,
                                                                                    samples, g);
        patches = cols.data_ptr<T>();
        patch_stride = s.k() * s.l();
      }
      gemm(dtype_v<T>, false, false, s.og(), s.l(), s.k(), w + g * s.og() * s.k(), s.k(), 0, patches, s.l(),
           patch_stride, bias ? 1.0f : 0.0f, y + (first * s.o + g * s.og()) * s.l(), s.l(), s.o * s.l(), samples,
           device);
    }
  }
  LT_GPU_CHECK_LAUNCH("conv2d");
}

template <class T>
void input_grad(const T* g, const T* w, T* dx, const Conv& s, const Tensor& like) {
  const int device = like.device().index;
  gpuStream_t stream = current_stream(device);
  const int64_t chunk = chunk_of(s, sizeof(T));
  Tensor cols = s.pointwise() ? Tensor() : empty({chunk * s.k() * s.l()}, dtype_v<T>, like.device());
  for (int64_t first = 0; first < s.n; first += chunk) {
    const int64_t samples = std::min(chunk, s.n - first);
    for (int64_t grp = 0; grp < s.groups; ++grp) {
      const T* gg = g + (first * s.o + grp * s.og()) * s.l();
      const T* wg = w + grp * s.og() * s.k();
      if (s.pointwise()) {
        gemm(dtype_v<T>, true, false, s.k(), s.l(), s.og(), wg, s.k(), 0, gg, s.l(), s.o * s.l(), 0.0f,
             dx + (first * s.c + grp * s.cg()) * s.h * s.w, s.l(), s.c * s.h * s.w, samples, device);
        continue;
      }
      gemm(dtype_v<T>, true, false, s.k(), s.l(), s.og(), wg, s.k(), 0, gg, s.l(), s.o * s.l(), 0.0f,
           cols.data_ptr<T>(), s.l(), s.k() * s.l(), samples, device);
      col2im_kernel<<<grid_for(samples * s.cg() * s.h * s.w), kBlockSize, 0, stream>>>(cols.data_ptr<T>(), dx, s, first,
                                                                                      samples, grp);
    }
  }
  LT_GPU_CHECK_LAUNCH("conv2d_input_grad");
}

template <class T>
void weight_grad(const T* g, const T* x, T* dw, const Conv& s, const Tensor& like) {
  const int device = like.device().index;
  gpuStream_t stream = current_stream(device);
  const int64_t chunk = chunk_of(s, sizeof(T)), size = s.og() * s.k();
  Tensor cols = s.pointwise() ? Tensor() : empty({chunk * s.k() * s.l()}, dtype_v<T>, like.device());
  Tensor partial = empty({chunk * size}, dtype_v<T>, like.device());
  for (int64_t first = 0; first < s.n; first += chunk) {
    const int64_t samples = std::min(chunk, s.n - first);
    for (int64_t grp = 0; grp < s.groups; ++grp) {
      const T* patches = x + (first * s.c + grp * s.cg()) * s.h * s.w;
      int64_t patch_stride = s.c * s.h * s.w;
      if (!s.pointwise()) {
        im2col_kernel<<<grid_for(samples * s.k() * s.l()), kBlockSize, 0, stream>>>(x, cols.data_ptr<T>(), s, first,
                                                                                    samples, grp);
        patches = cols.data_ptr<T>();
        patch_stride = s.k() * s.l();
      }
      // Per sample: g (og x l) times patches^T (l x k); then summed over the samples.
      gemm(dtype_v<T>, false, true, s.og(), s.k(), s.l(), g + (first * s.o + grp * s.og()) * s.l(), s.l(), s.o * s.l(),
           patches, s.l(), patch_stride, 0.0f, partial.data_ptr<T>(), s.k(), size, samples, device);
      sum_parts_kernel<<<grid_for(size), kBlockSize, 0, stream>>>(partial.data_ptr<T>(), samples, size,
                                                                   dw + grp * size, first > 0);
    }
  }
  LT_GPU_CHECK_LAUNCH("conv2d_weight_grad");
}

struct Vendor {
  VendorConv conv = nullptr;
  int (*version)() = nullptr;
};
Vendor& vendor() {
  static Vendor v;
  return v;
}

// Whether the vendor library took the pass: out from in0 and in1 (made contiguous).
bool by_vendor(ConvPass pass, const Conv& s, Tensor& out, const Tensor& in0, const Tensor& in1,
               const Tensor& bias = Tensor()) {
  if (!vendor().conv || vendor().version() == 0) return false;
  const Tensor a = in0.contiguous(), b = in1.contiguous(), c = bias.defined() ? bias.contiguous() : bias;
  return vendor().conv(pass, s, out.dtype(), out.device().index, a.data(), b.data(), c.defined() ? c.data() : nullptr,
                       out.data());
}

// tensors: y, x, w, bias (or undefined); args: stride, padding, dilation (h, w), groups.
void forward_kernel(std::span<Tensor> t, ScalarList args) {
  if (t[0].numel() == 0) return;
  const Conv s = geometry(t[1], t[2], t[0], args);
  DeviceGuard guard(t[0].device().index);
  if (by_vendor(ConvPass::Forward, s, t[0], t[1], t[2], t[3])) return;
  in_float_or_double(t, 1, [&](auto tag, std::span<Tensor> u) {
    using T = decltype(tag);
    const Tensor x = u[1].contiguous(), w = u[2].contiguous();
    forward<T>(x.data_ptr<T>(), w.data_ptr<T>(), data_or_null<T>(u[3]), u[0].data_ptr<T>(), s, u[0]);
  });
}

// tensors: dx, g, w.
void input_grad_kernel(std::span<Tensor> t, ScalarList args) {
  if (t[0].numel() == 0) return;
  const Conv s = geometry(t[0], t[2], t[1], args);
  DeviceGuard guard(t[0].device().index);
  if (by_vendor(ConvPass::InputGrad, s, t[0], t[1], t[2])) return;
  in_float_or_double(t.first(3), 1, [&](auto tag, std::span<Tensor> u) {
    using T = decltype(tag);
    const Tensor g = u[1].contiguous(), w = u[2].contiguous();
    input_grad<T>(g.data_ptr<T>(), w.data_ptr<T>(), u[0].data_ptr<T>(), s, u[0]);
  });
}

// tensors: dw, g, x.
void weight_grad_kernel(std::span<Tensor> t, ScalarList args) {
  if (t[0].numel() == 0) return;
  const Conv s = geometry(t[2], t[0], t[1], args);
  DeviceGuard guard(t[0].device().index);
  if (s.n > 0 && by_vendor(ConvPass::WeightGrad, s, t[0], t[1], t[2])) return;
  in_float_or_double(t.first(3), 1, [&](auto tag, std::span<Tensor> u) {
    using T = decltype(tag);
    const Tensor g = u[1].contiguous(), x = u[2].contiguous();
    if (s.n == 0) {
      u[0].zero_();
      return;
    }
    weight_grad<T>(g.data_ptr<T>(), x.data_ptr<T>(), u[0].data_ptr<T>(), s, u[0]);
  });
}

}  // namespace

bool set_vendor_conv(VendorConv conv, int (*version)()) {
  vendor() = Vendor{conv, version};
  return true;
}

int vendor_conv_version() { return vendor().version ? vendor().version() : 0; }

namespace {

LT_REGISTER_KERNEL("conv2d", LT_GPU_KEY, TensorKernel, forward_kernel);
LT_REGISTER_KERNEL("conv2d_input_grad", LT_GPU_KEY, TensorKernel, input_grad_kernel);
LT_REGISTER_KERNEL("conv2d_weight_grad", LT_GPU_KEY, TensorKernel, weight_grad_kernel);

}  // namespace
}  // namespace lt::gpu
