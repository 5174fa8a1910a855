// Convolution and its two adjoints as im2col + GEMM.
//
// For each sample and group, im2col lays the input patches out as a (C/g * kh * kw) x
// (OH * OW) matrix, so that the convolution is one product with the weight's rows; the
// input's gradient is the transposed product scattered back (col2im), the weight's the
// product of the output's gradient with the patches. A 1x1 kernel with unit stride and no
// padding needs no patches: the input already is that matrix. Samples are shared out
// over the threads (each product then runs on one thread) when there are enough of
// them, and otherwise each product uses every thread.
#include <algorithm>
#include <vector>

#include "common/conv_geometry.h"
#include "common/float_compute.h"
#include "gemm.h"
#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "loops.h"

namespace lt::cpu {

using common::Conv;
using common::geometry;
using common::in_float_or_double;
using common::data_or_null;

namespace {

// x (C/g, H, W) of one sample and group -> cols (k, l); padding reads as zeros.
template <class T>
void im2col(const T* x, T* cols, const Conv& s) {
  for (int64_t c = 0; c < s.cg(); ++c) {
    for (int64_t i = 0; i < s.kh; ++i) {
      for (int64_t j = 0; j < s.kw; ++j) {
        T* row = cols + ((c * s.kh + i) * s.kw + j) * s.l();
        const int64_t w0 = j * s.dw - s.pw;
        // Output columns whose input column w0 + ow * sw lies inside [0, W).
        const int64_t lo = std::clamp<int64_t>(w0 >= 0 ? 0 : (-w0 + s.sw - 1) / s.sw, 0, s.ow);
        const int64_t hi = std::clamp<int64_t>(s.w - w0 <= 0 ? 0 : (s.w - w0 + s.sw - 1) / s.sw, lo, s.ow);
        for (int64_t oh = 0; oh < s.oh; ++oh) {
          T* out = row + oh * s.ow;
          const int64_t ih = oh * s.sh - s.ph + i * s.dh;
          if (ih < 0 || ih >= s.h) {
            std::fill(out, out + s.ow, T(0));
            continue;
          }
          const T* src = x + (c * s.h + ih) * s.w + w0;
          std::fill(out, out + lo, T(0));
          if (s.sw == 1) {
            std::copy(src + lo, src + hi, out + lo);
          } else {
            for (int64_t ow = lo; ow < hi; ++ow) out[ow] = src[ow * s.sw];
          }
          std::fill(out + hi, out + s.ow, T(0));
        }
      }
    }
  }
}

// The adjoint of im2col: adds cols (k, l) into x (C/g, H, W).
template <class T>
void col2im(const T* cols, T* x, const Conv& s) {
  for (int64_t c = 0; c < s.cg(); ++c) {
    for (int64_t i = 0; i < s.kh; ++i) {
      for (int64_t j = 0; j < s.kw; ++j) {
        const T* row = cols + ((c * s.kh + i) * s.kw + j) * s.l();
        const int64_t w0 = j * s.dw - s.pw;
        const int64_t lo = std::clamp<int64_t>(w0 >= 0 ? 0 : (-w0 + s.sw - 1) / s.sw, 0, s.ow);
        const int64_t hi = std::clamp<int64_t>(s.w - w0 <= 0 ? 0 : (s.w - w0 + s.sw - 1) / s.sw, lo, s.ow);
        for (int64_t oh = 0; oh < s.oh; ++oh) {
          const int64_t ih = oh * s.sh - s.ph + i * s.dh;
          if (ih < 0 || ih >= s.h) continue;
          const T* in = row + oh * s.ow;
          T* dst = x + (c * s.h + ih) * s.w + w0;
          for (int64_t ow = lo; ow < hi; ++ow) dst[ow * s.sw] += in[ow];
        }
      }
    }
  }
}

// Calls body(first, last, cols) over the samples: in parallel chunks, one per thread,
// when each thread gets a sample, or as one chunk whose products use every thread. cols
// is a patch buffer of the chunk's own; `chunk` numbers the chunk (for partial sums).
template <class T, class F>
void over_samples(const Conv& s, F&& body) {
  const int64_t chunks = std::min<int64_t>(num_threads(), s.n);
  const size_t patch = s.pointwise() ? 0 : static_cast<size_t>(s.k() * s.l());
  if (chunks <= 1) {
    std::vector<T> cols(patch);
    body(int64_t{0}, s.n, cols.data(), int64_t{0});
    return;
  }
  parallel_for(0, chunks, 1, [&](int64_t lo, int64_t hi) {
    std::vector<T> cols(patch);
    for (int64_t t = lo; t < hi; ++t) body(t * s.n / chunks, (t + 1) * s.n / chunks, cols.data(), t);
  });
}

int64_t chunk_count(const Conv& s) {
  return std::max<int64_t>(1, std::min<int64_t>(num_threads(), s.n));
}

// y (N, O, OH, OW) = conv(x, w) + bias.
template <class T>
void forward(const T* x, const T* w, const T* bias, T* y, const Conv& s) {
  over_samples<T>(s, [&](int64_t first, int64_t last, T* cols, int64_t) {
    for (int64_t n = first; n < last; ++n) {
      for (int64_t g = 0; g < s.groups; ++g) {
        const T* xg = x + (n * s.c + g * s.cg()) * s.h * s.w;
        T* yg = y + (n * s.o + g * s.og()) * s.l();
        if (!s.pointwise()) im2col(xg, cols, s);
        if (bias) {
          for (int64_t r = 0; r < s.og(); ++r) std::fill(yg + r * s.l(), yg + (r + 1) * s.l(), bias[g * s.og() + r]);
        }
        gemm(false, false, s.og(), s.l(), s.k(), T(1), w + g * s.og() * s.k(), s.k(), s.pointwise() ? xg : cols, s.l(),
             bias ? T(1) : T(0), yg, s.l());
      }
    }
  });
}

// dx (N, C, H, W) from g (N, O, OH, OW) and w.
template <class T>
void input_grad(const T* g, const T* w, T* dx, const Conv& s) {
  over_samples<T>(s, [&](int64_t first, int64_t last, T* cols, int64_t) {
    for (int64_t n = first; n < last; ++n) {
      for (int64_t grp = 0; grp < s.groups; ++grp) {
        const T* gg = g + (n * s.o + grp * s.og()) * s.l();
        const T* wg = w + grp * s.og() * s.k();
        T* xg = dx + (n * s.c + grp * s.cg()) * s.h * s.w;
        if (s.pointwise()) {
          gemm(true, false, s.k(), s.l(), s.og(), T(1), wg, s.k(), gg, s.l(), T(0), xg, s.l());
          continue;
        }
        gemm(true, false, s.k(), s.l(), s.og(), T(1), wg, s.k(), gg, s.l(), T(0), cols, s.l());
        std::fill(xg, xg + s.cg() * s.h * s.w, T(0));
        col2im(cols, xg, s);
      }
    }
  });
}

// dw (O, C / g, kh, kw) from g (N, O, OH, OW) and x: per-chunk partial sums, then added.
template <class T>
void weight_grad(const T* g, const T* x, T* dw, const Conv& s) {
  const int64_t size = s.o * s.k(), chunks = chunk_count(s);
  std::vector<T> partial(static_cast<size_t>(size * (chunks - 1)), T(0));
  std::fill(dw, dw + size, T(0));
  over_samples<T>(s, [&](int64_t first, int64_t last, T* cols, int64_t chunk) {
    T* acc = chunk == 0 ? dw : partial.data() + (chunk - 1) * size;
    for (int64_t n = first; n < last; ++n) {
      for (int64_t grp = 0; grp < s.groups; ++grp) {
        const T* gg = g + (n * s.o + grp * s.og()) * s.l();
        const T* xg = x + (n * s.c + grp * s.cg()) * s.h * s.w;
        if (!s.pointwise()) im2col(xg, cols, s);
        gemm(false, true, s.og(), s.k(), s.l(), T(1), gg, s.l(), s.pointwise() ? xg : cols, s.l(), T(1),
             acc + grp * s.og() * s.k(), s.k());
      }
    }
  });
  for (int64_t c = 1; c < chunks; ++c) {
    const T* p = partial.data() + (c - 1) * size;
    for (int64_t i = 0; i < size; ++i) dw[i] += p[i];
  }
}

// tensors: y, x, w, bias (or undefined); args: stride, padding, dilation (h, w), groups.
void forward_kernel(std::span<Tensor> t, ScalarList args) {
  if (t[0].numel() == 0) return;
  const Conv s = geometry(t[1], t[2], t[0], args);
  in_float_or_double(t, 1, [&](auto tag, std::span<Tensor> u) {
    using T = decltype(tag);
    forward<T>(u[1].data_ptr<T>(), u[2].data_ptr<T>(), data_or_null<T>(u[3]), u[0].data_ptr<T>(), s);
  });
}

// tensors: dx, g, w.
void input_grad_kernel(std::span<Tensor> t, ScalarList args) {
  if (t[0].numel() == 0) return;
  const Conv s = geometry(t[0], t[2], t[1], args);
  in_float_or_double(t.first(3), 1, [&](auto tag, std::span<Tensor> u) {
    using T = decltype(tag);
    input_grad<T>(u[1].data_ptr<T>(), u[2].data_ptr<T>(), u[0].data_ptr<T>(), s);
  });
}

// tensors: dw, g, x.
void weight_grad_kernel(std::span<Tensor> t, ScalarList args) {
  if (t[0].numel() == 0) return;
  const Conv s = geometry(t[2], t[0], t[1], args);
  in_float_or_double(t.first(3), 1, [&](auto tag, std::span<Tensor> u) {
    using T = decltype(tag);
    weight_grad<T>(u[1].data_ptr<T>(), u[2].data_ptr<T>(), u[0].data_ptr<T>(), s);
  });
}

LT_REGISTER_KERNEL("conv2d", CPU, TensorKernel, forward_kernel);
LT_REGISTER_KERNEL("conv2d_input_grad", CPU, TensorKernel, input_grad_kernel);
LT_REGISTER_KERNEL("conv2d_weight_grad", CPU, TensorKernel, weight_grad_kernel);

}  // namespace
}  // namespace lt::cpu
