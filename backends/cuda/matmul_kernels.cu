// Batched matrix product (bmm, behind mm and matmul): floating products through gemm()
// (blas.h: cuBLAS, or the tiled kernel), with transposed and batch-broadcast operands
// read where they lie, as on the CPU. Integer products use a plain kernel.
#include <optional>

#include "blas.h"
#include "common/blas_layout.h"
#include "gpu.h"
#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"
#include "loops.cuh"

namespace lt::gpu {

using common::Layout;
using common::blas_layout;

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

// out = beta * input + a @ b in one product: a linear layer's bias (a row broadcast down
// the rows, beta 1) goes to the vendor's epilogue where it can; otherwise out starts as
// the input, which the product then adds in float32 as it writes. Either way the result
// is rounded once.
// tensors: out (n, m) contiguous, input (n, m) any strides (a broadcast bias has stride
// 0), a (n, k), b (k, m), of one floating dtype, n, m, k > 0; args: beta.
void addmm_kernel(std::span<Tensor> t, ScalarList args) {
  Tensor &out = t[0], &input = t[1];
  Tensor a = t[2], b = t[3];
  const int64_t n = a.size(0), k = a.size(1), m = b.size(1);
  const float beta = static_cast<float>(args[0].to_double());
  const int device = out.device().index;
  DeviceGuard guard(device);
  std::optional<Layout> la = blas_layout(a.unsqueeze(0)), lb = blas_layout(b.unsqueeze(0));
  if (!la) la = blas_layout((a = a.contiguous()).unsqueeze(0));
  if (!lb) lb = blas_layout((b = b.contiguous()).unsqueeze(0));
  const bool row_bias = beta == 1 && input.stride(0) == 0 && input.stride(1) == 1;
  if (row_bias && gemm_bias(out.dtype(), la->transposed, lb->transposed, n, m, k, a.data(), la->ld, b.data(), lb->ld,
                            input.data(), out.data(), m, device)) {
    return;
  }
  if (beta != 0) copy_(out, input);
  gemm(out.dtype(), la->transposed, lb->transposed, n, m, k, a.data(), la->ld, 0, b.data(), lb->ld, 0, beta,
       out.data(), m, n * m, 1, device);
}
LT_REGISTER_KERNEL("addmm", LT_GPU_KEY, TensorKernel, addmm_kernel);

}  // namespace
}  // namespace lt::gpu
