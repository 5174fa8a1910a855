// Convolution, pooling, padding, resizing and batch/group normalization: private entry
// points of libtensor.nn.functional, which turns PyTorch's int-or-tuple arguments into
// the lists these take.
#include "bind.h"

namespace lt::python {

void init_nn(py::module_& m) {
  using Ints = std::vector<int64_t>;
  using OptTensor = std::optional<Tensor>;
  // dims: 1 (conv1d) or 2 (conv2d).
  m.def("_conv", [](int dims, const Tensor& x, const Tensor& w, OptTensor b, const Ints& stride, py::handle padding,
                    const Ints& dilation, int64_t groups) {
    const bool one_d = dims == 1;
    if (py::isinstance<py::str>(padding)) {
      const std::string name = padding.cast<std::string>();
      LT_CHECK(name == "same" || name == "valid", ValueError, one_d ? "conv1d" : "conv2d",
               "padding must be 'same', 'valid' or numbers, got '", name, "'");
      const lt::Padding mode = name == "same" ? lt::Padding::Same : lt::Padding::Valid;
      return without_gil(x.numel(), [&] {
        return one_d ? lt::conv1d(x, w, b, stride, mode, dilation, groups)
                     : lt::conv2d(x, w, b, stride, mode, dilation, groups);
      });
    }
    const Ints pad = padding.cast<Ints>();
    return without_gil(x.numel(), [&] {
      return one_d ? lt::conv1d(x, w, b, stride, pad, dilation, groups)
                   : lt::conv2d(x, w, b, stride, pad, dilation, groups);
    });
  });
  m.def("_conv_transpose", [](int dims, const Tensor& x, const Tensor& w, OptTensor b, const Ints& stride,
                              const Ints& padding, const Ints& output_padding, int64_t groups, const Ints& dilation) {
    return without_gil(x.numel(), [&] {
      return dims == 1 ? lt::conv_transpose1d(x, w, b, stride, padding, output_padding, groups, dilation)
                          : lt::conv_transpose2d(x, w, b, stride, padding, output_padding, groups, dilation);
    });
  });
  m.def("_max_pool2d", [](const Tensor& x, const Ints& kernel, const Ints& stride, const Ints& padding,
                          const Ints& dilation, bool ceil_mode) {
    return without_gil(x.numel(), [&] {
      return lt::max_pool2d_with_indices(x, kernel, stride, padding, dilation, ceil_mode);
    });
  });
  m.def("_avg_pool2d", [](const Tensor& x, const Ints& kernel, const Ints& stride, const Ints& padding,
                          bool ceil_mode, bool count_include_pad, std::optional<int64_t> divisor) {
    return without_gil(x.numel(), [&] {
      return lt::avg_pool2d(x, kernel, stride, padding, ceil_mode, count_include_pad, divisor);
    });
  });
  m.def("_adaptive_avg_pool2d", [](const Tensor& x, const Ints& size) {
    return without_gil(x.numel(), [&] { return lt::adaptive_avg_pool2d(x, size); });
  });
  m.def("_adaptive_max_pool2d", [](const Tensor& x, const Ints& size) {
    return without_gil(x.numel(), [&] { return lt::adaptive_max_pool2d_with_indices(x, size); });
  });
  m.def("_pad", [](const Tensor& x, const Ints& pad, const std::string& mode, double value) {
    return without_gil(x.numel(), [&] { return lt::pad(x, pad, mode, value); });
  });
  m.def("_interpolate", [](const Tensor& x, const Ints& size, const std::vector<double>& scale,
                           const std::string& mode, std::optional<bool> align_corners,
                           std::optional<bool> recompute_scale_factor) {
    return without_gil(x.numel(), [&] {
      return lt::interpolate(x, size, scale, mode, align_corners, recompute_scale_factor);
    });
  });
  m.def("_batch_norm", [](const Tensor& x, OptTensor running_mean, OptTensor running_var, OptTensor w, OptTensor b,
                          bool training, double momentum, double eps) {
    return without_gil(x.numel(), [&] {
      return lt::batch_norm(x, running_mean, running_var, w, b, training, momentum, eps);
    });
  });
  using Tensors = std::vector<Tensor>;
  m.def("_fused_adam_", [](const Tensors& params, const Tensors& grads, const Tensors& exp_avgs,
                           const Tensors& exp_avg_sqs, const Tensors& max_exp_avg_sqs, int64_t step, double lr,
                           double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize,
                           bool decoupled) {
    py::gil_scoped_release release;
    lt::_fused_adam_(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, step, lr, beta1, beta2, eps, weight_decay,
                     amsgrad, maximize, decoupled);
  });
  m.def("_fused_sgd_", [](const Tensors& params, const Tensors& grads, const Tensors& momentum_buffers, double lr,
                          double momentum, double dampening, double weight_decay, bool nesterov, bool maximize,
                          bool first_step) {
    py::gil_scoped_release release;
    lt::_fused_sgd_(params, grads, momentum_buffers, lr, momentum, dampening, weight_decay, nesterov, maximize,
                    first_step);
  });
  m.def("_amp_foreach_non_finite_check_and_unscale_", [](const Tensors& grads, const Tensor& found_inf,
                                                        const Tensor& inv_scale) {
    py::gil_scoped_release release;
    lt::_amp_foreach_non_finite_check_and_unscale_(grads, found_inf, inv_scale);
  });
  m.def("_group_norm", [](const Tensor& x, int64_t groups, OptTensor w, OptTensor b, double eps) {
    return without_gil(x.numel(), [&] { return lt::group_norm(x, groups, w, b, eps); });
  });
}

}  // namespace lt::python
