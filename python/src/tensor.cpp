// The Tensor class: its properties, conversions and views.
#include "bind.h"

namespace lt::python {

namespace {
PyTypeObject* tensor_type = nullptr;

Tensor to_device(const Tensor& t, Device d, const char* op, bool non_blocking = false) {
  if (d == t.device()) return t;
  check_device(d, op);
  return t.to(d, non_blocking);
}

// "cuda", "cuda:1", 1, a device or None (the current device) as a GPU device.
Device cuda_device(py::handle h) {
  const DeviceType gpu = gpu_device_type();
  DeviceRuntime* rt = device_runtime(gpu);
  if (h.is_none()) return Device(gpu, static_cast<int16_t>(rt && rt->device_count() ? rt->current_device() : 0));
  if (PyLong_Check(h.ptr())) return Device(gpu, h.cast<int16_t>());
  Device d;
  if (!device_from(h, d) || d.type != gpu)
    throw py::type_error("cuda(): argument 'device' must be a cuda device, an index or None");
  return d;
}

// A copy in page-locked host memory, which copies to the GPU can overlap with work.
Tensor pin_memory(const Tensor& t) {
  DeviceRuntime* rt = device_runtime(gpu_device_type());
  LT_CHECK(t.device().type == DeviceType::CPU, DeviceError, "pin_memory", "cannot pin a ", t.device().str(),
           " tensor: only cpu tensors can be pinned");
  LT_CHECK(rt && rt->device_count() > 0, DeviceError, "pin_memory",
           "pinned memory needs a CUDA device, and none is available");
  const size_t nbytes = static_cast<size_t>(t.numel() * t.itemsize());
  auto storage = std::make_shared<StorageImpl>(rt->allocate_pinned(nbytes), nbytes, kCPU,
                                               [](void* p, void* ctx) { static_cast<DeviceRuntime*>(ctx)->free_pinned(p); },
                                               rt);
  Tensor out = make_tensor(storage, t.dtype(), t.sizes(), contiguous_strides(t.sizes()), 0);
  out.copy_(t);
  return out;
}

// The arguments of Tensor.to: (dtype), (device), (device, dtype), (tensor), and keywords.
Tensor convert(const Tensor& self, const py::args& args, const py::kwargs& kwargs) {
  Kwargs kw(kwargs, "to", {"dtype", "device", "copy", "non_blocking", "memory_format"});
  std::optional<DType> dtype = kw.dtype();
  std::optional<Device> device;
  if (kw.get("device")) device = kw.device();
  for (py::handle a : args) {
    DType t;
    Device d;
    if (dtype_from(a, t)) {
      dtype = t;
    } else if (device_from(a, d)) {
      device = d;
    } else if (is_tensor(a)) {
      dtype = tensor_ref(a).dtype();
      device = tensor_ref(a).device();
    } else if (PyBool_Check(a.ptr())) {
      continue;  // the positional non_blocking / copy flags
    } else {
      throw py::type_error("to() received an invalid combination of arguments: expected a dtype, a device or a tensor");
    }
  }
  py::handle non_blocking = kw.get("non_blocking");
  Tensor r = device ? to_device(self, *device, "to", non_blocking && non_blocking.cast<bool>()) : self;
  r = dtype ? r.to(*dtype) : r;
  py::handle copy = kw.get("copy");
  if (copy && copy.cast<bool>() && r.is_same(self)) r = self.clone();
  return r;
}

py::object tolist(const Tensor& t) {
  Tensor c = t.to(kCPU).contiguous();
  if (c.dim() == 0) return scalar_to_python(c.item());
  return visit_dtype(c.dtype(), [&](auto tag) -> py::object {
    using T = decltype(tag);
    const T* p = c.data_ptr<T>();
    auto element = [](T v) -> py::object {
      if constexpr (std::is_same_v<T, bool>) return py::bool_(v);
      else if constexpr (std::is_integral_v<T>) return py::int_(static_cast<int64_t>(v));
      else return py::float_(static_cast<double>(v));
    };
    // Nested lists, built from the innermost dimension outwards.
    std::function<py::list(int64_t, int64_t)> build = [&](int64_t dim, int64_t offset) {
      int64_t n = c.size(dim);
      py::list out(n);
      int64_t stride = c.stride(dim);
      for (int64_t i = 0; i < n; ++i) {
        if (dim + 1 == c.dim()) out[i] = element(p[offset + i * stride]);
        else out[i] = build(dim + 1, offset + i * stride);
      }
      return out;
    };
    return build(0, 0);
  });
}

Tensor flatten(const Tensor& t, int64_t start, int64_t end) {
  if (t.dim() == 0) return t.reshape({1});
  auto wrap_dim = [&](int64_t d) {
    LT_CHECK(d >= -t.dim() && d < t.dim(), IndexError, "flatten", "dimension out of range (expected to be in range of [",
             -t.dim(), ", ", t.dim() - 1, "], but got ", d, ")");
    return d < 0 ? d + t.dim() : d;
  };
  start = wrap_dim(start);
  end = wrap_dim(end);
  LT_CHECK(start <= end, ValueError, "flatten", "start_dim ", start, " cannot come after end_dim ", end);
  Shape shape;
  for (int64_t d = 0; d < start; ++d) shape.push_back(t.size(d));
  int64_t n = 1;
  for (int64_t d = start; d <= end; ++d) n *= t.size(d);
  shape.push_back(n);
  for (int64_t d = end + 1; d < t.dim(); ++d) shape.push_back(t.size(d));
  return t.reshape(shape);
}

Tensor unflatten(const Tensor& t, int64_t dim, const Shape& sizes) {
  int64_t d = dim < 0 ? dim + t.dim() : dim;
  LT_CHECK(d >= 0 && d < t.dim(), IndexError, "unflatten", "dimension out of range (expected to be in range of [",
           -t.dim(), ", ", t.dim() - 1, "], but got ", dim, ")");
  Shape shape;
  for (int64_t i = 0; i < d; ++i) shape.push_back(t.size(i));
  for (int64_t s : sizes) shape.push_back(s);
  for (int64_t i = d + 1; i < t.dim(); ++i) shape.push_back(t.size(i));
  Tensor r = t.reshape(shape);
  LT_CHECK(r.dim() == static_cast<int64_t>(shape.size()), ShapeError, "unflatten", "sizes ", str(sizes),
           " don't multiply up to the size of dim ", dim, " (", t.size(d), ")");
  return r;
}

Tensor reverse_dims(const Tensor& t) {
  Shape dims;
  for (int64_t d = t.dim() - 1; d >= 0; --d) dims.push_back(d);
  return t.permute(dims);
}

// `x.data = y`: x keeps its identity and autograd state but takes y's contents.
void set_data(Tensor& self, const Tensor& other) {
  TensorImpl& impl = *self.impl();
  const TensorImpl& src = *other.impl();
  impl.storage = src.storage;
  impl.sizes = src.sizes;
  impl.strides = src.strides;
  impl.offset = src.offset;
  impl.dtype = src.dtype;
}
}  // namespace

void check_device(Device d, const char* op) {
  if (d.type == DeviceType::CPU) return;
  if (d.type == gpu_device_type() && device_count(d.type) == 0) {
    fail<DeviceError>(op, device_runtime(d.type) ? "no CUDA device is available"
                                                           : "libtensor was built without CUDA support",
                      ": only cpu tensors are available (libtensor.cuda.is_available() is False)");
  }
  check_device_exists(d, op);
}

bool is_tensor(py::handle h) { return PyObject_TypeCheck(h.ptr(), tensor_type); }

// Python tensors are read and made straight from pybind11's instance layout, with the
// type's record looked up once: pybind11's generic casts would look it up by hashing
// the C++ type's name on every call, which costs more than a small operator.
namespace {
const py::detail::type_info* tensor_info = nullptr;
void* move_tensor(const void* p) { return new Tensor(std::move(*const_cast<Tensor*>(static_cast<const Tensor*>(p)))); }
void* copy_tensor(const void* p) { return new Tensor(*static_cast<const Tensor*>(p)); }
}  // namespace

Tensor& tensor_ref(py::handle h) {
  if (!is_tensor(h))
    throw py::type_error("expected a Tensor, got " + std::string(py::str(py::type::of(h).attr("__name__"))));
  auto* inst = reinterpret_cast<py::detail::instance*>(h.ptr());
  void* value = inst->simple_layout ? inst->simple_value_holder[0]
                                    : inst->get_value_and_holder(tensor_info).value_ptr();
  if (!value) throw py::type_error("a Tensor subclass instance was used before Tensor.__init__ ran");
  return *static_cast<Tensor*>(value);
}

py::object wrap(Tensor t) {
  return py::reinterpret_steal<py::object>(py::detail::type_caster_generic::cast(
      &t, py::return_value_policy::move, py::handle(), tensor_info, copy_tensor, move_tensor));
}

py::class_<Tensor> init_tensor(py::module_& m) {
  py::class_<Tensor> cls(m, "Tensor", "A strided, typed, autograd-aware array on one device.");
  tensor_type = reinterpret_cast<PyTypeObject*>(cls.ptr());
  tensor_info = py::detail::get_type_info(typeid(Tensor));
  cls.attr("__module__") = "libtensor";

  // The legacy constructor, as torch.Tensor: Tensor() is an empty tensor of the default
  // dtype, Tensor(2, 3) an uninitialised one of that shape, Tensor(other) an alias of
  // other, Tensor([1, 2]) data in the default dtype. Python subclasses construct through it.
  cls.def(py::init([](py::args args) {
    if (args.size() == 0) return empty({0});
    if (args.size() == 1 && is_tensor(args[0])) return tensor_ref(args[0]);
    if (args.size() == 1 && !PyLong_Check(args[0].ptr()) && PySequence_Check(args[0].ptr())) {
      py::object make = py::module_::import("libtensor").attr("tensor");
      return tensor_ref(make(args[0], py::arg("dtype") = default_dtype()));
    }
    return empty(shape_from_args(args, "Tensor"));
  }));

  // Properties.
  cls.def_property_readonly("shape", [](const Tensor& t) { return size_object(t.sizes()); })
      .def("size", [](const Tensor& t, std::optional<int64_t> dim) -> py::object {
             if (dim) return py::int_(t.size(*dim));
             return size_object(t.sizes());
           }, py::arg("dim") = py::none())
      .def("stride", [](const Tensor& t, std::optional<int64_t> dim) -> py::object {
             if (dim) return py::int_(t.stride(*dim));
             return py::tuple(py::cast(std::vector<int64_t>(t.strides().begin(), t.strides().end())));
           }, py::arg("dim") = py::none())
      .def("dim", LT_METHOD(dim))
      .def("ndimension", LT_METHOD(dim))
      .def_property_readonly("ndim", LT_METHOD(dim))
      .def("numel", LT_METHOD(numel))
      .def("nelement", LT_METHOD(numel))
      .def("element_size", LT_METHOD(itemsize))
      .def_property_readonly("itemsize", LT_METHOD(itemsize))
      .def_property_readonly("nbytes", LT_METHOD(nbytes))
      .def_property_readonly("dtype", LT_METHOD(dtype))
      .def_property_readonly("device", LT_METHOD(device))
      .def_property_readonly("is_cuda", [](const Tensor& t) { return t.device().type != DeviceType::CPU; })
      .def_property_readonly("is_cpu", [](const Tensor& t) { return t.device().type == DeviceType::CPU; })
      .def_property_readonly("is_sparse", [](const Tensor&) { return false; })
      .def_property_readonly("is_quantized", [](const Tensor&) { return false; })
      .def_property_readonly("is_meta", [](const Tensor&) { return false; })
      .def("is_floating_point", LT_METHOD(is_floating_point))
      .def("is_complex", [](const Tensor&) { return false; })
      .def("is_contiguous", [](const Tensor& t, py::object) { return t.is_contiguous(); },
           py::arg("memory_format") = py::none())
      .def("storage_offset", LT_METHOD(storage_offset))
      .def("data_ptr", [](const Tensor& t) { return reinterpret_cast<uintptr_t>(t.data()); })
      .def("get_device", [](const Tensor& t) { return t.device().type == DeviceType::CPU ? -1 : t.device().index; })
      .def_property("data", [](const Tensor& t) { return t.detach(); },
                    [](Tensor& t, const Tensor& other) { set_data(t, other); })
      .def_property_readonly("T", reverse_dims)
      .def_property_readonly("mT", [](const Tensor& t) {
        LT_CHECK(t.dim() >= 2, ShapeError, "mT", "tensor.mT is only supported on matrices or batches of matrices, got ",
                 t.dim(), "-D tensor");
        return t.transpose(-2, -1);
      })
      .def_property_readonly("H", [](const Tensor& t) {
        LT_CHECK(t.dim() <= 2, ShapeError, "H", "tensor.H is only supported on matrices (2-D tensors), got ", t.dim(),
                 "-D tensor");
        return t.dim() == 2 ? t.transpose(0, 1) : t;  // real dtypes: the conjugate is the tensor itself
      })
      .def_property_readonly("mH", [](const Tensor& t) {
        LT_CHECK(t.dim() >= 2, ShapeError, "mH", "tensor.mH is only supported on matrices or batches of matrices, got ",
                 t.dim(), "-D tensor");
        return t.transpose(-2, -1);
      })
      .def("__hash__", [](py::handle self) { return reinterpret_cast<intptr_t>(self.ptr()); });

  // Conversions.
  cls.def("item", [](const Tensor& t) {
       if (t.numel() != 1)
         throw std::runtime_error("a Tensor with " + std::to_string(t.numel()) +
                                  " elements cannot be converted to Scalar");
       return scalar_to_python(t.item());
     })
      .def("tolist", tolist)
      .def("__len__", [](const Tensor& t) {
        if (t.dim() == 0) throw py::type_error("len() of a 0-d tensor");
        return t.size(0);
      })
      .def("__bool__", [](const Tensor& t) {
        if (t.numel() != 1)
          throw std::runtime_error(t.numel() == 0 ? "Boolean value of Tensor with no values is ambiguous"
                                                  : "Boolean value of Tensor with more than one value is ambiguous");
        return t.item().to<bool>();
      })
      .def("__float__", [](const Tensor& t) {
        if (t.numel() != 1) throw py::type_error("only one element tensors can be converted to Python scalars");
        return t.item().to_double();
      })
      .def("__int__", [](const Tensor& t) {
        if (t.numel() != 1) throw py::type_error("only one element tensors can be converted to Python scalars");
        return t.item().to_int();
      })
      .def("__index__", [](const Tensor& t) {
        if (t.numel() != 1 || !is_integral(t.dtype(), true))
          throw py::type_error("only integer tensors of a single element can be converted to an index");
        return t.item().to_int();
      })
      .def("to", convert)
      .def("type_as", [](const Tensor& t, const Tensor& other) { return t.to(other.dtype()); }, py::arg("other"))
      .def("cpu", [](const Tensor& t) { return to_device(t, kCPU, "cpu"); })
      .def("cuda", [](const Tensor& t, py::object device, bool non_blocking) {
             return to_device(t, cuda_device(device), "cuda", non_blocking);
           },
           py::arg("device") = py::none(), py::arg("non_blocking") = false)
      .def("pin_memory", pin_memory)
      .def("is_pinned", [](const Tensor& t) {
        const DeviceRuntime* rt = device_runtime(gpu_device_type());
        return t.device().type == DeviceType::CPU && rt && rt->is_pinned(t.data());
      });
  const std::pair<const char*, DType> casts[] = {
      {"float", DType::Float32}, {"double", DType::Float64}, {"half", DType::Float16},
      {"bfloat16", DType::BFloat16}, {"long", DType::Int64}, {"int", DType::Int32},
      {"short", DType::Int16}, {"char", DType::Int8}, {"byte", DType::UInt8}, {"bool", DType::Bool}};
  for (auto [fn, dtype] : casts) cls.def(fn, [dtype = dtype](const Tensor& t) { return t.to(dtype); });

  // Views and copies.
  cls.def("view", [](const Tensor& t, py::args shape) { return t.view(shape_from_args(shape, "view")); })
      .def("reshape", [](const Tensor& t, py::args shape) { return t.reshape(shape_from_args(shape, "reshape")); })
      .def("view_as", [](const Tensor& t, const Tensor& o) { return t.view(o.sizes()); }, py::arg("other"))
      .def("reshape_as", [](const Tensor& t, const Tensor& o) { return t.reshape(o.sizes()); }, py::arg("other"))
      .def("permute", [](const Tensor& t, py::args dims) { return t.permute(shape_from_args(dims, "permute")); })
      .def("transpose", LT_METHOD(transpose), py::arg("dim0"), py::arg("dim1"))
      .def("swapaxes", LT_METHOD(transpose), py::arg("axis0"), py::arg("axis1"))
      .def("swapdims", LT_METHOD(transpose), py::arg("dim0"), py::arg("dim1"))
      .def("t", LT_METHOD(t))
      .def("expand", [](const Tensor& t, py::args sizes) { return t.expand(shape_from_args(sizes, "expand")); })
      .def("expand_as", LT_METHOD(expand_as), py::arg("other"))
      .def("squeeze", [](const Tensor& t, std::optional<int64_t> dim) { return dim ? t.squeeze(*dim) : t.squeeze(); },
           py::arg("dim") = py::none())
      .def("unsqueeze", LT_METHOD(unsqueeze), py::arg("dim"))
      .def("flatten", flatten, py::arg("start_dim") = 0, py::arg("end_dim") = -1)
      .def("unflatten", [](const Tensor& t, int64_t dim, py::handle sizes) {
             return unflatten(t, dim, shape_from(sizes, "unflatten"));
           }, py::arg("dim"), py::arg("sizes"))
      .def("narrow", LT_METHOD(narrow), py::arg("dim"), py::arg("start"), py::arg("length"))
      .def("select", LT_METHOD(select), py::arg("dim"), py::arg("index"))
      .def("diagonal", LT_METHOD(diagonal), py::arg("offset") = 0, py::arg("dim1") = 0, py::arg("dim2") = 1)
      .def("as_strided", [](const Tensor& t, py::handle size, py::handle stride, std::optional<int64_t> offset) {
             return t.as_strided(shape_from(size, "as_strided"), shape_from(stride, "as_strided"), offset);
           }, py::arg("size"), py::arg("stride"), py::arg("storage_offset") = py::none())
      .def("unfold", LT_METHOD(unfold), py::arg("dimension"), py::arg("size"), py::arg("step"))
      .def("contiguous", [](const Tensor& t, py::object) { return t.contiguous(); },
           py::arg("memory_format") = py::none())
      .def("clone", [](const Tensor& t, py::object) { return t.clone(); }, py::arg("memory_format") = py::none())
      .def("copy_", [](Tensor& t, const Tensor& src, bool) -> Tensor& {
             ReleaseGil release(t.numel());
             return t.copy_(src);
           }, py::arg("src"), py::arg("non_blocking") = false)
      .def("fill_", [](Tensor& t, py::handle value) -> Tensor& {
             Scalar s;
             if (scalar_from(value, s)) {
               check_fits(s, t.dtype(), "fill_");
               return t.fill_(s);
             }
             // A 0-dim tensor value, as PyTorch accepts (and records for autograd).
             if (is_tensor(value)) {
               const Tensor& v = tensor_ref(value);
               LT_CHECK(v.dim() == 0, ShapeError, "fill_", "only a 0-dim value tensor can fill, got one of shape ",
                        str(v.sizes()));
               return t.copy_(v);
             }
             throw py::type_error("fill_(): argument 'value' must be Number or a 0-dim Tensor");
           }, py::arg("value"))
      .def("zero_", [](Tensor& t) -> Tensor& { return t.zero_(); })
      .def("_set_data", set_data);
  m.def("flatten", flatten, py::arg("input"), py::arg("start_dim") = 0, py::arg("end_dim") = -1);
  m.def("unflatten", [](const Tensor& t, int64_t dim, py::handle sizes) {
    return unflatten(t, dim, shape_from(sizes, "unflatten"));
  }, py::arg("input"), py::arg("dim"), py::arg("sizes"));
  m.def("reshape", [](const Tensor& t, py::handle shape) { return t.reshape(shape_from(shape, "reshape")); },
        py::arg("input"), py::arg("shape"));
  m.def("permute", [](const Tensor& t, py::handle dims) { return t.permute(shape_from(dims, "permute")); },
        py::arg("input"), py::arg("dims"));
  m.def("transpose", LT_METHOD(transpose), py::arg("input"), py::arg("dim0"), py::arg("dim1"));
  m.def("swapaxes", LT_METHOD(transpose), py::arg("input"), py::arg("axis0"), py::arg("axis1"));
  m.def("swapdims", LT_METHOD(transpose), py::arg("input"), py::arg("dim0"), py::arg("dim1"));
  m.def("t", LT_METHOD(t), py::arg("input"));
  m.def("squeeze", [](const Tensor& t, std::optional<int64_t> dim) { return dim ? t.squeeze(*dim) : t.squeeze(); },
        py::arg("input"), py::arg("dim") = py::none());
  m.def("unsqueeze", LT_METHOD(unsqueeze), py::arg("input"), py::arg("dim"));
  m.def("narrow", LT_METHOD(narrow), py::arg("input"), py::arg("dim"), py::arg("start"), py::arg("length"));
  m.def("select", LT_METHOD(select), py::arg("input"), py::arg("dim"), py::arg("index"));
  m.def("diagonal", LT_METHOD(diagonal), py::arg("input"), py::arg("offset") = 0, py::arg("dim1") = 0,
        py::arg("dim2") = 1);
  m.def("as_strided", [](const Tensor& t, py::handle size, py::handle stride, std::optional<int64_t> offset) {
    return t.as_strided(shape_from(size, "as_strided"), shape_from(stride, "as_strided"), offset);
  }, py::arg("input"), py::arg("size"), py::arg("stride"), py::arg("storage_offset") = py::none());
  m.def("clone", [](const Tensor& t, py::object) { return t.clone(); }, py::arg("input"),
        py::arg("memory_format") = py::none());
  m.def("numel", LT_METHOD(numel), py::arg("input"));
  m.def("is_tensor", [](py::handle h) { return is_tensor(h); }, py::arg("obj"));
  m.def("is_floating_point", LT_METHOD(is_floating_point), py::arg("input"));
  m.def("_check_device", [](const Device& d, const char* op) { check_device(d, op); });
  return cls;
}

}  // namespace lt::python
