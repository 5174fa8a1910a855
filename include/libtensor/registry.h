// The operator registry: every operator has an id, and for each device type at most one
// kernel. Lookups on the hot path index two arrays; only registration takes a lock.
//
// Kernels are typed function pointers. An operator's kernel signature is fixed by the
// first registration or definition that names it, and every later one must agree.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include "libtensor/device.h"
#include "libtensor/error.h"
#include "libtensor/scalar.h"

namespace lt {

class Tensor;
class TensorIterator;

using OpId = uint32_t;
using AnyFn = void (*)();
using ScalarList = std::span<const Scalar>;

// The kernel signatures of the built-in operators.
// Elementwise and reduction operators: the iterator plus the operator's scalar arguments.
using IterKernel = void(TensorIterator& iter, ScalarList args);
// Everything else: output tensors first, then inputs, plus scalar arguments.
using TensorKernel = void(std::span<Tensor> tensors, ScalarList args);

struct OpInfo {
  std::string name;
  std::string signature;  // the kernel signature's mangled type name
  std::array<bool, kNumDeviceTypes> has_kernel{};
  bool has_function = false;  // callable by name through find_function
};

class Registry {
 public:
  static Registry& global();

  // The id of operator `name`, creating it if new; throws if `signature` disagrees with
  // the one the operator was first named with.
  OpId intern(std::string_view name, const std::type_info& signature);
  std::optional<OpId> find(std::string_view name) const;

  // Installs (or replaces) the kernel of an operator for one device type.
  void set_kernel(OpId id, DeviceType device, AnyFn kernel);
  AnyFn kernel(OpId id, DeviceType device) const noexcept {
    return entry(id).kernels[static_cast<int>(device)].load(std::memory_order_acquire);
  }

  // The device-independent entry point of an operator defined outside the core, so that
  // programs can call it by name: find_function<Sig>("myext::op").
  void set_function(OpId id, AnyFn function, const std::type_info& signature);
  AnyFn function(OpId id, const std::type_info& signature) const;

  std::string_view name(OpId id) const { return entry(id).name; }
  std::vector<OpInfo> list() const;

  [[noreturn]] void throw_no_kernel(OpId id, DeviceType device) const;

 private:
  struct Entry {
    std::string name;
    const std::type_info* signature = nullptr;
    std::array<std::atomic<AnyFn>, kNumDeviceTypes> kernels{};
    std::atomic<AnyFn> function{nullptr};
    const std::type_info* function_signature = nullptr;
  };
  // Entries live in fixed chunks that never move, so readers need no lock.
  static constexpr int kChunkBits = 8;
  static constexpr int kChunkSize = 1 << kChunkBits;
  static constexpr int kMaxChunks = 256;

  Registry() = default;
  const Entry& entry(OpId id) const { return chunks_[id >> kChunkBits].load(std::memory_order_acquire)[id & (kChunkSize - 1)]; }
  Entry& entry(OpId id) { return chunks_[id >> kChunkBits].load(std::memory_order_acquire)[id & (kChunkSize - 1)]; }

  std::array<std::atomic<Entry*>, kMaxChunks> chunks_{};
  std::atomic<uint32_t> size_{0};
  struct Impl;
  Impl& impl() const;
};

// A typed handle on an operator: resolves the name once, then each call is an index.
template <class Sig>
class Op {
 public:
  explicit Op(std::string_view name) : id_(Registry::global().intern(name, typeid(Sig))) {}
  OpId id() const { return id_; }
  std::string_view name() const { return Registry::global().name(id_); }

  // The kernel for `device`; throws DeviceError "[op] has no kernel for device cuda".
  Sig* kernel(DeviceType device) const {
    AnyFn fn = Registry::global().kernel(id_, device);
    if (!fn) [[unlikely]] Registry::global().throw_no_kernel(id_, device);
    return reinterpret_cast<Sig*>(fn);
  }
  void set_kernel(DeviceType device, Sig* fn) const {
    Registry::global().set_kernel(id_, device, reinterpret_cast<AnyFn>(fn));
  }

 private:
  OpId id_;
};

// Registers kernels from a static initializer: LT_REGISTER_KERNEL("exp", CPU, IterKernel, fn).
struct KernelRegistrar {
  template <class Sig>
  KernelRegistrar(std::string_view op, DeviceType device, Sig* fn) {
    Op<Sig>(op).set_kernel(device, fn);
  }
};

// The device-independent entry point of an operator registered with LT_DEFINE_OPERATOR.
template <class Sig>
Sig* find_function(std::string_view name) {
  auto id = Registry::global().find(name);
  if (!id) fail<ValueError>(name, "no such operator is registered");
  return reinterpret_cast<Sig*>(Registry::global().function(*id, typeid(Sig)));
}

}  // namespace lt

#define LT_CONCAT_INNER(a, b) a##b
#define LT_CONCAT(a, b) LT_CONCAT_INNER(a, b)

#define LT_REGISTER_KERNEL(op_name, device, Sig, fn)                                           \
  static const ::lt::KernelRegistrar LT_CONCAT(lt_kernel_registrar_, __COUNTER__)(             \
      op_name, ::lt::DeviceType::device, static_cast<Sig*>(fn))
