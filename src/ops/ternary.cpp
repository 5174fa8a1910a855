// where, clamp and lerp: elementwise operators of three operands.
#include <cmath>
#include <limits>

#include "helpers.h"

namespace lt {

Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
  static const Op<IterKernel> op("where");
  LT_CHECK(condition.dtype() == DType::Bool, DTypeError, "where", "condition must be a bool tensor, got ",
           name(condition.dtype()));
  DType common = result_type({a, b});
  TensorIterator iter = TensorIteratorConfig("where")
                            .add_output(Tensor(), common)
                            .add_input(condition)
                            .add_input(a, common)
                            .add_input(b, common)
                            .build();
  op.kernel(iter.output().device().type)(iter, {});
  return iter.output();
}
Tensor where(const Tensor& condition, const Scalar& a, const Tensor& b) {
  return where(condition, scalar_tensor(a, result_type({b, a}), b.device()), b);
}
Tensor where(const Tensor& condition, const Tensor& a, const Scalar& b) {
  return where(condition, a, scalar_tensor(b, result_type({a, b}), a.device()));
}

Tensor clamp(const Tensor& x, std::optional<Scalar> min, std::optional<Scalar> max) {
  static const Op<IterKernel> op("clamp");
  LT_CHECK(min || max, ValueError, "clamp", "at least one of min and max must be given");
  LT_CHECK(x.dtype() != DType::Bool, DTypeError, "clamp", "is not supported for bool tensors");
  DType common = x.dtype();
  if (min) common = promote_types(common, result_type({x, *min}));
  if (max) common = promote_types(common, result_type({x, *max}));
  // A missing bound is an infinite one: no element is beyond it.
  const double inf = std::numeric_limits<double>::infinity();
  const Scalar lo = min ? *min : Scalar(-inf), hi = max ? *max : Scalar(inf);
  const Scalar args[] = {lo, hi, Scalar(static_cast<int64_t>(min.has_value()) | (max.has_value() << 1))};
  return run_elementwise(op, {x}, common, common, args);
}

Tensor& Tensor::clamp_(const Scalar& min, const Scalar& max) {
  Tensor r = clamp(*this, min, max);
  LT_CHECK(can_cast(r.dtype(), dtype()), DTypeError, "clamp_", "result type ", name(r.dtype()),
           " can't be cast to the output's type ", name(dtype()));
  copy_(r);
  return *this;
}

Tensor lerp(const Tensor& start, const Tensor& end, const Tensor& weight) {
  static const Op<IterKernel> op("lerp");
  check_floating("lerp", start);
  LT_CHECK(start.dtype() == end.dtype() && start.dtype() == weight.dtype(), DTypeError, "lerp",
           "expects start, end and weight of one dtype, got ", name(start.dtype()), ", ", name(end.dtype()),
           " and ", name(weight.dtype()));
  return run_elementwise(op, {start, end, weight}, start.dtype(), start.dtype());
}

Tensor lerp(const Tensor& start, const Tensor& end, const Scalar& weight) {
  return lerp(start, end, scalar_tensor(weight, start.dtype(), start.device()));
}

}  // namespace lt
