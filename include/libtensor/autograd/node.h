// The graph autograd records: each node computes the gradients of its inputs from the
// gradients of its outputs, and its edges lead to the nodes that produced those inputs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "libtensor/tensor.h"

namespace lt::autograd {

class Node;
using TensorList = std::vector<Tensor>;
// A tensor hook sees a gradient and may return a replacement (or an undefined tensor to
// keep it).
using Hook = std::function<Tensor(const Tensor& grad)>;
using PostAccumulateHook = std::function<void(const Tensor& leaf)>;

// Where a gradient goes: input `input_nr` of node `fn`.
struct Edge {
  std::shared_ptr<Node> fn;
  uint32_t input_nr = 0;
  bool valid() const { return fn != nullptr; }
};

class Node : public std::enable_shared_from_this<Node> {
 public:
  explicit Node(std::vector<Edge> next_edges = {});
  virtual ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // "MulBackward", "AccumulateGrad", ...
  virtual std::string name() const = 0;
  // The gradients of the inputs (one per next edge) from those of the outputs; an
  // undefined tensor means zero.
  virtual TensorList apply(TensorList&& grads) = 0;
  // Frees what was saved for backward, after a backward without retain_graph.
  virtual void release_saved() {}
  // How many outputs the node has: the engine hands apply one gradient for each.
  virtual size_t num_outputs() const { return 1; }

  const std::vector<Edge>& next_edges() const { return next_edges_; }
  // Nodes made later have larger numbers; the engine runs the latest ready node first.
  uint64_t sequence_nr() const { return sequence_nr_; }

  // Hooks on the gradient of output `output_nr`, run before apply.
  int add_pre_hook(uint32_t output_nr, Hook hook);
  bool remove_pre_hook(int id);
  void run_pre_hooks(TensorList& grads);

 protected:
  std::vector<Edge> next_edges_;

 private:
  struct PreHook {
    int id;
    uint32_t output_nr;
    Hook fn;
  };
  uint64_t sequence_nr_;
  std::vector<PreHook> pre_hooks_;
};

// The sink of a leaf that requires a gradient: adds what arrives into the leaf's grad.
class AccumulateGrad final : public Node {
 public:
  explicit AccumulateGrad(Tensor leaf);
  std::string name() const override { return "AccumulateGrad"; }
  TensorList apply(TensorList&& grads) override;
  // The leaf's own hooks, which see (and may replace) each gradient before it is added.
  Tensor run_leaf_hooks(Tensor grad);

 private:
  Tensor leaf_;
  std::mutex mutex_;  // leaves shared by graphs that run backward on several threads
};

// A new hook id, unique in the process.
int next_hook_id();

// What a tensor may keep as its .grad from an incoming gradient: the gradient itself
// when nothing else shares it, else a copy (with history under create_graph).
Tensor owned_gradient(const Tensor& g);

}  // namespace lt::autograd
