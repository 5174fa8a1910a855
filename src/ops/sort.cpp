// Sorting along a dim: sort, argsort, topk, kthvalue, median. The kernels see rows of the
// sorted dim, contiguous (the dim moved last and copied where it is not last already);
// the results move back to the input's layout. NaN orders above every number. The
// values' gradient goes back to the elements the indices name (a scatter_add, itself
// differentiable).
#include <limits>

#include "helpers.h"

namespace lt {
namespace {

using autograd::Backward;
using autograd::TensorList;

// x (a 0-dim tensor as one element) with `dim` moved last, as contiguous rows.
struct Rows {
  Tensor rows;      // (count, n)
  Shape moved;      // the shape of x with dim moved last
  int64_t dim = 0;  // wrapped
  int64_t n = 1;    // the sorted dim's size
};

Rows rows_of(const char* op, const Tensor& x, int64_t dim) {
  Rows r;
  Tensor src = x.dim() == 0 ? x.reshape({1}) : x;
  r.dim = wrap_dim(dim, src.dim(), op);
  r.n = src.size(r.dim);
  Tensor moved = src.transpose(r.dim, -1).contiguous();
  r.moved = moved.sizes();
  int64_t count = 1;
  for (int64_t d = 0; d + 1 < moved.dim(); ++d) count *= moved.size(d);
  r.rows = moved.view({count, r.n});
  return r;
}

// A result in the moved layout (its last dim of any size), back in x's layout, contiguous.
Tensor moved_back(const Tensor& t, const Tensor& x, int64_t dim) {
  if (x.dim() == 0) return t.numel() == 1 ? t.reshape({}) : t;  // topk(k=0) of a 0-dim tensor stays (0)
  if (dim == x.dim() - 1) return t;
  return t.transpose(dim, -1).contiguous();
}

// Records the values' derivative: the gradient scattered to the positions of `indices`
// along dim (keepdim: whether indices keeps the reduced dim).
void record_selection(const char* name, const Tensor& x, const Tensor& values, const Tensor& indices, int64_t dim,
                      bool keepdim) {
  if (!autograd::any_requires_grad(x)) return;
  autograd::record(name, {x}, {values}, {indices}, [shape = x.sizes(), dim, keepdim](const Backward& d) {
    Tensor g = d.grad(), index = d.saved[0];
    if (!keepdim && !shape.empty()) {
      g = g.unsqueeze(dim);
      index = index.unsqueeze(dim);
    }
    return TensorList{scatter_add(zeros(shape, g.dtype(), g.device()), dim, index, g)};
  });
}

}  // namespace

std::tuple<Tensor, Tensor> sort(const Tensor& x, int64_t dim, bool descending, bool stable) {
  static const Op<TensorKernel> op("sort");
  Tensor values, indices;
  Rows r;
  {
    autograd::NoGradGuard no_grad;
    r = rows_of("sort", x, dim);
    values = empty(r.moved, x.dtype(), x.device());
    indices = empty(r.moved, DType::Int64, x.device());
    Tensor tensors[] = {values.view(r.rows.sizes()), indices.view(r.rows.sizes()), r.rows};
    const Scalar args[] = {Scalar(int64_t{descending}), Scalar(int64_t{stable})};
    dispatch(op, std::span<Tensor>(tensors), ScalarList(args));
    values = moved_back(values, x, r.dim);
    indices = moved_back(indices, x, r.dim);
  }
  record_selection("sort", x, values, indices, r.dim, true);
  return {values, indices};
}

Tensor argsort(const Tensor& x, int64_t dim, bool descending, bool stable) {
  autograd::NoGradGuard no_grad;
  return std::get<1>(sort(x, dim, descending, stable));
}

std::tuple<Tensor, Tensor> topk(const Tensor& x, int64_t k, int64_t dim, bool largest, bool sorted) {
  static const Op<TensorKernel> op("topk");
  Tensor values, indices;
  Rows r;
  {
    autograd::NoGradGuard no_grad;
    r = rows_of("topk", x, dim);
    LT_CHECK(k >= 0 && k <= r.n, ValueError, "topk", "k = ", k, " is out of range for dim ", r.dim, " of size ", r.n,
             " (shape ", str(x.sizes()), ")");
    Shape shape = r.moved;
    shape.back() = k;
    values = empty(shape, x.dtype(), x.device());
    indices = empty(shape, DType::Int64, x.device());
    const int64_t count = r.rows.size(0);
    Tensor tensors[] = {values.view({count, k}), indices.view({count, k}), r.rows};
    const Scalar args[] = {Scalar(k), Scalar(int64_t{largest}), Scalar(int64_t{sorted})};
    dispatch(op, std::span<Tensor>(tensors), ScalarList(args));
    values = moved_back(values, x, r.dim);
    indices = moved_back(indices, x, r.dim);
  }
  record_selection("topk", x, values, indices, r.dim, true);
  return {values, indices};
}

namespace {
// The k-th smallest (from 1) along dim; median: NaN wins. Results keep the dim as size 1
// unless keepdim is false.
std::tuple<Tensor, Tensor> kth(const char* name, const char* node, const Tensor& x, int64_t k, int64_t dim,
                               bool keepdim, bool median) {
  static const Op<TensorKernel> op("kthvalue");
  Tensor values, indices;
  Rows r;
  {
    autograd::NoGradGuard no_grad;
    r = rows_of(name, x, dim);
    if (median) {
      LT_CHECK(r.n > 0, IndexError, name, "expected reduction dim ", r.dim, " to have non-zero size (shape ",
               str(x.sizes()), ")");
      k = (r.n - 1) / 2 + 1;
    } else {
      LT_CHECK(k >= 1 && k <= r.n, ValueError, name, "k = ", k, " is out of range for dim ", r.dim, " of size ", r.n,
               " (shape ", str(x.sizes()), ")");
    }
    Shape shape = r.moved;
    shape.back() = 1;
    values = empty(shape, x.dtype(), x.device());
    indices = empty(shape, DType::Int64, x.device());
    const int64_t count = r.rows.size(0);
    Tensor tensors[] = {values.view({count}), indices.view({count}), r.rows};
    const Scalar args[] = {Scalar(k), Scalar(int64_t{median})};
    dispatch(op, std::span<Tensor>(tensors), ScalarList(args));
    values = moved_back(values, x, r.dim);
    indices = moved_back(indices, x, r.dim);
    if (!keepdim && x.dim() > 0) {
      values = values.squeeze(r.dim);
      indices = indices.squeeze(r.dim);
    }
  }
  record_selection(node, x, values, indices, r.dim, keepdim);
  return {values, indices};
}
}  // namespace

std::tuple<Tensor, Tensor> kthvalue(const Tensor& x, int64_t k, int64_t dim, bool keepdim) {
  return kth("kthvalue", "kthvalue", x, k, dim, keepdim, false);
}

std::tuple<Tensor, Tensor> median(const Tensor& x, int64_t dim, bool keepdim) {
  return kth("median", "median.1", x, 0, dim, keepdim, true);
}

// The lower median of all elements (NaN if any is NaN, as PyTorch; NaN for none). Its
// gradient is shared evenly by the elements equal to it, PyTorch's rule.
Tensor median(const Tensor& x) {
  Tensor y;
  LT_CHECK(x.numel() > 0 || is_floating(x.dtype()), IndexError, "median", "an empty ", name(x.dtype()),
           " tensor has no median");
  {
    autograd::NoGradGuard no_grad;
    y = x.numel() == 0 ? full({}, std::numeric_limits<double>::quiet_NaN(), x.dtype(), x.device())
                       : std::get<0>(median(x.reshape({-1}), 0, false));
  }
  if (autograd::any_requires_grad(x)) {
    autograd::record("median", {x}, {y}, {x, y}, [](const Backward& d) {
      const Tensor &x = d.saved[0], &y = d.saved[1];
      Tensor mask = where(isnan(y), isnan(x), x == y);
      return TensorList{where(mask, d.grad() / sum(mask), Scalar(0))};
    });
  }
  return y;
}

}  // namespace lt
