// lt::linalg: matrix factorizations and what is built on them, over the last two dims of
// a tensor (the dims before are a batch, broadcast between operands). float32 and
// float64, on every device: the LU, Cholesky and symmetric eigen decompositions and
// triangular solves are kernels; everything else composes them, and every result is
// differentiable again.
#pragma once

#include <optional>
#include <string_view>
#include <tuple>

#include "libtensor/error.h"
#include "libtensor/tensor.h"

namespace lt {

// A matrix the operation cannot be applied to: singular for a solve or an inverse, not
// positive-definite for a Cholesky factorization (torch.linalg.LinAlgError in Python).
class LinAlgError : public Error { using Error::Error; };

namespace linalg {

// A = P L U with partial pivoting, L unit lower triangular and U upper, packed in one
// matrix. pivots (int32, 1-based, LAPACK's convention): row i was swapped with row
// pivots[i] - 1 at step i, min(m, n) of them for m x n matrices. info (int32, one per
// matrix): 0, or k where U[k-1, k-1] is the first zero pivot.
std::tuple<Tensor, Tensor, Tensor> lu_factor_ex(const Tensor& A, bool check_errors = false);
// lu_factor_ex raising LinAlgError for a singular matrix.
std::tuple<Tensor, Tensor> lu_factor(const Tensor& A);
// The factors unpacked: P (a permutation matrix), L, U with A = P L U.
std::tuple<Tensor, Tensor, Tensor> lu(const Tensor& A);
// Unpacks lu_factor's result into P, L, U.
std::tuple<Tensor, Tensor, Tensor> lu_unpack(const Tensor& LU, const Tensor& pivots);
// The solution X of A X = B (left) or X A = B, for A factored by lu_factor; adjoint
// solves with A's transpose.
Tensor lu_solve(const Tensor& LU, const Tensor& pivots, const Tensor& B, bool left = true, bool adjoint = false);

// X with A X = B (left) or X A = B for triangular A: only A's upper (or lower) triangle
// is read, and not its diagonal when unitriangular (taken as ones).
Tensor solve_triangular(const Tensor& A, const Tensor& B, bool upper, bool left = true, bool unitriangular = false);
// X with A X = B (left) or X A = B. B is a batch of vectors when it has one dim, or one
// dim fewer than A and A's batch shape.
Tensor solve(const Tensor& A, const Tensor& B, bool left = true);
// The inverse, and the inverse with info instead of an error for a singular matrix.
Tensor inv(const Tensor& A);
std::tuple<Tensor, Tensor> inv_ex(const Tensor& A, bool check_errors = false);

// det A; (sign, log |det A|); log det A (NaN for a negative determinant).
Tensor det(const Tensor& A);
std::tuple<Tensor, Tensor> slogdet(const Tensor& A);
Tensor logdet(const Tensor& A);

// A = L L^T for symmetric positive-definite A, reading only A's lower triangle (A = U^T U
// reading the upper one, with upper). info: 0, or k where the leading minor of order k is
// not positive.
std::tuple<Tensor, Tensor> cholesky_ex(const Tensor& A, bool upper = false, bool check_errors = false);
Tensor cholesky(const Tensor& A, bool upper = false);
// A^-1 B and A^-1 for A = L L^T given its factor L (U^T U with upper).
Tensor cholesky_solve(const Tensor& B, const Tensor& L, bool upper = false);
Tensor cholesky_inverse(const Tensor& L, bool upper = false);

// The eigenvalues w (ascending) and eigenvectors V (columns) of symmetric A = V diag(w)
// V^T, reading only A's lower triangle (its upper one for uplo "U").
std::tuple<Tensor, Tensor> eigh(const Tensor& A, std::string_view uplo = "L");
Tensor eigvalsh(const Tensor& A, std::string_view uplo = "L");

// A^n by repeated squaring; A^-n = (A^-1)^n; A^0 the identity.
Tensor matrix_power(const Tensor& A, int64_t n);

namespace detail {
// The operators that turn pivots into a permutation: the kernel gets the caller's index,
// so that a GPU, which finds a bad pivot in the kernel, names the operator called.
inline constexpr const char* kPivotUsers[] = {"linalg.lu_solve", "linalg.lu_unpack", "linalg.lu_factor"};
}  // namespace detail

}  // namespace linalg
}  // namespace lt
