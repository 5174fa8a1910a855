// Zero-copy exchange with numpy: from_numpy and Tensor.numpy() share memory, and
// __array_interface__ lets np.asarray(t) wrap a tensor without copying.
#include <pybind11/numpy.h>

#include "bind.h"

namespace lt::python {

namespace {

// numpy's type character for each dtype; bfloat16 has none.
const char* typestr(DType t) {
  switch (t) {
    case DType::Bool: return "|b1";
    case DType::UInt8: return "|u1";
    case DType::Int8: return "|i1";
    case DType::Int16: return "<i2";
    case DType::Int32: return "<i4";
    case DType::Int64: return "<i8";
    case DType::Float16: return "<f2";
    case DType::Float32: return "<f4";
    case DType::Float64: return "<f8";
    case DType::BFloat16: break;
  }
  return nullptr;
}

void check_numpy_compatible(const Tensor& t) {
  if (t.device().type != DeviceType::CPU)
    throw py::type_error("can't convert " + t.device().str() +
                         " device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.");
  if (!typestr(t.dtype())) throw py::type_error("Got unsupported ScalarType " + std::string(name(t.dtype())));
}

std::optional<DType> dtype_of_numpy(const py::dtype& d) {
  if (d.byteorder() == '>') return std::nullopt;  // big-endian data would need a byte swap
  char kind = d.kind();
  auto size = d.itemsize();
  if (kind == 'b' && size == 1) return DType::Bool;
  if (kind == 'u' && size == 1) return DType::UInt8;
  if (kind == 'i') {
    if (size == 1) return DType::Int8;
    if (size == 2) return DType::Int16;
    if (size == 4) return DType::Int32;
    if (size == 8) return DType::Int64;
  }
  if (kind == 'f') {
    if (size == 2) return DType::Float16;
    if (size == 4) return DType::Float32;
    if (size == 8) return DType::Float64;
  }
  return std::nullopt;
}

// Keeps the array alive while the storage uses its memory; released with the GIL held,
// since the last tensor may die on a thread that runs without it.
void release_array(void*, void* ctx) {
  if (!Py_IsInitialized()) return;
  py::gil_scoped_acquire gil;
  Py_DECREF(static_cast<PyObject*>(ctx));
}

Tensor from_numpy(py::handle obj) {
  if (!py::isinstance<py::array>(obj))
    throw py::type_error("expected np.ndarray (got " + std::string(py::str(py::type::of(obj).attr("__name__"))) + ")");
  auto arr = py::reinterpret_borrow<py::array>(obj);
  if (arr.dtype().byteorder() == '>')
    throw py::value_error("given numpy array has byte order different from the native byte order. Conversion "
                          "between byte orders is currently not supported.");
  std::optional<DType> dtype = dtype_of_numpy(arr.dtype());
  if (!dtype)
    throw py::type_error("can't convert np.ndarray of type " + std::string(py::str(arr.dtype())) +
                         ". The only supported types are: float64, float32, float16, int64, int32, int16, int8, "
                         "uint8, and bool.");
  int64_t item = itemsize(*dtype);
  Shape sizes, strides;
  int64_t lo = 0, hi = 0;  // the byte span the array covers, relative to its data pointer
  for (py::ssize_t d = 0; d < arr.ndim(); ++d) {
    int64_t stride = arr.strides(d);
    if (stride < 0)
      throw py::value_error("At least one stride in the given numpy array is negative, and tensors with negative "
                            "strides are not currently supported. (You can probably work around this by making a "
                            "copy of your array  with array.copy().)");
    if (stride % item != 0)
      throw py::value_error("given numpy array strides not a multiple of the element byte size. Copy the numpy "
                            "array to reallocate the memory.");
    sizes.push_back(arr.shape(d));
    strides.push_back(stride / item);
    if (arr.shape(d) == 0) lo = hi = 0;
    hi += (arr.shape(d) - 1) * stride;
  }
  bool empty = arr.size() == 0;
  size_t nbytes = empty ? 0 : static_cast<size_t>(hi - lo + item);
  PyObject* owner = obj.ptr();
  Py_INCREF(owner);
  auto storage = std::make_shared<StorageImpl>(const_cast<void*>(arr.data()), nbytes, kCPU, release_array, owner);
  return make_tensor(std::move(storage), *dtype, sizes, strides, 0);
}

// The array_interface dict of a CPU tensor; the tensor stays alive as the array's base.
py::dict array_interface(const Tensor& t) {
  check_numpy_compatible(t);
  py::dict d;
  py::tuple shape(t.dim()), strides(t.dim());
  for (int64_t i = 0; i < t.dim(); ++i) {
    shape[i] = t.size(i);
    strides[i] = t.stride(i) * t.itemsize();
  }
  d["shape"] = shape;
  d["strides"] = strides;
  d["typestr"] = typestr(t.dtype());
  d["data"] = py::make_tuple(reinterpret_cast<uintptr_t>(t.data()), false);
  d["version"] = 3;
  return d;
}

}  // namespace

void init_numpy(py::module_& m, py::class_<Tensor>& cls) {
  m.def("from_numpy", from_numpy, py::arg("ndarray"));
  cls.def_property_readonly("__array_interface__", [](const Tensor& t) {
    if (t.requires_grad())
      throw std::runtime_error(
          "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
    return array_interface(t);
  });
  cls.def("numpy", [](py::object self, bool force) {
    Tensor t = tensor_ref(self);
    if (force) t = t.detach().to(t.dtype() == DType::BFloat16 ? DType::Float32 : t.dtype()).clone();
    if (t.requires_grad())
      throw std::runtime_error(
          "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
    check_numpy_compatible(t);
    // The array's base is the tensor object, which keeps the storage alive.
    py::object base = force ? wrap(t) : self;
    std::vector<py::ssize_t> shape(t.sizes().begin(), t.sizes().end()), strides;
    for (int64_t s : t.strides()) strides.push_back(s * t.itemsize());
    return py::array(py::dtype(typestr(t.dtype())), shape, strides, t.data(), base);
  }, py::kw_only(), py::arg("force") = false);
}

}  // namespace lt::python
