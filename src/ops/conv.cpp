// Convolution: conv2d, conv1d, conv_transpose2d and conv_transpose1d.
//
// Three kernels carry them all: the convolution y = conv(x, w) and its two adjoints,
// x_grad(g, w) (which is the transposed convolution) and w_grad(g, x). Each is linear in
// each operand, so the derivatives of each are the other two:
//   conv(x, w):    dx = x_grad(g, w)   dw = w_grad(g, x)
//   x_grad(g, w):  dg = conv(G, w)     dw = w_grad(g, G)
//   w_grad(g, x):  dg = conv(x, G)     dx = x_grad(g, G)
// and derivatives of any order stay inside the three. The 1-D forms are the 2-D ones
// over a height of 1.
#include <array>

#include "libtensor/autocast.h"
#include "helpers.h"

namespace lt {
namespace {

using autograd::Backward;

struct Geometry2d {
  std::array<int64_t, 2> stride, padding, dilation;
  int64_t groups;
  std::array<Scalar, 7> args() const {
    return {stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], groups};
  }
  // The output extent of a convolution over `in` with a kernel of `k` along dim d.
  int64_t out_size(int d, int64_t in, int64_t k) const {
    return (in + 2 * padding[d] - dilation[d] * (k - 1) - 1) / stride[d] + 1;
  }
};

Tensor conv(const Tensor& x, const Tensor& w, const Tensor& b, const Geometry2d& c);
Tensor conv_x_grad(const Tensor& g, const Tensor& w, const Geometry2d& c, int64_t h, int64_t wd);
Tensor conv_w_grad(const Tensor& g, const Tensor& x, const Geometry2d& c, int64_t kh, int64_t kw);

// Runs one of the three kernels into a fresh contiguous output.
Tensor run_conv_kernel(const char* name, Shape out_shape, const Tensor& a, const Tensor& b, const Tensor& bias,
                       const Geometry2d& c) {
  static const Op<TensorKernel> forward_op("conv2d"), x_grad_op("conv2d_input_grad"),
      w_grad_op("conv2d_weight_grad");
  const Op<TensorKernel>& op = name[0] == 'c' ? forward_op : name[0] == 'x' ? x_grad_op : w_grad_op;
  Tensor out = empty(out_shape, a.dtype(), a.device());
  autograd::NoGradGuard no_grad;
  Tensor tensors[] = {out, a.contiguous(), b.contiguous(), bias.defined() ? bias.contiguous() : bias};
  auto args = c.args();
  dispatch(op, std::span<Tensor>(tensors), ScalarList(args.data(), args.size()));
  return out;
}

Tensor conv(const Tensor& x, const Tensor& w, const Tensor& b, const Geometry2d& c) {
  const int64_t kh = w.size(2), kw = w.size(3), h = x.size(2), wd = x.size(3);
  Tensor y = run_conv_kernel("conv", {x.size(0), w.size(0), c.out_size(0, h, kh), c.out_size(1, wd, kw)}, x, w, b, c);
  autograd::TensorList inputs{x, w};
  if (b.defined()) inputs.push_back(b);
  Tensor outputs[] = {y}, saved[] = {x, w};
  autograd::record("convolution", inputs, outputs, saved, [c, kh, kw, h, wd](const Backward& d) {
    const Tensor &g = d.grad(), &x = d.saved[0], &w = d.saved[1];
    autograd::TensorList grads{d.needs[0] ? conv_x_grad(g, w, c, h, wd) : Tensor(),
                               d.needs[1] ? conv_w_grad(g, x, c, kh, kw) : Tensor()};
    if (d.needs.size() > 2) grads.push_back(d.needs[2] ? sum(g, {0, 2, 3}) : Tensor());
    return grads;
  });
  return y;
}

// conv(x, w) cut to an output of (oh, ow): the adjoint of the two gradients, whose
// output-shaped operand may be smaller than a convolution of x gives (a transposed
// convolution's output_padding at or above its stride).
Tensor conv_cut(const Tensor& x, const Tensor& w, const Geometry2d& c, int64_t oh, int64_t ow) {
  Tensor y = conv(x, w, Tensor(), c);
  if (y.size(2) != oh) y = y.narrow(2, 0, oh);
  if (y.size(3) != ow) y = y.narrow(3, 0, ow);
  return y;
}

Tensor conv_x_grad(const Tensor& g, const Tensor& w, const Geometry2d& c, int64_t h, int64_t wd) {
  Tensor x = run_conv_kernel("x_grad", {g.size(0), w.size(1) * c.groups, h, wd}, g, w, Tensor(), c);
  autograd::record("convolution_backward_input", {g, w}, {x}, {g, w}, [c](const Backward& d) -> autograd::TensorList {
    const Tensor &G = d.grad(), &g = d.saved[0], &w = d.saved[1];
    return {d.needs[0] ? conv_cut(G, w, c, g.size(2), g.size(3)) : Tensor(),
            d.needs[1] ? conv_w_grad(g, G, c, w.size(2), w.size(3))
                                                                        : Tensor()};
  });
  return x;
}

Tensor conv_w_grad(const Tensor& g, const Tensor& x, const Geometry2d& c, int64_t kh, int64_t kw) {
  Tensor w = run_conv_kernel("w_grad", {g.size(1), x.size(1) / c.groups, kh, kw}, g, x, Tensor(), c);
  autograd::record("convolution_backward_weight", {g, x}, {w}, {g, x}, [c](const Backward& d) -> autograd::TensorList {
    const Tensor &G = d.grad(), &g = d.saved[0], &x = d.saved[1];
    return {d.needs[0] ? conv_cut(x, G, c, g.size(2), g.size(3)) : Tensor(),
            d.needs[1] ? conv_x_grad(g, G, c, x.size(2), x.size(3))
                                                                        : Tensor()};
  });
  return w;
}

// One int per spatial dim from a list of 1 or `dims` values; the height a 1-D form adds
// gets `min` (a stride or dilation of 1, a padding of 0).
std::array<int64_t, 2> per_dim(const char* op, const char* what, IntList v, int dims, int64_t min) {
  LT_CHECK(v.size() == 1 || static_cast<int>(v.size()) == dims, ValueError, op, what, " must have 1 or ", dims,
           " values, got ", str(v));
  std::array<int64_t, 2> r{min, min};
  for (int d = 0; d < dims; ++d) {
    r[2 - dims + d] = v[v.size() == 1 ? 0 : d];
    LT_CHECK(r[2 - dims + d] >= min, ValueError, op, what, " must be at least ", min, ", got ", str(v));
  }
  return r;
}

// Checks the operands of a convolution of `dims` spatial dims; returns whether x is
// unbatched. `transposed`: weight is (in, out / groups, k...).
bool check_operands(const char* op, int dims, const Tensor& x, const Tensor& w, const std::optional<Tensor>& bias,
                    int64_t groups, bool transposed) {
  LT_CHECK(x.dim() == dims + 1 || x.dim() == dims + 2, ShapeError, op, "expects a ", dims + 1, "-D (unbatched) or ",
           dims + 2, "-D (batched) input, got shape ", str(x.sizes()));
  LT_CHECK(w.dim() == dims + 2, ShapeError, op, "expects a ", dims + 2, "-D weight, got shape ", str(w.sizes()));
  LT_CHECK(groups >= 1, ValueError, op, "groups must be positive, got ", groups);
  LT_CHECK(is_floating(x.dtype()) || x.dtype() == DType::Int64, DTypeError, op,
           "expects a floating-point or int64 input, got ", name(x.dtype()));
  LT_CHECK(w.dtype() == x.dtype() && (!bias || bias->dtype() == x.dtype()), DTypeError, op, "input (",
           name(x.dtype()), "), weight (", name(w.dtype()), ")", bias ? " and bias (" : "",
           bias ? name(bias->dtype()) : "", bias ? ")" : "", " must have the same dtype");
  LT_CHECK(w.device() == x.device() && (!bias || bias->device() == x.device()), DeviceError, op,
           "input, weight and bias must be on one device");
  const bool unbatched = x.dim() == dims + 1;
  const int64_t channels = x.size(unbatched ? 0 : 1);
  const int64_t in = transposed ? w.size(0) : w.size(1) * groups;
  const int64_t out = transposed ? w.size(1) * groups : w.size(0);
  LT_CHECK(channels == in && w.size(0) % groups == 0, ShapeError, op,
           "input of shape ", str(x.sizes()), " and weight of shape ", str(w.sizes()), " with groups=", groups,
           " do not match: the weight expects ", in, " input channels");
  LT_CHECK(!bias || (bias->dim() == 1 && bias->size(0) == out), ShapeError, op, "bias of shape ",
           str(bias->sizes()), " must be (", out, ") for weight of shape ", str(w.sizes()));
  return unbatched;
}

// As 2-D batched: x (N, C, H, W) and w (O, C / g, kh, kw).
Tensor as_4d(const Tensor& t, int dims, bool add_batch) {
  Tensor r = dims == 1 ? t.unsqueeze(-2) : t;
  return add_batch ? r.unsqueeze(0) : r;
}
Tensor from_4d(const Tensor& t, int dims, bool unbatched) {
  Tensor r = unbatched ? t.squeeze(0) : t;
  return dims == 1 ? r.squeeze(-2) : r;
}

Tensor convolution(const char* op, int dims, const Tensor& x, const Tensor& w, const std::optional<Tensor>& bias,
                   IntList stride, IntList padding, IntList dilation, int64_t groups) {
  const bool unbatched = check_operands(op, dims, x, w, bias, groups, false);
  const Geometry2d c{per_dim(op, "stride", stride, dims, 1), per_dim(op, "padding", padding, dims, 0),
                     per_dim(op, "dilation", dilation, dims, 1), groups};
  Tensor x4 = as_4d(x, dims, unbatched), w4 = as_4d(w, dims, false);
  for (int d = 0; d < 2; ++d) {
    const int64_t extent = c.dilation[d] * (w4.size(2 + d) - 1) + 1, padded = x4.size(2 + d) + 2 * c.padding[d];
    LT_CHECK(padded >= extent, ShapeError, op, "input of shape ", str(x.sizes()), " padded by ", str(padding),
             " is smaller than the dilated kernel of weight shape ", str(w.sizes()));
  }
  return from_4d(conv(x4, w4, bias ? *bias : Tensor(), c), dims, unbatched);
}

// padding Valid or Same as numbers; Same with an odd total pads one more on the right,
// through an explicit pad of the input.
Tensor convolution(const char* op, int dims, const Tensor& x, const Tensor& w, const std::optional<Tensor>& bias,
                   IntList stride, Padding padding, IntList dilation, int64_t groups) {
  if (padding == Padding::Valid) return convolution(op, dims, x, w, bias, stride, IntList{0}, dilation, groups);
  for (int64_t s : stride) LT_CHECK(s == 1, ValueError, op, "padding='same' is not supported for strided convolutions");
  check_operands(op, dims, x, w, bias, groups, false);
  const auto dil = per_dim(op, "dilation", dilation, dims, 1);
  Shape left(dims), extra;
  bool asymmetric = false;
  for (int d = 0; d < dims; ++d) {
    const int64_t total = dil[2 - dims + d] * (w.size(2 + d) - 1);
    left[d] = total / 2;
    asymmetric |= total % 2 != 0;
  }
  Tensor input = x;
  if (asymmetric) {
    for (int d = dims - 1; d >= 0; --d) {  // pad lists the last dim first
      const int64_t total = dil[2 - dims + d] * (w.size(2 + d) - 1);
      extra.push_back(0);
      extra.push_back(total % 2);
    }
    input = lt::pad(x, extra);
  }
  return convolution(op, dims, input, w, bias, stride, IntList(left), dilation, groups);
}

Tensor transposed_convolution(const char* op, int dims, const Tensor& x, const Tensor& w,
                              const std::optional<Tensor>& bias, IntList stride, IntList padding,
                              IntList output_padding, int64_t groups, IntList dilation) {
  const bool unbatched = check_operands(op, dims, x, w, bias, groups, true);
  const Geometry2d c{per_dim(op, "stride", stride, dims, 1), per_dim(op, "padding", padding, dims, 0),
                     per_dim(op, "dilation", dilation, dims, 1), groups};
  const auto extra = per_dim(op, "output_padding", output_padding, dims, 0);
  Tensor x4 = as_4d(x, dims, unbatched), w4 = as_4d(w, dims, false);
  int64_t size[2];
  for (int d = 0; d < 2; ++d) {
    LT_CHECK(extra[d] < c.stride[d] || extra[d] < c.dilation[d], ValueError, op, "output_padding ",
             str(output_padding), " must be smaller than either stride or dilation");
    size[d] = (x4.size(2 + d) - 1) * c.stride[d] - 2 * c.padding[d] + c.dilation[d] * (w4.size(2 + d) - 1) +
              extra[d] + 1;
    LT_CHECK(size[d] > 0, ShapeError, op, "input of shape ", str(x.sizes()), " with weight of shape ",
             str(w.sizes()), " gives an output of non-positive size");
  }
  Tensor y = conv_x_grad(x4, w4, c, size[0], size[1]);
  if (bias) y = y + bias->view({1, bias->size(0), 1, 1});
  return from_4d(y, dims, unbatched);
}

}  // namespace

Tensor conv2d(const Tensor& x, const Tensor& weight, const std::optional<Tensor>& bias, IntList stride,
              IntList padding, IntList dilation, int64_t groups) {
  LT_AUTOCAST(conv2d, x, weight, bias, stride, padding, dilation, groups);
  return convolution("conv2d", 2, x, weight, bias, stride, padding, dilation, groups);
}
Tensor conv2d(const Tensor& x, const Tensor& weight, const std::optional<Tensor>& bias, IntList stride,
              Padding padding, IntList dilation, int64_t groups) {
  LT_AUTOCAST(conv2d, x, weight, bias, stride, padding, dilation, groups);
  return convolution("conv2d", 2, x, weight, bias, stride, padding, dilation, groups);
}
Tensor conv1d(const Tensor& x, const Tensor& weight, const std::optional<Tensor>& bias, IntList stride,
              IntList padding, IntList dilation, int64_t groups) {
  LT_AUTOCAST(conv1d, x, weight, bias, stride, padding, dilation, groups);
  return convolution("conv1d", 1, x, weight, bias, stride, padding, dilation, groups);
}
Tensor conv1d(const Tensor& x, const Tensor& weight, const std::optional<Tensor>& bias, IntList stride,
              Padding padding, IntList dilation, int64_t groups) {
  LT_AUTOCAST(conv1d, x, weight, bias, stride, padding, dilation, groups);
  return convolution("conv1d", 1, x, weight, bias, stride, padding, dilation, groups);
}
Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const std::optional<Tensor>& bias, IntList stride,
                        IntList padding, IntList output_padding, int64_t groups, IntList dilation) {
  LT_AUTOCAST(conv_transpose2d, x, weight, bias, stride, padding, output_padding, groups, dilation);
  return transposed_convolution("conv_transpose2d", 2, x, weight, bias, stride, padding, output_padding, groups,
                                dilation);
}
Tensor conv_transpose1d(const Tensor& x, const Tensor& weight, const std::optional<Tensor>& bias, IntList stride,
                        IntList padding, IntList output_padding, int64_t groups, IntList dilation) {
  LT_AUTOCAST(conv_transpose1d, x, weight, bias, stride, padding, output_padding, groups, dilation);
  return transposed_convolution("conv_transpose1d", 1, x, weight, bias, stride, padding, output_padding, groups,
                                dilation);
}

}  // namespace lt
