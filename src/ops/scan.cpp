// Scans along a dim: cumsum, cumprod (integers and bools give int64, as PyTorch; dtype=
// casts first), cummax and cummin (values and the index each value came from). The
// kernels see the input contiguous as (outer, n, inner), n the scanned dim.
#include "libtensor/autocast.h"
#include "helpers.h"

namespace lt {
namespace {

using autograd::Backward;
using autograd::TensorList;

struct Scan {
  Tensor src;   // contiguous
  Shape shape;  // (outer, n, inner)
  int64_t dim = 0;
};

Scan scan_of(const char* op, const Tensor& x, int64_t dim) {
  Scan s;
  s.dim = wrap_dim(dim, std::max<int64_t>(x.dim(), 1), op);
  s.src = x.contiguous();
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < s.dim; ++d) outer *= x.size(d);
  for (int64_t d = s.dim + 1; d < x.dim(); ++d) inner *= x.size(d);
  s.shape = {outer, x.dim() == 0 ? 1 : x.size(s.dim), inner};
  return s;
}

// sum over positions k >= j: a cumsum of the flipped tensor, flipped back.
Tensor reverse_cumsum(const Tensor& t, int64_t dim) {
  if (t.dim() == 0) return t;
  return flip(cumsum(flip(t, {dim}), dim), {dim});
}

// cumsum or cumprod of x already in the result's dtype.
Tensor cumulative(const char* op_name, const Tensor& x, int64_t dim, bool product) {
  static const Op<TensorKernel> op("cumulative");
  autograd::NoGradGuard no_grad;
  LT_CHECK(x.dtype() != DType::Bool, DTypeError, op_name, "dtype=bool is not supported (as in PyTorch)");
  Scan s = scan_of(op_name, x, dim);
  Tensor y = empty(x.sizes(), x.dtype(), x.device());
  Tensor tensors[] = {y.view(s.shape), s.src.view(s.shape)};
  const Scalar args[] = {Scalar(int64_t{product})};
  dispatch(op, std::span<Tensor>(tensors), ScalarList(args));
  return y;
}

DType scan_dtype(const Tensor& x, std::optional<DType> dtype) {
  if (dtype) return *dtype;
  return is_integral(x.dtype(), true) ? DType::Int64 : x.dtype();
}

// The gradient of y = cumprod(x) along dim, exact where x has zeros. Without zeros, x
// divides out of the products: sum_{k>=j} g_k y_k / x_j. With zeros, that holds before
// the first zero of a row; at the first zero z, the products that skip x_z are the
// cumprod of x with x_z set to 1; after it every product holds x_z = 0. That O(n)
// gradient's own derivative is wrong at zeros (its zero after z hides the dependence on
// x_z), so a gradient to differentiate again takes the products skipping each x_k in
// turn instead, O(n^2), as PyTorch does.
Tensor cumprod_backward(const Tensor& g, const Tensor& x, const Tensor& y, int64_t dim) {
  if (x.dim() == 0) return g;
  Tensor is_zero = x == 0;
  if (!any(is_zero).item<bool>()) return reverse_cumsum(g * y, dim) / x;
  if (autograd::is_recording()) {
    const int64_t n = x.size(dim);
    Shape along(x.dim(), 1);
    along[dim] = n;
    Tensor positions = arange(n, DType::Int64, x.device()).view(along);
    std::vector<Tensor> parts;
    for (int64_t k = 0; k < n; ++k) {
      Tensor skipping = cumprod(where(positions == k, Scalar(1), x), dim);
      parts.push_back(sum((g * skipping).narrow(dim, k, n - k), {dim}, true));
    }
    return cat(parts, dim);
  }
  Tensor zeros_seen = cumsum(is_zero, dim);
  Tensor before = zeros_seen == 0;
  Tensor first_zero = logical_and(is_zero, zeros_seen == 1);
  Tensor grad_before = reverse_cumsum(g * y, dim) / where(before, x, Scalar(1));
  Tensor skipping = cumprod(where(first_zero, Scalar(1), x), dim);
  Tensor grad_first = reverse_cumsum(g * skipping, dim);
  return where(before, grad_before, where(first_zero, grad_first, Scalar(0)));
}

}  // namespace

Tensor cumsum(const Tensor& x, int64_t dim, std::optional<DType> dtype) {
  LT_AUTOCAST(cumsum, x, dim, dtype);
  Tensor src = x.to(scan_dtype(x, dtype));
  Tensor y = cumulative("cumsum", src, dim, false);
  if (autograd::any_requires_grad(src)) {
    const int64_t d = wrap_dim(dim, std::max<int64_t>(x.dim(), 1), "cumsum");
    autograd::record("cumsum", {src}, {y}, {}, [d](const Backward& b) {
      return TensorList{reverse_cumsum(b.grad(), d)};
    });
  }
  return y;
}

Tensor cumprod(const Tensor& x, int64_t dim, std::optional<DType> dtype) {
  LT_AUTOCAST(cumprod, x, dim, dtype);
  Tensor src = x.to(scan_dtype(x, dtype));
  Tensor y = cumulative("cumprod", src, dim, true);
  if (autograd::any_requires_grad(src)) {
    const int64_t d = wrap_dim(dim, std::max<int64_t>(x.dim(), 1), "cumprod");
    autograd::record("cumprod", {src}, {y}, {src, y}, [d](const Backward& b) {
      return TensorList{cumprod_backward(b.grad(), b.saved[0], b.saved[1], d)};
    });
  }
  return y;
}

namespace {
std::tuple<Tensor, Tensor> cumulative_extreme(const char* name, const Tensor& x, int64_t dim) {
  static const Op<TensorKernel> op("cumulative_extreme");
  Tensor values, indices;
  int64_t d = 0;
  {
    autograd::NoGradGuard no_grad;
    Scan s = scan_of(name, x, dim);
    d = s.dim;
    values = empty(x.sizes(), x.dtype(), x.device());
    indices = empty(x.sizes(), DType::Int64, x.device());
    Tensor tensors[] = {values.view(s.shape), indices.view(s.shape), s.src.view(s.shape)};
    const Scalar args[] = {Scalar(int64_t{std::string_view(name) == "cummin"})};
    dispatch(op, std::span<Tensor>(tensors), ScalarList(args));
  }
  if (autograd::any_requires_grad(x)) {
    // Several positions may take their value from one element: their gradients add up.
    autograd::record(name, {x}, {values}, {indices}, [shape = x.sizes(), d](const Backward& b) {
      return TensorList{scatter_add(zeros(shape, b.grad().dtype(), b.grad().device()), d, b.saved[0], b.grad())};
    });
  }
  return {values, indices};
}
}  // namespace

std::tuple<Tensor, Tensor> cummax(const Tensor& x, int64_t dim) { return cumulative_extreme("cummax", x, dim); }
std::tuple<Tensor, Tensor> cummin(const Tensor& x, int64_t dim) { return cumulative_extreme("cummin", x, dim); }

}  // namespace lt
