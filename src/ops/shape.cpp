// Joining, splitting and rearranging: cat and stack (copies, with derivatives of their
// own), and compositions of views and copies (split, chunk, unbind, movedim, repeat,
// tile, roll, tril, triu), whose derivatives come from their parts.
#include <algorithm>
#include <numeric>

#include "libtensor/autocast.h"
#include "helpers.h"

namespace lt {
namespace {

using autograd::Backward;
using autograd::TensorList;

// The tensors cat joins: PyTorch skips 1-D empty tensors (a legacy placeholder).
std::vector<const Tensor*> joined(const char* op, const TensorList& tensors, int64_t& dim) {
  LT_CHECK(!tensors.empty(), ValueError, op, "expects a non-empty list of tensors");
  std::vector<const Tensor*> parts;
  const Tensor* first = nullptr;
  for (const Tensor& t : tensors) {
    LT_CHECK(t.defined(), ValueError, op, "undefined tensor in the list");
    LT_CHECK(t.device() == tensors[0].device(), DeviceError, op, "expects tensors on one device, got ",
             tensors[0].device().str(), " and ", t.device().str());
    if (t.dim() == 1 && t.size(0) == 0) continue;
    if (!first) first = &t;
    parts.push_back(&t);
  }
  if (!first) return parts;
  LT_CHECK(first->dim() > 0, ShapeError, op, "zero-dimensional tensors cannot be concatenated");
  dim = wrap_dim(dim, first->dim(), op);
  for (size_t i = 0; i < parts.size(); ++i) {
    const Tensor& t = *parts[i];
    LT_CHECK(t.dim() == first->dim(), ShapeError, op, "tensors must have the same number of dimensions: got ",
             first->dim(), " and ", t.dim(), " (shapes ", str(first->sizes()), " and ", str(t.sizes()), ")");
    for (int64_t d = 0; d < t.dim(); ++d) {
      LT_CHECK(d == dim || t.size(d) == first->size(d), ShapeError, op, "sizes of tensors must match except in dimension ",
               dim, ": shapes ", str(first->sizes()), " and ", str(t.sizes()), " differ in dimension ", d);
    }
  }
  return parts;
}

}  // namespace

Tensor cat(const TensorList& tensors, int64_t dim) {
  LT_AUTOCAST(cat, tensors, dim);
  std::vector<const Tensor*> parts = joined("cat", tensors, dim);
  DType dtype = tensors[0].dtype();
  for (const Tensor& t : tensors) dtype = promote_types(dtype, t.dtype());
  Shape shape{0};
  if (!parts.empty()) {
    shape = parts[0]->sizes();
    shape[dim] = 0;
    for (const Tensor* t : parts) shape[dim] += t->size(dim);
  }
  Tensor out = empty(shape, dtype, tensors[0].device());
  {
    autograd::NoGradGuard no_grad;
    int64_t at = 0;
    for (const Tensor* t : parts) {
      out.narrow(dim, at, t->size(dim)).copy_(*t);
      at += t->size(dim);
    }
  }
  {
    // Each input's gradient is its slice of the output's (none for skipped empties).
    Shape sizes;
    for (const Tensor& t : tensors) sizes.push_back(t.dim() == 1 && t.size(0) == 0 ? -1 : t.size(dim));
    const bool all_empty = parts.empty();
    autograd::record("cat", tensors, {&out, 1}, {}, [sizes, dim, all_empty](const Backward& b) {
      TensorList grads;
      int64_t at = 0;
      for (int64_t n : sizes) {
        grads.push_back(all_empty ? b.grad() : n < 0 ? Tensor() : b.grad().narrow(dim, at, n));
        at += std::max<int64_t>(n, 0);
      }
      return grads;
    });
  }
  return out;
}

Tensor stack(const TensorList& tensors, int64_t dim) {
  LT_AUTOCAST(stack, tensors, dim);
  LT_CHECK(!tensors.empty(), ValueError, "stack", "expects a non-empty list of tensors");
  const int64_t d = wrap_dim(dim, tensors[0].dim() + 1, "stack");
  for (const Tensor& t : tensors) {
    LT_CHECK(t.sizes() == tensors[0].sizes(), ShapeError, "stack", "expects each tensor to be equal size, got ",
             str(tensors[0].sizes()), " and ", str(t.sizes()));
  }
  TensorList rows;
  for (const Tensor& t : tensors) rows.push_back(t.unsqueeze(d));
  return cat(rows, d);
}

std::vector<Tensor> split(const Tensor& x, int64_t split_size, int64_t dim) {
  LT_CHECK(x.dim() > 0, ShapeError, "split", "expects a tensor with at least one dimension");
  dim = wrap_dim(dim, x.dim(), "split");
  LT_CHECK(split_size > 0 || (split_size == 0 && x.size(dim) == 0), ValueError, "split",
           "split_size must be positive, got ", split_size);
  const int64_t n = x.size(dim);
  if (n == 0) return {x.narrow(dim, 0, 0)};
  Shape sizes;
  for (int64_t at = 0; at < n; at += split_size) sizes.push_back(std::min(split_size, n - at));
  return split_views("split", x, sizes, dim);
}

std::vector<Tensor> split(const Tensor& x, IntList sizes, int64_t dim) {
  LT_CHECK(x.dim() > 0, ShapeError, "split", "expects a tensor with at least one dimension");
  dim = wrap_dim(dim, x.dim(), "split");
  int64_t total = 0;
  for (int64_t s : sizes) {
    LT_CHECK(s >= 0, ValueError, "split", "sizes must be non-negative, got ", str(sizes));
    total += s;
  }
  LT_CHECK(total == x.size(dim), ShapeError, "split", "sizes ", str(sizes), " add up to ", total,
           ", not to the size ", x.size(dim), " of dimension ", dim);
  return split_views("split_with_sizes", x, sizes, dim);
}

std::vector<Tensor> chunk(const Tensor& x, int64_t chunks, int64_t dim) {
  LT_CHECK(chunks > 0, ValueError, "chunk", "chunks must be positive, got ", chunks);
  LT_CHECK(x.dim() > 0, ShapeError, "chunk", "expects a tensor with at least one dimension");
  const int64_t n = x.size(wrap_dim(dim, x.dim(), "chunk"));
  return split(x, std::max<int64_t>((n + chunks - 1) / chunks, n == 0 ? 0 : 1), dim);
}

std::vector<Tensor> unbind(const Tensor& x, int64_t dim) {
  LT_CHECK(x.dim() > 0, ShapeError, "unbind", "expects a tensor with at least one dimension");
  dim = wrap_dim(dim, x.dim(), "unbind");
  // Slices of one split node, whose derivative is one cat (a select per slice would fill
  // a zero copy of x for each slice's gradient), each with the dim dropped.
  std::vector<Tensor> parts = split_views("unbind", x, Shape(static_cast<size_t>(x.size(dim)), 1), dim);
  for (Tensor& p : parts) p = p.squeeze(dim);
  return parts;
}

Tensor movedim(const Tensor& x, IntList source, IntList destination) {
  LT_CHECK(source.size() == destination.size(), ShapeError, "movedim", "source ", str(source), " and destination ",
           str(destination), " differ in length");
  const int64_t n = x.dim();
  std::vector<int64_t> order(n, -1);
  std::vector<bool> moved(n, false), taken(n, false);
  for (size_t i = 0; i < source.size(); ++i) {
    const int64_t s = wrap_dim(source[i], n, "movedim"), d = wrap_dim(destination[i], n, "movedim");
    LT_CHECK(!moved[s], ValueError, "movedim", "repeated dim in source ", str(source));
    LT_CHECK(!taken[d], ValueError, "movedim", "repeated dim in destination ", str(destination));
    order[d] = s;
    moved[s] = taken[d] = true;
  }
  // The other dims keep their order in the free places.
  int64_t next = 0;
  for (int64_t d = 0; d < n; ++d) {
    if (order[d] >= 0) continue;
    while (moved[next]) ++next;
    order[d] = next++;
  }
  return x.permute(order);
}

// Each dim i of the result holds repeats[i] copies of x's: x as (1, s0, 1, s1, ...)
// expanded to (r0, s0, r1, s1, ...) and folded.
Tensor repeat(const Tensor& x, IntList repeats) {
  LT_CHECK(static_cast<int64_t>(repeats.size()) >= x.dim(), ShapeError, "repeat", "number of repeats ",
           str(repeats), " cannot be fewer than the number of dimensions of shape ", str(x.sizes()));
  for (int64_t r : repeats) LT_CHECK(r >= 0, ValueError, "repeat", "repeats must be non-negative, got ", str(repeats));
  const size_t lead = repeats.size() - x.dim();
  Shape padded(lead, 1), interleaved, expanded, folded;
  for (int64_t s : x.sizes()) padded.push_back(s);
  for (size_t i = 0; i < repeats.size(); ++i) {
    interleaved.push_back(1), interleaved.push_back(padded[i]);
    expanded.push_back(repeats[i]), expanded.push_back(padded[i]);
    folded.push_back(repeats[i] * padded[i]);
  }
  return x.reshape(interleaved).expand(expanded).reshape(folded);
}

Tensor tile(const Tensor& x, IntList repeats) {
  Shape padded(std::max<int64_t>(0, x.dim() - static_cast<int64_t>(repeats.size())), 1);
  for (int64_t r : repeats) padded.push_back(r);
  return repeat(x, padded);
}

// The elements shifted along each dim, wrapping around: two narrows and a cat per dim.
Tensor roll(const Tensor& x, IntList shifts, IntList dims) {
  if (dims.empty()) {
    LT_CHECK(shifts.size() == 1, ShapeError, "roll", "without dims, expects one shift, got ", str(shifts));
    return roll(x.reshape({-1}), shifts, {0}).view(x.sizes());
  }
  LT_CHECK(shifts.size() == dims.size(), ShapeError, "roll", "shifts ", str(shifts), " and dims ", str(dims),
           " differ in length");
  Tensor r = x;
  for (size_t i = 0; i < dims.size(); ++i) {
    const int64_t d = wrap_dim(dims[i], x.dim(), "roll"), n = x.size(d);
    if (n == 0) continue;
    const int64_t s = ((shifts[i] % n) + n) % n;
    if (s == 0) continue;
    r = cat({r.narrow(d, n - s, s), r.narrow(d, 0, n - s)}, d);
  }
  return r.is_same(x) ? x.clone() : r;
}

namespace {
// Whether element (i, j) of the last two dims lies on or below (lower) / above (upper)
// diagonal k.
Tensor triangle_mask(const Tensor& x, int64_t k, bool lower, const char* op) {
  LT_CHECK(x.dim() >= 2, ShapeError, op, "expects a tensor with at least 2 dimensions, got shape ", str(x.sizes()));
  const int64_t rows = x.size(-2), cols = x.size(-1);
  Tensor i = arange(rows, DType::Int64, x.device()).view({rows, 1});
  Tensor j = arange(cols, DType::Int64, x.device()).view({1, cols});
  return lower ? (j - i <= k) : (j - i >= k);
}
}  // namespace

Tensor tril(const Tensor& x, int64_t diagonal) {
  return where(triangle_mask(x, diagonal, true, "tril"), x, zeros({}, x.dtype(), x.device()));
}
Tensor triu(const Tensor& x, int64_t diagonal) {
  return where(triangle_mask(x, diagonal, false, "triu"), x, zeros({}, x.dtype(), x.device()));
}

}  // namespace lt
