// The operators composed of others (src/ops/stacking.cpp, rearranging.cpp,
// tensor_products.cpp, statistics.cpp, elementwise_compositions.cpp, and take,
// index_fill, isin, bucketize, tril_indices / triu_indices), as functions and methods
// with PyTorch's argument names.
#include <deque>
#include <type_traits>

#include "bind.h"

namespace lt::python {
namespace {

// f(x) / f(x, y), or f((x, y)): one tensor back for one tensor in, else a tuple.
py::object at_least(py::args args, const char* op, Tensor (*f)(const Tensor&)) {
  if (args.size() == 1 && is_tensor(args[0])) return wrap(f(tensor_ref(args[0])));
  const py::handle seq = args.size() == 1 ? args[0] : py::handle(args);
  std::vector<Tensor> ts = tensors_from(seq, op);
  for (Tensor& t : ts) t = f(t);
  return tuple_of(ts);
}

// Tensors given one by one, or as one list or tuple.
std::vector<Tensor> tensors_from_args(const py::args& args, const char* op) {
  if (args.size() == 1 && !is_tensor(args[0])) return tensors_from(args[0], op);
  return tensors_from(args, op);
}

// A number argument as a 0-dim tensor beside `like`, in the dtype the pair promotes to
// (a Python float beside a float64 tensor stays float64), or float64 without `like`.
Tensor tensor_or_number(py::handle h, const Tensor* like, const char* op, const char* arg) {
  if (is_tensor(h)) return tensor_ref(h);
  Scalar s;
  if (!scalar_from(h, s)) throw py::type_error(std::string(op) + "(): argument '" + arg + "' must be Tensor or Number");
  if (!like) return scalar_tensor(s, DType::Float64);
  return scalar_tensor(s, result_type({*like, s}), like->device());
}

std::vector<Tensor> split_by(const Tensor& x, py::handle how, int64_t dim) {
  if (PyLong_Check(how.ptr())) return lt::tensor_split(x, how.cast<int64_t>(), dim);
  if (is_tensor(how)) {
    const Tensor& t = tensor_ref(how);
    if (t.dim() == 0) return lt::tensor_split(x, t.item<int64_t>(), dim);
    const Tensor c = t.to(DType::Int64).to(kCPU).contiguous();
    return lt::tensor_split(x, IntList(c.data_ptr<int64_t>(), c.numel()), dim);
  }
  return lt::tensor_split(x, shape_from(how, "tensor_split"), dim);
}

// hsplit / vsplit / dsplit: a number of equal sections or the indices to split at.
py::tuple split_numpy_style(const Tensor& x, py::handle how, const char* op,
                            std::vector<Tensor> (*by_sections)(const Tensor&, int64_t),
                            std::vector<Tensor> (*by_indices)(const Tensor&, IntList)) {
  if (PyLong_Check(how.ptr())) return tuple_of(by_sections(x, how.cast<int64_t>()));
  return tuple_of(by_indices(x, shape_from(how, op)));
}

// quantile's q: a number, or a tensor of the input's dtype.
template <class Q>
Tensor quantile_of(Q f_tensor, Tensor (*f_number)(const Tensor&, double, std::optional<int64_t>, bool, std::string_view),
                   const Tensor& x, py::handle q, std::optional<int64_t> dim, bool keepdim, const std::string& how) {
  if (is_tensor(q)) return f_tensor(x, tensor_ref(q), dim, keepdim, how);
  Scalar number;
  if (!scalar_from(q, number) || number.is_bool()) throw py::type_error("quantile(): q must be a float or a Tensor");
  return f_number(x, number.to_double(), dim, keepdim, how);
}

// trapezoid's x or dx (not both); dx a number, 1 by default.
template <class FX, class FDX>
Tensor integrate(FX by_points, FDX by_spacing, const char* op, const Tensor& y, std::optional<Tensor> x,
                 py::handle dx, int64_t dim) {
  if (x && !dx.is_none()) throw py::type_error(std::string(op) + "(): pass x or dx, not both");
  if (x) return by_points(y, *x, dim);
  Scalar spacing = 1;
  if (!dx.is_none() && !scalar_from(dx, spacing)) throw py::type_error(std::string(op) + "(): dx must be a number");
  return by_spacing(y, spacing, dim);
}

// tensordot's dims: n, a pair of ints, or a pair of sequences.
Tensor tensordot_by(const Tensor& a, const Tensor& b, py::handle dims) {
  if (PyLong_Check(dims.ptr())) return lt::tensordot(a, b, dims.cast<int64_t>());
  py::sequence pair = py::reinterpret_borrow<py::sequence>(dims);
  if (pair.size() != 2) throw py::type_error("tensordot(): dims must be an int or a pair of dim lists");
  return lt::tensordot(a, b, ints_from(pair[0], "tensordot"), ints_from(pair[1], "tensordot"));
}

// Tensor.<name>_ from f(self, rest...): the result written back into self.
template <class F, class R, class... Rest>
auto inplace_form(F f, const char* name, R (F::*)(const Tensor&, Rest...) const) {
  return [f, name](py::object self, Rest... rest) {
    Tensor& t = tensor_ref(self);
    assign(name, t, f(t, rest...));
    return self;
  };
}

// The result type of a lambda's call operator (declared only, for decltype).
template <class F, class R, class... A>
R result_of(R (F::*)(A...) const);

// lt.<name>(input, ..., out=None) from f(input, rest...): the result written into out.
template <class F, class... Rest>
auto out_form(F f, const char* name, Tensor (F::*)(const Tensor&, Rest...) const) {
  return [f, name](const Tensor& x, Rest... rest, std::optional<Tensor> out) {
    Tensor r = f(x, rest...);
    return out ? write_out(name, r, *out) : r;
  };
}

// Registers f as lt.<name>(input, ..., out=None) (out= only for a tensor result) and
// Tensor.<name>(...), and Tensor.<name>_ with Inplace.
template <bool Inplace = false, class F, class... Args>
void def_both(py::module_& m, py::class_<Tensor>& cls, const char* name, F f, Args... args) {
  using Result = decltype(result_of(&F::operator()));
  if constexpr (std::is_same_v<Result, Tensor>) {
    constexpr bool keyword_only = (std::is_same_v<Args, py::kw_only> || ...);
    if constexpr (keyword_only) {
      m.def(name, out_form(f, name, &F::operator()), py::arg("input"), args..., py::arg("out") = py::none());
    } else {
      m.def(name, out_form(f, name, &F::operator()), py::arg("input"), args..., py::kw_only(),
            py::arg("out") = py::none());
    }
  } else {
    m.def(name, f, py::arg("input"), args...);
  }
  cls.def(name, f, args...);
  if constexpr (Inplace) {
    static std::deque<std::string> names;  // a deque: the names already handed out stay put
    const char* inplace_name = names.emplace_back(std::string(name) + "_").c_str();
    cls.def(inplace_name, inplace_form(f, inplace_name, &F::operator()), args...);
  }
}

}  // namespace

void init_compositions(py::module_& m, py::class_<Tensor>& cls) {
  // Stacking.
  m.def("atleast_1d", [](py::args a) { return at_least(a, "atleast_1d", &lt::atleast_1d); });
  m.def("atleast_2d", [](py::args a) { return at_least(a, "atleast_2d", &lt::atleast_2d); });
  m.def("atleast_3d", [](py::args a) { return at_least(a, "atleast_3d", &lt::atleast_3d); });
  using Join = Tensor (*)(const std::vector<Tensor>&);
  for (auto [name, f] : {std::pair<const char*, Join>{"hstack", &lt::hstack}, {"vstack", &lt::vstack},
                         {"row_stack", &lt::vstack}, {"dstack", &lt::dstack}, {"column_stack", &lt::column_stack}}) {
    m.def(name, [f = f, name = name](py::handle tensors, std::optional<Tensor> out) {
      Tensor r = f(tensors_from(tensors, name));
      return out ? write_out(name, r, *out) : r;
    }, py::arg("tensors"), py::kw_only(), py::arg("out") = py::none());
  }
  auto tensor_split = [](const Tensor& x, py::handle how, int64_t dim) { return tuple_of(split_by(x, how, dim)); };
  m.def("tensor_split", tensor_split, py::arg("input"), py::arg("indices_or_sections"), py::arg("dim") = 0);
  cls.def("tensor_split", tensor_split, py::arg("indices_or_sections"), py::arg("dim") = 0);
  auto broadcast_to = [](const Tensor& x, py::handle size) {
    return lt::broadcast_to(x, shape_from(size, "broadcast_to"));
  };
  m.def("broadcast_to", broadcast_to, py::arg("input"), py::arg("size"));
  cls.def("broadcast_to", broadcast_to, py::arg("size"));
  m.def("broadcast_tensors", [](py::args a) {
    return tuple_of(lt::broadcast_tensors(tensors_from_args(a, "broadcast_tensors")));
  });
  m.def("broadcast_shapes", [](py::args shapes) {
    Shape out;
    for (py::handle s : shapes) out = broadcast_shapes(out, ints_from(s, "broadcast_shapes"), "broadcast_shapes");
    return size_object(out);
  });
  m.def("meshgrid", [](py::args a, std::optional<std::string> indexing) {
    return tuple_of(lt::meshgrid(tensors_from_args(a, "meshgrid"), indexing.value_or("ij")));
  }, py::kw_only(), py::arg("indexing") = py::none());

  // Rearranging.
  auto diff = [](const Tensor& x, int64_t n, int64_t dim, std::optional<Tensor> prepend, std::optional<Tensor> append) {
    return lt::diff(x, n, dim, prepend, append);
  };
  def_both(m, cls, "diff", diff, py::arg("n") = 1, py::arg("dim") = -1, py::arg("prepend") = py::none(),
           py::arg("append") = py::none());
  def_both(m, cls, "fliplr", [](const Tensor& x) { return lt::fliplr(x); });
  def_both(m, cls, "flipud", [](const Tensor& x) { return lt::flipud(x); });
  auto rot90 = [](const Tensor& x, int64_t k, py::handle dims) { return lt::rot90(x, k, shape_from(dims, "rot90")); };
  def_both(m, cls, "rot90", rot90, py::arg("k") = 1, py::arg("dims") = py::make_tuple(0, 1));

  // Products and diagonals.
  m.def("tensordot", [](const Tensor& a, const Tensor& b, py::handle dims, std::optional<Tensor> out) {
    Tensor r = tensordot_by(a, b, dims);
    return out ? write_out("tensordot", r, *out) : r;
  }, py::arg("a"), py::arg("b"), py::arg("dims") = 2, py::kw_only(), py::arg("out") = py::none());
  def_both(m, cls, "kron", [](const Tensor& a, const Tensor& b) { return lt::kron(a, b); }, py::arg("other"));
  def_both(m, cls, "inner", [](const Tensor& a, const Tensor& b) { return lt::inner(a, b); },
           py::arg("other"));
  auto cross = [](const Tensor& a, const Tensor& b, std::optional<int64_t> dim) { return lt::cross(a, b, dim); };
  def_both(m, cls, "cross", cross, py::arg("other"), py::arg("dim") = py::none());
  m.def("_linalg_cross", [](const Tensor& a, const Tensor& b, int64_t dim) { return lt::cross(a, b, dim); },
        py::arg("input"), py::arg("other"), py::arg("dim") = -1);
  def_both(m, cls, "trace", [](const Tensor& x) { return lt::trace(x); });
  def_both(m, cls, "diag", [](const Tensor& x, int64_t k) { return lt::diag(x, k); }, py::arg("diagonal") = 0);
  auto diag_embed = [](const Tensor& x, int64_t offset, int64_t dim1, int64_t dim2) {
    return lt::diag_embed(x, offset, dim1, dim2);
  };
  def_both(m, cls, "diag_embed", diag_embed, py::arg("offset") = 0, py::arg("dim1") = -2,
           py::arg("dim2") = -1);
  def_both(m, cls, "diagflat", [](const Tensor& x, int64_t k) { return lt::diagflat(x, k); },
           py::arg("offset") = 0);
  // PyTorch's compute_mode picks a matrix-product formula for large inputs; here every mode
  // computes the differences directly (exact, at P * R * M memory).
  m.def("cdist", [](const Tensor& x1, const Tensor& x2, double p, const std::string& mode) {
    if (mode != "use_mm_for_euclid_dist_if_necessary" && mode != "use_mm_for_euclid_dist" &&
        mode != "donot_use_mm_for_euclid_dist") {
      throw py::value_error("[cdist] " + mode + " is not a valid value for compute_mode");
    }
    return lt::cdist(x1, x2, p);
  }, py::arg("x1"), py::arg("x2"), py::arg("p") = 2.0, py::arg("compute_mode") = "use_mm_for_euclid_dist_if_necessary");
  auto addmv = [](const Tensor& x, const Tensor& mat, const Tensor& vec, const Scalar& beta, const Scalar& alpha) {
    return lt::addmv(x, mat, vec, beta, alpha);
  };
  def_both<true>(m, cls, "addmv", addmv, py::arg("mat"), py::arg("vec"), py::kw_only(), py::arg("beta") = 1,
           py::arg("alpha") = 1);
  auto addr = [](const Tensor& x, const Tensor& v1, const Tensor& v2, const Scalar& beta, const Scalar& alpha) {
    return lt::addr(x, v1, v2, beta, alpha);
  };
  def_both<true>(m, cls, "addr", addr, py::arg("vec1"), py::arg("vec2"), py::kw_only(), py::arg("beta") = 1,
           py::arg("alpha") = 1);

  // Statistics.
  auto nansum = [](const Tensor& x, py::handle dim, bool keepdim, std::optional<DType> dtype) {
    return lt::nansum(x, dim.is_none() ? Shape{} : ints_from(dim, "nansum"), keepdim, dtype);
  };
  def_both(m, cls, "nansum", nansum, py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
           py::arg("dtype") = py::none());
  auto nanmean = [](const Tensor& x, py::handle dim, bool keepdim, std::optional<DType> dtype) {
    return lt::nanmean(x, dim.is_none() ? Shape{} : ints_from(dim, "nanmean"), keepdim, dtype);
  };
  def_both(m, cls, "nanmean", nanmean, py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
           py::arg("dtype") = py::none());
  auto count_nonzero = [](const Tensor& x, py::handle dim) {
    return lt::count_nonzero(x, dim.is_none() ? Shape{} : ints_from(dim, "count_nonzero"));
  };
  def_both(m, cls, "count_nonzero", count_nonzero, py::arg("dim") = py::none());
  auto aminmax = [](const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
    static py::handle type = py::module_::import("collections")
                                 .attr("namedtuple")("aminmax", py::make_tuple("min", "max"))
                                 .release();
    auto [lo, hi] = lt::aminmax(x, dim, keepdim);
    return type(lo, hi);
  };
  def_both(m, cls, "aminmax", aminmax, py::kw_only(), py::arg("dim") = py::none(), py::arg("keepdim") = false);

  // Elementwise.
  using Pair = Tensor (*)(const Tensor&, const Tensor&);
  for (auto [name, f] : {std::pair<const char*, Pair>{"logaddexp", &lt::logaddexp}, {"logaddexp2", &lt::logaddexp2},
                         {"fmax", &lt::fmax}, {"fmin", &lt::fmin}}) {
    def_both(m, cls, name, [f = f](const Tensor& a, const Tensor& b) { return f(a, b); }, py::arg("other"));
  }
  def_both<true>(m, cls, "heaviside", [](const Tensor& x, const Tensor& v) { return lt::heaviside(x, v); },
                 py::arg("values"));
  def_both<true>(m, cls, "logit", [](const Tensor& x, std::optional<double> eps) { return lt::logit(x, eps); },
           py::arg("eps") = py::none());
  using Unary = Tensor (*)(const Tensor&);
  for (auto [name, f] : {std::pair<const char*, Unary>{"sgn", &lt::sgn}, {"deg2rad", &lt::deg2rad},
                         {"rad2deg", &lt::rad2deg}, {"sinc", &lt::sinc}}) {
    def_both<true>(m, cls, name, [f = f](const Tensor& x) { return f(x); });
  }
  def_both(m, cls, "signbit", [](const Tensor& x) { return lt::signbit(x); });
  auto float_power = [](py::handle a, py::handle b) {
    Scalar n;
    if (is_tensor(a) && !is_tensor(b) && scalar_from(b, n)) return lt::float_power(tensor_ref(a), n);
    // A number base is exact in float64, the result's dtype.
    if (is_tensor(b) && !is_tensor(a) && scalar_from(a, n)) {
      return lt::float_power(scalar_tensor(n, DType::Float64, tensor_ref(b).device()), tensor_ref(b));
    }
    if (is_tensor(a) && is_tensor(b)) return lt::float_power(tensor_ref(a), tensor_ref(b));
    throw py::type_error("float_power(): expects a Tensor and a Tensor or Number");
  };
  m.def("float_power", [float_power](py::handle a, py::handle b, std::optional<Tensor> out) {
    Tensor r = float_power(a, b);
    return out ? write_out("float_power", r, *out) : r;
  }, py::arg("input"), py::arg("exponent"), py::kw_only(), py::arg("out") = py::none());
  cls.def("float_power", [float_power](py::object self, py::handle b) { return float_power(self, b); },
          py::arg("exponent"));
  // In place only into float64, the result's dtype (PyTorch's rule).
  cls.def("float_power_", [float_power](py::object self, py::handle b) {
    Tensor& t = tensor_ref(self);
    LT_CHECK(t.dtype() == DType::Float64, DTypeError, "float_power_", "the base has dtype ", name(t.dtype()),
             " but the result is float64");
    assign("float_power_", t, float_power(self, b));
    return self;
  }, py::arg("exponent"));

  // Index-driven, searching and creation.
  def_both(m, cls, "take", [](const Tensor& x, const Tensor& index) { return lt::take(x, index); },
           py::arg("index"));
  auto index_fill = [](const Tensor& x, int64_t dim, const Tensor& index, py::handle value) {
    Scalar v;
    if (is_tensor(value)) return lt::index_fill(x, dim, index, tensor_ref(value));
    if (!scalar_from(value, v)) throw py::type_error("index_fill(): argument 'value' must be Number or a 0-dim Tensor");
    return lt::index_fill(x, dim, index, v);
  };
  def_both<true>(m, cls, "index_fill", index_fill, py::arg("dim"), py::arg("index"), py::arg("value"));
  m.def("isin", [](py::handle elements, py::handle test, bool assume_unique, bool invert, std::optional<Tensor> out) {
    const Tensor* like = is_tensor(elements) ? &tensor_ref(elements) : is_tensor(test) ? &tensor_ref(test) : nullptr;
    Tensor r = lt::isin(tensor_or_number(elements, like, "isin", "elements"),
                        tensor_or_number(test, like, "isin", "test_elements"), assume_unique, invert);
    return out ? write_out("isin", r, *out) : r;
  }, py::arg("elements"), py::arg("test_elements"), py::kw_only(), py::arg("assume_unique") = false,
        py::arg("invert") = false, py::arg("out") = py::none());
  m.def("bucketize", [](py::handle x, const Tensor& boundaries, bool out_int32, bool right,
                        std::optional<Tensor> out) {
    Tensor r = lt::bucketize(tensor_or_number(x, &boundaries, "bucketize", "input"), boundaries, out_int32, right);
    return out ? write_out("bucketize", r, *out) : r;
  }, py::arg("input"), py::arg("boundaries"), py::kw_only(), py::arg("out_int32") = false, py::arg("right") = false,
        py::arg("out") = py::none());
  using Triangle = Tensor (*)(int64_t, int64_t, int64_t, DType, Device);
  for (auto [name, f] : {std::pair<const char*, Triangle>{"tril_indices", &lt::tril_indices},
                         {"triu_indices", &lt::triu_indices}}) {
    m.def(name, [f = f, name = name](int64_t rows, int64_t cols, int64_t offset, py::kwargs kwargs) {
      Kwargs kw(kwargs, name, {"dtype", "device", "layout"});
      return f(rows, cols, offset, kw.dtype().value_or(DType::Int64), kw.device());
    }, py::arg("row"), py::arg("col"), py::arg("offset") = 0);
  }

  // NumPy's splits and flattening.
  using Sections = std::vector<Tensor> (*)(const Tensor&, int64_t);
  using Indices = std::vector<Tensor> (*)(const Tensor&, IntList);
  for (auto [name, by_sections, by_indices] :
       {std::tuple<const char*, Sections, Indices>{"hsplit", &lt::hsplit, &lt::hsplit},
        {"vsplit", &lt::vsplit, &lt::vsplit}, {"dsplit", &lt::dsplit, &lt::dsplit}}) {
    auto split = [name = name, by_sections = by_sections, by_indices = by_indices](const Tensor& x, py::handle how) {
      return split_numpy_style(x, how, name, by_sections, by_indices);
    };
    m.def(name, split, py::arg("input"), py::arg("indices_or_sections"));
    cls.def(name, split, py::arg("indices_or_sections"));
  }
  m.def("ravel", [](const Tensor& x) { return lt::ravel(x); }, py::arg("input"));
  cls.def("ravel", [](const Tensor& x) { return lt::ravel(x); });

  // Matrices and tuples built from tensors.
  m.def("block_diag", [](py::args a) { return lt::block_diag(tensors_from(a, "block_diag")); });
  m.def("cartesian_prod", [](py::args a) { return lt::cartesian_prod(tensors_from(a, "cartesian_prod")); });
  m.def("combinations", [](const Tensor& x, int64_t r, bool with_replacement) {
    return lt::combinations(x, r, with_replacement);
  }, py::arg("input"), py::arg("r") = 2, py::arg("with_replacement") = false);

  // Copies with a view replaced.
  auto select_scatter = [](const Tensor& x, const Tensor& src, int64_t dim, int64_t index) {
    return lt::select_scatter(x, src, dim, index);
  };
  m.def("select_scatter", select_scatter, py::arg("input"), py::arg("src"), py::arg("dim"), py::arg("index"));
  cls.def("select_scatter", select_scatter, py::arg("src"), py::arg("dim"), py::arg("index"));
  auto slice_scatter = [](const Tensor& x, const Tensor& src, int64_t dim, std::optional<int64_t> start,
                          std::optional<int64_t> end, int64_t step) {
    return lt::slice_scatter(x, src, dim, start, end, step);
  };
  m.def("slice_scatter", slice_scatter, py::arg("input"), py::arg("src"), py::arg("dim") = 0,
        py::arg("start") = py::none(), py::arg("end") = py::none(), py::arg("step") = 1);
  cls.def("slice_scatter", slice_scatter, py::arg("src"), py::arg("dim") = 0, py::arg("start") = py::none(),
          py::arg("end") = py::none(), py::arg("step") = 1);
  auto diagonal_scatter = [](const Tensor& x, const Tensor& src, int64_t offset, int64_t dim1, int64_t dim2) {
    return lt::diagonal_scatter(x, src, offset, dim1, dim2);
  };
  m.def("diagonal_scatter", diagonal_scatter, py::arg("input"), py::arg("src"), py::arg("offset") = 0,
        py::arg("dim1") = 0, py::arg("dim2") = 1);
  cls.def("diagonal_scatter", diagonal_scatter, py::arg("src"), py::arg("offset") = 0, py::arg("dim1") = 0,
          py::arg("dim2") = 1);

  // Order statistics, covariance, histograms and norms.
  using QuantileTensor = Tensor (*)(const Tensor&, const Tensor&, std::optional<int64_t>, bool, std::string_view);
  using QuantileNumber = Tensor (*)(const Tensor&, double, std::optional<int64_t>, bool, std::string_view);
  for (auto [name, by_tensor, by_number] :
       {std::tuple<const char*, QuantileTensor, QuantileNumber>{"quantile", &lt::quantile, &lt::quantile},
        {"nanquantile", &lt::nanquantile, &lt::nanquantile}}) {
    auto q = [by_tensor = by_tensor, by_number = by_number](const Tensor& x, py::handle q, std::optional<int64_t> dim,
                                                            bool keepdim, const std::string& interpolation) {
      return quantile_of(by_tensor, by_number, x, q, dim, keepdim, interpolation);
    };
    def_both(m, cls, name, q, py::arg("q"), py::arg("dim") = py::none(), py::arg("keepdim") = false, py::kw_only(),
             py::arg("interpolation") = "linear");
  }
  auto cov = [](const Tensor& x, int64_t correction, std::optional<Tensor> fweights, std::optional<Tensor> aweights) {
    return lt::cov(x, correction, fweights, aweights);
  };
  m.def("cov", cov, py::arg("input"), py::kw_only(), py::arg("correction") = 1, py::arg("fweights") = py::none(),
        py::arg("aweights") = py::none());
  cls.def("cov", cov, py::kw_only(), py::arg("correction") = 1, py::arg("fweights") = py::none(),
          py::arg("aweights") = py::none());
  m.def("corrcoef", [](const Tensor& x) { return lt::corrcoef(x); }, py::arg("input"));
  cls.def("corrcoef", [](const Tensor& x) { return lt::corrcoef(x); });
  def_both(m, cls, "histc", [](const Tensor& x, int64_t bins, double min, double max) {
    return lt::histc(x, bins, min, max);
  }, py::arg("bins") = 100, py::arg("min") = 0, py::arg("max") = 0);
  auto dist = [](const Tensor& a, const Tensor& b, double p) { return lt::dist(a, b, p); };
  m.def("dist", dist, py::arg("input"), py::arg("other"), py::arg("p") = 2);
  cls.def("dist", dist, py::arg("other"), py::arg("p") = 2);
  def_both<true>(m, cls, "renorm", [](const Tensor& x, double p, int64_t dim, double maxnorm) {
    return lt::renorm(x, p, dim, maxnorm);
  }, py::arg("p"), py::arg("dim"), py::arg("maxnorm"));

  // Running sums.
  def_both(m, cls, "logcumsumexp", [](const Tensor& x, int64_t dim) { return lt::logcumsumexp(x, dim); },
           py::arg("dim"));
  using ByPoints = Tensor (*)(const Tensor&, const Tensor&, int64_t);
  using BySpacing = Tensor (*)(const Tensor&, const Scalar&, int64_t);
  for (auto [name, by_points, by_spacing] :
       {std::tuple<const char*, ByPoints, BySpacing>{"trapezoid", &lt::trapezoid, &lt::trapezoid},
        {"trapz", &lt::trapezoid, &lt::trapezoid},
        {"cumulative_trapezoid", &lt::cumulative_trapezoid, &lt::cumulative_trapezoid}}) {
    m.def(name, [name = name, by_points = by_points, by_spacing = by_spacing](
                    const Tensor& y, std::optional<Tensor> x, py::handle dx, int64_t dim) {
      return integrate(by_points, by_spacing, name, y, x, dx, dim);
    }, py::arg("y"), py::arg("x") = py::none(), py::kw_only(), py::arg("dx") = py::none(), py::arg("dim") = -1);
  }

  // Writes by flat index and along the diagonal; products.
  auto put = [](const Tensor& x, const Tensor& index, const Tensor& source, bool accumulate) {
    return lt::put(x, index, source, accumulate);
  };
  m.def("put", put, py::arg("input"), py::arg("index"), py::arg("source"), py::arg("accumulate") = false);
  cls.def("put", put, py::arg("index"), py::arg("source"), py::arg("accumulate") = false);
  cls.def("put_", [put](py::object self, const Tensor& index, const Tensor& source, bool accumulate) {
    Tensor& t = tensor_ref(self);
    assign("put_", t, put(t, index, source, accumulate));
    return self;
  }, py::arg("index"), py::arg("source"), py::arg("accumulate") = false);
  cls.def("fill_diagonal_", [](py::object self, const Scalar& value, bool wrap) {
    lt::fill_diagonal_(tensor_ref(self), value, wrap);
    return self;
  }, py::arg("fill_value"), py::arg("wrap") = false);
  def_both(m, cls, "vdot", [](const Tensor& a, const Tensor& b) { return lt::vdot(a, b); }, py::arg("other"));
  auto addbmm = [](const Tensor& x, const Tensor& b1, const Tensor& b2, const Scalar& beta, const Scalar& alpha) {
    return lt::addbmm(x, b1, b2, beta, alpha);
  };
  def_both<true>(m, cls, "addbmm", addbmm, py::arg("batch1"), py::arg("batch2"), py::kw_only(), py::arg("beta") = 1,
                 py::arg("alpha") = 1);

  // Elementwise tests and scaling.
  def_both(m, cls, "isposinf", [](const Tensor& x) { return lt::isposinf(x); });
  def_both(m, cls, "isneginf", [](const Tensor& x) { return lt::isneginf(x); });
  def_both<true>(m, cls, "ldexp", [](const Tensor& x, const Tensor& e) { return lt::ldexp(x, e); },
                 py::arg("other"));
}

}  // namespace lt::python
