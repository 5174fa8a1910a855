#include "libtensor/device_runtime.h"

#include <array>
#include <atomic>

#include "libtensor/error.h"

namespace lt {
namespace {
std::array<std::atomic<DeviceRuntime*>, kNumDeviceTypes>& runtimes() {
  static std::array<std::atomic<DeviceRuntime*>, kNumDeviceTypes> r{};
  return r;
}
}  // namespace

BackendFlags& backend_flags() {
  static BackendFlags flags;
  return flags;
}

DeviceRuntime* device_runtime(DeviceType t) { return runtimes()[static_cast<int>(t)].load(std::memory_order_acquire); }

DeviceRuntime* set_device_runtime(DeviceType t, DeviceRuntime* r) {
  return runtimes()[static_cast<int>(t)].exchange(r, std::memory_order_acq_rel);
}

int device_count(DeviceType t) {
  if (t == DeviceType::CPU) return 1;
  const DeviceRuntime* r = device_runtime(t);
  return r ? r->device_count() : 0;
}

void check_device_exists(Device d, const char* op) {
  if (d.type == DeviceType::CPU) return;
  const int n = device_count(d.type);
  LT_CHECK(n > 0, DeviceError, op, "no ", name(d.type), " device is available",
           device_runtime(d.type) ? " (the driver found none)" : ": libtensor was built without that backend");
  LT_CHECK(d.index >= 0 && d.index < n, DeviceError, op, "device ", d.str(), " does not exist: ", n, " ",
           name(d.type), " device", n == 1 ? " is" : "s are", " available");
}

}  // namespace lt
