#include "libtensor/iterator.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>

#include "libtensor/error.h"
#include "libtensor/ops.h"

namespace lt {
namespace {

// The byte range [lo, hi) that a tensor's elements occupy.
std::pair<const char*, const char*> extent(const Tensor& t) {
  const char* base = static_cast<const char*>(t.data());
  const char *lo = base, *hi = base + t.itemsize();
  for (int64_t d = 0; d < t.dim(); ++d) {
    int64_t reach = (t.size(d) - 1) * t.stride(d) * t.itemsize();
    (reach < 0 ? lo : hi) += reach;
  }
  return {lo, hi};
}

bool same_layout(const Tensor& a, const Tensor& b) {
  return a.data() == b.data() && a.sizes() == b.sizes() && a.strides() == b.strides() && a.dtype() == b.dtype();
}

// True when writing `out` while reading `in` elementwise could read a value already
// overwritten: they share memory but not element for element.
bool partially_overlaps(const Tensor& out, const Tensor& in) {
  if (out.storage() != in.storage() || out.numel() == 0 || in.numel() == 0) return false;
  if (same_layout(out, in)) return false;
  auto [a_lo, a_hi] = extent(out);
  auto [b_lo, b_hi] = extent(in);
  return a_lo < b_hi && b_lo < a_hi;
}

}  // namespace

TensorIteratorConfig& TensorIteratorConfig::add_output(const Tensor& t, std::optional<DType> dtype) {
  LT_CHECK(operands_.count < TensorIterator::kMaxOperands, ValueError, op_, "too many operands");
  operands_[operands_.count++] = {t, dtype, true};
  return *this;
}

TensorIteratorConfig& TensorIteratorConfig::add_input(const Tensor& t, std::optional<DType> dtype) {
  LT_CHECK(t.defined(), ValueError, op_, "an input tensor is undefined");
  LT_CHECK(operands_.count < TensorIterator::kMaxOperands, ValueError, op_, "too many operands");
  operands_[operands_.count++] = {t, dtype, false};
  return *this;
}

// The common case in one pass: every input contiguous, of one shape and device (or a
// 0-dim scalar), already in its compute dtype, and outputs new or contiguous in that
// shape without partial overlap. The geometry is then one flat dim, with none of the
// general path's sorting.
bool TensorIteratorConfig::build_contiguous(TensorIterator& it) {
  if (reduction_ || shape_) return false;
  const Tensor* first = nullptr;
  for (Pending& p : operands_) {
    if (p.is_output) continue;
    const Tensor& t = p.tensor;
    if (p.dtype && *p.dtype != t.dtype()) return false;
    if (!t.is_contiguous()) return false;
    if (!first || (first->dim() == 0 && t.dim() > 0)) {
      if (first && first->device() != t.device()) return false;
      first = &t;
    } else if ((t.dim() > 0 && t.sizes() != first->sizes()) || t.device() != first->device()) {
      return false;
    }
  }
  if (!first) return false;
  for (Pending& p : operands_) {
    if (!p.is_output) continue;
    if (!p.tensor.defined()) {
      if (!p.dtype) return false;
      continue;
    }
    const Tensor& t = p.tensor;
    if (!t.is_contiguous() || t.sizes() != first->sizes() || t.device() != first->device()) return false;
    for (Pending& q : operands_) {
      if (q.is_output || q.tensor.storage() != t.storage()) continue;
      if (q.tensor.data() != t.data() || q.tensor.sizes() != t.sizes() || q.tensor.dtype() != t.dtype()) return false;
    }
  }
  const Shape& shape = first->sizes();
  const int64_t numel = first->numel();
  for (Pending& p : operands_) {
    if (p.is_output && !p.tensor.defined()) {
      p.tensor = make_tensor(std::make_shared<StorageImpl>(static_cast<size_t>(numel * itemsize(*p.dtype)),
                                                           first->device()),
                             *p.dtype, shape, contiguous_strides(shape));
    } else if (p.is_output) {
      p.tensor.bump_version();
    }
  }
  it.noperands_ = operands_.count;
  it.noutputs_ = 0;
  it.shape_ = {numel};
  for (int k = 0; k < operands_.count; ++k) {
    const Tensor& t = operands_[k].tensor;
    it.noutputs_ += operands_[k].is_output;
    it.tensors_[k] = t;
    it.data_[k] = static_cast<char*>(t.data());
    it.strides_[k] = {t.dim() == 0 && first->dim() > 0 ? 0 : t.itemsize()};  // scalars repeat
  }
  it.logical_shape_ = shape;
  it.numel_ = numel;
  return true;
}

bool TensorIterator::is_contiguous() const {
  if (ndim() > 1) return false;
  for (int k = 0; k < noperands_; ++k) {
    if (!is_inner_contiguous(k)) return false;
  }
  return true;
}

// A reduction's geometry is always two dims, one of kept and one of reduced elements
// (either may be the inner one), so that kernels need only two loop shapes: a reduction
// along memory, and rows added into a row of outputs. Inputs whose reduced or kept dims
// cannot merge into one stride are copied first.
TensorIterator TensorIteratorConfig::build_reduction() {
  LT_CHECK(operands_.size() == 2 && operands_[0].is_output && operands_[0].tensor.defined(), ValueError, op_,
           "a reduction takes one allocated output and one input");
  Tensor out = operands_[0].tensor;
  Tensor in = operands_[1].tensor;
  if (operands_[1].dtype && *operands_[1].dtype != in.dtype()) in = in.to(*operands_[1].dtype);
  LT_CHECK(out.device() == in.device(), DeviceError, op_, "expected all tensors on one device, got ",
           out.device().str(), " and ", in.device().str());
  LT_CHECK(out.dim() == in.dim(), ShapeError, op_, "output with shape ", str(out.sizes()),
           " does not match the reduction of shape ", str(in.sizes()));
  const int64_t nd = in.dim();
  Shape kept, reduced;
  for (int64_t d = 0; d < nd; ++d) {
    if (in.size(d) == 1) continue;
    LT_CHECK(out.size(d) == in.size(d) || out.size(d) == 1, ShapeError, op_, "output with shape ",
             str(out.sizes()), " does not match the reduction of shape ", str(in.sizes()));
    (out.size(d) == 1 ? reduced : kept).push_back(d);
  }
  // Size and innermost stride of a group of dims, if they merge into one. A group with
  // a dim of size 0 has no elements: any stride will do, whatever the others are.
  auto merge = [](const Tensor& t, const Shape& dims) -> std::optional<std::pair<int64_t, int64_t>> {
    int64_t size = 1, stride = 0;
    for (int64_t d : dims) {
      if (t.size(d) == 0) return std::pair<int64_t, int64_t>{0, 0};
    }
    for (size_t i = dims.size(); i-- > 0;) {
      int64_t d = dims[i];
      if (i + 1 < dims.size() && t.stride(d) != t.stride(dims[i + 1]) * t.size(dims[i + 1])) return std::nullopt;
      size *= t.size(d);
    }
    if (!dims.empty()) stride = t.stride(dims.back());
    return std::pair{size, stride};
  };
  auto k_in = merge(in, kept), r_in = merge(in, reduced);
  if (!k_in || !r_in) {
    Shape order = kept;
    for (int64_t d : reduced) order.push_back(d);
    for (int64_t d = 0; d < nd; ++d) {
      if (in.size(d) == 1) order.push_back(d);
    }
    // Copy in (kept..., reduced...) order; the logical order is unchanged.
    Tensor packed = in.permute(order).contiguous();
    Shape inverse(nd);
    for (int64_t i = 0; i < nd; ++i) inverse[order[i]] = i;
    in = packed.permute(inverse);
    k_in = merge(in, kept);
    r_in = merge(in, reduced);
  }
  LT_CHECK(k_in && r_in, ValueError, op_, "the input's dims do not merge after packing");
  auto k_out = merge(out, kept);
  LT_CHECK(k_out.has_value(), ValueError, op_, "the output of a reduction must be contiguous");

  TensorIterator it;
  it.op_ = op_;
  it.reduction_ = true;
  it.noperands_ = 2;
  it.noutputs_ = 1;
  it.tensors_[0] = out;
  it.tensors_[1] = in;
  it.data_[0] = static_cast<char*>(out.data());
  it.data_[1] = static_cast<char*>(in.data());
  it.logical_shape_ = in.sizes();
  it.numel_ = in.numel();
  const int64_t os = out.itemsize(), is = in.itemsize();
  const int64_t K = k_in->first, R = r_in->first;
  // Inner dim: whichever group steps through the input's memory more finely. A single
  // output is always reduced inner, so that it is written even when R is 0.
  const bool reduce_inner = K == 1 || (R > 1 && std::abs(r_in->second) <= std::abs(k_in->second));
  if (reduce_inner) {
    it.shape_ = {R, K};
    it.strides_[0] = {0, k_out->second * os};
    it.strides_[1] = {r_in->second * is, k_in->second * is};
  } else {
    it.shape_ = {K, R};
    it.strides_[0] = {k_out->second * os, 0};
    it.strides_[1] = {k_in->second * is, r_in->second * is};
  }
  out.bump_version();
  return it;
}

TensorIterator TensorIteratorConfig::build() {
  if (reduction_) return build_reduction();
  TensorIterator it;
  it.op_ = op_;
  it.reduction_ = reduction_;
  if (build_contiguous(it)) return it;
  const int n = static_cast<int>(operands_.size());
  LT_CHECK(n <= TensorIterator::kMaxOperands, ValueError, op_, "too many operands: ", n);
  it.noperands_ = n;
  it.noutputs_ = static_cast<int>(std::count_if(operands_.begin(), operands_.end(), [](auto& p) { return p.is_output; }));

  // All tensors on one device.
  std::optional<Device> device;
  for (auto& p : operands_) {
    if (!p.tensor.defined()) continue;
    if (!device) device = p.tensor.device();
    LT_CHECK(p.tensor.device() == *device, DeviceError, op_, "expected all tensors on one device, got ",
             device->str(), " and ", p.tensor.device().str());
  }
  if (!device) device = kCPU;

  // The iteration shape: inputs broadcast together; outputs must already have it.
  Shape shape = shape_.value_or(Shape{});
  bool have_shape = shape_.has_value();
  for (auto& p : operands_) {
    if (p.is_output) continue;
    shape = have_shape ? broadcast_shapes(shape, p.tensor.sizes(), op_) : p.tensor.sizes();
    have_shape = true;
  }
  for (auto& p : operands_) {
    if (!p.is_output || !p.tensor.defined()) continue;
    const Shape& s = p.tensor.sizes();
    if (!have_shape) {
      shape = s;
      have_shape = true;
      continue;
    }
    bool ok = s == shape;
    if (!ok && reduction_ && s.size() == shape.size()) {
      ok = true;
      for (size_t d = 0; d < s.size(); ++d) ok &= s[d] == shape[d] || s[d] == 1;
    }
    LT_CHECK(ok, ShapeError, op_, "output with shape ", str(s), " doesn't match the broadcast shape ", str(shape));
  }
  checked_numel(shape, op_);
  it.logical_shape_ = shape;
  const int nd = static_cast<int>(shape.size());

  // Casts to compute dtypes, and copies of inputs that an output partially overlaps.
  for (auto& p : operands_) {
    if (p.is_output) {
      if (!p.tensor.defined()) continue;
      for (int64_t d = 0; d < p.tensor.dim() && !reduction_; ++d) {
        LT_CHECK(p.tensor.stride(d) != 0 || p.tensor.size(d) <= 1, ValueError, op_,
                 "the output of shape ", str(p.tensor.sizes()),
                 " has several elements in one memory location (an expanded tensor); clone() it first");
      }
      continue;
    }
    if (p.dtype && *p.dtype != p.tensor.dtype()) p.tensor = p.tensor.to(*p.dtype);
    for (auto& o : operands_) {
      if (o.is_output && o.tensor.defined() && partially_overlaps(o.tensor, p.tensor)) p.tensor = p.tensor.clone();
    }
  }

  // Strides in bytes over the broadcast shape; 0 where an operand is broadcast.
  auto byte_strides = [&](const Tensor& t) {
    Shape s(nd, 0);
    const int64_t off = nd - t.dim();
    for (int64_t d = 0; d < t.dim(); ++d) {
      if (t.size(d) != 1 || shape[off + d] == 1) s[off + d] = t.stride(d) * t.itemsize();
    }
    return s;
  };
  std::vector<Shape> logical_strides(n);
  for (int k = 0; k < n; ++k) {
    if (operands_[k].tensor.defined()) logical_strides[k] = byte_strides(operands_[k].tensor);
  }

  // Order dims innermost-first by the operands' strides: outputs decide, then inputs.
  std::vector<int> perm(nd);
  std::iota(perm.rbegin(), perm.rend(), 0);
  auto should_swap = [&](int d0, int d1) {
    for (int k = 0; k < n; ++k) {
      if (logical_strides[k].empty()) continue;
      int64_t s0 = std::abs(logical_strides[k][d0]), s1 = std::abs(logical_strides[k][d1]);
      if (s0 == 0 || s1 == 0) continue;  // broadcast: no opinion
      if (s0 != s1) return s0 < s1 ? -1 : 1;
      if (shape[d0] > shape[d1]) return 1;
    }
    return 0;
  };
  for (int i = 1; i < nd; ++i) {
    int d1 = i;
    for (int d0 = i - 1; d0 >= 0; --d0) {
      int c = should_swap(perm[d0], perm[d1]);
      if (c > 0) {
        std::swap(perm[d0], perm[d1]);
        d1 = d0;
      } else if (c < 0) {
        break;
      }
    }
  }

  // New outputs follow that order, so they are laid out like the inputs.
  for (int k = 0; k < n; ++k) {
    auto& p = operands_[k];
    if (!p.is_output || p.tensor.defined()) continue;
    LT_CHECK(p.dtype.has_value(), ValueError, op_, "an output needs a dtype");
    Shape strides(nd);
    int64_t s = 1;
    for (int d = 0; d < nd; ++d) {
      strides[perm[d]] = s;
      s *= std::max<int64_t>(shape[perm[d]], 1);
    }
    int64_t numel = checked_numel(shape, op_);
    int64_t nbytes;
    LT_CHECK(!__builtin_mul_overflow(numel, itemsize(*p.dtype), &nbytes), ShapeError, op_, "shape ", str(shape),
             " needs more bytes than fit in 64 bits");
    p.tensor = make_tensor(std::make_shared<StorageImpl>(static_cast<size_t>(nbytes), *device), *p.dtype, shape,
                           std::move(strides));
    logical_strides[k] = byte_strides(p.tensor);
  }

  for (int k = 0; k < n; ++k) {
    it.tensors_[k] = operands_[k].tensor;
    it.data_[k] = static_cast<char*>(operands_[k].tensor.data());
    if (operands_[k].is_output && operands_[k].tensor.defined()) operands_[k].tensor.bump_version();
  }

  // Permute, then merge dims that are contiguous for every operand.
  it.shape_.resize(nd);
  for (int k = 0; k < n; ++k) it.strides_[k].resize(nd);
  for (int d = 0; d < nd; ++d) {
    it.shape_[d] = shape[perm[d]];
    for (int k = 0; k < n; ++k) it.strides_[k][d] = logical_strides[k][perm[d]];
  }
  it.numel_ = checked_numel(shape, op_);
  if (nd > 1) {
    auto can_merge = [&](int d0, int d1) {
      if (it.shape_[d0] == 1 || it.shape_[d1] == 1) return true;
      for (int k = 0; k < n; ++k) {
        if (it.shape_[d0] * it.strides_[k][d0] != it.strides_[k][d1]) return false;
      }
      return true;
    };
    int prev = 0;
    for (int d = 1; d < nd; ++d) {
      if (can_merge(prev, d)) {
        if (it.shape_[prev] == 1) {
          for (int k = 0; k < n; ++k) it.strides_[k][prev] = it.strides_[k][d];
        }
        it.shape_[prev] *= it.shape_[d];
      } else {
        ++prev;
        if (prev != d) {
          for (int k = 0; k < n; ++k) it.strides_[k][prev] = it.strides_[k][d];
          it.shape_[prev] = it.shape_[d];
        }
      }
    }
    it.shape_.resize(prev + 1);
    for (int k = 0; k < n; ++k) it.strides_[k].resize(prev + 1);
  }
  return it;
}

}  // namespace lt
