// Deterministic mode, PyTorch's use_deterministic_algorithms: every run of a program gives
// the same bits. Operators whose GPU kernels add floats in whatever order their atomics
// land in (index_put with accumulate, and so scatter_add, index_add and the gradients of
// indexing; max_pool2d's gradient; scatter_reduce's sums) take a sorted path instead:
// the values landing on one place are summed in a fixed order first. Those without such a
// path raise an error naming themselves (or, with warn_only, warn).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "libtensor/device.h"

namespace lt {

void use_deterministic_algorithms(bool enabled, bool warn_only = false);
bool are_deterministic_algorithms_enabled();
bool is_deterministic_algorithms_warn_only_enabled();

// Called by an operator that has no deterministic implementation on `device`: nothing
// outside deterministic mode; inside it an Error, or with warn_only a warning.
void alert_not_deterministic(std::string_view op, Device device);

// Where warnings go: stderr by default; the Python module sends them to `warnings`.
void set_warning_handler(std::function<void(const std::string&)> handler);
void warn(const std::string& message);

}  // namespace lt
