// Index-driven operators (gather, scatter(_reduce), index_select / _add / _copy,
// masked_*, take_along_dim, repeat_interleave), vector norms and
// the private entry points of libtensor.nn.functional's embedding, one_hot, dropout,
// normalize and cosine_similarity.
#include "bind.h"

namespace lt::python {
namespace {

// A number, or a 0-dim tensor's value (masked_fill_, scatter with value=).
Scalar value_from(py::handle h, const char* op) {
  Scalar s;
  if (is_tensor(h)) {
    const Tensor& t = tensor_ref(h);
    LT_CHECK(t.dim() == 0, ShapeError, op, "only a 0-dim value tensor is supported, got shape ", str(t.sizes()));
    return t.item();
  }
  if (!scalar_from(h, s)) throw py::type_error(std::string(op) + "(): value must be a Number or a 0-dim Tensor");
  return s;
}

template <class F>
void def_with_inplace(py::module_& m, py::class_<Tensor>& cls, const char* name, F f, py::arg a1, py::arg a2,
                      py::arg a3) {
  m.def(name, [f](const Tensor& x, py::handle b, py::handle c, py::handle d) { return f(x, b, c, d); }, py::arg("input"),
        a1, a2, a3);
  cls.def(name, [f](const Tensor& x, py::handle b, py::handle c, py::handle d) { return f(x, b, c, d); }, a1, a2, a3);
  static std::vector<std::string> names;
  const char* inplace = names.emplace_back(std::string(name) + "_").c_str();
  cls.def(inplace, [f, inplace](py::object self, py::handle b, py::handle c, py::handle d) {
    Tensor& t = tensor_ref(self);
    assign(inplace, t, f(t, b, c, d));
    return self;
  }, a1, a2, a3);
}

}  // namespace

void init_indexed(py::module_& m, py::class_<Tensor>& cls) {
  auto gather = [](const Tensor& x, int64_t dim, const Tensor& index) { return lt::gather(x, dim, index); };
  m.def("gather", gather, py::arg("input"), py::arg("dim"), py::arg("index"));
  cls.def("gather", gather, py::arg("dim"), py::arg("index"));
  // scatter(dim, index, src) or scatter(dim, index, value=...), reduce= "add" or "multiply".
  auto scatter = [](const Tensor& x, int64_t dim, const Tensor& index, py::handle src, py::handle value,
                    py::handle reduce) {
    py::handle v = src.is_none() ? value : src;
    if (v.is_none()) throw py::type_error("scatter(): expected src or value");
    if (!reduce.is_none()) {
      // The older reduce= of scatter: "add" and "multiply", x's values included.
      const std::string r = reduce.cast<std::string>();
      LT_CHECK(r == "add" || r == "multiply", ValueError, "scatter", "reduce must be \"add\" or \"multiply\", got \"",
               r, "\"");
      Tensor values = is_tensor(v) ? tensor_ref(v) : lt::full(index.sizes(), value_from(v, "scatter"), x.dtype(), x.device());
      return lt::scatter_reduce(x, dim, index, values, r == "add" ? "sum" : "prod", true);
    }
    if (is_tensor(v)) return lt::scatter(x, dim, index, tensor_ref(v));
    return lt::scatter(x, dim, index, value_from(v, "scatter"));
  };
  m.def("scatter", scatter, py::arg("input"), py::arg("dim"), py::arg("index"), py::arg("src") = py::none(),
        py::kw_only(), py::arg("value") = py::none(), py::arg("reduce") = py::none());
  cls.def("scatter", [scatter](const Tensor& x, int64_t dim, const Tensor& index, py::handle src, py::handle value,
                               py::handle reduce) { return scatter(x, dim, index, src, value, reduce); },
          py::arg("dim"), py::arg("index"), py::arg("src") = py::none(), py::kw_only(), py::arg("value") = py::none(),
          py::arg("reduce") = py::none());
  cls.def("scatter_", [scatter](py::object self, int64_t dim, const Tensor& index, py::handle src, py::handle value,
                                py::handle reduce) {
    Tensor& t = tensor_ref(self);
    assign("scatter_", t, scatter(t, dim, index, src, value, reduce));
    return self;
  }, py::arg("dim"), py::arg("index"), py::arg("src") = py::none(), py::kw_only(), py::arg("value") = py::none(),
          py::arg("reduce") = py::none());
  def_with_inplace(m, cls, "scatter_add", [](const Tensor& x, py::handle dim, py::handle index, py::handle src) {
    return lt::scatter_add(x, dim.cast<int64_t>(), tensor_ref(index), tensor_ref(src));
  }, py::arg("dim"), py::arg("index"), py::arg("src"));
  auto scatter_reduce = [](const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src,
                           const std::string& reduce, bool include_self) {
    return lt::scatter_reduce(x, dim, index, src, reduce, include_self);
  };
  m.def("scatter_reduce", scatter_reduce, py::arg("input"), py::arg("dim"), py::arg("index"), py::arg("src"),
        py::arg("reduce"), py::kw_only(), py::arg("include_self") = true);
  cls.def("scatter_reduce", scatter_reduce, py::arg("dim"), py::arg("index"), py::arg("src"), py::arg("reduce"),
          py::kw_only(), py::arg("include_self") = true);
  cls.def("scatter_reduce_", [scatter_reduce](py::object self, int64_t dim, const Tensor& index, const Tensor& src,
                                              const std::string& reduce, bool include_self) {
    Tensor& t = tensor_ref(self);
    assign("scatter_reduce_", t, scatter_reduce(t, dim, index, src, reduce, include_self));
    return self;
  }, py::arg("dim"), py::arg("index"), py::arg("src"), py::arg("reduce"), py::kw_only(), py::arg("include_self") = true);
  // index_add (alpha=), index_copy and masked_scatter, with their in-place forms.
  auto index_add = [](const Tensor& x, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
    return lt::index_add(x, dim, index, source, alpha);
  };
  m.def("index_add", [index_add](const Tensor& x, int64_t dim, const Tensor& index, const Tensor& source,
                                 const Scalar& alpha, std::optional<Tensor> out) {
    Tensor r = index_add(x, dim, index, source, alpha);
    return out ? write_out("index_add", r, *out) : r;
  }, py::arg("input"), py::arg("dim"), py::arg("index"), py::arg("source"), py::kw_only(), py::arg("alpha") = 1,
        py::arg("out") = py::none());
  cls.def("index_add", index_add, py::arg("dim"), py::arg("index"), py::arg("source"), py::kw_only(),
          py::arg("alpha") = 1);
  cls.def("index_add_", [index_add](py::object self, int64_t dim, const Tensor& index, const Tensor& source,
                                    const Scalar& alpha) {
    Tensor& t = tensor_ref(self);
    assign("index_add_", t, index_add(t, dim, index, source, alpha));
    return self;
  }, py::arg("dim"), py::arg("index"), py::arg("source"), py::kw_only(), py::arg("alpha") = 1);
  def_with_inplace(m, cls, "index_copy", [](const Tensor& x, py::handle dim, py::handle index, py::handle source) {
    return lt::index_copy(x, dim.cast<int64_t>(), tensor_ref(index), tensor_ref(source));
  }, py::arg("dim"), py::arg("index"), py::arg("source"));
  auto masked_scatter = [](const Tensor& x, const Tensor& mask, const Tensor& source) {
    return lt::masked_scatter(x, mask, source);
  };
  m.def("masked_scatter", masked_scatter, py::arg("input"), py::arg("mask"), py::arg("source"));
  cls.def("masked_scatter", masked_scatter, py::arg("mask"), py::arg("source"));
  cls.def("masked_scatter_", [masked_scatter](py::object self, const Tensor& mask, const Tensor& source) {
    Tensor& t = tensor_ref(self);
    assign("masked_scatter_", t, masked_scatter(t, mask, source));
    return self;
  }, py::arg("mask"), py::arg("source"));
  auto take_along_dim = [](const Tensor& x, const Tensor& indices, std::optional<int64_t> dim) {
    return lt::take_along_dim(x, indices, dim);
  };
  m.def("take_along_dim", take_along_dim, py::arg("input"), py::arg("indices"), py::arg("dim") = py::none());
  cls.def("take_along_dim", take_along_dim, py::arg("indices"), py::arg("dim") = py::none());
  // repeats: an int or a tensor; output_size (a hint in PyTorch) must match when given.
  auto repeat_interleave = [](const Tensor& x, py::handle repeats, std::optional<int64_t> dim,
                              std::optional<int64_t> output_size) {
    Tensor r = is_tensor(repeats) ? lt::repeat_interleave(x, tensor_ref(repeats), dim)
                                  : lt::repeat_interleave(x, repeats.cast<int64_t>(), dim);
    const int64_t got = r.dim() == 0 ? 1 : r.size(dim ? wrap_dim(*dim, std::max<int64_t>(r.dim(), 1), "repeat_interleave") : 0);
    LT_CHECK(!output_size || *output_size == got, ValueError, "repeat_interleave", "output_size ", *output_size,
             " does not match the repeated size ", got);
    return r;
  };
  m.def("repeat_interleave", [repeat_interleave](const Tensor& x, py::handle repeats, std::optional<int64_t> dim,
                                                 std::optional<int64_t> output_size) {
    if (repeats.is_none()) return lt::repeat_interleave(x);  // repeat_interleave(repeats)
    return repeat_interleave(x, repeats, dim, output_size);
  }, py::arg("input"), py::arg("repeats") = py::none(), py::arg("dim") = py::none(), py::kw_only(),
        py::arg("output_size") = py::none());
  cls.def("repeat_interleave", repeat_interleave, py::arg("repeats"), py::arg("dim") = py::none(), py::kw_only(),
          py::arg("output_size") = py::none());
  auto index_select = [](const Tensor& x, int64_t dim, const Tensor& index) { return lt::index_select(x, dim, index); };
  m.def("index_select", index_select, py::arg("input"), py::arg("dim"), py::arg("index"));
  cls.def("index_select", index_select, py::arg("dim"), py::arg("index"));
  // A 0-dim tensor value gets a gradient too: where() with it.
  auto masked_fill = [](const Tensor& x, const Tensor& mask, py::handle value) {
    if (is_tensor(value) && tensor_ref(value).requires_grad()) {
      const Tensor& v = tensor_ref(value);
      LT_CHECK(v.dim() == 0, ShapeError, "masked_fill", "only a 0-dim value tensor is supported, got shape ",
               str(v.sizes()));
      LT_CHECK(mask.dtype() == DType::Bool, DTypeError, "masked_fill", "expects a bool mask, got ", name(mask.dtype()));
      return lt::where(mask, v.to(x.dtype()), x);
    }
    return lt::masked_fill(x, mask, value_from(value, "masked_fill"));
  };
  m.def("masked_fill", masked_fill, py::arg("input"), py::arg("mask"), py::arg("value"));
  cls.def("masked_fill", masked_fill, py::arg("mask"), py::arg("value"));
  cls.def("masked_fill_", [masked_fill](py::object self, const Tensor& mask, py::handle value) {
    Tensor& t = tensor_ref(self);
    Tensor r = masked_fill(t, mask, value);
    assign("masked_fill_", t, r);
    return self;
  }, py::arg("mask"), py::arg("value"));
  m.def("masked_select", &lt::masked_select, py::arg("input"), py::arg("mask"));
  cls.def("masked_select", &lt::masked_select, py::arg("mask"));
  for (auto [name, f] : {std::pair{"addcmul", &lt::addcmul}, std::pair{"addcdiv", &lt::addcdiv}}) {
    m.def(name, [f = f, name = name](const Tensor& x, const Tensor& a, const Tensor& b, const Scalar& value,
                                     std::optional<Tensor> out) {
      Tensor r = f(x, a, b, value);
      return out ? write_out(name, r, *out) : r;
    }, py::arg("input"), py::arg("tensor1"), py::arg("tensor2"), py::kw_only(), py::arg("value") = 1,
          py::arg("out") = py::none());
    cls.def(name, f, py::arg("tensor1"), py::arg("tensor2"), py::kw_only(), py::arg("value") = 1);
    static std::vector<std::string> names;
    const char* inplace = names.emplace_back(std::string(name) + "_").c_str();
    cls.def(inplace, [f = f, inplace](py::object self, const Tensor& a, const Tensor& b, const Scalar& value) {
      Tensor& t = tensor_ref(self);
      assign(inplace, t, f(t, a, b, value));
      return self;
    }, py::arg("tensor1"), py::arg("tensor2"), py::kw_only(), py::arg("value") = 1);
  }
  // Vector norms: p a number or "fro" (the 2-norm of the elements).
  auto norm = [](const Tensor& x, py::handle p, py::handle dim, bool keepdim) {
    double order = 2;
    if (PyUnicode_Check(p.ptr())) {
      LT_CHECK(p.cast<std::string>() == "fro", ValueError, "norm", "only vector norms and \"fro\" are supported, got ",
               p.cast<std::string>());
    } else if (!p.is_none()) {
      order = p.cast<double>();
    }
    Shape dims;
    if (PyLong_Check(dim.ptr())) dims = {dim.cast<int64_t>()};
    else if (!dim.is_none()) dims = shape_from(dim, "norm");
    return lt::norm(x, order, dims, keepdim);
  };
  m.def("norm", norm, py::arg("input"), py::arg("p") = "fro", py::arg("dim") = py::none(), py::arg("keepdim") = false);
  cls.def("norm", norm, py::arg("p") = "fro", py::arg("dim") = py::none(), py::arg("keepdim") = false);
  m.def("_embedding", &lt::embedding, py::arg("weight"), py::arg("indices"), py::arg("padding_idx") = py::none());
  m.def("_one_hot", &lt::one_hot, py::arg("indices"), py::arg("num_classes") = -1);
  m.def("_dropout", [](const Tensor& x, double p, bool training, Generator* gen) {
    return lt::dropout(x, p, training, gen);
  }, py::arg("input"), py::arg("p") = 0.5, py::arg("training") = true, py::arg("generator") = py::none());
  m.def("_normalize", &lt::normalize, py::arg("input"), py::arg("p") = 2.0, py::arg("dim") = 1, py::arg("eps") = 1e-12);
  m.def("cosine_similarity", &lt::cosine_similarity, py::arg("x1"), py::arg("x2"), py::arg("dim") = 1,
        py::arg("eps") = 1e-8);
}

}  // namespace lt::python
