// One matrix product C = alpha * op(A) op(B) + beta * C on row-major matrices, for the
// kernels built on products (bmm, convolution). float32 runs on oneDNN's sgemm
// (OpenBLAS's below a tiny size) and float64 on OpenBLAS's dgemm; both thread the
// product themselves unless called inside a parallel region.
#pragma once

#include <cstdint>

namespace lt::cpu {

void gemm(bool trans_a, bool trans_b, int64_t n, int64_t m, int64_t k, float alpha, const float* a, int64_t lda,
          const float* b, int64_t ldb, float beta, float* c, int64_t ldc);
void gemm(bool trans_a, bool trans_b, int64_t n, int64_t m, int64_t k, double alpha, const double* a, int64_t lda,
          const double* b, int64_t ldb, double beta, double* c, int64_t ldc);

}  // namespace lt::cpu
