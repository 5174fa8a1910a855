// Type promotion (PyTorch's promote_types and result_type, with 0-dim tensors and numbers
// as weak operands) and broadcasting, checked against tables written out by hand.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <string>
#include <vector>

namespace {

using lt::DType;
using lt::Scalar;
using lt::Tensor;

constexpr DType b8 = DType::Bool, u8 = DType::UInt8, i8 = DType::Int8, i16 = DType::Int16, i32 = DType::Int32,
                i64 = DType::Int64, f16 = DType::Float16, bf16 = DType::BFloat16, f32 = DType::Float32,
                f64 = DType::Float64;
constexpr DType kAll[lt::kNumDTypes] = {b8, u8, i8, i16, i32, i64, f16, bf16, f32, f64};

// torch.promote_types(row, column), copied from PyTorch's table.
constexpr DType kPromote[lt::kNumDTypes][lt::kNumDTypes] = {
    //          b8    u8    i8    i16   i32   i64   f16   bf16  f32   f64
    /* b8  */ {b8, u8, i8, i16, i32, i64, f16, bf16, f32, f64},
    /* u8  */ {u8, u8, i16, i16, i32, i64, f16, bf16, f32, f64},
    /* i8  */ {i8, i16, i8, i16, i32, i64, f16, bf16, f32, f64},
    /* i16 */ {i16, i16, i16, i16, i32, i64, f16, bf16, f32, f64},
    /* i32 */ {i32, i32, i32, i32, i32, i64, f16, bf16, f32, f64},
    /* i64 */ {i64, i64, i64, i64, i64, i64, f16, bf16, f32, f64},
    /* f16 */ {f16, f16, f16, f16, f16, f16, f16, f32, f32, f64},
    /* bf16*/ {bf16, bf16, bf16, bf16, bf16, bf16, f32, bf16, f32, f64},
    /* f32 */ {f32, f32, f32, f32, f32, f32, f32, f32, f32, f64},
    /* f64 */ {f64, f64, f64, f64, f64, f64, f64, f64, f64, f64},
};

std::string pair_name(DType a, DType b) { return std::string(lt::name(a)) + " + " + std::string(lt::name(b)); }

// A 1-D tensor of `dtype` holding `values`, written without the library's casts.
Tensor make(DType dtype, const std::vector<double>& values, lt::Shape shape = {}) {
  if (shape.empty()) shape = {static_cast<int64_t>(values.size())};
  Tensor t = lt::empty(shape, dtype);
  lt::visit_dtype(dtype, [&]<class T>(T) {
    for (size_t i = 0; i < values.size(); ++i) {
      if constexpr (std::is_same_v<T, bool>) {
        t.data_ptr<T>()[i] = values[i] != 0;
      } else if constexpr (std::is_same_v<T, lt::Half> || std::is_same_v<T, lt::BFloat16>) {
        t.data_ptr<T>()[i] = T(static_cast<float>(values[i]));
      } else {
        t.data_ptr<T>()[i] = static_cast<T>(values[i]);
      }
    }
  });
  return t;
}

// Element i of a contiguous tensor, as a double.
double read(const Tensor& t, int64_t i) {
  return lt::visit_dtype(t.dtype(), [&]<class T>(T) {
    if constexpr (std::is_same_v<T, lt::Half> || std::is_same_v<T, lt::BFloat16>) {
      return static_cast<double>(static_cast<float>(t.data_ptr<T>()[i]));
    } else {
      return static_cast<double>(t.data_ptr<T>()[i]);
    }
  });
}

// A 0-dim tensor of `dtype` holding `v`.
Tensor zero_dim(DType dtype, double v) { return make(dtype, {v}, {1}).view({}); }

// --- promote_types ------------------------------------------------------------------

TEST(PromoteTypes, FullTable) {
  for (int i = 0; i < lt::kNumDTypes; ++i) {
    for (int j = 0; j < lt::kNumDTypes; ++j) {
      EXPECT_EQ(lt::promote_types(kAll[i], kAll[j]), kPromote[i][j]) << pair_name(kAll[i], kAll[j]);
    }
  }
}

TEST(PromoteTypes, TableIsSymmetric) {
  // A check on the hand-written table itself.
  for (int i = 0; i < lt::kNumDTypes; ++i) {
    for (int j = 0; j < lt::kNumDTypes; ++j) EXPECT_EQ(kPromote[i][j], kPromote[j][i]) << pair_name(kAll[i], kAll[j]);
  }
}

TEST(PromoteTypes, NotableCases) {
  EXPECT_EQ(lt::promote_types(u8, i8), i16);
  EXPECT_EQ(lt::promote_types(f16, bf16), f32);
  EXPECT_EQ(lt::promote_types(bf16, f16), f32);
  EXPECT_EQ(lt::promote_types(i64, f16), f16);
  EXPECT_EQ(lt::promote_types(u8, i16), i16);
  EXPECT_EQ(lt::promote_types(b8, b8), b8);
  EXPECT_EQ(lt::promote_types(i64, bf16), bf16);
}

TEST(DTypeNames, PyTorchNames) {
  const char* names[lt::kNumDTypes] = {"bool",    "uint8",   "int8",     "int16",   "int32",
                                       "int64",   "float16", "bfloat16", "float32", "float64"};
  for (int i = 0; i < lt::kNumDTypes; ++i) EXPECT_EQ(lt::name(kAll[i]), names[i]);
  const int64_t sizes[lt::kNumDTypes] = {1, 1, 1, 2, 4, 8, 2, 2, 4, 8};
  for (int i = 0; i < lt::kNumDTypes; ++i) EXPECT_EQ(lt::itemsize(kAll[i]), sizes[i]) << lt::name(kAll[i]);
}

// --- result_type ---------------------------------------------------------------------

TEST(ResultType, TensorsOfOneKindUsePromoteTypes) {
  for (int i = 0; i < lt::kNumDTypes; ++i) {
    for (int j = 0; j < lt::kNumDTypes; ++j) {
      Tensor a = lt::empty({2}, kAll[i]), b = lt::empty({3, 1}, kAll[j]);
      EXPECT_EQ(lt::result_type({a, b}), kPromote[i][j]) << pair_name(kAll[i], kAll[j]);
      Tensor za = lt::empty({}, kAll[i]), zb = lt::empty({}, kAll[j]);
      EXPECT_EQ(lt::result_type({za, zb}), kPromote[i][j]) << "0-dim " << pair_name(kAll[i], kAll[j]);
    }
  }
}

TEST(ResultType, ScalarsAreWeak) {
  Tensor i32t = lt::empty({3}, i32);
  EXPECT_EQ(lt::result_type({i32t, Scalar(2.5)}), f32);
  EXPECT_EQ(lt::result_type({i32t, Scalar(2)}), i32);
  EXPECT_EQ(lt::result_type({i32t, Scalar(true)}), i32);
  EXPECT_EQ(lt::result_type({lt::empty({3}, b8), Scalar(2)}), i64);
  EXPECT_EQ(lt::result_type({lt::empty({3}, b8), Scalar(2.5)}), f32);
  EXPECT_EQ(lt::result_type({lt::empty({3}, b8), Scalar(false)}), b8);
  EXPECT_EQ(lt::result_type({lt::empty({3}, u8), Scalar(1000)}), u8);
  EXPECT_EQ(lt::result_type({lt::empty({3}, i8), Scalar(int64_t{1} << 40)}), i8);
  EXPECT_EQ(lt::result_type({lt::empty({3}, f16), Scalar(2.5)}), f16);
  EXPECT_EQ(lt::result_type({lt::empty({3}, bf16), Scalar(1e30)}), bf16);
  EXPECT_EQ(lt::result_type({lt::empty({3}, f64), Scalar(2.5f)}), f64);
  EXPECT_EQ(lt::result_type({lt::empty({3}, i64), Scalar(2.5)}), f32);
}

TEST(ResultType, ScalarAlone) {
  EXPECT_EQ(lt::result_type({Scalar(2)}), i64);
  EXPECT_EQ(lt::result_type({Scalar(2.5)}), f32);
  EXPECT_EQ(lt::result_type({Scalar(true)}), b8);
  EXPECT_EQ(lt::result_type({Scalar(true), Scalar(2)}), i64);
  EXPECT_EQ(lt::result_type({Scalar(2), Scalar(2.5)}), f32);
}

TEST(ResultType, ZeroDimTensorsAreWeakerThanDimensioned) {
  EXPECT_EQ(lt::result_type({lt::empty({3}, i32), lt::empty({}, f64)}), f64);
  EXPECT_EQ(lt::result_type({lt::empty({3}, u8), lt::empty({}, i64)}), u8);
  EXPECT_EQ(lt::result_type({lt::empty({3}, u8), lt::empty({}, i8)}), u8);
  EXPECT_EQ(lt::result_type({lt::empty({3}, f16), lt::empty({}, f64)}), f16);
  EXPECT_EQ(lt::result_type({lt::empty({3}, bf16), lt::empty({}, f16)}), bf16);
  EXPECT_EQ(lt::result_type({lt::empty({3}, i64), lt::empty({}, f16)}), f16);
  EXPECT_EQ(lt::result_type({lt::empty({3}, b8), lt::empty({}, u8)}), u8);
  EXPECT_EQ(lt::result_type({lt::empty({3}, b8), lt::empty({}, f64)}), f64);
  EXPECT_EQ(lt::result_type({lt::empty({3}, i32), lt::empty({}, b8)}), i32);
  // Order does not matter.
  EXPECT_EQ(lt::result_type({lt::empty({}, f64), lt::empty({3}, i32)}), f64);
  EXPECT_EQ(lt::result_type({lt::empty({}, i64), lt::empty({3}, u8)}), u8);
  // A size-1 tensor with a dimension is not weak.
  EXPECT_EQ(lt::result_type({lt::empty({3}, u8), lt::empty({1}, i64)}), i64);
  EXPECT_EQ(lt::result_type({lt::empty({3}, f16), lt::empty({1}, f64)}), f64);
}

TEST(ResultType, ZeroDimTensorsAreStrongerThanScalars) {
  EXPECT_EQ(lt::result_type({lt::empty({}, i32), Scalar(2)}), i32);
  EXPECT_EQ(lt::result_type({lt::empty({}, i32), Scalar(2.5)}), f32);
  EXPECT_EQ(lt::result_type({lt::empty({}, f64), Scalar(2.5)}), f64);
  EXPECT_EQ(lt::result_type({lt::empty({}, f16), Scalar(2.5)}), f16);
  EXPECT_EQ(lt::result_type({lt::empty({}, b8), Scalar(2)}), i64);
  EXPECT_EQ(lt::result_type({lt::empty({}, u8), Scalar(-1)}), u8);
  // Three groups: dimensioned, then 0-dim, then numbers.
  EXPECT_EQ(lt::result_type({lt::empty({3}, i32), lt::empty({}, f16), Scalar(2.5)}), f16);
  EXPECT_EQ(lt::result_type({lt::empty({3}, b8), lt::empty({}, i16), Scalar(2.5)}), f32);
  EXPECT_EQ(lt::result_type({lt::empty({3}, u8), lt::empty({}, i64), Scalar(2)}), u8);
}

// --- operators produce the promoted dtype ---------------------------------------------

TEST(OperatorDTypes, AddAndMulFollowTheTable) {
  for (int i = 0; i < lt::kNumDTypes; ++i) {
    for (int j = 0; j < lt::kNumDTypes; ++j) {
      SCOPED_TRACE(pair_name(kAll[i], kAll[j]));
      Tensor a = make(kAll[i], {1, 1, 0}), b = make(kAll[j], {1, 0, 1});
      Tensor s = lt::add(a, b);
      ASSERT_EQ(s.dtype(), kPromote[i][j]);
      ASSERT_EQ(s.sizes(), lt::Shape({3}));
      // bool + bool is logical or.
      const bool both_bool = kAll[i] == b8 && kAll[j] == b8;
      EXPECT_EQ(read(s, 0), both_bool ? 1.0 : 2.0);
      EXPECT_EQ(read(s, 1), 1.0);
      EXPECT_EQ(read(s, 2), 1.0);
      Tensor p = lt::mul(a, b);
      ASSERT_EQ(p.dtype(), kPromote[i][j]);
      EXPECT_EQ(read(p, 0), 1.0);
      EXPECT_EQ(read(p, 1), 0.0);
      EXPECT_EQ(read(p, 2), 0.0);
    }
  }
}

TEST(OperatorDTypes, IntTensorPlusFloatNumberIsFloat32) {
  Tensor r = lt::add(make(i32, {1, 2, 3}), 2.5);
  ASSERT_EQ(r.dtype(), f32);
  EXPECT_FLOAT_EQ(r.data_ptr<float>()[0], 3.5f);
  EXPECT_FLOAT_EQ(r.data_ptr<float>()[2], 5.5f);
}

TEST(OperatorDTypes, IntTensorPlusIntNumberStaysInt) {
  Tensor r = lt::add(make(i32, {1, 2, 3}), 5);
  ASSERT_EQ(r.dtype(), i32);
  EXPECT_EQ(r.data_ptr<int32_t>()[2], 8);
  Tensor r8 = lt::add(make(i8, {100}), 27);
  ASSERT_EQ(r8.dtype(), i8);
  EXPECT_EQ(r8.data_ptr<int8_t>()[0], 127);
}

TEST(OperatorDTypes, IntTensorPlusBoolNumberStaysInt) {
  Tensor r = lt::add(make(i16, {1, 2}), true);
  ASSERT_EQ(r.dtype(), i16);
  EXPECT_EQ(r.data_ptr<int16_t>()[1], 3);
}

TEST(OperatorDTypes, BoolTensorPlusIntNumberIsInt64) {
  Tensor r = lt::add(make(b8, {1, 0}), 3);
  ASSERT_EQ(r.dtype(), i64);
  EXPECT_EQ(r.data_ptr<int64_t>()[0], 4);
  EXPECT_EQ(r.data_ptr<int64_t>()[1], 3);
}

TEST(OperatorDTypes, ZeroDimFloat64MakesInt32Float64) {
  Tensor r = lt::add(make(i32, {1, 2}), zero_dim(f64, 0.25));
  ASSERT_EQ(r.dtype(), f64);
  EXPECT_DOUBLE_EQ(r.data_ptr<double>()[1], 2.25);
}

TEST(OperatorDTypes, ZeroDimInt64KeepsUInt8AndWraps) {
  Tensor r = lt::add(make(u8, {200, 1}), zero_dim(i64, 100));
  ASSERT_EQ(r.dtype(), u8);
  EXPECT_EQ(r.data_ptr<uint8_t>()[0], 44);  // (200 + 100) mod 256
  EXPECT_EQ(r.data_ptr<uint8_t>()[1], 101);
}

TEST(OperatorDTypes, ZeroDimFloat64KeepsFloat16) {
  Tensor r = lt::mul(make(f16, {1.5, -2}), zero_dim(f64, 2.0));
  ASSERT_EQ(r.dtype(), f16);
  EXPECT_EQ(static_cast<float>(r.data_ptr<lt::Half>()[0]), 3.0f);
  EXPECT_EQ(static_cast<float>(r.data_ptr<lt::Half>()[1]), -4.0f);
}

TEST(OperatorDTypes, ZeroDimOperandsPromoteTogether) {
  Tensor r = lt::add(zero_dim(i32, 3), zero_dim(i64, 4));
  EXPECT_EQ(r.dim(), 0);
  ASSERT_EQ(r.dtype(), i64);
  EXPECT_EQ(r.item<int64_t>(), 7);
}

TEST(OperatorDTypes, UInt8PlusInt8IsInt16) {
  Tensor r = lt::add(make(u8, {255, 0}), make(i8, {-128, -1}));
  ASSERT_EQ(r.dtype(), i16);
  EXPECT_EQ(r.data_ptr<int16_t>()[0], 127);
  EXPECT_EQ(r.data_ptr<int16_t>()[1], -1);
}

TEST(OperatorDTypes, Float16PlusBFloat16IsFloat32) {
  Tensor r = lt::add(make(f16, {0.5}), make(bf16, {0.25}));
  ASSERT_EQ(r.dtype(), f32);
  EXPECT_EQ(r.data_ptr<float>()[0], 0.75f);
}

TEST(OperatorDTypes, Int64PlusFloat16IsFloat16) {
  Tensor r = lt::add(make(i64, {1000}), make(f16, {0.5}));
  ASSERT_EQ(r.dtype(), f16);
  EXPECT_EQ(static_cast<float>(r.data_ptr<lt::Half>()[0]), 1000.5f);
}

TEST(OperatorDTypes, SubAndScalarMul) {
  EXPECT_EQ(lt::sub(make(u8, {3}), make(i8, {1})).dtype(), i16);
  EXPECT_EQ(lt::mul(make(i16, {3}), 2.0).dtype(), f32);
  EXPECT_EQ(lt::mul(make(f64, {3}), 2).dtype(), f64);
  EXPECT_EQ((make(i32, {3}) * 2).dtype(), i32);
  EXPECT_EQ((2.5 * make(i32, {3})).dtype(), f32);
  EXPECT_EQ((1 - make(u8, {3})).dtype(), u8);
}

TEST(OperatorDTypes, TrueDivisionOfIntegersIsFloat32) {
  Tensor r = lt::div(make(i64, {7, -7}), make(i64, {2, 2}));
  ASSERT_EQ(r.dtype(), f32);
  EXPECT_FLOAT_EQ(r.data_ptr<float>()[0], 3.5f);
  EXPECT_FLOAT_EQ(r.data_ptr<float>()[1], -3.5f);
  EXPECT_EQ(lt::div(make(f16, {1}), 2).dtype(), f16);
  EXPECT_EQ(lt::div(make(i32, {7}), 2, "floor").dtype(), i32);
}

TEST(OperatorDTypes, ComparisonsAreBool) {
  Tensor r = lt::lt(make(i32, {1, 5}), 2.5);
  ASSERT_EQ(r.dtype(), b8);
  EXPECT_TRUE(r.data_ptr<bool>()[0]);
  EXPECT_FALSE(r.data_ptr<bool>()[1]);
  EXPECT_EQ(lt::eq(make(u8, {1}), make(f16, {1})).dtype(), b8);
}

TEST(OperatorDTypes, ComparisonComputesInPromotedType) {
  // 255 as uint8 vs -1 as int8: compared as int16, not as wrapped bytes.
  Tensor r = lt::gt(make(u8, {255}), make(i8, {-1}));
  EXPECT_TRUE(r.data_ptr<bool>()[0]);
}

TEST(OperatorDTypes, UnaryFloatingOpsOfIntegersAreFloat32) {
  EXPECT_EQ(lt::exp(make(i64, {0})).dtype(), f32);
  EXPECT_EQ(lt::exp(make(b8, {0})).dtype(), f32);
  EXPECT_EQ(lt::sqrt(make(f16, {4})).dtype(), f16);
  EXPECT_EQ(lt::sqrt(make(f64, {4})).dtype(), f64);
  EXPECT_EQ(lt::neg(make(i8, {4})).dtype(), i8);
}

TEST(OperatorDTypes, SumOfIntegersIsInt64) {
  EXPECT_EQ(lt::sum(make(u8, {200, 200})).dtype(), i64);
  EXPECT_EQ(lt::sum(make(u8, {200, 200})).item<int64_t>(), 400);
  EXPECT_EQ(lt::sum(make(b8, {1, 1, 1})).item<int64_t>(), 3);
  EXPECT_EQ(lt::sum(make(f16, {1, 2})).dtype(), f16);
}

// --- broadcasting -------------------------------------------------------------------

TEST(Broadcast, Shapes) {
  using S = lt::Shape;
  EXPECT_EQ(lt::broadcast_shapes({3, 4}, {4}, "t"), S({3, 4}));
  EXPECT_EQ(lt::broadcast_shapes({4}, {3, 4}, "t"), S({3, 4}));
  EXPECT_EQ(lt::broadcast_shapes({5, 1, 4}, {3, 1}, "t"), S({5, 3, 4}));
  EXPECT_EQ(lt::broadcast_shapes({1}, {7}, "t"), S({7}));
  EXPECT_EQ(lt::broadcast_shapes({2, 1, 1}, {1, 3, 1}, "t"), S({2, 3, 1}));
}

TEST(Broadcast, ZeroSizeDims) {
  using S = lt::Shape;
  EXPECT_EQ(lt::broadcast_shapes({0, 3}, {1, 3}, "t"), S({0, 3}));
  EXPECT_EQ(lt::broadcast_shapes({1, 3}, {0, 3}, "t"), S({0, 3}));
  EXPECT_EQ(lt::broadcast_shapes({0}, {1}, "t"), S({0}));
  EXPECT_EQ(lt::broadcast_shapes({1}, {0}, "t"), S({0}));
  EXPECT_EQ(lt::broadcast_shapes({0}, {}, "t"), S({0}));
  EXPECT_EQ(lt::broadcast_shapes({2, 0}, {2, 1}, "t"), S({2, 0}));
  EXPECT_THROW(lt::broadcast_shapes({0}, {2}, "t"), lt::ShapeError);
  EXPECT_THROW(lt::broadcast_shapes({2}, {0}, "t"), lt::ShapeError);
}

TEST(Broadcast, ZeroDim) {
  using S = lt::Shape;
  EXPECT_EQ(lt::broadcast_shapes({}, {}, "t"), S({}));
  EXPECT_EQ(lt::broadcast_shapes({}, {2, 3}, "t"), S({2, 3}));
  EXPECT_EQ(lt::broadcast_shapes({2, 3}, {}, "t"), S({2, 3}));
  EXPECT_EQ(lt::broadcast_shapes({}, {1}, "t"), S({1}));
}

TEST(Broadcast, Errors) {
  EXPECT_THROW(lt::broadcast_shapes({3, 4}, {5}, "t"), lt::ShapeError);
  EXPECT_THROW(lt::broadcast_shapes({2, 3}, {3, 3}, "t"), lt::ShapeError);
  EXPECT_THROW(lt::broadcast_shapes({2, 1, 3}, {4, 2}, "t"), lt::ShapeError);
  try {
    lt::broadcast_shapes({3, 4}, {5}, "myop");
    FAIL() << "expected ShapeError";
  } catch (const lt::ShapeError& e) {
    EXPECT_EQ(std::string(e.what()), "[myop] shapes (3, 4) and (5,) cannot be broadcast");
  }
}

TEST(Broadcast, OperatorsBroadcast) {
  Tensor a = make(f32, {0, 10, 20}, {3, 1});
  Tensor b = make(f32, {1, 2, 3, 4}, {4});
  Tensor r = lt::add(a, b);
  ASSERT_EQ(r.sizes(), lt::Shape({3, 4}));
  for (int64_t i = 0; i < 3; ++i) {
    for (int64_t j = 0; j < 4; ++j) EXPECT_EQ(r.data_ptr<float>()[i * 4 + j], 10.0f * i + j + 1);
  }
}

TEST(Broadcast, OperatorsWithZeroSizeAndZeroDim) {
  Tensor r = lt::add(lt::zeros({0, 3}), lt::ones({1, 3}));
  EXPECT_EQ(r.sizes(), lt::Shape({0, 3}));
  EXPECT_EQ(r.numel(), 0);
  Tensor s = lt::add(lt::scalar_tensor(1.0), lt::scalar_tensor(2.0));
  EXPECT_EQ(s.dim(), 0);
  EXPECT_EQ(s.item<double>(), 3.0);
  Tensor t = lt::mul(lt::scalar_tensor(2.0), make(f32, {1, 2, 3}, {3, 1}));
  EXPECT_EQ(t.sizes(), lt::Shape({3, 1}));
  EXPECT_EQ(t.data_ptr<float>()[2], 6.0f);
  EXPECT_THROW(lt::add(lt::zeros({0, 3}), lt::ones({2, 3})), lt::ShapeError);
}

}  // namespace
