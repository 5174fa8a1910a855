// A reference-counted buffer on one device, returned to its allocator when the last
// tensor that views it goes away.
#pragma once

#include <cstddef>
#include <memory>

#include "libtensor/allocator.h"
#include "libtensor/device.h"

namespace lt {

class StorageImpl {
 public:
  StorageImpl(size_t nbytes, Device device);
  // Wraps memory owned elsewhere; `deleter` (may be empty) runs when the storage dies.
  StorageImpl(void* data, size_t nbytes, Device device, void (*deleter)(void*, void*), void* ctx);
  ~StorageImpl();
  StorageImpl(const StorageImpl&) = delete;
  StorageImpl& operator=(const StorageImpl&) = delete;

  void* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }
  Device device() const { return device_; }

 private:
  void* data_;
  size_t nbytes_;
  Device device_;
  Allocator* allocator_;  // null for external memory
  void (*deleter_)(void*, void*) = nullptr;
  void* deleter_ctx_ = nullptr;
};

using Storage = std::shared_ptr<StorageImpl>;

}  // namespace lt
