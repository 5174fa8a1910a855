// Autograd semantics, point by point as PyTorch has them: leaves and grad_fn, grad
// modes, accumulation, retain_graph, higher orders, hooks, views and in-place writes,
// version counters, custom functions, threads, long chains and freeing the graph.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

namespace {

using lt::DType;
using lt::Tensor;
using lt::autograd::TensorList;

Tensor leaf(std::vector<double> values, lt::Shape shape = {}) {
  Tensor t = lt::from_vector<double>(values, shape);
  t.requires_grad_();
  return t;
}

std::vector<double> vals(const Tensor& t) {
  lt::autograd::NoGradGuard no_grad;
  Tensor c = t.to(DType::Float64).contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

void expect_values(const Tensor& t, const std::vector<double>& expected, double tol = 1e-12) {
  ASSERT_TRUE(t.defined());
  auto got = vals(t);
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected[i], tol) << "element " << i;
}

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const lt::Error& e) {
    return e.what();
  }
  return "";
}

// --- leaves, grad_fn, detach ---------------------------------------------------------------

TEST(Autograd, LeavesAndHistory) {
  Tensor x = leaf({1, 2, 3});
  EXPECT_TRUE(x.requires_grad());
  EXPECT_TRUE(x.is_leaf());
  EXPECT_EQ(x.grad_fn(), nullptr);
  Tensor y = lt::exp(x);
  EXPECT_TRUE(y.requires_grad());
  EXPECT_FALSE(y.is_leaf());
  ASSERT_NE(y.grad_fn(), nullptr);
  EXPECT_EQ(y.grad_fn()->name(), "ExpBackward0");
  EXPECT_EQ(lt::bitwise_and(y > 1, y < 5).requires_grad(), false);  // bool results have no history
  Tensor c = lt::ones({3}, DType::Float64);
  EXPECT_FALSE(c.requires_grad());
  EXPECT_FALSE((c * 2).requires_grad());
}

TEST(Autograd, OnlyFloatingTensorsRequireGrad) {
  Tensor i = lt::arange(3);
  std::string msg = error_of([&] { i.requires_grad_(); });
  EXPECT_NE(msg.find("[requires_grad_]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("int64"), std::string::npos) << msg;
  EXPECT_THROW(i.requires_grad_(), lt::DTypeError);
  Tensor y = lt::exp(leaf({1}));
  EXPECT_THROW(y.requires_grad_(false), lt::ValueError);  // not a leaf
}

TEST(Autograd, DetachSharesStorageAndVersion) {
  Tensor x = leaf({1, 2, 3});
  Tensor y = x * 2;
  Tensor d = y.detach();
  EXPECT_FALSE(d.requires_grad());
  EXPECT_TRUE(d.is_leaf());
  EXPECT_EQ(d.data(), y.data());
  d.fill_(7);
  expect_values(y, {7, 7, 7});
  EXPECT_EQ(d.version(), y.version());
}

TEST(Autograd, DetachedWriteTripsTheVersionCheck) {
  Tensor x = leaf({1, 2});
  Tensor v = x * 1;
  Tensor through_sum = lt::sum(v);         // SumBackward saves nothing
  Tensor through_sin = lt::sum(lt::sin(v));  // SinBackward saves v
  v.detach().mul_(2.0);
  std::string msg = error_of([&] { through_sin.backward(); });
  EXPECT_NE(msg.find("SinBackward"), std::string::npos) << msg;
  const std::string saved_at = "expected version " + std::to_string(v.version() - 1) + " instead";
  EXPECT_NE(msg.find("is at version " + std::to_string(v.version())), std::string::npos) << msg;
  EXPECT_NE(msg.find(saved_at), std::string::npos) << msg;
  EXPECT_NO_THROW(through_sum.backward());
  expect_values(x.grad(), {1, 1});
}

// --- grad modes ------------------------------------------------------------------------------

TEST(Autograd, NoGradRecordsNothing) {
  Tensor x = leaf({1, 2});
  {
    lt::autograd::NoGradGuard no_grad;
    EXPECT_FALSE(lt::autograd::is_grad_enabled());
    Tensor y = x * 2;
    EXPECT_FALSE(y.requires_grad());
    {
      lt::autograd::EnableGradGuard enable;
      EXPECT_TRUE((x * 2).requires_grad());
    }
    x.add_(1.0);  // leaves may be updated without grad mode
  }
  EXPECT_TRUE(lt::autograd::is_grad_enabled());
  expect_values(x, {2, 3});
  lt::autograd::set_grad_enabled(false);
  EXPECT_FALSE((x * 2).requires_grad());
  lt::autograd::set_grad_enabled(true);
  EXPECT_TRUE((x * 2).requires_grad());
}

TEST(Autograd, GradModeIsPerThread) {
  Tensor x = leaf({1, 2});
  lt::autograd::NoGradGuard no_grad;
  bool other_records = false;
  std::thread t([&] { other_records = (x * 2).requires_grad(); });
  t.join();
  EXPECT_TRUE(other_records);
  EXPECT_FALSE((x * 2).requires_grad());
}

TEST(Autograd, InferenceModeRecordsNothingEvenWithGradEnabled) {
  Tensor x = leaf({1, 2});
  {
    lt::autograd::InferenceMode inference;
    EXPECT_TRUE(lt::autograd::is_inference_mode_enabled());
    EXPECT_FALSE((x * 2).requires_grad());
    lt::autograd::EnableGradGuard enable;
    EXPECT_FALSE(lt::exp(x).requires_grad());
  }
  EXPECT_FALSE(lt::autograd::is_inference_mode_enabled());
  EXPECT_TRUE(lt::exp(x).requires_grad());
}

// --- backward, accumulation, retain_graph -------------------------------------------------------

TEST(Autograd, GradientsAccumulateIntoLeaves) {
  Tensor x = leaf({1, 2, 3});
  lt::sum(x * x).backward();
  expect_values(x.grad(), {2, 4, 6});
  lt::sum(x * 3).backward();
  expect_values(x.grad(), {5, 7, 9});
  x.set_grad({});
  EXPECT_FALSE(x.grad().defined());
}

TEST(Autograd, SecondBackwardThroughFreedGraphSaysRetainGraph) {
  Tensor x = leaf({1, 2});
  Tensor y = lt::sum(lt::exp(x));
  y.backward();
  std::string msg = error_of([&] { y.backward(); });
  EXPECT_NE(msg.find("retain_graph"), std::string::npos) << msg;
  EXPECT_NE(msg.find("ExpBackward0"), std::string::npos) << msg;
  EXPECT_THROW(y.backward(), lt::AutogradError);

  Tensor z = lt::sum(lt::exp(x));
  x.set_grad({});
  z.backward({}, true);
  z.backward();
  expect_values(x.grad(), {2 * std::exp(1.0), 2 * std::exp(2.0)});
}

TEST(Autograd, BackwardNeedsAGradientForNonScalars) {
  Tensor x = leaf({1, 2});
  Tensor y = x * 2;
  std::string msg = error_of([&] { y.backward(); });
  EXPECT_NE(msg.find("scalar outputs"), std::string::npos) << msg;
  y.backward(lt::from_vector<double>({1, 10}));
  expect_values(x.grad(), {2, 20});
  EXPECT_THROW(y.backward(lt::ones({3}, DType::Float64)), lt::ShapeError);
  EXPECT_THROW(lt::ones({2}).backward(), lt::ValueError);  // no history
}

TEST(Autograd, GradReturnsInsteadOfAccumulating) {
  Tensor x = leaf({1, 2}), unused = leaf({5});
  Tensor y = lt::sum(x * x * x);
  TensorList g = lt::autograd::grad({y}, {x}, {}, true);
  expect_values(g[0], {3, 12});
  EXPECT_FALSE(x.grad().defined());
  std::string msg = error_of([&] { lt::autograd::grad({y}, {x, unused}, {}, true); });
  EXPECT_NE(msg.find("allow_unused"), std::string::npos) << msg;
  g = lt::autograd::grad({y}, {x, unused}, {}, true, false, true);
  EXPECT_TRUE(g[0].defined());
  EXPECT_FALSE(g[1].defined());
}

TEST(Autograd, GradWithRespectToAnIntermediate) {
  Tensor x = leaf({1, 2});
  Tensor h = x * 3;
  Tensor y = lt::sum(h * h);
  TensorList g = lt::autograd::grad({y}, {h});
  expect_values(g[0], {6, 12});
  EXPECT_FALSE(x.grad().defined());
}

TEST(Autograd, CreateGraphGivesThirdOrderDerivatives) {
  Tensor x = leaf({0.5, 2});
  Tensor y = lt::sum(lt::pow(x, 4.0));
  Tensor d1 = lt::autograd::grad({y}, {x}, {}, {}, true)[0];
  expect_values(d1, {4 * 0.125, 4 * 8});
  EXPECT_TRUE(d1.requires_grad());
  Tensor d2 = lt::autograd::grad({lt::sum(d1)}, {x}, {}, {}, true)[0];
  expect_values(d2, {12 * 0.25, 12 * 4});
  Tensor d3 = lt::autograd::grad({lt::sum(d2)}, {x}, {}, {}, true)[0];
  expect_values(d3, {24 * 0.5, 24 * 2});
  // Through transcendental formulas too: d3/dx3 sin = -cos.
  Tensor s = lt::sum(lt::sin(x));
  Tensor s1 = lt::autograd::grad({s}, {x}, {}, {}, true)[0];
  Tensor s2 = lt::autograd::grad({lt::sum(s1)}, {x}, {}, {}, true)[0];
  Tensor s3 = lt::autograd::grad({lt::sum(s2)}, {x})[0];
  expect_values(s3, {-std::cos(0.5), -std::cos(2.0)});
}

TEST(Autograd, BackwardWithCreateGraphAccumulatesDifferentiableGrads) {
  Tensor x = leaf({3});
  lt::sum(x * x * x).backward({}, {}, true);
  EXPECT_TRUE(x.grad().requires_grad());
  expect_values(x.grad(), {27});
  Tensor g2 = lt::autograd::grad({lt::sum(x.grad())}, {x})[0];
  expect_values(g2, {18});
  // As in PyTorch, x.grad's history holds x: the pair is a cycle until grad is reset.
  x.set_grad({});
}

// --- broadcasting, views, in-place ------------------------------------------------------------------

TEST(Autograd, BroadcastGradientsAreReduced) {
  Tensor a = leaf({1, 2, 3}, {3, 1}), b = leaf({10, 20, 30, 40}, {4});
  Tensor y = a * b;
  EXPECT_EQ(y.sizes(), (lt::Shape{3, 4}));
  lt::sum(y).backward();
  EXPECT_EQ(a.grad().sizes(), (lt::Shape{3, 1}));
  EXPECT_EQ(b.grad().sizes(), (lt::Shape{4}));
  expect_values(a.grad(), {100, 100, 100});
  expect_values(b.grad(), {6, 6, 6, 6});
}

TEST(Autograd, MixedDtypeGradientsComeBackInTheInputDtype) {
  Tensor a = leaf({1, 2});
  Tensor b = lt::from_vector<float>({3, 4});
  b.requires_grad_();
  lt::sum(a * b).backward();
  EXPECT_EQ(a.grad().dtype(), DType::Float64);
  EXPECT_EQ(b.grad().dtype(), DType::Float32);
  expect_values(b.grad(), {1, 2});
}

TEST(Autograd, ViewGradientsFlowToTheBase) {
  Tensor x = leaf({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor v = x.t().slice(0, 1, 3).select(1, 1);  // x[1, 1:3]
  lt::sum(v * v).backward();
  expect_values(x.grad(), {0, 0, 0, 0, 10, 12});
}

TEST(Autograd, InPlaceOnANonLeafIsRecorded) {
  Tensor x = leaf({1, 2, 3});
  Tensor y = x * 2;
  y.mul_(x);  // y = 2x^2
  EXPECT_EQ(y.grad_fn()->name(), "MulBackward0");
  lt::sum(y).backward();
  expect_values(x.grad(), {4, 8, 12});
}

TEST(Autograd, InPlaceOnALeafIsRefused) {
  Tensor x = leaf({1, 2});
  std::string msg = error_of([&] { x.add_(1.0); });
  EXPECT_NE(msg.find("[add_]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("leaf"), std::string::npos) << msg;
  EXPECT_THROW(x.slice(0, 0, 1).mul_(2.0), lt::AutogradError);
  expect_values(x, {1, 2});  // nothing written
}

TEST(Autograd, InPlaceThroughAViewUpdatesTheBase) {
  Tensor x = leaf({1, 2, 3, 4});
  Tensor w = leaf({10, 20});
  Tensor y = x * 1;
  Tensor v = y.slice(0, 1, 3);
  v.mul_(w);  // y = [x0, 10 x1, 20 x2, x3]
  EXPECT_EQ(y.grad_fn()->name(), "CopySlices");
  lt::sum(y * y).backward();
  expect_values(x.grad(), {2, 2 * 100 * 2, 2 * 400 * 3, 8});
  expect_values(w.grad(), {2 * 10 * 4, 2 * 20 * 9});
}

TEST(Autograd, AViewSeesAnInPlaceWriteToItsBase) {
  Tensor x = leaf({1, 2, 3});
  Tensor y = x * 1;
  Tensor v = y.slice(0, 0, 2);
  y.mul_(x);  // y = x^2; v still views y
  lt::sum(v).backward();
  expect_values(x.grad(), {2, 4, 0});
}

TEST(Autograd, CopyIntoAConstantMakesItRequireGrad) {
  Tensor x = leaf({5, 6});
  Tensor buffer = lt::zeros({4}, DType::Float64);
  buffer.slice(0, 1, 3).copy_(x);
  EXPECT_TRUE(buffer.requires_grad());
  lt::sum(buffer * lt::from_vector<double>({1, 2, 3, 4})).backward();
  expect_values(x.grad(), {2, 3});
}

TEST(Autograd, FillingAViewCutsTheGradientThere) {
  Tensor x = leaf({1, 2, 3});
  Tensor y = x * 3;
  y.slice(0, 1, 2).fill_(0);
  lt::sum(y).backward();
  expect_values(x.grad(), {3, 0, 3});
}

TEST(Autograd, ModifyingASavedTensorBreaksBackwardWithVersions) {
  Tensor x = leaf({1, 2});
  Tensor y = x * 1;
  Tensor loss = lt::sum(y);
  Tensor z = lt::sum(lt::sin(y));
  y.add_(1.0);
  std::string msg = error_of([&] { z.backward(); });
  EXPECT_NE(msg.find("[autograd]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("modified by an inplace operation"), std::string::npos) << msg;
  EXPECT_NE(msg.find("SinBackward"), std::string::npos) << msg;
  EXPECT_NE(msg.find("is at version " + std::to_string(y.version()) + "; expected version " +
                     std::to_string(y.version() - 1)),
            std::string::npos)
      << msg;
  EXPECT_NO_THROW(loss.backward());  // sum saved nothing
}

TEST(Autograd, InPlaceOnATensorItsOwnOperationSavedKeepsTheOldValue) {
  // y.mul_(w) needs y's old value for w's gradient: it is kept, not an error.
  Tensor x = leaf({1, 2}), w = leaf({3, 4});
  Tensor y = x * 1;
  y.mul_(w);
  lt::sum(y).backward();
  expect_values(w.grad(), {1, 2});
  expect_values(x.grad(), {3, 4});
}

TEST(Autograd, InPlaceOnAReductionResultKeepsBothHistories) {
  Tensor a = leaf({1, 2, 3}), b = leaf({4, 5, 6});
  Tensor loss = lt::sum(a);
  loss.add_(lt::sum(b));
  loss.mul_(0.5);
  loss.backward();
  expect_values(a.grad(), {0.5, 0.5, 0.5});
  expect_values(b.grad(), {0.5, 0.5, 0.5});
  Tensor x = leaf({1, 2, 3, 4}, {2, 2});
  Tensor rows = lt::sum(x, {1});
  Tensor seen = rows.unsqueeze(0);
  rows.mul_(2.0);
  lt::sum(seen).backward();
  expect_values(x.grad(), {2, 2, 2, 2});
}

TEST(Autograd, CopyIntoAnIntegerTensorRecordsNothing) {
  Tensor x = leaf({1.5, 2.5});
  Tensor i = lt::zeros({2}, DType::Int64);
  i.copy_(x);
  EXPECT_FALSE(i.requires_grad());
  EXPECT_THROW(lt::sum(i.to(DType::Float64)).backward(), lt::ValueError);
}

TEST(Autograd, LeafGradientsNeverAliasTheCallersTensors) {
  Tensor x = leaf({1, 2, 3});
  Tensor g = lt::ones({3}, DType::Float64);
  (x + 1).backward(g, {}, true);
  EXPECT_FALSE(x.grad().is_same(g));
  (x + 1).backward(lt::ones({3}, DType::Float64));
  expect_values(g, {1, 1, 1});
  expect_values(x.grad(), {2, 2, 2});
  Tensor y = leaf({1, 2});
  lt::sum(y).backward({}, {}, true);  // the gradient arrives as an expanded view
  {
    lt::autograd::NoGradGuard no_grad;
    EXPECT_NO_THROW(y.grad().zero_());
  }
  x.set_grad({});  // break the create_graph cycles
  y.set_grad({});
}

// --- hooks ---------------------------------------------------------------------------------------------

TEST(Autograd, TensorHooksSeeAndReplaceGradients) {
  Tensor x = leaf({1, 2});
  Tensor h = x * 2;
  std::vector<double> seen;
  h.register_hook([&](const Tensor& g) {
    seen = vals(g);
    return g * 10;
  });
  lt::sum(h * 3).backward();
  EXPECT_EQ(seen, (std::vector<double>{3, 3}));
  expect_values(x.grad(), {60, 60});
}

TEST(Autograd, LeafHooksAndPostAccumulateHooks) {
  Tensor x = leaf({1, 2});
  int id = x.register_hook([](const Tensor& g) { return g * 2; });
  std::vector<double> after;
  x.register_post_accumulate_grad_hook([&](const Tensor& t) { after = vals(t.grad()); });
  lt::sum(x * 1).backward();
  expect_values(x.grad(), {2, 2});
  EXPECT_EQ(after, (std::vector<double>{2, 2}));
  x.remove_hook(id);
  lt::sum(x * 1).backward();
  expect_values(x.grad(), {3, 3});
  // The leaf's hook also applies to gradients returned by autograd::grad.
  x.register_hook([](const Tensor& g) { return g * 5; });
  expect_values(lt::autograd::grad({lt::sum(x * 1)}, {x})[0], {5, 5});
}

TEST(Autograd, RetainGradKeepsANonLeafGradient) {
  Tensor x = leaf({1, 2});
  Tensor h = x * 2;
  h.retain_grad();
  EXPECT_TRUE(h.retains_grad());
  Tensor y = h * h;
  lt::sum(y).backward({}, true);
  expect_values(h.grad(), {4, 8});
  lt::sum(y).backward();
  expect_values(h.grad(), {8, 16});
  Tensor other = x * 3;
  lt::sum(other).backward();
  EXPECT_FALSE(other.grad().defined());
}

TEST(Autograd, AHookMayRegisterMoreHooks) {
  Tensor x = leaf({1, 2});
  Tensor y = x * 2;
  int calls = 0;
  y.register_hook([&](const Tensor& g) {
    for (int i = 0; i < 8; ++i) y.register_hook([&](const Tensor&) { ++calls; return Tensor(); });
    return g;
  });
  lt::sum(y).backward();
  expect_values(x.grad(), {2, 2});
}

TEST(Autograd, HookOnATensorWithoutGradIsRefused) {
  Tensor c = lt::ones({2});
  EXPECT_THROW(c.register_hook([](const Tensor& g) { return g; }), lt::ValueError);
}

// --- custom functions ---------------------------------------------------------------------------------

struct Cube : lt::autograd::Function<Cube> {
  static constexpr const char* name = "Cube";
  static Tensor forward(lt::autograd::AutogradContext* ctx, const Tensor& x) {
    ctx->save_for_backward({x});
    return x * x * x;
  }
  static TensorList backward(lt::autograd::AutogradContext* ctx, TensorList grads) {
    Tensor x = ctx->get_saved_variables()[0];
    return {grads[0] * 3 * x * x};
  }
};

// Two outputs, one of them an integer index; saves its output.
struct ExpAndArgmax : lt::autograd::Function<ExpAndArgmax> {
  static TensorList forward(lt::autograd::AutogradContext* ctx, const Tensor& x, double scale) {
    Tensor y = lt::exp(x) * scale;
    Tensor i = lt::argmax(x);
    ctx->save_for_backward({y});
    ctx->mark_non_differentiable({i});
    ctx->saved_data["scale"] = scale;
    return {y, i};
  }
  static TensorList backward(lt::autograd::AutogradContext* ctx, TensorList grads) {
    EXPECT_TRUE(ctx->needs_input_grad(0));
    EXPECT_EQ(std::any_cast<double>(ctx->saved_data["scale"]), 2.0);
    return {grads[0] * ctx->get_saved_variables()[0]};
  }
};

TEST(Autograd, CustomFunctions) {
  Tensor x = leaf({1, 2});
  Tensor y = Cube::apply(x);
  EXPECT_EQ(y.grad_fn()->name(), "CubeBackward");
  lt::sum(y).backward();
  expect_values(x.grad(), {3, 12});
  auto cube = [](const TensorList& in) { return TensorList{Cube::apply(in[0])}; };
  EXPECT_TRUE(lt::autograd::gradcheck(cube, {leaf({0.5, -1.5})}));
  EXPECT_TRUE(lt::autograd::gradgradcheck(cube, {leaf({0.5, -1.5})}));

  Tensor z = leaf({0.1, 0.7, 0.3});
  TensorList out = ExpAndArgmax::apply(z, 2.0);
  EXPECT_FALSE(out[1].requires_grad());
  lt::sum(out[0]).backward();
  expect_values(z.grad(), {2 * std::exp(0.1), 2 * std::exp(0.7), 2 * std::exp(0.3)});
  std::weak_ptr<lt::autograd::Node> node = out[0].grad_fn();
  out.clear();
  EXPECT_TRUE(node.expired());  // saving an output made no cycle

  lt::autograd::NoGradGuard no_grad;
  EXPECT_FALSE(Cube::apply(x).requires_grad());
}

// Two outputs; backward reads both gradients, whether or not each output was used.
struct TwoOutputs : lt::autograd::Function<TwoOutputs> {
  static TensorList forward(lt::autograd::AutogradContext*, const Tensor& x) { return {x * 2, x * 3}; }
  static TensorList backward(lt::autograd::AutogradContext*, TensorList g) { return {g[0] * 2 + g[1] * 3}; }
};

TEST(Autograd, UnusedOutputsOfACustomFunctionGetZeroGradients) {
  Tensor x = leaf({1, 2});
  TensorList out = TwoOutputs::apply(x);
  out[1].retain_grad();
  lt::sum(out[0]).backward();
  expect_values(x.grad(), {2, 2});
  EXPECT_FALSE(out[1].grad().defined());
}

// --- graphs: lifetime, length, threads -------------------------------------------------------------------

TEST(Autograd, SavingAnOutputMakesNoCycle) {
  Tensor x = leaf({1, 2});
  std::weak_ptr<lt::autograd::Node> node;
  {
    Tensor y = lt::tanh(x);  // saves y
    node = y.grad_fn();
    EXPECT_FALSE(node.expired());
  }
  EXPECT_TRUE(node.expired());
}

TEST(Autograd, AFinishedGraphReleasesItsMemory) {
  const int64_t before = lt::memory_stats().allocated;
  {
    Tensor x = lt::randn({256, 256}, DType::Float64);
    x.requires_grad_();
    Tensor y = lt::sigmoid(lt::exp(x * 0.1) * x);
    Tensor loss = lt::sum(lt::tanh(y));
    const int64_t with_graph = lt::memory_stats().allocated;
    loss.backward();
    // Saved tensors go with backward; what stays is x, x.grad and loss's own small buffers.
    EXPECT_LT(lt::memory_stats().allocated, with_graph);
    EXPECT_TRUE(x.grad().defined());
  }
  EXPECT_EQ(lt::memory_stats().allocated, before);
}

TEST(Autograd, AHundredThousandOperationChain) {
  Tensor x = leaf({1.0});
  Tensor y = x;
  for (int i = 0; i < 100000; ++i) y = y * 1.0000001;
  lt::sum(y).backward();
  expect_values(x.grad(), {std::pow(1.0000001, 100000)}, 1e-9);
  std::weak_ptr<lt::autograd::Node> last = y.grad_fn();
  y = Tensor();  // frees 100,000 nodes without recursion
  EXPECT_TRUE(last.expired());
}

TEST(Autograd, IndependentGraphsRunBackwardConcurrently) {
  constexpr int kThreads = 8;
  std::vector<double> results(kThreads);
  std::vector<std::string> errors(kThreads);
  Tensor shared = leaf({1.0});
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int it = 0; it < 50; ++it) {
          Tensor x = lt::full({16}, static_cast<double>(t), DType::Float64);
          x.requires_grad_();
          Tensor loss = lt::sum(lt::sin(x) * lt::exp(x * 0.01)) + lt::sum(shared * 1.0);
          loss.backward();
          results[t] = vals(x.grad())[0];
        }
      } catch (const std::exception& e) {
        errors[t] = e.what();
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(errors[t], "");
    const double v = t;
    const double expected = std::cos(v) * std::exp(v * 0.01) + std::sin(v) * std::exp(v * 0.01) * 0.01;
    EXPECT_NEAR(results[t], expected, 1e-9 * std::max(1.0, std::abs(expected)));
  }
  // Every thread's every iteration added 1 to the shared leaf.
  expect_values(shared.grad(), {kThreads * 50.0});
}

}  // namespace
