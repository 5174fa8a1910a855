// lt.use_deterministic_algorithms and libtensor's warnings, sent to Python's `warnings`.
#include "libtensor/deterministic.h"

#include "bind.h"

namespace lt::python {

void init_deterministic(py::module_& m) {
  m.def("use_deterministic_algorithms", &use_deterministic_algorithms,
        "Makes every run give the same bits: floating sums that a GPU would add in any order take a sorted path, "
        "and operators without one raise (or, with warn_only, warn).",
        py::arg("mode"), py::kw_only(), py::arg("warn_only") = false);
  m.def("are_deterministic_algorithms_enabled", &are_deterministic_algorithms_enabled,
        "Whether use_deterministic_algorithms(True) is in effect.");
  m.def("is_deterministic_algorithms_warn_only_enabled", &is_deterministic_algorithms_warn_only_enabled,
        "Whether deterministic mode only warns about operators without a deterministic implementation.");
  // An operator may warn with the GIL released (without_gil); the handler takes it back.
  set_warning_handler([](const std::string& message) {
    py::gil_scoped_acquire gil;
    if (PyErr_WarnEx(PyExc_UserWarning, message.c_str(), 1) < 0) throw py::error_already_set();
  });
}

}  // namespace lt::python
