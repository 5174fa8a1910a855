// An operator defined in a separately built shared library, loaded at run time.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

namespace {

using ScaledAdd = lt::Tensor(const lt::Tensor&, const lt::Tensor&, double);

TEST(Extension, LoadsAndCallsNewOperator) {
  EXPECT_FALSE(lt::Registry::global().find("myext::scaled_add").has_value());
  lt::load_library(LT_TEST_EXTENSION_PATH);
  auto* scaled_add = lt::find_function<ScaledAdd>("myext::scaled_add");
  lt::Tensor a = lt::arange(5, lt::DType::Float32), b = lt::ones({5});
  lt::Tensor r = scaled_add(a, b, 2.0);
  for (int64_t i = 0; i < 5; ++i) EXPECT_FLOAT_EQ(r.data_ptr<float>()[i], static_cast<float>(i) + 2.0f);
  // Its own checks run, with its name in the message.
  EXPECT_THROW(scaled_add(a, lt::ones({4}), 1.0), lt::ShapeError);
  // The registry lists it with a CPU kernel and nothing else.
  bool listed = false;
  for (const auto& op : lt::Registry::global().list()) {
    if (op.name != "myext::scaled_add") continue;
    listed = true;
    EXPECT_TRUE(op.has_kernel[0]);
    EXPECT_FALSE(op.has_kernel[1]);
    EXPECT_TRUE(op.has_function);
  }
  EXPECT_TRUE(listed);
  // A wrong signature is refused rather than called.
  EXPECT_THROW(lt::find_function<lt::Tensor(const lt::Tensor&)>("myext::scaled_add"), lt::ValueError);
}

TEST(Extension, OverridesBuiltInKernel) {
  lt::load_library(LT_TEST_EXTENSION_PATH);  // loading twice is harmless
  lt::Tensor r = lt::frac(lt::full({3}, 1.5));
  for (int64_t i = 0; i < 3; ++i) EXPECT_EQ(r.data_ptr<float>()[i], 42.0f);
}

TEST(Extension, MissingLibraryIsAnError) {
  try {
    lt::load_library("/nonexistent/libnothing.so");
    FAIL() << "expected an error";
  } catch (const lt::ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/libnothing.so"), std::string::npos);
  }
}

TEST(Extension, NewOperatorBringsItsDerivative) {
  lt::load_library(LT_TEST_EXTENSION_PATH);
  using ScaledAdd = lt::Tensor(const lt::Tensor&, const lt::Tensor&, double);
  auto* scaled_add = lt::find_function<ScaledAdd>("myext::scaled_add");
  lt::Tensor a = lt::ones({3}), b = lt::ones({3});
  a.requires_grad_();
  b.requires_grad_();
  lt::Tensor y = scaled_add(a, b, 2.5);
  ASSERT_NE(y.grad_fn(), nullptr);
  EXPECT_EQ(y.grad_fn()->name(), "MyextScaledAddBackward0");
  lt::sum(y * y).backward();
  const float* ga = a.grad().data_ptr<float>();
  const float* gb = b.grad().data_ptr<float>();
  for (int i = 0; i < 3; ++i) {
    EXPECT_FLOAT_EQ(ga[i], 2 * 3.5f);
    EXPECT_FLOAT_EQ(gb[i], 2 * 3.5f * 2.5f);
  }
}

}  // namespace
