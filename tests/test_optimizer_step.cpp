// The fused optimizer steps against their formulas written with operators, and their
// argument checks. (tests/python/test_optim.py compares whole optimizers with PyTorch's.)
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <cmath>
#include <limits>
#include <vector>

namespace {

using lt::DType;
using lt::Tensor;

double max_error(const Tensor& a, const Tensor& b) { return lt::amax(lt::abs(a - b)).item<double>(); }

TEST(OptimizerStep, AdamMatchesItsFormula) {
  lt::manual_seed(5);
  for (bool decoupled : {false, true}) {
    for (bool amsgrad : {false, true}) {
      // Two parameters, one larger than a block, so that blocks split across threads.
      std::vector<Tensor> p{lt::randn({3, 5}, DType::Float64), lt::randn({40000}, DType::Float64)};
      std::vector<Tensor> g, m, v, vmax, expected;
      for (const Tensor& x : p) {
        g.push_back(lt::randn(x.sizes(), DType::Float64));
        m.push_back(lt::randn(x.sizes(), DType::Float64) * 0.1);
        v.push_back(lt::rand(x.sizes(), DType::Float64) * 0.1);
        vmax.push_back(v.back() + lt::rand(x.sizes(), DType::Float64) * 0.05);
      }
      const double lr = 0.01, b1 = 0.9, b2 = 0.99, eps = 1e-8, wd = 0.1;
      const int64_t step = 3;
      for (size_t i = 0; i < p.size(); ++i) {
        Tensor param = decoupled ? p[i] * (1 - lr * wd) : p[i];
        Tensor grad = decoupled ? -g[i] : -g[i] + param * wd;  // maximize
        Tensor mi = m[i] * b1 + grad * (1 - b1), vi = v[i] * b2 + grad * grad * (1 - b2);
        Tensor second = amsgrad ? lt::maximum(vmax[i], vi) : vi;
        expected.push_back(param - mi / (lt::sqrt(second) / std::sqrt(1 - std::pow(b2, step)) + eps) * lr /
                                       (1 - std::pow(b1, step)));
      }
      lt::_fused_adam_(p, g, m, v, amsgrad ? vmax : std::vector<Tensor>{}, step, lr, b1, b2, eps, wd, amsgrad, true,
                       decoupled);
      for (size_t i = 0; i < p.size(); ++i) EXPECT_LT(max_error(p[i], expected[i]), 1e-14) << decoupled << amsgrad;
    }
  }
}

TEST(OptimizerStep, SgdMatchesItsFormula) {
  for (bool nesterov : {false, true}) {
    Tensor p = lt::randn({1000}, DType::Float32), g = lt::randn({1000}, DType::Float32);
    Tensor buf = lt::randn({1000}, DType::Float32);
    Tensor d = g + p * 0.01f, b = buf * 0.9f + d * 0.8f;
    Tensor expected = p - (nesterov ? d + b * 0.9f : b) * 0.1f;
    std::vector<Tensor> ps{p}, gs{g}, bufs{buf};
    lt::_fused_sgd_(ps, gs, bufs, 0.1, 0.9, 0.2, 0.01, nesterov, false, false);
    EXPECT_LT(max_error(p, expected), 1e-6);
    EXPECT_LT(max_error(buf, b), 1e-6);
  }
  // The first step starts the buffer at the gradient; without momentum there is none.
  Tensor p = lt::ones({4}), g = lt::full({4}, 2.0f), buf = lt::zeros({4});
  std::vector<Tensor> ps{p}, gs{g}, bufs{buf};
  lt::_fused_sgd_(ps, gs, bufs, 0.5, 0.9, 0.5, 0, false, false, true);
  EXPECT_EQ(lt::sum(buf).item<float>(), 8);
  EXPECT_EQ(lt::sum(p).item<float>(), 0);
  lt::_fused_sgd_(ps, gs, {}, 0.5, 0, 0, 0, false, true, false);  // maximize
  EXPECT_EQ(lt::sum(p).item<float>(), 4);
}

TEST(OptimizerStep, Errors) {
  std::vector<Tensor> p{lt::zeros({3})}, wrong{lt::zeros({4})}, ints{lt::zeros({3}, DType::Int64)};
  EXPECT_THROW(lt::_fused_sgd_(p, wrong, {}, 0.1, 0, 0, 0, false, false, false), lt::ShapeError);
  EXPECT_THROW(lt::_fused_sgd_(ints, ints, {}, 0.1, 0, 0, 0, false, false, false), lt::DTypeError);
  EXPECT_THROW(lt::_fused_sgd_(p, p, {}, 0.1, 0.9, 0, 0, false, false, false), lt::ValueError);
  std::vector<Tensor> strided{lt::zeros({3, 2}).select(1, 0)};
  EXPECT_THROW(lt::_fused_sgd_(strided, p, {}, 0.1, 0, 0, 0, false, false, false), lt::ShapeError);
  // A gradient in any layout is read as it lies.
  std::vector<Tensor> q{lt::ones({2, 3})}, transposed{lt::full({3, 2}, 2.0f).t()};
  lt::_fused_sgd_(q, transposed, {}, 0.5, 0, 0, 0, false, false, false);
  EXPECT_EQ(lt::sum(q[0]).item<float>(), 0);
  EXPECT_THROW(lt::_fused_adam_(p, p, p, p, {}, 0, 0.1, 0.9, 0.99, 1e-8, 0, false, false, false), lt::ValueError);
  EXPECT_THROW(lt::_fused_adam_(p, p, p, p, {}, 1, 0.1, 0.9, 0.99, 1e-8, 0, true, false, false), lt::ValueError);
}

TEST(OptimizerStep, UnscaleChecksThenScales) {
  const float inf = std::numeric_limits<float>::infinity();
  // Large and small gradients (several blocks), float64, a strided and a float16 one
  // (through the composition), and an empty one.
  Tensor big = lt::full({40000}, 4.0f), f64 = lt::full({5}, 2.0, DType::Float64);
  Tensor strided = lt::full({3, 2}, 8.0f).t(), half = lt::full({3}, 2.0, DType::Float16), empty = lt::zeros({0});
  Tensor found = lt::zeros({1}), inv = lt::full({1}, 0.25f);
  lt::_amp_foreach_non_finite_check_and_unscale_({big, f64, strided, half, empty}, found, inv);
  EXPECT_EQ(found.item<float>(), 0);
  EXPECT_EQ(lt::sum(big).item<float>(), 40000);
  EXPECT_EQ(lt::sum(f64).item<double>(), 2.5);
  EXPECT_EQ(lt::sum(strided).item<float>(), 12);
  EXPECT_EQ(lt::sum(half).item<float>(), 1.5);
  // An inf in one float32 gradient, a NaN in the composition's: found, the rest scaled.
  big.view({-1}).select(0, 39999).fill_(inf);
  lt::_amp_foreach_non_finite_check_and_unscale_({big}, found, inv);
  EXPECT_EQ(found.item<float>(), 1);
  EXPECT_EQ(big.select(0, 0).item<float>(), 0.25f);
  Tensor found2 = lt::zeros({1});
  half.select(0, 1).fill_(std::nan(""));
  lt::_amp_foreach_non_finite_check_and_unscale_({half}, found2, inv);
  EXPECT_EQ(found2.item<float>(), 1);
  // found_inf stays 1 once set.
  lt::_amp_foreach_non_finite_check_and_unscale_({f64}, found, inv);
  EXPECT_EQ(found.item<float>(), 1);
  EXPECT_THROW(lt::_amp_foreach_non_finite_check_and_unscale_({big}, lt::zeros({1}, DType::Float64), inv),
               lt::DTypeError);
  EXPECT_THROW(lt::_amp_foreach_non_finite_check_and_unscale_({big}, found, lt::ones({2})), lt::DTypeError);
  EXPECT_THROW(lt::_amp_foreach_non_finite_check_and_unscale_({lt::ones({2}, DType::Int64)}, found, inv),
               lt::DTypeError);
}

}  // namespace
