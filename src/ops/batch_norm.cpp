// Normalization over channels: batch_norm and group_norm, compositions of reductions
// and elementwise operators, differentiated (to any order) through them. float16 and
// bfloat16 inputs are normalized in float32 and rounded once.
#include "libtensor/autocast.h"
#include "helpers.h"

namespace lt {
namespace {

// A per-channel (C) tensor shaped to broadcast against x (N, C, ...).
Tensor per_channel(const Tensor& t, const Tensor& x) {
  Shape shape(static_cast<size_t>(x.dim()), 1);
  shape[1] = t.numel();
  return t.reshape(shape);
}

void check_channel_tensor(const char* op, const char* what, const std::optional<Tensor>& t, int64_t channels) {
  LT_CHECK(!t || (t->dim() == 1 && t->size(0) == channels), ShapeError, op, what, " of shape ",
           t ? str(t->sizes()) : std::string(), " must have one element per channel (", channels, ")");
}

Tensor affine(Tensor y, const Tensor& x, const std::optional<Tensor>& weight, const std::optional<Tensor>& bias) {
  if (weight) y = y * per_channel(*weight, x);
  if (bias) y = y + per_channel(*bias, x);
  return y;
}

}  // namespace

Tensor batch_norm(const Tensor& x, const std::optional<Tensor>& running_mean, const std::optional<Tensor>& running_var,
                  const std::optional<Tensor>& weight, const std::optional<Tensor>& bias, bool training,
                  double momentum, double eps) {
  const char* op = "batch_norm";
  if (x.numel() == 0 && x.dim() < 2) return x.clone();  // PyTorch passes an empty input through
  LT_CHECK(x.dim() >= 2, ShapeError, op, "expects an input of at least 2 dims (N, C, ...), got shape ",
           str(x.sizes()));
  LT_CHECK(is_floating(x.dtype()), DTypeError, op, "expects a floating-point input, got ", name(x.dtype()));
  const int64_t channels = x.size(1);
  check_channel_tensor(op, "running_mean", running_mean, channels);
  check_channel_tensor(op, "running_var", running_var, channels);
  check_channel_tensor(op, "weight", weight, channels);
  check_channel_tensor(op, "bias", bias, channels);
  LT_CHECK(training || (running_mean && running_var), ValueError, op,
           "running_mean and running_var are needed in evaluation mode");
  Shape dims{0};
  for (int64_t d = 2; d < x.dim(); ++d) dims.push_back(d);
  const int64_t count = channels == 0 ? 0 : x.numel() / channels;
  if (!training) {
    return rounded_once(x, [&](const Tensor& x) {
      Tensor mean = per_channel(running_mean->to(x.dtype()), x), var = per_channel(running_var->to(x.dtype()), x);
      return affine((x - mean) * rsqrt(var + eps), x, weight, bias);
    });
  }
  LT_CHECK(count != 1, ValueError, op, "expects more than 1 value per channel when training, got input shape ",
           str(x.sizes()));
  return rounded_once(x, [&](const Tensor& x) {
    Tensor mean = lt::mean(x, dims), var = lt::var(x, dims, 0);
    if (running_mean || running_var) {
      autograd::NoGradGuard no_grad;
      // The running variance is the unbiased estimate, as PyTorch keeps it.
      const double unbiased = static_cast<double>(count) / static_cast<double>(count - 1);
      if (running_mean) {
        Tensor r = *running_mean;  // a handle: writes reach the caller's tensor
        r.copy_(r * (1 - momentum) + mean.to(r.dtype()) * momentum);
      }
      if (running_var) {
        Tensor r = *running_var;
        r.copy_(r * (1 - momentum) + var.to(r.dtype()) * (momentum * unbiased));
      }
    }
    return affine((x - per_channel(mean, x)) * per_channel(rsqrt(var + eps), x), x, weight, bias);
  });
}

Tensor group_norm(const Tensor& x, int64_t num_groups, const std::optional<Tensor>& weight,
                  const std::optional<Tensor>& bias, double eps) {
  LT_AUTOCAST(group_norm, x, num_groups, weight, bias, eps);
  const char* op = "group_norm";
  LT_CHECK(x.dim() >= 2, ShapeError, op, "expects an input of at least 2 dims (N, C, ...), got shape ",
           str(x.sizes()));
  LT_CHECK(is_floating(x.dtype()), DTypeError, op, "expects a floating-point input, got ", name(x.dtype()));
  const int64_t channels = x.size(1);
  LT_CHECK(num_groups > 0 && channels % num_groups == 0, ValueError, op, "the ", channels,
           " channels of input shape ", str(x.sizes()), " cannot be split into ", num_groups, " groups");
  check_channel_tensor(op, "weight", weight, channels);
  check_channel_tensor(op, "bias", bias, channels);
  return rounded_once(x, [&](const Tensor& x) {
    int64_t per_group = channels / num_groups;
    for (int64_t d = 2; d < x.dim(); ++d) per_group *= x.size(d);
    Tensor groups = x.reshape({x.size(0), num_groups, per_group});
    Tensor y = (groups - lt::mean(groups, {2}, true)) * rsqrt(lt::var(groups, {2}, 0, true) + eps);
    return affine(y.reshape(x.sizes()), x, weight, bias);
  });
}

}  // namespace lt
