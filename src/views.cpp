// Views: new sizes, strides and offset over the same storage and version counter.
#include <algorithm>
#include <limits>
#include <numeric>
#include <optional>

#include "libtensor/error.h"
#include "libtensor/ops.h"
#include "libtensor/tensor.h"

namespace lt {
namespace {

Tensor alias(const Tensor& t, Shape sizes, Shape strides, int64_t offset) {
  Tensor v = make_tensor(t.storage(), t.dtype(), std::move(sizes), std::move(strides), offset);
  v.impl()->version = t.impl()->version;
  return v;
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
  return alias(*this, std::move(shape), std::move(*strides), storage_offset());
}

Tensor Tensor::reshape(IntList requested) const {
  Shape shape = infer_shape(requested, numel(), "reshape", sizes());
  if (auto strides = view_strides(sizes(), this->strides(), shape, numel())) {
    return alias(*this, std::move(shape), std::move(*strides), storage_offset());
  }
  return clone().view(shape);
}

Tensor Tensor::permute(IntList dims) const {
  LT_CHECK(static_cast<int64_t>(dims.size()) == dim(), ShapeError, "permute", "dims ", lt::str(dims),
           " do not match a tensor of shape ", lt::str(sizes()));
  Shape sizes(dim()), strides(dim());
  std::vector<bool> seen(dim());
  for (int64_t i = 0; i < dim(); ++i) {
    int64_t d = wrap_dim(dims[i], dim(), "permute");
    LT_CHECK(!seen[d], ValueError, "permute", "dimension ", d, " repeats in ", lt::str(dims));
    seen[d] = true;
    sizes[i] = impl()->sizes[d];
    strides[i] = impl()->strides[d];
  }
  return alias(*this, std::move(sizes), std::move(strides), storage_offset());
}

Tensor Tensor::transpose(int64_t d0, int64_t d1) const {
  Shape order(dim());
  std::iota(order.begin(), order.end(), 0);
  if (dim() == 0) {
    wrap_dim(d0, 0, "transpose");
    wrap_dim(d1, 0, "transpose");
    return alias(*this, sizes(), strides(), storage_offset());
  }
  std::swap(order[wrap_dim(d0, dim(), "transpose")], order[wrap_dim(d1, dim(), "transpose")]);
  return permute(order);
}

Tensor Tensor::t() const {
  LT_CHECK(dim() <= 2, ShapeError, "t", "expects a tensor with at most 2 dimensions, got shape ", lt::str(sizes()));
  return dim() < 2 ? transpose(0, 0) : transpose(0, 1);
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
  return alias(*this, std::move(sizes), std::move(strides), storage_offset());
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
  // Negative strides never escape: a reversed slice is a copy, as in PyTorch's flip.
  return step > 0 ? v : v.clone();
}

Tensor Tensor::narrow(int64_t d, int64_t start, int64_t length) const {
  LT_CHECK(dim() > 0, IndexError, "narrow", "cannot narrow a 0-dim tensor");
  d = wrap_dim(d, dim(), "narrow");
  const int64_t size = impl()->sizes[d];
  if (start < 0) start += size;
  LT_CHECK(start >= 0 && length >= 0 && start <= size - length, IndexError, "narrow", "start ", start,
           " and length ", length, " are out of range for dimension ", d, " of size ", size);
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
  return alias(*this, std::move(sizes), std::move(strides), offset);
}

Tensor Tensor::squeeze() const {
  Shape sizes, strides;
  for (int64_t i = 0; i < dim(); ++i) {
    if (impl()->sizes[i] != 1) {
      sizes.push_back(impl()->sizes[i]);
      strides.push_back(impl()->strides[i]);
    }
  }
  return alias(*this, std::move(sizes), std::move(strides), storage_offset());
}

Tensor Tensor::squeeze(int64_t d) const {
  d = wrap_dim(d, dim(), "squeeze");
  if (dim() == 0 || impl()->sizes[d] != 1) return alias(*this, sizes(), strides(), storage_offset());
  Shape sizes = this->sizes(), strides = this->strides();
  sizes.erase(sizes.begin() + d);
  strides.erase(strides.begin() + d);
  return alias(*this, std::move(sizes), std::move(strides), storage_offset());
}

Tensor Tensor::unsqueeze(int64_t d) const {
  d = wrap_dim(d, dim() + 1, "unsqueeze");
  Shape sizes = this->sizes(), strides = this->strides();
  int64_t stride = d < dim() ? strides[d] * sizes[d] : 1;
  sizes.insert(sizes.begin() + d, 1);
  strides.insert(strides.begin() + d, stride);
  return alias(*this, std::move(sizes), std::move(strides), storage_offset());
}

Tensor Tensor::diagonal(int64_t offset, int64_t dim1, int64_t dim2) const {
  LT_CHECK(dim() >= 2, ShapeError, "diagonal", "expects at least 2 dimensions, got shape ", lt::str(sizes()));
  int64_t d1 = wrap_dim(dim1, dim(), "diagonal"), d2 = wrap_dim(dim2, dim(), "diagonal");
  LT_CHECK(d1 != d2, ValueError, "diagonal", "dimensions ", dim1, " and ", dim2, " are the same");
  int64_t s1 = impl()->sizes[d1], s2 = impl()->sizes[d2];
  int64_t len = offset >= 0 ? std::min(s1, s2 - offset) : std::min(s1 + offset, s2);
  len = std::max<int64_t>(len, 0);
  int64_t start = storage_offset();
  if (len > 0) start += offset >= 0 ? offset * impl()->strides[d2] : -offset * impl()->strides[d1];
  Shape sizes, strides;
  for (int64_t i = 0; i < dim(); ++i) {
    if (i == d1 || i == d2) continue;
    sizes.push_back(impl()->sizes[i]);
    strides.push_back(impl()->strides[i]);
  }
  sizes.push_back(len);
  strides.push_back(impl()->strides[d1] + impl()->strides[d2]);
  return alias(*this, std::move(sizes), std::move(strides), start);
}

Tensor Tensor::as_strided(IntList size, IntList stride, int64_t offset) const {
  LT_CHECK(size.size() == stride.size(), ShapeError, "as_strided", "size ", lt::str(size), " and stride ",
           lt::str(stride), " differ in length");
  if (offset < 0) offset = storage_offset();
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
  LT_CHECK(numel == 0 || last < capacity, IndexError, "as_strided", "size ", lt::str(size), ", stride ", lt::str(stride),
           " and offset ", offset, " reach element ", last, " of a storage of ", capacity, " elements");
  return alias(*this, Shape(size.begin(), size.end()), Shape(stride.begin(), stride.end()), offset);
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
  return alias(*this, std::move(sizes), std::move(strides), storage_offset());
}

}  // namespace lt
