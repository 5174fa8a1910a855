// The deterministic-mode switch and the warning handler.
#include "libtensor/deterministic.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "libtensor/error.h"

namespace lt {

namespace {

// Process-wide, as PyTorch's: a setting of the program, not of a thread.
std::atomic<bool> deterministic{false}, warn_only_mode{false};

std::mutex handler_mutex;
std::function<void(const std::string&)>& handler() {
  static std::function<void(const std::string&)> h = [](const std::string& m) {
    std::fprintf(stderr, "libtensor warning: %s\n", m.c_str());
  };
  return h;
}

}  // namespace

void use_deterministic_algorithms(bool enabled, bool warn_only) {
  deterministic = enabled;
  warn_only_mode = enabled && warn_only;
}

bool are_deterministic_algorithms_enabled() { return deterministic; }
bool is_deterministic_algorithms_warn_only_enabled() { return warn_only_mode; }

void alert_not_deterministic(std::string_view op, Device device) {
  if (!deterministic) return;
  const std::string message = detail::cat(
      "[", op, "] has no deterministic implementation on ", device.str(),
      ", but deterministic algorithms were requested (use_deterministic_algorithms(True)); pass warn_only=True "
      "to be warned instead");
  if (warn_only_mode) return warn(message);
  throw Error(message);
}

void set_warning_handler(std::function<void(const std::string&)> h) {
  std::lock_guard<std::mutex> lock(handler_mutex);
  handler() = std::move(h);
}

void warn(const std::string& message) {
  std::function<void(const std::string&)> h;
  {
    std::lock_guard<std::mutex> lock(handler_mutex);
    h = handler();
  }
  if (h) h(message);
}

}  // namespace lt
