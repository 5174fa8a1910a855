// Matrix products. bmm has the kernel; mm runs it for one batch and has a derivative of
// its own; matmul is a composition of views (unsqueeze, expand, reshape), mm and bmm, so
// its derivatives, of any order, come from those.
#include "helpers.h"

namespace lt {
namespace {

using autograd::Backward;
using autograd::TensorList;

void check_operands(const char* op, const Tensor& a, const Tensor& b) {
  LT_CHECK(a.defined() && b.defined(), ValueError, op, "undefined tensor");
  LT_CHECK(a.dtype() == b.dtype(), DTypeError, op, "dtypes ", name(a.dtype()), " and ", name(b.dtype()), " differ");
  LT_CHECK(a.dtype() != DType::Bool, DTypeError, op, "is not supported for bool tensors");
  LT_CHECK(a.device() == b.device(), DeviceError, op, "expected both tensors on one device, got ", a.device().str(),
           " and ", b.device().str());
}

void check_aligned(const char* op, const Tensor& a, const Tensor& b, int64_t ka, int64_t kb) {
  LT_CHECK(ka == kb, ShapeError, op, "shapes ", str(a.sizes()), " and ", str(b.sizes()), " are not aligned: ", ka,
           " != ", kb);
}

}  // namespace

Tensor bmm(const Tensor& a, const Tensor& b) {
  static const Op<TensorKernel> op("bmm");
  check_operands("bmm", a, b);
  LT_CHECK(a.dim() == 3 && b.dim() == 3, ShapeError, "bmm", "expects 3-D tensors, got shapes ", str(a.sizes()),
           " and ", str(b.sizes()));
  LT_CHECK(a.size(0) == b.size(0), ShapeError, "bmm", "batch sizes of shapes ", str(a.sizes()), " and ",
           str(b.sizes()), " differ: ", a.size(0), " != ", b.size(0));
  check_aligned("bmm", a, b, a.size(2), b.size(1));
  Tensor out = empty({a.size(0), a.size(1), b.size(2)}, a.dtype(), a.device());
  {
    autograd::NoGradGuard no_grad;
    Tensor tensors[] = {out, a.contiguous(), b.contiguous()};
    op.kernel(a.device().type)(std::span<Tensor>(tensors), {});
  }
  if (autograd::any_requires_grad(a, b)) {
    // Each side's gradient reads the other side only.
    autograd::record("bmm", {a, b}, {out}, {b.requires_grad() ? a : Tensor(), a.requires_grad() ? b : Tensor()},
                     [](const Backward& d) {
                       const Tensor &g = d.grad(), &a = d.saved[0], &b = d.saved[1];
                       return TensorList{d.needs[0] ? bmm(g, b.transpose(1, 2)) : Tensor(),
                                         d.needs[1] ? bmm(a.transpose(1, 2), g) : Tensor()};
                     });
  }
  return out;
}

Tensor mm(const Tensor& a, const Tensor& b) {
  check_operands("mm", a, b);
  LT_CHECK(a.dim() == 2 && b.dim() == 2, ShapeError, "mm", "expects 2-D tensors, got shapes ", str(a.sizes()),
           " and ", str(b.sizes()));
  check_aligned("mm", a, b, a.size(1), b.size(0));
  Tensor out;
  {
    autograd::NoGradGuard no_grad;
    out = unsafe_view(bmm(a.unsqueeze(0), b.unsqueeze(0)), {a.size(0), b.size(1)});
  }
  if (autograd::any_requires_grad(a, b)) {
    autograd::record("mm", {a, b}, {out}, {b.requires_grad() ? a : Tensor(), a.requires_grad() ? b : Tensor()},
                     [](const Backward& d) {
                       const Tensor &g = d.grad(), &a = d.saved[0], &b = d.saved[1];
                       return TensorList{d.needs[0] ? mm(g, b.t()) : Tensor(), d.needs[1] ? mm(a.t(), g) : Tensor()};
                     });
  }
  return out;
}

// A composition, with PyTorch's rules: 1-D operands become a row (left) or a column
// (right) that is removed from the result again; batch dims broadcast; a batched left
// operand times a matrix folds its batch into the rows of one mm.
Tensor matmul(const Tensor& a, const Tensor& b) {
  check_operands("matmul", a, b);
  LT_CHECK(a.dim() >= 1 && b.dim() >= 1, ShapeError, "matmul", "expects tensors of at least 1 dimension, got shapes ",
           str(a.sizes()), " and ", str(b.sizes()));
  check_aligned("matmul", a, b, a.size(-1), b.dim() == 1 ? b.size(0) : b.size(-2));
  const bool a_vector = a.dim() == 1, b_vector = b.dim() == 1;
  Tensor left = a_vector ? a.unsqueeze(0) : a;    // (..., n, k)
  Tensor right = b_vector ? b.unsqueeze(1) : b;  // (..., k, m)
  const int64_t n = left.size(-2), k = left.size(-1), m = right.size(-1);
  Tensor r;
  if (right.dim() == 2) {
    Shape shape = left.sizes();
    shape.back() = m;
    const int64_t rows = checked_numel(IntList(shape.data(), shape.size() - 1), "matmul");
    r = left.dim() == 2 ? mm(left, right) : unsafe_view(mm(left.reshape({rows, k}), right), shape);
  } else {
    // Broadcast the batch dims, then one bmm over their product.
    const Shape& sa = left.sizes();
    const Shape& sb = right.sizes();
    const size_t na = sa.size() - 2, nb = sb.size() - 2, nbatch = std::max(na, nb);
    Shape batch(nbatch, 1);
    for (size_t i = 0; i < nbatch; ++i) {
      const int64_t x = i < na ? sa[na - 1 - i] : 1, y = i < nb ? sb[nb - 1 - i] : 1;
      LT_CHECK(x == y || x == 1 || y == 1, ShapeError, "matmul", "batch dimensions of shapes ", str(a.sizes()),
               " and ", str(b.sizes()), " cannot be broadcast");
      batch[nbatch - 1 - i] = x == 1 ? y : x;
    }
    const int64_t batches = checked_numel(batch, "matmul");
    Shape ea = batch, eb = batch, shape = batch;
    ea.push_back(n), ea.push_back(k);
    eb.push_back(k), eb.push_back(m);
    shape.push_back(n), shape.push_back(m);
    r = unsafe_view(bmm(left.expand(ea).reshape({batches, n, k}), right.expand(eb).reshape({batches, k, m})), shape);
  }
  if (a_vector) r = r.squeeze(-2);
  if (b_vector) r = r.squeeze(-1);
  return r;
}

}  // namespace lt
