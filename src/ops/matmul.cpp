// Matrix products. bmm has the kernel; mm runs it for one batch and has a derivative of
// its own; matmul is a composition of views (unsqueeze, expand, reshape), mm and bmm, so
// its derivatives, of any order, come from those.
#include "libtensor/autocast.h"
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
  LT_AUTOCAST(bmm, a, b);
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
    Tensor tensors[] = {out, a, b};  // kernels take operands in any layout
    dispatch(op, std::span<Tensor>(tensors), {});
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
  LT_AUTOCAST(mm, a, b);
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

Tensor mv(const Tensor& a, const Tensor& v) {
  LT_AUTOCAST(mv, a, v);
  check_operands("mv", a, v);
  LT_CHECK(a.dim() == 2 && v.dim() == 1, ShapeError, "mv", "expects a matrix and a vector, got shapes ", str(a.sizes()),
           " and ", str(v.sizes()));
  check_aligned("mv", a, v, a.size(1), v.size(0));
  Tensor out;
  {
    autograd::NoGradGuard no_grad;
    out = unsafe_view(bmm(a.unsqueeze(0), v.view({1, -1, 1})), {a.size(0)});
  }
  if (autograd::any_requires_grad(a, v)) {
    autograd::record("mv", {a, v}, {out}, {v.requires_grad() ? a : Tensor(), a.requires_grad() ? v : Tensor()},
                     [](const Backward& d) {
                       const Tensor &g = d.grad(), &a = d.saved[0], &v = d.saved[1];
                       return TensorList{d.needs[0] ? outer(g, v) : Tensor(), d.needs[1] ? mv(a.t(), g) : Tensor()};
                     });
  }
  return out;
}

Tensor dot(const Tensor& a, const Tensor& b) {
  LT_AUTOCAST(dot, a, b);
  check_operands("dot", a, b);
  LT_CHECK(a.dim() == 1 && b.dim() == 1, ShapeError, "dot", "expects 1-D tensors, got shapes ", str(a.sizes()), " and ",
           str(b.sizes()));
  check_aligned("dot", a, b, a.size(0), b.size(0));
  Tensor out;
  {
    autograd::NoGradGuard no_grad;
    out = unsafe_view(bmm(a.view({1, 1, -1}), b.view({1, -1, 1})), {});
  }
  if (autograd::any_requires_grad(a, b)) {
    autograd::record("dot", {a, b}, {out}, {b.requires_grad() ? a : Tensor(), a.requires_grad() ? b : Tensor()},
                     [](const Backward& d) {
                       const Tensor &g = d.grad(), &a = d.saved[0], &b = d.saved[1];
                       return TensorList{d.needs[0] ? g * b : Tensor(), d.needs[1] ? g * a : Tensor()};
                     });
  }
  return out;
}

Tensor outer(const Tensor& a, const Tensor& b) {
  LT_CHECK(a.dim() == 1 && b.dim() == 1, ShapeError, "outer", "expects 1-D tensors, got shapes ", str(a.sizes()),
           " and ", str(b.sizes()));
  return a.reshape({-1, 1}) * b;
}

namespace {
bool is_value(const Scalar& s, int64_t v) { return s.is_floating() ? s.to_double() == static_cast<double>(v) : s.to_int() == v; }

// x * s, skipped when s is 1 (linear's backward would otherwise copy each gradient once more).
Tensor scaled(const Tensor& x, const Scalar& s) { return is_value(s, 1) ? x : mul(x, s); }

// beta * input + alpha * (m1 @ m2) for addmm and baddbmm. A device with an "addmm" kernel
// takes 2-D products with alpha 1 in one product that adds the input as it writes (as
// cuBLAS's beta does in PyTorch); elsewhere float16 and bfloat16 are computed in float32.
// Either way the result is rounded once, as PyTorch does.
template <Tensor (*Product)(const Tensor&, const Tensor&)>
Tensor add_scaled(const char* op, const Tensor& input, const Tensor& m1, const Tensor& m2, Scalar beta, Scalar alpha) {
  static const Op<TensorKernel> fused("addmm");
  LT_CHECK(input.dtype() == m1.dtype(), DTypeError, op, "expects input of dtype ", name(m1.dtype()), ", got ",
           name(input.dtype()));
  const DType dtype = m1.dtype();
  if (Product == &mm && is_floating(dtype) && is_value(alpha, 1) && m1.dim() == 2 && m2.dim() == 2 &&
      m1.numel() > 0 && m2.numel() > 0 && Registry::global().kernel(fused.id(), m1.device().type)) {
    check_operands(op, m1, m2);
    check_aligned(op, m1, m2, m1.size(1), m2.size(0));
    const Shape shape{m1.size(0), m2.size(1)};
    LT_CHECK(broadcast_shapes(input.sizes(), shape, op) == shape, ShapeError, op, "input of shape ",
             str(input.sizes()), " cannot be broadcast to the product's shape ", str(shape));
    Tensor out = empty(shape, dtype, m1.device());
    Tensor tensors[] = {out, input.expand(shape), m1, m2};
    const Scalar args[] = {beta};
    dispatch(fused, std::span<Tensor>(tensors), ScalarList(args));
    return out;
  }
  const bool widen = dtype == DType::Float16 || dtype == DType::BFloat16;
  Tensor product = widen ? Product(m1.to(DType::Float32), m2.to(DType::Float32)) : Product(m1, m2);
  LT_CHECK(broadcast_shapes(input.sizes(), product.sizes(), op) == product.sizes(), ShapeError, op, "input of shape ",
           str(input.sizes()), " cannot be broadcast to the product's shape ", str(product.sizes()));
  if (is_integral(dtype, true)) {  // the scales are cast to the dtype first, as in PyTorch
    if (alpha.is_floating()) alpha = Scalar(static_cast<int64_t>(alpha.to_double()));
    if (beta.is_floating()) beta = Scalar(static_cast<int64_t>(beta.to_double()));
  }
  product = scaled(product, alpha);
  if (!is_value(beta, 0)) product = add(product, scaled(widen ? input.to(DType::Float32) : input, beta));
  return product.to(dtype);
}

// The derivative of beta * input + alpha * (m1 @ m2) by `product` (mm or bmm).
template <Tensor (*Product)(const Tensor&, const Tensor&)>
TensorList scaled_product_backward(const Backward& d, const Scalar& beta, const Scalar& alpha) {
  const Tensor &g = d.grad(), &m1 = d.saved[0], &m2 = d.saved[1];
  const int64_t last = g.dim() - 1;
  return TensorList{d.needs[0] ? scaled(g, beta) : Tensor(),
                    d.needs[1] ? scaled(Product(g, m2.transpose(last - 1, last)), alpha) : Tensor(),
                    d.needs[2] ? scaled(Product(m1.transpose(last - 1, last), g), alpha) : Tensor()};
}
}  // namespace

Tensor addmm(const Tensor& input, const Tensor& m1, const Tensor& m2, const Scalar& beta, const Scalar& alpha) {
  LT_AUTOCAST(addmm, input, m1, m2, beta, alpha);
  Tensor out;
  {
    autograd::NoGradGuard no_grad;
    out = add_scaled<mm>("addmm", input, m1, m2, beta, alpha);
  }
  if (autograd::any_requires_grad(input, m1, m2)) {
    autograd::record("addmm", {input, m1, m2}, {out}, {m2.requires_grad() ? m1 : Tensor(), m1.requires_grad() ? m2 : Tensor()},
                     [beta, alpha](const Backward& d) { return scaled_product_backward<mm>(d, beta, alpha); });
  }
  return out;
}

Tensor baddbmm(const Tensor& input, const Tensor& b1, const Tensor& b2, const Scalar& beta, const Scalar& alpha) {
  LT_AUTOCAST(baddbmm, input, b1, b2, beta, alpha);
  Tensor out;
  {
    autograd::NoGradGuard no_grad;
    out = add_scaled<bmm>("baddbmm", input, b1, b2, beta, alpha);
  }
  if (autograd::any_requires_grad(input, b1, b2)) {
    autograd::record("baddbmm", {input, b1, b2}, {out},
                     {b2.requires_grad() ? b1 : Tensor(), b1.requires_grad() ? b2 : Tensor()},
                     [beta, alpha](const Backward& d) { return scaled_product_backward<bmm>(d, beta, alpha); });
  }
  return out;
}

Tensor linear(const Tensor& x, const Tensor& weight, const std::optional<Tensor>& bias) {
  LT_AUTOCAST(linear, x, weight, bias);
  LT_CHECK(weight.dim() == 2, ShapeError, "linear", "expects a 2-D weight, got shape ", str(weight.sizes()));
  LT_CHECK(x.dim() >= 1, ShapeError, "linear", "expects an input of at least 1 dimension, got shape ", str(x.sizes()));
  if (!bias || x.dim() == 1) {
    Tensor y = matmul(x, weight.t());
    return bias ? add(y, *bias) : y;
  }
  if (x.dim() == 2) return addmm(*bias, x, weight.t());
  // Batch dims fold into the rows of one addmm: one rounding, as in PyTorch.
  Shape shape = x.sizes();
  shape.back() = weight.size(0);
  return addmm(*bias, x.reshape({-1, x.size(-1)}), weight.t()).view(shape);
}

// A composition, with PyTorch's rules: 1-D operands become a row (left) or a column
// (right) that is removed from the result again; batch dims broadcast; a batched left
// operand times a matrix folds its batch into the rows of one mm.
Tensor matmul(const Tensor& a, const Tensor& b) {
  LT_AUTOCAST(matmul, a, b);
  check_operands("matmul", a, b);
  LT_CHECK(a.dim() >= 1 && b.dim() >= 1, ShapeError, "matmul", "expects tensors of at least 1 dimension, got shapes ",
           str(a.sizes()), " and ", str(b.sizes()));
  check_aligned("matmul", a, b, a.size(-1), b.dim() == 1 ? b.size(0) : b.size(-2));
  if (b.dim() == 1 && a.dim() <= 2) return a.dim() == 1 ? dot(a, b) : mv(a, b);
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
