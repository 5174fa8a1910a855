// Accuracy of the transcendental functions against numpy's ULP validation data
// (umath-validation-set-<fn>.csv: dtype,input_hex,output_hex,ulperrortol, the outputs
// correctly rounded from a higher-precision library). One test instance per
// (function, dtype) group: those PyTorch 1.13 passes (scripts/ulp_pytorch_groups.py,
// docs/accuracy.md) and the three it fails, which libtensor passes. Then dense float32
// grids for the functions with their own kernels (exp, log, tanh, sigmoid, erf), float64
// checks of exp, log and sigmoid, and special values.
//
// Each group is checked in three layouts: the rows as one small contiguous tensor; the
// rows repeated to a multiple of 64 of at least 4096 elements (the contiguous, vectorized
// kernel path); and that long tensor seen through a stride-2 view (the strided path).
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

// --- ULP distance with numpy.testing.assert_array_max_ulp semantics -----------------
// Floats are mapped to integers in value order (sign-magnitude -> two's complement), so
// +0 and -0 are the same point, adjacent floats differ by 1 and the largest finite value
// is 1 from infinity. Every NaN is mapped to one canonical NaN: NaN == NaN is 0 ulp,
// NaN against anything else is very far. Unlike numpy the difference is taken without
// wrap-around, so it is never understated.
template <class T>
struct Bits;
template <>
struct Bits<float> {
  using U = uint32_t;
  static constexpr int kWidth = 32;
};
template <>
struct Bits<double> {
  using U = uint64_t;
  static constexpr int kWidth = 64;
};

template <class T>
__int128 ordered(typename Bits<T>::U u) {
  using U = typename Bits<T>::U;
  T v;
  std::memcpy(&v, &u, sizeof v);
  if (v != v) {
    T q = std::numeric_limits<T>::quiet_NaN();
    std::memcpy(&u, &q, sizeof u);
    u &= ~(U(1) << (Bits<T>::kWidth - 1));
  }
  const U sign = U(1) << (Bits<T>::kWidth - 1);
  return (u & sign) ? -static_cast<__int128>(u & ~sign) : static_cast<__int128>(u);
}

template <class T>
uint64_t ulp_distance(typename Bits<T>::U a, typename Bits<T>::U b) {
  __int128 d = ordered<T>(a) - ordered<T>(b);
  if (d < 0) d = -d;
  return d > static_cast<__int128>(UINT64_MAX) ? UINT64_MAX : static_cast<uint64_t>(d);
}

template <class T>
uint64_t ulp_distance_values(T a, T b) {
  typename Bits<T>::U ua, ub;
  std::memcpy(&ua, &a, sizeof a);
  std::memcpy(&ub, &b, sizeof b);
  return ulp_distance<T>(ua, ub);
}

TEST(UlpHelper, NumpySemantics) {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(ulp_distance_values(0.0f, -0.0f), 0u);
  EXPECT_EQ(ulp_distance_values(1.0f, std::nextafter(1.0f, 2.0f)), 1u);
  EXPECT_EQ(ulp_distance_values(-1.0f, std::nextafter(-1.0f, -2.0f)), 1u);
  EXPECT_EQ(ulp_distance_values(std::numeric_limits<float>::denorm_min(), -std::numeric_limits<float>::denorm_min()),
            2u);
  EXPECT_EQ(ulp_distance_values(std::numeric_limits<float>::max(), inf), 1u);
  EXPECT_EQ(ulp_distance_values(nan, -nan), 0u);
  EXPECT_EQ(ulp_distance<float>(0x7fc00000u, 0xffc00001u), 0u);  // any NaN payload or sign
  EXPECT_GT(ulp_distance_values(nan, inf), 1000u);
  EXPECT_GT(ulp_distance_values(nan, 0.0f), 1000000u);
  EXPECT_EQ(ulp_distance_values(-inf, inf), 2ull * 0x7f800000u);
  const double dmax = std::numeric_limits<double>::max();
  EXPECT_EQ(ulp_distance_values(dmax, std::numeric_limits<double>::infinity()), 1u);
  EXPECT_EQ(ulp_distance_values(-dmax, dmax), 2ull * 0x7fefffffffffffffull);
  EXPECT_EQ(ulp_distance_values(std::nan(""), -std::nan("")), 0u);
}

// --- the data ------------------------------------------------------------------------
struct Row {
  uint64_t in, out;
  uint64_t tol;
};

// The rows of one dtype ("np.float32" / "np.float64") of umath-validation-set-<npname>.csv.
std::vector<Row> read_rows(const std::string& npname, const std::string& dtype) {
  const std::string path = std::string(LT_NUMPY_DATA_DIR) + "/umath-validation-set-" + npname + ".csv";
  std::ifstream f(path);
  EXPECT_TRUE(f.good()) << "cannot open " << path;
  std::vector<Row> rows;
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#' || line[0] == '$' || line.rfind("dtype", 0) == 0) continue;
    std::stringstream ss(line);
    std::string dt, in, out, tol;
    std::getline(ss, dt, ',');
    std::getline(ss, in, ',');
    std::getline(ss, out, ',');
    std::getline(ss, tol, ',');
    if (dt != dtype) continue;
    rows.push_back({std::stoull(in, nullptr, 16), std::stoull(out, nullptr, 16), std::stoull(tol)});
  }
  return rows;
}

using UnaryFn = lt::Tensor (*)(const lt::Tensor&);

struct Group {
  const char* npname;  // numpy's name (the CSV file)
  const char* name;    // libtensor's
  UnaryFn fn;
  lt::DType dtype;
};

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

template <class T>
std::string show(typename Bits<T>::U u) {
  T v;
  std::memcpy(&v, &u, sizeof v);
  std::ostringstream s;
  s.precision(std::numeric_limits<T>::max_digits10);
  s << v << " (" << hex(u) << ")";
  return s.str();
}

// Checks y[i] against rows[idx[i]] for every i; returns the largest ULP error.
template <class T>
uint64_t check(const Group& g, const char* layout, const std::vector<Row>& rows, const std::vector<size_t>& idx,
               const lt::Tensor& y) {
  using U = typename Bits<T>::U;
  const lt::Tensor yc = y.contiguous();
  EXPECT_EQ(yc.dtype(), g.dtype);
  EXPECT_EQ(yc.numel(), static_cast<int64_t>(idx.size()));
  const U* got = reinterpret_cast<const U*>(yc.data());
  uint64_t worst = 0;
  size_t failures = 0;
  std::vector<bool> reported(rows.size(), false);
  for (size_t i = 0; i < idx.size(); ++i) {
    const Row& r = rows[idx[i]];
    const uint64_t d = ulp_distance<T>(got[i], static_cast<U>(r.out));
    worst = std::max(worst, d);
    if (d <= r.tol) continue;
    ++failures;
    if (reported[idx[i]]) continue;  // one message per row of the data
    reported[idx[i]] = true;
    ADD_FAILURE() << g.name << " " << lt::name(g.dtype) << " [" << layout << ", element " << i
                  << "]: input " << show<T>(static_cast<U>(r.in)) << " expected " << show<T>(static_cast<U>(r.out))
                  << " got " << show<T>(got[i]) << ": " << d << " ulp > " << r.tol;
  }
  if (failures) {
    ADD_FAILURE() << g.name << " " << lt::name(g.dtype) << " [" << layout << "]: " << failures << " of "
                  << idx.size() << " elements out of tolerance, max " << worst << " ulp";
  }
  return worst;
}

template <class T>
void run_group(const Group& g) {
  using U = typename Bits<T>::U;
  const std::string dtype = std::is_same_v<T, float> ? "np.float32" : "np.float64";
  const std::vector<Row> rows = read_rows(g.npname, dtype);
  ASSERT_FALSE(rows.empty()) << "no " << dtype << " rows for " << g.npname;
  const size_t n = rows.size();

  std::vector<T> small(n);
  for (size_t i = 0; i < n; ++i) {
    const U u = static_cast<U>(rows[i].in);
    std::memcpy(&small[i], &u, sizeof(T));
  }
  std::vector<size_t> small_idx(n);
  for (size_t i = 0; i < n; ++i) small_idx[i] = i;

  // A multiple of 64, at least 4096: whole vector blocks on the contiguous path.
  size_t m = std::max<size_t>(4096, n);
  m = (m + 63) / 64 * 64;
  std::vector<T> tiled(m);
  std::vector<size_t> tiled_idx(m);
  for (size_t i = 0; i < m; ++i) {
    tiled_idx[i] = i % n;
    tiled[i] = small[i % n];
  }
  // The same values at even positions of a buffer twice as long, seen with stride 2.
  std::vector<T> interleaved(2 * m, T(7));
  for (size_t i = 0; i < m; ++i) interleaved[2 * i] = tiled[i];

  uint64_t w_small = check<T>(g, "small contiguous", rows, small_idx, g.fn(lt::from_vector(small)));
  const lt::Tensor t = lt::from_vector(tiled);
  ASSERT_TRUE(t.is_contiguous());
  uint64_t w_tiled = check<T>(g, "tiled contiguous", rows, tiled_idx, g.fn(t));
  const lt::Tensor s = lt::from_vector(interleaved).slice(0, 0, static_cast<int64_t>(2 * m), 2);
  ASSERT_FALSE(s.is_contiguous());
  ASSERT_EQ(s.numel(), static_cast<int64_t>(m));
  uint64_t w_strided = check<T>(g, "strided view", rows, tiled_idx, g.fn(s));
  ::testing::Test::RecordProperty("max_ulp_small", std::to_string(w_small));
  ::testing::Test::RecordProperty("max_ulp_tiled", std::to_string(w_tiled));
  ::testing::Test::RecordProperty("max_ulp_strided", std::to_string(w_strided));
  std::printf("  %s %s: %zu rows, tol %llu, max ulp small/tiled/strided = %llu/%llu/%llu\n", g.name,
              lt::name(g.dtype).data(), n,
              static_cast<unsigned long long>(rows[0].tol), static_cast<unsigned long long>(w_small),
              static_cast<unsigned long long>(w_tiled), static_cast<unsigned long long>(w_strided));
}

void PrintTo(const Group& g, std::ostream* os) { *os << g.name << " " << lt::name(g.dtype); }

class Ulp : public ::testing::TestWithParam<Group> {};

TEST_P(Ulp, WithinNumpyTolerance) {
  const Group& g = GetParam();
  if (g.dtype == lt::DType::Float32) run_group<float>(g);
  else run_group<double>(g);
}

std::string group_name(const ::testing::TestParamInfo<Group>& info) {
  return std::string(info.param.name) + "_" + std::string(lt::name(info.param.dtype));
}

constexpr lt::DType F32 = lt::DType::Float32, F64 = lt::DType::Float64;

// The groups PyTorch 1.13 (CPU, AVX2) passes.
INSTANTIATE_TEST_SUITE_P(
    Numpy, Ulp,
    ::testing::Values(Group{"exp", "exp", lt::exp, F32},
                      Group{"exp2", "exp2", lt::exp2, F32}, Group{"exp2", "exp2", lt::exp2, F64},
                      Group{"expm1", "expm1", lt::expm1, F32}, Group{"expm1", "expm1", lt::expm1, F64},
                      Group{"log", "log", lt::log, F32}, Group{"log", "log", lt::log, F64},
                      Group{"log2", "log2", lt::log2, F32}, Group{"log2", "log2", lt::log2, F64},
                      Group{"log10", "log10", lt::log10, F32}, Group{"log10", "log10", lt::log10, F64},
                      Group{"sin", "sin", lt::sin, F32}, Group{"sin", "sin", lt::sin, F64},
                      Group{"cos", "cos", lt::cos, F32}, Group{"cos", "cos", lt::cos, F64},
                      Group{"tan", "tan", lt::tan, F32}, Group{"tan", "tan", lt::tan, F64},
                      Group{"arcsin", "asin", lt::asin, F32}, Group{"arcsin", "asin", lt::asin, F64},
                      Group{"arccos", "acos", lt::acos, F32}, Group{"arccos", "acos", lt::acos, F64},
                      Group{"arctan", "atan", lt::atan, F32}, Group{"arctan", "atan", lt::atan, F64},
                      Group{"sinh", "sinh", lt::sinh, F32}, Group{"sinh", "sinh", lt::sinh, F64},
                      Group{"cosh", "cosh", lt::cosh, F32}, Group{"cosh", "cosh", lt::cosh, F64},
                      Group{"tanh", "tanh", lt::tanh, F32}, Group{"tanh", "tanh", lt::tanh, F64},
                      Group{"arcsinh", "asinh", lt::asinh, F32}, Group{"arcsinh", "asinh", lt::asinh, F64},
                      Group{"arccosh", "acosh", lt::acosh, F32}, Group{"arccosh", "acosh", lt::acosh, F64},
                      Group{"arctanh", "atanh", lt::atanh, F32}, Group{"arctanh", "atanh", lt::atanh, F64}),
    group_name);

// The groups PyTorch 1.13 fails (exp float64 overflows to inf just below the overflow
// threshold; log1p overflows to inf for inputs near the largest finite value), which
// libtensor passes.
INSTANTIATE_TEST_SUITE_P(BeyondTorch, Ulp,
                         ::testing::Values(Group{"exp", "exp", lt::exp, F64},
                                           Group{"log1p", "log1p", lt::log1p, F32},
                                           Group{"log1p", "log1p", lt::log1p, F64}),
                         group_name);

// --- dense grids for the functions with their own kernels ------------------------------
// Float32 results against the function evaluated in higher precision, as a fractional
// ULP error of the float result: |got - ref| / ulp(ref). Every 1021st bit pattern of the
// finite floats (both signs: 4.2 million points) plus a linear grid of step 2e-5 on
// [-12, 12]. (Runs over all floats are reported in docs/accuracy.md.)
std::vector<float> dense_float_grid() {
  std::vector<float> xs;
  for (uint64_t b = 0; b < (1ull << 32); b += 1021) {
    const float x = std::bit_cast<float>(static_cast<uint32_t>(b));
    if (std::isfinite(x)) xs.push_back(x);
  }
  for (int i = -600000; i <= 600000; ++i) xs.push_back(static_cast<float>(i) * 2e-5f);
  return xs;
}

template <class T, class R>
double ulp_error(T got, R ref) {
  using L = long double;
  if (std::isnan(got) || std::isnan(ref)) return std::isnan(got) && std::isnan(ref) ? 0 : INFINITY;
  if (std::isinf(static_cast<T>(ref)) || std::isinf(got)) return got == static_cast<T>(ref) ? 0 : INFINITY;
  const int min_exp = std::numeric_limits<T>::min_exponent - std::numeric_limits<T>::digits;  // of denorm_min
  int e = 0;
  std::frexp(static_cast<L>(ref), &e);
  const int ulp_exp = ref == 0 ? min_exp : std::max(e - std::numeric_limits<T>::digits, min_exp);
  return static_cast<double>(std::fabs(static_cast<L>(got) - static_cast<L>(ref)) / std::ldexp(L(1), ulp_exp));
}

struct DenseCase {
  const char* name;
  UnaryFn fn;
  long double (*ref)(long double);  // evaluated in long double where that is wider than double
  double max_ulp;                   // bound on the fractional ULP error
};
void PrintTo(const DenseCase& c, std::ostream* os) { *os << c.name; }

class DenseFloat32 : public ::testing::TestWithParam<DenseCase> {};

TEST_P(DenseFloat32, WithinBound) {
  const DenseCase& c = GetParam();
  static const std::vector<float> xs = dense_float_grid();
  const lt::Tensor x = lt::from_vector(xs);
  const lt::Tensor y = c.fn(x);
  ASSERT_EQ(y.dtype(), lt::DType::Float32);
  const float* got = y.data_ptr<float>();
  double worst = 0;
  size_t worst_i = 0, failures = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const double e = ulp_error(got[i], c.ref(xs[i]));
    if (e > worst) worst = e, worst_i = i;
    if (e > c.max_ulp && ++failures <= 10) {
      ADD_FAILURE() << c.name << " float32: input " << show<float>(std::bit_cast<uint32_t>(xs[i])) << " expected "
                    << static_cast<double>(c.ref(xs[i])) << " got " << show<float>(std::bit_cast<uint32_t>(got[i]))
                    << ": " << e << " ulp > " << c.max_ulp;
    }
  }
  EXPECT_EQ(failures, 0u) << c.name << ": " << failures << " of " << xs.size() << " points out of bound";
  std::printf("  %s float32: %zu points, max %.4f ulp at x = %.9g\n", c.name, xs.size(), worst,
              static_cast<double>(xs[worst_i]));
  // The strided path computes the same values.
  const size_t m = 1 << 16;
  std::vector<float> interleaved(2 * m, 0.0f);
  for (size_t i = 0; i < m; ++i) interleaved[2 * i] = xs[i * (xs.size() / m)];
  const lt::Tensor ys = c.fn(lt::from_vector(interleaved).slice(0, 0, static_cast<int64_t>(2 * m), 2)).contiguous();
  for (size_t i = 0; i < m; ++i) {
    const float want = got[i * (xs.size() / m)], have = ys.data_ptr<float>()[i];
    if (ulp_distance_values(want, have) != 0) {
      ADD_FAILURE() << c.name << " float32 strided: input " << xs[i * (xs.size() / m)] << " contiguous " << want
                    << " strided " << have;
      break;
    }
  }
}

long double ref_erf(long double x) { return std::erf(x); }
long double ref_tanh(long double x) { return std::tanh(x); }
long double ref_sigmoid(long double x) { return 1 / (1 + std::exp(-x)); }
long double ref_exp(long double x) { return std::exp(x); }
long double ref_log(long double x) { return std::log(x); }
// The double-precision formulas the brief names, for comparison.
long double ref_erf_double(long double x) { return std::erf(static_cast<double>(x)); }
long double ref_sigmoid_double(long double x) { return 1.0 / (1.0 + std::exp(-static_cast<double>(x))); }

std::string dense_name(const ::testing::TestParamInfo<DenseCase>& info) { return info.param.name; }

// The float32 kernels compute in double and round once: within 0.51 ulp when measured
// against long double references (docs/accuracy.md); the bounds leave room for builds
// without FMA and for platforms whose long double is double.
INSTANTIATE_TEST_SUITE_P(Kernels, DenseFloat32,
                         ::testing::Values(DenseCase{"erf", lt::erf, ref_erf, 1.0},
                                           DenseCase{"erf_vs_double_std_erf", lt::erf, ref_erf_double, 1.0},
                                           DenseCase{"tanh", lt::tanh, ref_tanh, 1.0},
                                           DenseCase{"sigmoid", lt::sigmoid, ref_sigmoid, 1.0},
                                           DenseCase{"sigmoid_vs_double_formula", lt::sigmoid,
                                                     ref_sigmoid_double, 1.0},
                                           DenseCase{"exp", lt::exp, ref_exp, 1.0},
                                           DenseCase{"log", lt::log, ref_log, 1.0}),
                         dense_name);

// Float64 exp, log and sigmoid (own kernels) on random bit patterns and on their hard
// ranges, against long double.
TEST(DenseFloat64, ExpLogSigmoid) {
  if (std::numeric_limits<long double>::digits < 64) GTEST_SKIP() << "long double is no wider than double";
  std::mt19937_64 rng(12345);
  std::vector<double> xs;
  for (int i = 0; i < 200000; ++i) xs.push_back(std::bit_cast<double>(rng()));
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (int i = 0; i < 200000; ++i) {
    xs.push_back(746.0 * u(rng));
    xs.push_back(1.0 + 0.5 * u(rng));
    xs.push_back(std::ldexp(1.0 + 0.5 * u(rng), -1060));  // subnormal
  }
  const lt::Tensor x = lt::from_vector(xs);
  struct Case {
    const char* name;
    lt::Tensor y;
    long double (*ref)(long double);
    double max_ulp;
  };
  for (const Case& c : {Case{"exp", lt::exp(x), ref_exp, 1.0}, Case{"log", lt::log(x), ref_log, 1.0},
                        Case{"sigmoid", lt::sigmoid(x), ref_sigmoid, 2.5}}) {
    const double* got = c.y.data_ptr<double>();
    double worst = 0;
    size_t failures = 0;
    for (size_t i = 0; i < xs.size(); ++i) {
      const double e = ulp_error(got[i], c.ref(xs[i]));
      worst = std::max(worst, e);
      if (e > c.max_ulp && ++failures <= 10) {
        ADD_FAILURE() << c.name << " float64: input " << show<double>(std::bit_cast<uint64_t>(xs[i])) << " got "
                      << show<double>(std::bit_cast<uint64_t>(got[i])) << ": " << e << " ulp > " << c.max_ulp;
      }
    }
    std::printf("  %s float64: %zu points, max %.4f ulp\n", c.name, xs.size(), worst);
  }
}

// Special values through the contiguous (vectorized) path: a long tensor of them.
template <class T>
void check_specials() {
  const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
  const T dmin = std::numeric_limits<T>::denorm_min(), tmin = std::numeric_limits<T>::min(),
          tmax = std::numeric_limits<T>::max();
  struct Want {
    T x, exp, log, tanh, sigmoid, erf;
  };
  // Finite results from long double, rounded once.
  auto R = [](long double (*f)(long double), T x) { return static_cast<T>(f(static_cast<long double>(x))); };
  const std::vector<Want> wants = {
      {T(0), T(1), -inf, T(0), T(0.5), T(0)},
      {-T(0), T(1), -inf, -T(0), T(0.5), -T(0)},
      {inf, inf, inf, T(1), T(1), T(1)},
      {-inf, T(0), nan, T(-1), T(0), T(-1)},
      {nan, nan, nan, nan, nan, nan},
      {-nan, nan, nan, nan, nan, nan},
      {T(1), R(ref_exp, 1), T(0), R(ref_tanh, 1), R(ref_sigmoid, 1), R(ref_erf, 1)},
      {T(-1), R(ref_exp, -1), nan, R(ref_tanh, -1), R(ref_sigmoid, -1), R(ref_erf, -1)},
      {dmin, T(1), R(ref_log, dmin), dmin, T(0.5), R(ref_erf, dmin)},
      {tmin, T(1), R(ref_log, tmin), tmin, T(0.5), R(ref_erf, tmin)},
      {tmax, inf, R(ref_log, tmax), T(1), T(1), T(1)},
      {-tmax, T(0), nan, T(-1), T(0), T(-1)},
      {T(1000), inf, R(ref_log, 1000), T(1), T(1), T(1)},
      {T(-1000), T(0), nan, T(-1), T(0), T(-1)},
  };
  std::vector<T> xs;
  for (int rep = 0; rep < 100; ++rep)
    for (const Want& w : wants) xs.push_back(w.x);
  const lt::Tensor x = lt::from_vector(xs);
  const lt::Tensor e = lt::exp(x), l = lt::log(x), t = lt::tanh(x), s = lt::sigmoid(x), f = lt::erf(x);
  using U = typename Bits<T>::U;
  auto expect = [&](const char* fn, const lt::Tensor& y, size_t i, T want) {
    const T got = y.data_ptr<T>()[i];
    EXPECT_LE(ulp_distance_values(got, want), 1u)
        << fn << " " << lt::name(y.dtype()) << "(" << show<T>(std::bit_cast<U>(xs[i])) << "): expected "
        << show<T>(std::bit_cast<U>(want)) << " got " << show<T>(std::bit_cast<U>(got));
    if (want == 0) EXPECT_EQ(std::signbit(got), std::signbit(want)) << fn << "(" << xs[i] << ") sign of zero";
  };
  for (size_t i = 0; i < xs.size(); ++i) {
    const Want& w = wants[i % wants.size()];
    expect("exp", e, i, w.exp);
    expect("log", l, i, w.log);
    expect("tanh", t, i, w.tanh);
    expect("sigmoid", s, i, w.sigmoid);
    expect("erf", f, i, w.erf);
  }
}

TEST(SpecialValues, Float32) { check_specials<float>(); }
TEST(SpecialValues, Float64) { check_specials<double>(); }

// Half and BFloat16 go through the float kernels: each result is the float result rounded.
TEST(SpecialValues, HalfAndBFloat16MatchFloat) {
  std::vector<float> xs;
  for (int i = -4000; i <= 4000; ++i) xs.push_back(static_cast<float>(i) * 0.01f);
  const lt::Tensor x = lt::from_vector(xs);
  for (lt::DType dt : {lt::DType::Float16, lt::DType::BFloat16}) {
    const lt::Tensor xh = x.to(dt);
    const lt::Tensor xf = xh.to(lt::DType::Float32);
    for (UnaryFn fn : {UnaryFn(lt::exp), UnaryFn(lt::log), UnaryFn(lt::tanh), UnaryFn(lt::sigmoid), UnaryFn(lt::erf)}) {
      const lt::Tensor got = fn(xh).to(lt::DType::Float32), want = fn(xf).to(dt).to(lt::DType::Float32);
      for (size_t i = 0; i < xs.size(); ++i) {
        const float g = got.data_ptr<float>()[i], w = want.data_ptr<float>()[i];
        ASSERT_TRUE(g == w || (std::isnan(g) && std::isnan(w)))
            << lt::name(dt) << " x = " << xf.data_ptr<float>()[i] << ": got " << g << " want " << w;
      }
    }
  }
}

}  // namespace
