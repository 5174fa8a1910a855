// Autograd from Python: backward and grad, grad modes, hooks, grad_fn nodes, custom
// Functions (autograd.Function) and gradcheck.
//
// backward runs without the GIL; Python code it calls (hooks, Function.backward)
// takes the GIL back for as long as it runs.
#include <cstdio>
#include <set>

#include "bind.h"

namespace lt::python {

namespace {

using autograd::TensorList;

// A Python callable held by C++ (a hook, a Function's backward): called and released
// with the GIL, whichever thread the engine runs it on.
class PyCallable {
 public:
  explicit PyCallable(py::object fn)
      : fn_(new py::object(std::move(fn)), [](py::object* p) {
          if (!Py_IsInitialized()) return;  // the interpreter is gone; so is the object
          py::gil_scoped_acquire gil;
          delete p;
        }) {}
  template <class... Args>
  py::object operator()(Args&&... args) const {
    return (*fn_)(std::forward<Args>(args)...);
  }

 private:
  std::shared_ptr<py::object> fn_;
};

// A tensor or a sequence of tensors (None allowed where `allow_none`) as a list.
TensorList tensor_list(py::handle h, const char* what, bool allow_none = false) {
  TensorList out;
  if (!h || h.is_none()) return out;
  if (is_tensor(h)) return {tensor_ref(h)};
  for (py::handle item : h) {
    if (item.is_none() && allow_none) out.emplace_back();
    else if (is_tensor(item)) out.push_back(tensor_ref(item));
    else throw py::type_error(std::string(what) + " must be a Tensor or a sequence of Tensors");
  }
  return out;
}

py::tuple grads_tuple(const TensorList& grads) {
  py::tuple out(grads.size());
  for (size_t i = 0; i < grads.size(); ++i) out[i] = grads[i].defined() ? wrap(grads[i]) : py::none();
  return out;
}

std::function<Tensor(const Tensor&)> python_hook(py::object fn) {
  return [fn = PyCallable(std::move(fn))](const Tensor& grad) -> Tensor {
    py::gil_scoped_acquire gil;
    py::object r = fn(grad);
    if (r.is_none()) return Tensor();
    if (!is_tensor(r)) throw py::type_error("a tensor hook must return None or a Tensor");
    const Tensor& g = tensor_ref(r);
    LT_CHECK(g.sizes() == grad.sizes(), AutogradError, "hook", "the hook changed the gradient's shape from ",
             str(grad.sizes()), " to ", str(g.sizes()));
    LT_CHECK(g.dtype() == grad.dtype(), AutogradError, "hook", "the hook changed the gradient's dtype from ",
             name(grad.dtype()), " to ", name(g.dtype()));
    return g;
  };
}

// The handle register_hook returns, as in PyTorch: handle.remove() unregisters.
struct HookHandle {
  std::weak_ptr<TensorImpl> tensor;
  int id;
  void remove() {
    if (auto impl = tensor.lock()) Tensor(impl).remove_hook(id);
  }
};

// PyTorch's names: formulas carry the overload number ("MulBackward0"); AccumulateGrad
// and CopySlices, which are no formulas, do not.
// Names of Python Functions, kept for the lifetime of the process: nodes refer to them.
const char* intern(const std::string& name) {
  static std::mutex mutex;
  static std::set<std::string> names;
  std::lock_guard lock(mutex);
  return names.insert(name).first->c_str();
}

// autograd.Function.apply: runs forward without recording, then records its tensor
// outputs as one node whose derivative is the class's backward.
py::object apply_function(const std::string& name, py::object ctx_obj, py::tuple args, py::object forward,
                          py::object backward) {
  auto ctx = ctx_obj.cast<std::shared_ptr<autograd::AutogradContext>>();
  TensorList inputs;
  std::vector<size_t> positions;  // which argument each tensor input was
  for (size_t i = 0; i < args.size(); ++i) {
    if (is_tensor(args[i])) {
      inputs.push_back(tensor_ref(args[i]));
      positions.push_back(i);
    }
  }
  py::object result;
  bool single = false;
  auto run_forward = [&]() -> TensorList {
    result = forward();
    if (is_tensor(result)) {
      single = true;
      return {tensor_ref(result)};
    }
    TensorList outs;
    if (!PyTuple_Check(result.ptr()) && !PyList_Check(result.ptr()))
      throw py::type_error(name + ".forward must return a Tensor or a tuple of Tensors");
    for (py::handle o : result) {
      if (!is_tensor(o)) throw py::type_error(name + ".forward must return only Tensors");
      outs.push_back(tensor_ref(o));
    }
    return outs;
  };
  size_t num_args = args.size();
  auto run_backward = [backward = PyCallable(std::move(backward)), ctx_ref = PyCallable(ctx_obj), positions,
                       num_args, name](autograd::AutogradContext&, TensorList grads) -> TensorList {
    py::gil_scoped_acquire gil;
    py::tuple g(grads.size());
    for (size_t i = 0; i < grads.size(); ++i) g[i] = grads[i].defined() ? wrap(grads[i]) : py::none();
    py::object r = backward(g);
    py::tuple rs = is_tensor(r) || r.is_none() ? py::make_tuple(r) : py::tuple(r);
    // Extra trailing Nones stand for optional arguments forward was called without.
    size_t given = rs.size();
    while (given > num_args && rs[given - 1].is_none()) --given;
    if (given != num_args)
      fail<AutogradError>(name, "function backward returned an incorrect number of gradients (expected ", num_args,
                          ", got ", rs.size(), ")");
    TensorList out;
    for (size_t p : positions) {
      py::handle x = rs[p];
      if (x.is_none()) out.emplace_back();
      else if (is_tensor(x)) out.push_back(tensor_ref(x));
      else throw py::type_error(name + ".backward must return Tensors or None");
    }
    return out;
  };
  autograd::apply_function(intern(name), ctx, inputs, run_forward, std::move(run_backward));
  return single ? result : py::object(py::tuple(result));
}

}  // namespace

void init_autograd(py::module_& m, py::class_<Tensor>& cls) {
  // Grad modes. The Python context managers (libtensor.no_grad, ...) set these.
  m.def("is_grad_enabled", &autograd::is_grad_enabled);
  m.def("_set_grad_enabled", &autograd::set_grad_enabled, py::arg("mode"));
  m.def("is_inference_mode_enabled", &autograd::is_inference_mode_enabled);
  m.def("_get_autograd_mode", [] {
    return py::make_tuple(autograd::detail::mode.grad_enabled, autograd::detail::mode.inference);
  });
  m.def("_set_autograd_mode", [](bool grad_enabled, bool inference) {
    autograd::detail::mode = {grad_enabled, inference};
  });

  py::class_<autograd::Node, std::shared_ptr<autograd::Node>>(m, "Node", "A recorded operation's derivative.")
      .def("name", &autograd::Node::name)
      .def_property_readonly("next_functions", [](const autograd::Node& n) {
        py::tuple out(n.next_edges().size());
        for (size_t i = 0; i < out.size(); ++i) {
          const autograd::Edge& e = n.next_edges()[i];
          out[i] = py::make_tuple(e.fn ? py::cast(e.fn) : py::none(), e.input_nr);
        }
        return out;
      })
      .def("__repr__", [](py::handle self) {
        std::string name = self.cast<autograd::Node&>().name();
        char address[32];
        std::snprintf(address, sizeof(address), "%p", static_cast<void*>(self.ptr()));
        return "<" + name + " object at " + address + ">";
      });

  py::class_<HookHandle>(m, "RemovableHandle").def("remove", &HookHandle::remove);

  cls.def_property("requires_grad", LT_METHOD(requires_grad),
                   [](const Tensor& t, bool v) { t.requires_grad_(v); })
      .def("requires_grad_", [](py::object self, bool v) {
        tensor_ref(self).requires_grad_(v);
        return self;
      }, py::arg("requires_grad") = true)
      .def_property("grad", [](const Tensor& t) -> py::object {
        Tensor g = t.grad();
        return g.defined() ? wrap(g) : py::none();
      }, [](const Tensor& t, py::object g) { t.set_grad(g.is_none() ? Tensor() : tensor_ref(g)); })
      .def_property_readonly("grad_fn", [](const Tensor& t) -> py::object {
        auto fn = t.grad_fn();
        return fn ? py::cast(fn) : py::none();
      })
      .def_property_readonly("is_leaf", LT_METHOD(is_leaf))
      .def_property_readonly("output_nr", LT_METHOD(output_nr))
      .def_property_readonly("_version", LT_METHOD(version))
      .def_property_readonly("retains_grad", LT_METHOD(retains_grad))
      .def("retain_grad", LT_METHOD(retain_grad))
      .def("detach", LT_METHOD(detach))
      .def("detach_", [](py::object self) {
        tensor_ref(self).detach_();
        return self;
      })
      .def("is_view", LT_METHOD(is_view))
      .def_property_readonly("_base", [](const Tensor& t) -> py::object {
        return t.is_view() ? wrap(t.base()) : py::none();
      })
      .def("backward", [](const Tensor& t, py::object gradient, std::optional<bool> retain_graph, bool create_graph,
                          py::object inputs) {
        if (!inputs.is_none()) throw py::value_error("backward(inputs=...) is not supported; use libtensor.autograd.grad");
        Tensor g = gradient.is_none() ? Tensor() : tensor_ref(gradient);
        py::gil_scoped_release release;
        t.backward(g, retain_graph, create_graph);
      }, py::arg("gradient") = py::none(), py::arg("retain_graph") = py::none(), py::arg("create_graph") = false,
           py::arg("inputs") = py::none())
      .def("register_hook", [](const Tensor& t, py::object fn) {
        if (!t.requires_grad())
          throw std::runtime_error("cannot register a hook on a tensor that doesn't require gradient");
        return HookHandle{t.shared_impl(), t.register_hook(python_hook(std::move(fn)))};
      }, py::arg("hook"))
      .def("register_post_accumulate_grad_hook", [](const Tensor& t, py::object fn) {
        if (!t.is_leaf()) throw std::runtime_error("post accumulate grad hooks cannot be registered on non-leaf tensors");
        int id = t.register_post_accumulate_grad_hook([fn = PyCallable(std::move(fn))](const Tensor& leaf) {
          py::gil_scoped_acquire gil;
          fn(leaf);
        });
        return HookHandle{t.shared_impl(), id};
      }, py::arg("hook"));

  m.def("_backward", [](py::handle tensors, py::handle grad_tensors, std::optional<bool> retain_graph,
                        bool create_graph) {
    TensorList ts = tensor_list(tensors, "tensors"), gs = tensor_list(grad_tensors, "grad_tensors", true);
    py::gil_scoped_release release;
    autograd::backward(ts, gs, retain_graph, create_graph);
  }, py::arg("tensors"), py::arg("grad_tensors") = py::none(), py::arg("retain_graph") = py::none(),
        py::arg("create_graph") = false);
  m.def("_grad", [](py::handle outputs, py::handle inputs, py::handle grad_outputs, std::optional<bool> retain_graph,
                    bool create_graph, bool allow_unused) {
    TensorList os = tensor_list(outputs, "outputs"), is = tensor_list(inputs, "inputs"),
               gs = tensor_list(grad_outputs, "grad_outputs", true);
    TensorList grads;
    {
      py::gil_scoped_release release;
      grads = autograd::grad(os, is, gs, retain_graph, create_graph, allow_unused);
    }
    return grads_tuple(grads);
  }, py::arg("outputs"), py::arg("inputs"), py::arg("grad_outputs") = py::none(), py::arg("retain_graph") = py::none(),
        py::arg("create_graph") = false, py::arg("allow_unused") = false);

  // Custom functions.
  py::class_<autograd::AutogradContext, std::shared_ptr<autograd::AutogradContext>>(m, "_FunctionCtx",
                                                                                    py::dynamic_attr())
      .def(py::init<>())
      .def("_save", [](autograd::AutogradContext& c, py::handle tensors) {
        c.save_for_backward(tensor_list(tensors, "save_for_backward", true));
      })
      .def("_saved", [](const autograd::AutogradContext& c) { return grads_tuple(c.get_saved_variables()); })
      .def("_mark_non_differentiable", [](autograd::AutogradContext& c, py::handle tensors) {
        c.mark_non_differentiable(tensor_list(tensors, "mark_non_differentiable"));
      });
  m.def("_apply_function", apply_function, py::arg("name"), py::arg("ctx"), py::arg("args"), py::arg("forward"),
        py::arg("backward"));

  // gradcheck: `fn` maps a list of tensors to a list of tensors.
  m.def("_gradcheck", [](py::object fn, py::handle inputs, double eps, double atol, double rtol,
                         bool raise_exception, bool second_order) {
    autograd::GradcheckFunction f = [&fn](const TensorList& xs) {
      py::list args;
      for (const Tensor& x : xs) args.append(wrap(x));
      return tensor_list(fn(args), "gradcheck's function output");
    };
    autograd::GradcheckOptions options{eps, atol, rtol, raise_exception};
    TensorList xs = tensor_list(inputs, "inputs");
    return second_order ? autograd::gradgradcheck(f, xs, options) : autograd::gradcheck(f, xs, options);
  });
}

}  // namespace lt::python
