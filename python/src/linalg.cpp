// lt::linalg for Python: the _linalg_* functions that libtensor/linalg.py gives
// PyTorch's names and signatures, and PyTorch's top-level forms and methods (det,
// inverse, cholesky, ...). Results of several tensors are named tuples, as PyTorch's.
#include <map>

#include "bind.h"

namespace lt::python {
namespace {

// torch.return_types.<type_name> with the given fields.
template <class... T>
py::object named(const char* type_name, std::initializer_list<const char*> fields, const std::tuple<T...>& r) {
  static py::handle namedtuple = py::object(py::module_::import("collections").attr("namedtuple")).release();
  static std::map<std::string, py::handle> types;
  auto& type = types[type_name];
  if (!type) {
    py::list names;
    for (const char* f : fields) names.append(f);
    type = namedtuple(type_name, names).release();
  }
  return std::apply([&](const auto&... t) { return type(t...); }, r);
}

py::object slogdet(const Tensor& A) { return named("slogdet", {"sign", "logabsdet"}, linalg::slogdet(A)); }

py::object lu_unpack(const Tensor& LU, const Tensor& pivots) {
  return named("lu_unpack", {"P", "L", "U"}, linalg::lu_unpack(LU, pivots));
}

// f as torch.name(input, ...) and as Tensor.name(...).
template <class F, class... Args>
void def_both(py::module_& m, py::class_<Tensor>& cls, const char* name, F f, Args... args) {
  m.def(name, f, py::arg("input"), args...);
  cls.def(name, f, args...);
}

}  // namespace

void init_linalg(py::module_& m, py::class_<Tensor>& cls) {
  using namespace py::literals;
  using linalg::cholesky, linalg::cholesky_solve, linalg::cholesky_inverse;

  // --- libtensor.linalg's (see linalg.py) -----------------------------------------------
  m.def("_linalg_lu_factor_ex", [](const Tensor& A, bool check_errors) {
    return named("linalg_lu_factor_ex", {"LU", "pivots", "info"}, linalg::lu_factor_ex(A, check_errors));
  }, "A"_a, "check_errors"_a = false);
  m.def("_linalg_lu_factor", [](const Tensor& A) {
    return named("linalg_lu_factor", {"LU", "pivots"}, linalg::lu_factor(A));
  }, "A"_a);
  m.def("_linalg_lu", [](const Tensor& A) { return named("linalg_lu", {"P", "L", "U"}, linalg::lu(A)); }, "A"_a);
  m.def("_linalg_lu_solve", &linalg::lu_solve, "LU"_a, "pivots"_a, "B"_a, "left"_a = true, "adjoint"_a = false);
  m.def("_linalg_solve_triangular", &linalg::solve_triangular, "A"_a, "B"_a, "upper"_a, "left"_a = true,
        "unitriangular"_a = false);
  m.def("_linalg_solve", &linalg::solve, "A"_a, "B"_a, "left"_a = true);
  m.def("_linalg_inv", &linalg::inv, "A"_a);
  m.def("_linalg_inv_ex", [](const Tensor& A, bool check_errors) {
    return named("linalg_inv_ex", {"inverse", "info"}, linalg::inv_ex(A, check_errors));
  }, "A"_a, "check_errors"_a = false);
  m.def("_linalg_det", &linalg::det, "A"_a);
  m.def("_linalg_slogdet", [](const Tensor& A) {
    return named("linalg_slogdet", {"sign", "logabsdet"}, linalg::slogdet(A));
  }, "A"_a);
  m.def("_linalg_cholesky", &linalg::cholesky, "A"_a, "upper"_a = false);
  m.def("_linalg_cholesky_ex", [](const Tensor& A, bool upper, bool check_errors) {
    return named("linalg_cholesky_ex", {"L", "info"}, linalg::cholesky_ex(A, upper, check_errors));
  }, "A"_a, "upper"_a = false, "check_errors"_a = false);
  m.def("_linalg_matrix_power", &linalg::matrix_power, "A"_a, "n"_a);
  m.def("_linalg_eigh", [](const Tensor& A, std::string_view uplo) {
    return named("linalg_eigh", {"eigenvalues", "eigenvectors"}, linalg::eigh(A, uplo));
  }, "A"_a, "UPLO"_a = "L");
  m.def("_linalg_eigvalsh", &linalg::eigvalsh, "A"_a, "UPLO"_a = "L");

  // --- PyTorch's top-level forms and methods -------------------------------------------
  def_both(m, cls, "det", &linalg::det);
  def_both(m, cls, "logdet", &linalg::logdet);
  def_both(m, cls, "slogdet", &slogdet);
  def_both(m, cls, "inverse", &linalg::inv);
  def_both(m, cls, "cholesky", &cholesky, "upper"_a = false);
  def_both(m, cls, "cholesky_inverse", &cholesky_inverse, "upper"_a = false);
  def_both(m, cls, "matrix_power", &linalg::matrix_power, "n"_a);
  // torch.cholesky_solve(B, L) and B.cholesky_solve(L): the right-hand side first.
  def_both(m, cls, "cholesky_solve", &cholesky_solve, "input2"_a, "upper"_a = false);
  // torch.lu_solve(b, LU_data, LU_pivots): the right-hand side first.
  def_both(m, cls, "lu_solve", +[](const Tensor& b, const Tensor& LU, const Tensor& pivots) {
    return linalg::lu_solve(LU, pivots, b);
  }, "LU_data"_a, "LU_pivots"_a);
  m.def("lu_unpack", &lu_unpack, "LU_data"_a, "LU_pivots"_a);
}

}  // namespace lt::python
