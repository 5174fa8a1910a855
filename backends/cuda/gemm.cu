// Which product gemm() runs: the vendor library's when one registered itself and
// lt.backends.cuda.preferred_blas_library() does not say "own", else the tiled kernel.
// gemm_bias() likewise, where there is nothing to fall back to but the caller's own add.
#include "blas.h"
#include "libtensor/device_runtime.h"

namespace lt::gpu {

namespace {
GemmFunction& vendor_gemm() {
  static GemmFunction f = nullptr;
  return f;
}
GemmBiasFunction& vendor_gemm_bias() {
  static GemmBiasFunction f = nullptr;
  return f;
}
}  // namespace

bool set_vendor_gemm(GemmFunction f) {
  vendor_gemm() = f;
  return true;
}

bool set_vendor_gemm_bias(GemmBiasFunction f) {
  vendor_gemm_bias() = f;
  return true;
}

bool gemm_bias(DType dtype, bool ta, bool tb, int64_t n, int64_t m, int64_t k, const void* a, int64_t lda,
               const void* b, int64_t ldb, const void* bias, void* c, int64_t ldc, int device) {
  const BackendFlags& flags = backend_flags();
  if (!vendor_gemm_bias() || flags.own_gemm || !flags.blas_epilogues) return false;
  return vendor_gemm_bias()(dtype, ta, tb, n, m, k, a, lda, b, ldb, bias, c, ldc, device);
}

void gemm(DType dtype, bool ta, bool tb, int64_t n, int64_t m, int64_t k, const void* a, int64_t lda,
          int64_t stride_a, const void* b, int64_t ldb, int64_t stride_b, float beta, void* c, int64_t ldc,
          int64_t stride_c, int64_t batches, int device) {
  const GemmFunction f = vendor_gemm() && !backend_flags().own_gemm ? vendor_gemm() : &tiled_gemm;
  f(dtype, ta, tb, n, m, k, a, lda, stride_a, b, ldb, stride_b, beta, c, ldc, stride_c, batches, device);
}

}  // namespace lt::gpu
