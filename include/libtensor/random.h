// Counter-based random numbers (Philox-4x32-10). Element i of a draw depends only on
// (seed, offset, i), so every device and every thread count yields the same numbers.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>

#include "libtensor/device.h"

namespace lt {

// One Philox-4x32-10 block: four 32-bit outputs for a 128-bit counter and a 64-bit key.
constexpr std::array<uint32_t, 4> philox4x32(std::array<uint32_t, 4> ctr, uint64_t key) {
  uint32_t k0 = static_cast<uint32_t>(key), k1 = static_cast<uint32_t>(key >> 32);
  for (int round = 0; round < 10; ++round) {
    uint64_t p0 = uint64_t{0xD2511F53u} * ctr[0];
    uint64_t p1 = uint64_t{0xCD9E8D57u} * ctr[2];
    ctr = {static_cast<uint32_t>(p1 >> 32) ^ ctr[1] ^ k0, static_cast<uint32_t>(p1),
           static_cast<uint32_t>(p0 >> 32) ^ ctr[3] ^ k1, static_cast<uint32_t>(p0)};
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  return ctr;
}

// A seed and a running offset. Each draw reserves a block of counters, so successive
// draws never reuse one.
class Generator {
 public:
  explicit Generator(uint64_t seed = 0x5eed) : seed_(seed) {}
  void manual_seed(uint64_t seed);
  uint64_t seed() const { return seed_; }
  uint64_t offset() const { return offset_; }
  void set_offset(uint64_t offset);
  // Reserves `n` counters (blocks of four 32-bit values) and returns (seed, first offset).
  std::pair<uint64_t, uint64_t> reserve(uint64_t n);

 private:
  mutable std::mutex mutex_;
  uint64_t seed_;
  uint64_t offset_ = 0;
};

// The CPU's default generator.
Generator& default_generator();
// The default generator of a device. Each device has its own, as in PyTorch, and all
// start from the same seed and offset, so that a seed gives the same numbers on every
// device: lt.randn(1000, device="cuda").cpu() equals lt.randn(1000).
Generator& default_generator(Device device);
// Seeds the default generator of every device.
void manual_seed(uint64_t seed);

}  // namespace lt
