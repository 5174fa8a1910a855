// scatter_reduce: the values of src that land on one place of x reduced together ("sum",
// "prod", "mean", "amax", "amin"), x's own value among them when include_self. The
// reduction runs on one kernel; "mean" is the sum over a count, and places left out of
// include_self start from the reduction's identity. The derivatives are PyTorch's,
// written with gather / scatter / scatter_add and scatter_reduce itself.
#include <limits>

#include "helpers.h"
#include "libtensor/deterministic.h"

namespace lt {
namespace {

enum class Reduce : int64_t { Sum, Prod, Amax, Amin };

Reduce parse(std::string_view reduce, bool* mean) {
  *mean = reduce == "mean";
  if (reduce == "sum" || *mean) return Reduce::Sum;
  if (reduce == "prod") return Reduce::Prod;
  if (reduce == "amax") return Reduce::Amax;
  if (reduce == "amin") return Reduce::Amin;
  fail<ValueError>("scatter_reduce", "reduce must be one of \"sum\", \"prod\", \"mean\", \"amax\", \"amin\", got \"",
                   reduce, "\"");
}

// The value every place starts from when include_self leaves x out.
Scalar identity(Reduce r, DType t) {
  switch (r) {
    case Reduce::Sum: return 0;
    case Reduce::Prod: return 1;
    case Reduce::Amax:
    case Reduce::Amin: {
      const bool max = r == Reduce::Amax;
      if (t == DType::Bool) return !max;
      if (is_floating(t)) return max ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
      return visit_dtype(t, [max](auto tag) {
        using T = decltype(tag);
        return Scalar(static_cast<int64_t>(max ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max()));
      });
    }
  }
  return 0;
}

void check_args(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src) {
  LT_CHECK(is_integral(index.dtype(), false), DTypeError, "scatter_reduce", "expects an int64 index, got ",
           name(index.dtype()));
  LT_CHECK(src.dtype() == x.dtype(), DTypeError, "scatter_reduce", "expects src of the input's dtype ",
           name(x.dtype()), ", got ", name(src.dtype()));
  LT_CHECK(index.dim() == x.dim() && index.dim() == src.dim(), ShapeError, "scatter_reduce", "index of shape ",
           str(index.sizes()), ", input of shape ", str(x.sizes()), " and src of shape ", str(src.sizes()),
           " must have the same number of dims");
  for (int64_t d = 0; d < index.dim(); ++d) {
    LT_CHECK(index.size(d) <= src.size(d) && (d == dim || index.size(d) <= x.size(d)), ShapeError, "scatter_reduce",
             "index of shape ", str(index.sizes()), " is larger than src of shape ", str(src.sizes()),
             " or, outside dim ", dim, ", than the input of shape ", str(x.sizes()));
  }
}

// A mean from the sums: divided by how many values each place holds (x's own included).
Tensor finish_mean(const Tensor& sums, const Tensor& x, int64_t dim, const Tensor& index, bool include_self) {
  Tensor count = scatter_add(full(x.sizes(), include_self ? 1 : 0, x.dtype(), x.device()), dim, index,
                             ones(index.sizes(), x.dtype(), x.device()));
  count = where(count == 0, Scalar(1), count);
  return is_floating(x.dtype()) ? div(sums, count) : div(sums, count, "floor");
}

// The reduction without a derivative: x's values (or the identity where src lands,
// without include_self), then src reduced into them.
Tensor reduced(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src, Reduce r, bool mean,
               bool include_self) {
  static const Op<TensorKernel> op("scatter_reduce");
  autograd::NoGradGuard no_grad;
  Tensor out = include_self ? x.contiguous().clone() : scatter(x, dim, index, identity(r, x.dtype())).contiguous();
  if (is_floating(x.dtype()) && are_deterministic_algorithms_enabled()) {
    // The kernel's atomics add and multiply floats in any order. Sums take scatter_add's
    // sorted path in this mode; products have none (max and min are exact in any order).
    if (r == Reduce::Sum) {
      out = scatter_add(out, dim, index, src);
      return mean ? finish_mean(out, x, dim, index, include_self) : out;
    }
    if (r == Reduce::Prod && x.device().type != DeviceType::CPU) {
      alert_not_deterministic("scatter_reduce(reduce=\"prod\")", x.device());
    }
  }
  Tensor idx = index.to(DType::Int64).contiguous(), values = src.contiguous();
  Tensor tensors[] = {out, idx, values};
  const Scalar args[] = {dim, static_cast<int64_t>(r)};
  if (out.numel() > 0 && idx.numel() > 0) dispatch(op, std::span<Tensor>(tensors), ScalarList(args));
  return mean ? finish_mean(out, x, dim, index, include_self) : out;
}

}  // namespace

Tensor scatter_reduce(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src0, std::string_view reduce,
                      bool include_self) {
  bool mean = false;
  const Reduce r = parse(reduce, &mean);
  LT_CHECK(!(mean && x.dtype() == DType::Bool), DTypeError, "scatter_reduce", "reduce=\"mean\" is not supported for bool");
  // A 0-dim x works as a 1-element vector.
  if (x.dim() == 0) {
    LT_CHECK(index.dim() == 0 && src0.dim() == 0, ShapeError, "scatter_reduce", "index of shape ", str(index.sizes()),
             " and src of shape ", str(src0.sizes()), " must be 0-dim for a 0-dim input");
    wrap_dim(dim, 1, "scatter_reduce");
    Tensor r1 = scatter_reduce(x.reshape({1}), 0, index.reshape({1}), src0.reshape({1}), reduce, include_self);
    return r1.reshape({});
  }
  dim = wrap_dim(dim, x.dim(), "scatter_reduce");
  check_args(x, dim, index, src0);
  // src may be larger than index: its leading part, index's shape, is scattered.
  Tensor src = src0;
  for (int64_t d = 0; d < src.dim(); ++d) src = src.narrow(d, 0, index.size(d));
  Tensor y = reduced(x, dim, index, src, r, mean, include_self);
  if (!autograd::any_requires_grad(x, src)) return y;
  const std::string red(reduce);
  autograd::record("scatter_reduce", {x, src}, {y}, {x, src, y}, [dim, index, red, r, mean, include_self](const autograd::Backward& d) {
    const Tensor &g = d.grad(), &x = d.saved[0], &src = d.saved[1], &y = d.saved[2];
    Tensor gx, gsrc;
    if (mean) {
      Tensor n = scatter_add(full(x.sizes(), include_self ? 1 : 0, g.dtype(), g.device()), dim, index,
                             ones(index.sizes(), g.dtype(), g.device()));
      n = where(n == 0, Scalar(1), n);
      gx = g / n;
      gsrc = gather(g, dim, index) / gather(n, dim, index);
    } else if (r == Reduce::Sum) {
      gx = g;
      gsrc = gather(g, dim, index);
    } else if (r == Reduce::Prod) {
      // Products of the others, exact where a zero is among the factors: zeros of x
      // become ones in a second reduction; a single zero of src per place likewise.
      Tensor x_ones = where(x == 0, Scalar(1), x);
      gx = g * scatter_reduce(x_ones, dim, index, src, red, include_self) / x_ones;
      Tensor src_zero = src == 0;
      Tensor zeros_per_place = gather(scatter_add(zeros_like(x), dim, index, src_zero.to(x.dtype())), dim, index);
      Tensor single_zero = logical_and(src_zero, zeros_per_place == 1);
      Tensor without_zero = scatter_reduce(x, dim, index, where(single_zero, Scalar(1), src), red, include_self);
      gsrc = where(single_zero, gather(g * without_zero, dim, index),
                   gather(g * y, dim, index) / where(src_zero, Scalar(1), src));
      // With two zeros of src on one place this formula's own derivative is wrong; as
      // PyTorch, a second derivative there is refused, when it is taken.
      if (autograd::is_recording() && gsrc.requires_grad() && any(zeros_per_place > 1).item<bool>()) {
        Tensor guarded;
        {
          autograd::NoGradGuard no_grad;
          guarded = gsrc.clone();
        }
        autograd::record("scatter_reduce", {gsrc}, {guarded}, {}, [](const autograd::Backward&) -> autograd::TensorList {
          fail<ValueError>("scatter_reduce", "double backward of reduce=\"prod\" is not supported for src when more "
                           "than one zero of src is scattered to the same place");
        });
        gsrc = guarded;
      }
    } else {
      // Ties share the gradient evenly. As PyTorch, x's ties count without include_self
      // too (places that src misses keep x's value and its gradient).
      Tensor value = gather(y, dim, index);
      Tensor x_is = (x == y).to(g.dtype()), src_is = (src == value).to(g.dtype());
      Tensor share = g / scatter_add(x_is, dim, index, src_is);
      gx = x_is * share;
      gsrc = src_is * gather(share, dim, index);
    }
    if (!include_self) gx = scatter(gx, dim, index, Scalar(0));
    return autograd::TensorList{d.needs[0] ? gx : Tensor(), d.needs[1] ? gsrc : Tensor()};
  });
  return y;
}

}  // namespace lt
