// Random kernels, as backends/cpu/random_kernels.cpp: element i takes `words` consecutive
// 32-bit words starting at word i * words of the Philox stream (seed, offset), counter
// block offset + i * words / 4. The definitions reserve the counters on the host and pass
// (seed, first block, words); a thread here computes one counter block and the elements
// it feeds, so a seed gives the CPU's numbers. The arithmetic is the CPU's, in double;
// where the CPU build fuses a multiply-add (GCC does on x86 with -march=native), fma()
// says so here. Device log/cos/tan may differ from glibc's in the last bit or two of a
// double, so float64 results agree to that and narrower results are the same numbers
// (barring a double that falls within an ulp of a float rounding boundary).
//
// randperm's Fisher-Yates shuffle is sequential: it runs on the host (the same loop as
// the CPU's) and the permutation is copied to the device. multinomial runs on the device.
#include <cmath>
#include <numbers>
#include <numeric>
#include <type_traits>
#include <vector>

#include "common/random_stream.h"
#include "gpu.h"
#include "libtensor/random.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.cuh"

namespace lt::gpu {

using common::Stream;
using common::stream;

namespace {

// [0, 1) with `bits` random bits: up to 32 from one word, or 53 from two (the CPU's unit).
__host__ __device__ inline double unit(const uint32_t* w, int bits) {
  if (bits <= 32) return static_cast<double>(w[0] >> (32 - bits)) * ::ldexp(1.0, -bits);
  const uint64_t x = (static_cast<uint64_t>(w[0]) << 32) | w[1];
  return static_cast<double>(x >> 11) * 0x1p-53;
}

// One thread per counter block: out[i] = convert<T>(f(i, words of element i)).
template <class T, class F>
__global__ void draw_kernel(T* out, int64_t n, Stream s, F f) {
  const int64_t per_block = 4 / s.words;
  const int64_t blocks = (n + per_block - 1) / per_block;
  for (int64_t blk = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; blk < blocks; blk += int64_t{gridDim.x} * blockDim.x) {
    const uint64_t ctr = s.offset + static_cast<uint64_t>(blk);
    const auto r = philox4x32({static_cast<uint32_t>(ctr), static_cast<uint32_t>(ctr >> 32), 0, 0}, s.seed);
    const uint32_t words[4] = {r[0], r[1], r[2], r[3]};
    for (int64_t k = 0; k < per_block; ++k) {
      const int64_t i = blk * per_block + k;
      if (i < n) out[i] = convert<T>(f(i, words + k * s.words));
    }
  }
}

// Fills the contiguous tensor t with f's values.
template <class T, class F>
void draw(const Tensor& t, const Stream& s, F f, const char* op) {
  const int64_t n = t.numel();
  if (n == 0) return;
  DeviceGuard guard(t.device().index);
  const int64_t blocks = (n + 4 / s.words - 1) / (4 / s.words);
  draw_kernel<T><<<grid_for(blocks), kBlockSize, 0, stream_for(t)>>>(t.data_ptr<T>(), n, s, f);
  LT_GPU_CHECK_LAUNCH(op);
}

// --- distributions ---------------------------------------------------------------------

struct Uniform {
  double from, to;
  int bits;
  __device__ double operator()(int64_t, const uint32_t* w) const { return ::fma(to - from, unit(w, bits), from); }
};

// Box-Muller with the cosine branch: each element owns both of its uniforms.
struct Normal {
  double mean, stddev;
  int bits, half;
  __device__ double operator()(int64_t, const uint32_t* w) const {
    const double u1 = 1.0 - unit(w, bits), u2 = unit(w + half, bits);
    const double z = ::sqrt(-2.0 * ::log(u1)) * ::cos(2.0 * std::numbers::pi * u2);
    return ::fma(stddev, z, mean);
  }
};

struct RandomInt {
  int64_t low;
  uint64_t range;
  __device__ int64_t operator()(int64_t, const uint32_t* w) const {
    const uint64_t x = (static_cast<uint64_t>(w[0]) << 32) | w[1];
    return static_cast<int64_t>(static_cast<uint64_t>(low) + x % range);
  }
};

struct Bernoulli {
  const double* prob;
  __device__ int operator()(int64_t i, const uint32_t* w) const {
    return static_cast<double>(w[0]) * 0x1p-32 < prob[i] ? 1 : 0;
  }
};

// Inversions of one uniform in (0, 1]: f(1 - u) for u in [0, 1).
struct Exponential {
  double lambd;
  int bits;
  __device__ double operator()(int64_t, const uint32_t* w) const { return -::log(1.0 - unit(w, bits)) / lambd; }
};

struct Cauchy {
  double median, sigma;
  int bits;
  __device__ double operator()(int64_t, const uint32_t* w) const {
    const double u = 1.0 - unit(w, bits);
    return ::fma(sigma, ::tan(std::numbers::pi * (u - 0.5)), median);
  }
};

// The number of the first success in Bernoulli(p) trials: 1, 2, ...
struct Geometric {
  double log_q;
  __device__ double operator()(int64_t, const uint32_t* w) const {
    const double u = 1.0 - unit(w, 53);  // (0, 1]
    return ::fmax(1.0, ::ceil(::log(u) / log_q));
  }
};

template <class Dist>
void floating_draw(std::span<Tensor> t, const Stream& s, Dist d, const char* op) {
  visit_dtype(t[0].dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (is_floating(dtype_v<T>)) draw<T>(t[0], s, d, op);
  });
}

void uniform_kernel(std::span<Tensor> t, ScalarList args) {
  const Stream s = stream(args);
  const double from = args[3].to_double(), to = args[4].to_double();
  visit_dtype(t[0].dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (is_floating(dtype_v<T>)) {
      // As many bits as T's significand holds, so that [0, 1) never rounds up to 1.
      const int bits = std::is_same_v<T, Half> ? 11 : std::is_same_v<T, BFloat16> ? 8 : s.words == 2 ? 53 : 24;
      draw<T>(t[0], s, Uniform{from, to, bits}, "uniform_");
    }
  });
}
LT_REGISTER_KERNEL("uniform_", LT_GPU_KEY, TensorKernel, uniform_kernel);

void normal_kernel(std::span<Tensor> t, ScalarList args) {
  const Stream s = stream(args);
  const Normal d{args[3].to_double(), args[4].to_double(), s.words == 4 ? 53 : 24, s.words / 2};
  floating_draw(t, s, d, "normal_");
}
LT_REGISTER_KERNEL("normal_", LT_GPU_KEY, TensorKernel, normal_kernel);

void random_kernel(std::span<Tensor> t, ScalarList args) {
  const Stream s = stream(args);
  const int64_t low = args[3].to_int(), high = args[4].to_int();
  const RandomInt d{low, static_cast<uint64_t>(high) - static_cast<uint64_t>(low)};
  visit_dtype(t[0].dtype(), [&](auto tag) { draw<decltype(tag)>(t[0], s, d, "random_"); });
}
LT_REGISTER_KERNEL("random_", LT_GPU_KEY, TensorKernel, random_kernel);

// tensors: out, probabilities (float64, contiguous, on out's device).
void bernoulli_kernel(std::span<Tensor> t, ScalarList args) {
  const Stream s = stream(args);
  const Bernoulli d{t[1].data_ptr<double>()};
  visit_dtype(t[0].dtype(), [&](auto tag) { draw<decltype(tag)>(t[0], s, d, "bernoulli_"); });
}
LT_REGISTER_KERNEL("bernoulli_", LT_GPU_KEY, TensorKernel, bernoulli_kernel);

void exponential_kernel(std::span<Tensor> t, ScalarList args) {
  const Stream s = stream(args);
  floating_draw(t, s, Exponential{args[3].to_double(), s.words == 2 ? 53 : 24}, "exponential_");
}
LT_REGISTER_KERNEL("exponential_", LT_GPU_KEY, TensorKernel, exponential_kernel);

void cauchy_kernel(std::span<Tensor> t, ScalarList args) {
  const Stream s = stream(args);
  floating_draw(t, s, Cauchy{args[3].to_double(), args[4].to_double(), s.words == 2 ? 53 : 24}, "cauchy_");
}
LT_REGISTER_KERNEL("cauchy_", LT_GPU_KEY, TensorKernel, cauchy_kernel);

void geometric_kernel(std::span<Tensor> t, ScalarList args) {
  const Stream s = stream(args);
  const Geometric d{std::log1p(-args[3].to_double())};  // on the host, as the CPU
  visit_dtype(t[0].dtype(), [&](auto tag) { draw<decltype(tag)>(t[0], s, d, "geometric_"); });
}
LT_REGISTER_KERNEL("geometric_", LT_GPU_KEY, TensorKernel, geometric_kernel);

// --- randperm ------------------------------------------------------------------------------

// Fisher-Yates: n draws of 64 bits, element i of the stream picks the partner of i. Each
// step depends on the last, so it runs on the host, exactly as the CPU's, and the result
// is copied over. tensors: out (n) int64 contiguous.
void randperm_kernel(std::span<Tensor> t, ScalarList args) {
  const Stream s = stream(args);
  const int64_t n = t[0].numel();
  if (n == 0) return;
  std::vector<int64_t> p(static_cast<size_t>(n));
  std::iota(p.begin(), p.end(), int64_t{0});
  // Draw i is words 2i, 2i+1 of the stream: block offset + i / 2, half i % 2 (words is 2).
  std::array<uint32_t, 4> r{};
  for (int64_t i = n - 1; i > 0; --i) {
    if (i == n - 1 || i % 2 == 1) {
      const uint64_t ctr = s.offset + static_cast<uint64_t>(i / 2);
      r = philox4x32({static_cast<uint32_t>(ctr), static_cast<uint32_t>(ctr >> 32), 0, 0}, s.seed);
    }
    const uint32_t* w = r.data() + (i % 2) * 2;
    const uint64_t draw = (static_cast<uint64_t>(w[0]) << 32) | w[1];
    std::swap(p[i], p[draw % static_cast<uint64_t>(i + 1)]);
  }
  DeviceGuard guard(t[0].device().index);
  gpuStream_t st = stream_for(t[0]);
  LT_GPU_CHECK("randperm", gpuMemcpyAsync(t[0].data_ptr<int64_t>(), p.data(), n * sizeof(int64_t), gpuMemcpyDefault, st));
  // p is pageable and dies here: wait until the copy has read it.
  LT_GPU_CHECK("randperm", gpuStreamSynchronize(st));
}
LT_REGISTER_KERNEL("randperm", LT_GPU_KEY, TensorKernel, randperm_kernel);

// --- multinomial -----------------------------------------------------------------------------

// One thread per row: the running sums of the weights, left to right as std::partial_sum.
__global__ void cumulative_kernel(const double* w, double* c, int64_t rows, int64_t k) {
  for (int64_t r = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; r < rows; r += int64_t{gridDim.x} * blockDim.x) {
    double acc = 0;
    for (int64_t j = 0; j < k; ++j) {
      acc = j == 0 ? w[r * k] : acc + w[r * k + j];
      c[r * k + j] = acc;
    }
  }
}

// With replacement: inversion of the cumulative weights. Sample i = (row, j) uses draw i.
struct InvertCumulative {
  const double *w, *cumulative;
  int64_t samples, k;
  __device__ int64_t operator()(int64_t i, const uint32_t* word) const {
    const int64_t r = i / samples;
    const double* c = cumulative + r * k;
    const double target = unit(word, 53) * c[k - 1];
    // The first category whose cumulative weight exceeds the target (upper_bound) ...
    int64_t lo = 0, hi = k;
    while (lo < hi) {
      const int64_t mid = lo + (hi - lo) / 2;
      if (target < c[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    // ... and never one of weight 0.
    int64_t pick = lo;
    while (pick > 0 && (pick >= k || w[r * k + pick] == 0)) --pick;
    return pick;
  }
};

// Without replacement, category c of row r gets the exponential-race key w / e from draw
// r * k + c.
struct RaceKey {
  const double* w;
  __device__ double operator()(int64_t i, const uint32_t* word) const { return w[i] / -::log(1.0 - unit(word, 53)); }
};

// Whether category a comes before b: the larger key, the lower index among equals (the
// CPU's partial_sort order); -1 is "none yet".
__device__ inline bool before(const double* key, int64_t a, int64_t b) {
  return b < 0 || key[a] > key[b] || (key[a] == key[b] && a < b);
}

// One block per row: `samples` rounds, each taking the first untaken category in that
// order. taken (rows, k) starts zeroed.
__global__ void top_keys_kernel(const double* keys, uint8_t* taken, int64_t* out, int64_t rows, int64_t k,
                                int64_t samples) {
  __shared__ int64_t best[kBlockSize];
  for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
    const double* key = keys + r * k;
    uint8_t* used = taken + r * k;
    for (int64_t s = 0; s < samples; ++s) {
      int64_t mine = -1;
      for (int64_t c = threadIdx.x; c < k; c += blockDim.x) {
        if (!used[c] && before(key, c, mine)) mine = c;
      }
      best[threadIdx.x] = mine;
      __syncthreads();
      for (int half = blockDim.x / 2; half > 0; half /= 2) {
        if (threadIdx.x < half) {
          const int64_t other = best[threadIdx.x + half];
          if (other >= 0 && before(key, other, best[threadIdx.x])) best[threadIdx.x] = other;
        }
        __syncthreads();
      }
      if (threadIdx.x == 0) {
        out[r * samples + s] = best[0];
        used[best[0]] = 1;
      }
      __syncthreads();
    }
  }
}

// tensors: out (rows, samples) int64 contiguous, weights (rows, k) float64 contiguous,
// checked by the definition; args: the stream, replacement. As the CPU's kernel.
void multinomial_kernel(std::span<Tensor> t, ScalarList args) {
  const Stream s = stream(args);
  const bool replacement = args[3].to_int() != 0;
  const Tensor &out = t[0], &weights = t[1];
  const int64_t rows = out.size(0), samples = out.size(1), k = weights.size(1);
  if (rows == 0 || samples == 0) return;
  DeviceGuard guard(out.device().index);
  gpuStream_t st = stream_for(out);
  const double* w = weights.data_ptr<double>();
  if (replacement) {
    Tensor cumulative = empty({rows, k}, DType::Float64, out.device());
    cumulative_kernel<<<grid_for(rows), kBlockSize, 0, st>>>(w, cumulative.data_ptr<double>(), rows, k);
    LT_GPU_CHECK_LAUNCH("multinomial");
    draw<int64_t>(out, s, InvertCumulative{w, cumulative.data_ptr<double>(), samples, k}, "multinomial");
    return;
  }
  Tensor keys = empty({rows, k}, DType::Float64, out.device());
  draw<double>(keys, s, RaceKey{w}, "multinomial");
  Tensor taken = empty({rows, k}, DType::UInt8, out.device());
  LT_GPU_CHECK("multinomial", gpuMemsetAsync(taken.data(), 0, static_cast<size_t>(rows * k), st));
  const unsigned blocks = static_cast<unsigned>(std::min<int64_t>(rows, 65535));
  top_keys_kernel<<<blocks, kBlockSize, 0, st>>>(keys.data_ptr<double>(), taken.data_ptr<uint8_t>(),
                                                 out.data_ptr<int64_t>(), rows, k, samples);
  LT_GPU_CHECK_LAUNCH("multinomial");
}
LT_REGISTER_KERNEL("multinomial", LT_GPU_KEY, TensorKernel, multinomial_kernel);

}  // namespace
}  // namespace lt::gpu
