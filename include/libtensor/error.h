// The error hierarchy. Every message starts with the operator's name in brackets
// and names the shapes or values involved: "[add] shapes (3, 4) and (5,) cannot be broadcast".
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace lt {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
class ShapeError : public Error { using Error::Error; };
class DTypeError : public Error { using Error::Error; };
class IndexError : public Error { using Error::Error; };
// An index a device found out of range in an earlier operator's kernel and reported at a
// later call (backends/cuda/device_errors.h): it keeps that operator's name.
class DeferredIndexError : public IndexError { using IndexError::IndexError; };
class DeviceError : public Error { using Error::Error; };
// A device allocation that failed even after the allocator returned its cached memory.
class OutOfMemoryError : public DeviceError { using DeviceError::DeviceError; };
class ValueError : public Error { using Error::Error; };
class NotImplementedError : public Error { using Error::Error; };
// Misuse of autograd: a freed graph, a modified saved tensor, an in-place write to a leaf.
class AutogradError : public Error { using Error::Error; };
// A derivative that disagrees with finite differences.
class GradcheckError : public Error { using Error::Error; };
// Serialized bytes that break their format's rules (a corrupt or hostile file).
class FormatError : public Error { using Error::Error; };
// A file that cannot be opened, read or written; code is the errno value.
class FileError : public Error {
 public:
  FileError(const std::string& message, int code, std::string path)
      : Error(message), code_(code), path_(std::move(path)) {}
  int code() const { return code_; }
  const std::string& path() const { return path_; }

 private:
  int code_;
  std::string path_;
};

namespace detail {
template <class... Args>
std::string cat(Args&&... args) {
  std::ostringstream s;
  (s << ... << std::forward<Args>(args));
  return s.str();
}
}  // namespace detail

// Throws E with the message "[op] " followed by args.
template <class E = Error, class... Args>
[[noreturn]] void fail(std::string_view op, Args&&... args) {
  throw E(detail::cat("[", op, "] ", std::forward<Args>(args)...));
}

}  // namespace lt

// LT_CHECK(cond, ShapeError, "add", "shapes ", a, " and ", b, " cannot be broadcast")
#define LT_CHECK(cond, E, op, ...)                     \
  do {                                                 \
    if (!(cond)) [[unlikely]] ::lt::fail<::lt::E>(op, __VA_ARGS__); \
  } while (0)
