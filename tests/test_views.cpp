// Views (sizes, strides, shared storage, shared version counter), copies between every
// pair of dtypes, zero-size and 0-dim tensors, and element counts that must not overflow.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace {

using lt::DType;
using lt::Shape;
using lt::Tensor;

// float32 values 0, 1, ..., numel-1 in a contiguous tensor of `shape`, written directly.
Tensor iota(Shape shape) {
  Tensor t = lt::empty(shape, DType::Float32);
  for (int64_t i = 0; i < t.numel(); ++i) t.data_ptr<float>()[i] = static_cast<float>(i);
  return t;
}

// The float32 element at `idx`, found through the tensor's own sizes and strides.
float at(const Tensor& t, std::vector<int64_t> idx) {
  EXPECT_EQ(static_cast<int64_t>(idx.size()), t.dim());
  int64_t off = 0;
  for (size_t d = 0; d < idx.size(); ++d) {
    EXPECT_LT(idx[d], t.sizes()[d]);
    off += idx[d] * t.strides()[d];
  }
  return t.data_ptr<float>()[off];
}

// All elements in row-major order, read through sizes and strides.
std::vector<float> values(const Tensor& t) {
  std::vector<float> out;
  std::vector<int64_t> idx(t.dim(), 0);
  for (int64_t n = 0; n < t.numel(); ++n) {
    out.push_back(at(t, idx));
    for (int64_t d = t.dim() - 1; d >= 0; --d) {
      if (++idx[d] < t.sizes()[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

bool shares_storage(const Tensor& a, const Tensor& b) { return a.storage() == b.storage(); }

// --- view / reshape ---------------------------------------------------------------------

TEST(View, SizesAndStrides) {
  Tensor base = iota({12});
  Tensor v = base.view({3, 4});
  EXPECT_EQ(v.sizes(), Shape({3, 4}));
  EXPECT_EQ(v.strides(), Shape({4, 1}));
  EXPECT_TRUE(shares_storage(v, base));
  EXPECT_EQ(v.storage_offset(), 0);
  EXPECT_EQ(at(v, {2, 1}), 9.0f);
  EXPECT_EQ(base.view({2, -1}).sizes(), Shape({2, 6}));
  EXPECT_EQ(base.view({-1, 3, 2}).sizes(), Shape({2, 3, 2}));
  EXPECT_EQ(base.view({-1}).sizes(), Shape({12}));
  EXPECT_EQ(base.view({1, 12, 1}).strides(), Shape({12, 1, 1}));
}

TEST(View, BadShapes) {
  Tensor base = iota({12});
  EXPECT_THROW(base.view({5, -1}), lt::ShapeError);
  EXPECT_THROW(base.view({-1, -1}), lt::ShapeError);
  EXPECT_THROW(base.view({5, 2}), lt::ShapeError);
  EXPECT_THROW(base.view({-2, 6}), lt::ShapeError);
  EXPECT_THROW(base.view({int64_t{1} << 40, int64_t{1} << 40}), lt::ShapeError);
  EXPECT_EQ(base.sizes(), Shape({12}));
}

TEST(View, WritesThroughToBase) {
  Tensor base = iota({12});
  const uint64_t v0 = base.version();
  Tensor v = base.view({3, 4});
  v.fill_(7.0);
  for (float x : values(base)) EXPECT_EQ(x, 7.0f);
  EXPECT_GT(base.version(), v0);
  EXPECT_EQ(v.version(), base.version());
}

TEST(View, FailsOnNonViewableStrides) {
  Tensor t = iota({3, 4}).t();
  EXPECT_THROW(t.view({12}), lt::ShapeError);
  EXPECT_THROW(t.view({2, 6}), lt::ShapeError);
  try {
    t.view({12});
  } catch (const lt::ShapeError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("[view]", 0), 0u) << msg;
    EXPECT_NE(msg.find("(4, 3)"), std::string::npos) << msg;
  }
  // Splitting or adding size-1 dims is still a view.
  Tensor u = t.view({2, 2, 3});
  EXPECT_EQ(u.strides(), Shape({2, 1, 4}));
  EXPECT_TRUE(shares_storage(u, t));
  EXPECT_EQ(t.view({4, 1, 3}).strides()[2], 4);
}

TEST(View, OfNarrowedRows) {
  Tensor base = iota({4, 6});
  Tensor n = base.narrow(1, 0, 3);  // strides (6, 1), not contiguous
  EXPECT_THROW(n.view({12}), lt::ShapeError);
  Tensor v = n.view({2, 2, 3});
  EXPECT_EQ(v.strides(), Shape({12, 6, 1}));
  EXPECT_EQ(at(v, {1, 1, 2}), 20.0f);  // row 3, column 2
}

TEST(View, OfExpanded) {
  Tensor e = iota({3, 1}).expand({3, 4});
  EXPECT_THROW(e.view({12}), lt::ShapeError);
  Tensor v = e.view({3, 2, 2});
  EXPECT_EQ(v.strides(), Shape({1, 0, 0}));
  EXPECT_EQ(at(v, {2, 1, 1}), 2.0f);
}

TEST(View, ZeroDimAndZeroSize) {
  Tensor s = lt::scalar_tensor(5.0);
  EXPECT_EQ(s.view({1}).sizes(), Shape({1}));
  EXPECT_EQ(s.view({-1}).sizes(), Shape({1}));
  EXPECT_EQ(s.view({1, 1}).sizes(), Shape({1, 1}));
  EXPECT_EQ(iota({1}).view({}).dim(), 0);
  Tensor z = lt::zeros({0, 3});
  EXPECT_EQ(z.view({3, 0}).sizes(), Shape({3, 0}));
  EXPECT_EQ(z.view({0}).sizes(), Shape({0}));
  EXPECT_EQ(z.view({-1}).sizes(), Shape({0}));
  // -1 is ambiguous next to a 0.
  EXPECT_THROW(z.view({-1, 0}), lt::ShapeError);
  EXPECT_THROW(z.view({0, -1}), lt::ShapeError);
}

TEST(Reshape, ViewWhenPossible) {
  Tensor base = iota({2, 6});
  Tensor r = base.reshape({3, 4});
  EXPECT_TRUE(shares_storage(r, base));
  EXPECT_EQ(r.strides(), Shape({4, 1}));
  r.fill_(1.0);
  EXPECT_EQ(at(base, {1, 5}), 1.0f);
}

TEST(Reshape, CopiesWhenStridesForbidAView) {
  Tensor base = iota({3, 4});
  Tensor r = base.t().reshape({12});
  EXPECT_FALSE(shares_storage(r, base));
  EXPECT_EQ(values(r), std::vector<float>({0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}));
  EXPECT_TRUE(r.is_contiguous());
  // The copy is independent of the base.
  const uint64_t v0 = base.version();
  r.fill_(-1.0);
  EXPECT_EQ(at(base, {0, 1}), 1.0f);
  EXPECT_EQ(base.version(), v0);
  EXPECT_THROW(base.t().reshape({5, 2}), lt::ShapeError);
  EXPECT_EQ(base.t().flatten().sizes(), Shape({12}));
}

// --- permute / transpose / t -------------------------------------------------------------

TEST(Permute, SizesStridesValues) {
  Tensor base = iota({2, 3, 4});
  Tensor p = base.permute({2, 0, 1});
  EXPECT_EQ(p.sizes(), Shape({4, 2, 3}));
  EXPECT_EQ(p.strides(), Shape({1, 12, 4}));
  EXPECT_TRUE(shares_storage(p, base));
  EXPECT_FALSE(p.is_contiguous());
  for (int64_t i = 0; i < 4; ++i) {
    for (int64_t j = 0; j < 2; ++j) {
      for (int64_t k = 0; k < 3; ++k) EXPECT_EQ(at(p, {i, j, k}), at(base, {j, k, i}));
    }
  }
  EXPECT_EQ(base.permute({-1, 0, -2}).sizes(), Shape({4, 2, 3}));
}

TEST(Permute, WritesThroughAndSharesVersion) {
  Tensor base = lt::zeros({2, 3, 4});
  Tensor p = base.permute({2, 0, 1});
  const uint64_t v0 = base.version();
  p.select(0, 1).fill_(-1.0);  // base[:, :, 1]
  for (int64_t j = 0; j < 2; ++j) {
    for (int64_t k = 0; k < 3; ++k) {
      EXPECT_EQ(at(base, {j, k, 1}), -1.0f);
      EXPECT_EQ(at(base, {j, k, 0}), 0.0f);
    }
  }
  EXPECT_GT(base.version(), v0);
  EXPECT_EQ(p.version(), base.version());
}

TEST(Permute, Errors) {
  Tensor base = iota({2, 3, 4});
  EXPECT_THROW(base.permute({0, 1}), lt::ShapeError);
  EXPECT_THROW(base.permute({0, 1, 1}), lt::Error);
  EXPECT_THROW(base.permute({0, 1, 3}), lt::IndexError);
}

TEST(Transpose, SwapsTwoDims) {
  Tensor base = iota({2, 3, 4});
  Tensor t = base.transpose(0, 2);
  EXPECT_EQ(t.sizes(), Shape({4, 3, 2}));
  EXPECT_EQ(t.strides(), Shape({1, 4, 12}));
  EXPECT_EQ(at(t, {3, 1, 1}), at(base, {1, 1, 3}));
  EXPECT_EQ(base.transpose(-1, -2).sizes(), Shape({2, 4, 3}));
  EXPECT_EQ(base.transpose(1, 1).strides(), base.strides());
  EXPECT_THROW(base.transpose(0, 3), lt::IndexError);
  EXPECT_THROW(base.transpose(-4, 0), lt::IndexError);
}

TEST(Transpose, WritesThrough) {
  Tensor base = lt::zeros({2, 3});
  Tensor t = base.t();
  t.select(0, 2).fill_(5.0);  // column 2 of base
  EXPECT_EQ(values(base), std::vector<float>({0, 0, 5, 0, 0, 5}));
}

TEST(Transpose, ZeroDim) {
  Tensor s = lt::scalar_tensor(1.0);
  EXPECT_EQ(s.transpose(0, -1).dim(), 0);
  EXPECT_THROW(s.transpose(0, 1), lt::IndexError);
}

TEST(T, MatrixVectorAndHigher) {
  Tensor m = iota({2, 3});
  EXPECT_EQ(m.t().sizes(), Shape({3, 2}));
  EXPECT_EQ(m.t().strides(), Shape({1, 3}));
  EXPECT_TRUE(shares_storage(m.t(), m));
  Tensor v = iota({5});
  EXPECT_EQ(v.t().sizes(), Shape({5}));
  EXPECT_EQ(lt::scalar_tensor(1.0).t().dim(), 0);
  EXPECT_THROW(iota({2, 2, 2}).t(), lt::ShapeError);
}

// --- expand ----------------------------------------------------------------------------

TEST(Expand, SizesAndStrides) {
  Tensor base = iota({3, 1});
  Tensor e = base.expand({2, 3, 4});
  EXPECT_EQ(e.sizes(), Shape({2, 3, 4}));
  EXPECT_EQ(e.strides(), Shape({0, 1, 0}));
  EXPECT_TRUE(shares_storage(e, base));
  EXPECT_EQ(at(e, {1, 2, 3}), 2.0f);
  EXPECT_EQ(base.expand({-1, 4}).sizes(), Shape({3, 4}));
  EXPECT_EQ(base.expand({3, 1}).strides(), base.strides());
  EXPECT_EQ(base.expand_as(lt::empty({5, 3, 2})).sizes(), Shape({5, 3, 2}));
}

TEST(Expand, SeesWritesToBase) {
  Tensor base = lt::zeros({3, 1});
  Tensor e = base.expand({3, 4});
  base.select(0, 1).fill_(2.0);
  EXPECT_EQ(values(e), std::vector<float>({0, 0, 0, 0, 2, 2, 2, 2, 0, 0, 0, 0}));
  EXPECT_EQ(e.version(), base.version());
}

TEST(Expand, RefusesToBeWritten) {
  Tensor base = lt::zeros({3, 1});
  Tensor e = base.expand({3, 4});
  EXPECT_THROW(e.fill_(1.0), lt::ValueError);
  for (float x : values(base)) EXPECT_EQ(x, 0.0f);
}

TEST(Expand, ZeroSizeAndZeroDim) {
  EXPECT_EQ(iota({1, 3}).expand({0, 3}).sizes(), Shape({0, 3}));
  EXPECT_EQ(iota({1, 3}).expand({0, 3}).numel(), 0);
  Tensor s = lt::scalar_tensor(2.0);
  Tensor e = s.expand({2, 2});
  EXPECT_EQ(e.strides(), Shape({0, 0}));
  EXPECT_EQ(values(e), std::vector<float>({2, 2, 2, 2}));
}

TEST(Expand, Errors) {
  Tensor base = iota({2, 4});
  EXPECT_THROW(base.expand({4}), lt::ShapeError);
  EXPECT_THROW(base.expand({3, 4}), lt::ShapeError);
  EXPECT_THROW(base.expand({-1, 2, 4}), lt::ShapeError);
  EXPECT_THROW(base.expand({2, -2}), lt::ShapeError);
  EXPECT_THROW(iota({1, 1}).expand({int64_t{1} << 40, int64_t{1} << 40}), lt::ShapeError);
}

// --- slice -------------------------------------------------------------------------------

TEST(Slice, PositiveStepIsAView) {
  Tensor base = iota({10});
  Tensor s = base.slice(0, 2, 8, 2);
  EXPECT_EQ(s.sizes(), Shape({3}));
  EXPECT_EQ(s.strides(), Shape({2}));
  EXPECT_EQ(s.storage_offset(), 2);
  EXPECT_TRUE(shares_storage(s, base));
  EXPECT_EQ(values(s), std::vector<float>({2, 4, 6}));
  const uint64_t v0 = base.version();
  s.fill_(-1.0);
  EXPECT_EQ(values(base), std::vector<float>({0, 1, -1, 3, -1, 5, -1, 7, 8, 9}));
  EXPECT_GT(base.version(), v0);
}

TEST(Slice, BoundsClampLikePython) {
  Tensor base = iota({10});
  EXPECT_EQ(values(base.slice(0, -3, 100)), std::vector<float>({7, 8, 9}));    // a[-3:100]
  EXPECT_EQ(values(base.slice(0, -100, 2)), std::vector<float>({0, 1}));       // a[-100:2]
  EXPECT_EQ(base.slice(0, 8, 2).numel(), 0);                                   // a[8:2]
  EXPECT_EQ(base.slice(0, 20, 30).numel(), 0);                                 // a[20:30]
  EXPECT_EQ(values(base.slice(0, 0, 10, 100)), std::vector<float>({0}));       // a[0:10:100]
  EXPECT_EQ(values(base.slice(0, 1, 10, 4)), std::vector<float>({1, 5, 9}));   // a[1:10:4]
}

TEST(Slice, HugeStep) {
  Tensor base = iota({10});
  const int64_t big = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(values(base.slice(0, 0, 10, big)), std::vector<float>({0}));    // a[0:10:sys.maxsize]
  EXPECT_EQ(values(base.slice(0, 3, big, big)), std::vector<float>({3}));   // a[3::sys.maxsize]
  EXPECT_EQ(values(base.slice(0, 9, -11, -big)), std::vector<float>({9}));  // a[9::-sys.maxsize]
  const int64_t lowest = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(values(base.slice(0, 9, -11, lowest)), std::vector<float>({9}));
  EXPECT_EQ(base.slice(0, 0, 10, big).sizes(), Shape({1}));
  Tensor m = iota({3, 4});
  EXPECT_EQ(values(m.slice(1, 1, 4, big)), std::vector<float>({1, 5, 9}));
  EXPECT_EQ(values(m.slice(0, 2, -4, lowest)), std::vector<float>({8, 9, 10, 11}));
}

TEST(Slice, NegativeStepIsAReversedCopy) {
  Tensor base = iota({10});
  Tensor s = base.slice(0, 8, 2, -2);  // a[8:2:-2]
  EXPECT_EQ(values(s), std::vector<float>({8, 6, 4}));
  EXPECT_FALSE(shares_storage(s, base));
  for (int64_t st : s.strides()) EXPECT_GT(st, 0);
  const uint64_t v0 = base.version();
  s.fill_(-1.0);
  EXPECT_EQ(at(base, {8}), 8.0f);
  EXPECT_EQ(base.version(), v0);
}

TEST(Slice, NegativeStepBoundsLikePython) {
  Tensor base = iota({10});
  EXPECT_EQ(values(base.slice(0, -1, -11, -1)), std::vector<float>({9, 8, 7, 6, 5, 4, 3, 2, 1, 0}));  // a[::-1]
  EXPECT_EQ(values(base.slice(0, 100, -100, -3)), std::vector<float>({9, 6, 3, 0}));  // a[100:-100:-3]
  EXPECT_EQ(values(base.slice(0, 3, -11, -1)), std::vector<float>({3, 2, 1, 0}));     // a[3::-1]
  EXPECT_EQ(values(base.slice(0, -2, 5, -1)), std::vector<float>({8, 7, 6}));         // a[-2:5:-1]
  EXPECT_EQ(base.slice(0, 2, 8, -1).numel(), 0);                                      // a[2:8:-1]
  EXPECT_EQ(base.slice(0, -11, -20, -1).numel(), 0);                                  // a[-11:-20:-1]
}

TEST(Slice, TwoDimensional) {
  Tensor base = iota({3, 4});
  Tensor cols = base.slice(1, 0, 4, 2);
  EXPECT_EQ(cols.sizes(), Shape({3, 2}));
  EXPECT_EQ(cols.strides(), Shape({4, 2}));
  EXPECT_EQ(values(cols), std::vector<float>({0, 2, 4, 6, 8, 10}));
  Tensor rev = base.slice(1, 3, -5, -2);  // a[:, 3::-2]
  EXPECT_EQ(rev.sizes(), Shape({3, 2}));
  EXPECT_EQ(values(rev), std::vector<float>({3, 1, 7, 5, 11, 9}));
  Tensor rows = base.slice(-2, 1, 3);
  EXPECT_EQ(rows.storage_offset(), 4);
  EXPECT_EQ(values(rows), std::vector<float>({4, 5, 6, 7, 8, 9, 10, 11}));
}

TEST(Slice, Errors) {
  Tensor base = iota({10});
  EXPECT_THROW(base.slice(0, 0, 10, 0), lt::ValueError);
  EXPECT_THROW(base.slice(1, 0, 10), lt::IndexError);
  EXPECT_THROW(lt::scalar_tensor(1.0).slice(0, 0, 1), lt::IndexError);
}

// --- narrow / select -------------------------------------------------------------------

TEST(Narrow, SizesOffsetValues) {
  Tensor base = iota({4, 5});
  Tensor n = base.narrow(1, 1, 3);
  EXPECT_EQ(n.sizes(), Shape({4, 3}));
  EXPECT_EQ(n.strides(), Shape({5, 1}));
  EXPECT_EQ(n.storage_offset(), 1);
  EXPECT_EQ(at(n, {2, 0}), 11.0f);
  Tensor last = base.narrow(0, -2, 2);
  EXPECT_EQ(last.storage_offset(), 10);
  EXPECT_EQ(at(last, {1, 4}), 19.0f);
  EXPECT_EQ(base.narrow(0, 4, 0).numel(), 0);
}

TEST(Narrow, WritesThrough) {
  Tensor base = lt::zeros({6});
  const uint64_t v0 = base.version();
  base.narrow(0, 2, 3).fill_(1.0);
  EXPECT_EQ(values(base), std::vector<float>({0, 0, 1, 1, 1, 0}));
  EXPECT_GT(base.version(), v0);
}

TEST(Narrow, Errors) {
  Tensor base = iota({4, 5});
  EXPECT_THROW(base.narrow(1, 3, 3), lt::ShapeError);
  EXPECT_THROW(base.narrow(1, 0, -1), lt::ShapeError);
  EXPECT_THROW(base.narrow(1, 6, 0), lt::IndexError);
  EXPECT_THROW(base.narrow(1, -6, 1), lt::IndexError);
  EXPECT_THROW(base.narrow(2, 0, 1), lt::IndexError);
}

TEST(Select, DropsADim) {
  Tensor base = iota({3, 4});
  Tensor row = base.select(0, 1);
  EXPECT_EQ(row.sizes(), Shape({4}));
  EXPECT_EQ(row.strides(), Shape({1}));
  EXPECT_EQ(row.storage_offset(), 4);
  EXPECT_EQ(values(row), std::vector<float>({4, 5, 6, 7}));
  Tensor col = base.select(1, -1);
  EXPECT_EQ(col.strides(), Shape({4}));
  EXPECT_EQ(values(col), std::vector<float>({3, 7, 11}));
  Tensor elem = row.select(0, 2);
  EXPECT_EQ(elem.dim(), 0);
  EXPECT_EQ(elem.item<float>(), 6.0f);
}

TEST(Select, WritesThroughAndSharesVersion) {
  Tensor base = lt::zeros({3, 4});
  Tensor col = base.select(1, 2);
  const uint64_t v0 = base.version();
  col.fill_(-1.0);
  EXPECT_EQ(values(base), std::vector<float>({0, 0, -1, 0, 0, 0, -1, 0, 0, 0, -1, 0}));
  EXPECT_GT(base.version(), v0);
  const uint64_t v1 = base.version();
  col.add_(lt::ones({3}));
  EXPECT_GT(base.version(), v1);
  EXPECT_EQ(at(base, {1, 2}), 0.0f);
}

TEST(Select, Errors) {
  Tensor base = iota({3, 4});
  EXPECT_THROW(base.select(0, 3), lt::IndexError);
  EXPECT_THROW(base.select(0, -4), lt::IndexError);
  EXPECT_THROW(base.select(2, 0), lt::IndexError);
  EXPECT_THROW(lt::scalar_tensor(1.0).select(0, 0), lt::IndexError);
}

// --- squeeze / unsqueeze ----------------------------------------------------------------

TEST(Squeeze, AllAndOneDim) {
  Tensor base = iota({1, 3, 1, 2});
  EXPECT_EQ(base.squeeze().sizes(), Shape({3, 2}));
  EXPECT_EQ(base.squeeze().strides(), Shape({2, 1}));
  EXPECT_EQ(base.squeeze(0).sizes(), Shape({3, 1, 2}));
  EXPECT_EQ(base.squeeze(1).sizes(), Shape({1, 3, 1, 2}));  // not size 1: unchanged
  EXPECT_EQ(base.squeeze(-2).sizes(), Shape({1, 3, 2}));
  EXPECT_TRUE(shares_storage(base.squeeze(), base));
  EXPECT_THROW(base.squeeze(4), lt::IndexError);
  EXPECT_EQ(iota({1, 1}).squeeze().dim(), 0);
  EXPECT_EQ(lt::scalar_tensor(1.0).squeeze(0).dim(), 0);
}

TEST(Unsqueeze, InsertsSizeOneDims) {
  Tensor base = iota({3, 4});
  EXPECT_EQ(base.unsqueeze(0).sizes(), Shape({1, 3, 4}));
  EXPECT_EQ(base.unsqueeze(0).strides(), Shape({12, 4, 1}));
  EXPECT_EQ(base.unsqueeze(1).sizes(), Shape({3, 1, 4}));
  EXPECT_EQ(base.unsqueeze(1).strides(), Shape({4, 4, 1}));
  EXPECT_EQ(base.unsqueeze(2).sizes(), Shape({3, 4, 1}));
  EXPECT_EQ(base.unsqueeze(-1).sizes(), Shape({3, 4, 1}));
  EXPECT_EQ(base.unsqueeze(-3).sizes(), Shape({1, 3, 4}));
  EXPECT_THROW(base.unsqueeze(3), lt::IndexError);
  EXPECT_THROW(base.unsqueeze(-4), lt::IndexError);
  EXPECT_EQ(lt::scalar_tensor(1.0).unsqueeze(0).sizes(), Shape({1}));
  Tensor u = base.unsqueeze(1);
  u.fill_(3.0);
  EXPECT_EQ(at(base, {2, 3}), 3.0f);
  EXPECT_EQ(u.version(), base.version());
}

TEST(Unsqueeze, RoundTripsWithSqueeze) {
  Tensor base = iota({2, 3}).t();  // strides (1, 3)
  for (int64_t d = 0; d <= 2; ++d) {
    Tensor r = base.unsqueeze(d).squeeze(d);
    EXPECT_EQ(r.sizes(), base.sizes());
    EXPECT_EQ(r.strides(), base.strides());
  }
}

// --- diagonal ---------------------------------------------------------------------------

TEST(Diagonal, Offsets) {
  Tensor base = iota({3, 4});
  Tensor d = base.diagonal();
  EXPECT_EQ(d.sizes(), Shape({3}));
  EXPECT_EQ(d.strides(), Shape({5}));
  EXPECT_TRUE(shares_storage(d, base));
  EXPECT_EQ(values(d), std::vector<float>({0, 5, 10}));
  EXPECT_EQ(values(base.diagonal(1)), std::vector<float>({1, 6, 11}));
  EXPECT_EQ(values(base.diagonal(2)), std::vector<float>({2, 7}));
  EXPECT_EQ(values(base.diagonal(3)), std::vector<float>({3}));
  EXPECT_EQ(base.diagonal(4).numel(), 0);
  EXPECT_EQ(base.diagonal(10).numel(), 0);
  EXPECT_EQ(values(base.diagonal(-1)), std::vector<float>({4, 9}));
  EXPECT_EQ(values(base.diagonal(-2)), std::vector<float>({8}));
  EXPECT_EQ(base.diagonal(-3).numel(), 0);
  EXPECT_EQ(base.diagonal(-10).numel(), 0);
}

TEST(Diagonal, Dims) {
  Tensor base = iota({2, 3, 4});
  Tensor d12 = base.diagonal(0, 1, 2);
  EXPECT_EQ(d12.sizes(), Shape({2, 3}));
  EXPECT_EQ(d12.strides(), Shape({12, 5}));
  EXPECT_EQ(at(d12, {1, 2}), at(base, {1, 2, 2}));
  Tensor d02 = base.diagonal(0, 0, 2);
  EXPECT_EQ(d02.sizes(), Shape({3, 2}));
  EXPECT_EQ(d02.strides(), Shape({4, 13}));
  for (int64_t j = 0; j < 3; ++j) {
    for (int64_t i = 0; i < 2; ++i) EXPECT_EQ(at(d02, {j, i}), at(base, {i, j, i}));
  }
  // dim1 = 2, dim2 = 1: element i is base[b, i + 1, i].
  Tensor r = base.diagonal(1, -1, -2);
  EXPECT_EQ(r.sizes(), Shape({2, 2}));
  for (int64_t b = 0; b < 2; ++b) {
    for (int64_t i = 0; i < 2; ++i) EXPECT_EQ(at(r, {b, i}), at(base, {b, i + 1, i}));
  }
  Tensor neg = base.diagonal(-1, 1, 2);  // base[b, i + 1, i]
  EXPECT_EQ(neg.sizes(), Shape({2, 2}));
  EXPECT_EQ(at(neg, {1, 1}), at(base, {1, 2, 1}));
}

TEST(Diagonal, WritesThrough) {
  Tensor m = lt::zeros({3, 3});
  const uint64_t v0 = m.version();
  m.diagonal().fill_(1.0);
  EXPECT_EQ(values(m), std::vector<float>({1, 0, 0, 0, 1, 0, 0, 0, 1}));
  m.diagonal(-1).fill_(2.0);
  EXPECT_EQ(values(m), std::vector<float>({1, 0, 0, 2, 1, 0, 0, 2, 1}));
  EXPECT_GE(m.version(), v0 + 2);
}

TEST(Diagonal, Errors) {
  EXPECT_THROW(iota({3}).diagonal(), lt::IndexError);
  EXPECT_THROW(iota({3, 3}).diagonal(0, 1, 1), lt::ValueError);
  EXPECT_THROW(iota({3, 3}).diagonal(0, 1, -1), lt::ValueError);
  EXPECT_THROW(iota({3, 3}).diagonal(0, 0, 2), lt::IndexError);
}

// --- as_strided / unfold ----------------------------------------------------------------

TEST(AsStrided, SlidingWindows) {
  Tensor base = iota({10});
  Tensor w = base.as_strided({3, 3}, {1, 1});
  EXPECT_EQ(w.sizes(), Shape({3, 3}));
  EXPECT_EQ(w.strides(), Shape({1, 1}));
  EXPECT_TRUE(shares_storage(w, base));
  for (int64_t i = 0; i < 3; ++i) {
    for (int64_t j = 0; j < 3; ++j) EXPECT_EQ(at(w, {i, j}), static_cast<float>(i + j));
  }
  Tensor o = base.as_strided({2}, {3}, 4);
  EXPECT_EQ(o.storage_offset(), 4);
  EXPECT_EQ(values(o), std::vector<float>({4, 7}));
  // The default offset is the tensor's own.
  EXPECT_EQ(values(base.narrow(0, 2, 3).as_strided({2}, {1})), std::vector<float>({2, 3}));
}

TEST(AsStrided, Bounds) {
  Tensor base = iota({10});
  EXPECT_EQ(values(base.as_strided({4}, {3})), std::vector<float>({0, 3, 6, 9}));  // reaches element 9
  EXPECT_THROW(base.as_strided({4}, {3}, 1), lt::ShapeError);                      // element 10
  EXPECT_THROW(base.as_strided({11}, {1}), lt::ShapeError);
  EXPECT_THROW(base.as_strided({1}, {1}, 10), lt::ShapeError);
  EXPECT_THROW(base.as_strided({1}, {1}, -1), lt::ShapeError);  // PyTorch: invalid storage offset
  EXPECT_EQ(base.as_strided({0}, {1}, 100).numel(), 0);
  EXPECT_THROW(base.as_strided({2, 2}, {1}), lt::ShapeError);
  EXPECT_THROW(base.as_strided({2}, {-1}, 5), lt::ValueError);
  const int64_t big = int64_t{1} << 62;
  EXPECT_THROW(base.as_strided({3}, {big}), lt::ShapeError);
  EXPECT_THROW(base.as_strided({big, big}, {0, 0}), lt::ShapeError);
  try {
    base.as_strided({4}, {3}, 1);
  } catch (const lt::ShapeError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("[as_strided]", 0), 0u) << e.what();
  }
}

TEST(AsStrided, WritesThrough) {
  Tensor base = lt::zeros({6});
  base.as_strided({3}, {2}, 1).fill_(1.0);
  EXPECT_EQ(values(base), std::vector<float>({0, 1, 0, 1, 0, 1}));
}

TEST(Unfold, Windows) {
  Tensor base = iota({7});
  Tensor u = base.unfold(0, 3, 2);
  EXPECT_EQ(u.sizes(), Shape({3, 3}));
  EXPECT_EQ(u.strides(), Shape({2, 1}));
  EXPECT_TRUE(shares_storage(u, base));
  EXPECT_EQ(values(u), std::vector<float>({0, 1, 2, 2, 3, 4, 4, 5, 6}));
  Tensor m = iota({3, 4}).unfold(1, 2, 1);
  EXPECT_EQ(m.sizes(), Shape({3, 3, 2}));
  EXPECT_EQ(m.strides(), Shape({4, 1, 1}));
  EXPECT_EQ(at(m, {2, 1, 1}), 10.0f);
  Tensor rows = iota({4, 2}).unfold(0, 2, 2);
  EXPECT_EQ(rows.sizes(), Shape({2, 2, 2}));
  EXPECT_EQ(rows.strides(), Shape({4, 1, 2}));
  EXPECT_EQ(at(rows, {1, 0, 1}), 6.0f);  // window 1 starts at row 2: element (row 3, col 0)
}

TEST(Unfold, SeesWritesToBase) {
  Tensor base = lt::zeros({5});
  Tensor u = base.unfold(0, 2, 1);
  base.narrow(0, 2, 1).fill_(4.0);
  EXPECT_EQ(values(u), std::vector<float>({0, 0, 0, 4, 4, 0, 0, 0}));
  EXPECT_EQ(u.version(), base.version());
}

TEST(Unfold, EdgeCases) {
  EXPECT_EQ(lt::scalar_tensor(1.0).unfold(0, 1, 1).sizes(), Shape({1}));
  EXPECT_EQ(iota({3}).unfold(0, 0, 1).sizes(), Shape({4, 0}));
  EXPECT_EQ(iota({3}).unfold(0, 3, 5).sizes(), Shape({1, 3}));
  EXPECT_THROW(iota({7}).unfold(0, 8, 1), lt::ShapeError);
  EXPECT_THROW(iota({7}).unfold(0, 2, 0), lt::ValueError);
  EXPECT_THROW(iota({7}).unfold(1, 2, 1), lt::IndexError);
}

// --- version counter --------------------------------------------------------------------

TEST(Version, SharedByViewsNotByCopies) {
  Tensor base = lt::zeros({4, 4});
  const uint64_t v0 = base.version();
  Tensor view = base.view({16}).narrow(0, 4, 8).view({2, 4}).t();
  EXPECT_EQ(view.version(), v0);
  view.copy_(lt::ones({4, 2}));
  EXPECT_GT(base.version(), v0);
  EXPECT_EQ(view.version(), base.version());
  EXPECT_EQ(at(base, {1, 0}), 1.0f);
  EXPECT_EQ(at(base, {2, 3}), 1.0f);
  EXPECT_EQ(at(base, {3, 0}), 0.0f);

  Tensor copy = base.clone();
  const uint64_t v1 = base.version();
  copy.fill_(9.0);
  copy.add_(1.0);
  EXPECT_EQ(base.version(), v1);
  EXPECT_EQ(at(base, {0, 0}), 0.0f);
}

TEST(Version, OutOfPlaceOpsDoNotBump) {
  Tensor a = lt::ones({3});
  const uint64_t v0 = a.version();
  Tensor b = lt::add(a, a);
  Tensor c = lt::exp(a.view({3, 1}));
  Tensor d = lt::sum(a);
  EXPECT_EQ(a.version(), v0);
}

TEST(Version, EachInPlaceWriteBumps) {
  Tensor a = lt::zeros({3});
  Tensor v = a.view({3});
  const uint64_t v0 = a.version();
  v.fill_(1.0);
  const uint64_t v1 = a.version();
  EXPECT_GT(v1, v0);
  v.add_(1.0);
  const uint64_t v2 = a.version();
  EXPECT_GT(v2, v1);
  v.mul_(lt::full({3}, 2.0f));
  const uint64_t v3 = a.version();
  EXPECT_GT(v3, v2);
  v.zero_();
  EXPECT_GT(a.version(), v3);
}

// --- contiguous / clone / copy_ / to ------------------------------------------------------

const DType kAllDTypes[] = {DType::Bool,    DType::UInt8,    DType::Int8,    DType::Int16,  DType::Int32,
                            DType::Int64,   DType::Float16,  DType::BFloat16, DType::Float32, DType::Float64};
const std::vector<double> kSmallInts = {0, 1, 2, 7, 100, 0, 1, 127};

// A tensor of `dtype` holding `vals` (nonzero -> true for bool), written directly.
Tensor make(DType dtype, const std::vector<double>& vals, Shape shape) {
  Tensor t = lt::empty(shape, dtype);
  lt::visit_dtype(dtype, [&]<class T>(T) {
    for (size_t i = 0; i < vals.size(); ++i) {
      if constexpr (std::is_same_v<T, bool>) {
        t.data_ptr<T>()[i] = vals[i] != 0;
      } else if constexpr (std::is_same_v<T, lt::Half> || std::is_same_v<T, lt::BFloat16>) {
        t.data_ptr<T>()[i] = T(static_cast<float>(vals[i]));
      } else {
        t.data_ptr<T>()[i] = static_cast<T>(vals[i]);
      }
    }
  });
  return t;
}

// Element `idx` (through sizes and strides) as a double.
double get(const Tensor& t, std::vector<int64_t> idx) {
  int64_t off = 0;
  for (size_t d = 0; d < idx.size(); ++d) off += idx[d] * t.strides()[d];
  return lt::visit_dtype(t.dtype(), [&]<class T>(T) {
    T v = t.data_ptr<T>()[off];
    if constexpr (std::is_same_v<T, lt::Half> || std::is_same_v<T, lt::BFloat16>) {
      return static_cast<double>(static_cast<float>(v));
    } else {
      return static_cast<double>(v);
    }
  });
}

double expected_cast(double v, DType from, DType to) {
  if (to == DType::Bool || from == DType::Bool) return v != 0 ? 1.0 : 0.0;
  return v;
}

std::string pair_name(DType a, DType b) { return std::string(lt::name(a)) + " -> " + std::string(lt::name(b)); }

TEST(Copy, EveryPairOfDTypes) {
  for (DType from : kAllDTypes) {
    for (DType to : kAllDTypes) {
      SCOPED_TRACE(pair_name(from, to));
      Tensor src = make(from, kSmallInts, {8});
      Tensor dst = lt::empty({8}, to);
      dst.copy_(src);
      ASSERT_EQ(dst.dtype(), to);
      for (int64_t i = 0; i < 8; ++i) EXPECT_EQ(get(dst, {i}), expected_cast(kSmallInts[i], from, to)) << i;
      // And back, unchanged where nothing was lost.
      Tensor back = lt::empty({8}, from).copy_(dst);
      if (to != DType::Bool) {
        for (int64_t i = 0; i < 8; ++i) EXPECT_EQ(get(back, {i}), get(src, {i})) << i;
      }
    }
  }
}

TEST(Copy, EveryPairFromNonContiguousSource) {
  for (DType from : kAllDTypes) {
    for (DType to : kAllDTypes) {
      SCOPED_TRACE(pair_name(from, to));
      Tensor src = make(from, kSmallInts, {2, 4}).t();  // (4, 2), strides (1, 4)
      Tensor dst = lt::empty({4, 2}, to);
      dst.copy_(src);
      for (int64_t i = 0; i < 4; ++i) {
        for (int64_t j = 0; j < 2; ++j) {
          EXPECT_EQ(get(dst, {i, j}), expected_cast(kSmallInts[j * 4 + i], from, to)) << i << "," << j;
        }
      }
    }
  }
}

TEST(Copy, ToDType) {
  for (DType from : kAllDTypes) {
    for (DType to : kAllDTypes) {
      SCOPED_TRACE(pair_name(from, to));
      Tensor src = make(from, kSmallInts, {8});
      Tensor r = src.to(to);
      ASSERT_EQ(r.dtype(), to);
      EXPECT_EQ(r.sizes(), src.sizes());
      EXPECT_EQ(r.is_same(src), from == to);
      EXPECT_EQ(shares_storage(r, src), from == to);
      for (int64_t i = 0; i < 8; ++i) EXPECT_EQ(get(r, {i}), expected_cast(kSmallInts[i], from, to)) << i;
    }
  }
}

TEST(Copy, CloneAndContiguousInEveryDType) {
  for (DType dt : kAllDTypes) {
    SCOPED_TRACE(lt::name(dt));
    Tensor base = make(dt, kSmallInts, {2, 4});
    Tensor c = base.clone();
    EXPECT_FALSE(shares_storage(c, base));
    EXPECT_EQ(c.dtype(), dt);
    EXPECT_EQ(c.strides(), base.strides());
    Tensor t = base.t();
    EXPECT_TRUE(base.contiguous().is_same(base));
    Tensor tc = t.contiguous();
    EXPECT_FALSE(shares_storage(tc, base));
    EXPECT_TRUE(tc.is_contiguous());
    EXPECT_EQ(tc.strides(), Shape({2, 1}));
    for (int64_t i = 0; i < 4; ++i) {
      for (int64_t j = 0; j < 2; ++j) EXPECT_EQ(get(tc, {i, j}), get(base, {j, i}));
    }
  }
}

TEST(Copy, FloatToIntTruncates) {
  Tensor src = make(DType::Float64, {2.7, -2.7, 0.5, -0.5}, {4});
  Tensor dst = lt::empty({4}, DType::Int32).copy_(src);
  EXPECT_EQ(dst.data_ptr<int32_t>()[0], 2);
  EXPECT_EQ(dst.data_ptr<int32_t>()[1], -2);
  EXPECT_EQ(dst.data_ptr<int32_t>()[2], 0);
  EXPECT_EQ(dst.data_ptr<int32_t>()[3], 0);
  Tensor b = lt::empty({4}, DType::Bool).copy_(src);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(b.data_ptr<bool>()[i]);
}

TEST(Copy, BroadcastsSource) {
  Tensor dst = lt::zeros({2, 3});
  dst.copy_(make(DType::Int64, {1, 2, 3}, {3}));
  EXPECT_EQ(values(dst), std::vector<float>({1, 2, 3, 1, 2, 3}));
  dst.copy_(lt::scalar_tensor(5.0));
  EXPECT_EQ(values(dst), std::vector<float>({5, 5, 5, 5, 5, 5}));
  dst.copy_(make(DType::UInt8, {7, 8}, {2, 1}));
  EXPECT_EQ(values(dst), std::vector<float>({7, 7, 7, 8, 8, 8}));
}

TEST(Copy, ShapeErrorsLeaveDestinationUnchanged) {
  Tensor small = lt::zeros({3});
  EXPECT_THROW(small.copy_(lt::ones({2, 3})), lt::ShapeError);
  EXPECT_THROW(small.copy_(lt::ones({4})), lt::ShapeError);
  EXPECT_EQ(values(small), std::vector<float>({0, 0, 0}));
}

TEST(Copy, IntoAView) {
  Tensor base = lt::zeros({3, 3});
  base.select(1, 0).copy_(make(DType::Int8, {1, 2, 3}, {3}));
  EXPECT_EQ(values(base), std::vector<float>({1, 0, 0, 2, 0, 0, 3, 0, 0}));
}

// --- zero-size and 0-dim tensors --------------------------------------------------------

TEST(ZeroSize, Basics) {
  Tensor z = lt::empty({0, 3});
  EXPECT_EQ(z.numel(), 0);
  EXPECT_EQ(z.nbytes(), 0);
  EXPECT_EQ(z.sizes(), Shape({0, 3}));
  EXPECT_EQ(z.strides(), Shape({3, 1}));
  EXPECT_TRUE(z.is_contiguous());
  EXPECT_EQ(z.clone().sizes(), Shape({0, 3}));
  EXPECT_EQ(z.t().contiguous().sizes(), Shape({3, 0}));
  EXPECT_EQ(z.to(DType::Int64).sizes(), Shape({0, 3}));
  z.fill_(1.0);
  z.copy_(lt::ones({3}));
  EXPECT_EQ(lt::sum(z).item<float>(), 0.0f);
  EXPECT_EQ(lt::sum(z, {0}).sizes(), Shape({3}));
  EXPECT_EQ(lt::exp(z).sizes(), Shape({0, 3}));
}

TEST(ZeroDim, Basics) {
  Tensor s = lt::scalar_tensor(3.5, DType::Float64);
  EXPECT_EQ(s.dim(), 0);
  EXPECT_EQ(s.numel(), 1);
  EXPECT_TRUE(s.sizes().empty());
  EXPECT_TRUE(s.strides().empty());
  EXPECT_TRUE(s.is_contiguous());
  EXPECT_EQ(s.item<double>(), 3.5);
  Tensor c = s.clone();
  EXPECT_FALSE(shares_storage(c, s));
  EXPECT_EQ(c.dim(), 0);
  EXPECT_EQ(c.item<double>(), 3.5);
  EXPECT_EQ(s.to(DType::Int32).item<int32_t>(), 3);
  EXPECT_EQ(s.contiguous().dim(), 0);
  c.fill_(1.0);
  EXPECT_EQ(s.item<double>(), 3.5);
  EXPECT_EQ(lt::add(s, s).item<double>(), 7.0);
  EXPECT_EQ(lt::sum(s).dim(), 0);
}

// --- element counts that must not overflow -------------------------------------------

TEST(Numel, OverflowIsAShapeError) {
  const int64_t big = int64_t{1} << 40;
  EXPECT_THROW(lt::empty({big, big}), lt::ShapeError);
  EXPECT_THROW(lt::empty({int64_t{1} << 31, int64_t{1} << 31, 4}), lt::ShapeError);
  EXPECT_THROW(lt::empty({int64_t{1} << 62}, DType::Float64), lt::ShapeError);  // bytes overflow
  EXPECT_THROW(lt::zeros({big, big}), lt::ShapeError);
  EXPECT_THROW(lt::empty({-1}), lt::ShapeError);
  EXPECT_THROW(lt::empty({2, -3}), lt::ShapeError);
  EXPECT_THROW(lt::checked_numel({big, big, 0, -1}, "t"), lt::ShapeError);
  EXPECT_EQ(lt::checked_numel({big, big, 0}, "t"), 0);
  EXPECT_EQ(lt::checked_numel({}, "t"), 1);
  EXPECT_EQ(lt::checked_numel({big, 1 << 20}, "t"), int64_t{1} << 60);
}

TEST(Numel, MessageNamesOpAndShape) {
  try {
    lt::empty({int64_t{1} << 40, int64_t{1} << 40});
    FAIL() << "expected ShapeError";
  } catch (const lt::ShapeError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("[empty]", 0), 0u) << msg;
    EXPECT_NE(msg.find("(1099511627776, 1099511627776)"), std::string::npos) << msg;
  }
}

}  // namespace
