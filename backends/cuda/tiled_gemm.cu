// libtensor's own matrix product: the GEMM of ROCm builds (Debian has no rocBLAS), and
// on CUDA the path taken when cuBLAS is not wanted (preferred_blas_library("own")), so
// that every ROCm code path but the vendor runtime runs on NVIDIA hardware too.
//
// Each block computes a 64 x 64 tile of C from 16-deep slices of A and B staged in
// shared memory; each of its 256 threads owns a 4 x 4 grid of outputs strided by 16, so
// that neighbouring threads read neighbouring shared words and store neighbouring
// columns. No warp-level intrinsics: the same code is right for 32- and 64-lane warps.
// Accumulation is in float (double for float64), one rounding per output, as the CPU's.
#include <type_traits>

#include "blas.h"
#include "gpu.h"
#include "libtensor/half.h"

namespace lt::gpu {

namespace {

constexpr int kTileRows = 64, kTileCols = 64, kTileDepth = 16, kThreads = 256;
constexpr int kSide = 16;  // threads per tile side: 16 x 16 threads, 4 x 4 outputs each

template <class T>
using accumulate_t = std::conditional_t<std::is_same_v<T, double>, double, float>;

// One batch's C (n x m, row-major, leading dim ldc) = op(A) op(B) + beta C; as gemm().
template <class T>
__global__ __launch_bounds__(kThreads) void tiled_gemm_kernel(bool ta, bool tb, int64_t n, int64_t m, int64_t k,
                                                               const T* __restrict__ a, int64_t lda, int64_t stride_a,
                                                               const T* __restrict__ b, int64_t ldb, int64_t stride_b,
                                                               accumulate_t<T> beta, T* __restrict__ c, int64_t ldc,
                                                               int64_t stride_c, int64_t batches) {
  using C = accumulate_t<T>;
  __shared__ C as[kTileDepth][kTileRows + 1];  // as[kk][i] = op(A)[row0 + i][k0 + kk]
  __shared__ C bs[kTileDepth][kTileCols + 1];  // bs[kk][j] = op(B)[k0 + kk][col0 + j]
  const int tx = threadIdx.x % kSide, ty = threadIdx.x / kSide;
  const int64_t row0 = int64_t{blockIdx.y} * kTileRows, col0 = int64_t{blockIdx.x} * kTileCols;
  for (int64_t batch = blockIdx.z; batch < batches; batch += gridDim.z) {
    const T* A = a + batch * stride_a;
    const T* B = b + batch * stride_b;
    T* out = c + batch * stride_c;
    C acc[4][4] = {};
    for (int64_t k0 = 0; k0 < k; k0 += kTileDepth) {
      // Loads run along whichever dim is contiguous in memory, so that they coalesce.
      for (int e = threadIdx.x; e < kTileRows * kTileDepth; e += kThreads) {
        const int i = ta ? e % kTileRows : e / kTileDepth, kk = ta ? e / kTileRows : e % kTileDepth;
        const int64_t gi = row0 + i, gk = k0 + kk;
        as[kk][i] = gi < n && gk < k ? static_cast<C>(ta ? A[gk * lda + gi] : A[gi * lda + gk]) : C(0);
      }
      for (int e = threadIdx.x; e < kTileDepth * kTileCols; e += kThreads) {
        const int j = tb ? e / kTileDepth : e % kTileCols, kk = tb ? e % kTileDepth : e / kTileCols;
        const int64_t gj = col0 + j, gk = k0 + kk;
        bs[kk][j] = gj < m && gk < k ? static_cast<C>(tb ? B[gj * ldb + gk] : B[gk * ldb + gj]) : C(0);
      }
      __syncthreads();
#pragma unroll
      for (int kk = 0; kk < kTileDepth; ++kk) {
        C av[4], bv[4];
#pragma unroll
        for (int r = 0; r < 4; ++r) av[r] = as[kk][ty + kSide * r];
#pragma unroll
        for (int s = 0; s < 4; ++s) bv[s] = bs[kk][tx + kSide * s];
#pragma unroll
        for (int r = 0; r < 4; ++r) {
#pragma unroll
          for (int s = 0; s < 4; ++s) acc[r][s] += av[r] * bv[s];
        }
      }
      __syncthreads();
    }
#pragma unroll
    for (int r = 0; r < 4; ++r) {
      const int64_t i = row0 + ty + kSide * r;
#pragma unroll
      for (int s = 0; s < 4; ++s) {
        const int64_t j = col0 + tx + kSide * s;
        if (i < n && j < m) {
          C v = acc[r][s];
          if (beta != C(0)) v += beta * static_cast<C>(out[i * ldc + j]);  // beta 0 never reads C
          out[i * ldc + j] = static_cast<T>(v);
        }
      }
    }
  }
}

template <class T>
void launch(bool ta, bool tb, int64_t n, int64_t m, int64_t k, const void* a, int64_t lda, int64_t stride_a,
            const void* b, int64_t ldb, int64_t stride_b, float beta, void* c, int64_t ldc, int64_t stride_c,
            int64_t batches, int device) {
  const int64_t tiles_m = (m + kTileCols - 1) / kTileCols, tiles_n = (n + kTileRows - 1) / kTileRows;
  LT_CHECK(tiles_n <= 65535, ShapeError, "gemm", n, " rows are more than the tiled product's grid holds");
  const dim3 grid(static_cast<unsigned>(tiles_m), static_cast<unsigned>(tiles_n),
                  static_cast<unsigned>(batches < 65535 ? batches : 65535));
  tiled_gemm_kernel<T><<<grid, kThreads, 0, current_stream(device)>>>(
      ta, tb, n, m, k, static_cast<const T*>(a), lda, stride_a, static_cast<const T*>(b), ldb, stride_b,
      static_cast<accumulate_t<T>>(beta), static_cast<T*>(c), ldc, stride_c, batches);
  LT_GPU_CHECK_LAUNCH("gemm");
}

}  // namespace

void tiled_gemm(DType dtype, bool ta, bool tb, int64_t n, int64_t m, int64_t k, const void* a, int64_t lda,
                int64_t stride_a, const void* b, int64_t ldb, int64_t stride_b, float beta, void* c, int64_t ldc,
                int64_t stride_c, int64_t batches, int device) {
  if (n == 0 || m == 0 || batches == 0) return;
  switch (dtype) {
    case DType::Float32:
      return launch<float>(ta, tb, n, m, k, a, lda, stride_a, b, ldb, stride_b, beta, c, ldc, stride_c, batches, device);
    case DType::Float64:
      return launch<double>(ta, tb, n, m, k, a, lda, stride_a, b, ldb, stride_b, beta, c, ldc, stride_c, batches,
                            device);
    case DType::Float16:
      return launch<Half>(ta, tb, n, m, k, a, lda, stride_a, b, ldb, stride_b, beta, c, ldc, stride_c, batches, device);
    case DType::BFloat16:
      return launch<BFloat16>(ta, tb, n, m, k, a, lda, stride_a, b, ldb, stride_b, beta, c, ldc, stride_c, batches,
                              device);
    default:
      fail<DTypeError>("gemm", "products take floating types, got ", name(dtype));
  }
}

}  // namespace lt::gpu
