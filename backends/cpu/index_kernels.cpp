// Advanced indexing: element offsets from index tensors, gathering and scattering rows,
// and nonzero. The definitions (src/ops/indexing.cpp) move the indexed dims of the
// tensor to the front and turn the index tensors into one int64 offset per row; the
// kernels see a strided geometry for the rest of the dims and a list of row offsets.
#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "libtensor/error.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.h"

namespace lt::cpu {
namespace {

// --- offsets --------------------------------------------------------------------------

// out = [prev +] wrap(idx) * stride, checking each index against the dim's size.
// args: size, stride (in elements), dim (for the message), wraps (a negative index counts
// from the end), writes (unused here: the check raises before anything is written).
// Errors name the iterator's operator.
void index_offsets_kernel(TensorIterator& iter, ScalarList args) {
  const int64_t size = args[0].to_int(), stride = args[1].to_int(), dim = args[2].to_int();
  const int64_t lowest = args[3].to_int() != 0 ? -size : 0;
  const std::string_view op = iter.op_name();
  const bool has_prev = iter.ninputs() == 2;
  visit_dtype(iter.dtype(iter.noperands() - 1), [&](auto tag) {
    using I = decltype(tag);
    if constexpr (std::is_integral_v<I> && !std::is_same_v<I, bool>) {
      auto wrap = [=](int64_t i) -> int64_t {
        if (i < lowest || i >= size) [[unlikely]] {
          fail<IndexError>(op, "index ", i, " is out of bounds for dimension ", dim, " with size ", size);
        }
        return (i < 0 ? i + size : i) * stride;
      };
      if (has_prev) {
        elementwise<int64_t, int64_t, I>(iter, [=](int64_t p, I i) { return p + wrap(static_cast<int64_t>(i)); });
      } else {
        elementwise<int64_t, I>(iter, [=](I i) { return wrap(static_cast<int64_t>(i)); });
      }
    } else {
      fail<DTypeError>(op, "index tensors must be integral, got ", name(dtype_v<I>));
    }
  });
}
LT_REGISTER_KERNEL("index_offsets", CPU, IterKernel, index_offsets_kernel);

// --- rows -----------------------------------------------------------------------------

// The geometry shared by a row of the indexed tensor and a row of the other operand,
// with size-1 dims dropped and dims contiguous for both merged; the last dim is inner.
struct RowGeometry {
  Shape sizes;
  Shape a_strides, b_strides;  // in bytes
  int64_t numel = 1;
};

RowGeometry row_geometry(IntList sizes, IntList a_strides, IntList b_strides, int64_t itemsize) {
  RowGeometry g;
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] == 1) continue;
    g.numel *= sizes[d];
    const int64_t as = a_strides[d] * itemsize, bs = b_strides[d] * itemsize;
    if (!g.sizes.empty() && g.a_strides.back() == as * sizes[d] && g.b_strides.back() == bs * sizes[d]) {
      g.sizes.back() *= sizes[d];
      g.a_strides.back() = as;
      g.b_strides.back() = bs;
      continue;
    }
    g.sizes.push_back(sizes[d]);
    g.a_strides.push_back(as);
    g.b_strides.push_back(bs);
  }
  return g;
}

// Calls run(a, b, n, a_stride, b_stride) for each inner run of a row whose first
// elements are at a and b.
template <class Run>
void for_each_run(const RowGeometry& g, char* a, char* b, Run&& run) {
  const int64_t nd = static_cast<int64_t>(g.sizes.size());
  if (nd == 0) {
    run(a, b, int64_t{1}, int64_t{0}, int64_t{0});
    return;
  }
  const int64_t inner = g.sizes[nd - 1], as = g.a_strides[nd - 1], bs = g.b_strides[nd - 1];
  if (nd == 1) {
    run(a, b, inner, as, bs);
    return;
  }
  Shape idx(nd - 1, 0);
  while (true) {
    run(a, b, inner, as, bs);
    int64_t d = nd - 2;
    for (; d >= 0; --d) {
      a += g.a_strides[d];
      b += g.b_strides[d];
      if (++idx[d] < g.sizes[d]) break;
      a -= g.a_strides[d] * g.sizes[d];
      b -= g.b_strides[d] * g.sizes[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

// tensors: out (n, rest...) of any strides, src (rest...) at the indexed tensor's
// base, offsets (n) int64 contiguous. out[r] = the row of src at offset offsets[r].
void index_kernel(std::span<Tensor> t, ScalarList) {
  const Tensor &out = t[0], &src = t[1], &offsets = t[2];
  const int64_t n = out.size(0);
  const int64_t* off = offsets.data_ptr<int64_t>();
  Shape out_rest(out.strides().begin() + 1, out.strides().end());
  const RowGeometry g = row_geometry(src.sizes(), out_rest, src.strides(), out.itemsize());
  if (n == 0 || g.numel == 0) return;
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* o = out.data_ptr<T>();
    const T* s = src.data_ptr<T>();
    const int64_t os = out.stride(0);
    if (g.sizes.empty()) {
      // One element per row (x[mask] on a vector): a plain gather.
      parallel_for(0, n, kGrainSize, [&](int64_t b, int64_t e) {
        for (int64_t r = b; r < e; ++r) o[r * os] = s[off[r]];
      });
      return;
    }
    const int64_t grain = std::max<int64_t>(1, kGrainSize / g.numel);
    parallel_for(0, n, grain, [&](int64_t b, int64_t e) {
      for (int64_t r = b; r < e; ++r) {
        char* dst = reinterpret_cast<char*>(o + r * os);
        char* from = const_cast<char*>(reinterpret_cast<const char*>(s + off[r]));
        for_each_run(g, dst, from, [](char* d, char* f, int64_t m, int64_t ds, int64_t fs) {
          if (ds == static_cast<int64_t>(sizeof(T)) && fs == static_cast<int64_t>(sizeof(T))) {
            std::memcpy(d, f, m * sizeof(T));
          } else {
            for (int64_t i = 0; i < m; ++i) std::memcpy(d + i * ds, f + i * fs, sizeof(T));
          }
        });
      }
    });
  });
}
LT_REGISTER_KERNEL("index", CPU, TensorKernel, index_kernel);

template <class T>
inline T accumulate(T a, T b) {
  if constexpr (std::is_same_v<T, bool>) {
    return a || b;
  } else if constexpr (std::is_integral_v<T>) {
    // Wraps like the hardware does, without signed overflow.
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
  } else {
    return T(static_cast<compute_t<T>>(a) + static_cast<compute_t<T>>(b));
  }
}

// tensors: dst (rest...) at the indexed tensor's base, values (n, rest...) of dst's
// dtype and any strides, offsets (n) int64 contiguous; args: accumulate. Rows are
// written in order, so the last of duplicate rows wins, or all add up with accumulate.
void index_put_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &dst = t[0], &values = t[1], &offsets = t[2];
  const bool acc = args[0].to_int() != 0;
  const int64_t n = values.size(0);
  const int64_t* off = offsets.data_ptr<int64_t>();
  Shape val_rest(values.strides().begin() + 1, values.strides().end());
  const RowGeometry g = row_geometry(dst.sizes(), dst.strides(), val_rest, dst.itemsize());
  if (n == 0 || g.numel == 0) return;
  visit_dtype(dst.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* d = dst.data_ptr<T>();
    const T* v = values.data_ptr<T>();
    const int64_t vs = values.stride(0);
    if (g.sizes.empty()) {
      if (acc) {
        for (int64_t r = 0; r < n; ++r) d[off[r]] = accumulate(d[off[r]], v[r * vs]);
      } else {
        for (int64_t r = 0; r < n; ++r) d[off[r]] = v[r * vs];
      }
      return;
    }
    for (int64_t r = 0; r < n; ++r) {
      char* to = reinterpret_cast<char*>(d + off[r]);
      char* from = const_cast<char*>(reinterpret_cast<const char*>(v + r * vs));
      for_each_run(g, to, from, [acc](char* a, char* b, int64_t m, int64_t as, int64_t bs) {
        constexpr auto size = static_cast<int64_t>(sizeof(T));
        if (acc && as == size && bs == size) {
          T* p = reinterpret_cast<T*>(a);
          const T* q = reinterpret_cast<const T*>(b);
          for (int64_t i = 0; i < m; ++i) p[i] = accumulate(p[i], q[i]);
        } else if (acc) {
          for (int64_t i = 0; i < m; ++i) {
            T* p = reinterpret_cast<T*>(a + i * as);
            *p = accumulate(*p, *reinterpret_cast<const T*>(b + i * bs));
          }
        } else if (as == size && bs == size) {
          std::memmove(a, b, m * sizeof(T));
        } else {
          for (int64_t i = 0; i < m; ++i) std::memcpy(a + i * as, b + i * bs, sizeof(T));
        }
      });
    }
  });
}
LT_REGISTER_KERNEL("index_put", CPU, TensorKernel, index_put_kernel);

// --- nonzero ----------------------------------------------------------------------------

template <class T>
inline bool is_nonzero(T v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v;
  } else {
    return static_cast<compute_t<T>>(v) != compute_t<T>(0);
  }
}

// tensors: counts (blocks) int64, x contiguous; args: block length. counts[b] = the
// number of nonzero elements in block b.
void nonzero_count_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &counts = t[0], &x = t[1];
  const int64_t block = args[0].to_int(), numel = x.numel(), blocks = counts.numel();
  int64_t* c = counts.data_ptr<int64_t>();
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = x.data_ptr<T>();
    parallel_for(0, blocks, 1, [&](int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k) {
        const int64_t lo = k * block, hi = std::min(numel, lo + block);
        int64_t count = 0;
        for (int64_t i = lo; i < hi; ++i) count += is_nonzero(p[i]) ? 1 : 0;
        c[k] = count;
      }
    });
  });
}
LT_REGISTER_KERNEL("nonzero_count", CPU, TensorKernel, nonzero_count_kernel);

// tensors: out (count, ndim) int64 contiguous, x contiguous (its shape gives the
// coordinates), counts (blocks) from nonzero_count; args: block length.
void nonzero_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &out = t[0], &x = t[1], &counts = t[2];
  const int64_t block = args[0].to_int(), numel = x.numel(), blocks = counts.numel();
  const int64_t nd = x.dim();
  const Shape& sizes = x.sizes();
  const int64_t* c = counts.data_ptr<int64_t>();
  std::vector<int64_t> start(blocks + 1, 0);
  for (int64_t k = 0; k < blocks; ++k) start[k + 1] = start[k] + c[k];
  int64_t* o = out.data_ptr<int64_t>();
  if (nd == 0) return;
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = x.data_ptr<T>();
    parallel_for(0, blocks, 1, [&](int64_t b, int64_t e) {
      for (int64_t k = b; k < e; ++k) {
        const int64_t lo = k * block, hi = std::min(numel, lo + block);
        int64_t* w = o + start[k] * nd;
        if (nd == 1) {
          // Without branches: every position is written to a buffer, and the count
          // moves on past the nonzero ones only.
          constexpr int64_t kChunk = 1024;
          int64_t buffer[kChunk];
          for (int64_t from = lo; from < hi; from += kChunk) {
            const int64_t to = std::min(hi, from + kChunk);
            int64_t found = 0;
            for (int64_t i = from; i < to; ++i) {
              buffer[found] = i;
              found += is_nonzero(p[i]) ? 1 : 0;
            }
            std::memcpy(w, buffer, found * sizeof(int64_t));
            w += found;
          }
          continue;
        }
        // The coordinates of lo, then counted up element by element.
        Shape idx(nd, 0);
        for (int64_t d = nd - 1, rem = lo; d >= 0; --d) {
          idx[d] = rem % sizes[d];
          rem /= sizes[d];
        }
        for (int64_t i = lo; i < hi; ++i) {
          if (is_nonzero(p[i])) {
            for (int64_t d = 0; d < nd; ++d) w[d] = idx[d];
            w += nd;
          }
          for (int64_t d = nd - 1; d >= 0; --d) {
            if (++idx[d] < sizes[d]) break;
            idx[d] = 0;
          }
        }
      }
    });
  });
}
LT_REGISTER_KERNEL("nonzero", CPU, TensorKernel, nonzero_kernel);

}  // namespace
}  // namespace lt::cpu
