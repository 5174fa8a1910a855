// Normalization over the trailing dims: layer_norm and rms_norm, a fused kernel each way
// where the device has them, their compositions elsewhere and for derivatives of
// derivatives.
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

// The composition: (x - mean) / sqrt(var + eps) * w + b, or for rms_norm (not centered)
// x / sqrt(mean(x^2) + eps) * w.
Tensor norm_composite(const Tensor& x, IntList dims, const Tensor& w, const Tensor& b, double eps, bool centered) {
  Tensor y = centered ? (x - mean(x, dims, true)) * rsqrt(var(x, dims, 0, true) + eps)
                      : x * rsqrt(mean(square(x), dims, true) + eps);
  if (w.defined()) y = y * w;
  if (b.defined()) y = y + b;
  return y;
}

// layer_norm (centered) and rms_norm as one fused kernel each way where the device has
// them: rms_norm's kernels take layer_norm's tensors without the mean and the bias.
// Derivatives of derivatives, and devices without the kernels, use the composition.
Tensor fused_norm(const char* name, const Tensor& x, IntList normalized_shape, const Shape& dims, const Tensor& w,
                  const Tensor& b, double eps, bool centered) {
  static const Op<TensorKernel> layer_forward("layer_norm"), layer_backward("layer_norm_backward");
  static const Op<TensorKernel> rms_forward("rms_norm"), rms_backward("rms_norm_backward");
  const Op<TensorKernel>& forward_op = centered ? layer_forward : rms_forward;
  const Op<TensorKernel>& backward_op = centered ? layer_backward : rms_backward;
  if (!Registry::global().kernel(forward_op.id(), x.device().type)) return norm_composite(x, dims, w, b, eps, centered);
  const int64_t n = checked_numel(normalized_shape, name), rows = n == 0 ? 0 : x.numel() / n;
  const DType stats = x.dtype() == DType::Float64 ? DType::Float64 : DType::Float32;
  Tensor y = empty(x.sizes(), x.dtype(), x.device());
  Tensor mu = centered ? empty({rows}, stats, x.device()) : Tensor(), rstd = empty({rows}, stats, x.device());
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
  autograd::record(centered ? "native_layer_norm" : "rms_norm", inputs, outputs, saved,
                   [&backward_op, dims, n, eps, centered, shape = Shape(normalized_shape.begin(), normalized_shape.end()),
                    has_w = w.defined(), has_b = b.defined()](const Backward& d) {
    const Tensor &g = d.grad(), &x = d.saved[0], &w = d.saved[1];
    TensorList grads;
    if (autograd::is_recording() || !Registry::global().kernel(backward_op.id(), g.device().type)) {
      // A derivative to differentiate again: the composition's, from x itself.
      Tensor inv = centered ? rsqrt(var(x, dims, 0, true) + eps) : rsqrt(mean(square(x), dims, true) + eps);
      Tensor xhat = (centered ? x - mean(x, dims, true) : x) * inv;
      Tensor gw = has_w ? g * w : g;
      Tensor centered_gw = centered ? gw - mean(gw, dims, true) : gw;
      grads.push_back(d.needs[0] ? inv * (centered_gw - xhat * mean(gw * xhat, dims, true)) : Tensor());
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

}  // namespace

Tensor layer_norm(const Tensor& x, IntList normalized_shape, const std::optional<Tensor>& weight,
                  const std::optional<Tensor>& bias, double eps) {
  LT_AUTOCAST(layer_norm, x, normalized_shape, weight, bias, eps);
  Shape dims = normalized_dims("layer_norm", x, normalized_shape, weight, bias);
  return fused_norm("layer_norm", x, normalized_shape, dims, weight ? *weight : Tensor(), bias ? *bias : Tensor(), eps,
                    true);
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
  return fused_norm("rms_norm", x, normalized_shape, dims, weight ? *weight : Tensor(), Tensor(),
                    eps.value_or(machine_eps), false);
}

}  // namespace lt
