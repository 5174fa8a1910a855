// More index-driven operators, compositions of index / index_put, gather and
// index_select (their derivatives come from those): index_add, index_copy, index_fill,
// take, put, fill_diagonal_, masked_scatter, take_along_dim, repeat_interleave.
#include "libtensor/autocast.h"
#include "helpers.h"

namespace lt {
namespace {

// The index_put indices that address positions `index` along dim, whole elsewhere, and
// the checks index_add and index_copy share.
std::vector<std::optional<Tensor>> along_dim(const char* op, const Tensor& x, int64_t& dim, const Tensor& index,
                                             const Tensor& source) {
  LT_CHECK(is_integral(index.dtype(), false), DTypeError, op, "expects an integer index, got ", name(index.dtype()));
  LT_CHECK(index.dim() <= 1, ShapeError, op, "expects a 1-D index, got shape ", str(index.sizes()));
  LT_CHECK(source.dtype() == x.dtype(), DTypeError, op, "expects source of the input's dtype ", name(x.dtype()),
           ", got ", name(source.dtype()));
  dim = wrap_dim(dim, std::max<int64_t>(x.dim(), 1), op);
  Shape expected = x.dim() == 0 ? Shape{} : x.sizes();
  if (x.dim() > 0) expected[dim] = index.numel();
  const bool scalar_like = x.dim() <= 1 && source.numel() == index.numel() && source.dim() <= 1;
  LT_CHECK(source.sizes() == expected || scalar_like, ShapeError, op, "source of shape ", str(source.sizes()),
           " must have the input's shape ", str(x.sizes()), " with ", index.numel(), " (the index's length) in dim ",
           dim);
  std::vector<std::optional<Tensor>> indices(dim + 1);
  indices[dim] = index.reshape({-1});
  return indices;
}

Tensor as_1d(const Tensor& x) { return x.dim() == 0 ? x.reshape({1}) : x; }

Tensor index_written(const char* op, const Tensor& x, int64_t dim, const Tensor& index, const Tensor& source,
                     bool accumulate) {
  auto indices = along_dim(op, x, dim, index, source);
  Tensor values = x.dim() <= 1 ? source.reshape({-1}) : source;
  Tensor out = index_put_for(op, as_1d(x), indices, values, accumulate);
  return x.dim() == 0 ? out.reshape({}) : out;
}

}  // namespace

Tensor index_add(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  const bool unit = alpha.is_floating() ? alpha.to_double() == 1 : alpha.to_int() == 1;
  return index_written("index_add", x, dim, index, unit ? source : mul(source, alpha).to(x.dtype()), true);
}

Tensor index_copy(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& source) {
  LT_AUTOCAST(index_copy, x, dim, index, source);
  return index_written("index_copy", x, dim, index, source, false);
}

Tensor index_fill(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& value) {
  LT_CHECK(is_integral(index.dtype(), false), DTypeError, "index_fill", "expects an integer index, got ",
           name(index.dtype()));
  LT_CHECK(index.dim() <= 1, ShapeError, "index_fill", "expects a 1-D index, got shape ", str(index.sizes()));
  LT_CHECK(value.dim() == 0, ShapeError, "index_fill", "expects a number or a 0-dim value, got shape ",
           str(value.sizes()));
  dim = wrap_dim(dim, std::max<int64_t>(x.dim(), 1), "index_fill");
  std::vector<std::optional<Tensor>> indices(dim + 1);
  indices[dim] = index.reshape({-1});
  // A 0-dim value on the CPU fills a tensor on any device, as a number would (PyTorch's rule).
  const Tensor v = value.device() == kCPU ? value.to(x.device()) : value;
  Tensor out = index_put_for("index_fill", as_1d(x), indices, v.to(x.dtype()), false, /*wraps=*/true);
  return x.dim() == 0 ? out.reshape({}) : out;
}

Tensor index_fill(const Tensor& x, int64_t dim, const Tensor& index, const Scalar& value) {
  return index_fill(x, dim, index, full({}, value, x.dtype(), x.device()));
}

Tensor take(const Tensor& x, const Tensor& index) {
  LT_CHECK(is_integral(index.dtype(), false), DTypeError, "take", "expects an integer index, got ",
           name(index.dtype()));
  return index_for("take", x.reshape({-1}), {index}, /*wraps=*/true);
}

Tensor put(const Tensor& x, const Tensor& index, const Tensor& source, bool accumulate) {
  LT_CHECK(is_integral(index.dtype(), false), DTypeError, "put", "expects an integer index, got ", name(index.dtype()));
  LT_CHECK(index.numel() == source.numel(), ShapeError, "put", "expects source and index with one number of elements, "
           "got ", source.numel(), " and ", index.numel());
  LT_CHECK(source.dtype() == x.dtype(), DTypeError, "put", "expects source of the input's dtype ", name(x.dtype()),
           ", got ", name(source.dtype()));
  const Tensor out = index_put_for("put", x.reshape({-1}), {index.reshape({-1})}, source.reshape({-1}), accumulate,
                                   /*wraps=*/true);
  return out.reshape(x.sizes());
}

Tensor& fill_diagonal_(Tensor& x, const Scalar& value, bool wrap) {
  LT_CHECK(x.dim() >= 2, ShapeError, "fill_diagonal_", "expects at least 2 dims, got shape ", str(x.sizes()));
  if (x.dim() > 2) {
    for (int64_t d = 1; d < x.dim(); ++d) {
      LT_CHECK(x.size(d) == x.size(0), ShapeError, "fill_diagonal_", "expects dims of equal length, got shape ",
               str(x.sizes()));
    }
  }
  // The diagonal's elements are every step-th of x's row-major order.
  int64_t step = 0, count = x.size(0);
  if (x.dim() == 2) {
    step = x.size(1) + 1;
    count = wrap && x.numel() > 0 ? (x.numel() - 1) / step + 1 : std::min(x.size(0), x.size(1));
  } else {
    for (int64_t d = 0, power = 1; d < x.dim(); ++d, power *= x.size(0)) step += power;
  }
  Tensor mask = zeros({x.numel()}, DType::Bool, x.device());
  if (count > 0) mask.slice(0, 0, (count - 1) * step + 1, step).fill_(true);
  return named("fill_diagonal_", [&]() -> Tensor& { return x.copy_(masked_fill(x, mask.view(x.sizes()), value)); });
}

Tensor masked_scatter(const Tensor& x, const Tensor& mask, const Tensor& source) {
  LT_CHECK(mask.dtype() == DType::Bool, DTypeError, "masked_scatter", "expects a bool mask, got ", name(mask.dtype()));
  LT_CHECK(source.dtype() == x.dtype(), DTypeError, "masked_scatter", "expects source of the input's dtype ",
           name(x.dtype()), ", got ", name(source.dtype()));
  Shape shape = broadcast_shapes(x.sizes(), mask.sizes(), "masked_scatter");
  Tensor nz = nonzero(mask.expand(shape));
  const int64_t n = nz.size(0);
  LT_CHECK(n <= source.numel(), ShapeError, "masked_scatter", "the mask selects ", n,
           " elements but source of shape ", str(source.sizes()), " has only ", source.numel());
  Tensor values = source.reshape({-1}).narrow(0, 0, n);
  Tensor base = x.expand(shape);
  if (shape.empty()) return where(mask, values.reshape({}), x);  // 0-dim: all or nothing
  std::vector<std::optional<Tensor>> indices;
  for (int64_t d = 0; d < nz.size(1); ++d) indices.push_back(nz.select(1, d));
  return index_put(base, indices, values);
}

Tensor take_along_dim(const Tensor& x, const Tensor& indices, std::optional<int64_t> dim) {
  return named("take_along_dim", [&] {
    LT_CHECK(is_integral(indices.dtype(), false), DTypeError, "take_along_dim", "expects integer indices, got ",
             name(indices.dtype()));
    if (!dim) return gather(x.reshape({-1}), 0, indices.reshape({-1}));
    LT_CHECK(x.dim() == indices.dim(), ShapeError, "take_along_dim", "input of shape ", str(x.sizes()),
             " and indices of shape ", str(indices.sizes()), " must have the same number of dims");
    if (x.dim() == 0) return gather(x, 0, indices);
    const int64_t d = wrap_dim(*dim, x.dim(), "take_along_dim");
    // Broadcast everything but dim.
    Shape xs = x.sizes(), is = indices.sizes();
    xs[d] = 1;
    is[d] = 1;
    Shape shape = broadcast_shapes(xs, is, "take_along_dim");
    Shape x_shape = shape, i_shape = shape;
    x_shape[d] = x.size(d);
    i_shape[d] = indices.size(d);
    return gather(x.expand(x_shape), d, indices.expand(i_shape));
  });
}

Tensor repeat_interleave(const Tensor& repeats) {
  LT_CHECK(repeats.dim() <= 1, ShapeError, "repeat_interleave", "repeats must be 0-dim or 1-D, got shape ",
           str(repeats.sizes()));
  LT_CHECK(is_integral(repeats.dtype(), false), DTypeError, "repeat_interleave", "repeats must be integers, got ",
           name(repeats.dtype()));
  // The output's length depends on the values: they are read on the host, as PyTorch does.
  Tensor counts = repeats.reshape({-1}).to(DType::Int64).contiguous();
  LT_CHECK(counts.device() == kCPU, ValueError, "repeat_interleave", "repeats must be on the CPU");
  const int64_t* c = counts.data_ptr<int64_t>();
  std::vector<int64_t> out;
  for (int64_t i = 0; i < counts.numel(); ++i) {
    LT_CHECK(c[i] >= 0, ValueError, "repeat_interleave", "repeats can not be negative, got ", c[i]);
    out.insert(out.end(), c[i], i);
  }
  return from_vector<int64_t>(out, {static_cast<int64_t>(out.size())}, repeats.device());
}

Tensor repeat_interleave(const Tensor& x, const Tensor& repeats, std::optional<int64_t> dim) {
  Tensor input = dim ? x : x.reshape({-1});
  const int64_t d = dim ? wrap_dim(*dim, std::max<int64_t>(x.dim(), 1), "repeat_interleave") : 0;
  const int64_t size = input.dim() == 0 ? 1 : input.size(d);
  LT_CHECK(repeats.dim() <= 1, ShapeError, "repeat_interleave", "repeats must be 0-dim or 1-D, got shape ",
           str(repeats.sizes()));
  LT_CHECK(repeats.numel() == 1 || repeats.numel() == size, ShapeError, "repeat_interleave", "repeats of shape ",
           str(repeats.sizes()), " must have one element or ", size, " (the size of dim ", d, ")");
  Tensor r = repeats.numel() == 1 ? repeats.reshape({1}).expand({size}) : repeats.reshape({-1});
  return index_select(input, d, repeat_interleave(r));
}

Tensor repeat_interleave(const Tensor& x, int64_t repeats, std::optional<int64_t> dim) {
  LT_CHECK(repeats >= 0, ValueError, "repeat_interleave", "repeats can not be negative, got ", repeats);
  return repeat_interleave(x, scalar_tensor(repeats, DType::Int64, x.device()), dim);
}

}  // namespace lt
