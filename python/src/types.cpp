// dtypes, devices, numbers and shapes between Python and libtensor, and the small
// helpers that every binding uses.
#include <array>

#include "bind.h"
#include "libtensor/parallel.h"

namespace lt::python {

namespace {
std::array<py::handle, kNumDTypes> dtype_objects;
PyTypeObject* dtype_type = nullptr;
PyTypeObject* device_type = nullptr;
py::handle size_type;
}  // namespace

py::handle dtype_object(DType t) { return dtype_objects[static_cast<int>(t)]; }

bool dtype_from(py::handle h, DType& out) {
  if (Py_TYPE(h.ptr()) == dtype_type) {
    out = h.cast<const DTypeObject&>().value;
    return true;
  }
  // Python's own types stand for their natural dtypes, as in PyTorch: float is float64.
  if (h.ptr() == reinterpret_cast<PyObject*>(&PyFloat_Type)) return out = DType::Float64, true;
  if (h.ptr() == reinterpret_cast<PyObject*>(&PyLong_Type)) return out = DType::Int64, true;
  if (h.ptr() == reinterpret_cast<PyObject*>(&PyBool_Type)) return out = DType::Bool, true;
  return false;
}

DeviceType gpu_device_type() {
  return device_runtime(DeviceType::ROCm) ? DeviceType::ROCm : DeviceType::CUDA;
}

Device device_from_spec(const std::string& spec) {
  Device d(spec);  // throws ValueError for unknown devices
  if (d.type == DeviceType::CUDA) d.type = gpu_device_type();
  return d;
}

std::string device_str(Device d) {
  return d.type == DeviceType::CPU ? "cpu" : "cuda:" + std::to_string(d.index);
}

bool device_from(py::handle h, Device& out) {
  if (Py_TYPE(h.ptr()) == device_type) {
    out = h.cast<const DeviceObject&>().value;
    return true;
  }
  if (PyUnicode_Check(h.ptr())) {
    out = device_from_spec(h.cast<std::string>());
    return true;
  }
  return false;
}

bool scalar_from(py::handle h, Scalar& out) {
  PyObject* o = h.ptr();
  if (PyBool_Check(o)) return out = Scalar(o == Py_True), true;
  if (PyLong_CheckExact(o)) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow) throw py::value_error("value cannot be converted to a 64-bit integer without overflow");
    return out = Scalar(static_cast<int64_t>(v)), true;
  }
  if (PyFloat_Check(o)) return out = Scalar(PyFloat_AS_DOUBLE(o)), true;
  if (is_tensor(h)) return false;
  // numpy's scalars: integers expose __index__, floats __float__; numpy bools neither.
  py::module_ numpy = py::module_::import("numpy");
  if (py::isinstance(h, numpy.attr("bool_"))) return out = Scalar(h.attr("__bool__")().cast<bool>()), true;
  if (py::isinstance(h, numpy.attr("integer"))) return out = Scalar(h.attr("__index__")().cast<int64_t>()), true;
  if (py::isinstance(h, numpy.attr("floating"))) return out = Scalar(h.attr("__float__")().cast<double>()), true;
  if (PyLong_Check(o)) return out = Scalar(h.cast<int64_t>()), true;  // int subclasses
  return false;
}

py::object scalar_to_python(const Scalar& s) {
  if (s.is_bool()) return py::bool_(s.to<bool>());
  if (s.is_integral()) return py::int_(s.to_int());
  return py::float_(s.to_double());
}

Shape shape_from(py::handle h, const char* op) {
  if (PyLong_Check(h.ptr()) || (!PySequence_Check(h.ptr()) && PyIndex_Check(h.ptr())))
    return Shape{py::cast<int64_t>(h.attr("__index__")())};
  if (!PyTuple_Check(h.ptr()) && !PyList_Check(h.ptr()))
    throw py::type_error(std::string(op) + "(): size must be a tuple of ints, not " +
                         std::string(py::str(py::type::of(h).attr("__name__"))));
  Shape shape;
  for (py::handle item : h) {
    if (PyBool_Check(item.ptr()) || !PyIndex_Check(item.ptr()))
      throw py::type_error(std::string(op) + "(): size must be a tuple of ints, but found element of type " +
                           std::string(py::str(py::type::of(item).attr("__name__"))));
    shape.push_back(py::cast<int64_t>(item.attr("__index__")()));
  }
  return shape;
}

Shape shape_from_args(const py::args& args, const char* op) {
  if (args.size() == 1 && (PyTuple_Check(args[0].ptr()) || PyList_Check(args[0].ptr())))
    return shape_from(args[0], op);
  return shape_from(args, op);
}

py::object size_object(IntList shape) {
  py::tuple t(shape.size());
  for (size_t i = 0; i < shape.size(); ++i) PyTuple_SET_ITEM(t.ptr(), i, PyLong_FromLongLong(shape[i]));
  if (!size_type) return t;
  return size_type(t);
}

void check_fits(const Scalar& s, DType t, const char* op) {
  if (!is_integral(t)) return;
  visit_dtype(t, [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      constexpr double lo = static_cast<double>(std::numeric_limits<T>::min());
      constexpr double hi = static_cast<double>(std::numeric_limits<T>::max());
      bool fits = s.is_floating() ? (std::isfinite(s.to_double()) && s.to_double() >= lo && s.to_double() <= hi)
                                  : (static_cast<double>(s.to_int()) >= lo && static_cast<double>(s.to_int()) <= hi);
      LT_CHECK(fits, ValueError, op, "value ", s.str(), " cannot be converted to ", name(t), " without overflow");
    }
  });
}

void set_size_type(py::object type) { size_type = type.release(); }

Kwargs::Kwargs(const py::kwargs& kwargs, const char* op, std::initializer_list<const char*> allowed)
    : kwargs_(kwargs), op_(op) {
  for (auto item : kwargs) {
    std::string key = py::str(item.first);
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (!known) throw py::type_error(std::string(op) + "() got an unexpected keyword argument '" + key + "'");
  }
}

py::handle Kwargs::get(const char* name) const {
  PyObject* v = PyDict_GetItemString(kwargs_.ptr(), name);
  return v && v != Py_None ? py::handle(v) : py::handle();
}

std::optional<DType> Kwargs::dtype() const {
  py::handle h = get("dtype");
  if (!h) return {};
  DType t;
  if (!dtype_from(h, t))
    throw py::type_error(std::string(op_) + "(): argument 'dtype' must be libtensor.dtype, not " +
                         std::string(py::str(py::type::of(h).attr("__name__"))));
  return t;
}

Device Kwargs::device() const {
  py::handle h = get("device");
  Device d = kCPU;
  if (h && !device_from(h, d))
    throw py::type_error(std::string(op_) + "(): argument 'device' must be libtensor.device or str");
  check_device(d, op_);
  return d;
}

bool Kwargs::requires_grad() const {
  py::handle h = get("requires_grad");
  return h && h.cast<bool>();
}

namespace {
// PyTorch's rule for writing a result into an existing tensor: no floating values into
// integers, nothing but bools into bools.
void check_cast(const char* op, DType from, DType to) {
  bool ok = (is_floating(to) || !is_floating(from)) && (to != DType::Bool || from == DType::Bool);
  LT_CHECK(ok, DTypeError, op, "result type ", name(from), " can't be cast to the desired output type ", name(to));
}
}  // namespace

Tensor write_out(const char* op, const Tensor& result, Tensor out) {
  if (autograd::is_grad_enabled() && (result.requires_grad() || out.requires_grad()))
    fail<AutogradError>(op, "functions with out=... arguments don't support automatic differentiation, but one "
                        "of the arguments requires grad");
  check_cast(op, result.dtype(), out.dtype());
  if (out.sizes() != result.sizes()) {
    // PyTorch resizes out to the result's shape; the old values are gone either way.
    Tensor fresh = empty(result.sizes(), out.dtype(), out.device());
    TensorImpl& impl = *out.impl();
    impl.storage = fresh.storage();
    impl.sizes = fresh.sizes();
    impl.strides = fresh.strides();
    impl.offset = 0;
    out.bump_version();
  }
  autograd::NoGradGuard no_grad;
  out.copy_(result);
  return out;
}

Tensor& assign(const char* op, Tensor& self, const Tensor& result) {
  check_cast(op, result.dtype(), self.dtype());
  LT_CHECK(result.sizes() == self.sizes(), ShapeError, op, "output with shape ", str(self.sizes()),
           " doesn't match the broadcast shape ", str(result.sizes()));
  autograd::check_inplace(op, self);
  if (autograd::is_recording() &&
      (self.requires_grad() || result.requires_grad() || autograd::base_requires_grad(self))) {
    autograd::assign_inplace(self, result);
  } else {
    autograd::NoGradGuard no_grad;
    self.copy_(result);
  }
  return self;
}

void init_types(py::module_& m) {
  py::class_<DTypeObject> dtype(m, "dtype", "A tensor element type, such as libtensor.float32.");
  dtype.def_property_readonly("is_floating_point", [](const DTypeObject& d) { return is_floating(d.value); })
      .def_property_readonly("is_signed", [](const DTypeObject& d) { return is_signed(d.value); })
      .def_property_readonly("is_complex", [](const DTypeObject&) { return false; })
      .def_property_readonly("itemsize", [](const DTypeObject& d) { return itemsize(d.value); })
      .def("__repr__", [](const DTypeObject& d) { return "libtensor." + std::string(name(d.value)); })
      .def("__reduce__", [](const DTypeObject& d) { return std::string(name(d.value)); });
  dtype_type = reinterpret_cast<PyTypeObject*>(dtype.ptr());
  for (int i = 0; i < kNumDTypes; ++i) {
    auto t = static_cast<DType>(i);
    dtype_objects[i] = py::cast(DTypeObject{t}).release();  // lives as long as the process
    m.attr(std::string(name(t)).c_str()) = dtype_objects[i];
  }

  py::class_<DeviceObject> device(m, "device", "Where a tensor lives: libtensor.device('cpu'), device('cuda', 0).");
  device
      .def(py::init([](const std::string& spec) { return DeviceObject{device_from_spec(spec)}; }), py::arg("type"))
      .def(py::init([](const std::string& type, int index) {
             LT_CHECK(index >= 0, ValueError, "device", "device index must be non-negative, got ", index);
             return DeviceObject{device_from_spec(type + ":" + std::to_string(index))};
           }),
           py::arg("type"), py::arg("index"))
      .def(py::init([](const DeviceObject& d) { return d; }))
      .def_property_readonly("type", [](const DeviceObject& d) {
        // ROCm devices report the cuda device type in Python, as in PyTorch's ROCm builds.
        return d.value.type == DeviceType::CPU ? "cpu" : "cuda";
      })
      .def_property_readonly("index", [](const DeviceObject& d) -> py::object {
        if (d.value.type == DeviceType::CPU) return py::none();
        return py::int_(d.value.index);
      })
      .def("__eq__", [](const DeviceObject& a, py::handle b) {
        Device other;
        return device_from(b, other) && other == a.value;
      })
      .def("__hash__", [](const DeviceObject& d) { return py::hash(py::str(device_str(d.value))); })
      .def("__str__", [](const DeviceObject& d) { return device_str(d.value); })
      .def("__repr__", [](const DeviceObject& d) {
        std::string s = "device(type='" + std::string(d.value.type == DeviceType::CPU ? "cpu" : "cuda") + "'";
        if (d.value.type != DeviceType::CPU) s += ", index=" + std::to_string(d.value.index);
        return s + ")";
      });
  device_type = reinterpret_cast<PyTypeObject*>(device.ptr());

  m.def("_set_size_type", &set_size_type);
  m.def("promote_types", &promote_types, py::arg("type1"), py::arg("type2"));
  m.def("manual_seed", [](uint64_t seed) {
    lt::manual_seed(seed);
    return py::module_::import("libtensor._C").attr("default_generator");
  }, py::arg("seed"));
  m.def("initial_seed", [] { return default_generator().seed(); });
  // The CPU kernels' thread count (PyTorch's intra-op threads).
  m.def("set_num_threads", [](int n) {
    LT_CHECK(n > 0, ValueError, "set_num_threads", "expects a positive number of threads, got ", n);
    lt::set_num_threads(n);
  }, py::arg("int"));
  m.def("get_num_threads", [] { return lt::num_threads(); });
  // The dtype of factories without one, of Python floats, and of integer inputs'
  // floating results (true division, sqrt, mean).
  m.def("set_default_dtype", [](DType d) {
    if (!is_floating(d)) throw py::type_error("set_default_dtype(): only floating-point types can be the default");
    lt::set_default_dtype(d);
  }, py::arg("d"));
  m.def("get_default_dtype", &lt::default_dtype);
}

}  // namespace lt::python
