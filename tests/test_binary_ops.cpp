// Binary operators against reference.h's double-precision evaluator: every dtype and
// mixed pairs (result dtypes from PyTorch's promotion table, written out here), layouts,
// broadcasting, 0-dim and zero-size operands, tensor-number forms, and the integer edge
// cases (division by zero, INT_MIN / -1, shifts, negative powers).
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <cmath>
#include <limits>

#include "reference.h"

namespace {

using lt::DType;
using ref::Layout;

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();

// PyTorch's promote_types, in lt::DType order:
// bool, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64.
DType promote(DType a, DType b) {
  using D = DType;
  constexpr D b1 = D::Bool, u1 = D::UInt8, i1 = D::Int8, i2 = D::Int16, i4 = D::Int32, i8 = D::Int64,
              f2 = D::Float16, bf = D::BFloat16, f4 = D::Float32, f8 = D::Float64;
  static const D table[10][10] = {
      /* b1 */ {b1, u1, i1, i2, i4, i8, f2, bf, f4, f8},
      /* u1 */ {u1, u1, i2, i2, i4, i8, f2, bf, f4, f8},
      /* i1 */ {i1, i2, i1, i2, i4, i8, f2, bf, f4, f8},
      /* i2 */ {i2, i2, i2, i2, i4, i8, f2, bf, f4, f8},
      /* i4 */ {i4, i4, i4, i4, i4, i8, f2, bf, f4, f8},
      /* i8 */ {i8, i8, i8, i8, i8, i8, f2, bf, f4, f8},
      /* f2 */ {f2, f2, f2, f2, f2, f2, f2, f4, f4, f8},
      /* bf */ {bf, bf, bf, bf, bf, bf, f4, bf, f4, f8},
      /* f4 */ {f4, f4, f4, f4, f4, f4, f4, f4, f4, f8},
      /* f8 */ {f8, f8, f8, f8, f8, f8, f8, f8, f8, f8},
  };
  return table[static_cast<int>(a)][static_cast<int>(b)];
}

// --- the operator table ---------------------------------------------------------------------

enum class Kind {
  Arithmetic,  // promoted dtype, bool allowed
  NoBool,      // promoted dtype, bool refused
  Floating,    // promoted dtype, integral -> float32
  Compare,     // bool result computed in the promoted dtype
  Logical,     // bool result of truth values
  Bitwise,     // integral or bool
  Shift,       // integral only
};

struct BinaryCase {
  const char* name;
  lt::Tensor (*fn)(const lt::Tensor&, const lt::Tensor&);
  lt::Tensor (*fn_scalar)(const lt::Tensor&, const lt::Scalar&);
  double (*ref)(double, double, DType);  // inputs already in the compute dtype
  Kind kind;
  double a_lo, a_hi, b_lo, b_hi;
  bool nonzero_b_for_ints;  // integer division: no zero divisors here
  double ulps;              // float32/float64 tolerance
};
std::ostream& operator<<(std::ostream& o, const BinaryCase& c) { return o << c.name; }

int bits_of(DType t) { return static_cast<int>(ref::element_size(t) * 8); }

// Integer power with wrapping, and PyTorch's results for negative exponents.
double int_pow(double a, double b, DType t) {
  if (b < 0) return a == 1 ? 1 : a == -1 ? (std::fmod(-b, 2) != 0 ? -1 : 1) : 0;
  uint64_t r = 1, base = static_cast<uint64_t>(static_cast<int64_t>(a));
  for (int64_t e = static_cast<int64_t>(b); e > 0; --e) r *= base;
  return ref::round_to(t, static_cast<double>(static_cast<int64_t>(r)));
}

double shift_left(double a, double b, DType t) {
  if (b < 0 || b >= bits_of(t)) return 0;
  const uint64_t v = static_cast<uint64_t>(static_cast<int64_t>(a)) << static_cast<int>(b);
  return ref::round_to(t, static_cast<double>(static_cast<int64_t>(v)));
}

double shift_right(double a, double b, DType t) {
  if (b < 0 || b >= bits_of(t)) return t == DType::UInt8 ? 0 : (a < 0 ? -1 : 0);
  return std::floor(a / std::ldexp(1.0, static_cast<int>(b)));  // arithmetic shift
}

double python_mod(double a, double b) {
  const long double q = std::floor(static_cast<long double>(a) / b);
  long double r = a - q * b;
  // Python keeps the divisor's sign; exact for these inputs.
  return static_cast<double>(r);
}

double i64(double x) { return static_cast<double>(static_cast<int64_t>(x)); }

#define TT(op) [](const lt::Tensor& a, const lt::Tensor& b) { return lt::op(a, b); }
#define TS(op) [](const lt::Tensor& a, const lt::Scalar& b) { return lt::op(a, b); }
#define R(expr) [](double a, double b, DType t) -> double { (void)t; return expr; }

const BinaryCase kCases[] = {
    {"add", TT(add), TS(add), R(a + b), Kind::Arithmetic, -100, 100, -100, 100, false, 1},
    {"sub", TT(sub), TS(sub), R(a - b), Kind::NoBool, -100, 100, -100, 100, false, 1},
    {"mul", TT(mul), TS(mul), R(a * b), Kind::Arithmetic, -100, 100, -100, 100, false, 1},
    {"div", TT(div), TS(div), R(a / b), Kind::Floating, -100, 100, -100, 100, false, 1},
    {"div_trunc", [](const lt::Tensor& a, const lt::Tensor& b) { return lt::div(a, b, "trunc"); },
     [](const lt::Tensor& a, const lt::Scalar& b) { return lt::div(a, b, "trunc"); },
     R(std::trunc(static_cast<long double>(a) / b)), Kind::NoBool, -100, 100, -20, 20, true, 0},
    {"div_floor", [](const lt::Tensor& a, const lt::Tensor& b) { return lt::div(a, b, "floor"); },
     [](const lt::Tensor& a, const lt::Scalar& b) { return lt::div(a, b, "floor"); },
     R(std::floor(static_cast<long double>(a) / b)), Kind::NoBool, -100, 100, -20, 20, true, 0},
    {"floor_divide", TT(floor_divide), TS(floor_divide), R(std::floor(static_cast<long double>(a) / b)), Kind::NoBool,
     -100, 100, -20, 20, true, 0},
    {"remainder", TT(remainder), TS(remainder), R(python_mod(a, b)), Kind::NoBool, -100, 100, -20, 20, true, 0},
    {"fmod", TT(fmod), TS(fmod), R(std::fmod(a, b)), Kind::NoBool, -100, 100, -20, 20, true, 0},
    {"pow", TT(pow), TS(pow), R(ref::is_float(t) ? std::pow(a, b) : int_pow(a, b, t)), Kind::NoBool, 0.1, 4, 0, 5,
     false, 2},
    {"atan2", TT(atan2), TS(atan2), R(std::atan2(a, b)), Kind::Floating, -10, 10, -10, 10, false, 2},
    {"maximum", TT(maximum), TS(maximum), R(std::isnan(a) || std::isnan(b) ? kNaN : std::max(a, b)),
     Kind::Arithmetic, -10, 10, -10, 10, false, 0},
    {"minimum", TT(minimum), TS(minimum), R(std::isnan(a) || std::isnan(b) ? kNaN : std::min(a, b)),
     Kind::Arithmetic, -10, 10, -10, 10, false, 0},
    {"eq", TT(eq), TS(eq), R(a == b), Kind::Compare, -3, 3, -3, 3, false, 0},
    {"ne", TT(ne), TS(ne), R(a != b), Kind::Compare, -3, 3, -3, 3, false, 0},
    {"lt", TT(lt), TS(lt), R(a < b), Kind::Compare, -3, 3, -3, 3, false, 0},
    {"le", TT(le), TS(le), R(a <= b), Kind::Compare, -3, 3, -3, 3, false, 0},
    {"gt", TT(gt), TS(gt), R(a > b), Kind::Compare, -3, 3, -3, 3, false, 0},
    {"ge", TT(ge), TS(ge), R(a >= b), Kind::Compare, -3, 3, -3, 3, false, 0},
    {"logical_and", TT(logical_and), TS(logical_and), R((a != 0) && (b != 0)), Kind::Logical, -2, 2, -2, 2, false, 0},
    {"logical_or", TT(logical_or), TS(logical_or), R((a != 0) || (b != 0)), Kind::Logical, -2, 2, -2, 2, false, 0},
    {"logical_xor", TT(logical_xor), TS(logical_xor), R((a != 0) != (b != 0)), Kind::Logical, -2, 2, -2, 2, false, 0},
    {"bitwise_and", TT(bitwise_and), TS(bitwise_and),
     R(ref::round_to(t, i64(static_cast<double>(static_cast<int64_t>(a) & static_cast<int64_t>(b))))), Kind::Bitwise,
     -1e6, 1e6, -1e6, 1e6, false, 0},
    {"bitwise_or", TT(bitwise_or), TS(bitwise_or),
     R(ref::round_to(t, static_cast<double>(static_cast<int64_t>(a) | static_cast<int64_t>(b)))), Kind::Bitwise, -1e6,
     1e6, -1e6, 1e6, false, 0},
    {"bitwise_xor", TT(bitwise_xor), TS(bitwise_xor),
     R(ref::round_to(t, static_cast<double>(static_cast<int64_t>(a) ^ static_cast<int64_t>(b)))), Kind::Bitwise, -1e6,
     1e6, -1e6, 1e6, false, 0},
    {"bitwise_left_shift", TT(bitwise_left_shift), TS(bitwise_left_shift), R(shift_left(a, b, t)), Kind::Shift, -1000,
     1000, -2, 70, false, 0},
    {"bitwise_right_shift", TT(bitwise_right_shift), TS(bitwise_right_shift), R(shift_right(a, b, t)), Kind::Shift,
     -1000, 1000, -2, 70, false, 0},
};

// The result dtype, or nullopt where the operator refuses the promoted dtype.
std::optional<DType> result_dtype(Kind k, DType common) {
  switch (k) {
    case Kind::Arithmetic: return common;
    case Kind::NoBool: return common == DType::Bool ? std::nullopt : std::optional(common);
    case Kind::Floating: return ref::is_float(common) ? common : DType::Float32;
    case Kind::Compare: case Kind::Logical: return DType::Bool;
    case Kind::Bitwise: return ref::is_float(common) ? std::nullopt : std::optional(common);
    case Kind::Shift: return ref::is_int(common) ? std::optional(common) : std::nullopt;
  }
  return {};
}

// The dtype inputs are computed in (inputs are rounded to it first).
DType compute_dtype(Kind k, DType common) {
  if (k == Kind::Logical) return DType::Bool;
  if (k == Kind::Floating && !ref::is_float(common)) return DType::Float32;
  return common;
}

ref::Tol tolerance(const BinaryCase& c, DType out) {
  if (out == DType::Float16 || out == DType::BFloat16) return {c.ulps == 0 ? 0.0 : 1.0, 0, 0};
  return {c.ulps, 0, 0};
}

// Replaces zeros by ones in place (divisors of integer division).
void make_nonzero(const lt::Tensor& t) {
  if (ref::numel_of(t.sizes()) == 0) return;
  std::vector<int64_t> idx(t.dim(), 0);
  do {
    if (ref::get(t, idx) == 0) ref::put(t, idx, 1);
  } while (ref::next_index(idx, t.sizes()));
}

struct Inputs {
  lt::Tensor a, b;
};

Inputs make_inputs(const BinaryCase& c, DType ta, DType tb, const lt::Shape& sa, const lt::Shape& sb, Layout la,
                   Layout lb, uint32_t seed) {
  double a_lo = c.a_lo, b_lo = c.b_lo;
  const std::string_view name = c.name;
  // Integer powers: bases of either sign, non-negative exponents (negative ones below).
  if (name == "pow" && !ref::is_float(promote(ta, tb))) a_lo = -4;
  Inputs in{ref::random_tensor(sa, ta, seed, la, a_lo, c.a_hi), ref::random_tensor(sb, tb, seed + 1000, lb, b_lo, c.b_hi)};
  if (c.nonzero_b_for_ints && !ref::is_float(promote(ta, tb))) make_nonzero(in.b);
  return in;
}

// PyTorch refuses sub with a bool operand on either side (use ~ for masks).
bool bool_sub(const BinaryCase& c, DType a, bool b_is_bool) {
  return std::string_view(c.name) == "sub" && (a == DType::Bool || b_is_bool);
}

::testing::AssertionResult check(const BinaryCase& c, const lt::Tensor& a, const lt::Tensor& b) {
  const DType common = promote(a.dtype(), b.dtype());
  auto out = result_dtype(c.kind, common);
  if (bool_sub(c, a.dtype(), b.dtype() == DType::Bool)) out.reset();
  if (!out) {
    try {
      c.fn(a, b);
    } catch (const lt::DTypeError&) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "expected a DTypeError for " << ref::dname(a.dtype()) << " and "
                                         << ref::dname(b.dtype());
  }
  const DType compute = compute_dtype(c.kind, common);
  auto f = c.ref;
  ref::Expected e = ref::map2(a, b, [&](double x, double y) { return f(x, y, compute); }, compute);
  return ref::matches(c.fn(a, b), e, *out, tolerance(c, *out));
}

class Binary : public ::testing::TestWithParam<BinaryCase> {};

TEST_P(Binary, SameDTypeEveryDTypeAndLayout) {
  const BinaryCase& c = GetParam();
  uint32_t seed = 1;
  for (DType t : ref::kAllDTypes) {
    for (Layout la : ref::kLayouts) {
      for (Layout lb : {Layout::Contiguous, Layout::Strided, Layout::Transposed}) {
        SCOPED_TRACE(ref::dname(t) + " " + ref::layout_name(la) + "/" + ref::layout_name(lb));
        Inputs in = make_inputs(c, t, t, {6, 7}, {6, 7}, la, lb, seed++);
        EXPECT_TRUE(check(c, in.a, in.b));
      }
    }
  }
}

TEST_P(Binary, MixedDTypesFollowPromotion) {
  const BinaryCase& c = GetParam();
  const std::pair<DType, DType> pairs[] = {
      {DType::Int32, DType::Float32},  {DType::UInt8, DType::Int8},      {DType::Bool, DType::Int16},
      {DType::Float16, DType::BFloat16}, {DType::Int64, DType::Float16}, {DType::Float32, DType::Float64},
      {DType::Int8, DType::Int64},     {DType::BFloat16, DType::Float32}, {DType::Bool, DType::Float32},
      {DType::UInt8, DType::Int32},    {DType::Int16, DType::BFloat16},  {DType::Float64, DType::Bool},
  };
  uint32_t seed = 50;
  for (auto [ta, tb] : pairs) {
    for (auto [x, y] : {std::pair{ta, tb}, std::pair{tb, ta}}) {
      SCOPED_TRACE(ref::dname(x) + " op " + ref::dname(y));
      Inputs in = make_inputs(c, x, y, {3, 4}, {3, 4}, Layout::Contiguous, Layout::Strided, seed++);
      EXPECT_TRUE(check(c, in.a, in.b));
    }
  }
}

TEST_P(Binary, BroadcastZeroDimAndZeroSize) {
  const BinaryCase& c = GetParam();
  const std::pair<lt::Shape, lt::Shape> shapes[] = {
      {{3, 1, 5}, {4, 1}}, {{2, 3}, {3}},   {{5}, {}},         {{}, {2, 3}}, {{}, {}},
      {{0, 3}, {1, 3}},    {{0}, {}},       {{2, 0, 4}, {4}}, {{1}, {6, 1}},
  };
  uint32_t seed = 200;
  for (DType t : {DType::Int32, DType::Float32, DType::Float16, DType::Int64}) {
    for (const auto& [sa, sb] : shapes) {
      for (Layout l : {Layout::Contiguous, Layout::Expanded}) {
        SCOPED_TRACE(ref::dname(t) + " " + ref::shape_str(sa) + " with " + ref::shape_str(sb) + " " +
                     ref::layout_name(l));
        Inputs in = make_inputs(c, t, t, sa, sb, l, Layout::Contiguous, seed++);
        EXPECT_TRUE(check(c, in.a, in.b));
        Inputs rev = make_inputs(c, t, t, sb, sa, Layout::Contiguous, l, seed++);
        EXPECT_TRUE(check(c, rev.a, rev.b));
      }
    }
  }
  lt::Tensor a = ref::random_tensor({3, 4}, DType::Int32, 1, 1, 9), b = ref::random_tensor({5}, DType::Int32, 2, 1, 9);
  EXPECT_THROW(c.fn(a, b), lt::ShapeError);
}

TEST_P(Binary, LargeInputsOverTheParallelGrain) {
  const BinaryCase& c = GetParam();
  for (DType t : {DType::Float32, DType::Int32, DType::BFloat16}) {
    SCOPED_TRACE(ref::dname(t));
    Inputs in = make_inputs(c, t, t, {300, 257}, {257}, Layout::Transposed, Layout::Contiguous, 900);
    EXPECT_TRUE(check(c, in.a, in.b));
    Inputs in2 = make_inputs(c, t, t, {70001}, {70001}, Layout::Contiguous, Layout::Strided, 901);
    EXPECT_TRUE(check(c, in2.a, in2.b));
  }
}

// A number operand is weak: it only changes the dtype when of a higher category.
TEST_P(Binary, TensorNumberForms) {
  const BinaryCase& c = GetParam();
  const std::string_view name = c.name;
  uint32_t seed = 300;
  for (DType t : ref::kAllDTypes) {
    for (lt::Scalar s : {lt::Scalar(3), lt::Scalar(2.5), lt::Scalar(true), lt::Scalar(-2)}) {
      if (name == "pow" && s.is_integral() && s.to_int() < 0) continue;  // see PowNegativeExponents
      if (name.starts_with("bitwise_") && name.ends_with("shift") && s.is_integral() && s.to_int() < 0) continue;
      const DType st = s.is_floating() ? DType::Float32 : s.is_bool() ? DType::Bool : DType::Int64;
      DType common = t;
      if (ref::is_float(st) && !ref::is_float(t)) common = DType::Float32;
      if (st == DType::Int64 && t == DType::Bool) common = DType::Int64;
      SCOPED_TRACE(ref::dname(t) + " op " + s.str());
      lt::Tensor a = ref::random_tensor({2, 5}, t, seed++, Layout::Strided, c.a_lo, c.a_hi);
      auto out = result_dtype(c.kind, common);
      if (bool_sub(c, t, s.is_bool())) out.reset();
      const bool zero_int_divisor = c.nonzero_b_for_ints && !ref::is_float(common) && s.to_double() == 0;
      if (!out) {
        EXPECT_THROW(c.fn_scalar(a, s), lt::DTypeError);
        continue;
      }
      if (zero_int_divisor) {
        EXPECT_THROW(c.fn_scalar(a, s), lt::ValueError);
        continue;
      }
      const DType compute = compute_dtype(c.kind, common);
      const double sv = ref::round_to(compute, s.to_double());
      auto f = c.ref;
      ref::Expected e = ref::map1(a, [&](double x) { return f(x, sv, compute); }, compute);
      EXPECT_TRUE(ref::matches(c.fn_scalar(a, s), e, *out, tolerance(c, *out)));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Ops, Binary, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

// --- type promotion ----------------------------------------------------------------------------

TEST(Promotion, TensorTensorTableForAdd) {
  for (DType a : ref::kAllDTypes) {
    for (DType b : ref::kAllDTypes) {
      SCOPED_TRACE(ref::dname(a) + " + " + ref::dname(b));
      lt::Tensor x = lt::ones({2}, a), y = lt::ones({2}, b);
      EXPECT_EQ(lt::result_type({x, y}), promote(a, b));
      EXPECT_EQ(lt::add(x, y).dtype(), promote(a, b));
      EXPECT_EQ(lt::mul(x, y).dtype(), promote(a, b));
      EXPECT_EQ(lt::eq(x, y).dtype(), DType::Bool);
    }
  }
}

TEST(Promotion, ZeroDimTensorsAndNumbersAreWeaker) {
  auto t = [](DType d) { return lt::ones({2}, d); };
  auto z = [](DType d) { return lt::ones({}, d); };
  // A 0-dim tensor of the same category does not change a dimensioned tensor's dtype...
  EXPECT_EQ(lt::add(t(DType::UInt8), z(DType::Int64)).dtype(), DType::UInt8);
  EXPECT_EQ(lt::add(t(DType::Float16), z(DType::Float64)).dtype(), DType::Float16);
  EXPECT_EQ(lt::add(t(DType::Int8), z(DType::Int32)).dtype(), DType::Int8);
  // ...but one of a higher category does, with its own dtype.
  EXPECT_EQ(lt::add(t(DType::Int32), z(DType::Float64)).dtype(), DType::Float64);
  EXPECT_EQ(lt::add(t(DType::Int64), z(DType::Float16)).dtype(), DType::Float16);
  EXPECT_EQ(lt::add(t(DType::Bool), z(DType::Int8)).dtype(), DType::Int8);
  EXPECT_EQ(lt::add(z(DType::Float64), t(DType::Int16)).dtype(), DType::Float64);
  // Two 0-dim tensors promote normally.
  EXPECT_EQ(lt::add(z(DType::Int8), z(DType::UInt8)).dtype(), DType::Int16);
  EXPECT_EQ(lt::add(z(DType::Float16), z(DType::BFloat16)).dtype(), DType::Float32);
  // Numbers: float -> the default float32, int -> int64 only for bool tensors.
  EXPECT_EQ(lt::add(t(DType::Int64), lt::Scalar(1.5)).dtype(), DType::Float32);
  EXPECT_EQ(lt::add(t(DType::Float16), lt::Scalar(1.5)).dtype(), DType::Float16);
  EXPECT_EQ(lt::add(t(DType::UInt8), lt::Scalar(1000)).dtype(), DType::UInt8);
  EXPECT_EQ(lt::add(t(DType::Bool), lt::Scalar(1)).dtype(), DType::Int64);
  EXPECT_EQ(lt::add(t(DType::Int8), lt::Scalar(true)).dtype(), DType::Int8);
  EXPECT_EQ(lt::add(z(DType::Int32), lt::Scalar(2.0)).dtype(), DType::Float32);
  EXPECT_EQ(lt::add(z(DType::Float64), lt::Scalar(2)).dtype(), DType::Float64);
  // A 0-dim tensor outranks a number of the same category.
  EXPECT_EQ(lt::add(z(DType::Int16), lt::Scalar(2)).dtype(), DType::Int16);
  lt::Scalar one(1), half(0.5);
  lt::Tensor i = t(DType::Int32), h = z(DType::Float16);
  EXPECT_EQ(lt::result_type({i, h, half}), DType::Float16);
  EXPECT_EQ(lt::result_type({one, half}), DType::Float32);
  EXPECT_EQ(lt::result_type({one}), DType::Int64);
}

TEST(Promotion, MixedValuesAreCastBeforeComputing) {
  // int32 16777217 becomes 16777216 in float32 before the comparison.
  lt::Tensor i = ref::make({16777217, 3}, DType::Int32), f = ref::make({16777216, 3}, DType::Float32);
  EXPECT_TRUE(ref::equals(lt::eq(i, f), {1, 1}, DType::Bool));
  // int8 -1 and uint8 255 compare in int16: different, and -1 < 255.
  lt::Tensor s = ref::make({-1, 5}, DType::Int8), u = ref::make({255, 5}, DType::UInt8);
  EXPECT_TRUE(ref::equals(lt::eq(s, u), {0, 1}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::lt(s, u), {1, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::add(s, u), {254, 10}, DType::Int16));
  // int64 + float16: 3001 becomes 3000 in float16 (a tie, to even), then 3000 + 0.5 rounds to 3000;
  // 2049 becomes 2048, and 2048 + 1 rounds to 2048 again.
  lt::Tensor big = ref::make({3001, 2049}, DType::Int64), hh = ref::make({0.5, 1}, DType::Float16);
  EXPECT_TRUE(ref::equals(lt::add(big, hh), {3000, 2048}, DType::Float16));
}

// --- division -------------------------------------------------------------------------------------

TEST(Division, RoundingModesAndSignsOnIntegers) {
  for (DType t : {DType::Int8, DType::Int16, DType::Int32, DType::Int64}) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor a = ref::make({7, -7, 7, -7, 6, -6, 0}, t), b = ref::make({2, 2, -2, -2, 3, 3, -5}, t);
    EXPECT_TRUE(ref::equals(lt::div(a, b, "trunc"), {3, -3, -3, 3, 2, -2, 0}, t));
    EXPECT_TRUE(ref::equals(lt::div(a, b, "floor"), {3, -4, -4, 3, 2, -2, 0}, t));
    EXPECT_TRUE(ref::equals(lt::floor_divide(a, b), {3, -4, -4, 3, 2, -2, 0}, t));
    // Python's %: the divisor's sign. fmod: the dividend's.
    EXPECT_TRUE(ref::equals(lt::remainder(a, b), {1, 1, -1, -1, 0, 0, 0}, t));
    EXPECT_TRUE(ref::equals(a % b, {1, 1, -1, -1, 0, 0, 0}, t));
    EXPECT_TRUE(ref::equals(lt::fmod(a, b), {1, -1, 1, -1, 0, 0, 0}, t));
    EXPECT_TRUE(ref::equals(lt::div(a, b), {3.5, -3.5, -3.5, 3.5, 2, -2, 0}, DType::Float32));
  }
  lt::Tensor u = ref::make({7, 200, 255}, DType::UInt8), v = ref::make({2, 7, 16}, DType::UInt8);
  EXPECT_TRUE(ref::equals(lt::floor_divide(u, v), {3, 28, 15}, DType::UInt8));
  EXPECT_TRUE(ref::equals(lt::remainder(u, v), {1, 4, 15}, DType::UInt8));
  // 255 is a uint8 divisor like any other, not -1.
  lt::Tensor w = ref::make({10, 255, 254}, DType::UInt8), d = ref::make({255, 255, 255}, DType::UInt8);
  EXPECT_TRUE(ref::equals(lt::floor_divide(w, d), {0, 1, 0}, DType::UInt8));
  EXPECT_TRUE(ref::equals(lt::div(w, d, "trunc"), {0, 1, 0}, DType::UInt8));
  EXPECT_TRUE(ref::equals(lt::remainder(w, d), {10, 0, 254}, DType::UInt8));
  EXPECT_TRUE(ref::equals(lt::fmod(w, d), {10, 0, 254}, DType::UInt8));
}

TEST(Division, RoundingModesAndSignsOnFloats) {
  for (DType t : ref::kFloatDTypes) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor a = ref::make({7.5, -7.5, 7.5, -7.5, 1.0}, t), b = ref::make({2, 2, -2, -2, 0.5}, t);
    EXPECT_TRUE(ref::equals(lt::div(a, b, "trunc"), {3, -3, -3, 3, 2}, t));
    EXPECT_TRUE(ref::equals(lt::div(a, b, "floor"), {3, -4, -4, 3, 2}, t));
    EXPECT_TRUE(ref::equals(lt::floor_divide(a, b), {3, -4, -4, 3, 2}, t));
    EXPECT_TRUE(ref::equals(lt::remainder(a, b), {1.5, 0.5, -0.5, -1.5, 0}, t));
    EXPECT_TRUE(ref::equals(lt::fmod(a, b), {1.5, -1.5, 1.5, -1.5, 0}, t));
    EXPECT_TRUE(ref::equals(lt::div(a, b), {3.75, -3.75, -3.75, 3.75, 2}, t));
    // Division by zero follows IEEE 754.
    lt::Tensor n = ref::make({1, -1, 0}, t), zero = ref::make({0, 0, 0}, t);
    EXPECT_TRUE(ref::equals(lt::div(n, zero), {kInf, -kInf, kNaN}, t));
    EXPECT_TRUE(ref::equals(lt::floor_divide(n, zero), {kInf, -kInf, kNaN}, t));
    EXPECT_TRUE(ref::equals(lt::fmod(n, zero), {kNaN, kNaN, kNaN}, t));
    EXPECT_TRUE(ref::equals(lt::remainder(n, zero), {kNaN, kNaN, kNaN}, t));
  }
  // Integers divided by zero with true division give IEEE results in float32.
  EXPECT_TRUE(ref::equals(lt::div(ref::make({1, -1, 0}, DType::Int32), ref::make({0, 0, 0}, DType::Int64)),
                          {kInf, -kInf, kNaN}, DType::Float32));
  EXPECT_THROW(lt::div(lt::ones({2}), lt::ones({2}), "round"), lt::ValueError);
  EXPECT_THROW(lt::div(lt::ones({2}, DType::Bool), lt::ones({2}, DType::Bool), "floor"), lt::DTypeError);
}

TEST(Division, IntegerDivisionByZeroRaises) {
  using BinFn = std::function<lt::Tensor(const lt::Tensor&, const lt::Tensor&)>;
  const BinFn fns[] = {
      [](const lt::Tensor& a, const lt::Tensor& b) { return lt::div(a, b, "trunc"); },
      [](const lt::Tensor& a, const lt::Tensor& b) { return lt::div(a, b, "floor"); },
      [](const lt::Tensor& a, const lt::Tensor& b) { return lt::floor_divide(a, b); },
      [](const lt::Tensor& a, const lt::Tensor& b) { return lt::remainder(a, b); },
      [](const lt::Tensor& a, const lt::Tensor& b) { return lt::fmod(a, b); },
  };
  for (DType t : ref::kIntDTypes) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor a = ref::make({5, 6, 7}, t), b = ref::make({1, 0, 2}, t);
    // A zero deep inside a tensor split over threads.
    std::vector<double> many(100000, 3);
    many[77777] = 0;
    lt::Tensor big_a = ref::make(std::vector<double>(100000, 9), t), big_b = ref::make(many, t);
    for (const auto& f : fns) {
      EXPECT_THROW(f(a, b), lt::ValueError);
      EXPECT_THROW(f(big_a, big_b), lt::ValueError);
      EXPECT_THROW(f(a, lt::zeros({}, t)), lt::ValueError);
    }
    EXPECT_THROW(lt::div(a, 0, "trunc"), lt::ValueError);
    EXPECT_THROW(lt::floor_divide(a, 0), lt::ValueError);
    EXPECT_THROW(lt::remainder(a, 0), lt::ValueError);
    EXPECT_THROW(a % 0, lt::ValueError);
    EXPECT_THROW(lt::fmod(a, 0), lt::ValueError);
    EXPECT_THROW(7 % b, lt::ValueError);
  }
}

TEST(Division, MinimumIntegerByMinusOneDoesNotTrap) {
  lt::Tensor a = lt::full({3}, kI64Min, DType::Int64), m1 = lt::full({3}, -1, DType::Int64);
  // The quotient wraps to INT64_MIN (as two's complement and PyTorch do); the remainder is 0.
  EXPECT_EQ(lt::div(a, m1, "trunc").data_ptr<int64_t>()[0], kI64Min);
  EXPECT_EQ(lt::div(a, m1, "floor").data_ptr<int64_t>()[1], kI64Min);
  EXPECT_EQ(lt::floor_divide(a, -1).data_ptr<int64_t>()[2], kI64Min);
  EXPECT_EQ(lt::remainder(a, m1).data_ptr<int64_t>()[0], 0);
  EXPECT_EQ(lt::fmod(a, -1).data_ptr<int64_t>()[0], 0);
  EXPECT_EQ(lt::div(a, m1).data_ptr<float>()[0], 9223372036854775808.0f);
  lt::Tensor i32 = ref::make({-2147483648.0}, DType::Int32);
  EXPECT_TRUE(ref::equals(lt::div(i32, -1, "trunc"), {-2147483648.0}, DType::Int32));
  EXPECT_TRUE(ref::equals(lt::remainder(i32, -1), {0}, DType::Int32));
  lt::Tensor i8 = ref::make({-128}, DType::Int8);
  EXPECT_TRUE(ref::equals(lt::floor_divide(i8, ref::make({-1}, DType::Int8)), {-128}, DType::Int8));
  EXPECT_TRUE(ref::equals(lt::fmod(i8, ref::make({-1}, DType::Int8)), {0}, DType::Int8));
}

// --- pow -----------------------------------------------------------------------------------------

TEST(Pow, IntegerNegativeExponents) {
  for (DType t : {DType::Int8, DType::Int32, DType::Int64}) {
    lt::Tensor base = ref::make({2, 1, -1, -1, 5, -3, 1}, t), e = ref::make({-1, -5, -3, -2, -2, -1, 0}, t);
    // 1 stays 1, -1 alternates, everything else truncates to 0.
    EXPECT_TRUE(ref::equals(lt::pow(base, e), {0, 1, -1, 1, 0, 0, 1}, t)) << ref::dname(t);
    EXPECT_THROW(lt::pow(base, -2), lt::ValueError);
  }
  // A float exponent or base makes the result floating.
  lt::Tensor i = ref::make({4, 16}, DType::Int64);
  EXPECT_TRUE(ref::equals(lt::pow(i, -0.5), {0.5, 0.25}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::pow(i, ref::make({-1}, DType::Float64)), {0.25, 0.0625}, DType::Float64));
}

TEST(Pow, IntegerResultsWrapAndScalarBases) {
  EXPECT_TRUE(ref::equals(lt::pow(ref::make({3, 2, -2}, DType::Int8), 5), {-13, 32, -32}, DType::Int8));
  // 3^40 = 12157665459056928801 wraps modulo 2^64.
  EXPECT_EQ(lt::pow(ref::make({3}, DType::Int64), 40).data_ptr<int64_t>()[0],
            static_cast<int64_t>(12157665459056928801ull));
  lt::Tensor e = ref::make({0, 1, 10, 62}, DType::Int64);
  EXPECT_TRUE(ref::equals(lt::pow(2, e), {1, 2, 1024, std::ldexp(1.0, 62)}, DType::Int64));
  EXPECT_TRUE(ref::equals(lt::pow(2.0, e.slice(0, 0, 3)), {1, 2, 1024}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::pow(0.5, ref::make({2, -1}, DType::Float16)), {0.25, 2}, DType::Float16));
  // x ** 0 is 1, even for NaN; 0 ** negative is infinity for floats.
  lt::Tensor f = ref::make({kNaN, 0.0, -2.0}, DType::Float32);
  EXPECT_TRUE(ref::equals(lt::pow(f, 0), {1, 1, 1}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::pow(f, -1), {kNaN, kInf, -0.5}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::pow(f, 2), {kNaN, 0, 4}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::pow(f, 0.5), {kNaN, 0, kNaN}, DType::Float32));
  // bool ** int is int64; bool ** bool is refused.
  EXPECT_TRUE(ref::equals(lt::pow(ref::make({1, 0}, DType::Bool), 2), {1, 0}, DType::Int64));
  EXPECT_THROW(lt::pow(lt::ones({2}, DType::Bool), lt::ones({2}, DType::Bool)), lt::DTypeError);
}

// --- maximum / minimum -------------------------------------------------------------------------------

TEST(MaximumMinimum, PropagateNaNFromEitherSide) {
  for (DType t : ref::kFloatDTypes) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor a = ref::make({kNaN, 1, kNaN, -kInf, 2, -0.0}, t), b = ref::make({1, kNaN, kNaN, 3, kInf, 5}, t);
    EXPECT_TRUE(ref::equals(lt::maximum(a, b), {kNaN, kNaN, kNaN, 3, kInf, 5}, t));
    EXPECT_TRUE(ref::equals(lt::minimum(a, b), {kNaN, kNaN, kNaN, -kInf, 2, -0.0}, t));
    EXPECT_TRUE(ref::equals(lt::maximum(a, 0.0), {kNaN, 1, kNaN, 0, 2, -0.0}, t));
    EXPECT_TRUE(ref::equals(lt::minimum(b, kNaN), {kNaN, kNaN, kNaN, kNaN, kNaN, kNaN}, t));
  }
  EXPECT_TRUE(ref::equals(lt::maximum(ref::make({1, 0, 0}, DType::Bool), ref::make({0, 0, 1}, DType::Bool)),
                          {1, 0, 1}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::minimum(ref::make({-128, 127}, DType::Int8), ref::make({200, 0}, DType::UInt8)),
                          {-128, 0}, DType::Int16));
}

// --- comparisons and logical operators ------------------------------------------------------------------

TEST(Comparisons, NaNIsUnorderedAndResultsAreBool) {
  lt::Tensor a = ref::make({kNaN, kNaN, 1, kInf}, DType::Float32), b = ref::make({kNaN, 1, kNaN, kInf}, DType::Float32);
  EXPECT_TRUE(ref::equals(lt::eq(a, b), {0, 0, 0, 1}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::ne(a, b), {1, 1, 1, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::lt(a, b), {0, 0, 0, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::le(a, b), {0, 0, 0, 1}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::gt(a, b), {0, 0, 0, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::ge(a, b), {0, 0, 0, 1}, DType::Bool));
  // Operators, both ways round.
  lt::Tensor x = ref::make({1, 2, 3}, DType::Int16);
  EXPECT_TRUE(ref::equals(x == 2, {0, 1, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(2 == x, {0, 1, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(x != 2.0, {1, 0, 1}, DType::Bool));
  EXPECT_TRUE(ref::equals(x < 2.5, {1, 1, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(2.5 < x, {0, 0, 1}, DType::Bool));
  EXPECT_TRUE(ref::equals(2 <= x, {0, 1, 1}, DType::Bool));
  EXPECT_TRUE(ref::equals(2 > x, {1, 0, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(2 >= x, {1, 1, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(x >= x, {1, 1, 1}, DType::Bool));
  EXPECT_TRUE(ref::equals(x > ref::make({0, 5, 1}, DType::Float16), {1, 0, 1}, DType::Bool));
}

TEST(Logical, MixedDTypesUseTruthValues) {
  lt::Tensor f = ref::make({kNaN, 0.0, -0.0, 0.5, 0.0}, DType::Float32);
  lt::Tensor i = ref::make({0, 3, 0, -1, 0}, DType::Int64);
  EXPECT_TRUE(ref::equals(lt::logical_and(f, i), {0, 0, 0, 1, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::logical_or(f, i), {1, 1, 0, 1, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::logical_xor(f, i), {1, 1, 0, 0, 0}, DType::Bool));
  lt::Tensor h = ref::make({0.0, 2.0}, DType::BFloat16), u = ref::make({7, 0}, DType::UInt8);
  EXPECT_TRUE(ref::equals(lt::logical_and(h, u.t()), {0, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::logical_or(h, 0.0), {0, 1}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::logical_xor(u, true), {0, 1}, DType::Bool));
  lt::Tensor col = ref::make({1, 0}, DType::Int8, {2, 1});
  EXPECT_TRUE(ref::equals(lt::logical_and(col, h), {0, 1, 0, 0}, DType::Bool, lt::Shape{2, 2}));
}

// --- bitwise operators and shifts ---------------------------------------------------------------------

TEST(Bitwise, OperatorsAndRefusals) {
  lt::Tensor a = ref::make({12, -1, 5}, DType::Int32), b = ref::make({10, 7, -6}, DType::Int32);
  EXPECT_TRUE(ref::equals(a & b, {8, 7, 0}, DType::Int32));
  EXPECT_TRUE(ref::equals(a | b, {14, -1, -1}, DType::Int32));
  EXPECT_TRUE(ref::equals(a ^ b, {6, -8, -1}, DType::Int32));
  EXPECT_TRUE(ref::equals(3 & a, {0, 3, 1}, DType::Int32));
  EXPECT_TRUE(ref::equals(3 | a, {15, -1, 7}, DType::Int32));
  EXPECT_TRUE(ref::equals(3 ^ a, {15, -4, 6}, DType::Int32));
  lt::Tensor p = ref::make({1, 1, 0, 0}, DType::Bool), q = ref::make({1, 0, 1, 0}, DType::Bool);
  EXPECT_TRUE(ref::equals(p & q, {1, 0, 0, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(p | q, {1, 1, 1, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(p ^ q, {0, 1, 1, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(p & ref::make({3, 3, 2, 2}, DType::UInt8), {1, 1, 0, 0}, DType::UInt8));
  EXPECT_THROW(lt::ones({2}) & lt::ones({2}), lt::DTypeError);
  EXPECT_THROW(a | 1.5, lt::DTypeError);
}

TEST(Shifts, WidthsSignsAndOutOfRangeAmounts) {
  lt::Tensor a = ref::make({1, -1, -8, 5, 100, -100}, DType::Int8);
  lt::Tensor s = ref::make({3, 1, 1, 7, 8, -1}, DType::Int8);
  // Left shifts wrap in the type's width; amounts outside [0, width) give 0.
  EXPECT_TRUE(ref::equals(a << s, {8, -2, -16, -128, 0, 0}, DType::Int8));
  // Right shifts are arithmetic; out-of-range amounts give the sign.
  EXPECT_TRUE(ref::equals(a >> s, {0, -1, -4, 0, 0, -1}, DType::Int8));
  lt::Tensor u = ref::make({255, 1, 128}, DType::UInt8);
  EXPECT_TRUE(ref::equals(u << 1, {254, 2, 0}, DType::UInt8));
  EXPECT_TRUE(ref::equals(u >> ref::make({1, 8, 7}, DType::UInt8), {127, 0, 1}, DType::UInt8));
  lt::Tensor l = ref::make({1, -1}, DType::Int64);
  EXPECT_TRUE(ref::equals(l << 63, {static_cast<double>(kI64Min), static_cast<double>(kI64Min)}, DType::Int64));
  EXPECT_TRUE(ref::equals(l << 64, {0, 0}, DType::Int64));
  EXPECT_TRUE(ref::equals(l >> 64, {0, -1}, DType::Int64));
  EXPECT_TRUE(ref::equals(1 << ref::make({0, 4, 40}, DType::Int64), {1, 16, std::ldexp(1.0, 40)}, DType::Int64));
  EXPECT_TRUE(ref::equals(-64 >> ref::make({2, 70}, DType::Int16), {-16, -1}, DType::Int16));
  EXPECT_THROW(lt::ones({2}, DType::Bool) << lt::ones({2}, DType::Bool), lt::DTypeError);
  EXPECT_TRUE(ref::equals(ref::make({1, 0}, DType::Bool) << 3, {8, 0}, DType::Int64));  // a number promotes bool
  EXPECT_THROW(lt::ones({2}) >> 1, lt::DTypeError);
  EXPECT_THROW(lt::bitwise_left_shift(a, lt::ones({6}, DType::Float16)), lt::DTypeError);
}

// --- add and sub with alpha, reflected operators ---------------------------------------------------------

TEST(AddSub, AlphaAndBool) {
  lt::Tensor a = ref::make({1, 2, 3}, DType::Int32), b = ref::make({10, 20, 30}, DType::Int64);
  EXPECT_TRUE(ref::equals(lt::add(a, b, 2), {21, 42, 63}, DType::Int64));
  EXPECT_TRUE(ref::equals(lt::sub(a, b, 3), {-29, -58, -87}, DType::Int64));
  EXPECT_TRUE(ref::equals(lt::add(a, 5, -2), {-9, -8, -7}, DType::Int32));
  EXPECT_TRUE(ref::equals(lt::sub(a, 1, 4), {-3, -2, -1}, DType::Int32));
  EXPECT_THROW(lt::add(a, b, 0.5), lt::DTypeError);
  lt::Tensor f = ref::make({1, 2}, DType::Float16);
  EXPECT_TRUE(ref::equals(lt::add(f, f, 0.5), {1.5, 3}, DType::Float16));
  EXPECT_TRUE(ref::equals(lt::sub(f, 1.0, 0.25), {0.75, 1.75}, DType::Float16));
  // bool + bool is logical or; alpha must be a bool (or 0/1).
  lt::Tensor p = ref::make({1, 1, 0, 0}, DType::Bool), q = ref::make({1, 0, 1, 0}, DType::Bool);
  EXPECT_TRUE(ref::equals(p + q, {1, 1, 1, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::add(p, q, true), {1, 1, 1, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::add(p, q, false), {1, 1, 0, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::add(p, q, 0), {1, 1, 0, 0}, DType::Bool));
  EXPECT_THROW(lt::add(p, q, 2), lt::DTypeError);
  EXPECT_THROW(p - q, lt::DTypeError);
  EXPECT_THROW(lt::sub(p, true), lt::DTypeError);
  EXPECT_THROW(p - 1, lt::DTypeError);
  EXPECT_THROW(lt::sub(a, true), lt::DTypeError);
  EXPECT_THROW(a - p.to(DType::Bool), lt::DTypeError);
}

TEST(AddSub, IntegerOverflowWraps) {
  EXPECT_TRUE(ref::equals(ref::make({100, -100}, DType::Int8) + ref::make({100, -100}, DType::Int8), {-56, 56},
                          DType::Int8));
  EXPECT_TRUE(ref::equals(ref::make({0, 255}, DType::UInt8) - 1, {255, 254}, DType::UInt8));
  EXPECT_TRUE(ref::equals(ref::make({200}, DType::UInt8) * 2, {144}, DType::UInt8));
}

TEST(ReflectedOperators, NegativeNumbersWithUnsignedTensors) {
  // The number is converted to the type the division computes in, not to uint8 first.
  lt::Tensor u = ref::make({49, 8}, DType::UInt8);
  EXPECT_TRUE(ref::equals(lt::div(u, -2), {-24.5, -4}, DType::Float32));
  EXPECT_TRUE(ref::equals(u / -2, {-24.5, -4}, DType::Float32));
  EXPECT_TRUE(ref::equals(-2 / u, {-2.0 / 49, -0.25}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::atan2(u, -1), {std::atan2(49.0, -1.0), std::atan2(8.0, -1.0)}, DType::Float32));
  // Integer results wrap as PyTorch's do.
  EXPECT_TRUE(ref::equals(u + -2, {47, 6}, DType::UInt8));
}

TEST(ReflectedOperators, NumberOnTheLeft) {
  lt::Tensor x = ref::make({1, 2, 4}, DType::Int32);
  EXPECT_TRUE(ref::equals(10 - x, {9, 8, 6}, DType::Int32));
  EXPECT_TRUE(ref::equals(10.0 - x, {9, 8, 6}, DType::Float32));
  EXPECT_TRUE(ref::equals(3 + x, {4, 5, 7}, DType::Int32));
  EXPECT_TRUE(ref::equals(0.5 * x, {0.5, 1, 2}, DType::Float32));
  EXPECT_TRUE(ref::equals(2 / x, {2, 1, 0.5}, DType::Float32));
  EXPECT_TRUE(ref::equals(-7 % x, {0, 1, 1}, DType::Int32));
  EXPECT_TRUE(ref::equals(7.5 % ref::make({2, -2}, DType::Float64), {1.5, -0.5}, DType::Float64));
  lt::Tensor h = ref::make({2, 4}, DType::Float16);
  EXPECT_TRUE(ref::equals(1 - h, {-1, -3}, DType::Float16));
  EXPECT_TRUE(ref::equals(1 / h, {0.5, 0.25}, DType::Float16));
  lt::Tensor b = ref::make({1, 0}, DType::Bool);
  EXPECT_THROW(1 - b, lt::DTypeError);  // as PyTorch: ~ or logical_not invert a mask
  EXPECT_TRUE(ref::equals(2.0 * b, {2, 0}, DType::Float32));
  lt::Tensor empty = lt::empty({0, 2}, DType::Int16);
  EXPECT_EQ((5 - empty).sizes(), (lt::Shape{0, 2}));
  EXPECT_EQ((5 - empty).dtype(), DType::Int16);
}

// --- in-place arithmetic ----------------------------------------------------------------------------

TEST(InPlace, ResultsCastIntoSelfWhereAllowed) {
  lt::Tensor h = ref::make({1, 2049}, DType::Float16);
  lt::Tensor d = ref::make({0.1, 1e-4}, DType::Float64);
  h.add_(d);  // computed in float64, rounded once into float16
  EXPECT_TRUE(ref::equals(h, {ref::round_to(DType::Float16, 1.1), ref::round_to(DType::Float16, 2048 + 1e-4)},
                          DType::Float16));
  lt::Tensor f = ref::make({1, 2, 3}, DType::Float32);
  f.add_(ref::make({1, 1, 1}, DType::Int64), 2);
  f.sub_(ref::make({0.5}, DType::Float32));
  f.mul_(ref::make({2, 2, 2}, DType::Int8));
  f.mul_(0.5);
  f.div_(ref::make({1, 2, 4}, DType::Int32));
  f.add_(1);
  EXPECT_TRUE(ref::equals(f, {3.5, 2.75, 2.125}, DType::Float32));
  lt::Tensor i = ref::make({1, 2}, DType::Int32);
  EXPECT_THROW(i.add_(ref::make({0.5, 0.5}, DType::Float32)), lt::DTypeError);
  EXPECT_THROW(i.mul_(1.5), lt::DTypeError);
  EXPECT_THROW(i.div_(i), lt::DTypeError);  // true division gives float
  EXPECT_TRUE(ref::equals(i, {1, 2}, DType::Int32)) << "nothing written on error";
  lt::Tensor b = ref::make({1, 0}, DType::Bool);
  EXPECT_THROW(b.add_(ref::make({1, 1}, DType::Int32)), lt::DTypeError);
  // self never broadcasts.
  lt::Tensor col = lt::zeros({3, 1});
  EXPECT_THROW(col.add_(lt::ones({3, 4})), lt::ShapeError);
  lt::Tensor col16 = lt::zeros({3, 1}, DType::Float16);
  EXPECT_THROW(col16.add_(lt::ones({3, 4}, DType::Float64)), lt::ShapeError);
  EXPECT_TRUE(ref::equals(col16.flatten(), {0, 0, 0}, DType::Float16));
}

TEST(InPlace, NonContiguousSelfAndOverlap) {
  lt::Tensor base = lt::zeros({4, 4}, DType::Int64);
  lt::Tensor view = base.t().slice(0, 0, 4, 2);  // columns 0 and 2 of base, as rows
  view.add_(ref::make({1, 2, 3, 4}, DType::Int64));
  std::vector<double> want(16, 0);
  for (int r = 0; r < 4; ++r) want[r * 4 + 0] = want[r * 4 + 2] = r + 1;
  EXPECT_TRUE(ref::equals(base, want, DType::Int64, lt::Shape{4, 4}));
  // Reading a shifted view of itself uses the values from before the write.
  lt::Tensor x = ref::make({1, 2, 3, 4, 5, 6, 7, 8}, DType::Float32);
  lt::Tensor tail = x.slice(0, 1, 8);
  tail.add_(x.slice(0, 0, 7));
  EXPECT_TRUE(ref::equals(x, {1, 3, 5, 7, 9, 11, 13, 15}, DType::Float32));
  lt::Tensor y = ref::make({1, 2, 3, 4}, DType::Int32);
  y.mul_(y);  // exact aliasing is fine
  EXPECT_TRUE(ref::equals(y, {1, 4, 9, 16}, DType::Int32));
}

TEST(Closeness, IsCloseAllCloseEqual) {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::nan("");
  lt::Tensor a = ref::make({1.0, 1.0 + 1e-6, inf, -inf, nan, 2.0}, DType::Float32);
  lt::Tensor b = ref::make({1.0, 1.0, inf, inf, nan, 2.1}, DType::Float32);
  EXPECT_TRUE(ref::equals(lt::isclose(a, b), {1, 1, 1, 0, 0, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::isclose(a, b, 1e-5, 1e-8, true), {1, 1, 1, 0, 1, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::isclose(a, b, 0.1, 0), {1, 1, 1, 0, 0, 1}, DType::Bool));
  lt::Tensor i = ref::make({1, 5, 9}, DType::Int64), j = ref::make({2, 5, 7}, DType::Int64);
  EXPECT_TRUE(ref::equals(lt::isclose(i, j), {0, 1, 0}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::isclose(i, j, 0, 1), {1, 1, 0}, DType::Bool));
  EXPECT_TRUE(lt::allclose(lt::ones({3}), lt::ones({3}) + 1e-7));
  EXPECT_FALSE(lt::allclose(a, b));
  EXPECT_TRUE(lt::equal(i, i.to(DType::Float64)));
  EXPECT_FALSE(lt::equal(i, j));
  EXPECT_FALSE(lt::equal(lt::ones({2}), lt::ones({3})));
  EXPECT_THROW(lt::isclose(a, i.to(DType::Float64)), lt::DTypeError);
  EXPECT_THROW(lt::isclose(a, b, -1), lt::ValueError);
}

}  // namespace
