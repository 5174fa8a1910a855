// Binary operators: as functions (lt.add), methods (t.add, t.add_) and Python's
// operators (+, +=, reflected +), with Python numbers as weak operands.
//
// The operators are the hot path of every Python program, so each is bound with one
// signature and dispatches by hand: pybind11's overload resolution would try and fail
// conversions first.
#include "operands.h"

namespace lt::python {

namespace {

template <class F>
void def_dunders(py::class_<Tensor>& cls, F f, const char* dunder, const char* rdunder = nullptr,
                 const char* idunder = nullptr, const char* inplace = nullptr) {
  cls.def(dunder, [f](const Tensor& self, py::handle other) -> py::object {
    auto r = call(f, self, other);
    return r ? wrap(std::move(*r)) : not_implemented();
  }, py::is_operator());
  if (rdunder) {
    cls.def(rdunder, [f](const Tensor& self, py::handle other) -> py::object {
      auto r = call_reflected(f, self, other);
      return r ? wrap(std::move(*r)) : not_implemented();
    }, py::is_operator());
  }
  if (idunder) {
    cls.def(idunder, [f, inplace](py::object self, py::handle other) -> py::object {
      Tensor& t = tensor_ref(self);
      auto r = call(f, t, other);
      if (!r) return not_implemented();
      assign(inplace, t, *r);
      return self;
    }, py::is_operator());
  }
}

// lt.op(input, other, *, out=None) (either operand may be a number), t.op(other) and
// t.op_(other), plus Python's operators when named.
template <class F>
void def_binary(py::module_& m, py::class_<Tensor>& cls, const char* name, F f, const char* dunder = nullptr,
                const char* rdunder = nullptr, const char* idunder = nullptr) {
  static std::vector<std::string> names;  // the in-place names outlive the bindings
  const char* inplace = names.emplace_back(std::string(name) + "_").c_str();
  m.def(name, [f, name](py::handle a, py::handle b, std::optional<Tensor> out) -> Tensor {
    std::optional<Tensor> r;
    if (is_tensor(a)) r = call(f, tensor_ref(a), b);
    else if (is_tensor(b)) r = call_reflected(f, tensor_ref(b), a);
    if (!r) bad_operands(name, a, b);
    return out ? write_out(name, *r, *out) : *r;
  }, py::arg("input"), py::arg("other"), py::kw_only(), py::arg("out") = py::none());
  cls.def(name, [f, name](const Tensor& self, py::handle other) {
    auto r = call(f, self, other);
    if (!r) bad_operand(name, other);
    return *r;
  }, py::arg("other"));
  cls.def(inplace, [f, inplace](py::object self, py::handle other) {
    Tensor& t = tensor_ref(self);
    auto r = call(f, t, other);
    if (!r) bad_operand(inplace, other);
    assign(inplace, t, *r);
    return self;
  }, py::arg("other"));
  if (dunder) def_dunders(cls, f, dunder, rdunder, idunder, inplace);
}

// add and sub take alpha: a + alpha * b.
template <class F>
void def_alpha(py::module_& m, py::class_<Tensor>& cls, const char* name, F f) {
  auto with_alpha = [f](const Scalar& alpha) {
    return [f, alpha](const auto& a, const auto& b) { return f(a, b, alpha); };
  };
  m.def(name, [with_alpha, name](py::handle a, py::handle b, const Scalar& alpha, std::optional<Tensor> out) {
    std::optional<Tensor> r;
    if (is_tensor(a)) r = call(with_alpha(alpha), tensor_ref(a), b);
    else if (is_tensor(b)) r = call_reflected([&](const Tensor& x, const Tensor& y) { return with_alpha(alpha)(x, y); },
                                              tensor_ref(b), a);
    if (!r) bad_operands(name, a, b);
    return out ? write_out(name, *r, *out) : *r;
  }, py::arg("input"), py::arg("other"), py::kw_only(), py::arg("alpha") = 1, py::arg("out") = py::none());
  cls.def(name, [with_alpha, name](const Tensor& self, py::handle other, const Scalar& alpha) {
    auto r = call(with_alpha(alpha), self, other);
    if (!r) bad_operand(name, other);
    return *r;
  }, py::arg("other"), py::kw_only(), py::arg("alpha") = 1);
}

}  // namespace

void init_operators(py::module_& m, py::class_<Tensor>& cls) {
  auto add = [](const Tensor& a, const auto& b) { return lt::add(a, b); };
  auto sub = [](const Tensor& a, const auto& b) { return lt::sub(a, b); };
  def_alpha(m, cls, "add", [](const Tensor& a, const auto& b, const Scalar& alpha) { return lt::add(a, b, alpha); });
  def_alpha(m, cls, "sub", [](const Tensor& a, const auto& b, const Scalar& alpha) { return lt::sub(a, b, alpha); });
  def_dunders(cls, add, "__add__", "__radd__");
  def_dunders(cls, sub, "__sub__", "__rsub__");
  m.def("rsub", [](const Tensor& a, py::handle b, const Scalar& alpha) {
    auto r = call([&](const Tensor& x, const auto& y) { return lt::rsub(x, y, alpha); }, a, b);
    if (!r) bad_operand("rsub", b);
    return *r;
  }, py::arg("input"), py::arg("other"), py::kw_only(), py::arg("alpha") = 1);
  // The in-place arithmetic that optimizers run uses the core's own in-place kernels.
  cls.def("add_", [](py::object self, py::handle other, const Scalar& alpha) {
    Tensor& t = tensor_ref(self);
    Scalar s;
    if (is_tensor(other)) {
      const Tensor& o = tensor_ref(other);
      without_gil(t.numel(), [&] { return t.add_(o, alpha); });
    } else if (scalar_from(other, s)) {
      assign("add_", t, lt::add(t, s, alpha));
    } else {
      bad_operand("add_", other);
    }
    return self;
  }, py::arg("other"), py::kw_only(), py::arg("alpha") = 1);
  cls.def("__iadd__", [](py::object self, py::handle other) -> py::object {
    Tensor& t = tensor_ref(self);
    Scalar s;
    if (is_tensor(other)) {
      const Tensor& o = tensor_ref(other);
      without_gil(t.numel(), [&] { return t.add_(o); });
    } else if (scalar_from(other, s)) {
      without_gil(t.numel(), [&] { return t.add_(s); });
    } else {
      return not_implemented();
    }
    return self;
  }, py::is_operator());
  cls.def("sub_", [](py::object self, py::handle other, const Scalar& alpha) {
    Tensor& t = tensor_ref(self);
    Scalar s;
    if (is_tensor(other)) {
      const Tensor& o = tensor_ref(other);
      without_gil(t.numel(), [&] { return t.sub_(o, alpha); });
    } else if (scalar_from(other, s)) {
      assign("sub_", t, lt::sub(t, s, alpha));
    } else {
      bad_operand("sub_", other);
    }
    return self;
  }, py::arg("other"), py::kw_only(), py::arg("alpha") = 1);
  cls.def("__isub__", [](py::object self, py::handle other) -> py::object {
    Tensor& t = tensor_ref(self);
    Scalar s;
    if (is_tensor(other)) {
      const Tensor& o = tensor_ref(other);
      without_gil(t.numel(), [&] { return t.sub_(o); });
    } else if (scalar_from(other, s)) {
      assign("sub_", t, lt::sub(t, s));
    } else {
      return not_implemented();
    }
    return self;
  }, py::is_operator());
  def_binary(m, cls, "mul", [](const Tensor& a, const auto& b) { return lt::mul(a, b); }, "__mul__", "__rmul__",
             "__imul__");
  def_dunders(cls, [](const Tensor& a, const auto& b) { return lt::div(a, b); }, "__truediv__", "__rtruediv__",
              "__itruediv__", "div_");
  // div with rounding_mode.
  auto div_mode = [](const Tensor& a, py::handle b, std::optional<std::string> mode) {
    std::string md = mode.value_or("");
    auto r = call([&](const Tensor& x, const auto& y) { return lt::div(x, y, md); }, a, b);
    if (!r) bad_operand("div", b);
    return *r;
  };
  m.def("div", [div_mode](py::handle a, py::handle b, std::optional<std::string> rounding_mode,
                          std::optional<Tensor> out) {
    Tensor r;
    if (is_tensor(a)) {
      r = div_mode(tensor_ref(a), b, rounding_mode);
    } else {
      Scalar s;
      if (!is_tensor(b) || !scalar_from(a, s)) bad_operands("div", a, b);
      r = div_mode(number_beside(s, tensor_ref(b)), b, rounding_mode);
    }
    return out ? write_out("div", r, *out) : r;
  }, py::arg("input"), py::arg("other"), py::kw_only(), py::arg("rounding_mode") = py::none(),
        py::arg("out") = py::none());
  cls.def("div", div_mode, py::arg("other"), py::kw_only(), py::arg("rounding_mode") = py::none());
  cls.def("div_", [div_mode](py::object self, py::handle b, std::optional<std::string> rounding_mode) {
    Tensor& t = tensor_ref(self);
    assign("div_", t, div_mode(t, b, rounding_mode));
    return self;
  }, py::arg("other"), py::kw_only(), py::arg("rounding_mode") = py::none());

  def_binary(m, cls, "floor_divide", [](const Tensor& a, const auto& b) { return lt::floor_divide(a, b); },
             "__floordiv__", "__rfloordiv__", "__ifloordiv__");
  def_binary(m, cls, "remainder", [](const Tensor& a, const auto& b) { return lt::remainder(a, b); }, "__mod__",
             "__rmod__", "__imod__");
  def_binary(m, cls, "pow", [](const Tensor& a, const auto& b) { return lt::pow(a, b); }, "__pow__", "__rpow__",
             "__ipow__");
  def_binary(m, cls, "bitwise_and", [](const Tensor& a, const auto& b) { return lt::bitwise_and(a, b); }, "__and__",
             "__rand__", "__iand__");
  def_binary(m, cls, "bitwise_or", [](const Tensor& a, const auto& b) { return lt::bitwise_or(a, b); }, "__or__",
             "__ror__", "__ior__");
  def_binary(m, cls, "bitwise_xor", [](const Tensor& a, const auto& b) { return lt::bitwise_xor(a, b); }, "__xor__",
             "__rxor__", "__ixor__");
  def_binary(m, cls, "bitwise_left_shift", [](const Tensor& a, const auto& b) { return lt::bitwise_left_shift(a, b); },
             "__lshift__", "__rlshift__", "__ilshift__");
  def_binary(m, cls, "bitwise_right_shift",
             [](const Tensor& a, const auto& b) { return lt::bitwise_right_shift(a, b); }, "__rshift__", "__rrshift__",
             "__irshift__");
  def_binary(m, cls, "eq", [](const Tensor& a, const auto& b) { return lt::eq(a, b); }, "__eq__");
  def_binary(m, cls, "ne", [](const Tensor& a, const auto& b) { return lt::ne(a, b); }, "__ne__");
  def_binary(m, cls, "lt", [](const Tensor& a, const auto& b) { return lt::lt(a, b); }, "__lt__");
  def_binary(m, cls, "le", [](const Tensor& a, const auto& b) { return lt::le(a, b); }, "__le__");
  def_binary(m, cls, "gt", [](const Tensor& a, const auto& b) { return lt::gt(a, b); }, "__gt__");
  def_binary(m, cls, "ge", [](const Tensor& a, const auto& b) { return lt::ge(a, b); }, "__ge__");
  def_binary(m, cls, "fmod", [](const Tensor& a, const auto& b) { return lt::fmod(a, b); });
  def_binary(m, cls, "atan2", [](const Tensor& a, const auto& b) { return lt::atan2(a, b); });
  def_binary(m, cls, "maximum", [](const Tensor& a, const auto& b) -> Tensor {
    if constexpr (std::is_same_v<std::decay_t<decltype(b)>, Tensor>) return lt::maximum(a, b);
    else throw py::type_error("maximum(): argument 'other' must be Tensor, not Number");
  });
  def_binary(m, cls, "minimum", [](const Tensor& a, const auto& b) -> Tensor {
    if constexpr (std::is_same_v<std::decay_t<decltype(b)>, Tensor>) return lt::minimum(a, b);
    else throw py::type_error("minimum(): argument 'other' must be Tensor, not Number");
  });
  def_binary(m, cls, "copysign", [](const Tensor& a, const auto& b) { return lt::copysign(a, b); });
  def_binary(m, cls, "xlogy", [](const Tensor& a, const auto& b) { return lt::xlogy(a, b); });
  def_binary(m, cls, "hypot", [](const Tensor& a, const auto& b) -> Tensor {
    if constexpr (std::is_same_v<std::decay_t<decltype(b)>, Tensor>) return lt::hypot(a, b);
    else throw py::type_error("hypot(): argument 'other' must be Tensor, not Number");
  });
  def_binary(m, cls, "logical_and", [](const Tensor& a, const auto& b) { return lt::logical_and(a, b); });
  def_binary(m, cls, "logical_or", [](const Tensor& a, const auto& b) { return lt::logical_or(a, b); });
  def_binary(m, cls, "logical_xor", [](const Tensor& a, const auto& b) { return lt::logical_xor(a, b); });

  // PyTorch's other names for the same operators.
  const std::pair<const char*, const char*> aliases[] = {
      {"multiply", "mul"}, {"subtract", "sub"}, {"divide", "div"}, {"true_divide", "div"},
      {"greater", "gt"}, {"greater_equal", "ge"}, {"less", "lt"}, {"less_equal", "le"},
      {"not_equal", "ne"}, {"arctan2", "atan2"}};
  for (auto [alias, op] : aliases) {
    m.attr(alias) = m.attr(op);
    cls.attr(alias) = cls.attr(op);
    std::string inplace_op = std::string(op) + "_";
    if (py::hasattr(cls, inplace_op.c_str())) cls.attr((std::string(alias) + "_").c_str()) = cls.attr(inplace_op.c_str());
  }

  // Unary operators.
  cls.def("__neg__", [](const Tensor& t) { return lt::neg(t); })
      .def("__pos__", [](const Tensor& t) {
        LT_CHECK(t.dtype() != DType::Bool, DTypeError, "pos",
                 "the + operator on a bool tensor is not supported; if you are trying to invert a mask, use ~");
        return t;
      })
      .def("__abs__", [](const Tensor& t) { return lt::abs(t); })
      .def("__invert__", [](const Tensor& t) {
        if (!is_integral(t.dtype(), true))
          throw py::type_error("~ (operator.invert) is only implemented on integer and Boolean-type tensors");
        return ~t;
      });
}

}  // namespace lt::python
