// Checking derivatives against finite differences, as PyTorch's gradcheck does: the
// Jacobian from backward must match central differences in float64.
#pragma once

#include <functional>

#include "libtensor/autograd/node.h"

namespace lt::autograd {

using GradcheckFunction = std::function<TensorList(const TensorList&)>;

struct GradcheckOptions {
  double eps = 1e-6;
  double atol = 1e-5;
  double rtol = 1e-3;
  bool raise_exception = true;  // throw lt::GradcheckError, showing the mismatch
};

// Checks the first derivatives of `fn` at `inputs` with respect to every input that
// requires grad (those must be float64 and must not overlap in memory).
bool gradcheck(const GradcheckFunction& fn, const TensorList& inputs, const GradcheckOptions& options = {});

// Checks the second derivatives: gradcheck of the function that maps the inputs and
// random output gradients to the input gradients, computed with create_graph.
bool gradgradcheck(const GradcheckFunction& fn, const TensorList& inputs, const GradcheckOptions& options = {});

}  // namespace lt::autograd
