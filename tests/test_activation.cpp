// Activation functions: values against their scalar formulas, derivatives of both orders,
// finite gradients at extreme inputs, PyTorch's conventions at kinks, and errors.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "reference.h"

namespace {

using lt::DType;
using lt::Tensor;
using lt::autograd::TensorList;

struct Case {
  std::string name;
  std::function<Tensor(const Tensor&)> op;
  std::function<double(double)> formula;
};

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }
double softplus(double x) { return x > 20 ? x : std::log1p(std::exp(x)); }

std::vector<Case> cases() {
  const double selu_alpha = 1.6732632423543772848170429916717, selu_scale = 1.0507009873554804934193349852946;
  return {
      {"gelu", [](const Tensor& x) { return lt::gelu(x); }, [](double x) { return x * 0.5 * (1 + std::erf(x / std::sqrt(2.0))); }},
      {"gelu_tanh", [](const Tensor& x) { return lt::gelu(x, "tanh"); },
       [](double x) { return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x))); }},
      {"silu", [](const Tensor& x) { return lt::silu(x); }, [](double x) { return x * sigmoid(x); }},
      {"mish", [](const Tensor& x) { return lt::mish(x); }, [](double x) { return x * std::tanh(softplus(x)); }},
      {"softplus", [](const Tensor& x) { return lt::softplus(x, 2, 10); },
       [](double x) { return 2 * x > 10 ? x : std::log1p(std::exp(2 * x)) / 2; }},
      {"leaky_relu", [](const Tensor& x) { return lt::leaky_relu(x, 0.2); }, [](double x) { return x > 0 ? x : 0.2 * x; }},
      {"elu", [](const Tensor& x) { return lt::elu(x, 1.5); }, [](double x) { return x > 0 ? x : 1.5 * std::expm1(x); }},
      {"selu", [](const Tensor& x) { return lt::selu(x); },
       [=](double x) { return selu_scale * (x > 0 ? x : selu_alpha * std::expm1(x)); }},
      {"hardtanh", [](const Tensor& x) { return lt::hardtanh(x, -2, 3); }, [](double x) { return std::clamp(x, -2.0, 3.0); }},
      {"hardswish", [](const Tensor& x) { return lt::hardswish(x); },
       [](double x) { return x * std::clamp(x + 3, 0.0, 6.0) / 6; }},
      {"logsigmoid", [](const Tensor& x) { return lt::logsigmoid(x); }, [](double x) { return std::log(sigmoid(x)); }},
  };
}

TEST(Activation, ValuesMatchTheFormulas) {
  for (const Case& c : cases()) {
    for (DType t : {DType::Float64, DType::Float32, DType::BFloat16}) {
      Tensor x = ref::random_tensor({5, 7}, t, 21, -6, 6);
      const ref::Tol tol = t == DType::Float64 ? ref::Tol{0, 1e-14, 1e-13} : ref::Tol{2, 1e-6, 0};
      EXPECT_TRUE(ref::matches(c.op(x), ref::map1(x, c.formula), t, tol)) << c.name << " " << ref::dname(t);
    }
  }
}

TEST(Activation, Derivatives) {
  lt::manual_seed(3);
  for (const Case& c : cases()) {
    // Away from the kinks (0, +-3, the hardtanh bounds), where finite differences mislead.
    Tensor x = lt::rand({4, 5}, DType::Float64) * 5 + 0.1;
    x = lt::where(lt::rand({4, 5}, DType::Float64) > 0.5, x, -x);
    x = lt::where(lt::abs(lt::abs(x) - 3) < 0.05, x + 0.1, x);
    x = lt::where(lt::abs(x + 2) < 0.05, x + 0.1, x);
    x.requires_grad_();
    auto f = [&c](const TensorList& in) { return TensorList{c.op(in[0])}; };
    EXPECT_TRUE(lt::autograd::gradcheck(f, {x})) << c.name;
    EXPECT_TRUE(lt::autograd::gradgradcheck(f, {x})) << c.name;
  }
}

TEST(Activation, ExtremeInputsKeepGradientsFinite) {
  Tensor x = lt::from_vector<double>({-1000, -50, 0, 50, 1000});
  x.requires_grad_();
  for (const Case& c : cases()) {
    Tensor y = c.op(x);
    Tensor g = lt::autograd::grad({lt::sum(y)}, {x})[0];
    EXPECT_TRUE(lt::all(lt::isfinite(y)).item<bool>()) << c.name << ": " << y.str();
    EXPECT_TRUE(lt::all(lt::isfinite(g)).item<bool>()) << c.name << ": " << g.str();
  }
}

TEST(Activation, PyTorchConventionsAtKinks) {
  auto grad_at = [](const std::function<Tensor(const Tensor&)>& f, double v) {
    Tensor x = lt::from_vector<double>({v});
    x.requires_grad_();
    return lt::autograd::grad({lt::sum(f(x))}, {x})[0].item<double>();
  };
  EXPECT_EQ(grad_at([](const Tensor& x) { return lt::leaky_relu(x, 0.2); }, 0), 0.2);
  EXPECT_EQ(grad_at([](const Tensor& x) { return lt::hardtanh(x); }, 1), 0);  // clamp would pass 1
  EXPECT_EQ(grad_at([](const Tensor& x) { return lt::hardswish(x); }, 3), 1.5);
  EXPECT_EQ(grad_at([](const Tensor& x) { return lt::hardswish(x); }, -3), -0.5);
  EXPECT_EQ(grad_at([](const Tensor& x) { return lt::softplus(x); }, 0), 0.5);
}

TEST(Activation, DTypesAndErrors) {
  EXPECT_EQ(lt::hardtanh(lt::full({2}, 7, DType::Int64), -1.5, 2.5).dtype(), DType::Int64);
  EXPECT_EQ(lt::hardtanh(lt::full({2}, 7, DType::Int64), -1.5, 2.5).data_ptr<int64_t>()[0], 2);
  EXPECT_THROW(lt::gelu(lt::ones({2}, DType::Int64)), lt::DTypeError);
  EXPECT_THROW(lt::silu(lt::ones({2}, DType::Bool)), lt::DTypeError);
  EXPECT_THROW(lt::gelu(lt::ones({2}), "erf"), lt::ValueError);
  EXPECT_EQ(lt::gelu(lt::ones({2}, DType::Float16)).dtype(), DType::Float16);
  EXPECT_EQ(lt::softplus(lt::ones({2, 3}), 1, 20).grad_fn(), nullptr);  // nothing recorded without grad
  Tensor x = lt::ones({2});
  x.requires_grad_();
  EXPECT_EQ(lt::softplus(x).grad_fn()->name(), "SoftplusBackward0");
  EXPECT_EQ(lt::logsigmoid(x).grad_fn()->name(), "LogSigmoidBackward0");
  EXPECT_EQ(lt::hardtanh(x).grad_fn()->name(), "HardtanhBackward0");
}

}  // namespace
