// Python indexing, as in PyTorch and numpy: integers, slices, None and ... make views;
// integer tensors, lists and boolean masks (advanced indices) then gather a copy.
// Assignment writes through the same view, with index_put_ for advanced indices.
#include "bind.h"

namespace lt::python {

namespace {

// A list, tuple or numpy array used as an index becomes an int64 or bool tensor.
Tensor index_tensor(py::handle h) {
  py::object tensor_fn = py::module_::import("libtensor").attr("tensor");
  Tensor t = tensor_ref(tensor_fn(h));
  if (t.numel() == 0 && t.dtype() != DType::Bool) return t.to(DType::Int64);  // x[[]] selects nothing
  return t;
}

// Lists, nested tuples and numpy arrays index like tensors; numpy's scalar integers like ints.
bool is_sequence_index(py::handle h) {
  return PyList_Check(h.ptr()) || PyTuple_Check(h.ptr()) ||
         (py::hasattr(h, "__array_interface__") && !is_tensor(h) && py::len(h.attr("shape")) > 0);
}

[[noreturn]] void bad_index(py::handle h) {
  throw py::index_error(
      "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got " +
      std::string(py::str(py::type::of(h).attr("__name__"))) + ")");
}

// How many dims of the indexed tensor an index item consumes.
int64_t consumed(py::handle item) {
  if (item.is_none() || item.ptr() == Py_Ellipsis || PyBool_Check(item.ptr())) return 0;
  if (is_tensor(item)) {
    const Tensor& t = tensor_ref(item);
    return (t.dtype() == DType::Bool || t.dtype() == DType::UInt8) ? t.dim() : 1;
  }
  return 1;
}

struct Indexed {
  Tensor view;                                // after the basic indices
  std::vector<std::optional<Tensor>> advanced;  // one entry per dim of view
  bool any_advanced = false;
};

// Applies the basic indices as views and collects the advanced ones.
Indexed apply_indices(const Tensor& self, py::handle index) {
  py::tuple given = PyTuple_Check(index.ptr()) ? py::reinterpret_borrow<py::tuple>(index) : py::make_tuple(index);
  // Sequences become tensors first, so that a 2-D mask counts as two dims below.
  py::tuple items(given.size());
  for (size_t i = 0; i < given.size(); ++i) {
    items[i] = is_sequence_index(given[i]) ? wrap(index_tensor(given[i])) : py::reinterpret_borrow<py::object>(given[i]);
  }
  int64_t specified = 0;
  bool ellipsis = false;
  for (py::handle item : items) {
    if (item.ptr() == Py_Ellipsis) {
      if (ellipsis) throw py::index_error("an index can only have a single ellipsis ('...')");
      ellipsis = true;
    }
    specified += consumed(item);
  }
  if (specified > self.dim())
    fail<IndexError>("index", "too many indices for tensor of dimension ", self.dim(), " (got ", specified, ")");

  Indexed r{self, {}, false};
  int64_t dim = 0;  // the next dim of r.view to index
  auto pad = [&] { r.advanced.resize(std::max<size_t>(r.advanced.size(), dim)); };
  for (py::handle item : items) {
    PyObject* o = item.ptr();
    if (o == Py_Ellipsis) {
      dim += self.dim() - specified;
    } else if (item.is_none()) {
      r.view = r.view.unsqueeze(dim);
      pad();
      r.advanced.insert(r.advanced.begin() + dim, std::nullopt);
      ++dim;
    } else if (PyBool_Check(o)) {
      // A 0-dim mask, as in PyTorch and numpy: a new dim of size 1 that an index tensor
      // selects, [0] for True and [] for False, broadcasting with the other index tensors.
      r.view = r.view.unsqueeze(dim);
      pad();
      r.advanced.insert(r.advanced.begin() + dim, o == Py_True ? zeros({1}, DType::Int64) : empty({0}, DType::Int64));
      r.any_advanced = true;
      ++dim;
    } else if (PySlice_Check(o)) {
      Py_ssize_t start, stop, step;
      if (PySlice_Unpack(o, &start, &stop, &step) < 0) throw py::error_already_set();
      if (step <= 0) throw py::value_error("step must be greater than zero");
      int64_t n = r.view.size(dim);
      PySlice_AdjustIndices(n, &start, &stop, step);
      r.view = r.view.slice(dim, start, std::max<Py_ssize_t>(start, stop), step);
      ++dim;
    } else if (PyLong_Check(o) || (!is_tensor(item) && PyIndex_Check(o))) {
      int64_t i = py::cast<int64_t>(item.attr("__index__")());
      int64_t n = r.view.size(dim);
      if (i < -n || i >= n)
        fail<IndexError>("index", "index ", i, " is out of bounds for dimension ", dim, " with size ", n);
      r.view = r.view.select(dim, i);
    } else if (is_tensor(item)) {
      Tensor t = tensor_ref(item);
      pad();
      if (t.dtype() == DType::Bool || t.dtype() == DType::UInt8) {
        if (t.dim() == 0) {  // a 0-dim mask acts like Python's True / False
          r.view = r.view.unsqueeze(dim);
          t = t.unsqueeze(0);
        }
        for (int64_t k = 0; k < t.dim(); ++k) {
          LT_CHECK(dim + k < r.view.dim() && t.size(k) == r.view.size(dim + k), IndexError, "index", "the shape of the mask ",
                   str(t.sizes()), " does not match the shape of the indexed tensor ", str(r.view.sizes()),
                   " at index ", k);
        }
        Tensor nz = nonzero(t.to(DType::Bool));
        r.advanced.resize(std::max<size_t>(r.advanced.size(), dim + t.dim()));
        for (int64_t k = 0; k < t.dim(); ++k) r.advanced[dim + k] = nz.select(1, k);
        dim += t.dim();
      } else {
        LT_CHECK(is_integral(t.dtype()), IndexError, "index",
                 "tensors used as indices must be long, int, byte or bool tensors, got ", name(t.dtype()));
        r.advanced.resize(std::max<size_t>(r.advanced.size(), dim + 1));
        r.advanced[dim] = t;
        ++dim;
      }
      r.any_advanced = true;
    } else {
      bad_index(item);
    }
  }
  r.advanced.resize(std::min<size_t>(r.advanced.size(), r.view.dim()));
  return r;
}

Tensor getitem(const Tensor& self, py::handle index) {
  // The common cases first: x[i] and x[a:b].
  if (PyLong_CheckExact(index.ptr())) {
    LT_CHECK(self.dim() > 0, IndexError, "index", "invalid index of a 0-dim tensor");
    int64_t i = index.cast<int64_t>(), n = self.size(0);
    if (i < -n || i >= n) fail<IndexError>("index", "index ", i, " is out of bounds for dimension 0 with size ", n);
    return self.select(0, i);
  }
  if (PySlice_Check(index.ptr()) && self.dim() > 0) {
    Py_ssize_t start, stop, step;
    if (PySlice_Unpack(index.ptr(), &start, &stop, &step) < 0) throw py::error_already_set();
    if (step <= 0) throw py::value_error("step must be greater than zero");
    PySlice_AdjustIndices(self.size(0), &start, &stop, step);
    return self.slice(0, start, std::max<Py_ssize_t>(start, stop), step);
  }
  Indexed r = apply_indices(self, index);
  if (!r.any_advanced) return r.view.is_same(self) ? self.view(self.sizes()) : r.view;
  ReleaseGil release(r.view.numel());
  return lt::index(r.view, r.advanced);
}

void setitem(Tensor& self, py::handle index, py::handle value) {
  Indexed r = apply_indices(self, index);
  Tensor v;
  Scalar s;
  if (is_tensor(value)) {
    v = tensor_ref(value);
  } else if (scalar_from(value, s)) {
    if (!r.any_advanced) {
      r.view.fill_(s);
      return;
    }
    v = scalar_tensor(s, self.dtype(), self.device());
  } else {
    py::object tensor_fn = py::module_::import("libtensor").attr("tensor");
    v = tensor_ref(tensor_fn(value, py::arg("dtype") = self.dtype()));
  }
  // PyTorch drops every leading size-1 dim of the value; broadcasting puts back what the
  // destination has.
  while (v.dim() > 0 && v.size(0) == 1) v = v.squeeze(0);
  ReleaseGil release(r.view.numel());
  if (!r.any_advanced) {
    r.view.copy_(v);
    return;
  }
  index_put_(r.view, r.advanced, v.to(self.dtype()), false);
}

}  // namespace

void init_indexing(py::module_& m, py::class_<Tensor>& cls) {
  cls.def("__getitem__", getitem);
  cls.def("__setitem__", setitem);
  // indices: one tensor (or None, a whole dim) per indexed dim.
  auto index_list = [](py::sequence indices) {
    std::vector<std::optional<Tensor>> idx;
    for (py::handle h : indices) idx.push_back(h.is_none() ? std::nullopt : std::optional<Tensor>(tensor_ref(h)));
    return idx;
  };
  auto out_of_place = [index_list](const Tensor& x, py::sequence indices, const Tensor& values, bool accumulate) {
    return index_put(x, index_list(indices), values, accumulate);
  };
  m.def("index_put", out_of_place, py::arg("input"), py::arg("indices"), py::arg("values"),
        py::arg("accumulate") = false);
  cls.def("index_put", out_of_place, py::arg("indices"), py::arg("values"), py::arg("accumulate") = false);
  cls.def("index_put_", [index_list](py::object self, py::sequence indices, const Tensor& values, bool accumulate) {
    index_put_(tensor_ref(self), index_list(indices), values, accumulate);
    return self;
  }, py::arg("indices"), py::arg("values"), py::arg("accumulate") = false);
}

}  // namespace lt::python
