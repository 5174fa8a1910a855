// lt.autocast's state (include/libtensor/autocast.h). Python's "cuda" is every GPU device
// type, as in PyTorch, where ROCm tensors report the device type "cuda" too.
#include "libtensor/autocast.h"

#include "bind.h"

namespace lt::python {

namespace {

std::vector<DeviceType> device_types(std::string_view name) {
  if (name == "cpu") return {DeviceType::CPU};
  if (name == "cuda") return {DeviceType::CUDA, DeviceType::ROCm};
  throw py::value_error("autocast: device_type must be 'cpu' or 'cuda', got '" + std::string(name) + "'");
}

}  // namespace

void init_autocast(py::module_& m) {
  m.def("_autocast_set_enabled", [](std::string_view device_type, bool enabled) {
    for (DeviceType t : device_types(device_type)) autocast::set_enabled(t, enabled);
  }, py::arg("device_type"), py::arg("enabled"));
  m.def("_autocast_is_enabled", [](std::string_view device_type) {
    return autocast::is_enabled(device_types(device_type)[0]);
  }, py::arg("device_type"));
  m.def("_autocast_set_dtype", [](std::string_view device_type, DType dtype) {
    for (DeviceType t : device_types(device_type)) autocast::set_dtype(t, dtype);
  }, py::arg("device_type"), py::arg("dtype"));
  m.def("_autocast_get_dtype", [](std::string_view device_type) {
    return autocast::dtype(device_types(device_type)[0]);
  }, py::arg("device_type"));
  m.def("_autocast_set_cache_enabled", &autocast::set_cache_enabled, py::arg("enabled"));
  m.def("_autocast_is_cache_enabled", &autocast::is_cache_enabled);
  m.def("_autocast_increment_nesting", &autocast::increment_nesting);
  m.def("_autocast_decrement_nesting", &autocast::decrement_nesting);
  m.def("_autocast_clear_cache", &autocast::clear_cache);
  m.def("_autocast_policy", [](std::string_view op, std::string_view device_type) -> const char* {
    switch (autocast::policy(op, device_types(device_type)[0])) {
      case autocast::Policy::Composite: return "composite";
      case autocast::Policy::LowerPrecision: return "lower_precision_fp";
      case autocast::Policy::Float32: return "fp32";
      case autocast::Policy::Promote: return "promote";
      case autocast::Policy::Banned: return "banned";
      default: return "none";
    }
  }, "The casting list op is on for device_type's tensors.", py::arg("op"), py::arg("device_type"));
  m.def("_autocast_cpu_uses_gpu_lists", [](bool on) { autocast::detail::cpu_uses_gpu_lists = on; },
        "Tests only: CPU tensors follow the GPU casting lists.", py::arg("on"));
}

}  // namespace lt::python
