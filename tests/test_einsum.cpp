// einsum against matmul, sums and diagonals written out; derivatives; errors.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <vector>

#include "reference.h"

namespace {

using lt::DType;
using lt::Shape;
using lt::Tensor;
using lt::autograd::TensorList;

using ref::iota;
std::vector<double> values(const Tensor& t) { return ref::values(t); }
void expect_same(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.sizes(), b.sizes());
  EXPECT_EQ(values(a), values(b));
}

TEST(Einsum, Forms) {
  Tensor a = iota({2, 3}), b = iota({3, 4}) - 5, c = iota({4, 2}) * 0.5;
  expect_same(lt::einsum("ij,jk->ik", {a, b}), lt::matmul(a, b));
  expect_same(lt::einsum("ij,jk", {a, b}), lt::matmul(a, b));         // implicit
  expect_same(lt::einsum("jk,ij", {b, a}), lt::matmul(a, b));         // implicit: alphabetical ik
  expect_same(lt::einsum("ij,jk,kl->il", {a, b, c}), lt::matmul(lt::matmul(a, b), c));
  expect_same(lt::einsum("ij->ji", {a}), a.t());
  expect_same(lt::einsum("ij->", {a}), lt::sum(a));
  expect_same(lt::einsum("ij->j", {a}), lt::sum(a, {0}));
  expect_same(lt::einsum("i,j->ij", {a.select(0, 0), b.select(0, 1)}), lt::outer(a.select(0, 0), b.select(0, 1)));
  Tensor sq = iota({3, 3});
  EXPECT_EQ(lt::einsum("ii", {sq}).item<double>(), 0 + 4 + 8);                   // trace
  expect_same(lt::einsum("ii->i", {sq}), sq.diagonal());
  Tensor cube = iota({2, 2, 2});
  EXPECT_EQ(values(lt::einsum("iii->i", {cube})), (std::vector<double>{0, 7}));
  // ellipsis: batch dims broadcast
  Tensor x = iota({2, 1, 2, 3}), y = iota({4, 3, 2});
  expect_same(lt::einsum("...ij,...jk->...ik", {x, y}), lt::matmul(x, y));
  expect_same(lt::einsum("...ij->...ji", {x}), x.transpose(-1, -2));
  EXPECT_EQ(lt::einsum("i...->...", {x}).sizes(), (Shape{1, 2, 3}));
  expect_same(lt::einsum("...ij,...jk", {x, y}), lt::matmul(x, y));
  // a label of size 1 broadcasts
  expect_same(lt::einsum("i,i->i", {iota({3}), lt::full({1}, 2.0, DType::Float64)}), iota({3}) * 2);
  // integers: products keep the dtype, sums of one operand promote, as torch.einsum
  Tensor ia = lt::arange(6, DType::UInt8).reshape({2, 3});
  EXPECT_EQ(lt::einsum("ij,kj->ik", {ia, ia}).dtype(), DType::UInt8);
  EXPECT_EQ(lt::einsum("ij->i", {ia}).dtype(), DType::Int64);
  EXPECT_EQ(lt::einsum("ij,jk->ik", {lt::zeros({2, 0}), lt::zeros({0, 3})}).sizes(), (Shape{2, 3}));
}

TEST(Einsum, Errors) {
  Tensor a = iota({2, 3});
  EXPECT_THROW(lt::einsum("ij,jk->ik", {a, a}), lt::ShapeError);  // j: 3 vs 2
  EXPECT_THROW(lt::einsum("ij->ik", {a}), lt::ValueError);
  EXPECT_THROW(lt::einsum("ij->ii", {a}), lt::ValueError);
  EXPECT_THROW(lt::einsum("ii->i", {a}), lt::ShapeError);
  EXPECT_THROW(lt::einsum("ijk", {a}), lt::ShapeError);
  EXPECT_THROW(lt::einsum("ij,jk", {a}), lt::ValueError);
  EXPECT_THROW(lt::einsum("i2", {a}), lt::ValueError);
  EXPECT_THROW(lt::einsum("i.j", {a}), lt::ValueError);
  EXPECT_THROW(lt::einsum("ij,ij", {a, a.to(DType::Float32)}), lt::DTypeError);
  try {
    lt::einsum("ij,jk->ik", {a, a});
  } catch (const lt::Error& e) {
    EXPECT_NE(std::string(e.what()).find("[einsum]"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'j'"), std::string::npos) << e.what();
  }
}

TEST(Einsum, Derivatives) {
  lt::manual_seed(5);
  auto leaf = [](Shape s) {
    Tensor x = lt::rand(s, DType::Float64) * 2 - 1;
    x.requires_grad_();
    return x;
  };
  auto check = [](const char* eq, const TensorList& in) {
    auto f = [eq](const TensorList& xs) { return TensorList{lt::einsum(eq, std::vector<Tensor>(xs.begin(), xs.end()))}; };
    EXPECT_TRUE(lt::autograd::gradcheck(f, in)) << eq;
    EXPECT_TRUE(lt::autograd::gradgradcheck(f, in)) << eq;
  };
  check("ij,jk->ik", {leaf({2, 3}), leaf({3, 2})});
  check("bij,bjk->bik", {leaf({2, 2, 3}), leaf({2, 3, 2})});
  check("ii->i", {leaf({3, 3})});
  check("ij,ij->i", {leaf({2, 3}), leaf({2, 3})});
  check("...i,i...->...", {leaf({2, 3}), leaf({3, 2})});
  check("ij,jk,kl", {leaf({2, 3}), leaf({3, 2}), leaf({2, 2})});
}

}  // namespace
