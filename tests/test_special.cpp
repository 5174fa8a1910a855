// copysign, hypot, xlogy, lgamma, digamma and polygamma: values against known constants
// and the C library, the edge cases PyTorch defines, dtypes, derivatives, errors.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <cmath>
#include <limits>
#include <vector>

#include "reference.h"

namespace {

using lt::DType;
using lt::Shape;
using lt::Tensor;
using lt::autograd::TensorList;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEulerGamma = 0.57721566490153286061;
constexpr double kPi = 3.14159265358979323846;

Tensor doubles(std::vector<double> v) { return lt::from_vector<double>(v); }
std::vector<double> values(const Tensor& t) { return ref::values(t); }

TEST(Special, CopysignAndHypot) {
  Tensor a = doubles({1, -2, 3, 0, -0.0, 4}), b = doubles({-1, 2, -0.0, -5, 1, kInf});
  std::vector<double> c = values(lt::copysign(a, b));
  EXPECT_EQ(c, (std::vector<double>{-1, 2, -3, -0.0, 0, 4}));
  EXPECT_TRUE(std::signbit(c[2]) && std::signbit(c[3]) && !std::signbit(c[4]));
  EXPECT_EQ(values(lt::copysign(a, -1.0)), (std::vector<double>{-1, -2, -3, -0.0, -0.0, -4}));
  // integers and bools promote to float32, as PyTorch
  Tensor ints = lt::from_vector<int64_t>({3, -4});
  EXPECT_EQ(lt::copysign(ints, ints).dtype(), DType::Float32);
  EXPECT_EQ(lt::copysign(lt::from_vector<bool>({true}), -1).dtype(), DType::Float32);
  Tensor h = lt::hypot(doubles({3, 5, 0, kInf}), doubles({4, 12, 0, std::nan("")}));
  EXPECT_EQ(values(h), (std::vector<double>{5, 13, 0, kInf}));  // hypot(inf, NaN) is inf
  EXPECT_EQ(lt::hypot(lt::ones({2, 1}), lt::ones({3})).sizes(), (Shape{2, 3}));
  EXPECT_THROW(lt::hypot(ints, ints), lt::DTypeError);
  EXPECT_THROW(lt::hypot(lt::ones({2}), lt::ones({3})), lt::ShapeError);
}

TEST(Special, Xlogy) {
  const double nan = std::nan("");
  Tensor x = doubles({0, 0, 0, 2, 0, 3, 1}), y = doubles({0, kInf, nan, 0.5, 7, -1, kInf});
  std::vector<double> r = values(lt::xlogy(x, y));
  EXPECT_EQ(r[0], 0);
  EXPECT_EQ(r[1], 0);
  EXPECT_TRUE(std::isnan(r[2]));  // NaN in y propagates, even where x is 0
  EXPECT_DOUBLE_EQ(r[3], 2 * std::log(0.5));
  EXPECT_EQ(r[4], 0);
  EXPECT_TRUE(std::isnan(r[5]));
  EXPECT_EQ(r[6], kInf);
  EXPECT_DOUBLE_EQ(lt::xlogy(doubles({2}), 3.0).item<double>(), 2 * std::log(3.0));
  EXPECT_DOUBLE_EQ(lt::xlogy(2.0, doubles({3})).item<double>(), 2 * std::log(3.0));
  EXPECT_EQ(lt::xlogy(0, doubles({0})).item<double>(), 0);
  Tensor ints = lt::from_vector<int64_t>({1, 2});
  EXPECT_EQ(lt::xlogy(ints, ints).dtype(), DType::Float32);
  EXPECT_EQ(lt::xlogy(ints, 2.5).dtype(), DType::Float32);
  EXPECT_EQ(lt::xlogy(lt::ones({2}, DType::Float16), doubles({1}).reshape({})).dtype(), DType::Float16);
}

TEST(Special, LgammaMatchesTheCLibrary) {
  std::vector<double> xs = {0.5, 1, 2, 3.5, 10.25, 171.5, 1e5, -0.5, -2.5, -7.25, 1e-300};
  Tensor y = lt::lgamma(doubles(xs));
  for (size_t i = 0; i < xs.size(); ++i) {
    int sign;
    EXPECT_DOUBLE_EQ(values(y)[i], lgamma_r(xs[i], &sign)) << xs[i];
  }
  // poles and infinities
  EXPECT_EQ(values(lt::lgamma(doubles({0, -1, -2, kInf, -kInf}))), (std::vector<double>(5, kInf)));
  EXPECT_EQ(lt::lgamma(lt::from_vector<int64_t>({1})).dtype(), DType::Float32);
  EXPECT_NEAR(lt::lgamma(lt::full({}, 0.5, DType::Float32)).item<float>(), std::log(std::sqrt(kPi)), 1e-7);
}

TEST(Special, DigammaAndPolygamma) {
  // psi(1) = -gamma, psi(1/2) = -gamma - 2 ln 2, psi(n + 1) = psi(n) + 1/n
  std::vector<double> d = values(lt::digamma(doubles({1, 0.5, 2, 11, -0.5, 1e20})));
  EXPECT_NEAR(d[0], -kEulerGamma, 1e-15);  // the recurrence cancels: an ulp of its sum
  EXPECT_NEAR(d[1], -kEulerGamma - 2 * std::log(2.0), 1e-15);
  EXPECT_NEAR(d[2], 1 - kEulerGamma, 1e-15);
  double h10 = 0;
  for (int k = 1; k <= 10; ++k) h10 += 1.0 / k;
  EXPECT_NEAR(d[3], h10 - kEulerGamma, 1e-15);
  EXPECT_NEAR(d[4], -kEulerGamma - 2 * std::log(2.0) + 2, 1e-15);  // psi(-1/2) = psi(1/2) + 2
  EXPECT_NEAR(d[5], std::log(1e20), 1e-14);
  // poles: -inf at +0, +inf at -0, NaN at negative integers, as PyTorch
  std::vector<double> poles = values(lt::digamma(doubles({0, -0.0, -1, -3, kInf})));
  EXPECT_EQ(poles[0], -kInf);
  EXPECT_EQ(poles[1], kInf);
  EXPECT_TRUE(std::isnan(poles[2]) && std::isnan(poles[3]));
  EXPECT_EQ(poles[4], kInf);
  // psi'(1) = pi^2 / 6, psi'(1/2) = pi^2 / 2, psi''(1) = -2 zeta(3), psi'''(1) = pi^4 / 15
  const double zeta3 = 1.2020569031595942854;
  std::vector<double> p1 = values(lt::polygamma(1, doubles({1, 0.5, -0.5, 30})));
  EXPECT_NEAR(p1[0], kPi * kPi / 6, 1e-15);
  EXPECT_NEAR(p1[1], kPi * kPi / 2, 2e-15);
  EXPECT_NEAR(p1[2], kPi * kPi / 2 + 4, 1e-14);  // psi'(x - 1) = psi'(x) + 1/(x-1)^2
  const double x = 30;  // the asymptotic series, its next term below 1e-18
  EXPECT_NEAR(p1[3], 1 / x + 1 / (2 * x * x) + 1 / (6 * std::pow(x, 3)) - 1 / (30 * std::pow(x, 5)) + 1 / (42 * std::pow(x, 7)) -
                         1 / (30 * std::pow(x, 9)), 1e-17);
  EXPECT_NEAR(lt::polygamma(2, doubles({1})).item<double>(), -2 * zeta3, 1e-14);
  EXPECT_NEAR(lt::polygamma(3, doubles({1})).item<double>(), std::pow(kPi, 4) / 15, 1e-13);
  EXPECT_NEAR(lt::polygamma(2, doubles({0.5})).item<double>(), -14 * zeta3, 1e-13);  // -2! (2^3 - 1) zeta(3)
  EXPECT_EQ(values(lt::polygamma(0, doubles({1, 0.5}))), values(lt::digamma(doubles({1, 0.5}))));
  EXPECT_EQ(lt::polygamma(1, doubles({0})).item<double>(), kInf);
  EXPECT_THROW(lt::polygamma(-1, doubles({1})), lt::ValueError);
  // the polygammas against differences of the one below
  for (int n = 1; n <= 4; ++n) {
    const double x = 2.75, h = 1e-5;
    const double fd = (lt::polygamma(n - 1, doubles({x + h})).item<double>() -
                       lt::polygamma(n - 1, doubles({x - h})).item<double>()) / (2 * h);
    EXPECT_NEAR(lt::polygamma(n, doubles({x})).item<double>(), fd, 1e-6 * std::max(1.0, std::abs(fd))) << n;
  }
}

TEST(Special, LowPrecisionAndLayouts) {
  Tensor x = lt::arange(1, 13, 1, DType::Float64).reshape({3, 4}).t();  // non-contiguous
  Tensor y = lt::digamma(x);
  EXPECT_EQ(y.sizes(), (Shape{4, 3}));
  EXPECT_NEAR(y.select(0, 0).select(0, 0).item<double>(), -kEulerGamma, 1e-15);
  for (DType t : {DType::Float16, DType::BFloat16, DType::Float32}) {
    Tensor z = lt::lgamma(x.to(t)).to(DType::Float64);
    EXPECT_TRUE(lt::all(lt::abs(z - lt::lgamma(x)) <= lt::abs(lt::lgamma(x)) * 1e-2 + 1e-3).item<bool>())
        << lt::name(t);
  }
  EXPECT_EQ(lt::digamma(lt::empty({0, 3})).sizes(), (Shape{0, 3}));
}

TEST(Special, Derivatives) {
  lt::manual_seed(3);
  auto leaf = [](Shape s, double lo, double hi) {
    Tensor x = lt::rand(s, DType::Float64) * (hi - lo) + lo;
    x.requires_grad_();
    return x;
  };
  auto check = [](const lt::autograd::GradcheckFunction& f, const TensorList& in) {
    EXPECT_TRUE(lt::autograd::gradcheck(f, in));
    EXPECT_TRUE(lt::autograd::gradgradcheck(f, in));
  };
  check([](const TensorList& in) { return TensorList{lt::copysign(in[0], in[1])}; },
        {leaf({3, 1}, 0.2, 2), leaf({4}, -1, 1)});
  check([](const TensorList& in) { return TensorList{lt::copysign(in[0], -1.5)}; }, {leaf({3}, -2, 2)});
  check([](const TensorList& in) { return TensorList{lt::hypot(in[0], in[1])}; },
        {leaf({3, 1}, -2, 2), leaf({4}, 0.5, 2)});
  check([](const TensorList& in) { return TensorList{lt::xlogy(in[0], in[1])}; },
        {leaf({3, 1}, -2, 2), leaf({4}, 0.5, 2)});
  check([](const TensorList& in) { return TensorList{lt::xlogy(in[0], 2.5) + lt::xlogy(1.5, in[0] + 3)}; },
        {leaf({4}, -2, 2)});
  check([](const TensorList& in) { return TensorList{lt::lgamma(in[0])}; }, {leaf({5}, 0.3, 6)});
  check([](const TensorList& in) { return TensorList{lt::lgamma(in[0])}; }, {leaf({5}, -2.9, -2.1)});
  check([](const TensorList& in) { return TensorList{lt::digamma(in[0])}; }, {leaf({5}, 0.3, 12)});
  check([](const TensorList& in) { return TensorList{lt::polygamma(2, in[0])}; }, {leaf({5}, 0.5, 4)});
  // xlogy's derivative in x is 0 where x == 0 and y == 0, not NaN
  Tensor x = lt::zeros({1}, DType::Float64), y = lt::zeros({1}, DType::Float64);
  x.requires_grad_();
  EXPECT_EQ(lt::autograd::grad({lt::sum(lt::xlogy(x, y))}, {x})[0].item<double>(), 0);
  // copysign's derivative in x is 0 at x == 0, its derivative in y is 0
  Tensor a = doubles({0, 2, -3}), b = doubles({-1, -1, 1});
  a.requires_grad_();
  b.requires_grad_();
  TensorList g = lt::autograd::grad({lt::sum(lt::copysign(a, b))}, {a, b});
  EXPECT_EQ(values(g[0]), (std::vector<double>{0, -1, -1}));
  EXPECT_EQ(values(g[1]), (std::vector<double>{0, 0, 0}));
}

}  // namespace
