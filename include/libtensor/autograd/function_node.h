// The node of an operator's derivative formula, and the tensors it saves for backward.
#pragma once

#include <algorithm>
#include <mutex>
#include <span>
#include <string_view>

#include "libtensor/autograd/node.h"

namespace lt::autograd {

// A tensor saved for backward. An output is saved without its history (the history is
// the node that saves it, and holding it would make a cycle); unpacking checks that no
// in-place write changed the tensor since it was saved.
class SavedVariable {
 public:
  SavedVariable() = default;
  SavedVariable(const Tensor& t, bool is_output, uint32_t output_nr = 0);
  // The saved tensor, with its history (or `owner`, the node that saved it, for an
  // output) when grad mode is on.
  Tensor unpack(const std::shared_ptr<Node>& owner) const;
  // Replaces the data by a private copy, when the tensor is about to be overwritten in
  // place by the very operation that saved it.
  void preserve(const VersionCounter* overwritten);
  bool defined() const { return data_.defined(); }

 private:
  Tensor data_;
  Edge edge_;  // the history of a saved input, as it was when saved
  uint64_t version_ = 0;
  uint32_t output_nr_ = 0;
  bool is_output_ = false;
  bool requires_grad_ = false;
  bool is_leaf_ = false;
};

// What a derivative formula sees.
struct Backward {
  std::span<const Tensor> grads;  // one per output; zeros where an output got none
  TensorList saved;               // the saved tensors, in the order they were given
  std::vector<bool> needs;        // whether input i wants a gradient
  const Tensor& grad() const { return grads[0]; }
};
// Returns one gradient per input (undefined for those not needed). Gradients of
// broadcast inputs may keep the broadcast shape: the node sums them back.
using Formula = std::function<TensorList(const Backward&)>;

struct TensorMeta {
  Shape sizes;
  DType dtype;
  Device device;
};

class FunctionNode : public Node {
 public:
  // `op` is a string literal; the node is called after it as in PyTorch ("mul" ->
  // "MulBackward0"; "squeeze.1", PyTorch's second overload, -> "SqueezeBackward1").
  FunctionNode(const char* op, std::vector<Edge> edges, std::vector<TensorMeta> inputs, Formula formula);
  std::string name() const override;
  TensorList apply(TensorList&& grads) override;
  void release_saved() override;
  size_t num_outputs() const override { return std::max<size_t>(outputs.size(), 1); }

  // Runs the formula for the inputs in `needs`, then fits each gradient to its input:
  // summed over broadcast dims and cast to the input's dtype.
  TensorList evaluate(TensorList grads, std::vector<bool> needs);

  std::vector<SavedVariable> saved;
  std::vector<TensorMeta> outputs;  // kept for nodes of several outputs, to fill in zeros
  bool custom = false;              // a custom Function: "<op>Backward", op verbatim

 private:
  const char* op_;
  std::vector<TensorMeta> inputs_;
  Formula formula_;
  bool released_ = false;
  std::mutex mutex_;  // graphs that share this node may run backward on several threads
};

}  // namespace lt::autograd
