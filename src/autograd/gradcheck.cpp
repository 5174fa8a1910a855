// gradcheck: the Jacobian of each output with respect to each input, once from
// backward (a row per output element) and once from central differences (a column per
// input element), compared entry by entry.
#include "libtensor/autograd/gradcheck.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "libtensor/autograd/engine.h"
#include "libtensor/autograd/grad_mode.h"
#include "libtensor/error.h"
#include "libtensor/ops.h"

namespace lt::autograd {
namespace {

// Storage offsets of a tensor's elements, in logical (row-major) order.
std::vector<int64_t> element_offsets(const Tensor& t) {
  std::vector<int64_t> offsets;
  offsets.reserve(t.numel());
  std::vector<int64_t> index(t.dim(), 0);
  for (int64_t n = 0; n < t.numel(); ++n) {
    int64_t off = t.storage_offset();
    for (int64_t d = 0; d < t.dim(); ++d) off += index[d] * t.stride(d);
    offsets.push_back(off);
    for (int64_t d = t.dim() - 1; d >= 0; --d) {
      if (++index[d] < t.size(d)) break;
      index[d] = 0;
    }
  }
  return offsets;
}

std::vector<double> values(const Tensor& t) {
  NoGradGuard no_grad;
  Tensor c = t.detach().to(DType::Float64).contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

// Positions of the outputs that carry gradients.
std::vector<size_t> differentiable_positions(const TensorList& outputs) {
  std::vector<size_t> positions;
  for (size_t k = 0; k < outputs.size(); ++k) {
    const Tensor& o = outputs[k];
    if (o.defined() && is_floating(o.dtype()) && o.requires_grad()) positions.push_back(k);
  }
  return positions;
}

TensorList differentiable(const TensorList& outputs) {
  TensorList out;
  for (size_t k : differentiable_positions(outputs)) out.push_back(outputs[k]);
  return out;
}

}  // namespace

bool gradcheck(const GradcheckFunction& fn, const TensorList& inputs, const GradcheckOptions& options) {
  TensorList wrt;
  for (const Tensor& x : inputs) {
    if (!x.defined() || !x.requires_grad()) continue;
    LT_CHECK(x.dtype() == DType::Float64, DTypeError, "gradcheck", "inputs that require grad must be float64, got ",
             name(x.dtype()));
    auto offsets = element_offsets(x);
    std::vector<int64_t> sorted = offsets;
    std::sort(sorted.begin(), sorted.end());
    LT_CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end(), ValueError, "gradcheck",
             "an input of shape ", str(x.sizes()), " has elements that share memory; pass a contiguous copy");
    wrt.push_back(x);
  }
  LT_CHECK(!wrt.empty(), ValueError, "gradcheck", "no input requires grad");

  TensorList all_outputs = fn(inputs);
  const std::vector<size_t> positions = differentiable_positions(all_outputs);
  TensorList outputs;
  for (size_t k : positions) outputs.push_back(all_outputs[k]);
  std::vector<std::vector<double>> analytical(outputs.size() * wrt.size());  // [o][i], row-major (out elem, in elem)
  for (size_t o = 0; o < outputs.size(); ++o) {
    const int64_t n_out = outputs[o].numel();
    for (size_t i = 0; i < wrt.size(); ++i) analytical[o * wrt.size() + i].assign(n_out * wrt[i].numel(), 0.0);
    for (int64_t k = 0; k < n_out; ++k) {
      TensorList grad_outputs;
      for (size_t p = 0; p < outputs.size(); ++p) {
        Tensor g = zeros(outputs[p].sizes(), outputs[p].dtype(), outputs[p].device());
        if (p == o) g.view({-1}).select(0, k).fill_(1);
        grad_outputs.push_back(g);
      }
      TensorList grads = grad(outputs, wrt, grad_outputs, true, false, true);
      for (size_t i = 0; i < wrt.size(); ++i) {
        if (!grads[i].defined()) continue;
        LT_CHECK(grads[i].sizes() == wrt[i].sizes(), GradcheckError, "gradcheck", "gradient for input ", i,
                 " has shape ", str(grads[i].sizes()), ", the input has shape ", str(wrt[i].sizes()));
        auto row = values(grads[i]);
        std::copy(row.begin(), row.end(), analytical[o * wrt.size() + i].begin() + k * wrt[i].numel());
      }
    }
  }

  for (size_t i = 0; i < wrt.size(); ++i) {
    auto offsets = element_offsets(wrt[i]);
    double* data = static_cast<double*>(wrt[i].storage()->data());
    for (size_t j = 0; j < offsets.size(); ++j) {
      const double original = data[offsets[j]];
      // fn runs in grad mode: it may itself differentiate (as in gradgradcheck).
      auto evaluate = [&](double value) {
        data[offsets[j]] = value;
        TensorList outs = fn(inputs);
        LT_CHECK(outs.size() == all_outputs.size(), GradcheckError, "gradcheck", "the function returned ",
                 outs.size(), " outputs, then ", all_outputs.size());
        std::vector<std::vector<double>> v;
        for (size_t k : positions) v.push_back(values(outs[k]));
        return v;
      };
      auto plus = evaluate(original + options.eps);
      auto minus = evaluate(original - options.eps);
      data[offsets[j]] = original;
      for (size_t o = 0; o < outputs.size(); ++o) {
        const auto& a = analytical[o * wrt.size() + i];
        const int64_t n_in = wrt[i].numel();
        for (size_t k = 0; k < plus[o].size(); ++k) {
          const double numerical = (plus[o][k] - minus[o][k]) / (2 * options.eps);
          const double analytic = a[k * n_in + j];
          if (std::abs(numerical - analytic) <= options.atol + options.rtol * std::abs(numerical)) continue;
          if (!options.raise_exception) return false;
          fail<GradcheckError>("gradcheck", "Jacobian mismatch for output ", o, " with respect to input ", i,
                               " at (output element ", k, ", input element ", j, "): numerical ", numerical,
                               ", analytical ", analytic);
        }
      }
    }
  }
  return true;
}

bool gradgradcheck(const GradcheckFunction& fn, const TensorList& inputs, const GradcheckOptions& options) {
  TensorList outputs = differentiable(fn(inputs));
  TensorList grad_outputs;
  for (const Tensor& o : outputs) {
    Tensor g = randn(o.sizes(), DType::Float64, o.device());
    g.requires_grad_();
    grad_outputs.push_back(g);
  }
  const size_t n_inputs = inputs.size();
  GradcheckFunction first_derivatives = [&fn, n_inputs](const TensorList& all) {
    TensorList xs(all.begin(), all.begin() + n_inputs), gs(all.begin() + n_inputs, all.end());
    TensorList wrt;
    for (const Tensor& x : xs) {
      if (x.defined() && x.requires_grad()) wrt.push_back(x);
    }
    TensorList outs = differentiable(fn(xs));
    if (outs.empty()) return TensorList{};
    return grad(outs, wrt, gs, true, true, true);
  };
  TensorList all = inputs;
  all.insert(all.end(), grad_outputs.begin(), grad_outputs.end());
  return gradcheck(first_derivatives, all, options);
}

}  // namespace lt::autograd
