// The GPU backend's DeviceRuntime: devices, the current device and stream of each
// thread, streams, events and pinned host memory.
#include <array>
#include <mutex>
#include <string>

#include "conv.h"
#include "device_errors.h"
#include "gpu.h"
#include "libtensor/device_runtime.h"

namespace lt::gpu {
namespace {

constexpr int kMaxDevices = 64;

// Each thread's current stream per device; null is the device's default stream.
thread_local std::array<gpuStream_t, kMaxDevices> current_streams{};

int count_devices() {
  int n = 0;
  // No driver or no device: zero devices, not an error.
  if (gpuGetDeviceCount(&n) != gpuSuccess) {
    (void)gpuGetLastError();
    return 0;
  }
  return n;
}

void check_index(int device, const char* op) {
  static const int n = count_devices();
  LT_CHECK(device >= 0 && device < n && device < kMaxDevices, DeviceError, op, kName, " device ", device,
           " does not exist: ", n, " available");
}

gpuStream_t stream_of(StreamHandle s) { return reinterpret_cast<gpuStream_t>(s); }
gpuEvent_t event_of(EventHandle e) { return reinterpret_cast<gpuEvent_t>(e); }

class Runtime final : public DeviceRuntime {
 public:
  int device_count() const override {
    static const int n = count_devices();
    return n;
  }
  int current_device() const override { return gpu::current_device(); }
  void set_device(int index) override {
    check_index(index, "set_device");
    LT_GPU_CHECK("set_device", gpuSetDevice(index));
  }
  void synchronize(int index) override {
    const int device = index < 0 ? gpu::current_device() : index;
    DeviceGuard guard(device);
    LT_GPU_CHECK("synchronize", gpuDeviceSynchronize());
    raise_posted_errors(device);
  }
  std::string device_name(int index) const override { return properties(index).name; }
  std::pair<int, int> capability(int index) const override {
    const gpuDeviceProp& p = properties(index);
    return {p.major, p.minor};
  }
  size_t total_memory(int index) const override { return properties(index).totalGlobalMem; }
  int library_version(std::string_view name) const override { return name == "cudnn" ? vendor_conv_version() : 0; }

  StreamHandle create_stream(int device, int priority) override {
    DeviceGuard guard(device);
    gpuStream_t s = nullptr;
    LT_GPU_CHECK("Stream", gpuStreamCreateWithPriority(&s, gpuStreamNonBlocking, priority));
    return reinterpret_cast<StreamHandle>(s);
  }
  void destroy_stream(int device, StreamHandle stream) override {
    if (!stream) return;
    DeviceGuard guard(device);
    (void)gpuStreamDestroy(stream_of(stream));
  }
  StreamHandle current_stream(int device) const override {
    check_index(device, "current_stream");
    return reinterpret_cast<StreamHandle>(current_streams[device]);
  }
  void set_current_stream(int device, StreamHandle stream) override {
    check_index(device, "set_stream");
    current_streams[device] = stream_of(stream);
  }
  void synchronize_stream(int device, StreamHandle stream) override {
    DeviceGuard guard(device);
    LT_GPU_CHECK("Stream.synchronize", gpuStreamSynchronize(stream_of(stream)));
    raise_posted_errors(device);
  }
  bool query_stream(int device, StreamHandle stream) override {
    DeviceGuard guard(device);
    const gpuError_t status = gpuStreamQuery(stream_of(stream));
    if (status == gpuErrorNotReady) {
      (void)gpuGetLastError();
      return false;
    }
    LT_GPU_CHECK("Stream.query", status);
    return true;
  }

  EventHandle create_event(int device, bool timing) override {
    DeviceGuard guard(device);
    gpuEvent_t e = nullptr;
    LT_GPU_CHECK("Event", gpuEventCreateWithFlags(&e, timing ? gpuEventDefault : gpuEventDisableTiming));
    return reinterpret_cast<EventHandle>(e);
  }
  void destroy_event(int device, EventHandle event) override {
    if (!event) return;
    DeviceGuard guard(device);
    (void)gpuEventDestroy(event_of(event));
  }
  void record_event(int device, EventHandle event, StreamHandle stream) override {
    DeviceGuard guard(device);
    LT_GPU_CHECK("Event.record", gpuEventRecord(event_of(event), stream_of(stream)));
  }
  void wait_event(int device, StreamHandle stream, EventHandle event) override {
    DeviceGuard guard(device);
    LT_GPU_CHECK("Stream.wait_event", gpuStreamWaitEvent(stream_of(stream), event_of(event), 0));
  }
  void synchronize_event(int device, EventHandle event) override {
    DeviceGuard guard(device);
    LT_GPU_CHECK("Event.synchronize", gpuEventSynchronize(event_of(event)));
    raise_posted_errors(device);
  }
  bool query_event(int device, EventHandle event) override {
    DeviceGuard guard(device);
    const gpuError_t status = gpuEventQuery(event_of(event));
    if (status == gpuErrorNotReady) {
      (void)gpuGetLastError();
      return false;
    }
    LT_GPU_CHECK("Event.query", status);
    return true;
  }
  float elapsed_ms(int device, EventHandle start, EventHandle end) override {
    DeviceGuard guard(device);
    float ms = 0;
    LT_GPU_CHECK("Event.elapsed_time", gpuEventElapsedTime(&ms, event_of(start), event_of(end)));
    return ms;
  }

  void* allocate_pinned(size_t nbytes) override {
    void* p = nullptr;
    LT_GPU_CHECK("pin_memory", gpuHostAlloc(&p, nbytes == 0 ? 1 : nbytes, gpuHostAllocDefault));
    return p;
  }
  void free_pinned(void* p) override { (void)gpuFreeHost(p); }
  bool is_pinned(const void* p) const override {
    if (!p || device_count() == 0) return false;
    gpuPointerAttributes attr{};
    if (gpuPointerGetAttributes(&attr, p) != gpuSuccess) {
      (void)gpuGetLastError();
      return false;
    }
    return is_host_memory(attr);
  }

  void reset_peak_memory(int) override {}

 private:
  const gpuDeviceProp& properties(int index) const {
    check_index(index, "get_device_properties");
    static std::array<gpuDeviceProp, kMaxDevices> props;
    static std::array<std::once_flag, kMaxDevices> once;
    std::call_once(once[index], [&] { LT_GPU_CHECK("get_device_properties", gpuGetDeviceProperties(&props[index], index)); });
    return props[index];
  }
};

Runtime runtime;
const bool installed = (set_device_runtime(kDeviceType, &runtime), true);

}  // namespace

gpuStream_t current_stream(int device) { return device >= 0 && device < kMaxDevices ? current_streams[device] : nullptr; }

int current_device() {
  int d = 0;
  if (gpuGetDevice(&d) != gpuSuccess) {
    (void)gpuGetLastError();
    return 0;
  }
  return d;
}

DeviceGuard::DeviceGuard(int device) : previous_(current_device()) {
  if (device != previous_) LT_GPU_CHECK("device guard", gpuSetDevice(device));
}

DeviceGuard::~DeviceGuard() {
  int now = current_device();
  if (now != previous_) (void)gpuSetDevice(previous_);
}

}  // namespace lt::gpu
