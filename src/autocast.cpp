// The autocast state, the casting lists and the cache of cast weights.
#include "libtensor/autocast.h"

#include <memory>
#include <unordered_map>

#include "libtensor/error.h"

namespace lt::autocast {

namespace {

using Lists = std::unordered_map<std::string_view, Policy>;

// PyTorch's lists, for the operators libtensor has. GPUs (CUDA and ROCm) share one.
// Losses and normalizations run in float32; cross_entropy is PyTorch's log_softmax and
// nll_loss, both float32 there; rms_norm's composition there (pow, mean, rsqrt) ends in
// float32 too.
const Lists& gpu_lists() {
  static const Lists lists = [] {
    Lists l;
    for (std::string_view op : {"conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "addmm", "matmul",
                                "einsum", "mm", "mv", "linear", "baddbmm", "bmm", "addmv", "addr", "addbmm"}) {
      l[op] = Policy::LowerPrecision;
    }
    for (std::string_view op :
         {"acos", "asin", "cosh", "exp", "expm1", "log", "log10", "log2", "log1p", "reciprocal", "rsqrt", "sinh", "tan",
          "pow", "softplus", "layer_norm", "group_norm", "rms_norm", "cosine_similarity", "nll_loss", "kl_div",
          "l1_loss", "smooth_l1_loss", "huber_loss", "mse_loss", "binary_cross_entropy_with_logits", "cross_entropy",
          "logsumexp", "prod", "softmax", "log_softmax", "cumprod", "cumsum", "sum", "norm", "cdist", "erfinv",
          "dist", "renorm"}) {
      l[op] = Policy::Float32;
    }
    for (std::string_view op : {"addcdiv", "addcmul", "atan2", "dot", "index_put", "scatter_add"}) {
      l[op] = Policy::Promote;
    }
    l["binary_cross_entropy"] = Policy::Banned;
    return l;
  }();
  return lists;
}

const Lists& cpu_lists() {
  static const Lists lists = [] {
    Lists l;
    for (std::string_view op : {"conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "bmm", "mm", "baddbmm",
                                "addmm", "addbmm", "linear", "matmul"}) {
      l[op] = Policy::LowerPrecision;
    }
    // The linear algebra of lt::linalg that PyTorch lists (its inverse, Cholesky, solve and
    // symmetric eigen functions; matrix_norm is listed in Python).
    for (std::string_view op : {"binary_cross_entropy", "prod", "mse_loss", "nll_loss", "smooth_l1_loss",
                                "cross_entropy", "l1_loss", "huber_loss", "kl_div", "binary_cross_entropy_with_logits",
                                "inv_ex", "cholesky_ex", "cholesky_solve", "solve", "eigh", "eigvalsh"}) {
      l[op] = Policy::Float32;
    }
    for (std::string_view op : {"cat", "stack", "index_copy"}) l[op] = Policy::Promote;
    l["einsum"] = Policy::Composite;
    return l;
  }();
  return lists;
}

size_t index(DeviceType type) { return static_cast<size_t>(type); }

void update_any() {
  detail::State& s = detail::state;
  s.any = false;
  for (bool e : s.enabled) s.any = s.any || e;
}

// Casts of leaf tensors that require grad (the weights), kept while a region lasts so
// that a weight used by several operators is cast once.
struct CacheEntry {
  std::weak_ptr<TensorImpl> source;
  Tensor cast;
};
thread_local std::unordered_map<const TensorImpl*, CacheEntry> cache;

Tensor cast_to(const Tensor& t, DType to) {
  if (t.dtype() == to) return t;
  const bool cacheable = detail::state.cache_enabled && t.is_leaf() && t.requires_grad();
  if (!cacheable) return t.to(to);
  auto it = cache.find(t.impl());
  if (it != cache.end() && it->second.source.lock() == t.shared_impl() && it->second.cast.dtype() == to) {
    return it->second.cast;
  }
  Tensor cast = t.to(to);
  cache[t.impl()] = {t.shared_impl(), cast};
  return cast;
}

}  // namespace

bool is_enabled(DeviceType type) { return detail::state.enabled[index(type)]; }

void set_enabled(DeviceType type, bool enabled) {
  detail::state.enabled[index(type)] = enabled;
  update_any();
}

DType dtype(DeviceType type) { return detail::state.dtype[index(type)]; }

void set_dtype(DeviceType type, DType dtype) {
  LT_CHECK(dtype == DType::Float16 || dtype == DType::BFloat16, DTypeError, "autocast",
           "casts to float16 or bfloat16, got ", name(dtype));
  detail::state.dtype[index(type)] = dtype;
}

bool is_cache_enabled() { return detail::state.cache_enabled; }
void set_cache_enabled(bool enabled) { detail::state.cache_enabled = enabled; }
int increment_nesting() { return ++detail::state.nesting; }
int decrement_nesting() { return detail::state.nesting = std::max(0, detail::state.nesting - 1); }
void clear_cache() { cache.clear(); }

Policy policy(std::string_view op, DeviceType type) {
  const Lists& lists = type == DeviceType::CPU ? cpu_lists() : gpu_lists();
  auto it = lists.find(op);
  return it == lists.end() ? Policy::None : it->second;
}

Region::Region(DeviceType type, std::optional<DType> dtype, bool enabled)
    : type_(type), previous_enabled_(is_enabled(type)), previous_dtype_(autocast::dtype(type)) {
  if (dtype) set_dtype(type, *dtype);
  set_enabled(type, enabled);
  increment_nesting();
}

Region::~Region() {
  if (decrement_nesting() == 0) clear_cache();
  set_enabled(type_, previous_enabled_);
  detail::state.dtype[index(type_)] = previous_dtype_;
}

Tensor Plan::apply(const Tensor& t) const {
  if (!t.defined() || t.device().type != device || !is_floating(t.dtype())) return t;
  switch (policy) {
    case Policy::LowerPrecision:
      return t.dtype() == DType::Float64 ? t : cast_to(t, to);
    case Policy::Float32:
      return t.dtype() == DType::Float16 || t.dtype() == DType::BFloat16 ? t.to(DType::Float32) : t;
    case Policy::Promote:
      return t.to(to);
    default:
      return t;
  }
}

namespace detail {

std::optional<Plan> plan_for(std::string_view op, std::span<const Tensor* const> tensors) {
  const Tensor* first = nullptr;
  for (const Tensor* t : tensors) {
    if (t->defined()) {
      first = t;
      break;
    }
  }
  if (!first || !is_enabled(first->device().type)) return std::nullopt;
  Plan plan;
  plan.device = first->device().type;
  plan.policy = policy(op, plan.device == DeviceType::CPU && cpu_uses_gpu_lists ? DeviceType::CUDA : plan.device);
  switch (plan.policy) {
    case Policy::Composite:
      return std::nullopt;
    case Policy::LowerPrecision:
      plan.to = autocast::dtype(plan.device);
      break;
    case Policy::Promote: {
      std::optional<DType> widest;
      for (const Tensor* t : tensors) {
        if (t->defined() && t->device().type == plan.device && is_floating(t->dtype())) {
          widest = widest ? promote_types(*widest, t->dtype()) : t->dtype();
        }
      }
      if (widest) plan.to = *widest;
      else plan.policy = Policy::None;
      break;
    }
    case Policy::Banned:
      fail<Error>(op, "is unsafe to autocast: the sigmoid before it loses precision in float16. Use "
                      "binary_cross_entropy_with_logits (nn.BCEWithLogitsLoss), which is safe to autocast");
    default:
      break;
  }
  return plan;
}

}  // namespace detail

}  // namespace lt::autocast
