// Searching and counting: searchsorted and bincount (kernels), unique (a composition
// of a stable sort, or of sort_rows along a dim, comparisons of neighbours and cumsum),
// unique_consecutive (the same without the sort), argwhere, and isin and bucketize
// (compositions of sort and searchsorted).
// None is differentiable: their results are integers, or (bincount's weighted sums) not
// differentiated in PyTorch either.
#include "helpers.h"
#include "libtensor/deterministic.h"

namespace lt {

Tensor searchsorted(const Tensor& sorted_sequence, const Tensor& values, bool out_int32, bool right,
                    std::optional<std::string_view> side, const std::optional<Tensor>& sorter) {
  static const Op<TensorKernel> op("searchsorted");
  autograd::NoGradGuard no_grad;
  const Tensor& seq = sorted_sequence;
  if (side) {
    LT_CHECK(*side == "left" || *side == "right", ValueError, "searchsorted", "side must be \"left\" or \"right\", got \"",
             *side, "\"");
    LT_CHECK(!(right && *side == "left"), ValueError, "searchsorted",
             "side and right can't be set to opposites, got side of left while right was True");
    right = *side == "right";
  }
  LT_CHECK(seq.dim() >= 1, ShapeError, "searchsorted", "boundaries must have at least one dim, got shape ",
           str(seq.sizes()));
  bool lead_match = seq.dim() == values.dim();
  for (int64_t d = 0; lead_match && d + 1 < seq.dim(); ++d) lead_match = seq.size(d) == values.size(d);
  LT_CHECK(seq.dim() == 1 || lead_match, ShapeError, "searchsorted", "boundaries must be 1-D or share all but the ",
           "last dim with the values, got boundaries of shape ", str(seq.sizes()), " and values of shape ",
           str(values.sizes()));
  LT_CHECK(seq.dtype() != DType::Bool && values.dtype() != DType::Bool, DTypeError, "searchsorted",
           "bool boundaries or values are not supported");
  const DType common = promote_types(seq.dtype(), values.dtype());
  Tensor bounds = seq.to(common);
  if (sorter) {
    LT_CHECK(sorter->sizes() == seq.sizes(), ShapeError, "searchsorted", "sorter of shape ", str(sorter->sizes()),
             " must have the boundaries' shape ", str(seq.sizes()));
    LT_CHECK(is_integral(sorter->dtype()), DTypeError, "searchsorted", "sorter must be an integer tensor, got ",
             name(sorter->dtype()));
    bounds = gather(bounds, -1, *sorter);
  }
  const int64_t n = seq.size(-1);
  int64_t rows = 1, m = values.numel();
  if (seq.dim() > 1) {
    m = values.size(-1);
    rows = bounds.numel() / std::max<int64_t>(n, 1);
    if (n == 0) rows = m == 0 ? 0 : values.numel() / m;
  }
  Tensor out = empty(values.sizes(), out_int32 ? DType::Int32 : DType::Int64, values.device());
  if (out.numel() == 0) return out;
  if (n == 0) {
    fill_(out, 0);  // nothing to pass: every value goes first
    return out;
  }
  Tensor tensors[] = {out.view({rows, m}), bounds.contiguous().view({seq.dim() == 1 ? 1 : rows, n}),
                      values.to(common).contiguous().view({rows, m})};
  const Scalar args[] = {Scalar(int64_t{right})};
  dispatch(op, std::span<Tensor>(tensors), ScalarList(args));
  return out;
}

Tensor searchsorted(const Tensor& sorted_sequence, const Scalar& value, bool out_int32, bool right,
                    std::optional<std::string_view> side, const std::optional<Tensor>& sorter) {
  LT_CHECK(sorted_sequence.dim() == 1, ShapeError, "searchsorted", "a number value needs 1-D boundaries, got shape ",
           str(sorted_sequence.sizes()));
  return searchsorted(sorted_sequence, scalar_tensor(value, std::nullopt, sorted_sequence.device()), out_int32, right,
                      side, sorter);
}

Tensor bincount(const Tensor& input, const std::optional<Tensor>& weights, int64_t minlength) {
  static const Op<TensorKernel> op("bincount");
  autograd::NoGradGuard no_grad;
  LT_CHECK(input.dim() == 1 && is_integral(input.dtype()), ValueError, "bincount",
           "only supports 1-d non-negative integral inputs, got ", name(input.dtype()), " of shape ",
           str(input.sizes()));
  LT_CHECK(minlength >= 0, ValueError, "bincount", "minlength should be >= 0, got ", minlength);
  if (weights) {
    LT_CHECK(weights->dim() == 1 && weights->size(0) == input.size(0), ShapeError, "bincount",
             "weights should be 1-d and have the same length as input, got shapes ", str(weights->sizes()), " and ",
             str(input.sizes()));
    LT_CHECK(weights->dtype() != DType::Bool, DTypeError, "bincount", "bool weights are not supported");
  }
  Tensor x = input.to(DType::Int64).contiguous();
  int64_t bins = minlength;
  if (x.numel() > 0) {
    LT_CHECK(amin(x).item<int64_t>() >= 0, ValueError, "bincount", "only supports 1-d non-negative integral inputs");
    bins = std::max(bins, amax(x).item<int64_t>() + 1);
  }
  // PyTorch's result dtypes: float32 weights give float32, other weights float64.
  const DType out_dtype = !weights ? DType::Int64
                          : weights->dtype() == DType::Float32 ? DType::Float32
                                                               : DType::Float64;
  Tensor out = zeros({bins}, out_dtype, input.device());
  if (weights && are_deterministic_algorithms_enabled()) {
    // Weighted counts are float sums: index_put's sorted path adds them in a fixed order.
    return index_put(out, {x}, weights->to(out_dtype), true);
  }
  Tensor tensors[] = {out, x, weights ? weights->to(out_dtype).contiguous() : Tensor()};
  dispatch(op, std::span<Tensor>(tensors), {});
  return out;
}

namespace {

// The indices of the rows of `rows` (s, c) in lexicographic order, equal rows in order.
Tensor lexicographic_order(const Tensor& rows) {
  static const Op<TensorKernel> op("sort_rows");
  Tensor order = empty({rows.size(0)}, DType::Int64, rows.device());
  Tensor tensors[] = {order, rows.contiguous()};
  dispatch(op, std::span<Tensor>(tensors), {});
  return order;
}

// Given sorted items (s, ...) and whether each differs from the one before, the
// distinct items, each item's group and each group's size.
std::tuple<Tensor, Tensor, Tensor> groups(const Tensor& sorted, const Tensor& is_new) {
  const int64_t n = is_new.size(0);
  Tensor starts = nonzero(is_new).reshape({-1});
  Tensor distinct = index_select(sorted, 0, starts);
  Tensor group = cumsum(is_new, 0) - 1;
  Tensor ends = cat({starts.narrow(0, 1, starts.size(0) - 1), full({1}, n, DType::Int64, is_new.device())});
  return {distinct, group, ends - starts};
}

}  // namespace

// sorted=False gives sorted values too (PyTorch's CUDA and dim= paths do the same; its
// CPU order is a hash table's).
std::tuple<Tensor, Tensor, Tensor> unique(const Tensor& x, bool /*sorted*/, std::optional<int64_t> dim) {
  autograd::NoGradGuard no_grad;
  if (!dim) {
    const int64_t n = x.numel();
    Tensor flat = x.reshape({-1});
    if (n == 0) return {flat.clone(), empty(x.sizes(), DType::Int64, x.device()), empty({0}, DType::Int64, x.device())};
    auto [values, order] = sort(flat, 0, false, true);
    Tensor is_new = cat({ones({1}, DType::Bool, x.device()), values.narrow(0, 1, n - 1) != values.narrow(0, 0, n - 1)});
    auto [distinct, group, counts] = groups(values, is_new);
    Tensor inverse = scatter(empty({n}, DType::Int64, x.device()), 0, order, group).view(x.sizes());
    return {distinct, inverse, counts};
  }
  LT_CHECK(x.dim() > 0, IndexError, "unique", "dim= needs a tensor of at least one dim, got a 0-dim one");
  const int64_t d = wrap_dim(*dim, x.dim(), "unique");
  // dim swapped with the first (PyTorch's layout, which sets the order slices compare in).
  Tensor moved = x.transpose(0, d);
  const int64_t s = moved.size(0);
  LT_CHECK(s == 0 || x.numel() > 0, ValueError, "unique", "dims other than dim ", d, " must not be empty, got shape ",
           str(x.sizes()));
  if (s == 0) return {x.clone(), empty({0}, DType::Int64, x.device()), empty({0}, DType::Int64, x.device())};
  Tensor rows = moved.reshape({s, -1});
  Tensor order = lexicographic_order(rows);
  Tensor sorted_rows = index_select(rows, 0, order);
  Tensor differs = any(sorted_rows.narrow(0, 1, s - 1) != sorted_rows.narrow(0, 0, s - 1), {1});
  Tensor is_new = cat({ones({1}, DType::Bool, x.device()), differs});
  auto [distinct, group, counts] = groups(index_select(moved.contiguous(), 0, order), is_new);
  Tensor inverse = scatter(empty({s}, DType::Int64, x.device()), 0, order, group);
  return {distinct.transpose(0, d).contiguous(), inverse, counts};
}

// unique's runs without the sort: runs of equal neighbours in x's own order.
std::tuple<Tensor, Tensor, Tensor> unique_consecutive(const Tensor& x, std::optional<int64_t> dim) {
  autograd::NoGradGuard no_grad;
  if (!dim) {
    const int64_t n = x.numel();
    Tensor flat = x.reshape({-1});
    if (n == 0) return {flat.clone(), empty(x.sizes(), DType::Int64, x.device()), empty({0}, DType::Int64, x.device())};
    Tensor is_new = cat({ones({1}, DType::Bool, x.device()), flat.narrow(0, 1, n - 1) != flat.narrow(0, 0, n - 1)});
    auto [distinct, group, counts] = groups(flat, is_new);
    return {distinct, group.view(x.sizes()), counts};
  }
  LT_CHECK(x.dim() > 0, IndexError, "unique_consecutive", "dim= needs a tensor of at least one dim, got a 0-dim one");
  const int64_t d = wrap_dim(*dim, x.dim(), "unique_consecutive");
  Tensor moved = x.transpose(0, d);
  const int64_t s = moved.size(0);
  if (s == 0) return {x.clone(), empty({0}, DType::Int64, x.device()), empty({0}, DType::Int64, x.device())};
  const int64_t width = moved.numel() / s;
  Tensor rows = moved.reshape({s, width});
  Tensor differs = any(rows.narrow(0, 1, s - 1) != rows.narrow(0, 0, s - 1), {1});
  Tensor is_new = cat({ones({1}, DType::Bool, x.device()), differs});
  auto [distinct, group, counts] = groups(moved.contiguous(), is_new);
  return {distinct.transpose(0, d).contiguous(), group, counts};
}

Tensor argwhere(const Tensor& x) { return nonzero(x); }

Tensor isin(const Tensor& elements, const Tensor& test_elements, bool assume_unique, bool invert) {
  return named("isin", [&] {
    (void)assume_unique;  // a hint for PyTorch's algorithm choice; the result is the same
    autograd::NoGradGuard no_grad;
    DType t = result_type({elements, test_elements});
    if (t == DType::Bool) t = DType::UInt8;  // sort and searchsorted take numbers
    const Tensor e = elements.to(t);
    Tensor found;
    if (test_elements.numel() == 0) {
      found = zeros(elements.sizes(), DType::Bool, elements.device());
    } else {
      // Each element against the sorted test values at its insertion point.
      const Tensor sorted = std::get<0>(sort(test_elements.reshape({-1}).to(t)));
      const Tensor at = clamp_max(searchsorted(sorted, e), Scalar(sorted.numel() - 1));
      found = eq(index_for("isin", sorted, {at}), e);
    }
    return invert ? logical_not(found) : found;
  });
}

Tensor bucketize(const Tensor& x, const Tensor& boundaries, bool out_int32, bool right) {
  LT_CHECK(boundaries.dim() == 1, ShapeError, "bucketize", "boundaries must be 1-D, got shape ",
           str(boundaries.sizes()));
  return named("bucketize", [&] { return searchsorted(boundaries, x, out_int32, right); });
}

}  // namespace lt
