// The bindings behind libtensor.cuda: devices, streams, events, memory statistics. They
// go through the core's DeviceRuntime, so this module builds without any CUDA header and
// answers "no devices" in a build without the backend.
#include <map>
#include <string>

#include "bind.h"

namespace lt::python {

namespace {
DeviceRuntime& runtime(const char* op) {
  DeviceRuntime* rt = device_runtime(gpu_device_type());
  LT_CHECK(rt && rt->device_count() > 0, DeviceError, op,
           rt ? "no CUDA device is available" : "libtensor was built without CUDA support",
           " (libtensor.cuda.is_available() is False)");
  return *rt;
}

// The switches of BackendFlags by the names Python uses.
bool& backend_flag(const std::string& name) {
  static const std::map<std::string, bool BackendFlags::*> members{
      {"allow_tf32", &BackendFlags::allow_tf32},
      {"own_gemm", &BackendFlags::own_gemm},
      {"blas_epilogues", &BackendFlags::blas_epilogues},
      {"cudnn_enabled", &BackendFlags::cudnn_enabled},
      {"cudnn_allow_tf32", &BackendFlags::cudnn_allow_tf32},
      {"cudnn_benchmark", &BackendFlags::cudnn_benchmark},
      {"cudnn_deterministic", &BackendFlags::cudnn_deterministic}};
  const auto it = members.find(name);
  LT_CHECK(it != members.end(), ValueError, "backends", "no switch named '", name, "'");
  return backend_flags().*(it->second);
}

py::dict stats_dict(const MemoryStats& s) {
  py::dict d;
  d["allocated_bytes.all.current"] = s.allocated;
  d["allocated_bytes.all.peak"] = s.peak_allocated;
  d["reserved_bytes.all.current"] = s.reserved;
  d["num_alloc_retries"] = 0;
  d["allocation.all.allocated"] = s.num_allocs;
  d["num_cache_hits"] = s.num_cache_hits;
  return d;
}
}  // namespace

void init_cuda(py::module_& m) {
  m.def("_cuda_is_built", [] { return device_runtime(gpu_device_type()) != nullptr; }, "Whether the CUDA backend is built in.");
  m.def("_cuda_device_count", [] { return device_count(gpu_device_type()); }, "Number of CUDA devices (0 without).");
  m.def("_cuda_current_device", [] { return runtime("current_device").current_device(); }, "This thread's device.");
  m.def("_cuda_set_device", [](int d) { runtime("set_device").set_device(d); }, "Sets this thread's device.", py::arg("device"));
  m.def("_cuda_synchronize", [](int d) {
    py::gil_scoped_release release;
    runtime("synchronize").synchronize(d);
  }, "Waits for all work on device d (-1: the current one).", py::arg("device"));
  m.def("_cuda_device_name", [](int d) { return runtime("get_device_name").device_name(d); }, "The device's name.",
        py::arg("device"));
  m.def("_cuda_capability", [](int d) { return runtime("get_device_capability").capability(d); },
        "(major, minor) compute capability.", py::arg("device"));
  m.def("_cuda_total_memory", [](int d) { return runtime("get_device_properties").total_memory(d); },
        "The device's memory in bytes.", py::arg("device"));

  m.def("_cuda_stream_create", [](int d, int priority) { return runtime("Stream").create_stream(d, priority); },
        "A new stream (opaque handle).", py::arg("device"), py::arg("priority"));
  m.def("_cuda_stream_destroy", [](int d, StreamHandle s) {
    if (DeviceRuntime* rt = device_runtime(gpu_device_type())) rt->destroy_stream(d, s);
  }, "Destroys a stream.", py::arg("device"), py::arg("stream"));
  m.def("_cuda_current_stream", [](int d) { return runtime("current_stream").current_stream(d); },
        "This thread's stream on device d.", py::arg("device"));
  m.def("_cuda_set_stream", [](int d, StreamHandle s) { runtime("set_stream").set_current_stream(d, s); },
        "Makes s this thread's stream on device d.", py::arg("device"), py::arg("stream"));
  m.def("_cuda_stream_synchronize", [](int d, StreamHandle s) {
    py::gil_scoped_release release;
    runtime("Stream.synchronize").synchronize_stream(d, s);
  }, "Waits for the stream's work.", py::arg("device"), py::arg("stream"));
  m.def("_cuda_stream_query", [](int d, StreamHandle s) { return runtime("Stream.query").query_stream(d, s); },
        "Whether the stream's work is done.", py::arg("device"), py::arg("stream"));

  m.def("_cuda_event_create", [](int d, bool timing) { return runtime("Event").create_event(d, timing); },
        "A new event (opaque handle).", py::arg("device"), py::arg("timing"));
  m.def("_cuda_event_destroy", [](int d, EventHandle e) {
    if (DeviceRuntime* rt = device_runtime(gpu_device_type())) rt->destroy_event(d, e);
  }, "Destroys an event.", py::arg("device"), py::arg("event"));
  m.def("_cuda_event_record", [](int d, EventHandle e, StreamHandle s) { runtime("Event.record").record_event(d, e, s); },
        "Records the event on a stream.", py::arg("device"), py::arg("event"), py::arg("stream"));
  m.def("_cuda_event_wait", [](int d, EventHandle e, StreamHandle s) { runtime("Event.wait").wait_event(d, s, e); },
        "Makes the stream wait for the event.", py::arg("device"), py::arg("event"), py::arg("stream"));
  m.def("_cuda_event_synchronize", [](int d, EventHandle e) {
    py::gil_scoped_release release;
    runtime("Event.synchronize").synchronize_event(d, e);
  }, "Waits for the event.", py::arg("device"), py::arg("event"));
  m.def("_cuda_event_query", [](int d, EventHandle e) { return runtime("Event.query").query_event(d, e); },
        "Whether the event has happened.", py::arg("device"), py::arg("event"));
  m.def("_cuda_event_elapsed", [](int d, EventHandle a, EventHandle b) { return runtime("Event.elapsed_time").elapsed_ms(d, a, b); },
        "Milliseconds between two recorded events.", py::arg("device"), py::arg("start"), py::arg("end"));

  m.def("_cuda_memory_stats", [] {
    return stats_dict(device_runtime(gpu_device_type()) ? memory_stats(gpu_device_type()) : MemoryStats{});
  },
        "The CUDA caching allocator's statistics.");
  m.def("_cuda_empty_cache", [] {
    if (device_runtime(gpu_device_type())) empty_cache(gpu_device_type());
  }, "Returns cached, unused device memory to the driver.");
  m.def("_cuda_reset_peak", [] {
    if (device_runtime(gpu_device_type())) allocator_for(gpu_device_type()).reset_peak();
  }, "Resets the peak statistics.");
  m.def("_cuda_manual_seed", [](uint64_t seed, bool all) {
    const int n = device_count(gpu_device_type());
    if (n == 0) return;  // nothing to seed, as torch.cuda.manual_seed without a GPU
    const int current = device_runtime(gpu_device_type())->current_device();
    for (int d = all ? 0 : current; d < (all ? n : current + 1); ++d) {
      default_generator(Device(gpu_device_type(), static_cast<int16_t>(d))).manual_seed(seed);
    }
  }, "Seeds the generator of the current CUDA device (or of every one).", py::arg("seed"), py::arg("all"));
  m.def("_set_backend_flag", [](const std::string& name, bool on) { backend_flag(name) = on; },
        "Sets one of the switches behind lt.backends.cuda and lt.backends.cudnn.", py::arg("name"), py::arg("on"));
  m.def("_get_backend_flag", [](const std::string& name) { return backend_flag(name); },
        "One of the switches behind lt.backends.cuda and lt.backends.cudnn.", py::arg("name"));
  m.def("_cudnn_version", [] {
    const DeviceRuntime* rt = device_runtime(gpu_device_type());
    return rt ? rt->library_version("cudnn") : 0;
  }, "The version of the cuDNN the CUDA backend loaded; 0 where none did.");
}

}  // namespace lt::python
