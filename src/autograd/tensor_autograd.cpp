// The autograd side of Tensor: requires_grad, grad, grad_fn, hooks, detach, backward.
#include "libtensor/autograd/engine.h"
#include "libtensor/autograd/meta.h"
#include "libtensor/autograd/record.h"
#include "libtensor/error.h"
#include "libtensor/ops.h"

namespace lt {

using autograd::AutogradMeta;

TensorImpl::TensorImpl() = default;
TensorImpl::~TensorImpl() = default;

namespace {

AutogradMeta* meta_of(const Tensor& t) { return t.impl()->autograd.get(); }

AutogradMeta& ensure_meta(const Tensor& t) {
  auto& m = t.impl()->autograd;
  if (!m) m = std::make_unique<AutogradMeta>();
  return *m;
}

// A view made in grad mode of a base that requires grad takes part in its history.
bool base_requires_grad(const TensorImpl& impl) {
  return impl.view_base && impl.grad_view && impl.view_base->autograd &&
         (impl.view_base->autograd->requires_grad || impl.view_base->autograd->grad_fn);
}

}  // namespace

bool Tensor::requires_grad() const {
  const TensorImpl& impl = checked();
  if (const AutogradMeta* m = impl.autograd.get(); m && (m->requires_grad || m->grad_fn)) return true;
  return base_requires_grad(impl);
}

const Tensor& Tensor::requires_grad_(bool enabled) const {
  if (!enabled) {
    LT_CHECK(is_leaf(), ValueError, "requires_grad_",
             "can only change requires_grad of leaf tensors; use detach() to get a tensor without history");
    if (AutogradMeta* m = meta_of(*this)) m->requires_grad = false;
    return *this;
  }
  LT_CHECK(is_floating_point(), DTypeError, "requires_grad_",
           "only tensors of floating-point dtype can require gradients, got ", name(dtype()));
  LT_CHECK(is_leaf(), ValueError, "requires_grad_", "only leaf tensors can be marked as requiring grad");
  ensure_meta(*this).requires_grad = true;
  return *this;
}

Tensor Tensor::grad() const {
  checked();
  const AutogradMeta* m = meta_of(*this);
  return m ? m->grad : Tensor();
}

void Tensor::set_grad(const Tensor& g) const {
  if (g.defined()) {
    LT_CHECK(g.sizes() == sizes(), ShapeError, "grad", "assigned gradient of shape ", lt::str(g.sizes()),
             " does not match the tensor's shape ", lt::str(sizes()));
    LT_CHECK(g.dtype() == dtype(), DTypeError, "grad", "assigned gradient of dtype ", name(g.dtype()),
             " does not match the tensor's dtype ", name(dtype()));
    LT_CHECK(g.device() == device(), DeviceError, "grad", "assigned gradient on ", g.device().str(),
             " does not match the tensor's device ", device().str());
  }
  if (!g.defined() && !meta_of(*this)) return;
  AutogradMeta& m = ensure_meta(*this);
  std::lock_guard lock(m.mutex);
  m.grad = g;
}

std::shared_ptr<autograd::Node> Tensor::grad_fn() const {
  if (!requires_grad() || is_leaf()) return nullptr;
  return autograd::gradient_edge(*this).fn;
}

uint32_t Tensor::output_nr() const {
  checked();
  const AutogradMeta* m = meta_of(*this);
  return m ? m->output_nr : 0;
}

bool Tensor::is_leaf() const {
  const TensorImpl& impl = checked();
  if (impl.autograd && impl.autograd->grad_fn) return false;
  return !base_requires_grad(impl);
}

void Tensor::retain_grad() const {
  LT_CHECK(requires_grad(), ValueError, "retain_grad", "can't retain the gradient of a tensor that does not require grad");
  if (is_leaf()) return;  // leaves keep theirs anyway
  AutogradMeta& m = ensure_meta(*this);
  if (m.retains_grad) return;
  m.retains_grad = true;
  // The hook holds the tensor weakly: retaining a gradient must not keep the tensor alive.
  std::weak_ptr<TensorImpl> weak = shared_impl();
  autograd::Edge edge = autograd::gradient_edge(*this);
  edge.fn->add_pre_hook(edge.input_nr, [weak](const Tensor& g) -> Tensor {
    if (auto impl = weak.lock()) {
      AutogradMeta& m = *impl->autograd;
      std::lock_guard lock(m.mutex);
      if (!m.retains_grad) return {};
      if (!m.grad.defined()) {
        m.grad = autograd::owned_gradient(g);
      } else {
        m.grad = autograd::is_grad_enabled() ? add(m.grad, g) : add(m.grad, g.detach());
      }
    }
    return {};
  });
}

bool Tensor::retains_grad() const {
  checked();
  const AutogradMeta* m = meta_of(*this);
  return m && m->retains_grad;
}

Tensor Tensor::detach() const {
  const TensorImpl& impl = checked();
  Tensor t = make_tensor(impl.storage, impl.dtype, impl.sizes, impl.strides, impl.offset);
  t.impl()->version = impl.version;
  return t;
}

const Tensor& Tensor::detach_() const {
  LT_CHECK(!is_view() || !requires_grad(), ValueError, "detach_",
           "can't detach a view in place: its base would still see it; use detach()");
  if (AutogradMeta* m = meta_of(*this)) {
    m->grad_fn = nullptr;
    m->output_nr = 0;
    m->requires_grad = false;
  }
  impl()->view_base = nullptr;
  return *this;
}

void Tensor::backward(const Tensor& gradient, std::optional<bool> retain_graph, bool create_graph) const {
  autograd::TensorList grads;
  if (gradient.defined()) grads.push_back(gradient);
  autograd::backward({*this}, grads, retain_graph, create_graph);
}

int Tensor::register_hook(std::function<Tensor(const Tensor&)> hook) const {
  LT_CHECK(requires_grad(), ValueError, "register_hook",
           "cannot register a hook on a tensor that doesn't require gradient");
  if (is_leaf()) {
    AutogradMeta& m = ensure_meta(*this);
    int id = autograd::next_hook_id();
    std::lock_guard lock(m.mutex);
    m.leaf_hooks.emplace_back(id, std::move(hook));
    return id;
  }
  autograd::Edge edge = autograd::gradient_edge(*this);
  return edge.fn->add_pre_hook(edge.input_nr, std::move(hook));
}

int Tensor::register_post_accumulate_grad_hook(std::function<void(const Tensor&)> hook) const {
  LT_CHECK(requires_grad() && is_leaf(), ValueError, "register_post_accumulate_grad_hook",
           "post accumulate grad hooks can only be registered on leaf tensors that require grad");
  AutogradMeta& m = ensure_meta(*this);
  int id = autograd::next_hook_id();
  std::lock_guard lock(m.mutex);
  m.post_accumulate_hooks.emplace_back(id, std::move(hook));
  return id;
}

void Tensor::remove_hook(int id) const {
  checked();
  if (AutogradMeta* m = meta_of(*this)) {
    std::lock_guard lock(m->mutex);
    std::erase_if(m->leaf_hooks, [id](const auto& h) { return h.first == id; });
    std::erase_if(m->post_accumulate_hooks, [id](const auto& h) { return h.first == id; });
  }
  if (requires_grad() && !is_leaf()) autograd::gradient_edge(*this).fn->remove_pre_hook(id);
}

}  // namespace lt
