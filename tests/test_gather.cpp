// Index-driven operators (gather, scatter, index_select, masked_*, embedding, one_hot),
// vector norms, addcmul / addcdiv and dropout: values by hand, derivatives, errors.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <cmath>
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

TEST(Gather, GatherScatterAndSelect) {
  Tensor x = iota({2, 3});  // 0 1 2 / 3 4 5
  EXPECT_EQ(values(lt::gather(x, 1, longs({2, 0, 1, 1}, {2, 2}))), (std::vector<double>{2, 0, 4, 4}));
  EXPECT_EQ(values(lt::gather(x, 0, longs({1, 0, 1}, {1, 3}))), (std::vector<double>{3, 1, 5}));
  Tensor s = lt::scatter(lt::zeros({2, 3}, DType::Float64), 1, longs({2, 0}, {2, 1}), x);
  EXPECT_EQ(values(s), (std::vector<double>{0, 0, 0, 3, 0, 0}));
  Tensor a = lt::scatter_add(lt::zeros({3}, DType::Float64), 0, longs({0, 0, 2}), lt::ones({3}, DType::Float64));
  EXPECT_EQ(values(a), (std::vector<double>{2, 0, 1}));
  EXPECT_EQ(values(lt::scatter(lt::zeros({3}), 0, longs({1}), 7)), (std::vector<double>{0, 7, 0}));
  EXPECT_EQ(values(lt::index_select(x, 1, longs({2, 2, 0}))), (std::vector<double>{2, 2, 0, 5, 5, 3}));
  Tensor mask = lt::from_vector<bool>({true, false, true});
  EXPECT_EQ(values(lt::masked_fill(x, mask, -1)), (std::vector<double>{-1, 1, -1, -1, 4, -1}));
  EXPECT_EQ(values(lt::masked_select(x, mask)), (std::vector<double>{0, 2, 3, 5}));
  EXPECT_THROW(lt::gather(x, 1, longs({3}, {1, 1})), lt::IndexError);
  EXPECT_THROW(lt::gather(x, 1, longs({0, 0, 0, 0}, {4, 1})), lt::ShapeError);
  EXPECT_THROW(lt::gather(x, 1, lt::zeros({2, 1})), lt::DTypeError);
  EXPECT_THROW(lt::masked_fill(x, lt::ones({3}), 0), lt::DTypeError);
}

TEST(Gather, EmbeddingAndOneHot) {
  Tensor w = iota({4, 2});
  w.requires_grad_();
  Tensor idx = longs({3, 1, 3, 0}, {2, 2});
  Tensor e = lt::embedding(w, idx, 3);
  EXPECT_EQ(e.sizes(), (Shape{2, 2, 2}));
  EXPECT_EQ(values(e), (std::vector<double>{6, 7, 2, 3, 6, 7, 0, 1}));
  Tensor g = lt::autograd::grad({lt::sum(e)}, {w})[0];
  EXPECT_EQ(values(g), (std::vector<double>{1, 1, 1, 1, 0, 0, 0, 0}));  // row 3 is padding
  Tensor h = lt::one_hot(longs({2, 0}));
  EXPECT_EQ(h.dtype(), DType::Int64);
  EXPECT_EQ(values(h), (std::vector<double>{0, 0, 1, 1, 0, 0}));
  EXPECT_EQ(lt::one_hot(longs({1}), 4).sizes(), (Shape{1, 4}));
  EXPECT_THROW(lt::one_hot(longs({4}), 3), lt::IndexError);
}

TEST(Gather, EmbeddingBackwardKernelMatchesIndex) {
  // Many repeated indices over threads' row ranges; the kernel's sums against index's
  // derivative (index_put with accumulate), then derivatives of both orders.
  lt::manual_seed(3);
  for (int64_t pad : {-1, 5}) {
    Tensor w = lt::randn({50, 300}, DType::Float64);
    w.requires_grad_();
    Tensor idx = lt::randint(0, 50, {40, 30});
    Tensor g = lt::randn({40, 30, 300}, DType::Float64);
    Tensor dw = lt::autograd::grad({lt::embedding(w, idx, pad < 0 ? std::nullopt : std::optional<int64_t>(pad))},
                                   {w}, {g})[0];
    Tensor ref = lt::autograd::grad({lt::index(w, {idx})}, {w}, {g})[0];
    if (pad >= 0) ref.narrow(0, pad, 1).fill_(0);
    EXPECT_LT(lt::amax(lt::abs(dw - ref)).item<double>(), 1e-12);
  }
  Tensor w = lt::randn({6, 3}, DType::Float64);
  w.requires_grad_();
  Tensor idx = longs({1, 4, 1, 2, 5, 1}, {2, 3});
  // padding_idx 0 is never picked (finite differences would see its row move).
  auto f = [idx](const TensorList& in) { return TensorList{lt::embedding(in[0], idx, 0) * lt::embedding(in[0], idx, 0)}; };
  EXPECT_TRUE(lt::autograd::gradcheck(f, {w}));
  EXPECT_TRUE(lt::autograd::gradgradcheck(f, {w}));
}

TEST(Gather, NormsAndFriends) {
  Tensor x = lt::from_vector<double>({3, -4, 0, 0}, {2, 2});
  EXPECT_EQ(values(lt::norm(x, 2, {1})), (std::vector<double>{5, 0}));
  EXPECT_EQ(values(lt::norm(x, 1, {1})), (std::vector<double>{7, 0}));
  EXPECT_EQ(values(lt::norm(x, INFINITY, {1})), (std::vector<double>{4, 0}));
  EXPECT_EQ(lt::norm(x).item<double>(), 5);
  x.requires_grad_();
  Tensor g = lt::autograd::grad({lt::sum(lt::norm(x, 2, {1}))}, {x})[0];
  EXPECT_EQ(values(g), (std::vector<double>{0.6, -0.8, 0, 0}));  // 0, not NaN, at the zero vector
  Tensor n = lt::normalize(x.detach(), 2, 1);
  EXPECT_EQ(values(n), (std::vector<double>{0.6, -0.8, 0, 0}));
  Tensor c = lt::cosine_similarity(lt::from_vector<double>({1, 0}, {1, 2}), lt::from_vector<double>({1, 1}, {1, 2}));
  EXPECT_NEAR(c.item<double>(), std::sqrt(0.5), 1e-15);
  Tensor a = lt::from_vector<double>({1, 2}), b = lt::from_vector<double>({3, 4});
  EXPECT_EQ(values(lt::addcmul(a, a, b, 2)), (std::vector<double>{7, 18}));
  EXPECT_EQ(values(lt::addcdiv(a, a, b, 2)), (std::vector<double>{1 + 2.0 / 3, 3}));
  EXPECT_THROW(lt::addcdiv(longs({1}), longs({1}), longs({1})), lt::DTypeError);
}

TEST(Gather, Dropout) {
  lt::manual_seed(1);
  Tensor x = lt::ones({10000}, DType::Float64);
  Tensor y = lt::dropout(x, 0.25);
  const double kept = lt::sum(y != 0).item<int64_t>() / 10000.0;
  EXPECT_NEAR(kept, 0.75, 0.02);
  EXPECT_NEAR(lt::amax(y).item<double>(), 1 / 0.75, 1e-15);
  EXPECT_TRUE(lt::dropout(x, 0.5, false).is_same(x));
  EXPECT_EQ(lt::sum(lt::dropout(x, 1)).item<double>(), 0);
  EXPECT_THROW(lt::dropout(x, 1.5), lt::ValueError);
}

TEST(Gather, Derivatives) {
  lt::manual_seed(2);
  auto leaf = [](Shape s) {
    Tensor x = lt::rand(s, DType::Float64) * 4 - 2;
    x.requires_grad_();
    return x;
  };
  Tensor idx = longs({2, 0, 1, 1, 0, 2}, {2, 3});
  auto check = [](const lt::autograd::GradcheckFunction& f, const TensorList& in) {
    EXPECT_TRUE(lt::autograd::gradcheck(f, in));
    EXPECT_TRUE(lt::autograd::gradgradcheck(f, in));
  };
  check([idx](const TensorList& in) { return TensorList{lt::gather(in[0], 1, idx)}; }, {leaf({2, 4})});
  check([idx](const TensorList& in) { return TensorList{lt::scatter_add(in[0], 1, idx, in[1])}; },
        {leaf({2, 4}), leaf({2, 3})});
  check([](const TensorList& in) { return TensorList{lt::norm(in[0], 3, {1})}; }, {leaf({3, 4})});
  check([](const TensorList& in) { return TensorList{lt::normalize(in[0], 2, 1)}; }, {leaf({3, 4})});
  check([](const TensorList& in) { return TensorList{lt::cosine_similarity(in[0], in[1], 1)}; },
        {leaf({3, 4}), leaf({3, 4})});
  check([](const TensorList& in) { return TensorList{lt::addcdiv(in[0], in[1], in[2] + 3, 0.5)}; },
        {leaf({3}), leaf({3}), leaf({3})});
}

}  // namespace
