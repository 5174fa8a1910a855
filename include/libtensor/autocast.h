// Automatic mixed precision, PyTorch's autocast: inside an enabled region, operators on
// its list for the tensors' device type cast their floating inputs first. Products and
// convolutions run in the region's lower precision (float16 or bfloat16); operators whose
// range or accuracy suffers there (exp, log, sums, softmax, norms, losses) run in float32;
// a few that need one dtype (dot, addcmul, ...) take the widest of their inputs'.
//
// An operator's own body runs with autocast off, so the operators it is built from are
// its implementation, not further casts: a result's dtype is the one PyTorch's kernel
// gives. Only where PyTorch itself decomposes an operator (einsum) may the parts cast.
// Every operator that casts, or is built from operators that do, starts with LT_AUTOCAST.
// Backward passes run with autocast off: gradients flow back through the casts into the
// inputs' dtypes. The state is per thread, like grad mode.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "libtensor/device.h"
#include "libtensor/dtype.h"
#include "libtensor/tensor.h"

namespace lt::autocast {

// How an operator treats its floating inputs on one device type.
enum class Policy : uint8_t {
  None,            // not listed: runs as called, autocast off inside (PyTorch's primitives)
  Composite,       // not listed, and the operators inside may cast (PyTorch's decompositions)
  LowerPrecision,  // float32 inputs become the region's dtype (float64 stays)
  Float32,         // float16 and bfloat16 inputs become float32
  Promote,         // every floating input becomes the widest floating input's dtype
  Banned,          // unsafe under autocast (binary_cross_entropy on GPUs): an error
};

namespace detail {
struct State {
  std::array<bool, kNumDeviceTypes> enabled{};
  std::array<DType, kNumDeviceTypes> dtype{DType::BFloat16, DType::Float16, DType::Float16};
  bool any = false;        // some device type enabled
  bool suspended = false;  // inside a listed operator, or a backward pass
  bool cache_enabled = true;
  int nesting = 0;
};
// Tests only: CPU tensors follow the GPU lists, so that they run without a GPU.
__attribute__((visibility("default"))) inline bool cpu_uses_gpu_lists = false;
// One variable for the process, shared with extension modules (see grad_mode.h).
__attribute__((visibility("default"))) inline thread_local State state;
}  // namespace detail

// The one check on every listed operator's path when autocast is off.
inline bool active() { return detail::state.any && !detail::state.suspended; }

bool is_enabled(DeviceType type);
void set_enabled(DeviceType type, bool enabled);
DType dtype(DeviceType type);  // float16 or bfloat16
void set_dtype(DeviceType type, DType dtype);
bool is_cache_enabled();
void set_cache_enabled(bool enabled);
// Regions nest; the cache of cast weights is cleared when the outermost one ends.
int increment_nesting();
int decrement_nesting();
void clear_cache();

// The casting lists: op's policy for tensors of device type `type`.
Policy policy(std::string_view op, DeviceType type);

// Turns autocast off for a scope and back to what it was after.
class Suspend {
 public:
  Suspend() : previous_(detail::state.suspended) { detail::state.suspended = true; }
  ~Suspend() { detail::state.suspended = previous_; }
  Suspend(const Suspend&) = delete;
  Suspend& operator=(const Suspend&) = delete;

 private:
  bool previous_;
};

// Enables autocast for one device type in a scope (C++'s `with lt.autocast(...)`).
class Region {
 public:
  explicit Region(DeviceType type, std::optional<DType> dtype = std::nullopt, bool enabled = true);
  ~Region();
  Region(const Region&) = delete;
  Region& operator=(const Region&) = delete;

 private:
  DeviceType type_;
  bool previous_enabled_;
  DType previous_dtype_;
};

// What a listed call does to its inputs: the policy, the dtype it casts to, the device
// type whose tensors it casts.
struct Plan {
  Policy policy = Policy::None;
  DType to = DType::Float32;
  DeviceType device = DeviceType::CPU;
  Tensor apply(const Tensor& t) const;
};

namespace detail {
template <class A>
void visit_tensors(const A& a, auto&& f) {
  using D = std::remove_cvref_t<A>;
  if constexpr (std::is_same_v<D, Tensor>) {
    f(a);
  } else if constexpr (std::is_same_v<D, std::optional<Tensor>>) {
    if (a) f(*a);
  } else if constexpr (std::is_same_v<D, std::vector<Tensor>>) {
    for (const Tensor& t : a) f(t);
  }
}

template <class A>
decltype(auto) cast_arg(A&& a, const Plan& plan) {
  using D = std::remove_cvref_t<A>;
  if constexpr (std::is_same_v<D, Tensor>) {
    return plan.apply(a);
  } else if constexpr (std::is_same_v<D, std::optional<Tensor>>) {
    return a ? std::optional<Tensor>(plan.apply(*a)) : std::optional<Tensor>();
  } else if constexpr (std::is_same_v<D, std::vector<Tensor>>) {
    std::vector<Tensor> cast;
    cast.reserve(a.size());
    for (const Tensor& t : a) cast.push_back(plan.apply(t));
    return cast;
  } else {
    return std::forward<A>(a);
  }
}

// The plan for op on these tensors (the first defined tensor's device type decides), or
// nothing where autocast leaves the call alone.
std::optional<Plan> plan_for(std::string_view op, std::span<const Tensor* const> tensors);
}  // namespace detail

// Runs op under autocast: f on the cast arguments with autocast off inside, or nothing
// (nullopt) where autocast is off for the tensors' device type or op decomposes.
template <class F, class... A>
auto run(std::string_view op, F&& f, A&&... args) -> std::optional<decltype(f(std::forward<A>(args)...))> {
  std::vector<const Tensor*> tensors;
  (detail::visit_tensors(args, [&](const Tensor& t) { tensors.push_back(&t); }), ...);
  const std::optional<Plan> plan = detail::plan_for(op, tensors);
  if (!plan) return std::nullopt;
  Suspend inside;
  return f(detail::cast_arg(std::forward<A>(args), *plan)...);
}

}  // namespace lt::autocast

// The first line of operator `name` taking `args...`: under autocast, the operator
// called again on the cast arguments, with autocast off inside.
#define LT_AUTOCAST(name, ...)                                                                   \
  do {                                                                                           \
    if (::lt::autocast::active()) {                                                              \
      if (auto cast_result = ::lt::autocast::run(#name, [&](auto&&... a) { return name(a...); }, \
                                                 __VA_ARGS__))                                   \
        return *std::move(cast_result);                                                          \
    }                                                                                            \
  } while (0)
