// where, clamp and lerp against reference.h's evaluator: dtypes and their promotion,
// layouts, broadcasting, 0-dim and zero-size operands, NaN handling.
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

// PyTorch's promote_types for the pairs used here.
DType promote(DType a, DType b) {
  if (a == b) return a;
  if (a == DType::Bool) return b;
  if (b == DType::Bool) return a;
  const bool fa = ref::is_float(a), fb = ref::is_float(b);
  if (fa && fb) {
    if ((a == DType::Float16 && b == DType::BFloat16) || (a == DType::BFloat16 && b == DType::Float16)) {
      return DType::Float32;
    }
    return ref::element_size(a) >= ref::element_size(b) ? a : b;
  }
  if (fa) return a;
  if (fb) return b;
  if ((a == DType::UInt8 && b == DType::Int8) || (a == DType::Int8 && b == DType::UInt8)) return DType::Int16;
  if (a == DType::UInt8) return b;
  if (b == DType::UInt8) return a;
  return ref::element_size(a) >= ref::element_size(b) ? a : b;
}

lt::Tensor random_bool(const lt::Shape& s, uint32_t seed, Layout l = Layout::Contiguous) {
  return ref::random_tensor(s, DType::Bool, seed, l);
}

// --- where ----------------------------------------------------------------------------------

ref::Expected where_ref(const lt::Tensor& c, const lt::Tensor& a, const lt::Tensor& b, DType common) {
  return ref::map3(c, a, b, [&](double cv, double av, double bv) {
    return cv != 0 ? ref::round_to(common, av) : ref::round_to(common, bv);
  });
}

TEST(Where, EveryDTypeAndLayout) {
  uint32_t seed = 1;
  for (DType t : ref::kAllDTypes) {
    for (Layout l : ref::kLayouts) {
      SCOPED_TRACE(ref::dname(t) + " " + ref::layout_name(l));
      lt::Tensor c = random_bool({5, 6}, seed++, l);
      lt::Tensor a = ref::random_tensor({5, 6}, t, seed++, Layout::Strided);
      lt::Tensor b = ref::random_tensor({5, 6}, t, seed++, Layout::Transposed);
      EXPECT_TRUE(ref::matches(lt::where(c, a, b), where_ref(c, a, b, t), t));
    }
  }
  // Over the parallel grain.
  lt::Tensor c = random_bool({400, 200}, 9, Layout::Transposed);
  lt::Tensor a = ref::random_tensor({400, 200}, DType::Float16, 10), b = ref::random_tensor({200}, DType::Float16, 11);
  EXPECT_TRUE(ref::matches(lt::where(c, a, b), where_ref(c, a, b, DType::Float16), DType::Float16));
}

TEST(Where, MixedDTypesPromote) {
  const std::pair<DType, DType> pairs[] = {{DType::Int32, DType::Float32}, {DType::UInt8, DType::Int8},
                                           {DType::Float16, DType::BFloat16}, {DType::Bool, DType::Int64},
                                           {DType::Int64, DType::Float16},   {DType::Float32, DType::Float64}};
  uint32_t seed = 30;
  for (auto [ta, tb] : pairs) {
    for (auto [x, y] : {std::pair{ta, tb}, std::pair{tb, ta}}) {
      SCOPED_TRACE(ref::dname(x) + ", " + ref::dname(y));
      lt::Tensor c = random_bool({4, 3}, seed++);
      lt::Tensor a = ref::random_tensor({4, 3}, x, seed++), b = ref::random_tensor({4, 3}, y, seed++);
      const DType common = promote(x, y);
      EXPECT_TRUE(ref::matches(lt::where(c, a, b), where_ref(c, a, b, common), common));
    }
  }
}

TEST(Where, BroadcastZeroDimAndZeroSize) {
  struct Shapes {
    lt::Shape c, a, b;
  };
  const Shapes cases[] = {
      {{3, 1}, {1, 4}, {4}}, {{}, {2, 3}, {3}}, {{2, 3}, {}, {}}, {{}, {}, {}},
      {{0, 3}, {3}, {1}},    {{2, 1}, {0}, {}}, {{4}, {3, 1}, {1, 4}},
  };
  uint32_t seed = 60;
  for (const auto& s : cases) {
    SCOPED_TRACE(ref::shape_str(s.c) + " " + ref::shape_str(s.a) + " " + ref::shape_str(s.b));
    lt::Tensor c = random_bool(s.c, seed++, Layout::Expanded);
    lt::Tensor a = ref::random_tensor(s.a, DType::Float32, seed++), b = ref::random_tensor(s.b, DType::Float32, seed++);
    EXPECT_TRUE(ref::matches(lt::where(c, a, b), where_ref(c, a, b, DType::Float32), DType::Float32));
  }
  EXPECT_THROW(lt::where(random_bool({3}, 1), lt::ones({4}), lt::ones({3})), lt::ShapeError);
}

TEST(Where, NumberOperandsAndZeroDimTensorsAreWeak) {
  lt::Tensor c = ref::make({1, 0, 1}, DType::Bool);
  lt::Tensor i = ref::make({1, 2, 3}, DType::Int32);
  EXPECT_TRUE(ref::equals(lt::where(c, i, 7), {1, 7, 3}, DType::Int32));
  EXPECT_TRUE(ref::equals(lt::where(c, 2.5, i), {2.5, 2, 2.5}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::where(c, i, -0.5), {1, -0.5, 3}, DType::Float32));
  lt::Tensor h = ref::make({1, 2, 3}, DType::Float16);
  EXPECT_TRUE(ref::equals(lt::where(c, 0.1, h), {0.1, 2, 0.1}, DType::Float16));
  lt::Tensor b = ref::make({0, 1, 1}, DType::Bool);
  EXPECT_TRUE(ref::equals(lt::where(c, b, 5), {0, 5, 1}, DType::Int64));
  EXPECT_TRUE(ref::equals(lt::where(c, b, false), {0, 0, 1}, DType::Bool));
  // A 0-dim float64 tensor with an integral one: float64. With float16: float16.
  EXPECT_TRUE(ref::equals(lt::where(c, i, ref::make0(0.25, DType::Float64)), {1, 0.25, 3}, DType::Float64));
  EXPECT_TRUE(ref::equals(lt::where(c, h, ref::make0(0.25, DType::Float64)), {1, 0.25, 3}, DType::Float16));
  // NaN passes through untouched.
  lt::Tensor n = ref::make({kNaN, kNaN, kNaN}, DType::Float32);
  EXPECT_TRUE(ref::equals(lt::where(c, n, 1.0), {kNaN, 1, kNaN}, DType::Float32));
}

TEST(Where, ConditionMustBeBool) {
  EXPECT_THROW(lt::where(ref::make({1, 0}, DType::UInt8), lt::ones({2}), lt::zeros({2})), lt::DTypeError);
  EXPECT_THROW(lt::where(lt::ones({2}), lt::ones({2}), lt::zeros({2})), lt::DTypeError);
}

// --- clamp ----------------------------------------------------------------------------------

double clamp_ref(double x, std::optional<double> lo, std::optional<double> hi) {
  if (std::isnan(x)) return x;
  if (lo && x < *lo) x = *lo;
  if (hi && x > *hi) x = *hi;  // min > max: everything becomes max
  return x;
}

TEST(Clamp, BothOnlyMinOnlyMaxOnEveryDTypeAndLayout) {
  uint32_t seed = 100;
  for (DType t : ref::kAllDTypes) {
    if (t == DType::Bool) continue;
    for (Layout l : ref::kLayouts) {
      SCOPED_TRACE(ref::dname(t) + " " + ref::layout_name(l));
      lt::Tensor x = ref::random_tensor({6, 7}, t, seed++, l, -50, 50);
      const double lo = t == DType::UInt8 ? 10 : -20, hi = 30;
      auto expect = [&](std::optional<double> a, std::optional<double> b) {
        std::optional<lt::Scalar> sa, sb;
        if (a) sa = lt::Scalar(static_cast<int64_t>(*a));
        if (b) sb = lt::Scalar(static_cast<int64_t>(*b));
        return ref::matches(lt::clamp(x, sa, sb), ref::map1(x, [&](double v) { return clamp_ref(v, a, b); }), t);
      };
      EXPECT_TRUE(expect(lo, hi));
      EXPECT_TRUE(expect(lo, std::nullopt)) << "only min";
      EXPECT_TRUE(expect(std::nullopt, hi)) << "only max";
      EXPECT_TRUE(expect(hi, lo)) << "min > max";
    }
  }
}

TEST(Clamp, NaNStaysNaNAndInfinitiesAreClamped) {
  for (DType t : ref::kFloatDTypes) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor x = ref::make({kNaN, kInf, -kInf, 0.5, -3, 3, kNaN, 1.0, -1.0, 2.0, kNaN, kNaN, 0, 0, 0, 0, -0.0}, t);
    const auto in = ref::values(x);
    auto r = [&](std::optional<double> lo, std::optional<double> hi) {
      return ref::map1(x, [&](double v) { return clamp_ref(v, lo, hi); });
    };
    EXPECT_TRUE(ref::matches(lt::clamp(x, -1.0, 1.0), r(-1.0, 1.0), t, {}, &in));
    EXPECT_TRUE(ref::matches(lt::clamp(x, 0.0, {}), r(0.0, {}), t, {}, &in));
    EXPECT_TRUE(ref::matches(lt::clamp(x, {}, 0.0), r({}, 0.0), t, {}, &in));
    // Strided: the scalar path.
    lt::Tensor s = x.slice(0, 1, 17, 3);
    EXPECT_TRUE(ref::matches(lt::clamp(s, -2.0, 2.0), ref::map1(s, [](double v) { return clamp_ref(v, -2.0, 2.0); }),
                             t));
  }
}

TEST(Clamp, ResultDTypeFollowsTheBounds) {
  lt::Tensor i = ref::make({-5, 0, 5}, DType::Int32);
  EXPECT_TRUE(ref::equals(lt::clamp(i, -1, 1), {-1, 0, 1}, DType::Int32));
  EXPECT_TRUE(ref::equals(lt::clamp(i, -1.5, {}), {-1.5, 0, 5}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::clamp(i, {}, 2.5), {-5, 0, 2.5}, DType::Float32));
  lt::Tensor u = ref::make({0, 100, 255}, DType::UInt8);
  EXPECT_TRUE(ref::equals(lt::clamp(u, 50, 200), {50, 100, 200}, DType::UInt8));
  lt::Tensor h = ref::make({-5, 0.05, 5}, DType::Float16);
  EXPECT_TRUE(ref::equals(lt::clamp(h, 0.1, 1), {0.1, 0.1, 1}, DType::Float16));
  lt::Tensor bf = ref::make({-5, 0.05, 5}, DType::BFloat16);
  EXPECT_TRUE(ref::equals(lt::clamp(bf, 0.1, {}), {0.1, 0.1, 5}, DType::BFloat16));
  lt::Tensor big = ref::make({16777217, -16777219}, DType::Int64);
  EXPECT_TRUE(ref::equals(lt::clamp(big, -1e9, 1e9), {16777216, -16777220}, DType::Float32));
  // Zero-size and 0-dim.
  EXPECT_EQ(lt::clamp(lt::empty({0, 3}, DType::Int16), 0, 1).sizes(), (lt::Shape{0, 3}));
  lt::Tensor z = lt::clamp(ref::make0(7, DType::Int8), {}, 3);
  EXPECT_EQ(z.dim(), 0);
  EXPECT_EQ(ref::scalar(z), 3);
  // Errors.
  EXPECT_THROW(lt::clamp(i, std::nullopt, std::nullopt), lt::ValueError);
  EXPECT_THROW(lt::clamp(ref::make({1, 0}, DType::Bool), 0, 1), lt::DTypeError);
}

TEST(Clamp, InPlace) {
  lt::Tensor base = ref::make({-3, 7, 1, 9, -8, 2}, DType::Int64, {2, 3});
  lt::Tensor row = base.select(0, 1);  // -- a view: {9, -8, 2}
  row.clamp_(0, 5);
  EXPECT_TRUE(ref::equals(base, {-3, 7, 1, 5, 0, 2}, DType::Int64, lt::Shape{2, 3}));
  lt::Tensor f = ref::make({kNaN, -2, 2}, DType::Float32);
  f.clamp_(-1, 1);
  EXPECT_TRUE(ref::equals(f, {kNaN, -1, 1}, DType::Float32));
  lt::Tensor i = ref::make({1, 2}, DType::Int32);
  EXPECT_THROW(i.clamp_(0.5, 1.5), lt::DTypeError);  // a float result cannot go into int32
}

// --- lerp -----------------------------------------------------------------------------------

// start + weight * (end - start), in double; results may differ from it by the rounding
// of the operands' scale, so the tolerance is absolute in units of the largest operand.
ref::Tol lerp_tol(DType t) { return {1, 2 * ref::ulp(t, 16.0), 0}; }

TEST(Lerp, TensorAndScalarWeightsOnEveryFloatDTypeAndLayout) {
  uint32_t seed = 200;
  for (DType t : ref::kFloatDTypes) {
    for (Layout l : ref::kLayouts) {
      SCOPED_TRACE(ref::dname(t) + " " + ref::layout_name(l));
      lt::Tensor s = ref::random_tensor({5, 6}, t, seed++, l), e = ref::random_tensor({5, 6}, t, seed++, Layout::Strided);
      lt::Tensor w = ref::random_tensor({5, 6}, t, seed++, Layout::Transposed, -0.5, 1.5);
      EXPECT_TRUE(ref::matches(lt::lerp(s, e, w), ref::map3(s, e, w, [](double a, double b, double x) {
                                 return a + x * (b - a);
                               }), t, lerp_tol(t)));
      for (double weight : {0.0, 0.25, 0.5, 0.75, 1.0}) {
        EXPECT_TRUE(ref::matches(lt::lerp(s, e, weight),
                                 ref::map2(s, e, [&](double a, double b) { return a + weight * (b - a); }), t,
                                 lerp_tol(t)))
            << "weight " << weight;
      }
    }
  }
}

TEST(Lerp, ExactAtTheEnds) {
  for (DType t : ref::kFloatDTypes) {
    lt::Tensor s = ref::random_tensor({64}, t, 5), e = ref::random_tensor({64}, t, 6);
    EXPECT_TRUE(ref::equals(lt::lerp(s, e, 0.0), ref::values(s), t)) << ref::dname(t);
    EXPECT_TRUE(ref::equals(lt::lerp(s, e, 1.0), ref::values(e), t)) << ref::dname(t);
    EXPECT_TRUE(ref::equals(lt::lerp(s, e, lt::ones({64}, t)), ref::values(e), t)) << ref::dname(t);
  }
}

TEST(Lerp, BroadcastZeroDimZeroSizeAndErrors) {
  lt::Tensor s = ref::random_tensor({3, 1}, DType::Float32, 1), e = ref::random_tensor({4}, DType::Float32, 2);
  lt::Tensor w = ref::random_tensor({}, DType::Float32, 3, 0, 1);
  EXPECT_TRUE(ref::matches(lt::lerp(s, e, w),
                           ref::map3(s, e, w, [](double a, double b, double x) { return a + x * (b - a); }),
                           DType::Float32, lerp_tol(DType::Float32)));
  lt::Tensor r = lt::lerp(lt::empty({0, 4}, DType::Float64), lt::empty({4}, DType::Float64), 0.5);
  EXPECT_EQ(r.sizes(), (lt::Shape{0, 4}));
  lt::Tensor z = lt::lerp(ref::make0(1, DType::Float16), ref::make0(3, DType::Float16), 0.5);
  EXPECT_EQ(z.dim(), 0);
  EXPECT_EQ(ref::scalar(z), 2);
  lt::Tensor n = lt::lerp(ref::make({kNaN, 0}, DType::Float32), ref::make({1, kInf}, DType::Float32), 0.25);
  EXPECT_TRUE(ref::equals(n, {kNaN, kInf}, DType::Float32));
  EXPECT_THROW(lt::lerp(lt::ones({2}, DType::Int32), lt::ones({2}, DType::Int32), 0.5), lt::DTypeError);
  EXPECT_THROW(lt::lerp(lt::ones({2}), lt::ones({2}, DType::Float64), 0.5), lt::DTypeError);
  EXPECT_THROW(lt::lerp(lt::ones({2}), lt::ones({2}), lt::ones({2}, DType::Float16)), lt::DTypeError);
  EXPECT_THROW(lt::lerp(lt::ones({2}), lt::ones({3}), 0.5), lt::ShapeError);
}

}  // namespace

namespace {

TEST(ClampTensors, ValuesAndWhereTheGradientGoes) {
  auto vec = [](std::vector<double> v) { return lt::from_vector<double>(v, {static_cast<int64_t>(v.size())}); };
  lt::Tensor x = vec({0, 5, -5, 2}), lo = vec({1, 1, 1, 3}), hi = vec({2, 2, 0, 1});
  for (lt::Tensor* t : {&x, &lo, &hi}) t->requires_grad_();
  lt::Tensor y = lt::clamp(x, lo, hi);
  EXPECT_EQ(ref::values(y), (std::vector<double>{1, 2, 0, 1}));  // min > max gives max, as PyTorch
  EXPECT_EQ(y.grad_fn()->name(), "ClampBackward0");
  lt::autograd::TensorList g = lt::autograd::grad({lt::sum(y)}, {x, lo, hi});
  EXPECT_EQ(ref::values(g[0]), (std::vector<double>{0, 0, 0, 0}));
  EXPECT_EQ(ref::values(g[1]), (std::vector<double>{1, 0, 0, 0}));
  EXPECT_EQ(ref::values(g[2]), (std::vector<double>{0, 1, 1, 1}));
  // One bound, broadcast; dtypes promote.
  lt::Tensor z = lt::clamp(lt::from_vector<int32_t>({1, 7}), lt::Tensor(), lt::full({}, 2.5));
  EXPECT_EQ(z.dtype(), lt::DType::Float32);
  EXPECT_EQ(ref::values(z), (std::vector<double>{1, 2.5}));
  EXPECT_THROW(lt::clamp(x, lt::Tensor(), lt::Tensor()), lt::ValueError);
  auto f = [](const lt::autograd::TensorList& in) { return lt::autograd::TensorList{lt::clamp(in[0], in[1], in[2])}; };
  lt::Tensor a = lt::rand({5}, lt::DType::Float64), b = lt::rand({5}, lt::DType::Float64) * 0.3,
             c = lt::rand({5}, lt::DType::Float64) * 0.3 + 0.65;
  for (lt::Tensor* t : {&a, &b, &c}) t->requires_grad_();
  EXPECT_TRUE(lt::autograd::gradcheck(f, {a, b, c}));
  EXPECT_TRUE(lt::autograd::gradgradcheck(f, {a, b, c}));
}

}  // namespace
