// Views: new sizes, strides and offset over the same storage and version counter.
#include <algorithm>
#include <limits>
#include <numeric>
#include <optional>

#include "libtensor/autograd/record.h"
#include "libtensor/error.h"
#include "libtensor/ops.h"
#include "libtensor/tensor.h"
#include "ops/helpers.h"

// Each view records its derivative next to it: the gradient of the view, put back where
// the view's elements sit in its input.
namespace lt {
namespace {

using autograd::Backward;
using autograd::Geometry;
using autograd::TensorList;

Tensor alias(const Tensor& t, Shape sizes, Shape strides, int64_t offset) {
  Tensor v = make_tensor(t.storage(), t.dtype(), std::move(sizes), std::move(strides), offset);
  TensorImpl& impl = *v.impl();
  impl.version = t.impl()->version;
  impl.view_base = t.impl()->view_base ? t.impl()->view_base : t.shared_impl();
  impl.grad_view = autograd::is_recording() && (!t.impl()->view_base || t.impl()->grad_view);
  return v;
}

// Records a view whose gradient is `g` reshaped to the input's shape.
void record_reshaping(const char* op, const Tensor& x, const Tensor& v) {
  if (!autograd::any_requires_grad(x)) return;
  autograd::record(op, {x}, {v}, {},
                   [sizes = x.sizes()](const Backward& b) { return TensorList{b.grad().reshape(sizes)}; });
}

// Records a view whose elements lie at `where` in a contiguous layout of the input.
void record_embedding(const char* op, const Tensor& x, const Tensor& v, Geometry where) {
  if (!autograd::any_requires_grad(x)) return;
  autograd::record(op, {x}, {v}, {}, [where = std::move(where), sizes = x.sizes()](const Backward& b) {
    return TensorList{autograd::restride(b.grad(), where, Geometry::contiguous(sizes), checked_numel(sizes, "view"))};
  });
}

// Resolves one -1 in a requested shape against numel.
Shape infer_shape(IntList requested, int64_t numel, std::string_view op, IntList from) {
  Shape shape(requested.begin(), requested.end());
  int64_t known = 1;
  std::optional<size_t> infer;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      LT_CHECK(!infer, ShapeError, op, "only one dimension can be -1, got ", lt::str(requested));
      infer = i;
    } else {
      LT_CHECK(shape[i] >= 0, ShapeError, op, "invalid size ", shape[i], " in shape ", lt::str(requested));
      LT_CHECK(!__builtin_mul_overflow(known, shape[i], &known), ShapeError, op, "shape ", lt::str(requested),
               " has more elements than fit in 64 bits");
    }
  }
  if (infer) {
    LT_CHECK(known != 0 && numel % known == 0, ShapeError, op, "shape ", lt::str(requested),
             " is invalid for input of shape ", lt::str(from));
    shape[*infer] = numel / known;
  } else {
    LT_CHECK(known == numel, ShapeError, op, "shape ", lt::str(requested), " is invalid for input of shape ",
             lt::str(from), " (", numel, " elements)");
  }
  return shape;
}

// Strides that let `shape` view memory laid out as (old_shape, old_strides), if any.
std::optional<Shape> view_strides(IntList old_shape, IntList old_strides, IntList shape, int64_t numel) {
  if (numel == 0 || old_shape.empty()) return contiguous_strides(shape);
  Shape strides(shape.size());
  int64_t view_d = static_cast<int64_t>(shape.size()) - 1;
  int64_t chunk_stride = old_strides.back();
  int64_t tensor_numel = 1, view_numel = 1;
  for (int64_t d = static_cast<int64_t>(old_shape.size()) - 1; d >= 0; --d) {
    tensor_numel *= old_shape[d];
    // A chunk ends where memory stops being contiguous across a dimension boundary.
    if (d == 0 || (old_shape[d - 1] != 1 && old_strides[d - 1] != tensor_numel * chunk_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || shape[view_d] == 1)) {
        strides[view_d] = view_numel * chunk_stride;
        view_numel *= shape[view_d];
        --view_d;
      }
      if (view_numel != tensor_numel) return std::nullopt;
      if (d > 0) {
        chunk_stride = old_strides[d - 1];
        tensor_numel = view_numel = 1;
      }
    }
  }
  if (view_d != -1) return std::nullopt;
  return strides;
}

}  // namespace

Tensor Tensor::view(IntList requested) const {
  Shape shape = infer_shape(requested, numel(), "view", sizes());
  auto strides = view_strides(sizes(), this->strides(), shape, numel());
  LT_CHECK(strides, ShapeError, "view", "shape ", lt::str(shape), " is not compatible with input of shape ",
           lt::str(sizes()), " and strides ", lt::str(this->strides()), ": use reshape");
  Tensor v = alias(*this, std::move(shape), std::move(*strides), storage_offset());
  record_reshaping("view", *this, v);
  return v;
}

Tensor Tensor::reshape(IntList requested) const {
  Shape shape = infer_shape(requested, numel(), "reshape", sizes());
  if (auto strides = view_strides(sizes(), this->strides(), shape, numel())) {
    Tensor v = alias(*this, std::move(shape), std::move(*strides), storage_offset());
    record_reshaping("_reshape_alias", *this, v);
    return v;
  }
  return unsafe_view(contiguous(), shape);  // a tensor that cannot be viewed is not contiguous
}

Tensor unsafe_view(const Tensor& fresh, IntList shape) {
  Tensor v = make_tensor(fresh.storage(), fresh.dtype(), Shape(shape.begin(), shape.end()), contiguous_strides(shape),
                         fresh.storage_offset());
  record_reshaping("_unsafe_view", fresh, v);
  return v;
}

std::vector<Tensor> split_views(const char* node, const Tensor& x, IntList sizes, int64_t d) {
  std::vector<Tensor> parts;
  int64_t at = 0;
  for (int64_t s : sizes) {
    Shape shape = x.sizes();
    shape[d] = s;
    parts.push_back(alias(x, std::move(shape), x.strides(), x.storage_offset() + (s > 0 ? at * x.stride(d) : 0)));
    at += s;
  }
  // One node rather than one per slice: each slice's own derivative would fill a zero copy
  // of x and the engine would then add the copies up.
  if (autograd::any_requires_grad(x)) {
    autograd::record(node, std::span<const Tensor>(&x, 1), parts, {},
                     [d](const Backward& b) { return TensorList{cat(std::vector<Tensor>(b.grads.begin(), b.grads.end()), d)}; });
  }
  return parts;
}

namespace {
// The view of `t` with its dims in `order`, recorded as `op`.
Tensor permuted(const char* op, const Tensor& t, const Shape& order) {
  Shape sizes(t.dim()), strides(t.dim()), inverse(t.dim());
  for (int64_t i = 0; i < t.dim(); ++i) {
    sizes[i] = t.size(order[i]);
    strides[i] = t.stride(order[i]);
    inverse[order[i]] = i;
  }
  Tensor v = alias(t, std::move(sizes), std::move(strides), t.storage_offset());
  if (autograd::any_requires_grad(t)) {
    autograd::record(op, {t}, {v}, {}, [inverse](const Backward& b) { return TensorList{b.grad().permute(inverse)}; });
  }
  return v;
}

Tensor swapped(const char* op, const Tensor& t, int64_t d0, int64_t d1) {
  Shape order(t.dim());
  std::iota(order.begin(), order.end(), 0);
  if (t.dim() == 0) {
    wrap_dim(d0, 0, op);
    wrap_dim(d1, 0, op);
  } else {
    std::swap(order[wrap_dim(d0, t.dim(), op)], order[wrap_dim(d1, t.dim(), op)]);
  }
  return permuted(op, t, order);
}
}  // namespace

Tensor Tensor::permute(IntList dims) const {
  LT_CHECK(static_cast<int64_t>(dims.size()) == dim(), ShapeError, "permute", "dims ", lt::str(dims),
           " do not match a tensor of shape ", lt::str(sizes()));
  Shape order(dim());
  std::vector<bool> seen(dim());
  for (int64_t i = 0; i < dim(); ++i) {
    int64_t d = wrap_dim(dims[i], dim(), "permute");
    LT_CHECK(!seen[d], ValueError, "permute", "dimension ", d, " repeats in ", lt::str(dims));
    seen[d] = true;
    order[i] = d;
  }
  return permuted("permute", *this, order);
}

Tensor Tensor::transpose(int64_t d0, int64_t d1) const { return swapped("transpose", *this, d0, d1); }

Tensor Tensor::t() const {
  LT_CHECK(dim() <= 2, ShapeError, "t", "expects a tensor with at most 2 dimensions, got shape ", lt::str(sizes()));
  return dim() < 2 ? swapped("t", *this, 0, 0) : swapped("t", *this, 0, 1);
}

Tensor Tensor::expand(IntList shape) const {
  const int64_t n = static_cast<int64_t>(shape.size());
  LT_CHECK(n >= dim(), ShapeError, "expand", "cannot expand shape ", lt::str(sizes()), " to ", lt::str(shape));
  Shape sizes(n), strides(n);
  for (int64_t i = n - 1; i >= 0; --i) {
    int64_t src = i - (n - dim());
    int64_t want = shape[i];
    if (src < 0) {
      LT_CHECK(want >= 0, ShapeError, "expand", "cannot expand shape ", lt::str(this->sizes()), " to ", lt::str(shape));
      sizes[i] = want;
      strides[i] = 0;
      continue;
    }
    int64_t have = impl()->sizes[src];
    if (want == -1) want = have;
    LT_CHECK(want == have || have == 1, ShapeError, "expand", "cannot expand shape ", lt::str(this->sizes()),
             " to ", lt::str(shape));
    LT_CHECK(want >= 0, ShapeError, "expand", "cannot expand shape ", lt::str(this->sizes()), " to ", lt::str(shape));
    sizes[i] = want;
    strides[i] = want == have ? impl()->strides[src] : 0;
  }
  checked_numel(sizes, "expand");
  Tensor v = alias(*this, std::move(sizes), std::move(strides), storage_offset());
  if (autograd::any_requires_grad(*this)) {
    autograd::record("expand", {*this}, {v}, {},
                     [shape = this->sizes()](const Backward& b) { return TensorList{autograd::sum_to(b.grad(), shape)}; });
  }
  return v;
}

Tensor Tensor::slice(int64_t d, int64_t start, int64_t end, int64_t step) const {
  LT_CHECK(dim() > 0, IndexError, "slice", "cannot slice a 0-dim tensor");
  d = wrap_dim(d, dim(), "slice");
  LT_CHECK(step != 0, ValueError, "slice", "step cannot be zero");
  step = std::max(step, -std::numeric_limits<int64_t>::max());  // as Python clamps it, so -step fits
  const int64_t size = impl()->sizes[d];
  Shape sizes = this->sizes(), strides = this->strides();
  int64_t first, count;
  // Python's slice.indices(): out-of-range bounds clamp, they never raise.
  auto clamp = [&](int64_t v, int64_t lo, int64_t hi) {
    if (v < 0) v = v < -size ? lo : v + size;  // -size - 1 and below mean "before the start"
    return std::clamp(v, lo, hi);
  };
  if (step > 0) {
    first = clamp(start, 0, size);
    int64_t last = clamp(end, 0, size);
    count = last > first ? (last - first - 1) / step + 1 : 0;  // no overflow for any step
  } else {
    first = clamp(start, -1, size - 1);
    int64_t last = clamp(end, -1, size - 1);
    count = first > last ? (first - last - 1) / (-step) + 1 : 0;
  }
  sizes[d] = count;
  if (count > 1) strides[d] *= step;  // one element never steps, and a huge step would overflow
  int64_t offset = storage_offset() + (count > 0 ? first * impl()->strides[d] : 0);
  Tensor v = alias(*this, std::move(sizes), std::move(strides), offset);
  if (autograd::any_requires_grad(*this)) {
    // Where the sliced elements sit in a contiguous layout of the input, lowest first.
    Shape cs = contiguous_strides(this->sizes());
    const int64_t lowest = step > 0 ? first : first + (count - 1) * step;
    Geometry where{v.sizes(), cs, count > 0 ? lowest * cs[d] : 0};
    if (count > 1) where.strides[d] *= step > 0 ? step : -step;
    if (step > 0) {
      record_embedding("slice", *this, v, std::move(where));
    } else {
      autograd::record("slice", {*this}, {v}, {}, [where = std::move(where), shape = this->sizes(), d](const Backward& b) {
        return TensorList{autograd::restride(flip(b.grad(), {d}), where, Geometry::contiguous(shape), checked_numel(shape, "slice"))};
      });
    }
  }
  // Negative strides never escape: a reversed slice is a copy, as in PyTorch's flip.
  return step > 0 ? v : v.clone();
}

Tensor Tensor::narrow(int64_t d, int64_t start, int64_t length) const {
  LT_CHECK(dim() > 0, IndexError, "narrow", "cannot narrow a 0-dim tensor");
  d = wrap_dim(d, dim(), "narrow");
  const int64_t size = impl()->sizes[d];
  LT_CHECK(start >= -size && start <= size, IndexError, "narrow", "start ", start, " is out of range for dimension ",
           d, " of size ", size);
  if (start < 0) start += size;
  LT_CHECK(length >= 0 && start <= size - length, ShapeError, "narrow", "start (", start, ") + length (", length,
           ") exceeds dimension ", d, " of size ", size);
  return slice(d, start, start + length);
}

Tensor Tensor::select(int64_t d, int64_t index) const {
  LT_CHECK(dim() > 0, IndexError, "select", "cannot index a 0-dim tensor");
  d = wrap_dim(d, dim(), "select");
  const int64_t size = impl()->sizes[d];
  LT_CHECK(index >= -size && index < size, IndexError, "select", "index ", index,
           " is out of range for dimension ", d, " with size ", size);
  if (index < 0) index += size;
  Shape sizes = this->sizes(), strides = this->strides();
  int64_t offset = storage_offset() + index * strides[d];
  sizes.erase(sizes.begin() + d);
  strides.erase(strides.begin() + d);
  Tensor v = alias(*this, std::move(sizes), std::move(strides), offset);
  if (autograd::any_requires_grad(*this)) {
    Shape cs = contiguous_strides(this->sizes());
    const int64_t at = index * cs[d];
    cs.erase(cs.begin() + d);
    record_embedding("select", *this, v, {v.sizes(), std::move(cs), at});
  }
  return v;
}

Tensor Tensor::squeeze() const {
  Shape sizes, strides;
  for (int64_t i = 0; i < dim(); ++i) {
    if (impl()->sizes[i] != 1) {
      sizes.push_back(impl()->sizes[i]);
      strides.push_back(impl()->strides[i]);
    }
  }
  Tensor v = alias(*this, std::move(sizes), std::move(strides), storage_offset());
  record_reshaping("squeeze", *this, v);
  return v;
}

Tensor Tensor::squeeze(int64_t d) const {
  d = wrap_dim(d, dim(), "squeeze");
  Shape sizes = this->sizes(), strides = this->strides();
  if (dim() > 0 && impl()->sizes[d] == 1) {
    sizes.erase(sizes.begin() + d);
    strides.erase(strides.begin() + d);
  }
  Tensor v = alias(*this, std::move(sizes), std::move(strides), storage_offset());
  record_reshaping("squeeze.1", *this, v);
  return v;
}

Tensor Tensor::unsqueeze(int64_t d) const {
  d = wrap_dim(d, dim() + 1, "unsqueeze");
  Shape sizes = this->sizes(), strides = this->strides();
  int64_t stride = d < dim() ? strides[d] * sizes[d] : 1;
  sizes.insert(sizes.begin() + d, 1);
  strides.insert(strides.begin() + d, stride);
  Tensor v = alias(*this, std::move(sizes), std::move(strides), storage_offset());
  record_reshaping("unsqueeze", *this, v);
  return v;
}

Tensor Tensor::diagonal(int64_t offset, int64_t dim1, int64_t dim2) const {
  // PyTorch's dim2 = 1 is out of range below 2-D: an IndexError, as a bad dim.
  LT_CHECK(dim() >= 2, IndexError, "diagonal", "expects at least 2 dimensions, got shape ", lt::str(sizes()));
  int64_t d1 = wrap_dim(dim1, dim(), "diagonal"), d2 = wrap_dim(dim2, dim(), "diagonal");
  LT_CHECK(d1 != d2, ValueError, "diagonal", "dimensions ", dim1, " and ", dim2, " are the same");
  int64_t s1 = impl()->sizes[d1], s2 = impl()->sizes[d2];
  int64_t len = offset >= 0 ? std::min(s1, s2 - offset) : std::min(s1 + offset, s2);
  len = std::max<int64_t>(len, 0);
  // The diagonal in a layout of the input with the given strides.
  auto diagonal_in = [&](const Shape& in_strides, int64_t in_offset) {
    Geometry g{{}, {}, in_offset};
    if (len > 0) g.offset += offset >= 0 ? offset * in_strides[d2] : -offset * in_strides[d1];
    for (int64_t i = 0; i < dim(); ++i) {
      if (i == d1 || i == d2) continue;
      g.sizes.push_back(impl()->sizes[i]);
      g.strides.push_back(in_strides[i]);
    }
    g.sizes.push_back(len);
    g.strides.push_back(in_strides[d1] + in_strides[d2]);
    return g;
  };
  Geometry g = diagonal_in(strides(), storage_offset());
  Tensor v = alias(*this, std::move(g.sizes), std::move(g.strides), g.offset);
  if (autograd::any_requires_grad(*this)) {
    record_embedding("diagonal", *this, v, diagonal_in(contiguous_strides(sizes()), 0));
  }
  return v;
}

Tensor Tensor::as_strided(IntList size, IntList stride, std::optional<int64_t> storage_offset) const {
  LT_CHECK(size.size() == stride.size(), ShapeError, "as_strided", "size ", lt::str(size), " and stride ",
           lt::str(stride), " differ in length");
  const int64_t offset = storage_offset.value_or(this->storage_offset());
  LT_CHECK(offset >= 0, ShapeError, "as_strided", "invalid storage offset ", offset);
  int64_t numel = checked_numel(size, "as_strided");
  int64_t last = offset;  // the furthest element reached
  for (size_t i = 0; i < size.size(); ++i) {
    LT_CHECK(stride[i] >= 0, ValueError, "as_strided", "negative strides are not supported: ", lt::str(stride));
    if (numel > 0) {
      int64_t reach;
      LT_CHECK(!__builtin_mul_overflow(size[i] - 1, stride[i], &reach) && !__builtin_add_overflow(last, reach, &last),
               ShapeError, "as_strided", "size ", lt::str(size), " and stride ", lt::str(stride), " overflow");
    }
  }
  int64_t capacity = static_cast<int64_t>(storage()->nbytes()) / itemsize();
  LT_CHECK(numel == 0 || last < capacity, ShapeError, "as_strided", "size ", lt::str(size), ", stride ", lt::str(stride),
           " and offset ", offset, " reach element ", last, " of a storage of ", capacity, " elements");
  Tensor v = alias(*this, Shape(size.begin(), size.end()), Shape(stride.begin(), stride.end()), offset);
  if (autograd::any_requires_grad(*this)) {
    autograd::record("as_strided", {*this}, {v}, {},
                     [from = Geometry::of(v), to = Geometry::of(*this), capacity](const Backward& b) {
                       return TensorList{autograd::restride(b.grad(), from, to, capacity)};
                     });
  }
  return v;
}

Tensor Tensor::unfold(int64_t d, int64_t size, int64_t step) const {
  d = wrap_dim(d, dim(), "unfold");
  int64_t extent = dim() == 0 ? 1 : impl()->sizes[d];
  LT_CHECK(size >= 0 && size <= extent, ShapeError, "unfold", "window size ", size,
           " does not fit dimension ", d, " of size ", extent);
  LT_CHECK(step > 0, ValueError, "unfold", "step must be positive, got ", step);
  Shape sizes = this->sizes(), strides = this->strides();
  int64_t inner_stride = dim() == 0 ? 1 : strides[d];
  if (dim() > 0) {
    sizes[d] = (extent - size) / step + 1;
    strides[d] *= step;
  }
  sizes.push_back(size);
  strides.push_back(inner_stride);
  Tensor v = alias(*this, std::move(sizes), std::move(strides), storage_offset());
  if (autograd::any_requires_grad(*this)) {
    // Windows may overlap: the gradient adds, window position by window position.
    autograd::record("unfold", {*this}, {v}, {}, [shape = this->sizes(), d, step](const Backward& b) {
      const Tensor& g = b.grad();
      const int64_t windows = shape.empty() ? 1 : g.size(d), size = g.size(-1);
      Shape cs = contiguous_strides(shape);
      Tensor grad = zeros(shape, g.dtype(), g.device());
      for (int64_t k = 0; k < size; ++k) {
        Geometry where{g.select(-1, k).sizes(), cs, shape.empty() ? 0 : k * cs[d]};
        if (!shape.empty() && windows > 1) where.strides[d] *= step;
        grad = add(grad, autograd::restride(g.select(-1, k), where, Geometry::contiguous(shape), checked_numel(shape, "unfold")));
      }
      return TensorList{grad};
    });
  }
  return v;
}

}  // namespace lt
