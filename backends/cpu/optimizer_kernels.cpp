// Fused optimizer steps: one pass over each parameter and its state, the parameters of a
// group cut into blocks that the threads share. The arithmetic follows the per-tensor
// composition step by step (the same operations in the same order, in the parameter's
// dtype), so the two agree to rounding.
#include <algorithm>
#include <cmath>
#include <vector>

#include "libtensor/ops.h"
#include "libtensor/registry.h"
#include "loops.h"

namespace lt::cpu {
namespace {

struct Block {
  size_t tensor;
  int64_t begin, end;
};

// Blocks of at most kBlock elements over `count` tensors, so that a few large
// parameters and many small ones both spread over the threads.
template <class F>
void over_blocks(std::span<Tensor> params, F&& body) {
  constexpr int64_t kBlock = 16384;
  std::vector<Block> blocks;
  int64_t total = 0;
  for (size_t i = 0; i < params.size(); ++i) {
    const int64_t n = params[i].numel();
    total += n;
    for (int64_t b = 0; b < n; b += kBlock) blocks.push_back({i, b, std::min(n, b + kBlock)});
  }
  const int64_t grain = total < kGrainSize ? static_cast<int64_t>(blocks.size()) : 1;
  parallel_for(0, static_cast<int64_t>(blocks.size()), std::max<int64_t>(grain, 1), [&](int64_t lo, int64_t hi) {
    for (int64_t b = lo; b < hi; ++b) body(blocks[b]);
  });
}

template <class T>
T* at(const Tensor& t) {
  return t.data_ptr<T>();
}

// tensors: params, grads, exp_avgs, exp_avg_sqs[, max_exp_avg_sqs] (n each); args: step,
// lr, beta1, beta2, eps, weight_decay, amsgrad, maximize, decoupled_weight_decay.
void adam_kernel(std::span<Tensor> t, ScalarList a) {
  const bool amsgrad = a[6].to_int() != 0, maximize = a[7].to_int() != 0, decoupled = a[8].to_int() != 0;
  const size_t n = t.size() / (amsgrad ? 5 : 4);
  const double step = static_cast<double>(a[0].to_int());
  const double lr = a[1].to_double(), beta1 = a[2].to_double(), beta2 = a[3].to_double(), eps = a[4].to_double(),
               wd = a[5].to_double();
  const double bc1 = 1 - std::pow(beta1, step), bc2_sqrt = std::sqrt(1 - std::pow(beta2, step));
  visit_dtype(t[0].dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
      const T step_size = static_cast<T>(lr / bc1), root = static_cast<T>(bc2_sqrt), e = static_cast<T>(eps);
      const T b2 = static_cast<T>(beta2), w = static_cast<T>(wd);
      const T keep = static_cast<T>(1 - lr * wd), one_minus_b1 = static_cast<T>(1 - beta1),
              one_minus_b2 = static_cast<T>(1 - beta2);
      over_blocks(t.first(n), [&](const Block& blk) {
        T *p = at<T>(t[blk.tensor]), *m = at<T>(t[2 * n + blk.tensor]), *v = at<T>(t[3 * n + blk.tensor]);
        const T* g = at<T>(t[n + blk.tensor]);
        T* vmax = amsgrad ? at<T>(t[4 * n + blk.tensor]) : nullptr;
        for (int64_t i = blk.begin; i < blk.end; ++i) {
          T grad = maximize ? -g[i] : g[i];
          if (decoupled) {
            p[i] *= keep;
          } else if (wd != 0) {
            grad += w * p[i];
          }
          m[i] += (grad - m[i]) * one_minus_b1;  // lerp, as exp_avg.lerp_(grad, 1 - beta1)
          v[i] = v[i] * b2 + one_minus_b2 * grad * grad;
          T second = v[i];
          if (amsgrad) second = vmax[i] = std::max(vmax[i], v[i]);
          p[i] += -step_size * (m[i] / (std::sqrt(second) / root + e));
        }
      });
    }
  });
}

// tensors: params, grads[, momentum_buffers] (n each); args: lr, momentum, dampening,
// weight_decay, nesterov, maximize, first_step (the buffers start as the gradient).
void sgd_kernel(std::span<Tensor> t, ScalarList a) {
  const double momentum = a[1].to_double();
  const size_t n = t.size() / (momentum != 0 ? 3 : 2);
  const double lr = a[0].to_double(), dampening = a[2].to_double(), wd = a[3].to_double();
  const bool nesterov = a[4].to_int() != 0, maximize = a[5].to_int() != 0, first = a[6].to_int() != 0;
  visit_dtype(t[0].dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
      const T mu = static_cast<T>(momentum), damp = static_cast<T>(1 - dampening), w = static_cast<T>(wd),
              rate = static_cast<T>(lr);
      over_blocks(t.first(n), [&](const Block& blk) {
        T* p = at<T>(t[blk.tensor]);
        const T* g = at<T>(t[n + blk.tensor]);
        T* buf = momentum != 0 ? at<T>(t[2 * n + blk.tensor]) : nullptr;
        for (int64_t i = blk.begin; i < blk.end; ++i) {
          T d = maximize ? -g[i] : g[i];
          if (wd != 0) d += w * p[i];
          if (buf) {
            buf[i] = first ? d : buf[i] * mu + damp * d;
            d = nesterov ? d + mu * buf[i] : buf[i];
          }
          p[i] += -rate * d;
        }
      });
    }
  });
}

LT_REGISTER_KERNEL("_fused_adam_", CPU, TensorKernel, adam_kernel);
LT_REGISTER_KERNEL("_fused_sgd_", CPU, TensorKernel, sgd_kernel);

}  // namespace
}  // namespace lt::cpu
