// One 64-byte vector of floats or doubles for row kernels (softmax, layer_norm) that the
// auto-vectorizer handles badly: a row's reduction feeding the same row's map.
//
// Vec<T> is a GCC/Clang vector extension, so arithmetic, comparisons and ?: work lane by
// lane in portable C++; -march=native lowers it to one AVX-512 register or to pairs of
// narrower ones. Intrinsics appear only in exp, where AVX-512's scalef does the range
// reconstruction (2^n, overflow, subnormals) in one instruction.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "vector_math.h"

// Without AVX-512 a 64-byte vector is passed in memory, which GCC notes at every
// function taking one; these functions are all inlined, so the ABI never matters.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace lt::cpu::simd {

template <class T, size_t Bytes>
struct VecN {
  typedef T type __attribute__((vector_size(Bytes)));
};
template <class T>
using Vec = typename VecN<T, 64>::type;

template <class T>
constexpr int64_t kLanes = 64 / sizeof(T);

template <class T>
inline Vec<T> splat(T x) {
  return Vec<T>{} + x;
}

// The first `width` elements at p; the lanes past a short row's end hold `fill`.
template <class T>
inline Vec<T> load(const T* p, int64_t width = kLanes<T>, T fill = T(0)) {
  Vec<T> v;
  if (width == kLanes<T>) {
    std::memcpy(&v, p, sizeof v);
  } else {
    v = splat(fill);
    std::memcpy(&v, p, static_cast<size_t>(width) * sizeof(T));
  }
  return v;
}

template <class T>
inline void store(T* p, Vec<T> v, int64_t width = kLanes<T>) {
  std::memcpy(p, &v, static_cast<size_t>(width) * sizeof(T));
}

// Calls f(j, width) for each vector of a row of n: full ones, then a short last one.
template <class T, class F>
inline void over_row(int64_t n, F&& f) {
  int64_t j = 0;
  for (; j + kLanes<T> <= n; j += kLanes<T>) f(j, kLanes<T>);
  if (j < n) f(j, n - j);
}

// The lane-wise maximum; a NaN in b is dropped (callers see it again through the sum).
template <class V>
inline V max(V a, V b) {
  return b > a ? b : a;
}

// The sum (Max = false) or maximum of v's lanes, halving the vector each step.
template <bool Max, class T, size_t Bytes = 64>
inline T reduce(typename VecN<T, Bytes>::type v) {
  if constexpr (Bytes == sizeof(T)) {
    return v[0];
  } else {
    typename VecN<T, Bytes / 2>::type lo, hi;
    std::memcpy(&lo, &v, Bytes / 2);
    std::memcpy(&hi, reinterpret_cast<const char*>(&v) + Bytes / 2, Bytes / 2);
    return reduce<Max, T, Bytes / 2>(Max ? max(lo, hi) : lo + hi);
  }
}

template <class T>
inline T sum(Vec<T> v) {
  return reduce<false, T>(v);
}

template <class T>
inline T max_of(Vec<T> v) {
  return reduce<true, T>(v);
}

// The sum of f(j, width) over a row's vectors (f pads a short one with zeros), in four
// accumulators: one would make each add wait for the previous add's latency.
template <class T, class F>
inline T row_sum(int64_t n, F&& f) {
  constexpr int64_t L = kLanes<T>;
  Vec<T> a0{}, a1{}, a2{}, a3{};
  int64_t j = 0;
  for (; j + 4 * L <= n; j += 4 * L) {
    a0 += f(j, L);
    a1 += f(j + L, L);
    a2 += f(j + 2 * L, L);
    a3 += f(j + 3 * L, L);
  }
  for (; j + L <= n; j += L) a0 += f(j, L);
  if (j < n) a1 += f(j, n - j);
  return sum<T>((a0 + a1) + (a2 + a3));
}

// The maximum of a row of n, NaN ignored (-inf for an empty or all-NaN row).
template <class T>
inline T row_max(const T* x, int64_t n) {
  constexpr int64_t L = kLanes<T>;
  constexpr T kLow = -std::numeric_limits<T>::infinity();
  Vec<T> m0 = splat(kLow), m1 = m0;
  int64_t j = 0;
  for (; j + 2 * L <= n; j += 2 * L) {
    m0 = max(m0, load(x + j));
    m1 = max(m1, load(x + j + L));
  }
  over_row<T>(n - j, [&](int64_t k, int64_t width) { m0 = max(m0, load(x + j + k, width, kLow)); });
  return max_of<T>(max(m0, m1));
}

// exp of each lane, within 2 ulp, subnormal results included; exp(-inf) = 0, NaN stays.
inline Vec<float> exp(Vec<float> x) {
#if defined(__AVX512F__)
  const Vec<float> t = x < -104.0f ? splat(-104.0f) : x;  // exp(-104) rounds to 0; NaN kept
  const Vec<float> n = (t * 0x1.715476p0f + 0x1.8p23f) - 0x1.8p23f;  // t log2(e), rounded
  const Vec<float> r = (t - n * 0.693359375f) - n * -2.12194440e-4f;  // t - n ln2, ln2 in two parts
  // (exp(r) - 1 - r) / r^2 on [-ln2/2, ln2/2], degree 4; exp's error 7.5e-8.
  Vec<float> p = splat(1.381461275741458e-3f);
  for (float c : {8.368710055947304e-3f, 4.166838899254799e-2f, 1.666652113199234e-1f, 4.999999403953552e-1f})
    p = p * r + c;
  const Vec<float> e = (p * r * r + r) + 1.0f;
  // e 2^n; scalef rounds overflow to inf and underflow to subnormals or 0. (The masked
  // form, all lanes set, because GCC 12 warns at the unmasked one's undefined operand.)
  return _mm512_maskz_scalef_ps(__mmask16(0xffff), e, n);
#else
  for (int64_t l = 0; l < kLanes<float>; ++l) x[l] = accurate::fast_exp(x[l]);
  return x;
#endif
}

inline Vec<double> exp(Vec<double> x) {
  for (int64_t l = 0; l < kLanes<double>; ++l) x[l] = accurate::exp(x[l]);
  return x;
}

}  // namespace lt::cpu::simd

#pragma GCC diagnostic pop
