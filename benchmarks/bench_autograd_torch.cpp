// bench_autograd's small forward and backward, in PyTorch's own C++ (libtorch), for a
// comparison without Python in the way. Built when Debian's python3-torch is installed.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

namespace {

void BM_torch_small_forward_backward(benchmark::State& state) {
  torch::Tensor a = torch::full({1}, 0.5, torch::requires_grad());
  torch::Tensor b = torch::full({1}, -1.5, torch::requires_grad());
  for (auto _ : state) {
    torch::Tensor y = torch::tanh(a * b + a);
    y.backward();
  }
}
BENCHMARK(BM_torch_small_forward_backward)->Unit(benchmark::kMicrosecond);

void BM_torch_small_forward_no_grad(benchmark::State& state) {
  torch::Tensor a = torch::full({1}, 0.5, torch::requires_grad());
  torch::Tensor b = torch::full({1}, -1.5, torch::requires_grad());
  torch::NoGradGuard no_grad;
  for (auto _ : state) benchmark::DoNotOptimize(torch::tanh(a * b + a));
}
BENCHMARK(BM_torch_small_forward_no_grad)->Unit(benchmark::kMicrosecond);

void BM_torch_backward_per_node(benchmark::State& state) {
  const int64_t n = state.range(0);
  torch::Tensor x = torch::full({1}, 1.0, torch::requires_grad());
  for (auto _ : state) {
    state.PauseTiming();
    torch::Tensor y = x;
    for (int64_t i = 0; i < n; ++i) y = y * 1.0;
    state.ResumeTiming();
    y.backward();
    state.PauseTiming();
    y = torch::Tensor();
    state.ResumeTiming();
  }
  state.counters["per_node_ns"] = benchmark::Counter(static_cast<double>(state.iterations() * n),
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_torch_backward_per_node)->Arg(1000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
