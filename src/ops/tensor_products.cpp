// Products and diagonals beyond the matrix ones: tensordot, kron, inner, cross, trace,
// diag / diag_embed / diagflat, block_diag, cdist, addmv, addr, vdot and addbmm.
// Compositions of permutes, mm, mul and index_put, so every device has them and autograd
// differentiates them.
#include <algorithm>
#include <cmath>

#include "helpers.h"
#include "libtensor/autocast.h"

namespace lt {
namespace {

int64_t product_of(const Tensor& x, IntList dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= x.size(d);
  return n;
}

// beta * input + alpha * product, input broadcast to the product's shape; beta 0 ignores
// input, NaNs included (PyTorch's addmm rule). Integer results take beta and alpha
// truncated, bools and them.
Tensor scaled_sum(const char* op, const Tensor& input, const Tensor& product, Scalar beta, Scalar alpha) {
  Shape out = broadcast_shapes(input.sizes(), product.sizes(), op);
  LT_CHECK(out == product.sizes(), ShapeError, op, "input of shape ", str(input.sizes()),
           " does not broadcast to the product's shape ", str(product.sizes()));
  const DType t = promote_types(input.dtype(), product.dtype());
  if (t == DType::Bool) {
    return logical_or(logical_and(input, Scalar(beta.to_double() != 0)),
                      logical_and(product, Scalar(alpha.to_double() != 0)));
  }
  if (!is_floating(t)) beta = Scalar(beta.to_int()), alpha = Scalar(alpha.to_int());
  const bool unit_alpha = alpha.to_double() == 1, no_input = beta.to_double() == 0;
  const Tensor scaled = unit_alpha ? product : mul(product, alpha);
  if (no_input) {
    // input still gets a (zero) gradient, as in PyTorch, without its values (NaNs) entering.
    if (!input.requires_grad()) return scaled.to(t);
    return where(scalar_tensor(true, DType::Bool, input.device()), scaled, input);
  }
  return add(beta.to_double() == 1 ? input : mul(input, beta), scaled);
}

}  // namespace

Tensor tensordot(const Tensor& a, const Tensor& b, IntList dims_a, IntList dims_b) {
  return named("tensordot", [&] {
    LT_CHECK(dims_a.size() == dims_b.size(), ValueError, "tensordot", "expects as many dims of a as of b, got ",
             str(dims_a), " and ", str(dims_b));
    LT_CHECK(a.dtype() == b.dtype(), DTypeError, "tensordot", "expects operands of one dtype, got ", name(a.dtype()),
             " and ", name(b.dtype()));
    Shape da, db;
    for (size_t i = 0; i < dims_a.size(); ++i) {
      da.push_back(wrap_dim(dims_a[i], a.dim(), "tensordot"));
      db.push_back(wrap_dim(dims_b[i], b.dim(), "tensordot"));
      LT_CHECK(a.size(da.back()) == b.size(db.back()), ShapeError, "tensordot", "contracted dims differ in size: dim ",
               da.back(), " of a ", str(a.sizes()), " has ", a.size(da.back()), ", dim ", db.back(), " of b ",
               str(b.sizes()), " has ", b.size(db.back()));
    }
    auto free_dims = [](const Tensor& x, const Shape& contracted) {
      Shape free;
      for (int64_t d = 0; d < x.dim(); ++d) {
        const auto n = std::count(contracted.begin(), contracted.end(), d);
        LT_CHECK(n <= 1, ValueError, "tensordot", "dim ", d, " appears more than once in ", str(contracted));
        if (n == 0) free.push_back(d);
      }
      return free;
    };
    const Shape fa = free_dims(a, da), fb = free_dims(b, db);
    Shape pa = fa, pb = db, out;
    for (int64_t d : da) pa.push_back(d);
    for (int64_t d : fb) pb.push_back(d);
    for (int64_t d : fa) out.push_back(a.size(d));
    for (int64_t d : fb) out.push_back(b.size(d));
    const int64_t k = product_of(a, da);
    Tensor m = mm(a.permute(pa).reshape({product_of(a, fa), k}), b.permute(pb).reshape({k, product_of(b, fb)}));
    return m.reshape(out);
  });
}

Tensor tensordot(const Tensor& a, const Tensor& b, int64_t dims) {
  return named("tensordot", [&] {
    LT_CHECK(dims >= 0 && dims <= a.dim() && dims <= b.dim(), ValueError, "tensordot", "cannot contract ", dims,
             " dims of tensors of shapes ", str(a.sizes()), " and ", str(b.sizes()));
    Shape da, db;
    for (int64_t i = 0; i < dims; ++i) {
      da.push_back(a.dim() - dims + i);
      db.push_back(i);
    }
    return tensordot(a, b, da, db);
  });
}

Tensor kron(const Tensor& a, const Tensor& b) {
  return named("kron", [&] {
    const int64_t n = std::max(a.dim(), b.dim());
    // a as (a0, 1, a1, 1, ...) times b as (1, b0, 1, b1, ...): the blocks interleave.
    Shape as, bs, out;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t ai = i < n - a.dim() ? 1 : a.size(i - (n - a.dim()));
      const int64_t bi = i < n - b.dim() ? 1 : b.size(i - (n - b.dim()));
      as.push_back(ai), as.push_back(1);
      bs.push_back(1), bs.push_back(bi);
      out.push_back(ai * bi);
    }
    return mul(a.reshape(as), b.reshape(bs)).reshape(out);
  });
}

Tensor inner(const Tensor& a, const Tensor& b) {
  return named("inner", [&] {
    if (a.dim() == 0 || b.dim() == 0) return mul(a, b);
    LT_CHECK(a.size(-1) == b.size(-1), ShapeError, "inner", "last dims of shapes ", str(a.sizes()), " and ",
             str(b.sizes()), " differ: ", a.size(-1), " != ", b.size(-1));
    return tensordot(a, b, {-1}, {-1});
  });
}

Tensor cross(const Tensor& a, const Tensor& b, std::optional<int64_t> dim) {
  return named("cross", [&] {
    std::vector<Tensor> ab = broadcast_tensors({a, b});
    const Shape& shape = ab[0].sizes();
    int64_t d = -1;
    if (dim) {
      d = wrap_dim(*dim, ab[0].dim(), "cross");
    } else {
      const auto three = std::find(shape.begin(), shape.end(), 3);
      LT_CHECK(three != shape.end(), ShapeError, "cross", "no dim of size 3 in shape ", str(shape));
      d = three - shape.begin();
    }
    LT_CHECK(shape[d] == 3, ShapeError, "cross", "dim ", d, " of the broadcast shape ", str(shape),
             " has size ", shape[d], ", expected 3");
    // (a1 b2 - a2 b1, a2 b0 - a0 b2, a0 b1 - a1 b0): a and b rotated by one and by two
    // (rolls are views and copies on the device, without index tensors from the host).
    auto rotated = [d](const Tensor& t, int64_t by) { return roll(t, {-by}, {d}); };
    return sub(mul(rotated(ab[0], 1), rotated(ab[1], 2)), mul(rotated(ab[0], 2), rotated(ab[1], 1)));
  });
}

Tensor trace(const Tensor& x) {
  return named("trace", [&] {
    LT_CHECK(x.dim() == 2, ShapeError, "trace", "expects a 2-D tensor, got shape ", str(x.sizes()));
    return sum(x.diagonal());
  });
}

Tensor diag_embed(const Tensor& x, int64_t offset, int64_t dim1, int64_t dim2) {
  return named("diag_embed", [&] {
    LT_CHECK(x.dim() >= 1, ShapeError, "diag_embed", "expects a tensor of at least 1 dim, got a 0-dim one");
    const int64_t d1 = wrap_dim(dim1, x.dim() + 1, "diag_embed"), d2 = wrap_dim(dim2, x.dim() + 1, "diag_embed");
    LT_CHECK(d1 != d2, ValueError, "diag_embed", "dim1 and dim2 must differ, got ", dim1, " and ", dim2);
    const int64_t side = x.size(-1) + std::abs(offset);
    Shape shape(x.sizes().begin(), x.sizes().end() - 1);
    shape.push_back(side), shape.push_back(side);
    // Copied into the diagonal view of the last two dims, which then move to dim1 and dim2
    // (a copy through a view: no index tensors, no wait for a device's index check).
    Tensor out = zeros(shape, x.dtype(), x.device());
    Tensor diagonal = out.diagonal(offset, -2, -1);
    diagonal.copy_(x);
    return movedim(out, {-2, -1}, {d1, d2});
  });
}

Tensor diag(const Tensor& x, int64_t diagonal) {
  return named("diag", [&] {
    LT_CHECK(x.dim() == 1 || x.dim() == 2, ShapeError, "diag", "expects a 1-D or 2-D tensor, got shape ",
             str(x.sizes()));
    return x.dim() == 1 ? diag_embed(x, diagonal) : x.diagonal(diagonal).clone();
  });
}

Tensor diagflat(const Tensor& x, int64_t offset) {
  return named("diagflat", [&] { return diag_embed(x.reshape({-1}), offset); });
}

Tensor cdist(const Tensor& x1, const Tensor& x2, double p) {
  LT_AUTOCAST(cdist, x1, x2, p);
  return named("cdist", [&] {
    LT_CHECK(is_floating(x1.dtype()) && is_floating(x2.dtype()), DTypeError, "cdist",
             "expects floating-point inputs, got ", name(x1.dtype()), " and ", name(x2.dtype()));
    LT_CHECK(x1.dim() >= 2 && x2.dim() >= 2, ShapeError, "cdist", "expects inputs of at least 2 dims, got shapes ",
             str(x1.sizes()), " and ", str(x2.sizes()));
    LT_CHECK(x1.size(-1) == x2.size(-1), ShapeError, "cdist", "x1 ", str(x1.sizes()), " and x2 ", str(x2.sizes()),
             " must have the same number of columns: ", x1.size(-1), " != ", x2.size(-1));
    LT_CHECK(p >= 0, ValueError, "cdist", "p must be non-negative, got ", p);
    // Every row of x1 against every row of x2: (..., P, 1, M) - (..., 1, R, M).
    return norm(sub(x1.unsqueeze(-2), x2.unsqueeze(-3)), p, {-1});
  });
}

Tensor addmv(const Tensor& input, const Tensor& mat, const Tensor& vec, const Scalar& beta, const Scalar& alpha) {
  LT_AUTOCAST(addmv, input, mat, vec, beta, alpha);
  return named("addmv", [&] {
    auto wide = [&](const std::vector<Tensor>& w) { return addmv(w[0], w[1], w[2], beta, alpha); };
    if (auto r = in_float32({input, mat, vec}, wide)) return *r;
    return scaled_sum("addmv", input, mv(mat, vec), beta, alpha);
  });
}

Tensor addr(const Tensor& input, const Tensor& vec1, const Tensor& vec2, const Scalar& beta, const Scalar& alpha) {
  LT_AUTOCAST(addr, input, vec1, vec2, beta, alpha);
  return named("addr", [&] {
    auto wide = [&](const std::vector<Tensor>& w) { return addr(w[0], w[1], w[2], beta, alpha); };
    if (auto r = in_float32({input, vec1, vec2}, wide)) return *r;
    LT_CHECK(vec1.dim() == 1 && vec2.dim() == 1, ShapeError, "addr", "expects 1-D vectors, got shapes ",
             str(vec1.sizes()), " and ", str(vec2.sizes()));
    // bool vectors: their logical outer product (outer multiplies numbers).
    const bool logical = vec1.dtype() == DType::Bool && vec2.dtype() == DType::Bool;
    const Tensor product = logical ? logical_and(vec1.unsqueeze(1), vec2.unsqueeze(0)) : outer(vec1, vec2);
    return scaled_sum("addr", input, product, beta, alpha);
  });
}

Tensor block_diag(const std::vector<Tensor>& tensors) {
  return named("block_diag", [&] {
    std::vector<Tensor> blocks;
    int64_t cols = 0;
    for (size_t i = 0; i < tensors.size(); ++i) {
      const Tensor& t = tensors[i];
      LT_CHECK(t.dim() <= 2, ShapeError, "block_diag", "expects tensors of at most 2 dims, got shape ",
               str(t.sizes()), " for tensor ", i);
      LT_CHECK(i == 0 || t.device() == tensors[0].device(), DeviceError, "block_diag", "tensor ", i, " is on ",
               t.device().str(), " but tensor 0 on ", tensors[0].device().str());
      blocks.push_back(t.dim() == 2 ? t : t.reshape({1, -1}));
      cols += blocks.back().size(1);
    }
    if (blocks.empty()) return empty({1, 0});
    // Each block padded with zeros to the full width at its columns, then stacked: a cat
    // of pads, so the gradient of each block is its own region.
    const DType dtype = [&] {
      DType t = blocks[0].dtype();
      for (const Tensor& b : blocks) t = promote_types(t, b.dtype());
      return t;
    }();
    std::vector<Tensor> rows;
    int64_t at = 0;
    for (const Tensor& b : blocks) {
      const int64_t width = b.size(1);
      rows.push_back(pad(b.to(dtype), {at, cols - at - width}));
      at += width;
    }
    return cat(rows, 0);
  });
}

Tensor vdot(const Tensor& a, const Tensor& b) {
  return named("vdot", [&] { return dot(a, b); });
}

Tensor addbmm(const Tensor& input, const Tensor& b1, const Tensor& b2, const Scalar& beta, const Scalar& alpha) {
  LT_AUTOCAST(addbmm, input, b1, b2, beta, alpha);
  return named("addbmm", [&] {
    LT_CHECK(b1.dim() == 3 && b2.dim() == 3, ShapeError, "addbmm", "expects 3-D batches, got shapes ",
             str(b1.sizes()), " and ", str(b2.sizes()));
    LT_CHECK(b1.size(0) == b2.size(0) && b1.size(2) == b2.size(1), ShapeError, "addbmm", "batches of shapes ",
             str(b1.sizes()), " and ", str(b2.sizes()), " do not multiply");
    // The sum of the products is one product: the b1[i] side by side times the b2[i] stacked.
    const int64_t inner = b1.size(0) * b1.size(2);
    return addmm(input, b1.permute({1, 0, 2}).reshape({b1.size(1), inner}), b2.reshape({inner, b2.size(2)}), beta,
                 alpha);
  });
}

}  // namespace lt
