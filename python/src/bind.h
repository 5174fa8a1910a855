// What every file of the bindings shares: the conversions between Python objects and
// libtensor's values (numbers, dtypes, devices, shapes), and the helpers that keep
// bindings short (keyword checks, out=, in-place writes, releasing the GIL).
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "libtensor/libtensor.h"

namespace lt::python {

namespace py = pybind11;

// --- dtypes and devices as Python objects ----------------------------------------------
// lt.float32 and friends: one object per dtype, so `t.dtype is lt.float32` holds.
struct DTypeObject {
  DType value;
};
py::handle dtype_object(DType t);
// lt.float32, or Python's float / int / bool as PyTorch accepts them.
bool dtype_from(py::handle h, DType& out);

struct DeviceObject {
  Device value;
};
// A device object or a string such as "cpu" or "cuda:0".
bool device_from(py::handle h, Device& out);
// Python's "cuda" is the build's GPU device type: ROCm in a ROCm build, as in PyTorch,
// where ROCm tensors report the device type "cuda" too.
DeviceType gpu_device_type();
Device device_from_spec(const std::string& spec);  // "cpu", "cuda:1", "rocm", ...
std::string device_str(Device d);                  // "cpu", "cuda:0" (ROCm included)

// --- numbers ---------------------------------------------------------------------------
// Python bool, int and float and numpy scalars are numbers; tensors are not.
bool scalar_from(py::handle h, Scalar& out);
py::object scalar_to_python(const Scalar& s);

// --- tensors ---------------------------------------------------------------------------
bool is_tensor(py::handle h);
Tensor& tensor_ref(py::handle h);  // h must be a tensor
py::object wrap(Tensor t);         // a new Python tensor object

// Refuses devices this build has no backend for, saying so.
void check_device(Device d, const char* op);

// Refuses a number that the integral dtype `t` cannot hold (full, fill_, randint's
// bounds), as PyTorch does, rather than wrapping it.
void check_fits(const Scalar& s, DType t, const char* op);

// --- shapes ----------------------------------------------------------------------------
// `f(2, 3)`, `f((2, 3))` and `f([2, 3])`: sizes as varargs or as one sequence.
Shape shape_from_args(const py::args& args, const char* op);
Shape shape_from(py::handle h, const char* op);
// Shapes come back as lt.Size (a tuple subclass defined in Python).
py::object size_object(IntList shape);
void set_size_type(py::object type);

// A list or tuple of tensors (cat's `tensors`), TypeError otherwise; parts as a tuple.
std::vector<Tensor> tensors_from(py::handle seq, const char* op);
py::tuple tuple_of(const std::vector<Tensor>& parts);
// An int or a sequence of ints.
Shape ints_from(py::handle h, const char* op);

// --- methods ---------------------------------------------------------------------------
// A const member function of Tensor as a function of `const Tensor&`. pybind11 would bind
// a member pointer through a pointer argument that takes None as a null `this`.
template <auto Member>
struct Method;
template <class R, class... A, R (Tensor::*Member)(A...) const>
struct Method<Member> {
  static R call(const Tensor& t, A... args) { return (t.*Member)(args...); }
};
#define LT_METHOD(name) &::lt::python::Method<&::lt::Tensor::name>::call

// --- keyword arguments -----------------------------------------------------------------
// Reads the keyword arguments of functions that take **kwargs, refusing unknown ones
// with PyTorch's TypeError.
class Kwargs {
 public:
  Kwargs(const py::kwargs& kwargs, const char* op, std::initializer_list<const char*> allowed);
  py::handle get(const char* name) const;
  std::optional<DType> dtype() const;
  Device device() const;
  bool requires_grad() const;

 private:
  const py::kwargs& kwargs_;
  const char* op_;
};

// --- results ---------------------------------------------------------------------------
// Writes `result` into `out` as PyTorch's out= does: cast into out's dtype where allowed,
// resizing out when its shape differs.
Tensor write_out(const char* op, const Tensor& result, Tensor out);
// torch.return_types.<type_name>: a named tuple (values, indices).
py::object values_indices(const char* type_name, std::tuple<Tensor, Tensor> r);
// Writes `result` (computed out of place from self) into self, recorded for autograd.
Tensor& assign(const char* op, Tensor& self, const Tensor& result);

// Kernels on large tensors run without the GIL, so other Python threads go on meanwhile;
// small ones keep it, since handing it over costs more than they take.
class ReleaseGil {
 public:
  explicit ReleaseGil(int64_t work) {
    if (work >= kThreshold) release_.emplace();
  }
  static constexpr int64_t kThreshold = 1 << 15;

 private:
  std::optional<py::gil_scoped_release> release_;
};

// Sets the Python error for the exception being handled (call inside a catch block), for
// functions called by Python without pybind11's dispatcher.
void set_python_error();

// Runs f (which must not touch Python objects) without the GIL when the work is large.
template <class F>
auto without_gil(int64_t work, F&& f) {
  ReleaseGil release(work);
  return f();
}

// --- module sections -------------------------------------------------------------------
void init_autocast(py::module_& m);
void init_deterministic(py::module_& m);
void init_errors(py::module_& m);
void init_types(py::module_& m);
py::class_<Tensor> init_tensor(py::module_& m);
void init_operators(py::module_& m, py::class_<Tensor>& cls);
void init_math(py::module_& m, py::class_<Tensor>& cls);
void init_shape(py::module_& m, py::class_<Tensor>& cls);
void init_indexed(py::module_& m, py::class_<Tensor>& cls);
void init_nn(py::module_& m);
void init_sorting(py::module_& m, py::class_<Tensor>& cls);
void init_factories(py::module_& m, py::class_<Tensor>& cls);
void init_indexing(py::module_& m, py::class_<Tensor>& cls);
void init_numpy(py::module_& m, py::class_<Tensor>& cls);
void init_dlpack(py::module_& m, py::class_<Tensor>& cls);
void init_autograd(py::module_& m, py::class_<Tensor>& cls);
void init_fast_paths(py::module_& m, py::class_<Tensor>& cls);
void init_cuda(py::module_& m);
void init_serialization(py::module_& m);
void init_compositions(py::module_& m, py::class_<Tensor>& cls);
void init_linalg(py::module_& m, py::class_<Tensor>& cls);

}  // namespace lt::python

namespace pybind11::detail {

template <>
struct type_caster<lt::DType> {
  PYBIND11_TYPE_CASTER(lt::DType, const_name("libtensor.dtype"));
  bool load(handle src, bool) { return lt::python::dtype_from(src, value); }
  static handle cast(lt::DType t, return_value_policy, handle) { return lt::python::dtype_object(t).inc_ref(); }
};

template <>
struct type_caster<lt::Device> {
  PYBIND11_TYPE_CASTER(lt::Device, const_name("libtensor.device"));
  bool load(handle src, bool) { return lt::python::device_from(src, value); }
  static handle cast(lt::Device d, return_value_policy, handle) {
    return pybind11::cast(lt::python::DeviceObject{d}).release();
  }
};

template <>
struct type_caster<lt::Scalar> {
  PYBIND11_TYPE_CASTER(lt::Scalar, const_name("Number"));
  bool load(handle src, bool) { return lt::python::scalar_from(src, value); }
  static handle cast(const lt::Scalar& s, return_value_policy, handle) {
    return lt::python::scalar_to_python(s).release();
  }
};

}  // namespace pybind11::detail
