// Index-driven operators as compositions of index / index_put (whose kernels gather and
// scatter by element offsets) and where: gather, scatter, scatter_add, index_select,
// masked_fill, masked_select, embedding, one_hot. Their derivatives come from those.
#include "libtensor/autocast.h"
#include "helpers.h"

namespace lt {
namespace {

// For gather and scatter along `dim`: one index tensor per dim of x, the given index at
// `dim` and a broadcast arange elsewhere, covering index's shape.
std::vector<std::optional<Tensor>> along(const char* op, const Tensor& x, int64_t dim, const Tensor& index) {
  LT_CHECK(is_integral(index.dtype(), false), DTypeError, op, "expects an integer index, got ", name(index.dtype()));
  LT_CHECK(index.dim() == x.dim() || (index.dim() <= 1 && x.dim() <= 1), ShapeError, op, "index of shape ",
           str(index.sizes()), " must have as many dims as the input's shape ", str(x.sizes()));
  const int64_t n = std::max<int64_t>(x.dim(), 1);
  for (int64_t d = 0; d < index.dim(); ++d) {
    LT_CHECK(d == dim || index.size(d) <= (x.dim() == 0 ? 1 : x.size(d)), ShapeError, op, "index of shape ",
             str(index.sizes()), " is larger than the input's shape ", str(x.sizes()), " in dim ", d);
  }
  std::vector<std::optional<Tensor>> indices;
  Tensor idx = index.dim() == 0 ? index.reshape({1}).to(DType::Int64) : index.to(DType::Int64);
  for (int64_t d = 0; d < n; ++d) {
    if (d == dim) {
      indices.push_back(idx);
      continue;
    }
    Shape shape(n, 1);
    shape[d] = idx.size(d);
    indices.push_back(arange(idx.size(d), DType::Int64, x.device()).view(shape));
  }
  return indices;
}

Tensor as_1d(const Tensor& x) { return x.dim() == 0 ? x.reshape({1}) : x; }

}  // namespace

Tensor gather(const Tensor& x, int64_t dim, const Tensor& index) {
  dim = wrap_dim(dim, std::max<int64_t>(x.dim(), 1), "gather");
  Tensor r = index_for("gather", as_1d(x), along("gather", x, dim, index));
  return index.dim() == 0 ? r.reshape({}) : r;
}

namespace {
Tensor scattered(const char* op, const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src, bool add) {
  dim = wrap_dim(dim, std::max<int64_t>(x.dim(), 1), op);
  auto indices = along(op, x, dim, index);
  // src may be larger than index: its leading part, index's shape, is scattered.
  Tensor values = as_1d(src);
  for (int64_t d = 0; d < values.dim() && d < index.dim(); ++d) values = values.narrow(d, 0, index.size(d));
  Tensor out = index_put_for(op, as_1d(x), indices, values.to(x.dtype()), add);
  return x.dim() == 0 ? out.reshape({}) : out;
}
}  // namespace

Tensor scatter(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src) {
  return scattered("scatter", x, dim, index, src, false);
}
Tensor scatter(const Tensor& x, int64_t dim, const Tensor& index, const Scalar& value) {
  return scattered("scatter", x, dim, index, full(index.sizes(), value, x.dtype(), x.device()), false);
}
Tensor scatter_add(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src) {
  LT_AUTOCAST(scatter_add, x, dim, index, src);
  return scattered("scatter_add", x, dim, index, src, true);
}

Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index) {
  LT_CHECK(index.dim() <= 1, ShapeError, "index_select", "expects a 1-D index, got shape ", str(index.sizes()));
  LT_CHECK(is_integral(index.dtype(), false), DTypeError, "index_select", "expects an integer index, got ",
           name(index.dtype()));
  dim = wrap_dim(dim, std::max<int64_t>(x.dim(), 1), "index_select");
  std::vector<std::optional<Tensor>> indices(dim + 1);
  indices[dim] = as_1d(index);
  Tensor r = index_for("index_select", as_1d(x), indices);
  return x.dim() == 0 ? r.reshape({}) : r;
}

Tensor masked_fill(const Tensor& x, const Tensor& mask, const Scalar& value) {
  LT_CHECK(mask.dtype() == DType::Bool, DTypeError, "masked_fill", "expects a bool mask, got ", name(mask.dtype()));
  return where(mask, scalar_tensor(value, x.dtype(), x.device()), x);  // broadcasts, as PyTorch out of place
}

Tensor masked_select(const Tensor& x, const Tensor& mask) {
  LT_CHECK(mask.dtype() == DType::Bool, DTypeError, "masked_select", "expects a bool mask, got ", name(mask.dtype()));
  Shape shape = broadcast_shapes(x.sizes(), mask.sizes(), "masked_select");
  Tensor nz = nonzero(mask.expand(shape));
  std::vector<std::optional<Tensor>> indices;
  for (int64_t d = 0; d < nz.size(1); ++d) indices.push_back(nz.select(1, d));
  if (indices.empty()) return x.reshape({1}).narrow(0, 0, nz.size(0)).clone();  // 0-dim: all or nothing
  return lt::index(x.expand(shape), indices);
}

// Rows of weight; the row of padding_idx gets no gradient.
namespace {
// The gradient of embedding's weight: g's rows added into the rows they came from,
// padding_idx's (-1: none) left at zero. Linear in g; its derivative picks rows again.
Tensor embedding_backward(const Tensor& g, const Tensor& idx, int64_t num, int64_t pad) {
  static const Op<TensorKernel> kernel_op("embedding_backward");
  const int64_t dim = g.size(-1);
  Tensor dw = empty({num, dim}, g.dtype(), g.device());
  {
    autograd::NoGradGuard no_grad;
    Tensor tensors[] = {dw, g.contiguous().view({idx.numel(), dim}), idx.contiguous().view({-1})};
    const Scalar args[] = {pad};
    dispatch(kernel_op, std::span<Tensor>(tensors), ScalarList(args));
  }
  autograd::record("embedding_dense_backward", {g}, {dw}, {idx}, [pad](const autograd::Backward& d) {
    const Tensor& idx = d.saved[0];
    Tensor rows = lt::index(d.grad(), {idx});
    return autograd::TensorList{pad < 0 ? rows : where((idx == pad).unsqueeze(-1), Scalar(0), rows)};
  });
  return dw;
}
}  // namespace

// Rows of weight; the gradient adds into the rows picked (a fused kernel where the
// device has one; otherwise index's own derivative, with padding_idx's rows masked).
Tensor embedding(const Tensor& weight, const Tensor& indices, std::optional<int64_t> padding_idx) {
  static const Op<TensorKernel> backward_op("embedding_backward");
  LT_CHECK(weight.dim() == 2, ShapeError, "embedding", "expects a 2-D weight, got shape ", str(weight.sizes()));
  LT_CHECK(is_integral(indices.dtype(), false), DTypeError, "embedding", "expects integer indices, got ",
           name(indices.dtype()));
  const int64_t num = weight.size(0);
  const int64_t pad = !padding_idx ? -1 : *padding_idx < 0 ? *padding_idx + num : *padding_idx;
  Tensor idx = indices.to(DType::Int64);
  if (!Registry::global().kernel(backward_op.id(), weight.device().type)) {
    Tensor rows = index_for("embedding", weight, {idx});
    if (pad < 0 || !rows.requires_grad()) return rows;
    return where((idx == pad).unsqueeze(-1), rows.detach(), rows);
  }
  Tensor rows;
  {
    autograd::NoGradGuard no_grad;
    rows = index_for("embedding", weight, {idx});
  }
  autograd::record("embedding", {weight}, {rows}, {idx}, [num, pad](const autograd::Backward& d) {
    return autograd::TensorList{embedding_backward(d.grad(), d.saved[0], num, pad)};
  });
  return rows;
}

Tensor one_hot(const Tensor& indices, int64_t num_classes) {
  LT_CHECK(indices.dtype() == DType::Int64, DTypeError, "one_hot", "expects int64 class values, got ",
           name(indices.dtype()));
  // Inferring the class count reads the values on the host; a given one does not.
  if (num_classes < 0) num_classes = indices.numel() == 0 ? 0 : amax(indices).item<int64_t>() + 1;
  Tensor classes = arange(num_classes, DType::Int64, indices.device());
  // Picking each value's own class checks the values (on a GPU, without a wait).
  Tensor checked = index_for("one_hot", classes, {indices});
  return (checked.unsqueeze(-1) == classes).to(DType::Int64);
}

}  // namespace lt
