// 16-bit floating-point storage types. Arithmetic happens in float: these types
// only convert, with round-to-nearest-even, as IEEE 754 and PyTorch do.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>

// Functions that GPU kernels call as well (nvcc and hipcc define these macros).
#if defined(__CUDACC__) || defined(__HIPCC__)
#define LT_HOST_DEVICE __host__ __device__
#else
#define LT_HOST_DEVICE
#endif

namespace lt {

namespace detail {
template <class To, class From>
LT_HOST_DEVICE inline To bit_cast(From from) {
  static_assert(sizeof(To) == sizeof(From));
  To to;
  __builtin_memcpy(&to, &from, sizeof to);  // the builtin: std::memcpy is host-only under hipcc
  return to;
}
}  // namespace detail

struct Half {
  uint16_t bits = 0;

  Half() = default;
  LT_HOST_DEVICE Half(float f) : bits(from_float(f)) {}  // NOLINT: implicit like a builtin type
  LT_HOST_DEVICE operator float() const { return to_float(bits); }

  LT_HOST_DEVICE static constexpr Half from_bits(uint16_t b) {
    Half h;
    h.bits = b;
    return h;
  }

  LT_HOST_DEVICE static uint16_t from_float(float f) {
    uint32_t x = detail::bit_cast<uint32_t>(f);
    uint32_t sign = (x >> 16) & 0x8000u;
    x &= 0x7fffffffu;
    if (x >= 0x7f800000u) return sign | (x > 0x7f800000u ? 0x7e00u : 0x7c00u);  // NaN / inf
    if (x >= 0x477ff000u) return sign | 0x7c00u;  // rounds to a value above 65504
    if (x < 0x38800000u) {
      // Subnormal half: add a magic float so that the FPU rounds at the right bit.
      float v = detail::bit_cast<float>(x) + 0.5f;
      return sign | static_cast<uint16_t>(detail::bit_cast<uint32_t>(v) - 0x3f000000u);
    }
    uint32_t odd = (x >> 13) & 1u;
    x += 0xc8000fffu + odd;  // rebias exponent (127 -> 15) and round to nearest even
    return sign | static_cast<uint16_t>(x >> 13);
  }

  LT_HOST_DEVICE static float to_float(uint16_t h) {
    uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1fu;
    uint32_t man = h & 0x3ffu;
    if (exp == 0x1f) return detail::bit_cast<float>(sign | 0x7f800000u | (man << 13));
    if (exp == 0) {
      // Zero or subnormal: value = man * 2^-24, exact in float.
      float v = static_cast<float>(man) * 5.9604644775390625e-8f;
      return sign ? -v : v;
    }
    return detail::bit_cast<float>(sign | ((exp + 112u) << 23) | (man << 13));
  }
};

struct BFloat16 {
  uint16_t bits = 0;

  BFloat16() = default;
  LT_HOST_DEVICE BFloat16(float f) : bits(from_float(f)) {}  // NOLINT: implicit like a builtin type
  LT_HOST_DEVICE operator float() const { return detail::bit_cast<float>(static_cast<uint32_t>(bits) << 16); }

  LT_HOST_DEVICE static constexpr BFloat16 from_bits(uint16_t b) {
    BFloat16 h;
    h.bits = b;
    return h;
  }

  LT_HOST_DEVICE static uint16_t from_float(float f) {
    uint32_t x = detail::bit_cast<uint32_t>(f);
    if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((x >> 16) | 0x40u);  // quiet NaN
    x += 0x7fffu + ((x >> 16) & 1u);
    return static_cast<uint16_t>(x >> 16);
  }
};

}  // namespace lt

template <>
class std::numeric_limits<lt::Half> {
 public:
  static constexpr bool is_specialized = true;
  static constexpr bool is_signed = true;
  static constexpr bool is_integer = false;
  static constexpr bool has_infinity = true;
  static constexpr bool has_quiet_NaN = true;
  static constexpr lt::Half lowest() { return lt::Half::from_bits(0xfbff); }
  static constexpr lt::Half max() { return lt::Half::from_bits(0x7bff); }
  static constexpr lt::Half infinity() { return lt::Half::from_bits(0x7c00); }
  static constexpr lt::Half quiet_NaN() { return lt::Half::from_bits(0x7e00); }
};

template <>
class std::numeric_limits<lt::BFloat16> {
 public:
  static constexpr bool is_specialized = true;
  static constexpr bool is_signed = true;
  static constexpr bool is_integer = false;
  static constexpr bool has_infinity = true;
  static constexpr bool has_quiet_NaN = true;
  static constexpr lt::BFloat16 lowest() { return lt::BFloat16::from_bits(0xff7f); }
  static constexpr lt::BFloat16 max() { return lt::BFloat16::from_bits(0x7f7f); }
  static constexpr lt::BFloat16 infinity() { return lt::BFloat16::from_bits(0x7f80); }
  static constexpr lt::BFloat16 quiet_NaN() { return lt::BFloat16::from_bits(0x7fc0); }
};
