// Advanced indexing (index, index_put, index_put_), nonzero and the matrix products
// (bmm, mm, matmul): values against loops written here, layouts, masks, errors, and
// derivatives against finite differences.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <chrono>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "reference.h"

namespace {

using lt::DType;
using lt::Shape;
using lt::Tensor;
using lt::autograd::TensorList;
using ref::Layout;
using Indices = std::vector<std::optional<Tensor>>;

// 1-D by default; a shape of () makes a 0-dim tensor.
Tensor i64(const std::vector<int64_t>& v, std::optional<Shape> shape = {}) {
  return lt::from_vector<int64_t>(v).reshape(shape.value_or(Shape{static_cast<int64_t>(v.size())}));
}
Tensor mask(const std::vector<bool>& v, std::optional<Shape> shape = {}) {
  return lt::from_vector<bool>(v).reshape(shape.value_or(Shape{static_cast<int64_t>(v.size())}));
}
Tensor iota(Shape shape, DType t = DType::Float32) { return lt::arange(ref::numel_of(shape), t).reshape(shape); }

template <class E>
std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("<other exception> ") + e.what();
  }
  return "<no exception thrown>";
}

// --- the reference: advanced indexing by loops -----------------------------------------------

// An index tensor's value at a position of the broadcast index shape.
int64_t index_at(const Tensor& t, const std::vector<int64_t>& pos) {
  std::vector<int64_t> at(t.dim());
  const size_t lead = pos.size() - at.size();
  for (size_t d = 0; d < at.size(); ++d) at[d] = t.size(d) == 1 ? 0 : pos[lead + d];
  return static_cast<int64_t>(ref::get(t, at));
}

// The dims an index list indexes, its broadcast index shape and the result's layout
// (integer indices only; masks are turned into integers by the tests).
struct RefPlan {
  std::vector<int64_t> dims;
  std::vector<Tensor> idx;
  Shape index_shape, rest, result;
  int64_t before = 0;
};

RefPlan ref_plan(const Tensor& x, const Indices& indices) {
  RefPlan p;
  std::vector<Shape> shapes;
  for (size_t d = 0; d < indices.size(); ++d) {
    if (!indices[d]) continue;
    p.dims.push_back(static_cast<int64_t>(d));
    p.idx.push_back(*indices[d]);
    shapes.push_back(indices[d]->sizes());
  }
  p.index_shape = ref::broadcast(shapes);
  bool adjacent = true;
  for (size_t i = 1; i < p.dims.size(); ++i) adjacent = adjacent && p.dims[i] == p.dims[i - 1] + 1;
  p.before = adjacent && !p.dims.empty() ? p.dims[0] : 0;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (std::find(p.dims.begin(), p.dims.end(), d) == p.dims.end()) p.rest.push_back(x.size(d));
  }
  for (int64_t k = 0; k < p.before; ++k) p.result.push_back(p.rest[k]);
  for (int64_t s : p.index_shape) p.result.push_back(s);
  for (size_t k = p.before; k < p.rest.size(); ++k) p.result.push_back(p.rest[k]);
  return p;
}

// The position in x that result position `pos` reads.
std::vector<int64_t> source_of(const Tensor& x, const RefPlan& p, const std::vector<int64_t>& pos) {
  const size_t ni = p.index_shape.size();
  std::vector<int64_t> ipos(pos.begin() + p.before, pos.begin() + p.before + ni);
  std::vector<int64_t> rest;
  for (size_t k = 0; k < pos.size(); ++k) {
    if (k < static_cast<size_t>(p.before) || k >= p.before + ni) rest.push_back(pos[k]);
  }
  std::vector<int64_t> at(x.dim());
  size_t r = 0;
  for (int64_t d = 0; d < x.dim(); ++d) {
    auto it = std::find(p.dims.begin(), p.dims.end(), d);
    if (it == p.dims.end()) {
      at[d] = rest[r++];
    } else {
      int64_t v = index_at(p.idx[it - p.dims.begin()], ipos);
      at[d] = v < 0 ? v + x.size(d) : v;
    }
  }
  return at;
}

ref::Expected ref_index(const Tensor& x, const Indices& indices) {
  RefPlan p = ref_plan(x, indices);
  ref::Expected e{p.result, {}};
  if (ref::numel_of(p.result) == 0) return e;
  std::vector<int64_t> pos(p.result.size(), 0);
  do e.v.push_back(ref::get(x, source_of(x, p, pos)));
  while (ref::next_index(pos, p.result));
  return e;
}

// x with values written (or added) in result order, as a serial loop does.
ref::Expected ref_index_put(const Tensor& x, const Indices& indices, const Tensor& values, bool accumulate) {
  RefPlan p = ref_plan(x, indices);
  Tensor out = x.clone();
  if (ref::numel_of(p.result) > 0) {
    std::vector<int64_t> pos(p.result.size(), 0);
    do {
      std::vector<int64_t> vpos(values.dim());
      const size_t lead = pos.size() - vpos.size();
      for (size_t d = 0; d < vpos.size(); ++d) vpos[d] = values.size(d) == 1 ? 0 : pos[lead + d];
      const double v = ref::round_to(x.dtype(), ref::get(values, vpos));
      const auto at = source_of(x, p, pos);
      ref::put(out, at, accumulate ? ref::get(out, at) + v : v);
    } while (ref::next_index(pos, p.result));
  }
  return {x.sizes(), ref::values(out)};
}

// A random integer index tensor for a dim of `size`, negative values included.
Tensor random_index(Shape shape, int64_t size, uint32_t seed, DType t = DType::Int64) {
  Tensor idx = ref::random_integers(shape, t, seed, Layout::Contiguous, -size, size - 1);
  return idx;
}

// --- index: small cases by hand ----------------------------------------------------------------

TEST(Index, RowsColumnsAndPoints) {
  Tensor x = iota({3, 4});
  EXPECT_TRUE(ref::equals(lt::index(x, {i64({2, 0})}), {8, 9, 10, 11, 0, 1, 2, 3}, DType::Float32, Shape{2, 4}));
  EXPECT_TRUE(ref::equals(lt::index(x, {std::nullopt, i64({1, -1})}), {1, 3, 5, 7, 9, 11}, DType::Float32,
                          Shape{3, 2}));
  EXPECT_TRUE(ref::equals(lt::index(x, {i64({0, 2}), i64({1, 3})}), {1, 11}, DType::Float32));
  // Index tensors broadcast together.
  EXPECT_TRUE(ref::equals(lt::index(x, {i64({0, 2}, Shape{2, 1}), i64({1, 3})}), {1, 3, 9, 11}, DType::Float32,
                          Shape{2, 2}));
  // A 0-dim index removes the dim.
  EXPECT_TRUE(ref::equals(lt::index(x, {i64({1}, Shape{})}), {4, 5, 6, 7}, DType::Float32));
  // Repeats repeat.
  EXPECT_TRUE(ref::equals(lt::index(x, {std::nullopt, i64({3, 3})}), {3, 3, 7, 7, 11, 11}, DType::Float32,
                          Shape{3, 2}));
}

TEST(Index, LayoutOfTheIndexDims) {
  Tensor x = iota({2, 3, 4});
  // Adjacent index dims replace the indexed dims in place...
  Tensor a = lt::index(x, {std::nullopt, i64({0, 2}, Shape{1, 2}), i64({1})});
  EXPECT_EQ(a.sizes(), (Shape{2, 1, 2}));
  EXPECT_TRUE(ref::equals(a, {1, 9, 13, 21}, DType::Float32, Shape{2, 1, 2}));
  // ...separated ones go first.
  Tensor b = lt::index(x, {i64({0, 1}), std::nullopt, i64({1, 2})});
  EXPECT_EQ(b.sizes(), (Shape{2, 3}));
  EXPECT_TRUE(ref::equals(b, {1, 5, 9, 14, 18, 22}, DType::Float32, Shape{2, 3}));
  // A trailing whole dim given as nullopt is the same as leaving it out.
  EXPECT_EQ(lt::index(x, {std::nullopt, i64({2})}).sizes(), (Shape{2, 1, 4}));
  EXPECT_EQ(lt::index(x, {std::nullopt, i64({2}), std::nullopt}).sizes(), (Shape{2, 1, 4}));
}

TEST(Index, IndexDTypes) {
  Tensor x = iota({5});
  for (DType t : {DType::Int64, DType::Int32, DType::Int16, DType::Int8}) {
    Tensor idx = lt::from_vector<int64_t>({4, -5, 2}).to(t);
    EXPECT_TRUE(ref::equals(lt::index(x, {idx}), {4, 0, 2}, DType::Float32)) << ref::dname(t);
  }
  EXPECT_THROW(lt::index(x, {lt::ones({2})}), lt::IndexError);
}

TEST(Index, Masks) {
  Tensor x = iota({3, 4});
  EXPECT_TRUE(ref::equals(lt::index(x, {lt::gt(x, 8)}), {9, 10, 11}, DType::Float32));
  // uint8 masks are masks too.
  EXPECT_TRUE(ref::equals(lt::index(x, {lt::gt(x, 8).to(DType::UInt8)}), {9, 10, 11}, DType::Float32));
  Tensor cols = mask({true, false, false, true});
  EXPECT_TRUE(ref::equals(lt::index(x, {std::nullopt, cols}), {0, 3, 4, 7, 8, 11}, DType::Float32, Shape{3, 2}));
  // A 2-D mask over dims 1 and 2 of a 3-D tensor.
  Tensor y = iota({2, 3, 4});
  Tensor m = lt::eq(lt::remainder(iota({3, 4}, DType::Int64), 5), 0);  // elements 0, 5, 10
  EXPECT_TRUE(ref::equals(lt::index(y, {std::nullopt, m}), {0, 5, 10, 12, 17, 22}, DType::Float32, Shape{2, 3}));
  // A mask and an integer index together.
  EXPECT_TRUE(ref::equals(lt::index(x, {i64({2, 0}), cols}), {8, 3}, DType::Float32));
  // A mask selecting nothing.
  EXPECT_EQ(lt::index(x, {lt::gt(x, 100)}).sizes(), (Shape{0}));
  // 0-dim masks add a dim of size 1 (true) or 0 (false), as NumPy does.
  EXPECT_EQ(lt::index(x, {mask({true}, Shape{})}).sizes(), (Shape{1, 3, 4}));
  EXPECT_EQ(lt::index(x, {mask({false}, Shape{})}).sizes(), (Shape{0, 3, 4}));
  EXPECT_TRUE(ref::equals(lt::index(lt::scalar_tensor(7.0), {mask({true}, Shape{})}), {7}, DType::Float32));
}

TEST(Index, EdgeCases) {
  Tensor x = iota({3, 4});
  // No index: a copy.
  Tensor c = lt::index(x, {});
  EXPECT_TRUE(ref::equals(c, ref::values(x), DType::Float32, Shape{3, 4}));
  EXPECT_NE(c.data(), x.data());
  EXPECT_TRUE(ref::equals(lt::index(lt::scalar_tensor(3.0), {}), {3}, DType::Float32, Shape{}));
  // Empty index tensors, and indexing an empty dim with one.
  EXPECT_EQ(lt::index(x, {i64({}, Shape{0})}).sizes(), (Shape{0, 4}));
  EXPECT_EQ(lt::index(x, {i64({}, Shape{2, 0}), std::nullopt}).sizes(), (Shape{2, 0, 4}));
  EXPECT_EQ(lt::index(lt::zeros({0, 2}), {i64({}, Shape{0})}).sizes(), (Shape{0, 2}));
  EXPECT_EQ(lt::index(lt::zeros({2, 0}), {i64({1, 1, 0})}).sizes(), (Shape{3, 0}));
  // Every dtype of x.
  for (DType t : ref::kAllDTypes) {
    Tensor v = ref::random_integers({4, 3}, t, 3, Layout::Contiguous, 0, 1);
    Indices idx{i64({3, 0, 3}), i64({1})};
    EXPECT_TRUE(ref::matches(lt::index(v, idx), ref_index(v, idx), t)) << ref::dname(t);
  }
}

TEST(Index, NonContiguousInputsAndIndices) {
  for (Layout layout : ref::kLayouts) {
    Tensor x = ref::random_tensor({4, 5, 6}, DType::Float64, 11, layout);
    Tensor wide = random_index({3, 4}, 5, 12);
    Tensor strided_idx = wide.slice(1, 0, 4, 2);  // (3, 2), non-contiguous
    Tensor expanded_idx = random_index({1, 2}, 6, 13).expand({3, 2});
    for (const Indices& idx : std::vector<Indices>{
             {std::nullopt, strided_idx},
             {random_index({3, 2}, 4, 14), strided_idx, expanded_idx},
             {random_index({2}, 4, 15), std::nullopt, random_index({3, 1}, 6, 16)},
             {std::nullopt, std::nullopt, expanded_idx},
             {random_index({}, 4, 17), std::nullopt, random_index({5}, 6, 18)},
         }) {
      EXPECT_TRUE(ref::matches(lt::index(x, idx), ref_index(x, idx), DType::Float64)) << ref::layout_name(layout);
    }
  }
}

TEST(Index, RandomCases) {
  std::mt19937 g(5);
  for (int trial = 0; trial < 60; ++trial) {
    const int64_t nd = 1 + g() % 4;
    Shape shape;
    for (int64_t d = 0; d < nd; ++d) shape.push_back(static_cast<int64_t>(1 + g() % 4));
    Layout layout = ref::kLayouts[g() % ref::kLayouts.size()];
    Tensor x = ref::random_tensor(shape, DType::Float32, trial, layout);
    const int64_t count = 1 + static_cast<int64_t>(g() % nd);
    Indices idx(count);
    Shape ishape;
    const int64_t ni = static_cast<int64_t>(g() % 3);
    for (int64_t d = 0; d < ni; ++d) ishape.push_back(static_cast<int64_t>(1 + g() % 3));
    for (int64_t d = 0; d < count; ++d) {
      if (g() % 3 == 0) continue;
      Shape s = ishape;
      if (!s.empty() && g() % 2) s[g() % s.size()] = 1;  // broadcast
      const auto seed = static_cast<uint32_t>(trial * 10 + d);
      idx[d] = random_index(s, shape[d], seed, g() % 2 ? DType::Int64 : DType::Int32);
    }
    EXPECT_TRUE(ref::matches(lt::index(x, idx), ref_index(x, idx), DType::Float32))
        << "trial " << trial << " shape " << ref::shape_str(shape);
  }
}

TEST(Index, BigMaskIsFast) {
  // x[x > 0] on a million elements: a gather, not an operator per element.
  Tensor x = lt::randn({1 << 20});
  const auto t0 = std::chrono::steady_clock::now();
  Tensor y = lt::index(x, {lt::gt(x, 0)});
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const int64_t n = lt::sum(lt::gt(x, 0)).item<int64_t>();
  EXPECT_EQ(y.numel(), n);
  EXPECT_TRUE(lt::all(lt::gt(y, 0)).item<bool>());
  EXPECT_NEAR(lt::sum(y, {}, false, DType::Float64).item<double>(),
              lt::sum(lt::where(lt::gt(x, 0), x, lt::zeros({1})), {}, false, DType::Float64).item<double>(), 1e-6);
  EXPECT_LT(ms, 500.0);  // a few milliseconds in practice
}

// --- index: errors ------------------------------------------------------------------------------

TEST(IndexErrors, OutOfBounds) {
  Tensor x = iota({3});
  EXPECT_EQ(message_of<lt::IndexError>([&] { lt::index(x, {i64({0, 5})}); }),
            "[index] index 5 is out of bounds for dimension 0 with size 3");
  EXPECT_EQ(message_of<lt::IndexError>([&] { lt::index(x, {i64({-4})}); }),
            "[index] index -4 is out of bounds for dimension 0 with size 3");
  Tensor y = iota({2, 3});
  EXPECT_EQ(message_of<lt::IndexError>([&] { lt::index(y, {std::nullopt, i64({3})}); }),
            "[index] index 3 is out of bounds for dimension 1 with size 3");
  EXPECT_EQ(message_of<lt::IndexError>([&] { lt::index(lt::zeros({0}), {i64({0})}); }),
            "[index] index 0 is out of bounds for dimension 0 with size 0");
  EXPECT_EQ(message_of<lt::IndexError>([&] { lt::index_put(x, {i64({3})}, lt::ones({})); }),
            "[index_put] index 3 is out of bounds for dimension 0 with size 3");
}

TEST(IndexErrors, OutOfBoundsAmongManyIndices) {
  // Long enough for the offsets to be computed on several threads.
  Tensor x = lt::zeros({10, 2});
  Tensor idx = lt::remainder(lt::arange(200000), 10);
  lt::index_put_(idx, {i64({123457})}, lt::scalar_tensor(int64_t{-11}));
  EXPECT_EQ(message_of<lt::IndexError>([&] { lt::index_put_(x, {idx}, lt::ones({})); }),
            "[index_put_] index -11 is out of bounds for dimension 0 with size 10");
  EXPECT_TRUE(ref::equals(x, std::vector<double>(20, 0.0), DType::Float32, Shape{10, 2}));
}

TEST(IndexErrors, ShapesAndTypes) {
  Tensor x = iota({3, 4});
  EXPECT_EQ(message_of<lt::IndexError>([&] { lt::index(x, {lt::ones({3, 5}, DType::Bool)}); }),
            "[index] mask of shape (3, 5) does not match the indexed shape (3, 4) at dim 1");
  EXPECT_EQ(message_of<lt::IndexError>([&] { lt::index(x, {std::nullopt, lt::ones({3}, DType::Bool)}); }),
            "[index] mask of shape (3,) does not match the indexed shape (4,) at dim 1");
  EXPECT_EQ(message_of<lt::IndexError>([&] { lt::index(x, {i64({0, 1}), i64({0, 1, 2})}); }),
            "[index] shape mismatch: indexing tensors could not be broadcast together with shapes (2,), (3,)");
  EXPECT_EQ(message_of<lt::IndexError>([&] { lt::index(x, {i64({0}), i64({0}), i64({0})}); }),
            "[index] too many indices for tensor of dimension 2 (got 3)");
  EXPECT_EQ(message_of<lt::IndexError>([&] { lt::index(x, {std::nullopt, lt::ones({4, 1}, DType::Bool)}); }),
            "[index] too many indices for tensor of dimension 2 (got 3)");
  EXPECT_THROW(lt::index(lt::scalar_tensor(1.0), {i64({0})}), lt::IndexError);
  EXPECT_EQ(message_of<lt::IndexError>([&] { lt::index(x, {lt::zeros({2})}); }),
            "[index] tensors used as indices must be integral (int64, int32, ...) or bool tensors, got float32");
  EXPECT_THROW(lt::index(Tensor(), {}), lt::ValueError);
}

// --- index_put --------------------------------------------------------------------------------

TEST(IndexPut, WriteAndAccumulate) {
  Tensor x = lt::zeros({5});
  Tensor idx = i64({0, 2, 2, -1});
  Tensor v = lt::from_vector<float>({1, 2, 3, 4});
  EXPECT_TRUE(ref::equals(lt::index_put(x, {idx}, v, true), {1, 0, 5, 0, 4}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::index_put(x, {idx}, v), {1, 0, 3, 0, 4}, DType::Float32));  // the last write wins
  EXPECT_TRUE(ref::equals(x, {0, 0, 0, 0, 0}, DType::Float32));                          // out of place
  // Values broadcast and are cast to x's dtype.
  Tensor y = iota({3, 4});
  EXPECT_TRUE(ref::equals(lt::index_put(y, {std::nullopt, i64({1, 3})}, lt::scalar_tensor(int64_t{-1})),
                          {0, -1, 2, -1, 4, -1, 6, -1, 8, -1, 10, -1}, DType::Float32, Shape{3, 4}));
  EXPECT_TRUE(ref::equals(lt::index_put(y, {i64({2, 0})}, lt::from_vector<double>({0.5, 1.5, 2.5, 3.5})),
                          {0.5, 1.5, 2.5, 3.5, 4, 5, 6, 7, 0.5, 1.5, 2.5, 3.5}, DType::Float32, Shape{3, 4}));
  // Integer and bool destinations; accumulate on bool is logical or.
  Tensor n = lt::zeros({4}, DType::Int32);
  EXPECT_TRUE(ref::equals(lt::index_put(n, {i64({1, 1, 3})}, lt::scalar_tensor(int64_t{7}), true), {0, 14, 0, 7},
                          DType::Int32));
  Tensor b = lt::zeros({3}, DType::Bool);
  EXPECT_TRUE(ref::equals(lt::index_put(b, {i64({1, 1})}, mask({true, false}), true), {0, 1, 0}, DType::Bool));
  // Masks: x[x > 5] = 0.
  EXPECT_TRUE(ref::equals(lt::index_put(y, {lt::gt(y, 5)}, lt::zeros({})), {0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0},
                          DType::Float32, Shape{3, 4}));
  // No index: the whole tensor.
  EXPECT_TRUE(ref::equals(lt::index_put(lt::zeros({2}), {}, lt::ones({2}), true), {1, 1}, DType::Float32));
}

TEST(IndexPut, InPlaceThroughViews) {
  Tensor base = lt::zeros({3, 4});
  Tensor t = base.t();  // (4, 3), non-contiguous
  const uint64_t version = base.version();
  Tensor& r = lt::index_put_(t, {i64({1, 3}), i64({2, 0})}, lt::from_vector<float>({5, 6}));
  EXPECT_TRUE(r.is_same(t));
  EXPECT_GT(base.version(), version);
  EXPECT_TRUE(ref::equals(base, {0, 0, 0, 6, 0, 0, 0, 0, 0, 5, 0, 0}, DType::Float32, Shape{3, 4}));
  // Values that alias the destination are read before the write.
  Tensor x = iota({5});
  lt::index_put_(x, {i64({1, 2, 3, 4})}, x.slice(0, 0, 4));
  EXPECT_TRUE(ref::equals(x, {0, 0, 1, 2, 3}, DType::Float32));
}

TEST(IndexPut, RandomCasesAgainstLoops) {
  std::mt19937 g(9);
  for (int trial = 0; trial < 40; ++trial) {
    Shape shape;
    for (int d = 0; d < 3; ++d) shape.push_back(static_cast<int64_t>(2 + g() % 3));
    Layout layout = ref::kLayouts[g() % 3];  // not expanded: a destination must not overlap itself
    Tensor x = ref::random_tensor(shape, DType::Float64, trial, layout);
    Indices idx(3);
    const int pattern = trial % 4;
    if (pattern == 0) idx = {random_index({4}, shape[0], trial)};
    if (pattern == 1) idx = {std::nullopt, random_index({2, 3}, shape[1], trial), random_index({3}, shape[2], trial + 1)};
    if (pattern == 2) idx = {random_index({3}, shape[0], trial), std::nullopt, random_index({1}, shape[2], trial + 1)};
    if (pattern == 3) idx = {std::nullopt, std::nullopt, random_index({5}, shape[2], trial)};
    const Shape result = ref_plan(x, idx).result;
    Shape vshape(result.begin() + (g() % 2), result.end());  // sometimes broadcast over the first dim
    if (!vshape.empty() && g() % 2) vshape.back() = 1;
    Tensor values = ref::random_tensor(vshape, g() % 2 ? DType::Float64 : DType::Float32, trial + 100,
                                       ref::kLayouts[g() % 4]);
    for (bool acc : {false, true}) {
      EXPECT_TRUE(ref::matches(lt::index_put(x, idx, values, acc), ref_index_put(x, idx, values, acc), DType::Float64,
                               ref::tight(DType::Float64)))
          << "trial " << trial << " accumulate " << acc;
      Tensor y = ref::random_tensor(shape, DType::Float64, trial, layout);
      lt::index_put_(y, idx, values, acc);
      EXPECT_TRUE(ref::matches(y, ref_index_put(x, idx, values, acc), DType::Float64, ref::tight(DType::Float64)));
    }
  }
}

TEST(IndexPut, FailedWriteChangesNothing) {
  Tensor x = iota({4});
  const uint64_t version = x.version();
  const std::vector<double> before = ref::values(x);
  // The bad index comes after good ones.
  EXPECT_EQ(message_of<lt::IndexError>([&] { lt::index_put_(x, {i64({0, 1, 2, 9})}, lt::full({4}, 5.0)); }),
            "[index_put_] index 9 is out of bounds for dimension 0 with size 4");
  EXPECT_EQ(message_of<lt::ShapeError>([&] { lt::index_put_(x, {i64({0, 1})}, lt::ones({3})); }),
            "[index_put_] shape mismatch: value tensor of shape (3,) cannot be broadcast to indexing result of "
            "shape (2,)");
  EXPECT_THROW(lt::index_put_(x, {i64({0, 1})}, lt::ones({1, 2})), lt::ShapeError);
  EXPECT_THROW(lt::index_put_(x, {lt::ones({3}, DType::Bool)}, lt::ones({})), lt::IndexError);
  EXPECT_THROW(lt::index_put_(x, {i64({0}), i64({0})}, lt::ones({})), lt::IndexError);
  EXPECT_THROW(lt::index_put_(x, {i64({0})}, Tensor()), lt::ValueError);
  Tensor expanded = lt::zeros({1}).expand({3});
  EXPECT_THROW(lt::index_put_(expanded, {i64({0})}, lt::ones({})), lt::ValueError);
  // Under autograd: a leaf that requires grad is refused, and nothing is written.
  Tensor leaf = lt::zeros({3}, DType::Float64);
  leaf.requires_grad_();
  EXPECT_THROW(lt::index_put_(leaf, {i64({0})}, lt::ones({}, DType::Float64)), lt::AutogradError);
  EXPECT_TRUE(ref::equals(leaf.detach(), {0, 0, 0}, DType::Float64));
  Tensor y = leaf * 1;
  EXPECT_THROW(lt::index_put_(y, {i64({7})}, lt::ones({}, DType::Float64)), lt::IndexError);
  EXPECT_TRUE(ref::equals(y.detach(), {0, 0, 0}, DType::Float64));
  EXPECT_EQ(x.version(), version);
  EXPECT_EQ(ref::values(x), before);
}

// --- nonzero ----------------------------------------------------------------------------------

TEST(Nonzero, SmallCases) {
  Tensor x = lt::from_vector<float>({0, 1.5, 0, -2, 0, 0}, {2, 3});
  Tensor nz = lt::nonzero(x);
  EXPECT_TRUE(ref::equals(nz, {0, 1, 1, 0}, DType::Int64, Shape{2, 2}));
  EXPECT_TRUE(ref::equals(lt::nonzero(x.t()), {0, 1, 1, 0}, DType::Int64, Shape{2, 2}));  // (3, 2): (1,0), (0,1)
  // NaN is nonzero; -0.0 is zero.
  Tensor f = lt::from_vector<double>({-0.0, std::nan(""), 0.0});
  EXPECT_TRUE(ref::equals(lt::nonzero(f), {1}, DType::Int64, Shape{1, 1}));
  // 0-dim inputs give (n, 0); empty inputs (0, ndim).
  EXPECT_EQ(lt::nonzero(lt::scalar_tensor(3)).sizes(), (Shape{1, 0}));
  EXPECT_EQ(lt::nonzero(lt::scalar_tensor(0)).sizes(), (Shape{0, 0}));
  EXPECT_EQ(lt::nonzero(lt::zeros({2, 0, 3})).sizes(), (Shape{0, 3}));
  for (DType t : ref::kAllDTypes) {
    Tensor v = ref::random_integers({3, 4}, t, 21, Layout::Strided, 0, 1);
    std::vector<double> want;
    std::vector<int64_t> pos(2, 0);
    int64_t count = 0;
    do {
      if (ref::get(v, pos) != 0) {
        want.push_back(static_cast<double>(pos[0]));
        want.push_back(static_cast<double>(pos[1]));
        ++count;
      }
    } while (ref::next_index(pos, Shape{3, 4}));
    EXPECT_TRUE(ref::equals(lt::nonzero(v), want, DType::Int64, Shape{count, 2})) << ref::dname(t);
  }
}

TEST(Nonzero, ManyBlocks) {
  // Over 65536 elements: several blocks, counted and filled in parallel.
  Tensor x = lt::gt(lt::rand({300, 701}, DType::Float64), 0.7);
  Tensor nz = lt::nonzero(x);
  const std::vector<double> xv = ref::values(x);
  std::vector<double> want;
  for (int64_t i = 0; i < static_cast<int64_t>(xv.size()); ++i) {
    if (xv[i] != 0) {
      want.push_back(static_cast<double>(i / 701));
      want.push_back(static_cast<double>(i % 701));
    }
  }
  EXPECT_TRUE(ref::equals(nz, want, DType::Int64, Shape{static_cast<int64_t>(want.size() / 2), 2}));
  // 1-D: the positions themselves.
  std::vector<double> flat_want;
  for (int64_t i = 0; i < static_cast<int64_t>(xv.size()); ++i) {
    if (xv[i] != 0) flat_want.push_back(static_cast<double>(i));
  }
  EXPECT_TRUE(ref::equals(lt::nonzero(x.reshape({-1})), flat_want, DType::Int64,
                          Shape{static_cast<int64_t>(flat_want.size()), 1}));
}

// --- matrix products ----------------------------------------------------------------------------

// a (..., n, k) x b (..., k, m) by loops, batch dims broadcast, with PyTorch's 1-D rules.
ref::Expected ref_matmul(const Tensor& a, const Tensor& b) {
  Tensor A = a.dim() == 1 ? a.unsqueeze(0) : a;
  Tensor B = b.dim() == 1 ? b.unsqueeze(1) : b;
  const int64_t n = A.size(-2), k = A.size(-1), m = B.size(-1);
  Shape ba(A.sizes().begin(), A.sizes().end() - 2), bb(B.sizes().begin(), B.sizes().end() - 2);
  Shape batch = ref::broadcast({ba, bb});
  Shape full = batch;
  full.push_back(n);
  full.push_back(m);
  ref::Expected e{full, {}};
  std::vector<int64_t> bpos(batch.size(), 0);
  auto at = [](const Tensor& t, const std::vector<int64_t>& bp, int64_t i, int64_t j) {
    std::vector<int64_t> pos(t.dim());
    const size_t nb = pos.size() - 2, lead = bp.size() - nb;
    for (size_t d = 0; d < nb; ++d) pos[d] = t.size(d) == 1 ? 0 : bp[lead + d];
    pos[nb] = i;
    pos[nb + 1] = j;
    return ref::get(t, pos);
  };
  if (ref::numel_of(full) > 0) {
    do {
      for (int64_t i = 0; i < n; ++i) {
        for (int64_t j = 0; j < m; ++j) {
          double s = 0;
          for (int64_t q = 0; q < k; ++q) s += at(A, bpos, i, q) * at(B, bpos, q, j);
          e.v.push_back(s);
        }
      }
    } while (ref::next_index(bpos, batch));
  }
  Shape shape = batch;
  if (a.dim() > 1) shape.push_back(n);
  if (b.dim() > 1) shape.push_back(m);
  e.shape = shape;
  return e;
}

TEST(Matmul, ByHand) {
  Tensor a = lt::from_vector<float>({1, 2, 3, 4}, {2, 2});
  Tensor b = lt::from_vector<float>({5, 6, 7, 8}, {2, 2});
  EXPECT_TRUE(ref::equals(lt::mm(a, b), {19, 22, 43, 50}, DType::Float32, Shape{2, 2}));
  EXPECT_TRUE(ref::equals(lt::matmul(a, b), {19, 22, 43, 50}, DType::Float32, Shape{2, 2}));
  EXPECT_TRUE(ref::equals(lt::bmm(a.unsqueeze(0), b.unsqueeze(0)), {19, 22, 43, 50}, DType::Float32, Shape{1, 2, 2}));
  Tensor dot = lt::matmul(lt::from_vector<float>({1, 2, 3}), lt::from_vector<float>({4, 5, 6}));
  EXPECT_EQ(dot.dim(), 0);
  EXPECT_EQ(dot.item<float>(), 32);
  EXPECT_TRUE(ref::equals(lt::matmul(a, lt::from_vector<float>({1, 1})), {3, 7}, DType::Float32));
  EXPECT_TRUE(ref::equals(lt::matmul(lt::from_vector<float>({1, 1}), a), {4, 6}, DType::Float32));
}

TEST(Matmul, ShapesAgainstLoops) {
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{3}, {3}},          {{2, 3}, {3}},          {{3}, {3, 4}},       {{2, 3}, {3, 4}},
      {{5, 2, 3}, {3}},    {{3}, {5, 3, 4}},       {{5, 2, 3}, {3, 4}}, {{2, 3}, {5, 3, 4}},
      {{5, 2, 3}, {5, 3, 4}}, {{2, 1, 3, 4}, {5, 4, 2}}, {{1, 2, 3}, {4, 1, 3, 2}}, {{6, 1, 2, 3}, {3, 2}},
      {{2, 0}, {0, 3}},    {{0, 3}, {3, 2}},       {{4, 0, 3}, {3, 5}}, {{2, 3}, {0, 3, 1}},
  };
  for (const auto& [sa, sb] : cases) {
    for (Layout layout : {Layout::Contiguous, Layout::Transposed, Layout::Strided}) {
      Tensor a = ref::random_tensor(sa, DType::Float64, 1, layout);
      Tensor b = ref::random_tensor(sb, DType::Float64, 2, layout);
      EXPECT_TRUE(ref::matches(lt::matmul(a, b), ref_matmul(a, b), DType::Float64, {4, 1e-12, 0}))
          << ref::shape_str(sa) << " x " << ref::shape_str(sb) << " " << ref::layout_name(layout);
    }
  }
  // A broadcast (expanded) operand.
  Tensor a = ref::random_tensor({3, 2, 4}, DType::Float32, 3, Layout::Expanded);
  Tensor b = ref::random_tensor({3, 4, 2}, DType::Float32, 4, Layout::Transposed);
  EXPECT_TRUE(ref::matches(lt::matmul(a, b), ref_matmul(a, b), DType::Float32, {0, 1e-3, 1e-5}));
}

TEST(Matmul, LargerThanOneTile) {
  // Several row blocks and column tiles, and a ragged edge in both.
  Tensor a = ref::random_tensor({2, 37, 129}, DType::Float64, 5, Layout::Contiguous, -1, 1);
  Tensor b = ref::random_tensor({2, 129, 301}, DType::Float64, 6, Layout::Transposed, -1, 1);
  EXPECT_TRUE(ref::matches(lt::bmm(a, b), ref_matmul(a, b), DType::Float64, {0, 1e-12, 1e-12}));
}

TEST(Matmul, DTypes) {
  for (DType t : ref::kAllDTypes) {
    if (t == DType::Bool) continue;
    Tensor a = ref::random_integers({2, 3, 5}, t, 7, Layout::Contiguous, -3, 3);
    Tensor b = ref::random_integers({5, 4}, t, 8, Layout::Transposed, -3, 3);
    if (t == DType::UInt8) {
      a = ref::random_integers({2, 3, 5}, t, 7, Layout::Contiguous, 0, 3);
      b = ref::random_integers({5, 4}, t, 8, Layout::Transposed, 0, 3);
    }
    // Small whole numbers: every dtype holds the exact products and sums.
    EXPECT_TRUE(ref::matches(lt::matmul(a, b), ref_matmul(a, b), t)) << ref::dname(t);
  }
  // float16 accumulates in float: 4096 ones add up to 4096, where float16 sums would stop at 2048.
  Tensor h = lt::ones({1, 4096}, DType::Float16);
  EXPECT_EQ(lt::mm(h, lt::ones({4096, 1}, DType::Float16)).item<float>(), 4096.0f);
}

TEST(Matmul, BlasLayoutsOfFloat32) {
  // Large enough for BLAS's own blocking; operands transposed, sliced with steps (copied
  // first) and broadcast over the batch (stride 0, read in place).
  for (Layout la : {Layout::Contiguous, Layout::Transposed, Layout::Strided}) {
    for (Layout lb : {Layout::Contiguous, Layout::Transposed, Layout::Expanded}) {
      Tensor a = ref::random_tensor({3, 67, 130}, DType::Float32, 11, la, -1, 1);
      Tensor b = ref::random_tensor({3, 130, 45}, DType::Float32, 12, lb, -1, 1);
      EXPECT_TRUE(ref::matches(lt::bmm(a, b), ref_matmul(a, b), DType::Float32, {0, 1e-4, 1e-4}))
          << ref::layout_name(la) << " x " << ref::layout_name(lb);
    }
  }
}

TEST(Products, VectorsAndScaledSums) {
  Tensor a = lt::from_vector<float>({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor v = lt::from_vector<float>({1, 0, -1});
  EXPECT_TRUE(ref::equals(lt::mv(a, v), {-2, -2}, DType::Float32, Shape{2}));
  EXPECT_TRUE(ref::equals(lt::matmul(a, v), {-2, -2}, DType::Float32, Shape{2}));
  Tensor d = lt::dot(v, lt::from_vector<float>({4, 5, 6}));
  EXPECT_EQ(d.dim(), 0);
  EXPECT_EQ(d.item<float>(), -2);
  EXPECT_TRUE(ref::equals(lt::outer(lt::from_vector<float>({1, 2}), v), {1, 0, -1, 2, 0, -2}, DType::Float32,
                          Shape{2, 3}));
  Tensor input = lt::from_vector<float>({10, 20});  // broadcast over the rows
  Tensor id = lt::from_vector<float>({1, 0, 0, 1, 0, 0}, {3, 2});
  EXPECT_TRUE(ref::equals(lt::addmm(input, a, id, 0.5, 2), {7, 14, 13, 20}, DType::Float32, Shape{2, 2}));
  // beta = 0 ignores the input, NaNs included.
  Tensor nan = lt::full({2, 2}, std::nan(""), DType::Float32);
  EXPECT_TRUE(ref::equals(lt::addmm(nan, a, id, 0), {1, 2, 4, 5}, DType::Float32, Shape{2, 2}));
  EXPECT_TRUE(ref::equals(lt::baddbmm(input, a.unsqueeze(0), id.unsqueeze(0), 1, 1), {11, 22, 14, 25},
                          DType::Float32, Shape{1, 2, 2}));
  // Integers: the scales are cast to the dtype first (0.6 -> 0), as in PyTorch.
  Tensor ia = lt::ones({2, 2}, DType::Int64);
  EXPECT_TRUE(ref::equals(lt::addmm(ia, ia, ia, 2, 3), {8, 8, 8, 8}, DType::Int64, Shape{2, 2}));
  EXPECT_TRUE(ref::equals(lt::addmm(ia, ia, ia, 0.2, 0.6), {0, 0, 0, 0}, DType::Int64, Shape{2, 2}));
  // linear: x (..., in) @ w.T + b, any number of batch dims.
  Tensor x = ref::random_tensor({2, 3, 4}, DType::Float64, 13, Layout::Transposed);
  Tensor w = ref::random_tensor({5, 4}, DType::Float64, 14, Layout::Contiguous);
  Tensor b = ref::random_tensor({5}, DType::Float64, 15, Layout::Contiguous);
  ref::Expected expected = ref_matmul(x, w.t());
  std::vector<double> bias = ref::values(b);
  for (size_t i = 0; i < expected.v.size(); ++i) expected.v[i] += bias[i % 5];
  EXPECT_TRUE(ref::matches(lt::linear(x, w, b), expected, DType::Float64, {4, 1e-12, 0}));
  EXPECT_EQ(lt::linear(x.select(0, 0).select(0, 0), w).sizes(), Shape{5});
}

TEST(Products, Errors) {
  EXPECT_EQ(message_of<lt::ShapeError>([] { lt::mv(lt::ones({2, 3}), lt::ones({4})); }),
            "[mv] shapes (2, 3) and (4,) are not aligned: 3 != 4");
  EXPECT_THROW(lt::mv(lt::ones({3}), lt::ones({3})), lt::ShapeError);
  EXPECT_EQ(message_of<lt::ShapeError>([] { lt::dot(lt::ones({3}), lt::ones({4})); }),
            "[dot] shapes (3,) and (4,) are not aligned: 3 != 4");
  EXPECT_THROW(lt::dot(lt::ones({3}), lt::ones({3}, DType::Float64)), lt::DTypeError);
  EXPECT_THROW(lt::outer(lt::ones({2, 2}), lt::ones({3})), lt::ShapeError);
  EXPECT_EQ(message_of<lt::ShapeError>([] { lt::addmm(lt::ones({3, 3}), lt::ones({2, 2}), lt::ones({2, 2})); }),
            "[addmm] shapes (3, 3) and (2, 2) cannot be broadcast");
  EXPECT_THROW(lt::addmm(lt::ones({2}, DType::Float64), lt::ones({2, 2}), lt::ones({2, 2})), lt::DTypeError);
  EXPECT_THROW(lt::baddbmm(lt::ones({2}), lt::ones({2, 2}), lt::ones({2, 2})), lt::ShapeError);
  EXPECT_THROW(lt::linear(lt::ones({2, 3}), lt::ones({3})), lt::ShapeError);
  EXPECT_THROW(lt::linear(lt::ones({2, 3}), lt::ones({4, 2})), lt::ShapeError);
}

TEST(Matmul, Errors) {
  EXPECT_EQ(message_of<lt::ShapeError>([] { lt::matmul(lt::ones({2, 3}), lt::ones({4, 5})); }),
            "[matmul] shapes (2, 3) and (4, 5) are not aligned: 3 != 4");
  EXPECT_EQ(message_of<lt::ShapeError>([] { lt::matmul(lt::ones({3}), lt::ones({4})); }),
            "[matmul] shapes (3,) and (4,) are not aligned: 3 != 4");
  EXPECT_EQ(message_of<lt::ShapeError>([] { lt::matmul(lt::ones({2, 2, 3}), lt::ones({2})); }),
            "[matmul] shapes (2, 2, 3) and (2,) are not aligned: 3 != 2");
  EXPECT_EQ(message_of<lt::DTypeError>([] { lt::matmul(lt::ones({2, 3}), lt::ones({3, 2}, DType::Float64)); }),
            "[matmul] dtypes float32 and float64 differ");
  EXPECT_THROW(lt::matmul(lt::ones({2, 2}, DType::Bool), lt::ones({2, 2}, DType::Bool)), lt::DTypeError);
  EXPECT_THROW(lt::matmul(lt::ones({}), lt::ones({2})), lt::ShapeError);
  EXPECT_THROW(lt::matmul(lt::ones({2, 2, 3}), lt::ones({3, 3, 2})), lt::ShapeError);  // batch 2 vs 3
  EXPECT_EQ(message_of<lt::ShapeError>([] { lt::mm(lt::ones({2, 3}), lt::ones({2, 3})); }),
            "[mm] shapes (2, 3) and (2, 3) are not aligned: 3 != 2");
  EXPECT_THROW(lt::mm(lt::ones({2, 3, 1}), lt::ones({1, 3})), lt::ShapeError);
  EXPECT_THROW(lt::bmm(lt::ones({2, 3}), lt::ones({3, 2})), lt::ShapeError);
  EXPECT_THROW(lt::bmm(lt::ones({2, 2, 3}), lt::ones({3, 3, 2})), lt::ShapeError);
  EXPECT_EQ(message_of<lt::ShapeError>([] { lt::bmm(lt::ones({2, 2, 3}), lt::ones({2, 2, 2})); }),
            "[bmm] shapes (2, 2, 3) and (2, 2, 2) are not aligned: 3 != 2");
  EXPECT_THROW(lt::bmm(lt::ones({1, 2, 2}, DType::Int32), lt::ones({1, 2, 2}, DType::Int64)), lt::DTypeError);
}

// --- derivatives ----------------------------------------------------------------------------------

TensorList one(Tensor t) { return {std::move(t)}; }

// A float64 leaf with values in [-2, 2], contiguous or as a strided view.
Tensor leaf(Shape shape, bool strided = false) {
  Tensor x;
  if (strided && !shape.empty()) {
    Shape wide = shape;
    wide.back() *= 2;
    x = (lt::rand(wide, DType::Float64) * 4 - 2).slice(-1, 0, wide.back(), 2);
  } else {
    x = lt::rand(shape, DType::Float64) * 4 - 2;
  }
  x.requires_grad_();
  return x;
}

void check_both_orders(const lt::autograd::GradcheckFunction& fn, const TensorList& inputs) {
  EXPECT_TRUE(lt::autograd::gradcheck(fn, inputs));
  EXPECT_TRUE(lt::autograd::gradgradcheck(fn, inputs));
}

TEST(IndexingGrad, Index) {
  lt::manual_seed(3);
  const std::vector<Indices> cases = {
      {i64({2, 0, 2, -1})},                                      // repeats add up
      {std::nullopt, i64({1, 1, 3}, Shape{3, 1}), i64({0, 2})},  // adjacent, broadcast
      {i64({0, 2}), std::nullopt, i64({1, 0})},                  // separated: index dims first
      {std::nullopt, mask({true, false, true, true})},           // a mask
      {lt::gt(lt::arange(12).reshape({3, 4}) % 3, 0)},           // a 2-D mask
      {mask({true}, Shape{})},                                   // a 0-dim mask
      {},                                                        // nothing
  };
  for (bool strided : {false, true}) {
    for (const Indices& idx : cases) {
      Tensor x = leaf({3, 4, 3}, strided);
      check_both_orders([idx](const TensorList& in) { return one(lt::index(in[0], idx)); }, {x});
    }
  }
}

TEST(IndexingGrad, IndexPut) {
  lt::manual_seed(4);
  struct Case {
    Shape x;
    Indices idx;
    Shape values;
    bool accumulate;
  };
  const std::vector<Case> cases = {
      {{3, 4}, {i64({2, 0, 2})}, {3, 4}, true},                             // duplicates add up
      {{3, 4}, {i64({2, 0})}, {2, 4}, false},                               // distinct rows, overwritten
      {{3, 4}, {i64({2, 0})}, {1, 4}, false},                               // values broadcast
      {{3, 4}, {std::nullopt, i64({1, 3})}, {}, false},                     // a 0-dim value
      {{2, 3, 4}, {i64({0, 1}), std::nullopt, i64({3, 0})}, {2, 3}, true},  // separated
      {{3, 4}, {lt::gt(lt::arange(12).reshape({3, 4}) % 2, 0)}, {6}, false},
      {{3, 4}, {std::nullopt, i64({1, 1})}, {3, 2}, true},
  };
  for (const Case& c : cases) {
    Tensor x = leaf(c.x);
    Tensor v = leaf(c.values);
    auto fn = [c](const TensorList& in) { return one(lt::index_put(in[0], c.idx, in[1], c.accumulate)); };
    check_both_orders(fn, {x, v});
    // The in-place form, on a non-leaf and through a view of one.
    auto inplace = [c](const TensorList& in) {
      Tensor y = in[0] * 1;
      lt::index_put_(y, c.idx, in[1], c.accumulate);
      return one(y * y);
    };
    check_both_orders(inplace, {x, v});
  }
  auto through_view = [](const TensorList& in) {
    Tensor y = in[0] * 1;
    Tensor view = y.slice(1, 1, 4);  // (3, 3)
    lt::index_put_(view, {std::nullopt, i64({0, 2})}, in[1], true);
    return one(y * y);
  };
  check_both_orders(through_view, {leaf({3, 4}), leaf({3, 1})});
}

TEST(IndexingGrad, ValuesThatRequireGradIntoAPlainTensor) {
  Tensor v = lt::ones({2}, DType::Float64);
  v.requires_grad_();
  Tensor x = lt::zeros({4}, DType::Float64);
  lt::index_put_(x, {i64({1, 3})}, v * 3);
  EXPECT_TRUE(x.requires_grad());
  lt::sum(x * lt::arange(4, DType::Float64)).backward();
  EXPECT_TRUE(ref::equals(v.grad(), {3, 9}, DType::Float64));
}

TEST(IndexingGrad, ModifiedIndexIsCaught) {
  Tensor x = leaf({4});
  Tensor idx = i64({0, 1});
  Tensor y = lt::index(x, {idx});
  idx.fill_(2);
  EXPECT_THROW(lt::sum(y).backward(), lt::AutogradError);
}

TEST(IndexingGrad, Products) {
  lt::manual_seed(5);
  auto mm_fn = [](const TensorList& in) { return one(lt::mm(in[0], in[1])); };
  auto bmm_fn = [](const TensorList& in) { return one(lt::bmm(in[0], in[1])); };
  auto matmul_fn = [](const TensorList& in) { return one(lt::matmul(in[0], in[1])); };
  check_both_orders(bmm_fn, {leaf({2, 3, 4}), leaf({2, 4, 2}, true)});
  check_both_orders(mm_fn, {leaf({3, 4}, true), leaf({4, 2})});
  Tensor transposed = (lt::rand({4, 3}, DType::Float64) * 4 - 2).t();
  transposed.requires_grad_();
  check_both_orders(mm_fn, {transposed, leaf({4, 2})});
  const std::vector<std::pair<Shape, Shape>> shapes = {
      {{4}, {4}},       {{3, 4}, {4}},       {{4}, {4, 2}},          {{3, 4}, {4, 2}},
      {{2, 3, 4}, {4}}, {{4}, {2, 4, 3}},    {{2, 3, 4}, {4, 2}},    {{3, 4}, {2, 4, 2}},
      {{2, 1, 3, 4}, {3, 4, 2}},             {{1, 3, 4}, {2, 1, 4, 1}},
  };
  for (const auto& [sa, sb] : shapes) {
    check_both_orders(matmul_fn, {leaf(sa), leaf(sb, true)});
  }
  check_both_orders([](const TensorList& in) { return one(lt::mv(in[0], in[1])); }, {leaf({3, 4}, true), leaf({4})});
  check_both_orders([](const TensorList& in) { return one(lt::dot(in[0], in[1])); }, {leaf({4}), leaf({4}, true)});
  check_both_orders([](const TensorList& in) { return one(lt::outer(in[0], in[1])); }, {leaf({3}), leaf({2})});
  check_both_orders([](const TensorList& in) { return one(lt::addmm(in[0], in[1], in[2], 0.5, -2)); },
                    {leaf({2}), leaf({3, 4}, true), leaf({4, 2})});
  check_both_orders([](const TensorList& in) { return one(lt::baddbmm(in[0], in[1], in[2], 2, 0.5)); },
                    {leaf({3, 2}), leaf({2, 3, 4}), leaf({2, 4, 2}, true)});
  check_both_orders([](const TensorList& in) { return one(lt::linear(in[0], in[1], in[2])); },
                    {leaf({2, 3, 4}), leaf({5, 4}, true), leaf({5})});
  // Each records PyTorch's node.
  Tensor m = leaf({3, 4}), v = leaf({4});
  EXPECT_EQ(lt::mv(m, v).grad_fn()->name(), "MvBackward0");
  EXPECT_EQ(lt::dot(v, v).grad_fn()->name(), "DotBackward0");
  EXPECT_EQ(lt::mm(m, m.t()).grad_fn()->name(), "MmBackward0");
  EXPECT_EQ(lt::addmm(leaf({3}), m, m.t()).grad_fn()->name(), "AddmmBackward0");
}

// Every new operator has a CPU kernel.
TEST(IndexingRegistry, KernelsAreRegistered) {
  std::vector<std::string> names;
  for (const lt::OpInfo& info : lt::Registry::global().list()) {
    if (info.has_kernel[static_cast<int>(lt::DeviceType::CPU)]) names.push_back(info.name);
  }
  for (const char* op : {"index", "index_put", "index_offsets", "nonzero", "nonzero_count", "bmm"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), op), names.end()) << op;
  }
}

}  // namespace
