// Activation functions, as compositions of elementwise operators. Those whose composed
// derivative would be wrong somewhere (an overflowing branch that where() discards still
// sends inf * 0 = NaN back; PyTorch's conventions at kinks) compute their forward
// without recording and record a formula of their own, written with ordinary operators
// so that it differentiates again.
#include <cmath>

#include "libtensor/autocast.h"
#include "helpers.h"

namespace lt {
namespace {

using autograd::Backward;
using autograd::TensorList;

void check_activation(const char* op, const Tensor& x) {
  LT_CHECK(is_floating(x.dtype()), DTypeError, op, "expects a floating-point input, got ", name(x.dtype()));
}

// y = forward(x) computed without recording; then `node` with d/dx = g * derivative(x).
template <class Forward, class Derivative>
Tensor with_derivative(const char* node, const Tensor& x, Forward forward, Derivative derivative) {
  check_activation(node, x);
  Tensor y;
  {
    autograd::NoGradGuard no_grad;
    y = rounded_once(x, forward);
  }
  if (autograd::any_requires_grad(x)) {
    autograd::record(node, {x}, {y}, {x}, [derivative](const Backward& b) {
      return TensorList{derivative(b.grad(), b.saved[0])};
    });
  }
  return y;
}

}  // namespace

namespace {
constexpr double kSqrt2OverPi = 0.79788456080286535588, kInvSqrt2Pi = 0.39894228040143267794, kCubic = 0.044715;

// gelu and its first two derivatives written with ordinary operators: the reference of
// the fused kernels, the path of devices without them, and the second derivative, so
// that gradients of gradients work. Exact: gelu = x Φ, gelu' = Φ + x φ, gelu'' = φ (2 -
// x²). tanh form: gelu = x (1 + t) / 2, t = tanh(u), u = √(2/π) (x + 0.044715 x³).
Tensor gelu_composite(const Tensor& x, bool tanh_form) {
  if (tanh_form) return x * 0.5 * (1 + tanh((x + x * x * x * kCubic) * kSqrt2OverPi));
  return x * 0.5 * (1 + erf(x * M_SQRT1_2));
}

Tensor gelu_slope(const Tensor& x, bool tanh_form) {
  if (!tanh_form) return (erf(x * M_SQRT1_2) + 1) * 0.5 + x * exp(x * x * -0.5) * kInvSqrt2Pi;
  Tensor t = tanh((x + x * x * x * kCubic) * kSqrt2OverPi), du = (x * x * (3 * kCubic) + 1) * kSqrt2OverPi;
  return (t + 1) * 0.5 + x * 0.5 * (1 - t * t) * du;
}

Tensor gelu_curvature(const Tensor& x, bool tanh_form) {
  if (!tanh_form) return exp(x * x * -0.5) * kInvSqrt2Pi * (2 - x * x);
  Tensor t = tanh((x + x * x * x * kCubic) * kSqrt2OverPi), s = 1 - t * t;
  Tensor du = (x * x * (3 * kCubic) + 1) * kSqrt2OverPi, d2u = x * (6 * kCubic * kSqrt2OverPi);
  return s * du + x * 0.5 * s * (d2u - t * du * du * 2);
}

bool tanh_form_of(std::string_view approximate) {
  LT_CHECK(approximate == "none" || approximate == "tanh", ValueError, "gelu",
           "approximate must be \"none\" or \"tanh\", got \"", approximate, "\"");
  return approximate == "tanh";
}
}  // namespace

// x Φ(x), Φ the normal distribution; "tanh": PyTorch's tanh approximation of it. One
// fused kernel each way where the device has them (a transformer's MLP spends a pass
// over its widest activation per elementwise operator).
Tensor gelu(const Tensor& x, std::string_view approximate) {
  static const Op<IterKernel> op("gelu");
  const bool tanh_form = tanh_form_of(approximate);
  check_activation("gelu", x);
  if (!Registry::global().kernel(op.id(), x.device().type)) {
    return rounded_once(x, [tanh_form](const Tensor& x) { return gelu_composite(x, tanh_form); });
  }
  const Scalar args[] = {tanh_form};
  Tensor y;
  {
    autograd::NoGradGuard no_grad;
    y = run_elementwise(op, {x}, x.dtype(), x.dtype(), ScalarList(args));
  }
  if (autograd::any_requires_grad(x)) {
    autograd::record("gelu", {x}, {y}, {x}, [approximate = std::string(approximate)](const Backward& b) {
      return TensorList{gelu_backward(b.grad(), b.saved[0], approximate)};
    });
  }
  return y;
}

Tensor gelu_backward(const Tensor& grad, const Tensor& x, std::string_view approximate) {
  static const Op<IterKernel> op("gelu_backward");
  const bool tanh_form = tanh_form_of(approximate);
  const DType t = result_type({grad, x});
  LT_CHECK(is_floating(t), DTypeError, "gelu_backward", "expects floating-point tensors, got ", name(grad.dtype()),
           " and ", name(x.dtype()));
  if (!Registry::global().kernel(op.id(), x.device().type)) return grad * gelu_slope(x, tanh_form);
  const Scalar args[] = {tanh_form};
  Tensor r;
  {
    autograd::NoGradGuard no_grad;
    r = run_elementwise(op, {grad, x}, t, t, ScalarList(args));
  }
  if (autograd::any_requires_grad(grad, x)) {
    autograd::record("gelu_backward", {grad, x}, {r}, {grad, x},
                     [approximate = std::string(approximate), tanh_form](const Backward& b) {
                       const Tensor &gg = b.grad(), &g = b.saved[0], &x = b.saved[1];
                       return TensorList{b.needs[0] ? gelu_backward(gg, x, approximate) : Tensor(),
                                         b.needs[1] ? gg * g * gelu_curvature(x, tanh_form) : Tensor()};
                     });
  }
  return r;
}

Tensor silu(const Tensor& x) {
  check_activation("silu", x);
  return rounded_once(x, [](const Tensor& x) { return x * sigmoid(x); });
}

// log(1 + exp(beta x)) / beta, and x itself where beta x > threshold.
Tensor softplus(const Tensor& x, const Scalar& beta, const Scalar& threshold) {
  LT_AUTOCAST(softplus, x, beta, threshold);
  const double b = beta.to_double(), t = threshold.to_double();
  return with_derivative(
      "softplus", x, [b, t](const Tensor& x) { return where(x * b > t, x, log1p(exp(x * b)) / b); },
      [b, t](const Tensor& g, const Tensor& x) { return where(x * b > t, g, g * sigmoid(x * b)); });
}

Tensor mish(const Tensor& x) {
  check_activation("mish", x);
  return rounded_once(x, [](const Tensor& x) { return x * tanh(softplus(x)); });
}

// PyTorch's slope at 0 is negative_slope (x > 0 takes the identity).
Tensor leaky_relu(const Tensor& x, const Scalar& negative_slope) {
  check_activation("leaky_relu", x);
  return rounded_once(x, [negative_slope](const Tensor& x) { return where(x > 0, x, x * negative_slope); });
}

// scale * (x where x > 0, else alpha (exp(input_scale x) - 1)); exp of min(x, 0), so
// that positive inputs never overflow the branch where() discards.
Tensor elu(const Tensor& x, const Scalar& alpha, const Scalar& scale, const Scalar& input_scale) {
  check_activation("elu", x);
  return rounded_once(x, [=](const Tensor& x) {
    Tensor negative = expm1(clamp_max(x, 0) * input_scale) * alpha;
    return where(x > 0, x, negative) * scale;
  });
}

Tensor selu(const Tensor& x) {
  return elu(x, 1.6732632423543772848170429916717, 1.0507009873554804934193349852946, 1);
}

// clamp, except that the gradient stops at the bounds themselves, as in PyTorch.
// Integers are clamped too, to bounds cast to their dtype.
Tensor hardtanh(const Tensor& x, const Scalar& min, const Scalar& max) {
  if (!is_floating(x.dtype())) {
    return clamp(x, Scalar(static_cast<int64_t>(min.to_double())), Scalar(static_cast<int64_t>(max.to_double())));
  }
  return with_derivative(
      "hardtanh", x, [min, max](const Tensor& x) { return clamp(x, min, max); },
      [min, max](const Tensor& g, const Tensor& x) { return where(logical_and(x > min, x < max), g, Scalar(0)); });
}

// x relu6(x + 3) / 6; PyTorch's derivative: 0 below -3, (2x + 3) / 6 up to 3, 1 above.
Tensor hardswish(const Tensor& x) {
  return with_derivative(
      "hardswish", x, [](const Tensor& x) { return x * clamp(x + 3, 0, 6) / 6; },
      [](const Tensor& g, const Tensor& x) {
        return where(x < -3, Scalar(0), where(x <= 3, g * (x / 3 + 0.5), g));
      });
}

// log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)): no overflow on either side.
Tensor logsigmoid(const Tensor& x) {
  return with_derivative(
      "log_sigmoid", x, [](const Tensor& x) { return clamp_max(x, 0) - log1p(exp(-abs(x))); },
      [](const Tensor& g, const Tensor& x) { return g * sigmoid(-x); });
}

}  // namespace lt
