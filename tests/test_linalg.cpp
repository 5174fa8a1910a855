// lt::linalg: factorizations and solves on matrices worked out by hand, their identities
// on random batches (P L U = A, L L^T = A, A X = B, V diag(w) V^T = A), derivatives against finite
// differences, and the errors. Parity with PyTorch: tests/python/test_linalg.py and the
// OpInfo samples of tests/python/test_ops_parity.py.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <cmath>
#include <vector>

#include "reference.h"

namespace {

using lt::DType;
using lt::Shape;
using lt::Tensor;
using lt::autograd::TensorList;

std::vector<double> values(const Tensor& t) { return ref::values(t); }
Tensor doubles(std::vector<double> v, Shape shape) { return lt::from_vector<double>(v, shape); }

// Random, well-conditioned float64 matrices: normal entries plus n on the diagonal.
Tensor well_conditioned(Shape shape) {
  const int64_t n = shape.back();
  return lt::randn(shape, DType::Float64) + lt::eye(n, {}, DType::Float64) * static_cast<double>(n);
}

// Symmetric positive-definite: X X^T + I.
Tensor positive_definite(Shape shape) {
  const Tensor x = lt::randn(shape, DType::Float64);
  return lt::matmul(x, x.transpose(-2, -1)) + lt::eye(shape.back(), {}, DType::Float64);
}

double max_abs(const Tensor& t) { return lt::amax(lt::abs(t)).item<double>(); }

TEST(Linalg, TwoByTwoByHand) {
  const Tensor a = doubles({4, 3, 6, 3}, {2, 2});  // det = 12 - 18 = -6
  EXPECT_DOUBLE_EQ(lt::linalg::det(a).item<double>(), -6);
  auto [sign, logabs] = lt::linalg::slogdet(a);
  EXPECT_EQ(sign.item<double>(), -1);
  EXPECT_NEAR(logabs.item<double>(), std::log(6.0), 1e-15);
  EXPECT_TRUE(std::isnan(lt::linalg::logdet(a).item<double>()));
  // The inverse: [[3, -3], [-6, 4]] / -6.
  const std::vector<double> inv = values(lt::linalg::inv(a));
  const std::vector<double> expected{-0.5, 0.5, 1.0, -2.0 / 3};
  for (size_t i = 0; i < 4; ++i) EXPECT_NEAR(inv[i], expected[i], 1e-15);
  // LAPACK's pivoting: row 2 (6 > 4) first.
  auto [LU, pivots] = lt::linalg::lu_factor(a);
  EXPECT_EQ(values(pivots), (std::vector<double>{2, 2}));
  EXPECT_EQ(pivots.dtype(), DType::Int32);
  const std::vector<double> lu = values(LU);  // L = [[1, 0], [2/3, 1]], U = [[6, 3], [0, 1]]
  EXPECT_DOUBLE_EQ(lu[0], 6);
  EXPECT_DOUBLE_EQ(lu[1], 3);
  EXPECT_NEAR(lu[2], 2.0 / 3, 1e-15);
  EXPECT_NEAR(lu[3], 1, 1e-15);
  // Cholesky of [[4, 2], [2, 5]]: [[2, 0], [1, 2]].
  EXPECT_EQ(values(lt::linalg::cholesky(doubles({4, 2, 2, 5}, {2, 2}))), (std::vector<double>{2, 0, 1, 2}));
  EXPECT_EQ(values(lt::linalg::cholesky(doubles({4, 2, 2, 5}, {2, 2}), true)), (std::vector<double>{2, 1, 0, 2}));
  EXPECT_EQ(values(lt::linalg::matrix_power(a, 0)), (std::vector<double>{1, 0, 0, 1}));
  EXPECT_EQ(values(lt::linalg::matrix_power(a, 2)), (std::vector<double>{34, 21, 42, 27}));
}

TEST(Linalg, FactorsRebuildTheirMatrices) {
  lt::manual_seed(3);
  for (Shape shape : {Shape{5, 5}, Shape{3, 4, 6}, Shape{2, 6, 4}, Shape{2, 3, 40, 40}}) {
    const Tensor a = lt::randn(shape, DType::Float64);
    auto [P, L, U] = lt::linalg::lu(a);
    EXPECT_LT(max_abs(lt::matmul(P, lt::matmul(L, U)) - a), 1e-12) << lt::str(shape);
  }
  const Tensor s = positive_definite({3, 30, 30});
  const Tensor l = lt::linalg::cholesky(s);
  EXPECT_LT(max_abs(lt::matmul(l, l.transpose(-2, -1)) - s), 1e-11);
  EXPECT_EQ(max_abs(lt::triu(l, 1)), 0);
}

TEST(Linalg, SolvesSatisfyTheirSystems) {
  lt::manual_seed(4);
  const Tensor a = well_conditioned({2, 1, 6, 6}), b = lt::randn({3, 6, 2}, DType::Float64);
  const Tensor x = lt::linalg::solve(a, b);
  EXPECT_EQ(x.sizes(), (Shape{2, 3, 6, 2}));
  EXPECT_LT(max_abs(lt::matmul(a, x) - b), 1e-12);
  const Tensor right = lt::linalg::solve(a, b.transpose(-2, -1), /*left=*/false);
  EXPECT_LT(max_abs(lt::matmul(right, a) - b.transpose(-2, -1)), 1e-12);
  const Tensor v = lt::randn({6}, DType::Float64);
  EXPECT_EQ(lt::linalg::solve(a, v).sizes(), (Shape{2, 1, 6}));
  EXPECT_LT(max_abs(lt::matmul(lt::linalg::inv(a), a) - lt::eye(6, {}, DType::Float64)), 1e-12);
  // Triangular: only the triangle is read, the diagonal taken as ones when unitriangular.
  const Tensor t = well_conditioned({6, 6});
  for (bool upper : {true, false}) {
    for (bool unit : {true, false}) {
      Tensor tri = upper ? lt::triu(t, unit ? 1 : 0) : lt::tril(t, unit ? -1 : 0);
      if (unit) tri = tri + lt::eye(6, {}, DType::Float64);
      const Tensor y = lt::linalg::solve_triangular(t, b, upper, true, unit);
      EXPECT_LT(max_abs(lt::matmul(tri, y) - b), 1e-12) << upper << unit;
    }
  }
  auto [LU, pivots] = lt::linalg::lu_factor(a);
  const Tensor adjoint = lt::linalg::lu_solve(LU, pivots, b, true, true);
  EXPECT_LT(max_abs(lt::matmul(a.transpose(-2, -1), adjoint) - b), 1e-12);
  const Tensor s = positive_definite({6, 6});
  const Tensor c = lt::linalg::cholesky_solve(b, lt::linalg::cholesky(s));
  EXPECT_LT(max_abs(lt::matmul(s, c) - b), 1e-11);
}

TEST(Linalg, SymmetricEigendecomposition) {
  // [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, -1) / sqrt 2 and (1, 1) / sqrt 2.
  auto [w, V] = lt::linalg::eigh(doubles({2, 1, 1, 2}, {2, 2}));
  const std::vector<double> values_ = values(w), v = values(V);
  EXPECT_NEAR(values_[0], 1, 1e-15);
  EXPECT_NEAR(values_[1], 3, 1e-15);
  for (double x : v) EXPECT_NEAR(std::abs(x), std::sqrt(0.5), 1e-15);
  EXPECT_LT(v[0] * v[2], 0);  // the first column is (1, -1) up to its sign
  EXPECT_GT(v[1] * v[3], 0);
  // Only the lower triangle is read (the upper one with "U").
  EXPECT_EQ(values(lt::linalg::eigvalsh(doubles({2, 100, 0, 3}, {2, 2}))), (std::vector<double>{2, 3}));
  EXPECT_EQ(values(lt::linalg::eigvalsh(doubles({2, 0, 100, 3}, {2, 2}), "U")), (std::vector<double>{2, 3}));
  lt::manual_seed(6);
  const Tensor s = positive_definite({3, 20, 20});
  auto [ws, Vs] = lt::linalg::eigh(s);
  EXPECT_LT(max_abs(lt::matmul(Vs * ws.unsqueeze(-2), Vs.transpose(-2, -1)) - s), 1e-11);
  EXPECT_LT(max_abs(lt::matmul(Vs.transpose(-2, -1), Vs) - lt::eye(20, {}, DType::Float64)), 1e-13);
  EXPECT_THROW(lt::linalg::eigh(s, "X"), lt::ValueError);
}

TEST(Linalg, EmptyMatrices) {
  const Tensor none = lt::zeros({0, 0}, DType::Float64);
  EXPECT_EQ(lt::linalg::det(none).item<double>(), 1);
  EXPECT_EQ(lt::linalg::inv(none).sizes(), (Shape{0, 0}));
  EXPECT_EQ(lt::linalg::cholesky(lt::zeros({2, 0, 0})).sizes(), (Shape{2, 0, 0}));
  EXPECT_EQ(lt::linalg::solve(lt::zeros({0, 3, 3}), lt::zeros({0, 3, 1})).sizes(), (Shape{0, 3, 1}));
}

TEST(Linalg, DerivativesMatchFiniteDifferences) {
  lt::manual_seed(5);
  const Tensor a = well_conditioned({2, 3, 3}), b = lt::randn({2, 3, 2}, DType::Float64);
  const Tensor wide = lt::randn({3, 4}, DType::Float64), tall = lt::randn({4, 3}, DType::Float64);
  auto symmetric = [](const Tensor& x) {
    return lt::matmul(x, x.transpose(-2, -1)) + lt::eye(x.size(-1), {}, x.dtype()) * 3.0;
  };
  const std::vector<std::pair<lt::autograd::GradcheckFunction, TensorList>> cases = {
      {[](const TensorList& t) { return TensorList{lt::linalg::solve(t[0], t[1])}; }, {a, b}},
      {[](const TensorList& t) { return TensorList{lt::linalg::solve(t[0], t[1], false)}; },
       {a, b.transpose(-2, -1)}},
      {[](const TensorList& t) { return TensorList{lt::linalg::inv(t[0])}; }, {a}},
      {[](const TensorList& t) { return TensorList{lt::linalg::det(t[0])}; }, {a}},
      {[](const TensorList& t) { return TensorList{std::get<1>(lt::linalg::slogdet(t[0]))}; }, {a}},
      {[](const TensorList& t) { return TensorList{std::get<0>(lt::linalg::lu_factor(t[0]))}; }, {a}},
      {[](const TensorList& t) { return TensorList{std::get<0>(lt::linalg::lu_factor(t[0]))}; }, {wide}},
      {[](const TensorList& t) { return TensorList{std::get<0>(lt::linalg::lu_factor(t[0]))}; }, {tall}},
      {[](const TensorList& t) {
         auto [LU, pivots] = lt::linalg::lu_factor(t[0]);
         return TensorList{lt::linalg::lu_solve(LU, pivots, t[1], true, true)};
       },
       {a, b}},
      {[](const TensorList& t) { return TensorList{lt::linalg::solve_triangular(lt::triu(t[0]), t[1], true)}; },
       {a, b}},
      {[](const TensorList& t) {
         return TensorList{lt::linalg::solve_triangular(lt::tril(t[0], -1), t[1], false, false, true)};
       },
       {a, b.transpose(-2, -1)}},
      {[symmetric](const TensorList& t) { return TensorList{lt::linalg::cholesky(symmetric(t[0]))}; }, {a}},
      {[symmetric](const TensorList& t) {
         return TensorList{lt::linalg::cholesky_solve(t[1], lt::linalg::cholesky(symmetric(t[0])))};
       },
       {a, b}},
      {[](const TensorList& t) { return TensorList{lt::linalg::matrix_power(t[0], -2)}; }, {a}},
      {[](const TensorList& t) {
         auto [w, V] = lt::linalg::eigh(lt::add(t[0], t[0].transpose(-2, -1)));
         return TensorList{w, lt::abs(V)};  // |V|: the eigenvectors' signs are arbitrary
       },
       {a}},
      {[](const TensorList& t) { return TensorList{lt::linalg::eigvalsh(lt::add(t[0], t[0].transpose(-2, -1)))}; },
       {a}},
  };
  for (const auto& [fn, inputs] : cases) {
    TensorList leaves;
    for (const Tensor& t : inputs) leaves.push_back(t.detach().requires_grad_());
    EXPECT_TRUE(lt::autograd::gradcheck(fn, leaves));
    EXPECT_TRUE(lt::autograd::gradgradcheck(fn, leaves));
  }
}

TEST(Linalg, BadInputIsRefusedByName) {
  const Tensor singular = doubles({1, 2, 2, 4}, {2, 2});
  try {
    lt::linalg::inv(singular);
    FAIL() << "inv of a singular matrix";
  } catch (const lt::LinAlgError& e) {
    EXPECT_NE(std::string(e.what()).find("[linalg.inv]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(lt::linalg::solve(singular, doubles({1, 1}, {2})), lt::LinAlgError);
  EXPECT_THROW(lt::linalg::lu_factor(singular), lt::LinAlgError);
  // The _ex forms report instead: the second pivot is zero.
  EXPECT_EQ(std::get<2>(lt::linalg::lu_factor_ex(singular)).item<int32_t>(), 2);
  EXPECT_EQ(std::get<1>(lt::linalg::inv_ex(singular)).item<int32_t>(), 2);
  // The second matrix of a batch is not positive-definite from its first minor on.
  const Tensor batch = lt::stack({lt::eye(2, {}, DType::Float64), -lt::eye(2, {}, DType::Float64)});
  try {
    lt::linalg::cholesky(batch);
    FAIL() << "cholesky of -I";
  } catch (const lt::LinAlgError& e) {
    EXPECT_NE(std::string(e.what()).find("(batch element 1)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("order 1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(values(std::get<1>(lt::linalg::cholesky_ex(batch))), (std::vector<double>{0, 1}));
  EXPECT_THROW(lt::linalg::det(lt::zeros({2, 3})), lt::ShapeError);
  EXPECT_THROW(lt::linalg::det(lt::zeros({3})), lt::ShapeError);
  EXPECT_THROW(lt::linalg::inv(lt::zeros({2, 2}, DType::Int64)), lt::DTypeError);
  EXPECT_THROW(lt::linalg::inv(lt::zeros({2, 2}, DType::Float16)), lt::DTypeError);
  EXPECT_THROW(lt::linalg::solve(lt::eye(3), lt::zeros({3, 1}, DType::Float64)), lt::DTypeError);
  try {
    lt::linalg::solve(lt::eye(3), lt::zeros({4, 2}));
    FAIL() << "mismatched rows";
  } catch (const lt::ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("(3, 3) and B of shape (4, 2)"), std::string::npos) << e.what();
  }
  auto [LU, pivots] = lt::linalg::lu_factor(lt::eye(3));
  EXPECT_THROW(lt::linalg::lu_solve(LU, pivots + 5, lt::zeros({3, 1})), lt::IndexError);
  EXPECT_THROW(lt::linalg::lu_solve(LU, pivots.to(DType::Int64), lt::zeros({3, 1})), lt::DTypeError);
}

TEST(Linalg, KernelsOnEveryBuiltDevice) {
  for (const char* op : {"lu_factor", "lu_pivots_to_permutation", "triangular_solve", "cholesky", "eigh"}) {
    bool found = false;
    for (const lt::OpInfo& info : lt::Registry::global().list()) {
      if (info.name == op) found = info.has_kernel[static_cast<int>(lt::DeviceType::CPU)];
    }
    EXPECT_TRUE(found) << op;
  }
}

}  // namespace
