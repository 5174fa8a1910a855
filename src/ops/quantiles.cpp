// Order statistics composed of sort and gather: quantile, nanquantile, nanmedian. Sorting
// puts NaNs last, so the first `count` elements of a sorted slice are its numbers.
#include <cmath>
#include <limits>

#include "helpers.h"

namespace lt {
namespace {

enum class Interpolation { Linear, Lower, Higher, Midpoint, Nearest };

Interpolation interpolation_of(const char* op, std::string_view name) {
  if (name == "linear") return Interpolation::Linear;
  if (name == "lower") return Interpolation::Lower;
  if (name == "higher") return Interpolation::Higher;
  if (name == "midpoint") return Interpolation::Midpoint;
  if (name == "nearest") return Interpolation::Nearest;
  fail<ValueError>(op, "interpolation must be one of linear, lower, higher, midpoint or nearest, got '", name, "'");
}

// x's slices along dim (all of x without dim) as the rows of the last dim, sorted.
Tensor sorted_rows(const Tensor& x, std::optional<int64_t> dim) {
  const Tensor rows = dim ? movedim(x, {*dim}, {-1}) : x.reshape({-1});
  return std::get<0>(sort(rows, -1));
}

// The q-quantiles of each sorted row, q along a new last dim; `skip_nan` ranks among
// the numbers only, else a row holding a NaN ranks to its end (a NaN).
Tensor quantiles_of_rows(const Tensor& sorted, const Tensor& q, bool skip_nan, Interpolation how) {
  const int64_t n = sorted.size(-1);
  const Tensor nans = isnan(sorted);
  Tensor ranks;
  if (skip_nan) {
    // An all-NaN row gets rank 0 (clamped below): its first element, a NaN.
    const Tensor count = sum(logical_not(nans), {-1}, true).to(q.dtype());
    ranks = clamp_min(mul(q, sub(count, Scalar(1))), Scalar(0));
  } else {
    ranks = where(any(nans, {-1}, true), Scalar(static_cast<double>(n - 1)), mul(q, Scalar(n - 1)));
  }
  auto at = [&](const Tensor& position) { return gather(sorted, -1, position.to(DType::Int64)); };
  const Tensor below = floor(ranks);
  switch (how) {
    case Interpolation::Lower: return at(below);
    case Interpolation::Higher: return at(ceil(ranks));
    case Interpolation::Nearest: return at(round(ranks));  // half to even, as PyTorch
    case Interpolation::Midpoint: return lerp(at(below), at(ceil(ranks)), Scalar(0.5));
    case Interpolation::Linear: break;
  }
  return lerp(at(below), at(ceil(ranks)), sub(ranks, below));
}

Tensor quantile_impl(const char* op, const Tensor& x, const Tensor& q_in, std::optional<int64_t> dim, bool keepdim,
                     std::string_view interpolation, bool skip_nan) {
  const Interpolation how = interpolation_of(op, interpolation);
  LT_CHECK(x.dtype() == DType::Float32 || x.dtype() == DType::Float64, DTypeError, op,
           "input tensor must be float32 or float64, got ", name(x.dtype()));
  LT_CHECK(q_in.dtype() == x.dtype(), DTypeError, op, "q must have the input's dtype ", name(x.dtype()), ", got ",
           name(q_in.dtype()));
  LT_CHECK(q_in.dim() <= 1, ShapeError, op, "q must be a number or a 1-D tensor, got shape ", str(q_in.sizes()));
  LT_CHECK(x.numel() > 0, ValueError, op, "input tensor must be non-empty, got shape ", str(x.sizes()));
  LT_CHECK(q_in.device() == x.device(), DeviceError, op, "q is on ", q_in.device().str(), " but the input on ",
           x.device().str());
  if (dim) dim = wrap_dim(*dim, std::max<int64_t>(x.dim(), 1), op);
  if (x.dim() == 0) dim.reset();  // a 0-dim result either way, as PyTorch's
  // One wait for the range check, as PyTorch's.
  if (q_in.numel() > 0) {
    const Tensor q = q_in.detach();
    LT_CHECK(all(logical_and(ge(q, Scalar(0)), le(q, Scalar(1)))).item<bool>(), ValueError, op,
             "q values must be in the range [0, 1]");
  }
  const Tensor x_rows = x.dim() == 0 ? x.reshape({1}) : x;
  // q keeps its history: linear interpolation is differentiable in it too.
  Tensor r = quantiles_of_rows(sorted_rows(x_rows, dim), q_in.reshape({-1}), skip_nan, how);  // (..., Q)
  if (keepdim) {
    if (dim) {
      r = r.unsqueeze(*dim);
    } else {
      Shape ones(x.dim(), 1);
      ones.push_back(r.size(-1));
      r = r.reshape(ones);
    }
  }
  r = movedim(r, {-1}, {0});
  return q_in.dim() == 0 ? r.squeeze(0) : r;
}

}  // namespace

Tensor quantile(const Tensor& x, const Tensor& q, std::optional<int64_t> dim, bool keepdim,
                std::string_view interpolation) {
  return named("quantile", [&] { return quantile_impl("quantile", x, q, dim, keepdim, interpolation, false); });
}

Tensor quantile(const Tensor& x, double q, std::optional<int64_t> dim, bool keepdim, std::string_view interpolation) {
  return named("quantile", [&] {
    return quantile_impl("quantile", x, scalar_tensor(q, x.dtype(), x.device()), dim, keepdim, interpolation, false);
  });
}

Tensor nanquantile(const Tensor& x, const Tensor& q, std::optional<int64_t> dim, bool keepdim,
                   std::string_view interpolation) {
  return named("nanquantile", [&] { return quantile_impl("nanquantile", x, q, dim, keepdim, interpolation, true); });
}

Tensor nanquantile(const Tensor& x, double q, std::optional<int64_t> dim, bool keepdim,
                   std::string_view interpolation) {
  return named("nanquantile", [&] {
    return quantile_impl("nanquantile", x, scalar_tensor(q, x.dtype(), x.device()), dim, keepdim, interpolation,
                         true);
  });
}

std::tuple<Tensor, Tensor> nanmedian(const Tensor& x, int64_t dim, bool keepdim) {
  return named("nanmedian", [&] {
    if (!is_floating(x.dtype())) return median(x, dim, keepdim);
    LT_CHECK(x.dim() == 0 || x.size(dim) > 0, IndexError, "nanmedian", "cannot take the median of an empty dim ",
             dim, " of shape ", str(x.sizes()));
    const Tensor x1 = x.dim() == 0 ? x.reshape({1}) : x;
    const int64_t d = wrap_dim(dim, x1.dim(), "nanmedian");
    auto [values, indices] = sort(x1, d);
    const Tensor count = sum(logical_not(isnan(values)), {d}, true);
    // The lower median of the numbers; an all-NaN slice takes its first element (a NaN).
    const Tensor position = clamp_min(div(sub(count, Scalar(1)), Scalar(2), "floor"), Scalar(0));
    Tensor v = gather(values, d, position), i = gather(indices, d, position);
    if (!keepdim || x.dim() == 0) {
      v = v.squeeze(d);
      i = i.squeeze(d);
    }
    return std::make_tuple(x.dim() == 0 ? v.reshape({}) : v, x.dim() == 0 ? i.reshape({}) : i);
  });
}

Tensor nanmedian(const Tensor& x) {
  if (!is_floating(x.dtype())) return named("nanmedian", [&] { return median(x); });
  Tensor y;
  {
    autograd::NoGradGuard no_grad;
    y = x.numel() == 0 ? full({}, std::numeric_limits<double>::quiet_NaN(), x.dtype(), x.device())
                       : std::get<0>(nanmedian(x.reshape({-1}), 0));
  }
  // The gradient is shared by the elements equal to the median, as median()'s (all the
  // NaNs when there is no number).
  if (autograd::any_requires_grad(x)) {
    autograd::record("nanmedian", {x}, {y}, {x, y}, [](const autograd::Backward& d) {
      const Tensor &x = d.saved[0], &y = d.saved[1];
      const Tensor mask = where(isnan(y), isnan(x), eq(x, y));
      return autograd::TensorList{where(mask, div(d.grad(), sum(mask)), Scalar(0))};
    });
  }
  return y;
}

}  // namespace lt
