// Binary operators. A number operand becomes a 0-dim tensor after type promotion has
// treated it as the weak operand it is.
#include "helpers.h"

namespace lt {
namespace {

enum class Rule {
  Arithmetic,  // the promoted type
  NoBool,      // the promoted type, bool refused
  Floating,    // the promoted type, integral promoted to float32
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
      if (!is_floating(common)) common = kDefaultFloat;
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
  return rule == Rule::Floating && !is_floating(common) ? kDefaultFloat : common;
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
  const Scalar args[] = {alpha};
  return binary(op, a, b, common, Rule::Arithmetic, args, into);
}

Scalar negate(const Scalar& s) { return s.is_floating() ? Scalar(-s.to_double()) : Scalar(-s.to_int()); }

void check_sub(const Tensor& a, const Tensor& b) {
  LT_CHECK(a.dtype() != DType::Bool || b.dtype() != DType::Bool, DTypeError, "sub",
           "subtraction of bool tensors is not supported; use logical_xor");
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

}  // namespace

Tensor add(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  return add_impl("add", a, b, result_type({a, b}), alpha, nullptr);
}
Tensor add(const Tensor& a, const Scalar& b, const Scalar& alpha) {
  DType common = result_type({a, b});
  return add_impl("add", a, scalar_tensor(b, common, a.device()), common, alpha, nullptr);
}
Tensor sub(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  check_sub(a, b);
  return add_impl("sub", a, b, result_type({a, b}), negate(alpha), nullptr);
}
Tensor sub(const Tensor& a, const Scalar& b, const Scalar& alpha) {
  DType common = result_type({a, b});
  Tensor bt = scalar_tensor(b, common, a.device());
  check_sub(a, bt);
  return add_impl("sub", a, bt, common, negate(alpha), nullptr);
}

Tensor div(const Tensor& a, const Tensor& b, std::string_view mode) { return div_impl(a, b, result_type({a, b}), mode); }
Tensor div(const Tensor& a, const Scalar& b, std::string_view mode) {
  DType common = result_type({a, b});
  const DType number = mode.empty() ? number_dtype(common, Rule::Floating) : common;
  return div_impl(a, scalar_tensor(b, number, a.device()), common, mode);
}

#define LT_BINARY(fn, rule)                                                                       \
  Tensor fn(const Tensor& a, const Tensor& b) {                                                   \
    static const Op<IterKernel> op(#fn);                                                          \
    return binary(op, a, b, Rule::rule);                                                          \
  }                                                                                               \
  Tensor fn(const Tensor& a, const Scalar& b) {                                                   \
    static const Op<IterKernel> op(#fn);                                                          \
    return binary(op, a, b, Rule::rule);                                                          \
  }

LT_BINARY(mul, Arithmetic)
LT_BINARY(remainder, NoBool)
LT_BINARY(fmod, NoBool)
LT_BINARY(atan2, Floating)
LT_BINARY(maximum, Arithmetic)
LT_BINARY(minimum, Arithmetic)
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

Tensor floor_divide(const Tensor& a, const Tensor& b) { return div(a, b, "floor"); }
Tensor floor_divide(const Tensor& a, const Scalar& b) { return div(a, b, "floor"); }

Tensor pow(const Tensor& a, const Tensor& b) {
  static const Op<IterKernel> op("pow");
  return binary(op, a, b, Rule::NoBool);
}
Tensor pow(const Tensor& a, const Scalar& b) {
  LT_CHECK(!(is_integral(a.dtype(), true) && b.is_integral() && b.to_int() < 0), ValueError, "pow",
           "integers to negative integer powers are not allowed");
  static const Op<IterKernel> op("pow");
  return binary(op, a, b, Rule::NoBool);
}
Tensor pow(const Scalar& base, const Tensor& exponent) {
  DType common = result_type({exponent, base});
  return pow(scalar_tensor(base, common, exponent.device()), exponent.to(common));
}

// Reflected operators: the number is on the left.
Tensor operator+(const Scalar& a, const Tensor& b) { return add(b, a); }
Tensor operator-(const Scalar& a, const Tensor& b) {
  DType common = result_type({b, a});
  return sub(scalar_tensor(a, common, b.device()), b.to(common));
}
Tensor operator*(const Scalar& a, const Tensor& b) { return mul(b, a); }
Tensor operator/(const Scalar& a, const Tensor& b) {
  DType common = number_dtype(result_type({b, a}), Rule::Floating);
  return div(scalar_tensor(a, common, b.device()), b.to(common));
}
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

// In-place arithmetic writes into this tensor; the result type must cast to it.
Tensor& Tensor::add_(const Tensor& other, const Scalar& alpha) {
  add_impl("add_", *this, other, result_type({*this, other}), alpha, this);
  return *this;
}
Tensor& Tensor::add_(const Scalar& other) {
  DType common = result_type({*this, other});
  add_impl("add_", *this, scalar_tensor(other, common, device()), common, 1, this);
  return *this;
}
Tensor& Tensor::sub_(const Tensor& other, const Scalar& alpha) {
  check_sub(*this, other);
  add_impl("sub_", *this, other, result_type({*this, other}), negate(alpha), this);
  return *this;
}
Tensor& Tensor::mul_(const Tensor& other) {
  static const Op<IterKernel> op("mul");
  binary(op, *this, other, result_type({*this, other}), Rule::Arithmetic, {}, this);
  return *this;
}
Tensor& Tensor::mul_(const Scalar& other) {
  static const Op<IterKernel> op("mul");
  DType common = result_type({*this, other});
  binary(op, *this, scalar_tensor(other, common, device()), common, Rule::Arithmetic, {}, this);
  return *this;
}
Tensor& Tensor::div_(const Tensor& other) {
  div_impl(*this, other, result_type({*this, other}), "", this);
  return *this;
}

}  // namespace lt
