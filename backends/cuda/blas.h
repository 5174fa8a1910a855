// Matrix products on the GPU, in row-major terms: every caller (bmm, convolutions)
// describes its operands as the CPU's gemm does. gemm() runs the vendor's library where
// the build has one and it is wanted (cuBLAS: cublas_gemm.cu), otherwise libtensor's own
// tiled kernel (tiled_gemm.cu), which ROCm builds always use.
#pragma once

#include <cstdint>

#include "gpu.h"
#include "libtensor/dtype.h"

namespace lt::gpu {

// For b < batches: C[b] (n x m) = op(A[b]) op(B[b]) + beta C[b], row-major, where op(A)
// is A (n x k, leading dim lda) or, with ta, the transpose of A stored k x n; likewise B.
// Batch strides are in elements (0 broadcasts an operand). float32 (TF32 when
// lt.backends.cuda.matmul.allow_tf32, vendor library only), float64, float16 and
// bfloat16 (float32 accumulation); throws for other dtypes.
void gemm(DType dtype, bool ta, bool tb, int64_t n, int64_t m, int64_t k, const void* a, int64_t lda,
          int64_t stride_a, const void* b, int64_t ldb, int64_t stride_b, float beta, void* c, int64_t ldc,
          int64_t stride_c, int64_t batches, int device);

// The same product by libtensor's own kernel.
void tiled_gemm(DType dtype, bool ta, bool tb, int64_t n, int64_t m, int64_t k, const void* a, int64_t lda,
                int64_t stride_a, const void* b, int64_t ldb, int64_t stride_b, float beta, void* c, int64_t ldc,
                int64_t stride_c, int64_t batches, int device);

// C (n x m) = op(A) op(B) + bias, one product whose epilogue adds bias[j] to column j (a
// linear layer's bias), when the vendor library can: returns false, having written
// nothing, where it cannot (the caller then adds the bias itself).
bool gemm_bias(DType dtype, bool ta, bool tb, int64_t n, int64_t m, int64_t k, const void* a, int64_t lda,
               const void* b, int64_t ldb, const void* bias, void* c, int64_t ldc, int device);

// A vendor library's products, registered by their files at load time.
using GemmFunction = decltype(&tiled_gemm);
bool set_vendor_gemm(GemmFunction f);
using GemmBiasFunction = decltype(&gemm_bias);
bool set_vendor_gemm_bias(GemmBiasFunction f);

}  // namespace lt::gpu
