// Custom functions: a user's forward, recorded as one node whose formula is the user's
// backward.
#include "libtensor/autograd/function.h"

#include "libtensor/autograd/record.h"
#include "libtensor/error.h"
#include "view_history.h"

namespace lt::autograd {

TensorList AutogradContext::get_saved_variables() const {
  return saved_;
}

void AutogradContext::mark_non_differentiable(const TensorList& outputs) {
  non_differentiable_.insert(non_differentiable_.end(), outputs.begin(), outputs.end());
}

TensorList apply_function(const char* name, const std::shared_ptr<AutogradContext>& ctx, const TensorList& inputs,
                          const std::function<TensorList()>& forward,
                          std::function<TensorList(AutogradContext&, TensorList)> backward) {
  bool any = false;
  ctx->needs_input_grad_.clear();
  for (const Tensor& t : inputs) {
    ctx->needs_input_grad_.push_back(is_recording() && t.requires_grad());
    any = any || ctx->needs_input_grad_.back();
  }
  TensorList outputs;
  {
    NoGradGuard no_grad;
    outputs = forward();
  }
  if (!any) {
    ctx->to_save_.clear();
    ctx->non_differentiable_.clear();
    return outputs;
  }
  std::vector<bool> differentiable(outputs.size(), true);
  for (size_t k = 0; k < outputs.size(); ++k) {
    for (size_t i = 0; i < inputs.size(); ++i) {
      LT_CHECK(!outputs[k].is_same(inputs[i]), AutogradError, name, "forward returned input ", i,
               " itself as output ", k, "; return a new tensor (x.clone()) instead");
    }
    for (const Tensor& n : ctx->non_differentiable_) differentiable[k] = differentiable[k] && !n.is_same(outputs[k]);
  }
  // The formula owns the context; the context must not own the outputs, or the graph
  // would own itself.
  TensorList to_save = std::move(ctx->to_save_);
  ctx->to_save_.clear();
  ctx->non_differentiable_.clear();
  Formula formula = [ctx, backward = std::move(backward)](const Backward& b) {
    ctx->saved_ = b.saved;
    TensorList grads(b.grads.begin(), b.grads.end());
    TensorList result = backward(*ctx, std::move(grads));
    ctx->saved_.clear();
    return result;
  };
  record_node(name, inputs, outputs, to_save, std::move(formula), &differentiable)->custom = true;
  return outputs;
}

}  // namespace lt::autograd
