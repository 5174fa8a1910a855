// NumPy's stacking family: at-least-n-dims views, hstack / vstack / dstack /
// column_stack, tensor_split and hsplit / vsplit / dsplit, ravel, broadcast_to /
// broadcast_tensors and meshgrid. All are views or cats of views, so every device has
// them and autograd differentiates them.
#include "helpers.h"

namespace lt {
namespace {

std::vector<Tensor> each(const std::vector<Tensor>& tensors, const char* op, Tensor (*f)(const Tensor&)) {
  LT_CHECK(!tensors.empty(), ValueError, op, "expects a non-empty list of tensors");
  std::vector<Tensor> out;
  out.reserve(tensors.size());
  for (const Tensor& t : tensors) out.push_back(f(t));
  return out;
}

// Python's slice bounds: a negative bound counts from the end, then both are clamped to
// [0, size] and the end is at least the start.
int64_t slice_bound(int64_t i, int64_t size) { return std::clamp<int64_t>(i < 0 ? i + size : i, 0, size); }

}  // namespace

Tensor atleast_1d(const Tensor& x) { return x.dim() == 0 ? x.reshape({1}) : x; }

Tensor atleast_2d(const Tensor& x) {
  if (x.dim() == 0) return x.reshape({1, 1});
  return x.dim() == 1 ? x.unsqueeze(0) : x;
}

Tensor atleast_3d(const Tensor& x) {
  if (x.dim() == 0) return x.reshape({1, 1, 1});
  if (x.dim() == 1) return x.unsqueeze(0).unsqueeze(2);
  return x.dim() == 2 ? x.unsqueeze(2) : x;
}

Tensor hstack(const std::vector<Tensor>& tensors) {
  return named("hstack", [&] {
    std::vector<Tensor> ts = each(tensors, "hstack", atleast_1d);
    return cat(ts, ts[0].dim() == 1 ? 0 : 1);
  });
}

Tensor vstack(const std::vector<Tensor>& tensors) {
  return named("vstack", [&] { return cat(each(tensors, "vstack", atleast_2d), 0); });
}

Tensor dstack(const std::vector<Tensor>& tensors) {
  return named("dstack", [&] { return cat(each(tensors, "dstack", atleast_3d), 2); });
}

Tensor column_stack(const std::vector<Tensor>& tensors) {
  return named("column_stack", [&] {
    auto column = [](const Tensor& t) { return t.dim() <= 1 ? t.reshape({t.numel(), 1}) : t; };
    return cat(each(tensors, "column_stack", +column), 1);
  });
}

std::vector<Tensor> tensor_split(const Tensor& x, int64_t sections, int64_t dim) {
  return named("tensor_split", [&] {
    LT_CHECK(x.dim() >= 1, ShapeError, "tensor_split", "expects a tensor of at least 1 dim, got a 0-dim one");
    LT_CHECK(sections > 0, ValueError, "tensor_split", "number of sections must be larger than 0, got ", sections);
    const int64_t d = wrap_dim(dim, x.dim(), "tensor_split"), size = x.size(d);
    Shape sizes(sections, size / sections);
    for (int64_t i = 0; i < size % sections; ++i) ++sizes[i];
    return split_views("tensor_split", x, sizes, d);
  });
}

std::vector<Tensor> tensor_split(const Tensor& x, IntList indices, int64_t dim) {
  return named("tensor_split", [&] {
    LT_CHECK(x.dim() >= 1, ShapeError, "tensor_split", "expects a tensor of at least 1 dim, got a 0-dim one");
    const int64_t d = wrap_dim(dim, x.dim(), "tensor_split"), size = x.size(d);
    std::vector<Tensor> pieces;
    int64_t start = 0;
    for (size_t i = 0; i <= indices.size(); ++i) {
      const int64_t from = slice_bound(start, size);
      const int64_t to = i < indices.size() ? std::max(from, slice_bound(indices[i], size)) : size;
      pieces.push_back(x.narrow(d, from, to - from));
      if (i < indices.size()) start = indices[i];
    }
    return pieces;
  });
}

namespace {

// NumPy's hsplit / vsplit / dsplit: tensor_split along `dim` of an x of at least
// `min_dims` dims, into sections that must be equal.
void require_dims(const char* op, const Tensor& x, int64_t min_dims) {
  LT_CHECK(x.dim() >= min_dims, ShapeError, op, "expects a tensor of at least ", min_dims, " dim",
           min_dims == 1 ? "" : "s", ", got shape ", str(x.sizes()));
}

std::vector<Tensor> split_equally(const char* op, const Tensor& x, int64_t sections, int64_t min_dims, int64_t dim) {
  return named(op, [&] {
    require_dims(op, x, min_dims);
    LT_CHECK(sections > 0, ValueError, op, "number of sections must be larger than 0, got ", sections);
    LT_CHECK(x.size(dim) % sections == 0, ValueError, op, "cannot split dim ", dim, " of size ", x.size(dim),
             " into ", sections, " equal sections");
    return tensor_split(x, sections, dim);
  });
}

std::vector<Tensor> split_at(const char* op, const Tensor& x, IntList indices, int64_t min_dims, int64_t dim) {
  return named(op, [&] {
    require_dims(op, x, min_dims);
    return tensor_split(x, indices, dim);
  });
}

}  // namespace

std::vector<Tensor> hsplit(const Tensor& x, int64_t sections) {
  return split_equally("hsplit", x, sections, 1, x.dim() == 1 ? 0 : 1);
}
std::vector<Tensor> hsplit(const Tensor& x, IntList indices) {
  return split_at("hsplit", x, indices, 1, x.dim() == 1 ? 0 : 1);
}
std::vector<Tensor> vsplit(const Tensor& x, int64_t sections) { return split_equally("vsplit", x, sections, 2, 0); }
std::vector<Tensor> vsplit(const Tensor& x, IntList indices) { return split_at("vsplit", x, indices, 2, 0); }
std::vector<Tensor> dsplit(const Tensor& x, int64_t sections) { return split_equally("dsplit", x, sections, 3, 2); }
std::vector<Tensor> dsplit(const Tensor& x, IntList indices) { return split_at("dsplit", x, indices, 3, 2); }

Tensor ravel(const Tensor& x) { return x.contiguous().reshape({-1}); }

Tensor broadcast_to(const Tensor& x, IntList shape) {
  return named("broadcast_to", [&] {
    const int64_t n = static_cast<int64_t>(shape.size()), lead = n - x.dim();
    bool ok = lead >= 0;
    for (int64_t i = 0; ok && i < n; ++i) {
      const int64_t want = shape[i];
      if (i < lead) {
        ok = want >= 0;
      } else {
        const int64_t have = x.size(i - lead);
        ok = want == -1 || want == have || (have == 1 && want >= 0);
      }
    }
    LT_CHECK(ok, ShapeError, "broadcast_to", "cannot broadcast a tensor of shape ", str(x.sizes()), " to ", str(shape));
    return x.expand(shape);
  });
}

std::vector<Tensor> broadcast_tensors(const std::vector<Tensor>& tensors) {
  return named("broadcast_tensors", [&] {
    Shape shape;
    for (const Tensor& t : tensors) shape = broadcast_shapes(shape, t.sizes(), "broadcast_tensors");
    std::vector<Tensor> out;
    out.reserve(tensors.size());
    for (const Tensor& t : tensors) out.push_back(t.expand(shape));
    return out;
  });
}

std::vector<Tensor> meshgrid(const std::vector<Tensor>& tensors, std::string_view indexing) {
  return named("meshgrid", [&] {
    LT_CHECK(indexing == "ij" || indexing == "xy", ValueError, "meshgrid", "indexing must be \"ij\" or \"xy\", got \"",
             indexing, "\"");
    LT_CHECK(!tensors.empty(), ValueError, "meshgrid", "expects a non-empty list of tensors");
    for (const Tensor& t : tensors) {
      LT_CHECK(t.dim() <= 1, ShapeError, "meshgrid", "expects 0-dim or 1-D tensors, got one of shape ", str(t.sizes()));
      LT_CHECK(t.dtype() == tensors[0].dtype() && t.device() == tensors[0].device(), DTypeError, "meshgrid",
               "expects tensors of one dtype and device, got ", name(tensors[0].dtype()), " on ",
               tensors[0].device().str(), " and ", name(t.dtype()), " on ", t.device().str());
    }
    const int64_t n = static_cast<int64_t>(tensors.size());
    // "xy" swaps the roles of the first two inputs' dims (NumPy's Cartesian indexing).
    auto place = [&](int64_t k) { return indexing == "xy" && n >= 2 && k < 2 ? 1 - k : k; };
    Shape shape(n);
    for (int64_t k = 0; k < n; ++k) shape[place(k)] = tensors[k].numel();
    std::vector<Tensor> grids;
    for (int64_t k = 0; k < n; ++k) {
      Shape along(n, 1);
      along[place(k)] = -1;
      grids.push_back(tensors[k].reshape(along).expand(shape));
    }
    return grids;
  });
}

}  // namespace lt
