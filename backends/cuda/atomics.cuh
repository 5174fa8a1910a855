// Atomic read-modify-write for every element type. GPUs have compare-and-swap on 32- and
// 64-bit words only, so 1- and 2-byte elements (bool, uint8, int8, int16, Half,
// BFloat16) are updated inside the aligned 32-bit word that holds them; the caching
// allocator's blocks are multiples of 512 bytes, so that word never leaves the block.
// Reduced floats are computed in float and rounded once per update, as the CPU's
// serial loops do.
#pragma once

#include <cstdint>
#include <type_traits>

#include "gpu.h"
#include "libtensor/dtype.h"

namespace lt::gpu {

// *p = f(*p), atomically. f maps a T to a T; it may run more than once under contention.
template <class T, class F>
__device__ void atomic_update(T* p, const F& f) {
  if constexpr (sizeof(T) == 8 || sizeof(T) == 4) {
    using Word = std::conditional_t<sizeof(T) == 8, unsigned long long, unsigned int>;
    Word* word = reinterpret_cast<Word*>(p);
    Word old = *word, assumed;
    do {
      assumed = old;
      const Word next = detail::bit_cast<Word>(f(detail::bit_cast<T>(assumed)));
      if (next == assumed) return;  // nothing changes: no write needed
      old = atomicCAS(word, assumed, next);
    } while (old != assumed);
  } else {
    using Bits = std::conditional_t<sizeof(T) == 1, uint8_t, uint16_t>;
    const uintptr_t addr = reinterpret_cast<uintptr_t>(p);
    unsigned int* word = reinterpret_cast<unsigned int*>(addr & ~uintptr_t{3});
    const unsigned shift = static_cast<unsigned>(addr & 3) * 8;
    const unsigned mask = (sizeof(T) == 1 ? 0xffu : 0xffffu) << shift;
    unsigned int old = *word, assumed;
    do {
      assumed = old;
      const T v = detail::bit_cast<T>(static_cast<Bits>((assumed & mask) >> shift));
      const unsigned bits = detail::bit_cast<Bits>(f(v));
      const unsigned next = (assumed & ~mask) | (bits << shift);
      if (next == assumed) return;
      old = atomicCAS(word, assumed, next);
    } while (old != assumed);
  }
}

// a + b as the CPU adds elements: bool is "or", integers wrap, reduced floats add in float.
template <class T>
__device__ inline T wrapping_add(T a, T b) {
  if constexpr (std::is_same_v<T, bool>) {
    return a || b;
  } else if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
  } else {
    return T(static_cast<compute_t<T>>(a) + static_cast<compute_t<T>>(b));
  }
}

namespace detail {
template <class T>
struct AddTo {
  T v;
  __device__ T operator()(T a) const { return wrapping_add(a, v); }
};
}  // namespace detail

// *p = wrapping_add(*p, v), atomically: the hardware's add where it has one.
template <class T>
__device__ inline void atomic_add(T* p, T v) {
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double> || std::is_same_v<T, int32_t>) {
    atomicAdd(p, v);
  } else if constexpr (std::is_same_v<T, int64_t>) {
    atomicAdd(reinterpret_cast<unsigned long long*>(p), static_cast<unsigned long long>(v));  // wraps
  } else if constexpr (std::is_same_v<T, bool>) {
    if (v) *p = true;  // "or": every writer stores the same byte
  } else {
    atomic_update(p, detail::AddTo<T>{v});
  }
}

}  // namespace lt::gpu
