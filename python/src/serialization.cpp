// The compiled half of libtensor.safetensors: dicts of tensors to and from safetensors
// bytes and files. Type checks of the arguments are made here in Python's terms (TypeError);
// what is wrong with a file's content is a SafetensorError (a ValueError).
#include "bind.h"

namespace lt::python {

namespace {

safetensors::TensorMap tensor_map_from(const py::handle& obj, const char* op) {
  if (!py::isinstance<py::dict>(obj))
    throw py::type_error(std::string(op) + ": tensors must be a dict of str to Tensor, not " +
                         std::string(py::str(obj.get_type().attr("__name__"))));
  safetensors::TensorMap out;
  for (auto [key, value] : py::reinterpret_borrow<py::dict>(obj)) {
    if (!py::isinstance<py::str>(key))
      throw py::type_error(std::string(op) + ": tensor names must be str, not " +
                           std::string(py::str(key.get_type().attr("__name__"))));
    if (!is_tensor(value))
      throw py::type_error(std::string(op) + ": value of '" + key.cast<std::string>() + "' must be a Tensor, not " +
                           std::string(py::str(value.get_type().attr("__name__"))));
    out.emplace(key.cast<std::string>(), tensor_ref(value));
  }
  return out;
}

safetensors::Metadata metadata_from(const py::handle& obj, const char* op) {
  safetensors::Metadata out;
  if (obj.is_none()) return out;
  if (!py::isinstance<py::dict>(obj)) throw py::type_error(std::string(op) + ": metadata must be a dict of str to str");
  for (auto [key, value] : py::reinterpret_borrow<py::dict>(obj)) {
    if (!py::isinstance<py::str>(key) || !py::isinstance<py::str>(value))
      throw py::type_error(std::string(op) + ": metadata must be a dict of str to str, got " +
                           std::string(py::repr(key)) + ": " + std::string(py::repr(value)));
    out.emplace(key.cast<std::string>(), value.cast<std::string>());
  }
  return out;
}

py::tuple to_python(safetensors::File file) {
  py::dict tensors;
  for (auto& [name, t] : file.tensors) tensors[py::str(name)] = wrap(std::move(t));
  py::dict metadata;
  for (const auto& [key, value] : file.metadata) metadata[py::str(key)] = py::str(value);
  return py::make_tuple(tensors, metadata);
}

std::string path_from(const py::handle& obj) { return py::str(py::module_::import("os").attr("fspath")(obj)); }

}  // namespace

void init_serialization(py::module_& m) {
  m.def(
      "_safetensors_save",
      [](py::handle tensors, py::handle metadata, bool provenance) {
        auto map = tensor_map_from(tensors, "save");
        auto meta = metadata_from(metadata, "save");
        std::string bytes;
        {
          py::gil_scoped_release release;
          bytes = safetensors::save(map, meta, provenance);
        }
        return py::bytes(bytes);
      },
      py::arg("tensors"), py::arg("metadata") = py::none(), py::arg("provenance") = false);
  m.def(
      "_safetensors_save_file",
      [](py::handle tensors, py::handle filename, py::handle metadata, bool provenance) {
        auto map = tensor_map_from(tensors, "save_file");
        auto meta = metadata_from(metadata, "save_file");
        std::string path = path_from(filename);
        py::gil_scoped_release release;
        safetensors::save_file(map, path, meta, provenance);
      },
      py::arg("tensors"), py::arg("filename"), py::arg("metadata") = py::none(), py::arg("provenance") = false);
  m.def(
      "_safetensors_load",
      [](py::bytes data, bool verify) {
        std::string_view view = data;  // the bytes object stays alive (and immutable) meanwhile
        safetensors::File file;
        {
          py::gil_scoped_release release;
          file = safetensors::load(view, verify);
        }
        return to_python(std::move(file));
      },
      py::arg("data"), py::arg("verify") = false);
  m.def(
      "_safetensors_load_file",
      [](py::handle filename, bool verify) {
        std::string path = path_from(filename);
        safetensors::File file;
        {
          py::gil_scoped_release release;
          file = safetensors::load_file(path, verify);
        }
        return to_python(std::move(file));
      },
      py::arg("filename"), py::arg("verify") = false);
}

}  // namespace lt::python
