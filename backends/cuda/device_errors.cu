// The mailboxes of device_errors.h: one per device, made on first use, with a ring of
// the messages registered last. A ticket whose message has left the ring (thousands of
// registrations before the wait that finds it) raises a generic one.
#include <array>
#include <atomic>
#include <mutex>

#include "device_errors.h"
#include "libtensor/error.h"

namespace lt::gpu {
namespace {

constexpr int kMaxDevices = 64;

struct Expected {
  unsigned long long ticket = 0;
  const char* op = nullptr;
  DescribeError describe = nullptr;
  int64_t a = 0, b = 0;
};

struct Mailbox {
  std::mutex mutex;
  std::atomic<PostedError*> box{nullptr};  // host address; set once everything is made
  PostedError* device_box = nullptr;        // the same memory, as the device sees it
  unsigned long long* device_words = nullptr;  // claims (kTicketRing), then owner
  unsigned long long next = 1;
  std::array<Expected, kTicketRing> ring;
};

std::array<Mailbox, kMaxDevices>& mailboxes() {
  static std::array<Mailbox, kMaxDevices> m;
  return m;
}

unsigned long long posted(const PostedError* box) {
  return box ? __atomic_load_n(&box->ticket, __ATOMIC_ACQUIRE) : 0;
}

// Makes the mailbox and the device words (zeroed, and the zeros landed before any
// kernel reads them); publishes them only when all are made.
void make(Mailbox& m, int device, const char* op) {
  DeviceGuard guard(device);
  void* host = nullptr;
  void* seen = nullptr;
  void* words = nullptr;
  const size_t bytes = (kTicketRing + 1) * sizeof(unsigned long long);
  auto release = [&] {
    if (host) (void)gpuFreeHost(host);
    if (words) (void)gpuFree(words);
  };
  try {
    LT_GPU_CHECK(op, gpuHostAlloc(&host, sizeof(PostedError), gpuHostAllocMapped));
    static_cast<PostedError*>(host)->ticket = 0;
    static_cast<PostedError*>(host)->value = 0;
    LT_GPU_CHECK(op, gpuHostGetDevicePointer(&seen, host, 0));
    LT_GPU_CHECK(op, gpuMalloc(&words, bytes));
    LT_GPU_CHECK(op, gpuMemset(words, 0, bytes));
    LT_GPU_CHECK(op, gpuDeviceSynchronize());
  } catch (...) {
    release();
    throw;
  }
  m.device_box = static_cast<PostedError*>(seen);
  m.device_words = static_cast<unsigned long long*>(words);
  m.box.store(static_cast<PostedError*>(host), std::memory_order_release);
}

// The posted error as an exception, the mailbox emptied; m.mutex held.
[[noreturn]] void raise_locked(Mailbox& m, int device, unsigned long long ticket) {
  PostedError* box = m.box.load(std::memory_order_relaxed);
  const long long value = __atomic_load_n(&box->value, __ATOMIC_ACQUIRE);
  const Expected e = m.ring[ticket % kTicketRing];
  {
    // Frees the mailbox for the next error: the owner word on the device, then the box.
    DeviceGuard guard(device);
    (void)gpuMemset(m.device_words + kTicketRing, 0, sizeof(unsigned long long));
    (void)gpuDeviceSynchronize();
    __atomic_store_n(&box->ticket, 0ull, __ATOMIC_RELEASE);
  }
  if (e.ticket != ticket) {
    fail<DeferredIndexError>("index", "an operator found index ", value, " out of range on ", kName);
  }
  fail<DeferredIndexError>(e.op, e.describe(value, e.a, e.b));
}

}  // namespace

ErrorPost expect_index_error(int device, const char* op, DescribeError describe, int64_t a, int64_t b) {
  LT_CHECK(device >= 0 && device < kMaxDevices, DeviceError, op, kName, " device ", device, " does not exist");
  Mailbox& m = mailboxes()[device];
  std::lock_guard lock(m.mutex);
  if (!m.box.load(std::memory_order_acquire)) make(m, device, op);
  if (const unsigned long long t = posted(m.box.load(std::memory_order_relaxed))) raise_locked(m, device, t);
  const unsigned long long ticket = m.next++;
  m.ring[ticket % kTicketRing] = {ticket, op, describe, a, b};
  return {m.device_words, m.device_words + kTicketRing, m.device_box, ticket};
}

void raise_posted_errors(int device) {
  if (device < 0 || device >= kMaxDevices) return;
  Mailbox& m = mailboxes()[device];
  if (!posted(m.box.load(std::memory_order_acquire))) return;  // the common case, without the lock
  std::lock_guard lock(m.mutex);
  if (const unsigned long long t = posted(m.box.load(std::memory_order_relaxed))) raise_locked(m, device, t);
}

}  // namespace lt::gpu
