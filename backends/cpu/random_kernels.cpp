// Random kernels. Element i takes `words` consecutive 32-bit words starting at word
// i * words of the stream (seed, offset): counter block offset + i*words/4. Every
// backend follows this rule, so a seed gives the same numbers on every device.
#include <cmath>
#include <numbers>

#include "libtensor/random.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.h"

namespace lt::cpu {
namespace {

struct Stream {
  uint64_t seed, offset;
  int words;
};

Stream stream(ScalarList args) {
  return {static_cast<uint64_t>(args[0].to_int()), static_cast<uint64_t>(args[1].to_int()),
          static_cast<int>(args[2].to_int())};
}

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

}  // namespace
}  // namespace lt::cpu
