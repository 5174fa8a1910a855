// layer_norm and rms_norm (the fused kernels against the compositions): values,
// derivatives of both orders, and errors.
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

Tensor layer_norm_ref(const Tensor& x, const Shape& dims, const Tensor& w, const Tensor& b, double eps) {
  Tensor d = x.to(DType::Float64);
  Tensor y = (d - lt::mean(d, dims, true)) / lt::sqrt(lt::var(d, dims, 0, true) + eps);
  return y * w.to(DType::Float64) + b.to(DType::Float64);
}

Tensor rms_norm_ref(const Tensor& x, const Shape& dims, const Tensor& w, double eps) {
  Tensor d = x.to(DType::Float64);
  Tensor y = d / lt::sqrt(lt::mean(d * d, dims, true) + eps);
  return w.defined() ? y * w.to(DType::Float64) : y;
}

double max_error(const Tensor& a, const Tensor& b) {
  return a.numel() ? lt::amax(lt::abs(a.to(DType::Float64) - b.to(DType::Float64))).item<double>() : 0;
}

TEST(LayerNorm, FusedKernelMatchesTheComposition) {
  for (DType t : {DType::Float64, DType::Float32, DType::BFloat16}) {
    for (const auto& [shape, normalized] : std::vector<std::pair<Shape, Shape>>{
             {{4, 7}, {7}}, {{2, 3, 300}, {300}}, {{2, 3, 4}, {3, 4}}, {{5}, {5}}, {{0, 3}, {3}}}) {
      Tensor x = ref::random_tensor(shape, t, 5, ref::Layout::Transposed, -3, 5);
      Tensor w = ref::random_tensor(normalized, t, 6, -2, 2), b = ref::random_tensor(normalized, t, 7, -2, 2);
      Shape dims;
      for (size_t i = 0; i < normalized.size(); ++i) dims.push_back(static_cast<int64_t>(shape.size() - normalized.size() + i));
      const double tol = t == DType::Float64 ? 1e-13 : t == DType::Float32 ? 1e-5 : 0.1;
      EXPECT_LT(max_error(lt::layer_norm(x, normalized, w, b, 1e-5), layer_norm_ref(x, dims, w, b, 1e-5)), tol)
          << ref::shape_str(shape) << " " << ref::dname(t);
    }
  }
}

TEST(LayerNorm, Derivatives) {
  lt::manual_seed(4);
  auto leaf = [](Shape s) {
    Tensor x = lt::rand(s, DType::Float64) * 4 - 2;
    x.requires_grad_();
    return x;
  };
  Tensor x = leaf({3, 2, 5}), w = leaf({2, 5}), b = leaf({2, 5});
  auto full = [](const TensorList& in) { return TensorList{lt::layer_norm(in[0], {2, 5}, in[1], in[2])}; };
  EXPECT_TRUE(lt::autograd::gradcheck(full, {x, w, b}));
  EXPECT_TRUE(lt::autograd::gradgradcheck(full, {x, w, b}));
  auto plain = [](const TensorList& in) { return TensorList{lt::layer_norm(in[0], {5})}; };
  EXPECT_TRUE(lt::autograd::gradcheck(plain, {x}));
  EXPECT_TRUE(lt::autograd::gradgradcheck(plain, {x}));
  auto rms = [](const TensorList& in) { return TensorList{lt::rms_norm(in[0], {5}, in[1])}; };
  EXPECT_TRUE(lt::autograd::gradcheck(rms, {x, leaf({5})}));
  EXPECT_TRUE(lt::autograd::gradgradcheck(rms, {x, leaf({5})}));
  // The fused backward agrees with the composition's (recorded under create_graph).
  Tensor big = leaf({6, 400}), bw = leaf({400}), bb = leaf({400});
  Tensor g = lt::rand({6, 400}, DType::Float64);
  Tensor y = lt::layer_norm(big, {400}, bw, bb);
  EXPECT_EQ(y.grad_fn()->name(), "NativeLayerNormBackward0");
  TensorList fused = lt::autograd::grad({y}, {big, bw, bb}, {g}, true, false);
  TensorList composed = lt::autograd::grad({y}, {big, bw, bb}, {g}, false, true);
  for (int i = 0; i < 3; ++i) EXPECT_LT(max_error(fused[i], composed[i]), 1e-12) << i;
}

TEST(RmsNorm, FusedKernelMatchesTheComposition) {
  for (DType t : {DType::Float64, DType::Float32, DType::BFloat16, DType::Float16}) {
    for (const auto& [shape, normalized] : std::vector<std::pair<Shape, Shape>>{
             {{4, 7}, {7}}, {{2, 3, 300}, {300}}, {{2, 3, 4}, {3, 4}}, {{5}, {5}}, {{0, 3}, {3}}, {{3, 1}, {1}}}) {
      Tensor x = ref::random_tensor(shape, t, 8, ref::Layout::Transposed, -3, 5);
      Tensor w = ref::random_tensor(normalized, t, 9, -2, 2);
      Shape dims;
      for (size_t i = 0; i < normalized.size(); ++i) dims.push_back(static_cast<int64_t>(shape.size() - normalized.size() + i));
      const double tol = t == DType::Float64 ? 1e-13 : t == DType::Float32 ? 1e-5 : 0.1;
      EXPECT_LT(max_error(lt::rms_norm(x, normalized, w, 1e-6), rms_norm_ref(x, dims, w, 1e-6)), tol)
          << ref::shape_str(shape) << " " << ref::dname(t);
      EXPECT_LT(max_error(lt::rms_norm(x, normalized, std::nullopt, 1e-6), rms_norm_ref(x, dims, Tensor(), 1e-6)), tol)
          << ref::shape_str(shape) << " " << ref::dname(t) << " without weight";
    }
  }
}

TEST(RmsNorm, FusedBackwardMatchesTheComposition) {
  lt::manual_seed(5);
  for (bool weighted : {true, false}) {
    Tensor x = (lt::rand({6, 400}, DType::Float64) * 4 - 2).requires_grad_(), w = lt::rand({400}, DType::Float64);
    w.requires_grad_(weighted);
    Tensor g = lt::rand({6, 400}, DType::Float64);
    Tensor y = lt::rms_norm(x, {400}, weighted ? std::optional<Tensor>(w) : std::nullopt);
    EXPECT_EQ(y.grad_fn()->name(), "RmsNormBackward0");
    TensorList inputs = weighted ? TensorList{x, w} : TensorList{x};
    TensorList fused = lt::autograd::grad({y}, inputs, {g}, true, false);
    TensorList composed = lt::autograd::grad({y}, inputs, {g}, false, true);
    for (size_t i = 0; i < inputs.size(); ++i) EXPECT_LT(max_error(fused[i], composed[i]), 1e-12) << i;
    auto plain = [](const TensorList& in) { return TensorList{lt::rms_norm(in[0], {4, 100})}; };
    EXPECT_TRUE(lt::autograd::gradcheck(plain, {x.detach().view({6, 4, 100}).requires_grad_()}));
  }
}

TEST(LayerNorm, RmsNormAndErrors) {
  Tensor x = lt::from_vector<double>({3, 4}, {1, 2});
  Tensor y = lt::rms_norm(x, {2}, std::nullopt, 0.0);
  const double rms = std::sqrt(12.5);
  EXPECT_NEAR(y.data_ptr<double>()[0], 3 / rms, 1e-15);
  EXPECT_THROW(lt::layer_norm(lt::ones({2, 3}), {2}), lt::ShapeError);
  EXPECT_THROW(lt::layer_norm(lt::ones({2, 3}), {3}, lt::ones({2})), lt::ShapeError);
  EXPECT_THROW(lt::layer_norm(lt::ones({2, 3}, DType::Int64), {3}), lt::DTypeError);
  EXPECT_THROW(lt::rms_norm(lt::ones({2, 3}), {}), lt::ShapeError);
}

}  // namespace
