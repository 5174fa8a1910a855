// Batched matrix product, the kernel behind bmm, mm and matmul.
//
// float32 goes to oneDNN's sgemm (OpenBLAS's for tiny products) and float64 to
// OpenBLAS's dgemm (docs/cpu-matmul.md has the measurements behind the choice); float16 and bfloat16 are widened to float32 and
// back; integers run a blocked loop. BLAS reads an operand through its leading
// dimension and a transpose flag, so transposed views (mm(g, b.t()) in a backward pass)
// and broadcast batches (stride 0) are used where they lie, without a copy.
#include <cblas.h>
#include <dnnl.h>
#include <omp.h>

#include <algorithm>
#include <optional>
#include <type_traits>
#include <vector>

#include "common/blas_layout.h"
#include "gemm.h"
#include "libtensor/error.h"
#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.h"

namespace lt::cpu {

using common::Layout;
using common::blas_layout;

namespace {

// float32 by size of one product (n * k * m), as measured (docs/cpu-matmul.md): below
// kTiny OpenBLAS's call costs least, one product after another; below kSmall oneDNN
// runs one product per thread; above, each product uses every thread.
constexpr int64_t kTiny = 32 * 32 * 32, kSmall = 128 * 128 * 128;

}  // namespace

void gemm(bool ta, bool tb, int64_t n, int64_t m, int64_t k, float alpha, const float* a, int64_t lda, const float* b,
          int64_t ldb, float beta, float* c, int64_t ldc) {
  if (n * k * m < kTiny) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, static_cast<blasint>(n),
                static_cast<blasint>(m), static_cast<blasint>(k), alpha, a, static_cast<blasint>(lda), b,
                static_cast<blasint>(ldb), beta, c, static_cast<blasint>(ldc));
    return;
  }
  auto sgemm = [&](int64_t rows, int64_t cols, const float* a0, const float* b0, float* c0) {
    dnnl_status_t status = dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', rows, cols, k, alpha, a0, lda, b0, ldb, beta, c0,
                                      ldc);
    LT_CHECK(status == dnnl_success, ValueError, "gemm", "oneDNN sgemm failed with status ", static_cast<int>(status));
  };
  // The threads share the product by blocks of C's rows (or columns, if it has few rows),
  // each block one single-threaded sgemm, through parallel_for rather than oneDNN's own
  // OpenMP team: a team waits for its slowest member at every product, which on a busy
  // machine costs a scheduler slice per call (see src/parallel.cpp).
  constexpr int64_t kBlock = 32;
  if (in_parallel_region() || num_threads() == 1 || std::max(n, m) < 2 * kBlock) {
    const int team = omp_get_max_threads();  // a team of one: no waiting on other threads
    omp_set_num_threads(1);
    sgemm(n, m, a, b, c);
    omp_set_num_threads(team);
    return;
  }
  // One block per thread: each sgemm packs the shared operand again, so fewer, larger
  // blocks cost least.
  const int64_t threads = num_threads();
  if (n >= m || n >= 4 * kBlock) {
    parallel_for(0, n, std::max(kBlock, (n + threads - 1) / threads), [&](int64_t r0, int64_t r1) {
      sgemm(r1 - r0, m, ta ? a + r0 : a + r0 * lda, b, c + r0 * ldc);
    });
  } else {
    parallel_for(0, m, std::max(kBlock, (m + threads - 1) / threads), [&](int64_t c0, int64_t c1) {
      sgemm(n, c1 - c0, a, tb ? b + c0 * ldb : b + c0, c + c0);
    });
  }
}

void gemm(bool ta, bool tb, int64_t n, int64_t m, int64_t k, double alpha, const double* a, int64_t lda,
          const double* b, int64_t ldb, double beta, double* c, int64_t ldc) {
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, static_cast<blasint>(n),
              static_cast<blasint>(m), static_cast<blasint>(k), alpha, a, static_cast<blasint>(lda), b,
              static_cast<blasint>(ldb), beta, c, static_cast<blasint>(ldc));
}

namespace {

template <class T>
void batched_gemm(T* out, const T* a, Layout la, const T* b, Layout lb, int64_t batches, int64_t n, int64_t k,
                  int64_t m) {
  auto one = [&](int64_t i) {
    gemm(la.transposed, lb.transposed, n, m, k, T(1), a + i * la.batch_stride, la.ld, b + i * lb.batch_stride, lb.ld,
         T(0), out + i * n * m, m);
  };
  // OpenBLAS threads each double product itself, and every float product from kSmall up
  // uses every thread; smaller float products run one per thread.
  const int64_t size = n * k * m;
  if (std::is_same_v<T, float> && batches > 1 && size >= kTiny && size < kSmall) {
    parallel_for(0, batches, 1, [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) one(i);
    });
  } else {
    for (int64_t i = 0; i < batches; ++i) one(i);
  }
}

// Integers accumulate in uint64 (wrapping, never undefined), as PyTorch's loops do.
template <class T>
void integer_bmm(T* out, const T* a, const T* b, int64_t batches, int64_t n, int64_t k, int64_t m) {
  // kRows rows of the result share each row of b they read; a tile of kCols columns of
  // those rows' accumulators stays in L1 while the k rows of b stream past.
  constexpr int64_t kRows = 4, kCols = 256;
  const int64_t row_blocks = (n + kRows - 1) / kRows;
  const int64_t work = std::max<int64_t>(1, kRows * k * m);
  parallel_for(0, batches * row_blocks, std::max<int64_t>(1, kGrainSize / work), [&](int64_t begin, int64_t end) {
    alignas(64) uint64_t acc[kRows][kCols];
    for (int64_t task = begin; task < end; ++task) {
      const int64_t batch = task / row_blocks, i0 = (task % row_blocks) * kRows;
      const int64_t rows = std::min(kRows, n - i0);
      const T* A = a + (batch * n + i0) * k;
      const T* B = b + batch * k * m;
      T* C = out + (batch * n + i0) * m;
      for (int64_t j0 = 0; j0 < m; j0 += kCols) {
        const int64_t w = std::min(kCols, m - j0);
        for (int64_t r = 0; r < rows; ++r) std::fill(acc[r], acc[r] + w, uint64_t{0});
        for (int64_t kk = 0; kk < k; ++kk) {
          const T* brow = B + kk * m + j0;
          for (int64_t r = 0; r < rows; ++r) {
            const uint64_t av = static_cast<uint64_t>(A[r * k + kk]);
            uint64_t* cr = acc[r];
            for (int64_t j = 0; j < w; ++j) cr[j] += av * static_cast<uint64_t>(brow[j]);
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

// tensors: out (B, n, m) contiguous, a (B, n, k), b (B, k, m), of one dtype, any strides.
void bmm_kernel(std::span<Tensor> t, ScalarList) {
  Tensor& out = t[0];
  const int64_t batches = t[1].size(0), n = t[1].size(1), k = t[1].size(2), m = t[2].size(2);
  if (out.numel() == 0) return;
  if (k == 0) {
    out.fill_(0);
    return;
  }
  const DType dtype = out.dtype();
  if (dtype == DType::Float32 || dtype == DType::Float64) {
    // Operands BLAS cannot read where they lie are copied into a layout it can.
    Tensor a = t[1], b = t[2];
    std::optional<Layout> la = blas_layout(a), lb = blas_layout(b);
    if (!la) la = blas_layout(a = a.contiguous());
    if (!lb) lb = blas_layout(b = b.contiguous());
    if (dtype == DType::Float32) {
      batched_gemm(out.data_ptr<float>(), a.data_ptr<float>(), *la, b.data_ptr<float>(), *lb, batches, n, k, m);
    } else {
      batched_gemm(out.data_ptr<double>(), a.data_ptr<double>(), *la, b.data_ptr<double>(), *lb, batches, n, k, m);
    }
    return;
  }
  if (dtype == DType::Float16 || dtype == DType::BFloat16) {
    // Widened once (float32 copies), multiplied as float32, rounded once.
    Tensor wide = empty(out.sizes(), DType::Float32, out.device());
    Tensor parts[] = {wide, t[1].to(DType::Float32), t[2].to(DType::Float32)};
    bmm_kernel(parts, {});
    out.copy_(wide);
    return;
  }
  Tensor a = t[1].contiguous(), b = t[2].contiguous();
  visit_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      integer_bmm<T>(out.data_ptr<T>(), a.data_ptr<T>(), b.data_ptr<T>(), batches, n, k, m);
    }
  });
}
LT_REGISTER_KERNEL("bmm", CPU, TensorKernel, bmm_kernel);

// out = beta * input + a @ b in one product: out starts as the input, which gemm's beta
// adds as the product is written (linear's bias), so the result is rounded once.
// tensors: out (n, m) contiguous, input (n, m) any strides (a broadcast bias has stride
// 0), a (n, k), b (k, m), of one floating dtype, n, m, k > 0; args: beta.
void addmm_kernel(std::span<Tensor> t, ScalarList args) {
  Tensor& out = t[0];
  const DType dtype = out.dtype();
  if (dtype == DType::Float16 || dtype == DType::BFloat16) {
    Tensor wide = empty(out.sizes(), DType::Float32, out.device());
    Tensor parts[] = {wide, t[1].to(DType::Float32), t[2].to(DType::Float32), t[3].to(DType::Float32)};
    addmm_kernel(parts, args);
    out.copy_(wide);
    return;
  }
  Tensor a = t[2], b = t[3];
  const int64_t n = a.size(0), k = a.size(1), m = b.size(1);
  const double beta = args[0].to_double();
  if (beta != 0) out.copy_(t[1]);
  std::optional<Layout> la = blas_layout(a.unsqueeze(0)), lb = blas_layout(b.unsqueeze(0));
  if (!la) la = blas_layout((a = a.contiguous()).unsqueeze(0));
  if (!lb) lb = blas_layout((b = b.contiguous()).unsqueeze(0));
  if (dtype == DType::Float32) {
    gemm(la->transposed, lb->transposed, n, m, k, 1.0f, a.data_ptr<float>(), la->ld, b.data_ptr<float>(), lb->ld,
         static_cast<float>(beta), out.data_ptr<float>(), m);
  } else {
    gemm(la->transposed, lb->transposed, n, m, k, 1.0, a.data_ptr<double>(), la->ld, b.data_ptr<double>(), lb->ld,
         beta, out.data_ptr<double>(), m);
  }
}
LT_REGISTER_KERNEL("addmm", CPU, TensorKernel, addmm_kernel);

}  // namespace
}  // namespace lt::cpu
