// Batched matrix product, the primitive behind bmm, mm and matmul: i-k-j loops over
// blocks of rows and tiles of columns, accumulating in the compute type. Simple, not
// tuned; a oneDNN kernel is meant to replace it.
#include <algorithm>
#include <type_traits>
#include <vector>

#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.h"

namespace lt::cpu {
namespace {

// Integers accumulate in uint64 (wrapping, never undefined), floats in their compute type.
template <class T>
using matmul_acc_t = std::conditional_t<std::is_integral_v<T>, uint64_t, compute_t<T>>;

template <class T>
void bmm_typed(T* out, const T* a, const T* b, int64_t batches, int64_t n, int64_t k, int64_t m) {
  using Acc = matmul_acc_t<T>;
  // kRows rows of the result share each row of b they read; a tile of kCols columns of
  // those rows' accumulators stays in L1 while the k rows of b stream past.
  constexpr int64_t kRows = 4, kCols = 256;
  const int64_t row_blocks = (n + kRows - 1) / kRows;
  const int64_t work = std::max<int64_t>(1, kRows * k * m);
  parallel_for(0, batches * row_blocks, std::max<int64_t>(1, kGrainSize / work), [&](int64_t begin, int64_t end) {
    alignas(64) Acc acc[kRows][kCols];
    for (int64_t task = begin; task < end; ++task) {
      const int64_t batch = task / row_blocks, i0 = (task % row_blocks) * kRows;
      const int64_t rows = std::min(kRows, n - i0);
      const T* A = a + (batch * n + i0) * k;
      const T* B = b + batch * k * m;
      T* C = out + (batch * n + i0) * m;
      for (int64_t j0 = 0; j0 < m; j0 += kCols) {
        const int64_t w = std::min(kCols, m - j0);
        for (int64_t r = 0; r < rows; ++r) std::fill(acc[r], acc[r] + w, Acc(0));
        for (int64_t kk = 0; kk < k; ++kk) {
          const T* brow = B + kk * m + j0;
          for (int64_t r = 0; r < rows; ++r) {
            const Acc av = static_cast<Acc>(static_cast<compute_t<T>>(A[r * k + kk]));
            Acc* cr = acc[r];
            for (int64_t j = 0; j < w; ++j) cr[j] += av * static_cast<Acc>(static_cast<compute_t<T>>(brow[j]));
          }
        }
        for (int64_t r = 0; r < rows; ++r) {
          T* crow = C + r * m + j0;
          for (int64_t j = 0; j < w; ++j) crow[j] = static_cast<T>(acc[r][j]);
        }
      }
    }
  });
}

// tensors: out (B, n, m), a (B, n, k), b (B, k, m), all contiguous and of one dtype.
void bmm_kernel(std::span<Tensor> t, ScalarList) {
  const Tensor &out = t[0], &a = t[1], &b = t[2];
  const int64_t batches = a.size(0), n = a.size(1), k = a.size(2), m = b.size(2);
  if (out.numel() == 0) return;
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
      // Widened to float once, rather than element by element in the inner loop.
      auto widen = [](const T* p, int64_t size) {
        std::vector<float> v(size);
        parallel_for(0, size, kGrainSize, [&](int64_t lo, int64_t hi) {
          for (int64_t i = lo; i < hi; ++i) v[i] = static_cast<float>(p[i]);
        });
        return v;
      };
      std::vector<float> fa = widen(a.data_ptr<T>(), a.numel()), fb = widen(b.data_ptr<T>(), b.numel());
      std::vector<float> fo(out.numel());
      bmm_typed<float>(fo.data(), fa.data(), fb.data(), batches, n, k, m);
      T* o = out.data_ptr<T>();
      parallel_for(0, out.numel(), kGrainSize, [&](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i) o[i] = T(fo[i]);
      });
    } else if constexpr (!std::is_same_v<T, bool>) {
      bmm_typed<T>(out.data_ptr<T>(), a.data_ptr<T>(), b.data_ptr<T>(), batches, n, k, m);
    }
  });
}
LT_REGISTER_KERNEL("bmm", CPU, TensorKernel, bmm_kernel);

}  // namespace
}  // namespace lt::cpu
