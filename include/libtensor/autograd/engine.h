// Running the recorded graph backward.
#pragma once

#include <optional>

#include "libtensor/autograd/node.h"

namespace lt::autograd {

// Accumulates into the leaves' grad the gradients of `tensors`, weighted by
// `grad_tensors` (implicitly 1 for one-element tensors). retain_graph defaults to
// create_graph; create_graph records the backward pass for higher-order gradients.
void backward(const TensorList& tensors, const TensorList& grad_tensors = {},
              std::optional<bool> retain_graph = {}, bool create_graph = false);

// The gradients of `outputs` with respect to `inputs`, returned instead of accumulated.
// An input that the outputs do not depend on is an error unless allow_unused, which
// gives an undefined tensor for it.
TensorList grad(const TensorList& outputs, const TensorList& inputs, const TensorList& grad_outputs = {},
                std::optional<bool> retain_graph = {}, bool create_graph = false, bool allow_unused = false);

namespace detail {
// Whether the backward pass running on this thread needs the gradient along `edge`.
bool should_compute(const Edge& edge);
}  // namespace detail

}  // namespace lt::autograd
