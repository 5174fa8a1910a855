// softmax, log_softmax and logsumexp over dims.
//
// softmax and log_softmax run fused kernels where the device has them ("softmax",
// "softmax_backward", ...); elsewhere, and for derivatives of derivatives, the
// compositions written next to them run instead: they are the reference the kernels are
// tested against, and they differentiate again.
#include <cmath>
#include <limits>

#include "libtensor/autocast.h"
#include "helpers.h"

namespace lt {
namespace {

using autograd::Backward;
using autograd::TensorList;

bool has_kernel(const Op<TensorKernel>& op, const Tensor& t) {
  return Registry::global().kernel(op.id(), t.device().type) != nullptr;
}

// The input cast to `dtype` (PyTorch's dtype= argument), checked to be floating.
Tensor softmax_input(const char* name, const Tensor& x, std::optional<DType> dtype) {
  Tensor in = dtype ? x.to(*dtype) : x;
  LT_CHECK(is_floating(in.dtype()), DTypeError, name, "expects a floating-point input or dtype, got ",
           lt::name(in.dtype()));
  return in;
}

// max over `dim`, with -inf where a whole slice is infinite, so that x - max stays finite
// where x is (PyTorch's convention for logsumexp; softmax of all -inf is NaN anyway).
Tensor stable_max(const Tensor& x, IntList dims) {
  Tensor m = amax(x, dims, true);
  return where(isinf(m), Scalar(0), m);
}

// The compositions.
Tensor softmax_composite(const Tensor& x, int64_t dim) {
  Tensor e = exp(x - amax(x, {dim}, true));
  return e / sum(e, {dim}, true);
}
Tensor log_softmax_composite(const Tensor& x, int64_t dim) {
  Tensor shifted = x - amax(x, {dim}, true);
  return shifted - log(sum(exp(shifted), {dim}, true));
}
Tensor softmax_backward_composite(const Tensor& g, const Tensor& y, int64_t dim) {
  return y * (g - sum(g * y, {dim}, true));
}
Tensor log_softmax_backward_composite(const Tensor& g, const Tensor& y, int64_t dim) {
  return g - exp(y) * sum(g, {dim}, true);
}

// Runs the fused kernel `op` on contiguous operands, the first tensor the output.
Tensor fused(const Op<TensorKernel>& op, std::initializer_list<Tensor> inputs, int64_t dim) {
  std::vector<Tensor> tensors{empty(inputs.begin()->sizes(), inputs.begin()->dtype(), inputs.begin()->device())};
  for (const Tensor& t : inputs) tensors.push_back(t.contiguous());
  const Scalar args[] = {Scalar(dim)};
  dispatch(op, std::span<Tensor>(tensors), ScalarList(args));
  return tensors[0];
}

template <bool Log>
Tensor softmax_like(const char* name, const Tensor& x, int64_t dim, std::optional<DType> dtype) {
  static const Op<TensorKernel> forward_op(Log ? "log_softmax" : "softmax");
  static const Op<TensorKernel> backward_op(Log ? "log_softmax_backward" : "softmax_backward");
  Tensor in = softmax_input(name, x, dtype);
  // A 0-dim tensor is one slice of one element.
  const int64_t d = in.dim() == 0 ? 0 : wrap_dim(dim, in.dim(), name);
  if (in.dim() == 0) wrap_dim(dim, 1, name);
  Tensor y;
  {
    autograd::NoGradGuard no_grad;
    Tensor rows = in.dim() == 0 ? in.reshape({1}) : in;
    y = has_kernel(forward_op, rows) ? fused(forward_op, {rows}, d)
                                     : (Log ? log_softmax_composite(rows, d) : softmax_composite(rows, d));
    if (in.dim() == 0) y = y.reshape({});
  }
  if (autograd::any_requires_grad(in)) {
    autograd::record(Log ? "_log_softmax" : "_softmax", {in}, {y}, {y}, [d](const Backward& b) {
      const Tensor &g = b.grad(), &y = b.saved[0];
      if (y.dim() == 0) return TensorList{Log ? g - exp(y) * g : y * (g - g * y)};
      // A derivative that will be differentiated again must be recorded: the composition.
      if (autograd::is_recording() || !has_kernel(backward_op, g)) {
        return TensorList{Log ? log_softmax_backward_composite(g, y, d) : softmax_backward_composite(g, y, d)};
      }
      return TensorList{fused(backward_op, {g.to(y.dtype()), y}, d)};
    });
  }
  return y;
}

}  // namespace

Tensor softmax(const Tensor& x, int64_t dim, std::optional<DType> dtype) {
  LT_AUTOCAST(softmax, x, dim, dtype);
  return softmax_like<false>("softmax", x, dim, dtype);
}

Tensor log_softmax(const Tensor& x, int64_t dim, std::optional<DType> dtype) {
  LT_AUTOCAST(log_softmax, x, dim, dtype);
  return softmax_like<true>("log_softmax", x, dim, dtype);
}

// log(sum(exp(x))) = m + log(sum(exp(x - m))), m the max; d/dx = exp(x - result).
Tensor logsumexp(const Tensor& x, IntList dims, bool keepdim) {
  LT_AUTOCAST(logsumexp, x, dims, keepdim);
  Tensor in = is_floating(x.dtype()) ? x : x.to(default_dtype());
  auto mask = reduction_mask("logsumexp", in, dims);
  Tensor y;
  {
    autograd::NoGradGuard no_grad;
    if (in.numel() == 0) {
      y = log(sum(in, dims, keepdim));  // log(0) = -inf, as PyTorch
    } else {
      Tensor m = stable_max(in, dims);
      y = finish_reduction(add(log(sum(exp(in - m), dims, true)), m), mask, keepdim);
    }
  }
  if (autograd::any_requires_grad(in)) {
    autograd::record("logsumexp", {in}, {y}, {in, y}, [kept = kept_shape(in, mask)](const Backward& b) {
      const Tensor &x = b.saved[0], &y = b.saved[1];
      return TensorList{b.grad().reshape(kept) * exp(x - y.reshape(kept))};
    });
  }
  return y;
}

}  // namespace lt
