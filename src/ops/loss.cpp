// Loss functions, with PyTorch's reductions ("none", "mean", "sum"). Most are
// compositions of elementwise operators, softmax and indexing; binary cross-entropy
// (with and without logits) records a formula of its own, because the composed
// derivative would be NaN where PyTorch's is finite (log(0), |x| at 0).
#include <cmath>

#include "libtensor/autocast.h"
#include "helpers.h"

namespace lt {
namespace {

using autograd::Backward;
using autograd::TensorList;

Tensor reduce_loss(const char* op, const Tensor& loss, std::string_view reduction) {
  if (reduction == "none") return loss;
  if (reduction == "sum") return sum(loss);
  LT_CHECK(reduction == "mean", ValueError, op, "reduction must be \"none\", \"mean\" or \"sum\", got \"", reduction,
           "\"");
  return mean(loss);
}

bool reduced_precision(const Tensor& x) { return x.dtype() == DType::Float16 || x.dtype() == DType::BFloat16; }
// float16 and bfloat16 losses are computed in float32 and rounded once.
Tensor wide(const Tensor& t) { return reduced_precision(t) ? t.to(DType::Float32) : t; }
std::optional<Tensor> wide(const std::optional<Tensor>& t) { return t ? std::optional<Tensor>(wide(*t)) : t; }

void check_pair(const char* op, const Tensor& input, const Tensor& target) {
  LT_CHECK(is_floating(input.dtype()), DTypeError, op, "expects a floating-point input, got ", name(input.dtype()));
  LT_CHECK(input.sizes() == target.sizes(), ShapeError, op, "input of shape ", str(input.sizes()),
           " and target of shape ", str(target.sizes()), " differ");
}

}  // namespace

Tensor mse_loss(const Tensor& input, const Tensor& target, std::string_view reduction) {
  LT_AUTOCAST(mse_loss, input, target, reduction);
  check_pair("mse_loss", input, target);
  return reduce_loss("mse_loss", square(input - target), reduction);
}

Tensor l1_loss(const Tensor& input, const Tensor& target, std::string_view reduction) {
  LT_AUTOCAST(l1_loss, input, target, reduction);
  check_pair("l1_loss", input, target);
  return reduce_loss("l1_loss", abs(input - target), reduction);
}

// 0.5 d^2 / beta below beta, d - 0.5 beta above (d = |input - target|); beta 0 is l1.
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, std::string_view reduction, double beta) {
  LT_AUTOCAST(smooth_l1_loss, input, target, reduction, beta);
  check_pair("smooth_l1_loss", input, target);
  LT_CHECK(beta >= 0, ValueError, "smooth_l1_loss", "beta must be non-negative, got ", beta);
  Tensor d = abs(input - target);
  if (beta == 0) return reduce_loss("smooth_l1_loss", d, reduction);
  return reduce_loss("smooth_l1_loss", where(d < beta, square(d) * (0.5 / beta), d - 0.5 * beta), reduction);
}

// 0.5 d^2 below delta, delta (d - 0.5 delta) above.
Tensor huber_loss(const Tensor& input, const Tensor& target, std::string_view reduction, double delta) {
  LT_AUTOCAST(huber_loss, input, target, reduction, delta);
  check_pair("huber_loss", input, target);
  LT_CHECK(delta > 0, ValueError, "huber_loss", "delta must be positive, got ", delta);
  Tensor d = abs(input - target);
  return reduce_loss("huber_loss", where(d < delta, square(d) * 0.5, (d - 0.5 * delta) * delta), reduction);
}

// -w (t log x + (1 - t) log(1 - x)), each log at least -100 (PyTorch's bound, so that
// x = 0 or 1 gives a finite loss).
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight,
                            std::string_view reduction) {
  LT_AUTOCAST(binary_cross_entropy, input, target, weight, reduction);
  check_pair("binary_cross_entropy", input, target);
  if (reduced_precision(input)) {
    return binary_cross_entropy(wide(input), wide(target), wide(weight), reduction).to(input.dtype());
  }
  Tensor loss;
  {
    autograd::NoGradGuard no_grad;
    LT_CHECK(all(logical_and(input >= 0, input <= 1)).item<bool>(), ValueError, "binary_cross_entropy",
             "all elements of input should be between 0 and 1");
    loss = -(target * clamp_min(log(input), -100) + (1 - target) * clamp_min(log1p(-input), -100));
    if (weight) loss = loss * *weight;
  }
  if (autograd::any_requires_grad(input, target)) {
    const Tensor w = weight ? *weight : Tensor();
    autograd::record("binary_cross_entropy", {input, target}, {loss}, {input, target, w}, [](const Backward& b) {
      const Tensor &g = b.grad(), &x = b.saved[0], &t = b.saved[1], &w = b.saved[2];
      Tensor gw = w.defined() ? g * w : g;
      return TensorList{b.needs[0] ? gw * (x - t) / clamp_min((1 - x) * x, 1e-12) : Tensor(),
                        b.needs[1] ? gw * (clamp_min(log1p(-x), -100) - clamp_min(log(x), -100)) : Tensor()};
    });
  }
  return reduce_loss("binary_cross_entropy", loss, reduction);
}

// w ((1 - t) x + (1 + (p - 1) t) softplus(-x)), p the positive weight, softplus(-x)
// written as log1p(exp(-|x|)) + max(-x, 0) so that it never overflows.
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight,
                                        const std::optional<Tensor>& pos_weight, std::string_view reduction) {
  LT_AUTOCAST(binary_cross_entropy_with_logits, input, target, weight, pos_weight, reduction);
  check_pair("binary_cross_entropy_with_logits", input, target);
  if (reduced_precision(input)) {
    return binary_cross_entropy_with_logits(wide(input), wide(target), wide(weight), wide(pos_weight), reduction)
        .to(input.dtype());
  }
  Tensor loss;
  {
    autograd::NoGradGuard no_grad;
    Tensor softplus_neg = log1p(exp(-abs(input))) + clamp_min(-input, 0);
    Tensor coefficient = pos_weight ? 1 + (*pos_weight - 1) * target : Tensor();
    loss = (1 - target) * input + (pos_weight ? coefficient * softplus_neg : softplus_neg);
    if (weight) loss = loss * *weight;
  }
  if (autograd::any_requires_grad(input, target)) {
    const Tensor w = weight ? *weight : Tensor(), p = pos_weight ? *pos_weight : Tensor();
    autograd::record("binary_cross_entropy_with_logits", {input, target}, {loss}, {input, target, w, p},
                     [](const Backward& b) {
                       const Tensor &g = b.grad(), &x = b.saved[0], &t = b.saved[1], &w = b.saved[2], &p = b.saved[3];
                       Tensor gw = w.defined() ? g * w : g;
                       // d/dx = (1 + (p - 1) t) sigmoid(x) - p t; d/dt = (p - 1) softplus(-x) - x.
                       Tensor gx = p.defined() ? (1 + (p - 1) * t) * sigmoid(x) - p * t : sigmoid(x) - t;
                       Tensor gt = p.defined() ? (p - 1) * (log1p(exp(-abs(x))) + clamp_min(-x, 0)) - x : -x;
                       return TensorList{b.needs[0] ? gw * gx : Tensor(), b.needs[1] ? gw * gt : Tensor()};
                     });
  }
  return reduce_loss("binary_cross_entropy_with_logits", loss, reduction);
}

// target (log t - input), 0 where t = 0; log_target: exp(t) (t - input).
Tensor kl_div(const Tensor& input, const Tensor& target, std::string_view reduction, bool log_target) {
  LT_AUTOCAST(kl_div, input, target, reduction, log_target);
  check_pair("kl_div", input, target);
  Tensor loss = log_target ? exp(target) * (target - input)
                           : where(target > 0, target * log(clamp_min(target, 1e-38)), Scalar(0)) - target * input;
  if (reduction == "batchmean") return input.dim() == 0 ? sum(loss) : sum(loss) / input.size(0);
  return reduce_loss("kl_div", loss, reduction);
}

namespace {
// The class dim of (N, C, d1, ...) or (C) moved last and flattened: (M, C).
Tensor classes_last(const Tensor& x) {
  return x.dim() == 1 ? x.unsqueeze(0) : movedim(x, {1}, {-1}).reshape({-1, x.size(1)});
}
}  // namespace

// -w[t] input[t] per element (the class along dim 1), skipping ignore_index; "mean"
// divides by the sum of the weights taken.
Tensor nll_loss(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight, int64_t ignore_index,
                std::string_view reduction) {
  LT_AUTOCAST(nll_loss, input, target, weight, ignore_index, reduction);
  LT_CHECK(input.dim() >= 1, ShapeError, "nll_loss", "expects an input of at least 1 dimension");
  LT_CHECK(is_integral(target.dtype(), false), DTypeError, "nll_loss", "expects class indices of an integer dtype, got ",
           name(target.dtype()));
  Shape expected = input.sizes();
  expected.erase(expected.begin() + (input.dim() == 1 ? 0 : 1));
  LT_CHECK(target.sizes() == expected, ShapeError, "nll_loss", "input of shape ", str(input.sizes()),
           " expects a target of shape ", str(expected), ", got ", str(target.sizes()));
  if (reduced_precision(input)) return nll_loss(wide(input), target, wide(weight), ignore_index, reduction).to(input.dtype());
  const int64_t classes = input.size(input.dim() == 1 ? 0 : 1);
  if (weight) {
    LT_CHECK(weight->dim() == 1 && weight->size(0) == classes, ShapeError, "nll_loss", "weight of shape ",
             str(weight->sizes()), " for ", classes, " classes");
  }
  Tensor t = target.reshape({-1}).to(DType::Int64);
  Tensor valid = t != ignore_index;
  Tensor safe = where(valid, t, Scalar(0));
  // The gather checks the classes; on a GPU without waiting for the device.
  Tensor flat = classes_last(input);
  Tensor rows = arange(flat.size(0), DType::Int64, input.device());
  Tensor picked = index_for("nll_loss", flat, {rows, safe});
  Tensor w = weight ? index_for("nll_loss", *weight, {safe}) : ones_like(picked);
  w = where(valid, w, zeros({}, w.dtype(), w.device()));
  Tensor loss = -picked * w;
  if (reduction == "none") return loss.reshape(target.sizes());
  if (reduction == "sum") return sum(loss);
  LT_CHECK(reduction == "mean", ValueError, "nll_loss", "reduction must be \"none\", \"mean\" or \"sum\", got \"",
           reduction, "\"");
  return sum(loss) / sum(w);
}

namespace {

const Op<TensorKernel>& fused_forward_op() {
  static const Op<TensorKernel> op("cross_entropy");
  return op;
}

// Per row of x (M, C): nll = w_t (lse - x_t) and, with label smoothing, smooth = sum_c w_c
// (lse - x_c), both 0 where t is ignore_index; from the fused kernels where the device has
// them. The derivative is the fused backward kernel, or, to be differentiated again, the
// same formula from softmax.
std::tuple<Tensor, Tensor> cross_entropy_rows(const Tensor& x, const Tensor& t, const Tensor& w, int64_t ignore,
                                              bool smoothing) {
  static const Op<TensorKernel> backward_op("cross_entropy_backward");
  const int64_t rows = x.size(0);
  Tensor nll = empty({rows}, x.dtype(), x.device()), lse = empty({rows}, x.dtype(), x.device());
  Tensor smooth = smoothing ? empty({rows}, x.dtype(), x.device()) : Tensor();
  {
    autograd::NoGradGuard no_grad;
    Tensor tensors[] = {nll, smooth, lse, x, t, w};
    const Scalar args[] = {ignore};
    dispatch(fused_forward_op(), std::span<Tensor>(tensors), ScalarList(args));
  }
  // The weight is a constant, as in PyTorch: no gradient flows to it.
  Tensor inputs[] = {x};
  std::vector<Tensor> outputs{nll};
  if (smoothing) outputs.push_back(smooth);
  Tensor saved[] = {x, t, w, lse};
  autograd::record("cross_entropy_loss", inputs, outputs, saved, [ignore, smoothing](const Backward& d) {
    const Tensor &x = d.saved[0], &t = d.saved[1], &w = d.saved[2], &lse = d.saved[3];
    const Tensor& g_nll = d.grads[0];
    const Tensor g_smooth = smoothing ? d.grads[1] : Tensor();
    TensorList grads{Tensor()};
    if (autograd::is_recording() || !Registry::global().kernel(backward_op.id(), x.device().type)) {
      const int64_t classes = x.size(1);
      Tensor valid = (t != ignore).unsqueeze(1).to(x.dtype());
      Tensor safe = where(t != ignore, t, Scalar(0));
      Tensor p = softmax(x, 1);
      Tensor wt = w.defined() ? index(w, {safe}).unsqueeze(1) : ones({1, 1}, x.dtype(), x.device());
      Tensor dx = g_nll.unsqueeze(1) * wt * (p - one_hot(safe, classes).to(x.dtype()));
      if (smoothing) {
        Tensor wrow = w.defined() ? w.unsqueeze(0) : ones({1, 1}, x.dtype(), x.device());
        Tensor total = w.defined() ? sum(w) : full({}, classes, x.dtype(), x.device());
        dx = dx + g_smooth.unsqueeze(1) * (total * p - wrow);
      }
      grads[0] = dx * valid;
      return grads;
    }
    Tensor dx = empty(x.sizes(), x.dtype(), x.device());
    Tensor tensors[] = {dx, g_nll.contiguous(), smoothing ? g_smooth.contiguous() : Tensor(), x, t, w, lse};
    const Scalar args[] = {ignore};
    dispatch(backward_op, std::span<Tensor>(tensors), ScalarList(args));
    grads[0] = dx;
    return grads;
  });
  return {nll, smooth};
}

// cross_entropy with class indices on the fused row kernels; the reductions (PyTorch's,
// label smoothing's "mean" over every row) run on the per-row values.
Tensor fused_cross_entropy(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight,
                           int64_t ignore_index, std::string_view reduction, double label_smoothing) {
  LT_CHECK(reduction == "none" || reduction == "mean" || reduction == "sum", ValueError, "cross_entropy",
           "reduction must be \"none\", \"mean\" or \"sum\", got \"", reduction, "\"");
  LT_CHECK(is_integral(target.dtype(), false), DTypeError, "cross_entropy",
           "expects class indices of an integer dtype or probabilities of a floating one, got ", name(target.dtype()));
  LT_CHECK(is_floating(input.dtype()), DTypeError, "cross_entropy", "expects floating-point logits, got ",
           name(input.dtype()));
  Shape expected = input.sizes();
  expected.erase(expected.begin() + (input.dim() == 1 ? 0 : 1));
  LT_CHECK(target.sizes() == expected, ShapeError, "cross_entropy", "input of shape ", str(input.sizes()),
           " expects a target of shape ", str(expected), ", got ", str(target.sizes()));
  if (reduced_precision(input)) {
    return fused_cross_entropy(wide(input), target, wide(weight), ignore_index, reduction, label_smoothing)
        .to(input.dtype());
  }
  const int64_t classes = input.size(input.dim() == 1 ? 0 : 1);
  if (weight) {
    LT_CHECK(weight->dim() == 1 && weight->size(0) == classes, ShapeError, "cross_entropy", "weight of shape ",
             str(weight->sizes()), " for ", classes, " classes");
  }
  Tensor t = target.reshape({-1}).to(DType::Int64).contiguous();
  // The kernels check the targets: the CPU's raises at once, a GPU's reports at the next
  // wait for the device (backends/cuda/device_errors.h) rather than stall it here.
  const Tensor w = weight ? weight->to(input.dtype()).contiguous() : Tensor();
  auto [nll, smooth] = cross_entropy_rows(classes_last(input).contiguous(), t, w, ignore_index, label_smoothing > 0);
  const double keep = 1 - label_smoothing, spread = label_smoothing / static_cast<double>(classes);
  Tensor loss;
  if (reduction == "none") {
    loss = (label_smoothing > 0 ? nll * keep + smooth * spread : nll).reshape(target.sizes());
  } else if (reduction == "sum") {
    loss = label_smoothing > 0 ? sum(nll) * keep + sum(smooth) * spread : sum(nll);
  } else {
    // The weight of the rows taken, or their count (int64).
    Tensor valid = t != ignore_index;
    Tensor total = w.defined() ? sum(where(valid, index(w, {where(valid, t, Scalar(0))}), Scalar(0))) : sum(valid);
    loss = label_smoothing == 0 ? sum(nll) / total
                                : sum(nll) / total * keep + (w.defined() ? sum(smooth) / total : mean(smooth)) * spread;
  }
  return loss;
}

}  // namespace

// Class indices: nll_loss of log_softmax over dim 1, blended with the mean over classes
// for label smoothing. Probabilities (a target of input's shape): -sum(w t log p).
Tensor cross_entropy(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight,
                     int64_t ignore_index, std::string_view reduction, double label_smoothing) {
  LT_AUTOCAST(cross_entropy, input, target, weight, ignore_index, reduction, label_smoothing);
  LT_CHECK(label_smoothing >= 0 && label_smoothing <= 1, ValueError, "cross_entropy",
           "label_smoothing must be between 0 and 1, got ", label_smoothing);
  LT_CHECK(input.dim() >= 1, ShapeError, "cross_entropy", "expects an input of at least 1 dimension");
  const int64_t class_dim = input.dim() == 1 ? 0 : 1, classes = input.size(class_dim);
  // The weight shaped to broadcast along the class dim.
  Shape along(input.dim(), 1);
  along[class_dim] = classes;
  if (is_floating(target.dtype())) {
    LT_CHECK(target.sizes() == input.sizes(), ShapeError, "cross_entropy", "probabilities of shape ",
             str(target.sizes()), " for an input of shape ", str(input.sizes()));
    Tensor t = label_smoothing > 0 ? target * (1 - label_smoothing) + label_smoothing / classes : target;
    Tensor terms = log_softmax(input, class_dim) * t;
    if (weight) terms = terms * weight->view(along);
    Tensor loss = -sum(terms, {class_dim});
    if (reduction == "mean") return sum(loss) / (input.numel() / std::max<int64_t>(classes, 1));
    return reduce_loss("cross_entropy", loss, reduction);
  }
  if (Registry::global().kernel(fused_forward_op().id(), input.device().type)) {
    return fused_cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing);
  }
  Tensor logp = log_softmax(input, class_dim);
  Tensor nll = nll_loss(logp, target, weight, ignore_index, reduction);
  if (label_smoothing == 0) return nll;
  Tensor smooth = -sum(weight ? logp * weight->view(along) : logp, {class_dim});
  Tensor ignored = target == ignore_index;
  smooth = where(ignored, zeros({}, smooth.dtype(), smooth.device()), smooth);
  Tensor smoothed;
  if (reduction == "none") {
    smoothed = smooth;
  } else if (reduction == "sum") {
    smoothed = sum(smooth);
  } else if (weight) {
    Tensor kept = index(*weight, {where(ignored, Scalar(0), target.to(DType::Int64)).reshape({-1})});
    smoothed = sum(smooth) / sum(where(ignored.reshape({-1}), zeros({}, kept.dtype(), kept.device()), kept));
  } else {
    smoothed = mean(smooth);
  }
  return nll * (1 - label_smoothing) + smoothed * (label_smoothing / classes);
}

}  // namespace lt
