#include "libtensor/registry.h"

#include <algorithm>
#include <cxxabi.h>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace lt {

struct Registry::Impl {
  std::mutex mutex;
  std::unordered_map<std::string, OpId> ids;
};

Registry& Registry::global() {
  static Registry* r = new Registry();  // never destroyed: kernels may run during exit
  return *r;
}

Registry::Impl& Registry::impl() const {
  static Impl* i = new Impl();
  return *i;
}

namespace {
std::string demangle(const std::type_info& t) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> s(abi::__cxa_demangle(t.name(), nullptr, nullptr, &status), std::free);
  return status == 0 ? s.get() : t.name();
}
}  // namespace

OpId Registry::intern(std::string_view name, const std::type_info& signature) {
  Impl& im = impl();
  std::lock_guard<std::mutex> lock(im.mutex);
  if (auto it = im.ids.find(std::string(name)); it != im.ids.end()) {
    Entry& e = entry(it->second);
    if (*e.signature != signature) {
      fail<ValueError>(name, "registered with kernel signature ", demangle(*e.signature), ", not ",
                       demangle(signature));
    }
    return it->second;
  }
  OpId id = size_.load(std::memory_order_relaxed);
  LT_CHECK(id < kMaxChunks * kChunkSize, Error, name, "too many operators registered");
  if (!chunks_[id >> kChunkBits].load(std::memory_order_relaxed)) {
    chunks_[id >> kChunkBits].store(new Entry[kChunkSize], std::memory_order_release);
  }
  Entry& e = entry(id);
  e.name = std::string(name);
  e.signature = &signature;
  im.ids.emplace(e.name, id);
  size_.store(id + 1, std::memory_order_release);
  return id;
}

std::optional<OpId> Registry::find(std::string_view name) const {
  Impl& im = impl();
  std::lock_guard<std::mutex> lock(im.mutex);
  auto it = im.ids.find(std::string(name));
  if (it == im.ids.end()) return std::nullopt;
  return it->second;
}

void Registry::set_kernel(OpId id, DeviceType device, AnyFn kernel) {
  std::lock_guard<std::mutex> lock(impl().mutex);
  entry(id).kernels[static_cast<int>(device)].store(kernel, std::memory_order_release);
}

void Registry::set_function(OpId id, AnyFn function, const std::type_info& signature) {
  std::lock_guard<std::mutex> lock(impl().mutex);
  Entry& e = entry(id);
  e.function_signature = &signature;
  e.function.store(function, std::memory_order_release);
}

AnyFn Registry::function(OpId id, const std::type_info& signature) const {
  std::lock_guard<std::mutex> lock(impl().mutex);
  const Entry& e = entry(id);
  AnyFn fn = e.function.load(std::memory_order_acquire);
  if (!fn) fail<NotImplementedError>(e.name, "has no registered function to call by name");
  if (*e.function_signature != signature) {
    fail<ValueError>(e.name, "has signature ", demangle(*e.function_signature), ", not ", demangle(signature));
  }
  return fn;
}

std::vector<OpInfo> Registry::list() const {
  std::lock_guard<std::mutex> lock(impl().mutex);
  std::vector<OpInfo> out;
  const OpId n = size_.load(std::memory_order_acquire);
  for (OpId id = 0; id < n; ++id) {
    const Entry& e = entry(id);
    OpInfo info{e.name, demangle(*e.signature), {}, e.function.load() != nullptr};
    for (int d = 0; d < kNumDeviceTypes; ++d) info.has_kernel[d] = e.kernels[d].load() != nullptr;
    out.push_back(std::move(info));
  }
  std::sort(out.begin(), out.end(), [](const OpInfo& a, const OpInfo& b) { return a.name < b.name; });
  return out;
}

void Registry::throw_no_kernel(OpId id, DeviceType device) const {
  fail<DeviceError>(name(id), "has no kernel for device ", lt::name(device));
}

}  // namespace lt
