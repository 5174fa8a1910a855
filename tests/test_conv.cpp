// Convolution, pooling, padding, resizing, batch and group normalization: values against
// direct loops, derivatives of both orders, and errors.
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

double max_error(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.sizes(), b.sizes());
  return a.numel() ? lt::amax(lt::abs(a.to(DType::Float64) - b.to(DType::Float64))).item<double>() : 0;
}

Tensor leaf(Shape s, uint64_t seed) {
  Tensor x = ref::random_tensor(s, DType::Float64, seed, -2, 2);
  x.requires_grad_();
  return x;
}

// y[n][o][i][j] = b[o] + sum over c, p, q of x[n][g * C/G + c][i*s - pad + p*d][j*s - pad + q*d] * w[o][c][p][q].
Tensor direct_conv(const Tensor& x, const Tensor& w, const Tensor& b, int64_t s, int64_t pad, int64_t d,
                   int64_t groups) {
  const int64_t n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3), o = w.size(0), kh = w.size(2),
                kw = w.size(3);
  const int64_t oh = (h + 2 * pad - d * (kh - 1) - 1) / s + 1, ow = (wd + 2 * pad - d * (kw - 1) - 1) / s + 1;
  auto xv = ref::values(x), wv = ref::values(w), bv = ref::values(b);
  std::vector<double> y(static_cast<size_t>(n * o * oh * ow));
  const int64_t cg = c / groups, og = o / groups;
  for (int64_t a = 0; a < n; ++a)
    for (int64_t oc = 0; oc < o; ++oc)
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          double acc = bv[oc];
          for (int64_t ci = 0; ci < cg; ++ci)
            for (int64_t p = 0; p < kh; ++p)
              for (int64_t q = 0; q < kw; ++q) {
                const int64_t r = i * s - pad + p * d, col = j * s - pad + q * d;
                if (r < 0 || r >= h || col < 0 || col >= wd) continue;
                acc += xv[((a * c + oc / og * cg + ci) * h + r) * wd + col] * wv[((oc * cg + ci) * kh + p) * kw + q];
              }
          y[((a * o + oc) * oh + i) * ow + j] = acc;
        }
  return lt::from_vector(y, {n, o, oh, ow});
}

TEST(Conv2d, MatchesDirectLoops) {
  struct Case {
    Shape x, w;
    int64_t stride, pad, dil, groups;
  };
  for (const Case& c : std::vector<Case>{{{2, 3, 7, 6}, {4, 3, 3, 2}, 1, 0, 1, 1},
                                         {{2, 4, 9, 8}, {6, 2, 3, 3}, 2, 1, 2, 2},
                                         {{1, 5, 4, 4}, {3, 5, 1, 1}, 1, 0, 1, 1},
                                         {{3, 6, 5, 7}, {6, 1, 2, 3}, 1, 2, 1, 6},
                                         {{4, 2, 6, 6}, {2, 2, 3, 3}, 3, 1, 1, 1}}) {
    Tensor x = ref::random_tensor(c.x, DType::Float64, 1, -2, 2), w = ref::random_tensor(c.w, DType::Float64, 2, -2, 2);
    Tensor b = ref::random_tensor({c.w[0]}, DType::Float64, 3, -1, 1);
    Tensor expected = direct_conv(x, w, b, c.stride, c.pad, c.dil, c.groups);
    EXPECT_LT(max_error(lt::conv2d(x, w, b, {c.stride}, {c.pad}, {c.dil}, c.groups), expected), 1e-12);
    // float32 (oneDNN / OpenBLAS products) and bfloat16 (through float32) on a transposed input.
    Tensor xt = ref::random_tensor(c.x, DType::Float64, 1, ref::Layout::Transposed, -2, 2);
    EXPECT_LT(max_error(lt::conv2d(xt.to(DType::Float32), w.to(DType::Float32), b.to(DType::Float32), {c.stride},
                                   {c.pad}, {c.dil}, c.groups),
                        direct_conv(xt, w, b, c.stride, c.pad, c.dil, c.groups)),
              1e-4);
  }
}

TEST(Conv2d, OneDAndSamePadding) {
  Tensor x = ref::random_tensor({2, 3, 10}, DType::Float64, 4, -2, 2), w = ref::random_tensor({4, 3, 3}, DType::Float64, 5);
  Tensor y = lt::conv1d(x, w, std::nullopt, {2}, {1});
  Tensor expected = direct_conv(x.unsqueeze(2), w.unsqueeze(2), lt::zeros({4}, DType::Float64), 2, 0, 1, 1);
  // conv1d pads the length only: compare with the 2-D form padded along W.
  Tensor padded = lt::pad(x, {1, 1});
  expected = direct_conv(padded.unsqueeze(2), w.unsqueeze(2), lt::zeros({4}, DType::Float64), 2, 0, 1, 1).squeeze(2);
  EXPECT_LT(max_error(y, expected), 1e-12);
  // "same" keeps the size, with the extra pad of an even kernel on the right.
  Tensor x2 = ref::random_tensor({1, 2, 5, 6}, DType::Float64, 6), w2 = ref::random_tensor({3, 2, 2, 4}, DType::Float64, 7);
  Tensor same = lt::conv2d(x2, w2, std::nullopt, {1}, lt::Padding::Same);
  EXPECT_EQ(same.sizes(), Shape({1, 3, 5, 6}));
  Tensor manual = direct_conv(lt::pad(x2, {1, 2, 0, 1}), w2, lt::zeros({3}, DType::Float64), 1, 0, 1, 1);
  EXPECT_LT(max_error(same, manual), 1e-12);
  // unbatched input
  EXPECT_LT(max_error(lt::conv2d(x2.select(0, 0), w2), lt::conv2d(x2, w2).select(0, 0)), 1e-15);
}

TEST(Conv2d, TransposedIsTheAdjoint) {
  // <conv_transpose2d(g, w), x> == <g, conv2d(x, w)> for every geometry.
  Tensor x = ref::random_tensor({2, 4, 9, 8}, DType::Float64, 8), w = ref::random_tensor({6, 2, 3, 3}, DType::Float64, 9);
  Tensor y = lt::conv2d(x, w, std::nullopt, {2}, {1}, {2}, 2);
  Tensor g = ref::random_tensor(y.sizes(), DType::Float64, 10);
  // output_padding reaches x's last column, which the output size formula leaves out.
  Tensor xt = lt::conv_transpose2d(g, w, std::nullopt, {2}, {1}, {0, 1}, 2, {2});
  ASSERT_EQ(xt.sizes(), x.sizes());
  EXPECT_NEAR(lt::sum(xt * x).item<double>(), lt::sum(g * y).item<double>(), 1e-10);
  EXPECT_EQ(lt::conv_transpose2d(g, w, std::nullopt, {2}, {1}, {0}, 2, {2}).sizes(), Shape({2, 4, 9, 7}));
}

TEST(Conv2d, Derivatives) {
  Tensor x = leaf({2, 4, 5, 4}, 11), w = leaf({4, 2, 2, 3}, 12), b = leaf({4}, 13);
  auto conv = [](const TensorList& in) { return TensorList{lt::conv2d(in[0], in[1], in[2], {1, 2}, {1}, {2, 1}, 2)}; };
  EXPECT_TRUE(lt::autograd::gradcheck(conv, {x, w, b}));
  EXPECT_TRUE(lt::autograd::gradgradcheck(conv, {x, w, b}));
  Tensor xt = leaf({2, 4, 3, 3}, 14), wt = leaf({4, 3, 3, 2}, 15);
  auto transposed = [](const TensorList& in) {
    return TensorList{lt::conv_transpose2d(in[0], in[1], in[2], {2}, {1}, {1}, 2, {1})};
  };
  EXPECT_TRUE(lt::autograd::gradcheck(transposed, {xt, wt, leaf({6}, 16)}));
  EXPECT_TRUE(lt::autograd::gradgradcheck(transposed, {xt, wt, leaf({6}, 16)}));
  // output_padding at the stride's size (allowed by a larger dilation).
  auto dilated = [](const TensorList& in) {
    return TensorList{lt::conv_transpose1d(in[0], in[1], std::nullopt, {1}, {0}, {1}, 1, {2})};
  };
  EXPECT_TRUE(lt::autograd::gradgradcheck(dilated, {leaf({1, 2, 4}, 17), leaf({2, 3, 3}, 18)}));
}

TEST(Conv2d, Errors) {
  Tensor x = lt::zeros({2, 3, 5, 5}), w = lt::zeros({4, 3, 3, 3});
  EXPECT_THROW(lt::conv2d(x, lt::zeros({4, 2, 3, 3})), lt::ShapeError);
  EXPECT_THROW(lt::conv2d(x, w, lt::zeros({3})), lt::ShapeError);
  EXPECT_THROW(lt::conv2d(x, w.to(DType::Float64)), lt::DTypeError);
  EXPECT_THROW(lt::conv2d(lt::zeros({2, 3, 2, 2}), w), lt::ShapeError);
  EXPECT_THROW(lt::conv2d(x, w, std::nullopt, {0}), lt::ValueError);
  EXPECT_THROW(lt::conv2d(x, w, std::nullopt, {2}, lt::Padding::Same), lt::ValueError);
  EXPECT_THROW(lt::conv2d(x, w, std::nullopt, {1}, {0}, {1}, 2), lt::ShapeError);
  EXPECT_THROW(lt::conv_transpose2d(x, lt::zeros({3, 2, 3, 3}), std::nullopt, {1}, {0}, {1}), lt::ValueError);
  try {
    lt::conv2d(x, lt::zeros({4, 2, 3, 3}));
    FAIL();
  } catch (const lt::ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("[conv2d] input of shape (2, 3, 5, 5) and weight of shape (4, 2, 3, 3)"),
              std::string::npos)
        << e.what();
  }
}

TEST(Pool, MaxAndAverageMatchDirectLoops) {
  Tensor x = ref::random_tensor({2, 3, 7, 6}, DType::Float64, 20, -3, 3);
  auto xv = ref::values(x);
  // 3x3 windows, stride 2, padding 1: each output is the max / mean of the window's in-bounds elements.
  auto [values, indices] = lt::max_pool2d_with_indices(x, {3}, {2}, {1});
  Tensor mean_in = lt::avg_pool2d(x, {3}, {2}, {1}, false, false);
  Tensor mean_all = lt::avg_pool2d(x, {3}, {2}, {1});
  ASSERT_EQ(values.sizes(), Shape({2, 3, 4, 3}));
  auto mv = ref::values(values), ai = ref::values(mean_in), aa = ref::values(mean_all);
  auto iv = ref::values(indices);
  for (int64_t p = 0; p < 6; ++p)
    for (int64_t i = 0; i < 4; ++i)
      for (int64_t j = 0; j < 3; ++j) {
        double best = -INFINITY, total = 0;
        int64_t where = -1, count = 0;
        for (int64_t r = 2 * i - 1; r <= 2 * i + 1; ++r)
          for (int64_t c = 2 * j - 1; c <= 2 * j + 1; ++c) {
            if (r < 0 || r >= 7 || c < 0 || c >= 6) continue;
            const double v = xv[p * 42 + r * 6 + c];
            if (v > best) best = v, where = r * 6 + c;
            total += v, ++count;
          }
        const int64_t o = (p * 4 + i) * 3 + j;
        EXPECT_EQ(mv[o], best);
        EXPECT_EQ(iv[o], where);
        EXPECT_NEAR(ai[o], total / count, 1e-12);
        EXPECT_NEAR(aa[o], total / 9, 1e-12);
      }
  // Adaptive windows [floor(i H / oh), ceil((i + 1) H / oh)) cover the input.
  EXPECT_LT(max_error(lt::adaptive_avg_pool2d(x, {1, 1}), lt::mean(x, {2, 3}, true)), 1e-12);
  EXPECT_EQ(max_error(lt::adaptive_max_pool2d(x, {1, 1}), lt::amax(x, {2, 3}, true)), 0);
  EXPECT_LT(max_error(lt::adaptive_avg_pool2d(x, {7, 6}), x), 1e-15);
  // NaN wins a max window.
  Tensor nan = lt::zeros({1, 1, 2, 2});
  nan.narrow(3, 1, 1).fill_(std::numeric_limits<double>::quiet_NaN());
  EXPECT_TRUE(std::isnan(lt::max_pool2d(nan, {2}).item<float>()));
}

TEST(Pool, Derivatives) {
  // Distinct values keep max pooling differentiable at the finite-difference points.
  Tensor x = lt::remainder(lt::arange(0, 120, 1, DType::Float64) * 37, 120).view({2, 2, 5, 6}) / 10;
  x.requires_grad_();
  auto max = [](const TensorList& in) { return TensorList{lt::max_pool2d(in[0], {2, 3}, {2, 1}, {1}, {1, 2}, true)}; };
  EXPECT_TRUE(lt::autograd::gradcheck(max, {x}));
  EXPECT_TRUE(lt::autograd::gradgradcheck(max, {x}));
  auto avg = [](const TensorList& in) { return TensorList{lt::avg_pool2d(in[0], {3}, {2}, {1}, true, false)}; };
  EXPECT_TRUE(lt::autograd::gradcheck(avg, {x}));
  EXPECT_TRUE(lt::autograd::gradgradcheck(avg, {x}));
  auto adaptive = [](const TensorList& in) {
    return TensorList{lt::adaptive_avg_pool2d(in[0], {3, 4}), lt::adaptive_max_pool2d(in[0], {2, 4})};
  };
  EXPECT_TRUE(lt::autograd::gradcheck(adaptive, {x}));
  EXPECT_TRUE(lt::autograd::gradgradcheck(adaptive, {x}));
}

TEST(Pool, Errors) {
  Tensor x = lt::zeros({1, 2, 4, 4});
  EXPECT_THROW(lt::max_pool2d(x, {3}, {1}, {2}), lt::ValueError);  // padding above half the kernel
  EXPECT_THROW(lt::max_pool2d(x, {5}), lt::ShapeError);
  EXPECT_THROW(lt::max_pool2d(lt::zeros({4, 4}), {2}), lt::ShapeError);
  EXPECT_THROW(lt::max_pool2d(x.to(DType::Int64), {2}), lt::DTypeError);
  EXPECT_THROW(lt::avg_pool2d(x, {2}, {}, {0}, false, true, 0), lt::ValueError);
}

TEST(Pad, ModesAndDerivatives) {
  Tensor x = lt::arange(1, 5, 1, DType::Float64).view({1, 1, 4});
  auto row = [](const Tensor& t) { return ref::values(t.reshape({-1})); };
  EXPECT_EQ(row(lt::pad(x, {2, 1}, "constant", 9)), (std::vector<double>{9, 9, 1, 2, 3, 4, 9}));
  EXPECT_EQ(row(lt::pad(x, {-1, 1})), (std::vector<double>{2, 3, 4, 0}));
  EXPECT_EQ(row(lt::pad(x, {2, 1}, "reflect")), (std::vector<double>{3, 2, 1, 2, 3, 4, 3}));
  EXPECT_EQ(row(lt::pad(x, {2, 1}, "replicate")), (std::vector<double>{1, 1, 1, 2, 3, 4, 4}));
  EXPECT_EQ(row(lt::pad(x, {2, 1}, "circular")), (std::vector<double>{3, 4, 1, 2, 3, 4, 1}));
  EXPECT_EQ(row(lt::pad(x, {-1, 1}, "circular")), (std::vector<double>{2, 3, 4, 2}));
  Tensor y = leaf({2, 3, 4}, 30);
  for (const char* mode : {"constant", "reflect", "replicate", "circular"}) {
    auto f = [mode](const TensorList& in) { return TensorList{lt::pad(in[0], {2, 1, 1, -1}, mode)}; };
    if (std::string(mode) == "constant") {
      EXPECT_TRUE(lt::autograd::gradgradcheck(f, {y})) << mode;
    } else {
      auto g = [mode](const TensorList& in) { return TensorList{lt::pad(in[0], {2, 1}, mode)}; };
      EXPECT_TRUE(lt::autograd::gradcheck(g, {y})) << mode;
      EXPECT_TRUE(lt::autograd::gradgradcheck(g, {y})) << mode;
    }
  }
  EXPECT_THROW(lt::pad(x, {4, 0}, "reflect"), lt::ValueError);
  EXPECT_THROW(lt::pad(x, {1}), lt::ValueError);
  EXPECT_THROW(lt::pad(x, {1, 1}, "wrap"), lt::ValueError);
  EXPECT_THROW(lt::pad(x, {-3, -2}), lt::ShapeError);
}

TEST(Interpolate, NearestAndLinear) {
  Tensor x = lt::arange(0, 4, 1, DType::Float64).view({1, 1, 4});
  auto row = [](const Tensor& t) { return ref::values(t.reshape({-1})); };
  EXPECT_EQ(row(lt::interpolate(x, {8})), (std::vector<double>{0, 0, 1, 1, 2, 2, 3, 3}));
  EXPECT_EQ(row(lt::interpolate(x, {}, {0.5})), (std::vector<double>{0, 2}));
  // Linear without align_corners: source (i + 0.5) / 2 - 0.5, clamped at 0.
  EXPECT_EQ(row(lt::interpolate(x, {8}, {}, "linear")), (std::vector<double>{0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3}));
  EXPECT_EQ(row(lt::interpolate(x, {7}, {}, "linear", true)), (std::vector<double>{0, 0.5, 1, 1.5, 2, 2.5, 3}));
  // Bilinear of a plane that is linear in both coordinates (align_corners) is that plane.
  Tensor r = lt::arange(0, 3, 1, DType::Float64).view({1, 1, 3, 1}), c = lt::arange(0, 4, 1, DType::Float64).view({1, 1, 1, 4});
  Tensor plane = r * 2 + c * 3;
  Tensor big = lt::interpolate(plane, {5, 7}, {}, "bilinear", true);
  Tensor r2 = lt::arange(0, 5, 1, DType::Float64).view({1, 1, 5, 1}) * 0.5, c2 = lt::arange(0, 7, 1, DType::Float64).view({1, 1, 1, 7}) * 0.5;
  EXPECT_LT(max_error(big, r2 * 2 + c2 * 3), 1e-12);
  Tensor y = leaf({2, 2, 3, 4}, 31);
  auto f = [](const TensorList& in) {
    return TensorList{lt::interpolate(in[0], {5, 3}, {}, "bilinear"), lt::interpolate(in[0], {}, {1.5}, "nearest"),
                      lt::interpolate(in[0], {2, 3}, {}, "area")};
  };
  EXPECT_TRUE(lt::autograd::gradcheck(f, {y}));
  EXPECT_TRUE(lt::autograd::gradgradcheck(f, {y}));
  EXPECT_THROW(lt::interpolate(y, {5}, {}, "linear"), lt::NotImplementedError);
  EXPECT_THROW(lt::interpolate(y, {5, 3}, {}, "nearest", true), lt::ValueError);
  EXPECT_THROW(lt::interpolate(y, {}, {}), lt::ValueError);
  EXPECT_THROW(lt::interpolate(y, {5, 3}, {}, "bicubic"), lt::NotImplementedError);
}

TEST(BatchNorm, TrainingUpdatesRunningStatistics) {
  Tensor x = ref::random_tensor({4, 3, 5}, DType::Float64, 40, -2, 3);
  Tensor mean = lt::zeros({3}, DType::Float64), var = lt::ones({3}, DType::Float64);
  Tensor y = lt::batch_norm(x, mean, var, std::nullopt, std::nullopt, true, 0.25);
  Tensor m = lt::mean(x, {0, 2}), v = lt::var(x, {0, 2}, 0);
  EXPECT_LT(max_error(y, (x - m.view({1, 3, 1})) / lt::sqrt(v.view({1, 3, 1}) + 1e-5)), 1e-12);
  EXPECT_LT(max_error(mean, m * 0.25), 1e-15);
  EXPECT_LT(max_error(var, lt::var(x, {0, 2}, 1) * 0.25 + 0.75), 1e-15);
  // Evaluation normalizes by the running statistics and leaves them alone.
  Tensor e = lt::batch_norm(x, mean, var);
  EXPECT_LT(max_error(e, (x - mean.view({1, 3, 1})) / lt::sqrt(var.view({1, 3, 1}) + 1e-5)), 1e-12);
  EXPECT_LT(max_error(mean, m * 0.25), 1e-15);
  auto train = [](const TensorList& in) {
    return TensorList{lt::batch_norm(in[0], std::nullopt, std::nullopt, in[1], in[2], true)};
  };
  Tensor xs = leaf({3, 2, 4}, 41), w = leaf({2}, 42), b = leaf({2}, 43);
  EXPECT_TRUE(lt::autograd::gradcheck(train, {xs, w, b}));
  EXPECT_TRUE(lt::autograd::gradgradcheck(train, {xs, w, b}));
  EXPECT_THROW(lt::batch_norm(lt::zeros({1, 3}), std::nullopt, std::nullopt, {}, {}, true), lt::ValueError);
  EXPECT_THROW(lt::batch_norm(x, std::nullopt, std::nullopt), lt::ValueError);
  EXPECT_THROW(lt::batch_norm(x, lt::zeros({4}), var), lt::ShapeError);
}

TEST(GroupNorm, ValuesAndDerivatives) {
  Tensor x = ref::random_tensor({2, 6, 3}, DType::Float64, 50, -2, 3);
  Tensor y = lt::group_norm(x, 2);
  Tensor g = x.view({2, 2, 9});
  Tensor expected = ((g - lt::mean(g, {2}, true)) / lt::sqrt(lt::var(g, {2}, 0, true) + 1e-5)).view({2, 6, 3});
  EXPECT_LT(max_error(y, expected), 1e-12);
  auto f = [](const TensorList& in) { return TensorList{lt::group_norm(in[0], 3, in[1], in[2])}; };
  Tensor xs = leaf({2, 6, 2}, 51), w = leaf({6}, 52), b = leaf({6}, 53);
  EXPECT_TRUE(lt::autograd::gradcheck(f, {xs, w, b}));
  EXPECT_TRUE(lt::autograd::gradgradcheck(f, {xs, w, b}));
  EXPECT_THROW(lt::group_norm(x, 4), lt::ValueError);
  EXPECT_THROW(lt::group_norm(x, 2, lt::ones({3})), lt::ShapeError);
}

}  // namespace
