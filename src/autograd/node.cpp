// Nodes: numbering, hooks, the iterative destruction of long graphs, and AccumulateGrad.
#include "libtensor/autograd/node.h"

#include <algorithm>
#include <atomic>

#include "libtensor/autograd/grad_mode.h"
#include "libtensor/autograd/meta.h"
#include "libtensor/ops.h"

namespace lt::autograd {
namespace {

thread_local uint64_t next_sequence_nr = 0;

// Nodes whose last owner died while another node was being destroyed: a graph of a
// million nodes is freed in a loop, not by a million nested destructor calls.
struct PendingDeletes {
  std::vector<std::shared_ptr<Node>> nodes;
  ~PendingDeletes();
};
thread_local bool deleting = false;
// Set once the list itself is gone (at thread exit): graphs that static tensors still
// hold are then freed by plain recursion.
thread_local bool pending_gone = false;
thread_local PendingDeletes pending_deletes;
PendingDeletes::~PendingDeletes() { pending_gone = true; }

}  // namespace

int next_hook_id() {
  static std::atomic<int> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

Node::Node(std::vector<Edge> next_edges) : next_edges_(std::move(next_edges)), sequence_nr_(next_sequence_nr++) {}

Node::~Node() {
  // A derived node's saved tensors are gone by now; the edges are the last owners of
  // the nodes before this one. Hand them to the loop below instead of freeing them here.
  if (pending_gone) return;
  for (Edge& e : next_edges_) {
    if (e.fn) pending_deletes.nodes.push_back(std::move(e.fn));
  }
  if (deleting) return;
  deleting = true;
  while (!pending_deletes.nodes.empty()) {
    std::shared_ptr<Node> n = std::move(pending_deletes.nodes.back());
    pending_deletes.nodes.pop_back();
    n.reset();
  }
  deleting = false;
}

int Node::add_pre_hook(uint32_t output_nr, Hook hook) {
  int id = next_hook_id();
  pre_hooks_.push_back({id, output_nr, std::move(hook)});
  return id;
}

bool Node::remove_pre_hook(int id) {
  return std::erase_if(pre_hooks_, [id](const PreHook& h) { return h.id == id; }) > 0;
}

void Node::run_pre_hooks(TensorList& grads) {
  if (pre_hooks_.empty()) return;
  // A copy: a hook may register or remove hooks on this node.
  const std::vector<PreHook> hooks = pre_hooks_;
  for (const PreHook& h : hooks) {
    if (h.output_nr >= grads.size()) continue;
    Tensor& g = grads[h.output_nr];
    if (!g.defined()) continue;
    if (Tensor replaced = h.fn(g); replaced.defined()) g = std::move(replaced);
  }
}

AccumulateGrad::AccumulateGrad(Tensor leaf) : leaf_(std::move(leaf)) {}

// A gradient a tensor may keep as its own .grad: the incoming one when nothing else
// shares it, else a copy (it may be the caller's gradient, or an expanded view). Under
// create_graph the copy keeps the history.
Tensor owned_gradient(const Tensor& g) {
  const bool exclusive = g.shared_impl().use_count() == 1 && g.storage().use_count() == 1 && g.is_contiguous() &&
                         !g.is_view() && g.storage_offset() == 0;
  if (is_grad_enabled()) return exclusive ? g : g.clone();
  return exclusive ? g.detach() : g.detach().clone();
}

Tensor AccumulateGrad::run_leaf_hooks(Tensor g) {
  if (!g.defined()) return g;
  AutogradMeta& m = *leaf_.impl()->autograd;
  std::vector<Hook> hooks;
  {
    std::lock_guard lock(m.mutex);
    for (const auto& [id, hook] : m.leaf_hooks) hooks.push_back(hook);
  }
  for (const Hook& hook : hooks) {
    if (Tensor replaced = hook(g); replaced.defined()) g = std::move(replaced);
  }
  return g;
}

TensorList AccumulateGrad::apply(TensorList&& grads) {
  Tensor g = run_leaf_hooks(std::move(grads[0]));
  if (!g.defined()) return {};
  if (g.dtype() != leaf_.dtype()) g = g.to(leaf_.dtype());
  AutogradMeta& m = *leaf_.impl()->autograd;
  std::vector<PostAccumulateHook> post;
  {
    std::lock_guard lock(m.mutex);
    if (!m.grad.defined()) {
      m.grad = owned_gradient(g);
    } else if (is_grad_enabled()) {
      // create_graph: the sum keeps its history, for higher-order gradients.
      m.grad = add(m.grad, g);
    } else if (m.grad.requires_grad()) {
      m.grad = add(m.grad, g);
    } else {
      m.grad.add_(g);
    }
    for (const auto& [id, hook] : m.post_accumulate_hooks) post.push_back(hook);
  }
  for (const auto& hook : post) hook(leaf_);
  return {};
}

}  // namespace lt::autograd
