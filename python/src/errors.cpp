// libtensor's errors as the Python exceptions PyTorch raises for the same mistakes.
#include <cstring>

#include "bind.h"

namespace lt::python {

namespace {
PyObject* gradcheck_error = nullptr;
PyObject* safetensor_error = nullptr;
PyObject* out_of_memory_error = nullptr;
PyObject* linalg_error = nullptr;

void translate(std::exception_ptr p) {
  try {
    if (p) std::rethrow_exception(p);
  } catch (const IndexError& e) {
    PyErr_SetString(PyExc_IndexError, e.what());
  } catch (const NotImplementedError& e) {
    PyErr_SetString(PyExc_NotImplementedError, e.what());
  } catch (const GradcheckError& e) {
    PyErr_SetString(gradcheck_error, e.what());
  } catch (const FormatError& e) {
    PyErr_SetString(safetensor_error, e.what());
  } catch (const OutOfMemoryError& e) {
    PyErr_SetString(out_of_memory_error, e.what());
  } catch (const LinAlgError& e) {
    PyErr_SetString(linalg_error, e.what());
  } catch (const FileError& e) {
    // OSError(errno, message, filename) picks the subclass: FileNotFoundError, PermissionError...
    PyObject* error = PyObject_CallFunction(PyExc_OSError, "iss", e.code(), std::strerror(e.code()),
                                            e.path().c_str());
    if (error) {
      PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(error)), error);
      Py_DECREF(error);
    }
  } catch (const Error& e) {  // shapes, dtypes, devices, bad argument values, autograd misuse
    // PyTorch raises RuntimeError from its C++ checks of argument values too (a step of
    // 0, repeated dims); Python's ValueError comes only from checks made in Python's terms.
    PyErr_SetString(PyExc_RuntimeError, e.what());
  } catch (const std::bad_alloc&) {
    PyErr_SetString(PyExc_MemoryError, "libtensor: out of memory");
  }
}
}  // namespace

void set_python_error() {
  try {
    throw;
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (const py::builtin_exception& e) {
    e.set_error();
  } catch (const Error&) {
    translate(std::current_exception());
  } catch (const std::bad_alloc&) {
    translate(std::current_exception());
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  } catch (...) {
    PyErr_SetString(PyExc_RuntimeError, "libtensor: unknown C++ exception");
  }
}

void init_errors(py::module_& m) {
  // GradcheckError subclasses RuntimeError, as torch.autograd.gradcheck's does.
  static py::exception<GradcheckError> error(m, "GradcheckError", PyExc_RuntimeError);
  gradcheck_error = error.ptr();
  // A file whose content breaks the safetensors rules: bad input, hence a ValueError (the
  // safetensors package's own SafetensorError derives from Exception alone).
  static py::exception<FormatError> format_error(m, "SafetensorError", PyExc_ValueError);
  safetensor_error = format_error.ptr();
  // Device memory exhausted: libtensor.cuda.OutOfMemoryError, a RuntimeError, as torch's.
  static py::exception<OutOfMemoryError> oom(m, "OutOfMemoryError", PyExc_RuntimeError);
  out_of_memory_error = oom.ptr();
  // A singular or indefinite matrix: libtensor.linalg.LinAlgError, a RuntimeError, as torch's (_C._LinAlgError).
  static py::exception<LinAlgError> linalg(m, "_LinAlgError", PyExc_RuntimeError);
  linalg_error = linalg.ptr();
  py::register_exception_translator(translate);
}

}  // namespace lt::python
