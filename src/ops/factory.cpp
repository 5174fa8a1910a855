// Tensors made from nothing: empty, full, arange, linspace, logspace, eye, from_vector, and the
// coordinates of a triangle (tril_indices, triu_indices).
#include <algorithm>
#include <cmath>
#include <cstring>

#include "helpers.h"

namespace lt {

Tensor empty(IntList shape, std::optional<DType> dtype_or_default, Device device) {
  const DType dtype = dtype_or_default ? *dtype_or_default : default_dtype();
  int64_t numel = checked_numel(shape, "empty"), nbytes;
  LT_CHECK(!__builtin_mul_overflow(numel, itemsize(dtype), &nbytes), ShapeError, "empty", "shape ", str(shape),
           " needs more bytes than fit in 64 bits");
  return make_tensor(std::make_shared<StorageImpl>(static_cast<size_t>(nbytes), device), dtype,
                     Shape(shape.begin(), shape.end()), contiguous_strides(shape));
}

Tensor full(IntList shape, const Scalar& value, std::optional<DType> dtype, Device device) {
  Tensor t = empty(shape, dtype.value_or(value.dtype()), device);
  return t.fill_(value);
}
Tensor zeros(IntList shape, std::optional<DType> dtype, Device device) {
  return full(shape, 0, dtype.value_or(default_dtype()), device);
}
Tensor ones(IntList shape, std::optional<DType> dtype, Device device) {
  return full(shape, 1, dtype.value_or(default_dtype()), device);
}
Tensor empty_like(const Tensor& t) { return empty(t.sizes(), t.dtype(), t.device()); }
Tensor zeros_like(const Tensor& t) { return zeros(t.sizes(), t.dtype(), t.device()); }
Tensor ones_like(const Tensor& t) { return ones(t.sizes(), t.dtype(), t.device()); }
Tensor full_like(const Tensor& t, const Scalar& value) { return full(t.sizes(), value, t.dtype(), t.device()); }

Tensor scalar_tensor(const Scalar& value, std::optional<DType> dtype, Device device) {
  DType t = dtype.value_or(value.dtype());
  if (device.type == DeviceType::CPU) {
    // Hot in every tensor-number operator: write the value directly.
    Tensor out = empty({}, t, device);
    visit_dtype(t, [&](auto tag) {
      using T = decltype(tag);
      *out.data_ptr<T>() = value.to<T>();
    });
    return out;
  }
  return full({}, value, t, device);
}

template <class T>
Tensor from_vector(const std::vector<T>& values, Shape shape, Device device) {
  if (shape.empty()) shape = {static_cast<int64_t>(values.size())};
  int64_t n = checked_numel(shape, "from_vector");
  LT_CHECK(n == static_cast<int64_t>(values.size()), ShapeError, "from_vector", values.size(),
           " values do not fill shape ", str(shape));
  Tensor host = empty(shape, dtype_v<T>);
  if constexpr (std::is_same_v<T, bool>) {
    for (int64_t i = 0; i < n; ++i) host.data_ptr<bool>()[i] = values[i];
  } else if (n > 0) {
    std::memcpy(host.data(), values.data(), n * sizeof(T));
  }
  if (device.type == DeviceType::CPU) return host;
  return empty(shape, dtype_v<T>, device).copy_(host);
}
#define LT_INSTANTIATE(T) template Tensor from_vector<T>(const std::vector<T>&, Shape, Device);
LT_INSTANTIATE(bool)
LT_INSTANTIATE(uint8_t)
LT_INSTANTIATE(int8_t)
LT_INSTANTIATE(int16_t)
LT_INSTANTIATE(int32_t)
LT_INSTANTIATE(int64_t)
LT_INSTANTIATE(Half)
LT_INSTANTIATE(BFloat16)
LT_INSTANTIATE(float)
LT_INSTANTIATE(double)
#undef LT_INSTANTIATE

Tensor arange(const Scalar& end, std::optional<DType> dtype, Device device) { return arange(0, end, 1, dtype, device); }

Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, std::optional<DType> dtype, Device device) {
  static const Op<TensorKernel> op("arange");
  bool floating = start.is_floating() || end.is_floating() || step.is_floating();
  DType t = dtype.value_or(floating ? default_dtype() : DType::Int64);
  double s = start.to_double(), e = end.to_double(), d = step.to_double();
  LT_CHECK(d != 0, ValueError, "arange", "step must be nonzero");
  // int64 counts in integers, as PyTorch does: arange(0., -8.5, -4., dtype=int64) runs from
  // 0 to -8 and so has two elements (PyTorch sizes the other dtypes from the given bounds).
  if (t == DType::Int64) {
    s = static_cast<double>(start.to_int());
    e = static_cast<double>(end.to_int());
    d = static_cast<double>(step.to_int());
  }
  // Integral dtypes step in integers: a step of 0.5 would repeat the start.
  LT_CHECK(is_floating(t) || step.to_int() != 0, ValueError, "arange", "step ", step.str(),
           " is 0 in the integral dtype ", name(t));
  LT_CHECK(std::isfinite(s) && std::isfinite(e), ValueError, "arange", "unsupported range ", start.str(), " to ",
           end.str());
  LT_CHECK((d > 0 && e >= s) || (d < 0 && e <= s), ValueError, "arange", "range ", start.str(), " to ", end.str(),
           " is inconsistent with step ", step.str());
  double n = std::ceil((e - s) / d);
  LT_CHECK(n < 9.2e18, ShapeError, "arange", "range ", start.str(), " to ", end.str(), " with step ", step.str(),
           " has too many elements");
  Tensor out = empty({static_cast<int64_t>(n)}, t, device);
  Tensor tensors[] = {out};
  const Scalar args[] = {start, step};
  op.kernel(device.type)(std::span<Tensor>(tensors), ScalarList(args));
  return out;
}

Tensor linspace(const Scalar& start, const Scalar& end, int64_t steps, std::optional<DType> dtype, Device device) {
  static const Op<TensorKernel> op("linspace");
  LT_CHECK(steps >= 0, ValueError, "linspace", "number of steps must be non-negative, got ", steps);
  Tensor out = empty({steps}, dtype, device);
  Tensor tensors[] = {out};
  const Scalar args[] = {start.to_double(), end.to_double()};
  op.kernel(device.type)(std::span<Tensor>(tensors), ScalarList(args));
  return out;
}

Tensor logspace(const Scalar& start, const Scalar& end, int64_t steps, double base, std::optional<DType> dtype,
                Device device) {
  return named("logspace", [&] {
    const DType t = dtype.value_or(default_dtype());
    // An integral dtype takes integral bounds first, as PyTorch's (its exponents stay fractional).
    auto bound = [&](const Scalar& s) { return is_floating(t) ? s.to_double() : std::trunc(s.to_double()); };
    return pow(Scalar(base), linspace(bound(start), bound(end), steps, DType::Float64, device)).to(t);
  });
}

Tensor eye(int64_t n, std::optional<int64_t> m, std::optional<DType> dtype, Device device) {
  int64_t cols = m.value_or(n);
  LT_CHECK(n >= 0 && cols >= 0, ValueError, "eye", "sizes must be non-negative, got ", n, " and ", cols);
  Tensor out = zeros({n, cols}, dtype, device);
  out.diagonal().fill_(1);
  return out;
}

namespace {

// Row by row, the columns j of row i with j - i <= offset (lower) or >= offset (upper).
Tensor triangle_indices(const char* op, int64_t rows, int64_t cols, int64_t offset, DType dtype, Device device,
                        bool lower) {
  LT_CHECK(rows >= 0 && cols >= 0, ValueError, op, "rows and cols must be non-negative, got ", rows, " and ", cols);
  offset = std::clamp<int64_t>(offset, -rows - 1, cols + 1);  // beyond the matrix all or none: no overflow
  std::vector<int64_t> r, c;
  for (int64_t i = 0; i < rows; ++i) {
    const int64_t from = lower ? 0 : std::clamp<int64_t>(i + offset, 0, cols);
    const int64_t to = lower ? std::clamp<int64_t>(i + offset + 1, 0, cols) : cols;
    for (int64_t j = from; j < to; ++j) r.push_back(i), c.push_back(j);
  }
  const int64_t n = static_cast<int64_t>(r.size());
  r.insert(r.end(), c.begin(), c.end());
  return from_vector<int64_t>(r, {2, n}).to(dtype).to(device);
}

}  // namespace

Tensor tril_indices(int64_t rows, int64_t cols, int64_t offset, DType dtype, Device device) {
  return triangle_indices("tril_indices", rows, cols, offset, dtype, device, true);
}

Tensor triu_indices(int64_t rows, int64_t cols, int64_t offset, DType dtype, Device device) {
  return triangle_indices("triu_indices", rows, cols, offset, dtype, device, false);
}

}  // namespace lt
