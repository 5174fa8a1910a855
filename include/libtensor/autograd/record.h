// Recording operators for autograd: what an operator definition calls after its forward
// computation. Built-in operators and those of extensions use the same calls.
#pragma once

#include "libtensor/autograd/function_node.h"
#include "libtensor/autograd/grad_mode.h"

namespace lt::autograd {

// Whether an operator on these inputs must record itself now.
template <class... T>
bool any_requires_grad(const T&... inputs) {
  return is_recording() && (inputs.requires_grad() || ...);
}

// Records that `outputs` came from `inputs` by `op`, whose derivative is `formula`, when
// grad mode is on and some input requires a gradient. `saved` lists what the formula
// reads (inputs or outputs, in that order in Backward::saved; undefined ones are kept as
// undefined). Outputs that are not floating point get no history. Returns the node, or
// null when nothing was recorded.
std::shared_ptr<FunctionNode> record(const char* op, std::initializer_list<Tensor> inputs,
                                     std::initializer_list<Tensor> outputs, std::initializer_list<Tensor> saved,
                                     Formula formula);
// The same for operators of a list of tensors (cat).
std::shared_ptr<FunctionNode> record(const char* op, std::span<const Tensor> inputs, std::span<const Tensor> outputs,
                                     std::span<const Tensor> saved, Formula formula);

// The edge a gradient for `t` travels along: its grad_fn, a leaf's accumulator, or a
// view's history rebuilt from its base after an in-place write.
Edge gradient_edge(const Tensor& t);

// Whether a view's base takes part in autograd, so that writes through the view matter.
bool base_requires_grad(const Tensor& view);

// Whether an in-place write into `self` from `inputs` must be recorded (or refused).
template <class... T>
bool inplace_recording(const Tensor& self, const T&... inputs) {
  return is_recording() && (self.requires_grad() || (inputs.requires_grad() || ...) || base_requires_grad(self));
}

// In-place operators call check_inplace before writing (it refuses leaves that require
// grad and views of them), then assign_inplace to write `result` (computed out of place,
// with `self` as its first input) into `self` and make it self's history.
void check_inplace(const char* op, const Tensor& self);
void assign_inplace(const Tensor& self, const Tensor& result);
// After `self` was overwritten with values that depend on no input (fill_, random fills).
void record_overwrite(const char* op, const Tensor& self);
// Makes `edge` the history of `self`, which was just written in place; a view passes the
// write on to its base's history.
void rebase_history(const Tensor& self, Edge edge);

// The gradient of a broadcast input: `grad` summed down to `shape`.
Tensor sum_to(const Tensor& grad, IntList shape);

// Where a tensor lies in its storage.
struct Geometry {
  Shape sizes, strides;
  int64_t offset = 0;
  static Geometry of(const Tensor& t) { return {t.sizes(), t.strides(), t.storage_offset()}; }
  static Geometry contiguous(IntList sizes);
};
// Writes `src` at geometry `from` of a zero buffer of `numel` elements and reads geometry
// `to` from it: the adjoint of a view, and differentiable (its own adjoint swaps them).
Tensor restride(const Tensor& src, const Geometry& from, const Geometry& to, int64_t numel);

}  // namespace lt::autograd
