// multinomial, randperm and the exponential / Cauchy / log-normal / geometric fills:
// statistics of large samples, reproducibility from a seed, errors.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "reference.h"

namespace {

using lt::DType;
using lt::Shape;
using lt::Tensor;

std::vector<double> values(const Tensor& t) { return ref::values(t); }

double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / v.size(); }
double variance(const std::vector<double>& v) {
  const double m = mean(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return s / (v.size() - 1);
}

TEST(Sampling, Randperm) {
  lt::Generator g(1);
  for (int64_t n : {0, 1, 5, 1000}) {
    std::vector<double> p = values(lt::randperm(n, DType::Int64, lt::kCPU, &g));
    std::sort(p.begin(), p.end());
    std::vector<double> expected(n);
    std::iota(expected.begin(), expected.end(), 0.0);
    EXPECT_EQ(p, expected);
  }
  lt::Generator a(9), b(9);
  EXPECT_EQ(values(lt::randperm(100, DType::Int64, lt::kCPU, &a)), values(lt::randperm(100, DType::Int64, lt::kCPU, &b)));
  EXPECT_NE(values(lt::randperm(100, DType::Int64, lt::kCPU, &a)), values(lt::randperm(100, DType::Int64, lt::kCPU, &a)));
  EXPECT_EQ(lt::randperm(4, DType::Float32).dtype(), DType::Float32);
  // each value equally likely at position 0: chi-square with 3 degrees of freedom
  std::vector<double> counts(4);
  for (int i = 0; i < 4000; ++i) counts[static_cast<int>(lt::randperm(4, DType::Int64, lt::kCPU, &g).select(0, 0).item<int64_t>())] += 1;
  double chi2 = 0;
  for (double c : counts) chi2 += (c - 1000) * (c - 1000) / 1000;
  EXPECT_LT(chi2, 16.3);  // p = 0.001
  EXPECT_THROW(lt::randperm(-1), lt::ValueError);
}

TEST(Sampling, MultinomialWithReplacement) {
  lt::Generator g(2);
  Tensor p = lt::from_vector<double>({0.2, 0, 0.5, 0.3});
  const int64_t n = 50000;
  std::vector<double> s = values(lt::multinomial(p, n, true, &g));
  std::vector<double> counts(4);
  for (double v : s) counts[static_cast<int>(v)] += 1;
  EXPECT_EQ(counts[1], 0);
  double chi2 = 0;
  for (int i : {0, 2, 3}) {
    const double e = values(p)[i] * n;
    chi2 += (counts[i] - e) * (counts[i] - e) / e;
  }
  EXPECT_LT(chi2, 13.8);  // 2 degrees of freedom, p = 0.001
  // unnormalized 2-D weights, one row per distribution
  Tensor w = lt::from_vector<float>({0, 0, 3, 1, 0, 0}, {2, 3});
  Tensor r = lt::multinomial(w, 7, true, &g);
  EXPECT_EQ(r.sizes(), (Shape{2, 7}));
  EXPECT_EQ(r.dtype(), DType::Int64);
  for (double v : values(r.select(0, 0))) EXPECT_EQ(v, 2);
  for (double v : values(r.select(0, 1))) EXPECT_EQ(v, 0);
  lt::Generator a(3), b(3);
  EXPECT_EQ(values(lt::multinomial(p, 20, true, &a)), values(lt::multinomial(p, 20, true, &b)));
}

TEST(Sampling, MultinomialWithoutReplacement) {
  lt::Generator g(4);
  Tensor w = lt::from_vector<double>({1, 0, 2, 7});
  std::vector<double> firsts(4);
  for (int i = 0; i < 4000; ++i) {
    std::vector<double> s = values(lt::multinomial(w, 3, false, &g));
    std::vector<double> sorted = s;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, (std::vector<double>{0, 2, 3}));  // distinct, the zero weight last of all
    firsts[static_cast<int>(s[0])] += 1;
  }
  double chi2 = 0;
  for (int i : {0, 2, 3}) {
    const double e = values(w)[i] / 10 * 4000;
    chi2 += (firsts[i] - e) * (firsts[i] - e) / e;
  }
  EXPECT_LT(chi2, 13.8);
  // as many samples as categories: a permutation
  std::vector<double> all = values(lt::multinomial(lt::ones({6}), 6, false, &g));
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<double>{0, 1, 2, 3, 4, 5}));
}

TEST(Sampling, MultinomialErrors) {
  const double nan = std::nan("");
  EXPECT_THROW(lt::multinomial(lt::from_vector<double>({0.5, -0.1}), 1), lt::ValueError);
  EXPECT_THROW(lt::multinomial(lt::from_vector<double>({0.5, nan}), 1), lt::ValueError);
  EXPECT_THROW(lt::multinomial(lt::from_vector<double>({0, 0}), 1), lt::ValueError);
  EXPECT_THROW(lt::multinomial(lt::from_vector<double>({1, 0, 0, 0}, {2, 2}), 1), lt::ValueError);  // row 1
  EXPECT_THROW(lt::multinomial(lt::ones({2, 2, 2}), 1), lt::ShapeError);
  EXPECT_THROW(lt::multinomial(lt::from_vector<int64_t>({1, 2}), 1), lt::DTypeError);
  EXPECT_THROW(lt::multinomial(lt::ones({2}), 3), lt::ValueError);
  EXPECT_THROW(lt::multinomial(lt::ones({2}), 0), lt::ValueError);
}

TEST(Sampling, ContinuousFills) {
  lt::Generator g(5);
  const int64_t n = 200000;
  for (DType t : {DType::Float64, DType::Float32}) {
    Tensor e = lt::empty({n}, t);
    lt::exponential_(e, 4, &g);
    std::vector<double> v = values(e);
    EXPECT_GE(*std::min_element(v.begin(), v.end()), 0);
    EXPECT_NEAR(mean(v), 0.25, 0.004);
    EXPECT_NEAR(variance(v), 0.0625, 0.002);
    lt::Generator a(6), b(6);
    Tensor e1 = lt::empty({100}, t), e2 = lt::empty({100}, t);
    EXPECT_EQ(values(lt::exponential_(e1, 1, &a)), values(lt::exponential_(e2, 1, &b)));
    Tensor c = lt::empty({n}, t);
    std::vector<double> cv = values(lt::cauchy_(c, -1, 0.5, &g));
    std::sort(cv.begin(), cv.end());
    EXPECT_NEAR(cv[n / 2], -1, 0.02);        // median
    EXPECT_NEAR(cv[n / 4], -1.5, 0.02);      // quartiles: median -+ sigma
    EXPECT_NEAR(cv[3 * n / 4], -0.5, 0.02);
    Tensor ln = lt::empty({n}, t);
    std::vector<double> lv = values(lt::log(lt::log_normal_(ln, 0.3, 0.2, &g)));
    EXPECT_NEAR(mean(lv), 0.3, 0.003);
    EXPECT_NEAR(std::sqrt(variance(lv)), 0.2, 0.003);
  }
  Tensor geo = lt::empty({n}, DType::Int64);
  std::vector<double> gv = values(lt::geometric_(geo, 0.2, &g));
  EXPECT_GE(*std::min_element(gv.begin(), gv.end()), 1);
  EXPECT_NEAR(mean(gv), 5, 0.06);        // 1 / p
  EXPECT_NEAR(variance(gv), 20, 0.6);    // (1 - p) / p^2
  Tensor bad = lt::empty({3});
  EXPECT_THROW(lt::exponential_(bad, 0), lt::ValueError);
  EXPECT_THROW(lt::cauchy_(bad, 0, -1), lt::ValueError);
  EXPECT_THROW(lt::geometric_(bad, 1), lt::ValueError);
  EXPECT_THROW(lt::log_normal_(bad, 0, 0), lt::ValueError);
  Tensor ints = lt::empty({3}, DType::Int64);
  EXPECT_THROW(lt::exponential_(ints), lt::DTypeError);
}

}  // namespace
