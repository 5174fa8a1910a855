// The operators composed of others (stacking, rearranging, tensor products, statistics,
// order statistics, running sums, elementwise compositions, take / index_fill, isin /
// bucketize, triangle indices, view scatters, combinatorics), erfinv, acosh and atanh,
// and the default dtype: values worked out by hand, derivatives against finite
// differences, errors.
// Their parity with PyTorch on its own samples is tests/python/test_ops_parity.py.
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

using ref::iota;
using ref::longs;
std::vector<double> values(const Tensor& t) { return ref::values(t); }
Tensor doubles(std::vector<double> v, Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<int64_t>(v.size())};
  return lt::from_vector<double>(v, shape);
}

TEST(Compositions, Stacking) {
  const Tensor a = iota({3}), m = iota({2, 3});
  EXPECT_EQ(lt::atleast_2d(a).sizes(), (Shape{1, 3}));
  EXPECT_EQ(lt::atleast_3d(m).sizes(), (Shape{2, 3, 1}));
  EXPECT_EQ(lt::atleast_1d(lt::full({}, 2.0)).sizes(), (Shape{1}));
  EXPECT_EQ(values(lt::hstack({a, a})), (std::vector<double>{0, 1, 2, 0, 1, 2}));
  EXPECT_EQ(lt::vstack({a, a}).sizes(), (Shape{2, 3}));
  EXPECT_EQ(lt::dstack({m, m}).sizes(), (Shape{2, 3, 2}));
  EXPECT_EQ(values(lt::column_stack({a, a})), (std::vector<double>{0, 0, 1, 1, 2, 2}));
  std::vector<Tensor> parts = lt::tensor_split(iota({7}), 3);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(values(parts[0]), (std::vector<double>{0, 1, 2}));
  EXPECT_EQ(values(parts[2]), (std::vector<double>{5, 6}));
  parts = lt::tensor_split(iota({5}), {1, -1, 9});  // slices [0:1], [1:-1], [-1:9], [9:]
  EXPECT_EQ(values(parts[1]), (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(values(parts[2]), (std::vector<double>{4}));
  EXPECT_EQ(parts[3].numel(), 0);
  std::vector<Tensor> grid = lt::meshgrid({a, iota({2})}, "xy");
  EXPECT_EQ(grid[0].sizes(), (Shape{2, 3}));
  EXPECT_EQ(values(grid[0]), (std::vector<double>{0, 1, 2, 0, 1, 2}));
  EXPECT_EQ(values(grid[1]), (std::vector<double>{0, 0, 0, 1, 1, 1}));
  EXPECT_EQ(lt::broadcast_to(a, {2, -1}).sizes(), (Shape{2, 3}));
  EXPECT_THROW(lt::broadcast_to(a, {4}), lt::ShapeError);
  EXPECT_THROW(lt::hstack({}), lt::ValueError);
  EXPECT_THROW(lt::tensor_split(a, 0), lt::ValueError);
}

TEST(Compositions, Rearranging) {
  EXPECT_EQ(values(lt::diff(doubles({1, 4, 9, 16}))), (std::vector<double>{3, 5, 7}));
  EXPECT_EQ(values(lt::diff(doubles({1, 4, 9, 16}), 2)), (std::vector<double>{2, 2}));
  EXPECT_EQ(values(lt::diff(doubles({1, 4}), 1, -1, doubles({0}), doubles({5}))), (std::vector<double>{1, 3, 1}));
  const Tensor flags = lt::from_vector<bool>({true, true, false});
  EXPECT_EQ(values(lt::diff(flags)), (std::vector<double>{0, 1}));  // logical_xor
  const Tensor m = iota({2, 3});                                      // [[0 1 2] [3 4 5]]
  EXPECT_EQ(values(lt::rot90(m)), (std::vector<double>{2, 5, 1, 4, 0, 3}));
  EXPECT_EQ(values(lt::rot90(m, -1)), (std::vector<double>{3, 0, 4, 1, 5, 2}));
  EXPECT_EQ(values(lt::fliplr(m)), (std::vector<double>{2, 1, 0, 5, 4, 3}));
  EXPECT_THROW(lt::fliplr(iota({3})), lt::ShapeError);
}

TEST(Compositions, ProductsAndDiagonals) {
  const Tensor a = iota({2, 3}), b = iota({3, 2});
  EXPECT_EQ(values(lt::tensordot(a, b, 1)), values(lt::mm(a, b)));
  EXPECT_EQ(values(lt::tensordot(a, a, {0, 1}, {0, 1})), (std::vector<double>{55}));
  EXPECT_EQ(values(lt::kron(doubles({1, 2}), doubles({1, 10}))), (std::vector<double>{1, 10, 2, 20}));
  EXPECT_EQ(values(lt::cross(doubles({1, 0, 0}), doubles({0, 1, 0}))), (std::vector<double>{0, 0, 1}));
  EXPECT_EQ(values(lt::trace(iota({3, 3}))), (std::vector<double>{12}));
  EXPECT_EQ(values(lt::diag(doubles({1, 2}), 1)), (std::vector<double>{0, 1, 0, 0, 0, 2, 0, 0, 0}));
  EXPECT_EQ(values(lt::diag(iota({2, 3}), 1)), (std::vector<double>{1, 5}));
  EXPECT_EQ(lt::diag_embed(iota({4, 2}), 0, 0, 2).sizes(), (Shape{2, 4, 2}));
  EXPECT_EQ(values(lt::cdist(doubles({0, 0, 3, 4}, {2, 2}), doubles({0, 0}, {1, 2}))), (std::vector<double>{0, 5}));
  EXPECT_EQ(values(lt::addmv(doubles({1, 1}), iota({2, 2}), doubles({1, 1}), 2, 3)), (std::vector<double>{5, 17}));
  EXPECT_THROW(lt::tensordot(a, a, 1), lt::ShapeError);
  EXPECT_THROW(lt::cross(iota({4}), iota({4})), lt::ShapeError);
}

TEST(Compositions, Statistics) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const Tensor x = doubles({1, nan, 3, nan}, {2, 2});
  EXPECT_EQ(values(lt::nansum(x)), (std::vector<double>{4}));
  EXPECT_EQ(lt::nanmean(x, {0}).select(0, 0).item<double>(), 2);
  EXPECT_TRUE(std::isnan(lt::nanmean(x, {0}).select(0, 1).item<double>()));  // all NaN: 0 / 0
  EXPECT_EQ(values(lt::count_nonzero(doubles({0, 2, 0, 1}, {2, 2}), {1})), (std::vector<double>{1, 1}));
  auto [v, mean] = lt::var_mean(doubles({1, 2, 3}));
  EXPECT_EQ(v.item<double>(), 1);
  EXPECT_EQ(mean.item<double>(), 2);
  auto [lo, hi] = lt::aminmax(doubles({3, -1, 2}));
  EXPECT_EQ(lo.item<double>(), -1);
  EXPECT_EQ(hi.item<double>(), 3);
  EXPECT_THROW(lt::nanmean(longs({1, 2})), lt::DTypeError);
}

TEST(Compositions, Elementwise) {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> lae = values(lt::logaddexp(doubles({0, 1000, -inf, inf}), doubles({0, 999, -inf, inf})));
  EXPECT_DOUBLE_EQ(lae[0], std::log(2.0));
  EXPECT_DOUBLE_EQ(lae[1], 1000 + std::log1p(std::exp(-1.0)));
  EXPECT_EQ(lae[2], -inf);
  EXPECT_EQ(lae[3], inf);
  EXPECT_DOUBLE_EQ(lt::logit(doubles({0.25})).item<double>(), std::log(1.0 / 3));
  EXPECT_EQ(values(lt::signbit(doubles({-0.0, 0.0, -2, nan}))), (std::vector<double>{1, 0, 1, 0}));
  const std::vector<double> fm = values(lt::fmax(doubles({nan, 1, nan}), doubles({2, nan, nan})));
  EXPECT_EQ(fm[0], 2);
  EXPECT_EQ(fm[1], 1);
  EXPECT_TRUE(std::isnan(fm[2]));
  EXPECT_EQ(values(lt::heaviside(doubles({-1, 0, 2}), doubles({0.5}))), (std::vector<double>{0, 0.5, 1}));
  EXPECT_EQ(values(lt::sinc(doubles({0, 1}))).front(), 1);
  EXPECT_NEAR(values(lt::sinc(doubles({0.5})))[0], 2 / M_PI, 1e-15);
  EXPECT_EQ(lt::float_power(longs({2}), 3).dtype(), DType::Float64);
  EXPECT_DOUBLE_EQ(lt::deg2rad(doubles({180})).item<double>(), M_PI);
  EXPECT_THROW(lt::heaviside(doubles({1}), lt::ones({1})), lt::DTypeError);
  EXPECT_THROW(lt::logaddexp(longs({1}), longs({1})), lt::DTypeError);
}

TEST(Compositions, ErfinvInvertsErf) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> xs;
  for (double x = -5.5; x <= 5.5; x += 0.03125) xs.push_back(x);
  const Tensor x = doubles(xs);
  const std::vector<double> back = values(lt::erfinv(lt::erf(x)));
  for (size_t i = 0; i < xs.size(); ++i) {
    // erf rounds to 1 beyond ~5.9; below that the round trip is limited by erf's slope.
    const double slope = 2 / std::sqrt(M_PI) * std::exp(-xs[i] * xs[i]);
    EXPECT_NEAR(back[i], xs[i], 4e-16 / slope + 1e-15) << xs[i];
  }
  const std::vector<double> ends = values(lt::erfinv(doubles({-1, 1, 1.5, 0})));
  EXPECT_EQ(ends[0], -inf);
  EXPECT_EQ(ends[1], inf);
  EXPECT_TRUE(std::isnan(ends[2]));
  EXPECT_EQ(ends[3], 0);
  EXPECT_NEAR(lt::erfinv(lt::full({}, 0.5, DType::Float32)).item<float>(), 0.4769362762044699f, 1e-7);
}

TEST(Compositions, IndexingAndSearching) {
  const Tensor x = iota({2, 3});
  EXPECT_EQ(values(lt::take(x, longs({0, -1, 4}))), (std::vector<double>{0, 5, 4}));
  EXPECT_EQ(values(lt::index_fill(x, 1, longs({0, -1}), 9)), (std::vector<double>{9, 1, 9, 9, 4, 9}));
  EXPECT_THROW(lt::take(x, longs({6})), lt::IndexError);
  EXPECT_EQ(values(lt::isin(longs({1, 2, 3, 4}), longs({4, 2}))), (std::vector<double>{0, 1, 0, 1}));
  EXPECT_EQ(values(lt::isin(longs({1, 2}), longs({2}), false, true)), (std::vector<double>{1, 0}));
  EXPECT_EQ(values(lt::bucketize(doubles({0.1, 0.5, 0.9}), doubles({0.2, 0.5}))), (std::vector<double>{0, 1, 2}));
  EXPECT_EQ(values(lt::tril_indices(3, 3)), (std::vector<double>{0, 1, 1, 2, 2, 2, 0, 0, 1, 0, 1, 2}));
  EXPECT_EQ(values(lt::triu_indices(2, 3, 1)), (std::vector<double>{0, 0, 1, 1, 2, 2}));
}

TEST(Compositions, SplitsAndTuples) {
  const Tensor m = iota({2, 6});
  std::vector<Tensor> parts = lt::hsplit(m, 3);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(values(parts[1]), (std::vector<double>{2, 3, 8, 9}));
  EXPECT_EQ(lt::vsplit(m, std::vector<int64_t>{1}).size(), 2u);  // at index 1, not 1 section
  EXPECT_EQ(lt::dsplit(iota({1, 1, 4}), 2)[1].sizes(), (Shape{1, 1, 2}));
  EXPECT_THROW(lt::hsplit(m, 4), lt::ValueError);  // 6 is not a multiple of 4
  EXPECT_THROW(lt::vsplit(iota({3}), 1), lt::ShapeError);
  EXPECT_EQ(values(lt::ravel(m.t())), (std::vector<double>{0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11}));
  const Tensor b = lt::block_diag({iota({1, 2}), doubles({7}), lt::full({}, 5.0, DType::Float32)});
  EXPECT_EQ(b.sizes(), (Shape{3, 4}));
  EXPECT_EQ(values(b), (std::vector<double>{0, 1, 0, 0, 0, 0, 7, 0, 0, 0, 0, 5}));
  EXPECT_EQ(b.dtype(), DType::Float64);
  EXPECT_EQ(lt::block_diag({}).sizes(), (Shape{1, 0}));
  EXPECT_EQ(values(lt::cartesian_prod({longs({1, 2}), longs({3, 4})})), (std::vector<double>{1, 3, 1, 4, 2, 3, 2, 4}));
  EXPECT_EQ(values(lt::combinations(longs({5, 6, 7}))), (std::vector<double>{5, 6, 5, 7, 6, 7}));
  EXPECT_EQ(values(lt::combinations(longs({5, 6}), 2, true)), (std::vector<double>{5, 5, 5, 6, 6, 6}));
  EXPECT_EQ(lt::combinations(longs({5, 6}), 3).sizes(), (Shape{0, 3}));
  EXPECT_EQ(lt::combinations(longs({5, 6}), 0).sizes(), (Shape{0}));
}

TEST(Compositions, ViewScatters) {
  const Tensor z = lt::zeros({2, 3}, DType::Float64);
  EXPECT_EQ(values(lt::select_scatter(z, doubles({1, 2, 3}), 0, 1)), (std::vector<double>{0, 0, 0, 1, 2, 3}));
  EXPECT_EQ(values(lt::slice_scatter(z, doubles({1, 2, 3, 4}, {2, 2}), 1, 0, {}, 2)),
            (std::vector<double>{1, 0, 2, 3, 0, 4}));
  EXPECT_EQ(values(lt::diagonal_scatter(z, doubles({8, 9}), 1)), (std::vector<double>{0, 8, 0, 0, 0, 9}));
  EXPECT_THROW(lt::select_scatter(z, doubles({1, 2}), 0, 0), lt::ShapeError);
  EXPECT_EQ(lt::sum(z).item<double>(), 0);  // the input is not written
}

TEST(Compositions, OrderStatistics) {
  const Tensor x = doubles({3, 1, 4, 1, 5});
  EXPECT_DOUBLE_EQ(lt::quantile(x, 0.5).item<double>(), 3);
  EXPECT_DOUBLE_EQ(lt::quantile(x, 0.3).item<double>(), 1.4);  // rank 1.2 between 1 and 3
  EXPECT_DOUBLE_EQ(lt::quantile(x, 0.3, {}, false, "lower").item<double>(), 1);
  EXPECT_DOUBLE_EQ(lt::quantile(x, 0.3, {}, false, "higher").item<double>(), 3);
  EXPECT_DOUBLE_EQ(lt::quantile(x, 0.3, {}, false, "midpoint").item<double>(), 2);
  EXPECT_DOUBLE_EQ(lt::quantile(x, 0.3, {}, false, "nearest").item<double>(), 1);
  const Tensor q = lt::quantile(iota({2, 3}).to(DType::Float64), doubles({0, 1}), 1, true);
  EXPECT_EQ(q.sizes(), (Shape{2, 2, 1}));
  EXPECT_EQ(values(q), (std::vector<double>{0, 3, 2, 5}));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const Tensor with_nan = doubles({nan, 2, 4, nan, nan, nan}, {2, 3});
  EXPECT_TRUE(std::isnan(values(lt::quantile(with_nan, 0.5, 1))[0]));
  const std::vector<double> skipped = values(lt::nanquantile(with_nan, 0.5, 1));
  EXPECT_DOUBLE_EQ(skipped[0], 3);
  EXPECT_TRUE(std::isnan(skipped[1]));
  EXPECT_DOUBLE_EQ(lt::nanmedian(doubles({nan, 5, 1, 3, 2})).item<double>(), 2);  // lower median of 1 2 3 5
  auto [v, i] = lt::nanmedian(doubles({nan, 5, 1}, {1, 3}), 1);
  EXPECT_EQ(values(v), (std::vector<double>{1}));
  EXPECT_EQ(values(i), (std::vector<double>{2}));
  EXPECT_THROW(lt::quantile(x, 1.5), lt::ValueError);
  EXPECT_THROW(lt::quantile(longs({1, 2}), 0.5), lt::DTypeError);
  EXPECT_THROW(lt::quantile(x, 0.5, {}, false, "cubic"), lt::ValueError);
  EXPECT_THROW(lt::quantile(doubles({}), 0.5), lt::ValueError);
}

TEST(Compositions, CovarianceHistogramsAndNorms) {
  const Tensor obs = doubles({1, 2, 4, 2, 4, 8}, {2, 3});  // the second row is twice the first
  EXPECT_EQ(values(lt::cov(obs)), (std::vector<double>{7.0 / 3, 14.0 / 3, 14.0 / 3, 28.0 / 3}));
  const std::vector<double> r = values(lt::corrcoef(obs));
  for (double c : r) EXPECT_NEAR(c, 1, 1e-12);
  // Weights repeat observations: fweights {1, 2, 1} is the data 1, 2, 2, 4.
  EXPECT_NEAR(lt::cov(doubles({1, 2, 4}), 1, longs({1, 2, 1})).item<double>(), 19.0 / 12, 1e-12);
  EXPECT_THROW(lt::cov(doubles({1, 2, 4}), 1, longs({1, 2})), lt::ShapeError);
  EXPECT_THROW(lt::cov(doubles({1, 2, 4}), 1, longs({1, -2, 1})), lt::ValueError);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(values(lt::histc(doubles({0, 0.5, 1, 2, 3, nan}), 3)), (std::vector<double>{2, 1, 2}));
  EXPECT_EQ(values(lt::histc(doubles({-1, 0.2, 0.7, 9}), 2, 0, 1)), (std::vector<double>{1, 1}));
  EXPECT_THROW(lt::histc(longs({1}), 3), lt::DTypeError);
  EXPECT_DOUBLE_EQ(lt::dist(doubles({3, 0}), doubles({0, 4})).item<double>(), 5);
  const Tensor rn = lt::renorm(doubles({3, 4, 0.3, 0.4}, {2, 2}), 2, 0, 1);
  EXPECT_NEAR(values(rn)[0], 0.6, 1e-6);
  EXPECT_DOUBLE_EQ(values(rn)[2], 0.3);  // under maxnorm: unchanged
}

TEST(Compositions, RunningSums) {
  // The prefix far below the maximum keeps its digits (a shifted exp would underflow).
  const std::vector<double> l = values(lt::logcumsumexp(doubles({-1000, 0, 0}), 0));
  EXPECT_DOUBLE_EQ(l[0], -1000);
  EXPECT_NEAR(l[1], 0, 1e-12);
  EXPECT_NEAR(l[2], std::log(2.0), 1e-12);
  EXPECT_DOUBLE_EQ(lt::trapezoid(doubles({1, 2, 3})).item<double>(), 4);
  EXPECT_DOUBLE_EQ(lt::trapezoid(doubles({1, 2, 3}), doubles({0, 1, 3})).item<double>(), 6.5);
  EXPECT_EQ(values(lt::cumulative_trapezoid(doubles({1, 2, 3}), 2)), (std::vector<double>{3, 8}));
  EXPECT_EQ(lt::trapezoid(longs({1, 2, 3})).dtype(), lt::default_dtype());
  EXPECT_THROW(lt::trapezoid(doubles({1, 2}), doubles({0, 1, 2})), lt::ShapeError);
}

TEST(Compositions, ConsecutiveRunsAndElementwise) {
  auto [v, inverse, counts] = lt::unique_consecutive(longs({1, 1, 2, 1, 1, 1}));
  EXPECT_EQ(values(v), (std::vector<double>{1, 2, 1}));
  EXPECT_EQ(values(inverse), (std::vector<double>{0, 0, 1, 2, 2, 2}));
  EXPECT_EQ(values(counts), (std::vector<double>{2, 1, 3}));
  auto [rows, row_of, lengths] = lt::unique_consecutive(longs({1, 2, 1, 2, 3, 4}, {3, 2}), 0);
  EXPECT_EQ(rows.sizes(), (Shape{2, 2}));
  EXPECT_EQ(values(lengths), (std::vector<double>{2, 1}));
  EXPECT_EQ(values(lt::argwhere(longs({0, 3, 0, 4}, {2, 2}))), (std::vector<double>{0, 1, 1, 1}));
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(values(lt::isposinf(doubles({inf, -inf, 1}))), (std::vector<double>{1, 0, 0}));
  EXPECT_EQ(values(lt::isneginf(doubles({inf, -inf, 1}))), (std::vector<double>{0, 1, 0}));
  EXPECT_EQ(values(lt::ldexp(doubles({1.5, 3}), longs({2, -1}))), (std::vector<double>{6, 1.5}));
  EXPECT_EQ(values(lt::logspace(0, 2, 3)), (std::vector<double>{1, 10, 100}));
  EXPECT_EQ(values(lt::logspace(-1.5, 3, 4, 10, DType::Int64)), (std::vector<double>{0, 2, 46, 1000}));
  EXPECT_NEAR(lt::acosh(doubles({2})).item<double>(), std::acosh(2.0), 1e-15);
  EXPECT_NEAR(lt::atanh(doubles({0.5})).item<double>(), std::atanh(0.5), 1e-15);
  EXPECT_TRUE(std::isnan(lt::acosh(doubles({0.5})).item<double>()));
}

TEST(Compositions, DefaultDtype) {
  EXPECT_EQ(lt::default_dtype(), DType::Float32);
  lt::set_default_dtype(DType::Float64);
  EXPECT_EQ(lt::zeros({2}).dtype(), DType::Float64);
  EXPECT_EQ(lt::randn({2}).dtype(), DType::Float64);
  EXPECT_EQ(lt::sqrt(longs({4})).dtype(), DType::Float64);
  EXPECT_EQ(lt::add(longs({1}), 1.5).dtype(), DType::Float64);
  EXPECT_EQ(lt::arange(0.0, 2.0).dtype(), DType::Float64);
  lt::set_default_dtype(DType::Float32);
  EXPECT_THROW(lt::set_default_dtype(DType::Int64), lt::DTypeError);
  EXPECT_EQ(lt::default_dtype(), DType::Float32);
  EXPECT_EQ(lt::zeros({2}).dtype(), DType::Float32);
}

TEST(Compositions, DerivativesMatchFiniteDifferences) {
  lt::manual_seed(11);
  auto rand = [](Shape s) { return lt::rand(s, DType::Float64).requires_grad_(); };
  const Tensor a = rand({3, 4}), b = rand({4, 3}), v = rand({3}), w = rand({3});
  using F = lt::autograd::GradcheckFunction;
  const std::vector<std::pair<F, TensorList>> cases = {
      {[](const TensorList& t) { return TensorList{lt::tensordot(t[0], t[1], 1)}; }, {a, b}},
      {[](const TensorList& t) { return TensorList{lt::kron(t[0], t[1])}; }, {v, w}},
      {[](const TensorList& t) { return TensorList{lt::cross(t[0], t[1])}; }, {v, w}},
      {[](const TensorList& t) { return TensorList{lt::diag_embed(t[0], -1)}; }, {a}},
      {[](const TensorList& t) { return TensorList{lt::cdist(t[0], t[1].t())}; }, {a, b}},
      {[](const TensorList& t) { return TensorList{lt::logaddexp(t[0], t[1])}; }, {v, w}},
      {[](const TensorList& t) { return TensorList{lt::logit(t[0], 0.3)}; }, {v}},
      {[](const TensorList& t) { return TensorList{lt::sinc(lt::sub(t[0], 0.5))}; }, {v}},
      {[](const TensorList& t) { return TensorList{lt::erfinv(lt::sub(t[0], 0.5))}; }, {v}},
      {[](const TensorList& t) { return TensorList{lt::diff(t[0], 2, 0)}; }, {a}},
      {[](const TensorList& t) { return TensorList{lt::addr(t[0], t[1], t[2], 0.5, 2)}; },
       {rand({3, 3}), v, w}},
      {[](const TensorList& t) { return TensorList{lt::nanmean(t[0], {1})}; }, {a}},
      {[](const TensorList& t) { return TensorList{lt::quantile(t[0], 0.3, 1)}; }, {a}},
      {[](const TensorList& t) { return TensorList{lt::nanmedian(t[0])}; }, {a}},
      {[](const TensorList& t) { return TensorList{lt::cov(t[0])}; }, {a}},
      {[](const TensorList& t) { return TensorList{lt::corrcoef(t[0])}; }, {a}},
      {[](const TensorList& t) { return TensorList{lt::renorm(t[0], 2, 1, 0.5)}; }, {a}},
      {[](const TensorList& t) { return TensorList{lt::dist(t[0], t[1], 3)}; }, {v, w}},
      {[](const TensorList& t) { return TensorList{lt::logcumsumexp(t[0], 1)}; }, {a}},
      {[](const TensorList& t) { return TensorList{lt::trapezoid(t[0], t[1])}; }, {v, w}},
      {[](const TensorList& t) { return TensorList{lt::cumulative_trapezoid(t[0], 0.5, 0)}; }, {a}},
      {[](const TensorList& t) { return TensorList{lt::block_diag({t[0], t[1]})}; }, {a, v}},
      {[](const TensorList& t) { return TensorList{lt::cartesian_prod({t[0], t[1]})}; }, {v, w}},
      {[](const TensorList& t) { return TensorList{lt::combinations(t[0], 2, true)}; }, {v}},
      {[](const TensorList& t) { return TensorList{lt::slice_scatter(t[0], t[1], 1, 1, 3)}; },
       {a, rand({3, 2})}},
      {[](const TensorList& t) { return TensorList{lt::diagonal_scatter(t[0], t[1])}; }, {a, v}},
      {[](const TensorList& t) { return TensorList{lt::acosh(lt::add(t[0], 1.5))}; }, {v}},
      {[](const TensorList& t) { return TensorList{lt::atanh(lt::sub(t[0], 0.5))}; }, {v}},
  };
  for (const auto& [fn, inputs] : cases) {
    EXPECT_TRUE(lt::autograd::gradcheck(fn, inputs));
    EXPECT_TRUE(lt::autograd::gradgradcheck(fn, inputs));
  }
  // A tie splits logaddexp's gradient evenly: d/da log(e^a + e^b) = 1/2 at a == b.
  Tensor t = lt::full({}, 0.7, DType::Float64).requires_grad_();
  Tensor g = lt::autograd::grad({lt::logaddexp(t, lt::full({}, 0.7, DType::Float64))}, {t})[0];
  EXPECT_DOUBLE_EQ(g.item<double>(), 0.5);
}

TEST(Compositions, ErrorsNameTheOperator) {
  auto message = [](auto f) {
    try {
      f();
    } catch (const lt::Error& e) {
      return std::string(e.what());
    }
    return std::string("<none>");
  };
  EXPECT_EQ(message([] { lt::tensordot(iota({2, 3}), iota({4, 5}), 1); }).rfind("[tensordot]", 0), 0u);
  EXPECT_EQ(message([] { lt::cdist(iota({2, 3}), iota({2, 4})); }).rfind("[cdist]", 0), 0u);
  EXPECT_EQ(message([] { lt::meshgrid({iota({2, 2})}); }).rfind("[meshgrid]", 0), 0u);
  EXPECT_EQ(message([] { lt::take(iota({2}), longs({-3})); }).rfind("[take] index -3 is out of bounds", 0), 0u);
  EXPECT_EQ(message([] { lt::diag(iota({2, 2, 2})); }).rfind("[diag]", 0), 0u);
  // What a part rejects is reported under the operator called, with its type kept.
  EXPECT_EQ(message([] { lt::hstack({iota({2, 2}), iota({3, 3})}); }).rfind("[hstack] ", 0), 0u);
  EXPECT_THROW(lt::hstack({iota({2, 2}), iota({3, 3})}), lt::ShapeError);
  EXPECT_EQ(message([] { lt::fmax(iota({2}), iota({3})); }).rfind("[fmax] ", 0), 0u);
  EXPECT_THROW(lt::count_nonzero(iota({2}), {3}), lt::IndexError);
}

}  // namespace
