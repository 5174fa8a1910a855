// The CPU loops over a TensorIterator. Every elementwise kernel is a call of
// elementwise() (or elementwise_vec() with an Eigen expression for the contiguous
// case); every reduction is a call of reduce(). No kernel writes its own loop.
#pragma once

#include <Eigen/Core>
#include <cstring>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "libtensor/iterator.h"
#include "libtensor/parallel.h"

namespace lt::cpu {

template <class T>
inline T load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// Converts through the compute type, so that Half and BFloat16 round once.
template <class To, class From>
inline To convert(From v) {
  if constexpr (std::is_same_v<To, bool>) {
    return static_cast<compute_t<From>>(v) != compute_t<From>(0);
  } else if constexpr (std::is_same_v<To, Half> || std::is_same_v<To, BFloat16>) {
    return To(static_cast<float>(v));
  } else {
    return static_cast<To>(static_cast<compute_t<From>>(v));
  }
}

namespace detail {

// An input of a contiguous row: an array, or one value broadcast along the row.
template <class T, bool Broadcast>
struct Source;
template <class T>
struct Source<T, false> {
  const T* p;
  explicit Source(const char* d) : p(reinterpret_cast<const T*>(d)) {}
  compute_t<T> operator[](int64_t i) const { return static_cast<compute_t<T>>(p[i]); }
};
template <class T>
struct Source<T, true> {
  compute_t<T> v;
  explicit Source(const char* d) : v(static_cast<compute_t<T>>(load<T>(d))) {}
  compute_t<T> operator[](int64_t) const { return v; }
};

template <unsigned Mask, class Out, class... In, class F, size_t... I>
void contiguous_row(char** d, int64_t n, F& f, std::index_sequence<I...>) {
  Out* out = reinterpret_cast<Out*>(d[0]);
  std::tuple<Source<In, ((Mask >> I) & 1u) != 0>...> in{Source<In, ((Mask >> I) & 1u) != 0>(d[I + 1])...};
  for (int64_t i = 0; i < n; ++i) out[i] = convert<Out>(f(std::get<I>(in)[i]...));
}

template <class Out, class... In, class F, size_t... I>
void strided_row(char** d, const int64_t* s, int64_t n, F& f, std::index_sequence<I...>) {
  for (int64_t i = 0; i < n; ++i) {
    auto r = f(static_cast<compute_t<In>>(load<In>(d[I + 1] + i * s[I + 1]))...);
    Out o = convert<Out>(r);
    std::memcpy(d[0] + i * s[0], &o, sizeof(Out));
  }
}

// Calls the contiguous_row specialised for `mask` (bit i: input i is broadcast).
template <class Out, class... In, class F, unsigned... M>
void dispatch_mask(unsigned mask, char** d, int64_t n, F& f, std::integer_sequence<unsigned, M...>) {
  using Seq = std::index_sequence_for<In...>;
  ((mask == M ? (contiguous_row<M, Out, In...>(d, n, f, Seq{}), true) : false) || ...);
}

}  // namespace detail

// out = f(in...) for every element. f takes compute_t<In> values (float for the 16-bit
// types) and returns something convertible to Out. Contiguous rows, with broadcast
// inputs hoisted, compile to plain loops the compiler vectorizes.
template <class Out, class... In, class F>
void elementwise(const TensorIterator& iter, F f) {
  constexpr size_t N = sizeof...(In);
  using Seq = std::index_sequence_for<In...>;
  constexpr int64_t sizes[] = {static_cast<int64_t>(sizeof(In))..., 0};
  parallel_for(0, iter.numel(), kGrainSize, [&](int64_t begin, int64_t end) {
    iter.for_each_row(begin, end, [&](char** d, const int64_t* s, int64_t n) {
      bool contiguous = s[0] == static_cast<int64_t>(sizeof(Out));
      unsigned mask = 0;
      for (size_t k = 0; k < N; ++k) {
        if (s[k + 1] == 0) {
          mask |= 1u << k;
        } else if (s[k + 1] != sizes[k]) {
          contiguous = false;
        }
      }
      if (contiguous) {
        detail::dispatch_mask<Out, In...>(mask, d, n, f, std::make_integer_sequence<unsigned, (1u << N)>{});
      } else {
        detail::strided_row<Out, In...>(d, s, n, f, Seq{});
      }
    });
  });
}

// A unary kernel with an Eigen array expression for contiguous rows (vectorized
// transcendental functions) and f for the rest. T is float, double, Half or BFloat16;
// the 16-bit types are widened to float in blocks.
template <class T, class F, class VF>
void elementwise_vec(const TensorIterator& iter, F f, VF vf) {
  using C = compute_t<T>;
  using Array = Eigen::Array<C, Eigen::Dynamic, 1>;
  parallel_for(0, iter.numel(), kGrainSize, [&](int64_t begin, int64_t end) {
    iter.for_each_row(begin, end, [&](char** d, const int64_t* s, int64_t n) {
      if (s[0] != sizeof(T) || s[1] != sizeof(T)) {
        detail::strided_row<T, T>(d, s, n, f, std::index_sequence<0>{});
        return;
      }
      if constexpr (std::is_same_v<T, C>) {
        Eigen::Map<Array> out(reinterpret_cast<C*>(d[0]), n);
        out = vf(Eigen::Map<const Array>(reinterpret_cast<const C*>(d[1]), n));
      } else {
        constexpr int64_t kBlock = 1024;
        alignas(64) C buf[kBlock];
        T* out = reinterpret_cast<T*>(d[0]);
        const T* in = reinterpret_cast<const T*>(d[1]);
        for (int64_t i = 0; i < n; i += kBlock) {
          const int64_t m = std::min(kBlock, n - i);
          for (int64_t j = 0; j < m; ++j) buf[j] = static_cast<C>(in[i + j]);
          Eigen::Map<Array> b(buf, m);
          b = vf(b);
          for (int64_t j = 0; j < m; ++j) out[i + j] = T(buf[j]);
        }
      }
    });
  });
}

// --- reductions --------------------------------------------------------------------

// A reducer R provides: Acc identity(); Acc combine(Acc, Acc); Acc lift(compute_t<In>).
namespace detail {

// Reduces n contiguous elements: 64 independent lanes (four vector registers, so the
// adds overlap) over blocks of 4096, blocks combined pairwise, so float sums grow
// error like log(n) rather than n.
template <class In, class Acc, class R>
Acc reduce_contiguous(const In* p, int64_t n, const R& r) {
  constexpr int64_t kLanes = 64, kBlock = 4096;
  if (n > kBlock) {
    const int64_t half = (n / 2 + kLanes - 1) / kLanes * kLanes;
    return r.combine(reduce_contiguous<In, Acc>(p, half, r), reduce_contiguous<In, Acc>(p + half, n - half, r));
  }
  Acc lanes[kLanes];
  for (auto& l : lanes) l = r.identity();
  const int64_t full = n / kLanes * kLanes;
  for (int64_t i = 0; i < full; i += kLanes) {
    for (int64_t j = 0; j < kLanes; ++j) lanes[j] = r.combine(lanes[j], r.lift(static_cast<compute_t<In>>(p[i + j])));
  }
  Acc tail = r.identity();
  for (int64_t i = full; i < n; ++i) tail = r.combine(tail, r.lift(static_cast<compute_t<In>>(p[i])));
  for (int64_t w = kLanes / 2; w > 0; w /= 2) {
    for (int64_t j = 0; j < w; ++j) lanes[j] = r.combine(lanes[j], lanes[j + w]);
  }
  return r.combine(lanes[0], tail);
}

template <class In, class Acc, class R>
Acc reduce_row(const char* p, int64_t n, int64_t stride, const R& r) {
  if (stride == static_cast<int64_t>(sizeof(In))) return reduce_contiguous<In, Acc>(reinterpret_cast<const In*>(p), n, r);
  constexpr int64_t kBlock = 256;
  if (n > kBlock) {
    const int64_t half = n / 2;
    return r.combine(reduce_row<In, Acc>(p, half, stride, r), reduce_row<In, Acc>(p + half * stride, n - half, stride, r));
  }
  Acc acc = r.identity();
  for (int64_t i = 0; i < n; ++i) acc = r.combine(acc, r.lift(static_cast<compute_t<In>>(load<In>(p + i * stride))));
  return acc;
}

// Reduces rows [r0, r1) of columns [c0, c0 + w) (w <= kTile) into acc: blocks of 64
// rows are reduced in order, and blocks are combined pairwise, so sums over many rows
// grow error like log(rows) as along memory.
template <class In, class Acc, class R>
void reduce_row_block(const char* in, int64_t col_stride, int64_t row_stride, int64_t r0, int64_t r1, int64_t w,
                      Acc* acc, const R& r) {
  constexpr int64_t kRows = 64, kTile = 512;
  if (r1 - r0 > kRows) {
    const int64_t mid = r0 + ((r1 - r0) / 2 + kRows - 1) / kRows * kRows;
    alignas(64) Acc other[kTile];
    reduce_row_block<In, Acc>(in, col_stride, row_stride, r0, mid, w, acc, r);
    reduce_row_block<In, Acc>(in, col_stride, row_stride, mid, r1, w, other, r);
    for (int64_t j = 0; j < w; ++j) acc[j] = r.combine(acc[j], other[j]);
    return;
  }
  for (int64_t j = 0; j < w; ++j) acc[j] = r.identity();
  for (int64_t i = r0; i < r1; ++i) {
    const char* row = in + i * row_stride;
    if (col_stride == static_cast<int64_t>(sizeof(In))) {
      const In* v = reinterpret_cast<const In*>(row);
      for (int64_t j = 0; j < w; ++j) acc[j] = r.combine(acc[j], r.lift(static_cast<compute_t<In>>(v[j])));
    } else {
      for (int64_t j = 0; j < w; ++j) {
        acc[j] = r.combine(acc[j], r.lift(static_cast<compute_t<In>>(load<In>(row + j * col_stride))));
      }
    }
  }
}

// Combines rows [r0, r1) of a vertical reduction into out[c0, c1), a tile of columns at
// a time.
template <class In, class Acc, class R>
void reduce_rows(const char* in, int64_t col_stride, int64_t row_stride, int64_t r0, int64_t r1, int64_t c0,
                 int64_t c1, Acc* out, const R& r) {
  constexpr int64_t kTile = 512;
  alignas(64) Acc tmp[kTile];
  for (int64_t t0 = c0; t0 < c1 && r0 < r1; t0 += kTile) {
    const int64_t w = std::min(kTile, c1 - t0);
    reduce_row_block<In, Acc>(in + t0 * col_stride, col_stride, row_stride, r0, r1, w, tmp, r);
    for (int64_t j = 0; j < w; ++j) out[t0 + j] = r.combine(out[t0 + j], tmp[j]);
  }
}

}  // namespace detail

// Reduces the iterator's input into its output (contiguous, of type Acc; the output is
// overwritten). The geometry is {reduced, kept} (output stride 0 along dim 0) or
// {kept, reduced}; see TensorIteratorConfig::reduction().
template <class In, class Acc, class R>
void reduce(const TensorIterator& iter, const R& r) {
  const int64_t n0 = iter.shape()[0], n1 = iter.shape()[1];
  const int64_t os0 = iter.strides(0)[0], os1 = iter.strides(0)[1];
  const int64_t is0 = iter.strides(1)[0], is1 = iter.strides(1)[1];
  Acc* out = reinterpret_cast<Acc*>(iter.data(0));
  const char* in = iter.data(1);
  const int64_t nout = iter.output().numel();
  const int threads = num_threads();
  if (os0 == 0) {
    // Reduce along dim 0 for each of n1 outputs.
    const int64_t ostride = os1 / static_cast<int64_t>(sizeof(Acc));
    if (n1 >= threads || n0 * n1 < kGrainSize) {
      parallel_for(0, n1, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(n0, 1)), [&](int64_t b, int64_t e) {
        for (int64_t j = b; j < e; ++j) out[j * ostride] = detail::reduce_row<In, Acc>(in + j * is1, n0, is0, r);
      });
      return;
    }
    // Few long rows: split each row across threads, then combine the partial results.
    for (int64_t j = 0; j < n1; ++j) {
      std::unique_ptr<Acc[]> partial(new Acc[threads]);
      for (int t = 0; t < threads; ++t) partial[t] = r.identity();
      const int64_t chunk = (n0 + threads - 1) / threads;
      parallel_for(0, threads, 1, [&](int64_t b, int64_t e) {
        for (int64_t t = b; t < e; ++t) {
          const int64_t lo = t * chunk, hi = std::min(n0, lo + chunk);
          if (lo < hi) partial[t] = detail::reduce_row<In, Acc>(in + j * is1 + lo * is0, hi - lo, is0, r);
        }
      });
      Acc acc = r.identity();
      for (int t = 0; t < threads; ++t) acc = r.combine(acc, partial[t]);
      out[j * ostride] = acc;
    }
    return;
  }
  // Vertical: n1 rows of n0 outputs each.
  for (int64_t k = 0; k < nout; ++k) out[k] = r.identity();
  if (n0 >= 1024 * threads || n0 * n1 < kGrainSize) {
    parallel_for(0, n0, std::max<int64_t>(512, kGrainSize / std::max<int64_t>(n1, 1)), [&](int64_t b, int64_t e) {
      detail::reduce_rows<In, Acc>(in, is0, is1, 0, n1, b, e, out, r);
    });
    return;
  }
  // Few outputs, many rows: each thread reduces a share of the rows into its own buffer.
  std::unique_ptr<Acc[]> partial(new Acc[threads * n0]);
  for (int64_t k = 0; k < threads * n0; ++k) partial[k] = r.identity();
  const int64_t chunk = (n1 + threads - 1) / threads;
  parallel_for(0, threads, 1, [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) {
      const int64_t lo = t * chunk, hi = std::min(n1, lo + chunk);
      if (lo < hi) detail::reduce_rows<In, Acc>(in, is0, is1, lo, hi, 0, n0, partial.get() + t * n0, r);
    }
  });
  for (int t = 0; t < threads; ++t) {
    for (int64_t k = 0; k < n0; ++k) out[k] = r.combine(out[k], partial[t * n0 + k]);
  }
}

}  // namespace lt::cpu
