// copy (any dtype to any dtype, strided), copies between devices, fill, arange, linspace.
#include "device_errors.h"
#include "gpu.h"
#include "libtensor/device_runtime.h"
#include "libtensor/registry.h"
#include "libtensor/scalar.h"
#include "loops.cuh"

namespace lt::gpu {
namespace {

struct Identity {
  template <class T>
  __device__ T operator()(T x) const { return x; }
};

void copy_kernel(TensorIterator& iter, ScalarList) {
  const int64_t bytes = iter.numel() * iter.output().itemsize();
  if (iter.dtype(0) == iter.dtype(1) && iter.is_contiguous()) {
    DeviceGuard guard(iter.output().device().index);
    LT_GPU_CHECK("copy_", gpuMemcpyAsync(iter.data(0), iter.data(1), bytes, gpuMemcpyDefault, stream_for(iter.output())));
    return;
  }
  visit_dtype(iter.dtype(0), [&](auto out_tag) {
    visit_dtype(iter.dtype(1), [&](auto in_tag) { elementwise<decltype(out_tag), decltype(in_tag)>(iter, Identity{}); });
  });
}
LT_REGISTER_KERNEL("copy", LT_GPU_KEY, IterKernel, copy_kernel);

// tensors: dst, src: contiguous, same dtype and size, on different devices (one may be
// the CPU); args: non_blocking. A copy with the host waits for the stream unless
// non_blocking and the host memory is pinned, as in PyTorch: pageable memory could be
// freed or reused before an asynchronous copy read it.
void copy_between_devices_kernel(std::span<Tensor> t, ScalarList args) {
  const Tensor &dst = t[0], &src = t[1];
  const size_t bytes = static_cast<size_t>(dst.numel() * dst.itemsize());
  if (bytes == 0) return;
  const Device gpu_side = dst.device().type == kDeviceType ? dst.device() : src.device();
  DeviceGuard guard(gpu_side.index);
  gpuStream_t stream = current_stream(gpu_side.index);
  const bool host_involved = dst.device().type == DeviceType::CPU || src.device().type == DeviceType::CPU;
  LT_GPU_CHECK("copy_", gpuMemcpyAsync(dst.data(), src.data(), bytes, gpuMemcpyDefault, stream));
  if (host_involved) {
    const void* host = dst.device().type == DeviceType::CPU ? dst.data() : src.data();
    const DeviceRuntime* rt = device_runtime(kDeviceType);
    const bool asynchronous = args[0].to_int() != 0 && rt && rt->is_pinned(host);
    if (!asynchronous) {
      LT_GPU_CHECK("copy_", gpuStreamSynchronize(stream));
      raise_posted_errors(gpu_side.index);
    }
  }
}
LT_REGISTER_KERNEL("copy_between_devices", LT_GPU_KEY, TensorKernel, copy_between_devices_kernel);

template <class T>
struct Constant {
  T v;
  __device__ T operator()() const { return v; }
};

void fill_kernel(TensorIterator& iter, ScalarList args) {
  visit_dtype(iter.dtype(0), [&](auto tag) {
    using T = decltype(tag);
    elementwise<T>(iter, Constant<T>{args[0].to<T>()});
  });
}
LT_REGISTER_KERNEL("fill", LT_GPU_KEY, IterKernel, fill_kernel);

template <class T, class Acc>
__global__ void arange_kernel(T* out, int64_t n, Acc start, Acc step) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n; i += int64_t{gridDim.x} * blockDim.x) {
    out[i] = convert<T>(static_cast<Acc>(start + static_cast<Acc>(i) * step));
  }
}

// out[i] = start + i * step, in double for floats and int64 for integers, as the CPU.
void arange(std::span<Tensor> t, ScalarList args) {
  Tensor& out = t[0];
  if (out.numel() == 0) return;
  DeviceGuard guard(out.device().index);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    using Acc = std::conditional_t<is_floating(dtype_v<T>), double, int64_t>;
    arange_kernel<T, Acc><<<grid_for(out.numel()), kBlockSize, 0, stream_for(out)>>>(
        out.data_ptr<T>(), out.numel(), args[0].to<Acc>(), args[1].to<Acc>());
  });
  LT_GPU_CHECK_LAUNCH("arange");
}
LT_REGISTER_KERNEL("arange", LT_GPU_KEY, TensorKernel, arange);

template <class T>
__global__ void linspace_kernel(T* out, int64_t n, double start, double end, double step, int64_t halfway) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n; i += int64_t{gridDim.x} * blockDim.x) {
    const double v = i < halfway ? start + step * static_cast<double>(i) : end - step * static_cast<double>(n - 1 - i);
    out[i] = convert<T>(v);
  }
}

// Symmetric from both ends, as the CPU: the last value is exactly `end`.
void linspace(std::span<Tensor> t, ScalarList args) {
  Tensor& out = t[0];
  const int64_t n = out.numel();
  if (n == 0) return;
  const double start = args[0].to_double(), end = args[1].to_double();
  const double step = n > 1 ? (end - start) / static_cast<double>(n - 1) : 0.0;
  DeviceGuard guard(out.device().index);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    linspace_kernel<T><<<grid_for(n), kBlockSize, 0, stream_for(out)>>>(out.data_ptr<T>(), n, start, end, step,
                                                                          n == 1 ? 1 : n / 2);
  });
  LT_GPU_CHECK_LAUNCH("linspace");
}
LT_REGISTER_KERNEL("linspace", LT_GPU_KEY, TensorKernel, linspace);

}  // namespace
}  // namespace lt::gpu
