// Reductions against reference.h's reduce(): sum, mean, prod, amax, amin, all, any, var,
// std over dims lists (negative, repeated, keepdim), every dtype and layout, zero-size and
// 0-dim inputs, the dtype= argument, accumulation precision; max/min/argmax/argmin with
// their indices and NaN handling.
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

// --- reference reducers, in long double ----------------------------------------------------

double ref_sum(const std::vector<double>& v) {
  long double s = 0;
  for (double x : v) s += x;
  return static_cast<double>(s);
}
double ref_prod_float(const std::vector<double>& v) {
  long double p = 1;
  for (double x : v) p *= x;
  return static_cast<double>(p);
}
double ref_prod_int(const std::vector<double>& v) {
  uint64_t p = 1;  // wraps like int64
  for (double x : v) p *= static_cast<uint64_t>(static_cast<int64_t>(x));
  return static_cast<double>(static_cast<int64_t>(p));
}
double ref_mean(const std::vector<double>& v) { return ref_sum(v) / static_cast<double>(v.size()); }
double ref_extreme(const std::vector<double>& v, bool is_max) {
  double best = is_max ? -kInf : kInf;
  for (double x : v) {
    if (std::isnan(x)) return x;
    best = is_max ? std::max(best, x) : std::min(best, x);
  }
  return best;
}
double ref_all(const std::vector<double>& v) {
  for (double x : v) if (x == 0) return 0;
  return 1;
}
double ref_any(const std::vector<double>& v) {
  for (double x : v) if (x != 0) return 1;
  return 0;
}
double ref_var(const std::vector<double>& v, double correction) {
  const long double n = static_cast<long double>(v.size());
  long double m = 0;
  for (double x : v) m += x;
  m /= n;
  long double m2 = 0;
  for (double x : v) m2 += (x - m) * (x - m);
  return static_cast<double>(m2 / std::max(n - correction, 0.0L));
}

// --- the table of reductions ----------------------------------------------------------------

struct ReductionCase {
  const char* name;
  // Calls the operator; returns an undefined tensor where the dtype is refused.
  lt::Tensor (*fn)(const lt::Tensor&, const std::vector<int64_t>&, bool);
  double (*ref)(const std::vector<double>&, DType);  // input dtype
  std::optional<DType> (*out)(DType);                // result dtype, nullopt = DTypeError
  double lo, hi;                                     // input domain
  bool whole_numbers;                                // inputs are integers in [lo, hi]
};
std::ostream& operator<<(std::ostream& o, const ReductionCase& c) { return o << c.name; }

std::optional<DType> int64_for_integral(DType t) { return ref::is_float(t) ? t : DType::Int64; }
std::optional<DType> floating_only(DType t) { return ref::is_float(t) ? std::optional(t) : std::nullopt; }
std::optional<DType> same(DType t) { return t; }
std::optional<DType> boolean(DType t) { return t == DType::UInt8 ? DType::UInt8 : DType::Bool; }  // as PyTorch

#define RED(call) [](const lt::Tensor& x, const std::vector<int64_t>& d, bool k) { return call; }

const ReductionCase kCases[] = {
    {"sum", RED(lt::sum(x, d, k)), [](const std::vector<double>& v, DType) { return ref_sum(v); }, int64_for_integral,
     0.5, 8, false},
    {"prod", RED(lt::prod(x, d, k)),
     [](const std::vector<double>& v, DType t) { return ref::is_float(t) ? ref_prod_float(v) : ref_prod_int(v); },
     int64_for_integral, 0.5, 2, false},
    {"mean", RED(lt::mean(x, d, k)), [](const std::vector<double>& v, DType) { return ref_mean(v); }, floating_only,
     0.5, 8, false},
    {"amax", RED(lt::amax(x, d, k)), [](const std::vector<double>& v, DType) { return ref_extreme(v, true); }, same,
     -100, 100, false},
    {"amin", RED(lt::amin(x, d, k)), [](const std::vector<double>& v, DType) { return ref_extreme(v, false); }, same,
     -100, 100, false},
    {"all", RED(lt::all(x, d, k)), [](const std::vector<double>& v, DType) { return ref_all(v); }, boolean, 0, 3,
     true},
    {"any", RED(lt::any(x, d, k)), [](const std::vector<double>& v, DType) { return ref_any(v); }, boolean, -1, 1,
     true},
    {"var", RED(lt::var(x, d, 1, k)), [](const std::vector<double>& v, DType) { return ref_var(v, 1); },
     floating_only, -8, 8, false},
    {"var_population", RED(lt::var(x, d, 0, k)), [](const std::vector<double>& v, DType) { return ref_var(v, 0); },
     floating_only, -8, 8, false},
    {"std", RED(lt::std(x, d, 1, k)), [](const std::vector<double>& v, DType) { return std::sqrt(ref_var(v, 1)); },
     floating_only, -8, 8, false},
};

ref::Tol tolerance(const ReductionCase& c, DType out, int64_t n) {
  const std::string_view name = c.name;
  if (!ref::is_float(out)) return {};
  const bool wide = out == DType::Float32 || out == DType::Float64;
  if (name == "amax" || name == "amin") return {};
  if (name == "prod") return wide ? ref::Tol{static_cast<double>(n) + 2, 0, 0} : ref::Tol{1, 0, 0};
  if (name.starts_with("var") || name == "std") {
    return {1, 0, out == DType::Float64 ? 1e-12 : 1e-5};
  }
  return wide ? ref::Tol{8, 0, 0} : ref::Tol{1, 0, 0};  // sum, mean: no cancellation
}

lt::Tensor input_for(const ReductionCase& c, const lt::Shape& shape, DType t, uint32_t seed, Layout l) {
  double lo = c.lo, hi = c.hi;
  if (!ref::is_float(t) && std::string_view(c.name) == "prod") lo = -2, hi = 2;
  if (!ref::is_float(t) && std::string_view(c.name) == "sum") lo = -100, hi = 100;
  if (c.whole_numbers || !ref::is_float(t)) {
    return ref::random_integers(shape, t, seed, l, static_cast<int64_t>(std::ceil(lo)),
                                static_cast<int64_t>(std::floor(hi)));
  }
  return ref::random_tensor(shape, t, seed, l, lo, hi);
}

::testing::AssertionResult check(const ReductionCase& c, const lt::Tensor& x, const std::vector<int64_t>& dims,
                                 bool keepdim) {
  const DType t = x.dtype();
  const auto out = c.out(t);
  if (!out) {
    try {
      c.fn(x, dims, keepdim);
    } catch (const lt::DTypeError&) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << c.name << " of " << ref::dname(t) << " should raise DTypeError";
  }
  auto f = c.ref;
  ref::Expected e = ref::reduce(x, dims, keepdim, [&](const std::vector<double>& v) { return f(v, t); });
  int64_t n = 1;
  for (int64_t d = 0; d < x.dim(); ++d) {
    bool reduced = dims.empty();
    for (int64_t r : dims) reduced |= (r < 0 ? r + x.dim() : r) == d;
    if (reduced) n *= x.size(d);
  }
  return ref::matches(c.fn(x, dims, keepdim), e, *out, tolerance(c, *out, n));
}

class Reduction : public ::testing::TestWithParam<ReductionCase> {};

const std::vector<std::vector<int64_t>> kDimLists = {{},     {0},     {1},    {2},       {-1},
                                                     {0, 2}, {-1, 0}, {1, 2}, {0, 1, 2}, {-3, -2}};

TEST_P(Reduction, DimsKeepdimDTypesAndLayouts) {
  const ReductionCase& c = GetParam();
  uint32_t seed = 1;
  for (DType t : ref::kAllDTypes) {
    for (Layout l : ref::kLayouts) {
      lt::Tensor x = input_for(c, {4, 5, 6}, t, seed++, l);
      for (const auto& dims : kDimLists) {
        for (bool keepdim : {false, true}) {
          SCOPED_TRACE(ref::dname(t) + " " + ref::layout_name(l) + " dims " + ref::shape_str(dims) +
                       (keepdim ? " keepdim" : ""));
          EXPECT_TRUE(check(c, x, dims, keepdim));
        }
      }
    }
  }
}

TEST_P(Reduction, LargeInputsOverEveryLoopShape) {
  // Long rows, many short rows, few outputs over many rows (split across threads), and
  // many outputs: inner, outer and all dims of contiguous and transposed inputs.
  const ReductionCase& c = GetParam();
  const lt::Shape shapes[] = {{300, 257}, {3, 70001}, {70001, 3}};
  uint32_t seed = 500;
  for (DType t : {DType::Float32, DType::Int64, DType::BFloat16, DType::Float64}) {
    for (const auto& s : shapes) {
      for (Layout l : {Layout::Contiguous, Layout::Transposed}) {
        lt::Tensor x = input_for(c, s, t, seed++, l);
        for (const std::vector<int64_t>& dims : {std::vector<int64_t>{0}, {1}, {}}) {
          SCOPED_TRACE(ref::dname(t) + " " + ref::shape_str(s) + " " + ref::layout_name(l) + " dims " +
                       ref::shape_str(dims));
          if (std::string_view(c.name) == "prod" && ref::is_float(t)) continue;  // (under/overflows)
          EXPECT_TRUE(check(c, x, dims, false));
        }
      }
    }
  }
}

TEST_P(Reduction, MiddleDimOfStridedFourDimInput) {
  const ReductionCase& c = GetParam();
  lt::Tensor x = input_for(c, {3, 4, 5, 2}, DType::Float32, 77, Layout::Strided).permute({2, 0, 3, 1});
  for (const std::vector<int64_t>& dims : {std::vector<int64_t>{1}, {1, 2}, {0, 3}, {-2}, {2, 0, 1}}) {
    for (bool keepdim : {false, true}) {
      SCOPED_TRACE(ref::shape_str(dims));
      EXPECT_TRUE(check(c, x, dims, keepdim));
    }
  }
}

TEST_P(Reduction, ZeroDimInput) {
  const ReductionCase& c = GetParam();
  for (DType t : {DType::Float32, DType::Int32, DType::Float16}) {
    lt::Tensor x = input_for(c, {}, t, 3, Layout::Contiguous);
    for (const std::vector<int64_t>& dims : {std::vector<int64_t>{}, {0}, {-1}}) {
      for (bool keepdim : {false, true}) {
        SCOPED_TRACE(ref::dname(t) + " dims " + ref::shape_str(dims));
        EXPECT_TRUE(check(c, x, dims, keepdim));
      }
    }
    if (c.out(t)) EXPECT_THROW(c.fn(x, {1}, false), lt::IndexError);
  }
}

TEST_P(Reduction, DimErrors) {
  const ReductionCase& c = GetParam();
  lt::Tensor x = lt::ones({2, 3}, DType::Float32);
  EXPECT_THROW(c.fn(x, {0, 0}, false), lt::ValueError);
  EXPECT_THROW(c.fn(x, {1, -1}, false), lt::ValueError);
  EXPECT_THROW(c.fn(x, {2}, false), lt::IndexError);
  EXPECT_THROW(c.fn(x, {-3}, false), lt::IndexError);
}

INSTANTIATE_TEST_SUITE_P(Ops, Reduction, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

// --- zero-size reductions -------------------------------------------------------------------

TEST(ZeroSize, IdentitiesAndErrors) {
  for (DType t : {DType::Float32, DType::Int32, DType::Float16, DType::Bool}) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor e = lt::empty({0}, t), e03 = lt::empty({0, 3}, t), e30 = lt::empty({3, 0}, t);
    const DType acc = ref::is_float(t) ? t : DType::Int64;
    EXPECT_TRUE(ref::equals(lt::sum(e03, {0}), {0, 0, 0}, acc));
    EXPECT_TRUE(ref::equals(lt::prod(e03, {0}, true), {1, 1, 1}, acc, lt::Shape{1, 3}));
    EXPECT_TRUE(ref::equals(lt::sum(e30, {1}), {0, 0, 0}, acc));
    EXPECT_TRUE(ref::equals(lt::sum(e03, {1}), {}, acc, lt::Shape{0}));
    EXPECT_TRUE(ref::equals(lt::all(e30, {1}), {1, 1, 1}, DType::Bool));
    EXPECT_TRUE(ref::equals(lt::any(e30, {-1}), {0, 0, 0}, DType::Bool));
    // No identity for the extremes.
    EXPECT_THROW(lt::amax(e), lt::IndexError);
    EXPECT_THROW(lt::amin(e03, {0}), lt::IndexError);
    EXPECT_THROW(lt::max(e), lt::IndexError);
    EXPECT_THROW(lt::min(e30), lt::IndexError);
    EXPECT_THROW(lt::max(e03, 0), lt::IndexError);
    EXPECT_THROW(lt::argmax(e), lt::IndexError);
    EXPECT_THROW(lt::argmin(e30, 1), lt::IndexError);
    // ... but reducing a non-empty dim of an empty tensor is fine.
    EXPECT_EQ(lt::amax(e03, {1}).sizes(), (lt::Shape{0}));
    EXPECT_EQ(std::get<0>(lt::max(e03, 1)).sizes(), (lt::Shape{0}));
    EXPECT_EQ(std::get<1>(lt::min(e03, 1, true)).sizes(), (lt::Shape{0, 1}));
    EXPECT_EQ(lt::argmax(e03, 1).sizes(), (lt::Shape{0}));
  }
  // The mean and variance of nothing are NaN.
  EXPECT_TRUE(ref::equals(lt::mean(lt::empty({0, 2}, DType::Float64), {0}), {kNaN, kNaN}, DType::Float64));
  EXPECT_TRUE(ref::equals(lt::var(lt::empty({0, 3}), {0}), {kNaN, kNaN, kNaN}, DType::Float32));
}

// Reported bug (src/iterator.cpp build_reduction with backends/cpu/loops.h reduce()): an
// empty input reduced to a single output element is never written. For K == 1 kept and
// R == 0 reduced elements the geometry is {1, 0} with output strides {0, 0}, which reduce()
// reads as "reduce along dim 0 for each of n1 = 0 outputs", so the uninitialized result is
// returned: lt::sum(lt::empty({0})) is garbage, lt::prod of it is not 1, lt::all(empty) is
// false, lt::mean(empty) is inf, not NaN.
TEST(ZeroSize, EmptyToOneElement) {
  for (DType t : {DType::Float32, DType::Int32, DType::Float16, DType::Bool}) {
    SCOPED_TRACE(ref::dname(t));
    const DType acc = ref::is_float(t) ? t : DType::Int64;
    for (const lt::Shape& s : {lt::Shape{0}, lt::Shape{0, 3}, lt::Shape{0, 1}}) {
      lt::Tensor e = lt::full(s, 1, t);
      EXPECT_TRUE(ref::equals(lt::sum(e), {0}, acc, lt::Shape{}));
      EXPECT_TRUE(ref::equals(lt::prod(e), {1}, acc, lt::Shape{}));
      EXPECT_TRUE(ref::equals(lt::all(e), {1}, DType::Bool, lt::Shape{}));
      EXPECT_TRUE(ref::equals(lt::any(e), {0}, DType::Bool, lt::Shape{}));
    }
    EXPECT_TRUE(ref::equals(lt::sum(lt::empty({0, 1}, t), {0}), {0}, acc));
  }
  EXPECT_TRUE(ref::equals(lt::mean(lt::empty({0})), {kNaN}, DType::Float32, lt::Shape{}));
  EXPECT_TRUE(ref::equals(lt::var(lt::empty({0})), {kNaN}, DType::Float32, lt::Shape{}));
}

// --- dtypes ---------------------------------------------------------------------------------

TEST(ResultDTypes, IntegralSumsAreInt64) {
  EXPECT_TRUE(ref::equals(lt::sum(lt::full({1000}, 127, DType::Int8)), {127000}, DType::Int64, lt::Shape{}));
  EXPECT_TRUE(ref::equals(lt::sum(lt::full({1000}, 255, DType::UInt8)), {255000}, DType::Int64, lt::Shape{}));
  EXPECT_TRUE(ref::equals(lt::sum(ref::make({1, 0, 1, 1}, DType::Bool)), {3}, DType::Int64, lt::Shape{}));
  EXPECT_TRUE(ref::equals(lt::prod(ref::make({1 << 20, 1 << 20}, DType::Int32)), {std::ldexp(1.0, 40)}, DType::Int64,
                          lt::Shape{}));
  lt::Tensor big = lt::full({3, 2}, std::numeric_limits<int32_t>::max(), DType::Int32);
  EXPECT_TRUE(ref::equals(lt::sum(big, {0}), {3.0 * 2147483647, 3.0 * 2147483647}, DType::Int64));
  EXPECT_EQ(lt::amax(lt::ones({2}, DType::Int16)).dtype(), DType::Int16);
  EXPECT_EQ(lt::mean(lt::ones({2}, DType::BFloat16)).dtype(), DType::BFloat16);
  EXPECT_EQ(lt::all(lt::ones({2}, DType::Float64)).dtype(), DType::Bool);
  EXPECT_EQ(lt::std(lt::ones({2}, DType::Float16)).dtype(), DType::Float16);
}

TEST(ResultDTypes, DTypeArgument) {
  lt::Tensor i = ref::make({1, 2, 3, 4}, DType::Int32, {2, 2});
  EXPECT_TRUE(ref::equals(lt::sum(i, {}, false, DType::Float64), {10}, DType::Float64, lt::Shape{}));
  EXPECT_TRUE(ref::equals(lt::sum(i, {0}, true, DType::Int16), {4, 6}, DType::Int16, lt::Shape{1, 2}));
  EXPECT_TRUE(ref::equals(lt::prod(i, {1}, false, DType::Float32), {2, 12}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::mean(i, {}, false, DType::Float32), {2.5}, DType::Float32, lt::Shape{}));
  EXPECT_TRUE(ref::equals(lt::mean(i, {-1}, false, DType::Float16), {1.5, 3.5}, DType::Float16));
  // The input is cast first: 1.5 and 2.5 become 1 and 2.
  lt::Tensor f = ref::make({1.5, 2.5}, DType::Float32);
  EXPECT_TRUE(ref::equals(lt::sum(f, {}, false, DType::Int32), {3}, DType::Int32, lt::Shape{}));
  EXPECT_TRUE(ref::equals(lt::prod(ref::make({100, 3}, DType::Int64), {}, false, DType::Int8), {44}, DType::Int8,
                          lt::Shape{}));
  // float16 summed with dtype float32 keeps the bits float16 would lose.
  lt::Tensor h = ref::make({2048, 1, 1}, DType::Float16);
  EXPECT_TRUE(ref::equals(lt::sum(h, {}, false, DType::Float32), {2050}, DType::Float32, lt::Shape{}));
  EXPECT_THROW(lt::mean(i), lt::DTypeError);
  EXPECT_THROW(lt::mean(f, {}, false, DType::Int64), lt::DTypeError);
  EXPECT_THROW(lt::var(i), lt::DTypeError);
  EXPECT_THROW(lt::std(ref::make({1, 0}, DType::Bool)), lt::DTypeError);
}

// --- accuracy ---------------------------------------------------------------------------------

TEST(Accuracy, Float16SumsAccumulateInFloat) {
  EXPECT_TRUE(ref::equals(lt::sum(lt::ones({4096}, DType::Float16)), {4096}, DType::Float16, lt::Shape{}));
  EXPECT_TRUE(ref::equals(lt::sum(lt::ones({10000}, DType::Float16)), {10000}, DType::Float16, lt::Shape{}));
  EXPECT_TRUE(ref::equals(lt::sum(lt::ones({4096, 3}, DType::Float16), {0}), {4096, 4096, 4096}, DType::Float16));
  EXPECT_TRUE(ref::equals(lt::sum(lt::ones({3, 4096}, DType::Float16).t(), {0}), {4096, 4096, 4096}, DType::Float16));
  EXPECT_TRUE(ref::equals(lt::sum(lt::ones({1000}, DType::BFloat16)), {1000}, DType::BFloat16, lt::Shape{}));
  EXPECT_TRUE(ref::equals(lt::mean(lt::full({5000}, 3, DType::Float16)), {3}, DType::Float16, lt::Shape{}));
  EXPECT_TRUE(ref::equals(lt::prod(lt::full({40}, 1.25, DType::BFloat16)), {ref::round_to(DType::BFloat16,
                                                                                     std::pow(1.25, 40))},
                          DType::BFloat16, lt::Shape{}));
}

constexpr int64_t kTenMillion = 10'000'000;
// 10M times float32(0.1), exactly.
const double kExactSum = kTenMillion * static_cast<double>(0.1f);

double relative_error(const lt::Tensor& r, int64_t i = 0) {
  return std::fabs(ref::values(r)[i] - kExactSum) / kExactSum;
}

TEST(Accuracy, Float32SumOfTenMillionContiguous) {
  lt::Tensor x = lt::full({kTenMillion}, 0.1f, DType::Float32);
  EXPECT_LT(relative_error(lt::sum(x)), 1e-5);
  EXPECT_LT(relative_error(lt::sum(x.view({1000, 10000}))), 1e-5);
  EXPECT_LT(std::fabs(ref::scalar(lt::mean(x)) - static_cast<double>(0.1f)) / 0.1, 1e-5);
}

TEST(Accuracy, Float32SumOfTenMillionStrided) {
  // Every other element of 20M: a strided row.
  lt::Tensor x = lt::full({2 * kTenMillion}, 0.1f, DType::Float32).slice(0, 0, 2 * kTenMillion, 2);
  EXPECT_LT(relative_error(lt::sum(x)), 1e-5);
  // dim 0 of (10M, 2) whose dim 0 is contiguous in memory.
  lt::Tensor y = lt::full({2, kTenMillion}, 0.1f, DType::Float32).t();
  lt::Tensor sy = lt::sum(y, {0});
  EXPECT_LT(relative_error(sy, 0), 1e-5);
  EXPECT_LT(relative_error(sy, 1), 1e-5);
}

// Reported bug (backends/cpu/loops.h detail::reduce_rows): a vertical reduction adds its
// 64-row block sums into the output one after another, so a float32 sum over 10M rows has
// a relative error of 6.8e-4 (sum over dim 0 of full({10M, 2}, 0.1f) is 1000675 instead of
// 1000000). The block sums need a cascade too.
TEST(Accuracy, Float32SumOfTenMillionAlongDimZero) {
  // dim 0 of a contiguous (10M, 2): rows added into a row of outputs.
  lt::Tensor x = lt::full({kTenMillion, 2}, 0.1f, DType::Float32);
  lt::Tensor s = lt::sum(x, {0});
  EXPECT_LT(relative_error(s, 0), 1e-5);
  EXPECT_LT(relative_error(s, 1), 1e-5);
  lt::Tensor m = lt::mean(x, {0});
  EXPECT_LT(std::fabs(ref::values(m)[1] - static_cast<double>(0.1f)) / 0.1, 1e-5);
}

TEST(Accuracy, VarianceOfLargeOffsetIsStable) {
  // Two passes: var(1e4 + {0, 1, 2, 3}) in float32 is exactly 5/3.
  lt::Tensor x = ref::make({10000, 10001, 10002, 10003}, DType::Float32);
  EXPECT_TRUE(ref::matches(lt::var(x), {{}, {5.0 / 3}}, DType::Float32, {1, 0, 0}));
  EXPECT_TRUE(ref::matches(lt::std(x, {}, 0), {{}, {std::sqrt(1.25)}}, DType::Float32, {1, 0, 0}));
  // One element with correction 1: 0 / 0.
  EXPECT_TRUE(ref::equals(lt::var(ref::make({3}, DType::Float64)), {kNaN}, DType::Float64, lt::Shape{}));
}

// --- NaN and infinities in the reductions ------------------------------------------------------

TEST(NaN, PropagatesThroughAmaxAminSumAndCountsAsTrue) {
  for (DType t : ref::kFloatDTypes) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor x = ref::make({1, kNaN, 3, -kInf, 2, 5, kInf, 0}, t, {2, 4});
    EXPECT_TRUE(ref::equals(lt::amax(x, {1}), {kNaN, kInf}, t));
    EXPECT_TRUE(ref::equals(lt::amin(x, {1}), {kNaN, 0}, t));
    EXPECT_TRUE(ref::equals(lt::amax(x, {0}), {2, kNaN, kInf, 0}, t));
    EXPECT_TRUE(ref::equals(lt::amin(x), {kNaN}, t, lt::Shape{}));
    EXPECT_TRUE(ref::equals(lt::max(x), {kNaN}, t, lt::Shape{}));
    EXPECT_TRUE(ref::equals(lt::sum(x, {1}), {kNaN, kInf}, t));
    EXPECT_TRUE(ref::equals(lt::all(x, {1}), {1, 0}, DType::Bool));
    EXPECT_TRUE(ref::equals(lt::any(ref::make({kNaN, 0}, t)), {1}, DType::Bool, lt::Shape{}));
    // A NaN as the very last element of a long contiguous row.
    std::vector<double> v(5000, 1.0);
    v.back() = kNaN;
    EXPECT_TRUE(ref::equals(lt::amax(ref::make(v, t)), {kNaN}, t, lt::Shape{}));
    EXPECT_TRUE(ref::equals(lt::amin(ref::make(v, t)), {kNaN}, t, lt::Shape{}));
  }
}

// --- max / min along a dim, argmax / argmin --------------------------------------------------------

// Index of the first extreme along a slice; a NaN is the extreme, the first one wins.
double ref_arg(const std::vector<double>& v, bool is_max) {
  size_t at = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (std::isnan(v[i])) return static_cast<double>(i);
    if (is_max ? v[i] > v[at] : v[i] < v[at]) at = i;
  }
  return static_cast<double>(at);
}

TEST(MaxMinDim, ValuesAndIndicesOnEveryDTypeAndLayout) {
  uint32_t seed = 900;
  for (DType t : ref::kAllDTypes) {
    for (Layout l : ref::kLayouts) {
      // Few distinct values: ties are common, and the first index must win.
      lt::Tensor x = ref::random_integers({4, 5, 6}, t, seed++, l, t == DType::UInt8 || t == DType::Bool ? 0 : -3, 3);
      for (int64_t dim : {0, 1, 2, -1, -3}) {
        for (bool keepdim : {false, true}) {
          SCOPED_TRACE(ref::dname(t) + " " + ref::layout_name(l) + " dim " + std::to_string(dim) +
                       (keepdim ? " keepdim" : ""));
          for (bool is_max : {true, false}) {
            auto [values, indices] = is_max ? lt::max(x, dim, keepdim) : lt::min(x, dim, keepdim);
            EXPECT_TRUE(ref::matches(values, ref::reduce(x, {dim}, keepdim, [&](const std::vector<double>& v) {
                                       return ref_extreme(v, is_max);
                                     }), t));
            ref::Expected idx = ref::reduce(x, {dim}, keepdim, [&](const std::vector<double>& v) {
              return ref_arg(v, is_max);
            });
            EXPECT_TRUE(ref::matches(indices, idx, DType::Int64));
            EXPECT_TRUE(ref::matches(is_max ? lt::argmax(x, dim, keepdim) : lt::argmin(x, dim, keepdim), idx,
                                     DType::Int64));
          }
        }
      }
    }
  }
}

TEST(MaxMinDim, ArgmaxWithoutDimIsOverTheFlattenedTensor) {
  uint32_t seed = 950;
  for (DType t : {DType::Float32, DType::Int8, DType::BFloat16, DType::Float64}) {
    for (Layout l : ref::kLayouts) {
      SCOPED_TRACE(ref::dname(t) + " " + ref::layout_name(l));
      lt::Tensor x = ref::random_integers({3, 4, 5}, t, seed++, l, -4, 4);
      const auto flat = ref::values(x);  // row-major logical order
      EXPECT_TRUE(ref::equals(lt::argmax(x), {ref_arg(flat, true)}, DType::Int64, lt::Shape{}));
      EXPECT_TRUE(ref::equals(lt::argmin(x), {ref_arg(flat, false)}, DType::Int64, lt::Shape{}));
      EXPECT_TRUE(ref::equals(lt::argmax(x, {}, true), {ref_arg(flat, true)}, DType::Int64, lt::Shape{1, 1, 1}));
      EXPECT_TRUE(ref::equals(lt::max(x), {ref_extreme(flat, true)}, t, lt::Shape{}));
      EXPECT_TRUE(ref::equals(lt::min(x), {ref_extreme(flat, false)}, t, lt::Shape{}));
    }
  }
  // 0-dim: index 0.
  lt::Tensor z = ref::make0(5, DType::Float32);
  EXPECT_TRUE(ref::equals(lt::argmax(z), {0}, DType::Int64, lt::Shape{}));
  EXPECT_TRUE(ref::equals(lt::argmin(z, 0), {0}, DType::Int64, lt::Shape{}));
  auto [v, i] = lt::max(z, -1, true);
  EXPECT_TRUE(ref::equals(v, {5}, DType::Float32, lt::Shape{}));
  EXPECT_TRUE(ref::equals(i, {0}, DType::Int64, lt::Shape{}));
  EXPECT_THROW(lt::argmax(z, 1), lt::IndexError);
  EXPECT_THROW(lt::max(lt::ones({2, 3}), 2), lt::IndexError);
}

TEST(MaxMinDim, NaNIsTheExtremeAndItsFirstIndexWins) {
  for (DType t : ref::kFloatDTypes) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor x = ref::make({1, kNaN, 3, kNaN, /**/ 7, 2, 7, 1, /**/ kNaN, -kInf, kInf, 0}, t, {3, 4});
    auto [mv, mi] = lt::max(x, 1);
    EXPECT_TRUE(ref::equals(mv, {kNaN, 7, kNaN}, t));
    EXPECT_TRUE(ref::equals(mi, {1, 0, 0}, DType::Int64));
    auto [nv, ni] = lt::min(x, 1);
    EXPECT_TRUE(ref::equals(nv, {kNaN, 1, kNaN}, t));
    EXPECT_TRUE(ref::equals(ni, {1, 3, 0}, DType::Int64));
    EXPECT_TRUE(ref::equals(lt::argmax(x, 0), {2, 0, 2, 0}, DType::Int64));
    EXPECT_TRUE(ref::equals(lt::argmin(x, 0), {2, 0, 0, 0}, DType::Int64));
    EXPECT_TRUE(ref::equals(lt::argmax(x), {1}, DType::Int64, lt::Shape{}));
    EXPECT_TRUE(ref::equals(lt::argmin(x.slice(0, 1, 3)), {4}, DType::Int64, lt::Shape{}));
    EXPECT_TRUE(ref::equals(lt::argmin(ref::make({3, -kInf, 2, -kInf}, t)), {1}, DType::Int64, lt::Shape{}));
  }
}

TEST(MaxMinDim, LargeRows) {
  std::vector<double> v(100000);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>((i * 7919) % 100003);
  lt::Tensor x = ref::make(v, DType::Int64, {4, 25000});
  for (bool is_max : {true, false}) {
    auto [values, indices] = is_max ? lt::max(x.t(), 0) : lt::min(x.t(), 0);
    EXPECT_TRUE(ref::matches(values, ref::reduce(x.t(), {0}, false, [&](const std::vector<double>& g) {
                               return ref_extreme(g, is_max);
                             }), DType::Int64));
    EXPECT_TRUE(ref::matches(indices, ref::reduce(x.t(), {0}, false, [&](const std::vector<double>& g) {
                                return ref_arg(g, is_max);
                              }), DType::Int64));
  }
}

}  // namespace
