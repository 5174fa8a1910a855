// TensorIterator: the one loop geometry that every elementwise and reduction kernel
// runs over, on every device. An operator's definition builds it (broadcasting, casts
// to the compute dtype, output allocation, overlap checks); a kernel walks it.
//
// After build(), dimensions are reordered so that dim 0 is the innermost (smallest
// strides) and adjacent dimensions that are contiguous for every operand are merged,
// so a contiguous tensor of any shape is a single dimension. Strides are in bytes.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "libtensor/tensor.h"

namespace lt {

class TensorIterator {
 public:
  static constexpr int kMaxOperands = 6;

  int noperands() const { return noperands_; }
  int noutputs() const { return noutputs_; }
  int ninputs() const { return noperands_ - noutputs_; }
  // Operands: outputs first, then inputs.
  const Tensor& operand(int i) const { return tensors_[i]; }
  const Tensor& output(int i = 0) const { return tensors_[i]; }
  const Tensor& input(int i = 0) const { return tensors_[noutputs_ + i]; }
  DType dtype(int i) const { return tensors_[i].dtype(); }

  std::string_view op_name() const { return op_; }
  bool is_reduction() const { return reduction_; }
  // The broadcast shape in the operator's own (logical) dimension order.
  const Shape& logical_shape() const { return logical_shape_; }

  // Geometry after reordering and merging: dim 0 innermost.
  int ndim() const { return static_cast<int>(shape_.size()); }
  const Shape& shape() const { return shape_; }
  int64_t numel() const { return numel_; }
  const int64_t* strides(int operand) const { return strides_[operand].data(); }
  char* data(int operand) const { return data_[operand]; }
  // True when operand i steps by exactly one element along dim 0.
  bool is_inner_contiguous(int operand) const {
    return ndim() == 0 || strides_[operand][0] == tensors_[operand].itemsize();
  }
  // True when every element of every operand is visited once, in memory order.
  bool is_contiguous() const;

  // Calls row(ptrs, inner_strides, n) for consecutive rows along dim 0 covering the
  // linear range [begin, end) of the iteration space.
  template <class Row>
  void for_each_row(int64_t begin, int64_t end, Row&& row) const;

 private:
  friend class TensorIteratorConfig;
  std::string_view op_;
  int noperands_ = 0;
  int noutputs_ = 0;
  bool reduction_ = false;
  std::array<Tensor, kMaxOperands> tensors_;
  std::array<char*, kMaxOperands> data_{};
  std::array<Shape, kMaxOperands> strides_;
  Shape shape_;
  Shape logical_shape_;
  int64_t numel_ = 0;
};

class TensorIteratorConfig {
 public:
  explicit TensorIteratorConfig(std::string_view op) : op_(op) {}

  // An output; an undefined tensor is allocated with `dtype` in the broadcast shape.
  TensorIteratorConfig& add_output(const Tensor& t, std::optional<DType> dtype = {});
  // An input, cast to `dtype` first when given and different.
  TensorIteratorConfig& add_input(const Tensor& t, std::optional<DType> dtype = {});
  // One output, of the input's rank with size 1 where the input is reduced. The
  // geometry then has two dims, {reduced, kept} or {kept, reduced}, inner first;
  // the output's stride along the reduced one is 0.
  TensorIteratorConfig& reduction(bool on = true) {
    reduction_ = on;
    return *this;
  }
  // The iteration shape when there are no inputs (fill, random).
  TensorIteratorConfig& shape(IntList s) {
    shape_ = Shape(s.begin(), s.end());
    return *this;
  }

  TensorIterator build();

 private:
  TensorIterator build_reduction();
  bool build_contiguous(TensorIterator& it);
  struct Pending {
    Tensor tensor;
    std::optional<DType> dtype;
    bool is_output = false;
  };
  std::string_view op_;
  // Few operands, fixed capacity: building an iterator allocates nothing for them.
  struct Operands {
    std::array<Pending, TensorIterator::kMaxOperands> items;
    int count = 0;
    Pending* begin() { return items.data(); }
    Pending* end() { return items.data() + count; }
    size_t size() const { return static_cast<size_t>(count); }
    Pending& operator[](size_t i) { return items[i]; }
  } operands_;
  std::optional<Shape> shape_;
  bool reduction_ = false;
};

template <class Row>
void TensorIterator::for_each_row(int64_t begin, int64_t end, Row&& row) const {
  const int nd = ndim();
  const int nops = noperands_;
  std::array<char*, kMaxOperands> ptrs;
  std::array<int64_t, kMaxOperands> inner;
  if (nd == 0) {
    if (begin < end) {
      for (int k = 0; k < nops; ++k) ptrs[k] = data_[k], inner[k] = 0;
      row(ptrs.data(), inner.data(), int64_t{1});
    }
    return;
  }
  for (int k = 0; k < nops; ++k) inner[k] = strides_[k][0];
  // Multi-index of `begin`, dim 0 fastest.
  std::array<int64_t, 64> idx{};
  int64_t rem = begin;
  for (int d = 0; d < nd; ++d) {
    idx[d] = rem % shape_[d];
    rem /= shape_[d];
  }
  int64_t pos = begin;
  while (pos < end) {
    for (int k = 0; k < nops; ++k) {
      char* p = data_[k];
      for (int d = 0; d < nd; ++d) p += idx[d] * strides_[k][d];
      ptrs[k] = p;
    }
    int64_t n = std::min(shape_[0] - idx[0], end - pos);
    row(ptrs.data(), inner.data(), n);
    pos += n;
    idx[0] += n;
    for (int d = 0; d + 1 < nd && idx[d] == shape_[d]; ++d) {
      idx[d] = 0;
      ++idx[d + 1];
    }
  }
}

}  // namespace lt
