// Elementwise and reduction throughput on 16M float32 elements. compare.py runs this
// beside numpy and PyTorch and writes the table in README.md.
#include <benchmark/benchmark.h>
#include <libtensor/libtensor.h>

#include <cstring>
#include <vector>

namespace {

constexpr int64_t kN = 16 << 20;

lt::Tensor input(int seed) {
  lt::Generator gen(seed);
  return lt::rand({kN}, lt::DType::Float32, lt::kCPU, &gen);
}

// Bytes moved per element for the bandwidth column.
void report(benchmark::State& state, int64_t bytes_per_element) {
  state.SetBytesProcessed(state.iterations() * kN * bytes_per_element);
}

// The machine's copy bandwidth: a plain memcpy of the same size.
void BM_memcpy(benchmark::State& state) {
  std::vector<float> a(kN, 1.0f), b(kN);
  for (auto _ : state) {
    std::memcpy(b.data(), a.data(), kN * sizeof(float));
    benchmark::DoNotOptimize(b.data());
  }
  report(state, 8);
}
BENCHMARK(BM_memcpy)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_add(benchmark::State& state) {
  lt::Tensor a = input(1), b = input(2);
  for (auto _ : state) benchmark::DoNotOptimize(lt::add(a, b));
  report(state, 12);
}
BENCHMARK(BM_add)->Unit(benchmark::kMillisecond)->UseRealTime();

#define LT_UNARY_BENCH(op)                                                       \
  void BM_##op(benchmark::State& state) {                                        \
    lt::Tensor a = input(3);                                                     \
    for (auto _ : state) benchmark::DoNotOptimize(lt::op(a));                    \
    report(state, 8);                                                            \
  }                                                                              \
  BENCHMARK(BM_##op)->Unit(benchmark::kMillisecond)->UseRealTime();
LT_UNARY_BENCH(exp)
LT_UNARY_BENCH(tanh)
LT_UNARY_BENCH(sigmoid)
LT_UNARY_BENCH(erf)
#undef LT_UNARY_BENCH

void BM_sum(benchmark::State& state) {
  lt::Tensor a = input(4);
  for (auto _ : state) benchmark::DoNotOptimize(lt::sum(a));
  report(state, 4);
}
BENCHMARK(BM_sum)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
