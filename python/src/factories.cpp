// Creation functions (zeros, arange, randn, *_like, new_*), random fills and Generator,
// with PyTorch's keyword arguments: dtype, device, requires_grad, generator, out.
#include <chrono>
#include <cstring>
#include <random>

#include "bind.h"

namespace lt::python {

namespace {

const std::initializer_list<const char*> kFactoryKeywords = {"dtype", "device", "requires_grad", "out", "layout",
                                                             "pin_memory", "memory_format", "generator"};
const std::initializer_list<const char*> kSizedKeywords = {"dtype", "device", "requires_grad", "out", "layout",
                                                           "pin_memory", "memory_format", "generator", "size"};

Generator* generator_of(const Kwargs& kw) {
  py::handle g = kw.get("generator");
  return g ? &g.cast<Generator&>() : nullptr;
}

Tensor finish(const char* op, Tensor t, const Kwargs& kw) {
  if (kw.requires_grad()) t.requires_grad_(true);
  if (py::handle out = kw.get("out")) return write_out(op, t, tensor_ref(out));
  return t;
}

// full and friends: the value, checked against the dtype it fills.
Tensor filled(const char* op, IntList shape, const Scalar& value, std::optional<DType> dtype, Device device) {
  check_fits(value, dtype.value_or(value.dtype()), op);
  return full(shape, value, dtype, device);
}

Scalar number(py::handle h, const char* op) {
  Scalar s;
  if (scalar_from(h, s)) return s;
  if (is_tensor(h) && tensor_ref(h).numel() == 1) return tensor_ref(h).item();
  throw py::type_error(std::string(op) + "(): expected a number, got " +
                       std::string(py::str(py::type::of(h).attr("__name__"))));
}

// The dtype and device of a *_like or new_* result: the keyword, else the input's.
DType like_dtype(const Tensor& t, const Kwargs& kw) { return kw.dtype().value_or(t.dtype()); }
Device like_device(const Tensor& t, const Kwargs& kw) { return kw.get("device") ? kw.device() : t.device(); }

uint64_t fresh_seed() {
  std::random_device rd;
  return (uint64_t{rd()} << 32) ^ rd() ^ static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

void init_factories(py::module_& m, py::class_<Tensor>& cls) {
  // Sized constructors: f(*size, **kwargs) and f(size, **kwargs).
  using Sized = Tensor (*)(const Shape&, const Kwargs&);
  const std::pair<const char*, Sized> sized[] = {
      {"zeros", [](const Shape& s, const Kwargs& kw) { return zeros(s, kw.dtype(), kw.device()); }},
      {"ones", [](const Shape& s, const Kwargs& kw) { return ones(s, kw.dtype(), kw.device()); }},
      {"empty", [](const Shape& s, const Kwargs& kw) { return empty(s, kw.dtype(), kw.device()); }},
      {"rand", [](const Shape& s, const Kwargs& kw) {
         return rand(s, kw.dtype(), kw.device(), generator_of(kw));
       }},
      {"randn", [](const Shape& s, const Kwargs& kw) {
         return randn(s, kw.dtype(), kw.device(), generator_of(kw));
       }},
  };
  for (auto [name, f] : sized) {
    m.def(name, [name = name, f = f](py::args size, py::kwargs kwargs) {
      Kwargs kw(kwargs, name, kSizedKeywords);
      Shape shape = kwargs.contains("size") ? shape_from(kwargs["size"], name) : shape_from_args(size, name);
      return finish(name, f(shape, kw), kw);
    });
  }
  m.def("full", [](py::handle size, py::handle value, py::kwargs kwargs) {
    Kwargs kw(kwargs, "full", kFactoryKeywords);
    return finish("full", filled("full", shape_from(size, "full"), number(value, "full"), kw.dtype(), kw.device()), kw);
  }, py::arg("size"), py::arg("fill_value"));
  m.def("scalar_tensor", [](py::handle value, py::kwargs kwargs) {
    Kwargs kw(kwargs, "scalar_tensor", kFactoryKeywords);
    Scalar s = number(value, "scalar_tensor");
    // The default dtype whatever the number's kind, as PyTorch's (scalar_tensor(True) is 1.0).
    return finish("scalar_tensor", scalar_tensor(s, kw.dtype().value_or(default_dtype()), kw.device()), kw);
  }, py::arg("s"));
  m.def("arange", [](py::args args, py::kwargs kwargs) {
    Kwargs kw(kwargs, "arange", {"dtype", "device", "requires_grad", "out", "layout", "pin_memory", "start", "end",
                                 "step"});
    // PyTorch's arange(end), arange(start, end[, step]), with any of them as keywords.
    std::vector<Scalar> p;
    for (py::handle a : args) p.push_back(number(a, "arange"));
    auto kw_number = [&](const char* key) -> std::optional<Scalar> {
      if (!kw.get(key)) return std::nullopt;
      return number(kw.get(key), "arange");
    };
    if (p.size() > 3) throw py::type_error("arange() takes 1 to 3 positional arguments (end | start, end[, step])");
    std::optional<Scalar> start = kw_number("start"), end = kw_number("end"), step = kw_number("step");
    if (p.size() == 1 && !end) end = p[0];
    else if (p.size() == 1) start = p[0];
    if (p.size() >= 2) start = p[0], end = p[1];
    if (p.size() == 3) step = p[2];
    if (!end) throw py::type_error("arange() missing required argument 'end'");
    Tensor r = arange(start.value_or(Scalar(0)), *end, step.value_or(Scalar(1)), kw.dtype(), kw.device());
    return finish("arange", r, kw);
  });
  m.def("linspace", [](py::handle start, py::handle end, int64_t steps, py::kwargs kwargs) {
    Kwargs kw(kwargs, "linspace", kFactoryKeywords);
    return finish("linspace", linspace(number(start, "linspace"), number(end, "linspace"), steps,
                                       kw.dtype(), kw.device()), kw);
  }, py::arg("start"), py::arg("end"), py::arg("steps"));
  m.def("logspace", [](py::handle start, py::handle end, int64_t steps, double base, py::kwargs kwargs) {
    Kwargs kw(kwargs, "logspace", kFactoryKeywords);
    return finish("logspace", lt::logspace(number(start, "logspace"), number(end, "logspace"), steps, base,
                                           kw.dtype(), kw.device()), kw);
  }, py::arg("start"), py::arg("end"), py::arg("steps"), py::arg("base") = 10.0);
  m.def("eye", [](int64_t n, std::optional<int64_t> cols, py::kwargs kwargs) {
    Kwargs kw(kwargs, "eye", kFactoryKeywords);
    return finish("eye", eye(n, cols, kw.dtype(), kw.device()), kw);
  }, py::arg("n"), py::arg("m") = py::none());
  m.def("randint", [](py::args args, py::kwargs kwargs) {
    Kwargs kw(kwargs, "randint", {"dtype", "device", "requires_grad", "out", "layout", "pin_memory", "generator",
                                  "size", "low", "high"});
    std::vector<py::handle> a(args.begin(), args.end());
    py::handle size_arg = kwargs.contains("size") ? py::handle(kwargs["size"]) : py::handle();
    if (!size_arg && !a.empty() && (PyTuple_Check(a.back().ptr()) || PyList_Check(a.back().ptr()))) {
      size_arg = a.back();
      a.pop_back();
    }
    if (kwargs.contains("low")) a.insert(a.begin(), kwargs["low"]);
    if (kwargs.contains("high")) a.push_back(kwargs["high"]);
    if (!size_arg || a.empty() || a.size() > 2)
      throw py::type_error("randint() expects (high, size) or (low, high, size)");
    int64_t low = a.size() == 2 ? a[0].cast<int64_t>() : 0, high = a.back().cast<int64_t>();
    DType dtype = kw.dtype().value_or(DType::Int64);
    check_fits(low, dtype, "randint");
    if (high > low) check_fits(high - 1, dtype, "randint");
    Tensor r = randint(low, high, shape_from(size_arg, "randint"), dtype, kw.device(), generator_of(kw));
    return finish("randint", r, kw);
  });

  // *_like: the input's shape, and its dtype and device unless given.
  using Like = Tensor (*)(const Tensor&, const Kwargs&);
  const std::pair<const char*, Like> likes[] = {
      {"zeros_like", [](const Tensor& t, const Kwargs& kw) { return zeros(t.sizes(), like_dtype(t, kw), like_device(t, kw)); }},
      {"ones_like", [](const Tensor& t, const Kwargs& kw) { return ones(t.sizes(), like_dtype(t, kw), like_device(t, kw)); }},
      {"empty_like", [](const Tensor& t, const Kwargs& kw) { return empty(t.sizes(), like_dtype(t, kw), like_device(t, kw)); }},
      {"rand_like", [](const Tensor& t, const Kwargs& kw) {
         return rand(t.sizes(), like_dtype(t, kw), like_device(t, kw), generator_of(kw));
       }},
      {"randn_like", [](const Tensor& t, const Kwargs& kw) {
         return randn(t.sizes(), like_dtype(t, kw), like_device(t, kw), generator_of(kw));
       }},
  };
  for (auto [name, f] : likes) {
    m.def(name, [name = name, f = f](const Tensor& t, py::kwargs kwargs) {
      Kwargs kw(kwargs, name, kFactoryKeywords);
      return finish(name, f(t, kw), kw);
    }, py::arg("input"));
  }
  m.def("full_like", [](const Tensor& t, py::handle value, py::kwargs kwargs) {
    Kwargs kw(kwargs, "full_like", kFactoryKeywords);
    return finish("full_like",
                  filled("full_like", t.sizes(), number(value, "full_like"), like_dtype(t, kw), like_device(t, kw)), kw);
  }, py::arg("input"), py::arg("fill_value"));
  m.def("randint_like", [](const Tensor& t, int64_t a, std::optional<int64_t> b, py::kwargs kwargs) {
    Kwargs kw(kwargs, "randint_like", kFactoryKeywords);
    int64_t low = b ? a : 0, high = b ? *b : a;
    return finish("randint_like", randint(low, high, t.sizes(), like_dtype(t, kw), like_device(t, kw), generator_of(kw)), kw);
  }, py::arg("input"), py::arg("low"), py::arg("high") = py::none());

  // new_*: like the tensor (dtype, device) with a new shape.
  using New = Tensor (*)(const Tensor&, const Shape&, const Kwargs&);
  const std::pair<const char*, New> news[] = {
      {"new_zeros", [](const Tensor& t, const Shape& s, const Kwargs& kw) { return zeros(s, like_dtype(t, kw), like_device(t, kw)); }},
      {"new_ones", [](const Tensor& t, const Shape& s, const Kwargs& kw) { return ones(s, like_dtype(t, kw), like_device(t, kw)); }},
      {"new_empty", [](const Tensor& t, const Shape& s, const Kwargs& kw) { return empty(s, like_dtype(t, kw), like_device(t, kw)); }},
  };
  for (auto [name, f] : news) {
    cls.def(name, [name = name, f = f](const Tensor& t, py::args size, py::kwargs kwargs) {
      Kwargs kw(kwargs, name, kFactoryKeywords);
      return finish(name, f(t, shape_from_args(size, name), kw), kw);
    });
  }
  cls.def("new_full", [](const Tensor& t, py::handle size, py::handle value, py::kwargs kwargs) {
    Kwargs kw(kwargs, "new_full", kFactoryKeywords);
    return finish("new_full", filled("new_full", shape_from(size, "new_full"), number(value, "new_full"),
                                     like_dtype(t, kw), like_device(t, kw)), kw);
  }, py::arg("size"), py::arg("fill_value"));

  // Random fills and sampling. random_(to) and random_(from, to), as PyTorch's overloads.
  cls.def("random_", [](py::object self, py::args args, py::kwargs kwargs) {
    Kwargs kw(kwargs, "random_", {"from", "to", "generator"});
    std::optional<int64_t> from, to;
    auto integer = [](py::handle h) -> std::optional<int64_t> {
      if (h.is_none()) return std::nullopt;
      if (!PyLong_Check(h.ptr())) throw py::type_error("random_(): from and to must be ints or None");
      int overflow = 0;
      const long long v = PyLong_AsLongLongAndOverflow(h.ptr(), &overflow);
      if (overflow) throw py::value_error("random_(): from and to must fit in 64 bits");
      return static_cast<int64_t>(v);
    };
    if (args.size() > 2) throw py::type_error("random_() takes at most 2 positional arguments");
    if (args.size() == 1) to = integer(args[0]);
    if (args.size() == 2) {
      from = integer(args[0]);
      to = integer(args[1]);
    }
    if (kwargs.contains("from")) from = integer(kwargs["from"]);
    if (kwargs.contains("to")) to = integer(kwargs["to"]);
    random_(tensor_ref(self), from.value_or(0), to, generator_of(kw));
    return self;
  });
  cls.def("uniform_", [](py::object self, double from, double to, Generator* g) {
    uniform_(tensor_ref(self), from, to, g);
    return self;
  }, py::arg("from") = 0.0, py::arg("to") = 1.0, py::kw_only(), py::arg("generator") = py::none());
  cls.def("normal_", [](py::object self, double mean, double std, Generator* g) {
    normal_(tensor_ref(self), mean, std, g);
    return self;
  }, py::arg("mean") = 0.0, py::arg("std") = 1.0, py::kw_only(), py::arg("generator") = py::none());
  cls.def("bernoulli_", [](py::object self, double p, Generator* g) {
    bernoulli_(tensor_ref(self), p, g);
    return self;
  }, py::arg("p") = 0.5, py::kw_only(), py::arg("generator") = py::none());
  cls.def("exponential_", [](py::object self, double lambd, Generator* g) {
    exponential_(tensor_ref(self), lambd, g);
    return self;
  }, py::arg("lambd") = 1.0, py::kw_only(), py::arg("generator") = py::none());
  cls.def("geometric_", [](py::object self, double p, Generator* g) {
    geometric_(tensor_ref(self), p, g);
    return self;
  }, py::arg("p"), py::kw_only(), py::arg("generator") = py::none());
  cls.def("cauchy_", [](py::object self, double median, double sigma, Generator* g) {
    cauchy_(tensor_ref(self), median, sigma, g);
    return self;
  }, py::arg("median") = 0.0, py::arg("sigma") = 1.0, py::kw_only(), py::arg("generator") = py::none());
  cls.def("log_normal_", [](py::object self, double mean, double std, Generator* g) {
    log_normal_(tensor_ref(self), mean, std, g);
    return self;
  }, py::arg("mean") = 1.0, py::arg("std") = 2.0, py::kw_only(), py::arg("generator") = py::none());
  auto multinomial_fn = [](const Tensor& p, int64_t n, bool replacement, Generator* g) {
    return multinomial(p, n, replacement, g);
  };
  m.def("multinomial", [multinomial_fn](const Tensor& p, int64_t n, bool replacement, Generator* g,
                                        std::optional<Tensor> out) {
    Tensor r = multinomial_fn(p, n, replacement, g);
    return out ? write_out("multinomial", r, *out) : r;
  }, py::arg("input"), py::arg("num_samples"), py::arg("replacement") = false, py::kw_only(),
        py::arg("generator") = py::none(), py::arg("out") = py::none());
  cls.def("multinomial", multinomial_fn, py::arg("num_samples"), py::arg("replacement") = false, py::kw_only(),
          py::arg("generator") = py::none());
  m.def("randperm", [](int64_t n, py::kwargs kwargs) {
    Kwargs kw(kwargs, "randperm", kFactoryKeywords);
    return finish("randperm", randperm(n, kw.dtype().value_or(DType::Int64), kw.device(), generator_of(kw)), kw);
  }, py::arg("n"));
  auto bern = [](const Tensor& p, Generator* g) { return bernoulli(p, g); };
  m.def("bernoulli", bern, py::arg("input"), py::kw_only(), py::arg("generator") = py::none());
  cls.def("bernoulli", bern, py::kw_only(), py::arg("generator") = py::none());

  py::class_<Generator>(m, "Generator", "A counter-based (Philox) random number generator.")
      .def(py::init([](py::object device) {
             Device d;
             if (!device.is_none() && !device_from(device, d))
               throw py::type_error("Generator(): argument 'device' must be libtensor.device or str");
             if (!device.is_none()) check_device(d, "Generator");
             return std::make_unique<Generator>();
           }),
           py::arg("device") = "cpu")
      .def("manual_seed", [](py::object self, uint64_t seed) {
        self.cast<Generator&>().manual_seed(seed);
        return self;
      }, py::arg("seed"))
      .def("seed", [](Generator& g) {
        uint64_t s = fresh_seed() & ((uint64_t{1} << 63) - 1);
        g.manual_seed(s);
        return s;
      })
      .def("initial_seed", &Generator::seed)
      .def_property_readonly("device", [](const Generator&) { return kCPU; })
      // The whole state is the seed and the counter: 16 bytes, as a uint8 tensor.
      .def("get_state", [](const Generator& g) {
        Tensor state = empty({16}, DType::UInt8);
        uint64_t words[2] = {g.seed(), g.offset()};
        std::memcpy(state.data(), words, sizeof(words));
        return state;
      })
      .def("set_state", [](py::object self, const Tensor& state) {
        LT_CHECK(state.dtype() == DType::UInt8 && state.numel() == 16, ValueError, "Generator.set_state",
                 "expected a uint8 tensor of 16 elements (from get_state), got ", name(state.dtype()), " of shape ",
                 str(state.sizes()));
        uint64_t words[2];
        std::memcpy(words, state.contiguous().data(), sizeof(words));
        Generator& g = self.cast<Generator&>();
        g.manual_seed(words[0]);
        g.set_offset(words[1]);
        return self;
      }, py::arg("new_state"));
  m.attr("default_generator") = py::cast(&default_generator(), py::return_value_policy::reference);
  m.def("seed", [] {
    uint64_t s = fresh_seed() & ((uint64_t{1} << 63) - 1);
    lt::manual_seed(s);
    return s;
  });
}

}  // namespace lt::python
