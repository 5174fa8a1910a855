// exp, log, tanh, sigmoid and erf for the CPU kernels, within 1 ulp and written so that
// the compiler vectorizes the loops that call them (unary kernels, softmax); and
// lane_sum, a row sum it vectorizes.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstddef>
#include <iterator>
#include <limits>

namespace lt::cpu {

// Eigen's vector forms of these miss numpy's bounds (exp and log flush subnormals, exp
// overflows early, tanh is 3 ulp off, erf tens of ulp near FLT_MIN; Eigen's double exp
// returns 5.6e-309 for exp(-inf)). These are within 1 ulp (float ones, computed in double,
// within 0.51 ulp) and written without branches: special inputs are handled with integer
// selects and min, which vectorize, because a floating-point select on a constant becomes
// a branch that the vectorizer refuses under -ftrapping-math. Polynomials are
// near-minimax (Chebyshev) fits, highest degree first, with their maximum error.
namespace accurate {

// a*b + c: one rounding where the target has FMA, two otherwise (the error budgets
// below allow either).
inline double mad(double a, double b, double c) {
#ifdef __FMA__
  return std::fma(a, b, c);
#else
  return a * b + c;
#endif
}

template <size_t N>
inline double horner(double x, const double (&c)[N]) {
  double p = c[0];
#pragma GCC unroll 32
  for (size_t i = 1; i < N; ++i) p = mad(p, x, c[i]);
  return p;
}

constexpr uint32_t bits(float f) { return std::bit_cast<uint32_t>(f); }
constexpr uint64_t bits(double f) { return std::bit_cast<uint64_t>(f); }

constexpr double kLog2e = 0x1.71547652b82fep0;
constexpr double kLn2Hi = 0x1.62e42fee00000p-1;  // 32 significant bits: n * kLn2Hi is exact
constexpr double kLn2Lo = 0x1.a39ef35793c76p-33;  // ln 2 - kLn2Hi
constexpr double kShift = 0x1.8p52;               // t + kShift rounds t to an integer

// exp on [-ln2/2, ln2/2], degree 7, error 4.2e-11.
constexpr double kExpPoly[] = {0x1.a17df2ec2bc60p-13, 0x1.6da753185ad01p-10, 0x1.1110a6222ea35p-7,
                               0x1.555464a0f079ep-5,  0x1.5555557e7125ep-3,  0x1.0000005c89e4ep-1,
                               0x1.fffffffff61fdp-1,  0x1.ffffffffa7135p-1};

// exp(t) for |t| <= 700, relative error below 1e-10: enough for float results.
inline double exp_core(double t) {
  const double kd = mad(t, kLog2e, kShift);
  const double n = kd - kShift;
  const double r = mad(-n, kLn2Lo, mad(-n, kLn2Hi, t));  // t - n ln2
  const double scale = std::bit_cast<double>((bits(kd) + 1023) << 52);  // 2^n (low bits of kd hold n)
  return horner(r, kExpPoly) * scale;
}

// x with |x| limited to `pos` (x >= 0) or `neg` (x < 0), given as a positive float's
// bits; NaN kept.
inline float clamp_abs(float x, uint32_t pos, uint32_t neg) {
  const uint32_t b = std::bit_cast<uint32_t>(x);
  const uint32_t a = b & 0x7fffffffu;
  const uint32_t c = a > 0x7f800000u ? a : std::min(a, (b >> 31) ? neg : pos);
  return std::bit_cast<float>(c | (b & 0x80000000u));
}

inline float exp(float x) {
  // exp(89) overflows float, exp(-104) rounds to 0.
  return static_cast<float>(exp_core(clamp_abs(x, bits(89.0f), bits(104.0f))));
}

// exp in float arithmetic (twice the vector lanes of exp above), within 2 ulp where the
// result is at least FLT_MIN; below that (x < -87.3) it returns 0, not a subnormal. For
// softmax, whose terms are normalized by a sum of at least 1.
constexpr float kExpPolyF[] = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f,
                               4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};
inline float madf(float a, float b, float c) {
#ifdef __FMA__
  return std::fma(a, b, c);
#else
  return a * b + c;
#endif
}
inline float fast_exp(float x) {
  const float t = clamp_abs(x, bits(88.7f), bits(87.3f));
  const float kd = madf(t, 0x1.715476p0f, 0x1.8p23f);  // t log2(e) rounded, in the low bits
  const float n = kd - 0x1.8p23f;
  const float r = madf(-n, -2.12194440e-4f, madf(-n, 0.693359375f, t));  // t - n ln2, ln2 in two parts
  const float* c = kExpPolyF;
  const float p = madf(madf(madf(madf(madf(c[0], r, c[1]), r, c[2]), r, c[3]), r, c[4]), r, c[5]);
  const float e = madf(p * r, r, r) + 1.0f;
  const float y = e * std::bit_cast<float>((bits(kd) + 127u) << 23);
  const uint32_t b = std::bit_cast<uint32_t>(x);
  const uint32_t keep = (b >> 31) && (b & 0x7fffffffu) > bits(87.3f) && (b & 0x7fffffffu) <= 0x7f800000u ? 0u : ~0u;
  return std::bit_cast<float>(std::bit_cast<uint32_t>(y) & keep);
}

// (exp(r) - 1 - r) / r^2 on [-ln2/2, ln2/2], degree 10, error 1.4e-18.
constexpr double kExpm1Q[] = {0x1.1f72fc730b4ffp-29, 0x1.af4ddd84882fep-26, 0x1.27e4db67b4303p-22,
                              0x1.71de02375656cp-19, 0x1.a01a01a6d7808p-16, 0x1.a01a01abe62ddp-13,
                              0x1.6c16c16c162d6p-10, 0x1.11111111100dfp-7,  0x1.5555555555556p-5,
                              0x1.5555555555557p-3,  0x1.0000000000000p-1};

// exp(x) = 2^n (1 + r + r^2 Q(r)), x = n ln2 + r; 2^n applied as two factors so that
// results near overflow and subnormal results are rounded once. Under 1 ulp.
inline double exp(double x) {
  const uint64_t b = bits(x);
  const uint64_t a = b & 0x7fffffffffffffffull;
  // |x| <= 746: beyond, the result is 0 or inf either way. NaN kept.
  const uint64_t c = a > 0x7ff0000000000000ull ? a : std::min(a, bits(746.0));
  const double t = std::bit_cast<double>(c | (b & 0x8000000000000000ull));
  const double kd = mad(t, kLog2e, kShift);
  const double n = kd - kShift;
  const double r = mad(-n, kLn2Lo, mad(-n, kLn2Hi, t));
  const double y = 1.0 + mad(r * r, horner(r, kExpm1Q), r);
  const uint64_t ni = bits(kd) - bits(kShift);  // n, two's complement
  const uint64_t n1 = static_cast<uint64_t>(static_cast<int64_t>(ni) >> 1), n2 = ni - n1;
  return y * std::bit_cast<double>((n1 + 1023) << 52) * std::bit_cast<double>((n2 + 1023) << 52);
}

// In double: x = 2^k m, m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s), s = (m-1)/(m+1),
// |s| <= 0.172, series to s^11 (relative error below 1e-10).
inline float log(float x) {
  const uint64_t u = bits(static_cast<double>(x));  // float subnormals are normal doubles
  const uint64_t tmp = u - 0x3fe6a09e667f3bcdull;    // bits of sqrt(1/2)
  const double k = static_cast<double>(static_cast<int64_t>(tmp) >> 52);
  const double f = std::bit_cast<double>(u - (tmp & 0xfff0000000000000ull)) - 1.0;
  const double s = f / (2.0 + f);
  const double z = s * s;
  const double series = mad(z, mad(z, mad(z, mad(z, mad(z, 2.0 / 11, 2.0 / 9), 2.0 / 7), 2.0 / 5), 2.0 / 3), 2.0);
  const double r = mad(k, 0x1.62e42fefa39efp-1, s * series);
  // r is finite for every input; special inputs add an infinity or a NaN to it.
  const uint32_t b = bits(x);
  const uint64_t special = (b & 0x7fffffffu) == 0 ? bits(-std::numeric_limits<double>::infinity())  // +-0
                           : b > 0x7f800000u ? bits(std::numeric_limits<double>::quiet_NaN())  // x < 0, NaN
                           : b == 0x7f800000u ? bits(std::numeric_limits<double>::infinity())  // +inf
                                              : 0;
  return static_cast<float>(r + std::bit_cast<double>(special));
}

// fdlibm's e_log.c without its branches (under 1 ulp): x = 2^k (1+f), s = f/(2+f),
// log(1+f) = f - (f^2/2 - s (f^2/2 + R(s^2))).
inline double log(double x) {
  constexpr double kLg1 = 6.666666666666735130e-01, kLg2 = 3.999999999940941908e-01,
                   kLg3 = 2.857142874366239149e-01, kLg4 = 2.222219843214978396e-01,
                   kLg5 = 1.818357216161805012e-01, kLg6 = 1.531383769920937332e-01,
                   kLg7 = 1.479819860511658591e-01;
  const uint64_t b = bits(x);
  const uint64_t a = b & 0x7fffffffffffffffull;
  // Subnormals (and zeros) are scaled by 2^54 first; the multiply is unconditional.
  const bool tiny = a < 0x0010000000000000ull;
  const uint64_t u = bits(x * std::bit_cast<double>(tiny ? bits(0x1p54) : bits(1.0)));
  const uint64_t tmp = u - 0x3fe6a09e667f3bcdull;
  const double k = static_cast<double>((static_cast<int64_t>(tmp) >> 52) - (tiny ? 54 : 0));
  const double f = std::bit_cast<double>(u - (tmp & 0xfff0000000000000ull)) - 1.0;
  const double s = f / (2.0 + f);
  const double z = s * s, w = z * z;
  const double R = z * mad(w, mad(w, mad(w, kLg7, kLg5), kLg3), kLg1) + w * mad(w, mad(w, kLg6, kLg4), kLg2);
  const double hfsq = 0.5 * f * f;
  const double r = k * kLn2Hi - ((hfsq - (s * (hfsq + R) + k * kLn2Lo)) - f);
  const uint64_t special = a == 0 ? bits(-std::numeric_limits<double>::infinity())
                           : b > 0x7ff0000000000000ull ? bits(std::numeric_limits<double>::quiet_NaN())
                           : b == 0x7ff0000000000000ull ? bits(std::numeric_limits<double>::infinity())
                                                        : 0;
  return r + std::bit_cast<double>(special);
}

inline float tanh(float x) {
  const double d = clamp_abs(x, bits(20.0f), bits(20.0f));  // tanh is +-1 in float beyond 9.1
  const double a = std::fabs(d);
  // |x| < 1/16: Taylor series to x^9 (relative error below 1e-14).
  const double z = d * d;
  const double small = d * mad(z, mad(z, mad(z, mad(z, 62.0 / 2835, -17.0 / 315), 2.0 / 15), -1.0 / 3), 1.0);
  // Otherwise 1 - 2/(exp(2|x|) + 1), relative error below 1e-9.
  const double large = std::copysign(1.0 - 2.0 / (exp_core(2.0 * a) + 1.0), d);
  return static_cast<float>(a < 0.0625 ? small : large);
}
inline double tanh(double x) { return std::tanh(x); }

inline float sigmoid(float x) {
  const double c = clamp_abs(x, bits(200.0f), bits(200.0f));
  return static_cast<float>(1.0 / (1.0 + exp_core(-c)));
}
// e/(1+e) with e = exp(-|x|) for x < 0: no overflow of exp(-x) below -709.
inline double sigmoid(double x) {
  const double e = exp(-std::fabs(x));
  const double factor = std::bit_cast<double>((bits(x) >> 63) ? bits(e) : bits(1.0));
  return factor / (1.0 + e);
}

// erf(x)/x as a polynomial in x^2 on [0, 1], degree 7, error 3.4e-11.
constexpr double kErfSmall[] = {-0x1.445f47d33d87bp-17, 0x1.d887505de3ba6p-14, -0x1.bccf664d7f763p-11,
                                0x1.562a60ddba6e6p-8,   -0x1.b829c897922e5p-6, 0x1.ce2f08fec14fdp-4,
                                -0x1.81274665754c3p-2,  0x1.20dd7504045d6p+0};
// erfc(a) exp(a^2) on [1, 4] as a polynomial in (a - 2.5)/1.5, degree 12, error 1.7e-9.
constexpr double kErfcx[] = {0x1.c07ba7e1a8428p-17,  -0x1.3572553e907bfp-15, 0x1.d84f028df05afp-15,
                             -0x1.2e1c7037a9456p-13, 0x1.b10c552ef46a2p-12,  -0x1.0a9a50900dc5dp-10,
                             0x1.3ae619e41fb68p-9,   -0x1.6cdd2468eee26p-8,  0x1.9941b0de2b6fcp-7,
                             -0x1.ba762fb0ec1ffp-6,  0x1.cba838f79d950p-5,   -0x1.c8ca3fdc713ccp-4,
                             0x1.afbb3f3b7343bp-3};

inline float erf(float x) {
  const double d = clamp_abs(x, bits(4.0f), bits(4.0f));  // erf is +-1 in float beyond 3.92
  const double a = std::fabs(d);
  const double small = d * horner(d * d, kErfSmall);
  const double large = std::copysign(1.0 - exp_core(-a * a) * horner((a - 2.5) * (1.0 / 1.5), kErfcx), d);
  return static_cast<float>(a < 1.0 ? small : large);
}
inline double erf(double x) { return std::erf(x); }

}  // namespace accurate

// sum of f(j) over j < n, in one vector accumulator per lane (a float sum the compiler
// would otherwise keep in order, one lane wide); f may store what it computes.
template <class T, class F>
T lane_sum(int64_t n, F&& f) {
  constexpr int64_t kLanes = 64 / sizeof(T);
  T acc[kLanes] = {};
  int64_t j = 0;
  for (; j + kLanes <= n; j += kLanes) {
    for (int64_t l = 0; l < kLanes; ++l) acc[l] += f(j + l);
  }
  T total = 0;
  for (; j < n; ++j) total += f(j);
  for (int64_t l = 0; l < kLanes; ++l) total += acc[l];
  return total;
}

}  // namespace lt::cpu
