// Random kernels. Element i takes `words` consecutive 32-bit words starting at word
// i * words of the stream (seed, offset): counter block offset + i*words/4. Every
// backend follows this rule, so a seed gives the same numbers on every device.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <vector>

#include "common/random_stream.h"
#include "libtensor/random.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.h"

namespace lt::cpu {

using common::Stream;
using common::stream;

namespace {

// Calls f(i, words) for each element of [0, n); words points at its 32-bit draws.
template <class F>
void for_each_draw(int64_t n, const Stream& s, F f) {
  const int64_t per_block = 4 / s.words;
  const int64_t blocks = (n + per_block - 1) / per_block;
  parallel_for(0, blocks, kGrainSize / 4, [&](int64_t b, int64_t e) {
    for (int64_t blk = b; blk < e; ++blk) {
      const uint64_t ctr = s.offset + static_cast<uint64_t>(blk);
      const auto r = philox4x32({static_cast<uint32_t>(ctr), static_cast<uint32_t>(ctr >> 32), 0, 0}, s.seed);
      for (int64_t k = 0; k < per_block; ++k) {
        const int64_t i = blk * per_block + k;
        if (i < n) f(i, r.data() + k * s.words);
      }
    }
  });
}

// [0, 1) with `bits` random bits: up to 32 from one word, or 53 from two.
inline double unit(const uint32_t* w, int bits) {
  if (bits <= 32) return static_cast<double>(w[0] >> (32 - bits)) * std::ldexp(1.0, -bits);
  const uint64_t x = (static_cast<uint64_t>(w[0]) << 32) | w[1];
  return static_cast<double>(x >> 11) * 0x1p-53;
}

void uniform_kernel(std::span<Tensor> t, ScalarList args) {
  const Stream s = stream(args);
  const double from = args[3].to_double(), to = args[4].to_double();
  visit_dtype(t[0].dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (is_floating(dtype_v<T>)) {
      T* p = t[0].data_ptr<T>();
      // As many bits as T's significand holds, so that [0, 1) never rounds up to 1.
      const int bits = std::is_same_v<T, Half> ? 11 : std::is_same_v<T, BFloat16> ? 8 : s.words == 2 ? 53 : 24;
      for_each_draw(t[0].numel(), s, [&](int64_t i, const uint32_t* w) {
        p[i] = convert<T>(from + (to - from) * unit(w, bits));
      });
    }
  });
}
LT_REGISTER_KERNEL("uniform_", CPU, TensorKernel, uniform_kernel);

// Box-Muller with the cosine branch: each element owns both of its uniforms.
void normal_kernel(std::span<Tensor> t, ScalarList args) {
  const Stream s = stream(args);
  const double mean = args[3].to_double(), stddev = args[4].to_double();
  visit_dtype(t[0].dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (is_floating(dtype_v<T>)) {
      T* p = t[0].data_ptr<T>();
      const int bits = s.words == 4 ? 53 : 24;
      const int half = s.words / 2;
      for_each_draw(t[0].numel(), s, [&](int64_t i, const uint32_t* w) {
        const double u1 = 1.0 - unit(w, bits), u2 = unit(w + half, bits);
        const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
        p[i] = convert<T>(mean + stddev * z);
      });
    }
  });
}
LT_REGISTER_KERNEL("normal_", CPU, TensorKernel, normal_kernel);

void random_kernel(std::span<Tensor> t, ScalarList args) {
  const Stream s = stream(args);
  const int64_t low = args[3].to_int(), high = args[4].to_int();
  const uint64_t range = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
  visit_dtype(t[0].dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* p = t[0].data_ptr<T>();
    for_each_draw(t[0].numel(), s, [&](int64_t i, const uint32_t* w) {
      const uint64_t x = (static_cast<uint64_t>(w[0]) << 32) | w[1];
      p[i] = convert<T>(static_cast<int64_t>(static_cast<uint64_t>(low) + x % range));
    });
  });
}
LT_REGISTER_KERNEL("random_", CPU, TensorKernel, random_kernel);

// tensors: out, probabilities (float64, contiguous).
void bernoulli_kernel(std::span<Tensor> t, ScalarList args) {
  const Stream s = stream(args);
  const double* prob = t[1].data_ptr<double>();
  visit_dtype(t[0].dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* p = t[0].data_ptr<T>();
    for_each_draw(t[0].numel(), s, [&](int64_t i, const uint32_t* w) {
      p[i] = convert<T>(static_cast<double>(w[0]) * 0x1p-32 < prob[i] ? 1 : 0);
    });
  });
}
LT_REGISTER_KERNEL("bernoulli_", CPU, TensorKernel, bernoulli_kernel);

// Draws of a distribution by inversion of one uniform in (0, 1]: f(1 - u) for u in [0, 1).
template <class Inverse>
void inverted_uniform(std::span<Tensor> t, ScalarList args, Inverse f) {
  const Stream s = stream(args);
  visit_dtype(t[0].dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (is_floating(dtype_v<T>)) {
      T* p = t[0].data_ptr<T>();
      const int bits = s.words == 2 ? 53 : 24;
      for_each_draw(t[0].numel(), s, [&](int64_t i, const uint32_t* w) { p[i] = convert<T>(f(1.0 - unit(w, bits))); });
    }
  });
}

void exponential_kernel(std::span<Tensor> t, ScalarList args) {
  const double lambd = args[3].to_double();
  inverted_uniform(t, args, [lambd](double u) { return -std::log(u) / lambd; });
}
LT_REGISTER_KERNEL("exponential_", CPU, TensorKernel, exponential_kernel);

void cauchy_kernel(std::span<Tensor> t, ScalarList args) {
  const double median = args[3].to_double(), sigma = args[4].to_double();
  inverted_uniform(t, args, [=](double u) { return median + sigma * std::tan(std::numbers::pi * (u - 0.5)); });
}
LT_REGISTER_KERNEL("cauchy_", CPU, TensorKernel, cauchy_kernel);

// The number of the first success in Bernoulli(p) trials: 1, 2, ...
void geometric_kernel(std::span<Tensor> t, ScalarList args) {
  const Stream s = stream(args);
  const double log_q = std::log1p(-args[3].to_double());
  visit_dtype(t[0].dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* p = t[0].data_ptr<T>();
    for_each_draw(t[0].numel(), s, [&](int64_t i, const uint32_t* w) {
      const double u = 1.0 - unit(w, 53);  // (0, 1]
      p[i] = convert<T>(std::max(1.0, std::ceil(std::log(u) / log_q)));
    });
  });
}
LT_REGISTER_KERNEL("geometric_", CPU, TensorKernel, geometric_kernel);

// Fisher-Yates: n draws of 64 bits, element i of the stream picks the partner of i.
// tensors: out (n) int64 contiguous.
void randperm_kernel(std::span<Tensor> t, ScalarList args) {
  const Stream s = stream(args);
  const int64_t n = t[0].numel();
  std::vector<uint64_t> draws(static_cast<size_t>(n));
  for_each_draw(n, s, [&](int64_t i, const uint32_t* w) { draws[i] = (static_cast<uint64_t>(w[0]) << 32) | w[1]; });
  int64_t* p = t[0].data_ptr<int64_t>();
  std::iota(p, p + n, int64_t{0});
  for (int64_t i = n - 1; i > 0; --i) std::swap(p[i], p[draws[i] % static_cast<uint64_t>(i + 1)]);
}
LT_REGISTER_KERNEL("randperm", CPU, TensorKernel, randperm_kernel);

// tensors: out (rows, samples) int64 contiguous, weights (rows, k) float64 contiguous,
// checked by the definition; args: the stream, replacement. Sample j of row r uses draw
// r * samples + j (with replacement: inversion of the cumulative weights) or, without,
// draws r * k + c give each category c an exponential key e_c and the categories with the
// largest w_c / e_c are taken, in that order (the exponential-race form of sampling
// without replacement).
void multinomial_kernel(std::span<Tensor> t, ScalarList args) {
  const Stream s = stream(args);
  const bool replacement = args[3].to_int() != 0;
  const Tensor &out = t[0], &weights = t[1];
  const int64_t rows = out.size(0), samples = out.size(1), k = weights.size(1);
  int64_t* o = out.data_ptr<int64_t>();
  const double* w = weights.data_ptr<double>();
  if (replacement) {
    std::vector<double> cumulative(static_cast<size_t>(rows * k));
    for (int64_t r = 0; r < rows; ++r) {
      std::partial_sum(w + r * k, w + (r + 1) * k, cumulative.begin() + r * k);
    }
    for_each_draw(rows * samples, s, [&](int64_t i, const uint32_t* word) {
      const int64_t r = i / samples;
      const double* c = cumulative.data() + r * k;
      const double target = unit(word, 53) * c[k - 1];
      // The first category whose cumulative weight exceeds the target: never one of weight 0.
      int64_t pick = std::upper_bound(c, c + k, target) - c;
      while (pick > 0 && (pick >= k || w[r * k + pick] == 0)) --pick;
      o[i] = pick;
    });
    return;
  }
  std::vector<double> keys(static_cast<size_t>(rows * k));
  for_each_draw(rows * k, s, [&](int64_t i, const uint32_t* word) {
    keys[i] = w[i] / -std::log(1.0 - unit(word, 53));
  });
  std::vector<int64_t> order(static_cast<size_t>(k));
  for (int64_t r = 0; r < rows; ++r) {
    const double* key = keys.data() + r * k;
    std::iota(order.begin(), order.end(), int64_t{0});
    std::partial_sort(order.begin(), order.begin() + samples, order.end(),
                      [key](int64_t a, int64_t b) { return key[a] > key[b] || (key[a] == key[b] && a < b); });
    std::copy(order.begin(), order.begin() + samples, o + r * samples);
  }
}
LT_REGISTER_KERNEL("multinomial", CPU, TensorKernel, multinomial_kernel);

}  // namespace
}  // namespace lt::cpu
