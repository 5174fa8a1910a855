// The symmetric eigendecomposition A = V diag(w) V^T (w ascending): the kernel forward,
// and PyTorch's derivative, with E_ij = w_j - w_i and skew(X) = (X - X^T) / 2:
//   gA = V (diag(gw) + skew(V^T gV) / E) V^T        (off the diagonal of E)
// Only the skew part of V^T gV moves A, since V^T dV is skew; the eigenvectors' signs are
// arbitrary, so a loss that depends on them has no gradient (PyTorch's caveat too), and
// repeated eigenvalues divide by zero.
#include <string>

#include "linalg_common.h"

namespace lt::linalg {

using autograd::Backward;
using autograd::TensorList;
using detail::mT;

namespace {

// The kernel's values and (with_vectors) vectors of A's lower triangle, or of its upper
// one for uplo "U".
std::tuple<Tensor, Tensor> decompose(const char* op, const Tensor& A, std::string_view uplo, bool with_vectors) {
  static const Op<TensorKernel> kernel("eigh");
  detail::check_matrices(op, A);
  // PyTorch takes either case.
  const bool lower = uplo == "L" || uplo == "l", upper = uplo == "U" || uplo == "u";
  LT_CHECK(lower || upper, ValueError, op, "UPLO must be \"L\" or \"U\", got \"", uplo, "\"");
  const int64_t n = A.size(-1);
  Shape batch(A.sizes().begin(), A.sizes().end() - 2), with_n = batch;
  with_n.push_back(n);
  autograd::NoGradGuard no_grad;
  Tensor vectors = detail::batched_copy(upper ? mT(A) : A);
  Tensor values = empty(with_n, A.dtype(), A.device()), info = zeros(batch, DType::Int32, A.device());
  if (vectors.numel() > 0) {
    Tensor tensors[] = {values.view({vectors.size(0), n}), vectors, info.view({vectors.size(0)})};
    const Scalar args[] = {Scalar(int64_t{with_vectors})};
    dispatch(kernel, std::span<Tensor>(tensors), ScalarList(args));
  }
  detail::raise_for_info(op, info, A.dim() > 2, [](int32_t) {
    return std::string("the algorithm failed to converge because the input matrix is ill-conditioned or has too "
                       "many repeated eigenvalues");
  });
  return {values, with_vectors ? unsafe_view(vectors, A.sizes()) : Tensor()};
}

}  // namespace

std::tuple<Tensor, Tensor> eigh(const Tensor& A, std::string_view uplo) {
  LT_AUTOCAST(eigh, A, uplo);
  auto [w, V] = decompose("linalg.eigh", A, uplo, true);
  if (autograd::any_requires_grad(A)) {
    autograd::record("linalg_eigh", {A}, {w, V}, {w, V}, [](const Backward& d) {
      const Tensor &w = d.saved[0], &V = d.saved[1], &gw = d.grads[0], &gV = d.grads[1];
      Tensor X = matmul(mT(V), gV);
      // 1 on E's diagonal, where skew(X) is 0: no 0 / 0, here or in a second derivative.
      Tensor E = w.unsqueeze(-2) - w.unsqueeze(-1) + eye(w.size(-1), {}, w.dtype(), w.device());
      Tensor inner = (X - mT(X)) * 0.5 / E + diag_embed(gw);
      return TensorList{matmul(V, matmul(inner, mT(V)))};
    });
  }
  return {w, V};
}

Tensor eigvalsh(const Tensor& A, std::string_view uplo) {
  LT_AUTOCAST(eigvalsh, A, uplo);
  // The gradient needs the eigenvectors: gA = V diag(gw) V^T.
  if (!autograd::any_requires_grad(A)) return std::get<0>(decompose("linalg.eigvalsh", A, uplo, false));
  auto [w, V] = decompose("linalg.eigvalsh", A, uplo, true);
  autograd::record("linalg_eigvalsh", {A}, {w}, {A, V}, [uplo = std::string(uplo)](const Backward& d) {
    // V is not an output of this node: differentiated again, it comes from eigh, which
    // records how it depends on A.
    const Tensor V = autograd::is_recording() ? std::get<1>(eigh(d.saved[0], uplo)) : d.saved[1];
    return TensorList{matmul(V * d.grad().unsqueeze(-2), mT(V))};
  });
  return w;
}

}  // namespace lt::linalg
