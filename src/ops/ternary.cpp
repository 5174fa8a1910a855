// where, clamp and lerp: elementwise operators of three operands.
#include <cmath>
#include <limits>

#include "libtensor/autocast.h"
#include "helpers.h"

namespace lt {

using autograd::Backward;
using autograd::TensorList;

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
  Tensor y = iter.output();
  if (autograd::any_requires_grad(a, b)) {
    autograd::record("where", {a, b}, {y}, {condition}, [](const Backward& d) {
      const Tensor &g = d.grad(), &c = d.saved[0];
      return TensorList{d.needs[0] ? where(c, g, Scalar(0)) : Tensor(), d.needs[1] ? where(c, Scalar(0), g) : Tensor()};
    });
  }
  return y;
}
Tensor where(const Tensor& condition, const Scalar& a, const Tensor& b) {
  return where(condition, scalar_tensor(a, result_type({b, a}), b.device()), b);
}
Tensor where(const Tensor& condition, const Tensor& a, const Scalar& b) {
  return where(condition, a, scalar_tensor(b, result_type({a, b}), a.device()));
}

namespace {
Tensor clamp_recorded(const char* node, const Tensor& x, std::optional<Scalar> min, std::optional<Scalar> max) {
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
  Tensor y = run_elementwise(op, {x}, common, common, args);
  if (autograd::any_requires_grad(x)) {
    // The gradient passes where x is within the bounds (bounds included).
    autograd::record(node, {x}, {y}, {x}, [lo, hi](const Backward& d) {
      const Tensor& x = d.saved[0];
      return TensorList{where(logical_and(x >= lo, x <= hi), d.grad(), Scalar(0))};
    });
  }
  return y;
}
}  // namespace

// PyTorch's nodes: ClampBackward1 (number bounds), ClampMinBackward0, ClampMaxBackward0.
Tensor clamp(const Tensor& x, std::optional<Scalar> min, std::optional<Scalar> max) {
  return clamp_recorded("clamp.1", x, min, max);
}
Tensor clamp_min(const Tensor& x, const Scalar& min) { return clamp_recorded("clamp_min", x, min, {}); }

// Tensor bounds (broadcast, dtypes promoted): max(x, min), then min(., max). The
// gradient goes where the result came from, as PyTorch: to x within the bounds (bounds
// included), to min below it, to max above it or where min > max (the result is max).
Tensor clamp(const Tensor& x, const Tensor& min, const Tensor& max) {
  LT_CHECK(min.defined() || max.defined(), ValueError, "clamp", "at least one of min and max must be given");
  Tensor y;
  {
    autograd::NoGradGuard no_grad;
    y = x;
    if (min.defined()) y = maximum(y, min);
    if (max.defined()) y = minimum(y, max);
    if (y.is_same(x)) y = x.clone();
  }
  TensorList inputs{x};
  if (min.defined()) inputs.push_back(min);
  if (max.defined()) inputs.push_back(max);
  Tensor outputs[] = {y};
  Tensor saved[] = {x, min, max};
  autograd::record("clamp", inputs, outputs, saved, [](const Backward& d) {
    const Tensor &g = d.grad(), &x = d.saved[0], &lo = d.saved[1], &hi = d.saved[2];
    Tensor inside = ones_like(x).to(DType::Bool);
    if (lo.defined()) inside = logical_and(inside, x >= lo);
    if (hi.defined()) inside = logical_and(inside, x <= hi);
    TensorList grads{d.needs[0] ? where(inside, g, Scalar(0)) : Tensor()};
    if (lo.defined()) {
      Tensor below = hi.defined() ? logical_and(x < lo, lo <= hi) : x < lo;
      grads.push_back(d.needs[1] ? where(below, g, Scalar(0)) : Tensor());
    }
    if (hi.defined()) {
      Tensor above = lo.defined() ? logical_or(x > hi, lo > hi) : x > hi;
      grads.push_back(d.needs[grads.size()] ? where(above, g, Scalar(0)) : Tensor());
    }
    return grads;
  });
  return y;
}
Tensor clamp_max(const Tensor& x, const Scalar& max) { return clamp_recorded("clamp_max", x, {}, max); }

Tensor& Tensor::clamp_(const Scalar& min, const Scalar& max) {
  Tensor r = clamp(*this, min, max);
  LT_CHECK(can_cast(r.dtype(), dtype()), DTypeError, "clamp_", "result type ", name(r.dtype()),
           " can't be cast to the output's type ", name(dtype()));
  if (autograd::inplace_recording(*this)) {
    autograd::check_inplace("clamp_", *this);
    autograd::assign_inplace(*this, r);
  } else {
    copy_(r);
  }
  return *this;
}

namespace {
void check_lerp(const Tensor& start, const Tensor& end, const Tensor* weight) {
  check_floating("lerp", start);
  LT_CHECK(start.dtype() == end.dtype() && (!weight || start.dtype() == weight->dtype()), DTypeError, "lerp",
           "expects start, end and weight of one dtype, got ", name(start.dtype()), ", ", name(end.dtype()),
           " and ", weight ? name(weight->dtype()) : "a number");
}
}  // namespace

Tensor lerp(const Tensor& start, const Tensor& end, const Tensor& weight) {
  static const Op<IterKernel> op("lerp");
  check_lerp(start, end, &weight);
  Tensor y = run_elementwise(op, {start, end, weight}, start.dtype(), start.dtype());
  if (autograd::any_requires_grad(start, end, weight)) {
    autograd::record("lerp.1", {start, end, weight}, {y},
                     {end.requires_grad() || start.requires_grad() ? weight : Tensor(),
                      weight.requires_grad() ? start : Tensor(), weight.requires_grad() ? end : Tensor()},
                     [](const Backward& d) {
                       const Tensor &g = d.grad(), &w = d.saved[0], &start = d.saved[1], &end = d.saved[2];
                       return TensorList{d.needs[0] ? g * (1 - w) : Tensor(), d.needs[1] ? g * w : Tensor(),
                                         d.needs[2] ? g * (end - start) : Tensor()};
                     });
  }
  return y;
}

// A number weight stays a number: the kernel computes with it in the compute type, not
// rounded to the tensors' dtype (bfloat16 would turn 0.4 into 0.40039).
Tensor lerp(const Tensor& start, const Tensor& end, const Scalar& weight) {
  static const Op<IterKernel> op("lerp");
  check_lerp(start, end, nullptr);
  const Scalar args[] = {weight};
  Tensor y = run_elementwise(op, {start, end}, start.dtype(), start.dtype(), args);
  if (autograd::any_requires_grad(start, end)) {
    const double w = weight.to_double();
    autograd::record("lerp", {start, end}, {y}, {}, [w](const Backward& d) {
      return TensorList{d.needs[0] ? d.grad() * (1 - w) : Tensor(), d.needs[1] ? d.grad() * w : Tensor()};
    });
  }
  return y;
}

// input + value * t1 * t2 and input + value * t1 / t2: compositions.
// float16 and bfloat16 compute in float32 and round once, as PyTorch's kernels.
namespace {
// PyTorch casts the scale to an integer result's dtype first (0.5 -> 0).
Scalar scale_for(const Tensor& a, const Tensor& b, const Tensor& c, const Scalar& value) {
  const bool integral = is_integral(a.dtype(), true) && is_integral(b.dtype(), true) && is_integral(c.dtype(), true);
  return integral && value.is_floating() ? Scalar(static_cast<int64_t>(value.to_double())) : value;
}
}  // namespace

Tensor addcmul(const Tensor& input, const Tensor& t1, const Tensor& t2, const Scalar& value_) {
  LT_AUTOCAST(addcmul, input, t1, t2, value_);
  const Scalar value = scale_for(input, t1, t2, value_);
  const DType t = result_type({input, t1, t2});
  if (t == DType::Float16 || t == DType::BFloat16) {
    return addcmul(input.to(DType::Float32), t1.to(DType::Float32), t2.to(DType::Float32), value).to(t);
  }
  return input + t1 * t2 * value;
}
Tensor addcdiv(const Tensor& input, const Tensor& t1, const Tensor& t2, const Scalar& value) {
  LT_AUTOCAST(addcdiv, input, t1, t2, value);
  LT_CHECK(is_floating(t1.dtype()) || is_floating(t2.dtype()), DTypeError, "addcdiv",
           "integer division with addcdiv is not supported; use div");
  const DType t = result_type({input, t1, t2});
  if (t == DType::Float16 || t == DType::BFloat16) {
    return addcdiv(input.to(DType::Float32), t1.to(DType::Float32), t2.to(DType::Float32), value).to(t);
  }
  return input + t1 / t2 * value;
}

}  // namespace lt
