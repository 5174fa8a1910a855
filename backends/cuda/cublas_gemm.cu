// The vendor product on CUDA builds: cuBLAS, float32 (TF32 when
// lt.backends.cuda.matmul.allow_tf32 is set, as in PyTorch), float64, and float16 and
// bfloat16 with float32 accumulation. ROCm builds leave this file out (Debian has no
// rocBLAS) and run the tiled kernel.
//
// cuBLAS is column-major: a row-major C = A B is the column-major C^T = B^T A^T, so the
// operands are passed swapped.
#include <cublas_v2.h>

#include <array>

#include "blas.h"
#include "gpu.h"
#include "libtensor/device_runtime.h"
#include "libtensor/error.h"

namespace lt::gpu {

namespace {

void check_blas(cublasStatus_t status, const char* op) {
  LT_CHECK(status == CUBLAS_STATUS_SUCCESS, DeviceError, op, "cuBLAS failed: ", cublasGetStatusString(status));
}

// One handle per device per thread (handles are not thread-safe), bound to the current
// stream at each call.
cublasHandle_t handle_for(int device, gpuStream_t stream) {
  thread_local std::array<cublasHandle_t, 64> handles{};
  cublasHandle_t& h = handles[device];
  if (!h) check_blas(cublasCreate(&h), "matmul");
  check_blas(cublasSetStream(h, stream), "matmul");
  return h;
}

void cublas_gemm(DType dtype, bool ta, bool tb, int64_t n, int64_t m, int64_t k, const void* a, int64_t lda,
                 int64_t stride_a, const void* b, int64_t ldb, int64_t stride_b, float beta, void* c, int64_t ldc,
                 int64_t stride_c, int64_t batches, int device) {
  cudaDataType_t type = CUDA_R_32F;
  cublasComputeType_t compute = backend_flags().allow_tf32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
  switch (dtype) {
    case DType::Float32: break;
    case DType::Float64: type = CUDA_R_64F, compute = CUBLAS_COMPUTE_64F; break;
    case DType::Float16: type = CUDA_R_16F, compute = CUBLAS_COMPUTE_32F; break;
    case DType::BFloat16: type = CUDA_R_16BF, compute = CUBLAS_COMPUTE_32F; break;
    default: fail<DTypeError>("gemm", "cuBLAS products take floating types, got ", name(dtype));
  }
  // alpha and beta in the compute type.
  const double one_d = 1, beta_d = beta;
  const float one_f = 1, beta_f = beta;
  const bool wide = dtype == DType::Float64;
  // Column-major, C^T = op(B)^T op(A)^T: the operands swap places.
  check_blas(cublasGemmStridedBatchedEx(handle_for(device, current_stream(device)), tb ? CUBLAS_OP_T : CUBLAS_OP_N,
                                        ta ? CUBLAS_OP_T : CUBLAS_OP_N, static_cast<int>(m), static_cast<int>(n),
                                        static_cast<int>(k), wide ? static_cast<const void*>(&one_d) : &one_f, b, type,
                                        static_cast<int>(ldb), stride_b, a, type, static_cast<int>(lda), stride_a,
                                        wide ? static_cast<const void*>(&beta_d) : &beta_f, c, type,
                                        static_cast<int>(ldc), stride_c, static_cast<int>(batches), compute,
                                        CUBLAS_GEMM_DEFAULT),
             "gemm");
}


[[maybe_unused]] const bool registered = set_vendor_gemm(&cublas_gemm);

}  // namespace
}  // namespace lt::gpu
