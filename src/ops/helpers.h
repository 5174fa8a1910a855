// What the operator definitions share: running an iterator kernel into a fresh or a
// given output, with PyTorch's rules for casting results into given outputs.
#pragma once

#include <optional>

#include "libtensor/autograd/record.h"
#include "libtensor/error.h"
#include "libtensor/iterator.h"
#include "libtensor/ops.h"
#include "libtensor/registry.h"

namespace lt {

// False where PyTorch refuses to write a result of type `from` into a tensor of type
// `to` (floating into integral, anything but bool into bool).
bool can_cast(DType from, DType to);

// Runs an elementwise kernel. Inputs are cast to `compute`; the result has dtype `out`.
// With `into`, the result is written there (cast if needed) and `into` is returned.
Tensor run_elementwise(const Op<IterKernel>& op, std::initializer_list<Tensor> inputs, DType compute, DType out,
                       ScalarList args = {}, const Tensor* into = nullptr);

// Runs a TensorKernel on the device of its tensors, after checking that every defined
// tensor is on that one device: a kernel handed another device's memory would crash.
void dispatch(const Op<TensorKernel>& op, std::span<Tensor> tensors, ScalarList args = {});

// Raises DTypeError unless `t` has one of the accepted categories.
void check_floating(std::string_view op, const Tensor& t);
void check_integral(std::string_view op, const Tensor& t, bool allow_bool);

// The dims a reduction reduces, wrapped and deduplicated, as a mask; empty = all.
std::vector<bool> reduction_mask(std::string_view op, const Tensor& x, IntList dims);
// The output shape of a reduction with keepdim=true.
Shape kept_shape(const Tensor& x, const std::vector<bool>& mask);
// A fresh contiguous result that nothing else sees, in another shape: no view of it, and
// recorded as one step from it (PyTorch's _unsafe_view).
Tensor unsafe_view(const Tensor& fresh, IntList shape);
// f(x) for a composition that float16 and bfloat16 run in float32, rounding once at
// the end as a fused kernel would (rounding after every step loses digits).
template <class F>
Tensor rounded_once(const Tensor& x, F f) {
  if (x.dtype() != DType::Float16 && x.dtype() != DType::BFloat16) return f(x);
  return f(x.to(DType::Float32)).to(x.dtype());
}

// f(operands...) for a composition of several operands: float16 and bfloat16 (the
// promoted type) compute in float32 and round once at the end; nullopt for other types,
// which the caller computes as they are.
template <class F>
std::optional<Tensor> in_float32(std::initializer_list<Tensor> operands, F f) {
  DType t = DType::Bool;
  for (const Tensor& x : operands) t = promote_types(t, x.dtype());
  if (t != DType::Float16 && t != DType::BFloat16) return std::nullopt;
  std::vector<Tensor> wide;
  for (const Tensor& x : operands) wide.push_back(x.to(DType::Float32));
  return f(wide).to(t);
}

// Rethrows the lt::Error being handled with its type kept and its message naming `op`:
// "[cat] ..." raised inside hstack becomes "[hstack] ...". Call it in a catch block.
[[noreturn]] void rethrow_as(std::string_view op);

// Runs the body of the composed operator `op`, so that what its parts reject is
// reported under the name the program called.
template <class F>
auto named(std::string_view op, F f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error&) {
    rethrow_as(op);
  }
}

// Consecutive slices of x along dim d of the given sizes, as views (split, chunk), with
// one derivative for all: a cat of their gradients.
std::vector<Tensor> split_views(const char* node, const Tensor& x, IntList sizes, int64_t d);
// Drops the reduced dims of a keepdim result unless keepdim.
Tensor finish_reduction(const Tensor& r, const std::vector<bool>& mask, bool keepdim);

// index and index_put as the index-driven operator `op` (a literal) runs them: an index
// out of range raises "[op] index i is out of bounds ...", negative ones included unless
// `wraps` (PyTorch's gather, scatter, index_select and most others do not count from the
// end; take and index_fill do). On a GPU a gather reports it without waiting for the
// device (device_errors.h).
Tensor index_for(const char* op, const Tensor& x, const std::vector<std::optional<Tensor>>& indices,
                 bool wraps = false);
Tensor index_put_for(const char* op, const Tensor& x, const std::vector<std::optional<Tensor>>& indices,
                     const Tensor& values, bool accumulate, bool wraps = false);

}  // namespace lt
