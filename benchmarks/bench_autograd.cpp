// The cost of autograd itself: a forward and backward of three operations on
// one-element tensors (where the graph, not arithmetic, is the work), and the engine's
// cost per node on a long chain. compare.py runs PyTorch on the same workloads.
#include <benchmark/benchmark.h>
#include <libtensor/libtensor.h>

namespace {

lt::Tensor leaf(double v) {
  lt::Tensor t = lt::full({1}, v, lt::DType::Float32);
  t.requires_grad_();
  return t;
}

// tanh(a * b + a), then backward: three recorded operations and two leaves.
void BM_small_forward_backward(benchmark::State& state) {
  lt::Tensor a = leaf(0.5), b = leaf(-1.5);
  for (auto _ : state) {
    lt::Tensor y = lt::tanh(a * b + a);
    y.backward();
  }
}
BENCHMARK(BM_small_forward_backward)->Unit(benchmark::kMicrosecond);

// The same forward without recording, for the share autograd adds.
void BM_small_forward_no_grad(benchmark::State& state) {
  lt::Tensor a = leaf(0.5), b = leaf(-1.5);
  lt::autograd::NoGradGuard no_grad;
  for (auto _ : state) benchmark::DoNotOptimize(lt::tanh(a * b + a));
}
BENCHMARK(BM_small_forward_no_grad)->Unit(benchmark::kMicrosecond);

// Backward through a chain of `n` multiplications, per node.
void BM_backward_per_node(benchmark::State& state) {
  const int64_t n = state.range(0);
  lt::Tensor x = leaf(1.0);
  for (auto _ : state) {
    state.PauseTiming();
    lt::Tensor y = x;
    for (int64_t i = 0; i < n; ++i) y = y * 1.0;
    state.ResumeTiming();
    y.backward();
    state.PauseTiming();
    y = lt::Tensor();  // freeing the graph is not part of backward
    state.ResumeTiming();
  }
  state.counters["per_node_ns"] = benchmark::Counter(static_cast<double>(state.iterations() * n),
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_backward_per_node)->Arg(1000)->Unit(benchmark::kMicrosecond);

// Recording cost: forward of the same chain with and without grad, per node.
void BM_record_per_node(benchmark::State& state) {
  const int64_t n = state.range(0);
  const bool grad = state.range(1) != 0;
  lt::Tensor x = leaf(1.0);
  lt::autograd::AutoGradMode mode(grad);
  for (auto _ : state) {
    lt::Tensor y = x;
    for (int64_t i = 0; i < n; ++i) y = y * 1.0;
    benchmark::DoNotOptimize(y);
  }
  state.counters["per_node_ns"] = benchmark::Counter(static_cast<double>(state.iterations() * n),
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_record_per_node)->Args({1000, 1})->Args({1000, 0})->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
