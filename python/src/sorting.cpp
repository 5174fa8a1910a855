// Sorting, searching and scans: sort, argsort, msort, topk, kthvalue, median, nanmedian,
// unique, unique_consecutive, argwhere, searchsorted, bincount, cumsum, cumprod, cummax, cummin, as functions and (where
// PyTorch has them) methods, with PyTorch's argument names and keyword-only markers.
#include "bind.h"

namespace lt::python {
namespace {

// unique's result: the values alone, or a tuple with the inverse and / or counts.
py::object unique_result(std::tuple<Tensor, Tensor, Tensor> r, bool return_inverse, bool return_counts) {
  if (!return_inverse && !return_counts) return py::cast(std::get<0>(r));
  py::list items;
  items.append(std::get<0>(r));
  if (return_inverse) items.append(std::get<1>(r));
  if (return_counts) items.append(std::get<2>(r));
  return py::tuple(items);
}

}  // namespace

void init_sorting(py::module_& m, py::class_<Tensor>& cls) {
  // stable may be given as None (PyTorch's bool?), which means false.
  auto sort = [](const Tensor& x, int64_t dim, bool descending, std::optional<bool> stable) {
    return values_indices("sort", without_gil(x.numel(), [&] { return lt::sort(x, dim, descending, stable.value_or(false)); }));
  };
  m.def("sort", sort, py::arg("input"), py::arg("dim") = -1, py::arg("descending") = false, py::kw_only(),
        py::arg("stable") = false);
  cls.def("sort", sort, py::arg("dim") = -1, py::arg("descending") = false, py::kw_only(), py::arg("stable") = false);
  auto argsort = [](const Tensor& x, int64_t dim, bool descending, bool stable) {
    return without_gil(x.numel(), [&] { return lt::argsort(x, dim, descending, stable); });
  };
  m.def("argsort", argsort, py::arg("input"), py::arg("dim") = -1, py::arg("descending") = false, py::kw_only(),
        py::arg("stable") = false);
  cls.def("argsort", argsort, py::arg("dim") = -1, py::arg("descending") = false, py::kw_only(),
          py::arg("stable") = false);
  auto msort = [](const Tensor& x) { return std::get<0>(lt::sort(x, 0)); };
  m.def("msort", msort, py::arg("input"));
  cls.def("msort", msort);
  auto topk = [](const Tensor& x, int64_t k, int64_t dim, bool largest, bool sorted) {
    return values_indices("topk", without_gil(x.numel(), [&] { return lt::topk(x, k, dim, largest, sorted); }));
  };
  m.def("topk", topk, py::arg("input"), py::arg("k"), py::arg("dim") = -1, py::arg("largest") = true,
        py::arg("sorted") = true);
  cls.def("topk", topk, py::arg("k"), py::arg("dim") = -1, py::arg("largest") = true, py::arg("sorted") = true);
  auto kthvalue = [](const Tensor& x, int64_t k, int64_t dim, bool keepdim) {
    return values_indices("kthvalue", without_gil(x.numel(), [&] { return lt::kthvalue(x, k, dim, keepdim); }));
  };
  m.def("kthvalue", kthvalue, py::arg("input"), py::arg("k"), py::arg("dim") = -1, py::arg("keepdim") = false);
  cls.def("kthvalue", kthvalue, py::arg("k"), py::arg("dim") = -1, py::arg("keepdim") = false);
  // median(): all elements, a tensor; median(dim): (values, indices).
  auto median = [](const Tensor& x, std::optional<int64_t> dim, bool keepdim) -> py::object {
    if (!dim) return py::cast(without_gil(x.numel(), [&] { return lt::median(x); }));
    return values_indices("median", without_gil(x.numel(), [&] { return lt::median(x, *dim, keepdim); }));
  };
  m.def("median", median, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false);
  cls.def("median", median, py::arg("dim") = py::none(), py::arg("keepdim") = false);
  auto unique = [](const Tensor& x, bool sorted, bool return_inverse, bool return_counts, std::optional<int64_t> dim) {
    return unique_result(lt::unique(x, sorted, dim), return_inverse, return_counts);
  };
  m.def("unique", unique, py::arg("input"), py::arg("sorted") = true, py::arg("return_inverse") = false,
        py::arg("return_counts") = false, py::arg("dim") = py::none());
  cls.def("unique", unique, py::arg("sorted") = true, py::arg("return_inverse") = false,
          py::arg("return_counts") = false, py::arg("dim") = py::none());
  auto unique_consecutive = [](const Tensor& x, bool return_inverse, bool return_counts, std::optional<int64_t> dim) {
    return unique_result(lt::unique_consecutive(x, dim), return_inverse, return_counts);
  };
  m.def("unique_consecutive", unique_consecutive, py::arg("input"), py::arg("return_inverse") = false,
        py::arg("return_counts") = false, py::arg("dim") = py::none());
  cls.def("unique_consecutive", unique_consecutive, py::arg("return_inverse") = false,
          py::arg("return_counts") = false, py::arg("dim") = py::none());
  auto argwhere = [](const Tensor& x) { return lt::argwhere(x); };
  m.def("argwhere", argwhere, py::arg("input"));
  cls.def("argwhere", argwhere);
  auto nanmedian = [](const Tensor& x, std::optional<int64_t> dim, bool keepdim) -> py::object {
    if (!dim) return py::cast(without_gil(x.numel(), [&] { return lt::nanmedian(x); }));
    return values_indices("nanmedian", without_gil(x.numel(), [&] { return lt::nanmedian(x, *dim, keepdim); }));
  };
  m.def("nanmedian", nanmedian, py::arg("input"), py::arg("dim") = py::none(), py::arg("keepdim") = false);
  cls.def("nanmedian", nanmedian, py::arg("dim") = py::none(), py::arg("keepdim") = false);
  // values: a tensor or a number (a 0-dim result).
  m.def("searchsorted", [](const Tensor& seq, py::handle values, bool out_int32, bool right,
                           std::optional<std::string> side, std::optional<Tensor> sorter) {
    std::optional<std::string_view> s;
    if (side) s = *side;
    if (is_tensor(values)) return lt::searchsorted(seq, tensor_ref(values), out_int32, right, s, sorter);
    Scalar v;
    if (!scalar_from(values, v)) throw py::type_error("searchsorted(): argument 'input' must be Tensor or Number");
    return lt::searchsorted(seq, v, out_int32, right, s, sorter);
  }, py::arg("sorted_sequence"), py::arg("input"), py::kw_only(), py::arg("out_int32") = false,
        py::arg("right") = false, py::arg("side") = py::none(), py::arg("sorter") = py::none());
  auto bincount = [](const Tensor& x, std::optional<Tensor> weights, int64_t minlength) {
    return lt::bincount(x, weights, minlength);
  };
  m.def("bincount", bincount, py::arg("input"), py::arg("weights") = py::none(), py::arg("minlength") = 0);
  cls.def("bincount", bincount, py::arg("weights") = py::none(), py::arg("minlength") = 0);

  // Scans; cumsum_ and cumprod_ write the result back into self.
  for (auto [name, f] : {std::pair{"cumsum", &lt::cumsum}, std::pair{"cumprod", &lt::cumprod}}) {
    auto scan = [f = f](const Tensor& x, int64_t dim, std::optional<DType> dtype) {
      return without_gil(x.numel(), [&] { return f(x, dim, dtype); });
    };
    m.def(name, scan, py::arg("input"), py::arg("dim"), py::kw_only(), py::arg("dtype") = py::none());
    cls.def(name, scan, py::arg("dim"), py::kw_only(), py::arg("dtype") = py::none());
    static std::vector<std::string> names;
    const char* inplace = names.emplace_back(std::string(name) + "_").c_str();
    cls.def(inplace, [f = f, inplace](py::object self, int64_t dim, std::optional<DType> dtype) {
      Tensor& t = tensor_ref(self);
      LT_CHECK(!dtype || *dtype == t.dtype(), DTypeError, inplace, "dtype ", lt::name(*dtype),
               " must match the dtype of self, ", lt::name(t.dtype()));
      assign(inplace, t, f(t, dim, dtype));
      return self;
    }, py::arg("dim"), py::kw_only(), py::arg("dtype") = py::none());
  }
  for (auto [name, f] : {std::pair{"cummax", &lt::cummax}, std::pair{"cummin", &lt::cummin}}) {
    auto scan = [f = f, name = name](const Tensor& x, int64_t dim) {
      return values_indices(name, without_gil(x.numel(), [&] { return f(x, dim); }));
    };
    m.def(name, scan, py::arg("input"), py::arg("dim"));
    cls.def(name, scan, py::arg("dim"));
  }
}

}  // namespace lt::python
