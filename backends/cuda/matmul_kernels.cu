// Batched matrix product (bmm, behind mm and matmul) through cuBLAS: float32 (TF32 when
// lt.backends.cuda.matmul.allow_tf32 is set, as in PyTorch), float64, and float16 and
// bfloat16 with float32 accumulation. Transposed and batch-broadcast operands are read
// where they lie, as on the CPU. Integer products use a plain tiled kernel.
//
// cuBLAS is column-major: a row-major C = A B is the column-major C^T = B^T A^T, so the
// operands are passed swapped.
#if !defined(LT_HIP)
#include <cublas_v2.h>

#include <array>
#include <mutex>
#include <optional>

#include "blas.h"
#include "common/blas_layout.h"
#include "gpu.h"
#include "libtensor/device_runtime.h"
#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.cuh"

namespace lt::gpu {

using common::Layout;
using common::blas_layout;

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

}  // namespace

void gemm(DType dtype, bool ta, bool tb, int64_t n, int64_t m, int64_t k, const void* a, int64_t lda,
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

namespace {

template <class T>
__global__ void integer_bmm_kernel(T* out, const T* a, const T* b, int64_t batches, int64_t n, int64_t k, int64_t m) {
  const int64_t total = batches * n * m;
  for (int64_t idx = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; idx < total; idx += int64_t{gridDim.x} * blockDim.x) {
    const int64_t j = idx % m, i = (idx / m) % n, batch = idx / (n * m);
    uint64_t acc = 0;  // wraps, as the CPU's
    for (int64_t kk = 0; kk < k; ++kk) {
      acc += static_cast<uint64_t>(a[(batch * n + i) * k + kk]) * static_cast<uint64_t>(b[(batch * k + kk) * m + j]);
    }
    out[idx] = static_cast<T>(acc);
  }
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
  const int device = out.device().index;
  DeviceGuard guard(device);
  gpuStream_t stream = current_stream(device);
  if (!is_floating(dtype)) {
    Tensor a = t[1].contiguous(), b = t[2].contiguous();
    visit_dtype(dtype, [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        integer_bmm_kernel<T><<<grid_for(out.numel()), kBlockSize, 0, stream>>>(out.data_ptr<T>(), a.data_ptr<T>(),
                                                                                 b.data_ptr<T>(), batches, n, k, m);
      }
    });
    LT_GPU_CHECK_LAUNCH("bmm");
    return;
  }
  Tensor a = t[1], b = t[2];
  std::optional<Layout> la = blas_layout(a), lb = blas_layout(b);
  if (!la) la = blas_layout(a = a.contiguous());
  if (!lb) lb = blas_layout(b = b.contiguous());
  gemm(dtype, la->transposed, lb->transposed, n, m, k, a.data(), la->ld, la->batch_stride, b.data(), lb->ld,
       lb->batch_stride, 0.0f, out.data(), m, n * m, batches, device);
}
LT_REGISTER_KERNEL("bmm", LT_GPU_KEY, TensorKernel, bmm_kernel);

}  // namespace
}  // namespace lt::gpu
#endif  // !LT_HIP
