// The CPU caching allocator: statistics, cache hits, alignment, empty_cache, and
// installing another allocator for a device type.
#include <gtest/gtest.h>
#include <libtensor/libtensor.h>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

using lt::DType;
using lt::MemoryStats;
using lt::Tensor;

constexpr int64_t kMiB = int64_t{1} << 20;

bool aligned64(const void* p) { return reinterpret_cast<uintptr_t>(p) % 64 == 0; }

// Starts each test with no cached blocks, so that the first allocation of a size misses.
class CachingAllocator : public ::testing::Test {
 protected:
  void SetUp() override { lt::empty_cache(); }
};

TEST_F(CachingAllocator, AllocatedFollowsLiveTensors) {
  const MemoryStats s0 = lt::memory_stats();
  Tensor t = lt::empty({kMiB}, DType::Float32);  // 4 MiB
  const MemoryStats s1 = lt::memory_stats();
  EXPECT_GE(s1.allocated - s0.allocated, 4 * kMiB);
  EXPECT_LT(s1.allocated - s0.allocated, 4 * kMiB + 2 * kMiB);  // rounding stays below a huge page
  EXPECT_GE(s1.reserved, s1.allocated);
  EXPECT_GE(s1.peak_allocated, s1.allocated);
  EXPECT_EQ(s1.num_allocs, s0.num_allocs + 1);
  t = Tensor();
  const MemoryStats s2 = lt::memory_stats();
  EXPECT_EQ(s2.allocated, s0.allocated);
  // The freed block stays cached.
  EXPECT_EQ(s2.reserved, s1.reserved);
  EXPECT_GE(s2.peak_allocated, s1.allocated);
}

TEST_F(CachingAllocator, ViewsDoNotAllocate) {
  Tensor t = lt::empty({256, 256});
  const MemoryStats s0 = lt::memory_stats();
  Tensor v = t.view({-1}).narrow(0, 10, 100).unsqueeze(0).expand({4, 100});
  Tensor u = t.t().diagonal();
  const MemoryStats s1 = lt::memory_stats();
  EXPECT_EQ(s1.allocated, s0.allocated);
  EXPECT_EQ(s1.num_allocs, s0.num_allocs);
}

TEST_F(CachingAllocator, StorageLivesWhileAnyViewDoes) {
  const MemoryStats s0 = lt::memory_stats();
  Tensor v;
  {
    Tensor t = lt::empty({kMiB});
    v = t.narrow(0, 5, 10);
  }
  EXPECT_GE(lt::memory_stats().allocated - s0.allocated, 4 * kMiB);
  v = Tensor();
  EXPECT_EQ(lt::memory_stats().allocated, s0.allocated);
}

TEST_F(CachingAllocator, SameSizeAgainIsACacheHit) {
  Tensor t = lt::empty({3 * kMiB}, DType::Float32);  // 12 MiB
  void* first = t.data();
  const MemoryStats s0 = lt::memory_stats();
  t = Tensor();
  Tensor u = lt::empty({3 * kMiB}, DType::Float32);
  const MemoryStats s1 = lt::memory_stats();
  EXPECT_EQ(s1.num_cache_hits, s0.num_cache_hits + 1);
  EXPECT_EQ(s1.num_allocs, s0.num_allocs + 1);
  EXPECT_EQ(s1.reserved, s0.reserved);
  EXPECT_EQ(s1.allocated, s0.allocated);
  EXPECT_TRUE(aligned64(u.data()));
  EXPECT_EQ(u.data(), first);  // the only cached block of that size
}

TEST_F(CachingAllocator, SameBytesInAnotherDTypeIsACacheHit) {
  Tensor t = lt::empty({kMiB}, DType::Float64);  // 8 MiB
  t = Tensor();
  const MemoryStats s0 = lt::memory_stats();
  Tensor u = lt::empty({2 * kMiB}, DType::Int32);  // 8 MiB
  EXPECT_EQ(lt::memory_stats().num_cache_hits, s0.num_cache_hits + 1);
  EXPECT_TRUE(aligned64(u.data()));
}

TEST_F(CachingAllocator, FirstAllocationOfASizeMisses) {
  const MemoryStats s0 = lt::memory_stats();
  Tensor t = lt::empty({5 * kMiB}, DType::UInt8);
  const MemoryStats s1 = lt::memory_stats();
  EXPECT_EQ(s1.num_cache_hits, s0.num_cache_hits);
  EXPECT_GE(s1.reserved - s0.reserved, 5 * kMiB);
}

TEST_F(CachingAllocator, SmallSizesAreCachedToo) {
  Tensor t = lt::empty({100}, DType::Float32);
  t = Tensor();
  const MemoryStats s0 = lt::memory_stats();
  Tensor u = lt::empty({100}, DType::Float32);
  EXPECT_EQ(lt::memory_stats().num_cache_hits, s0.num_cache_hits + 1);
  EXPECT_EQ(lt::memory_stats().reserved, s0.reserved);
}

TEST_F(CachingAllocator, DataIs64ByteAligned) {
  const int64_t sizes[] = {0, 1, 3, 17, 100, 127, 128, 513, 4097, 65537, (2 << 20) + 1, 3 * kMiB + 7};
  for (int64_t n : sizes) {
    for (DType dt : {DType::Bool, DType::Int16, DType::Float32, DType::Float64}) {
      Tensor t = lt::empty({n}, dt);
      EXPECT_TRUE(aligned64(t.data())) << n << " elements of " << lt::name(dt);
      Tensor c = lt::ones({n}, dt).clone();
      EXPECT_TRUE(aligned64(c.data())) << n << " elements of " << lt::name(dt);
    }
  }
}

TEST_F(CachingAllocator, OperatorOutputsAreAligned) {
  Tensor a = lt::ones({1001});
  EXPECT_TRUE(aligned64(lt::add(a, a).data()));
  EXPECT_TRUE(aligned64(lt::exp(a).data()));
  EXPECT_TRUE(aligned64(lt::sum(a.view({7, 143}), {1}).data()));
}

TEST_F(CachingAllocator, EmptyCacheReleasesFreedBlocks) {
  Tensor keep = lt::empty({kMiB});
  Tensor t = lt::empty({4 * kMiB});  // 16 MiB
  t = Tensor();
  const MemoryStats s0 = lt::memory_stats();
  EXPECT_GE(s0.reserved - s0.allocated, 16 * kMiB);
  lt::empty_cache();
  const MemoryStats s1 = lt::memory_stats();
  EXPECT_LE(s1.reserved, s0.reserved - 16 * kMiB);
  EXPECT_EQ(s1.reserved, s1.allocated);  // nothing cached any more
  EXPECT_EQ(s1.allocated, s0.allocated);  // live blocks stay
  // The released size misses the cache now.
  Tensor u = lt::empty({4 * kMiB});
  EXPECT_EQ(lt::memory_stats().num_cache_hits, s1.num_cache_hits);
  // The live tensor still works.
  keep.fill_(3.0);
  EXPECT_EQ(keep.data_ptr<float>()[kMiB - 1], 3.0f);
}

TEST_F(CachingAllocator, PeakTracksHighWaterMark) {
  lt::allocator_for(lt::DeviceType::CPU).reset_peak();
  const MemoryStats s0 = lt::memory_stats();
  EXPECT_EQ(s0.peak_allocated, s0.allocated);
  {
    Tensor a = lt::empty({4 * kMiB});  // 16 MiB
    Tensor b = lt::empty({2 * kMiB});  // 8 MiB
  }
  const MemoryStats s1 = lt::memory_stats();
  EXPECT_EQ(s1.allocated, s0.allocated);
  EXPECT_GE(s1.peak_allocated - s0.allocated, 24 * kMiB);
  lt::allocator_for(lt::DeviceType::CPU).reset_peak();
  EXPECT_EQ(lt::memory_stats().peak_allocated, s1.allocated);
}

TEST_F(CachingAllocator, OutOfMemoryIsAnError) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer aborts on a 4 EiB request instead of returning null";
#endif
  Tensor keep = lt::empty({1000});
  const MemoryStats s0 = lt::memory_stats();
  try {
    lt::empty({int64_t{1} << 60}, DType::Float32);  // 4 EiB
    FAIL() << "expected an out-of-memory error";
  } catch (const lt::Error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("[allocate]", 0), 0u) << msg;
  }
  const MemoryStats s1 = lt::memory_stats();
  EXPECT_EQ(s1.allocated, s0.allocated);
  EXPECT_EQ(s1.reserved, s0.reserved);
  keep.fill_(1.0);
  EXPECT_EQ(lt::sum(keep).item<float>(), 1000.0f);
}

// --- installing allocators ---------------------------------------------------------------

// Counts what passes through it; hands out 64-byte aligned host memory.
class CountingAllocator final : public lt::Allocator {
 public:
  void* allocate(size_t nbytes) override {
    ++allocs;
    live += static_cast<int64_t>(nbytes);
    return std::aligned_alloc(64, (std::max<size_t>(nbytes, 1) + 63) / 64 * 64);
  }
  void deallocate(void* p, size_t nbytes) override {
    ++frees;
    live -= static_cast<int64_t>(nbytes);
    std::free(p);
  }
  lt::MemoryStats stats() const override {
    lt::MemoryStats s;
    s.allocated = live;
    s.num_allocs = allocs;
    return s;
  }
  int64_t allocs = 0, frees = 0, live = 0;
};

TEST(SetAllocator, ReplacesAndRestoresTheCPUAllocator) {
  CountingAllocator counting;
  Tensor before = lt::empty({10});
  lt::Allocator* previous = lt::set_allocator(lt::DeviceType::CPU, &counting);
  ASSERT_NE(previous, nullptr);
  EXPECT_EQ(&lt::allocator_for(lt::DeviceType::CPU), &counting);
  {
    Tensor t = lt::full({10}, 2.0);
    EXPECT_EQ(counting.allocs, 1);
    EXPECT_EQ(counting.live, 40);
    EXPECT_EQ(lt::memory_stats().allocated, 40);
    // A storage returns to the allocator it came from.
    before = Tensor();
    EXPECT_EQ(counting.frees, 0);
  }
  EXPECT_EQ(counting.frees, 1);
  EXPECT_EQ(counting.live, 0);
  EXPECT_EQ(lt::set_allocator(lt::DeviceType::CPU, previous), &counting);
  EXPECT_EQ(&lt::allocator_for(lt::DeviceType::CPU), previous);
  Tensor after = lt::empty({10});
  EXPECT_EQ(counting.allocs, 1);
}

// A GPU device type without a backend in this build (a build has one GPU backend at most).
lt::DeviceType unbuilt_gpu() {
  return lt::device_runtime(lt::DeviceType::ROCm) ? lt::DeviceType::CUDA : lt::DeviceType::ROCm;
}

TEST(SetAllocator, MissingAllocatorIsADeviceError) {
  ASSERT_EQ(lt::set_allocator(unbuilt_gpu(), nullptr), nullptr);
  EXPECT_THROW(lt::allocator_for(unbuilt_gpu()), lt::DeviceError);
  EXPECT_THROW(lt::memory_stats(unbuilt_gpu()), lt::DeviceError);
  try {
    lt::empty({3}, DType::Float32, lt::Device(unbuilt_gpu(), 0));
    FAIL() << "expected DeviceError";
  } catch (const lt::DeviceError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("[allocate]", 0), 0u) << msg;
    EXPECT_NE(msg.find(std::string(lt::name(unbuilt_gpu()))), std::string::npos) << msg;
  }
}

TEST(SetAllocator, AnotherDeviceType) {
  CountingAllocator fake;
  ASSERT_EQ(lt::set_allocator(unbuilt_gpu(), &fake), nullptr);
  {
    const MemoryStats cpu0 = lt::memory_stats();
    Tensor t = lt::empty({2, 3}, DType::Float64, lt::Device(unbuilt_gpu(), 0));
    EXPECT_EQ(t.device().type, unbuilt_gpu());
    EXPECT_EQ(fake.live, 48);
    EXPECT_EQ(lt::memory_stats(unbuilt_gpu()).allocated, 48);
    // The CPU allocator does not see it.
    EXPECT_EQ(lt::memory_stats().num_allocs, cpu0.num_allocs);
    EXPECT_EQ(lt::memory_stats().allocated, cpu0.allocated);
  }
  EXPECT_EQ(fake.live, 0);
  EXPECT_EQ(lt::set_allocator(unbuilt_gpu(), nullptr), &fake);
}

}  // namespace
