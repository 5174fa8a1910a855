// softmax, log_softmax and logsumexp: the fused CPU kernels against the compositions they
// replace (computed here in float64 from the same values), derivatives of both orders,
// and errors.
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
using ref::Layout;

// The compositions, in float64.
Tensor softmax_ref(const Tensor& x, int64_t dim) {
  Tensor d = x.to(DType::Float64);
  Tensor e = lt::exp(d - lt::amax(d, {dim}, true));
  return e / lt::sum(e, {dim}, true);
}
Tensor log_softmax_ref(const Tensor& x, int64_t dim) { return lt::log(softmax_ref(x, dim)); }

double max_error(const Tensor& a, const Tensor& b) {
  Tensor d = lt::abs(a.to(DType::Float64) - b.to(DType::Float64));
  d = lt::where(lt::isnan(d), std::numeric_limits<double>::infinity(), d);
  return d.numel() ? lt::amax(d).item<double>() : 0;
}

TEST(Softmax, FusedKernelsMatchTheComposition) {
  const std::vector<std::pair<Shape, int64_t>> cases = {
      {{7}, 0}, {{3, 5}, 1}, {{3, 5}, 0}, {{2, 3, 4}, 1}, {{4, 1000}, -1}, {{2, 70, 3}, -2}, {{1, 1}, 0}};
  for (const auto& [shape, dim] : cases) {
    for (DType t : {DType::Float32, DType::Float64, DType::BFloat16, DType::Float16}) {
      for (Layout layout : {Layout::Contiguous, Layout::Transposed}) {
        Tensor x = ref::random_tensor(shape, t, 3, layout, -30, 30);
        const double tol = t == DType::Float64 ? 1e-14 : t == DType::Float32 ? 1e-6 : 1e-2;
        EXPECT_LT(max_error(lt::softmax(x, dim), softmax_ref(x, dim)), tol)
            << ref::shape_str(shape) << " dim " << dim << " " << ref::dname(t);
        // log_softmax's error is absolute in the log: relative to the largest magnitude.
        Tensor expected = log_softmax_ref(x, dim);
        const double scale = 1 + lt::amax(lt::abs(expected)).item<double>();
        EXPECT_LT(max_error(lt::log_softmax(x, dim), expected), tol * scale)
            << ref::shape_str(shape) << " dim " << dim << " " << ref::dname(t);
      }
    }
  }
}

TEST(Softmax, ExtremeValues) {
  // A very negative element contributes nothing; inf or NaN poison the slice, as PyTorch.
  Tensor x = lt::from_vector<float>({0, -200, 1});
  Tensor y = lt::softmax(x, 0);
  EXPECT_LT(y.data_ptr<float>()[1], 1e-30f);
  EXPECT_NEAR(y.data_ptr<float>()[0] + y.data_ptr<float>()[2], 1.0f, 1e-6f);
  Tensor nan = lt::softmax(lt::from_vector<float>({0, std::nanf(""), 1}), 0);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(std::isnan(nan.data_ptr<float>()[i]));
  Tensor big = lt::softmax(lt::from_vector<float>({1e30f, 0}), 0);
  EXPECT_EQ(big.data_ptr<float>()[0], 1.0f);
  EXPECT_EQ(big.data_ptr<float>()[1], 0.0f);
}

TEST(Softmax, ShapesDTypesAndErrors) {
  EXPECT_EQ(lt::softmax(lt::ones({}), 0).item<float>(), 1.0f);
  EXPECT_EQ(lt::log_softmax(lt::ones({}), -1).item<float>(), 0.0f);
  EXPECT_EQ(lt::softmax(lt::ones({0, 3}), 1).sizes(), (Shape{0, 3}));
  EXPECT_EQ(lt::softmax(lt::ones({2}, DType::Int64), 0, DType::Float64).dtype(), DType::Float64);
  EXPECT_THROW(lt::softmax(lt::ones({2}, DType::Int64), 0), lt::DTypeError);
  EXPECT_THROW(lt::softmax(lt::ones({2, 3}), 2), lt::IndexError);
  EXPECT_THROW(lt::log_softmax(lt::ones({}), 1), lt::IndexError);
  EXPECT_EQ(lt::logsumexp(lt::ones({2, 3}, DType::Int64), {1}).dtype(), DType::Float32);
}

TEST(Logsumexp, ValuesAndInfinities) {
  Tensor x = lt::from_vector<double>({1, 2, 3, 1000, 1000, -std::numeric_limits<double>::infinity()}, {2, 3});
  Tensor y = lt::logsumexp(x, {1});
  EXPECT_NEAR(y.data_ptr<double>()[0], std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)), 1e-14);
  EXPECT_NEAR(y.data_ptr<double>()[1], 1000 + std::log(2.0), 1e-12);  // no overflow
  Tensor all_minus_inf = lt::full({3}, -std::numeric_limits<double>::infinity(), DType::Float64);
  EXPECT_EQ(lt::logsumexp(all_minus_inf, {0}).item<double>(), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(lt::logsumexp(lt::zeros({0}), {0}).item<float>(), -std::numeric_limits<float>::infinity());
  EXPECT_EQ(lt::logsumexp(x, {0, 1}, true).sizes(), (Shape{1, 1}));
}

TEST(Softmax, Derivatives) {
  lt::manual_seed(7);
  auto leaf = [](Shape shape) {
    Tensor x = lt::rand(shape, DType::Float64) * 6 - 3;
    x.requires_grad_();
    return x;
  };
  for (int64_t dim : {0, 1, -1}) {
    auto softmax = [dim](const TensorList& in) { return TensorList{lt::softmax(in[0], dim)}; };
    auto log_softmax = [dim](const TensorList& in) { return TensorList{lt::log_softmax(in[0], dim)}; };
    auto logsumexp = [dim](const TensorList& in) { return TensorList{lt::logsumexp(in[0], {dim})}; };
    for (const auto& f : {lt::autograd::GradcheckFunction(softmax), lt::autograd::GradcheckFunction(log_softmax),
                          lt::autograd::GradcheckFunction(logsumexp)}) {
      EXPECT_TRUE(lt::autograd::gradcheck(f, {leaf({3, 4, 5})})) << dim;
      EXPECT_TRUE(lt::autograd::gradgradcheck(f, {leaf({3, 4, 5})})) << dim;
    }
  }
  // The fused backward kernel (first order) agrees with the composition (recorded when
  // create_graph asks for it).
  Tensor x = leaf({8, 300});
  Tensor g = lt::rand({8, 300}, DType::Float64);
  for (bool log : {false, true}) {
    Tensor y = log ? lt::log_softmax(x, 1) : lt::softmax(x, 1);
    EXPECT_EQ(y.grad_fn()->name(), log ? "LogSoftmaxBackward0" : "SoftmaxBackward0");
    Tensor fused = lt::autograd::grad({y}, {x}, {g}, true, false)[0];
    Tensor composed = lt::autograd::grad({y}, {x}, {g}, false, true)[0];
    EXPECT_LT(max_error(fused, composed), 1e-14);
  }
}

TEST(Softmax, KernelsAreRegistered) {
  for (const char* op : {"softmax", "log_softmax", "softmax_backward", "log_softmax_backward"}) {
    bool found = false;
    for (const lt::OpInfo& info : lt::Registry::global().list()) {
      found = found || (info.name == op && info.has_kernel[static_cast<int>(lt::DeviceType::CPU)]);
    }
    EXPECT_TRUE(found) << op;
  }
}

}  // namespace
