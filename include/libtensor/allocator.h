// Device memory allocators. Each device type has one; backends install theirs.
#pragma once

#include <cstddef>
#include <cstdint>

#include "libtensor/device.h"

namespace lt {

struct MemoryStats {
  int64_t allocated = 0;       // bytes in live blocks
  int64_t reserved = 0;        // bytes held from the system (live + cached)
  int64_t peak_allocated = 0;  // high-water mark of `allocated`
  int64_t num_allocs = 0;      // allocations served
  int64_t num_cache_hits = 0;  // allocations served from the cache
};

class Allocator {
 public:
  virtual ~Allocator() = default;
  virtual void* allocate(size_t nbytes) = 0;
  virtual void deallocate(void* ptr, size_t nbytes) = 0;
  // Storage calls these; device allocators override them to use the device's index.
  virtual void* allocate(size_t nbytes, Device device) { return allocate(nbytes); }
  virtual void deallocate(void* ptr, size_t nbytes, Device device) { deallocate(ptr, nbytes); }
  virtual MemoryStats stats() const = 0;
  virtual void reset_peak() {}
  // Returns cached, unused blocks to the system.
  virtual void empty_cache() {}
};

// The allocator for a device type; throws DeviceError if none is installed.
Allocator& allocator_for(DeviceType t);
// Installs `a` (not owned; must outlive its allocations) for `t`, returning the previous one.
Allocator* set_allocator(DeviceType t, Allocator* a);

MemoryStats memory_stats(DeviceType t = DeviceType::CPU);
void empty_cache(DeviceType t = DeviceType::CPU);

}  // namespace lt
