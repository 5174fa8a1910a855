// interpolate: nearest, (bi)linear and area resizing of the spatial dims of (N, C, ...).
//
// Nearest is an index_select per spatial dim; linear interpolation is separable, so
// bilinear is the linear step along H, then along W, each two index_selects weighted and
// added; area is adaptive average pooling. All are compositions, differentiated (to any
// order) through their parts. Source positions follow PyTorch's arithmetic, in float for
// float32 and reduced dtypes and in double for float64, so that the same elements are
// picked.
#include <cmath>

#include "helpers.h"

namespace lt {
namespace {

// PyTorch's scale: 1 / scale_factor when one is used, otherwise in / out.
template <class T>
T scale_of(std::optional<double> factor, int64_t in, int64_t out) {
  return factor && *factor > 0 ? static_cast<T>(1.0 / *factor) : static_cast<T>(in) / static_cast<T>(out);
}

Tensor nearest_index(int64_t in, int64_t out, std::optional<double> factor, Device device) {
  std::vector<int64_t> index(static_cast<size_t>(out));
  const float scale = scale_of<float>(factor, in, out);
  for (int64_t i = 0; i < out; ++i) {
    index[i] = out == in ? i : std::min(static_cast<int64_t>(std::floor(static_cast<float>(i) * scale)), in - 1);
  }
  return from_vector(index, {}, device);
}

// One linear step along `dim`: each output mixes two neighbouring inputs.
template <class T>
Tensor linear_step(const Tensor& x, int64_t dim, int64_t out, bool align_corners, std::optional<double> factor) {
  const int64_t in = x.size(dim);
  const T scale = align_corners ? (out > 1 ? static_cast<T>(in - 1) / static_cast<T>(out - 1) : T(0))
                                : scale_of<T>(factor, in, out);
  std::vector<int64_t> lo(static_cast<size_t>(out)), hi(static_cast<size_t>(out));
  std::vector<T> w_hi(static_cast<size_t>(out));
  for (int64_t i = 0; i < out; ++i) {
    const T src = align_corners ? scale * static_cast<T>(i)
                                : std::max(scale * (static_cast<T>(i) + T(0.5)) - T(0.5), T(0));
    lo[i] = std::min(static_cast<int64_t>(src), in - 1);
    hi[i] = lo[i] + (lo[i] < in - 1 ? 1 : 0);
    w_hi[i] = std::clamp(src - static_cast<T>(lo[i]), T(0), T(1));
  }
  Shape along(static_cast<size_t>(x.dim()), 1);
  along[dim] = out;
  Tensor b = from_vector(w_hi, along, x.device()).to(x.dtype());
  return index_select(x, dim, from_vector(lo, {}, x.device())) * (1 - b) +
         index_select(x, dim, from_vector(hi, {}, x.device())) * b;
}

}  // namespace

Tensor interpolate(const Tensor& x, IntList size, const std::vector<double>& scale_factor, std::string_view mode,
                   std::optional<bool> align_corners, std::optional<bool> recompute_scale_factor) {
  const char* op = "interpolate";
  const int64_t spatial = x.dim() - 2;
  LT_CHECK(spatial >= 1 && spatial <= 3, ShapeError, op, "expects an input of 3 to 5 dims (N, C, spatial...), got shape ",
           str(x.sizes()));
  LT_CHECK(size.empty() != scale_factor.empty(), ValueError, op, "expects exactly one of size and scale_factor");
  const bool interpolating = mode == "linear" || mode == "bilinear";
  LT_CHECK(mode == "nearest" || mode == "area" || interpolating, NotImplementedError, op, "mode '", mode,
           "' is not supported (nearest, linear, bilinear, area)");
  LT_CHECK(!align_corners || interpolating, ValueError, op,
           "align_corners can only be set with the interpolating modes linear and bilinear");
  LT_CHECK(mode != "linear" || spatial == 1, NotImplementedError, op, "linear mode needs a 3-D input, got shape ",
           str(x.sizes()));
  LT_CHECK(mode != "bilinear" || spatial == 2, NotImplementedError, op, "bilinear mode needs a 4-D input, got shape ",
           str(x.sizes()));
  LT_CHECK(mode != "area" || spatial <= 2, NotImplementedError, op, "area mode supports 3-D and 4-D inputs, got shape ",
           str(x.sizes()));
  auto expand = [&](size_t n, const char* what) {
    LT_CHECK(n == 1 || static_cast<int64_t>(n) == spatial, ValueError, op, what, " must have 1 or ", spatial,
             " values for input shape ", str(x.sizes()));
  };
  std::vector<int64_t> out(spatial);
  std::vector<std::optional<double>> factors(spatial);
  if (!size.empty()) {
    expand(size.size(), "size");
    for (int64_t d = 0; d < spatial; ++d) out[d] = size[size.size() == 1 ? 0 : d];
  } else {
    expand(scale_factor.size(), "scale_factor");
    for (int64_t d = 0; d < spatial; ++d) {
      const double f = scale_factor[scale_factor.size() == 1 ? 0 : d];
      LT_CHECK(f > 0 && std::isfinite(f), ValueError, op, "scale_factor must be positive, got ", f);
      out[d] = static_cast<int64_t>(std::floor(static_cast<double>(x.size(2 + d)) * f));
      if (!recompute_scale_factor.value_or(false)) factors[d] = f;
    }
  }
  for (int64_t d = 0; d < spatial; ++d) {
    LT_CHECK(out[d] > 0 && x.size(2 + d) > 0, ValueError, op, "input of shape ", str(x.sizes()),
             " and output size ", str(out), " must have positive spatial dims");
  }
  if (mode == "area") {
    if (spatial == 2) return adaptive_avg_pool2d(x, out);
    return adaptive_avg_pool2d(x.unsqueeze(-2), {1, out[0]}).squeeze(-2);
  }
  if (mode == "nearest") {
    Tensor y = x;
    for (int64_t d = 0; d < spatial; ++d) y = index_select(y, 2 + d, nearest_index(x.size(2 + d), out[d], factors[d], x.device()));
    return y;
  }
  LT_CHECK(is_floating(x.dtype()), DTypeError, op, mode, " mode expects a floating-point input, got ", name(x.dtype()));
  return rounded_once(x, [&](const Tensor& wide) {
    Tensor y = wide;
    for (int64_t d = 0; d < spatial; ++d) {
      y = x.dtype() == DType::Float64 ? linear_step<double>(y, 2 + d, out[d], align_corners.value_or(false), factors[d])
                                      : linear_step<float>(y, 2 + d, out[d], align_corners.value_or(false), factors[d]);
    }
    return y;
  });
}

}  // namespace lt
