// Joining, splitting and rearranging: cat, stack, split, chunk, unbind, movedim, repeat,
// tile, roll, tril and triu.
#include "bind.h"

namespace lt::python {

std::vector<Tensor> tensors_from(py::handle seq, const char* op) {
  if (!PyList_Check(seq.ptr()) && !PyTuple_Check(seq.ptr()))
    throw py::type_error(std::string(op) + "(): argument 'tensors' must be a tuple or list of Tensors");
  std::vector<Tensor> out;
  for (py::handle h : seq) {
    if (!is_tensor(h)) throw py::type_error(std::string(op) + "(): expected a sequence of Tensors, got " +
                                            std::string(py::str(py::type::of(h).attr("__name__"))));
    out.push_back(tensor_ref(h));
  }
  return out;
}

py::tuple tuple_of(const std::vector<Tensor>& parts) {
  py::tuple out(parts.size());
  for (size_t i = 0; i < parts.size(); ++i) out[i] = wrap(parts[i]);
  return out;
}

Shape ints_from(py::handle h, const char* op) {
  if (PyLong_Check(h.ptr())) return {h.cast<int64_t>()};
  return shape_from(h, op);
}

void init_shape(py::module_& m, py::class_<Tensor>& cls) {
  using Join = Tensor (*)(const std::vector<Tensor>&, int64_t);
  for (auto [name, f] : {std::pair<const char*, Join>{"cat", &lt::cat}, {"concat", &lt::cat},
                         {"concatenate", &lt::cat}, {"stack", &lt::stack}}) {
    m.def(name, [f = f, name = name](py::handle tensors, int64_t dim, std::optional<Tensor> out) {
      std::vector<Tensor> ts = tensors_from(tensors, name);
      Tensor r = without_gil(ts.empty() ? 0 : ts[0].numel() * static_cast<int64_t>(ts.size()), [&] { return f(ts, dim); });
      return out ? write_out(name, r, *out) : r;
    }, py::arg("tensors"), py::arg("dim") = 0, py::kw_only(), py::arg("out") = py::none());
  }
  auto split = [](const Tensor& x, py::handle size, int64_t dim) {
    if (PyLong_Check(size.ptr())) return tuple_of(lt::split(x, size.cast<int64_t>(), dim));
    return tuple_of(lt::split(x, shape_from(size, "split"), dim));
  };
  m.def("split", split, py::arg("tensor"), py::arg("split_size_or_sections"), py::arg("dim") = 0);
  cls.def("split", split, py::arg("split_size"), py::arg("dim") = 0);
  auto chunk = [](const Tensor& x, int64_t chunks, int64_t dim) { return tuple_of(lt::chunk(x, chunks, dim)); };
  m.def("chunk", chunk, py::arg("input"), py::arg("chunks"), py::arg("dim") = 0);
  cls.def("chunk", chunk, py::arg("chunks"), py::arg("dim") = 0);
  auto unbind = [](const Tensor& x, int64_t dim) { return tuple_of(lt::unbind(x, dim)); };
  m.def("unbind", unbind, py::arg("input"), py::arg("dim") = 0);
  cls.def("unbind", unbind, py::arg("dim") = 0);
  auto movedim = [](const Tensor& x, py::handle source, py::handle destination) {
    return lt::movedim(x, ints_from(source, "movedim"), ints_from(destination, "movedim"));
  };
  for (const char* name : {"movedim", "moveaxis"}) {
    m.def(name, movedim, py::arg("input"), py::arg("source"), py::arg("destination"));
    cls.def(name, movedim, py::arg("source"), py::arg("destination"));
  }
  cls.def("repeat", [](const Tensor& x, py::args sizes) {
    Shape s = shape_from_args(sizes, "repeat");
    return without_gil(x.numel(), [&] { return lt::repeat(x, s); });
  });
  m.def("tile", [](const Tensor& x, py::handle dims) { return lt::tile(x, ints_from(dims, "tile")); }, py::arg("input"),
        py::arg("dims"));
  cls.def("tile", [](const Tensor& x, py::args dims) { return lt::tile(x, shape_from_args(dims, "tile")); });
  auto roll = [](const Tensor& x, py::handle shifts, py::handle dims) {
    return lt::roll(x, ints_from(shifts, "roll"), dims.is_none() ? Shape{} : ints_from(dims, "roll"));
  };
  m.def("roll", roll, py::arg("input"), py::arg("shifts"), py::arg("dims") = py::none());
  cls.def("roll", roll, py::arg("shifts"), py::arg("dims") = py::none());
  using Triangle = Tensor (*)(const Tensor&, int64_t);
  for (auto [name, f] : {std::pair<const char*, Triangle>{"tril", &lt::tril}, {"triu", &lt::triu}}) {
    m.def(name, [f = f, name = name](const Tensor& x, int64_t diagonal, std::optional<Tensor> out) {
      Tensor r = f(x, diagonal);
      return out ? write_out(name, r, *out) : r;
    }, py::arg("input"), py::arg("diagonal") = 0, py::kw_only(), py::arg("out") = py::none());
    cls.def(name, f, py::arg("diagonal") = 0);
    static std::vector<std::string> names;
    const char* inplace = names.emplace_back(std::string(name) + "_").c_str();
    cls.def(inplace, [f = f, inplace](py::object self, int64_t diagonal) {
      Tensor& t = tensor_ref(self);
      assign(inplace, t, f(t, diagonal));
      return self;
    }, py::arg("diagonal") = 0);
  }
}

}  // namespace lt::python
