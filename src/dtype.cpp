#include "libtensor/dtype.h"

#include <algorithm>
#include <atomic>

#include "libtensor/error.h"

namespace lt {
namespace {
std::atomic<DType> default_float{DType::Float32};
}  // namespace

DType default_dtype() { return default_float.load(std::memory_order_relaxed); }

void set_default_dtype(DType t) {
  LT_CHECK(is_floating(t), DTypeError, "set_default_dtype", "only floating-point types can be the default, got ", name(t));
  default_float.store(t, std::memory_order_relaxed);
}

std::string_view name(DType t) {
  constexpr std::string_view names[kNumDTypes] = {"bool",    "uint8",    "int8",    "int16",   "int32",
                                                  "int64",   "float16",  "bfloat16", "float32", "float64"};
  return names[static_cast<int>(t)];
}

DType promote_types(DType a, DType b) {
  if (a == b) return a;
  if (a == DType::Bool) return b;
  if (b == DType::Bool) return a;
  if (is_floating(a) && is_floating(b)) {
    // Neither 16-bit format holds the other.
    if ((a == DType::Float16 && b == DType::BFloat16) || (a == DType::BFloat16 && b == DType::Float16)) {
      return DType::Float32;
    }
    return std::max(a, b);
  }
  if (is_floating(a)) return a;
  if (is_floating(b)) return b;
  // Both integral. uint8 and int8 meet at int16; otherwise the wider one (signed) wins.
  if ((a == DType::UInt8 && b == DType::Int8) || (a == DType::Int8 && b == DType::UInt8)) return DType::Int16;
  return std::max(a, b);
}

}  // namespace lt
