// DLPack: tensors leave as "dltensor" capsules (__dlpack__) and arrive from any object
// with __dlpack__ or from a capsule (from_dlpack), sharing memory both ways.
#include <dlpack/dlpack.h>

#include "bind.h"

namespace lt::python {

namespace {

// DLPack 0.8's code for bool; the 0.6 header Debian ships predates it.
constexpr uint8_t kDLBoolCode = 6;

struct Exported {
  Tensor tensor;  // keeps the storage alive while the consumer uses it
  std::vector<int64_t> shape, strides;
  DLManagedTensor managed{};
};

DLDataType dl_type(DType t) {
  switch (t) {
    case DType::Bool: return {kDLBoolCode, 8, 1};
    case DType::UInt8: return {kDLUInt, 8, 1};
    case DType::Int8: return {kDLInt, 8, 1};
    case DType::Int16: return {kDLInt, 16, 1};
    case DType::Int32: return {kDLInt, 32, 1};
    case DType::Int64: return {kDLInt, 64, 1};
    case DType::Float16: return {kDLFloat, 16, 1};
    case DType::BFloat16: return {kDLBfloat, 16, 1};
    case DType::Float32: return {kDLFloat, 32, 1};
    case DType::Float64: return {kDLFloat, 64, 1};
  }
  return {kDLFloat, 32, 1};
}

std::optional<DType> from_dl_type(DLDataType t) {
  if (t.lanes != 1) return std::nullopt;
  if (t.code == kDLBoolCode) return t.bits == 8 ? std::optional(DType::Bool) : std::nullopt;
  switch (t.code) {
    case kDLUInt: return t.bits == 8 ? std::optional(DType::UInt8) : std::nullopt;
    case kDLInt:
      if (t.bits == 8) return DType::Int8;
      if (t.bits == 16) return DType::Int16;
      if (t.bits == 32) return DType::Int32;
      if (t.bits == 64) return DType::Int64;
      return std::nullopt;
    case kDLFloat:
      if (t.bits == 16) return DType::Float16;
      if (t.bits == 32) return DType::Float32;
      if (t.bits == 64) return DType::Float64;
      return std::nullopt;
    case kDLBfloat: return t.bits == 16 ? std::optional(DType::BFloat16) : std::nullopt;
    default: return std::nullopt;
  }
}

DLDevice dl_device(Device d) {
  switch (d.type) {
    case DeviceType::CUDA: return {kDLCUDA, d.index};
    case DeviceType::ROCm: return {kDLROCM, d.index};
    case DeviceType::CPU: break;
  }
  return {kDLCPU, 0};
}

void delete_exported(DLManagedTensor* m) { delete static_cast<Exported*>(m->manager_ctx); }

// A capsule nobody consumed frees its tensor when it dies.
void capsule_destructor(PyObject* capsule) {
  if (PyCapsule_IsValid(capsule, "dltensor")) {
    auto* m = static_cast<DLManagedTensor*>(PyCapsule_GetPointer(capsule, "dltensor"));
    if (m && m->deleter) m->deleter(m);
  }
}

py::capsule to_dlpack(const Tensor& t) {
  if (t.requires_grad())
    throw std::runtime_error("Can't export tensors that require gradient, use tensor.detach()");
  auto* e = new Exported{t, std::vector<int64_t>(t.sizes().begin(), t.sizes().end()),
                         std::vector<int64_t>(t.strides().begin(), t.strides().end()), {}};
  DLTensor& dl = e->managed.dl_tensor;
  // The element pointer itself, with no byte_offset: PyTorch 1.13's importer ignores it.
  dl.data = t.data();
  dl.byte_offset = 0;
  dl.device = dl_device(t.device());
  dl.ndim = static_cast<int32_t>(t.dim());
  dl.dtype = dl_type(t.dtype());
  dl.shape = e->shape.data();
  dl.strides = e->strides.data();
  e->managed.manager_ctx = e;
  e->managed.deleter = delete_exported;
  PyObject* capsule = PyCapsule_New(&e->managed, "dltensor", capsule_destructor);
  if (!capsule) {
    delete e;
    throw py::error_already_set();
  }
  return py::reinterpret_steal<py::capsule>(capsule);
}

// Producers' deleters may touch Python objects (numpy's drops its array), so they run
// with the GIL, whichever thread frees the last tensor.
void release_managed(void*, void* ctx) {
  auto* m = static_cast<DLManagedTensor*>(ctx);
  if (!m->deleter || !Py_IsInitialized()) return;
  py::gil_scoped_acquire gil;
  m->deleter(m);
}

Tensor from_capsule(py::handle capsule) {
  if (!PyCapsule_IsValid(capsule.ptr(), "dltensor"))
    throw py::value_error("from_dlpack: expected a DLPack capsule named 'dltensor' that was not consumed yet");
  auto* m = static_cast<DLManagedTensor*>(PyCapsule_GetPointer(capsule.ptr(), "dltensor"));
  const DLTensor& dl = m->dl_tensor;
  if (dl.device.device_type != kDLCPU && dl.device.device_type != kDLCUDAHost)
    fail<DeviceError>("from_dlpack", "tensors on DLPack device type ", static_cast<int>(dl.device.device_type),
                      " are not supported by this build (cpu only)");
  std::optional<DType> dtype = from_dl_type(dl.dtype);
  LT_CHECK(dtype, DTypeError, "from_dlpack", "unsupported DLPack dtype (code ", static_cast<int>(dl.dtype.code),
           ", bits ", static_cast<int>(dl.dtype.bits), ", lanes ", dl.dtype.lanes, ")");
  LT_CHECK(dl.ndim >= 0, ValueError, "from_dlpack", "negative ndim ", dl.ndim);
  Shape sizes, strides;
  int64_t extent = 1, numel = 1;
  for (int32_t d = 0; d < dl.ndim; ++d) {
    sizes.push_back(dl.shape[d]);
    numel *= dl.shape[d];
  }
  // Without strides the tensor is compact and row-major.
  int64_t running = 1;
  strides.resize(dl.ndim);
  for (int32_t d = dl.ndim - 1; d >= 0; --d) {
    strides[d] = dl.strides ? dl.strides[d] : running;
    running *= dl.shape[d];
    LT_CHECK(strides[d] >= 0, ValueError, "from_dlpack", "negative strides are not supported");
    extent += (dl.shape[d] - 1) * strides[d];
  }
  size_t item = static_cast<size_t>(itemsize(*dtype));
  size_t nbytes = numel == 0 ? 0 : static_cast<size_t>(extent) * item;
  LT_CHECK(dl.byte_offset % item == 0, ValueError, "from_dlpack", "byte offset ", dl.byte_offset,
           " is not a multiple of the element size ", item);
  void* data = static_cast<char*>(dl.data) + dl.byte_offset;
  // The capsule is consumed: we own the managed tensor now and call its deleter later.
  PyCapsule_SetName(capsule.ptr(), "used_dltensor");
  PyCapsule_SetDestructor(capsule.ptr(), nullptr);
  auto storage = std::make_shared<StorageImpl>(data, nbytes, kCPU, release_managed, m);
  return make_tensor(std::move(storage), *dtype, sizes, strides, 0);
}

}  // namespace

void init_dlpack(py::module_& m, py::class_<Tensor>& cls) {
  cls.def("__dlpack__", [](const Tensor& t, py::object stream) { return to_dlpack(t); },
          py::arg("stream") = py::none());
  cls.def("__dlpack_device__", [](const Tensor& t) {
    DLDevice d = dl_device(t.device());
    return py::make_tuple(static_cast<int>(d.device_type), d.device_id);
  });
  m.def("to_dlpack", to_dlpack, py::arg("tensor"));
  m.def("from_dlpack", [](py::handle obj) {
    if (is_tensor(obj)) return tensor_ref(obj);
    if (py::hasattr(obj, "__dlpack__")) return from_capsule(obj.attr("__dlpack__")());
    return from_capsule(obj);
  }, py::arg("ext_tensor"));
}

}  // namespace lt::python
