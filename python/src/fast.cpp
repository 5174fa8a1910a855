// The hot path of Python programs (arithmetic operators, sum, backward) bound as plain
// CPython methods: Python calls them without pybind11's argument dispatch, which would
// otherwise cost more than the operator itself on small tensors.
//
// They replace methods of the same name bound with pybind11 earlier; calls that need
// the full signature (sum(dim=...), backward(gradient)) go on to those.
#include <array>

#include "operands.h"

namespace lt::python {

namespace {

template <class F, bool Reflected>
PyObject* binary(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
  try {
    if (nargs != 1) throw py::type_error("expected exactly one operand");
    const Tensor& a = tensor_ref(self);
    std::optional<Tensor> r = Reflected ? call_reflected(F{}, a, args[0]) : call(F{}, a, args[0]);
    if (!r) Py_RETURN_NOTIMPLEMENTED;
    return wrap(std::move(*r)).release().ptr();
  } catch (...) {
    set_python_error();
    return nullptr;
  }
}

struct Add {
  Tensor operator()(const Tensor& a, const auto& b) const { return lt::add(a, b); }
};
struct Sub {
  Tensor operator()(const Tensor& a, const auto& b) const { return lt::sub(a, b); }
  Tensor operator()(const Scalar& a, const Tensor& b) const { return lt::rsub(b, a); }
};
struct Mul {
  Tensor operator()(const Tensor& a, const auto& b) const { return lt::mul(a, b); }
};
struct Div {
  Tensor operator()(const Tensor& a, const auto& b) const { return lt::div(a, b); }
  Tensor operator()(const Scalar& a, const Tensor& b) const { return a / b; }
};

PyObject* neg(PyObject* self, PyObject*) {
  try {
    return wrap(lt::neg(tensor_ref(self))).release().ptr();
  } catch (...) {
    set_python_error();
    return nullptr;
  }
}

// The full binding, called as full(self, *args, **kwargs).
PyObject* call_full(PyObject* full, PyObject* self, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
  std::vector<PyObject*> all(static_cast<size_t>(1 + nargs + nkw));
  all[0] = self;
  for (Py_ssize_t i = 0; i < nargs + nkw; ++i) all[1 + i] = args[i];
  return PyObject_Vectorcall(full, all.data(), static_cast<size_t>(1 + nargs), kwnames);
}

bool no_arguments(size_t nargsf, PyObject* kwnames) {
  return PyVectorcall_NARGS(nargsf) == 0 && (!kwnames || PyTuple_GET_SIZE(kwnames) == 0);
}

// Methods whose common call takes no arguments; other calls go to the full binding.
enum Fallback { kSum, kMean, kBackward, kNumFallbacks };
std::array<PyObject*, kNumFallbacks> fallbacks{};

template <Fallback Which>
PyObject* no_args_fast(PyObject* self, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  if (!no_arguments(nargsf, kwnames)) return call_full(fallbacks[Which], self, args, nargsf, kwnames);
  try {
    const Tensor& t = tensor_ref(self);
    // Results are wrapped once the GIL is back.
    if constexpr (Which == kSum) {
      return wrap(without_gil(t.numel(), [&] { return lt::sum(t); })).release().ptr();
    } else if constexpr (Which == kMean) {
      return wrap(without_gil(t.numel(), [&] { return lt::mean(t); })).release().ptr();
    } else {
      {
        py::gil_scoped_release release;
        t.backward();
      }
      Py_RETURN_NONE;
    }
  } catch (...) {
    set_python_error();
    return nullptr;
  }
}

// Unary operators: t.tanh() and lt.tanh(t). Calls with more arguments (out=, round's
// decimals=, arguments that are not tensors, so that errors read the same) go to the
// full bindings.
template <Tensor (*F)(const Tensor&)>
struct Unary {
  static inline PyObject* fallback = nullptr;         // the function
  static inline PyObject* method_fallback = nullptr;  // the method

  static PyObject* run(PyObject* self) {
    try {
      const Tensor& t = tensor_ref(self);
      return wrap(without_gil(t.numel(), [&] { return F(t); })).release().ptr();
    } catch (...) {
      set_python_error();
      return nullptr;
    }
  }

  static PyObject* method(PyObject* self, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
    if (no_arguments(nargsf, kwnames)) return run(self);
    return call_full(method_fallback, self, args, nargsf, kwnames);
  }

  static PyObject* function(PyObject*, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs == 1 && !kwnames && is_tensor(args[0])) return run(args[0]);
    return PyObject_Vectorcall(fallback, args, nargsf, kwnames);
  }
};

// CPython stores every method as PyCFunction and calls it by its flags.
template <class Fn>
PyCFunction as_method(Fn* fn) {
  return reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fn));
}

PyMethodDef methods[] = {
    {"__add__", as_method(binary<Add, false>), METH_FASTCALL, nullptr},
    {"__radd__", as_method(binary<Add, true>), METH_FASTCALL, nullptr},
    {"__sub__", as_method(binary<Sub, false>), METH_FASTCALL, nullptr},
    {"__rsub__", as_method(binary<Sub, true>), METH_FASTCALL, nullptr},
    {"__mul__", as_method(binary<Mul, false>), METH_FASTCALL, nullptr},
    {"__rmul__", as_method(binary<Mul, true>), METH_FASTCALL, nullptr},
    {"__truediv__", as_method(binary<Div, false>), METH_FASTCALL, nullptr},
    {"__rtruediv__", as_method(binary<Div, true>), METH_FASTCALL, nullptr},
    {"__neg__", neg, METH_NOARGS, nullptr},
};

struct WithFallback {
  const char* name;
  Fallback which;
  PyMethodDef def;
};
WithFallback with_fallback[] = {
    {"sum", kSum, {"sum", as_method(no_args_fast<kSum>),
                   METH_FASTCALL | METH_KEYWORDS, nullptr}},
    {"mean", kMean, {"mean", as_method(no_args_fast<kMean>),
                     METH_FASTCALL | METH_KEYWORDS, nullptr}},
    {"backward", kBackward,
     {"backward", as_method(no_args_fast<kBackward>),
      METH_FASTCALL | METH_KEYWORDS, nullptr}},
};

void install(py::class_<Tensor>& cls, PyMethodDef* def) {
  auto* type = reinterpret_cast<PyTypeObject*>(cls.ptr());
  py::object descr = py::reinterpret_steal<py::object>(PyDescr_NewMethod(type, def));
  if (!descr) throw py::error_already_set();
  if (PyObject_SetAttrString(cls.ptr(), def->ml_name, descr.ptr()) < 0) throw py::error_already_set();
}

// The number slots of Tensor itself (a + b calls them directly, without looking up
// __add__). Subclasses defined in Python get CPython's generic slots, which call the
// methods above.
template <class F>
PyObject* number_slot(PyObject* a, PyObject* b) {
  if (is_tensor(a)) return binary<F, false>(a, &b, 1);
  return binary<F, true>(b, &a, 1);
}

void install_number_slots(py::class_<Tensor>& cls) {
  PyNumberMethods* n = reinterpret_cast<PyTypeObject*>(cls.ptr())->tp_as_number;
  n->nb_add = number_slot<Add>;
  n->nb_subtract = number_slot<Sub>;
  n->nb_multiply = number_slot<Mul>;
  n->nb_true_divide = number_slot<Div>;
  n->nb_negative = [](PyObject* a) { return neg(a, nullptr); };
  PyType_Modified(reinterpret_cast<PyTypeObject*>(cls.ptr()));
}

struct UnaryDefs {
  PyMethodDef method, function;
  PyObject **fallback, **method_fallback;
};

std::vector<UnaryDefs>& unary_defs() {
  static std::vector<UnaryDefs> defs = [] {
    std::vector<UnaryDefs> d;
#define LT_FAST_UNARY(op)                                                                               \
  d.push_back({{#op, as_method(Unary<&lt::op>::method), METH_FASTCALL | METH_KEYWORDS, nullptr},       \
               {#op, as_method(Unary<&lt::op>::function), METH_FASTCALL | METH_KEYWORDS, nullptr}, \
               &Unary<&lt::op>::fallback, &Unary<&lt::op>::method_fallback});
    LT_UNARY_OPS(LT_FAST_UNARY)
#undef LT_FAST_UNARY
    return d;
  }();
  return defs;
}

}  // namespace

void init_fast_paths(py::module_& m, py::class_<Tensor>& cls) {
  static std::vector<std::string> docs;  // docstrings must outlive the methods
  for (UnaryDefs& u : unary_defs()) {
    py::object method_full = cls.attr(u.method.ml_name), function_full = m.attr(u.function.ml_name);
    u.method.ml_doc = docs.emplace_back(py::str(method_full.attr("__doc__"))).c_str();
    u.function.ml_doc = docs.emplace_back(py::str(function_full.attr("__doc__"))).c_str();
    *u.fallback = function_full.release().ptr();  // both kept for the process's lifetime
    *u.method_fallback = method_full.release().ptr();
    install(cls, &u.method);
    py::object fn = py::reinterpret_steal<py::object>(PyCFunction_NewEx(&u.function, nullptr, m.attr("__name__").ptr()));
    if (!fn) throw py::error_already_set();
    m.attr(u.function.ml_name) = fn;
  }
  // PyTorch's other names for unary operators, bound to the fast forms.
  const std::pair<const char*, const char*> aliases[] = {{"absolute", "abs"}, {"negative", "neg"}, {"arcsin", "asin"},
                                                         {"arccos", "acos"}, {"arctan", "atan"}, {"arcsinh", "asinh"},
                                                         {"arccosh", "acosh"}, {"arctanh", "atanh"}, {"fix", "trunc"}};
  for (auto [alias, op] : aliases) {
    m.attr(alias) = m.attr(op);
    cls.attr(alias) = cls.attr(op);
    std::string inplace = std::string(op) + "_";
    cls.attr((std::string(alias) + "_").c_str()) = cls.attr(inplace.c_str());
    m.attr((std::string(alias) + "_").c_str()) = m.attr(inplace.c_str());
  }
  for (PyMethodDef& def : methods) install(cls, &def);
  install_number_slots(cls);
  for (WithFallback& f : with_fallback) {
    py::object full = cls.attr(f.name);
    fallbacks[f.which] = full.release().ptr();  // kept for the process's lifetime
    f.def.ml_doc = docs.emplace_back(py::str(py::handle(fallbacks[f.which]).attr("__doc__"))).c_str();
    install(cls, &f.def);
  }
}

}  // namespace lt::python
