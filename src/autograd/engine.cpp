// The backward pass: nodes run in reverse order of recording once every gradient they
// wait for has arrived (dependency counting), from a priority queue rather than by
// recursion, so that a chain of any length runs in constant stack. Each call runs on its
// own thread's stack and state, so independent graphs go backward concurrently.
#include "libtensor/autograd/engine.h"

#include <queue>
#include <unordered_map>

#include "libtensor/autocast.h"
#include "libtensor/autograd/grad_mode.h"
#include "libtensor/autograd/meta.h"
#include "libtensor/autograd/record.h"
#include "libtensor/error.h"
#include "libtensor/ops.h"
#include "view_history.h"

namespace lt::autograd {
namespace {

// Hands the gradients of the outputs to the graph.
class GraphRoot final : public Node {
 public:
  GraphRoot(std::vector<Edge> edges, TensorList grads) : Node(std::move(edges)), grads_(std::move(grads)) {}
  std::string name() const override { return "GraphRoot"; }
  TensorList apply(TensorList&&) override { return grads_; }

 private:
  TensorList grads_;
};

// What the task knows about one node, in one table: a small graph costs a few
// allocations, not a few per node and per table.
struct NodeState {
  int dependencies = 0;  // gradients still to arrive
  bool seen = false;     // reached by the walk
  bool needed = false;   // autograd::grad: leads to a requested input
  TensorList buffer;     // gradients arrived so far, one slot per output of the node
  std::vector<std::pair<uint32_t, size_t>> captures;  // autograd::grad: slot -> result index
};

struct GraphTask {
  bool keep_graph = false;
  bool filtered = false;  // autograd::grad: run only what leads to an input
  std::unordered_map<const Node*, NodeState> nodes;
  TensorList captured;
  std::vector<std::shared_ptr<Node>> keep_alive;  // accumulators of requested leaves

  bool needs(const Node* n) const {
    if (!filtered) return true;
    auto it = nodes.find(n);
    return it != nodes.end() && it->second.needed;
  }
};

thread_local GraphTask* current_task = nullptr;

struct LaterFirst {
  bool operator()(const Node* a, const Node* b) const { return a->sequence_nr() < b->sequence_nr(); }
};

// The nodes reachable from `root`, each after every node that leads to it; each gets
// its entry in the task's table.
std::vector<Node*> reverse_topological(GraphTask& task, Node* root) {
  std::vector<Node*> post_order;
  std::vector<std::pair<Node*, size_t>> stack{{root, 0}};
  task.nodes[root].seen = true;
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    const auto& edges = node->next_edges();
    if (next < edges.size()) {
      Node* child = edges[next++].fn.get();
      if (!child) continue;
      if (NodeState& st = task.nodes[child]; !st.seen) {
        st.seen = true;
        stack.emplace_back(child, 0);
      }
      continue;
    }
    post_order.push_back(node);
    stack.pop_back();
  }
  return post_order;  // children before parents
}

void accumulate(TensorList& buffer, uint32_t slot, Tensor&& g) {
  if (buffer.size() <= slot) buffer.resize(slot + 1);
  Tensor& b = buffer[slot];
  b = b.defined() ? add(b, g) : std::move(g);
}

void execute(GraphTask& task, const std::shared_ptr<GraphRoot>& root, bool create_graph) {
  std::vector<Node*> order = reverse_topological(task, root.get());
  if (task.filtered) {
    for (Node* n : order) {  // children first: a node is needed if it leads to a capture
      NodeState& st = task.nodes[n];
      st.needed = !st.captures.empty();
      for (const Edge& e : n->next_edges()) st.needed = st.needed || (e.fn && task.nodes[e.fn.get()].needed);
    }
  }
  for (Node* n : order) {
    if (!task.needs(n)) continue;
    for (const Edge& e : n->next_edges()) {
      if (e.fn && task.needs(e.fn.get())) ++task.nodes[e.fn.get()].dependencies;
    }
  }

  AutoGradMode mode(create_graph);
  // Gradients take the dtypes autocast gave the forward pass; nothing is cast again.
  autocast::Suspend no_autocast;
  GraphTask* outer = current_task;
  current_task = &task;
  struct Restore {
    GraphTask* outer;
    ~Restore() { current_task = outer; }
  } restore{outer};

  std::priority_queue<Node*, std::vector<Node*>, LaterFirst> ready;
  ready.push(root.get());
  while (!ready.empty()) {
    Node* node = ready.top();
    ready.pop();
    NodeState& state = task.nodes[node];
    TensorList grads = std::move(state.buffer);
    if (grads.size() < node->num_outputs()) grads.resize(node->num_outputs());
    node->run_pre_hooks(grads);

    if (!state.captures.empty()) {
      if (auto* accumulator = dynamic_cast<AccumulateGrad*>(node)) {
        grads[0] = accumulator->run_leaf_hooks(std::move(grads[0]));
      }
      for (auto [slot, index] : state.captures) {
        if (slot < grads.size()) task.captured[index] = grads[slot];
      }
    }
    if (task.filtered) {
      // autograd::grad returns gradients instead of accumulating them, and runs a node
      // only if it leads on to another requested input (accumulators lead nowhere).
      bool leads_on = false;
      for (const Edge& e : node->next_edges()) leads_on = leads_on || (e.fn && task.needs(e.fn.get()));
      if (!leads_on) continue;
    }

    bool any = node == root.get();  // the root makes its gradients; every other node needs one
    for (const Tensor& g : grads) any = any || g.defined();
    TensorList outputs = any ? node->apply(std::move(grads)) : TensorList();
    if (!task.keep_graph) node->release_saved();

    const auto& edges = node->next_edges();
    for (size_t i = 0; i < edges.size(); ++i) {
      const Edge& e = edges[i];
      if (!e.fn || !task.needs(e.fn.get())) continue;
      NodeState& next = task.nodes[e.fn.get()];
      if (i < outputs.size() && outputs[i].defined()) accumulate(next.buffer, e.input_nr, std::move(outputs[i]));
      if (--next.dependencies == 0) ready.push(e.fn.get());
    }
  }
}

// The root gradients: the given ones, checked, or ones for single-element outputs.
std::shared_ptr<GraphRoot> make_root(const char* op, const TensorList& outputs, const TensorList& grad_outputs) {
  LT_CHECK(grad_outputs.empty() || grad_outputs.size() == outputs.size(), ValueError, op, "got ", outputs.size(),
           " tensors but ", grad_outputs.size(), " gradients");
  std::vector<Edge> edges;
  TensorList grads;
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& out = outputs[i];
    LT_CHECK(out.defined(), ValueError, op, "tensor ", i, " is undefined");
    LT_CHECK(out.requires_grad(), ValueError, op, "element ", i,
             " of tensors does not require grad and does not have a grad_fn");
    Tensor g = grad_outputs.empty() ? Tensor() : grad_outputs[i];
    if (!g.defined()) {
      LT_CHECK(out.numel() == 1, ValueError, op, "grad can be implicitly created only for scalar outputs, got shape ",
               str(out.sizes()));
      g = ones_like(out);
    } else {
      LT_CHECK(g.sizes() == out.sizes(), ShapeError, op, "gradient of shape ", str(g.sizes()),
               " does not match output ", i, " of shape ", str(out.sizes()));
      LT_CHECK(is_floating(g.dtype()), DTypeError, op, "gradients must be floating point, got ", name(g.dtype()));
      LT_CHECK(g.device() == out.device(), DeviceError, op, "gradient on ", g.device().str(), " for output on ",
               out.device().str());
    }
    edges.push_back(gradient_edge(out));
    grads.push_back(std::move(g));
  }
  return std::make_shared<GraphRoot>(std::move(edges), std::move(grads));
}

}  // namespace

bool detail::should_compute(const Edge& edge) {
  if (!edge.fn) return false;
  return current_task == nullptr || current_task->needs(edge.fn.get());
}

void backward(const TensorList& tensors, const TensorList& grad_tensors, std::optional<bool> retain_graph,
              bool create_graph) {
  auto root = make_root("backward", tensors, grad_tensors);
  GraphTask task;
  task.keep_graph = retain_graph.value_or(create_graph);
  execute(task, root, create_graph);
}

TensorList grad(const TensorList& outputs, const TensorList& inputs, const TensorList& grad_outputs,
                std::optional<bool> retain_graph, bool create_graph, bool allow_unused) {
  auto root = make_root("grad", outputs, grad_outputs);
  GraphTask task;
  task.keep_graph = retain_graph.value_or(create_graph);
  task.filtered = true;
  task.captured.resize(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& t = inputs[i];
    LT_CHECK(t.defined() && t.requires_grad(), ValueError, "grad", "input ", i, " does not require grad");
    Edge e = t.is_leaf() ? Edge{grad_accumulator(t), 0} : gradient_edge(t);
    task.nodes[e.fn.get()].captures.emplace_back(e.input_nr, i);
    task.keep_alive.push_back(std::move(e.fn));
  }
  execute(task, root, create_graph);
  for (size_t i = 0; i < inputs.size(); ++i) {
    LT_CHECK(allow_unused || task.captured[i].defined(), ValueError, "grad", "input ", i,
             " appears to not have been used in the graph; pass allow_unused=true if this is intended");
  }
  return std::move(task.captured);
}

}  // namespace lt::autograd
