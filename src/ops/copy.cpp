// copy_ (any dtype into any dtype, broadcasting), fill_ and flip.
#include "helpers.h"

namespace lt {

Tensor& copy_(Tensor& dst, const Tensor& src) {
  static const Op<IterKernel> op("copy");
  LT_CHECK(dst.defined() && src.defined(), ValueError, "copy_", "undefined tensor");
  if (dst.is_same(src) || dst.numel() == 0) return dst;
  // src broadcasts to dst's shape; dst itself never broadcasts.
  Shape shape = broadcast_shapes(dst.sizes(), src.sizes(), "copy_");
  LT_CHECK(shape == dst.sizes(), ShapeError, "copy_", "source of shape ", str(src.sizes()),
           " cannot be broadcast to destination of shape ", str(dst.sizes()));
  TensorIterator iter = TensorIteratorConfig("copy_").shape(dst.sizes()).add_output(dst).add_input(src).build();
  op.kernel(dst.device().type)(iter, {});
  return dst;
}

Tensor& fill_(Tensor& t, const Scalar& value) {
  static const Op<IterKernel> op("fill");
  LT_CHECK(t.defined(), ValueError, "fill_", "undefined tensor");
  TensorIterator iter = TensorIteratorConfig("fill_").add_output(t).build();
  const Scalar args[] = {value};
  op.kernel(t.device().type)(iter, ScalarList(args));
  return t;
}

Tensor flip(const Tensor& x, IntList dims) {
  std::vector<bool> mask = reduction_mask("flip", x, dims.empty() ? IntList{} : dims);
  if (dims.empty()) return x.clone();
  // A reversed view with negative strides, copied: the strides never escape.
  Shape strides = x.strides();
  int64_t offset = x.storage_offset();
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (!mask[d] || x.size(d) == 0) continue;
    offset += (x.size(d) - 1) * strides[d];
    strides[d] = -strides[d];
  }
  Tensor reversed = make_tensor(x.storage(), x.dtype(), x.sizes(), strides, offset);
  return reversed.clone();
}

}  // namespace lt
