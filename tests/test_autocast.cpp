// Autocast from C++: a Region casts the listed operators' inputs, the others and the
// backward pass keep their dtypes, regions nest and restore, and a weight's cached cast
// passes both of its uses' gradients back.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

namespace {

using lt::DType;
using lt::DeviceType;
using lt::Tensor;
namespace autocast = lt::autocast;

double max_difference(const Tensor& a, const Tensor& b) {
  return lt::amax(lt::abs(a.to(DType::Float64) - b.to(DType::Float64)), {}).item<double>();
}

// Turns the GPU lists on for CPU tensors for one test.
struct GpuLists {
  GpuLists() { autocast::detail::cpu_uses_gpu_lists = true; }
  ~GpuLists() { autocast::detail::cpu_uses_gpu_lists = false; }
};

TEST(Autocast, ProductsRunInTheRegionsDtype) {
  const Tensor a = lt::randn({3, 4}), b = lt::randn({4, 5});
  {
    autocast::Region region(DeviceType::CPU);
    EXPECT_EQ(lt::mm(a, b).dtype(), DType::BFloat16);
    EXPECT_EQ(lt::matmul(a, b).dtype(), DType::BFloat16);
    EXPECT_EQ(lt::linear(a, b.t()).dtype(), DType::BFloat16);
    EXPECT_EQ(lt::mv(a, b.select(1, 0)).dtype(), DType::Float32);  // not on the CPU list
    const Tensor ref = lt::mm(a.to(DType::BFloat16), b.to(DType::BFloat16));
    EXPECT_EQ(max_difference(lt::mm(a, b), ref), 0);
  }
  EXPECT_EQ(lt::mm(a, b).dtype(), DType::Float32);
  {
    autocast::Region region(DeviceType::CPU, DType::Float16);
    EXPECT_EQ(lt::mm(a, b).dtype(), DType::Float16);
  }
  EXPECT_EQ(autocast::dtype(DeviceType::CPU), DType::BFloat16);
}

TEST(Autocast, Float64AndIntegersAreNotCast) {
  autocast::Region region(DeviceType::CPU);
  const Tensor d = lt::randn({3, 3}, DType::Float64);
  EXPECT_EQ(lt::mm(d, d).dtype(), DType::Float64);
  const Tensor i = lt::arange(9).reshape({3, 3});
  EXPECT_EQ(lt::mm(i, i).dtype(), DType::Int64);
}

TEST(Autocast, LossesRunInFloat32AndGradientsReturnInTheInputsDtype) {
  Tensor w = lt::randn({4, 3}).requires_grad_(true);
  const Tensor x = lt::randn({5, 4});
  const Tensor target = lt::from_vector<int64_t>({0, 1, 2, 0, 1});
  Tensor loss;
  {
    autocast::Region region(DeviceType::CPU);
    const Tensor logits = lt::mm(x, w);
    EXPECT_EQ(logits.dtype(), DType::BFloat16);
    loss = lt::cross_entropy(logits, target);
    EXPECT_EQ(loss.dtype(), DType::Float32);
  }
  loss.backward();
  ASSERT_TRUE(w.grad().defined());
  EXPECT_EQ(w.grad().dtype(), DType::Float32);
}

TEST(Autocast, AListedOperatorsInsideDoesNotCastAgain) {
  GpuLists gpu;
  autocast::Region region(DeviceType::CPU);
  const Tensor x = lt::randn({3, 4}).to(DType::BFloat16);
  // exp and sum are on the GPU's float32 list; mean is not, and keeps bfloat16 although
  // it may be built from them.
  EXPECT_EQ(lt::exp(x).dtype(), DType::Float32);
  EXPECT_EQ(lt::sum(x).dtype(), DType::Float32);
  EXPECT_EQ(lt::mean(x).dtype(), DType::BFloat16);
  EXPECT_EQ(lt::softmax(x, 1).dtype(), DType::Float32);
  EXPECT_EQ(lt::gelu(x).dtype(), DType::BFloat16);
}

TEST(Autocast, PromoteTakesTheWidestInput) {
  GpuLists gpu;
  autocast::Region region(DeviceType::CPU);
  const Tensor h = lt::randn({4}).to(DType::BFloat16), f = lt::randn({4});
  EXPECT_EQ(lt::dot(h, f).dtype(), DType::Float32);  // dot itself wants one dtype
}

TEST(Autocast, BannedOperatorsSayWhy) {
  GpuLists gpu;
  autocast::Region region(DeviceType::CPU);
  const Tensor p = lt::rand({4}), t = lt::rand({4});
  try {
    (void)lt::binary_cross_entropy(p, t);
    FAIL() << "binary_cross_entropy ran under GPU autocast";
  } catch (const lt::Error& e) {
    EXPECT_NE(std::string(e.what()).find("[binary_cross_entropy] is unsafe to autocast"), std::string::npos);
  }
}

TEST(Autocast, SuspendAndNestedRegions) {
  const Tensor a = lt::randn({2, 2});
  autocast::Region outer(DeviceType::CPU);
  {
    autocast::Suspend off;
    EXPECT_EQ(lt::mm(a, a).dtype(), DType::Float32);
  }
  {
    autocast::Region inner(DeviceType::CPU, std::nullopt, false);
    EXPECT_FALSE(autocast::is_enabled(DeviceType::CPU));
    EXPECT_EQ(lt::mm(a, a).dtype(), DType::Float32);
  }
  EXPECT_TRUE(autocast::is_enabled(DeviceType::CPU));
  EXPECT_EQ(lt::mm(a, a).dtype(), DType::BFloat16);
}

TEST(Autocast, OtherDeviceTypesRegionsLeaveCpuTensorsAlone) {
  autocast::Region region(DeviceType::CUDA, DType::BFloat16);
  const Tensor a = lt::randn({2, 2});
  EXPECT_EQ(lt::mm(a, a).dtype(), DType::Float32);
}

TEST(Autocast, AWeightUsedTwiceGetsBothGradientsThroughItsCachedCast) {
  Tensor w = lt::randn({3, 3}).requires_grad_(true);
  const Tensor x = lt::randn({2, 3});
  Tensor y;
  {
    autocast::Region region(DeviceType::CPU);
    y = lt::mm(lt::mm(x, w), w);
    EXPECT_EQ(y.dtype(), DType::BFloat16);
  }
  lt::sum(y.to(DType::Float32)).backward();
  // Both uses reach w through the one cached cast: the gradient is their sum.
  Tensor w_ref = w.detach().requires_grad_(true);
  const Tensor wb = w_ref.to(DType::BFloat16);
  lt::sum(lt::mm(lt::mm(x.to(DType::BFloat16), wb), wb).to(DType::Float32)).backward();
  EXPECT_LT(max_difference(w.grad(), w_ref.grad()), 1e-6);
}

TEST(Autocast, OnlyHalfDtypes) {
  EXPECT_THROW(autocast::set_dtype(DeviceType::CPU, DType::Float64), lt::DTypeError);
}

}  // namespace
