// Loss functions: values worked out by hand, reductions, ignore_index, weights, label
// smoothing, derivatives of both orders, finite gradients at the edges, and errors.
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

double item(const Tensor& t) { return t.to(DType::Float64).item<double>(); }

Tensor vec(std::vector<double> v, Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<int64_t>(v.size())};
  return lt::from_vector<double>(v, shape);
}

TEST(Loss, ElementwiseLossesByHand) {
  Tensor x = vec({0, 1, 4}), y = vec({1, 1, 1});
  EXPECT_DOUBLE_EQ(item(lt::mse_loss(x, y)), (1 + 0 + 9) / 3.0);
  EXPECT_DOUBLE_EQ(item(lt::mse_loss(x, y, "sum")), 10);
  EXPECT_EQ(lt::mse_loss(x, y, "none").sizes(), Shape{3});
  EXPECT_DOUBLE_EQ(item(lt::l1_loss(x, y)), 4 / 3.0);
  EXPECT_DOUBLE_EQ(item(lt::smooth_l1_loss(x, y, "sum", 2)), 0.5 * 1 / 2 + (3 - 1));
  EXPECT_DOUBLE_EQ(item(lt::smooth_l1_loss(x, y, "sum", 0)), 4);
  EXPECT_DOUBLE_EQ(item(lt::huber_loss(x, y, "sum", 2)), 0.5 + 2 * (3 - 1));
  Tensor p = vec({0.25, 0.5}), t = vec({1, 0});
  EXPECT_NEAR(item(lt::binary_cross_entropy(p, t, std::nullopt, "sum")), -std::log(0.25) - std::log(0.5), 1e-15);
  Tensor logits = vec({-1, 2});
  const double expected = std::log1p(std::exp(1.0)) + std::log1p(std::exp(2.0));  // t = 1 at -1, t = 0 at 2
  EXPECT_NEAR(item(lt::binary_cross_entropy_with_logits(logits, t, std::nullopt, std::nullopt, "sum")), expected, 1e-14);
  // pos_weight scales the positive term only.
  EXPECT_NEAR(item(lt::binary_cross_entropy_with_logits(logits, t, std::nullopt, vec({3, 3}), "sum")),
              3 * std::log1p(std::exp(1.0)) + std::log1p(std::exp(2.0)), 1e-14);
  Tensor logq = lt::log(vec({0.5, 0.5})), target = vec({0.25, 0.75});
  EXPECT_NEAR(item(lt::kl_div(logq, target, "sum")), 0.25 * std::log(0.5) + 0.75 * std::log(1.5), 1e-15);
  EXPECT_NEAR(item(lt::kl_div(logq, lt::log(target), "sum", true)), 0.25 * std::log(0.5) + 0.75 * std::log(1.5),
              1e-15);
}

TEST(Loss, ClassificationByHand) {
  Tensor logits = vec({1, 2, 3, 1, 1, 1}, {2, 3});
  Tensor target = lt::from_vector<int64_t>({2, 0});
  const double lse0 = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)), lse1 = 1 + std::log(3.0);
  const double l0 = lse0 - 3, l1 = lse1 - 1;
  EXPECT_NEAR(item(lt::cross_entropy(logits, target)), (l0 + l1) / 2, 1e-14);
  Tensor w = vec({2, 1, 0.5});
  // mean divides by the weights taken: (0.5 l0 + 2 l1) / 2.5.
  EXPECT_NEAR(item(lt::cross_entropy(logits, target, w)), (0.5 * l0 + 2 * l1) / 2.5, 1e-14);
  Tensor ignoring = lt::from_vector<int64_t>({2, -100});
  EXPECT_NEAR(item(lt::cross_entropy(logits, ignoring)), l0, 1e-14);
  EXPECT_EQ(item(lt::cross_entropy(logits, ignoring, std::nullopt, -100, "none").select(0, 1)), 0);
  // Label smoothing: (1 - e) nll + e / C * (-sum of log-probabilities), averaged.
  const double e = 0.3, s0 = 3 * lse0 - 6, s1 = 3 * lse1 - 3;
  EXPECT_NEAR(item(lt::cross_entropy(logits, target, std::nullopt, -100, "mean", e)),
              (1 - e) * (l0 + l1) / 2 + e / 3 * (s0 + s1) / 2, 1e-14);
  // Probabilities as the target.
  Tensor probs = vec({0, 0, 1, 1, 0, 0}, {2, 3});
  EXPECT_NEAR(item(lt::cross_entropy(logits, probs)), (l0 + l1) / 2, 1e-14);
  // Class dim 1 of an (N, C, d) input.
  Tensor spatial = lt::randn({2, 3, 4}, DType::Float64);
  Tensor classes = lt::randint(0, 3, {2, 4});
  Tensor flat = lt::cross_entropy(spatial.permute({0, 2, 1}).reshape({8, 3}), classes.reshape({8}), std::nullopt, -100,
                                  "none");
  EXPECT_TRUE(ref::matches(lt::cross_entropy(spatial, classes, std::nullopt, -100, "none").reshape({8}),
                           ref::Expected{{8}, ref::values(flat)}, DType::Float64, {0, 1e-15, 0}));
  EXPECT_NEAR(item(lt::nll_loss(lt::log_softmax(logits, 1), target)), (l0 + l1) / 2, 1e-14);
}

TEST(Loss, Derivatives) {
  lt::manual_seed(9);
  auto leaf = [](Tensor t) {
    t.requires_grad_();
    return t;
  };
  Tensor x = leaf(lt::randn({3, 4}, DType::Float64)), y = leaf(lt::randn({3, 4}, DType::Float64));
  Tensor p = leaf(lt::rand({3, 4}, DType::Float64) * 0.8 + 0.1), t = leaf(lt::rand({3, 4}, DType::Float64));
  Tensor classes = lt::from_vector<int64_t>({0, 3, 1});
  Tensor w = lt::rand({4}, DType::Float64) + 0.5;
  const std::vector<std::pair<lt::autograd::GradcheckFunction, TensorList>> cases = {
      {[](const TensorList& in) { return TensorList{lt::mse_loss(in[0], in[1])}; }, {x, y}},
      {[](const TensorList& in) { return TensorList{lt::smooth_l1_loss(in[0], in[1], "sum", 0.5)}; }, {x, y}},
      {[](const TensorList& in) { return TensorList{lt::huber_loss(in[0], in[1], "mean", 0.5)}; }, {x, y}},
      {[](const TensorList& in) { return TensorList{lt::binary_cross_entropy(in[0], in[1])}; }, {p, t}},
      {[w](const TensorList& in) {
         return TensorList{lt::binary_cross_entropy_with_logits(in[0], in[1], std::nullopt, w, "sum")};
       }, {x, t}},
      {[](const TensorList& in) { return TensorList{lt::kl_div(in[0], in[1], "batchmean")}; }, {x, p}},
      {[classes, w](const TensorList& in) {
         return TensorList{lt::cross_entropy(in[0], classes, w, -100, "mean", 0.2)};
       }, {x}},
      {[](const TensorList& in) { return TensorList{lt::cross_entropy(in[0], lt::softmax(in[1], 1))}; }, {x, y}},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_TRUE(lt::autograd::gradcheck(cases[i].first, cases[i].second)) << i;
    EXPECT_TRUE(lt::autograd::gradgradcheck(cases[i].first, cases[i].second)) << i;
  }
}

// The composition cross_entropy is defined as: nll_loss of log_softmax, blended with the
// smoothing term -sum_c w_c log p_c (PyTorch's reductions of it).
Tensor cross_entropy_composition(const Tensor& x, const Tensor& t, const std::optional<Tensor>& w, int64_t ignore,
                                 const std::string& reduction, double eps) {
  Tensor logp = lt::log_softmax(x, 1);
  Tensor nll = lt::nll_loss(logp, t, w, ignore, reduction);
  if (eps == 0) return nll;
  Shape along(x.dim(), 1);
  along[1] = x.size(1);
  Tensor smooth = -lt::sum(w ? logp * w->view(along) : logp, {1});
  smooth = lt::where(t == ignore, lt::zeros({}, smooth.dtype()), smooth);
  Tensor reduced = reduction == "none" ? smooth : reduction == "sum" ? lt::sum(smooth) : lt::Tensor();
  if (reduction == "mean") {
    Tensor taken = w ? lt::where(t == ignore, lt::zeros({}, x.dtype()), lt::index(*w, {lt::where(t == ignore, lt::Scalar(0), t)}))
                     : lt::Tensor();
    reduced = w ? lt::sum(smooth) / lt::sum(taken) : lt::mean(smooth);
  }
  return nll * (1 - eps) + reduced * (eps / static_cast<double>(x.size(1)));
}

TEST(Loss, FusedCrossEntropyMatchesTheComposition) {
  lt::manual_seed(11);
  for (DType dtype : {DType::Float64, DType::Float32}) {
    for (const Shape& shape : {Shape{6, 5}, Shape{3, 4, 2, 3}, Shape{0, 3}}) {
      for (double eps : {0.0, 0.3}) {
        for (bool weighted : {false, true}) {
          for (const char* reduction : {"none", "mean", "sum"}) {
            Tensor x = (lt::randn(shape, DType::Float64) * 3).to(dtype);
            x.requires_grad_();
            Shape tshape = shape;
            tshape.erase(tshape.begin() + 1);
            Tensor t = lt::randint(0, shape[1], tshape);
            if (t.numel() > 1) t.view({-1}).narrow(0, 0, 1).fill_(-100);  // one ignored row
            std::optional<Tensor> w;
            if (weighted) w = (lt::rand({shape[1]}, DType::Float64) + 0.5).to(dtype);
            Tensor fused = lt::cross_entropy(x, t, w, -100, reduction, eps);
            Tensor reference = cross_entropy_composition(x, t, w, -100, reduction, eps);
            const double tol = dtype == DType::Float64 ? 1e-12 : 1e-5;
            ASSERT_EQ(fused.sizes(), reference.sizes());
            if (fused.numel() == 0 || x.numel() == 0) continue;
            EXPECT_LT(lt::amax(lt::abs(fused - reference)).item<double>(), tol) << reduction << eps << weighted;
            Tensor g = lt::randn(fused.sizes(), dtype);
            Tensor gf = lt::autograd::grad({fused}, {x}, {g})[0], gr = lt::autograd::grad({reference}, {x}, {g})[0];
            EXPECT_LT(lt::amax(lt::abs(gf - gr)).item<double>(), tol) << reduction << eps << weighted;
          }
        }
      }
    }
  }
}

TEST(Loss, EdgesKeepGradientsFinite) {
  Tensor p = vec({0, 1, 0.5});
  p.requires_grad_();
  Tensor loss = lt::binary_cross_entropy(p, vec({1, 0, 1}));
  EXPECT_NEAR(item(loss), 200.0 / 3 + std::log(2.0) / 3, 1e-12);  // log clamped at -100
  Tensor g = lt::autograd::grad({loss}, {p})[0];
  EXPECT_TRUE(lt::all(lt::isfinite(g)).item<bool>()) << g.str();
  Tensor x = vec({-1000, 0, 1000});
  x.requires_grad_();
  Tensor l = lt::binary_cross_entropy_with_logits(x, vec({1, 1, 0}));
  EXPECT_TRUE(std::isfinite(item(l)));
  Tensor gx = lt::autograd::grad({l}, {x})[0];
  EXPECT_NEAR(gx.data_ptr<double>()[1], (0.5 - 1) / 3, 1e-15);  // sigmoid(0) - t, exactly at 0
}

TEST(Loss, Errors) {
  EXPECT_THROW(lt::mse_loss(lt::ones({2}), lt::ones({3})), lt::ShapeError);
  EXPECT_THROW(lt::mse_loss(lt::ones({2}), lt::ones({2}), "avg"), lt::ValueError);
  EXPECT_THROW(lt::binary_cross_entropy(lt::full({2}, 1.5), lt::ones({2})), lt::ValueError);
  Tensor logits = lt::zeros({2, 3});
  EXPECT_THROW(lt::cross_entropy(logits, lt::from_vector<int64_t>({0, 3})), lt::IndexError);
  EXPECT_THROW(lt::cross_entropy(logits, lt::from_vector<int64_t>({0, 1, 2})), lt::ShapeError);
  EXPECT_THROW(lt::cross_entropy(logits, lt::from_vector<int64_t>({0, 1}), lt::ones({2})), lt::ShapeError);
  EXPECT_THROW(lt::cross_entropy(logits, lt::from_vector<int64_t>({0, 1}), std::nullopt, -100, "mean", 1.5),
               lt::ValueError);
  EXPECT_THROW(lt::nll_loss(logits, lt::ones({2})), lt::DTypeError);
}

}  // namespace
