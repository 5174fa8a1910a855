// What the core and the Python API need from a device backend besides memory and
// kernels: its devices, the current one, streams, events and pinned host memory.
// A backend installs one per device type at load time; a device type without one has
// no devices, so `lt.cuda.is_available()` is simply false in a CPU-only build.
//
// Streams and events are opaque handles, so that nothing outside the backend includes a
// vendor header. Stream 0 is a device's default stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "libtensor/device.h"

namespace lt {

using StreamHandle = uintptr_t;
using EventHandle = uintptr_t;

class DeviceRuntime {
 public:
  virtual ~DeviceRuntime() = default;

  // 0 when the driver or the devices are missing; never throws.
  virtual int device_count() const = 0;
  virtual int current_device() const = 0;
  virtual void set_device(int index) = 0;
  // Waits for all work on the device.
  virtual void synchronize(int index) = 0;
  virtual std::string device_name(int index) const = 0;
  // (major, minor) compute capability or the vendor's equivalent.
  virtual std::pair<int, int> capability(int index) const = 0;
  virtual size_t total_memory(int index) const = 0;
  // The version of a vendor library the backend loads ("cudnn"), as the library reports
  // it; 0 where the backend has no such library or it did not load.
  virtual int library_version(std::string_view name) const { return 0; }

  virtual StreamHandle create_stream(int device, int priority) = 0;
  virtual void destroy_stream(int device, StreamHandle stream) = 0;
  // The stream kernels are launched on: per device, per thread, default stream first.
  virtual StreamHandle current_stream(int device) const = 0;
  virtual void set_current_stream(int device, StreamHandle stream) = 0;
  virtual void synchronize_stream(int device, StreamHandle stream) = 0;
  virtual bool query_stream(int device, StreamHandle stream) = 0;

  virtual EventHandle create_event(int device, bool timing) = 0;
  virtual void destroy_event(int device, EventHandle event) = 0;
  virtual void record_event(int device, EventHandle event, StreamHandle stream) = 0;
  virtual void wait_event(int device, StreamHandle stream, EventHandle event) = 0;
  virtual void synchronize_event(int device, EventHandle event) = 0;
  virtual bool query_event(int device, EventHandle event) = 0;
  virtual float elapsed_ms(int device, EventHandle start, EventHandle end) = 0;

  // Page-locked host memory, which copies to and from the device can overlap with work.
  virtual void* allocate_pinned(size_t nbytes) = 0;
  virtual void free_pinned(void* p) = 0;
  virtual bool is_pinned(const void* p) const = 0;

  // Statistics of one device's allocator.
  virtual void reset_peak_memory(int device) = 0;
};

// Switches that change how GPU backends compute, set from Python as in PyTorch
// (lt.backends.cuda.matmul.allow_tf32, lt.backends.cudnn.*).
struct BackendFlags {
  bool allow_tf32 = false;       // float32 matrix products may use TF32 tensor cores
  bool own_gemm = false;         // GPU products run libtensor's tiled kernel, not the vendor's library
  bool blas_epilogues = true;    // a linear layer's bias is added by the product's epilogue (cuBLASLt)
  bool cudnn_enabled = true;     // convolutions run on cuDNN where it loads
  bool cudnn_allow_tf32 = true;  // ... and may use TF32 in float32 (PyTorch's default for convolutions)
  bool cudnn_benchmark = false;  // ... with algorithms timed once per shape rather than picked by heuristics
  bool cudnn_deterministic = false;  // ... and only deterministic algorithms, as in deterministic mode
};
BackendFlags& backend_flags();

// The runtime of a device type, or null when the build has none.
DeviceRuntime* device_runtime(DeviceType t);
// Installs `r` (not owned) for `t`; returns the previous one.
DeviceRuntime* set_device_runtime(DeviceType t, DeviceRuntime* r);
// Number of devices of type t (0 without a runtime); 1 for the CPU.
int device_count(DeviceType t);
// Throws DeviceError, naming `op`, unless device d exists.
void check_device_exists(Device d, const char* op);

}  // namespace lt
