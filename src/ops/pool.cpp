// Pooling over the last two dims: max_pool2d, avg_pool2d and their adaptive forms.
//
// Max pooling's kernel returns each window's maximum and where it lies; its derivative's
// kernel sends the gradient back there, and the derivative of that gathers (so it
// differentiates again). Average pooling is linear: its kernel and the kernel of its
// adjoint are each other's derivatives.
#include <array>

#include "helpers.h"
#include "libtensor/deterministic.h"

namespace lt {
namespace {

using autograd::Backward;

// What the kernels read from their arguments: kernel, stride, padding, dilation (h, w),
// ceil_mode, count_include_pad, divisor (0: none), adaptive.
struct Pool {
  std::array<int64_t, 2> kernel{1, 1}, stride{1, 1}, padding{0, 0}, dilation{1, 1};
  bool ceil_mode = false, count_include_pad = true, adaptive = false;
  int64_t divisor = 0;
  std::array<Scalar, 12> args() const {
    return {kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1],
            ceil_mode, count_include_pad, divisor, adaptive};
  }
};

std::array<int64_t, 2> pair(const char* op, const char* what, IntList v, int64_t min) {
  LT_CHECK(v.size() == 1 || v.size() == 2, ValueError, op, what, " must have 1 or 2 values, got ", str(v));
  std::array<int64_t, 2> r{v[0], v[v.size() - 1]};
  for (int64_t x : r) LT_CHECK(x >= min, ValueError, op, what, " must be at least ", min, ", got ", str(v));
  return r;
}

// The checked geometry of a windowed pool, and its output size for input x.
Pool windows(const char* op, const Tensor& x, IntList kernel, IntList stride, IntList padding, IntList dilation,
             bool ceil_mode) {
  Pool p;
  p.kernel = pair(op, "kernel_size", kernel, 1);
  p.stride = stride.empty() ? p.kernel : pair(op, "stride", stride, 1);
  p.padding = pair(op, "padding", padding, 0);
  p.dilation = pair(op, "dilation", dilation, 1);
  p.ceil_mode = ceil_mode;
  for (int d = 0; d < 2; ++d) {
    LT_CHECK(p.padding[d] * 2 <= p.kernel[d], ValueError, op, "padding ", str(padding),
             " must be at most half of kernel_size ", str(kernel));
  }
  return p;
}

Shape output_shape(const char* op, const Tensor& x4, const Pool& p, IntList original) {
  Shape out{x4.size(0), x4.size(1), 0, 0};
  for (int d = 0; d < 2; ++d) {
    const int64_t in = x4.size(2 + d), k = p.dilation[d] * (p.kernel[d] - 1) + 1, s = p.stride[d];
    const int64_t span = in + 2 * p.padding[d] - k + (p.ceil_mode ? s - 1 : 0);
    int64_t n = span < 0 ? 0 : span / s + 1;
    // ceil_mode's last window must start inside the input or its left padding.
    if (p.ceil_mode && n > 0 && (n - 1) * s >= in + p.padding[d]) --n;
    LT_CHECK(n >= 1, ShapeError, op, "input of shape ", str(original), " is too small for kernel_size ",
             str(IntList(p.kernel.data(), 2)), ": the output would have no elements");
    out[2 + d] = n;
  }
  return out;
}

// (C, H, W) or (N, C, H, W), floating (and, for avg_pool2d, int64); returns x as 4-D.
Tensor batched(const char* op, const Tensor& x, bool allow_int64) {
  LT_CHECK(x.dim() == 3 || x.dim() == 4, ShapeError, op, "expects a 3-D (unbatched) or 4-D (batched) input, got shape ",
           str(x.sizes()));
  LT_CHECK(is_floating(x.dtype()) || (allow_int64 && x.dtype() == DType::Int64), DTypeError, op,
           "expects a floating-point input, got ", name(x.dtype()));
  LT_CHECK(x.size(-1) > 0 && x.size(-2) > 0 && (x.dim() == 3 || x.size(1) > 0), ShapeError, op,
           "expects non-empty spatial and channel dims, got shape ", str(x.sizes()));
  return x.dim() == 3 ? x.unsqueeze(0) : x;
}
Tensor unbatched_like(const Tensor& y, const Tensor& x) { return x.dim() == 3 ? y.squeeze(0) : y; }

// Sends each output's gradient to where its maximum was; the derivative of that gathers
// from the same places.
Tensor max_pool_adjoint(const Tensor& g, const Tensor& idx, const Shape& input) {
  static const Op<TensorKernel> kernel_op("max_pool2d_backward");
  Tensor dx = empty(input, g.dtype(), g.device());
  {
    autograd::NoGradGuard no_grad;
    if (are_deterministic_algorithms_enabled()) {
      // Overlapping windows send several gradients to one place: scatter_add sums them
      // in a fixed order in this mode (index_put's sorted path).
      const int64_t n = input[0], c = input[1];
      dx = scatter_add(zeros({n, c, input[2] * input[3]}, g.dtype(), g.device()), 2, idx.reshape({n, c, -1}),
                       g.reshape({n, c, -1}))
               .view(input);
    } else {
      Tensor tensors[] = {dx, g.contiguous(), idx};
      dispatch(kernel_op, std::span<Tensor>(tensors), {});
    }
  }
  autograd::record("max_pool2d_with_indices_backward", {g}, {dx}, {idx}, [shape = g.sizes()](const Backward& d) {
    const Tensor &G = d.grad(), &idx = d.saved[0];
    const int64_t n = shape[0], c = shape[1];
    return autograd::TensorList{gather(G.reshape({n, c, -1}), 2, idx.reshape({n, c, -1})).view(shape)};
  });
  return dx;
}

std::tuple<Tensor, Tensor> max_pool(const char* op, const Tensor& x, const Pool& p, Shape out) {
  static const Op<TensorKernel> kernel_op("max_pool2d");
  Tensor x4 = batched(op, x, false).contiguous();
  Tensor y = empty(out, x.dtype(), x.device()), idx = empty(out, DType::Int64, x.device());
  {
    autograd::NoGradGuard no_grad;
    Tensor tensors[] = {y, idx, x4};
    auto args = p.args();
    dispatch(kernel_op, std::span<Tensor>(tensors), ScalarList(args.data(), args.size()));
  }
  autograd::record("max_pool2d_with_indices", {x4}, {y}, {idx}, [shape = x4.sizes()](const Backward& d) {
    return autograd::TensorList{max_pool_adjoint(d.grad(), d.saved[0], shape)};
  });
  return {unbatched_like(y, x), unbatched_like(idx, x)};
}

Tensor avg_pool_adjoint(const Tensor& g, const Pool& p, const Shape& input);

// The windows' means, and its adjoint: each other's derivatives.
Tensor avg_pool(const Tensor& x4, const Pool& p, const Shape& out) {
  static const Op<TensorKernel> kernel_op("avg_pool2d");
  Tensor y = empty(out, x4.dtype(), x4.device());
  {
    autograd::NoGradGuard no_grad;
    Tensor tensors[] = {y, x4.contiguous()};
    auto args = p.args();
    dispatch(kernel_op, std::span<Tensor>(tensors), ScalarList(args.data(), args.size()));
  }
  autograd::record("avg_pool2d", {x4}, {y}, {}, [p, shape = x4.sizes()](const Backward& d) {
    return autograd::TensorList{avg_pool_adjoint(d.grad(), p, shape)};
  });
  return y;
}

Tensor avg_pool_adjoint(const Tensor& g, const Pool& p, const Shape& input) {
  static const Op<TensorKernel> kernel_op("avg_pool2d_backward");
  Tensor dx = empty(input, g.dtype(), g.device());
  {
    autograd::NoGradGuard no_grad;
    Tensor tensors[] = {dx, g.contiguous()};
    auto args = p.args();
    dispatch(kernel_op, std::span<Tensor>(tensors), ScalarList(args.data(), args.size()));
  }
  autograd::record("avg_pool2d_backward", {g}, {dx}, {}, [p, shape = g.sizes()](const Backward& d) {
    return autograd::TensorList{avg_pool(d.grad(), p, shape)};
  });
  return dx;
}

Shape adaptive_shape(const char* op, const Tensor& x4, IntList output_size) {
  const auto size = pair(op, "output_size", output_size, 0);
  return {x4.size(0), x4.size(1), size[0], size[1]};
}

}  // namespace

std::tuple<Tensor, Tensor> max_pool2d_with_indices(const Tensor& x, IntList kernel_size, IntList stride,
                                                   IntList padding, IntList dilation, bool ceil_mode) {
  const char* op = "max_pool2d";
  Pool p = windows(op, x, kernel_size, stride, padding, dilation, ceil_mode);
  return max_pool(op, x, p, output_shape(op, batched(op, x, false), p, x.sizes()));
}

Tensor max_pool2d(const Tensor& x, IntList kernel_size, IntList stride, IntList padding, IntList dilation,
                  bool ceil_mode) {
  return std::get<0>(max_pool2d_with_indices(x, kernel_size, stride, padding, dilation, ceil_mode));
}

Tensor avg_pool2d(const Tensor& x, IntList kernel_size, IntList stride, IntList padding, bool ceil_mode,
                  bool count_include_pad, std::optional<int64_t> divisor_override) {
  const char* op = "avg_pool2d";
  Tensor x4 = batched(op, x, true);
  Pool p = windows(op, x, kernel_size, stride, padding, {1}, ceil_mode);
  p.count_include_pad = count_include_pad;
  LT_CHECK(!divisor_override || *divisor_override != 0, ValueError, op, "divisor_override must be non-zero");
  p.divisor = divisor_override.value_or(0);
  return unbatched_like(avg_pool(x4, p, output_shape(op, x4, p, x.sizes())), x);
}

Tensor adaptive_avg_pool2d(const Tensor& x, IntList output_size) {
  const char* op = "adaptive_avg_pool2d";
  Tensor x4 = batched(op, x, false);
  Pool p;
  p.adaptive = true;
  p.count_include_pad = false;
  return unbatched_like(avg_pool(x4, p, adaptive_shape(op, x4, output_size)), x);
}

std::tuple<Tensor, Tensor> adaptive_max_pool2d_with_indices(const Tensor& x, IntList output_size) {
  const char* op = "adaptive_max_pool2d";
  Pool p;
  p.adaptive = true;
  return max_pool(op, x, p, adaptive_shape(op, batched(op, x, false), output_size));
}

Tensor adaptive_max_pool2d(const Tensor& x, IntList output_size) {
  return std::get<0>(adaptive_max_pool2d_with_indices(x, output_size));
}

}  // namespace lt
