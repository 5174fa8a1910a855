// Factories (empty, full, zeros, ones, *_like, scalar_tensor, from_vector, arange,
// linspace, eye) and random tensors (rand, randn, randint, bernoulli, uniform_, normal_,
// bernoulli_): values against closed forms, seeds, generators, thread counts, and the
// statistics of the distributions.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <array>
#include <cmath>
#include <limits>
#include <set>

#include "reference.h"

namespace {

using lt::DType;

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();

// --- empty, full, zeros, ones, *_like, scalar_tensor ------------------------------------------

TEST(Full, DTypeInferenceAndValues) {
  EXPECT_TRUE(ref::equals(lt::full({2, 2}, 1.5), {1.5, 1.5, 1.5, 1.5}, DType::Float32, lt::Shape{2, 2}));
  EXPECT_TRUE(ref::equals(lt::full({3}, 7), {7, 7, 7}, DType::Int64));
  EXPECT_TRUE(ref::equals(lt::full({2}, true), {1, 1}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::full({2}, 0.1, DType::Float16), {0.1, 0.1}, DType::Float16));
  EXPECT_TRUE(ref::equals(lt::full({2}, -3, DType::Float64), {-3, -3}, DType::Float64));
  EXPECT_TRUE(ref::equals(lt::full({2}, kNaN, DType::BFloat16), {kNaN, kNaN}, DType::BFloat16));
  EXPECT_TRUE(ref::equals(lt::full({}, 5, DType::Int8), {5}, DType::Int8, lt::Shape{}));
  EXPECT_EQ(lt::full({0, 4}, 1).numel(), 0);
  for (DType t : ref::kAllDTypes) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor z = lt::zeros({2, 3}, t), o = lt::ones({3, 2}, t);
    EXPECT_TRUE(ref::equals(z, std::vector<double>(6, 0), t, lt::Shape{2, 3}));
    EXPECT_TRUE(ref::equals(o, std::vector<double>(6, 1), t, lt::Shape{3, 2}));
    EXPECT_TRUE(z.is_contiguous());
    lt::Tensor e = lt::empty({4, 5}, t);
    EXPECT_EQ(e.dtype(), t);
    EXPECT_EQ(e.sizes(), (lt::Shape{4, 5}));
    EXPECT_EQ(e.strides(), (lt::Shape{5, 1}));
  }
  EXPECT_EQ(lt::zeros({2}).dtype(), DType::Float32);
  EXPECT_EQ(lt::ones({2}).dtype(), DType::Float32);
  EXPECT_EQ(lt::empty({2}).dtype(), DType::Float32);
  EXPECT_THROW(lt::empty({2, -1}), lt::ShapeError);
  EXPECT_THROW(lt::zeros({-3}), lt::ShapeError);
}

TEST(Full, LikeFactoriesKeepShapeAndDType) {
  lt::Tensor x = ref::random_tensor({3, 4}, DType::Int16, 1).t();  // non-contiguous
  for (lt::Tensor y : {lt::zeros_like(x), lt::ones_like(x), lt::full_like(x, 9), lt::empty_like(x)}) {
    EXPECT_EQ(y.sizes(), (lt::Shape{4, 3}));
    EXPECT_EQ(y.dtype(), DType::Int16);
    EXPECT_NE(y.data(), x.data());
  }
  EXPECT_TRUE(ref::equals(lt::zeros_like(x).flatten(), std::vector<double>(12, 0), DType::Int16));
  EXPECT_TRUE(ref::equals(lt::ones_like(x).flatten(), std::vector<double>(12, 1), DType::Int16));
  EXPECT_TRUE(ref::equals(lt::full_like(x, 9).flatten(), std::vector<double>(12, 9), DType::Int16));
  lt::Tensor h = lt::full_like(lt::empty({2}, DType::Float16), 2.5);
  EXPECT_TRUE(ref::equals(h, {2.5, 2.5}, DType::Float16));
}

TEST(Full, ScalarTensor) {
  lt::Tensor a = lt::scalar_tensor(3), b = lt::scalar_tensor(2.5), c = lt::scalar_tensor(true);
  EXPECT_TRUE(ref::equals(a, {3}, DType::Int64, lt::Shape{}));
  EXPECT_TRUE(ref::equals(b, {2.5}, DType::Float32, lt::Shape{}));
  EXPECT_TRUE(ref::equals(c, {1}, DType::Bool, lt::Shape{}));
  EXPECT_TRUE(ref::equals(lt::scalar_tensor(2.5, DType::Int32), {2}, DType::Int32, lt::Shape{}));
  EXPECT_TRUE(ref::equals(lt::scalar_tensor(1.0 / 3, DType::Float64), {1.0 / 3}, DType::Float64, lt::Shape{}));
  EXPECT_EQ(a.item<int64_t>(), 3);
}

TEST(FromVector, EveryTypeAndShape) {
  EXPECT_TRUE(ref::equals(lt::from_vector(std::vector<int64_t>{1, -2, 3}), {1, -2, 3}, DType::Int64));
  EXPECT_TRUE(ref::equals(lt::from_vector(std::vector<int32_t>{1, 2, 3, 4, 5, 6}, {2, 3}), {1, 2, 3, 4, 5, 6},
                          DType::Int32, lt::Shape{2, 3}));
  EXPECT_TRUE(ref::equals(lt::from_vector(std::vector<bool>{true, false, true}), {1, 0, 1}, DType::Bool));
  EXPECT_TRUE(ref::equals(lt::from_vector(std::vector<uint8_t>{0, 255}), {0, 255}, DType::UInt8));
  EXPECT_TRUE(ref::equals(lt::from_vector(std::vector<int8_t>{-128, 127}), {-128, 127}, DType::Int8));
  EXPECT_TRUE(ref::equals(lt::from_vector(std::vector<int16_t>{-300}), {-300}, DType::Int16));
  EXPECT_TRUE(ref::equals(lt::from_vector(std::vector<float>{0.1f, -std::numeric_limits<float>::infinity()}), {0.1f, -kInf}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::from_vector(std::vector<double>{0.1, kNaN}, {2, 1}), {0.1, kNaN}, DType::Float64,
                          lt::Shape{2, 1}));
  // Half values are taken bit for bit: 0x3c00 is 1, 0xc000 is -2, 0x7bff is 65504.
  EXPECT_TRUE(ref::equals(lt::from_vector(std::vector<lt::Half>{lt::Half::from_bits(0x3c00), lt::Half::from_bits(0xc000),
                                                                lt::Half::from_bits(0x7bff)}),
                          {1, -2, 65504}, DType::Float16));
  EXPECT_TRUE(ref::equals(lt::from_vector(std::vector<lt::BFloat16>{lt::BFloat16::from_bits(0x3f80),
                                                                    lt::BFloat16::from_bits(0xc040)}),
                          {1, -3}, DType::BFloat16));
  EXPECT_EQ(lt::from_vector(std::vector<float>{}).sizes(), (lt::Shape{0}));
  EXPECT_THROW(lt::from_vector(std::vector<float>{1, 2, 3}, {2, 2}), lt::ShapeError);
}

// --- arange ---------------------------------------------------------------------------------------

TEST(Arange, IntegersAndDefaults) {
  EXPECT_TRUE(ref::equals(lt::arange(5), {0, 1, 2, 3, 4}, DType::Int64));
  EXPECT_TRUE(ref::equals(lt::arange(2, 7), {2, 3, 4, 5, 6}, DType::Int64));
  EXPECT_TRUE(ref::equals(lt::arange(10, 0, -3), {10, 7, 4, 1}, DType::Int64));
  EXPECT_TRUE(ref::equals(lt::arange(-5, 5, 2, DType::Int8), {-5, -3, -1, 1, 3}, DType::Int8));
  EXPECT_TRUE(ref::equals(lt::arange(0, 10, 3, DType::Float16), {0, 3, 6, 9}, DType::Float16));
  EXPECT_TRUE(ref::equals(lt::arange(1, -2, -1, DType::Float64), {1, 0, -1}, DType::Float64));
  EXPECT_EQ(lt::arange(0).numel(), 0);
  EXPECT_EQ(lt::arange(3, 3).numel(), 0);
  EXPECT_EQ(lt::arange(3, 3).dtype(), DType::Int64);
  // Large, over the parallel grain.
  std::vector<double> want(100000);
  for (size_t i = 0; i < want.size(); ++i) want[i] = static_cast<double>(i);
  EXPECT_TRUE(ref::equals(lt::arange(100000), want, DType::Int64));
  EXPECT_TRUE(ref::equals(lt::arange(100000, DType::Float32), want, DType::Float32));
  // Values beyond float16's integers round.
  lt::Tensor h = lt::arange(2046, 2052, 1, DType::Float16);
  EXPECT_TRUE(ref::equals(h, {2046, 2047, 2048, 2048, 2050, 2052}, DType::Float16));
}

TEST(Arange, FloatingSteps) {
  lt::Tensor a = lt::arange(0, 1, 0.1);
  EXPECT_EQ(a.dtype(), DType::Float32);
  ASSERT_EQ(a.numel(), 10);
  std::vector<double> want;
  for (int i = 0; i < 10; ++i) want.push_back(i * 0.1);  // start + i * step, rounded once
  EXPECT_TRUE(ref::equals(a, want, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::arange(1, 2.5, 0.5), {1, 1.5, 2}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::arange(0, 1, 0.3), {0, 0.3, 0.6, 0.9}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::arange(1.0, 0.0, -0.25, DType::Float64), {1, 0.75, 0.5, 0.25}, DType::Float64));
  EXPECT_TRUE(ref::equals(lt::arange(2.5), {0, 1, 2}, DType::Float32));
  lt::Tensor d = lt::arange(-1, 1, 1.0 / 64, DType::Float64);
  ASSERT_EQ(d.numel(), 128);
  EXPECT_EQ(ref::values(d)[127], 1 - 1.0 / 64);
}

TEST(Arange, Errors) {
  EXPECT_THROW(lt::arange(0, 10, 0), lt::ValueError);
  EXPECT_THROW(lt::arange(0, 10, -1), lt::ValueError);
  EXPECT_THROW(lt::arange(10, 0, 1), lt::ValueError);
  EXPECT_THROW(lt::arange(0.0, kInf, 1.0), lt::ValueError);
  EXPECT_THROW(lt::arange(0.0, kNaN, 1.0), lt::ValueError);
  EXPECT_THROW(lt::arange(0.0, 1.0, 0.0), lt::ValueError);
  // An integral dtype needs an integral step, as PyTorch's arange does: 0.5 is 0 in int64.
  EXPECT_THROW(lt::arange(0, 3, 0.5, DType::Int64), lt::ValueError);
}

// --- linspace -------------------------------------------------------------------------------------

TEST(Linspace, EndsAreExactAndValuesEvenlySpaced) {
  const std::tuple<double, double, int64_t> cases[] = {
      {0, 1, 7}, {-1, 1, 1000}, {3, -2, 11}, {0.1, 0.7, 3}, {-1e6, 1e6, 12345}, {1, 1, 5}, {0, 1, 2}};
  for (DType t : {DType::Float32, DType::Float64, DType::Float16, DType::BFloat16}) {
    for (auto [a, b, n] : cases) {
      SCOPED_TRACE(ref::dname(t) + " linspace(" + std::to_string(a) + ", " + std::to_string(b) + ", " +
                   std::to_string(n) + ")");
      lt::Tensor x = lt::linspace(a, b, n, t);
      ASSERT_EQ(x.numel(), n);
      const auto v = ref::values(x);
      EXPECT_EQ(v.front(), ref::round_to(t, a));
      EXPECT_EQ(v.back(), ref::round_to(t, b));
      ref::Expected e{{n}, {}};
      for (int64_t i = 0; i < n; ++i) e.v.push_back(a + (b - a) * static_cast<double>(i) / static_cast<double>(n - 1));
      // Within a few units of the largest magnitude's last place.
      const double scale = std::max(std::fabs(a), std::fabs(b));
      EXPECT_TRUE(ref::matches(x, e, t, {1, 2 * ref::ulp(t, scale) * (t == DType::Float64 || t == DType::Float32 ? 2 : 1), 0}));
    }
  }
}

TEST(Linspace, SmallCountsIntegersAndErrors) {
  EXPECT_TRUE(ref::equals(lt::linspace(2, 5, 1), {2}, DType::Float32));
  EXPECT_EQ(lt::linspace(2, 5, 0).numel(), 0);
  EXPECT_TRUE(ref::equals(lt::linspace(0, 10, 5, DType::Int64), {0, 2, 5, 7, 10}, DType::Int64));
  EXPECT_TRUE(ref::equals(lt::linspace(-2, 2, 5, DType::Int32), {-2, -1, 0, 1, 2}, DType::Int32));
  EXPECT_TRUE(ref::equals(lt::linspace(0.0, 1.0, 3, DType::Float64), {0, 0.5, 1}, DType::Float64));
  // Over the parallel grain.
  lt::Tensor big = lt::linspace(0, 99999, 100000, DType::Float64);
  std::vector<double> want(100000);
  for (size_t i = 0; i < want.size(); ++i) want[i] = static_cast<double>(i);
  EXPECT_TRUE(ref::equals(big, want, DType::Float64));
  EXPECT_THROW(lt::linspace(0, 1, -1), lt::ValueError);
}

// --- eye ----------------------------------------------------------------------------------------

TEST(Eye, SquareRectangularAndDTypes) {
  auto want = [](int64_t n, int64_t m) {
    std::vector<double> v;
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < m; ++j) v.push_back(i == j);
    return v;
  };
  for (DType t : ref::kAllDTypes) {
    SCOPED_TRACE(ref::dname(t));
    EXPECT_TRUE(ref::equals(lt::eye(4, {}, t), want(4, 4), t, lt::Shape{4, 4}));
    EXPECT_TRUE(ref::equals(lt::eye(3, 5, t), want(3, 5), t, lt::Shape{3, 5}));
    EXPECT_TRUE(ref::equals(lt::eye(5, 2, t), want(5, 2), t, lt::Shape{5, 2}));
  }
  EXPECT_TRUE(ref::equals(lt::eye(3), want(3, 3), DType::Float32, lt::Shape{3, 3}));
  EXPECT_EQ(lt::eye(0).sizes(), (lt::Shape{0, 0}));
  EXPECT_EQ(lt::eye(2, 0).sizes(), (lt::Shape{2, 0}));
  EXPECT_TRUE(ref::equals(lt::eye(1), {1}, DType::Float32, lt::Shape{1, 1}));
  EXPECT_THROW(lt::eye(-1), lt::ValueError);
  EXPECT_THROW(lt::eye(2, -2), lt::ValueError);
}

// --- Philox and the stream layout ------------------------------------------------------------------

// Philox-4x32-10, written out here from the Random123 paper.
std::array<uint32_t, 4> philox(std::array<uint32_t, 4> c, uint32_t k0, uint32_t k1) {
  for (int r = 0; r < 10; ++r) {
    if (r > 0) k0 += 0x9E3779B9u, k1 += 0xBB67AE85u;
    const uint64_t p0 = static_cast<uint64_t>(0xD2511F53u) * c[0], p1 = static_cast<uint64_t>(0xCD9E8D57u) * c[2];
    c = {static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k0, static_cast<uint32_t>(p1),
         static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k1, static_cast<uint32_t>(p0)};
  }
  return c;
}

TEST(Philox, KnownAnswers) {
  // Random123's known-answer vectors for philox4x32_10.
  struct Kat {
    std::array<uint32_t, 4> ctr;
    uint32_t k0, k1;
    std::array<uint32_t, 4> out;
  };
  const Kat kats[] = {
      {{0, 0, 0, 0}, 0, 0, {0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}},
      {{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu},
       0xffffffffu,
       0xffffffffu,
       {0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}},
      {{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u},
       0xa4093822u,
       0x299f31d0u,
       {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}},
  };
  for (const auto& k : kats) {
    EXPECT_EQ(philox(k.ctr, k.k0, k.k1), k.out);
    EXPECT_EQ(lt::philox4x32(k.ctr, (static_cast<uint64_t>(k.k1) << 32) | k.k0), k.out);
  }
}

TEST(Philox, RandFollowsTheDocumentedStream) {
  // float32 rand: element i is word i % 4 of block (offset + i / 4), top 24 bits.
  const uint64_t seed = 0x0123456789abcdefull;
  lt::manual_seed(seed);
  lt::Tensor x = lt::rand({10});
  lt::Tensor y = lt::rand({3});  // the next draw starts at block 3
  const auto xv = ref::values(x), yv = ref::values(y);
  for (int i = 0; i < 10; ++i) {
    const auto w = philox({static_cast<uint32_t>(i / 4), 0, 0, 0}, static_cast<uint32_t>(seed),
                          static_cast<uint32_t>(seed >> 32));
    EXPECT_EQ(xv[i], std::ldexp(static_cast<double>(w[i % 4] >> 8), -24)) << i;
  }
  for (int i = 0; i < 3; ++i) {
    const auto w = philox({3, 0, 0, 0}, static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32));
    EXPECT_EQ(yv[i], std::ldexp(static_cast<double>(w[i] >> 8), -24)) << i;
  }
}

// --- seeds, generators, threads ----------------------------------------------------------------------

std::vector<lt::Tensor> draw_all(lt::Generator* g = nullptr) {
  lt::Tensor p = lt::full({50000}, 0.3, DType::Float64);
  lt::Tensor u = lt::empty({300, 200}, DType::Float64);
  lt::uniform_(u, -2, 3, g);
  lt::Tensor n = lt::empty({1000}, DType::Float16);
  lt::normal_(n, 1, 2, g);
  lt::Tensor b = lt::zeros({70000}, DType::Int32);
  lt::bernoulli_(b, 0.5, g);
  return {lt::rand({100000}, DType::Float32, lt::kCPU, g), lt::randn({100001}, DType::Float64, lt::kCPU, g),
          lt::randint(-7, 1000, {65537}, DType::Int64, lt::kCPU, g), lt::bernoulli(p, g),
          lt::rand({7}, DType::BFloat16, lt::kCPU, g), u, n, b};
}

void expect_same(const std::vector<lt::Tensor>& a, const std::vector<lt::Tensor>& b, bool same = true) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const auto va = ref::values(a[i]), vb = ref::values(b[i]);
    ASSERT_EQ(va.size(), vb.size());
    size_t equal = 0;
    for (size_t j = 0; j < va.size(); ++j) equal += va[j] == vb[j];
    if (same) {
      EXPECT_EQ(equal, va.size()) << "draw " << i;
    } else if (va.size() > 100) {
      EXPECT_LT(equal, va.size() * 0.9) << "draw " << i;
    }
  }
}

TEST(Seeds, ManualSeedReproduces) {
  lt::manual_seed(42);
  auto a = draw_all();
  lt::manual_seed(42);
  auto b = draw_all();
  expect_same(a, b);
  auto c = draw_all();  // the stream moves on
  expect_same(a, c, false);
  lt::manual_seed(43);
  auto d = draw_all();
  expect_same(a, d, false);
  EXPECT_EQ(lt::default_generator().seed(), 43u);
}

TEST(Seeds, SameNumbersOnOneOrTwoThreads) {
  const int saved = lt::num_threads();
  lt::set_num_threads(1);
  lt::manual_seed(7);
  auto one = draw_all();
  lt::set_num_threads(2);
  lt::manual_seed(7);
  auto two = draw_all();
  lt::set_num_threads(saved);
  expect_same(one, two);
}

TEST(Seeds, GeneratorsAreIndependentOfTheDefault) {
  lt::manual_seed(5);
  auto plain = draw_all();
  // Draws from a Generator object leave the default stream where it was.
  lt::manual_seed(5);
  lt::Generator g(5);
  auto from_g = draw_all(&g);
  auto after = draw_all();
  expect_same(plain, after);
  // A generator with the default's seed yields the default's numbers.
  expect_same(plain, from_g);
  // Two generators with one seed agree; their offsets advance alike; other seeds differ.
  lt::Generator g1(99), g2(99), g3(100);
  auto r1 = draw_all(&g1), r2 = draw_all(&g2), r3 = draw_all(&g3);
  expect_same(r1, r2);
  expect_same(r1, r3, false);
  EXPECT_EQ(g1.offset(), g2.offset());
  EXPECT_GT(g1.offset(), 0u);
  g1.manual_seed(99);
  EXPECT_EQ(g1.offset(), 0u);
  expect_same(r1, draw_all(&g1));
  // set_offset replays a draw.
  lt::Generator h(1);
  h.set_offset(40);
  lt::Tensor x = lt::rand({8}, DType::Float32, lt::kCPU, &h);
  h.set_offset(40);
  EXPECT_TRUE(ref::equals(lt::rand({8}, DType::Float32, lt::kCPU, &h), ref::values(x), DType::Float32));
}

// --- distributions ----------------------------------------------------------------------------------

struct Moments {
  double mean = 0, var = 0, min = kInf, max = -kInf;
};
Moments moments(const lt::Tensor& t) {
  const auto v = ref::values(t);
  Moments m;
  long double s = 0;
  for (double x : v) s += x, m.min = std::min(m.min, x), m.max = std::max(m.max, x);
  m.mean = static_cast<double>(s / v.size());
  long double q = 0;
  for (double x : v) q += (x - m.mean) * (x - m.mean);
  m.var = static_cast<double>(q / v.size());
  return m;
}

TEST(Rand, UniformOnZeroOneForEveryFloatDType) {
  lt::manual_seed(2024);
  for (DType t : ref::kFloatDTypes) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor x = lt::rand({1000000}, t);
    EXPECT_EQ(x.dtype(), t);
    const Moments m = moments(x);
    EXPECT_GE(m.min, 0.0);
    EXPECT_LT(m.max, 1.0);  // 1 is never drawn, even after rounding to 16 bits
    EXPECT_NEAR(m.mean, 0.5, 2e-3);
    EXPECT_NEAR(m.var, 1.0 / 12, 1e-3);
  }
  lt::Tensor r = lt::rand({2, 3, 4});
  EXPECT_EQ(r.sizes(), (lt::Shape{2, 3, 4}));
  EXPECT_EQ(r.dtype(), DType::Float32);
  EXPECT_EQ(lt::rand({0}).numel(), 0);
  EXPECT_EQ(lt::rand({}).dim(), 0);
  EXPECT_THROW(lt::rand({3}, DType::Int32), lt::DTypeError);
}

TEST(Rand, UniformRangeOnAView) {
  lt::manual_seed(3);
  lt::Tensor base = lt::zeros({400, 300}, DType::Float32);
  lt::Tensor view = base.t().slice(0, 0, 300, 2);  // every other column of base
  lt::uniform_(view, -3, 5);
  const Moments m = moments(view);
  EXPECT_GE(m.min, -3.0);
  EXPECT_LT(m.max, 5.0);
  EXPECT_NEAR(m.mean, 1.0, 0.05);
  // The other columns are untouched.
  EXPECT_TRUE(ref::equals(base.t().slice(0, 1, 300, 2).contiguous().flatten(), std::vector<double>(150 * 400, 0),
                          DType::Float32));
  lt::Tensor f = lt::empty({3});
  EXPECT_THROW(lt::uniform_(f, 2, 1), lt::ValueError);
  lt::Tensor i = lt::empty({3}, DType::Int64);
  EXPECT_THROW(lt::uniform_(i), lt::DTypeError);
}

TEST(Randn, StandardNormalMoments) {
  lt::manual_seed(11);
  for (DType t : {DType::Float32, DType::Float64}) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor x = lt::randn({1000000}, t);
    const Moments m = moments(x);
    EXPECT_NEAR(m.mean, 0.0, 5e-3);
    EXPECT_NEAR(std::sqrt(m.var), 1.0, 5e-3);
    // The shape of the distribution: 68.27% within one sigma, 95.45% within two.
    const auto v = ref::values(x);
    double one = 0, two = 0;
    for (double z : v) one += std::fabs(z) < 1, two += std::fabs(z) < 2;
    EXPECT_NEAR(one / v.size(), 0.6827, 3e-3);
    EXPECT_NEAR(two / v.size(), 0.9545, 2e-3);
    EXPECT_TRUE(std::isfinite(m.min) && std::isfinite(m.max));
  }
  lt::Tensor h = lt::randn({100000}, DType::BFloat16);
  EXPECT_NEAR(moments(h).mean, 0.0, 0.02);
  lt::Tensor n = lt::empty({200000}, DType::Float64);
  lt::normal_(n, 10, 0.5);
  EXPECT_NEAR(moments(n).mean, 10, 0.01);
  EXPECT_NEAR(std::sqrt(moments(n).var), 0.5, 0.01);
  lt::normal_(n, 3, 0);
  EXPECT_TRUE(ref::equals(n.slice(0, 0, 5), {3, 3, 3, 3, 3}, DType::Float64));
  EXPECT_THROW(lt::normal_(n, 0, -1), lt::ValueError);
  EXPECT_THROW(lt::randn({2}, DType::Int8), lt::DTypeError);
}

TEST(Randint, BoundsAndCoverage) {
  lt::manual_seed(17);
  for (DType t : {DType::Int64, DType::Int32, DType::Int8, DType::Int16, DType::Float32, DType::Float64}) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor x = lt::randint(-5, 7, {100000}, t);
    EXPECT_EQ(x.dtype(), t);
    const auto v = ref::values(x);
    std::set<double> seen(v.begin(), v.end());
    EXPECT_EQ(seen.size(), 12u);
    EXPECT_EQ(*seen.begin(), -5);
    EXPECT_EQ(*seen.rbegin(), 6);
    EXPECT_NEAR(moments(x).mean, 0.5, 0.05);
  }
  lt::Tensor u = lt::randint(0, 256, {50000}, DType::UInt8);
  EXPECT_EQ(moments(u).max, 255);
  EXPECT_EQ(moments(u).min, 0);
  EXPECT_EQ(lt::randint(3, 4, {100}).dtype(), DType::Int64);
  EXPECT_EQ(moments(lt::randint(3, 4, {100})).min, 3);
  // A range wider than 2^62.
  const int64_t lo = std::numeric_limits<int64_t>::min() / 2 - 5, hi = std::numeric_limits<int64_t>::max() / 2 + 7;
  lt::Tensor w = lt::randint(lo, hi, {10000});
  const int64_t* p = w.data_ptr<int64_t>();
  int64_t mn = std::numeric_limits<int64_t>::max(), mx = std::numeric_limits<int64_t>::min();
  for (int i = 0; i < 10000; ++i) mn = std::min(mn, p[i]), mx = std::max(mx, p[i]);
  EXPECT_GE(mn, lo);
  EXPECT_LT(mx, hi);
  EXPECT_LT(mn, lo / 2);  // spread over the range
  EXPECT_GT(mx, hi / 2);
  EXPECT_THROW(lt::randint(5, 5, {3}), lt::ValueError);
  EXPECT_THROW(lt::randint(6, 5, {3}), lt::ValueError);
  EXPECT_THROW(lt::randint(0, 2, {3}, DType::Bool), lt::DTypeError);
}

TEST(Bernoulli, FrequenciesAndDTypes) {
  lt::manual_seed(23);
  for (DType t : {DType::Float32, DType::Float64, DType::Float16}) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor r = lt::bernoulli(lt::full({1000000}, 0.3, t));
    EXPECT_EQ(r.dtype(), t);
    const Moments m = moments(r);
    EXPECT_NEAR(m.mean, 0.3, 3e-3);
    EXPECT_EQ(m.min, 0);
    EXPECT_EQ(m.max, 1);
  }
  // Per-element probabilities: 0 and 1 are certain; a transposed p is read in its own order.
  lt::Tensor p = ref::make({0, 1, 0, 1, 0, 1}, DType::Float32, {2, 3}).t();
  EXPECT_TRUE(ref::equals(lt::bernoulli(p), {0, 1, 1, 0, 0, 1}, DType::Float32, lt::Shape{3, 2}));
  // Rows with probabilities 0.1 and 0.9.
  std::vector<double> pv(200000);
  for (size_t i = 0; i < pv.size(); ++i) pv[i] = i < 100000 ? 0.1 : 0.9;
  lt::Tensor rows = lt::bernoulli(ref::make(pv, DType::Float64, {2, 100000}));
  const auto m = lt::mean(rows, {1});
  EXPECT_NEAR(ref::values(m)[0], 0.1, 5e-3);
  EXPECT_NEAR(ref::values(m)[1], 0.9, 5e-3);
  EXPECT_THROW(lt::bernoulli(lt::full({2}, 1, DType::Int64)), lt::DTypeError);
}

TEST(Bernoulli, InPlaceOnAnyDType) {
  lt::manual_seed(29);
  for (DType t : {DType::Bool, DType::UInt8, DType::Int32, DType::Float32, DType::BFloat16}) {
    SCOPED_TRACE(ref::dname(t));
    lt::Tensor x = lt::full({200000}, 7, t == DType::Bool ? DType::Bool : t);
    lt::bernoulli_(x, 0.25);
    const Moments m = moments(x);
    EXPECT_NEAR(m.mean, 0.25, 5e-3);
    EXPECT_EQ(m.min, 0);
    EXPECT_EQ(m.max, 1);
  }
  lt::Tensor z = lt::ones({1000});
  lt::bernoulli_(z, 0.0);
  EXPECT_EQ(moments(z).max, 0);
  lt::bernoulli_(z, 1.0);
  EXPECT_EQ(moments(z).min, 1);
  EXPECT_THROW(lt::bernoulli_(z, 1.5), lt::ValueError);
  EXPECT_THROW(lt::bernoulli_(z, -0.1), lt::ValueError);
  // On a view: only the view's elements change.
  lt::Tensor base = lt::full({10, 10}, 5, DType::Int64);
  lt::Tensor col = base.select(1, 3);
  lt::bernoulli_(col, 1.0);
  for (int64_t r = 0; r < 10; ++r)
    for (int64_t c = 0; c < 10; ++c) EXPECT_EQ(ref::get(base, {r, c}), c == 3 ? 1 : 5);
}

}  // namespace
