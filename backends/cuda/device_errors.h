// Bad input that only a kernel sees (an index out of range), reported without waiting
// for the kernel. The operator registers the error its kernel may find and gets a
// ticket; the kernel posts the ticket and the offending value to its device's mailbox,
// pinned host memory it writes directly; the host raises the error, as the CPU's
// exception with the CPU's message, at its next wait for the device (item(), .cpu(),
// synchronize(), a stream's or an event's wait) or at the next registration, whichever
// comes first. PyTorch's device-side asserts surface as late but leave the device
// unusable; here it carries on. Kernels that would write through a bad index must not
// go on: their operators wait for the kernel that checks and raise at once.
#pragma once

#include <cstdint>
#include <string>

#include "gpu.h"

namespace lt::gpu {

struct PostedError {
  unsigned long long ticket;  // 0: none posted
  long long value;
};

inline constexpr unsigned kTicketRing = 4096;

// What a kernel needs to post one error. In device memory: `claims`, a ring of the
// tickets posted (so that one thread per ticket posts, whatever order kernels on
// different streams run in), and `owner`, the ticket that holds the mailbox until the
// host raises it.
struct ErrorPost {
  unsigned long long* claims;
  unsigned long long* owner;
  PostedError* box;  // the mailbox, pinned host memory mapped for the device
  unsigned long long ticket;
};

// The message of an error about `value`; a and b are the sizes it names. Called only
// when the error is raised, so that registering one builds no string.
using DescribeError = std::string (*)(long long value, int64_t a, int64_t b);

// Registers the IndexError "[op] describe(value, a, b)" that a kernel about to be
// launched on `device` may post; raises first any error posted before. `op` must outlive
// the program (a literal).
ErrorPost expect_index_error(int device, const char* op, DescribeError describe, int64_t a = 0, int64_t b = 0);

// Raises the error posted on `device`, if any, and empties the mailbox. Call it after a
// wait, so that the kernels that could post have finished.
void raise_posted_errors(int device);

// Posts `value` under p's ticket, once per ticket. While an earlier error holds the
// mailbox, a later one is dropped: the first error is the one raised.
__device__ inline void post_error(const ErrorPost& p, int64_t value) {
  if (atomicExch(&p.claims[p.ticket % kTicketRing], p.ticket) == p.ticket) return;
  if (atomicCAS(p.owner, 0ull, p.ticket) != 0ull) return;
  volatile PostedError* box = p.box;
  box->value = value;
  __threadfence_system();  // the value before the ticket that announces it
  box->ticket = p.ticket;
}

}  // namespace lt::gpu
