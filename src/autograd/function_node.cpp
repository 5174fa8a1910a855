// Saved tensors, formula nodes, and recording an operator into the graph.
#include "libtensor/autograd/function_node.h"

#include <cctype>

#include "libtensor/autograd/engine.h"
#include "libtensor/autograd/meta.h"
#include "libtensor/autograd/record.h"
#include "libtensor/error.h"
#include "libtensor/ops.h"
#include "view_history.h"

namespace lt::autograd {

// --- saved tensors -------------------------------------------------------------------

SavedVariable::SavedVariable(const Tensor& t, bool is_output, uint32_t output_nr)
    : version_(t.version()),
      output_nr_(output_nr),
      is_output_(is_output),
      // An output is saved before it gets its history (this node).
      requires_grad_(is_output ? is_floating(t.dtype()) : t.requires_grad()) {
  if (is_output) {
    data_ = t.detach();  // the history is the node that saves it
  } else {
    data_ = t;
    if (requires_grad_) {
      is_leaf_ = t.is_leaf();
      if (!is_leaf_) edge_ = gradient_edge(t);
    }
  }
}

void SavedVariable::preserve(const VersionCounter* overwritten) {
  if (!data_.defined() || data_.impl()->version.get() != overwritten) return;
  NoGradGuard no_grad;
  data_ = data_.detach().clone();
  version_ = data_.version();
  is_leaf_ = false;
}

Tensor SavedVariable::unpack(const std::shared_ptr<Node>& owner) const {
  if (!data_.defined()) return {};
  if (data_.version() != version_) {
    fail<AutogradError>("autograd",
                     "one of the variables needed for gradient computation has been modified by an inplace "
                     "operation: [", name(data_.dtype()), " ", str(data_.sizes()), "], saved by ", owner->name(),
                     ", is at version ", data_.version(), "; expected version ", version_, " instead");
  }
  if (!requires_grad_ || !is_grad_enabled()) return data_;
  if (is_leaf_) return data_;  // the leaf itself, so gradients reach it
  // Rebuild the tensor with the history it had when saved.
  Tensor t = data_.detach();
  auto& meta = t.impl()->autograd = std::make_unique<AutogradMeta>();
  if (is_output_) {
    meta->grad_fn = owner;
    meta->output_nr = output_nr_;
  } else {
    meta->grad_fn = edge_.fn;
    meta->output_nr = edge_.input_nr;
  }
  return t;
}

// --- formula nodes ---------------------------------------------------------------------

FunctionNode::FunctionNode(const char* op, std::vector<Edge> edges, std::vector<TensorMeta> inputs, Formula formula)
    : Node(std::move(edges)), op_(op), inputs_(std::move(inputs)), formula_(std::move(formula)) {}

std::string FunctionNode::name() const {
  if (custom) return std::string(op_) + "Backward";
  // PyTorch's names: "bitwise_and" -> "BitwiseAndBackward0", "log1p" -> "Log1PBackward0", and
  // an overload number after a dot, "squeeze.1" -> "SqueezeBackward1". A trailing "_"
  // (in-place) is dropped.
  std::string out;
  bool upper = true;
  const char* c = op_;
  for (; *c && *c != '.'; ++c) {
    if (*c == '_' || *c == ':') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(*c))) : *c;
    upper = std::isdigit(static_cast<unsigned char>(*c)) != 0;
  }
  return out + "Backward" + (*c == '.' ? c + 1 : "0");
}

TensorList FunctionNode::apply(TensorList&& grads) {
  std::vector<bool> needs(next_edges_.size());
  for (size_t i = 0; i < needs.size(); ++i) needs[i] = detail::should_compute(next_edges_[i]);
  return evaluate(std::move(grads), std::move(needs));
}

TensorList FunctionNode::evaluate(TensorList grads, std::vector<bool> needs) {
  std::lock_guard lock(mutex_);
  if (grads.size() < outputs.size()) grads.resize(outputs.size());
  bool any_grad = false;
  for (const Tensor& g : grads) any_grad |= g.defined();
  if (!any_grad) return TensorList(next_edges_.size());
  for (size_t i = 0; i < grads.size(); ++i) {
    if (!grads[i].defined() && i < outputs.size()) {
      grads[i] = zeros(outputs[i].sizes, outputs[i].dtype, outputs[i].device);
    }
  }
  LT_CHECK(!released_, AutogradError, "autograd",
           "trying to backward through the graph a second time (or to access saved tensors after they have "
           "been freed): the saved values of ", name(),
           " were freed by the first backward; pass retain_graph=true to the first backward or grad call");
  Backward b{grads, {}, std::move(needs)};
  b.saved.reserve(saved.size());
  if (!saved.empty()) {
    auto self = shared_from_this();
    for (const SavedVariable& s : saved) b.saved.push_back(s.unpack(self));
  }
  TensorList result = formula_(b);
  LT_CHECK(result.size() == inputs_.size(), ValueError, "autograd", name(), " returned ", result.size(),
           " gradients for ", inputs_.size(), " inputs");
  for (size_t i = 0; i < result.size(); ++i) {
    Tensor& g = result[i];
    if (!b.needs[i] || !g.defined()) {
      g = Tensor();
      continue;
    }
    const TensorMeta& in = inputs_[i];
    if (g.sizes() != in.sizes) {
      Shape common = broadcast_shapes(in.sizes, g.sizes(), name());
      LT_CHECK(common == g.sizes(), ShapeError, "autograd", name(), " returned a gradient of shape ",
               str(g.sizes()), " for input ", i, " of shape ", str(in.sizes));
      g = sum_to(g, in.sizes);
    }
    if (g.dtype() != in.dtype) g = g.to(in.dtype);
    if (g.device() != in.device) g = g.to(in.device);  // a copy across devices
  }
  return result;
}

void FunctionNode::release_saved() {
  std::lock_guard lock(mutex_);
  if (saved.empty()) return;
  saved.clear();
  saved.shrink_to_fit();
  released_ = true;
}

// --- recording ---------------------------------------------------------------------------

std::shared_ptr<FunctionNode> record_node(const char* op, std::span<const Tensor> inputs,
                                          std::span<const Tensor> outputs, std::span<const Tensor> saved,
                                          Formula formula, const std::vector<bool>* differentiable) {
  std::vector<Edge> edges;
  std::vector<TensorMeta> metas;
  edges.reserve(inputs.size());
  metas.reserve(inputs.size());
  for (const Tensor& t : inputs) {
    edges.push_back(gradient_edge(t));
    metas.push_back({t.sizes(), t.dtype(), t.device()});
  }
  auto node = std::make_shared<FunctionNode>(op, std::move(edges), std::move(metas), std::move(formula));

  node->saved.reserve(saved.size());
  for (const Tensor& s : saved) {
    if (!s.defined()) {
      node->saved.emplace_back();
      continue;
    }
    uint32_t nr = 0;
    bool is_output = false;
    for (const Tensor& o : outputs) {
      if (o.is_same(s)) {
        is_output = true;
        break;
      }
      ++nr;
    }
    node->saved.emplace_back(s, is_output, nr);
  }

  const bool several = outputs.size() > 1;
  if (several) node->outputs.reserve(outputs.size());
  for (uint32_t nr = 0; nr < outputs.size(); ++nr) {
    const Tensor& o = outputs[nr];
    if (several) node->outputs.push_back({o.sizes(), o.dtype(), o.device()});
    const bool wanted = !differentiable || (*differentiable)[nr];
    if (wanted && o.defined() && is_floating(o.dtype())) set_history(o, node, nr);
  }
  return node;
}

std::shared_ptr<FunctionNode> record(const char* op, std::initializer_list<Tensor> inputs,
                                     std::initializer_list<Tensor> outputs, std::initializer_list<Tensor> saved,
                                     Formula formula) {
  if (!is_recording()) return nullptr;
  bool any = false;
  for (const Tensor& t : inputs) any = any || t.requires_grad();
  if (!any) return nullptr;
  return record_node(op, {inputs.begin(), inputs.size()}, {outputs.begin(), outputs.size()},
                     {saved.begin(), saved.size()}, std::move(formula), nullptr);
}

std::shared_ptr<FunctionNode> record(const char* op, std::span<const Tensor> inputs, std::span<const Tensor> outputs,
                                     std::span<const Tensor> saved, Formula formula) {
  if (!is_recording()) return nullptr;
  bool any = false;
  for (const Tensor& t : inputs) any = any || t.requires_grad();
  if (!any) return nullptr;
  return record_node(op, inputs, outputs, saved, std::move(formula), nullptr);
}

Tensor sum_to(const Tensor& grad, IntList shape) {
  if (grad.sizes() == Shape(shape.begin(), shape.end())) return grad;
  const int64_t lead = grad.dim() - static_cast<int64_t>(shape.size());
  Shape dims;
  for (int64_t d = 0; d < grad.dim(); ++d) {
    if (d < lead || (shape[d - lead] == 1 && grad.size(d) != 1)) dims.push_back(d);
  }
  Tensor r = dims.empty() ? grad : sum(grad, dims, true);
  return r.reshape(shape);
}

}  // namespace lt::autograd
