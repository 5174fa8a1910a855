// Histories of tensors: edges, views whose base was written in place, and in-place
// operators. An in-place write through a view rewrites the base's history with a
// CopySlices node, and the view's own history is rebuilt from the base when next used.
#include <algorithm>
#include <mutex>
#include <numeric>

#include "libtensor/autograd/engine.h"
#include "libtensor/autograd/meta.h"
#include "libtensor/autograd/record.h"
#include "libtensor/error.h"
#include "libtensor/ops.h"
#include "view_history.h"

namespace lt::autograd {
namespace {

AutogradMeta& ensure_meta(const Tensor& t) {
  auto& m = t.impl()->autograd;
  if (!m) m = std::make_unique<AutogradMeta>();
  return *m;
}

Tensor base_of(const Tensor& view) { return Tensor(view.impl()->view_base); }

int64_t storage_numel(const Tensor& t) { return static_cast<int64_t>(t.storage()->nbytes()) / t.itemsize(); }

// The history of a view, rebuilt from its base: the gradient of the view is placed where
// the view lies in the base.
Edge view_edge_from_base(const Tensor& view) {
  // Threads that share a view (tied weights) may both find its history stale.
  static std::mutex rebuilding;
  std::lock_guard lock(rebuilding);
  if (const AutogradMeta* m = view.impl()->autograd.get(); m && m->grad_fn && m->view_version == view.version()) {
    return {m->grad_fn, m->output_nr};
  }
  Tensor base = base_of(view);
  Geometry from = Geometry::of(view), to = Geometry::of(base);
  const int64_t n = storage_numel(base);
  auto node = std::make_shared<FunctionNode>(
      "as_strided", std::vector<Edge>{gradient_edge(base)},
      std::vector<TensorMeta>{{base.sizes(), base.dtype(), base.device()}},
      [from, to, n](const Backward& b) { return TensorList{restride(b.grad(), from, to, n)}; });
  AutogradMeta& m = ensure_meta(view);
  m.grad_fn = node;
  m.output_nr = 0;
  m.view_version = view.version();
  return {node, 0};
}

// The dims of `g` that make its elements overlap: without them, the rest is a
// geometry in which each element has its own place.
std::vector<size_t> overlapping_dims(const Geometry& g) {
  std::vector<size_t> order, looped;
  for (size_t d = 0; d < g.sizes.size(); ++d) {
    if (g.sizes[d] == 0) return {};
    if (g.sizes[d] > 1) order.push_back(d);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return g.strides[a] < g.strides[b]; });
  int64_t reach = 0;  // the furthest offset the kept dims reach
  for (size_t d : order) {
    if (g.strides[d] <= reach) {
      looped.push_back(d);
    } else {
      reach += (g.sizes[d] - 1) * g.strides[d];
    }
  }
  return looped;
}

// The node CopySlices runs for the written region when an in-place write has no
// history of its own (the written values depend on nothing that needs a gradient).
std::shared_ptr<FunctionNode> constant_write(const char* op, const Tensor& self) {
  return std::make_shared<FunctionNode>(op, std::vector<Edge>{gradient_edge(self)},
                                        std::vector<TensorMeta>{{self.sizes(), self.dtype(), self.device()}},
                                        [](const Backward& b) { return TensorList{zeros_like(b.grad())}; });
}

// The history of a base after an in-place write through one of its views: the gradient
// outside the view goes to the base's previous history; inside, through `fn`, the
// node of the write, whose first input is the view's previous value.
class CopySlices final : public Node {
 public:
  CopySlices(const Tensor& base, const Tensor& view, std::shared_ptr<FunctionNode> fn)
      : base_(Geometry::of(base)), view_(Geometry::of(view)), numel_(storage_numel(base)), fn_(std::move(fn)) {
    next_edges_.push_back(gradient_edge(base));
    for (size_t i = 1; i < fn_->next_edges().size(); ++i) next_edges_.push_back(fn_->next_edges()[i]);
  }
  std::string name() const override { return "CopySlices"; }

  TensorList apply(TensorList&& grads) override {
    const Tensor& g = grads[0];
    TensorList out(next_edges_.size());
    if (!g.defined()) return out;
    std::vector<bool> needs(fn_->next_edges().size());
    needs[0] = true;
    for (size_t i = 1; i < needs.size(); ++i) needs[i] = detail::should_compute(next_edges_[i]);
    TensorList region = fn_->evaluate({restride(g, base_, view_, numel_)}, needs);
    if (detail::should_compute(next_edges_[0])) {
      Tensor inside = restride(ones(view_.sizes, DType::Bool, g.device()), view_, base_, numel_);
      out[0] = where(inside, Scalar(0), g);
      if (region[0].defined()) out[0] = add(out[0], restride(region[0], view_, base_, numel_));
    }
    for (size_t i = 1; i < region.size(); ++i) out[i] = std::move(region[i]);
    return out;
  }
  void release_saved() override { fn_->release_saved(); }

 private:
  Geometry base_, view_;
  int64_t numel_;
  std::shared_ptr<FunctionNode> fn_;
};

}  // namespace

Geometry Geometry::contiguous(IntList sizes) {
  return {Shape(sizes.begin(), sizes.end()), contiguous_strides(sizes), 0};
}

void set_history(const Tensor& t, std::shared_ptr<Node> node, uint32_t nr) {
  AutogradMeta& m = ensure_meta(t);
  m.grad_fn = std::move(node);
  m.output_nr = nr;
  if (t.impl()->view_base) m.view_version = t.version();
}

std::shared_ptr<Node> grad_accumulator(const Tensor& leaf) {
  AutogradMeta& m = *leaf.impl()->autograd;
  std::lock_guard lock(m.mutex);
  if (auto acc = m.grad_accumulator.lock()) return acc;
  auto acc = std::make_shared<AccumulateGrad>(leaf);
  m.grad_accumulator = acc;
  return acc;
}

Edge gradient_edge(const Tensor& t) {
  const TensorImpl& impl = *t.impl();
  const AutogradMeta* m = impl.autograd.get();
  const bool view = impl.view_base && impl.grad_view;
  if (m && m->grad_fn) {
    if (view && m->view_version != t.version()) return view_edge_from_base(t);
    return {m->grad_fn, m->output_nr};
  }
  if (m && m->requires_grad) return {grad_accumulator(t), 0};
  if (view && t.requires_grad()) return view_edge_from_base(t);
  return {};
}

void check_inplace(const char* op, const Tensor& self) {
  if (!is_recording()) return;
  const TensorImpl& impl = *self.impl();
  auto leaf_requiring_grad = [](const TensorImpl& i) {
    return i.autograd && i.autograd->requires_grad && !i.autograd->grad_fn;
  };
  LT_CHECK(!leaf_requiring_grad(impl), AutogradError, op,
           "a leaf tensor that requires grad is being used in an in-place operation; "
           "modify it under a NoGradGuard (torch.no_grad() in Python) or work on a clone");
  if (!impl.view_base) return;
  LT_CHECK(!leaf_requiring_grad(*impl.view_base), AutogradError, op,
           "a view of a leaf tensor that requires grad is being used in an in-place operation");
  const bool base_requires = impl.view_base->autograd &&
                             (impl.view_base->autograd->requires_grad || impl.view_base->autograd->grad_fn);
  LT_CHECK(impl.grad_view || !base_requires, AutogradError, op,
           "a view made in no-grad mode is being modified in place with grad mode on: its base would not see "
           "the change; make the view with grad mode on, or clone it");
}

void rebase_history(const Tensor& self, Edge edge) {
  if (!self.impl()->view_base) {
    set_history(self, edge.fn, edge.input_nr);
    return;
  }
  Tensor base = base_of(self);
  auto fn = std::dynamic_pointer_cast<FunctionNode>(edge.fn);
  LT_CHECK(fn, ValueError, "autograd", "an in-place write through a view needs a formula node, got ",
           edge.fn ? edge.fn->name() : "none");
  set_history(base, std::make_shared<CopySlices>(base, self, std::move(fn)), 0);
  self.impl()->grad_view = true;
  view_edge_from_base(self);
}

void assign_inplace(const Tensor& self, const Tensor& result) {
  // The write destroys self's old values: keep a copy where result's node saved them.
  if (auto fn = std::dynamic_pointer_cast<FunctionNode>(result.requires_grad() ? gradient_edge(result).fn : nullptr)) {
    for (SavedVariable& s : fn->saved) s.preserve(self.impl()->version.get());
  }
  {
    NoGradGuard no_grad;
    Tensor target = self;
    target.copy_(result);
  }
  if (!result.requires_grad()) {
    record_overwrite("copy_", self);
    return;
  }
  rebase_history(self, gradient_edge(result));
}

bool base_requires_grad(const Tensor& view) {
  const TensorImpl* base = view.impl()->view_base.get();
  return base && base->autograd && (base->autograd->requires_grad || base->autograd->grad_fn);
}

void record_overwrite(const char* op, const Tensor& self) {
  if (!is_recording() || (!self.requires_grad() && !base_requires_grad(self))) return;
  rebase_history(self, {constant_write(op, self), 0});
}

Tensor restride(const Tensor& src, const Geometry& from, const Geometry& to, int64_t numel) {
  if (std::vector<size_t> looped = overlapping_dims(from); !looped.empty()) {
    // Elements that share a place add up: write the overlapping dims one index at a
    // time, each write without overlap, and sum.
    Geometry rest{{}, {}, from.offset};
    for (size_t d = 0; d < from.sizes.size(); ++d) {
      if (std::find(looped.begin(), looped.end(), d) != looped.end()) continue;
      rest.sizes.push_back(from.sizes[d]);
      rest.strides.push_back(from.strides[d]);
    }
    Shape index(looped.size(), 0);
    Tensor total;
    while (true) {
      Geometry piece = rest;
      Tensor part = src;
      // Select from the last dim down, so that earlier dims keep their numbers.
      std::vector<int64_t> at(from.sizes.size(), -1);
      for (size_t i = 0; i < looped.size(); ++i) at[looped[i]] = index[i];
      for (size_t d = from.sizes.size(); d-- > 0;) {
        if (at[d] < 0) continue;
        part = part.select(static_cast<int64_t>(d), at[d]);
        piece.offset += at[d] * from.strides[d];
      }
      Tensor r = restride(part, piece, to, numel);
      total = total.defined() ? add(total, r) : r;
      size_t i = 0;
      for (; i < looped.size(); ++i) {
        if (++index[i] < from.sizes[looped[i]]) break;
        index[i] = 0;
      }
      if (i == looped.size()) return total;
    }
  }
  Tensor out;
  {
    NoGradGuard no_grad;
    Tensor buffer = zeros({numel}, src.dtype(), src.device());
    buffer.as_strided(from.sizes, from.strides, from.offset).copy_(src);
    out = buffer.as_strided(to.sizes, to.strides, to.offset).detach();
  }
  if (any_requires_grad(src)) {
    record("as_strided", {src}, {out}, {}, [from, to, numel](const Backward& b) {
      return TensorList{restride(b.grad(), to, from, numel)};
    });
  }
  return out;
}

}  // namespace lt::autograd
