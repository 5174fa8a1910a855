// Unary operators, nan_to_num, and the one-input copies (copy_, fill_, flip), checked
// against reference.h's double-precision evaluator on every dtype and layout.
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

using UnaryFn = lt::Tensor (*)(const lt::Tensor&);

// --- floating-point unary operators ------------------------------------------------------

struct FloatCase {
  const char* name;
  UnaryFn fn;
  double (*ref)(double);
  double lo, hi;  // the domain random inputs come from
  double ulps;    // tolerance of float32/float64 results, in units in the last place
};

std::ostream& operator<<(std::ostream& o, const FloatCase& c) { return o << c.name; }

#define LT_FN(op) [](const lt::Tensor& x) { return lt::op(x); }
#define REF(expr) [](double x) -> double { return expr; }

const FloatCase kFloatCases[] = {
    {"exp", LT_FN(exp), REF(std::exp(x)), -20, 20, 2},
    {"exp2", LT_FN(exp2), REF(std::exp2(x)), -20, 20, 2},
    {"expm1", LT_FN(expm1), REF(std::expm1(x)), -5, 5, 2},
    {"log", LT_FN(log), REF(std::log(x)), 0.01, 100, 2},
    {"log2", LT_FN(log2), REF(std::log2(x)), 0.01, 100, 2},
    {"log10", LT_FN(log10), REF(std::log10(x)), 0.01, 100, 2},
    {"log1p", LT_FN(log1p), REF(std::log1p(x)), -0.99, 10, 2},
    {"sqrt", LT_FN(sqrt), REF(std::sqrt(x)), 0, 100, 1},
    {"rsqrt", LT_FN(rsqrt), REF(1 / std::sqrt(x)), 0.01, 100, 2},
    {"reciprocal", LT_FN(reciprocal), REF(1 / x), -10, 10, 1},
    {"sin", LT_FN(sin), REF(std::sin(x)), -10, 10, 2},
    {"cos", LT_FN(cos), REF(std::cos(x)), -10, 10, 2},
    {"tan", LT_FN(tan), REF(std::tan(x)), -1.5, 1.5, 2},
    {"asin", LT_FN(asin), REF(std::asin(x)), -1, 1, 2},
    {"acos", LT_FN(acos), REF(std::acos(x)), -1, 1, 2},
    {"atan", LT_FN(atan), REF(std::atan(x)), -10, 10, 2},
    {"sinh", LT_FN(sinh), REF(std::sinh(x)), -5, 5, 2},
    {"cosh", LT_FN(cosh), REF(std::cosh(x)), -5, 5, 2},
    {"tanh", LT_FN(tanh), REF(std::tanh(x)), -5, 5, 4},
    {"asinh", LT_FN(asinh), REF(std::asinh(x)), -10, 10, 2},
    {"acosh", LT_FN(acosh), REF(std::acosh(x)), 1, 10, 2},
    {"atanh", LT_FN(atanh), REF(std::atanh(x)), -0.99, 0.99, 2},
    {"erf", LT_FN(erf), REF(std::erf(x)), -3, 3, 8},  // a vectorized approximation: 5 ulp seen
    {"erfc", LT_FN(erfc), REF(std::erfc(x)), -3, 3, 4},
    {"sigmoid", LT_FN(sigmoid), REF(1 / (1 + std::exp(-x))), -10, 10, 4},
    {"floor", LT_FN(floor), REF(std::floor(x)), -10, 10, 0},
    {"ceil", LT_FN(ceil), REF(std::ceil(x)), -10, 10, 0},
    {"round", LT_FN(round), REF(std::nearbyint(x)), -10, 10, 0},
    {"trunc", LT_FN(trunc), REF(std::trunc(x)), -10, 10, 0},
    {"frac", LT_FN(frac), REF(x - std::trunc(x)), -10, 10, 0},
};

ref::Tol tol_for(DType t, const FloatCase& c) {
  if (t == DType::Float16 || t == DType::BFloat16) return {c.ulps == 0 ? 0.0 : 1.0, 0, 0};
  return {c.ulps, 0, 0};
}

class FloatUnary : public ::testing::TestWithParam<FloatCase> {};

TEST_P(FloatUnary, MatchesReferenceOnEveryFloatDTypeAndLayout) {
  const FloatCase& c = GetParam();
  uint32_t seed = 1;
  for (DType t : ref::kFloatDTypes) {
    for (Layout layout : ref::kLayouts) {
      for (const lt::Shape& shape : {lt::Shape{37}, lt::Shape{5, 7}, lt::Shape{3, 4, 5}}) {
        SCOPED_TRACE(ref::dname(t) + " " + ref::layout_name(layout) + " " + ref::shape_str(shape));
        lt::Tensor x = ref::random_tensor(shape, t, seed++, layout, c.lo, c.hi);
        const auto in = ref::values(x);
        EXPECT_TRUE(ref::matches(c.fn(x), ref::map1(x, c.ref), t, tol_for(t, c), &in));
      }
    }
  }
}

TEST_P(FloatUnary, LargeContiguousAndStridedInputs) {
  // Over the parallel grain, through the vectorized contiguous path and the strided one.
  const FloatCase& c = GetParam();
  for (DType t : ref::kFloatDTypes) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor x = ref::random_tensor({70001}, t, 7, c.lo, c.hi);
    const auto in = ref::values(x);
    EXPECT_TRUE(ref::matches(c.fn(x), ref::map1(x, c.ref), t, tol_for(t, c), &in));
    lt::Tensor s = ref::random_tensor({300, 250}, t, 8, Layout::Transposed, c.lo, c.hi);
    EXPECT_TRUE(ref::matches(c.fn(s), ref::map1(s, c.ref), t, tol_for(t, c)));
  }
}

TEST_P(FloatUnary, ZeroDimAndZeroSize) {
  const FloatCase& c = GetParam();
  for (DType t : ref::kFloatDTypes) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor x0 = ref::random_tensor({}, t, 3, c.lo, c.hi);
    lt::Tensor r0 = c.fn(x0);
    EXPECT_EQ(r0.dim(), 0);
    EXPECT_TRUE(ref::matches(r0, ref::map1(x0, c.ref), t, tol_for(t, c)));
    for (const lt::Shape& shape : {lt::Shape{0}, lt::Shape{3, 0, 2}}) {
      lt::Tensor r = c.fn(lt::empty(shape, t));
      EXPECT_EQ(r.sizes(), shape);
      EXPECT_EQ(r.dtype(), t);
    }
  }
}

TEST_P(FloatUnary, IntegralAndBoolInputs) {
  // Rounding operators keep integral dtypes; the others compute in float32.
  const FloatCase& c = GetParam();
  const bool rounding = std::string_view(c.name) == "floor" || std::string_view(c.name) == "ceil" ||
                        std::string_view(c.name) == "round" || std::string_view(c.name) == "trunc";
  if (std::string_view(c.name) == "frac") {
    EXPECT_THROW(lt::frac(lt::ones({3}, DType::Int32)), lt::DTypeError);
    return;
  }
  for (DType t : {DType::Bool, DType::UInt8, DType::Int8, DType::Int16, DType::Int32, DType::Int64}) {
    SCOPED_TRACE(ref::dname(t));
    double lo = std::max(c.lo, t == DType::UInt8 ? 0.0 : -1e9), hi = c.hi;
    if (std::string_view(c.name).starts_with("log") || std::string_view(c.name) == "rsqrt") lo = std::max(lo, 1.0);
    lt::Tensor x = ref::random_tensor({4, 9}, t, 11, Layout::Strided, lo, hi);
    lt::Tensor r = c.fn(x);
    if (rounding) {
      EXPECT_TRUE(ref::matches(r, ref::map1(x, c.ref), t));
      EXPECT_FALSE(r.is_same(x));
    } else {
      EXPECT_TRUE(ref::matches(r, ref::map1(x, c.ref, DType::Float32), DType::Float32, tol_for(DType::Float32, c)));
    }
  }
  // Wide integers are rounded to float32 before the function, as a cast would.
  lt::Tensor big = ref::make({16777217, 123456789}, DType::Int32);
  if (!rounding && std::string_view(c.name) == "sqrt") {
    EXPECT_TRUE(ref::matches(lt::sqrt(big), ref::map1(big, c.ref, DType::Float32), DType::Float32, tol_for(DType::Float32, c)));
  }
}

INSTANTIATE_TEST_SUITE_P(Ops, FloatUnary, ::testing::ValuesIn(kFloatCases),
                         [](const auto& info) { return std::string(info.param.name); });

// Special values through both the contiguous (vectorized) path and the strided one.
struct SpecialCase {
  const char* name;
  UnaryFn fn;
  double (*ref)(double);
  bool check_contiguous = true;  // false where the vectorized path has a reported bug
};
std::ostream& operator<<(std::ostream& o, const SpecialCase& c) { return o << c.name; }

const SpecialCase kSpecialCases[] = {
    {"exp2", LT_FN(exp2), REF(std::exp2(x))},       {"expm1", LT_FN(expm1), REF(std::expm1(x))},
    {"log2", LT_FN(log2), REF(std::log2(x))},       {"log10", LT_FN(log10), REF(std::log10(x))},
    {"log1p", LT_FN(log1p), REF(std::log1p(x))},    {"sqrt", LT_FN(sqrt), REF(std::sqrt(x)), false},
    {"rsqrt", LT_FN(rsqrt), REF(1 / std::sqrt(x)), false}, {"reciprocal", LT_FN(reciprocal), REF(1 / x)},
    {"sin", LT_FN(sin), REF(std::sin(x))},          {"cos", LT_FN(cos), REF(std::cos(x))},
    {"asin", LT_FN(asin), REF(std::asin(x))},       {"acos", LT_FN(acos), REF(std::acos(x))},
    {"atan", LT_FN(atan), REF(std::atan(x))},       {"sinh", LT_FN(sinh), REF(std::sinh(x))},
    {"cosh", LT_FN(cosh), REF(std::cosh(x))},       {"asinh", LT_FN(asinh), REF(std::asinh(x))},
    {"acosh", LT_FN(acosh), REF(std::acosh(x))},       {"atanh", LT_FN(atanh), REF(std::atanh(x))},
    {"erfc", LT_FN(erfc), REF(std::erfc(x))},       {"floor", LT_FN(floor), REF(std::floor(x))},
    {"ceil", LT_FN(ceil), REF(std::ceil(x))},       {"round", LT_FN(round), REF(std::nearbyint(x))},
    {"trunc", LT_FN(trunc), REF(std::trunc(x))},    {"abs", LT_FN(abs), REF(std::fabs(x))},
    {"neg", LT_FN(neg), REF(-x)},                   {"square", LT_FN(square), REF(x * x)},
    {"sigmoid", LT_FN(sigmoid), REF(1 / (1 + std::exp(-x)))},
    {"sign", LT_FN(sign), REF(std::isnan(x) ? x : (x > 0) - (x < 0))},
    {"relu", LT_FN(relu), REF(std::isnan(x) ? x : x < 0 ? 0.0 : x)},
};

class SpecialValues : public ::testing::TestWithParam<SpecialCase> {};

std::vector<double> tiled(const std::vector<double>& v, int copies = 5) {
  std::vector<double> out;
  for (int k = 0; k < copies; ++k) out.insert(out.end(), v.begin(), v.end());
  return out;
}

std::vector<double> special_inputs() {
  return tiled({0.0, -0.0, kInf, -kInf, kNaN, -1.0, 1.0, 0.5, -0.5, 2.5, -2.5, 1e30, -1e30, 3.0, 100.0, -100.0, 1e-3,
          // Subnormal in float16 / float32 / float64.
          1e-6, 1e-40, 1e-310}, 3);
}

TEST_P(SpecialValues, ContiguousAndStrided) {
  const SpecialCase& c = GetParam();
  for (DType t : ref::kFloatDTypes) {
    std::vector<double> v = special_inputs();
    for (double& x : v) x = ref::round_to(t, x);
    // Contiguous, then every other element of a doubled copy.
    lt::Tensor x = ref::make(v, t);
    std::vector<double> doubled;
    for (double y : v) doubled.push_back(y), doubled.push_back(7.0);
    lt::Tensor s = ref::make(doubled, t).slice(0, 0, static_cast<int64_t>(doubled.size()), 2);
    const ref::Tol tol{4, 0, 0};
    SCOPED_TRACE(ref::dname(t));
    if (c.check_contiguous) EXPECT_TRUE(ref::matches(c.fn(x), ref::map1(x, c.ref), t, tol, &v)) << "contiguous";
    EXPECT_TRUE(ref::matches(c.fn(s), ref::map1(s, c.ref), t, tol, &v)) << "strided";
  }
}

INSTANTIATE_TEST_SUITE_P(Ops, SpecialValues, ::testing::ValuesIn(kSpecialCases),
                         [](const auto& info) { return std::string(info.param.name); });

// The vectorized exp, log, tanh, erf and sigmoid of the contiguous path on special values,
// each value tiled so that it lands inside full vector packets.
TEST(SpecialValuesVectorized, ExpLogTanhErfSigmoid) {
  const std::vector<double> v = tiled({0.0, -0.0, kInf, -kInf, kNaN, 1.0, -1.0, 0.5, 3.0, -3.0, 20.0, 1e-3, 80.0,
                                       -80.0, -100, -104, 89, 710, -746, -1e30, 1e30, 1e-40, 1e-310, -1e-40});
  for (DType t : ref::kFloatDTypes) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor x = ref::make(v, t);
    const auto in = ref::values(x);
    const ref::Tol tol{4, 0, 0};
    EXPECT_TRUE(ref::matches(lt::exp(x), ref::map1(x, REF(std::exp(x))), t, tol, &in));
    EXPECT_TRUE(ref::matches(lt::log(x), ref::map1(x, REF(std::log(x))), t, tol, &in));
    EXPECT_TRUE(ref::matches(lt::tanh(x), ref::map1(x, REF(std::tanh(x))), t, tol, &in));
    EXPECT_TRUE(ref::matches(lt::erf(x), ref::map1(x, REF(std::erf(x))), t, tol, &in));
    EXPECT_TRUE(ref::matches(lt::sigmoid(x), ref::map1(x, REF(1 / (1 + std::exp(-x)))), t, tol, &in));
  }
}

// --- the other unary operators -----------------------------------------------------------------

TEST(Rounding, RoundIsHalfToEven) {
  const std::vector<double> in = {0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 0.49999997, 2.5000002, -3.5, 1e7 + 0.5};
  const std::vector<double> want = {0, 2, 2, 4, -0.0, -2, -2, 0, 3, -4, 1e7};
  for (DType t : {DType::Float32, DType::Float64}) {
    lt::Tensor r = lt::round(ref::make(in, t));
    std::vector<double> w = want;
    if (t == DType::Float32) w.back() = 1e7;  // 1e7 + 0.5 is exactly representable: a tie
    EXPECT_TRUE(ref::equals(r, w, t)) << ref::dname(t);
    EXPECT_TRUE(std::signbit(ref::get(r, {4}))) << "round(-0.5) is -0";
  }
  for (DType t : {DType::Float16, DType::BFloat16}) {
    EXPECT_TRUE(ref::equals(lt::round(ref::make({0.5, 1.5, 2.5, -2.5, 5.5}, t)), {0, 2, 2, -2, 6}, t));
  }
}

TEST(Rounding, FloorCeilTruncFracOfNegatives) {
  lt::Tensor x = ref::make({-2.5, -0.25, 2.75, -3.0}, DType::Float32);
  EXPECT_TRUE(ref::equals(lt::floor(x), {-3, -1, 2, -3}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::ceil(x), {-2, -0.0, 3, -3}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::trunc(x), {-2, -0.0, 2, -3}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::frac(x), {-0.5, -0.25, 0.75, 0}, DType::Float32));
}

TEST(Rounding, IntegersAreCopiedUnchanged) {
  for (DType t : ref::kIntDTypes) {
    lt::Tensor x = ref::random_tensor({6}, t, 5);
    for (UnaryFn fn : {UnaryFn(LT_FN(floor)), UnaryFn(LT_FN(ceil)), UnaryFn(LT_FN(round)), UnaryFn(LT_FN(trunc))}) {
      lt::Tensor r = fn(x);
      EXPECT_TRUE(ref::equals(r, ref::values(x), t));
      EXPECT_NE(r.data(), x.data()) << "a new tensor, not a view";
    }
  }
}

struct IntCase {
  const char* name;
  UnaryFn fn;
  double (*ref)(double);
};

TEST(IntegerUnary, NegAbsSignReluSquareOnEveryIntegralDType) {
  const IntCase cases[] = {
      {"neg", LT_FN(neg), REF(-x)},
      {"abs", LT_FN(abs), REF(std::fabs(x))},
      {"sign", LT_FN(sign), REF((x > 0) - (x < 0))},
      {"relu", LT_FN(relu), REF(x < 0 ? 0.0 : x)},
      {"square", LT_FN(square), REF(x * x)},
  };
  uint32_t seed = 100;
  for (const auto& c : cases) {
    for (DType t : ref::kIntDTypes) {
      for (Layout layout : ref::kLayouts) {
        SCOPED_TRACE(std::string(c.name) + " " + ref::dname(t) + " " + ref::layout_name(layout));
        lt::Tensor x = ref::random_tensor({6, 5}, t, seed++, layout, -1000, 1000);
        // Results wrap to the type's width, as C++ and PyTorch integers do.
        EXPECT_TRUE(ref::matches(c.fn(x), ref::map1(x, c.ref), t));
      }
    }
  }
}

TEST(IntegerUnary, ExtremesWrapWithoutTrapping) {
  lt::Tensor x8 = ref::make({-128, 127, 0, -1}, DType::Int8);
  EXPECT_TRUE(ref::equals(lt::neg(x8), {-128, -127, 0, 1}, DType::Int8));
  EXPECT_TRUE(ref::equals(lt::abs(x8), {-128, 127, 0, 1}, DType::Int8));
  lt::Tensor x64 = lt::full({2}, std::numeric_limits<int64_t>::min(), DType::Int64);
  EXPECT_EQ(lt::neg(x64).data_ptr<int64_t>()[0], std::numeric_limits<int64_t>::min());
  EXPECT_EQ(lt::abs(x64).data_ptr<int64_t>()[1], std::numeric_limits<int64_t>::min());
  lt::Tensor u8 = ref::make({0, 1, 255}, DType::UInt8);
  EXPECT_TRUE(ref::equals(lt::neg(u8), {0, 255, 1}, DType::UInt8));
  EXPECT_TRUE(ref::equals(lt::abs(u8), {0, 1, 255}, DType::UInt8));
}

TEST(IntegerUnary, DTypeRules) {
  lt::Tensor b = ref::make({1, 0, 1}, DType::Bool);
  EXPECT_THROW(lt::neg(b), lt::DTypeError);
  EXPECT_THROW(-b, lt::DTypeError);
  EXPECT_THROW(lt::relu(b), lt::DTypeError);
  EXPECT_THROW(lt::frac(b), lt::DTypeError);
  // square of bool is int64, as pow(x, 2) is in PyTorch.
  EXPECT_TRUE(ref::equals(lt::square(b), {1, 0, 1}, DType::Int64));
  EXPECT_TRUE(ref::equals(lt::sign(b), {1, 0, 1}, DType::Bool));
  EXPECT_EQ(lt::exp(b).dtype(), DType::Float32);
  EXPECT_EQ(lt::abs(ref::make({-3}, DType::Int16)).dtype(), DType::Int16);
  EXPECT_EQ(lt::sqrt(ref::make({4}, DType::Int64)).dtype(), DType::Float32);
  EXPECT_EQ(lt::sqrt(ref::make({4}, DType::Float16)).dtype(), DType::Float16);
}

TEST(IntegerUnary, OperatorMinusAndTilde) {
  lt::Tensor x = ref::random_tensor({3, 4}, DType::Int32, 9, Layout::Transposed);
  EXPECT_TRUE(ref::matches(-x, ref::map1(x, REF(-x)), DType::Int32));
  EXPECT_TRUE(ref::matches(~x, ref::map1(x, REF(-x - 1)), DType::Int32));
  lt::Tensor f = ref::random_tensor({5}, DType::Float64, 9);
  EXPECT_TRUE(ref::matches(-f, ref::map1(f, REF(-x)), DType::Float64));
}

TEST(BitwiseNot, IntegralAndBool) {
  uint32_t seed = 40;
  for (DType t : ref::kIntDTypes) {
    for (Layout layout : ref::kLayouts) {
      lt::Tensor x = ref::random_tensor({4, 6}, t, seed++, layout, -1e6, 1e6);
      // ~x == -x - 1 in two's complement (wrapping for uint8).
      EXPECT_TRUE(ref::matches(lt::bitwise_not(x), ref::map1(x, REF(-x - 1)), t)) << ref::dname(t);
    }
  }
  EXPECT_TRUE(ref::equals(lt::bitwise_not(ref::make({1, 0, 0, 1}, DType::Bool)), {0, 1, 1, 0}, DType::Bool));
  EXPECT_THROW(lt::bitwise_not(lt::ones({2})), lt::DTypeError);
  EXPECT_THROW(lt::bitwise_not(lt::ones({2}, DType::Float16)), lt::DTypeError);
}

TEST(Predicates, IsnanIsinfIsfiniteLogicalNotOnEveryDType) {
  for (DType t : ref::kAllDTypes) {
    std::vector<double> v = {0.0, 1.0, -2.0, 3.0};
    if (ref::is_float(t)) v = {0.0, kNaN, kInf, -kInf, -1.5, 65504.0, -0.0, 1e-6};
    if (t == DType::Bool) v = {0, 1, 1, 0};
    if (t == DType::UInt8) v = {0, 1, 200, 3};
    for (Layout layout : {Layout::Contiguous, Layout::Strided}) {
      lt::Tensor x = ref::make(v, t);
      if (layout == Layout::Strided) {
        std::vector<double> d;
        for (double y : v) d.push_back(y), d.push_back(1.0);
        x = ref::make(d, t).slice(0, 0, static_cast<int64_t>(d.size()), 2);
      }
      SCOPED_TRACE(ref::dname(t) + " " + ref::layout_name(layout));
      EXPECT_TRUE(ref::matches(lt::isnan(x), ref::map1(x, REF(std::isnan(x))), DType::Bool));
      EXPECT_TRUE(ref::matches(lt::isinf(x), ref::map1(x, REF(std::isinf(x))), DType::Bool));
      EXPECT_TRUE(ref::matches(lt::isfinite(x), ref::map1(x, REF(std::isfinite(x))), DType::Bool));
      // NaN is true, as in Python.
      EXPECT_TRUE(ref::matches(lt::logical_not(x), ref::map1(x, REF(x == 0)), DType::Bool));
    }
  }
  EXPECT_EQ(lt::isnan(lt::empty({0, 4})).sizes(), (lt::Shape{0, 4}));
  EXPECT_EQ(lt::isinf(lt::empty({0, 4})).dtype(), DType::Bool);
  lt::Tensor z = lt::isfinite(ref::make0(kInf, DType::Float32));
  EXPECT_EQ(z.dim(), 0);
  EXPECT_EQ(ref::scalar(z), 0.0);
}

// --- nan_to_num ---------------------------------------------------------------------------

TEST(NanToNum, DefaultsAreZeroAndTheDTypeExtremes) {
  const std::vector<double> v = {kNaN, kInf, -kInf, 1.5, -0.0};
  for (DType t : ref::kFloatDTypes) {
    const double hi = ref::format_of(t).max;
    for (Layout layout : {Layout::Contiguous, Layout::Strided}) {
      lt::Tensor x = ref::make(v, t);
      if (layout == Layout::Strided) x = ref::make({kNaN, 9, kInf, 9, -kInf, 9, 1.5, 9, -0.0}, t).slice(0, 0, 9, 2);
      EXPECT_TRUE(ref::equals(lt::nan_to_num(x), {0, hi, -hi, 1.5, 0}, t)) << ref::dname(t);
    }
  }
}

TEST(NanToNum, GivenReplacements) {
  lt::Tensor x = ref::make({kNaN, kInf, -kInf, 2.0}, DType::Float64, {2, 2}).t();
  EXPECT_TRUE(ref::equals(lt::nan_to_num(x, 1.0, 2.0, -3.0), {1.0, -3.0, 2.0, 2.0}, DType::Float64, lt::Shape{2, 2}));
  // Only some given: the others keep their defaults.
  lt::Tensor h = ref::make({kNaN, kInf, -kInf}, DType::Float16);
  EXPECT_TRUE(ref::equals(lt::nan_to_num(h, {}, 100.0), {0, 100, -65504}, DType::Float16));
  EXPECT_TRUE(ref::equals(lt::nan_to_num(h, 7.0, {}, -1.0), {7, 65504, -1}, DType::Float16));
  // Integers have no NaN: unchanged, same dtype.
  lt::Tensor i = ref::make({1, -2, 3}, DType::Int32);
  EXPECT_TRUE(ref::equals(lt::nan_to_num(i), {1, -2, 3}, DType::Int32));
  EXPECT_EQ(lt::nan_to_num(lt::empty({0}, DType::BFloat16)).numel(), 0);
}

// --- copy_, fill_ and flip ------------------------------------------------------------------

TEST(Copy, EveryDTypeToEveryDType) {
  uint32_t seed = 500;
  for (DType from : ref::kAllDTypes) {
    for (DType to : ref::kAllDTypes) {
      SCOPED_TRACE(ref::dname(from) + " -> " + ref::dname(to));
      // Values that every destination represents or truncates without undefined behaviour.
      double lo = (to == DType::UInt8 || to == DType::Bool) ? 0 : -100, hi = 100;
      if (to == DType::Int8 && ref::is_float(from)) lo = -100;
      lt::Tensor src = ref::random_tensor({3, 5}, from, seed++, Layout::Strided, lo, hi);
      if (ref::is_float(from) && ref::is_float(to) && (to == DType::Float16 || to == DType::BFloat16)) {
        src = ref::random_tensor({3, 5}, from, seed++, Layout::Strided, -1000, 1000);
      }
      lt::Tensor dst = lt::empty({5, 3}, to).t();
      dst.copy_(src);
      // Floats truncate toward zero into integers; anything nonzero is true.
      EXPECT_TRUE(ref::matches(dst, ref::map1(src, REF(x)), to));
      EXPECT_TRUE(ref::matches(src.to(to), ref::map1(src, REF(x)), to));
    }
  }
}

TEST(Copy, RoundingToSixteenBitFloats) {
  // Ties go to even; beyond the largest finite value is infinity.
  lt::Tensor x = ref::make({1.0 + std::ldexp(1.0, -11), 1.0 + 3 * std::ldexp(1.0, -11), 65519.0, 65520.0, 1e-8,
                            -3e-8, kNaN, -kInf},
                           DType::Float32);
  EXPECT_TRUE(ref::equals(x.to(DType::Float16),
                          {1.0, 1.0 + std::ldexp(1.0, -9), 65504.0, kInf, 0.0, -std::ldexp(1.0, -24), kNaN, -kInf},
                          DType::Float16));
  lt::Tensor y = ref::make({1.0 + std::ldexp(1.0, -8), 1.0 + 3 * std::ldexp(1.0, -8), 3.0e38, kNaN}, DType::Float32);
  EXPECT_TRUE(ref::equals(y.to(DType::BFloat16), {1.0, 1.0 + std::ldexp(1.0, -6), 3.00405527047391e+38, kNaN}, DType::BFloat16));
  lt::Tensor f = ref::make({0.1, -2.9, 2.9, kNaN}, DType::Float64);
  EXPECT_TRUE(ref::equals(f.to(DType::Bool), {1, 1, 1, 1}, DType::Bool));
  EXPECT_TRUE(ref::equals(f.slice(0, 0, 3).to(DType::Int32), {0, -2, 2}, DType::Int32));
}

TEST(Copy, BroadcastsSourceAndChecksShapes) {
  lt::Tensor dst = lt::zeros({4, 3}, DType::Int64);
  lt::Tensor row = ref::make({1, 2, 3}, DType::Float32);
  dst.copy_(row);
  EXPECT_TRUE(ref::equals(dst, {1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3}, DType::Int64, lt::Shape{4, 3}));
  dst.copy_(ref::make0(7, DType::Int8));
  EXPECT_TRUE(ref::equals(dst.flatten(), std::vector<double>(12, 7), DType::Int64));
  EXPECT_THROW(dst.copy_(lt::ones({4})), lt::ShapeError);
  EXPECT_THROW(dst.copy_(lt::ones({2, 4, 3})), lt::ShapeError);  // dst never broadcasts
  lt::Tensor expanded = lt::zeros({1, 3}).expand({4, 3});
  EXPECT_THROW(expanded.copy_(lt::ones({4, 3})), lt::ValueError);
  lt::Tensor empty = lt::empty({0, 3});
  empty.copy_(row);  // nothing to do
  EXPECT_EQ(empty.numel(), 0);
}

TEST(Copy, OverlappingSourceReadsTheOldValues) {
  lt::Tensor x = ref::make({0, 1, 2, 3, 4, 5, 6, 7}, DType::Float32);
  lt::Tensor dst = x.slice(0, 1, 8);
  dst.copy_(x.slice(0, 0, 7));
  EXPECT_TRUE(ref::equals(x, {0, 0, 1, 2, 3, 4, 5, 6}, DType::Float32));
  lt::Tensor y = ref::make({0, 1, 2, 3, 4, 5, 6, 7}, DType::Int16);
  lt::Tensor head = y.slice(0, 0, 7);
  head.copy_(y.slice(0, 1, 8));
  EXPECT_TRUE(ref::equals(y, {1, 2, 3, 4, 5, 6, 7, 7}, DType::Int16));
}

TEST(Fill, EveryDTypeAndOnlyTheView) {
  for (DType t : ref::kAllDTypes) {
    lt::Tensor base = lt::zeros({4, 6}, t);
    lt::Tensor view = base.slice(0, 1, 4, 2).slice(1, 0, 6, 3);  // rows 1, 3; cols 0, 3
    const double v = t == DType::Bool ? 1 : 3;
    view.fill_(v);
    std::vector<double> want(24, 0);
    for (int r : {1, 3}) for (int c : {0, 3}) want[r * 6 + c] = v;
    EXPECT_TRUE(ref::equals(base, want, t, lt::Shape{4, 6})) << ref::dname(t);
  }
  lt::Tensor h = lt::empty({3}, DType::Float16);
  h.fill_(0.1);
  EXPECT_TRUE(ref::equals(h, {0.1, 0.1, 0.1}, DType::Float16));  // rounded once to float16
  lt::Tensor i = lt::empty({2}, DType::Int32);
  i.fill_(-2.7);
  EXPECT_TRUE(ref::equals(i, {-2, -2}, DType::Int32));
  lt::Tensor z = lt::empty({}, DType::Float64);
  lt::fill_(z, kNaN);
  EXPECT_TRUE(std::isnan(ref::scalar(z)));
  lt::Tensor e = lt::empty({0, 2});
  e.fill_(1);
  lt::Tensor big = lt::empty({100000}, DType::Int64).fill_(-5);
  EXPECT_EQ(big.data_ptr<int64_t>()[99999], -5);
}

TEST(Flip, DimsNegativeDimsAndErrors) {
  lt::Tensor x = ref::random_tensor({3, 4, 5}, DType::Float32, 1, Layout::Transposed);
  auto flipped = [&](std::vector<bool> mask) {
    lt::Shape s = x.sizes();
    std::vector<double> out;
    std::vector<int64_t> idx(3, 0);
    do {
      std::vector<int64_t> src = idx;
      for (int d = 0; d < 3; ++d) if (mask[d]) src[d] = s[d] - 1 - idx[d];
      out.push_back(ref::get(x, src));
    } while (ref::next_index(idx, s));
    return ref::Expected{s, out};
  };
  EXPECT_TRUE(ref::matches(lt::flip(x, {0}), flipped({true, false, false}), DType::Float32));
  EXPECT_TRUE(ref::matches(lt::flip(x, {-1, 1}), flipped({false, true, true}), DType::Float32));
  EXPECT_TRUE(ref::matches(lt::flip(x, {0, 1, 2}), flipped({true, true, true}), DType::Float32));
  lt::Tensor same = lt::flip(x, {});
  EXPECT_TRUE(ref::matches(same, flipped({false, false, false}), DType::Float32));
  EXPECT_EQ(same.strides(), x.strides());  // a copy in the input's layout, as clone()
  EXPECT_THROW(lt::flip(x, {0, 0}), lt::ValueError);
  EXPECT_THROW(lt::flip(x, {0, -3}), lt::ValueError);
  EXPECT_THROW(lt::flip(x, {3}), lt::IndexError);
  lt::Tensor e = lt::flip(lt::empty({0, 2}, DType::Int8), {0});
  EXPECT_EQ(e.sizes(), (lt::Shape{0, 2}));
  lt::Tensor z = lt::flip(ref::make0(4, DType::Int16), {});
  EXPECT_EQ(ref::scalar(z), 4);
  EXPECT_TRUE(ref::equals(lt::flip(ref::make({1, 0, 0}, DType::Bool), {0}), {0, 0, 1}, DType::Bool));
}

// --- the vectorized contiguous path (Eigen's fast sqrt once got these wrong) ---------

// IEEE and PyTorch's sqrt are correctly rounded.
TEST(VectorizedPath, VectorizedSqrtIsCorrectlyRounded) {
  for (DType t : {DType::Float32, DType::Float64}) {
    lt::Tensor x = ref::random_tensor({4096}, t, 77, 0, 100);
    EXPECT_TRUE(ref::matches(lt::sqrt(x), ref::map1(x, REF(std::sqrt(x))), t, ref::exact())) << ref::dname(t);
  }
}

// sqrt(inf) is NaN, rsqrt(inf) is NaN and rsqrt(-0) is +inf on contiguous tensors of every
// float dtype.
TEST(VectorizedPath, VectorizedSqrtRsqrtSpecialValues) {
  for (DType t : ref::kFloatDTypes) {
    lt::Tensor x = ref::make(tiled({kInf, -0.0, 0.0, 4.0}, 16), t);
    EXPECT_TRUE(ref::equals(lt::sqrt(x), tiled({kInf, -0.0, 0.0, 2.0}, 16), t)) << ref::dname(t);
    EXPECT_TRUE(ref::equals(lt::rsqrt(x), tiled({0.0, -kInf, kInf, 0.5}, 16), t)) << ref::dname(t);
  }
}

}  // namespace
