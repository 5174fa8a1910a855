// Shapes and strides: formatting, element counts without overflow, broadcasting.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <type_traits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lt {

// A list of sizes, strides or dims. Tensors rarely have more than six dims, so up to six
// values live inside the object: making a tensor allocates nothing for its shape, which
// is most of what an operator on small tensors costs.
class Shape {
 public:
  using value_type = int64_t;
  using size_type = size_t;
  using difference_type = std::ptrdiff_t;
  using reference = int64_t&;
  using const_reference = const int64_t&;
  using pointer = int64_t*;
  using const_pointer = const int64_t*;
  using iterator = int64_t*;
  using const_iterator = const int64_t*;
  using reverse_iterator = std::reverse_iterator<iterator>;
  using const_reverse_iterator = std::reverse_iterator<const_iterator>;

  Shape() = default;
  explicit Shape(size_t n, int64_t value = 0) { assign(n, value); }
  Shape(std::initializer_list<int64_t> values) { append(values.begin(), values.end()); }
  template <class It>
    requires(!std::is_integral_v<It>)
  Shape(It first, It last) {
    for (; first != last; ++first) push_back(*first);
  }
  Shape(const std::vector<int64_t>& v) { append(v.data(), v.data() + v.size()); }  // NOLINT
  Shape(const Shape& o) { append(o.begin(), o.end()); }
  Shape(Shape&& o) noexcept { take(o); }
  Shape& operator=(const Shape& o) {
    if (this != &o) {
      size_ = 0;
      append(o.begin(), o.end());
    }
    return *this;
  }
  Shape& operator=(Shape&& o) noexcept {
    if (this != &o) {
      release();
      take(o);
    }
    return *this;
  }
  Shape& operator=(std::initializer_list<int64_t> values) {
    size_ = 0;
    append(values.begin(), values.end());
    return *this;
  }
  ~Shape() { release(); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  int64_t* data() { return data_; }
  const int64_t* data() const { return data_; }
  iterator begin() { return data_; }
  iterator end() { return data_ + size_; }
  const_iterator begin() const { return data_; }
  const_iterator end() const { return data_ + size_; }
  reverse_iterator rbegin() { return reverse_iterator(end()); }
  reverse_iterator rend() { return reverse_iterator(begin()); }
  const_reverse_iterator rbegin() const { return const_reverse_iterator(end()); }
  const_reverse_iterator rend() const { return const_reverse_iterator(begin()); }
  int64_t& operator[](size_t i) { return data_[i]; }
  const int64_t& operator[](size_t i) const { return data_[i]; }
  int64_t& front() { return data_[0]; }
  const int64_t& front() const { return data_[0]; }
  int64_t& back() { return data_[size_ - 1]; }
  const int64_t& back() const { return data_[size_ - 1]; }

  void reserve(size_t n) {
    if (n <= capacity_) return;
    auto* grown = new int64_t[n];
    std::copy(begin(), end(), grown);
    release();
    data_ = grown;
    capacity_ = n;
  }
  void push_back(int64_t v) {
    if (size_ == capacity_) reserve(capacity_ * 2);
    data_[size_++] = v;
  }
  void emplace_back(int64_t v) { push_back(v); }
  void pop_back() { --size_; }
  void clear() { size_ = 0; }
  void resize(size_t n, int64_t value = 0) {
    reserve(n);
    for (size_t i = size_; i < n; ++i) data_[i] = value;
    size_ = n;
  }
  void assign(size_t n, int64_t value) {
    size_ = 0;
    resize(n, value);
  }
  iterator insert(const_iterator pos, int64_t v) {
    const size_t at = static_cast<size_t>(pos - data_);
    push_back(v);
    std::rotate(data_ + at, data_ + size_ - 1, data_ + size_);
    return data_ + at;
  }
  iterator erase(const_iterator pos) { return erase(pos, pos + 1); }
  iterator erase(const_iterator first, const_iterator last) {
    const size_t at = static_cast<size_t>(first - data_), n = static_cast<size_t>(last - first);
    std::copy(data_ + at + n, data_ + size_, data_ + at);
    size_ -= n;
    return data_ + at;
  }

  friend bool operator==(const Shape& a, const Shape& b) {
    return a.size_ == b.size_ && std::equal(a.begin(), a.end(), b.begin());
  }
  friend bool operator!=(const Shape& a, const Shape& b) { return !(a == b); }

 private:
  static constexpr size_t kInline = 6;
  void append(const int64_t* first, const int64_t* last) {
    reserve(size_ + static_cast<size_t>(last - first));
    for (; first != last; ++first) data_[size_++] = *first;
  }
  void release() {
    if (data_ != inline_) delete[] data_;
    data_ = inline_;
    capacity_ = kInline;
  }
  // Moves o's values here; o is left empty and inline.
  void take(Shape& o) {
    if (o.data_ == o.inline_) {
      data_ = inline_;
      capacity_ = kInline;
      std::copy(o.begin(), o.end(), inline_);
    } else {
      data_ = o.data_;
      capacity_ = o.capacity_;
      o.data_ = o.inline_;
      o.capacity_ = kInline;
    }
    size_ = o.size_;
    o.size_ = 0;
  }

  int64_t* data_ = inline_;
  size_t size_ = 0;
  size_t capacity_ = kInline;
  int64_t inline_[kInline];
};

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
  IntList(const std::vector<int64_t>& v) : data_(v.data()), size_(v.size()) {}                  // NOLINT
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
