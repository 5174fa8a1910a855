// Fused optimizer steps: one pass over each parameter and its state, the parameters of a
// group cut into blocks that the threads share; and GradScaler's unscale, alike. The arithmetic follows the per-tensor
// composition step by step (the same operations in the same order, in the parameter's
// dtype), so the two agree to rounding.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <type_traits>
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

// One block of Adam. The branches of the update are folded into constants (sign,
// coupled decay, shrink factor), so the loop has none and vectorizes; amsgrad is the one
// variant with its own loop.
template <class T, bool Amsgrad>
void adam_block(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v, T* __restrict vmax,
                int64_t n, T sign, T coupled, T shrink, T one_minus_b1, T b2, T one_minus_b2, T step_size, T root,
                T eps) {
  for (int64_t i = 0; i < n; ++i) {
    const T param = p[i] * shrink;  // AdamW's decoupled decay (shrink 1 otherwise)
    const T grad = sign * g[i] + coupled * param;
    const T mi = m[i] + (grad - m[i]) * one_minus_b1;  // exp_avg.lerp_(grad, 1 - beta1)
    const T vi = v[i] * b2 + one_minus_b2 * grad * grad;
    m[i] = mi;
    v[i] = vi;
    T second = vi;
    if constexpr (Amsgrad) second = vmax[i] = std::max(vmax[i], vi);
    p[i] = param + -step_size * (mi / (std::sqrt(second) / root + eps));
  }
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
      const T sign = maximize ? T(-1) : T(1), coupled = decoupled ? T(0) : static_cast<T>(wd);
      const T shrink = decoupled ? static_cast<T>(1 - lr * wd) : T(1);
      const T step_size = static_cast<T>(lr / bc1), root = static_cast<T>(bc2_sqrt), e = static_cast<T>(eps);
      over_blocks(t.first(n), [&](const Block& blk) {
        const size_t k = blk.tensor;
        const int64_t o = blk.begin, len = blk.end - blk.begin;
        T* vmax = amsgrad ? at<T>(t[4 * n + k]) + o : nullptr;
        auto run = [&](auto ams) {
          adam_block<T, decltype(ams)::value>(at<T>(t[k]) + o, at<T>(t[n + k]) + o, at<T>(t[2 * n + k]) + o,
                                              at<T>(t[3 * n + k]) + o, vmax, len, sign, coupled, shrink,
                                              static_cast<T>(1 - beta1), static_cast<T>(beta2),
                                              static_cast<T>(1 - beta2), step_size, root, e);
        };
        if (amsgrad) {
          run(std::true_type{});
        } else {
          run(std::false_type{});
        }
      });
    }
  });
}

// One block of SGD; as for Adam, the update's options are constants of the loop.
template <class T>
void sgd_block(T* __restrict p, const T* __restrict g, T* __restrict buf, int64_t n, T sign, T w, T rate, T mu,
               T damp, bool first, bool nesterov) {
  if (!buf) {
    for (int64_t i = 0; i < n; ++i) p[i] += -rate * (sign * g[i] + w * p[i]);
  } else if (first) {
    for (int64_t i = 0; i < n; ++i) {
      const T d = sign * g[i] + w * p[i];
      buf[i] = d;
      p[i] += -rate * (nesterov ? d + mu * d : d);
    }
  } else if (nesterov) {
    for (int64_t i = 0; i < n; ++i) {
      const T d = sign * g[i] + w * p[i];
      const T b = buf[i] * mu + damp * d;
      buf[i] = b;
      p[i] += -rate * (d + mu * b);
    }
  } else {
    for (int64_t i = 0; i < n; ++i) {
      const T d = sign * g[i] + w * p[i];
      const T b = buf[i] * mu + damp * d;
      buf[i] = b;
      p[i] += -rate * b;
    }
  }
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
      over_blocks(t.first(n), [&](const Block& blk) {
        const size_t k = blk.tensor;
        const int64_t o = blk.begin;
        sgd_block<T>(at<T>(t[k]) + o, at<T>(t[n + k]) + o, momentum != 0 ? at<T>(t[2 * n + k]) + o : nullptr,
                     blk.end - blk.begin, maximize ? T(-1) : T(1), static_cast<T>(wd), static_cast<T>(lr),
                     static_cast<T>(momentum), static_cast<T>(1 - dampening), first, nesterov);
      });
    }
  });
}

// tensors: grads (n, of one dtype, contiguous), found_inf, inv_scale (one float32 each).
// Each gradient is checked before it is scaled, as in PyTorch.
void unscale_kernel(std::span<Tensor> t, ScalarList) {
  const size_t n = t.size() - 2;
  const float inv_scale = t[n + 1].data_ptr<float>()[0];
  std::atomic<bool> found{false};
  visit_dtype(t[0].dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
      over_blocks(t.first(n), [&](const Block& blk) {
        T* g = at<T>(t[blk.tensor]) + blk.begin;
        bool bad = false;
        for (int64_t i = 0; i < blk.end - blk.begin; ++i) {
          bad |= !std::isfinite(g[i]);
          g[i] *= static_cast<T>(inv_scale);
        }
        if (bad) found.store(true, std::memory_order_relaxed);
      });
    }
  });
  if (found.load()) t[n].data_ptr<float>()[0] = 1.0f;
}

LT_REGISTER_KERNEL("_fused_adam_", CPU, TensorKernel, adam_kernel);
LT_REGISTER_KERNEL("_fused_sgd_", CPU, TensorKernel, sgd_kernel);
LT_REGISTER_KERNEL("_amp_foreach_non_finite_check_and_unscale_", CPU, TensorKernel, unscale_kernel);

}  // namespace
}  // namespace lt::cpu
