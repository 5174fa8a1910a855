// Unary operators, reductions, where / clamp / lerp and the matrix products, each as a
// function and a method (with an in-place form where PyTorch has one).
#include "bind.h"

namespace lt::python {

py::object values_indices(const char* type_name, std::tuple<Tensor, Tensor> r) {
  // torch.return_types.max and friends: named tuples of (values, indices).
  static py::handle namedtuple = py::object(py::module_::import("collections").attr("namedtuple")).release();
  static std::map<std::string, py::handle> types;
  auto& type = types[type_name];
  if (!type) type = namedtuple(type_name, py::make_tuple("values", "indices")).release();
  return type(std::get<0>(r), std::get<1>(r));
}

namespace {

// Dims given as None, an int or a sequence of ints.
Shape dims_from(py::handle h, const char* op) {
  if (!h || h.is_none()) return {};
  return shape_from(h, op);
}

template <class F>
void def_unary(py::module_& m, py::class_<Tensor>& cls, const char* name, F f) {
  m.def(name, [f, name](const Tensor& x, std::optional<Tensor> out) {
    Tensor r;
    {
      ReleaseGil release(x.numel());
      r = f(x);
    }
    return out ? write_out(name, r, *out) : r;
  }, py::arg("input"), py::kw_only(), py::arg("out") = py::none());
  cls.def(name, [f](const Tensor& x) {
    ReleaseGil release(x.numel());
    return f(x);
  });
  // PyTorch has no in-place form of the predicates.
  if (std::string_view(name).starts_with("is")) return;
  static std::vector<std::string> names;
  const char* inplace_name = names.emplace_back(std::string(name) + "_").c_str();
  cls.def(inplace_name, [f, inplace_name](py::object self) {
    Tensor& t = tensor_ref(self);
    assign(inplace_name, t, f(t));
    return self;
  });
  m.def(inplace_name, [f, inplace_name](Tensor& t) -> Tensor& { return assign(inplace_name, t, f(t)); },
        py::arg("input"));
}

// max / min: over everything, along a dim (values and indices), or elementwise.
template <class All, class Dim, class Elementwise>
void def_extreme(py::module_& m, py::class_<Tensor>& cls, const char* name, All all, Dim along, Elementwise pair) {
  auto fn = [=](const Tensor& x, py::handle dim, bool keepdim) -> py::object {
    if (!dim || dim.is_none()) return wrap(all(x));
    if (is_tensor(dim)) return wrap(pair(x, tensor_ref(dim)));
    return values_indices(name, along(x, dim.cast<int64_t>(), keepdim));
  };
  m.def(name, fn, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false);
  cls.def(name, fn, py::arg("dim") = py::none(), py::arg("keepdim") = false);
}

// var and std: PyTorch's (dim, unbiased, keepdim) and (dim, *, correction, keepdim);
// var_mean and std_mean (functions only, as in PyTorch) return a pair.
template <class F>
void def_moment(py::module_& m, py::class_<Tensor>* cls, const char* name, F f) {
  auto fn = [f, name](const Tensor& x, py::handle dim, py::object unbiased, bool keepdim, py::object correction) {
    double c = 1;
    if (!correction.is_none()) c = correction.cast<double>();
    else if (!unbiased.is_none()) c = unbiased.cast<bool>() ? 1 : 0;
    // var(x, False) passes unbiased positionally.
    if (PyBool_Check(dim.ptr())) return f(x, Shape{}, dim.cast<bool>() ? 1.0 : 0.0, keepdim);
    return f(x, dims_from(dim, name), c, keepdim);
  };
  m.def(name, fn, py::arg("input"), py::arg("dim") = py::none(), py::arg("unbiased") = py::none(),
        py::arg("keepdim") = false, py::kw_only(), py::arg("correction") = py::none());
  if (!cls) return;
  cls->def(name, fn, py::arg("dim") = py::none(), py::arg("unbiased") = py::none(), py::arg("keepdim") = false,
           py::kw_only(), py::arg("correction") = py::none());
}

std::optional<Scalar> bound(py::handle h, const char* which) {
  if (!h || h.is_none()) return std::nullopt;
  Scalar s;
  if (!scalar_from(h, s)) {
    if (is_tensor(h) && tensor_ref(h).numel() == 1) return tensor_ref(h).item();
    throw py::type_error(std::string("clamp(): argument '") + which + "' must be Number");
  }
  return s;
}

Tensor where3(const Tensor& c, py::handle a, py::handle b) {
  Scalar sa, sb;
  bool ta = is_tensor(a), tb = is_tensor(b);
  if (ta && tb) return where(c, tensor_ref(a), tensor_ref(b));
  if (ta && scalar_from(b, sb)) return where(c, tensor_ref(a), sb);
  if (tb && scalar_from(a, sa)) return where(c, sa, tensor_ref(b));
  if (scalar_from(a, sa) && scalar_from(b, sb)) {
    DType t = result_type({sa, sb});
    return where(c, scalar_tensor(sa, t, c.device()), scalar_tensor(sb, t, c.device()));
  }
  throw py::type_error("where(): arguments 'input' and 'other' must be Tensors or Numbers");
}

}  // namespace

void init_math(py::module_& m, py::class_<Tensor>& cls) {
#define LT_PY_UNARY(op) def_unary(m, cls, #op, [](const Tensor& x) { return lt::op(x); });
  LT_UNARY_OPS(LT_PY_UNARY)
#undef LT_PY_UNARY
  // round takes decimals=: its bindings replace the plain unary ones.
  py::delattr(m, "round");
  py::delattr(cls, "round");
  py::delattr(cls, "round_");
  m.def("round", [](const Tensor& x, int64_t decimals, std::optional<Tensor> out) {
    Tensor r = without_gil(x.numel(), [&] { return lt::round(x, decimals); });
    return out ? write_out("round", r, *out) : r;
  }, py::arg("input"), py::kw_only(), py::arg("decimals") = 0, py::arg("out") = py::none());
  cls.def("round", [](const Tensor& x, int64_t decimals) {
    return without_gil(x.numel(), [&] { return lt::round(x, decimals); });
  }, py::kw_only(), py::arg("decimals") = 0);
  cls.def("round_", [](py::object self, int64_t decimals) {
    Tensor& t = tensor_ref(self);
    assign("round_", t, lt::round(t, decimals));
    return self;
  }, py::kw_only(), py::arg("decimals") = 0);
  m.def("polygamma", [](int64_t n, const Tensor& x, std::optional<Tensor> out) {
    Tensor r = without_gil(x.numel(), [&] { return lt::polygamma(n, x); });
    return out ? write_out("polygamma", r, *out) : r;
  }, py::arg("n"), py::arg("input"), py::kw_only(), py::arg("out") = py::none());
  cls.def("polygamma", [](const Tensor& x, int64_t n) { return lt::polygamma(n, x); }, py::arg("n"));
  cls.def("polygamma_", [](py::object self, int64_t n) {
    Tensor& t = tensor_ref(self);
    assign("polygamma_", t, lt::polygamma(n, t));
    return self;
  }, py::arg("n"));
  auto nan_to_num = [](const Tensor& x, std::optional<double> nan, std::optional<double> posinf,
                       std::optional<double> neginf) { return lt::nan_to_num(x, nan.value_or(0.0), posinf, neginf); };
  m.def("nan_to_num", nan_to_num, py::arg("input"), py::arg("nan") = 0.0, py::arg("posinf") = py::none(),
        py::arg("neginf") = py::none());
  cls.def("nan_to_num", nan_to_num, py::arg("nan") = 0.0, py::arg("posinf") = py::none(),
          py::arg("neginf") = py::none());
  auto nan_to_num_ = [nan_to_num](py::object self, std::optional<double> nan, std::optional<double> posinf,
                                  std::optional<double> neginf) {
    Tensor& t = tensor_ref(self);
    assign("nan_to_num_", t, nan_to_num(t, nan, posinf, neginf));
    return self;
  };
  m.def("nan_to_num_", nan_to_num_, py::arg("input"), py::arg("nan") = 0.0, py::arg("posinf") = py::none(),
        py::arg("neginf") = py::none());
  cls.def("nan_to_num_", nan_to_num_, py::arg("nan") = 0.0, py::arg("posinf") = py::none(),
          py::arg("neginf") = py::none());

  // Reductions.
  auto sum = [](const Tensor& x, py::handle dim, bool keepdim, std::optional<DType> dtype) {
    Shape dims = dims_from(dim, "sum");
    return without_gil(x.numel(), [&] { return lt::sum(x, dims, keepdim, dtype); });
  };
  auto mean = [](const Tensor& x, py::handle dim, bool keepdim, std::optional<DType> dtype) {
    Shape dims = dims_from(dim, "mean");
    return without_gil(x.numel(), [&] { return lt::mean(x, dims, keepdim, dtype); });
  };
  for (auto [name, f] : {std::pair{"sum", +sum}, std::pair{"mean", +mean}}) {
    m.def(name, [f = f, name = name](const Tensor& x, py::handle dim, bool keepdim, std::optional<DType> dtype,
                                     std::optional<Tensor> out) {
      Tensor r = f(x, dim, keepdim, dtype);
      return out ? write_out(name, r, *out) : r;
    }, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
          py::arg("dtype") = py::none(), py::arg("out") = py::none());
    cls.def(name, f, py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
            py::arg("dtype") = py::none());
  }
  auto prod = [](const Tensor& x, std::optional<int64_t> dim, bool keepdim, std::optional<DType> dtype) {
    return dim ? lt::prod(x, {*dim}, keepdim, dtype) : lt::prod(x, {}, false, dtype);
  };
  m.def("prod", prod, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
        py::arg("dtype") = py::none());
  cls.def("prod", prod, py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
          py::arg("dtype") = py::none());
  auto reducer = [&](const char* name, Tensor (*f)(const Tensor&, IntList, bool)) {
    auto fn = [f, name](const Tensor& x, py::handle dim, bool keepdim) {
      Shape dims = dims_from(dim, name);
      return without_gil(x.numel(), [&] { return f(x, dims, keepdim); });
    };
    m.def(name, fn, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false);
    cls.def(name, fn, py::arg("dim") = py::none(), py::arg("keepdim") = false);
  };
  reducer("amax", lt::amax);
  reducer("amin", lt::amin);
  reducer("all", lt::all);
  reducer("any", lt::any);
  // Closeness: PyTorch's isclose, allclose and equal.
  m.def("isclose", &lt::isclose, py::arg("input"), py::arg("other"), py::arg("rtol") = 1e-5, py::arg("atol") = 1e-8,
        py::arg("equal_nan") = false);
  cls.def("isclose", &lt::isclose, py::arg("other"), py::arg("rtol") = 1e-5, py::arg("atol") = 1e-8,
          py::arg("equal_nan") = false);
  m.def("allclose", &lt::allclose, py::arg("input"), py::arg("other"), py::arg("rtol") = 1e-5, py::arg("atol") = 1e-8,
        py::arg("equal_nan") = false);
  cls.def("allclose", &lt::allclose, py::arg("other"), py::arg("rtol") = 1e-5, py::arg("atol") = 1e-8,
          py::arg("equal_nan") = false);
  m.def("equal", &lt::equal, py::arg("input"), py::arg("other"));
  cls.def("equal", &lt::equal, py::arg("other"));
  def_moment(m, &cls, "var", [](const Tensor& x, const Shape& d, double c, bool k) { return lt::var(x, d, c, k); });
  def_moment(m, &cls, "std", [](const Tensor& x, const Shape& d, double c, bool k) { return lt::std(x, d, c, k); });
  def_moment(m, nullptr, "var_mean",
             [](const Tensor& x, const Shape& d, double c, bool k) { return lt::var_mean(x, d, c, k); });
  def_moment(m, nullptr, "std_mean",
             [](const Tensor& x, const Shape& d, double c, bool k) { return lt::std_mean(x, d, c, k); });
  def_extreme(m, cls, "max", [](const Tensor& x) { return lt::max(x); },
              [](const Tensor& x, int64_t d, bool k) { return lt::max(x, d, k); },
              [](const Tensor& a, const Tensor& b) { return lt::maximum(a, b); });
  def_extreme(m, cls, "min", [](const Tensor& x) { return lt::min(x); },
              [](const Tensor& x, int64_t d, bool k) { return lt::min(x, d, k); },
              [](const Tensor& a, const Tensor& b) { return lt::minimum(a, b); });
  for (auto [name, f] : {std::pair{"argmax", &lt::argmax}, std::pair{"argmin", &lt::argmin}}) {
    m.def(name, f, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false);
    cls.def(name, f, py::arg("dim") = py::none(), py::arg("keepdim") = false);
  }

  // where, clamp, lerp.
  m.def("where", [](const Tensor& c, py::handle a, py::handle b) { return where3(c, a, b); }, py::arg("condition"),
        py::arg("input"), py::arg("other"));
  m.def("where", [](const Tensor& c) {
    Tensor nz = nonzero(c);
    py::tuple out(c.dim());
    for (int64_t d = 0; d < c.dim(); ++d) out[d] = nz.select(1, d).contiguous();
    return out;
  }, py::arg("condition"));
  cls.def("where", [](const Tensor& self, const Tensor& c, py::handle other) { return where3(c, py::cast(self), other); },
          py::arg("condition"), py::arg("other"));
  // A tensor bound makes both bounds tensors (a number beside it becomes a 0-dim one).
  auto clamp = [](const Tensor& x, py::handle min, py::handle max) {
    if (is_tensor(min) || is_tensor(max)) {
      auto as_tensor = [&x](py::handle h, const char* which) {
        if (h.is_none()) return Tensor();
        if (is_tensor(h)) return tensor_ref(h);
        return scalar_tensor(*bound(h, which), std::nullopt, x.device());
      };
      return lt::clamp(x, as_tensor(min, "min"), as_tensor(max, "max"));
    }
    auto lo = bound(min, "min"), hi = bound(max, "max");  // clip is clamp's alias, errors name clamp
    if (!lo && !hi) throw std::runtime_error("[clamp] at least one of 'min' or 'max' must not be None");
    return lt::clamp(x, lo, hi);
  };
  for (const char* name : {"clamp", "clip"}) {
    m.def(name, [clamp](const Tensor& x, py::handle min, py::handle max, std::optional<Tensor> out) {
      Tensor r = clamp(x, min, max);
      return out ? write_out("clamp", r, *out) : r;
    }, py::arg("input"), py::arg("min") = py::none(), py::arg("max") = py::none(), py::kw_only(),
          py::arg("out") = py::none());
    cls.def(name, clamp, py::arg("min") = py::none(), py::arg("max") = py::none());
    cls.def((std::string(name) + "_").c_str(), [clamp](py::object self, py::handle min, py::handle max) {
      Tensor& t = tensor_ref(self);
      assign("clamp_", t, clamp(t, min, max));
      return self;
    }, py::arg("min") = py::none(), py::arg("max") = py::none());
  }
  m.def("clamp_min", [](const Tensor& x, const Scalar& v) { return lt::clamp_min(x, v); }, py::arg("input"),
        py::arg("min"));
  m.def("clamp_max", [](const Tensor& x, const Scalar& v) { return lt::clamp_max(x, v); }, py::arg("input"),
        py::arg("max"));
  cls.def("clamp_min", [](const Tensor& x, const Scalar& v) { return lt::clamp_min(x, v); }, py::arg("min"));
  cls.def("clamp_max", [](const Tensor& x, const Scalar& v) { return lt::clamp_max(x, v); }, py::arg("max"));
  // Tensor bounds, overloads beside the number ones.
  m.def("clamp_min", [](const Tensor& x, const Tensor& v) { return lt::clamp(x, v, Tensor()); }, py::arg("input"),
        py::arg("min"));
  m.def("clamp_max", [](const Tensor& x, const Tensor& v) { return lt::clamp(x, Tensor(), v); }, py::arg("input"),
        py::arg("max"));
  cls.def("clamp_min", [](const Tensor& x, const Tensor& v) { return lt::clamp(x, v, Tensor()); }, py::arg("min"));
  cls.def("clamp_max", [](const Tensor& x, const Tensor& v) { return lt::clamp(x, Tensor(), v); }, py::arg("max"));
  // In place, with a number or a tensor bound.
  for (auto [name, is_min] : {std::pair{"clamp_min_", true}, {"clamp_max_", false}}) {
    cls.def(name, [name = name, is_min = is_min](py::object self, py::handle bound) {
      Tensor& t = tensor_ref(self);
      Scalar s;
      Tensor r;
      if (is_tensor(bound)) {
        r = is_min ? lt::clamp(t, tensor_ref(bound), Tensor()) : lt::clamp(t, Tensor(), tensor_ref(bound));
      } else if (scalar_from(bound, s)) {
        r = is_min ? lt::clamp_min(t, s) : lt::clamp_max(t, s);
      } else {
        throw py::type_error(std::string(name) + "(): the bound must be a Tensor or a Number");
      }
      assign(name, t, r);
      return self;
    }, py::arg(is_min ? "min" : "max"));
  }
  auto lerp = [](const Tensor& a, const Tensor& b, py::handle w) {
    Scalar s;
    if (is_tensor(w)) return lt::lerp(a, b, tensor_ref(w));
    if (scalar_from(w, s)) return lt::lerp(a, b, s);
    throw py::type_error("lerp(): argument 'weight' must be Tensor or Number");
  };
  m.def("lerp", lerp, py::arg("input"), py::arg("end"), py::arg("weight"));
  cls.def("lerp", lerp, py::arg("end"), py::arg("weight"));
  cls.def("lerp_", [lerp](py::object self, const Tensor& end, py::handle w) {
    Tensor& t = tensor_ref(self);
    assign("lerp_", t, lerp(t, end, w));
    return self;
  }, py::arg("end"), py::arg("weight"));
  auto flip = [](const Tensor& x, py::args dims, py::kwargs kwargs) {
    Kwargs kw(kwargs, "flip", {"dims"});
    return lt::flip(x, kw.get("dims") ? shape_from(kw.get("dims"), "flip") : shape_from_args(dims, "flip"));
  };
  m.def("flip", [](const Tensor& x, py::handle dims) { return lt::flip(x, shape_from(dims, "flip")); },
        py::arg("input"), py::arg("dims"));
  cls.def("flip", flip);
  m.def("result_type", [](py::handle a, py::handle b) {
    Scalar sa, sb;
    bool ta = is_tensor(a), tb = is_tensor(b);
    if (ta && tb) return result_type({tensor_ref(a), tensor_ref(b)});
    if (ta && scalar_from(b, sb)) return result_type({tensor_ref(a), sb});
    if (tb && scalar_from(a, sa)) return result_type({sa, tensor_ref(b)});
    if (scalar_from(a, sa) && scalar_from(b, sb)) return result_type({sa, sb});
    throw py::type_error("result_type(): arguments must be Tensors or Numbers");
  }, py::arg("tensor1"), py::arg("tensor2"));

  // Matrix products.
  auto matmul = [](const Tensor& a, const Tensor& b) {
    ReleaseGil release(a.numel() * (b.dim() ? b.size(-1) : 1));
    return lt::matmul(a, b);
  };
  m.def("matmul", [matmul](const Tensor& a, const Tensor& b, std::optional<Tensor> out) {
    Tensor r = matmul(a, b);
    return out ? write_out("matmul", r, *out) : r;
  }, py::arg("input"), py::arg("other"), py::kw_only(), py::arg("out") = py::none());
  cls.def("matmul", matmul, py::arg("other"));
  cls.def("__matmul__", [matmul](const Tensor& a, py::handle b) -> py::object {
    if (!is_tensor(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
    return wrap(matmul(a, tensor_ref(b)));
  }, py::is_operator());
  cls.def("__rmatmul__", [matmul](const Tensor& b, py::handle a) -> py::object {
    if (!is_tensor(a)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
    return wrap(matmul(tensor_ref(a), b));
  }, py::is_operator());
  // Products of two operands: (name, function, method argument name).
  using Product = Tensor (*)(const Tensor&, const Tensor&);
  const std::tuple<const char*, Product, const char*, const char*> products[] = {
      {"mm", &lt::mm, "mat2", "mat2"}, {"bmm", &lt::bmm, "mat2", "batch2"}, {"mv", &lt::mv, "vec", "vec"},
      {"dot", &lt::dot, "other", "other"}, {"outer", &lt::outer, "vec2", "vec2"}};
  for (auto [name, f, arg, method_arg] : products) {
    auto run = [f = f](const Tensor& a, const Tensor& b) {
      ReleaseGil release(a.numel() * (b.dim() > 0 ? b.size(-1) : 1));
      return f(a, b);
    };
    m.def(name, [run, name = name](const Tensor& a, const Tensor& b, std::optional<Tensor> out) {
      Tensor r = run(a, b);
      return out ? write_out(name, r, *out) : r;
    }, py::arg("input"), py::arg(arg), py::kw_only(), py::arg("out") = py::none());
    cls.def(name, run, py::arg(method_arg));
  }
  m.attr("ger") = m.attr("outer");
  cls.attr("ger") = cls.attr("outer");
  // beta * input + alpha * product.
  using ScaledProduct = Tensor (*)(const Tensor&, const Tensor&, const Tensor&, const Scalar&, const Scalar&);
  const std::tuple<const char*, ScaledProduct, const char*, const char*> scaled[] = {
      {"addmm", &lt::addmm, "mat1", "mat2"}, {"baddbmm", &lt::baddbmm, "batch1", "batch2"}};
  for (auto [name, f, arg1, arg2] : scaled) {
    auto run = [f = f](const Tensor& x, const Tensor& a, const Tensor& b, const Scalar& beta, const Scalar& alpha) {
      ReleaseGil release(a.numel() * (b.dim() > 0 ? b.size(-1) : 1));
      return f(x, a, b, beta, alpha);
    };
    m.def(name, [run, name = name](const Tensor& x, const Tensor& a, const Tensor& b, const Scalar& beta,
                                   const Scalar& alpha, std::optional<Tensor> out) {
      Tensor r = run(x, a, b, beta, alpha);
      return out ? write_out(name, r, *out) : r;
    }, py::arg("input"), py::arg(arg1), py::arg(arg2), py::kw_only(), py::arg("beta") = 1, py::arg("alpha") = 1,
          py::arg("out") = py::none());
    cls.def(name, run, py::arg(arg1), py::arg(arg2), py::kw_only(), py::arg("beta") = 1, py::arg("alpha") = 1);
    static std::vector<std::string> names;
    const char* inplace = names.emplace_back(std::string(name) + "_").c_str();
    cls.def(inplace, [run, inplace](py::object self, const Tensor& a, const Tensor& b, const Scalar& beta,
                                    const Scalar& alpha) {
      Tensor& t = tensor_ref(self);
      assign(inplace, t, run(t, a, b, beta, alpha));
      return self;
    }, py::arg(arg1), py::arg(arg2), py::kw_only(), py::arg("beta") = 1, py::arg("alpha") = 1);
  }
  // Activations: private entry points of libtensor.nn.functional, which adds PyTorch's
  // signatures (inplace=, dim defaults).
  auto unary_nn = [&m](const char* name, Tensor (*f)(const Tensor&)) {
    m.def(name, [f](const Tensor& x) { return without_gil(x.numel(), [&] { return f(x); }); }, py::arg("input"));
  };
  unary_nn("_silu", &lt::silu);
  unary_nn("_mish", &lt::mish);
  unary_nn("_selu", &lt::selu);
  unary_nn("_hardswish", &lt::hardswish);
  unary_nn("_logsigmoid", &lt::logsigmoid);
  m.def("_gelu", [](const Tensor& x, const std::string& approximate) {
    return without_gil(x.numel(), [&] { return lt::gelu(x, approximate); });
  }, py::arg("input"), py::arg("approximate") = "none");
  m.def("_softplus", [](const Tensor& x, const Scalar& beta, const Scalar& threshold) {
    return without_gil(x.numel(), [&] { return lt::softplus(x, beta, threshold); });
  }, py::arg("input"), py::arg("beta") = 1, py::arg("threshold") = 20);
  m.def("_leaky_relu", [](const Tensor& x, const Scalar& slope) {
    return without_gil(x.numel(), [&] { return lt::leaky_relu(x, slope); });
  }, py::arg("input"), py::arg("negative_slope") = 0.01);
  m.def("_elu", [](const Tensor& x, const Scalar& alpha, const Scalar& scale, const Scalar& input_scale) {
    return without_gil(x.numel(), [&] { return lt::elu(x, alpha, scale, input_scale); });
  }, py::arg("input"), py::arg("alpha") = 1, py::arg("scale") = 1, py::arg("input_scale") = 1);
  m.def("_hardtanh", [](const Tensor& x, const Scalar& min, const Scalar& max) {
    return without_gil(x.numel(), [&] { return lt::hardtanh(x, min, max); });
  }, py::arg("input"), py::arg("min_val") = -1, py::arg("max_val") = 1);
  m.def("_layer_norm", [](const Tensor& x, py::handle shape, std::optional<Tensor> w, std::optional<Tensor> b,
                          double eps) {
    Shape normalized = shape_from(shape, "layer_norm");
    return without_gil(x.numel(), [&] { return lt::layer_norm(x, normalized, w, b, eps); });
  }, py::arg("input"), py::arg("normalized_shape"), py::arg("weight") = py::none(), py::arg("bias") = py::none(),
        py::arg("eps") = 1e-5);
  m.def("_rms_norm", [](const Tensor& x, py::handle shape, std::optional<Tensor> w, std::optional<double> eps) {
    Shape normalized = shape_from(shape, "rms_norm");
    return without_gil(x.numel(), [&] { return lt::rms_norm(x, normalized, w, eps); });
  }, py::arg("input"), py::arg("normalized_shape"), py::arg("weight") = py::none(), py::arg("eps") = py::none());
  // Losses: private entry points of libtensor.nn.functional (which maps PyTorch's legacy
  // size_average / reduce arguments onto reduction).
  using Pair = Tensor (*)(const Tensor&, const Tensor&, std::string_view);
  for (auto [name, f] : {std::pair<const char*, Pair>{"_mse_loss", &lt::mse_loss}, {"_l1_loss", &lt::l1_loss}}) {
    m.def(name, [f = f](const Tensor& x, const Tensor& t, const std::string& reduction) {
      return without_gil(x.numel(), [&] { return f(x, t, reduction); });
    }, py::arg("input"), py::arg("target"), py::arg("reduction") = "mean");
  }
  m.def("_smooth_l1_loss", [](const Tensor& x, const Tensor& t, const std::string& reduction, double beta) {
    return without_gil(x.numel(), [&] { return lt::smooth_l1_loss(x, t, reduction, beta); });
  }, py::arg("input"), py::arg("target"), py::arg("reduction") = "mean", py::arg("beta") = 1.0);
  m.def("_huber_loss", [](const Tensor& x, const Tensor& t, const std::string& reduction, double delta) {
    return without_gil(x.numel(), [&] { return lt::huber_loss(x, t, reduction, delta); });
  }, py::arg("input"), py::arg("target"), py::arg("reduction") = "mean", py::arg("delta") = 1.0);
  m.def("_binary_cross_entropy", [](const Tensor& x, const Tensor& t, std::optional<Tensor> w,
                                    const std::string& reduction) {
    return without_gil(x.numel(), [&] { return lt::binary_cross_entropy(x, t, w, reduction); });
  }, py::arg("input"), py::arg("target"), py::arg("weight") = py::none(), py::arg("reduction") = "mean");
  m.def("_binary_cross_entropy_with_logits", [](const Tensor& x, const Tensor& t, std::optional<Tensor> w,
                                                std::optional<Tensor> pos_weight, const std::string& reduction) {
    return without_gil(x.numel(), [&] { return lt::binary_cross_entropy_with_logits(x, t, w, pos_weight, reduction); });
  }, py::arg("input"), py::arg("target"), py::arg("weight") = py::none(), py::arg("pos_weight") = py::none(),
        py::arg("reduction") = "mean");
  m.def("_kl_div", [](const Tensor& x, const Tensor& t, const std::string& reduction, bool log_target) {
    return without_gil(x.numel(), [&] { return lt::kl_div(x, t, reduction, log_target); });
  }, py::arg("input"), py::arg("target"), py::arg("reduction") = "mean", py::arg("log_target") = false);
  m.def("_nll_loss", [](const Tensor& x, const Tensor& t, std::optional<Tensor> w, int64_t ignore_index,
                        const std::string& reduction) {
    return without_gil(x.numel(), [&] { return lt::nll_loss(x, t, w, ignore_index, reduction); });
  }, py::arg("input"), py::arg("target"), py::arg("weight") = py::none(), py::arg("ignore_index") = -100,
        py::arg("reduction") = "mean");
  m.def("_cross_entropy", [](const Tensor& x, const Tensor& t, std::optional<Tensor> w, int64_t ignore_index,
                             const std::string& reduction, double label_smoothing) {
    return without_gil(x.numel(), [&] { return lt::cross_entropy(x, t, w, ignore_index, reduction, label_smoothing); });
  }, py::arg("input"), py::arg("target"), py::arg("weight") = py::none(), py::arg("ignore_index") = -100,
        py::arg("reduction") = "mean", py::arg("label_smoothing") = 0.0);
  // softmax family.
  using Softmax = Tensor (*)(const Tensor&, int64_t, std::optional<DType>);
  for (auto [name, f] : {std::pair<const char*, Softmax>{"softmax", &lt::softmax}, {"log_softmax", &lt::log_softmax}}) {
    auto run = [f = f](const Tensor& x, int64_t dim, std::optional<DType> dtype) {
      return without_gil(x.numel(), [&] { return f(x, dim, dtype); });
    };
    m.def(name, run, py::arg("input"), py::arg("dim"), py::arg("dtype") = py::none());
    cls.def(name, run, py::arg("dim"), py::arg("dtype") = py::none());
  }
  auto logsumexp = [](const Tensor& x, py::handle dim, bool keepdim) {
    Shape dims = dims_from(dim, "logsumexp");
    return without_gil(x.numel(), [&] { return lt::logsumexp(x, dims, keepdim); });
  };
  m.def("logsumexp", [logsumexp](const Tensor& x, py::handle dim, bool keepdim, std::optional<Tensor> out) {
    Tensor r = logsumexp(x, dim, keepdim);
    return out ? write_out("logsumexp", r, *out) : r;
  }, py::arg("input"), py::arg("dim"), py::arg("keepdim") = false, py::kw_only(), py::arg("out") = py::none());
  cls.def("logsumexp", logsumexp, py::arg("dim"), py::arg("keepdim") = false);
  m.def("_linear", [](const Tensor& x, const Tensor& w, std::optional<Tensor> b) {
    ReleaseGil release(x.numel() * (w.dim() > 0 ? w.size(0) : 1));
    return lt::linear(x, w, b);
  }, py::arg("input"), py::arg("weight"), py::arg("bias") = py::none());
  // einsum(equation, *operands) or einsum(equation, [operands]); not the sublist form.
  m.def("einsum", [](py::handle equation, py::args args) {
    if (!PyUnicode_Check(equation.ptr()))
      throw py::type_error("einsum(): the sublist format (operand, [subscripts], ...) is not supported; pass an equation string");
    std::vector<Tensor> operands;
    py::sequence items = args;
    if (args.size() == 1 && (PyList_Check(args[0].ptr()) || PyTuple_Check(args[0].ptr()))) items = args[0];
    for (py::handle h : items) {
      if (!is_tensor(h)) throw py::type_error("einsum(): operands must be Tensors");
      operands.push_back(tensor_ref(h));
    }
    const std::string eq = equation.cast<std::string>();
    return lt::einsum(eq, operands);
  }, py::arg("equation"));
  m.def("nonzero", [](const Tensor& x, bool as_tuple) -> py::object {
    Tensor nz = nonzero(x);
    if (!as_tuple) return wrap(nz);
    py::tuple out(std::max<int64_t>(x.dim(), 1));
    if (x.dim() == 0) out[0] = nz.reshape({-1});
    for (int64_t d = 0; d < x.dim(); ++d) out[d] = nz.select(1, d).contiguous();
    return out;
  }, py::arg("input"), py::kw_only(), py::arg("as_tuple") = false);
  cls.def("nonzero", [](py::handle self, bool as_tuple) {
    return py::module_::import("libtensor._C").attr("nonzero")(self, py::arg("as_tuple") = as_tuple);
  }, py::kw_only(), py::arg("as_tuple") = false);
}

}  // namespace lt::python
