// The gamma-family functions in double precision: lgamma through the reentrant lgamma_r
// (std::lgamma writes the global signgam, a data race between threads), digamma and the
// polygamma functions through recurrence to large arguments and their asymptotic series,
// and erfinv.
// Poles and negative arguments follow PyTorch (and SciPy).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "libtensor/half.h"  // LT_HOST_DEVICE: the GPU kernels call these too

namespace lt::cpu::special {

constexpr double kPi = 3.14159265358979323846;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

inline double lgamma(double x) {
  int sign;
  return ::lgamma_r(x, &sign);
}

// psi(x) = ln x - 1/(2x) - sum B_2k / (2k x^2k) for x >= 10 (the next term is below
// 1e-16 of the result there); smaller x recur upwards with psi(x) = psi(x + 1) - 1/x.
LT_HOST_DEVICE inline double digamma(double x) {
  if (x == 0) return std::copysign(kInf, -x);  // +0 -> -inf, -0 -> +inf
  if (std::isnan(x) || x == kInf) return x;
  if (x < 0) {
    if (x == std::trunc(x)) return kNaN;  // the poles, -inf included
    // Reflection; tan of the fractional part only, pi * x loses digits for large |x|.
    double whole;
    const double r = std::modf(x, &whole);
    return digamma(1 - x) - kPi / std::tan(kPi * r);
  }
  double shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const double z = 1 / (x * x);
  // B_2k / 2k for k = 1..7, in Horner form in z.
  const double series =
      z * (1.0 / 12 - z * (1.0 / 120 - z * (1.0 / 252 - z * (1.0 / 240 - z * (1.0 / 132 - z * (691.0 / 32760 - z / 12))))));
  return shift + std::log(x) - 0.5 / x - series;
}

// psi'(x) = 1/x + 1/(2x^2) + sum B_2k / x^(2k+1) for x >= 10; reflection below 1/2:
// psi'(1 - x) + psi'(x) = pi^2 / sin^2(pi x).
LT_HOST_DEVICE inline double trigamma(double x) {
  if (std::isnan(x)) return x;
  if (x == kInf) return 0;
  if (x <= 0 && x == std::trunc(x)) return kInf;  // the poles
  if (x < 0.5) {
    const double s = std::sin(kPi * x);
    return kPi * kPi / (s * s) - trigamma(1 - x);
  }
  double shift = 0;
  while (x < 10) {
    shift += 1 / (x * x);
    x += 1;
  }
  const double z = 1 / (x * x);
  const double series =
      z * (1.0 / 6 - z * (1.0 / 30 - z * (1.0 / 42 - z * (1.0 / 30 - z * (5.0 / 66 - z * (691.0 / 2730 - z * 7.0 / 6))))));
  return shift + (1 + 0.5 / x + series) / x;
}

// The Hurwitz zeta function sum_k (q + k)^-s for s > 1: the first terms summed, the tail
// by Euler-Maclaurin. As PyTorch: inf at the poles q = 0, -1, ...; for other q < 0 the
// series itself where s is an integer, NaN otherwise.
LT_HOST_DEVICE inline double hurwitz_zeta(double s, double q) {
  if (std::isnan(s) || std::isnan(q)) return kNaN;
  if (s == 1 || q == kInf) return s == 1 ? kInf : 0;
  double sum = 0;
  if (q <= 0) {
    if (q == std::trunc(q)) return kInf;
    if (s != std::trunc(s) || q == -kInf) return kNaN;
    for (; q < 0; q += 1) sum += std::pow(q, -s);  // the negative terms, then q in (0, 1)
  }
  constexpr int kTerms = 12;
  for (int k = 0; k < kTerms; ++k) sum += std::pow(q + k, -s);
  const double a = q + kTerms;
  sum += std::pow(a, 1 - s) / (s - 1) + 0.5 * std::pow(a, -s);
  // B_2j / (2j)! for j = 1..8.
  static constexpr double kB[] = {1.0 / 12,          -1.0 / 720,          1.0 / 30240,          -1.0 / 1209600,
                                  1.0 / 47900160,    -691.0 / 1307674368000, 1.0 / 74724249600,
                                  -3617.0 / 10670622842880000};
  double rising = s, power = std::pow(a, -s - 1);  // s (s+1) ... (s+2j-2) and a^(-s-2j+1)
  for (int j = 0; j < 8; ++j) {
    const double term = kB[j] * rising * power;
    sum += term;
    if (std::abs(term) < 1e-17 * std::abs(sum)) break;
    rising *= (s + 2 * j + 1) * (s + 2 * j + 2);
    power /= a * a;
  }
  return sum;
}

// psi^(n)(x) = (-1)^(n+1) n! zeta(n + 1, x) for n >= 2.
LT_HOST_DEVICE inline double polygamma(int64_t n, double x) {
  if (n == 0) return digamma(x);
  if (n == 1) return trigamma(x);
  const double factorial = std::tgamma(static_cast<double>(n) + 1);
  return (n % 2 ? 1.0 : -1.0) * factorial * hurwitz_zeta(static_cast<double>(n) + 1, x);
}

// erf^-1(y): Giles' single-precision approximation (2010) as the start, then Newton
// steps to full double precision: on erf(x) = |y| up to 1/2, and on log erfc(x) =
// log(1 - |y|) above, where erf(x) - y would cancel and the log makes the tail nearly
// quadratic (the start is fitted for float's range; Newton on erfc itself crawls from
// there). Beyond [-1, 1] NaN; at the ends the infinities.
LT_HOST_DEVICE inline double erfinv(double y) {
  if (std::isnan(y) || y < -1 || y > 1) return kNaN;
  if (y == 1 || y == -1) return std::copysign(kInf, y);
  const double a = std::fabs(y);
  const double central[] = {2.81022636e-08,  3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                            -0.00125372503, -0.00417768164, 0.246640727,    1.50140941};
  const double tail[] = {-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                         -0.0076224613,   0.00943887047,  1.00167406,    2.83297682};
  double w = -std::log((1 - a) * (1 + a));
  const double* c = w < 5 ? central : tail;
  w = w < 5 ? w - 2.5 : std::sqrt(w) - 3;
  double p = c[0];
  for (int i = 1; i < 9; ++i) p = c[i] + p * w;
  double x = p * a;
  constexpr double kTwoOverSqrtPi = 1.128379167095512573896;
  const double target = std::log(1 - a);  // 1 - a is exact above 1/2
  for (int step = 0; step < 8; ++step) {
    const double slope = kTwoOverSqrtPi * std::exp(-x * x);
    double dx;
    if (a <= 0.5) {
      dx = (std::erf(x) - a) / slope;
    } else {
      const double rest = std::erfc(x);
      dx = (target - std::log(rest)) * rest / slope;
    }
    x -= dx;
    if (std::fabs(dx) <= 1e-16 * std::fabs(x)) break;
  }
  return std::copysign(x, y);
}

}  // namespace lt::cpu::special
