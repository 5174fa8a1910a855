// Scans along one dim: cumsum, cumprod, cummax, cummin. The definitions (src/ops/scan.cpp)
// hand over contiguous tensors viewed as (outer, n, inner), the scan running over n.
// Each task scans a block of up to kBlock neighbouring columns of one outer slice, so
// the inner loop walks contiguous memory whatever the dim, and a scan over the last dim
// (inner = 1) is a plain running loop per row.
//
// Sums and products accumulate as PyTorch's CPU kernels do: double for float32 and
// float64, float for the 16-bit floats, int64 for the integers (wrapping).
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.h"

namespace lt::cpu {
namespace {

constexpr int64_t kBlock = 256;

template <class T>
using acc_t = std::conditional_t<std::is_floating_point_v<T>, double,
                                 std::conditional_t<std::is_integral_v<T>, int64_t, float>>;

struct Geometry {
  int64_t outer, n, inner;
};
Geometry geometry(const Tensor& t) { return {t.size(0), t.size(1), t.size(2)}; }

// Calls body(base, width) for every block of columns: base is the offset of the block's
// first element in its outer slice's first row.
template <class Body>
void for_each_block(const Geometry& g, Body&& body) {
  const int64_t blocks = (g.inner + kBlock - 1) / kBlock;
  const int64_t work = std::max<int64_t>(1, g.n * std::min(g.inner, kBlock));
  parallel_for(0, g.outer * blocks, std::max<int64_t>(1, kGrainSize / work), [&](int64_t lo, int64_t hi) {
    for (int64_t task = lo; task < hi; ++task) {
      const int64_t o = task / blocks, c0 = (task % blocks) * kBlock;
      body(o * g.n * g.inner + c0, std::min(kBlock, g.inner - c0));
    }
  });
}

template <class A, class T>
inline A lift(T v) {
  return static_cast<A>(static_cast<compute_t<T>>(v));
}
template <class T, class A>
inline T lower(A v) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(v);
  } else {
    return static_cast<T>(static_cast<compute_t<T>>(v));
  }
}

// tensors: out, src (outer, n, inner) of one dtype, contiguous; args: 0 sum, 1 product.
void cumulative_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &out = t[0], &src = t[1];
  const bool product = args[0].to_int() != 0;
  const Geometry g = geometry(src);
  visit_dtype(src.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>) {
      fail<DTypeError>(product ? "cumprod" : "cumsum", "bool results are not supported");
    } else {
      using A = acc_t<T>;
      using U = std::make_unsigned_t<std::conditional_t<std::is_integral_v<A>, A, int64_t>>;
      const T* x = src.data_ptr<T>();
      T* y = out.data_ptr<T>();
      auto step = [product](A acc, A v) -> A {
        if constexpr (std::is_integral_v<A>) {
          // Wraps like the hardware does, without signed overflow.
          return static_cast<A>(product ? static_cast<U>(acc) * static_cast<U>(v) : static_cast<U>(acc) + static_cast<U>(v));
        } else {
          return product ? acc * v : acc + v;
        }
      };
      if (g.inner == 1) {
        // Rows: one running value each, without the blocks' bookkeeping.
        parallel_for(0, g.outer, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(g.n, 1)), [&](int64_t lo, int64_t hi) {
          for (int64_t r = lo; r < hi; ++r) {
            A acc = product ? A(1) : A(0);
            for (int64_t i = r * g.n, end = i + g.n; i < end; ++i) {
              acc = step(acc, lift<A>(x[i]));
              y[i] = lower<T>(acc);
            }
          }
        });
        return;
      }
      for_each_block(g, [&](int64_t base, int64_t width) {
        A acc[kBlock];
        std::fill(acc, acc + width, product ? A(1) : A(0));
        for (int64_t i = 0; i < g.n; ++i) {
          const T* xr = x + base + i * g.inner;
          T* yr = y + base + i * g.inner;
          for (int64_t j = 0; j < width; ++j) {
            acc[j] = step(acc[j], lift<A>(xr[j]));
            yr[j] = lower<T>(acc[j]);
          }
        }
      });
    }
  });
}
LT_REGISTER_KERNEL("cumulative", CPU, TensorKernel, cumulative_kernel);

template <class C>
inline bool is_nan(C v) {
  if constexpr (std::is_floating_point_v<C>) {
    return std::isnan(v);
  } else {
    return false;
  }
}

// tensors: values, indices int64, src (outer, n, inner) contiguous; args: 0 max, 1 min.
// A NaN holds from where it appears on; of equal values the later one is taken, as in
// PyTorch.
void cumulative_extreme_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &values = t[0], &indices = t[1], &src = t[2];
  const bool is_min = args[0].to_int() != 0;
  const Geometry g = geometry(src);
  if (g.n == 0) return;
  visit_dtype(src.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using C = compute_t<T>;
    const T* x = src.data_ptr<T>();
    T* v = values.data_ptr<T>();
    int64_t* ix = indices.data_ptr<int64_t>();
    for_each_block(g, [&](int64_t base, int64_t width) {
      C best[kBlock];
      int64_t at[kBlock];
      for (int64_t i = 0; i < g.n; ++i) {
        const int64_t off = base + i * g.inner;
        for (int64_t j = 0; j < width; ++j) {
          const C c = static_cast<C>(x[off + j]);
          if (i == 0 || is_nan(c) || (!is_nan(best[j]) && (is_min ? c <= best[j] : c >= best[j]))) {
            best[j] = c;
            at[j] = i;
          }
          v[off + j] = static_cast<T>(best[j]);
          ix[off + j] = at[j];
        }
      }
    });
  });
}
LT_REGISTER_KERNEL("cumulative_extreme", CPU, TensorKernel, cumulative_extreme_kernel);

}  // namespace
}  // namespace lt::cpu
