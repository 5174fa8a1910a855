// The portability header: the only file that knows CUDA from HIP. The GPU backends'
// sources say gpu* (runtime calls, types) and use the helpers below; nvcc builds them
// for CUDA, hipcc (with LT_HIP defined) for ROCm.
#pragma once

#if defined(LT_HIP)
#include <hip/hip_runtime.h>
#else
#include <cuda_runtime.h>
#endif

#include <cstdint>
#include <string_view>

#include "libtensor/device.h"
#include "libtensor/error.h"

#if defined(LT_HIP)
#define LT_GPU_KEY ROCm
#define gpuError_t hipError_t
#define gpuSuccess hipSuccess
#define gpuErrorMemoryAllocation hipErrorOutOfMemory
#define gpuGetErrorString hipGetErrorString
#define gpuGetLastError hipGetLastError
#define gpuStream_t hipStream_t
#define gpuEvent_t hipEvent_t
#define gpuGetDeviceCount hipGetDeviceCount
#define gpuGetDevice hipGetDevice
#define gpuSetDevice hipSetDevice
#define gpuDeviceSynchronize hipDeviceSynchronize
#define gpuDeviceProp hipDeviceProp_t
#define gpuGetDeviceProperties hipGetDeviceProperties
#define gpuMalloc hipMalloc
#define gpuFree hipFree
#define gpuMemGetInfo hipMemGetInfo
#define gpuHostAlloc hipHostMalloc
#define gpuHostAllocDefault hipHostMallocDefault
// Coherent, so that a kernel's read of memory the host wrote is not served from a stale cache.
#define gpuHostAllocMapped (hipHostMallocMapped | hipHostMallocCoherent)
#define gpuHostGetDevicePointer hipHostGetDevicePointer
#define gpuMemset hipMemset
#define gpuFreeHost hipHostFree
#define gpuPointerAttributes hipPointerAttribute_t
#define gpuPointerGetAttributes hipPointerGetAttributes
#define gpuMemcpyAsync hipMemcpyAsync
#define gpuMemcpyPeerAsync hipMemcpyPeerAsync
#define gpuMemcpyDefault hipMemcpyDefault
#define gpuMemsetAsync hipMemsetAsync
#define gpuStreamCreateWithPriority hipStreamCreateWithPriority
#define gpuStreamNonBlocking hipStreamNonBlocking
#define gpuStreamDestroy hipStreamDestroy
#define gpuStreamSynchronize hipStreamSynchronize
#define gpuStreamQuery hipStreamQuery
#define gpuStreamWaitEvent hipStreamWaitEvent
#define gpuErrorNotReady hipErrorNotReady
#define gpuEventCreateWithFlags hipEventCreateWithFlags
#define gpuEventDisableTiming hipEventDisableTiming
#define gpuEventDefault hipEventDefault
#define gpuEventDestroy hipEventDestroy
#define gpuEventRecord hipEventRecord
#define gpuEventSynchronize hipEventSynchronize
#define gpuEventQuery hipEventQuery
#define gpuEventElapsedTime hipEventElapsedTime
#else
#define LT_GPU_KEY CUDA
#define gpuError_t cudaError_t
#define gpuSuccess cudaSuccess
#define gpuErrorMemoryAllocation cudaErrorMemoryAllocation
#define gpuGetErrorString cudaGetErrorString
#define gpuGetLastError cudaGetLastError
#define gpuStream_t cudaStream_t
#define gpuEvent_t cudaEvent_t
#define gpuGetDeviceCount cudaGetDeviceCount
#define gpuGetDevice cudaGetDevice
#define gpuSetDevice cudaSetDevice
#define gpuDeviceSynchronize cudaDeviceSynchronize
#define gpuDeviceProp cudaDeviceProp
#define gpuGetDeviceProperties cudaGetDeviceProperties
#define gpuMalloc cudaMalloc
#define gpuFree cudaFree
#define gpuMemGetInfo cudaMemGetInfo
#define gpuHostAlloc cudaHostAlloc
#define gpuHostAllocDefault cudaHostAllocDefault
#define gpuHostAllocMapped cudaHostAllocMapped
#define gpuHostGetDevicePointer cudaHostGetDevicePointer
#define gpuMemset cudaMemset
#define gpuFreeHost cudaFreeHost
#define gpuPointerAttributes cudaPointerAttributes
#define gpuPointerGetAttributes cudaPointerGetAttributes
#define gpuMemcpyAsync cudaMemcpyAsync
#define gpuMemcpyPeerAsync cudaMemcpyPeerAsync
#define gpuMemcpyDefault cudaMemcpyDefault
#define gpuMemsetAsync cudaMemsetAsync
#define gpuStreamCreateWithPriority cudaStreamCreateWithPriority
#define gpuStreamNonBlocking cudaStreamNonBlocking
#define gpuStreamDestroy cudaStreamDestroy
#define gpuStreamSynchronize cudaStreamSynchronize
#define gpuStreamQuery cudaStreamQuery
#define gpuStreamWaitEvent cudaStreamWaitEvent
#define gpuErrorNotReady cudaErrorNotReady
#define gpuEventCreateWithFlags cudaEventCreateWithFlags
#define gpuEventDisableTiming cudaEventDisableTiming
#define gpuEventDefault cudaEventDefault
#define gpuEventDestroy cudaEventDestroy
#define gpuEventRecord cudaEventRecord
#define gpuEventSynchronize cudaEventSynchronize
#define gpuEventQuery cudaEventQuery
#define gpuEventElapsedTime cudaEventElapsedTime
#endif

namespace lt::gpu {

// The registry key of this build's GPU backend.
inline constexpr DeviceType kDeviceType = DeviceType::LT_GPU_KEY;
inline constexpr const char* kName = kDeviceType == DeviceType::CUDA ? "cuda" : "rocm";

// Throws DeviceError "[op] <call> failed: <runtime's message>" unless `status` is success.
inline void check(gpuError_t status, std::string_view op, const char* call) {
  if (status != gpuSuccess) [[unlikely]] {
    (void)gpuGetLastError();  // clears a sticky-free error so that later calls are not blamed
    fail<DeviceError>(op, call, " failed: ", gpuGetErrorString(status));
  }
}

// The stream of `device` that this thread launches on (runtime.cu).
gpuStream_t current_stream(int device);
// The current device of this thread.
int current_device();

// Sets the current device for a scope, restoring the previous one after.
class DeviceGuard {
 public:
  explicit DeviceGuard(int device);
  ~DeviceGuard();
  DeviceGuard(const DeviceGuard&) = delete;
  DeviceGuard& operator=(const DeviceGuard&) = delete;

 private:
  int previous_;
};

// Whether pointer attributes describe (pinned) host memory; the field's name differs.
inline bool is_host_memory(const gpuPointerAttributes& attr) {
#if defined(LT_HIP)
  return attr.memoryType == hipMemoryTypeHost;
#else
  return attr.type == cudaMemoryTypeHost;
#endif
}

// Warp-level operations: a warp is 32 lanes on NVIDIA and on RDNA, 64 on CDNA, so
// reductions loop to warpSize instead of assuming either.
template <class T>
__device__ inline T shfl_down(T v, int delta) {
#if defined(LT_HIP)
  return __shfl_down(v, delta);
#else
  return __shfl_down_sync(0xffffffffu, v, delta);
#endif
}
template <class T>
__device__ inline T shfl_xor(T v, int mask) {
#if defined(LT_HIP)
  return __shfl_xor(v, mask);
#else
  return __shfl_xor_sync(0xffffffffu, v, mask);
#endif
}

// Blocks of this many threads for elementwise and row kernels.
inline constexpr int kBlockSize = 256;
// Enough blocks for `n` items with `per_thread` each per thread.
inline unsigned grid_for(int64_t n, int per_thread = 1, int block = kBlockSize) {
  const int64_t per_block = int64_t{block} * per_thread;
  const int64_t blocks = (n + per_block - 1) / per_block;
  return static_cast<unsigned>(blocks < 1 ? 1 : (blocks > 0x7fffffff ? 0x7fffffff : blocks));
}

}  // namespace lt::gpu

// Checks a runtime call, naming the operator: LT_GPU_CHECK("copy", gpuMemcpyAsync(...)).
#define LT_GPU_CHECK(op, call) ::lt::gpu::check((call), (op), #call)
// Checks that the last launch succeeded.
#define LT_GPU_CHECK_LAUNCH(op) ::lt::gpu::check(gpuGetLastError(), (op), "kernel launch")
