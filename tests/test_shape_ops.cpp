// Joining, splitting and rearranging: values against index arithmetic, views where
// PyTorch gives views, derivatives, and errors.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <vector>

#include "reference.h"

namespace {

using lt::DType;
using lt::Shape;
using lt::Tensor;
using lt::autograd::TensorList;

Tensor iota(Shape shape, DType t = DType::Float64) { return lt::arange(ref::numel_of(shape), t).reshape(shape); }

std::vector<double> values(const Tensor& t) { return ref::values(t); }

Tensor leaf(Shape shape) {
  Tensor x = lt::rand(shape, DType::Float64) * 4 - 2;
  x.requires_grad_();
  return x;
}

void check_both_orders(const lt::autograd::GradcheckFunction& f, const TensorList& inputs) {
  EXPECT_TRUE(lt::autograd::gradcheck(f, inputs));
  EXPECT_TRUE(lt::autograd::gradgradcheck(f, inputs));
}

TEST(Cat, JoinsPromotesAndSkipsLegacyEmpties) {
  Tensor a = iota({2, 2}), b = iota({2, 1}, DType::Int32) + 10;
  Tensor c = lt::cat({a, b}, 1);
  EXPECT_EQ(c.dtype(), DType::Float64);
  EXPECT_EQ(values(c), (std::vector<double>{0, 1, 10, 2, 3, 11}));
  EXPECT_EQ(lt::cat({a, lt::zeros({0}), a}, -2).sizes(), (Shape{4, 2}));
  EXPECT_EQ(lt::cat({lt::zeros({0}), lt::zeros({0})}).sizes(), (Shape{0}));
  Tensor s = lt::stack({a, a * 2}, 1);
  EXPECT_EQ(s.sizes(), (Shape{2, 2, 2}));
  EXPECT_EQ(values(s), (std::vector<double>{0, 1, 0, 2, 2, 3, 4, 6}));
}

TEST(Cat, Errors) {
  EXPECT_THROW(lt::cat({}), lt::ValueError);
  EXPECT_THROW(lt::cat({lt::ones({2, 2}), lt::ones({3, 3})}, 0), lt::ShapeError);
  EXPECT_THROW(lt::cat({lt::ones({2, 2}), lt::ones({2})}, 0), lt::ShapeError);
  EXPECT_THROW(lt::cat({lt::ones({}), lt::ones({})}), lt::ShapeError);
  EXPECT_THROW(lt::cat({lt::ones({2}), lt::ones({2})}, 1), lt::IndexError);
  EXPECT_THROW(lt::stack({lt::ones({2}), lt::ones({3})}), lt::ShapeError);
}

TEST(Split, ViewsOfConsecutiveSlices) {
  Tensor x = iota({5, 2});
  std::vector<Tensor> parts = lt::split(x, 2);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[2].sizes(), (Shape{1, 2}));
  EXPECT_EQ(parts[1].data_ptr<double>(), x.data_ptr<double>() + 4);  // a view
  std::vector<Tensor> sized = lt::split(x, lt::IntList{1, 4});
  EXPECT_EQ(sized[1].sizes(), (Shape{4, 2}));
  EXPECT_THROW(lt::split(x, lt::IntList{1, 3}), lt::ShapeError);
  EXPECT_THROW(lt::split(x, 0), lt::ValueError);
  EXPECT_EQ(lt::chunk(x, 3).size(), 3u);
  EXPECT_EQ(lt::chunk(iota({6}), 4).size(), 3u);  // size 2 each, as PyTorch
  EXPECT_EQ(lt::chunk(x, 2, 1)[1].sizes(), (Shape{5, 1}));
  std::vector<Tensor> rows = lt::unbind(x, 1);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(values(rows[1]), (std::vector<double>{1, 3, 5, 7, 9}));
}

TEST(Rearrange, MovedimRepeatTileRoll) {
  Tensor x = iota({2, 3, 4});
  EXPECT_EQ(lt::movedim(x, {0}, {2}).sizes(), (Shape{3, 4, 2}));
  EXPECT_EQ(lt::movedim(x, {0, 1}, {2, 0}).sizes(), (Shape{3, 4, 2}));
  EXPECT_THROW(lt::movedim(x, {0, 0}, {1, 2}), lt::ValueError);
  Tensor r = lt::repeat(iota({2}), {2, 3});
  EXPECT_EQ(r.sizes(), (Shape{2, 6}));
  EXPECT_EQ(values(r), (std::vector<double>{0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}));
  EXPECT_THROW(lt::repeat(x, {2}), lt::ShapeError);
  EXPECT_EQ(lt::tile(x, {2}).sizes(), (Shape{2, 3, 8}));
  EXPECT_EQ(values(lt::roll(iota({5}), {2})), (std::vector<double>{3, 4, 0, 1, 2}));
  EXPECT_EQ(values(lt::roll(iota({5}), {-1})), (std::vector<double>{1, 2, 3, 4, 0}));
  EXPECT_EQ(values(lt::roll(iota({2, 2}), {1})), (std::vector<double>{3, 0, 1, 2}));  // flattened
  EXPECT_EQ(values(lt::roll(iota({2, 2}), {1, 1}, {0, 1})), (std::vector<double>{3, 2, 1, 0}));
}

TEST(Rearrange, Triangles) {
  Tensor x = iota({3, 3}) + 1;
  EXPECT_EQ(values(lt::tril(x)), (std::vector<double>{1, 0, 0, 4, 5, 0, 7, 8, 9}));
  EXPECT_EQ(values(lt::triu(x, 1)), (std::vector<double>{0, 2, 3, 0, 0, 6, 0, 0, 0}));
  EXPECT_EQ(values(lt::tril(x, -1)), (std::vector<double>{0, 0, 0, 4, 0, 0, 7, 8, 0}));
  EXPECT_EQ(lt::tril(lt::ones({2, 2}, DType::Bool)).dtype(), DType::Bool);
  EXPECT_THROW(lt::tril(lt::ones({3})), lt::ShapeError);
}

TEST(ShapeOps, Derivatives) {
  lt::manual_seed(11);
  check_both_orders([](const TensorList& in) { return TensorList{lt::cat({in[0], in[1]}, 1)}; },
                    {leaf({2, 3}), leaf({2, 2})});
  check_both_orders([](const TensorList& in) { return TensorList{lt::stack({in[0], in[1]}, -1)}; },
                    {leaf({2, 3}), leaf({2, 3})});
  check_both_orders([](const TensorList& in) { return lt::split(in[0], 2, 1); }, {leaf({2, 5})});
  check_both_orders([](const TensorList& in) { return lt::unbind(in[0], 0); }, {leaf({3, 2})});
  check_both_orders([](const TensorList& in) { return TensorList{lt::repeat(in[0], {2, 1, 3})}; }, {leaf({2, 2})});
  check_both_orders([](const TensorList& in) { return TensorList{lt::roll(in[0], {1, -2}, {0, 1})}; }, {leaf({3, 4})});
  check_both_orders([](const TensorList& in) { return TensorList{lt::triu(in[0], 1)}; }, {leaf({3, 4})});
  Tensor a = leaf({2}), b = leaf({3});
  EXPECT_EQ(lt::cat({a, b}).grad_fn()->name(), "CatBackward0");
}

}  // namespace
