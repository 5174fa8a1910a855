// The GPU caching allocator. Device allocations are slow and synchronize the device, so
// freed blocks are kept and handed out again:
//   - blocks belong to a (device, stream): one freed on a stream is reused on that stream
//     only, so work queued on it keeps ordering the reuse without any event;
//   - requests up to 1 MiB come from a small pool carved from 2 MiB segments, larger ones
//     from a large pool of their own segments; a cached block bigger than the request is
//     split, and a freed block merges with free neighbours of its segment;
//   - when the device is out of memory, cached segments that are wholly free are given
//     back and the allocation retried; only then is OutOfMemoryError thrown, saying how
//     much was asked for, allocated and reserved.
#include <algorithm>
#include <array>
#include <cstdio>
#include <mutex>
#include <set>
#include <unordered_map>

#include "gpu.h"
#include "libtensor/allocator.h"
#include "libtensor/device_runtime.h"

namespace lt::gpu {
namespace {

constexpr size_t kRound = 512;                    // every block's size is a multiple
constexpr size_t kSmallRequest = size_t{1} << 20;  // at most this: the small pool
constexpr size_t kSmallSegment = size_t{2} << 20;  // what the small pool asks the device for
constexpr size_t kLargeRound = size_t{2} << 20;    // large segments are multiples of this
constexpr size_t kMinLargeSplit = size_t{1} << 20;  // a large block splits only if this much is left
constexpr int kMaxDevices = 64;

struct Block {
  int device;
  gpuStream_t stream;
  size_t size;
  char* ptr;
  bool small;
  bool allocated = false;
  Block* prev = nullptr;  // neighbours within one segment
  Block* next = nullptr;
};

// Free blocks ordered for best fit: by stream, then size, then address.
struct BySize {
  bool operator()(const Block* a, const Block* b) const {
    if (a->stream != b->stream) return a->stream < b->stream;
    if (a->size != b->size) return a->size < b->size;
    return a->ptr < b->ptr;
  }
};

std::string mib(int64_t bytes) {
  char s[32];
  std::snprintf(s, sizeof s, "%.2f MiB", static_cast<double>(bytes) / (1 << 20));
  return s;
}

struct DevicePools {
  std::set<Block*, BySize> small, large;
  MemoryStats stats;
};

class CachingAllocator final : public Allocator {
 public:
  void* allocate(size_t nbytes) override { return allocate(nbytes, Device(kDeviceType, current_device())); }
  void deallocate(void* p, size_t nbytes) override { deallocate(p, nbytes, Device(kDeviceType, current_device())); }

  void* allocate(size_t nbytes, Device device) override {
    if (nbytes == 0) return nullptr;
    const int d = device.index;
    LT_CHECK(d >= 0 && d < kMaxDevices, DeviceError, "allocate", "bad device index ", d);
    const size_t size = (nbytes + kRound - 1) / kRound * kRound;
    const bool small = size <= kSmallRequest;
    gpuStream_t stream = current_stream(d);
    std::lock_guard lock(mutex_);
    DevicePools& pools = pools_[d];
    auto& pool = small ? pools.small : pools.large;
    ++pools.stats.num_allocs;
    Block key{d, stream, size, nullptr, small};
    Block* block = nullptr;
    if (auto it = pool.lower_bound(&key); it != pool.end() && (*it)->stream == stream) {
      block = *it;
      pool.erase(it);
      ++pools.stats.num_cache_hits;
    } else {
      const size_t segment = small ? kSmallSegment : (size + kLargeRound - 1) / kLargeRound * kLargeRound;
      block = new Block{d, stream, segment, device_malloc(d, segment, size, pools), small};
    }
    // Split off the rest when it is worth keeping.
    const size_t rest = block->size - size;
    if (rest >= (small ? kRound : kMinLargeSplit)) {
      Block* tail = new Block{d, stream, rest, block->ptr + size, small};
      tail->prev = block;
      tail->next = block->next;
      if (block->next) block->next->prev = tail;
      block->next = tail;
      block->size = size;
      pool.insert(tail);
    }
    block->allocated = true;
    live_.emplace(block->ptr, block);
    pools.stats.allocated += static_cast<int64_t>(block->size);
    pools.stats.peak_allocated = std::max(pools.stats.peak_allocated, pools.stats.allocated);
    return block->ptr;
  }

  void deallocate(void* p, size_t, Device) override {
    if (!p) return;
    std::lock_guard lock(mutex_);
    auto it = live_.find(static_cast<char*>(p));
    if (it == live_.end()) return;  // not ours: never happens for storages
    Block* block = it->second;
    live_.erase(it);
    DevicePools& pools = pools_[block->device];
    pools.stats.allocated -= static_cast<int64_t>(block->size);
    block->allocated = false;
    auto& pool = block->small ? pools.small : pools.large;
    for (Block* n : {block->prev, block->next}) {
      if (!n || n->allocated) continue;
      pool.erase(n);
      if (n == block->prev) {
        n->size += block->size;
        n->next = block->next;
        if (block->next) block->next->prev = n;
        delete block;
        block = n;
      } else {
        block->size += n->size;
        block->next = n->next;
        if (n->next) n->next->prev = block;
        delete n;
      }
    }
    pool.insert(block);
  }

  MemoryStats stats() const override {
    std::lock_guard lock(mutex_);
    MemoryStats total;
    for (const DevicePools& p : pools_) {
      total.allocated += p.stats.allocated;
      total.reserved += p.stats.reserved;
      total.peak_allocated += p.stats.peak_allocated;
      total.num_allocs += p.stats.num_allocs;
      total.num_cache_hits += p.stats.num_cache_hits;
    }
    return total;
  }

  void reset_peak() override {
    std::lock_guard lock(mutex_);
    for (DevicePools& p : pools_) p.stats.peak_allocated = p.stats.allocated;
  }

  void empty_cache() override {
    std::lock_guard lock(mutex_);
    for (int d = 0; d < kMaxDevices; ++d) release_cached(d);
  }

 private:
  // Asks the device for `segment` bytes; on failure returns the cache and retries, then
  // throws with the figures a user needs to understand the failure.
  char* device_malloc(int d, size_t segment, size_t requested, DevicePools& pools) {
    check_device_exists(Device(kDeviceType, static_cast<int16_t>(d)), "allocate");  // names a missing device
    DeviceGuard guard(d);
    void* p = nullptr;
    gpuError_t status = gpuMalloc(&p, segment);
    if (status == gpuErrorMemoryAllocation) {
      (void)gpuGetLastError();
      release_cached(d);
      status = gpuMalloc(&p, segment);
    }
    if (status == gpuErrorMemoryAllocation) {
      (void)gpuGetLastError();
      size_t free_bytes = 0, total_bytes = 0;
      (void)gpuMemGetInfo(&free_bytes, &total_bytes);
      (void)gpuGetLastError();
      fail<OutOfMemoryError>("allocate", kName, " out of memory: tried to allocate ", mib(requested), " on device ", d,
                             " (", mib(total_bytes), " total, ", mib(free_bytes), " free); libtensor holds ",
                             mib(pools.stats.allocated), " allocated and ", mib(pools.stats.reserved),
                             " reserved");
    }
    check(status, "allocate", "device memory allocation");
    pools.stats.reserved += static_cast<int64_t>(segment);
    return static_cast<char*>(p);
  }

  // Frees every cached segment of device d that has no allocated block.
  void release_cached(int d) {
    DevicePools& pools = pools_[d];
    for (auto* pool : {&pools.small, &pools.large}) {
      for (auto it = pool->begin(); it != pool->end();) {
        Block* b = *it;
        if (b->prev || b->next) {  // part of a segment still in use
          ++it;
          continue;
        }
        DeviceGuard guard(d);
        (void)gpuFree(b->ptr);
        pools.stats.reserved -= static_cast<int64_t>(b->size);
        it = pool->erase(it);
        delete b;
      }
    }
  }

  mutable std::mutex mutex_;
  std::array<DevicePools, kMaxDevices> pools_;
  std::unordered_map<char*, Block*> live_;
};

CachingAllocator allocator;
const bool installed = (set_allocator(kDeviceType, &allocator), true);

}  // namespace

// The statistics of one device (lt.cuda.memory_allocated(device) and friends) are the
// allocator's; a device index of -1 sums all.
}  // namespace lt::gpu
