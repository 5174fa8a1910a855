// Binary operators. A number operand becomes a 0-dim tensor after type promotion has
// treated it as the weak operand it is.
#include "libtensor/autocast.h"
#include "helpers.h"

namespace lt {
namespace {

enum class Rule {
  Arithmetic,  // the promoted type
  NoBool,      // the promoted type, bool refused
  Floating,    // the promoted type, integral promoted to float32
  FloatOnly,   // the promoted type, floating only
  Compare,     // computed in the promoted type, bool result
  Logical,     // bool result of the operands' truth values
  Bitwise,     // integral or bool only
  Shift,       // integral only
};

Tensor binary(const Op<IterKernel>& op, const Tensor& a, const Tensor& b, DType common, Rule rule,
              ScalarList args = {}, const Tensor* into = nullptr) {
  switch (rule) {
    case Rule::Arithmetic:
      return run_elementwise(op, {a, b}, common, common, args, into);
    case Rule::NoBool:
      LT_CHECK(common != DType::Bool, DTypeError, op.name(), "is not supported for bool tensors");
      return run_elementwise(op, {a, b}, common, common, args, into);
    case Rule::Floating:
      if (!is_floating(common)) common = default_dtype();
      return run_elementwise(op, {a, b}, common, common, args, into);
    case Rule::FloatOnly:
      LT_CHECK(is_floating(common), DTypeError, op.name(), "expects floating-point tensors, got ", name(a.dtype()),
               " and ", name(b.dtype()));
      return run_elementwise(op, {a, b}, common, common, args, into);
    case Rule::Compare:
      return run_elementwise(op, {a, b}, common, DType::Bool, args, into);
    case Rule::Logical:
      return run_elementwise(op, {a.to(DType::Bool), b.to(DType::Bool)}, DType::Bool, DType::Bool, args, into);
    case Rule::Bitwise:
      LT_CHECK(is_integral(common, true), DTypeError, op.name(), "expects integral or bool tensors, got ",
               name(a.dtype()), " and ", name(b.dtype()));
      return run_elementwise(op, {a, b}, common, common, args, into);
    case Rule::Shift:
      LT_CHECK(is_integral(common), DTypeError, op.name(), "expects integral tensors, got ", name(a.dtype()),
               " and ", name(b.dtype()));
      return run_elementwise(op, {a, b}, common, common, args, into);
  }
  return {};
}

Tensor binary(const Op<IterKernel>& op, const Tensor& a, const Tensor& b, Rule rule) {
  return binary(op, a, b, result_type({a, b}), rule);
}

// The dtype a number operand is materialized in: the type it is computed in, so that
// uint8 / -2 divides by -2.0 rather than by 254.
DType number_dtype(DType common, Rule rule) {
  return rule == Rule::Floating && !is_floating(common) ? default_dtype() : common;
}

Tensor binary(const Op<IterKernel>& op, const Tensor& a, const Scalar& b, Rule rule) {
  DType common = result_type({a, b});
  return binary(op, a, scalar_tensor(b, number_dtype(common, rule), a.device()), common, rule);
}

// The kernel of add computes a + alpha * b; sub is add with -alpha.
Tensor add_impl(std::string_view name, const Tensor& a, const Tensor& b, DType common, const Scalar& alpha,
                const Tensor* into) {
  static const Op<IterKernel> op("add");
  LT_CHECK(!alpha.is_floating() || is_floating(common), DTypeError, name,
           "alpha must not be a floating-point number for integral inputs, got alpha=", alpha.str());
  LT_CHECK(!alpha.is_integral() || common != DType::Bool || alpha.to_int() == 0 || alpha.to_int() == 1, DTypeError,
           name, "alpha must be a bool for bool inputs");
  // sub and the in-place forms run on add's kernel; their shape errors name them.
  if (name != op.name()) broadcast_shapes(a.sizes(), b.sizes(), name);
  const Scalar args[] = {alpha};
  return binary(op, a, b, common, Rule::Arithmetic, args, into);
}

Scalar negate(const Scalar& s) { return s.is_floating() ? Scalar(-s.to_double()) : Scalar(-s.to_int()); }

void check_sub(const Tensor& a, const Tensor& b, bool b_is_bool_number = false) {
  LT_CHECK(a.dtype() != DType::Bool && b.dtype() != DType::Bool && !b_is_bool_number, DTypeError, "sub",
           "subtraction with a bool tensor is not supported; to invert a mask, use ~ or logical_not");
}

Tensor div_impl(const Tensor& a, const Tensor& b, DType common, std::string_view mode, const Tensor* into = nullptr) {
  static const Op<IterKernel> true_div("div");
  static const Op<IterKernel> trunc_div("div_trunc");
  static const Op<IterKernel> floor_div("div_floor");
  if (mode.empty()) return binary(true_div, a, b, common, Rule::Floating, {}, into);
  LT_CHECK(mode == "trunc" || mode == "floor", ValueError, "div", "rounding_mode must be \"trunc\", \"floor\" or empty, got \"",
           mode, "\"");
  return binary(mode == "trunc" ? trunc_div : floor_div, a, b, common, Rule::NoBool, {}, into);
}

using autograd::Backward;
using autograd::TensorList;

// The number operand of a tensor-number operator, as the tensor it is computed with.
Tensor number_operand(const Tensor& a, const Scalar& b, Rule rule) {
  return scalar_tensor(b, number_dtype(result_type({a, b}), rule), a.device());
}

}  // namespace

// --- add and sub: y = a + alpha * b ----------------------------------------------------

namespace {
Tensor add_recorded(const char* name, const Tensor& a, const Tensor& b, DType common, const Scalar& alpha) {
  Tensor y = add_impl(name, a, b, common, alpha, nullptr);
  if (autograd::any_requires_grad(a, b)) {
    autograd::record(name, {a, b}, {y}, {}, [alpha](const Backward& d) {
      const bool unit = alpha.is_floating() ? alpha.to_double() == 1 : alpha.to_int() == 1;
      return TensorList{d.grad(), !d.needs[1] ? Tensor() : unit ? d.grad() : mul(d.grad(), alpha)};
    });
  }
  return y;
}
}  // namespace

Tensor add(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  return add_recorded("add", a, b, result_type({a, b}), alpha);
}
Tensor add(const Tensor& a, const Scalar& b, const Scalar& alpha) {
  DType common = result_type({a, b});
  return add_recorded("add", a, scalar_tensor(b, common, a.device()), common, alpha);
}
Tensor sub(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  check_sub(a, b);
  return add_recorded("sub", a, b, result_type({a, b}), negate(alpha));
}
Tensor sub(const Tensor& a, const Scalar& b, const Scalar& alpha) {
  DType common = result_type({a, b});
  Tensor bt = scalar_tensor(b, common, a.device());
  check_sub(a, bt, b.is_bool());
  return add_recorded("sub", a, bt, common, negate(alpha));
}
Tensor rsub(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  check_sub(b, a);
  Tensor y = add_impl("rsub", b, a, result_type({a, b}), negate(alpha), nullptr);
  if (autograd::any_requires_grad(a, b)) {
    autograd::record("rsub", {a, b}, {y}, {}, [alpha](const Backward& d) {
      return TensorList{d.needs[0] ? mul(d.grad(), negate(alpha)) : Tensor(), d.grad()};
    });
  }
  return y;
}
Tensor rsub(const Tensor& a, const Scalar& b, const Scalar& alpha) {
  DType common = result_type({a, b});
  Tensor bt = scalar_tensor(b, common, a.device());
  check_sub(a, bt, b.is_bool());
  Tensor y = add_impl("rsub", bt, a, common, negate(alpha), nullptr);
  if (autograd::any_requires_grad(a)) {
    autograd::record("rsub.1", {a}, {y}, {},
                     [alpha](const Backward& d) { return TensorList{mul(d.grad(), negate(alpha))}; });
  }
  return y;
}

// --- mul: y = a * b ------------------------------------------------------------------------

namespace {
Tensor mul_recorded(const Tensor& a, const Tensor& b, DType common) {
  static const Op<IterKernel> op("mul");
  Tensor y = binary(op, a, b, common, Rule::Arithmetic);
  if (autograd::any_requires_grad(a, b)) {
    // Each side's gradient reads the other side only.
    autograd::record("mul", {a, b}, {y}, {b.requires_grad() ? a : Tensor(), a.requires_grad() ? b : Tensor()},
                     [](const Backward& d) {
                       const Tensor &g = d.grad(), &a = d.saved[0], &b = d.saved[1];
                       return TensorList{d.needs[0] ? g * b : Tensor(), d.needs[1] ? g * a : Tensor()};
                     });
  }
  return y;
}
}  // namespace

Tensor mul(const Tensor& a, const Tensor& b) { return mul_recorded(a, b, result_type({a, b})); }
Tensor mul(const Tensor& a, const Scalar& b) {
  DType common = result_type({a, b});
  return mul_recorded(a, scalar_tensor(b, common, a.device()), common);
}

// --- div: y = a / b; rounded quotients are piecewise constant ---------------------------------

namespace {
Tensor div_recorded(const Tensor& a, const Tensor& b, DType common, std::string_view mode) {
  Tensor y = div_impl(a, b, common, mode);
  if (!autograd::any_requires_grad(a, b)) return y;
  if (!mode.empty()) {
    autograd::record("div", {a, b}, {y}, {}, [](const Backward& d) {
      return TensorList{zeros_like(d.grad()), zeros_like(d.grad())};
    });
    return y;
  }
  autograd::record("div", {a, b}, {y}, {b.requires_grad() ? a : Tensor(), b}, [](const Backward& d) {
    const Tensor &g = d.grad(), &a = d.saved[0], &b = d.saved[1];
    return TensorList{d.needs[0] ? g / b : Tensor(), d.needs[1] ? -g * a / (b * b) : Tensor()};
  });
  return y;
}
}  // namespace

Tensor div(const Tensor& a, const Tensor& b, std::string_view mode) {
  return div_recorded(a, b, result_type({a, b}), mode);
}
Tensor div(const Tensor& a, const Scalar& b, std::string_view mode) {
  DType common = result_type({a, b});
  const DType number = mode.empty() ? number_dtype(common, Rule::Floating) : common;
  return div_recorded(a, scalar_tensor(b, number, a.device()), common, mode);
}
Tensor floor_divide(const Tensor& a, const Tensor& b) { return div(a, b, "floor"); }
Tensor floor_divide(const Tensor& a, const Scalar& b) { return div(a, b, "floor"); }

// --- the other differentiable binary operators: both derivatives read a and b ----------------

// `tensor_overload` names the node of two tensors, PyTorch's name ("fmod.1": FmodBackward1).
#define LT_BINARY_DIFFERENTIABLE(fn, tensor_overload, rule, da, db)                                              \
  namespace {                                                                                     \
  Tensor fn##_recorded(const char* node, const Tensor& a, const Tensor& b, DType common) {       \
    static const Op<IterKernel> op(#fn);                                                          \
    Tensor y = binary(op, a, b, common, Rule::rule);                                              \
    if (autograd::any_requires_grad(a, b)) {                                                      \
      autograd::record(node, {a, b}, {y}, {a, b}, [](const Backward& d) {                         \
        const Tensor &g = d.grad(), &a = d.saved[0], &b = d.saved[1];                             \
        return TensorList{d.needs[0] ? Tensor(da) : Tensor(), d.needs[1] ? Tensor(db) : Tensor()}; \
      });                                                                                         \
    }                                                                                             \
    return y;                                                                                     \
  }                                                                                               \
  }                                                                                               \
  Tensor fn(const Tensor& a, const Tensor& b) {                                                   \
    LT_AUTOCAST(fn, a, b);                                                                        \
    return fn##_recorded(tensor_overload, a, b, result_type({a, b}));                             \
  }                                                                                               \
  Tensor fn(const Tensor& a, const Scalar& b) {                                                   \
    LT_AUTOCAST(fn, a, b);                                                                        \
    return fn##_recorded(#fn, a, number_operand(a, b, Rule::rule), result_type({a, b}));         \
  }

//                       operator   node           dtype rule  d/da                         d/db
LT_BINARY_DIFFERENTIABLE(remainder, "remainder.1", NoBool,     g,                           -g * div(a, b, "floor"))
LT_BINARY_DIFFERENTIABLE(fmod,      "fmod.1",      NoBool,     g,                           -g * div(a, b, "trunc"))
LT_BINARY_DIFFERENTIABLE(atan2,     "atan2",       Floating,   g * b / (a * a + b * b),     -g * a / (a * a + b * b))
// Ties share the gradient equally, as in PyTorch.
LT_BINARY_DIFFERENTIABLE(maximum,   "maximum",     Arithmetic, where(a < b, Scalar(0), where(a == b, g / 2, g)), where(b < a, Scalar(0), where(a == b, g / 2, g)))
LT_BINARY_DIFFERENTIABLE(minimum,   "minimum",     Arithmetic, where(a > b, Scalar(0), where(a == b, g / 2, g)), where(b > a, Scalar(0), where(a == b, g / 2, g)))
LT_BINARY_DIFFERENTIABLE(hypot,     "hypot",       FloatOnly,  g * a / hypot(a, b),         g * b / hypot(a, b))
// x * log(y); where x == 0 the result is constant 0 in x, so d/dx is xlogy(x != 0, y).
LT_BINARY_DIFFERENTIABLE(xlogy,     "xlogy",       Floating,   g * xlogy(a != 0, b),        g * a / b)
// PyTorch's formula: the ratio y / x, taken as 0 at x == 0; the sign operand gets zeros.
LT_BINARY_DIFFERENTIABLE(copysign,  "copysign",    Floating,   g * where(a == 0, Scalar(0), copysign(a, b) / a), zeros_like(g))
#undef LT_BINARY_DIFFERENTIABLE

Tensor xlogy(const Scalar& x, const Tensor& y) {
  return xlogy_recorded("xlogy", scalar_tensor(x, number_dtype(result_type({y, x}), Rule::Floating), y.device()), y,
                        result_type({y, x}));
}

// --- operators with bool results: not differentiable --------------------------------------------

#define LT_BINARY(fn, rule)                                                                       \
  Tensor fn(const Tensor& a, const Tensor& b) {                                                   \
    static const Op<IterKernel> op(#fn);                                                          \
    return binary(op, a, b, Rule::rule);                                                          \
  }                                                                                               \
  Tensor fn(const Tensor& a, const Scalar& b) {                                                   \
    static const Op<IterKernel> op(#fn);                                                          \
    return binary(op, a, b, Rule::rule);                                                          \
  }

LT_BINARY(eq, Compare)
LT_BINARY(ne, Compare)
LT_BINARY(lt, Compare)
LT_BINARY(le, Compare)
LT_BINARY(gt, Compare)
LT_BINARY(ge, Compare)
LT_BINARY(logical_and, Logical)
LT_BINARY(logical_or, Logical)
LT_BINARY(logical_xor, Logical)
LT_BINARY(bitwise_and, Bitwise)
LT_BINARY(bitwise_or, Bitwise)
LT_BINARY(bitwise_xor, Bitwise)
LT_BINARY(bitwise_left_shift, Shift)
LT_BINARY(bitwise_right_shift, Shift)
#undef LT_BINARY

// --- pow: y = a ** b ------------------------------------------------------------------------------

Tensor pow(const Tensor& a, const Tensor& b) {
  LT_AUTOCAST(pow, a, b);
  static const Op<IterKernel> op("pow");
  Tensor y = binary(op, a, b, Rule::NoBool);
  if (autograd::any_requires_grad(a, b)) {
    autograd::record("pow.1", {a, b}, {y}, {a, b, b.requires_grad() ? y : Tensor()}, [](const Backward& d) {
      const Tensor &g = d.grad(), &a = d.saved[0], &b = d.saved[1], &y = d.saved[2];
      // Where b == 0, a ** b is constant 1; where a == 0 and b >= 0, the limit of y * log(a) is 0.
      return TensorList{d.needs[0] ? where(b == 0, Scalar(0), g * b * pow(a, b - 1)) : Tensor(),
                        d.needs[1] ? where(logical_and(a == 0, b >= 0), Scalar(0), g * y * log(a)) : Tensor()};
    });
  }
  return y;
}
Tensor pow(const Tensor& a, const Scalar& b) {
  LT_AUTOCAST(pow, a, b);
  LT_CHECK(!(is_integral(a.dtype(), true) && b.is_integral() && b.to_int() < 0), ValueError, "pow",
           "integers to negative integer powers are not allowed");
  static const Op<IterKernel> op("pow");
  Tensor y = binary(op, a, b, Rule::NoBool);
  if (autograd::any_requires_grad(a)) {
    autograd::record("pow", {a}, {y}, {a}, [b](const Backward& d) {
      if (b.to_double() == 0) return TensorList{zeros_like(d.grad())};
      const Scalar b_minus_1 = b.is_floating() ? Scalar(b.to_double() - 1) : Scalar(b.to_int() - 1);
      return TensorList{d.grad() * pow(d.saved[0], b_minus_1) * b};
    });
  }
  return y;
}
Tensor pow(const Scalar& base, const Tensor& exponent) {
  DType common = result_type({exponent, base});
  return pow(scalar_tensor(base, common, exponent.device()), exponent.to(common));
}

// Reflected operators: the number is on the left.
Tensor operator+(const Scalar& a, const Tensor& b) { return add(b, a); }
Tensor operator-(const Scalar& a, const Tensor& b) { return rsub(b, a); }
Tensor operator*(const Scalar& a, const Tensor& b) { return mul(b, a); }
// As PyTorch computes it (and records it: a reciprocal, then a mul).
Tensor operator/(const Scalar& a, const Tensor& b) { return mul(reciprocal(b), a); }
Tensor operator%(const Scalar& a, const Tensor& b) {
  DType common = result_type({b, a});
  return remainder(scalar_tensor(a, common, b.device()), b.to(common));
}
Tensor operator==(const Scalar& a, const Tensor& b) { return eq(b, a); }
Tensor operator!=(const Scalar& a, const Tensor& b) { return ne(b, a); }
Tensor operator<(const Scalar& a, const Tensor& b) { return gt(b, a); }
Tensor operator<=(const Scalar& a, const Tensor& b) { return ge(b, a); }
Tensor operator>(const Scalar& a, const Tensor& b) { return lt(b, a); }
Tensor operator>=(const Scalar& a, const Tensor& b) { return le(b, a); }
Tensor operator&(const Scalar& a, const Tensor& b) { return bitwise_and(b, a); }
Tensor operator|(const Scalar& a, const Tensor& b) { return bitwise_or(b, a); }
Tensor operator^(const Scalar& a, const Tensor& b) { return bitwise_xor(b, a); }
Tensor operator<<(const Scalar& a, const Tensor& b) {
  DType common = result_type({b, a});
  return bitwise_left_shift(scalar_tensor(a, common, b.device()), b.to(common));
}
Tensor operator>>(const Scalar& a, const Tensor& b) {
  DType common = result_type({b, a});
  return bitwise_right_shift(scalar_tensor(a, common, b.device()), b.to(common));
}

// In-place arithmetic writes into this tensor; the result type must cast to it. Under
// autograd the result is computed out of place and then written, so that it is recorded.
namespace {
Tensor& assign(const char* name, Tensor& self, const Tensor& result) {
  LT_CHECK(can_cast(result.dtype(), self.dtype()), DTypeError, name, "result type ", lt::name(result.dtype()),
           " can't be cast to the output's type ", lt::name(self.dtype()));
  LT_CHECK(result.sizes() == self.sizes(), ShapeError, name, "output with shape ", str(self.sizes()),
           " doesn't match the broadcast shape ", str(result.sizes()));
  autograd::check_inplace(name, self);
  autograd::assign_inplace(self, result);
  return self;
}
}  // namespace

Tensor& Tensor::add_(const Tensor& other, const Scalar& alpha) {
  if (autograd::inplace_recording(*this, other)) return assign("add_", *this, add(*this, other, alpha));
  add_impl("add_", *this, other, result_type({*this, other}), alpha, this);
  return *this;
}
Tensor& Tensor::add_(const Scalar& other) {
  if (autograd::inplace_recording(*this)) return assign("add_", *this, add(*this, other));
  DType common = result_type({*this, other});
  add_impl("add_", *this, scalar_tensor(other, common, device()), common, 1, this);
  return *this;
}
Tensor& Tensor::sub_(const Tensor& other, const Scalar& alpha) {
  if (autograd::inplace_recording(*this, other)) return assign("sub_", *this, sub(*this, other, alpha));
  check_sub(*this, other);
  add_impl("sub_", *this, other, result_type({*this, other}), negate(alpha), this);
  return *this;
}
Tensor& Tensor::mul_(const Tensor& other) {
  if (autograd::inplace_recording(*this, other)) return assign("mul_", *this, mul(*this, other));
  static const Op<IterKernel> op("mul");
  binary(op, *this, other, result_type({*this, other}), Rule::Arithmetic, {}, this);
  return *this;
}
Tensor& Tensor::mul_(const Scalar& other) {
  if (autograd::inplace_recording(*this)) return assign("mul_", *this, mul(*this, other));
  static const Op<IterKernel> op("mul");
  DType common = result_type({*this, other});
  binary(op, *this, scalar_tensor(other, common, device()), common, Rule::Arithmetic, {}, this);
  return *this;
}
Tensor& Tensor::div_(const Tensor& other) {
  if (autograd::inplace_recording(*this, other)) return assign("div_", *this, div(*this, other));
  div_impl(*this, other, result_type({*this, other}), "", this);
  return *this;
}

}  // namespace lt
