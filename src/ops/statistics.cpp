// Reductions composed of the others: sums and means that skip NaNs, nonzero counts,
// (var, mean) and (std, mean) pairs, (amin, amax), and histograms.
#include <cmath>

#include "helpers.h"
#include "libtensor/autocast.h"

namespace lt {

Tensor nansum(const Tensor& x, IntList dims, bool keepdim, std::optional<DType> dtype) {
  LT_AUTOCAST(nansum, x, dims, keepdim, dtype);
  return named("nansum", [&] {
    if (!is_floating(x.dtype())) return sum(x, dims, keepdim, dtype);
    return sum(where(isnan(x), Scalar(0), x), dims, keepdim, dtype);
  });
}

Tensor nanmean(const Tensor& x, IntList dims, bool keepdim, std::optional<DType> dtype) {
  LT_AUTOCAST(nanmean, x, dims, keepdim, dtype);
  return named("nanmean", [&] {
    const Tensor y = dtype ? x.to(*dtype) : x;
    LT_CHECK(is_floating(y.dtype()), DTypeError, "nanmean", "expects a floating-point input, got ", name(y.dtype()));
    // An all-NaN slice counts 0 and gives NaN, as PyTorch.
    return div(nansum(y, dims, keepdim), sum(logical_not(isnan(y)), dims, keepdim));
  });
}

Tensor count_nonzero(const Tensor& x, IntList dims) {
  return named("count_nonzero", [&] { return sum(ne(x, Scalar(0)), dims); });
}

std::tuple<Tensor, Tensor> var_mean(const Tensor& x, IntList dims, double correction, bool keepdim) {
  return named("var_mean", [&] {
    return std::make_tuple(var(x, dims, correction, keepdim), mean(x, dims, keepdim));
  });
}

std::tuple<Tensor, Tensor> std_mean(const Tensor& x, IntList dims, double correction, bool keepdim) {
  return named("std_mean", [&] {
    return std::make_tuple(std(x, dims, correction, keepdim), mean(x, dims, keepdim));
  });
}

std::tuple<Tensor, Tensor> aminmax(const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  return named("aminmax", [&] {
    LT_CHECK(x.numel() > 0 || dim, ValueError, "aminmax", "cannot reduce an empty tensor of shape ", str(x.sizes()),
             ": the operation has no identity");
    if (!dim) return std::make_tuple(amin(x, {}, keepdim), amax(x, {}, keepdim));
    return std::make_tuple(amin(x, {*dim}, keepdim), amax(x, {*dim}, keepdim));
  });
}

Tensor histc(const Tensor& x, int64_t bins, double min, double max) {
  return named("histc", [&] {
    LT_CHECK(is_floating(x.dtype()), DTypeError, "histc", "expects a floating-point input, got ", name(x.dtype()));
    LT_CHECK(bins > 0, ValueError, "histc", "bins must be > 0, got ", bins);
    LT_CHECK(min <= max, ValueError, "histc", "max must be larger than min, got min=", min, " max=", max);
    const Tensor v = x.detach().reshape({-1});
    if (min == max && v.numel() > 0) {  // the data's range: one wait, as PyTorch's
      const Tensor numbers = masked_select(v, logical_not(isnan(v)));
      if (numbers.numel() > 0) {
        auto [lo, hi] = aminmax(numbers);
        min = lo.item<double>();
        max = hi.item<double>();
      }
    }
    if (min == max) {
      min -= 1;
      max += 1;
    }
    LT_CHECK(std::isfinite(min) && std::isfinite(max), ValueError, "histc", "range of [", min, ", ", max,
             "] is not finite");
    // PyTorch's rule: the range's ends rounded to x's dtype, and each value's bin
    // (v - lo) * bins / (hi - lo), truncated, computed in float32 / float64 as PyTorch's
    // (so values on bin edges land alike) and in float64 for the 16-bit types (where
    // PyTorch rounds after each step); hi itself goes in the last bin. NaNs fail both
    // comparisons, so they are not counted.
    const bool narrow = x.dtype() == DType::Float16 || x.dtype() == DType::BFloat16;
    const DType work = narrow ? DType::Float64 : x.dtype();
    auto rounded = [&](double value) { return full({}, value, x.dtype()).item<double>(); };  // on the host
    const double lo = rounded(min), hi = rounded(max);
    LT_CHECK(lo < hi, ValueError, "histc", "the range [", min, ", ", max, "] is a single value in ", name(x.dtype()));
    const Tensor w = v.to(work);
    const Tensor inside = masked_select(w, logical_and(ge(w, Scalar(lo)), le(w, Scalar(hi))));
    const Tensor position = div(mul(sub(inside, Scalar(lo)), Scalar(bins)), Scalar(hi - lo));
    return bincount(clamp_max(position.to(DType::Int64), Scalar(bins - 1)), {}, bins).to(x.dtype());
  });
}

}  // namespace lt
