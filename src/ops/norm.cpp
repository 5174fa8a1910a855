// Normalization over the trailing dims: layer_norm (a fused kernel where the device has
// one, its composition elsewhere and for derivatives of derivatives) and rms_norm (a
// composition).
#include <cmath>

#include "libtensor/autocast.h"
#include "helpers.h"

namespace lt {
namespace {

using autograd::Backward;
using autograd::TensorList;

// The trailing dims of x that `normalized` names, checked; returns their dims.
Shape normalized_dims(const char* op, const Tensor& x, IntList normalized, const std::optional<Tensor>& weight,
                      const std::optional<Tensor>& bias) {
  const int64_t k = static_cast<int64_t>(normalized.size());
  LT_CHECK(k >= 1, ShapeError, op, "normalized_shape must name at least one dim");
  bool fits = x.dim() >= k;
  for (int64_t i = 0; fits && i < k; ++i) fits = x.size(x.dim() - k + i) == normalized[i];
  LT_CHECK(fits, ShapeError, op, "input of shape ", str(x.sizes()), " does not end in normalized_shape ",
           str(normalized));
  for (const auto* p : {&weight, &bias}) {
    if (*p) {
      LT_CHECK((*p)->sizes() == Shape(normalized.begin(), normalized.end()), ShapeError, op, "weight and bias must have ",
               "the normalized shape ", str(normalized), ", got ", str((*p)->sizes()));
    }
  }
  LT_CHECK(is_floating(x.dtype()), DTypeError, op, "expects a floating-point input, got ", name(x.dtype()));
  Shape dims;
  for (int64_t d = x.dim() - k; d < x.dim(); ++d) dims.push_back(d);
  return dims;
}

// The composition: (x - mean) / sqrt(var + eps) * w + b.
Tensor layer_norm_composite(const Tensor& x, IntList dims, const Tensor& w, const Tensor& b, double eps) {
  Tensor y = (x - mean(x, dims, true)) * rsqrt(var(x, dims, 0, true) + eps);
  if (w.defined()) y = y * w;
  if (b.defined()) y = y + b;
  return y;
}

}  // namespace

Tensor layer_norm(const Tensor& x, IntList normalized_shape, const std::optional<Tensor>& weight,
                  const std::optional<Tensor>& bias, double eps) {
  LT_AUTOCAST(layer_norm, x, normalized_shape, weight, bias, eps);
  static const Op<TensorKernel> forward_op("layer_norm"), backward_op("layer_norm_backward");
  Shape dims = normalized_dims("layer_norm", x, normalized_shape, weight, bias);
  const Tensor w = weight ? *weight : Tensor(), b = bias ? *bias : Tensor();
  if (!Registry::global().kernel(forward_op.id(), x.device().type)) return layer_norm_composite(x, dims, w, b, eps);
  const int64_t n = checked_numel(normalized_shape, "layer_norm"), rows = n == 0 ? 0 : x.numel() / n;
  const DType stats = x.dtype() == DType::Float64 ? DType::Float64 : DType::Float32;
  Tensor y = empty(x.sizes(), x.dtype(), x.device());
  Tensor mu = empty({rows}, stats, x.device()), rstd = empty({rows}, stats, x.device());
  {
    autograd::NoGradGuard no_grad;
    Tensor tensors[] = {y, mu, rstd, x.contiguous(), w.defined() ? w.contiguous() : w, b.defined() ? b.contiguous() : b};
    const Scalar args[] = {Scalar(eps), Scalar(n)};
    dispatch(forward_op, std::span<Tensor>(tensors), ScalarList(args));
  }
  TensorList inputs{x};
  if (w.defined()) inputs.push_back(w);
  if (b.defined()) inputs.push_back(b);
  Tensor outputs[] = {y};
  Tensor saved[] = {x, w, mu, rstd};
  autograd::record("native_layer_norm", inputs, outputs, saved,
                   [dims, n, rows, eps, shape = Shape(normalized_shape.begin(), normalized_shape.end()),
                    has_w = w.defined(), has_b = b.defined()](const Backward& d) {
    const Tensor &g = d.grad(), &x = d.saved[0], &w = d.saved[1];
    TensorList grads;
    if (autograd::is_recording() || !Registry::global().kernel(backward_op.id(), g.device().type)) {
      // A derivative to differentiate again: the composition's, from x itself.
      Tensor mu = mean(x, dims, true), inv = rsqrt(var(x, dims, 0, true) + eps);
      Tensor xhat = (x - mu) * inv;
      Tensor gw = has_w ? g * w : g;
      grads.push_back(d.needs[0] ? inv * (gw - mean(gw, dims, true) - xhat * mean(gw * xhat, dims, true)) : Tensor());
      Shape lead;
      for (int64_t i = 0; i < x.dim() - static_cast<int64_t>(dims.size()); ++i) lead.push_back(i);
      if (has_w) grads.push_back(d.needs[1] ? (lead.empty() ? g * xhat : sum(g * xhat, lead)) : Tensor());
      if (has_b) grads.push_back(d.needs[grads.size()] ? (lead.empty() ? g : sum(g, lead)) : Tensor());
      return grads;
    }
    const size_t bi = has_w ? 2 : 1;
    Tensor dx = d.needs[0] ? empty(x.sizes(), x.dtype(), x.device()) : Tensor();
    Tensor dw = has_w && d.needs[1] ? empty({n}, x.dtype(), x.device()) : Tensor();
    Tensor db = has_b && d.needs[bi] ? empty({n}, x.dtype(), x.device()) : Tensor();
    Tensor tensors[] = {dx, dw, db, g.contiguous(), x.contiguous(), d.saved[2], d.saved[3], has_w ? w.contiguous() : w};
    const Scalar args[] = {Scalar(n)};
    dispatch(backward_op, std::span<Tensor>(tensors), ScalarList(args));
    grads.push_back(dx);
    if (has_w) grads.push_back(dw.defined() ? dw.view(shape) : dw);
    if (has_b) grads.push_back(db.defined() ? db.view(shape) : db);
    return grads;
  });
  return y;
}

// x / sqrt(mean(x^2) + eps) * w over the trailing dims; eps defaults to the dtype's
// machine epsilon, as PyTorch.
Tensor rms_norm(const Tensor& x, IntList normalized_shape, const std::optional<Tensor>& weight,
                std::optional<double> eps) {
  LT_AUTOCAST(rms_norm, x, normalized_shape, weight, eps);
  Shape dims = normalized_dims("rms_norm", x, normalized_shape, weight, std::nullopt);
  const double machine_eps = x.dtype() == DType::Float64   ? 0x1p-52
                             : x.dtype() == DType::Float16 ? 0x1p-10
                             : x.dtype() == DType::BFloat16 ? 0x1p-7
                                                            : 0x1p-23;
  const double e = eps.value_or(machine_eps);
  Tensor y = x * rsqrt(mean(square(x), dims, true) + e);
  return weight ? y * *weight : y;
}

}  // namespace lt
