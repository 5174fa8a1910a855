// The error hierarchy, messages that name the operator and the shapes, and failed
// operations that leave their inputs as they were.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <functional>
#include <utility>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace {

using lt::DType;
using lt::Shape;
using lt::Tensor;

static_assert(std::is_base_of_v<std::runtime_error, lt::Error>);
static_assert(std::is_base_of_v<lt::Error, lt::ShapeError>);
static_assert(std::is_base_of_v<lt::Error, lt::DTypeError>);
static_assert(std::is_base_of_v<lt::Error, lt::IndexError>);
static_assert(std::is_base_of_v<lt::Error, lt::DeviceError>);
static_assert(std::is_base_of_v<lt::Error, lt::ValueError>);
static_assert(std::is_base_of_v<lt::Error, lt::NotImplementedError>);
static_assert(!std::is_base_of_v<lt::ShapeError, lt::IndexError>);
static_assert(!std::is_base_of_v<lt::ValueError, lt::DTypeError>);

// The message of the lt::Error that `f` throws, or a note that it threw none.
std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const lt::Error& e) {
    return e.what();
  }
  return "<no lt::Error thrown>";
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// Copies the bytes of a tensor's elements (contiguous tensors only).
std::vector<unsigned char> bytes_of(const Tensor& t) {
  const auto* p = static_cast<const unsigned char*>(t.data());
  return std::vector<unsigned char>(p, p + t.nbytes());
}

Tensor iota(Shape shape, DType dtype = DType::Float32) {
  Tensor t = lt::empty(shape, DType::Float64);
  for (int64_t i = 0; i < t.numel(); ++i) t.data_ptr<double>()[i] = static_cast<double>(i % 7);
  return t.to(dtype);
}

// Checks that a failed in-place operation left `t` byte for byte as it was.
class Unchanged {
 public:
  explicit Unchanged(const Tensor& t) : t_(t), sizes_(t.sizes()), strides_(t.strides()), dtype_(t.dtype()),
                                        bytes_(bytes_of(t)), version_(t.version()) {}
  void check() const {
    EXPECT_EQ(t_.sizes(), sizes_);
    EXPECT_EQ(t_.strides(), strides_);
    EXPECT_EQ(t_.dtype(), dtype_);
    EXPECT_EQ(bytes_of(t_), bytes_);
    EXPECT_EQ(t_.version(), version_) << "a failed operation bumped the version";
  }

 private:
  Tensor t_;
  Shape sizes_, strides_;
  DType dtype_;
  std::vector<unsigned char> bytes_;
  uint64_t version_;
};

// --- hierarchy ------------------------------------------------------------------------

TEST(ErrorHierarchy, CaughtAsBaseClasses) {
  EXPECT_THROW(lt::add(lt::ones({3, 4}), lt::ones({5})), lt::ShapeError);
  EXPECT_THROW(lt::add(lt::ones({3, 4}), lt::ones({5})), lt::Error);
  EXPECT_THROW(lt::add(lt::ones({3, 4}), lt::ones({5})), std::runtime_error);
  EXPECT_THROW(lt::ones({3}).select(0, 3), lt::Error);
  EXPECT_THROW(lt::ones({3}).select(0, 3), std::runtime_error);
  EXPECT_THROW(lt::neg(lt::ones({3}, DType::Bool)), lt::DTypeError);
  EXPECT_THROW(lt::neg(lt::ones({3}, DType::Bool)), std::runtime_error);
  EXPECT_THROW(lt::Device("tpu"), lt::ValueError);
  EXPECT_THROW(lt::Device("tpu"), lt::Error);
}

TEST(ErrorHierarchy, DistinctKinds) {
  // An index error is not a shape error and the other way round.
  bool caught_as_shape = false;
  try {
    lt::ones({3}).select(0, 3);
  } catch (const lt::ShapeError&) {
    caught_as_shape = true;
  } catch (const lt::IndexError&) {
  }
  EXPECT_FALSE(caught_as_shape);
}

// --- messages ---------------------------------------------------------------------------

TEST(ErrorMessages, AddNamesOpAndShapes) {
  std::string msg = message_of([] { lt::add(lt::ones({3, 4}), lt::ones({5})); });
  EXPECT_TRUE(starts_with(msg, "[add]")) << msg;
  EXPECT_TRUE(contains(msg, "(3, 4)")) << msg;
  EXPECT_TRUE(contains(msg, "(5,)")) << msg;
}

TEST(ErrorMessages, BinaryOpsNameThemselves) {
  std::string msg = message_of([] { lt::mul(lt::ones({2, 3}), lt::ones({4, 1, 2})); });
  EXPECT_TRUE(starts_with(msg, "[mul]")) << msg;
  EXPECT_TRUE(contains(msg, "(2, 3)")) << msg;
  EXPECT_TRUE(contains(msg, "(4, 1, 2)")) << msg;
  msg = message_of([] { lt::lt(lt::ones({2}), lt::ones({3})); });
  EXPECT_TRUE(starts_with(msg, "[lt]")) << msg;
  msg = message_of([] { lt::where(lt::ones({2}, DType::Bool), lt::ones({3}), lt::ones({2})); });
  EXPECT_TRUE(starts_with(msg, "[where]")) << msg;
  EXPECT_TRUE(contains(msg, "(3,)")) << msg;
}

TEST(ErrorMessages, InPlaceShapeMismatch) {
  Tensor a = lt::ones({3, 4});
  std::string msg = message_of([&] { a.add_(lt::ones({2, 3, 4})); });
  EXPECT_TRUE(starts_with(msg, "[add")) << msg;
  EXPECT_TRUE(contains(msg, "(3, 4)")) << msg;
  EXPECT_TRUE(contains(msg, "(2, 3, 4)")) << msg;
}

TEST(ErrorMessages, Views) {
  std::string msg = message_of([] { lt::ones({3, 4}).t().view({12}); });
  EXPECT_TRUE(starts_with(msg, "[view]")) << msg;
  EXPECT_TRUE(contains(msg, "(4, 3)")) << msg;
  EXPECT_TRUE(contains(msg, "(12,)")) << msg;
  msg = message_of([] { lt::ones({2, 4}).expand({3, 4}); });
  EXPECT_TRUE(starts_with(msg, "[expand]")) << msg;
  EXPECT_TRUE(contains(msg, "(2, 4)")) << msg;
  EXPECT_TRUE(contains(msg, "(3, 4)")) << msg;
  msg = message_of([] { lt::ones({12}).reshape({5, -1}); });
  EXPECT_TRUE(starts_with(msg, "[reshape]")) << msg;
  EXPECT_TRUE(contains(msg, "(5, -1)")) << msg;
  EXPECT_TRUE(contains(msg, "(12,)")) << msg;
  msg = message_of([] { lt::ones({2, 3}).permute({0}); });
  EXPECT_TRUE(starts_with(msg, "[permute]")) << msg;
  EXPECT_TRUE(contains(msg, "(2, 3)")) << msg;
}

TEST(ErrorMessages, IndexAndDim) {
  std::string msg = message_of([] { lt::ones({3, 4}).select(0, 5); });
  EXPECT_TRUE(starts_with(msg, "[select]")) << msg;
  EXPECT_TRUE(contains(msg, "5")) << msg;
  EXPECT_TRUE(contains(msg, "3")) << msg;
  msg = message_of([] { lt::ones({3, 4}).transpose(0, 2); });
  EXPECT_TRUE(starts_with(msg, "[transpose]")) << msg;
  msg = message_of([] { lt::sum(lt::ones({3, 4}), {2}); });
  EXPECT_TRUE(starts_with(msg, "[sum]")) << msg;
  msg = message_of([] { lt::ones({3, 4}).size(-3); });
  EXPECT_TRUE(starts_with(msg, "[size]")) << msg;
}

TEST(ErrorMessages, IndexDrivenOperatorsNameThemselvesAndRejectNegativeIndices) {
  // Only advanced indexing counts a negative index from the end; the operators composed
  // of it reject one, as PyTorch's do, and their errors name them rather than index.
  const Tensor x = lt::ones({3, 4});
  const Tensor minus_one = lt::full({1}, -1, DType::Int64);
  const std::pair<const char*, std::function<void()>> failures[] = {
      {"[gather]", [&] { lt::gather(x, 1, minus_one.view({1, 1})); }},
      {"[index_select]", [&] { lt::index_select(x, 0, minus_one); }},
      {"[embedding]", [&] { lt::embedding(x, minus_one); }},
      {"[scatter_add]", [&] { lt::scatter_add(x, 1, minus_one.view({1, 1}), lt::ones({1, 1})); }},
      {"[index_add]", [&] { lt::index_add(x, 0, minus_one, lt::ones({1, 4})); }},
      {"[nll_loss]", [&] { lt::nll_loss(x, lt::full({3}, 4, DType::Int64)); }},
      {"[one_hot]", [&] { lt::one_hot(minus_one, 3); }},
  };
  for (const auto& [name, f] : failures) {
    const std::string msg = message_of(f);
    EXPECT_TRUE(starts_with(msg, name)) << msg;
    EXPECT_TRUE(contains(msg, "is out of bounds for dimension")) << msg;
  }
  EXPECT_THROW(lt::gather(x, 1, minus_one.view({1, 1})), lt::IndexError);
  EXPECT_EQ(lt::index(lt::arange(3, DType::Int64), {minus_one}).item<int64_t>(), 2);  // x[-1]
}

TEST(ErrorMessages, DTypes) {
  std::string msg = message_of([] { lt::bitwise_and(lt::ones({2}), lt::ones({2})); });
  EXPECT_TRUE(starts_with(msg, "[bitwise_and]")) << msg;
  EXPECT_TRUE(contains(msg, "float32")) << msg;
  msg = message_of([] { lt::sub(lt::ones({2}, DType::Bool), lt::ones({2}, DType::Bool)); });
  EXPECT_TRUE(starts_with(msg, "[sub]")) << msg;
  msg = message_of([] { lt::add(lt::ones({2}, DType::Int32), lt::ones({2}, DType::Int32), 2.5); });
  EXPECT_TRUE(starts_with(msg, "[add]")) << msg;
  msg = message_of([] { lt::mean(lt::ones({2}, DType::Int64)); });
  EXPECT_TRUE(starts_with(msg, "[mean]")) << msg;
  EXPECT_TRUE(contains(msg, "int64")) << msg;
}

TEST(ErrorMessages, EveryMessageStartsWithABracketedName) {
  const std::vector<std::function<void()>> failures = {
      [] { lt::empty({-1}); },
      [] { lt::ones({2}).item(); },
      [] { lt::Device("tpu"); },
      [] { lt::ones({3}).slice(0, 0, 3, 0); },
      [] { lt::ones({3}).unfold(0, 4, 1); },
      [] { lt::ones({3}).as_strided({4}, {1}); },
      [] { lt::ones({3}).diagonal(); },
      [] { lt::div(lt::ones({3}), lt::ones({3}), "round"); },
      [] { lt::pow(lt::ones({3}, DType::Int64), -1); },
      [] { lt::arange(0, 10, 0); },
      [] { lt::from_vector<float>({1, 2, 3}, {2, 2}); },
      [] { lt::amax(lt::zeros({0})); },
      [] { lt::clamp(lt::ones({3}), std::nullopt, std::nullopt); },
      [] { lt::find_function<void()>("no::such_op"); },
  };
  for (size_t i = 0; i < failures.size(); ++i) {
    std::string msg = message_of(failures[i]);
    EXPECT_TRUE(starts_with(msg, "[")) << i << ": " << msg;
    EXPECT_TRUE(contains(msg, "] ")) << i << ": " << msg;
    EXPECT_FALSE(starts_with(msg, "<no")) << i;
  }
}

// --- kinds of errors --------------------------------------------------------------------

TEST(ErrorKinds, IndexOutOfRangeIsIndexError) {
  Tensor t = lt::ones({3, 4});
  EXPECT_THROW(t.select(0, 3), lt::IndexError);
  EXPECT_THROW(t.select(1, -5), lt::IndexError);
  EXPECT_THROW(t.narrow(1, 5, 0), lt::IndexError);
  EXPECT_THROW(lt::amax(lt::zeros({0, 3}), {0}), lt::IndexError);
  EXPECT_THROW(lt::max(lt::zeros({0})), lt::IndexError);
}

TEST(ErrorKinds, ShapesThatDoNotFitAreShapeErrors) {  // RuntimeError in Python, as in PyTorch
  Tensor t = lt::ones({3, 4});
  EXPECT_THROW(t.narrow(1, 2, 3), lt::ShapeError);
  EXPECT_THROW(t.narrow(1, 2, -1), lt::ShapeError);
  EXPECT_THROW(t.as_strided({13}, {1}), lt::ShapeError);
  EXPECT_THROW(t.as_strided({2}, {1}, -1), lt::ShapeError);
}

TEST(ErrorKinds, BadDimIsIndexError) {
  Tensor t = lt::ones({3, 4});
  EXPECT_THROW(t.size(2), lt::IndexError);
  EXPECT_THROW(t.stride(-3), lt::IndexError);
  EXPECT_THROW(t.transpose(0, 2), lt::IndexError);
  EXPECT_THROW(t.select(2, 0), lt::IndexError);
  EXPECT_THROW(t.squeeze(2), lt::IndexError);
  EXPECT_THROW(t.unsqueeze(3), lt::IndexError);
  EXPECT_THROW(t.permute({0, 2}), lt::IndexError);
  EXPECT_THROW(t.diagonal(0, 0, 2), lt::IndexError);
  EXPECT_THROW(lt::ones({2}).diagonal(), lt::IndexError);
  EXPECT_THROW(lt::sum(t, {2}), lt::IndexError);
  EXPECT_THROW(lt::sum(t, {-3}), lt::IndexError);
  EXPECT_THROW(lt::amax(t, {5}), lt::IndexError);
  EXPECT_THROW(lt::max(t, 2), lt::IndexError);
  EXPECT_THROW(lt::argmax(t, -3), lt::IndexError);
  EXPECT_THROW(lt::flip(t, {2}), lt::IndexError);
  EXPECT_THROW(lt::wrap_dim(2, 2, "t"), lt::IndexError);
  EXPECT_EQ(lt::wrap_dim(-1, 2, "t"), 1);
  EXPECT_EQ(lt::wrap_dim(-1, 0, "t"), 0);  // a 0-dim tensor accepts 0 and -1
  EXPECT_THROW(lt::wrap_dim(1, 0, "t"), lt::IndexError);
}

TEST(ErrorKinds, DTypeErrors) {
  EXPECT_THROW(lt::neg(lt::ones({2}, DType::Bool)), lt::DTypeError);
  EXPECT_THROW(lt::bitwise_not(lt::ones({2})), lt::DTypeError);
  EXPECT_THROW(lt::bitwise_left_shift(lt::ones({2}), 1), lt::DTypeError);
  EXPECT_THROW(lt::frac(lt::ones({2}, DType::Int32)), lt::DTypeError);
  EXPECT_THROW(lt::where(lt::ones({2}), lt::ones({2}), lt::ones({2})), lt::DTypeError);
  EXPECT_THROW(lt::remainder(lt::ones({2}, DType::Bool), lt::ones({2}, DType::Bool)), lt::DTypeError);
}

// --- failed operations leave their inputs unchanged -------------------------------------

TEST(FailedInPlace, AddWrongShape) {
  Tensor a = iota({3, 4});
  Unchanged before(a);
  EXPECT_THROW(a.add_(lt::ones({5})), lt::ShapeError);
  before.check();
  EXPECT_THROW(a.add_(lt::ones({2, 3, 4})), lt::ShapeError);
  before.check();
  EXPECT_THROW(a.add_(lt::ones({4, 1})), lt::ShapeError);
  before.check();
}

TEST(FailedInPlace, AddFloatIntoInt) {
  Tensor a = iota({2, 3}, DType::Int32);
  Unchanged before(a);
  EXPECT_THROW(a.add_(lt::ones({2, 3})), lt::DTypeError);
  before.check();
  EXPECT_THROW(a.add_(2.5), lt::DTypeError);
  before.check();
  EXPECT_THROW(a.add_(lt::scalar_tensor(1.0, DType::Float64)), lt::DTypeError);
  before.check();
  EXPECT_THROW(a.add_(lt::ones({2, 3}, DType::Int32), 0.5), lt::DTypeError);
  before.check();
  EXPECT_THROW(a.sub_(lt::ones({3}, DType::Float16)), lt::DTypeError);
  before.check();
}

TEST(FailedInPlace, IntoBool) {
  Tensor a = lt::ones({3}, DType::Bool);
  Unchanged before(a);
  EXPECT_THROW(a.add_(lt::ones({3}, DType::Int64)), lt::DTypeError);
  before.check();
  EXPECT_THROW(a.mul_(2), lt::DTypeError);
  before.check();
  EXPECT_THROW(a.sub_(lt::ones({3}, DType::Bool)), lt::DTypeError);
  before.check();
}

TEST(FailedInPlace, DivIntegerTensor) {
  Tensor a = iota({4}, DType::Int64);
  Unchanged before(a);
  EXPECT_THROW(a.div_(lt::ones({4}, DType::Int64)), lt::DTypeError);
  before.check();
  EXPECT_THROW(a.mul_(0.5), lt::DTypeError);
  before.check();
}

TEST(FailedInPlace, CastAfterWrongShape) {
  // float16 += float32 computes in float32 and casts back; a bad shape must be found first.
  Tensor a = iota({3}, DType::Float16);
  Unchanged before(a);
  EXPECT_THROW(a.add_(lt::ones({2, 3}, DType::Float32)), lt::ShapeError);
  before.check();
  EXPECT_THROW(a.add_(lt::ones({5}, DType::Float32)), lt::ShapeError);
  before.check();
  EXPECT_THROW(a.mul_(lt::ones({4, 1}, DType::Float64)), lt::ShapeError);
  before.check();
}

TEST(FailedInPlace, ClampIntegerWithFloatBounds) {
  // PyTorch: "result type Float can't be cast to the desired output type Long". A plain
  // copy_ of the float32 clamp() back into the tensor would truncate instead.
  Tensor a = iota({4}, DType::Int64);
  Unchanged before(a);
  EXPECT_THROW(a.clamp_(0.5, 2.5), lt::DTypeError);
  before.check();
}

TEST(FailedInPlace, CopyWrongShape) {
  Tensor a = iota({2, 3});
  Unchanged before(a);
  EXPECT_THROW(a.copy_(lt::ones({3, 2})), lt::ShapeError);
  before.check();
  EXPECT_THROW(a.copy_(lt::ones({2, 2, 3})), lt::ShapeError);
  before.check();
}

TEST(FailedInPlace, WriteIntoExpanded) {
  Tensor base = iota({3, 1});
  Unchanged before(base);
  Tensor e = base.expand({3, 4});
  EXPECT_THROW(e.fill_(1.0), lt::ValueError);
  EXPECT_THROW(e.add_(1.0), lt::ValueError);
  before.check();
}

TEST(FailedOutOfPlace, InputsUnchanged) {
  Tensor a = iota({3, 4}), b = iota({5}, DType::Int32);
  Unchanged ua(a), ub(b);
  EXPECT_THROW(lt::add(a, b), lt::ShapeError);
  EXPECT_THROW(lt::sub(a, b, 2), lt::ShapeError);
  EXPECT_THROW(a.view({5, -1}), lt::ShapeError);
  EXPECT_THROW(a.permute({1, 1}), lt::Error);
  EXPECT_THROW(lt::sum(a, {0, 0}), lt::ValueError);
  ua.check();
  ub.check();
}

}  // namespace
