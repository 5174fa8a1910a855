// The tensor: a strided view of a storage. Copies of a Tensor share one TensorImpl;
// views share the storage and the version counter.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "libtensor/device.h"
#include "libtensor/dtype.h"
#include "libtensor/scalar.h"
#include "libtensor/shape.h"
#include "libtensor/storage.h"

namespace lt {

namespace autograd {
struct AutogradMeta;
class Node;
}  // namespace autograd

// Counts in-place writes to a storage through any of its views, so that autograd can
// detect a saved tensor that was modified.
struct VersionCounter {
  std::atomic<uint64_t> version{0};
};

struct TensorImpl {
  Storage storage;
  Shape sizes;
  Shape strides;  // in elements
  int64_t offset = 0;  // in elements
  DType dtype = DType::Float32;
  std::shared_ptr<VersionCounter> version = std::make_shared<VersionCounter>();
  // The tensor this one is a view of (never itself a view), so that in-place writes
  // through the view reach the base's gradient; grad_view says it was made in grad mode.
  std::shared_ptr<TensorImpl> view_base;
  bool grad_view = false;
  std::unique_ptr<autograd::AutogradMeta> autograd;  // null until autograd needs it

  TensorImpl();
  ~TensorImpl();
};

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  bool defined() const { return impl_ != nullptr; }
  TensorImpl* impl() const { return impl_.get(); }
  const std::shared_ptr<TensorImpl>& shared_impl() const { return impl_; }
  // True when both handles refer to the same tensor object (not merely equal values).
  bool is_same(const Tensor& o) const { return impl_ == o.impl_; }

  // --- metadata -------------------------------------------------------------------
  // Each accessor checks the handle: an undefined tensor is a ValueError, not a crash.
  const Shape& sizes() const { return checked().sizes; }
  const Shape& shape() const { return checked().sizes; }
  const Shape& strides() const { return checked().strides; }
  int64_t size(int64_t dim) const;
  int64_t stride(int64_t dim) const;
  int64_t dim() const { return static_cast<int64_t>(checked().sizes.size()); }
  int64_t numel() const;
  DType dtype() const { return checked().dtype; }
  Device device() const { return checked().storage->device(); }
  int64_t itemsize() const { return lt::itemsize(dtype()); }
  int64_t nbytes() const { return numel() * itemsize(); }
  int64_t storage_offset() const { return checked().offset; }
  const Storage& storage() const { return checked().storage; }
  bool is_contiguous() const;
  bool is_floating_point() const { return is_floating(dtype()); }

  void* data() const;
  template <class T>
  T* data_ptr() const { return static_cast<T*>(data()); }

  uint64_t version() const { return checked().version->version.load(std::memory_order_relaxed); }
  void bump_version() const { checked().version->version.fetch_add(1, std::memory_order_relaxed); }

  // The single value of a one-element tensor.
  Scalar item() const;
  template <class T>
  T item() const { return item().to<T>(); }

  std::string str() const;  // "tensor([1., 2.], dtype=float64)"-like summary for messages

  // --- autograd -------------------------------------------------------------------
  bool requires_grad() const;
  // Marks a leaf as needing its gradient; only floating-point tensors can.
  const Tensor& requires_grad_(bool enabled = true) const;
  const Tensor& set_requires_grad(bool enabled) const { return requires_grad_(enabled); }
  // The accumulated gradient of a leaf (or of a tensor that retains its gradient).
  Tensor grad() const;
  void set_grad(const Tensor& grad) const;
  std::shared_ptr<autograd::Node> grad_fn() const;
  uint32_t output_nr() const;
  bool is_leaf() const;
  void retain_grad() const;
  bool retains_grad() const;
  // The same data without history (shares storage and version counter).
  Tensor detach() const;
  const Tensor& detach_() const;
  // Gradients of this tensor with respect to the leaves, accumulated into their grad.
  // retain_graph defaults to create_graph.
  void backward(const Tensor& gradient = {}, std::optional<bool> retain_graph = {}, bool create_graph = false) const;
  // A hook on this tensor's gradient; it may return a replacement. Returns its id.
  int register_hook(std::function<Tensor(const Tensor&)> hook) const;
  // A hook run after a leaf's grad was accumulated.
  int register_post_accumulate_grad_hook(std::function<void(const Tensor&)> hook) const;
  void remove_hook(int id) const;
  // A view's base (an undefined tensor when this is no view).
  bool is_view() const { return checked().view_base != nullptr; }
  Tensor base() const { return Tensor(checked().view_base); }

  // --- views (share storage and version counter) -----------------------------------
  Tensor view(IntList shape) const;
  Tensor reshape(IntList shape) const;  // a view when the strides allow, else a copy
  Tensor permute(IntList dims) const;
  Tensor transpose(int64_t d0, int64_t d1) const;
  Tensor t() const;  // transpose of a matrix (or the tensor itself below 2-D)
  Tensor expand(IntList shape) const;
  Tensor expand_as(const Tensor& other) const { return expand(other.sizes()); }
  // Python's x[..., start:end:step, ...] along `dim`; a negative step makes a flipped copy.
  Tensor slice(int64_t dim, int64_t start, int64_t end, int64_t step = 1) const;
  Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
  Tensor select(int64_t dim, int64_t index) const;
  Tensor squeeze() const;
  Tensor squeeze(int64_t dim) const;
  Tensor unsqueeze(int64_t dim) const;
  Tensor diagonal(int64_t offset = 0, int64_t dim1 = 0, int64_t dim2 = 1) const;
  Tensor as_strided(IntList size, IntList stride, std::optional<int64_t> storage_offset = std::nullopt) const;
  Tensor unfold(int64_t dim, int64_t size, int64_t step) const;
  Tensor flatten() const { return reshape({-1}); }

  // --- copies --------------------------------------------------------------------
  Tensor contiguous() const;
  Tensor clone() const;
  Tensor to(DType dtype) const;  // this tensor itself when the dtype already matches
  // A copy on `device` (this tensor itself when already there); with non_blocking, a
  // copy between pinned host memory and a device may return before it completes.
  Tensor to(Device device, bool non_blocking = false) const;
  Tensor& copy_(const Tensor& src);  // any dtype to any dtype, broadcasting src
  Tensor& fill_(const Scalar& value);
  Tensor& zero_();

  // --- in-place arithmetic ---------------------------------------------------------
  Tensor& add_(const Tensor& other, const Scalar& alpha = 1);
  Tensor& add_(const Scalar& other);
  Tensor& sub_(const Tensor& other, const Scalar& alpha = 1);
  Tensor& mul_(const Tensor& other);
  Tensor& mul_(const Scalar& other);
  Tensor& div_(const Tensor& other);
  Tensor& clamp_(const Scalar& min, const Scalar& max);

 private:
  const TensorImpl& checked() const {
    if (!impl_) [[unlikely]] throw_undefined();
    return *impl_;
  }
  [[noreturn]] static void throw_undefined();

  std::shared_ptr<TensorImpl> impl_;
};

// A tensor of `shape` viewing `storage` with the given strides (in elements).
Tensor make_tensor(Storage storage, DType dtype, Shape shape, Shape strides, int64_t offset = 0);

}  // namespace lt
