// Test helpers for the operator tests: random tensors of any dtype and layout, element
// access through strides, and a scalar reference evaluator that loops over the broadcast
// shape in double with plain std:: math. Nothing here calls a libtensor operator to get
// an expected value: 16-bit floats are decoded and rounded here, not through half.h, and
// broadcasting is computed here, not by lt::broadcast_shapes.
#pragma once

#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace ref {

using lt::DType;

inline const std::vector<DType> kAllDTypes = {DType::Bool,    DType::UInt8,    DType::Int8,    DType::Int16,
                                              DType::Int32,   DType::Int64,    DType::Float16, DType::BFloat16,
                                              DType::Float32, DType::Float64};
inline const std::vector<DType> kFloatDTypes = {DType::Float16, DType::BFloat16, DType::Float32, DType::Float64};
inline const std::vector<DType> kIntDTypes = {DType::UInt8, DType::Int8, DType::Int16, DType::Int32, DType::Int64};

inline bool is_float(DType t) {
  return t == DType::Float16 || t == DType::BFloat16 || t == DType::Float32 || t == DType::Float64;
}
inline bool is_int(DType t) { return !is_float(t) && t != DType::Bool; }
inline std::string dname(DType t) { return std::string(lt::name(t)); }

// --- floating-point formats ---------------------------------------------------------------

struct Format {
  int digits;   // significand bits, the implicit one included
  int min_exp;  // exponent of the smallest normal number
  double max;   // largest finite value
};

inline Format format_of(DType t) {
  switch (t) {
    case DType::Float16: return {11, -14, 65504.0};
    case DType::BFloat16: return {8, -126, std::ldexp(255.0, 120)};
    case DType::Float32: return {24, -126, static_cast<double>(std::numeric_limits<float>::max())};
    default: return {53, -1022, std::numeric_limits<double>::max()};
  }
}

// Rounds v to the nearest value of the format (ties to even), with gradual underflow
// and overflow to infinity, as IEEE 754 does.
inline double round_to_format(double v, const Format& f) {
  if (std::isnan(v) || std::isinf(v) || v == 0) return v;
  int e;
  std::frexp(v, &e);  // |v| in [2^(e-1), 2^e)
  const int exp = std::max(e - 1, f.min_exp);
  const double quantum = std::ldexp(1.0, exp - (f.digits - 1));
  const double q = std::nearbyint(v / quantum) * quantum;
  if (std::fabs(q) > f.max) return std::copysign(std::numeric_limits<double>::infinity(), v);
  if (q == 0) return std::copysign(0.0, v);
  return q;
}

// The spacing of the format's numbers at |x| (the unit in the last place).
inline double ulp(DType t, double x) {
  const Format f = format_of(t);
  x = std::fabs(x);
  if (std::isinf(x) || std::isnan(x)) x = f.max;
  int e = f.min_exp + 1;
  if (x != 0) std::frexp(x, &e);
  const int exp = std::max(e - 1, f.min_exp);
  return std::ldexp(1.0, exp - (f.digits - 1));
}

template <class I>
double wrap_int(double v) {
  // Truncates toward zero, then wraps modulo 2^bits as a C++ conversion does.
  const int64_t i = static_cast<int64_t>(v);
  return static_cast<double>(static_cast<I>(static_cast<uint64_t>(i)));
}

// The value that storing v in dtype t yields (values of integral types must be in
// int64's range; they wrap to the type's width).
inline double round_to(DType t, double v) {
  switch (t) {
    case DType::Bool: return v != 0 ? 1.0 : 0.0;  // NaN is true
    case DType::UInt8: return wrap_int<uint8_t>(v);
    case DType::Int8: return wrap_int<int8_t>(v);
    case DType::Int16: return wrap_int<int16_t>(v);
    case DType::Int32: return wrap_int<int32_t>(v);
    case DType::Int64: return static_cast<double>(static_cast<int64_t>(v));
    case DType::Float32: return static_cast<double>(static_cast<float>(v));
    case DType::Float64: return v;
    default: return round_to_format(v, format_of(t));
  }
}

// --- encoding and decoding of 16-bit floats ------------------------------------------------

inline double decode_half(uint16_t h) {
  const int exp = (h >> 10) & 0x1f, man = h & 0x3ff;
  double v;
  if (exp == 0x1f) {
    v = man ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
  } else if (exp == 0) {
    v = std::ldexp(static_cast<double>(man), -24);
  } else {
    v = std::ldexp(static_cast<double>(man + 1024), exp - 25);
  }
  return (h & 0x8000) ? -v : v;
}

// v must be a float16 value (see round_to).
inline uint16_t encode_half(double v) {
  const uint16_t sign = std::signbit(v) ? 0x8000 : 0;
  if (std::isnan(v)) return 0x7e00;
  if (std::isinf(v)) return sign | 0x7c00;
  const double a = std::fabs(v);
  if (a == 0) return sign;
  int e;
  std::frexp(a, &e);
  if (e - 1 < -14) return sign | static_cast<uint16_t>(std::ldexp(a, 24));
  const auto man = static_cast<uint16_t>(std::ldexp(a, 11 - e) - 1024);
  return sign | static_cast<uint16_t>((e - 1 + 15) << 10) | man;
}

inline double decode_bf16(uint16_t b) { return std::bit_cast<float>(static_cast<uint32_t>(b) << 16); }

// v must be a bfloat16 value.
inline uint16_t encode_bf16(double v) {
  if (std::isnan(v)) return 0x7fc0;
  return static_cast<uint16_t>(std::bit_cast<uint32_t>(static_cast<float>(v)) >> 16);
}

// --- element access ----------------------------------------------------------------------

// Reads the element at byte address p of dtype t as a double.
inline double read_raw(const char* p, DType t) {
  auto rd = [p]<class T>(T) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
  };
  switch (t) {
    case DType::Bool: return rd(uint8_t{}) != 0 ? 1.0 : 0.0;
    case DType::UInt8: return rd(uint8_t{});
    case DType::Int8: return rd(int8_t{});
    case DType::Int16: return rd(int16_t{});
    case DType::Int32: return rd(int32_t{});
    case DType::Int64: return static_cast<double>(rd(int64_t{}));
    case DType::Float16: return decode_half(rd(uint16_t{}));
    case DType::BFloat16: return decode_bf16(rd(uint16_t{}));
    case DType::Float32: return rd(float{});
    case DType::Float64: return rd(double{});
  }
  return 0;
}

// Writes v (rounded to t first) at byte address p.
inline void write_raw(char* p, DType t, double v) {
  v = round_to(t, v);
  auto wr = [p]<class T>(T x) { std::memcpy(p, &x, sizeof(T)); };
  switch (t) {
    case DType::Bool: wr(static_cast<uint8_t>(v != 0)); break;
    case DType::UInt8: wr(static_cast<uint8_t>(v)); break;
    case DType::Int8: wr(static_cast<int8_t>(v)); break;
    case DType::Int16: wr(static_cast<int16_t>(v)); break;
    case DType::Int32: wr(static_cast<int32_t>(v)); break;
    case DType::Int64: wr(static_cast<int64_t>(v)); break;
    case DType::Float16: wr(encode_half(v)); break;
    case DType::BFloat16: wr(encode_bf16(v)); break;
    case DType::Float32: wr(static_cast<float>(v)); break;
    case DType::Float64: wr(v); break;
  }
}

inline int64_t element_size(DType t) {
  switch (t) {
    case DType::Bool: case DType::UInt8: case DType::Int8: return 1;
    case DType::Int16: case DType::Float16: case DType::BFloat16: return 2;
    case DType::Int32: case DType::Float32: return 4;
    default: return 8;
  }
}

inline const char* element_ptr(const lt::Tensor& t, const std::vector<int64_t>& idx) {
  int64_t off = 0;
  for (size_t d = 0; d < idx.size(); ++d) off += idx[d] * t.strides()[d];
  return static_cast<const char*>(t.data()) + off * element_size(t.dtype());
}

// The element at a multi-index, through the tensor's own strides.
inline double get(const lt::Tensor& t, const std::vector<int64_t>& idx) { return read_raw(element_ptr(t, idx), t.dtype()); }
inline void put(const lt::Tensor& t, const std::vector<int64_t>& idx, double v) {
  write_raw(const_cast<char*>(element_ptr(t, idx)), t.dtype(), v);
}

inline int64_t numel_of(const lt::Shape& s) {
  int64_t n = 1;
  for (int64_t x : s) n *= x;
  return n;
}

// Advances a row-major multi-index; false after the last one.
inline bool next_index(std::vector<int64_t>& idx, const lt::Shape& shape) {
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    if (++idx[d] < shape[d]) return true;
    idx[d] = 0;
  }
  return false;
}

// Every element in row-major (logical) order.
inline std::vector<double> values(const lt::Tensor& t) {
  std::vector<double> out;
  const lt::Shape shape = t.sizes();
  if (numel_of(shape) == 0) return out;
  std::vector<int64_t> idx(shape.size(), 0);
  do out.push_back(get(t, idx));
  while (next_index(idx, shape));
  return out;
}

// The single element of a one-element tensor (any rank).
inline double scalar(const lt::Tensor& t) {
  EXPECT_EQ(numel_of(t.sizes()), 1);
  return get(t, std::vector<int64_t>(t.dim(), 0));
}

// --- making tensors ----------------------------------------------------------------------

// A contiguous tensor of `shape` holding vals (row-major), rounded to t.
inline lt::Tensor make(const std::vector<double>& vals, DType t, lt::Shape shape = {-1}) {
  if (shape.size() == 1 && shape[0] == -1) shape = {static_cast<int64_t>(vals.size())};
  EXPECT_EQ(numel_of(shape), static_cast<int64_t>(vals.size()));
  lt::Tensor out = lt::empty(shape, t);
  char* p = static_cast<char*>(out.data());
  for (size_t i = 0; i < vals.size(); ++i) write_raw(p + i * element_size(t), t, vals[i]);
  return out;
}
inline lt::Tensor make0(double v, DType t) { return make({v}, t, {}); }
// 0, 1, 2, ... in float64, of the given shape.
inline lt::Tensor iota(lt::Shape shape) { return lt::arange(numel_of(shape), DType::Float64).reshape(shape); }
// int64 values, 1-D or of the given shape.
inline lt::Tensor longs(std::vector<int64_t> v, lt::Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<int64_t>(v.size())};
  return lt::from_vector<int64_t>(v, shape);
}

// A random value of dtype t in [lo, hi] (integral types: clamped to the type's range).
inline double random_value(std::mt19937& g, DType t, double lo, double hi) {
  if (t == DType::Bool) return static_cast<double>(g() & 1u);
  if (is_int(t)) {
    double tlo = t == DType::UInt8 ? 0 : t == DType::Int8 ? -128 : t == DType::Int16 ? -32768 : -2147483648.0;
    double thi = t == DType::UInt8 ? 255 : t == DType::Int8 ? 127 : t == DType::Int16 ? 32767 : 2147483647.0;
    if (t == DType::Int64) tlo = -1e15, thi = 1e15;
    const auto a = static_cast<int64_t>(std::ceil(std::max(lo, tlo)));
    const auto b = static_cast<int64_t>(std::floor(std::min(hi, thi)));
    return static_cast<double>(std::uniform_int_distribution<int64_t>(a, b)(g));
  }
  return round_to(t, std::uniform_real_distribution<double>(lo, hi)(g));
}

inline std::vector<double> random_values(int64_t n, DType t, uint32_t seed, double lo = -8, double hi = 8) {
  std::mt19937 g(seed);
  std::vector<double> v(n);
  for (auto& x : v) x = random_value(g, t, lo, hi);
  return v;
}

inline lt::Tensor random_tensor(lt::Shape shape, DType t, uint32_t seed, double lo = -8, double hi = 8) {
  return make(random_values(numel_of(shape), t, seed, lo, hi), t, shape);
}

// Memory layouts of test inputs; each gives a tensor of the requested shape.
enum class Layout {
  Contiguous,
  Transposed,  // dims reversed in memory
  Strided,     // every dim sliced with step 2 from an offset
  Expanded,    // dim 0 broadcast from size 1 (stride 0)
};
inline const std::vector<Layout> kLayouts = {Layout::Contiguous, Layout::Transposed, Layout::Strided,
                                             Layout::Expanded};
inline std::string layout_name(Layout l) {
  switch (l) {
    case Layout::Contiguous: return "contiguous";
    case Layout::Transposed: return "transposed";
    case Layout::Strided: return "strided";
    case Layout::Expanded: return "expanded";
  }
  return "?";
}

inline lt::Tensor random_tensor(lt::Shape shape, DType t, uint32_t seed, Layout layout, double lo = -8,
                                double hi = 8) {
  const int64_t nd = static_cast<int64_t>(shape.size());
  switch (layout) {
    case Layout::Contiguous: break;
    case Layout::Transposed: {
      lt::Shape rev(shape.rbegin(), shape.rend());
      std::vector<int64_t> order(nd);
      for (int64_t i = 0; i < nd; ++i) order[i] = nd - 1 - i;
      return random_tensor(rev, t, seed, lo, hi).permute(order);
    }
    case Layout::Strided: {
      lt::Shape big = shape;
      for (auto& s : big) s = 2 * s + 1;
      lt::Tensor x = random_tensor(big, t, seed, lo, hi);
      for (int64_t d = 0; d < nd; ++d) x = x.slice(d, 1, 1 + 2 * shape[d], 2);
      return x;
    }
    case Layout::Expanded: {
      if (nd == 0) break;
      lt::Shape one = shape;
      one[0] = 1;
      return random_tensor(one, t, seed, lo, hi).expand(shape);
    }
  }
  return random_tensor(shape, t, seed, lo, hi);
}

// Whole numbers in [lo, hi] of any dtype (so that zeros, ties and repeats are common).
inline lt::Tensor random_integers(lt::Shape shape, DType t, uint32_t seed, Layout layout, int64_t lo, int64_t hi) {
  lt::Tensor x = random_tensor(shape, t, seed, layout, lo, hi);
  std::mt19937 g(seed ^ 0x9e3779b9u);
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  if (numel_of(shape) == 0) return x;
  std::vector<int64_t> idx(shape.size(), 0);
  do put(x, idx, static_cast<double>(dist(g)));
  while (next_index(idx, shape));
  return x;
}

// --- the reference evaluator ------------------------------------------------------------------

// NumPy broadcasting, computed here.
inline lt::Shape broadcast(const std::vector<lt::Shape>& shapes) {
  size_t nd = 0;
  for (const auto& s : shapes) nd = std::max(nd, s.size());
  lt::Shape out(nd, 1);
  for (const auto& s : shapes) {
    for (size_t i = 0; i < s.size(); ++i) {
      int64_t& o = out[nd - s.size() + i];
      if (s[i] != 1) {
        EXPECT_TRUE(o == 1 || o == s[i]) << "reference: shapes do not broadcast";
        o = s[i];
      }
    }
  }
  return out;
}

struct Expected {
  lt::Shape shape;
  std::vector<double> v;  // row-major
};

// out[i] = f(inputs at i) over the broadcast shape. With `compute`, every input is first
// rounded to that dtype, as an operator's type promotion casts its inputs.
inline Expected map(const std::vector<lt::Tensor>& inputs, const std::function<double(const std::vector<double>&)>& f,
                    std::optional<DType> compute = {}) {
  std::vector<lt::Shape> shapes;
  for (const auto& t : inputs) shapes.push_back(t.sizes());
  Expected e{broadcast(shapes), {}};
  const int64_t n = numel_of(e.shape);
  if (n == 0) return e;
  const size_t nd = e.shape.size();
  std::vector<int64_t> idx(nd, 0);
  std::vector<double> args(inputs.size());
  do {
    for (size_t k = 0; k < inputs.size(); ++k) {
      const lt::Tensor& t = inputs[k];
      std::vector<int64_t> own(t.dim());
      for (int64_t d = 0; d < t.dim(); ++d) own[d] = t.sizes()[d] == 1 ? 0 : idx[nd - t.dim() + d];
      args[k] = get(t, own);
      if (compute) args[k] = round_to(*compute, args[k]);
    }
    e.v.push_back(f(args));
  } while (next_index(idx, e.shape));
  return e;
}
inline Expected map1(const lt::Tensor& a, const std::function<double(double)>& f, std::optional<DType> compute = {}) {
  return map({a}, [&](const std::vector<double>& x) { return f(x[0]); }, compute);
}
inline Expected map2(const lt::Tensor& a, const lt::Tensor& b, const std::function<double(double, double)>& f,
                     std::optional<DType> compute = {}) {
  return map({a, b}, [&](const std::vector<double>& x) { return f(x[0], x[1]); }, compute);
}
inline Expected map3(const lt::Tensor& a, const lt::Tensor& b, const lt::Tensor& c,
                     const std::function<double(double, double, double)>& f, std::optional<DType> compute = {}) {
  return map({a, b, c}, [&](const std::vector<double>& x) { return f(x[0], x[1], x[2]); }, compute);
}

// Reduces x over `dims` (empty: all dims; negative dims count from the end): each output
// element is f of the values of its reduced slice, in row-major order (an empty vector
// where a reduced dim has size 0). keepdim leaves size-1 dims in place of reduced ones.
inline Expected reduce(const lt::Tensor& x, std::vector<int64_t> dims, bool keepdim,
                       const std::function<double(const std::vector<double>&)>& f) {
  const int64_t nd = x.dim();
  std::vector<bool> mask(nd, dims.empty());
  for (int64_t d : dims) {
    if (nd == 0) continue;
    mask[d < 0 ? d + nd : d] = true;
  }
  lt::Shape kept, out_shape;
  for (int64_t d = 0; d < nd; ++d) {
    kept.push_back(mask[d] ? 1 : x.sizes()[d]);
    if (!mask[d] || keepdim) out_shape.push_back(kept.back());
  }
  std::vector<std::vector<double>> groups(numel_of(kept));
  if (numel_of(x.sizes()) > 0) {
    std::vector<int64_t> idx(nd, 0);
    do {
      int64_t o = 0;
      for (int64_t d = 0; d < nd; ++d) o = o * kept[d] + (mask[d] ? 0 : idx[d]);
      groups[o].push_back(get(x, idx));
    } while (next_index(idx, x.sizes()));
  }
  Expected e{out_shape, {}};
  for (const auto& g : groups) e.v.push_back(f(g));
  return e;
}

// --- comparison ---------------------------------------------------------------------------

// |actual - expected| <= ulps * ulp(expected) + atol + rtol * |expected| for floats;
// exact for integral and bool results. NaN matches NaN; infinities must match exactly.
struct Tol {
  double ulps = 0;
  double atol = 0;
  double rtol = 0;
};
// Results rounded once from a correctly computed value: exact up to the last bit or so.
inline Tol tight(DType t) {
  switch (t) {
    case DType::Float16: case DType::BFloat16: return {1, 0, 0};
    case DType::Float32: return {2, 0, 0};
    case DType::Float64: return {2, 0, 0};
    default: return {};
  }
}
inline Tol exact() { return {}; }

inline bool close(double a, double e, DType t, const Tol& tol) {
  if (!is_float(t)) return a == e;
  if (std::isnan(e) || std::isnan(a)) return std::isnan(e) && std::isnan(a);
  if (std::isinf(e) || std::isinf(a)) return a == e;
  return std::fabs(a - e) <= tol.ulps * ulp(t, e) + tol.atol + tol.rtol * std::fabs(e);
}

inline std::string shape_str(const lt::Shape& s) {
  std::ostringstream o;
  o << "(";
  for (size_t i = 0; i < s.size(); ++i) o << (i ? ", " : "") << s[i];
  o << (s.size() == 1 ? ",)" : ")");
  return o.str();
}

inline std::string index_str(int64_t linear, const lt::Shape& shape) {
  std::vector<int64_t> idx(shape.size());
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    idx[d] = shape[d] ? linear % shape[d] : 0;
    linear = shape[d] ? linear / shape[d] : 0;
  }
  return shape_str(idx);
}

// Checks dtype, shape and every value of `actual` against the reference rounded to
// `dtype`. `inputs`, when given, are printed with a mismatch.
inline ::testing::AssertionResult matches(const lt::Tensor& actual, const Expected& expected, DType dtype,
                                          Tol tol = {}, const std::vector<double>* inputs = nullptr) {
  if (!actual.defined()) return ::testing::AssertionFailure() << "result is undefined";
  if (actual.dtype() != dtype) {
    return ::testing::AssertionFailure() << "dtype " << dname(actual.dtype()) << ", expected " << dname(dtype);
  }
  if (actual.sizes() != expected.shape) {
    return ::testing::AssertionFailure() << "shape " << shape_str(actual.sizes()) << ", expected "
                                         << shape_str(expected.shape);
  }
  const std::vector<double> got = values(actual);
  int bad = 0;
  std::ostringstream msg;
  for (size_t i = 0; i < got.size(); ++i) {
    const double e = round_to(dtype, expected.v[i]);
    if (close(got[i], e, dtype, tol)) continue;
    if (bad++ < 6) {
      msg.precision(17);
      msg << "\n  at " << index_str(static_cast<int64_t>(i), expected.shape) << ": got " << got[i] << ", expected "
          << e << " (exact " << expected.v[i] << ")";
      if (inputs && i < inputs->size()) msg << " for input " << (*inputs)[i];
      if (is_float(dtype) && std::isfinite(e)) msg << ", " << std::fabs(got[i] - e) / ulp(dtype, e) << " ulp";
    }
  }
  if (bad) {
    return ::testing::AssertionFailure() << bad << " of " << got.size() << " elements differ (dtype " << dname(dtype)
                                         << ", shape " << shape_str(expected.shape) << ")" << msg.str();
  }
  return ::testing::AssertionSuccess();
}

// The values of a tensor must equal `want` exactly (after rounding to its dtype).
inline ::testing::AssertionResult equals(const lt::Tensor& actual, const std::vector<double>& want, DType dtype,
                                         std::optional<lt::Shape> shape = {}) {
  Expected e{shape.value_or(lt::Shape{static_cast<int64_t>(want.size())}), want};
  return matches(actual, e, dtype, Tol{});
}

}  // namespace ref
