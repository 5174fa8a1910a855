// Every differentiable operator against finite differences (gradcheck), on contiguous,
// strided and permuted inputs, with broadcasting where the operator broadcasts; second
// derivatives (gradgradcheck) on a representative set.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <functional>
#include <string>
#include <vector>

namespace {

using lt::DType;
using lt::Scalar;
using lt::Shape;
using lt::Tensor;
using lt::autograd::TensorList;

// An input: its shape and the interval its values are drawn from (kept away from the
// points where the operator is not differentiable).
struct Input {
  Shape shape;
  double lo = -2, hi = 2;
};

struct Case {
  std::string name;
  std::vector<Input> inputs;
  std::function<TensorList(const TensorList&)> fn;
  bool second_order = false;
};

enum class Layout { Contiguous, Strided, Permuted };

// A float64 leaf of `in.shape` laid out as `layout`: a step-2 slice of a larger tensor,
// or a permutation of a tensor with the dims reversed.
Tensor make_input(const Input& in, Layout layout) {
  auto uniform = [&](Shape shape) { return lt::rand(shape, DType::Float64) * (in.hi - in.lo) + in.lo; };
  Tensor x;
  if (layout == Layout::Strided && !in.shape.empty()) {
    Shape wide = in.shape;
    wide.back() *= 2;
    x = uniform(wide).slice(-1, 0, wide.back(), 2);
  } else if (layout == Layout::Permuted && in.shape.size() >= 2) {
    Shape reversed(in.shape.rbegin(), in.shape.rend());
    Shape order;
    for (int64_t d = static_cast<int64_t>(in.shape.size()) - 1; d >= 0; --d) order.push_back(d);
    x = uniform(reversed).permute(order);
  } else {
    x = uniform(in.shape);
  }
  x.requires_grad_();
  return x;
}

TensorList one(Tensor t) { return {std::move(t)}; }

#define UNARY(fn, lo, hi, second) \
  Case{#fn, {{{3, 4}, lo, hi}}, [](const TensorList& x) { return one(lt::fn(x[0])); }, second}
#define BINARY(fn, lo, hi, second)                                                                \
  Case{#fn, {{{3, 1}, lo, hi}, {{4}, lo, hi}}, [](const TensorList& x) { return one(lt::fn(x[0], x[1])); }, second}

std::vector<Case> cases() {
  const Tensor mask = lt::from_vector<bool>({true, false, false, true}, {4});
  return {
      // unary
      UNARY(neg, -2, 2, false), UNARY(abs, 0.1, 2, true), UNARY(exp, -2, 2, true), UNARY(exp2, -2, 2, false),
      UNARY(expm1, -2, 2, false), UNARY(log, 0.2, 3, true), UNARY(log2, 0.2, 3, false), UNARY(log10, 0.2, 3, false),
      UNARY(log1p, -0.5, 2, false), UNARY(sqrt, 0.2, 3, true), UNARY(rsqrt, 0.2, 3, true),
      UNARY(reciprocal, 0.3, 3, true), UNARY(sin, -3, 3, true), UNARY(cos, -3, 3, false), UNARY(tan, -1, 1, true),
      UNARY(asin, -0.8, 0.8, false), UNARY(acos, -0.8, 0.8, false), UNARY(atan, -2, 2, false),
      UNARY(sinh, -2, 2, false), UNARY(cosh, -2, 2, false), UNARY(tanh, -2, 2, true), UNARY(asinh, -2, 2, false),
      UNARY(acosh, 1.2, 3, false), UNARY(atanh, -0.8, 0.8, false),
      UNARY(erf, -2, 2, true), UNARY(erfc, -2, 2, false), UNARY(sigmoid, -3, 3, true), UNARY(relu, 0.1, 2, false),
      UNARY(sign, 0.1, 2, false), UNARY(floor, 0.1, 0.9, false), UNARY(ceil, 0.1, 0.9, false),
      UNARY(round, 0.1, 0.4, false), UNARY(trunc, 0.1, 0.9, false), UNARY(frac, 0.1, 0.9, false),
      UNARY(square, -2, 2, true),
      Case{"tanh_backward", {{{3, 4}}, {{4}, -0.9, 0.9}}, [](const TensorList& x) { return one(lt::tanh_backward(x[0], x[1])); }, true},
      Case{"sigmoid_backward", {{{3, 4}}, {{4}, 0.1, 0.9}}, [](const TensorList& x) { return one(lt::sigmoid_backward(x[0], x[1])); }, true},
      Case{"nan_to_num", {{{5}}}, [](const TensorList& x) { return one(lt::nan_to_num(x[0])); }},
      Case{"relu_negative", {{{5}, -2, -0.1}}, [](const TensorList& x) { return one(lt::relu(x[0]) + x[0]); }},
      // binary, broadcasting (3, 1) with (4,)
      Case{"add_alpha", {{{3, 1}}, {{4}}}, [](const TensorList& x) { return one(lt::add(x[0], x[1], 2.5)); }, true},
      Case{"sub_alpha", {{{3, 1}}, {{4}}}, [](const TensorList& x) { return one(lt::sub(x[0], x[1], -1.5)); }},
      BINARY(mul, -2, 2, true), BINARY(div, 0.5, 2, true), BINARY(atan2, 0.5, 2, true),
      BINARY(maximum, -2, 2, false), BINARY(minimum, -2, 2, false), BINARY(pow, 0.5, 2, true),
      Case{"remainder", {{{3, 1}, 0.1, 5}, {{4}, 1.1, 1.9}}, [](const TensorList& x) { return one(lt::remainder(x[0], x[1])); }},
      Case{"fmod", {{{3, 1}, -5, 5}, {{4}, 1.1, 1.9}}, [](const TensorList& x) { return one(lt::fmod(x[0], x[1])); }},
      Case{"div_floor", {{{3, 4}, 0.1, 0.9}, {{4}, 2.1, 2.9}}, [](const TensorList& x) { return one(lt::div(x[0], x[1], "floor") + x[0]); }},
      Case{"scalar_ops", {{{3, 4}, 0.5, 2}}, [](const TensorList& x) {
             return one(lt::div(lt::sub(lt::mul(lt::add(x[0], 2.0), 3.0), 1.0), 0.5) + 2.0 / x[0] - 1.0 * x[0]);
           }, true},
      Case{"pow_scalar", {{{3, 4}, 0.5, 2}}, [](const TensorList& x) {
             return one(lt::pow(x[0], 2.5) + lt::pow(x[0], -1) + lt::pow(x[0], 0) + lt::pow(2.0, x[0]));
           }, true},
      // ternary
      Case{"where", {{{3, 4}}, {{4}}}, [mask](const TensorList& x) { return one(lt::where(mask, x[0], x[1])); }, true},
      Case{"where_scalar", {{{3, 4}}}, [mask](const TensorList& x) { return one(lt::where(mask, x[0], Scalar(1.5)) + lt::where(mask, Scalar(2), x[0])); }},
      Case{"clamp", {{{3, 4}, -3, 3}}, [](const TensorList& x) {
             return one(lt::clamp(x[0], -1.05, 1.05) + lt::clamp(x[0], {}, 0.55) + lt::clamp(x[0], -0.55, {}));
           }, true},
      Case{"lerp", {{{3, 1}}, {{4}}, {{3, 4}}}, [](const TensorList& x) { return one(lt::lerp(x[0].expand({3, 4}), x[1].expand({3, 4}), x[2])); }, true},
      Case{"lerp_scalar", {{{3, 4}}, {{3, 4}}}, [](const TensorList& x) { return one(lt::lerp(x[0], x[1], 0.3)); }},
      // reductions
      Case{"sum", {{{2, 3, 4}}}, [](const TensorList& x) { return TensorList{lt::sum(x[0]), lt::sum(x[0], {0, 2}), lt::sum(x[0], {1}, true)}; }, true},
      Case{"mean", {{{2, 3, 4}}}, [](const TensorList& x) { return TensorList{lt::mean(x[0]), lt::mean(x[0], {-1}), lt::mean(x[0], {0, 1}, true)}; }, true},
      Case{"prod", {{{2, 3, 4}, 0.5, 1.5}}, [](const TensorList& x) { return TensorList{lt::prod(x[0]), lt::prod(x[0], {1}, true)}; }, true},
      Case{"amax_amin", {{{3, 4}}}, [](const TensorList& x) {
             return TensorList{lt::amax(x[0]), lt::amax(x[0], {1}), lt::amin(x[0], {0}, true), lt::max(x[0]), lt::min(x[0])};
           }, true},
      Case{"max_min_dim", {{{3, 4}}}, [](const TensorList& x) {
             return TensorList{std::get<0>(lt::max(x[0], 1)), std::get<0>(lt::min(x[0], 0, true))};
           }, true},
      Case{"var_std", {{{3, 4}}}, [](const TensorList& x) {
             return TensorList{lt::var(x[0]), lt::var(x[0], {1}, 0), lt::std(x[0], {0}, 1, true), lt::std(x[0])};
           }, true},
      // views
      Case{"view_reshape_flatten", {{{3, 4}}}, [](const TensorList& x) {
             return TensorList{x[0].reshape({2, 6}) * lt::arange(6, DType::Float64), x[0].flatten() * 2,
                               x[0].contiguous().view({4, 3}) * 3};
           }, true},
      Case{"permute_transpose_t", {{{2, 3, 4}}}, [](const TensorList& x) {
             return TensorList{x[0].permute({2, 0, 1}) * 2, x[0].transpose(0, 2) * 3, x[0].select(0, 1).t() * 4};
           }, true},
      Case{"expand", {{{3, 1}}}, [](const TensorList& x) { return one(x[0].expand({2, 3, 4}) * lt::arange(24, DType::Float64).view({2, 3, 4})); }, true},
      Case{"slice_narrow_select", {{{5, 6}}}, [](const TensorList& x) {
             return TensorList{x[0].slice(1, 1, 6, 2) * 2, x[0].slice(0, 4, 0, -2) * 3, x[0].narrow(0, 1, 3) * 4,
                               x[0].select(1, -1) * 5};
           }, true},
      Case{"squeeze_unsqueeze", {{{3, 1, 4}}}, [](const TensorList& x) {
             return TensorList{x[0].squeeze() * 2, x[0].squeeze(1).unsqueeze(0) * 3};
           }},
      Case{"diagonal", {{{3, 4}}}, [](const TensorList& x) {
             return TensorList{x[0].diagonal() * 2, x[0].diagonal(1) * 3, x[0].diagonal(-1) * 4};
           }, true},
      Case{"as_strided", {{{3, 4}}}, [](const TensorList& x) {
             Tensor c = x[0] * 1;  // a contiguous base for fixed strides
             return one(c.as_strided({2, 2}, {4, 2}, 1) * 3);
           }, true},
      Case{"as_strided_overlapping", {{{12}}}, [](const TensorList& x) {
             return one((x[0] * 1).as_strided({3, 3}, {2, 1}, 1) * lt::arange(9, DType::Float64).view({3, 3}));
           }, true},
      Case{"unfold", {{{7}}}, [](const TensorList& x) { return one(x[0].unfold(0, 3, 1) * lt::arange(15, DType::Float64).view({5, 3})); }, true},
      Case{"flip_clone", {{{3, 4}}}, [](const TensorList& x) { return TensorList{lt::flip(x[0], {0, 1}) * 2, x[0].clone() * 3}; }},
      // in place under autograd
      Case{"inplace_arithmetic", {{{3, 4}}, {{4}, 0.5, 2}}, [](const TensorList& x) {
             Tensor y = x[0] * 1;
             y.add_(x[1], 2).mul_(x[1]).sub_(x[1]).div_(x[1]).mul_(1.5).add_(0.5);
             return one(y);
           }, true},
      Case{"inplace_clamp", {{{3, 4}, -3, 3}}, [](const TensorList& x) {
             Tensor y = x[0] * 1;
             y.clamp_(-1.05, 1.05);
             return one(y);
           }},
      Case{"inplace_through_views", {{{4, 4}}, {{2, 4}}}, [](const TensorList& x) {
             Tensor y = x[0] * 1;
             y.slice(0, 1, 3).mul_(x[1]);
             y.select(1, 0).add_(1.0);
             y.t().slice(0, 2, 3).fill_(0.5);
             return one(y * y);
           }, true},
      Case{"copy_into_view", {{{3}}, {{2, 3}}}, [](const TensorList& x) {
             Tensor y = lt::zeros({2, 4, 3}, DType::Float64);
             y.select(1, 2).copy_(x[0]);  // broadcast into a view
             y.slice(1, 0, 2).copy_(x[1].unsqueeze(1));
             return one(y * 2);
           }, true},
  };
}

struct Param {
  Case c;
  Layout layout;
};

class Gradcheck : public ::testing::TestWithParam<Param> {};

TEST_P(Gradcheck, MatchesFiniteDifferences) {
  const Param& p = GetParam();
  lt::manual_seed(7);
  TensorList inputs;
  for (const Input& in : p.c.inputs) inputs.push_back(make_input(in, p.layout));
  EXPECT_TRUE(lt::autograd::gradcheck(p.c.fn, inputs));
  if (p.c.second_order && p.layout != Layout::Permuted) EXPECT_TRUE(lt::autograd::gradgradcheck(p.c.fn, inputs));
}

std::vector<Param> params() {
  std::vector<Param> out;
  for (const Case& c : cases()) {
    for (Layout l : {Layout::Contiguous, Layout::Strided, Layout::Permuted}) out.push_back({c, l});
  }
  return out;
}

std::string param_name(const ::testing::TestParamInfo<Param>& info) {
  static const char* const kLayouts[] = {"contiguous", "strided", "permuted"};
  return info.param.c.name + "_" + kLayouts[static_cast<int>(info.param.layout)];
}

INSTANTIATE_TEST_SUITE_P(Ops, Gradcheck, ::testing::ValuesIn(params()), param_name);

// gradcheck itself must catch a wrong derivative.
struct WrongSquare : lt::autograd::Function<WrongSquare> {
  static Tensor forward(lt::autograd::AutogradContext* ctx, const Tensor& x) {
    ctx->save_for_backward({x});
    return x * x;
  }
  static TensorList backward(lt::autograd::AutogradContext* ctx, TensorList g) {
    return {g[0] * ctx->get_saved_variables()[0] * 2.01};
  }
};

TEST(GradcheckItself, CatchesAWrongDerivative) {
  Tensor x = lt::rand({4}, DType::Float64) + 0.5;
  x.requires_grad_();
  auto fn = [](const TensorList& in) { return one(WrongSquare::apply(in[0])); };
  EXPECT_THROW(lt::autograd::gradcheck(fn, {x}), lt::GradcheckError);
  lt::autograd::GradcheckOptions quiet;
  quiet.raise_exception = false;
  EXPECT_FALSE(lt::autograd::gradcheck(fn, {x}, quiet));
}

TEST(GradcheckItself, RefusesFloat32AndOverlappingInputs) {
  Tensor f = lt::rand({3});
  f.requires_grad_();
  auto id = [](const TensorList& in) { return one(in[0] * 2); };
  EXPECT_THROW(lt::autograd::gradcheck(id, {f}), lt::DTypeError);
  Tensor e = lt::rand({1}, DType::Float64).expand({3});
  e.requires_grad_();
  EXPECT_THROW(lt::autograd::gradcheck(id, {e}), lt::ValueError);
}

}  // namespace
