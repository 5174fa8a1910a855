// copy_ (any dtype into any dtype, broadcasting), fill_ and flip.
#include "helpers.h"

namespace lt {

namespace {
// Between devices a backend moves bytes only: the source is cast and broadcast on its own
// device first, and a destination that is not contiguous is filled through a contiguous
// one on its device.
void copy_across_devices(Tensor& dst, const Tensor& src, bool non_blocking) {
  static const Op<TensorKernel> op("copy_between_devices");
  autograd::NoGradGuard no_grad;
  Tensor from = src.to(dst.dtype()).expand(dst.sizes()).contiguous();
  Tensor to = dst.is_contiguous() ? dst : empty(dst.sizes(), dst.dtype(), dst.device());
  const DeviceType backend = dst.device().type == DeviceType::CPU ? src.device().type : dst.device().type;
  Tensor tensors[] = {to, from};
  const Scalar args[] = {Scalar(non_blocking && to.is_same(dst))};
  op.kernel(backend)(std::span<Tensor>(tensors), ScalarList(args));
  if (!to.is_same(dst)) copy_(dst, to);
}
}  // namespace

Tensor& copy_(Tensor& dst, const Tensor& src, bool non_blocking) {
  static const Op<IterKernel> op("copy");
  LT_CHECK(dst.defined() && src.defined(), ValueError, "copy_", "undefined tensor");
  if (dst.is_same(src)) return dst;
  // src broadcasts to dst's shape; dst itself never broadcasts.
  Shape shape = broadcast_shapes(dst.sizes(), src.sizes(), "copy_");
  LT_CHECK(shape == dst.sizes(), ShapeError, "copy_", "source of shape ", str(src.sizes()),
           " cannot be broadcast to destination of shape ", str(dst.sizes()));
  // Integer and bool destinations hold no gradient, as in PyTorch.
  if (!is_floating(dst.dtype()) || !autograd::inplace_recording(dst, src)) {
    if (dst.numel() == 0) return dst;
    if (dst.device() != src.device()) {
      copy_across_devices(dst, src, non_blocking);
      return dst;
    }
    TensorIterator iter = TensorIteratorConfig("copy_").shape(dst.sizes()).add_output(dst).add_input(src).build();
    op.kernel(dst.device().type)(iter, {});
    return dst;
  }
  autograd::check_inplace("copy_", dst);
  // dst's old values get no gradient; src's gradient is dst's, summed over broadcast dims
  // and cast back to src's dtype by the node.
  auto node = std::make_shared<autograd::FunctionNode>(
      "copy_", std::vector<autograd::Edge>{autograd::gradient_edge(dst), autograd::gradient_edge(src)},
      std::vector<autograd::TensorMeta>{{dst.sizes(), dst.dtype(), dst.device()}, {src.sizes(), src.dtype(), src.device()}},
      [](const autograd::Backward& d) {
        return autograd::TensorList{d.needs[0] ? zeros_like(d.grad()) : Tensor(), d.grad()};
      });
  {
    autograd::NoGradGuard no_grad;
    copy_(dst, src, non_blocking);
  }
  autograd::rebase_history(dst, {std::move(node), 0});
  return dst;
}

namespace {
Tensor& filled(const char* node, Tensor& t, const Scalar& value) {
  static const Op<IterKernel> op("fill");
  LT_CHECK(t.defined(), ValueError, "fill_", "undefined tensor");
  autograd::check_inplace("fill_", t);
  TensorIterator iter = TensorIteratorConfig("fill_").add_output(t).build();
  const Scalar args[] = {value};
  op.kernel(t.device().type)(iter, ScalarList(args));
  autograd::record_overwrite(node, t);
  return t;
}
}  // namespace

// PyTorch's nodes: FillBackward2 (the number overload) and ZeroBackward0.
Tensor& fill_(Tensor& t, const Scalar& value) { return filled("fill.2", t, value); }
Tensor& zero_(Tensor& t) { return filled("zero", t, 0); }

Tensor flip(const Tensor& x, IntList dims) {
  std::vector<bool> mask = reduction_mask("flip", x, dims.empty() ? IntList{} : dims);
  if (dims.empty()) return x.clone();  // PyTorch flips nothing for an empty list
  // A reversed view with negative strides, copied: the strides never escape.
  Shape strides = x.strides();
  int64_t offset = x.storage_offset();
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (!mask[d] || x.size(d) == 0) continue;
    offset += (x.size(d) - 1) * strides[d];
    strides[d] = -strides[d];
  }
  Tensor reversed = make_tensor(x.storage(), x.dtype(), x.sizes(), strides, offset);
  Tensor y = reversed.clone();
  if (autograd::any_requires_grad(x)) {
    autograd::record("flip", {x}, {y}, {}, [dims = Shape(dims.begin(), dims.end())](const autograd::Backward& d) {
      return autograd::TensorList{flip(d.grad(), dims)};
    });
  }
  return y;
}

}  // namespace lt
