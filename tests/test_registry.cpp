// The operator registry: which operators have kernels for which devices, dispatch by
// device (with a fake device of a GPU type whose backend is not built, backed by host
// memory), signatures, overriding, and a GPU backend's coverage where one is built.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

using lt::DType;
using lt::DeviceType;
using lt::Tensor;

constexpr int kCPU = static_cast<int>(DeviceType::CPU);
constexpr int kCUDA = static_cast<int>(DeviceType::CUDA);
constexpr int kROCm = static_cast<int>(DeviceType::ROCm);

// Every LT_REGISTER_KERNEL in backends/cpu, by kernel signature.
const std::vector<std::string> kIterKernels = {
    // binary_kernels.cpp
    "add", "mul", "div", "div_trunc", "div_floor", "remainder", "fmod", "pow", "atan2", "maximum", "minimum",
    "eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or",
    "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift",
    // copy_kernels.cpp
    "copy", "fill",
    // reduce_kernels.cpp
    "sum", "prod", "all", "any", "amax", "amin",
    // ternary_kernels.cpp
    "where", "clamp", "lerp",
    // unary_kernels.cpp
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "reciprocal", "sin", "cos", "tan",
    "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "erf", "erfc", "sigmoid", "floor", "ceil", "round",
    "trunc", "frac", "neg", "abs", "sign", "relu", "bitwise_not", "logical_not", "isnan", "isinf", "isfinite",
    "nan_to_num"};
const std::vector<std::string> kTensorKernels = {
    "arange", "linspace",                                  // copy_kernels.cpp
    "uniform_", "normal_", "random_", "bernoulli_",        // random_kernels.cpp
    "max_dim", "min_dim",                                  // reduce_kernels.cpp
    "sort", "topk", "kthvalue", "sort_rows",               // sort_kernels.cpp
    "cumulative", "cumulative_extreme",                    // scan_kernels.cpp
    "searchsorted", "bincount"};                           // search_kernels.cpp

bool built(DeviceType t) { return lt::device_runtime(t) != nullptr; }
// A GPU device type without a backend in this build (a build has one GPU backend at most).
const DeviceType kUnbuilt = built(DeviceType::ROCm) ? DeviceType::CUDA : DeviceType::ROCm;
const std::string kUnbuiltName(lt::name(kUnbuilt));

std::map<std::string, lt::OpInfo> listed() {
  std::map<std::string, lt::OpInfo> out;
  for (auto& info : lt::Registry::global().list()) out.emplace(info.name, info);
  return out;
}

// A "device" of the unbuilt GPU type whose memory is host memory: enough to make its tensors and see that
// dispatch finds no kernels for it. Uninstalls itself; tensors must die first.
class FakeDevice final : public lt::Allocator {
 public:
  FakeDevice() { previous_ = lt::set_allocator(kUnbuilt, this); }
  ~FakeDevice() override { lt::set_allocator(kUnbuilt, previous_); }
  void* allocate(size_t nbytes) override {
    live += static_cast<int64_t>(nbytes);
    return std::aligned_alloc(64, (std::max<size_t>(nbytes, 1) + 63) / 64 * 64);
  }
  void deallocate(void* p, size_t nbytes) override {
    live -= static_cast<int64_t>(nbytes);
    std::free(p);
  }
  lt::MemoryStats stats() const override {
    lt::MemoryStats s;
    s.allocated = live;
    return s;
  }
  int64_t live = 0;

 private:
  lt::Allocator* previous_ = nullptr;
};

// --- what is registered -------------------------------------------------------------------

TEST(Registry, ListsEveryCPUKernel) {
  auto ops = listed();
  for (const auto* names : {&kIterKernels, &kTensorKernels}) {
    for (const std::string& name : *names) {
      auto it = ops.find(name);
      ASSERT_NE(it, ops.end()) << name << " is not registered";
      EXPECT_TRUE(it->second.has_kernel[kCPU]) << name;
      EXPECT_EQ(it->second.has_kernel[kCUDA], built(DeviceType::CUDA)) << name;
      EXPECT_EQ(it->second.has_kernel[kROCm], built(DeviceType::ROCm)) << name;
      EXPECT_FALSE(it->second.has_function) << name;
    }
  }
}

// Issues 7 and 8's rule: where a GPU backend is built, every operator with a CPU kernel
// has a kernel there too (the list of gaps must be empty); where it is not, none has one.
TEST(Registry, GpuKernelsCoverTheCpuKernels) {
  for (DeviceType gpu : {DeviceType::CUDA, DeviceType::ROCm}) {
    const int k = static_cast<int>(gpu);
    std::string gaps;
    for (const auto& info : lt::Registry::global().list()) {
      if (info.name.rfind("test::", 0) == 0) continue;  // registered by these tests
      if (built(gpu) && info.has_kernel[kCPU] && !info.has_kernel[k]) gaps += info.name + " ";
      if (!built(gpu)) EXPECT_FALSE(info.has_kernel[k]) << info.name << " on " << lt::name(gpu);
    }
    EXPECT_TRUE(gaps.empty()) << "operators with a CPU kernel but none on " << lt::name(gpu) << ": " << gaps;
  }
}

TEST(Registry, EveryListedOperatorHasACPUKernel) {
  for (const auto& info : lt::Registry::global().list()) {
    if (info.name.rfind("test::", 0) == 0) continue;
    if (info.name == "copy_between_devices") continue;  // a device backend's, by definition
    EXPECT_TRUE(info.has_kernel[kCPU]) << info.name << " is registered without a CPU kernel";
  }
}

TEST(Registry, SignaturesAgreeWithinAKind) {
  auto ops = listed();
  const std::string iter_sig = ops.at("add").signature;
  const std::string tensor_sig = ops.at("arange").signature;
  EXPECT_NE(iter_sig, tensor_sig);
  EXPECT_NE(iter_sig.find("TensorIterator"), std::string::npos) << iter_sig;
  for (const std::string& name : kIterKernels) EXPECT_EQ(ops.at(name).signature, iter_sig) << name;
  for (const std::string& name : kTensorKernels) EXPECT_EQ(ops.at(name).signature, tensor_sig) << name;
}

TEST(Registry, ListIsSortedAndUnique) {
  auto ops = lt::Registry::global().list();
  for (size_t i = 1; i < ops.size(); ++i) EXPECT_LT(ops[i - 1].name, ops[i].name);
}

TEST(Registry, FindAndName) {
  auto& r = lt::Registry::global();
  auto id = r.find("exp");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(r.name(*id), "exp");
  EXPECT_EQ(lt::Op<lt::IterKernel>("exp").id(), *id);
  EXPECT_NE(r.kernel(*id, DeviceType::CPU), nullptr);
  EXPECT_EQ(r.kernel(*id, kUnbuilt), nullptr);
  EXPECT_FALSE(r.find("no_such_operator").has_value());
  EXPECT_FALSE(r.find("").has_value());
}

TEST(Registry, SignatureMismatchIsRefused) {
  try {
    lt::Op<lt::TensorKernel> wrong("exp");
    FAIL() << "expected ValueError";
  } catch (const lt::ValueError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("[exp]", 0), 0u) << e.what();
  }
  EXPECT_THROW(lt::Op<lt::IterKernel>("arange"), lt::ValueError);
}

TEST(Registry, BuiltInOperatorsAreNotCallableByName) {
  EXPECT_THROW(lt::find_function<lt::IterKernel>("exp"), lt::NotImplementedError);
  EXPECT_THROW(lt::find_function<lt::IterKernel>("test::never_registered"), lt::ValueError);
}

// --- dispatch ------------------------------------------------------------------------------

int g_neg_calls = 0;
void counting_neg(lt::TensorIterator& iter, lt::ScalarList) {
  ++g_neg_calls;
  float* out = reinterpret_cast<float*>(iter.data(0));
  for (int64_t i = 0; i < iter.numel(); ++i) out[i] = 42.0f;
}

TEST(Dispatch, GoesThroughTheRegistry) {
  lt::Op<lt::IterKernel> op("neg");
  auto* original = op.kernel(DeviceType::CPU);
  op.set_kernel(DeviceType::CPU, counting_neg);
  Tensor r = lt::neg(lt::ones({4}));
  op.set_kernel(DeviceType::CPU, original);
  EXPECT_EQ(g_neg_calls, 1);
  for (int64_t i = 0; i < 4; ++i) EXPECT_EQ(r.data_ptr<float>()[i], 42.0f);
  // Restored.
  EXPECT_EQ(lt::neg(lt::ones({2})).data_ptr<float>()[1], -1.0f);
  EXPECT_EQ(g_neg_calls, 1);
}

TEST(Dispatch, DeviceTensorWithoutKernel) {
  FakeDevice fake;
  {
    Tensor t = lt::empty({3}, DType::Float32, lt::Device(kUnbuilt, 0));
    EXPECT_EQ(t.device().type, kUnbuilt);
    EXPECT_EQ(t.device().str(), kUnbuiltName + ":0");
    EXPECT_GT(fake.live, 0);
    try {
      lt::exp(t);
      FAIL() << "expected DeviceError";
    } catch (const lt::DeviceError& e) {
      EXPECT_EQ(std::string(e.what()), "[exp] has no kernel for device " + kUnbuiltName);
    }
    EXPECT_THROW(lt::add(t, t), lt::DeviceError);
    EXPECT_THROW(lt::sum(t), lt::DeviceError);
    EXPECT_THROW(t.fill_(1.0), lt::DeviceError);
    EXPECT_THROW(t.clone(), lt::DeviceError);
    // Views need no kernel.
    Tensor v = t.view({3, 1}).expand({3, 2});
    EXPECT_EQ(v.device().type, kUnbuilt);
    EXPECT_EQ(v.storage(), t.storage());
  }
  EXPECT_EQ(fake.live, 0);
}

TEST(Dispatch, FailedDeviceCreationFreesItsMemory) {
  FakeDevice fake;
  EXPECT_THROW(lt::zeros({8}, DType::Float32, lt::Device(kUnbuilt, 0)), lt::DeviceError);
  EXPECT_THROW(lt::arange(5, DType::Int64, lt::Device(kUnbuilt, 0)), lt::DeviceError);
  EXPECT_EQ(fake.live, 0);
}

TEST(Dispatch, MixingCpuAndAnotherDeviceIsADeviceError) {
  FakeDevice fake;
  Tensor gpu = lt::empty({3}, DType::Float32, lt::Device(kUnbuilt, 0));
  Tensor cpu = lt::ones({3});
  try {
    lt::add(cpu, gpu);
    FAIL() << "expected DeviceError";
  } catch (const lt::DeviceError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("[add]", 0), 0u) << msg;
    EXPECT_NE(msg.find("cpu"), std::string::npos) << msg;
    EXPECT_NE(msg.find(kUnbuiltName), std::string::npos) << msg;
  }
  EXPECT_THROW(lt::add(gpu, cpu), lt::DeviceError);
  EXPECT_THROW(lt::mul(cpu, gpu), lt::DeviceError);
  EXPECT_THROW(cpu.add_(gpu), lt::DeviceError);
  EXPECT_THROW(cpu.copy_(gpu), lt::DeviceError);
  EXPECT_EQ(cpu.data_ptr<float>()[0], 1.0f);
}

TEST(Dispatch, CudaKernelInstalledAtRunTime) {
  // An operator of these tests' own gets a CUDA kernel and is found by device.
  static int cuda_calls = 0;
  lt::Op<lt::TensorKernel> op("test::device_probe");
  op.set_kernel(DeviceType::CUDA, [](std::span<Tensor>, lt::ScalarList) { ++cuda_calls; });
  EXPECT_THROW(op.kernel(DeviceType::CPU), lt::DeviceError);
  op.kernel(DeviceType::CUDA)({}, {});
  EXPECT_EQ(cuda_calls, 1);
  auto ops = listed();
  EXPECT_TRUE(ops.at("test::device_probe").has_kernel[kCUDA]);
  EXPECT_FALSE(ops.at("test::device_probe").has_kernel[kCPU]);
  try {
    op.kernel(DeviceType::ROCm);
    FAIL() << "expected DeviceError";
  } catch (const lt::DeviceError& e) {
    EXPECT_EQ(std::string(e.what()), "[test::device_probe] has no kernel for device rocm");
  }
}

// --- devices --------------------------------------------------------------------------------

TEST(Device, Parse) {
  EXPECT_EQ(lt::Device("cpu"), lt::kCPU);
  EXPECT_EQ(lt::Device("cuda"), lt::Device(DeviceType::CUDA, 0));
  EXPECT_EQ(lt::Device("cuda:3"), lt::Device(DeviceType::CUDA, 3));
  EXPECT_EQ(lt::Device("rocm:1").type, DeviceType::ROCm);
  EXPECT_EQ(lt::Device("cuda:3").str(), "cuda:3");
  EXPECT_EQ(lt::Device("cpu").str(), "cpu");
  EXPECT_THROW(lt::Device("gpu"), lt::ValueError);
  EXPECT_THROW(lt::Device("cuda:"), lt::ValueError);
  EXPECT_THROW(lt::Device("cuda:-1"), lt::ValueError);
  EXPECT_THROW(lt::Device("cuda:1x"), lt::ValueError);
  EXPECT_THROW(lt::Device("cuda:40000"), lt::ValueError);
  EXPECT_THROW(lt::Device("CUDA"), lt::ValueError);
}

}  // namespace
