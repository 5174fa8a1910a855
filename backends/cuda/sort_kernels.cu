// Sorting along rows: sort, topk and kthvalue (median's kernel too), and sort_rows (the
// lexicographic order of rows, for unique along a dim). The definitions
// (src/ops/sort.cpp) hand over rows of the sorted dim, contiguous.
//
// Every sort here is stable: each element becomes an item ordered by (key, index),
// where the key is an unsigned integer whose order is the element's order (NaN above
// every number and equal to other NaNs, -0 equal to 0, descending as the complement).
// That total order has one sorted result, a stable sort's, which is what the CPU gives
// for stable sorts and for kthvalue; unstable sorts and topk may place ties as they
// like, and take the stable order too.
//
// A row is sorted in tiles of up to kTile items, each by a block with a bitonic network
// in shared memory; longer rows then merge pairs of sorted runs in global memory, pass
// after pass, each item finding its place by a binary search in the other run. Results
// are gathered from the sorted items (values read back from the source by index, so
// their bits are the source's).
#include <type_traits>

#include "gpu.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.cuh"

namespace lt::gpu {
namespace {

constexpr int64_t kTile = 2048;

// --- keys and items -----------------------------------------------------------------------

template <class T>
using key_t = std::conditional_t<sizeof(compute_t<T>) == 8, uint64_t, uint32_t>;

// An unsigned key ordered as the values, NaN largest (all NaNs one key), -0 as 0.
template <class T>
__device__ inline key_t<T> order_key(T raw) {
  using C = compute_t<T>;
  const C v = static_cast<C>(raw);
  if constexpr (std::is_same_v<C, float>) {
    if (v != v) return 0xffffffffu;
    const uint32_t u = lt::detail::bit_cast<uint32_t>(v == 0.0f ? 0.0f : v);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
  } else if constexpr (std::is_same_v<C, double>) {
    if (v != v) return ~uint64_t{0};
    const uint64_t u = lt::detail::bit_cast<uint64_t>(v == 0.0 ? 0.0 : v);
    return (u >> 63) ? ~u : (u | (uint64_t{1} << 63));
  } else if constexpr (std::is_same_v<C, int64_t>) {
    return static_cast<uint64_t>(v) ^ (uint64_t{1} << 63);
  } else if constexpr (std::is_signed_v<C>) {
    return static_cast<uint32_t>(static_cast<int32_t>(v)) ^ 0x80000000u;
  } else {
    return static_cast<uint32_t>(v);  // bool, uint8
  }
}

// A 32-bit key and a 32-bit index in one word, key high: the word's order is the items'.
using Packed = uint64_t;
// A 64-bit key (or an index past 32 bits) beside its index.
struct Pair {
  uint64_t key;
  int64_t index;
};
__device__ inline bool operator<(const Pair& a, const Pair& b) {
  return a.key < b.key || (a.key == b.key && a.index < b.index);
}

template <class Item>
__device__ inline Item make_item(uint64_t key, int64_t index) {
  if constexpr (std::is_same_v<Item, Packed>) {
    return (key << 32) | static_cast<uint64_t>(index);
  } else {
    return Pair{key, index};
  }
}
__device__ inline int64_t index_of(Packed item) { return static_cast<int64_t>(item & 0xffffffffu); }
__device__ inline int64_t index_of(const Pair& item) { return item.index; }
__device__ inline uint64_t key_of(Packed item) { return item >> 32; }
__device__ inline uint64_t key_of(const Pair& item) { return item.key; }

struct NaturalLess {
  template <class Item>
  __device__ bool operator()(const Item& a, const Item& b) const { return a < b; }
};

// Item i of row r: the element's key (complemented for descending order) and i.
template <class T, class Item>
struct KeySource {
  const T* x;
  int64_t n;
  bool descending;
  __device__ Item operator()(int64_t r, int64_t i) const {
    uint64_t key = order_key(x[r * n + i]);
    if (descending) key = static_cast<key_t<T>>(~key);
    return make_item<Item>(key, i);
  }
};

// --- the sort engine --------------------------------------------------------------------------

// Sorts each tile of kTile items (the last of a row shorter) with a bitonic network in
// the form whose comparators all put the smaller item first: items past the tile's end
// count as larger than all, so comparisons with them are skipped and they never move.
template <class Item, class Source, class Less>
__global__ void tile_sort_kernel(Source src, Less less, int64_t rows, int64_t n, Item* out) {
  extern __shared__ __align__(16) unsigned char shared_bytes[];
  Item* s = reinterpret_cast<Item*>(shared_bytes);
  const int64_t tiles = (n + kTile - 1) / kTile;
  for (int64_t b = blockIdx.x; b < rows * tiles; b += gridDim.x) {
    const int64_t r = b / tiles, t0 = (b % tiles) * kTile;
    const int m = static_cast<int>(n - t0 < kTile ? n - t0 : kTile);
    for (int j = threadIdx.x; j < m; j += blockDim.x) s[j] = src(r, t0 + j);
    __syncthreads();
    int p2 = 1;
    while (p2 < m) p2 *= 2;
    for (int k = 2; k <= p2; k *= 2) {
      for (int j = k / 2; j > 0; j /= 2) {
        for (int q = threadIdx.x; q < p2 / 2; q += blockDim.x) {
          const int i = 2 * j * (q / j) + q % j;
          // The first step of a merge pairs mirror positions of the block of k.
          const int partner = j == k / 2 ? (i ^ (k - 1)) : i + j;
          if (partner < m && less(s[partner], s[i])) {
            const Item tmp = s[i];
            s[i] = s[partner];
            s[partner] = tmp;
          }
        }
        __syncthreads();
      }
    }
    for (int j = threadIdx.x; j < m; j += blockDim.x) out[r * n + t0 + j] = s[j];
    __syncthreads();
  }
}

// Merges runs of w sorted items pairwise into runs of 2w, within every row: an item of
// the left run goes past the right run's smaller items, one of the right run past the
// left run's items not larger (an order that keeps equal items in run order).
template <class Item, class Less>
__global__ void merge_pass_kernel(const Item* in, Item* out, int64_t total, int64_t n, int64_t w, Less less) {
  for (int64_t p = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; p < total; p += int64_t{gridDim.x} * blockDim.x) {
    const int64_t r = p / n, i = p % n;
    const int64_t base = i / (2 * w) * (2 * w);
    const int64_t mid = base + w < n ? base + w : n, end = base + 2 * w < n ? base + 2 * w : n;
    const Item* row = in + r * n;
    const Item x = row[i];
    int64_t pos;
    if (i < mid) {
      int64_t lo = mid, hi = end;
      while (lo < hi) {
        const int64_t m = lo + (hi - lo) / 2;
        if (less(row[m], x)) lo = m + 1;
        else hi = m;
      }
      pos = (i - base) + (lo - mid);
    } else {
      int64_t lo = base, hi = mid;
      while (lo < hi) {
        const int64_t m = lo + (hi - lo) / 2;
        if (!less(x, row[m])) lo = m + 1;
        else hi = m;
      }
      pos = (i - mid) + (lo - base);
    }
    out[r * n + base + pos] = x;
  }
}

inline unsigned blocks_for(int64_t work) {
  return static_cast<unsigned>(work < (int64_t{1} << 20) ? (work < 1 ? 1 : work) : (int64_t{1} << 20));
}

// The sorted items of `rows` rows of n (item i of row r is src(r, i)), in a buffer that
// this keeps alive until the caller has enqueued its reads.
template <class Item>
struct Sorted {
  Tensor a, b;
  const Item* items = nullptr;
};

template <class Item, class Source, class Less>
Sorted<Item> sort_items(const char* op, const Tensor& like, int64_t rows, int64_t n, Source src, Less less,
                        gpuStream_t stream) {
  Sorted<Item> out;
  const int64_t total = rows * n;
  const int64_t bytes = total * static_cast<int64_t>(sizeof(Item));
  out.a = empty({bytes}, DType::UInt8, like.device());
  Item* a = reinterpret_cast<Item*>(out.a.data());
  const int64_t tile = n < kTile ? n : kTile;
  int64_t pairs = 1;
  while (pairs * 2 < tile) pairs *= 2;
  const int threads = static_cast<int>(pairs < 32 ? 32 : (pairs > kBlockSize ? kBlockSize : pairs));
  const int64_t tiles = rows * ((n + kTile - 1) / kTile);
  tile_sort_kernel<Item, Source, Less><<<blocks_for(tiles), threads, tile * sizeof(Item), stream>>>(src, less, rows, n, a);
  LT_GPU_CHECK_LAUNCH(op);
  out.items = a;
  if (n > kTile) {
    out.b = empty({bytes}, DType::UInt8, like.device());
    Item* from = a;
    Item* to = reinterpret_cast<Item*>(out.b.data());
    for (int64_t w = kTile; w < n; w *= 2) {
      merge_pass_kernel<Item, Less><<<grid_for(total), kBlockSize, 0, stream>>>(from, to, total, n, w, less);
      LT_GPU_CHECK_LAUNCH(op);
      std::swap(from, to);
    }
    out.items = from;
  }
  return out;
}

// Calls f.template operator()<Item>() with the item type for rows of n elements of T.
template <class T, class F>
void with_item(int64_t n, F&& f) {
  if constexpr (sizeof(key_t<T>) == 4) {
    if (n <= (int64_t{1} << 32)) {
      f.template operator()<Packed>();
      return;
    }
  }
  f.template operator()<Pair>();
}

// --- results ------------------------------------------------------------------------------

// values / indices (rows, m): the first m sorted items of each row of n.
template <class T, class Item>
__global__ void take_kernel(const Item* items, const T* x, int64_t rows, int64_t n, int64_t m, T* values,
                            int64_t* indices) {
  for (int64_t p = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; p < rows * m; p += int64_t{gridDim.x} * blockDim.x) {
    const int64_t r = p / m;
    const int64_t i = index_of(items[r * n + p % m]);
    values[p] = x[r * n + i];
    indices[p] = i;
  }
}

// values / indices (rows): item k - 1 of each ascending row; with nan_first, a row that
// holds NaN (its last item) gives its first NaN, the first of the NaN items.
template <class T, class Item>
__global__ void kth_kernel(const Item* items, const T* x, int64_t rows, int64_t n, int64_t k, bool nan_first,
                           T* values, int64_t* indices) {
  constexpr uint64_t nan_key = static_cast<key_t<T>>(~key_t<T>{0});
  for (int64_t r = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; r < rows; r += int64_t{gridDim.x} * blockDim.x) {
    const Item* row = items + r * n;
    int64_t at = k - 1;
    if (nan_first && key_of(row[n - 1]) == nan_key) {
      int64_t lo = 0, hi = n - 1;
      while (lo < hi) {
        const int64_t mid = lo + (hi - lo) / 2;
        if (key_of(row[mid]) < nan_key) lo = mid + 1;
        else hi = mid;
      }
      at = lo;
    }
    const int64_t i = index_of(row[at]);
    values[r] = x[r * n + i];
    indices[r] = i;
  }
}

// The k first of each row's stable sort into values (rows, k) and indices (rows, k)
// int64, from src (rows, n); all contiguous.
void sorted_prefix(const char* op, const Tensor& values, const Tensor& indices, const Tensor& src, int64_t k,
                   bool descending) {
  const int64_t rows = src.size(0), n = src.size(1);
  if (k == 0 || rows * n == 0) return;
  DeviceGuard guard(values.device().index);
  gpuStream_t stream = stream_for(values);
  visit_dtype(src.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* x = src.data_ptr<T>();
    with_item<T>(n, [&]<class Item>() {
      auto sorted = sort_items<Item>(op, values, rows, n, KeySource<T, Item>{x, n, descending}, NaturalLess{}, stream);
      take_kernel<T, Item><<<grid_for(rows * k), kBlockSize, 0, stream>>>(sorted.items, x, rows, n, k,
                                                                           values.data_ptr<T>(),
                                                                           indices.data_ptr<int64_t>());
      LT_GPU_CHECK_LAUNCH(op);
    });
  });
}

// tensors: values (rows, n), indices (rows, n) int64, src (rows, n), all contiguous;
// args: descending, stable (every sort here is stable).
void sort_kernel(std::span<Tensor> t, ScalarList args) {
  sorted_prefix("sort", t[0], t[1], t[2], t[2].size(1), args[0].to_int() != 0);
}

// tensors: values (rows, k), indices (rows, k) int64, src (rows, n), all contiguous;
// args: k, largest, sorted. The k first of the row's stable sort, sorted or not.
void topk_kernel(std::span<Tensor> t, ScalarList args) {
  sorted_prefix("topk", t[0], t[1], t[2], args[0].to_int(), args[1].to_int() != 0);
}

// tensors: values (rows), indices (rows) int64, src (rows, n) contiguous; args: k (from
// 1), nan_first. The element a stable ascending sort (NaN largest) puts at k - 1; with
// nan_first (median), a row holding NaN gives its first NaN instead.
void kthvalue_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &values = t[0], &indices = t[1], &src = t[2];
  const int64_t k = args[0].to_int();
  const int64_t rows = src.size(0), n = src.size(1);
  if (rows * n == 0) return;
  DeviceGuard guard(values.device().index);
  gpuStream_t stream = stream_for(values);
  visit_dtype(src.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const bool nan_first = args[1].to_int() != 0 && is_floating(dtype_v<T>);
    const T* x = src.data_ptr<T>();
    with_item<T>(n, [&]<class Item>() {
      auto sorted = sort_items<Item>("kthvalue", values, rows, n, KeySource<T, Item>{x, n, false}, NaturalLess{}, stream);
      kth_kernel<T, Item><<<grid_for(rows), kBlockSize, 0, stream>>>(sorted.items, x, rows, n, k, nan_first,
                                                                      values.data_ptr<T>(), indices.data_ptr<int64_t>());
      LT_GPU_CHECK_LAUNCH("kthvalue");
    });
  });
}

// --- sort_rows --------------------------------------------------------------------------------

struct RowIndex {
  __device__ int64_t operator()(int64_t, int64_t i) const { return i; }
};

// Row a before row b: lexicographically by the columns' keys (NaN largest), then by index.
template <class T>
struct RowLess {
  const T* x;
  int64_t c;
  __device__ bool operator()(int64_t a, int64_t b) const {
    const T *ra = x + a * c, *rb = x + b * c;
    for (int64_t j = 0; j < c; ++j) {
      const auto ka = order_key(ra[j]), kb = order_key(rb[j]);
      if (ka != kb) return ka < kb;
    }
    return a < b;
  }
};

// tensors: order (s) int64, rows (s, c) contiguous. The row indices in lexicographic
// order of the rows (NaN largest in each column), equal rows in index order.
void sort_rows_kernel(std::span<Tensor> t, ScalarList) {
  const Tensor &order = t[0], &rows = t[1];
  const int64_t s = rows.size(0), c = rows.size(1);
  if (s == 0) return;
  DeviceGuard guard(order.device().index);
  gpuStream_t stream = stream_for(order);
  visit_dtype(rows.dtype(), [&](auto tag) {
    using T = decltype(tag);
    auto sorted = sort_items<int64_t>("sort_rows", order, 1, s, RowIndex{}, RowLess<T>{rows.data_ptr<T>(), c}, stream);
    LT_GPU_CHECK("sort_rows", gpuMemcpyAsync(order.data(), sorted.items, s * sizeof(int64_t), gpuMemcpyDefault, stream));
  });
}

}  // namespace

LT_REGISTER_KERNEL("sort", LT_GPU_KEY, TensorKernel, sort_kernel);
LT_REGISTER_KERNEL("topk", LT_GPU_KEY, TensorKernel, topk_kernel);
LT_REGISTER_KERNEL("kthvalue", LT_GPU_KEY, TensorKernel, kthvalue_kernel);
LT_REGISTER_KERNEL("sort_rows", LT_GPU_KEY, TensorKernel, sort_rows_kernel);

}  // namespace lt::gpu
