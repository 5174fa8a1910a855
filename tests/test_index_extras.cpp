// index_add, index_copy, masked_scatter, take_along_dim, scatter_reduce and
// repeat_interleave: values by hand, derivatives (gradcheck / gradgradcheck), errors.
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
Tensor doubles(std::vector<double> v, Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<int64_t>(v.size())};
  return lt::from_vector<double>(v, shape);
}
std::vector<double> values(const Tensor& t) { return ref::values(t); }

TEST(IndexExtras, IndexAddAndCopy) {
  Tensor x = lt::zeros({3, 2}, DType::Float64);
  Tensor src = iota({3, 2});  // 0 1 / 2 3 / 4 5
  // duplicates add up
  EXPECT_EQ(values(lt::index_add(x, 0, longs({2, 0, 2}), src)), (std::vector<double>{2, 3, 0, 0, 4, 6}));
  EXPECT_EQ(values(lt::index_add(x, 0, longs({2, 0, 2}), src, 0.5)), (std::vector<double>{1, 1.5, 0, 0, 2, 3}));
  EXPECT_EQ(values(lt::index_add(x, 1, longs({1}), iota({3, 1}))), (std::vector<double>{0, 0, 0, 1, 0, 2}));
  EXPECT_EQ(values(lt::index_copy(x, 0, longs({1, 0, 2}), src)), (std::vector<double>{2, 3, 0, 1, 4, 5}));
  EXPECT_EQ(values(lt::index_copy(x, -1, longs({0}), iota({3, 1}) + 7)), (std::vector<double>{7, 0, 8, 0, 9, 0}));
  EXPECT_EQ(lt::index_add(lt::zeros({}), 0, longs({0}), lt::ones({})).item<float>(), 1);
  EXPECT_THROW(lt::index_add(x, 0, longs({0, 1}), src), lt::ShapeError);         // source too long
  EXPECT_THROW(lt::index_add(x, 0, longs({0, 1, 2}), src.to(DType::Float32)), lt::DTypeError);
  EXPECT_THROW(lt::index_add(x, 0, doubles({0, 1, 2}), src), lt::DTypeError);
  EXPECT_THROW(lt::index_copy(x, 0, longs({0, 1, 3}), src), lt::IndexError);
  EXPECT_THROW(lt::index_copy(x, 2, longs({0, 1, 2}), src), lt::IndexError);
}

TEST(IndexExtras, MaskedScatterAndTakeAlongDim) {
  Tensor x = lt::zeros({2, 3}, DType::Float64);
  Tensor mask = lt::from_vector<bool>({true, false, true});  // broadcast over rows
  EXPECT_EQ(values(lt::masked_scatter(x, mask, iota({5}) + 1)), (std::vector<double>{1, 0, 2, 3, 0, 4}));
  EXPECT_THROW(lt::masked_scatter(x, mask, iota({3})), lt::ShapeError);  // 4 places, 3 values
  EXPECT_THROW(lt::masked_scatter(x, mask.to(DType::Int64), iota({5})), lt::DTypeError);
  Tensor y = iota({2, 3});  // 0 1 2 / 3 4 5
  EXPECT_EQ(values(lt::take_along_dim(y, longs({2, 0}, {1, 2}), 1)), (std::vector<double>{2, 0, 5, 3}));
  EXPECT_EQ(values(lt::take_along_dim(y, longs({5, 0, 4}))), (std::vector<double>{5, 0, 4}));
  EXPECT_EQ(values(lt::take_along_dim(y, longs({1}, {1, 1}), 0)), (std::vector<double>{3, 4, 5}));
  EXPECT_THROW(lt::take_along_dim(y, longs({1}), 0), lt::ShapeError);
  EXPECT_THROW(lt::take_along_dim(y, longs({3}, {1, 1}), 1), lt::IndexError);
}

TEST(IndexExtras, ScatterReduce) {
  Tensor x = doubles({1, 2, 3, 4});
  Tensor idx = longs({0, 0, 2, 3, 3});
  Tensor src = doubles({5, -6, 7, 0.5, 8});
  auto run = [&](const char* r, bool self) { return values(lt::scatter_reduce(x, 0, idx, src, r, self)); };
  EXPECT_EQ(run("sum", true), (std::vector<double>{0, 2, 10, 12.5}));
  EXPECT_EQ(run("sum", false), (std::vector<double>{-1, 2, 7, 8.5}));
  EXPECT_EQ(run("prod", true), (std::vector<double>{-30, 2, 21, 16}));
  EXPECT_EQ(run("prod", false), (std::vector<double>{-30, 2, 7, 4}));
  EXPECT_EQ(run("mean", true), (std::vector<double>{0, 2, 5, 12.5 / 3}));
  EXPECT_EQ(run("mean", false), (std::vector<double>{-0.5, 2, 7, 4.25}));
  EXPECT_EQ(run("amax", true), (std::vector<double>{5, 2, 7, 8}));
  EXPECT_EQ(run("amin", true), (std::vector<double>{-6, 2, 3, 0.5}));
  EXPECT_EQ(run("amin", false), (std::vector<double>{-6, 2, 7, 0.5}));
  // integers: mean floors; the identity of amax is the dtype's lowest
  Tensor xi = longs({-1, 2, 3});
  EXPECT_EQ(values(lt::scatter_reduce(xi, 0, longs({0, 0}), longs({-4, -6}), "mean")), (std::vector<double>{-4, 2, 3}));
  EXPECT_EQ(values(lt::scatter_reduce(xi, 0, longs({1}), longs({-9}), "amax", false)), (std::vector<double>{-1, -9, 3}));
  EXPECT_EQ(lt::scatter_reduce(xi, 0, longs({1}), longs({9}), "sum").dtype(), DType::Int64);
  // NaN wins amax and amin
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(std::isnan(values(lt::scatter_reduce(x, 0, longs({1}), doubles({nan}), "amax"))[1]));
  // 2-D along dim 1, src larger than index
  Tensor y = lt::scatter_reduce(lt::zeros({2, 2}, DType::Float64), 1, longs({1, 1, 0, 1}, {2, 2}), iota({2, 3}), "sum");
  EXPECT_EQ(values(y), (std::vector<double>{0, 1, 3, 4}));
  EXPECT_THROW(lt::scatter_reduce(x, 0, idx, src, "max"), lt::ValueError);
  EXPECT_THROW(lt::scatter_reduce(x, 0, longs({4}), doubles({1}), "sum"), lt::IndexError);
  EXPECT_THROW(lt::scatter_reduce(x, 0, idx, src.to(DType::Float32), "sum"), lt::DTypeError);
  EXPECT_THROW(lt::scatter_reduce(x, 0, longs({0, 1}, {1, 2}), src, "sum"), lt::ShapeError);
}

TEST(IndexExtras, RepeatInterleave) {
  Tensor x = iota({2, 2});  // 0 1 / 2 3
  EXPECT_EQ(values(lt::repeat_interleave(x, 2)), (std::vector<double>{0, 0, 1, 1, 2, 2, 3, 3}));
  EXPECT_EQ(values(lt::repeat_interleave(x, longs({1, 2}), 0)), (std::vector<double>{0, 1, 2, 3, 2, 3}));
  EXPECT_EQ(values(lt::repeat_interleave(x, longs({0, 3}), 1)), (std::vector<double>{1, 1, 1, 3, 3, 3}));
  EXPECT_EQ(values(lt::repeat_interleave(longs({2, 0, 1}))), (std::vector<double>{0, 0, 2}));
  EXPECT_EQ(lt::repeat_interleave(x, 0, 1).sizes(), (Shape{2, 0}));
  EXPECT_THROW(lt::repeat_interleave(x, longs({1, 2, 3}), 0), lt::ShapeError);
  EXPECT_THROW(lt::repeat_interleave(x, longs({1, -1}), 0), lt::ValueError);
  EXPECT_THROW(lt::repeat_interleave(x, 1, 2), lt::IndexError);
}

TEST(IndexExtras, Derivatives) {
  lt::manual_seed(4);
  auto leaf = [](Shape s) {
    Tensor x = lt::rand(s, DType::Float64) * 4 - 2;
    x.requires_grad_();
    return x;
  };
  auto check = [](const lt::autograd::GradcheckFunction& f, const TensorList& in) {
    EXPECT_TRUE(lt::autograd::gradcheck(f, in));
    EXPECT_TRUE(lt::autograd::gradgradcheck(f, in));
  };
  Tensor idx = longs({2, 0, 2});
  check([idx](const TensorList& in) { return TensorList{lt::index_add(in[0], 0, idx, in[1], 1.5)}; },
        {leaf({3, 2}), leaf({3, 2})});
  check([](const TensorList& in) { return TensorList{lt::index_copy(in[0], 1, longs({2, 0}), in[1])}; },
        {leaf({2, 3}), leaf({2, 2})});
  Tensor mask = lt::from_vector<bool>({true, false, true, true}, {2, 2});
  check([mask](const TensorList& in) { return TensorList{lt::masked_scatter(in[0], mask, in[1])}; },
        {leaf({2, 2}), leaf({5})});
  check([](const TensorList& in) { return TensorList{lt::take_along_dim(in[0], longs({1, 1, 0}, {1, 3}), 0)}; },
        {leaf({2, 3})});
  check([](const TensorList& in) { return TensorList{lt::repeat_interleave(in[0], longs({2, 0, 1}), 1)}; },
        {leaf({2, 3})});
  Tensor sidx = longs({0, 2, 0, 1, 1, 1}, {2, 3});
  for (const char* r : {"sum", "mean", "amax", "amin", "prod"}) {
    for (bool self : {true, false}) {
      check([sidx, r, self](const TensorList& in) { return TensorList{lt::scatter_reduce(in[0], 0, sidx, in[1], r, self)}; },
            {leaf({3, 3}), leaf({2, 3})});
    }
  }
  // prod with zeros: the product of the others, not 0/0
  Tensor x = doubles({0, 3}), src = doubles({2, 0, 5});
  x.requires_grad_();
  src.requires_grad_();
  TensorList g = lt::autograd::grad({lt::sum(lt::scatter_reduce(x, 0, longs({0, 1, 1}), src, "prod"))}, {x, src});
  EXPECT_EQ(values(g[0]), (std::vector<double>{2, 0}));
  EXPECT_EQ(values(g[1]), (std::vector<double>{0, 15, 0}));
  // two zeros of src on one place: the first derivative is right, a second one refused
  Tensor two = doubles({0, 0, 5});
  two.requires_grad_();
  auto prod_of = [&](const Tensor& s) { return lt::sum(lt::scatter_reduce(doubles({1}), 0, longs({0, 0, 0}), s, "prod")); };
  Tensor g1 = lt::autograd::grad({prod_of(two)}, {two})[0];
  EXPECT_EQ(values(g1), (std::vector<double>{0, 0, 0}));
  Tensor g2 = lt::autograd::grad({prod_of(two)}, {two}, {}, true, true)[0];
  EXPECT_THROW(lt::autograd::grad({lt::sum(g2)}, {two}), lt::ValueError);
}

}  // namespace
