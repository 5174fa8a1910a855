// Matrix products on the GPU through cuBLAS, in row-major terms: every caller (bmm,
// convolutions) describes its operands as the CPU's gemm does.
#pragma once

#include <cstdint>

#include "gpu.h"
#include "libtensor/dtype.h"

namespace lt::gpu {

// For b < batches: C[b] (n x m) = op(A[b]) op(B[b]) + beta C[b], row-major, where op(A)
// is A (n x k, leading dim lda) or, with ta, the transpose of A stored k x n; likewise B.
// Batch strides are in elements (0 broadcasts an operand). float32 (TF32 when
// lt.backends.cuda.matmul.allow_tf32), float64, float16 and bfloat16 (float32
// accumulation); throws for other dtypes.
void gemm(DType dtype, bool ta, bool tb, int64_t n, int64_t m, int64_t k, const void* a, int64_t lda,
          int64_t stride_a, const void* b, int64_t ldb, int64_t stride_b, float beta, void* c, int64_t ldc,
          int64_t stride_c, int64_t batches, int device);

}  // namespace lt::gpu
