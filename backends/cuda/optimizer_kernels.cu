// Fused optimizer steps (Adam / AdamW, SGD with momentum) and GradScaler's unscale: one
// pass over each parameter and its state. The parameters of a group go to the device in tables of tensors, so
// that one launch covers many tensors: each block takes one chunk of one tensor, with
// 16-byte loads where the tensor's pointers allow. The arithmetic is the CPU's step by
// step (the same operations in the same order, in the parameter's dtype), so the two
// agree to rounding.
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "gpu.h"
#include "libtensor/registry.h"
#include "libtensor/tensor.h"

namespace lt::gpu {
namespace {

// A table fills a kernel's parameters (under the 4 KiB that every target takes).
constexpr int kMaxLists = 5, kMaxTensors = 36, kMaxBlocks = 320;
constexpr int64_t kChunk = 16384;  // elements per block
constexpr int kThreads = 256;

struct Table {
  void* ptr[kMaxLists][kMaxTensors];  // list l (params, grads, state...) of tensor k
  int64_t numel[kMaxTensors];
  uint8_t tensor[kMaxBlocks];  // block b takes chunk chunk[b] of tensor tensor[b]
  int32_t chunk[kMaxBlocks];
};
static_assert(sizeof(Table) <= 4000);

template <class T, int V>
struct alignas(sizeof(T) * V) Pack {
  T v[V];
};

// Runs f(values) on every element of the block's chunk, values[l] being the element of
// list l, and stores back every list but the gradients (list 1), which are only read.
template <class T, int Lists, class F>
__global__ __launch_bounds__(kThreads) void multi_tensor(Table table, F f) {
  constexpr int V = 16 / sizeof(T);
  const int k = table.tensor[blockIdx.x];
  const int64_t n = table.numel[k];
  const int64_t begin = int64_t{table.chunk[blockIdx.x]} * kChunk, end = begin + kChunk < n ? begin + kChunk : n;
  T* ptr[Lists];
  bool aligned = true;
#pragma unroll
  for (int l = 0; l < Lists; ++l) {
    ptr[l] = static_cast<T*>(table.ptr[l][k]);
    aligned = aligned && reinterpret_cast<uintptr_t>(ptr[l]) % 16 == 0;
  }
  int64_t i = begin + threadIdx.x;  // the elements left to the loop one at a time
  if (aligned) {                   // begin is a multiple of V: every pack is aligned
    const int64_t packs = (end - begin) / V;
    for (int64_t q = threadIdx.x; q < packs; q += blockDim.x) {
      Pack<T, V> p[Lists];
#pragma unroll
      for (int l = 0; l < Lists; ++l) p[l] = reinterpret_cast<const Pack<T, V>*>(ptr[l] + begin)[q];
#pragma unroll
      for (int j = 0; j < V; ++j) {
        T values[Lists];
#pragma unroll
        for (int l = 0; l < Lists; ++l) values[l] = p[l].v[j];
        f(values);
#pragma unroll
        for (int l = 0; l < Lists; ++l) p[l].v[j] = values[l];
      }
#pragma unroll
      for (int l = 0; l < Lists; ++l) {
        if (l != 1) reinterpret_cast<Pack<T, V>*>(ptr[l] + begin)[q] = p[l];
      }
    }
    i = begin + packs * V + threadIdx.x;
  }
  for (; i < end; i += blockDim.x) {
    T values[Lists];
#pragma unroll
    for (int l = 0; l < Lists; ++l) values[l] = ptr[l][i];
    f(values);
#pragma unroll
    for (int l = 0; l < Lists; ++l) {
      if (l != 1) ptr[l][i] = values[l];
    }
  }
}

// Fills tables from tensors lists[l][k] (k < count), launching f over each full table,
// one device at a time.
template <class T, int Lists, class F>
void for_each_chunk(std::span<Tensor> t, size_t count, const char* op, const F& f) {
  Table table;
  int tensors = 0, blocks = 0, device = -1;
  auto launch = [&] {
    if (blocks > 0) {
      DeviceGuard guard(device);
      multi_tensor<T, Lists><<<blocks, kThreads, 0, current_stream(device)>>>(table, f);
      LT_GPU_CHECK_LAUNCH(op);
    }
    tensors = blocks = 0;
  };
  for (size_t k = 0; k < count; ++k) {
    const int64_t n = t[k].numel();
    if (n == 0) continue;
    if (t[k].device().index != device) {
      launch();
      device = t[k].device().index;
    }
    if (tensors == kMaxTensors) launch();
    for (int l = 0; l < Lists; ++l) table.ptr[l][tensors] = t[l * count + k].data();
    table.numel[tensors] = n;
    const int64_t chunks = (n + kChunk - 1) / kChunk;
    LT_CHECK(chunks <= INT32_MAX, NotImplementedError, op, "a tensor of ", n, " elements is too large");
    for (int64_t c = 0; c < chunks; ++c) {
      table.tensor[blocks] = static_cast<uint8_t>(tensors);
      table.chunk[blocks] = static_cast<int32_t>(c);
      ++blocks;
      if (blocks == kMaxBlocks) {
        const bool more = c + 1 < chunks;
        launch();
        if (more) {  // the tensor goes on in the next table, as its first
          for (int l = 0; l < Lists; ++l) table.ptr[l][0] = t[l * count + k].data();
          table.numel[0] = n;
          tensors = 0;
        } else {
          tensors = -1;  // the tensor is done: the next one takes slot 0
        }
      }
    }
    ++tensors;
  }
  launch();
}

__device__ inline float root_of(float x) { return ::sqrtf(x); }
__device__ inline double root_of(double x) { return ::sqrt(x); }

// One element of Adam; values: param, grad, exp_avg, exp_avg_sq[, max_exp_avg_sq]. The
// branches of the update are folded into constants (sign, coupled decay, shrink).
template <class T, bool Amsgrad>
struct AdamStep {
  T sign, coupled, shrink, one_minus_b1, b2, one_minus_b2, step_size, root, eps;
  __device__ void operator()(T (&x)[Amsgrad ? 5 : 4]) const {
    const T param = x[0] * shrink;  // AdamW's decoupled decay (shrink 1 otherwise)
    const T grad = sign * x[1] + coupled * param;
    const T m = x[2] + (grad - x[2]) * one_minus_b1;  // exp_avg.lerp_(grad, 1 - beta1)
    const T v = x[3] * b2 + one_minus_b2 * grad * grad;
    x[2] = m;
    x[3] = v;
    T second = v;
    if constexpr (Amsgrad) second = x[4] = x[4] < v ? v : x[4];
    x[0] = param + -step_size * (m / (root_of(second) / root + eps));
  }
};

// tensors: params, grads, exp_avgs, exp_avg_sqs[, max_exp_avg_sqs] (n each); args: step,
// lr, beta1, beta2, eps, weight_decay, amsgrad, maximize, decoupled_weight_decay.
void adam_kernel(std::span<Tensor> t, ScalarList a) {
  const bool amsgrad = a[6].to_int() != 0, maximize = a[7].to_int() != 0, decoupled = a[8].to_int() != 0;
  const size_t n = t.size() / (amsgrad ? 5 : 4);
  if (n == 0) return;
  const double step = static_cast<double>(a[0].to_int());
  const double lr = a[1].to_double(), beta1 = a[2].to_double(), beta2 = a[3].to_double(), eps = a[4].to_double(),
               wd = a[5].to_double();
  const double bc1 = 1 - std::pow(beta1, step), bc2_sqrt = std::sqrt(1 - std::pow(beta2, step));
  auto run = [&](auto tag) {
    using T = decltype(tag);
    const T sign = maximize ? T(-1) : T(1), coupled = decoupled ? T(0) : static_cast<T>(wd);
    const T shrink = decoupled ? static_cast<T>(1 - lr * wd) : T(1);
    const T one_minus_b1 = static_cast<T>(1 - beta1), b2 = static_cast<T>(beta2);
    const T one_minus_b2 = static_cast<T>(1 - beta2);
    const T step_size = static_cast<T>(lr / bc1), root = static_cast<T>(bc2_sqrt), e = static_cast<T>(eps);
    if (amsgrad) {
      const AdamStep<T, true> f{sign, coupled, shrink, one_minus_b1, b2, one_minus_b2, step_size, root, e};
      for_each_chunk<T, 5>(t, n, "_fused_adam_", f);
    } else {
      const AdamStep<T, false> f{sign, coupled, shrink, one_minus_b1, b2, one_minus_b2, step_size, root, e};
      for_each_chunk<T, 4>(t, n, "_fused_adam_", f);
    }
  };
  switch (t[0].dtype()) {
    case DType::Float32: return run(float{});
    case DType::Float64: return run(double{});
    default: fail<DTypeError>("_fused_adam_", "runs on float32 and float64 parameters, got ", name(t[0].dtype()));
  }
}

// One element of SGD; values: param, grad[, momentum_buffer]. The options are constants
// of the launch, so the branches agree across every thread.
template <class T, bool Momentum>
struct SgdStep {
  T sign, w, rate, mu, damp;
  bool first, nesterov;
  __device__ void operator()(T (&x)[Momentum ? 3 : 2]) const {
    if constexpr (!Momentum) {
      x[0] += -rate * (sign * x[1] + w * x[0]);
    } else {
      const T d = sign * x[1] + w * x[0];
      if (first) {
        x[2] = d;
        x[0] += -rate * (nesterov ? d + mu * d : d);
      } else {
        const T b = x[2] * mu + damp * d;
        x[2] = b;
        x[0] += -rate * (nesterov ? d + mu * b : b);
      }
    }
  }
};

// tensors: params, grads[, momentum_buffers] (n each); args: lr, momentum, dampening,
// weight_decay, nesterov, maximize, first_step (the buffers start as the gradient).
void sgd_kernel(std::span<Tensor> t, ScalarList a) {
  const double momentum = a[1].to_double();
  const size_t n = t.size() / (momentum != 0 ? 3 : 2);
  if (n == 0) return;
  const double lr = a[0].to_double(), dampening = a[2].to_double(), wd = a[3].to_double();
  const bool nesterov = a[4].to_int() != 0, maximize = a[5].to_int() != 0, first = a[6].to_int() != 0;
  auto run = [&](auto tag) {
    using T = decltype(tag);
    const T sign = maximize ? T(-1) : T(1), w = static_cast<T>(wd), rate = static_cast<T>(lr);
    const T mu = static_cast<T>(momentum), damp = static_cast<T>(1 - dampening);
    if (momentum != 0) {
      for_each_chunk<T, 3>(t, n, "_fused_sgd_", SgdStep<T, true>{sign, w, rate, mu, damp, first, nesterov});
    } else {
      for_each_chunk<T, 2>(t, n, "_fused_sgd_", SgdStep<T, false>{sign, w, rate, mu, damp, first, nesterov});
    }
  };
  switch (t[0].dtype()) {
    case DType::Float32: return run(float{});
    case DType::Float64: return run(double{});
    default: fail<DTypeError>("_fused_sgd_", "runs on float32 and float64 parameters, got ", name(t[0].dtype()));
  }
}

// One gradient element: found_inf set where it is not finite (every thread that finds one
// writes the same 1), then scaled.
template <class T>
struct Unscale {
  float* found;
  const float* inv_scale;
  __device__ void operator()(T (&x)[1]) const {
    if (!isfinite(x[0])) *found = 1.0f;
    x[0] = x[0] * static_cast<T>(*inv_scale);
  }
};

// tensors: grads (n, of one dtype, contiguous), found_inf, inv_scale (one float32 each).
void unscale_kernel(std::span<Tensor> t, ScalarList) {
  const size_t n = t.size() - 2;
  float* found = t[n].data_ptr<float>();
  const float* inv_scale = t[n + 1].data_ptr<float>();
  const char* op = "_amp_foreach_non_finite_check_and_unscale_";
  switch (t[0].dtype()) {
    case DType::Float32: return for_each_chunk<float, 1>(t, n, op, Unscale<float>{found, inv_scale});
    case DType::Float64: return for_each_chunk<double, 1>(t, n, op, Unscale<double>{found, inv_scale});
    default: fail<DTypeError>(op, "runs on float32 and float64 gradients, got ", name(t[0].dtype()));
  }
}

LT_REGISTER_KERNEL("_fused_adam_", LT_GPU_KEY, TensorKernel, adam_kernel);
LT_REGISTER_KERNEL("_fused_sgd_", LT_GPU_KEY, TensorKernel, sgd_kernel);
LT_REGISTER_KERNEL("_amp_foreach_non_finite_check_and_unscale_", LT_GPU_KEY, TensorKernel, unscale_kernel);

}  // namespace
}  // namespace lt::gpu
