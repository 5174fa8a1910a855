// libtensor._C: the compiled module under the Python package `libtensor`.
#include "bind.h"

PYBIND11_MODULE(_C, m) {
  using namespace lt::python;
  m.doc() = "libtensor's compiled core; use it through the `libtensor` package.";
  init_errors(m);
  init_types(m);
  auto tensor = init_tensor(m);
  init_operators(m, tensor);
  init_math(m, tensor);
  init_shape(m, tensor);
  init_compositions(m, tensor);
  init_linalg(m, tensor);
  init_indexed(m, tensor);
  init_nn(m);
  init_sorting(m, tensor);
  init_factories(m, tensor);
  init_indexing(m, tensor);
  init_numpy(m, tensor);
  init_dlpack(m, tensor);
  init_autograd(m, tensor);
  init_autocast(m);
  init_deterministic(m);
  init_serialization(m);
  init_cuda(m);
  init_fast_paths(m, tensor);  // last: replaces some of the methods bound above
}
