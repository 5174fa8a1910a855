// Sorting, searching and scans (sort, argsort, topk, kthvalue, median, unique,
// searchsorted, bincount, cumsum, cumprod, cummax, cummin): values by hand and against a
// reference sort, NaN order, stability, dtypes, layouts, derivatives, errors.
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
using lt::autograd::TensorList;

Tensor doubles(std::vector<double> v, Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<int64_t>(v.size())};
  return lt::from_vector<double>(v, shape);
}
Tensor longs(std::vector<int64_t> v, Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<int64_t>(v.size())};
  return lt::from_vector<int64_t>(v, shape);
}
std::vector<double> values(const Tensor& t) { return ref::values(t); }
std::vector<int64_t> ints(const Tensor& t) {
  std::vector<int64_t> out;
  for (double v : ref::values(t)) out.push_back(static_cast<int64_t>(v));
  return out;
}
// NaN compares equal to NaN.
void expect_same(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) EXPECT_TRUE(std::isnan(got[i])) << "at " << i;
    else EXPECT_EQ(got[i], want[i]) << "at " << i;
  }
}

TEST(Sort, ValuesIndicesAndNaN) {
  const double nan = NAN;
  Tensor x = doubles({3, nan, -1, 2, nan, 0});
  auto [v, i] = lt::sort(x);
  expect_same(values(v), {-1, 0, 2, 3, nan, nan});
  EXPECT_EQ(ints(i), (std::vector<int64_t>{2, 5, 3, 0, 1, 4}));
  auto [vd, id] = lt::sort(x, 0, true, true);
  expect_same(values(vd), {nan, nan, 3, 2, 0, -1});
  EXPECT_EQ(ints(id), (std::vector<int64_t>{1, 4, 0, 3, 5, 2}));  // stable: NaNs in their order
  EXPECT_EQ(ints(lt::argsort(x)), ints(i));
  // Along dim 0 of a non-contiguous view; the results have the input's shape.
  Tensor m = doubles({5, 1, 4, 2, 6, 0}, {2, 3}).t();  // (3, 2)
  auto [mv, mi] = lt::sort(m, 0);
  EXPECT_EQ(mv.sizes(), (Shape{3, 2}));
  EXPECT_EQ(values(mv), (std::vector<double>{1, 0, 4, 2, 5, 6}));
  EXPECT_EQ(ints(mi), (std::vector<int64_t>{1, 2, 2, 0, 0, 1}));
  // 0-dim and empty.
  auto [sv, si] = lt::sort(lt::scalar_tensor(7.0));
  EXPECT_EQ(sv.dim(), 0);
  EXPECT_EQ(si.item<int64_t>(), 0);
  EXPECT_EQ(std::get<0>(lt::sort(lt::zeros({2, 0}), 1)).sizes(), (Shape{2, 0}));
  EXPECT_THROW(lt::sort(x, 1), lt::IndexError);
}

TEST(Sort, StableKeepsTiesInOrderForEveryDType) {
  std::vector<int64_t> keys;
  for (int64_t k = 0; k < 200; ++k) keys.push_back((k * 7919) % 5);
  std::vector<int64_t> want(keys.size());
  std::iota(want.begin(), want.end(), 0);
  std::stable_sort(want.begin(), want.end(), [&](int64_t a, int64_t b) { return keys[a] < keys[b]; });
  for (DType t : {DType::Float64, DType::Float32, DType::Float16, DType::BFloat16, DType::Int64, DType::Int32,
                  DType::Int16, DType::Int8, DType::UInt8}) {
    EXPECT_EQ(ints(lt::argsort(longs(keys).to(t), 0, false, true)), want) << lt::name(t);
  }
  Tensor b = longs(keys).to(DType::Bool);
  auto [bv, bi] = lt::sort(b, 0, false, true);
  EXPECT_EQ(bv.dtype(), DType::Bool);
  std::iota(want.begin(), want.end(), 0);
  std::stable_sort(want.begin(), want.end(), [&](int64_t a, int64_t b) { return !keys[a] && keys[b]; });
  EXPECT_EQ(ints(bi), want);  // false before true
  EXPECT_FALSE(bv.select(0, 0).item<bool>());
  EXPECT_TRUE(bv.select(0, 199).item<bool>());
}

TEST(Sort, TopkKthvalueMedian) {
  const double nan = NAN;
  Tensor x = doubles({4, 1, 7, 3, 9, 2}, {2, 3});
  auto [tv, ti] = lt::topk(x, 2);
  EXPECT_EQ(values(tv), (std::vector<double>{7, 4, 9, 3}));
  EXPECT_EQ(ints(ti), (std::vector<int64_t>{2, 0, 1, 0}));
  auto [lv, li] = lt::topk(x, 1, 0, false);
  EXPECT_EQ(values(lv), (std::vector<double>{3, 1, 2}));
  EXPECT_EQ(lv.sizes(), (Shape{1, 3}));
  EXPECT_EQ(std::get<0>(lt::topk(x, 0)).sizes(), (Shape{2, 0}));
  // A long row takes the partial-sort path: against a full sort.
  Tensor r = lt::randn({3, 1000}, DType::Float64);
  auto [big, bigi] = lt::topk(r, 5, 1);
  Tensor sorted = std::get<0>(lt::sort(r, 1, true)).narrow(1, 0, 5);
  EXPECT_EQ(values(big), values(sorted));
  EXPECT_EQ(values(lt::gather(r, 1, bigi)), values(big));
  // NaN is the largest.
  expect_same(values(std::get<0>(lt::topk(doubles({1, nan, 3}), 2))), {nan, 3});
  expect_same(values(std::get<0>(lt::topk(doubles({1, nan, 3}), 2, -1, false))), {1, 3});

  auto [kv, ki] = lt::kthvalue(x, 2, 1);
  EXPECT_EQ(values(kv), (std::vector<double>{4, 3}));
  EXPECT_EQ(ints(ki), (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(std::get<0>(lt::kthvalue(x, 1, 0, true)).sizes(), (Shape{1, 3}));
  expect_same(values(std::get<0>(lt::kthvalue(doubles({1, nan, 3}), 3))), {nan});

  EXPECT_EQ(lt::median(doubles({5, 1, 4, 2})).item<double>(), 2);  // the lower median
  EXPECT_TRUE(std::isnan(lt::median(doubles({5, nan, 4})).item<double>()));
  EXPECT_TRUE(std::isnan(lt::median(lt::zeros({0}, DType::Float64)).item<double>()));
  auto [mv, mi] = lt::median(doubles({5, nan, 4, nan, 1, nan, 3, 1, 2}, {3, 3}), 1);
  expect_same(values(mv), {nan, nan, 2});
  EXPECT_EQ(ints(mi), (std::vector<int64_t>{1, 0, 2}));  // the first NaN
  EXPECT_EQ(std::get<0>(lt::median(lt::zeros({0, 2}), 1)).sizes(), (Shape{0}));

  EXPECT_THROW(lt::topk(x, 4), lt::ValueError);
  EXPECT_THROW(lt::kthvalue(x, 0), lt::ValueError);
  EXPECT_THROW(lt::kthvalue(x, 4), lt::ValueError);
  EXPECT_THROW(lt::median(lt::zeros({2, 0}), 1), lt::IndexError);
}

TEST(Sort, Scans) {
  Tensor x = doubles({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(values(lt::cumsum(x, 1)), (std::vector<double>{1, 3, 6, 4, 9, 15}));
  EXPECT_EQ(values(lt::cumsum(x, 0)), (std::vector<double>{1, 2, 3, 5, 7, 9}));
  EXPECT_EQ(values(lt::cumprod(x, -1)), (std::vector<double>{1, 2, 6, 4, 20, 120}));
  EXPECT_EQ(values(lt::cumsum(x.t(), 0)), (std::vector<double>{1, 4, 3, 9, 6, 15}));
  // Integers and bools give int64; dtype= casts first.
  Tensor b = lt::from_vector<bool>({true, false, true});
  EXPECT_EQ(lt::cumsum(b, 0).dtype(), DType::Int64);
  EXPECT_EQ(ints(lt::cumsum(b, 0)), (std::vector<int64_t>{1, 1, 2}));
  Tensor u = lt::from_vector<uint8_t>({200, 100});
  EXPECT_EQ(ints(lt::cumsum(u, 0)), (std::vector<int64_t>{200, 300}));
  EXPECT_EQ(ints(lt::cumsum(u, 0, DType::UInt8)), (std::vector<int64_t>{200, 44}));
  EXPECT_EQ(lt::cumprod(u, 0, DType::Float32).dtype(), DType::Float32);
  EXPECT_THROW(lt::cumsum(b, 0, DType::Bool), lt::DTypeError);
  // A long scan of float32 accumulates in double, as PyTorch's CPU kernel.
  const int64_t n = (int64_t{1} << 24) + 4;  // a float accumulator stops at 2^24
  EXPECT_EQ(lt::cumsum(lt::ones({n}), 0).select(0, n - 1).item<float>(), static_cast<float>(n));
  // Middle dims with many columns (blocks of columns).
  Tensor r = lt::randn({2, 5, 300}, DType::Float64);
  Tensor want = lt::zeros({2, 5, 300}, DType::Float64);
  Tensor running = lt::zeros({2, 300}, DType::Float64);
  for (int64_t i = 0; i < 5; ++i) {
    running = running + r.select(1, i);
    want.select(1, i).copy_(running);
  }
  EXPECT_LT(lt::amax(lt::abs(lt::cumsum(r, 1) - want)).item<double>(), 1e-12);

  const double nan = NAN;
  auto [mv, mi] = lt::cummax(doubles({1, 3, 3, 2, nan, 5}), 0);
  expect_same(values(mv), {1, 3, 3, 3, nan, nan});
  EXPECT_EQ(ints(mi), (std::vector<int64_t>{0, 1, 2, 2, 4, 4}));  // ties take the later index
  auto [nv, ni] = lt::cummin(longs({3, 1, 2, 1}), 0);
  EXPECT_EQ(ints(nv), (std::vector<int64_t>{3, 1, 1, 1}));
  EXPECT_EQ(ints(ni), (std::vector<int64_t>{0, 1, 1, 3}));
  EXPECT_EQ(lt::cumsum(lt::scalar_tensor(2.0), 0).item<double>(), 2);
  EXPECT_EQ(lt::cumsum(lt::zeros({0, 3}), 0).sizes(), (Shape{0, 3}));
  EXPECT_THROW(lt::cumsum(x, 2), lt::IndexError);
}

TEST(Sort, UniqueSearchsortedBincount) {
  auto [u, inv, counts] = lt::unique(longs({3, 1, 3, 2, 1, 3}, {2, 3}));
  EXPECT_EQ(ints(u), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(inv.sizes(), (Shape{2, 3}));
  EXPECT_EQ(ints(inv), (std::vector<int64_t>{2, 0, 2, 1, 0, 2}));
  EXPECT_EQ(ints(counts), (std::vector<int64_t>{2, 1, 3}));
  auto [rows, rinv, rcounts] = lt::unique(longs({1, 2, 0, 5, 1, 2}, {3, 2}), true, 0);
  EXPECT_EQ(ints(rows), (std::vector<int64_t>{0, 5, 1, 2}));
  EXPECT_EQ(ints(rinv), (std::vector<int64_t>{1, 0, 1}));
  EXPECT_EQ(ints(rcounts), (std::vector<int64_t>{1, 2}));
  auto [cols, cinv, ccounts] = lt::unique(longs({1, 0, 1, 2, 5, 2}, {2, 3}), true, 1);
  EXPECT_EQ(ints(cols), (std::vector<int64_t>{0, 1, 5, 2}));
  EXPECT_EQ(ints(cinv), (std::vector<int64_t>{1, 0, 1}));
  EXPECT_EQ(std::get<0>(lt::unique(lt::zeros({0}))).sizes(), (Shape{0}));

  Tensor seq = doubles({1, 2, 2, 3});
  EXPECT_EQ(ints(lt::searchsorted(seq, doubles({0, 2, 2.5, 9}))), (std::vector<int64_t>{0, 1, 3, 4}));
  EXPECT_EQ(ints(lt::searchsorted(seq, doubles({2}), false, true)), (std::vector<int64_t>{3}));
  EXPECT_EQ(ints(lt::searchsorted(seq, doubles({2}), false, false, "right")), (std::vector<int64_t>{3}));
  EXPECT_EQ(lt::searchsorted(seq, doubles({2}), true).dtype(), DType::Int32);
  EXPECT_EQ(lt::searchsorted(seq, lt::Scalar(2.5)).dim(), 0);
  // Rows of boundaries, one per row of values; an unsorted sequence with its sorter.
  Tensor rows2 = doubles({1, 3, 5, 2, 4, 6}, {2, 3});
  EXPECT_EQ(ints(lt::searchsorted(rows2, doubles({3, 3}, {2, 1}))), (std::vector<int64_t>{1, 1}));
  Tensor unsorted = doubles({3, 1, 2});
  EXPECT_EQ(ints(lt::searchsorted(unsorted, doubles({2.5}), false, false, {}, longs({1, 2, 0}))),
            (std::vector<int64_t>{2}));
  EXPECT_THROW(lt::searchsorted(seq, doubles({2}), false, true, "left"), lt::ValueError);
  EXPECT_THROW(lt::searchsorted(rows2, doubles({2})), lt::ShapeError);

  EXPECT_EQ(ints(lt::bincount(longs({0, 2, 2, 5}))), (std::vector<int64_t>{1, 0, 2, 0, 0, 1}));
  Tensor w = lt::bincount(longs({1, 1}), lt::from_vector<float>({0.5f, 2}), 3);
  EXPECT_EQ(w.dtype(), DType::Float32);
  EXPECT_EQ(values(w), (std::vector<double>{0, 2.5, 0}));
  EXPECT_EQ(lt::bincount(longs({1}), longs({3})).dtype(), DType::Float64);
  EXPECT_EQ(lt::bincount(lt::zeros({0}, DType::Int64), {}, 2).sizes(), (Shape{2}));
  EXPECT_THROW(lt::bincount(longs({-1})), lt::ValueError);
  EXPECT_THROW(lt::bincount(doubles({1})), lt::ValueError);
  EXPECT_THROW(lt::bincount(longs({1}), doubles({1, 2})), lt::ShapeError);
}

TEST(Sort, Derivatives) {
  lt::manual_seed(3);
  auto leaf = [](Tensor x) {
    x.requires_grad_();
    return x;
  };
  auto check = [](const lt::autograd::GradcheckFunction& f, const TensorList& in) {
    EXPECT_TRUE(lt::autograd::gradcheck(f, in));
    EXPECT_TRUE(lt::autograd::gradgradcheck(f, in));
  };
  Tensor x = leaf(lt::randn({3, 4}, DType::Float64));
  check([](const TensorList& in) { return TensorList{std::get<0>(lt::sort(in[0], 0, true))}; }, {x});
  check([](const TensorList& in) { return TensorList{std::get<0>(lt::topk(in[0], 2, 1))}; }, {x});
  check([](const TensorList& in) { return TensorList{std::get<0>(lt::kthvalue(in[0], 2, 0))}; }, {x});
  check([](const TensorList& in) { return TensorList{std::get<0>(lt::median(in[0], 1, true))}; }, {x});
  check([](const TensorList& in) { return TensorList{lt::median(in[0])}; }, {x});
  check([](const TensorList& in) { return TensorList{std::get<0>(lt::cummax(in[0], 1))}; }, {x});
  check([](const TensorList& in) { return TensorList{std::get<0>(lt::cummin(in[0], 0))}; }, {x});
  check([](const TensorList& in) { return TensorList{lt::cumsum(in[0], 0)}; }, {x});
  check([](const TensorList& in) { return TensorList{lt::cumprod(in[0], 1)}; }, {x});
  // Zeros: one, two in a row, at the ends, a row of them.
  Tensor z = leaf(doubles({0.5, 0, -1.5, 2, 0, 1.25, 0.75, -2, 0, 0, 1.5, 0.5, 3, -0.5, 1.5, 0, 0, 0, 0, 0},
                          {4, 5}));
  check([](const TensorList& in) { return TensorList{lt::cumprod(in[0], 1)}; }, {z});
  check([](const TensorList& in) { return TensorList{lt::cumprod(in[0], 0)}; }, {z});
  // The gradient at a zero, by hand: d/dx1 of sum(cumprod([2, 0, 3])) = 2 + 2 * 3.
  Tensor y = leaf(doubles({2, 0, 3}));
  Tensor g = lt::autograd::grad({lt::sum(lt::cumprod(y, 0))}, {y})[0];
  EXPECT_EQ(values(g), (std::vector<double>{1, 8, 0}));
  // Repeated maxima: every position that took its value from an element adds up there.
  Tensor c = leaf(doubles({1, 3, 2, 2}));
  Tensor gc = lt::autograd::grad({lt::sum(std::get<0>(lt::cummax(c, 0)))}, {c})[0];
  EXPECT_EQ(values(gc), (std::vector<double>{1, 3, 0, 0}));
  // median(): shared by the elements equal to it.
  Tensor d = leaf(doubles({1, 2, 2, 5}));
  Tensor gd = lt::autograd::grad({lt::median(d)}, {d})[0];
  EXPECT_EQ(values(gd), (std::vector<double>{0, 0.5, 0.5, 0}));
  EXPECT_FALSE(lt::argsort(x).requires_grad());
}

}  // namespace
