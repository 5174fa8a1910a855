#include "helpers.h"

#include <exception>

namespace lt {

namespace {

// The message with its leading "[name] " replaced by "[op] ".
std::string renamed(std::string_view op, std::string_view message) {
  const size_t close = message.starts_with('[') ? message.find("] ") : std::string_view::npos;
  const std::string_view rest = close == std::string_view::npos ? message : message.substr(close + 2);
  return detail::cat("[", op, "] ", rest);
}

template <class E>
bool rethrow_if(std::string_view op, const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const E& e) {
    throw E(renamed(op, e.what()));
  } catch (...) {
    return false;
  }
}

}  // namespace

void rethrow_as(std::string_view op) {
  const std::exception_ptr error = std::current_exception();
  // A deferred index error belongs to the operator that posted it, and running out of
  // memory to the device: those go on as they are. Most derived types first; a type
  // without a plain message constructor (FileError) goes on as it is too.
  try {
    std::rethrow_exception(error);
  } catch (const DeferredIndexError&) {
    throw;
  } catch (const OutOfMemoryError&) {
    throw;
  } catch (...) {
  }
  (void)(rethrow_if<ShapeError>(op, error) || rethrow_if<DTypeError>(op, error) || rethrow_if<IndexError>(op, error) ||
         rethrow_if<DeviceError>(op, error) || rethrow_if<ValueError>(op, error) ||
         rethrow_if<NotImplementedError>(op, error) || rethrow_if<AutogradError>(op, error));
  std::rethrow_exception(error);
}

void dispatch(const Op<TensorKernel>& op, std::span<Tensor> tensors, ScalarList args) {
  const Tensor* first = nullptr;
  for (const Tensor& t : tensors) {
    if (!t.defined()) continue;
    if (!first) {
      first = &t;
      continue;
    }
    LT_CHECK(t.device() == first->device(), DeviceError, op.name(), "expected all tensors on one device, got ",
             first->device().str(), " and ", t.device().str());
  }
  op.kernel(first ? first->device().type : DeviceType::CPU)(tensors, args);
}

Tensor run_elementwise(const Op<IterKernel>& op, std::initializer_list<Tensor> inputs, DType compute, DType out,
                       ScalarList args, const Tensor* into) {
  TensorIteratorConfig config(op.name());
  Tensor direct;
  const bool cast_after = into && into->dtype() != out;
  if (into) {
    LT_CHECK(can_cast(out, into->dtype()), DTypeError, op.name(), "result type ", name(out),
             " can't be cast to the output's type ", name(into->dtype()));
    if (!cast_after) direct = *into;
  }
  config.add_output(direct, out);
  for (const Tensor& t : inputs) config.add_input(t, compute);
  if (cast_after) {
    // Check the shape before computing, so that nothing is written on error.
    Shape shape;
    for (const Tensor& t : inputs) shape = broadcast_shapes(shape, t.sizes(), op.name());
    LT_CHECK(shape == into->sizes(), ShapeError, op.name(), "output with shape ", str(into->sizes()),
             " doesn't match the broadcast shape ", str(shape));
  }
  TensorIterator iter = config.build();
  op.kernel(iter.output().device().type)(iter, args);
  if (cast_after) {
    Tensor target = *into;
    target.copy_(iter.output());
  }
  return into ? *into : iter.output();
}

void check_floating(std::string_view op, const Tensor& t) {
  LT_CHECK(is_floating(t.dtype()), DTypeError, op, "expects a floating-point tensor, got ", name(t.dtype()));
}

void check_integral(std::string_view op, const Tensor& t, bool allow_bool) {
  LT_CHECK(is_integral(t.dtype(), allow_bool), DTypeError, op, "expects an integral",
           allow_bool ? " or bool" : "", " tensor, got ", name(t.dtype()));
}

std::vector<bool> reduction_mask(std::string_view op, const Tensor& x, IntList dims) {
  std::vector<bool> mask(x.dim(), dims.empty());
  for (int64_t d : dims) {
    int64_t w = wrap_dim(d, x.dim(), op);
    if (x.dim() == 0) continue;
    LT_CHECK(!mask[w], ValueError, op, "dimension ", d, " appears more than once in ", str(dims));
    mask[w] = true;
  }
  return mask;
}

Shape kept_shape(const Tensor& x, const std::vector<bool>& mask) {
  Shape s = x.sizes();
  for (size_t d = 0; d < s.size(); ++d) {
    if (mask[d]) s[d] = 1;
  }
  return s;
}

Tensor finish_reduction(const Tensor& r, const std::vector<bool>& mask, bool keepdim) {
  if (keepdim) return r;
  Shape s;
  for (size_t d = 0; d < mask.size(); ++d) {
    if (!mask[d]) s.push_back(r.size(static_cast<int64_t>(d)));
  }
  // A result computed into a private buffer is no view of anything: an in-place write
  // to it must not look for a base. (A result with history keeps its view node.)
  return r.requires_grad() ? r.view(s) : r.view(s).detach();
}

}  // namespace lt
