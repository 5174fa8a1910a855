// Sorting along rows: sort, topk and kthvalue (median's kernel too), and sort_rows (the
// lexicographic order of rows, for unique along a dim). The definitions
// (src/ops/sort.cpp) hand over rows of the sorted dim, contiguous; rows run in parallel.
//
// Each row becomes a buffer of (key, index) pairs ordered by key alone, NaN above every
// number (PyTorch's and NumPy's order). The standard algorithms on that buffer make the
// same comparisons and moves as PyTorch's kernels, so ties land in the same places:
// std::sort / std::stable_sort for sort, and for topk a partial sort when k is small
// against the row, an nth_element and a sort of the k - 1 before it otherwise.
#include <algorithm>
#include <cmath>
#include <type_traits>
#include <utility>
#include <vector>

#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.h"

namespace lt::cpu {
namespace {

template <class K>
inline bool is_nan(K v) {
  if constexpr (std::is_floating_point_v<K>) {
    return std::isnan(v);
  } else {
    return false;
  }
}

// a before b in ascending order, NaN last.
template <class K>
struct Ascending {
  bool operator()(const std::pair<K, int64_t>& a, const std::pair<K, int64_t>& b) const {
    return (!is_nan(a.first) && is_nan(b.first)) || a.first < b.first;
  }
};
// a before b in descending order, NaN first.
template <class K>
struct Descending {
  bool operator()(const std::pair<K, int64_t>& a, const std::pair<K, int64_t>& b) const {
    return (is_nan(a.first) && !is_nan(b.first)) || a.first > b.first;
  }
};

// Runs f(row, buffer) for each row with the row's (key, index) pairs in the buffer.
template <class T, class F>
void for_each_row(const Tensor& src, F&& f) {
  using K = compute_t<T>;
  const int64_t rows = src.size(0), n = src.size(1);
  const T* x = src.data_ptr<T>();
  parallel_for(0, rows, std::max<int64_t>(1, kGrainSize / std::max<int64_t>(n, 1)), [&](int64_t lo, int64_t hi) {
    std::vector<std::pair<K, int64_t>> buf(n);
    for (int64_t r = lo; r < hi; ++r) {
      const T* xr = x + r * n;
      for (int64_t i = 0; i < n; ++i) buf[i] = {static_cast<K>(xr[i]), i};
      f(r, buf);
    }
  });
}

// Writes the first m pairs of the buffer as row r of values and indices (m per row).
template <class T, class K>
void write_row(const std::vector<std::pair<K, int64_t>>& buf, int64_t m, T* values, int64_t* indices, int64_t r) {
  for (int64_t i = 0; i < m; ++i) {
    values[r * m + i] = static_cast<T>(buf[i].first);
    indices[r * m + i] = buf[i].second;
  }
}

// tensors: values (rows, n), indices (rows, n) int64, src (rows, n), all contiguous;
// args: descending, stable.
void sort_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &values = t[0], &indices = t[1], &src = t[2];
  const bool descending = args[0].to_int() != 0, stable = args[1].to_int() != 0;
  const int64_t n = src.size(1);
  visit_dtype(src.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using K = compute_t<T>;
    T* v = values.data_ptr<T>();
    int64_t* ix = indices.data_ptr<int64_t>();
    for_each_row<T>(src, [&](int64_t r, std::vector<std::pair<K, int64_t>>& buf) {
      if (descending) {
        if (stable) std::stable_sort(buf.begin(), buf.end(), Descending<K>{});
        else std::sort(buf.begin(), buf.end(), Descending<K>{});
      } else {
        if (stable) std::stable_sort(buf.begin(), buf.end(), Ascending<K>{});
        else std::sort(buf.begin(), buf.end(), Ascending<K>{});
      }
      write_row(buf, n, v, ix, r);
    });
  });
}
LT_REGISTER_KERNEL("sort", CPU, TensorKernel, sort_kernel);

template <class K, class Cmp>
void select_top(std::vector<std::pair<K, int64_t>>& buf, int64_t k, bool sorted, Cmp cmp) {
  const int64_t n = static_cast<int64_t>(buf.size());
  if (k * 64 <= n) {
    std::partial_sort(buf.begin(), buf.begin() + k, buf.end(), cmp);
  } else {
    std::nth_element(buf.begin(), buf.begin() + (k - 1), buf.end(), cmp);
    if (sorted) std::sort(buf.begin(), buf.begin() + (k - 1), cmp);
  }
}

// tensors: values (rows, k), indices (rows, k) int64, src (rows, n), all contiguous;
// args: k, largest, sorted. Unsorted results are in the order the selection leaves them.
void topk_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &values = t[0], &indices = t[1], &src = t[2];
  const int64_t k = args[0].to_int();
  const bool largest = args[1].to_int() != 0, sorted = args[2].to_int() != 0;
  if (k == 0) return;
  visit_dtype(src.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using K = compute_t<T>;
    T* v = values.data_ptr<T>();
    int64_t* ix = indices.data_ptr<int64_t>();
    for_each_row<T>(src, [&](int64_t r, std::vector<std::pair<K, int64_t>>& buf) {
      if (largest) select_top(buf, k, sorted, Descending<K>{});
      else select_top(buf, k, sorted, Ascending<K>{});
      write_row(buf, k, v, ix, r);
    });
  });
}
LT_REGISTER_KERNEL("topk", CPU, TensorKernel, topk_kernel);

// Ascending, equal keys ordered by index: the order of a stable sort.
template <class K>
struct AscendingStable {
  bool operator()(const std::pair<K, int64_t>& a, const std::pair<K, int64_t>& b) const {
    const Ascending<K> less;
    return less(a, b) || (!less(b, a) && a.second < b.second);
  }
};

// tensors: values (rows), indices (rows) int64, src (rows, n) contiguous; args: k (from
// 1), nan_first. The k-th smallest with NaN largest, the element a stable sort puts at
// k - 1 (so the first of equal elements for median, as PyTorch); with nan_first
// (median), a row holding NaN gives its first NaN instead.
void kthvalue_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &values = t[0], &indices = t[1], &src = t[2];
  const int64_t k = args[0].to_int();
  const bool nan_first = args[1].to_int() != 0;
  visit_dtype(src.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using K = compute_t<T>;
    T* v = values.data_ptr<T>();
    int64_t* ix = indices.data_ptr<int64_t>();
    for_each_row<T>(src, [&](int64_t r, std::vector<std::pair<K, int64_t>>& buf) {
      if (nan_first) {
        auto nan = std::find_if(buf.begin(), buf.end(), [](const auto& p) { return is_nan(p.first); });
        if (nan != buf.end()) {
          v[r] = static_cast<T>(nan->first);
          ix[r] = nan->second;
          return;
        }
      }
      std::nth_element(buf.begin(), buf.begin() + (k - 1), buf.end(), AscendingStable<K>{});
      v[r] = static_cast<T>(buf[k - 1].first);
      ix[r] = buf[k - 1].second;
    });
  });
}
LT_REGISTER_KERNEL("kthvalue", CPU, TensorKernel, kthvalue_kernel);

// tensors: order (s) int64, rows (s, c) contiguous. The row indices in lexicographic
// order of the rows (NaN largest in each column), equal rows in index order.
void sort_rows_kernel(std::span<Tensor> t, ScalarList) {
  const Tensor &order = t[0], &rows = t[1];
  const int64_t s = rows.size(0), c = rows.size(1);
  int64_t* o = order.data_ptr<int64_t>();
  for (int64_t i = 0; i < s; ++i) o[i] = i;
  visit_dtype(rows.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using K = compute_t<T>;
    const T* x = rows.data_ptr<T>();
    std::stable_sort(o, o + s, [&](int64_t a, int64_t b) {
      const T *ra = x + a * c, *rb = x + b * c;
      for (int64_t j = 0; j < c; ++j) {
        const auto ka = static_cast<K>(ra[j]), kb = static_cast<K>(rb[j]);
        if ((!is_nan(ka) && is_nan(kb)) || ka < kb) return true;
        if ((is_nan(ka) && !is_nan(kb)) || kb < ka) return false;
      }
      return false;
    });
  });
}
LT_REGISTER_KERNEL("sort_rows", CPU, TensorKernel, sort_rows_kernel);

}  // namespace
}  // namespace lt::cpu
