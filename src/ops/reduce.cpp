// Reductions. Sums accumulate in float for the 16-bit floats and in int64 for integers,
// as PyTorch does; the kernels add in cascades so that long sums stay accurate.
#include <cmath>

#include "libtensor/autocast.h"
#include "helpers.h"

namespace lt {
namespace {

DType accumulate_type(DType t) {
  if (is_integral(t, true)) return DType::Int64;
  return t == DType::Float64 ? DType::Float64 : DType::Float32;
}

// Runs a reduction kernel into a new keepdim-shaped tensor of dtype `out`.
Tensor reduce(const Op<IterKernel>& op, const Tensor& x, const std::vector<bool>& mask, DType out,
              ScalarList args = {}) {
  Tensor result = empty(kept_shape(x, mask), out, x.device());
  TensorIterator iter = TensorIteratorConfig(op.name()).add_output(result).add_input(x).reduction().build();
  op.kernel(x.device().type)(iter, args);
  return result;
}

int64_t reduced_count(const Tensor& x, const std::vector<bool>& mask) {
  int64_t n = 1;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (mask[d]) n *= x.size(d);
  }
  return n;
}

void check_nonempty(std::string_view op, const Tensor& x, const std::vector<bool>& mask) {
  for (int64_t d = 0; d < x.dim(); ++d) {
    LT_CHECK(!mask[d] || x.size(d) > 0, IndexError, op, "cannot reduce over dimension ", d,
             " of size 0 (shape ", str(x.sizes()), "): there is no identity");
  }
  LT_CHECK(x.numel() > 0 || x.dim() > 0, IndexError, op, "cannot reduce an empty tensor");
}

using autograd::Backward;
using autograd::TensorList;

// The dims a mask selects, as a list for the reductions inside derivatives.
Shape dims_of(const std::vector<bool>& mask) {
  Shape dims;
  for (size_t d = 0; d < mask.size(); ++d) {
    if (mask[d]) dims.push_back(static_cast<int64_t>(d));
  }
  return dims;
}

// sum and prod share their dtype rules: integers give int64 unless dtype says otherwise.
Tensor sum_like(const char* name, const Tensor& x, IntList dims, bool keepdim, std::optional<DType> dtype) {
  static const Op<IterKernel> sum_op("sum"), prod_op("prod");
  const Op<IterKernel>& op = std::string_view(name) == "sum" ? sum_op : prod_op;
  auto mask = reduction_mask(name, x, dims);
  Tensor y;
  {
    autograd::NoGradGuard no_grad;
    Tensor input = dtype ? x.to(*dtype) : x;
    DType out = dtype.value_or(is_integral(x.dtype(), true) ? DType::Int64 : x.dtype());
    Tensor r = reduce(op, input, mask, accumulate_type(input.dtype()));
    y = finish_reduction(r.to(out), mask, keepdim);
  }
  if (!autograd::any_requires_grad(x)) return y;
  Shape kept = kept_shape(x, mask);
  const bool all = dims.empty();  // PyTorch's first overload; the one with dims is the second
  if (&op == &sum_op) {
    // Every element contributes once: the gradient spreads back unchanged.
    autograd::record(all ? "sum" : "sum.1", {x}, {y}, {}, [kept, shape = x.sizes()](const Backward& d) {
      return TensorList{d.grad().reshape(kept).expand(shape)};
    });
    return y;
  }
  // d prod / d x_i is the product of the others: prod / x_i without zeros; with one zero,
  // the product of the rest at the zero and 0 elsewhere; with more, 0 everywhere.
  autograd::record(all ? "prod" : "prod.1", {x}, {y}, {x}, [kept, dims = dims_of(mask)](const Backward& d) {
    const Tensor& x = d.saved[0];
    Tensor is_zero = x == 0;
    Tensor zeros_count = sum(is_zero, dims, true);
    Tensor nonzero = where(is_zero, Scalar(1), x);
    Tensor rest = prod(nonzero, dims, true);
    Tensor others = where(zeros_count == 0, rest / nonzero, where(logical_and(zeros_count == 1, is_zero), rest, Scalar(0)));
    return TensorList{d.grad().reshape(kept) * others};
  });
  return y;
}

// Values and indices of the extreme along one dim: rows of the reduced dim, contiguous.
std::tuple<Tensor, Tensor> extreme_along(const char* name, const Tensor& x, std::optional<int64_t> dim,
                                         bool keepdim) {
  static const Op<TensorKernel> max_op("max_dim"), min_op("min_dim");
  const bool is_max = std::string_view(name).find("max") != std::string_view::npos;
  Tensor src = dim ? x : x.reshape({-1});
  int64_t d = dim ? wrap_dim(*dim, x.dim(), name) : 0;
  std::vector<bool> mask(src.dim(), false);
  if (src.dim() > 0) mask[d] = true;
  check_nonempty(name, src, mask);
  Tensor rows = src.dim() == 0 ? src.reshape({1, 1}) : src.transpose(d, -1).contiguous();
  const int64_t r = src.dim() == 0 ? 1 : src.size(d);
  rows = rows.view({-1, r});
  Tensor values = empty({rows.size(0)}, x.dtype(), x.device());
  Tensor indices = empty({rows.size(0)}, DType::Int64, x.device());
  Tensor tensors[] = {values, indices, rows};
  dispatch((is_max ? max_op : min_op), std::span<Tensor>(tensors), {});
  // Back to the input's shape with the reduced dim kept as size 1.
  Shape kept = kept_shape(src, mask);
  Shape moved = kept;
  if (src.dim() > 0) std::swap(moved[d], moved.back());
  values = values.view(moved);
  indices = indices.view(moved);
  if (src.dim() > 0) {
    values = values.transpose(d, -1);
    indices = indices.transpose(d, -1);
  }
  if (!dim) {
    // Over all elements: a 0-dim result, or all ones with keepdim.
    Shape ones(keepdim ? x.dim() : 0, 1);
    return {values.reshape(ones), indices.reshape(ones)};
  }
  return {finish_reduction(values, mask, keepdim), finish_reduction(indices, mask, keepdim)};
}

}  // namespace

Tensor sum(const Tensor& x, IntList dims, bool keepdim, std::optional<DType> dtype) {
  LT_AUTOCAST(sum, x, dims, keepdim, dtype);
  return sum_like("sum", x, dims, keepdim, dtype);
}

Tensor prod(const Tensor& x, IntList dims, bool keepdim, std::optional<DType> dtype) {
  LT_AUTOCAST(prod, x, dims, keepdim, dtype);
  return sum_like("prod", x, dims, keepdim, dtype);
}

Tensor mean(const Tensor& x, IntList dims, bool keepdim, std::optional<DType> dtype) {
  static const Op<IterKernel> op("sum");
  DType out = dtype.value_or(x.dtype());
  LT_CHECK(is_floating(out), DTypeError, "mean", "expects a floating-point input or dtype, got ", name(out));
  auto mask = reduction_mask("mean", x, dims);
  const double n = static_cast<double>(reduced_count(x, mask));
  Tensor y;
  {
    autograd::NoGradGuard no_grad;
    Tensor r = reduce(op, x.to(out), mask, accumulate_type(out));
    y = finish_reduction(div(r, n).to(out), mask, keepdim);
  }
  if (autograd::any_requires_grad(x)) {
    autograd::record(dims.empty() ? "mean" : "mean.1", {x}, {y}, {},
                     [kept = kept_shape(x, mask), shape = x.sizes(), n](const Backward& d) {
                       return TensorList{d.grad().reshape(kept).expand(shape) / n};
                     });
  }
  return y;
}

namespace {
// The gradient goes to the elements equal to the extreme, shared equally among ties.
Tensor extreme(const char* kernel, const char* name, const char* node, const Tensor& x, IntList dims, bool keepdim) {
  static const Op<IterKernel> max_op("amax"), min_op("amin");
  auto mask = reduction_mask(name, x, dims);
  check_nonempty(name, x, mask);
  Tensor y = finish_reduction(reduce(std::string_view(kernel) == "amax" ? max_op : min_op, x, mask, x.dtype()), mask,
                              keepdim);
  if (autograd::any_requires_grad(x)) {
    autograd::record(node, {x}, {y}, {x, y}, [kept = kept_shape(x, mask), dims = dims_of(mask)](const Backward& d) {
      Tensor at_extreme = d.saved[0] == d.saved[1].reshape(kept);
      Tensor ties = sum(at_extreme, dims, true);
      return TensorList{where(at_extreme, d.grad().reshape(kept) / ties, Scalar(0))};
    });
  }
  return y;
}
}  // namespace

Tensor amax(const Tensor& x, IntList dims, bool keepdim) { return extreme("amax", "amax", "amax", x, dims, keepdim); }
Tensor amin(const Tensor& x, IntList dims, bool keepdim) { return extreme("amin", "amin", "amin", x, dims, keepdim); }

Tensor all(const Tensor& x, IntList dims, bool keepdim) {
  static const Op<IterKernel> op("all");
  auto mask = reduction_mask("all", x, dims);
  Tensor r = finish_reduction(reduce(op, x, mask, DType::Bool), mask, keepdim);
  return x.dtype() == DType::UInt8 ? r.to(DType::UInt8) : r;  // PyTorch keeps uint8 for uint8
}

Tensor any(const Tensor& x, IntList dims, bool keepdim) {
  static const Op<IterKernel> op("any");
  auto mask = reduction_mask("any", x, dims);
  Tensor r = finish_reduction(reduce(op, x, mask, DType::Bool), mask, keepdim);
  return x.dtype() == DType::UInt8 ? r.to(DType::UInt8) : r;
}

// d var / dx = 2 (x - mean) / (n - correction); std = sqrt(var) divides that by 2 std.
Tensor var(const Tensor& x, IntList dims, double correction, bool keepdim) {
  check_floating("var", x);
  auto mask = reduction_mask("var", x, dims);
  const double divisor = std::max(static_cast<double>(reduced_count(x, mask)) - correction, 0.0);
  Tensor y;
  {
    autograd::NoGradGuard no_grad;
    // Two passes (mean, then squared deviations) in the accumulation type.
    Tensor xa = x.to(accumulate_type(x.dtype()));
    Tensor deviation = sub(xa, mean(xa, dims, true));
    Tensor r = div(sum(mul(deviation, deviation), dims, true), divisor);
    y = finish_reduction(r.to(x.dtype()), mask, keepdim);
  }
  if (autograd::any_requires_grad(x)) {
    autograd::record("var", {x}, {y}, {x},
                     [kept = kept_shape(x, mask), dims = dims_of(mask), divisor](const Backward& d) {
                       const Tensor& x = d.saved[0];
                       return TensorList{d.grad().reshape(kept) * (x - mean(x, dims, true)) * (2 / divisor)};
                     });
  }
  return y;
}

// Where the deviation is zero PyTorch's (sub)gradient is 0, not inf * 0.
Tensor std(const Tensor& x, IntList dims, double correction, bool keepdim) {
  Tensor y;
  {
    autograd::NoGradGuard no_grad;
    y = sqrt(var(x, dims, correction, keepdim));
  }
  if (autograd::any_requires_grad(x)) {
    auto mask = reduction_mask("std", x, dims);
    const double divisor = std::max(static_cast<double>(reduced_count(x, mask)) - correction, 0.0);
    autograd::record("std", {x}, {y}, {x, y},
                     [kept = kept_shape(x, mask), dims = dims_of(mask), divisor](const Backward& d) {
                       const Tensor &x = d.saved[0], y = d.saved[1].reshape(kept);
                       Tensor g = where(y == 0, Scalar(0), d.grad().reshape(kept) / (y * divisor));
                       return TensorList{g * (x - mean(x, dims, true))};
                     });
  }
  return y;
}

Tensor max(const Tensor& x) {
  LT_CHECK(x.numel() > 0, IndexError, "max", "cannot take the maximum of an empty tensor");
  return extreme("amax", "max", "max.1", x, {}, false);
}
Tensor min(const Tensor& x) {
  LT_CHECK(x.numel() > 0, IndexError, "min", "cannot take the minimum of an empty tensor");
  return extreme("amin", "min", "min.1", x, {}, false);
}
namespace {
// The values of max(dim) and min(dim): the gradient goes to the element each index names.
std::tuple<Tensor, Tensor> extreme_values(const char* name, const Tensor& x, int64_t dim, bool keepdim) {
  Tensor values, indices;
  {
    autograd::NoGradGuard no_grad;
    std::tie(values, indices) = extreme_along(name, x, dim, keepdim);
  }
  if (autograd::any_requires_grad(x)) {
    const int64_t d = x.dim() == 0 ? 0 : wrap_dim(dim, x.dim(), name);
    autograd::record(name, {x}, {values}, {indices}, [shape = x.sizes(), d, keepdim](const Backward& b) {
      if (shape.empty()) return TensorList{b.grad()};
      Tensor g = keepdim ? b.grad() : b.grad().unsqueeze(d);
      Tensor index = keepdim ? b.saved[0] : b.saved[0].unsqueeze(d);
      Shape along(shape.size(), 1);
      along[d] = shape[d];
      Tensor positions = arange(shape[d], DType::Int64, g.device()).view(along);
      return TensorList{where(positions == index, g, Scalar(0))};
    });
  }
  return {values, indices};
}
}  // namespace

std::tuple<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim) {
  return extreme_values("max", x, dim, keepdim);
}
std::tuple<Tensor, Tensor> min(const Tensor& x, int64_t dim, bool keepdim) {
  return extreme_values("min", x, dim, keepdim);
}
Tensor argmax(const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  autograd::NoGradGuard no_grad;
  return std::get<1>(extreme_along("argmax", x, dim, keepdim));
}
Tensor argmin(const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  autograd::NoGradGuard no_grad;
  return std::get<1>(extreme_along("argmin", x, dim, keepdim));
}

}  // namespace lt
