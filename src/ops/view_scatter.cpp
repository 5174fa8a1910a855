// select_scatter, slice_scatter and diagonal_scatter: a copy of input with one of its
// views replaced by src. The copy is written through the view, so autograd splits the
// gradient between src (the view's part) and input (the rest).
#include "helpers.h"

namespace lt {
namespace {

template <class View>
Tensor scatter_into_view(const char* op, const Tensor& input, const Tensor& src, View view_of) {
  return named(op, [&] {
    const Shape view_shape = view_of(input).sizes();
    LT_CHECK(src.sizes() == view_shape, ShapeError, op, "expected src to have the shape of the view, ",
             str(view_shape), ", got ", str(src.sizes()));
    LT_CHECK(src.device() == input.device(), DeviceError, op, "src is on ", src.device().str(), " but input on ",
             input.device().str());
    Tensor out = input.clone();
    view_of(out).copy_(src);
    return out;
  });
}

}  // namespace

Tensor select_scatter(const Tensor& input, const Tensor& src, int64_t dim, int64_t index) {
  return scatter_into_view("select_scatter", input, src, [&](const Tensor& t) { return t.select(dim, index); });
}

Tensor slice_scatter(const Tensor& input, const Tensor& src, int64_t dim, std::optional<int64_t> start,
                     std::optional<int64_t> end, int64_t step) {
  return scatter_into_view("slice_scatter", input, src, [&](const Tensor& t) {
    LT_CHECK(step > 0, ValueError, "slice_scatter", "step must be positive, got ", step);
    const int64_t d = wrap_dim(dim, t.dim(), "slice_scatter");
    return t.slice(d, start.value_or(0), end.value_or(t.size(d)), step);
  });
}

Tensor diagonal_scatter(const Tensor& input, const Tensor& src, int64_t offset, int64_t dim1, int64_t dim2) {
  return scatter_into_view("diagonal_scatter", input, src,
                           [&](const Tensor& t) { return t.diagonal(offset, dim1, dim2); });
}

}  // namespace lt
