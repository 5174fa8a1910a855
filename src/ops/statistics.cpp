// Reductions composed of the others: sums and means that skip NaNs, nonzero counts,
// (var, mean) and (std, mean) pairs, and (amin, amax).
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

}  // namespace lt
