// Tensor metadata, element access and formatting. Views live in views.cpp; the
// operators behind the copying methods live in ops/.
#include "libtensor/tensor.h"

#include "libtensor/device_runtime.h"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "libtensor/autograd/record.h"
#include "libtensor/error.h"
#include "libtensor/ops.h"

namespace lt {

inline constexpr int64_t kMaxDims = 64;

Tensor make_tensor(Storage storage, DType dtype, Shape shape, Shape strides, int64_t offset) {
  LT_CHECK(static_cast<int64_t>(shape.size()) <= kMaxDims, ShapeError, "tensor", "shape ", lt::str(shape),
           " has more than ", kMaxDims, " dimensions");
  auto impl = std::make_shared<TensorImpl>();
  impl->storage = std::move(storage);
  impl->sizes = std::move(shape);
  impl->strides = std::move(strides);
  impl->offset = offset;
  impl->dtype = dtype;
  return Tensor(std::move(impl));
}

void Tensor::throw_undefined() { fail<ValueError>("tensor", "the tensor is undefined"); }

int64_t Tensor::size(int64_t d) const { return sizes()[wrap_dim(d, dim(), "size")]; }
int64_t Tensor::stride(int64_t d) const { return strides()[wrap_dim(d, dim(), "stride")]; }

int64_t Tensor::numel() const {
  int64_t n = 1;
  for (int64_t s : sizes()) n *= s;  // checked when the shape was made
  return n;
}

void* Tensor::data() const {
  return static_cast<char*>(storage()->data()) + impl_->offset * itemsize();
}

bool Tensor::is_contiguous() const {
  int64_t expected = 1;
  for (int64_t d = dim() - 1; d >= 0; --d) {
    if (impl_->sizes[d] == 0) return true;
    if (impl_->sizes[d] != 1 && impl_->strides[d] != expected) return false;
    expected *= impl_->sizes[d];
  }
  return true;
}

Scalar Tensor::item() const {
  LT_CHECK(numel() == 1, ValueError, "item", "a tensor with ", numel(), " elements (shape ", lt::str(sizes()),
           ") cannot be converted to a scalar");
  Tensor host = device().type == DeviceType::CPU ? *this : empty({}, dtype()).copy_(reshape({}));
  return visit_dtype(dtype(), [&](auto tag) -> Scalar {
    using T = decltype(tag);
    T v;
    std::memcpy(&v, host.data(), sizeof(T));
    return Scalar(v);
  });
}

namespace {

void format_values(std::ostringstream& s, const Tensor& t, int64_t d, std::vector<int64_t>& idx) {
  if (d == t.dim()) {
    int64_t off = 0;
    for (int64_t i = 0; i < t.dim(); ++i) off += idx[i] * t.stride(i);
    visit_dtype(t.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T v;
      std::memcpy(&v, static_cast<const char*>(t.data()) + off * t.itemsize(), sizeof(T));
      s << Scalar(v).str();
    });
    return;
  }
  s << "[";
  const int64_t n = t.size(d), edge = 3;
  for (int64_t i = 0; i < n; ++i) {
    if (n > 2 * edge && i == edge) {
      s << "..., ";
      i = n - edge;
    }
    idx[d] = i;
    format_values(s, t, d + 1, idx);
    if (i + 1 < n) s << ", ";
  }
  s << "]";
}

}  // namespace

std::string Tensor::str() const {
  if (!defined()) return "tensor(undefined)";
  std::ostringstream s;
  s << "tensor(";
  Tensor host = device().type == DeviceType::CPU ? *this : empty(sizes(), dtype()).copy_(*this);
  std::vector<int64_t> idx(dim());
  format_values(s, host, 0, idx);
  s << ", shape=" << lt::str(sizes()) << ", dtype=" << name(dtype());
  if (device() != kCPU) s << ", device=" << device().str();
  s << ")";
  return s.str();
}

namespace {

// Whether the elements fill a block of memory exactly once, in some order of the dims.
bool non_overlapping_and_dense(const Tensor& t) {
  std::vector<int64_t> order;
  for (int64_t d = 0; d < t.dim(); ++d) {
    if (t.size(d) != 1) order.push_back(d);
  }
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return t.stride(a) < t.stride(b); });
  int64_t expected = 1;
  for (int64_t d : order) {
    if (t.stride(d) != expected) return false;
    expected *= t.size(d);
  }
  return true;
}

// A copy of `t` as `dtype`, recorded as `op`. PyTorch's preserve_format keeps a dense
// input's strides (a transpose stays a transpose); anything else becomes row-major.
Tensor copied(const char* op, const Tensor& t, DType dtype, bool preserve) {
  Tensor out = empty(t.sizes(), dtype, t.device());
  if (preserve && !t.is_contiguous() && non_overlapping_and_dense(t)) {
    out = make_tensor(out.storage(), dtype, t.sizes(), t.strides(), 0);
  }
  {
    autograd::NoGradGuard no_grad;
    out.copy_(t);
  }
  // The node casts the gradient back to the input's dtype.
  if (autograd::any_requires_grad(t)) {
    autograd::record(op, {t}, {out}, {}, [](const autograd::Backward& d) { return autograd::TensorList{d.grad()}; });
  }
  return out;
}

}  // namespace

Tensor Tensor::contiguous() const { return is_contiguous() ? *this : copied("clone", *this, dtype(), false); }

Tensor Tensor::clone() const { return copied("clone", *this, dtype(), true); }

Tensor Tensor::to(DType t) const { return t == dtype() ? *this : copied("_to_copy", *this, t, true); }

Tensor Tensor::to(Device device, bool non_blocking) const {
  if (device == this->device()) return *this;
  check_device_exists(device, "to");
  Tensor out = empty(sizes(), dtype(), device);
  {
    autograd::NoGradGuard no_grad;
    lt::copy_(out, *this, non_blocking);
  }
  // The node moves the gradient back to this tensor's device.
  if (autograd::any_requires_grad(*this)) {
    autograd::record("_to_copy", {*this}, {out}, {}, [](const autograd::Backward& d) { return autograd::TensorList{d.grad()}; });
  }
  return out;
}

Tensor& Tensor::copy_(const Tensor& src) { return lt::copy_(*this, src); }
Tensor& Tensor::fill_(const Scalar& value) { return lt::fill_(*this, value); }
Tensor& Tensor::zero_() { return lt::zero_(*this); }

}  // namespace lt
