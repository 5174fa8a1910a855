// The optimizers' update steps over every parameter of a group in one kernel call:
// Adam / AdamW and SGD with momentum, and GradScaler's unscale of the gradients. They
// write parameters and state in place and record nothing (optimizer steps run outside autograd, as PyTorch's do under no_grad).
// The per-tensor compositions in python/libtensor/optim are the reference; these are
// their fused forms, one pass over each parameter instead of one per operator.
#include "helpers.h"

namespace lt {
namespace {

void check_group(const char* op, std::initializer_list<const std::vector<Tensor>*> lists) {
  const std::vector<Tensor>& params = **lists.begin();
  for (const auto* list : lists) {
    LT_CHECK(list->empty() || list->size() == params.size(), ShapeError, op, "expects one tensor per parameter (",
             params.size(), "), got ", list->size());
    for (size_t i = 0; i < list->size(); ++i) {
      const Tensor& t = (*list)[i];
      // Gradients are only read, so any layout will do; what is written must be contiguous.
      const bool read_only = list == *(lists.begin() + 1);
      LT_CHECK(t.defined() && t.sizes() == params[i].sizes() && t.dtype() == params[i].dtype() &&
                   t.device() == params[i].device() && (read_only || t.is_contiguous()),
               ShapeError, op, "tensor ", i, " of shape ", str(t.defined() ? t.sizes() : Shape{}),
               read_only ? " must match its parameter (" : " must be contiguous and match its parameter (",
               str(params[i].sizes()), ", ", name(params[i].dtype()), ")");
    }
  }
  for (const Tensor& p : params) {
    LT_CHECK(p.dtype() == DType::Float32 || p.dtype() == DType::Float64, DTypeError, op,
             "runs on float32 and float64 parameters, got ", name(p.dtype()));
  }
}

void run(const char* name, std::initializer_list<const std::vector<Tensor>*> lists, ScalarList args) {
  static const Op<TensorKernel> adam("_fused_adam_"), sgd("_fused_sgd_");
  const Op<TensorKernel>& op = name[7] == 'a' ? adam : sgd;
  const std::vector<Tensor>& params = **lists.begin();
  if (params.empty()) return;
  std::vector<Tensor> tensors;
  for (const auto* list : lists) {
    for (const Tensor& t : *list) tensors.push_back(list == *(lists.begin() + 1) ? t.contiguous() : t);
  }
  autograd::NoGradGuard no_grad;
  dispatch(op, std::span<Tensor>(tensors), args);
  // In-place writes move the version counters, as the composition's would.
  for (const auto* list : lists) {
    if (list != *(lists.begin() + 1)) {
      for (const Tensor& t : *list) t.bump_version();
    }
  }
}

}  // namespace

void _fused_adam_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                  const std::vector<Tensor>& exp_avgs, const std::vector<Tensor>& exp_avg_sqs,
                  const std::vector<Tensor>& max_exp_avg_sqs, int64_t step, double lr, double beta1, double beta2,
                  double eps, double weight_decay, bool amsgrad, bool maximize, bool decoupled_weight_decay) {
  const char* op = "_fused_adam_";
  check_group(op, {&params, &grads, &exp_avgs, &exp_avg_sqs, &max_exp_avg_sqs});
  LT_CHECK(!amsgrad || max_exp_avg_sqs.size() == params.size(), ValueError, op, "amsgrad needs max_exp_avg_sqs");
  LT_CHECK(step >= 1, ValueError, op, "step counts from 1, got ", step);
  const Scalar args[] = {step, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize, decoupled_weight_decay};
  run(op, {&params, &grads, &exp_avgs, &exp_avg_sqs, &max_exp_avg_sqs}, ScalarList(args));
}

void _fused_sgd_(const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
                 const std::vector<Tensor>& momentum_buffers, double lr, double momentum, double dampening,
                 double weight_decay, bool nesterov, bool maximize, bool first_step) {
  const char* op = "_fused_sgd_";
  check_group(op, {&params, &grads, &momentum_buffers});
  LT_CHECK(momentum == 0 || momentum_buffers.size() == params.size(), ValueError, op,
           "momentum needs one buffer per parameter");
  const Scalar args[] = {lr, momentum, dampening, weight_decay, nesterov, maximize, first_step};
  run(op, {&params, &grads, &momentum_buffers}, ScalarList(args));
}

void _amp_foreach_non_finite_check_and_unscale_(const std::vector<Tensor>& grads, const Tensor& found_inf,
                                                const Tensor& inv_scale) {
  const char* op = "_amp_foreach_non_finite_check_and_unscale_";
  static const Op<TensorKernel> fused(op);
  for (const Tensor* t : {&found_inf, &inv_scale}) {
    LT_CHECK(t->defined() && t->numel() == 1 && t->dtype() == DType::Float32, DTypeError, op,
             "found_inf and inv_scale must be one-element float32 tensors, got ",
             t->defined() ? name(t->dtype()) : "undefined", " of shape ", str(t->defined() ? t->sizes() : Shape{}));
  }
  const Device device = found_inf.device();
  LT_CHECK(inv_scale.device() == device, DeviceError, op, "found_inf is on ", device.str(), ", inv_scale on ",
           inv_scale.device().str());
  // Every gradient is checked before any is scaled, so that an error leaves them all as
  // they were.
  for (size_t i = 0; i < grads.size(); ++i) {
    const Tensor& g = grads[i];
    LT_CHECK(g.defined() && is_floating(g.dtype()), DTypeError, op, "gradient ", i, " must be floating, got ",
             g.defined() ? name(g.dtype()) : "undefined");
    LT_CHECK(g.device() == device, DeviceError, op, "gradient ", i, " is on ", g.device().str(), ", found_inf on ",
             device.str());
  }
  autograd::NoGradGuard no_grad;
  // Contiguous float32 and float64 gradients go to the kernel, one call per dtype; any
  // other gradient through the composition, checked before it is scaled, as the kernel.
  std::vector<Tensor> by_dtype[2];
  for (Tensor g : grads) {  // handles: the scaling is written through them
    if (g.is_contiguous() && (g.dtype() == DType::Float32 || g.dtype() == DType::Float64)) {
      by_dtype[g.dtype() == DType::Float64].push_back(g);
    } else if (g.numel() > 0) {
      const Tensor bad = logical_not(all(isfinite(g))).to(DType::Float32).reshape(found_inf.sizes());
      Tensor(found_inf).copy_(maximum(found_inf, bad));
      g.mul_(inv_scale.reshape({}));
    }
  }
  for (std::vector<Tensor>& group : by_dtype) {
    if (group.empty()) continue;
    group.push_back(found_inf);
    group.push_back(inv_scale);
    dispatch(fused, std::span<Tensor>(group), {});
  }
  for (const Tensor& g : grads) g.bump_version();
  found_inf.bump_version();
}

}  // namespace lt
