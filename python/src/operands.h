// Calling a binary operator with a Python operand that may be a tensor or a number.
#pragma once

#include "bind.h"

namespace lt::python {

inline py::object not_implemented() { return py::reinterpret_borrow<py::object>(Py_NotImplemented); }

[[noreturn]] inline void bad_operand(const char* op, py::handle h) {
  throw py::type_error(std::string(op) + "(): argument 'other' must be Tensor or Number, not " +
                       std::string(py::str(py::type::of(h).attr("__name__"))));
}

// Neither operand of a function form (lt.add(a, b)) is a tensor, or the other is no number.
[[noreturn]] inline void bad_operands(const char* op, py::handle a, py::handle b) {
  if (!is_tensor(a) && !is_tensor(b))
    throw py::type_error(std::string(op) + "(): argument 'input' must be Tensor, not " +
                         std::string(py::str(py::type::of(a).attr("__name__"))));
  bad_operand(op, is_tensor(a) ? b : a);
}

// A number as a 0-dim tensor beside `t`, for operators that only take a number on their
// right. It keeps an integer's value (so that -3 / uint8 divides by -3, not by 253) and
// takes a float in the result's dtype, where a wider one would promote a 0-dim `t`.
inline Tensor number_beside(const Scalar& s, const Tensor& t) {
  DType common = result_type({t, s});
  // A bool stays bool, so that operators refusing bools (sub) see one.
  DType dtype = s.is_bool() ? DType::Bool : is_floating(common) ? common : s.dtype();
  return scalar_tensor(s, dtype, t.device());
}

// A numpy array operand (np.ones(2) + t) as a tensor sharing its memory, as PyTorch takes it.
inline bool array_operand(py::handle h, Tensor& out) {
  if (!PyObject_HasAttrString(h.ptr(), "__array_interface__") || is_tensor(h) || PyFloat_Check(h.ptr()) ||
      PyLong_Check(h.ptr()))
    return false;
  static py::handle as_tensor = py::object(py::module_::import("libtensor").attr("as_tensor")).release();
  out = tensor_ref(as_tensor(h));
  return true;
}

// Calls f(a, b) with b a tensor, a number or a numpy array; empty when b is none of them.
template <class F>
std::optional<Tensor> call(F&& f, const Tensor& a, py::handle b) {
  if (is_tensor(b)) {
    const Tensor& t = tensor_ref(b);
    ReleaseGil release(std::max(a.numel(), t.numel()));
    return f(a, t);
  }
  Scalar s;
  if (scalar_from(b, s)) {
    ReleaseGil release(a.numel());
    return f(a, s);
  }
  if (Tensor t; array_operand(b, t)) return f(a, t);
  return std::nullopt;
}

// f(number, tensor) for reflected operators, through a 0-dim tensor unless f takes a
// number on its left itself.
template <class F>
std::optional<Tensor> call_reflected(F&& f, const Tensor& b, py::handle a) {
  Scalar s;
  if (Tensor t; array_operand(a, t)) {
    if constexpr (std::is_invocable_v<F, const Tensor&, const Tensor&>) return f(t, b);
  }
  if (!scalar_from(a, s)) return std::nullopt;
  ReleaseGil release(b.numel());
  if constexpr (std::is_invocable_v<F, const Scalar&, const Tensor&>) {
    return f(s, b);
  } else {
    return f(number_beside(s, b), b);
  }
}

}  // namespace lt::python
