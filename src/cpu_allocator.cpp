// The CPU caching allocator. Freed blocks are kept and handed out again, so an operator
// that allocates the same large output on every call touches warm pages instead of
// faulting in fresh ones from the kernel each time.
#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "libtensor/allocator.h"
#include "libtensor/error.h"

namespace lt {
namespace {

constexpr size_t kAlignment = 64;                 // a cache line, and AVX-512's width
constexpr size_t kLargeAlignment = 2 << 20;       // a transparent huge page
constexpr size_t kSmallGranule = 512;
constexpr size_t kSmallLimit = size_t{64} << 10;  // blocks up to 64 KiB live in exact-size bins
constexpr size_t kCacheLimit = size_t{2} << 30;   // cached but unused bytes kept at most

size_t round_size(size_t n) {
  if (n == 0) n = 1;
  if (n < kLargeAlignment) return (n + kSmallGranule - 1) / kSmallGranule * kSmallGranule;
  return (n + kLargeAlignment - 1) / kLargeAlignment * kLargeAlignment;
}

class CPUCachingAllocator final : public Allocator {
 public:
  ~CPUCachingAllocator() override { empty_cache(); }

  void* allocate(size_t nbytes) override {
    size_t size = round_size(nbytes);
    std::lock_guard<std::mutex> lock(mutex_);
    ++stats_.num_allocs;
    const bool small = size <= kSmallLimit;
    void* p = small ? take_small(size) : take_large(size);
    if (p) {
      ++stats_.num_cache_hits;
    } else {
      p = fresh_block(size, nbytes);
    }
    if (!small) live_[p] = size;  // a large block may be bigger than asked: remember its size
    stats_.allocated += static_cast<int64_t>(size);
    stats_.peak_allocated = std::max(stats_.peak_allocated, stats_.allocated);
    return p;
  }

  void deallocate(void* p, size_t nbytes) override {
    if (!p) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (const size_t size = round_size(nbytes); size <= kSmallLimit) {
      stats_.allocated -= static_cast<int64_t>(size);
      if (cached_ + size > kCacheLimit) {
        std::free(p);
        stats_.reserved -= static_cast<int64_t>(size);
        return;
      }
      bins_[size / kSmallGranule].push_back(p);
      cached_ += size;
      return;
    }
    auto it = live_.find(p);
    size_t size = it->second;
    live_.erase(it);
    stats_.allocated -= static_cast<int64_t>(size);
    if (cached_ + size > kCacheLimit) {
      std::free(p);
      stats_.reserved -= static_cast<int64_t>(size);
      return;
    }
    free_.emplace(size, p);
    cached_ += size;
  }

  MemoryStats stats() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return stats_;
  }

  void reset_peak() override {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_.peak_allocated = stats_.allocated;
  }

  void empty_cache() override {
    std::lock_guard<std::mutex> lock(mutex_);
    release_cached();
  }

 private:
  // Small blocks (most tensors of a model's bookkeeping, every scalar) come back in the
  // size they left: an exact-size bin is a stack, with no search and no bookkeeping node.
  void* take_small(size_t size) {
    auto& bin = bins_[size / kSmallGranule];
    if (bin.empty()) return nullptr;
    void* p = bin.back();
    bin.pop_back();
    cached_ -= size;
    return p;
  }

  // Best fit among cached large blocks, wasting at most a quarter of the block; `size`
  // becomes the block's own.
  void* take_large(size_t& size) {
    auto it = free_.lower_bound(size);
    if (it == free_.end() || it->first > size + size / 4) return nullptr;
    void* p = it->second;
    size = it->first;
    cached_ -= size;
    free_.erase(it);
    return p;
  }

  // A block from the system, after releasing the cache if the system has none.
  void* fresh_block(size_t size, size_t nbytes) {
    void* p = system_alloc(size);
    if (!p) {
      release_cached();
      p = system_alloc(size);
    }
    if (!p) {
      fail<Error>("allocate", "out of memory: ", nbytes, " bytes requested on cpu, ", stats_.allocated,
                  " allocated, ", stats_.reserved, " reserved");
    }
    stats_.reserved += static_cast<int64_t>(size);
    return p;
  }

  static void* system_alloc(size_t size) {
    if (size < kLargeAlignment) return std::aligned_alloc(kAlignment, size);
    void* p = std::aligned_alloc(kLargeAlignment, size);
    if (p) madvise(p, size, MADV_HUGEPAGE);  // fewer page faults on first touch
    return p;
  }

  void release_cached() {
    for (auto& [size, p] : free_) {
      std::free(p);
      stats_.reserved -= static_cast<int64_t>(size);
    }
    free_.clear();
    for (size_t i = 0; i < bins_.size(); ++i) {
      for (void* p : bins_[i]) std::free(p);
      stats_.reserved -= static_cast<int64_t>(bins_[i].size() * i * kSmallGranule);
      bins_[i].clear();
    }
    cached_ = 0;
  }

  mutable std::mutex mutex_;
  std::multimap<size_t, void*> free_;
  std::array<std::vector<void*>, kSmallLimit / kSmallGranule + 1> bins_;
  std::unordered_map<void*, size_t> live_;
  size_t cached_ = 0;
  MemoryStats stats_;
};

std::atomic<Allocator*>& slot(DeviceType t) {
  static std::atomic<Allocator*> slots[kNumDeviceTypes] = {};
  return slots[static_cast<int>(t)];
}

}  // namespace

Allocator& allocator_for(DeviceType t) {
  if (t == DeviceType::CPU) {
    // Never destroyed: tensors in static objects may outlive any static allocator.
    static Allocator* cpu = [] {
      auto* a = new CPUCachingAllocator();
      Allocator* expected = nullptr;
      slot(DeviceType::CPU).compare_exchange_strong(expected, a);
      return a;
    }();
    (void)cpu;
  }
  Allocator* a = slot(t).load(std::memory_order_acquire);
  if (!a) fail<DeviceError>("allocate", "no allocator for device ", name(t), ": libtensor was built without it");
  return *a;
}

Allocator* set_allocator(DeviceType t, Allocator* a) {
  if (t == DeviceType::CPU) allocator_for(t);  // install the default first, so it can be restored
  return slot(t).exchange(a);
}

MemoryStats memory_stats(DeviceType t) { return allocator_for(t).stats(); }
void empty_cache(DeviceType t) { allocator_for(t).empty_cache(); }

}  // namespace lt
