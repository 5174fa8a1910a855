// A number without a tensor: the weak operand of PyTorch's type promotion.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>

#include "libtensor/dtype.h"

namespace lt {

class Scalar {
 public:
  enum class Kind : uint8_t { Bool, Int, Float };

  Scalar() : Scalar(int64_t{0}) {}
  Scalar(bool v) : kind_(Kind::Bool) { v_.i = v; }  // NOLINT: numbers convert implicitly
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  Scalar(T v) : kind_(Kind::Int) {  // NOLINT
    v_.i = static_cast<int64_t>(v);
  }
  template <std::floating_point T>
  Scalar(T v) : kind_(Kind::Float) {  // NOLINT
    v_.d = static_cast<double>(v);
  }
  Scalar(Half v) : Scalar(static_cast<float>(v)) {}      // NOLINT
  Scalar(BFloat16 v) : Scalar(static_cast<float>(v)) {}  // NOLINT

  Kind kind() const { return kind_; }
  bool is_bool() const { return kind_ == Kind::Bool; }
  bool is_integral() const { return kind_ == Kind::Int; }
  bool is_floating() const { return kind_ == Kind::Float; }

  // The dtype a Python number of this kind takes alone: bool, int64 or the default float.
  DType dtype() const {
    return kind_ == Kind::Bool ? DType::Bool : kind_ == Kind::Int ? DType::Int64 : default_dtype();
  }

  template <class T>
  T to() const {
    if (kind_ == Kind::Float) return static_cast<T>(v_.d);
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
      return T(static_cast<float>(v_.i));
    } else {
      return static_cast<T>(v_.i);
    }
  }
  double to_double() const { return kind_ == Kind::Float ? v_.d : static_cast<double>(v_.i); }
  int64_t to_int() const { return kind_ == Kind::Float ? static_cast<int64_t>(v_.d) : v_.i; }

  std::string str() const;

 private:
  Kind kind_;
  union {
    int64_t i;
    double d;
  } v_;
};

}  // namespace lt
