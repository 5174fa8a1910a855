// Shapes and strides: formatting, element counts without overflow, broadcasting.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lt {

using Shape = std::vector<int64_t>;

// A non-owning list of sizes, strides or dims: binds to {2, 3}, a Shape or a span.
class IntList {
 public:
  constexpr IntList() = default;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
  // The list lives until the end of the full expression, as long as a parameter does.
  constexpr IntList(std::initializer_list<int64_t> l) : data_(l.begin()), size_(l.size()) {}  // NOLINT
#pragma GCC diagnostic pop
  IntList(const Shape& v) : data_(v.data()), size_(v.size()) {}                                // NOLINT
  constexpr IntList(std::span<const int64_t> s) : data_(s.data()), size_(s.size()) {}          // NOLINT
  constexpr IntList(const int64_t* data, size_t size) : data_(data), size_(size) {}

  constexpr const int64_t* begin() const { return data_; }
  constexpr const int64_t* end() const { return data_ + size_; }
  constexpr const int64_t* data() const { return data_; }
  constexpr size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }
  constexpr int64_t operator[](size_t i) const { return data_[i]; }
  constexpr int64_t back() const { return data_[size_ - 1]; }
  Shape vec() const { return Shape(begin(), end()); }

 private:
  const int64_t* data_ = nullptr;
  size_t size_ = 0;
};

// Python's tuple notation: (3, 4), (5,), ().
std::string str(IntList shape);

// Product of the sizes; throws ShapeError naming `op` on a negative size or overflow.
int64_t checked_numel(IntList shape, std::string_view op);

// Strides of a row-major (C-contiguous) layout, in elements.
Shape contiguous_strides(IntList shape);

// NumPy broadcasting of two shapes; throws ShapeError naming `op`.
Shape broadcast_shapes(IntList a, IntList b, std::string_view op);

// Wraps a possibly negative dimension into [0, ndim); throws IndexError naming `op`.
int64_t wrap_dim(int64_t dim, int64_t ndim, std::string_view op);

}  // namespace lt
